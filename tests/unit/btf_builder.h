/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Building raw BTF blobs by hand, for tests and test tools.
 *
 * Tests need BTF whose every byte they know: exact values at the edges of
 * each field, kinds no compiler emits together, and broken blobs that no
 * real tool writes. This builder appends types and strings in host order and
 * writes the blob in either byte order at the end. It checks nothing: it
 * writes whatever it is told, which is the point for the hostile tests.
 *
 * No cmocka here: the test tools (tests/tools/) link this too.
 */
#ifndef BTFKIT_TESTS_BTF_BUILDER_H
#define BTFKIT_TESTS_BTF_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum bb_order {
	BB_LITTLE = 0,
	BB_BIG = 1,
};

/* Known layout of one kind: bytes after the 12-byte record, bytes per vlen element. */
struct bb_layout_entry {
	uint8_t info_sz;
	uint8_t elem_sz;
	uint16_t flags;
};

#define BB_MAX_KINDS 128

struct btf_builder {
	uint8_t *types; /* host-order 32-bit words */
	size_t types_len, types_cap;
	char *strs;
	size_t strs_len, strs_cap;
	uint32_t start_id;      /* id of the first type added */
	uint32_t start_str_off; /* offset of the first string byte of this blob */
	uint32_t nr_types;
	size_t last; /* offset of the last type record: elements go there */
	uint32_t hdr_len;
	uint8_t hdr_flags;
	bool has_layout;
	uint32_t layout_n; /* entries written */
	struct bb_layout_entry layout[BB_MAX_KINDS];
};

/* A standalone blob: ids from 1, strings start with the empty name "\0". */
void bb_init(struct btf_builder *b);
/*
 * A split blob continuing a base whose type count is start_id and whose
 * strings end at start_str_off. Its string section starts empty (as libbpf
 * and pahole write them); name offset 0 is still the base's "".
 */
void bb_init_split(struct btf_builder *b, uint32_t start_id, uint32_t start_str_off);
/* Split on top of another builder's blob. */
void bb_init_split_on(struct btf_builder *b, const struct btf_builder *base);
void bb_free(struct btf_builder *b);

/* The next id bb_* will return; the type count of the finished blob. */
uint32_t bb_next_id(const struct btf_builder *b);
/* One past the last string offset of this blob (the base of a split on it). */
uint32_t bb_str_end(const struct btf_builder *b);

/* Strings: the offset of s (added once; "" and NULL are offset 0). */
uint32_t bb_str(struct btf_builder *b, const char *s);
/* Offset of an existing string of this builder, or 0 if absent. */
uint32_t bb_find_str(const struct btf_builder *b, const char *s);
/* Raw bytes appended to the string section (may leave it unterminated). */
void bb_raw_str(struct btf_builder *b, const void *bytes, size_t len);

/* The info word: vlen bits 0-23, kind bits 24-30, kind_flag bit 31. */
uint32_t bb_info(unsigned kind, int kflag, uint32_t vlen);

/* ---- One function per kind; each returns the new type's id. ---- */
uint32_t bb_int(struct btf_builder *b, const char *name, uint32_t size, uint32_t encoding,
		uint32_t bit_offset, uint32_t nr_bits);
uint32_t bb_ptr(struct btf_builder *b, uint32_t type);
uint32_t bb_array(struct btf_builder *b, uint32_t elem_type, uint32_t index_type, uint32_t nelems);
/* Members follow with bb_member(); with kflag, bitfield sizes go in the offset's top byte. */
uint32_t bb_struct(struct btf_builder *b, const char *name, uint32_t size, int kflag);
uint32_t bb_union(struct btf_builder *b, const char *name, uint32_t size, int kflag);
void bb_member(struct btf_builder *b, const char *name, uint32_t type, uint32_t bit_offset,
	       uint32_t bitfield_size);
