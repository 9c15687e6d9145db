// SPDX-License-Identifier: BSD-2-Clause
/* See btf_builder.h. Allocation failure aborts: this is test code. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf_builder.h"

/* Kind numbers as in the kernel UAPI; spelled here so that the builder needs no library header. */
enum {
	K_INT = 1, K_PTR, K_ARRAY, K_STRUCT, K_UNION, K_ENUM, K_FWD, K_TYPEDEF, K_VOLATILE,
	K_CONST, K_RESTRICT, K_FUNC, K_FUNC_PROTO, K_VAR, K_DATASEC, K_FLOAT, K_DECL_TAG,
	K_TYPE_TAG, K_ENUM64, K_COUNT
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "btf_builder: out of memory\n");
		abort();
	}
	return p;
}

void bb_init(struct btf_builder *b)
{
	memset(b, 0, sizeof(*b));
	b->start_id = 1;
	b->hdr_len = 24;
	bb_raw_str(b, "", 1); /* offset 0 is the empty name */
}

void bb_init_split(struct btf_builder *b, uint32_t start_id, uint32_t start_str_off)
{
	memset(b, 0, sizeof(*b));
	b->start_id = start_id;
	b->start_str_off = start_str_off;
	b->hdr_len = 24;
}

void bb_init_split_on(struct btf_builder *b, const struct btf_builder *base)
{
	bb_init_split(b, bb_next_id(base), bb_str_end(base));
}

void bb_free(struct btf_builder *b)
{
	free(b->types);
	free(b->strs);
	memset(b, 0, sizeof(*b));
}

uint32_t bb_next_id(const struct btf_builder *b)
{
	return b->start_id + b->nr_types;
}

uint32_t bb_str_end(const struct btf_builder *b)
{
	return b->start_str_off + (uint32_t)b->strs_len;
}

void bb_raw_str(struct btf_builder *b, const void *bytes, size_t len)
{
	if (b->strs_len + len > b->strs_cap) {
		b->strs_cap = (b->strs_len + len) * 2 + 64;
		b->strs = xrealloc(b->strs, b->strs_cap);
	}
	memcpy(b->strs + b->strs_len, bytes, len);
	b->strs_len += len;
}

uint32_t bb_find_str(const struct btf_builder *b, const char *s)
{
	size_t n = strlen(s), i = 0;

	/* Only whole strings count: a match must start after a NUL. */
	while (i < b->strs_len) {
		size_t len = strnlen(b->strs + i, b->strs_len - i);

		if (len == n && memcmp(b->strs + i, s, n) == 0 && i + len < b->strs_len)
			return b->start_str_off + (uint32_t)i;
		i += len + 1;
	}
	return 0;
}

uint32_t bb_str(struct btf_builder *b, const char *s)
{
	uint32_t off;

	if (!s || !*s)
		return 0;
	off = bb_find_str(b, s);
	if (off)
		return off;
	off = bb_str_end(b);
	bb_raw_str(b, s, strlen(s) + 1);
	return off;
}

uint32_t bb_info(unsigned kind, int kflag, uint32_t vlen)
{
	return (kflag ? 1u << 31 : 0) | (uint32_t)(kind & 0x7f) << 24 | (vlen & 0xffffff);
}

void bb_raw_word(struct btf_builder *b, uint32_t word)
{
	if (b->types_len + 4 > b->types_cap) {
		b->types_cap = b->types_cap * 2 + 256;
		b->types = xrealloc(b->types, b->types_cap);
	}
	memcpy(b->types + b->types_len, &word, 4);
	b->types_len += 4;
}

uint32_t bb_raw_type(struct btf_builder *b, uint32_t name_off, uint32_t info, uint32_t size_or_type)
{
	b->last = b->types_len;
	bb_raw_word(b, name_off);
	bb_raw_word(b, info);
	bb_raw_word(b, size_or_type);
	return b->start_id + b->nr_types++;
}

static uint32_t add(struct btf_builder *b, const char *name, unsigned kind, int kflag,
		    uint32_t vlen, uint32_t size_or_type)
{
	return bb_raw_type(b, bb_str(b, name), bb_info(kind, kflag, vlen), size_or_type);
}

/* One more element on the last type: bump its vlen. */
static void grow_vlen(struct btf_builder *b)
{
	uint32_t info;

	memcpy(&info, b->types + b->last + 4, 4);
	info = (info & 0xff000000u) | (((info & 0xffffff) + 1) & 0xffffff);
	memcpy(b->types + b->last + 4, &info, 4);
}

uint32_t bb_int(struct btf_builder *b, const char *name, uint32_t size, uint32_t encoding,
		uint32_t bit_offset, uint32_t nr_bits)
{
	uint32_t id = add(b, name, K_INT, 0, 0, size);

	bb_raw_word(b, (encoding & 0xf) << 24 | (bit_offset & 0xff) << 16 | (nr_bits & 0xff));
	return id;
}

uint32_t bb_ptr(struct btf_builder *b, uint32_t type)
{
	return add(b, NULL, K_PTR, 0, 0, type);
}

