// SPDX-License-Identifier: BSD-2-Clause
/*
 * The sorted dump order (BTFKIT_CDUMP_SORT, documented in
 * include/btfkit/cdump.h): types compared by rank of kind, sort name, own
 * name and a hash of their content, so that the order does not depend on
 * type ids and headers of two builds of a kernel diff cleanly. The ranks,
 * names and hash follow newer bpftool's sorted C dump.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cdump_int.h"

#define RANK_LAST 10

struct sort_key {
	uint32_t id;
	int rank;
	const char *sort_name;
	const char *own_name;
	uint64_t hash;
};

/* DECL_TAGs are followed here, and theirs is the one reference that may dangle. */
static int rank_of(const struct cdump *d, uint32_t id, bool has_name, unsigned depth)
{
	const struct btfkit_type *t;

	if (depth > CD_MAX_DEPTH || id >= d->nr_types)
		return RANK_LAST;
	t = d->types[id];
	if (t->name_off)
		has_name = true;
	switch (btfkit_type_kind(t)) {
	case BTFKIT_KIND_ENUM:
	case BTFKIT_KIND_ENUM64:
		return has_name ? 1 : 0;
	case BTFKIT_KIND_INT:
	case BTFKIT_KIND_FLOAT:
		return 2;
	case BTFKIT_KIND_STRUCT:
	case BTFKIT_KIND_UNION:
		return has_name ? 3 : RANK_LAST;
	case BTFKIT_KIND_FUNC_PROTO:
		return has_name ? 4 : RANK_LAST;
	case BTFKIT_KIND_ARRAY:
		return has_name ? rank_of(d, btfkit_type_array(t)->type, true, depth + 1) : RANK_LAST;
	case BTFKIT_KIND_TYPE_TAG:
	case BTFKIT_KIND_CONST:
	case BTFKIT_KIND_PTR:
	case BTFKIT_KIND_VOLATILE:
	case BTFKIT_KIND_RESTRICT:
	case BTFKIT_KIND_TYPEDEF:
	case BTFKIT_KIND_DECL_TAG:
		return has_name ? rank_of(d, t->type, true, depth + 1) : RANK_LAST;
	default:
		return RANK_LAST;
	}
}

static const char *sort_name_of(const struct cdump *d, uint32_t id, bool from_ref,
				unsigned depth)
{
	const struct btfkit_type *t;

	if (depth > CD_MAX_DEPTH || id >= d->nr_types)
		return "";
	t = d->types[id];
	switch (btfkit_type_kind(t)) {
	case BTFKIT_KIND_ENUM:
	case BTFKIT_KIND_ENUM64: {
		uint32_t name_off = t->name_off;

		/* An anonymous enum on its own goes by its first enumerator. */
		if (!from_ref && !name_off && btfkit_type_vlen(t))
			name_off = btfkit_type_kind(t) == BTFKIT_KIND_ENUM
					   ? btfkit_type_enums(t)[0].name_off
					   : btfkit_type_enums64(t)[0].name_off;
		return cd_str(d, name_off);
	}
	case BTFKIT_KIND_ARRAY:
		return sort_name_of(d, btfkit_type_array(t)->type, true, depth + 1);
	case BTFKIT_KIND_TYPE_TAG:
	case BTFKIT_KIND_CONST:
	case BTFKIT_KIND_PTR:
	case BTFKIT_KIND_VOLATILE:
	case BTFKIT_KIND_RESTRICT:
	case BTFKIT_KIND_TYPEDEF:
	case BTFKIT_KIND_DECL_TAG:
		return sort_name_of(d, t->type, true, depth + 1);
	default:
		return cd_str(d, t->name_off);
	}
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	return h * 31 + v;
}

/* A string's hash: h = h * 31 + byte, over its bytes. */
static uint64_t mix_name(const struct cdump *d, uint64_t h, uint32_t name_off)
{
	uint64_t sh = 0;

	if (!name_off)
		return h;
	for (const char *s = cd_str(d, name_off); *s; s++)
		sh = sh * 31 + (unsigned char)*s;
	return mix(h, sh);
}

/* Tells apart types of one name: enumerators, members (with their types' names), lengths. */
static uint64_t content_hash(const struct cdump *d, uint32_t id, bool members, unsigned depth)
{
	const struct btfkit_type *t;
	unsigned vlen;
	uint64_t h = 0;

	if (depth > CD_MAX_DEPTH || id >= d->nr_types)
		return 0;
	t = d->types[id];
	vlen = btfkit_type_vlen(t);
	h = mix_name(d, h, t->name_off);
	switch (btfkit_type_kind(t)) {
	case BTFKIT_KIND_ENUM:
		for (unsigned i = 0; i < vlen; i++)
			h = mix_name(d, h, btfkit_type_enums(t)[i].name_off);
		break;
	case BTFKIT_KIND_ENUM64:
		for (unsigned i = 0; i < vlen; i++)
			h = mix_name(d, h, btfkit_type_enums64(t)[i].name_off);
		break;
	case BTFKIT_KIND_STRUCT:
	case BTFKIT_KIND_UNION:
		if (!members)
			break;
		for (unsigned i = 0; i < vlen; i++) {
			const struct btfkit_member *m = &btfkit_type_members(t)[i];

			h = mix_name(d, h, m->name_off);
			h = mix(h, content_hash(d, m->type, false, depth + 1));
		}
		break;
	case BTFKIT_KIND_TYPE_TAG:
	case BTFKIT_KIND_CONST:
	case BTFKIT_KIND_PTR:
	case BTFKIT_KIND_VOLATILE:
	case BTFKIT_KIND_RESTRICT:
	case BTFKIT_KIND_TYPEDEF:
	case BTFKIT_KIND_DECL_TAG:
		h = mix(h, content_hash(d, t->type, members, depth + 1));
		break;
	case BTFKIT_KIND_ARRAY: {
		const struct btfkit_array *a = btfkit_type_array(t);

		h = mix(h, a->nelems);
		h = mix(h, content_hash(d, a->type, members, depth + 1));
		break;
	}
	default:
		break;
	}
	return h;
}

static int compare_keys(const void *pa, const void *pb)
{
	const struct sort_key *a = pa, *b = pb;
	int r;

	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	r = strcmp(a->sort_name, b->sort_name);
	if (r)
		return r;
	r = strcmp(a->own_name, b->own_name);
	if (r)
		return r;
	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

int cd_sort_ids(const struct cdump *d, uint32_t *ids, size_t n)
{
	struct sort_key *keys;

	if (n < 2)
		return 0;
	keys = malloc(n * sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		uint32_t id = ids[i];

		keys[i] = (struct sort_key){
			.id = id,
			.rank = rank_of(d, id, false, 0),
			.sort_name = sort_name_of(d, id, false, 0),
			.own_name = cd_str(d, d->types[id]->name_off),
			.hash = content_hash(d, id, true, 0),
		};
	}
	qsort(keys, n, sizeof(*keys), compare_keys);
	for (size_t i = 0; i < n; i++)
		ids[i] = keys[i].id;
	free(keys);
	return 0;
}
