/* SPDX-License-Identifier: BSD-2-Clause */
/* What every public header shares: the mark on exported functions. */
#ifndef BTFKIT_API_H
#define BTFKIT_API_H

/* The library is built with -fvisibility=hidden: only these are exported. */
#ifndef BTFKIT_API
#define BTFKIT_API __attribute__((visibility("default")))
#endif

#endif /* BTFKIT_API_H */