uint32_t bb_array(struct btf_builder *b, uint32_t elem_type, uint32_t index_type, uint32_t nelems)
{
	uint32_t id = add(b, NULL, K_ARRAY, 0, 0, 0);

	bb_raw_word(b, elem_type);
	bb_raw_word(b, index_type);
	bb_raw_word(b, nelems);
	return id;
}

uint32_t bb_struct(struct btf_builder *b, const char *name, uint32_t size, int kflag)
{
	return add(b, name, K_STRUCT, kflag, 0, size);
}

uint32_t bb_union(struct btf_builder *b, const char *name, uint32_t size, int kflag)
{
	return add(b, name, K_UNION, kflag, 0, size);
}

void bb_member(struct btf_builder *b, const char *name, uint32_t type, uint32_t bit_offset,
	       uint32_t bitfield_size)
{
	grow_vlen(b);
	bb_raw_word(b, bb_str(b, name));
	bb_raw_word(b, type);
	bb_raw_word(b, bitfield_size << 24 | bit_offset);
}

void bb_member_raw(struct btf_builder *b, uint32_t name_off, uint32_t type, uint32_t offset_word)
{
	grow_vlen(b);
	bb_raw_word(b, name_off);
	bb_raw_word(b, type);
	bb_raw_word(b, offset_word);
}

uint32_t bb_enum(struct btf_builder *b, const char *name, uint32_t size, int is_signed)
{
	return add(b, name, K_ENUM, is_signed, 0, size);
}

void bb_enum_val(struct btf_builder *b, const char *name, int64_t val)
{
	grow_vlen(b);
	bb_raw_word(b, bb_str(b, name));
	bb_raw_word(b, (uint32_t)val);
}

uint32_t bb_enum64(struct btf_builder *b, const char *name, uint32_t size, int is_signed)
{
	return add(b, name, K_ENUM64, is_signed, 0, size);
}

void bb_enum64_val(struct btf_builder *b, const char *name, uint64_t val)
{
	grow_vlen(b);
	bb_raw_word(b, bb_str(b, name));
	bb_raw_word(b, (uint32_t)val);
	bb_raw_word(b, (uint32_t)(val >> 32));
}

uint32_t bb_fwd(struct btf_builder *b, const char *name, int is_union)
{
	return add(b, name, K_FWD, is_union, 0, 0);
}

uint32_t bb_typedef(struct btf_builder *b, const char *name, uint32_t type)
{
	return add(b, name, K_TYPEDEF, 0, 0, type);
}

uint32_t bb_volatile(struct btf_builder *b, uint32_t type)
{
	return add(b, NULL, K_VOLATILE, 0, 0, type);
}

uint32_t bb_const(struct btf_builder *b, uint32_t type)
{
	return add(b, NULL, K_CONST, 0, 0, type);
}

uint32_t bb_restrict(struct btf_builder *b, uint32_t type)
{
	return add(b, NULL, K_RESTRICT, 0, 0, type);
}

uint32_t bb_func(struct btf_builder *b, const char *name, uint32_t proto, uint32_t linkage)
{
	/* A FUNC's linkage lives in its vlen. */
	return add(b, name, K_FUNC, 0, linkage, proto);
}

uint32_t bb_func_proto(struct btf_builder *b, uint32_t ret_type)
{
	return add(b, NULL, K_FUNC_PROTO, 0, 0, ret_type);
}

void bb_param(struct btf_builder *b, const char *name, uint32_t type)
{
	grow_vlen(b);
	bb_raw_word(b, bb_str(b, name));
	bb_raw_word(b, type);
}

uint32_t bb_var(struct btf_builder *b, const char *name, uint32_t type, uint32_t linkage)
{
	uint32_t id = add(b, name, K_VAR, 0, 0, type);

	bb_raw_word(b, linkage);
	return id;
}

uint32_t bb_datasec(struct btf_builder *b, const char *name, uint32_t size)
{
	return add(b, name, K_DATASEC, 0, 0, size);
}

void bb_secinfo(struct btf_builder *b, uint32_t type, uint32_t offset, uint32_t size)
{
	grow_vlen(b);
	bb_raw_word(b, type);
	bb_raw_word(b, offset);
	bb_raw_word(b, size);
}

uint32_t bb_float(struct btf_builder *b, const char *name, uint32_t size)
{
	return add(b, name, K_FLOAT, 0, 0, size);
}

uint32_t bb_decl_tag(struct btf_builder *b, const char *name, uint32_t type, int32_t component_idx)
{
	uint32_t id = add(b, name, K_DECL_TAG, 0, 0, type);

	bb_raw_word(b, (uint32_t)component_idx);
	return id;
}

uint32_t bb_type_tag(struct btf_builder *b, const char *name, uint32_t type)
{
	return add(b, name, K_TYPE_TAG, 0, 0, type);
}

