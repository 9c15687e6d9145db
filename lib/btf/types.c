// SPDX-License-Identifier: BSD-2-Clause
/*
 * The type API: ids to types, offsets to strings, sizes and alignments.
 * Ids and offsets read out of types are untrusted; everything here checks
 * them before following them, and every chain it follows is bounded.
 */
#include <errno.h>

#include <btfkit/btfkit.h>

#include "btf_int.h"

/* Longer chains of typedefs/modifiers/arrays than this are loops (the kernel allows 32). */
#define MAX_CHAIN 64

static const struct btfkit_type void_type;

const char *btfkit_version(void)
{
	return "0.1.0";
}

static int ensure_index(const struct btfkit_btf *btf)
{
	if (btf->type_offs)
		return 0;
	/* See BTFKIT_OPEN_LAZY_INDEX: the first lookup builds the table. */
	return btf_build_offsets((struct btfkit_btf *)btf, NULL, 0);
}

const struct btfkit_btf *btf_type_owner(const struct btfkit_btf *btf, uint32_t id)
{
	while (id && id < btf->start_id)
		btf = btf->base;
	return btf;
}

/* A lazy object walks from the nearest checkpoint: at most 63 records. */
static const struct btfkit_type *type_from_checkpoint(const struct btfkit_btf *btf, uint32_t idx)
{
	uint32_t pos = btf->checkpoints[idx / BTF_CHECKPOINT_EVERY];

	for (uint32_t n = idx % BTF_CHECKPOINT_EVERY; n; n--)
		pos += btf_type_size(btf, (const struct btfkit_type *)(btf->types + pos));
	return (const struct btfkit_type *)(btf->types + pos);
}

const struct btfkit_type *btf_type_by_id(const struct btfkit_btf *btf, uint32_t id)
{
	if (id == 0)
		return &void_type;
	btf = btf_type_owner(btf, id);
	if (id - btf->start_id >= btf->nr_types)
		return NULL;
	if (!btf->type_offs && btf->checkpoints)
		return type_from_checkpoint(btf, id - btf->start_id);
	if (ensure_index(btf))
		return NULL;
	return btf_own_type(btf, id - btf->start_id);
}

const struct btfkit_type *btfkit_btf_type(const struct btfkit_btf *btf, uint32_t id)
{
	const struct btfkit_type *t;

	if (!btf)
		return btf_err_ptr(-EINVAL);
	t = btf_type_by_id(btf, id);
	return t ? t : btf_err_ptr(-ENOENT);
}

const char *btfkit_btf_str(const struct btfkit_btf *btf, uint32_t offset)
{
	const char *s;

	if (!btf)
		return btf_err_ptr(-EINVAL);
	s = btf_str(btf, offset);
	return s ? s : btf_err_ptr(-ENOENT);
}

const char *btfkit_btf_name(const struct btfkit_btf *btf, uint32_t id)
{
	const struct btfkit_type *t = btfkit_btf_type(btf, id);
	const char *s;

	if (!t)
		return NULL;
	/* A base type's name is the base's string, whoever asks (the index agrees). */
	s = btf_str(btf_type_owner(btf, id), t->name_off);
	return s ? s : btf_err_ptr(-ENOENT);
}

uint32_t btfkit_btf_type_count(const struct btfkit_btf *btf)
{
	return btf ? btf->start_id + btf->nr_types : 0;
}

uint32_t btfkit_btf_start_id(const struct btfkit_btf *btf)
{
	return btf ? btf->start_id : 0;
}

const struct btfkit_btf *btfkit_btf_base(const struct btfkit_btf *btf)
{
	return btf ? btf->base : NULL;
}

int btfkit_btf_swapped(const struct btfkit_btf *btf)
{
	return btf && btf->swapped;
}

uint32_t btfkit_btf_hdr_len(const struct btfkit_btf *btf)
{
	return btf ? btf->hdr_len : 0;
}

int btfkit_btf_has_layout(const struct btfkit_btf *btf)
{
	return btf && btf->has_layout;
}

const struct btfkit_type *btfkit_btf_next(const struct btfkit_btf *btf,
					  struct btfkit_btf_cursor *cur)
{
	const struct btfkit_type *t;

	if (!btf || !cur)
		return btf_err_ptr(-EINVAL);
	if (cur->id == 0) {
		cur->id = btf->start_id - 1;
		cur->pos = 0;
	}
	/* The walk at open proved that every record up to types_len is whole. */
	if (cur->pos >= btf->types_len)
		return NULL;
	t = (const struct btfkit_type *)(btf->types + cur->pos);
	cur->pos += btf_type_size(btf, t);
	cur->id++;
	return t;
}

