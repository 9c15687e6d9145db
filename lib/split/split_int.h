/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private to split-BTF safety (lib/split/): modules, prepared bases, the walk
 * over every reference a type record holds, and the map from the base types a
 * module uses to the types of another base.
 */
#ifndef BTFKIT_LIB_SPLIT_INT_H
#define BTFKIT_LIB_SPLIT_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <btfkit/split.h>

#include "../btf/btf_int.h"
#include "../validate/validate_int.h"

struct btfkit_split_module {
	struct btf_image img; /* the file, when opened from one */
	bool from_file;
	char *path;       /* the file, when its sections were read alone */
	uint8_t *owned;   /* those sections' bytes */
	bool is_elf;
	const uint8_t *image; /* the whole input */
	size_t image_size;
	const uint8_t *btf; /* the .BTF section (or the raw blob) */
	size_t btf_size;
	const uint8_t *dist; /* the .BTF.base section, or NULL */
	size_t dist_size;
};

/* Offsets of the base's strings by content: relocated names reuse them. */
struct split_strs {
	uint32_t *slots; /* offset + 1; 0: empty */
	uint32_t mask;
};

struct btfkit_split_base {
	const struct btfkit_btf *btf;
	struct btfkit_validated_base *vb;
	/*
	 * What every module's check looks up in the base, packed so that it
	 * stays in cache: each type's kind, and which string offsets start a
	 * valid identifier (one bit each).
	 */
	const uint8_t *kinds;      /* the validator's: warm in cache after a module's check */
	uint32_t nr_kinds;
	const uint64_t *name_bits; /* the validator's valid identifiers, below names_scanned */
	uint32_t names_scanned;
	/* Built on the first relocation (checks do not need it). */
	struct split_strs strs;
	bool strs_built;
	pthread_mutex_t strs_lock;
};
/* The base's strings by content, built on first use; NULL on ENOMEM. */
const struct split_strs *split_base_strs(const struct btfkit_split_base *base);

/* ---- refs.c: every reference a type record holds ---- */

/* What a reference is used for: which kinds may stand there. */
enum split_use {
	SU_NAME,    /* a string offset: a name */
	SU_VALUE,   /* a member's, array element's or variable's type: laid out in place */
	SU_TARGET,  /* what a typedef, modifier, tag, return value or parameter names */
	SU_PTR,     /* a pointer's target */
	SU_PROTO,   /* a function's prototype */
	SU_SECINFO, /* a variable or function of a data section */
	SU_TAG,     /* what a declaration tag is attached to */
	SU_INDEX,   /* an array's index type */
};

/*
 * Called per reference: `word` is the reference's index among the record's
 * 32-bit words (0 is the name), `elem` the member/param/value index or -1.
 * A non-zero return stops the walk and is returned.
 */
typedef int (*split_ref_fn)(void *ctx, const struct btfkit_type *t, uint32_t word,
			    enum split_use use, int32_t elem);
/* Per element: words per element, and where its name and type are (0: none). */
static inline __attribute__((always_inline)) int
split_visit_elems(const struct btfkit_type *t, unsigned per, unsigned name_w, unsigned type_w,
		       enum split_use use, split_ref_fn fn, void *ctx)
{
	unsigned n = btfkit_type_vlen(t);
	int err;

	for (unsigned i = 0; i < n; i++) {
		uint32_t w = 3 + i * per;

		if (name_w && (err = fn(ctx, t, w + name_w - 1, SU_NAME, (int32_t)i)))
			return err;
		if (type_w && (err = fn(ctx, t, w + type_w - 1, use, (int32_t)i)))
			return err;
	}
	return 0;
}

/*
 * Inline, so that a caller's own `fn` is inlined into it: the ok path of a
 * check visits every reference of thousands of modules.
 */
static inline __attribute__((always_inline)) int split_visit(const struct btfkit_type *t,
							     split_ref_fn fn, void *ctx)
{
	int err = fn(ctx, t, 0, SU_NAME, -1);

	if (err)
		return err;
	switch (btfkit_type_kind(t)) {
	case BTFKIT_KIND_PTR:
		return fn(ctx, t, 2, SU_PTR, -1);
	case BTFKIT_KIND_TYPEDEF:
	case BTFKIT_KIND_VOLATILE:
	case BTFKIT_KIND_CONST:
	case BTFKIT_KIND_RESTRICT:
	case BTFKIT_KIND_TYPE_TAG:
		return fn(ctx, t, 2, SU_TARGET, -1);
	case BTFKIT_KIND_FUNC:
		return fn(ctx, t, 2, SU_PROTO, -1);
	case BTFKIT_KIND_VAR:
		return fn(ctx, t, 2, SU_VALUE, -1);
	case BTFKIT_KIND_DECL_TAG:
		return fn(ctx, t, 2, SU_TAG, -1);
	case BTFKIT_KIND_ARRAY:
		err = fn(ctx, t, 3, SU_VALUE, -1);
		return err ? err : fn(ctx, t, 4, SU_INDEX, -1);
	case BTFKIT_KIND_STRUCT:
	case BTFKIT_KIND_UNION:
		return split_visit_elems(t, 3, 1, 2, SU_VALUE, fn, ctx);
	case BTFKIT_KIND_ENUM:
		return split_visit_elems(t, 2, 1, 0, SU_NAME, fn, ctx);
	case BTFKIT_KIND_ENUM64:
		return split_visit_elems(t, 3, 1, 0, SU_NAME, fn, ctx);
	case BTFKIT_KIND_FUNC_PROTO:
		err = fn(ctx, t, 2, SU_TARGET, -1);
		return err ? err : split_visit_elems(t, 2, 1, 2, SU_TARGET, fn, ctx);
	case BTFKIT_KIND_DATASEC:
		return split_visit_elems(t, 3, 0, 1, SU_SECINFO, fn, ctx);
	}
	return 0;
}

