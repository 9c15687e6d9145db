// SPDX-License-Identifier: BSD-2-Clause
/*
 * Prototype likeness: two FUNC_PROTOs are alike when they have the same
 * number of parameters and the same return and parameter types, parameter
 * names ignored. Types are compared by structure (kind, name, size; through
 * pointers, typedefs, modifiers and arrays), so that a module's prototype can
 * be compared with vmlinux's: struct and union bodies are compared by name
 * and size only, which is what a tracing program relies on.
 */
#include <string.h>

#include <btfkit/btf.h>

#include "resolve_int.h"

#define DEPTH_MAX 32

static bool protos_alike(const struct btfkit_btf *a, uint32_t pa, const struct btfkit_btf *b,
			 uint32_t pb, int depth);

static bool types_alike(const struct btfkit_btf *a, uint32_t ia, const struct btfkit_btf *b,
			uint32_t ib, int depth)
{
	for (; depth < DEPTH_MAX; depth++) {
		const struct btfkit_type *ta, *tb;
		const char *na, *nb;
		unsigned kind;

		if (a == b && ia == ib)
			return true;
		if (!ia || !ib)
			return ia == ib;
		ta = btfkit_btf_type(a, ia);
		tb = btfkit_btf_type(b, ib);
		if (!ta || !tb)
			return false;
		kind = btfkit_type_kind(ta);
		if (kind != btfkit_type_kind(tb))
			return false;
		na = btfkit_btf_str(a, ta->name_off);
		nb = btfkit_btf_str(b, tb->name_off);
		if (!na || !nb || strcmp(na, nb) != 0)
			return false;
		switch (kind) {
		case BTFKIT_KIND_INT:
		case BTFKIT_KIND_FLOAT:
		case BTFKIT_KIND_ENUM:
		case BTFKIT_KIND_ENUM64:
		case BTFKIT_KIND_STRUCT:
		case BTFKIT_KIND_UNION:
			return ta->size == tb->size;
		case BTFKIT_KIND_FWD:
			return btfkit_type_kflag(ta) == btfkit_type_kflag(tb);
		case BTFKIT_KIND_ARRAY:
			if (btfkit_type_array(ta)->nelems != btfkit_type_array(tb)->nelems)
				return false;
			ia = btfkit_type_array(ta)->type;
			ib = btfkit_type_array(tb)->type;
			continue;
		case BTFKIT_KIND_FUNC_PROTO:
			return protos_alike(a, ia, b, ib, depth + 1);
		default:
			/* PTR, TYPEDEF, modifiers, tags: what they refer to */
			ia = ta->type;
			ib = tb->type;
			continue;
		}
	}
	return false;
}

/* depth bounds the recursion through function pointers in parameters. */
static bool protos_alike(const struct btfkit_btf *a, uint32_t pa, const struct btfkit_btf *b,
			 uint32_t pb, int depth)
{
	const struct btfkit_type *ta = btfkit_btf_type(a, pa), *tb = btfkit_btf_type(b, pb);
	unsigned n;

	if (!ta || !tb || btfkit_type_kind(ta) != BTFKIT_KIND_FUNC_PROTO ||
	    btfkit_type_kind(tb) != BTFKIT_KIND_FUNC_PROTO)
		return false;
	n = btfkit_type_vlen(ta);
	if (depth >= DEPTH_MAX || n != btfkit_type_vlen(tb) ||
	    !types_alike(a, ta->type, b, tb->type, depth))
		return false;
	for (unsigned i = 0; i < n; i++)
		if (!types_alike(a, btfkit_type_params(ta)[i].type, b, btfkit_type_params(tb)[i].type,
				 depth))
			return false;
	return true;
}

bool rs_protos_alike(const struct btfkit_btf *a, uint32_t pa, const struct btfkit_btf *b, uint32_t pb)
{
	return protos_alike(a, pa, b, pb, 0);
}
