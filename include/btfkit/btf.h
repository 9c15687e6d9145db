/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * BTF objects: open, look up, iterate, serialize.
 *
 * A struct btfkit_btf is one BTF blob: a standalone one (vmlinux, an object
 * file) or a split one (a kernel module) that continues the ids and strings of
 * a base. Types and strings are not copied: the pointers this API returns
 * point into the blob (mapped from the file, or the caller's memory), except
 * for BTF of the other byte order, whose type section is converted once.
 *
 * Every offset and length in the blob is checked when it is opened, so every
 * accessor below is safe on any input that opened successfully. Opening does
 * not check the kernel's semantic rules (that is validation, a separate call).
 */
#ifndef BTFKIT_BTF_H
#define BTFKIT_BTF_H

#include <stddef.h>
#include <stdint.h>

#include <btfkit/api.h>

#ifdef __cplusplus
extern "C" {
#endif

/* BTF kinds, numbered as in the kernel's UAPI. */
enum btfkit_kind {
	BTFKIT_KIND_UNKN = 0,
	BTFKIT_KIND_INT = 1,
	BTFKIT_KIND_PTR = 2,
	BTFKIT_KIND_ARRAY = 3,
	BTFKIT_KIND_STRUCT = 4,
	BTFKIT_KIND_UNION = 5,
	BTFKIT_KIND_ENUM = 6,
	BTFKIT_KIND_FWD = 7,
	BTFKIT_KIND_TYPEDEF = 8,
	BTFKIT_KIND_VOLATILE = 9,
	BTFKIT_KIND_CONST = 10,
	BTFKIT_KIND_RESTRICT = 11,
	BTFKIT_KIND_FUNC = 12,
	BTFKIT_KIND_FUNC_PROTO = 13,
	BTFKIT_KIND_VAR = 14,
	BTFKIT_KIND_DATASEC = 15,
	BTFKIT_KIND_FLOAT = 16,
	BTFKIT_KIND_DECL_TAG = 17,
	BTFKIT_KIND_TYPE_TAG = 18,
	BTFKIT_KIND_ENUM64 = 19,
	BTFKIT_KIND_COUNT = 20, /* kinds this library knows: 0..19 */
};

/* INT encoding bits (btfkit_int_encoding()). */
#define BTFKIT_INT_SIGNED (1u << 0)
#define BTFKIT_INT_CHAR (1u << 1)
#define BTFKIT_INT_BOOL (1u << 2)

/* FUNC linkage (btfkit_type_vlen() of a FUNC) and VAR linkage. */
enum btfkit_linkage {
	BTFKIT_LINKAGE_STATIC = 0,
	BTFKIT_LINKAGE_GLOBAL = 1,
	BTFKIT_LINKAGE_EXTERN = 2,
};

/*
 * The records of a BTF blob, in host byte order. Their layout is the
 * kernel's; the structs are ours so that no kernel header is needed.
 */
struct btfkit_type {
	uint32_t name_off;
	/*
	 * vlen: bits 0-23, kind: bits 24-30, kind_flag: bit 31. Kernels before
	 * the widening (2026) use 16 vlen bits and 5 kind bits and require the
	 * others to be zero, so valid older BTF reads the same either way.
	 */
	uint32_t info;
	union {
		uint32_t size; /* INT, ENUM, STRUCT, UNION, DATASEC, FLOAT, ENUM64 */
		uint32_t type; /* PTR, TYPEDEF, modifiers, FUNC, FUNC_PROTO, VAR, tags */
	};
};
struct btfkit_array {
	uint32_t type;
	uint32_t index_type;
	uint32_t nelems;
};
struct btfkit_member {
	uint32_t name_off;
	uint32_t type;
	uint32_t offset; /* bits; with kind_flag: bitfield_size << 24 | bit offset */
};
struct btfkit_enum {
	uint32_t name_off;
	int32_t val;
};
struct btfkit_enum64 {
	uint32_t name_off;
	uint32_t val_lo32;
	uint32_t val_hi32;
};
struct btfkit_param {
	uint32_t name_off;
	uint32_t type;
};
struct btfkit_var {
	uint32_t linkage;
};
struct btfkit_var_secinfo {
	uint32_t type;
	uint32_t offset;
	uint32_t size;
};
struct btfkit_decl_tag {
	int32_t component_idx;
};

/* ---- Reading one type record: valid for any type returned by this API. ---- */

static inline unsigned btfkit_type_kind(const struct btfkit_type *t)
{
	return (t->info >> 24) & 0x7f;
}
static inline unsigned btfkit_type_vlen(const struct btfkit_type *t)
{
	return t->info & 0xffffff;
}
static inline int btfkit_type_kflag(const struct btfkit_type *t)
{
	return t->info >> 31;
}
/* The trailing data after the 12-byte record: members, params, values... */
static inline const void *btfkit_type_data(const struct btfkit_type *t)
{
	return t + 1;
}
static inline const struct btfkit_member *btfkit_type_members(const struct btfkit_type *t)
{
	return (const struct btfkit_member *)(t + 1);
}
static inline const struct btfkit_param *btfkit_type_params(const struct btfkit_type *t)
{
	return (const struct btfkit_param *)(t + 1);
}
static inline const struct btfkit_enum *btfkit_type_enums(const struct btfkit_type *t)
{
	return (const struct btfkit_enum *)(t + 1);
}
static inline const struct btfkit_enum64 *btfkit_type_enums64(const struct btfkit_type *t)
{
	return (const struct btfkit_enum64 *)(t + 1);
}
static inline const struct btfkit_array *btfkit_type_array(const struct btfkit_type *t)
{
	return (const struct btfkit_array *)(t + 1);
}
static inline const struct btfkit_var_secinfo *btfkit_type_secinfos(const struct btfkit_type *t)
{
	return (const struct btfkit_var_secinfo *)(t + 1);
}
static inline uint32_t btfkit_int_encoding(const struct btfkit_type *t)
{
	return *(const uint32_t *)(t + 1) >> 24;
}
static inline uint32_t btfkit_int_offset(const struct btfkit_type *t)
{
	return (*(const uint32_t *)(t + 1) >> 16) & 0xff;
}
static inline uint32_t btfkit_int_bits(const struct btfkit_type *t)
{
	return *(const uint32_t *)(t + 1) & 0xff;
}
static inline uint32_t btfkit_var_linkage(const struct btfkit_type *t)
{
	return ((const struct btfkit_var *)(t + 1))->linkage;
}
static inline int32_t btfkit_decl_tag_component(const struct btfkit_type *t)
{
	return ((const struct btfkit_decl_tag *)(t + 1))->component_idx;
}
static inline uint64_t btfkit_enum64_value(const struct btfkit_enum64 *e)
{
	return (uint64_t)e->val_hi32 << 32 | e->val_lo32;
}
/* Member i's offset in bits and bitfield width (0: not a bitfield). */
static inline uint32_t btfkit_member_bit_offset(const struct btfkit_type *t, unsigned i)
{
	uint32_t off = btfkit_type_members(t)[i].offset;
	return btfkit_type_kflag(t) ? off & 0xffffff : off;
}
static inline uint32_t btfkit_member_bitfield_size(const struct btfkit_type *t, unsigned i)
{
	return btfkit_type_kflag(t) ? btfkit_type_members(t)[i].offset >> 24 : 0;
}

/* "INT", "STRUCT", ... ; "UNKNOWN" for a kind this library does not know. */
BTFKIT_API const char *btfkit_kind_name(unsigned kind);

/* ---- Opening ---- */

struct btfkit_btf;

/* Flags for btfkit_open_opts.flags. */
enum btfkit_open_flags {
	/*
	 * Do not build the by-id table and the name index while opening; build
	 * them on the first lookup that needs them. Meant for one sequential pass
	 * (btfkit_btf_next(), the dumpers), which then keeps only a window of a
	 * mapped file in memory. The first lookup must not race with other calls
	 * on the same object.
	 */
	BTFKIT_OPEN_LAZY_INDEX = 1u << 0,
	/* For btfkit_btf_open_mem(): copy the caller's bytes instead of borrowing. */
	BTFKIT_OPEN_COPY = 1u << 1,
	/*
	 * Build the by-id table while opening, and the name index on the first
	 * lookup by name; that lookup may race with any other call (unless
	 * BTFKIT_OPEN_LAZY_INDEX is given too, whose rule then holds). For objects
	 * looked up mostly by id, such as a base that modules are checked on:
	 * the name index is about a third of opening kernel BTF.
	 */
	BTFKIT_OPEN_DEFER_NAMES = 1u << 2,
};

/*
 * Options for the open functions. Zero-initialize, set .sz = sizeof(opts),
 * then the fields you need; fields added later will be zero for old callers.
 */
struct btfkit_open_opts {
	size_t sz;
	/* The base for split BTF (itself possibly split); NULL: standalone. */
	const struct btfkit_btf *base;
	unsigned int flags; /* enum btfkit_open_flags */
	/* On failure, one line saying what is wrong (no file name, no newline). */
	char *msg;
	size_t msg_sz;
};

/*
 * Open BTF from a file: a raw BTF blob, or an ELF file (object file, vmlinux,
 * kernel module) whose ".BTF" section is read. The file is mapped, not read.
 * Errors: -ENOENT/-EACCES/... from the file system; -EINVAL for malformed BTF
 * (the message says what); -ENODATA for an ELF file without a .BTF section;
 * -ENOTSUP for a type of a kind this library does not know, in BTF without a
 * layout section; -ENOMEM.
 */
BTFKIT_API struct btfkit_btf *btfkit_btf_open(const char *path, const struct btfkit_open_opts *opts);

/*
 * Open BTF from memory (raw BTF, or an ELF image). Unless BTFKIT_OPEN_COPY is
 * given, the bytes are borrowed and must outlive the object.
 */
BTFKIT_API struct btfkit_btf *btfkit_btf_open_mem(const void *data, size_t size,
						  const struct btfkit_open_opts *opts);

/* Frees the object. A base must outlive every split BTF opened on it. */
BTFKIT_API void btfkit_btf_free(struct btfkit_btf *btf);

/* ---- The object as a whole ---- */

/* One more than the largest type id, base included (id 0 is void). */
BTFKIT_API uint32_t btfkit_btf_type_count(const struct btfkit_btf *btf);
/* The first id of this object's own types: 1, or base's type count if split. */
BTFKIT_API uint32_t btfkit_btf_start_id(const struct btfkit_btf *btf);
BTFKIT_API const struct btfkit_btf *btfkit_btf_base(const struct btfkit_btf *btf);
/* 1 when the blob was of the other byte order than this machine's. */
BTFKIT_API int btfkit_btf_swapped(const struct btfkit_btf *btf);
/* Header fields as found, in host order: flags, hdr_len, and layout section. */
BTFKIT_API uint32_t btfkit_btf_hdr_len(const struct btfkit_btf *btf);
BTFKIT_API int btfkit_btf_has_layout(const struct btfkit_btf *btf);

/* ---- Types and strings ---- */

/*
 * The type with this id (base types included for split BTF); id 0 is void.
 * NULL with errno ENOENT when id is out of range.
 */
BTFKIT_API const struct btfkit_type *btfkit_btf_type(const struct btfkit_btf *btf, uint32_t id);

/* The string at this offset (split: offsets below the base's end are the base's). NULL: invalid. */
BTFKIT_API const char *btfkit_btf_str(const struct btfkit_btf *btf, uint32_t offset);

/* The name of a type: "" when anonymous, NULL (ENOENT) for a bad id. */
BTFKIT_API const char *btfkit_btf_name(const struct btfkit_btf *btf, uint32_t id);

/*
 * Find a type by name: the smallest id > after_id whose name is `name` and
 * whose kind is `kind` (-1: any kind). Base types are searched too.
 * Start with after_id 0; call again with the id found to get the next one.
 * Returns the id, or -ENOENT. O(1) on average through a hash index.
 */
BTFKIT_API int64_t btfkit_btf_find_next(const struct btfkit_btf *btf, const char *name, int kind,
					uint32_t after_id);
static inline int64_t btfkit_btf_find(const struct btfkit_btf *btf, const char *name, int kind)
{
	return btfkit_btf_find_next(btf, name, kind, 0);
}

/*
 * Sequential iteration over this object's own types without using the by-id
 * table: *id starts at 0; each call advances it and returns the type, NULL at
 * the end. Works with BTFKIT_OPEN_LAZY_INDEX without building anything.
 */
struct btfkit_btf_cursor {
	uint32_t id;
	uint32_t pos; /* byte offset in the type section; internal */
};
BTFKIT_API const struct btfkit_type *btfkit_btf_next(const struct btfkit_btf *btf,
						     struct btfkit_btf_cursor *cur);

/*
 * Size in bytes of a type, following typedefs, modifiers and tags; arrays are
 * element size * count. Negative errno: -EINVAL for void, functions and
 * forward declarations, -ELOOP for reference loops, -E2BIG for overflow,
 * -ENOENT for bad ids.
 */
BTFKIT_API int64_t btfkit_btf_resolve_size(const struct btfkit_btf *btf, uint32_t id);
/* Natural alignment of a type in bytes (packed structs: 1), or negative errno. */
BTFKIT_API int64_t btfkit_btf_align(const struct btfkit_btf *btf, uint32_t id);
/* Follow typedefs, modifiers and type tags to the type underneath. */
BTFKIT_API int64_t btfkit_btf_skip_mods(const struct btfkit_btf *btf, uint32_t id);

/* ---- Writing ---- */

enum btfkit_byte_order {
	BTFKIT_ORDER_AS_READ = 0, /* the byte order the blob had */
	BTFKIT_ORDER_LITTLE = 1,
	BTFKIT_ORDER_BIG = 2,
};

/*
 * Serialize this object's own types and strings as a raw BTF blob: header,
 * types, the layout section if the blob had one, then strings. For a blob
 * laid out that way (as pahole, libbpf and the kernel write them), the bytes
 * are the original ones. *data is malloc()ed; free it with free().
 */
BTFKIT_API int btfkit_btf_serialize(const struct btfkit_btf *btf, enum btfkit_byte_order order,
				    void **data, size_t *size);

#ifdef __cplusplus
}
#endif

#endif /* BTFKIT_BTF_H */