uint32_t bb_unknown(struct btf_builder *b, unsigned kind, const char *name, uint32_t vlen,
		    uint32_t size_or_type, uint32_t info_sz, uint32_t elem_sz)
{
	uint32_t id = add(b, name, kind, 0, vlen, size_or_type);
	uint32_t words = (info_sz + vlen * elem_sz) / 4;

	/* Distinct, asymmetric words, so that a byte-order mix-up shows. */
	for (uint32_t i = 0; i < words; i++)
		bb_raw_word(b, 0xa0b0c000u + i);
	return id;
}

void bb_set_hdr_len(struct btf_builder *b, uint32_t hdr_len)
{
	b->hdr_len = hdr_len;
}

struct bb_layout_entry bb_known_layout(unsigned kind)
{
	struct bb_layout_entry e = { 0, 0, 0 };

	switch (kind) {
	case K_INT:
	case K_VAR:
	case K_DECL_TAG:
		e.info_sz = 4;
		break;
	case K_ARRAY:
		e.info_sz = 12;
		break;
	case K_STRUCT:
	case K_UNION:
	case K_DATASEC:
	case K_ENUM64:
		e.elem_sz = 12;
		break;
	case K_ENUM:
	case K_FUNC_PROTO:
		e.elem_sz = 8;
		break;
	default:
		break;
	}
	return e;
}

void bb_add_layout(struct btf_builder *b, uint32_t nr_kinds)
{
	if (nr_kinds > BB_MAX_KINDS)
		nr_kinds = BB_MAX_KINDS;
	b->has_layout = true;
	b->hdr_len = 32;
	b->layout_n = nr_kinds;
	for (unsigned k = 0; k < nr_kinds; k++)
		b->layout[k] = bb_known_layout(k);
}

void bb_layout_entry(struct btf_builder *b, unsigned kind, uint8_t info_sz, uint8_t elem_sz,
		     uint16_t flags)
{
	if (kind >= BB_MAX_KINDS)
		return;
	if (!b->has_layout)
		bb_add_layout(b, K_COUNT);
	while (b->layout_n <= kind) {
		b->layout[b->layout_n] = bb_known_layout(b->layout_n);
		b->layout_n++;
	}
	b->layout[kind] = (struct bb_layout_entry){ info_sz, elem_sz, flags };
}

void bb_put_u32(uint8_t *p, uint32_t v, enum bb_order order)
{
	for (int i = 0; i < 4; i++) {
		int shift = order == BB_BIG ? 8 * (3 - i) : 8 * i;

		p[i] = (uint8_t)(v >> shift);
	}
}

uint32_t bb_get_u32(const uint8_t *p, enum bb_order order)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++) {
		int shift = order == BB_BIG ? 8 * (3 - i) : 8 * i;

		v |= (uint32_t)p[i] << shift;
	}
	return v;
}

static void put_u16(uint8_t *p, uint16_t v, enum bb_order order)
{
	p[order == BB_BIG ? 0 : 1] = (uint8_t)(v >> 8);
	p[order == BB_BIG ? 1 : 0] = (uint8_t)v;
}

uint8_t *bb_finish(const struct btf_builder *b, enum bb_order order, size_t *size)
{
	uint32_t layout_len = b->has_layout ? b->layout_n * 4 : 0;
	uint32_t types_len = (uint32_t)b->types_len, strs_len = (uint32_t)b->strs_len;
	size_t total = b->hdr_len + types_len + layout_len + strs_len;
	uint8_t *out = xrealloc(NULL, total), *p;

	memset(out, 0, b->hdr_len);
	put_u16(out, 0xeb9f, order);
	out[2] = 1;
	out[3] = b->hdr_flags;
	bb_put_u32(out + 4, b->hdr_len, order);
	bb_put_u32(out + 8, 0, order);
	bb_put_u32(out + 12, types_len, order);
	bb_put_u32(out + 16, types_len + layout_len, order);
	bb_put_u32(out + 20, strs_len, order);
	if (b->hdr_len >= 32) {
		bb_put_u32(out + 24, layout_len ? types_len : 0, order);
		bb_put_u32(out + 28, layout_len, order);
	}
	p = out + b->hdr_len;
	for (uint32_t i = 0; i < types_len; i += 4) {
		uint32_t w;

		memcpy(&w, b->types + i, 4);
		bb_put_u32(p + i, w, order);
	}
	p += types_len;
	for (uint32_t k = 0; k < layout_len / 4; k++) {
		p[4 * k] = b->layout[k].info_sz;
		p[4 * k + 1] = b->layout[k].elem_sz;
		put_u16(p + 4 * k + 2, b->layout[k].flags, order);
	}
	p += layout_len;
	if (strs_len)
		memcpy(p, b->strs, strs_len);
	*size = total;
	return out;
}

int bb_write_file(const struct btf_builder *b, enum bb_order order, const char *path)
{
	size_t size;
	uint8_t *blob = bb_finish(b, order, &size);
	FILE *f = fopen(path, "wb");
	int err = 0;

	if (!f) {
		err = -errno;
	} else {
		if (fwrite(blob, 1, size, f) != size)
			err = -EIO;
		if (fclose(f) != 0 && !err)
			err = -errno;
	}
	free(blob);
	return err;
}
