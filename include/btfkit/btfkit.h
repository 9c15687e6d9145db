/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * btfkit — the BPF Type Format of Linux kernels, and the kernel function a
 * program really attaches to.
 *
 * This is the umbrella header: include it and you have the whole public API.
 *
 * The error contract, shared by every function in the library:
 *   - functions returning int return 0 (or a non-negative count/id) on success
 *     and a negative errno value on failure, and also set errno;
 *   - functions returning a pointer return NULL on failure and set errno;
 *   - every *_free() accepts NULL;
 *   - pointers returned by getters are owned by the object they came from and
 *     stay valid until that object is freed.
 * The library never prints. Where a failure deserves words, the caller passes
 * a message buffer (see struct btfkit_open_opts) and gets one line back.
 */
#ifndef BTFKIT_BTFKIT_H
#define BTFKIT_BTFKIT_H

#include <btfkit/api.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BTFKIT_VERSION_MAJOR 0
#define BTFKIT_VERSION_MINOR 1
#define BTFKIT_VERSION_PATCH 0

/* "0.1.0": the version of the library actually linked. */
BTFKIT_API const char *btfkit_version(void);

#ifdef __cplusplus
}
#endif

#include <btfkit/btf.h>
#include <btfkit/dump.h>
#include <btfkit/cdump.h>
#include <btfkit/validate.h>
#include <btfkit/bpf.h>
#include <btfkit/probe.h>
#include <btfkit/split.h>
#include <btfkit/kview.h>
#include <btfkit/resolve.h>

#endif /* BTFKIT_BTFKIT_H */
