// SPDX-License-Identifier: BSD-2-Clause
/*
 * Ordering: which definitions a type needs, and in which order, for C to
 * accept them. A depth-first walk from the requested type queues each named
 * definition after everything it embeds.
 *
 * C needs a complete type where it is embedded (a member by value, an array
 * element), but only a declaration where it is reached through a pointer:
 * `struct A *p;` compiles with just `struct A;` before it. Anonymous types
 * are written inline, so what they embed is embedded by their container,
 * even through a pointer. The walk therefore reports, for each link, whether
 * it is strong (1: define it first) or weak (0: a forward declaration will
 * do); a pointer makes the link to a named struct/union, or to a typedef of
 * something weak, weak.
 *
 * Only kinds that are definitions of their own (struct, union, enum, fwd,
 * typedef) get ORDERING/ORDERED states: a struct met again while ORDERING is
 * a loop, fine through a pointer to a named struct, an error otherwise.
 * Pointers, INTs and FLOATs become ORDERED once visited, which changes what
 * a second visit reports (ORDERED reports strong) - libbpf does the same,
 * and the order of typedefs depends on it.
 */
#include <errno.h>
#include <stdlib.h>

#include "cdump_int.h"

static int enqueue(struct cdump *d, uint32_t id)
{
	if (d->queue_len == d->queue_cap) {
		uint32_t cap = d->queue_cap ? d->queue_cap * 2 : 256;
		uint32_t *q = realloc(d->queue, cap * sizeof(*q));

		if (!q)
			return -ENOMEM;
		d->queue = q;
		d->queue_cap = cap;
	}
	d->queue[d->queue_len++] = id;
	return 0;
}

static void set_order(struct cdump *d, uint32_t id, uint8_t bits)
{
	d->state[id] = (uint8_t)((d->state[id] & ~CD_ORDER_MASK) | bits);
}

static int order_composite(struct cdump *d, uint32_t id, const struct btfkit_type *t,
			   bool through_ptr, unsigned depth)
{
	const struct btfkit_member *m = btfkit_type_members(t);
	unsigned vlen = btfkit_type_vlen(t);
	int err;

	/* Behind a pointer, a named struct only needs `struct X;`. */
	if (through_ptr && t->name_off)
		return 0;
	set_order(d, id, CD_ORDERING);
	for (unsigned i = 0; i < vlen; i++) {
		err = cd_order(d, m[i].type, false, depth + 1);
		if (err < 0)
			return err;
	}
	/* Anonymous ones are written inline where they are used. */
	if (t->name_off) {
		err = enqueue(d, id);
		if (err)
			return err;
	}
	set_order(d, id, CD_ORDERED);
	return 1;
}

static int order_func_proto(struct cdump *d, const struct btfkit_type *t, bool through_ptr,
			    unsigned depth)
{
	const struct btfkit_param *p = btfkit_type_params(t);
	unsigned vlen = btfkit_type_vlen(t);
	int err, strong;

	err = cd_order(d, t->type, through_ptr, depth + 1);
	if (err < 0)
		return err;
	strong = err > 0;
	for (unsigned i = 0; i < vlen; i++) {
		err = cd_order(d, p[i].type, through_ptr, depth + 1);
		if (err < 0)
			return err;
		if (err > 0)
			strong = 1;
	}
	return strong;
}

int cd_order(struct cdump *d, uint32_t id, bool through_ptr, unsigned depth)
{
	const struct btfkit_type *t = d->types[id];
	uint8_t st = d->state[id];
	int err;

	if (st & CD_ORDERED)
		return 1;
	if (depth > CD_MAX_DEPTH)
		return -ELOOP;
	if (!cd_spend(d))
		return d->err; /* -E2BIG, or the sink's error */
	if (st & CD_ORDERING) {
		unsigned kind = btfkit_type_kind(t);

		/* A loop C can express: through a pointer to a named struct/union. */
		if ((kind == BTFKIT_KIND_STRUCT || kind == BTFKIT_KIND_UNION) && through_ptr &&
		    t->name_off)
			return 0;
		return -ELOOP;
	}

	switch (btfkit_type_kind(t)) {
	case BTFKIT_KIND_INT:
	case BTFKIT_KIND_FLOAT:
		set_order(d, id, CD_ORDERED);
		return 0;
	case BTFKIT_KIND_PTR:
		err = cd_order(d, t->type, true, depth + 1);
		set_order(d, id, CD_ORDERED);
		return err;
	case BTFKIT_KIND_ARRAY:
		return cd_order(d, btfkit_type_array(t)->type, false, depth + 1);
	case BTFKIT_KIND_STRUCT:
	case BTFKIT_KIND_UNION:
		return order_composite(d, id, t, through_ptr, depth);
	case BTFKIT_KIND_ENUM:
	case BTFKIT_KIND_ENUM64:
	case BTFKIT_KIND_FWD:
		/*
		 * Named ones are declarations of their own; so is an anonymous
		 * enum nothing refers to (a set of constants). Anonymous enums
		 * that something uses are written inline there.
		 */
		if (t->name_off || !(st & CD_REFERENCED)) {
			err = enqueue(d, id);
			if (err)
				return err;
		}
		set_order(d, id, CD_ORDERED);
		return 1;
	case BTFKIT_KIND_TYPEDEF: {
		int strong = cd_order(d, t->type, through_ptr, depth + 1);

		if (strong < 0)
			return strong;
		/* Like a struct: behind a pointer, it can come later. */
		if (through_ptr && !strong)
			return 0;
		err = enqueue(d, id);
		if (err)
			return err;
		set_order(d, id, CD_ORDERED);
		return 1;
	}
	case BTFKIT_KIND_VOLATILE:
	case BTFKIT_KIND_CONST:
	case BTFKIT_KIND_RESTRICT:
	case BTFKIT_KIND_TYPE_TAG:
		return cd_order(d, t->type, through_ptr, depth + 1);
	case BTFKIT_KIND_FUNC_PROTO:
		return order_func_proto(d, t, through_ptr, depth);
	default:
		/*
		 * FUNC, VAR, DATASEC, DECL_TAG have no C definition in a header
		 * (libbpf ignores them too), nor do kinds this library only
		 * steps over (libbpf refuses those).
		 */
		set_order(d, id, CD_ORDERED);
		return 0;
	}
}