static bool is_modifier(unsigned kind)
{
	return kind == BTFKIT_KIND_TYPEDEF || kind == BTFKIT_KIND_VOLATILE ||
	       kind == BTFKIT_KIND_CONST || kind == BTFKIT_KIND_RESTRICT ||
	       kind == BTFKIT_KIND_TYPE_TAG;
}

/* Kinds whose size and alignment are those of the type they refer to. */
static bool is_alias(unsigned kind)
{
	return is_modifier(kind) || kind == BTFKIT_KIND_VAR || kind == BTFKIT_KIND_DECL_TAG;
}

int64_t btfkit_btf_skip_mods(const struct btfkit_btf *btf, uint32_t id)
{
	if (!btf)
		return btf_err(-EINVAL);
	for (int i = 0; i < MAX_CHAIN; i++) {
		const struct btfkit_type *t = btf_type_by_id(btf, id);

		if (!t)
			return btf_err(-ENOENT);
		if (!is_modifier(btfkit_type_kind(t)))
			return id;
		id = t->type;
	}
	return btf_err(-ELOOP);
}

int64_t btfkit_btf_resolve_size(const struct btfkit_btf *btf, uint32_t id)
{
	uint64_t nelems = 1;

	if (!btf)
		return btf_err(-EINVAL);
	for (int i = 0; i < MAX_CHAIN; i++) {
		const struct btfkit_type *t = btf_type_by_id(btf, id);
		uint64_t size;

		if (!t)
			return btf_err(-ENOENT);
		if (is_alias(btfkit_type_kind(t))) {
			id = t->type;
			continue;
		}
		/* The kind table says which kinds carry their size in bytes. */
		if (btf_kind_sized(btfkit_type_kind(t))) {
			size = t->size;
		} else if (btfkit_type_kind(t) == BTFKIT_KIND_PTR) {
			/* BTF carries no pointer size; kernel BTF is for 64-bit targets. */
			size = 8;
		} else if (btfkit_type_kind(t) == BTFKIT_KIND_ARRAY) {
			const struct btfkit_array *a = btfkit_type_array(t);

			if (a->nelems && nelems > (uint64_t)INT64_MAX / a->nelems)
				return btf_err(-E2BIG);
			nelems *= a->nelems;
			id = a->type;
			continue;
		} else {
			return btf_err(-EINVAL);
		}
		if (size && nelems > (uint64_t)INT64_MAX / size)
			return btf_err(-E2BIG);
		return (int64_t)(size * nelems);
	}
	return btf_err(-ELOOP);
}

/*
 * Alignment recurses into members; `depth` bounds the nesting and `budget`
 * the total work, so that hostile BTF (self-containing structs, wide trees of
 * wide structs) ends quickly.
 */
static int64_t align_of(const struct btfkit_btf *btf, uint32_t id, uint32_t *budget,
			unsigned depth)
{
	if (depth > MAX_CHAIN)
		return -ELOOP;
	for (int i = 0; i < MAX_CHAIN; i++) {
		const struct btfkit_type *t = btf_type_by_id(btf, id);

		if (!t)
			return -ENOENT;
		if (!*budget)
			return -E2BIG;
		--*budget;
		if (is_alias(btfkit_type_kind(t))) {
			id = t->type;
			continue;
		}
		switch (btfkit_type_kind(t)) {
		case BTFKIT_KIND_INT:
		case BTFKIT_KIND_ENUM:
		case BTFKIT_KIND_ENUM64:
		case BTFKIT_KIND_FLOAT: {
			uint32_t size = t->size;

			/* Alignment of a scalar is its size, up to 8 bytes. */
			return size < 8 ? (size ? size : 1) : 8;
		}
		case BTFKIT_KIND_PTR:
			return 8;
		case BTFKIT_KIND_ARRAY:
			id = btfkit_type_array(t)->type;
			continue;
		case BTFKIT_KIND_STRUCT:
		case BTFKIT_KIND_UNION: {
			const struct btfkit_member *m = btfkit_type_members(t);
			unsigned vlen = btfkit_type_vlen(t);
			int64_t max = 1;

			/* The largest member alignment; a member at a lesser offset means packed. */
			for (unsigned j = 0; j < vlen; j++) {
				int64_t a = align_of(btf, m[j].type, budget, depth + 1);

				if (a < 0)
					return a;
				if (a > max)
					max = a;
				if (!btfkit_member_bitfield_size(t, j) &&
				    (btfkit_member_bit_offset(t, j) % (8 * a)) != 0)
					return 1;
			}
			return t->size % max ? 1 : max;
		}
		default:
			return -EINVAL;
		}
	}
	return -ELOOP;
}

int64_t btfkit_btf_align(const struct btfkit_btf *btf, uint32_t id)
{
	uint32_t budget = 1u << 20;
	int64_t a;

	if (!btf)
		return btf_err(-EINVAL);
	a = align_of(btf, id, &budget, 0);
	return a < 0 ? btf_err((int)a) : a;
}