/* A member with a raw name offset and offset word (names from a base, odd offsets). */
void bb_member_raw(struct btf_builder *b, uint32_t name_off, uint32_t type, uint32_t offset_word);
/* Values follow with bb_enum_val() / bb_enum64_val(); is_signed is the kind_flag. */
uint32_t bb_enum(struct btf_builder *b, const char *name, uint32_t size, int is_signed);
void bb_enum_val(struct btf_builder *b, const char *name, int64_t val); /* low 32 bits kept */
uint32_t bb_enum64(struct btf_builder *b, const char *name, uint32_t size, int is_signed);
void bb_enum64_val(struct btf_builder *b, const char *name, uint64_t val);
uint32_t bb_fwd(struct btf_builder *b, const char *name, int is_union);
uint32_t bb_typedef(struct btf_builder *b, const char *name, uint32_t type);
uint32_t bb_volatile(struct btf_builder *b, uint32_t type);
uint32_t bb_const(struct btf_builder *b, uint32_t type);
uint32_t bb_restrict(struct btf_builder *b, uint32_t type);
uint32_t bb_func(struct btf_builder *b, const char *name, uint32_t proto, uint32_t linkage);
/* Params follow with bb_param(); a vararg is bb_param(b, NULL, 0). */
uint32_t bb_func_proto(struct btf_builder *b, uint32_t ret_type);
void bb_param(struct btf_builder *b, const char *name, uint32_t type);
uint32_t bb_var(struct btf_builder *b, const char *name, uint32_t type, uint32_t linkage);
/* Entries follow with bb_secinfo(). */
uint32_t bb_datasec(struct btf_builder *b, const char *name, uint32_t size);
void bb_secinfo(struct btf_builder *b, uint32_t type, uint32_t offset, uint32_t size);
uint32_t bb_float(struct btf_builder *b, const char *name, uint32_t size);
uint32_t bb_decl_tag(struct btf_builder *b, const char *name, uint32_t type, int32_t component_idx);
uint32_t bb_type_tag(struct btf_builder *b, const char *name, uint32_t type);

/*
 * A type of a kind the library does not know (20 and up): the record, then
 * info_sz bytes, then vlen * elem_sz bytes, filled with a recognisable
 * pattern. Readers can only step over it through the layout section.
 */
uint32_t bb_unknown(struct btf_builder *b, unsigned kind, const char *name, uint32_t vlen,
		    uint32_t size_or_type, uint32_t info_sz, uint32_t elem_sz);

/* ---- Raw access for hostile blobs ---- */
/* A 12-byte record counted as a type; trailing data follows with bb_raw_word(). */
uint32_t bb_raw_type(struct btf_builder *b, uint32_t name_off, uint32_t info, uint32_t size_or_type);
void bb_raw_word(struct btf_builder *b, uint32_t word);

/* ---- Header and layout ---- */
void bb_set_hdr_len(struct btf_builder *b, uint32_t hdr_len); /* 24 (default) or 32 */
/*
 * Add a layout section (which makes the header 32 bytes) holding entries for
 * kinds 0..nr_kinds-1; known kinds get their real shape, others 0/0 until
 * bb_layout_entry() sets them.
 */
void bb_add_layout(struct btf_builder *b, uint32_t nr_kinds);
void bb_layout_entry(struct btf_builder *b, unsigned kind, uint8_t info_sz, uint8_t elem_sz,
		     uint16_t flags);
/* The shape of known kinds, as the layout section describes them. */
struct bb_layout_entry bb_known_layout(unsigned kind);

/* ---- Output ---- */
/*
 * The blob, malloc()ed: header, types, layout (if any), strings, with no
 * gaps. In big-endian order every u32 of the header and the types is
 * swapped, the magic reads 0x9f 0xeb... as a u16, the layout's flags u16 is
 * swapped and strings are bytes.
 */
uint8_t *bb_finish(const struct btf_builder *b, enum bb_order order, size_t *size);
/* Write the blob to a file; 0 or -errno. */
int bb_write_file(const struct btf_builder *b, enum bb_order order, const char *path);

/* Store v at p in the given order (for patching finished blobs). */
void bb_put_u32(uint8_t *p, uint32_t v, enum bb_order order);
uint32_t bb_get_u32(const uint8_t *p, enum bb_order order);

#endif /* BTFKIT_TESTS_BTF_BUILDER_H */
