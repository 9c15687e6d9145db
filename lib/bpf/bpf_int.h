/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The bpf() layer's inside: the system call and the error contract at the
 * API boundary. The attr layouts are the kernel's UAPI (<linux/bpf.h>, from
 * linux-libc-dev); fields newer than that header are not used.
 */
#ifndef BTFKIT_BPF_INT_H
#define BTFKIT_BPF_INT_H

#include <errno.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <string.h>

#include <btfkit/bpf.h>

/* bpf(cmd, attr, size): the result, or -errno. */
int bpf_sys(int cmd, union bpf_attr *attr, unsigned size);

static inline uint64_t bpf_ptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* The public return: r itself, with errno set when it is an error. */
static inline int bpf_ret(int r)
{
	if (r < 0)
		errno = -r;
	return r;
}

/*
 * Copy a result struct whose first field is `size_t sz` into the caller's,
 * up to the caller's sz (an older, smaller struct gets what fits; its sz is
 * kept). The caller has checked that sz covers at least the sz field.
 */
static inline void bpf_give(void *dst, const void *src, size_t full)
{
	size_t sz = *(const size_t *)dst;

	memcpy((char *)dst + sizeof(size_t), (const char *)src + sizeof(size_t),
	       (sz < full ? sz : full) - sizeof(size_t));
}

/* Does a caller's struct of `sz` bytes hold the field ending at `end`? */
#define BPF_HAS(s, field) ((s)->sz >= offsetof(__typeof__(*(s)), field) + sizeof((s)->field))

#endif /* BTFKIT_BPF_INT_H */
