/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Validating BTF as the kernel does when a program loads it with
 * bpf(BPF_BTF_LOAD): the same checks, in the same order, with the kernel's
 * own message for the first one that fails.
 *
 * The checks are those of kernel/bpf/btf.c: the header and its sections, the
 * string section, every type's metadata (names, kind flags, vlen, sizes,
 * encodings, linkage, component indexes), then the resolve pass (reference
 * cycles, the depth limit of 32, members against struct sizes, bitfields,
 * arrays, datasec variables, function prototypes, modifier chains and the
 * order of type tags).
 *
 * Rules that differ between kernel generations follow the generation asked
 * for (struct btfkit_validate_opts.kernel); by default, the running kernel's.
 * docs/btfkit.1 lists them.
 */
#ifndef BTFKIT_VALIDATE_H
#define BTFKIT_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include <btfkit/api.h>

#ifdef __cplusplus
extern "C" {
#endif

struct btfkit_btf;

/* A kernel version as the kernel encodes it: (major << 16) | (minor << 8) | patch. */
#define BTFKIT_KERNEL_VERSION(a, b, c) (((uint32_t)(a) << 16) | ((uint32_t)(b) << 8) | (uint32_t)(c))

struct btfkit_validate_opts {
	size_t sz; /* sizeof(struct btfkit_validate_opts) */
	/* Apply the rules of this kernel (BTFKIT_KERNEL_VERSION); 0: the running kernel's. */
	uint32_t kernel;
};

/* What the kernel would answer. */
struct btfkit_verdict {
	int valid;        /* 1: the kernel accepts the BTF; 0: it rejects it */
	int err;          /* the negative errno BPF_BTF_LOAD returns; 0 when valid */
	uint32_t type_id; /* the type the failing check is about; 0 for header/section checks */
	int32_t member;   /* member, parameter, enumerator or variable index (from 0); -1 if none */
	uint32_t nr_types; /* types in the BTF (its own, for split BTF) */
	uint32_t kernel;  /* the rules applied: the kernel version they are from */
	/* The kernel's message for the failing check, e.g. "Loop detected". */
	char message[128];
	/*
	 * The lines the kernel's verifier log ends with for this failure, each
	 * ending in a newline ("[5] STRUCT foo size=4 vlen=1\n\tb type_id=2
	 * bits_offset=40 Member exceeds struct_size\n"); empty when the kernel
	 * logs nothing. Cut at the buffer's size; log_truncated says so.
	 */
	char log[4096];
	int log_truncated;
};

/*
 * Validate a raw BTF blob. `base` is the BTF the blob is split on (e.g. vmlinux
 * for a module), or NULL for standalone BTF; the base itself is validated
 * first, as the kernel's base is. Returns 0 when the verdict was reached (look
 * at v->valid), or a negative errno when it could not be (out of memory; a
 * base that does not validate, with v->message saying why).
 */
BTFKIT_API int btfkit_validate_mem(const void *data, size_t size, const struct btfkit_btf *base,
				   const struct btfkit_validate_opts *opts, struct btfkit_verdict *v);

/*
 * The same for a file: a raw BTF blob, or an ELF file (object, vmlinux, kernel
 * module) whose .BTF section is validated. On a negative return, v->message
 * says what is wrong with the file (missing, no .BTF section, ...).
 */
BTFKIT_API int btfkit_validate_file(const char *path, const struct btfkit_btf *base,
				    const struct btfkit_validate_opts *opts, struct btfkit_verdict *v);

/*
 * A base checked once, for validating many split blobs on it (every module of
 * a kernel against its vmlinux BTF). The base is validated as
 * btfkit_validate_mem() validates it; on failure NULL comes back (errno set)
 * and v->message says why. `base` must outlive the handle.
 */
struct btfkit_validated_base;
BTFKIT_API struct btfkit_validated_base *btfkit_validate_base(const struct btfkit_btf *base,
							      const struct btfkit_validate_opts *opts,
							      struct btfkit_verdict *v);
/* btfkit_validate_mem() of a split blob on a checked base; the handle is only read. */
BTFKIT_API int btfkit_validate_split_mem(const struct btfkit_validated_base *vb, const void *data,
					 size_t size, struct btfkit_verdict *v);
/* btfkit_validate_file() of split BTF (a module .ko, or raw) on a checked base. */
BTFKIT_API int btfkit_validate_split_file(const struct btfkit_validated_base *vb, const char *path,
					  struct btfkit_verdict *v);
BTFKIT_API void btfkit_validated_base_free(struct btfkit_validated_base *vb);

/* The running kernel's version (BTFKIT_KERNEL_VERSION), or 0 if unknown. */
BTFKIT_API uint32_t btfkit_running_kernel(void);

#ifdef __cplusplus
}
#endif

#endif /* BTFKIT_VALIDATE_H */