static inline uint32_t split_word(const struct btfkit_type *t, uint32_t word)
{
	return ((const uint32_t *)t)[word];
}
/* Does a type of `kind` fit `use`? (kind 0: void) */
bool split_kind_fits(enum split_use use, unsigned kind);
/* The kinds that fit `use`, one bit each (bit 0: void). */
uint32_t split_use_kinds(enum split_use use);
const char *split_use_name(enum split_use use);
/* A named INT, FLOAT, STRUCT, UNION, ENUM, ENUM64 or FWD: found by name on another base. */
bool split_is_leaf(const struct btfkit_type *t);

/* What a reference means on `btf` (the module opened on some base), for evidence. */
void split_desc_id(const struct btfkit_btf *btf, uint32_t id, char *buf, size_t sz);
void split_desc_str(const struct btfkit_btf *btf, uint32_t off, char *buf, size_t sz);
/* Is `off` the start of a string of btf's chain? NULL: past every string section. */
bool split_str_at_start(const struct btfkit_btf *btf, uint32_t off);

/* ---- module.c ---- */
/* The whole file of a module opened by its sections alone (for writing a copy). */
int split_module_image(const struct btfkit_split_module *mod, struct btf_image *img,
		       const uint8_t **image, size_t *size, char *msg, size_t msg_sz);
int split_strs_build(struct split_strs *s, const struct btfkit_btf *btf);
void split_strs_free(struct split_strs *s);
/* The base's offset of string `str`, or -ENOENT. */
int64_t split_strs_find(const struct split_strs *s, const struct btfkit_btf *btf, const char *str);
/* Split BTF (a module's .BTF) opened on `base` (NULL: not possible; msg says why). */
struct btfkit_btf *split_open_on(const uint8_t *data, size_t size, const struct btfkit_btf *base,
				 char *msg, size_t msg_sz);

/* ---- map.c: the module's base types, found on another base ---- */

enum {
	SM_LEAF = 1,     /* found by name on the new base */
	SM_COPY = 2,     /* copied into the module */
	SM_EMBEDDED = 4, /* laid out inside a module type: its size must match */
};

struct split_map {
	uint32_t nr_orig;  /* types of the original base (ids below it are base ids) */
	uint8_t *state;    /* per original base id: SM_* */
	uint32_t *to;      /* per original base id: the id on the target */
	uint32_t *leaves;  /* original ids found by name, in id order once sorted */
	uint32_t nr_leaves;
	uint32_t *copies;  /* original ids copied, in the order they are appended */
	uint32_t nr_copies;
};

/* Which base types `mod` (the module opened on its original base) uses, and how. */
int split_map_collect(struct split_map *m, const struct btfkit_btf *mod);
/*
 * Find every leaf on `target`; on failure res says which and how (-EINVAL).
 * `orig_full`: orig is a whole base (members can be compared), not a distilled one.
 */
int split_map_match(struct split_map *m, const struct btfkit_btf *orig, bool orig_full,
		    const struct btfkit_btf *target, struct btfkit_split_result *res);
void split_map_free(struct split_map *m);

/* ---- emit.c: blobs ---- */

/*
 * The module's BTF split on a target base whose ids end at target_nr and
 * strings at target_str_len. Leaves must be mapped in m->to; copies are
 * numbered here. `strs`: the target's strings by content (NULL: names of
 * base strings are appended to the module's own).
 */
int split_emit(const struct btfkit_btf *mod, const struct btfkit_btf *orig, struct split_map *m,
	       uint32_t target_nr, uint32_t target_str_len, const struct split_strs *strs,
	       const struct btfkit_btf *target, void **data, size_t *size);
/* The distilled base of the leaves in m (their ids on it set in m->to). */
int split_emit_distilled(const struct btfkit_btf *orig, struct split_map *m, void **data,
			 size_t *size);

#endif /* BTFKIT_LIB_SPLIT_INT_H */
