/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Split BTF safety: will a kernel module's BTF mean what it says on this
 * kernel, and if not, can it be made to.
 *
 * A module's .BTF is split BTF: its type ids continue after the base's last
 * id and its string offsets after the base's string section, and it refers to
 * base types by id and to base strings by offset. Both are only right on the
 * exact base the module was built against. On another build's base the kernel
 * either rejects the module's BTF ("Invalid name", -EINVAL) or accepts it with
 * names and types that point at the wrong things.
 *
 * btfkit_split_check() gives a verdict for one module on a base (ok,
 * mismatch, relocatable, incompatible) with its evidence;
 * btfkit_split_relocate() rewrites the module's BTF onto a new base;
 * btfkit_split_distill() makes the .BTF.base section of kernels 6.11 and
 * later (the minimal base the module refers to) and the module's BTF split on
 * it. btfkit_split_write_ko() writes a copy of the module with new sections.
 */
#ifndef BTFKIT_SPLIT_H
#define BTFKIT_SPLIT_H

#include <stddef.h>
#include <stdint.h>

#include <btfkit/api.h>
#include <btfkit/validate.h>

#ifdef __cplusplus
extern "C" {
#endif

struct btfkit_btf;

/* ---- A module: its .BTF and, if it has one, its .BTF.base ---- */

struct btfkit_split_module;

/*
 * Open a kernel module (.ko) or a raw split BTF blob (then without
 * .BTF.base). NULL with errno set on failure; `msg` gets one line.
 */
BTFKIT_API struct btfkit_split_module *btfkit_split_module_open(const char *path, char *msg,
								size_t msg_sz);
/* The same from memory; the bytes are borrowed and must outlive the module. */
BTFKIT_API struct btfkit_split_module *btfkit_split_module_open_mem(const void *data, size_t size,
								    char *msg, size_t msg_sz);
BTFKIT_API void btfkit_split_module_free(struct btfkit_split_module *mod);
/* 1 when the module carries a .BTF.base section (a distilled base). */
BTFKIT_API int btfkit_split_module_has_base(const struct btfkit_split_module *mod);
/* Bytes of BTF the module holds: its .BTF and .BTF.base sections (or the raw blob). */
BTFKIT_API size_t btfkit_split_module_btf_size(const struct btfkit_split_module *mod);

/* ---- A base prepared for many modules: validated once, strings indexed ---- */

struct btfkit_split_base;

/*
 * `base` (vmlinux BTF) must outlive the handle. The base is validated with
 * the kernel's rules (opts: which kernel's; NULL: the running one's); a base
 * that does not validate is an error (NULL, errno EINVAL, `msg` says why).
 */
BTFKIT_API struct btfkit_split_base *btfkit_split_base_new(const struct btfkit_btf *base,
							   const struct btfkit_validate_opts *opts,
							   char *msg, size_t msg_sz);
BTFKIT_API void btfkit_split_base_free(struct btfkit_split_base *base);

/* ---- Verdicts ---- */

enum btfkit_split_verdict {
	BTFKIT_SPLIT_OK = 0,           /* valid on the base, and every reference fits */
	BTFKIT_SPLIT_MISMATCH = 1,     /* it does not; nothing says how to fix it */
	BTFKIT_SPLIT_RELOCATABLE = 2,  /* every base type it uses is found on the base */
	BTFKIT_SPLIT_INCOMPATIBLE = 3, /* a base type it uses really changed */
};
/* "ok", "mismatch", "relocatable", "incompatible". */
BTFKIT_API const char *btfkit_split_verdict_name(enum btfkit_split_verdict v);

/* One reference of the module that lands wrong. */
struct btfkit_split_ref {
	uint32_t type_id; /* the module's type holding it, numbered as on the base */
	int32_t elem;     /* member, parameter, enumerator or variable index; -1: the type itself */
	uint32_t value;   /* the string offset or type id found in the module */
	int is_name;      /* 1: a string offset; 0: a type id */
	/* Why it is wrong, e.g. "lands inside a string" or "a FUNC where a type is needed". */
	char why[64];
	char now[96];  /* what it refers to on the base: `STRUCT 'sk_buff'`, `"rimary_device"` */
	char orig[96]; /* what it referred to on the original base ("" when none was given) */
};

#define BTFKIT_SPLIT_MAX_REFS 5

struct btfkit_split_result {
	enum btfkit_split_verdict verdict;
	int has_btf_base; /* the module carries .BTF.base */
	int orig_used;    /* the original base was given and used */

	/* The kernel's verdict on the module's .BTF split on the base as it is. */
	struct btfkit_verdict kernel;
	/*
	 * References that land wrong (counted in nr_wrong; the first few in
	 * refs). With an original base, a reference whose meaning differs there
	 * counts too: the kernel accepts such BTF with the wrong meaning.
	 */
	uint32_t nr_wrong;
	uint32_t nr_refs_shown;
	struct btfkit_split_ref refs[BTFKIT_SPLIT_MAX_REFS];
	/* Where the module's numbering assumed its base ends, and where it does. */
	uint32_t orig_nr_types, orig_str_len, base_nr_types, base_str_len;

	/* Relocation: base types the module uses, and how many were matched. */
	uint32_t nr_base_used, nr_matched;
	/* incompatible (or a mismatch that relocation cannot fix): what and how. */
	uint32_t changed_id;    /* the type in the original (or distilled) base; 0: none */
	char changed_name[96];  /* `STRUCT 'foo'` */
	char reason[160];       /* "is 24 bytes on the original base, 32 on the base" */
};

/*
 * The verdict for one module on `base`. `orig` is the base the module was
 * built against (NULL: unknown), prepared the same way. A module with
 * .BTF.base is judged by relocation of that distilled base onto `base`.
 * Returns 0 when a verdict was reached; a negative errno otherwise (ENOMEM).
 */
BTFKIT_API int btfkit_split_check(const struct btfkit_split_base *base,
				  const struct btfkit_split_module *mod,
				  const struct btfkit_split_base *orig,
				  struct btfkit_split_result *res);

/*
 * Rewrite the module's split BTF onto `base`: the base types it uses are
 * found on `base` (from its .BTF.base, or from `orig`); its ids and string
 * offsets renumbered. Base types that are not found by name (pointers,
 * typedefs, anonymous structs, prototypes) are copied in after the module's
 * own types, which keep their order. *data (malloc()ed) is a raw split BTF
 * blob on `base`. -ENOENT when neither .BTF.base nor `orig` says what the
 * module's base types were; -EINVAL when a base type does not match (res
 * says which and how).
 */
BTFKIT_API int btfkit_split_relocate(const struct btfkit_split_base *base,
				     const struct btfkit_split_module *mod,
				     const struct btfkit_split_base *orig,
				     struct btfkit_split_result *res, void **data, size_t *size);

/*
 * The distilled base of a module built against `orig`, in the form kernels
 * 6.11+ accept in .BTF.base: the named INTs, FLOATs, STRUCTs, UNIONs, ENUMs,
 * ENUM64s and FWDs it uses (structs, unions and enums without members, with
 * their size; an ENUM64 as an ENUM of its size), and the module's BTF split on it (other base types it uses
 * copied in). Both blobs are malloc()ed.
 */
BTFKIT_API int btfkit_split_distill(const struct btfkit_split_base *orig,
				    const struct btfkit_split_module *mod, void **base_data,
				    size_t *base_size, void **btf_data, size_t *btf_size, char *msg,
				    size_t msg_sz);

/*
 * Write a copy of the module's ELF file to `path` with .BTF replaced by
 * `btf` and, when `btf_base` is given, a .BTF.base section with it. With
 * `btf_base` NULL, an existing .BTF.base is renamed .BTF.base.orig so that a
 * kernel does not relocate the new .BTF again. Every other section is kept.
 */
BTFKIT_API int btfkit_split_write_ko(const struct btfkit_split_module *mod, const char *path,
				     const void *btf, size_t btf_size, const void *btf_base,
				     size_t btf_base_size, char *msg, size_t msg_sz);

#ifdef __cplusplus
}
#endif

#endif /* BTFKIT_SPLIT_H */
