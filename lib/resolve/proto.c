// SPDX-License-Identifier: BSD-2-Clause
/*
 * Prototype likeness: two FUNC_PROTOs are alike when they have the same
 * number of parameters and the same return and parameter types, parameter
 * names ignored. Types are compared by structure (kind, name, size; through
 * pointers, typedefs, modifiers and arrays), so that a module's prototype can
 * be compared with vmlinux's: struct and union bodies are compared by name
 * and size only, which is what a tracing program relies on.
 */
#include <stdio.h>
#include <string.h>

#include <btfkit/btf.h>
#include <btfkit/validate.h>

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

/* ---- what the kernel's trampoline takes (btf_distill_func_proto, the x86 JIT) ---- */

static const struct btfkit_type *skip_mods(const struct btfkit_btf *btf, uint32_t *id)
{
	for (int i = 0; i < DEPTH_MAX; i++) {
		const struct btfkit_type *t = btfkit_btf_type(btf, *id);
		unsigned k;

		if (!t || !*id)
			return t;
		k = btfkit_type_kind(t);
		if (k != BTFKIT_KIND_TYPEDEF && k != BTFKIT_KIND_CONST && k != BTFKIT_KIND_VOLATILE &&
		    k != BTFKIT_KIND_RESTRICT && k != BTFKIT_KIND_TYPE_TAG)
			return t;
		*id = t->type;
	}
	return NULL;
}

/* Aggregates an argument may be (by kernel version). */
enum { TAKE_STRUCT = 1, TAKE_UNION = 2 };

/* Bytes the trampoline saves for a value of this type; 0 for void; -1: not a kind it takes. */
static int64_t value_size(const struct btfkit_btf *btf, uint32_t id, unsigned take)
{
	const struct btfkit_type *t = skip_mods(btf, &id);

	if (!id)
		return 0;
	if (!t)
		return -1;
	switch (btfkit_type_kind(t)) {
	case BTFKIT_KIND_PTR:
		return 8;
	case BTFKIT_KIND_INT:
	case BTFKIT_KIND_ENUM:
	case BTFKIT_KIND_ENUM64:
		return t->size;
	case BTFKIT_KIND_STRUCT:
		return take & TAKE_STRUCT ? (int64_t)t->size : -1;
	case BTFKIT_KIND_UNION:
		return take & TAKE_UNION ? (int64_t)t->size : -1;
	default:
		return -1; /* floats, ... */
	}
}

static bool is_union(const struct btfkit_btf *btf, uint32_t id)
{
	const struct btfkit_type *t = skip_mods(btf, &id);

	return t && id && btfkit_type_kind(t) == BTFKIT_KIND_UNION;
}

bool rs_proto_problem(const struct btfkit_btf *btf, uint32_t proto_id, uint32_t version, char *buf,
		      size_t sz)
{
	const struct btfkit_type *t = btfkit_btf_type(btf, proto_id);
	/*
	 * Struct arguments from 6.1 (720e6a435194), union arguments from 6.18
	 * (ccb4f5d91ec4 "bpf: Allow union argument in trampoline based
	 * programs"); an unknown version is taken as new. Returns stay scalar.
	 */
	unsigned take = (!version || version >= BTFKIT_KERNEL_VERSION(6, 1, 0) ? TAKE_STRUCT : 0) |
			(!version || version >= BTFKIT_KERNEL_VERSION(6, 18, 0) ? TAKE_UNION : 0);
	unsigned n, regs = 0, max_regs;
	int64_t s;

	if (!t || btfkit_type_kind(t) != BTFKIT_KIND_FUNC_PROTO)
		return false;
	n = btfkit_type_vlen(t);
	s = value_size(btf, t->type, 0);
	if (s < 0) {
		snprintf(buf, sz, "its return type (a struct, union or float) is one the trampoline cannot take");
		return true;
	}
	if (n > 12) {
		snprintf(buf, sz, "it has %u arguments; the kernel takes at most 12", n);
		return true;
	}
	for (unsigned i = 0; i < n; i++) {
		uint32_t at = btfkit_type_params(t)[i].type;

		if (!at && i == n - 1) {
			snprintf(buf, sz, "it has variable arguments");
			return true;
		}
		s = value_size(btf, at, take);
		if (s <= 0 || s > 16) {
			snprintf(buf, sz, "argument %u is of a type the trampoline cannot take%s", i + 1,
				 s > 16 ? " (a struct or union of more than 16 bytes)" :
				 is_union(btf, at) ? " (a union: taken from 6.18)" : "");
			return true;
		}
		regs += s > 8 ? 2 : 1;
	}
	/* x86-64 trampolines use the six argument registers only before 6.6. */
	max_regs = version && version < BTFKIT_KERNEL_VERSION(6, 6, 0) ? 6 : 12;
	if (regs > max_regs) {
		snprintf(buf, sz, "its arguments take %u registers; this kernel's trampoline takes %u (ENOTSUPP at attach)",
			 regs, max_regs);
		return true;
	}
	return false;
}
