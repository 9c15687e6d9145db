// SPDX-License-Identifier: BSD-2-Clause
/*
 * The second pass: follow every reference, depth first, with the kernel's
 * explicit stack of 32 vertices. A type is resolved when what it refers to
 * is; a back edge is a loop. The "resolve mode" decides where a walk may
 * stop: a pointer only needs its target to exist, a struct or an array needs
 * the sizes of what it contains.
 *
 * Order matters as much as the rules: the kernel reports the first failure it
 * meets, against the type it was resolving then, so the walk below visits
 * types, members and references in the kernel's order.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "validate_int.h"
#include "../btf/btf_int.h"

#define ROUNDUP_BYTES(bits) (((bits) >> 3) + !!((bits) & 7))

/* ---- the resolve bookkeeping ---- */

static bool is_sink(const struct v_env *env, const struct btfkit_type *next)
{
	unsigned k = v_kind(next);

	switch (env->mode) {
	case V_RESOLVE_TBD:
		return !v_needs_resolve(next);
	case V_RESOLVE_PTR:
		/* int, enum, void, struct, array, func, func_proto end a pointer's walk */
		return !v_is_modifier(next) && k != BTFKIT_KIND_PTR;
	case V_RESOLVE_STRUCT_OR_ARRAY:
		/* int, enum, void, ptr, func, func_proto end a struct's or array's walk */
		return !v_is_modifier(next) && k != BTFKIT_KIND_ARRAY && !v_is_struct(next);
	}
	return true;
}

static bool is_resolved(const struct v_env *env, uint32_t id)
{
	const struct v_btf *b = env->btf;

	/* Base types were resolved when the base was checked. */
	if (id < b->start_id)
		return true;
	return b->visit[id - b->start_id] == V_RESOLVED;
}

static int push(struct v_env *env, const struct btfkit_type *t, uint32_t id)
{
	struct v_btf *b = env->btf;
	struct v_vertex *v;

	if (env->top == V_RESOLVE_DEPTH)
		return -E2BIG;
	if (id < b->start_id || b->visit[id - b->start_id] != V_NOT_VISITED)
		return -EEXIST;
	b->visit[id - b->start_id] = V_VISITED;
	v = &env->stack[env->top++];
	v->t = t;
	v->type_id = id;
	v->next_member = 0;
	if (env->mode == V_RESOLVE_TBD) {
		if (v_kind(t) == BTFKIT_KIND_PTR)
			env->mode = V_RESOLVE_PTR;
		else if (v_is_struct(t) || v_kind(t) == BTFKIT_KIND_ARRAY)
			env->mode = V_RESOLVE_STRUCT_OR_ARRAY;
	}
	return 0;
}

static void pop_resolved(struct v_env *env, uint32_t resolved_id, uint32_t resolved_size)
{
	struct v_btf *b = env->btf;
	uint32_t idx = env->stack[--env->top].type_id - b->start_id;

	b->resolved[idx].id = resolved_id;
	b->resolved[idx].size = resolved_size;
	b->visit[idx] = V_RESOLVED;
}

static uint32_t resolved_id(const struct v_btf *b, uint32_t id)
{
	while (id < b->start_id)
		b = b->base;
	return b->resolved[id - b->start_id].id;
}

static uint32_t resolved_size(const struct v_btf *b, uint32_t id)
{
	while (id < b->start_id)
		b = b->base;
	return b->resolved[id - b->start_id].size;
}

/* The type a resolved modifier, pointer or variable ends at. */
static const struct btfkit_type *id_resolve(const struct v_btf *b, uint32_t *id)
{
	*id = resolved_id(b, *id);
	return v_type(b, *id);
}

/*
 * The type that gives `*type_id` its size, through resolved modifiers and
 * variables; NULL for types without one (void, fwd, functions). On success
 * *type_id becomes that type's id.
 */
const struct btfkit_type *v_type_id_size(const struct v_btf *b, uint32_t *type_id,
					 uint32_t *ret_size)
{
	/* DECL_TAG counts as sizeless here whatever the rules: it is never resolved through. */
	const uint32_t nosize = V_BIT(FWD) | V_BIT(FUNC) | V_BIT(FUNC_PROTO) | V_BIT(DECL_TAG);
	uint32_t id = *type_id, size;
	const struct btfkit_type *t = v_type(b, id);

	if (!t || v_is_void(t) || v_kind_in(t, nosize))
		return NULL;
	if (v_has_size(t)) {
		size = t->size;
	} else if (v_kind(t) == BTFKIT_KIND_ARRAY) {
		size = resolved_size(b, id);
	} else if (v_kind(t) == BTFKIT_KIND_PTR) {
		size = 8;
	} else {
		if (!v_is_modifier(t) && v_kind(t) != BTFKIT_KIND_VAR)
			return NULL;
		id = resolved_id(b, id);
		t = v_type(b, id);
		if (!t || v_is_void(t) || v_kind_in(t, nosize))
			return NULL;
		if (v_has_size(t))
			size = t->size;
		else if (v_kind(t) == BTFKIT_KIND_ARRAY)
			size = resolved_size(b, id);
		else if (v_kind(t) == BTFKIT_KIND_PTR)
			size = 8;
		else
			return NULL;
	}
	*type_id = id;
	if (ret_size)
		*ret_size = size;
	return t;
}

/* ---- resolve, per kind ---- */

/*
 * The walk every reference (modifier, pointer, variable) starts with: does
 * the target exist, and must it be walked first? With `to_ptr`, a target
 * modifier that ends at a pointer still to be walked is walked too (pointers
 * and variables). Returns a negative errno, 1 when it pushed a vertex (the
 * caller is resumed later), or 0 to finish the reference now.
 */
static int walk_ref(struct v_env *env, struct v_vertex *v, const struct btfkit_type *next,
		    uint32_t next_id, bool to_ptr)
{
	int err;

	if (!next || v_source_only(next)) {
		v_log_type(env, v->t, true, "Invalid type_id");
		return -EINVAL;
	}
	if (!is_sink(env, next) && !is_resolved(env, next_id)) {
		err = push(env, next, next_id);
		return err ? err : 1;
	}
	if (to_ptr && v_is_modifier(next)) {
		uint32_t rid = next_id;
		const struct btfkit_type *rt = id_resolve(env->btf, &rid);

		if (rt && v_kind(rt) == BTFKIT_KIND_PTR && !is_sink(env, rt) &&
		    !is_resolved(env, rid)) {
			err = push(env, rt, rid);
			return err ? err : 1;
		}
	}
	return 0;
}

/* "typedef void new_void", "const void", pointers to void, fwd or a prototype. */
static int finish_ref(struct v_env *env, struct v_vertex *v, const struct btfkit_type *next,
		      uint32_t next_id)
{
	if (!v_type_id_size(env->btf, &next_id, NULL)) {
		if (is_resolved(env, next_id))
			next = id_resolve(env->btf, &next_id);
		if (!v_is_void(next) && v_kind(next) != BTFKIT_KIND_FWD &&
		    v_kind(next) != BTFKIT_KIND_FUNC_PROTO) {
			v_log_type(env, v->t, true, "Invalid type_id");
			return -EINVAL;
		}
	}
	pop_resolved(env, next_id, 0);
	return 0;
}

int v_modifier_resolve(struct v_env *env, struct v_vertex *v)
{
	uint32_t next_id = v->t->type;
	const struct btfkit_type *next = v_type(env->btf, next_id);
	int r = walk_ref(env, v, next, next_id, false);

	return r ? (r < 0 ? r : 0) : finish_ref(env, v, next, next_id);
}

int v_ptr_resolve(struct v_env *env, struct v_vertex *v)
{
	uint32_t next_id = v->t->type;
	const struct btfkit_type *next = v_type(env->btf, next_id);
	int r = walk_ref(env, v, next, next_id, true);

	return r ? (r < 0 ? r : 0) : finish_ref(env, v, next, next_id);
}

int v_var_resolve(struct v_env *env, struct v_vertex *v)
{
	uint32_t next_id = v->t->type;
	const struct btfkit_type *next = v_type(env->btf, next_id);
	int r = walk_ref(env, v, next, next_id, true);

	if (r)
		return r < 0 ? r : 0;
	/* A variable needs a concrete type: nothing that has no size. */
	if (!v_type_id_size(env->btf, &next_id, NULL)) {
		v_log_type(env, v->t, true, "Invalid type_id");
		return -EINVAL;
	}
	pop_resolved(env, next_id, 0);
	return 0;
}

int v_array_resolve(struct v_env *env, struct v_vertex *v)
{
	const struct btfkit_array *a = btfkit_type_array(v->t);
	uint32_t index_id = a->index_type, elem_id = a->type, elem_size;
	const struct btfkit_type *index = v_type(env->btf, index_id), *elem;

	if (v_nosize_or_null(env, index) || v_source_only(index)) {
		v_log_type(env, v->t, true, "Invalid index");
		return -EINVAL;
	}
	if (!is_sink(env, index) && !is_resolved(env, index_id))
		return push(env, index, index_id);
	index = v_type_id_size(env->btf, &index_id, NULL);
	if (!index || v_kind(index) != BTFKIT_KIND_INT || !v_int_regular(index)) {
		v_log_type(env, v->t, true, "Invalid index");
		return -EINVAL;
	}

	elem = v_type(env->btf, elem_id);
	if (v_nosize_or_null(env, elem) || v_source_only(elem)) {
		v_log_type(env, v->t, true, "Invalid elem");
		return -EINVAL;
	}
	if (!is_sink(env, elem) && !is_resolved(env, elem_id))
		return push(env, elem, elem_id);
	elem = v_type_id_size(env->btf, &elem_id, &elem_size);
	if (!elem) {
		v_log_type(env, v->t, true, "Invalid elem");
		return -EINVAL;
	}
	if (v_kind(elem) == BTFKIT_KIND_INT && !v_int_regular(elem)) {
		v_log_type(env, v->t, true, "Invalid array of int");
		return -EINVAL;
	}
	if (a->nelems && elem_size > UINT32_MAX / a->nelems) {
		v_log_type(env, v->t, true, "Array size overflows U32_MAX");
		return -EINVAL;
	}
	pop_resolved(env, elem_id, elem_size * a->nelems);
	return 0;
}

static int check_one_member(struct v_env *env, const struct btfkit_type *st,
			    const struct btfkit_member *m, const struct btfkit_type *mt, int32_t idx)
{
	const struct v_kind_ops *ops = &v_kind_ops[v_kind(mt)];

	env->cur_member = idx;
	return v_kflag(st) ? ops->check_kflag_member(env, st, m, mt)
			   : ops->check_member(env, st, m, mt);
}

int v_struct_resolve(struct v_env *env, struct v_vertex *v)
{
	const struct btfkit_member *members = btfkit_type_members(v->t);
	int err;

	/* Back from resolving a member: check it now that its size is known. */
	if (v->next_member) {
		const struct btfkit_member *last = &members[v->next_member - 1];
		uint32_t last_id = env->rules.struct_last_member_u32 ? last->type
								     : (uint16_t)last->type;

		if (!is_resolved(env, last_id)) {
			v_fail_silent(env, v->type_id, "member %u of a struct resolved out of order",
				      v->next_member - 1u);
			return -EINVAL;
		}
		err = check_one_member(env, v->t, last, v_type(env->btf, last_id),
				       v->next_member - 1);
		if (err)
			return err;
	}
	for (uint32_t i = v->next_member; i < v_vlen(v->t); i++) {
		const struct btfkit_member *m = &members[i];
		const struct btfkit_type *mt = v_type(env->btf, m->type);

		if (v_nosize_or_null(env, mt) || v_source_only(mt)) {
			v_log_member(env, v->t, m, i, "Invalid member");
			return -EINVAL;
		}
		if (!is_sink(env, mt) && !is_resolved(env, m->type)) {
			v->next_member = (uint16_t)(i + 1);
			return push(env, mt, m->type);
		}
		err = check_one_member(env, v->t, m, mt, i);
		if (err)
			return err;
	}
	pop_resolved(env, 0, 0);
	return 0;
}

int v_datasec_resolve(struct v_env *env, struct v_vertex *v)
{
	const struct btfkit_var_secinfo *vsi = btfkit_type_secinfos(v->t);

	env->mode = V_RESOLVE_TBD;
	for (uint32_t i = v->next_member; i < v_vlen(v->t); i++) {
		uint32_t var_id = vsi[i].type, type_id, type_size = 0;
		const struct btfkit_type *var = v_type(env->btf, var_id);

		if (!var || v_kind(var) != BTFKIT_KIND_VAR) {
			v_log_vsi(env, v->t, &vsi[i], i, "Not a VAR kind member");
			return -EINVAL;
		}
		if (!is_sink(env, var) && !is_resolved(env, var_id)) {
			v->next_member = (uint16_t)(i + 1);
			return push(env, var, var_id);
		}
		type_id = var->type;
		if (!v_type_id_size(env->btf, &type_id, &type_size)) {
			v_log_vsi(env, v->t, &vsi[i], i, "Invalid type");
			return -EINVAL;
		}
		if (vsi[i].size < type_size) {
			v_log_vsi(env, v->t, &vsi[i], i, "Invalid size");
			return -EINVAL;
		}
	}
	pop_resolved(env, 0, 0);
	return 0;
}

int32_t v_func_unnamed_param(const struct v_btf *b, const struct btfkit_type *t)
{
	const struct btfkit_type *proto = v_type(b, t->type);
	const struct btfkit_param *args;

	if (!proto || v_kind(proto) != BTFKIT_KIND_FUNC_PROTO)
		return V_FUNC_NOT_PROTO;
	args = btfkit_type_params(proto);
	for (uint32_t i = 0; i < v_vlen(proto); i++)
		if (!args[i].name_off && args[i].type)
			return (int32_t)i;
	return -1;
}

static int func_check(struct v_env *env, const struct btfkit_type *t)
{
	int32_t bad = v_func_unnamed_param(env->btf, t);

	if (bad == V_FUNC_NOT_PROTO) {
		v_log_type(env, t, true, "Invalid type_id");
		return -EINVAL;
	}
	if (bad >= 0) {
		v_log_type(env, t, true, "Invalid arg#%u", (unsigned)bad + 1);
		env->out->member = bad;
		return -EINVAL;
	}
	return 0;
}

int v_func_resolve(struct v_env *env, struct v_vertex *v)
{
	int err = func_check(env, v->t);

	if (err)
		return err;
	pop_resolved(env, v->t->type, 0);
	return 0;
}

int v_decl_tag_resolve(struct v_env *env, struct v_vertex *v)
{
	uint32_t next_id = v->t->type, vlen;
	const struct btfkit_type *next = v_type(env->btf, next_id);
	int32_t component = ((const struct btfkit_decl_tag *)(v->t + 1))->component_idx;
	unsigned k = next ? v_kind(next) : 0;

	if (!next || !(k == BTFKIT_KIND_FUNC || v_is_struct(next) || k == BTFKIT_KIND_VAR ||
		       k == BTFKIT_KIND_TYPEDEF)) {
		v_log_type(env, v->t, true, "Invalid type_id");
		return -EINVAL;
	}
	if (!is_sink(env, next) && !is_resolved(env, next_id))
		return push(env, next, next_id);
	if (component != -1) {
		if (k == BTFKIT_KIND_VAR || k == BTFKIT_KIND_TYPEDEF) {
			v_log_type(env, v->t, true, "Invalid component_idx");
			return -EINVAL;
		}
		if (!v_is_struct(next)) {
			/* A function's components are its prototype's parameters. */
			next = v_type(env->btf, next->type);
		}
		vlen = next ? v_vlen(next) : 0;
		if ((uint32_t)component >= vlen) {
			v_log_type(env, v->t, true, "Invalid component_idx");
			return -EINVAL;
		}
	}
	pop_resolved(env, next_id, 0);
	return 0;
}

int v_unsupported_resolve(struct v_env *env, struct v_vertex *v)
{
	v_log_type(env, v->t, false, "Unsupported resolve");
	return -EINVAL;
}

/* ---- the pass ---- */

/* After a resolve, the kernel checks that what it recorded makes sense. */
static bool resolve_valid(const struct v_env *env, const struct btfkit_type *t, uint32_t id)
{
	const struct v_btf *b = env->btf;
	unsigned k = v_kind(t);

	if (!is_resolved(env, id))
		return false;
	if (v_is_struct(t) || k == BTFKIT_KIND_DATASEC)
		return !resolved_id(b, id) && !resolved_size(b, id);
	if (k == BTFKIT_KIND_DECL_TAG || k == BTFKIT_KIND_FUNC)
		return resolved_id(b, id) && !resolved_size(b, id);
	if (v_is_modifier(t) || k == BTFKIT_KIND_PTR || k == BTFKIT_KIND_VAR) {
		const struct btfkit_type *r = id_resolve(b, &id);

		return r && !v_is_modifier(r) && v_kind(r) != BTFKIT_KIND_VAR &&
		       v_kind(r) != BTFKIT_KIND_DATASEC;
	}
	if (k == BTFKIT_KIND_ARRAY) {
		const struct btfkit_array *a = btfkit_type_array(t);
		uint32_t elem_id = a->type, elem_size;
		const struct btfkit_type *elem = v_type_id_size(b, &elem_id, &elem_size);

		return elem && !v_is_modifier(elem) &&
		       a->nelems * elem_size == resolved_size(b, id);
	}
	return false;
}

static int resolve(struct v_env *env, const struct btfkit_type *t, uint32_t id)
{
	uint32_t saved = env->log_type_id;
	int err = 0;

	env->mode = V_RESOLVE_TBD;
	push(env, t, id);
	while (!err && env->top) {
		struct v_vertex *v = &env->stack[env->top - 1];

		env->log_type_id = v->type_id;
		err = v_kind_ops[v_kind(v->t)].resolve(env, v);
	}
	env->log_type_id = id;
	if (err == -E2BIG)
		v_log_type(env, t, true, "Exceeded max resolving depth:%u", V_RESOLVE_DEPTH);
	else if (err == -EEXIST)
		v_log_type(env, t, true, "Loop detected");
	if (!err && !resolve_valid(env, t, id)) {
		v_log_type(env, t, true, "Invalid resolve state");
		err = -EINVAL;
	}
	env->log_type_id = saved;
	return err;
}

/*
 * v_type_id_size(id) != NULL, from kinds alone (see there): does the type,
 * or what a resolved modifier or variable ends at, have a size?
 */
static bool id_has_size(const struct v_btf *b, uint32_t id)
{
	const uint32_t sized = V_SIZED | V_BIT(ARRAY) | V_BIT(PTR);
	unsigned k = v_kind_of(b, id);

	if (k == V_NO_TYPE)
		return false;
	if ((sized >> k) & 1)
		return true;
	if (!((V_MODIFIERS | V_BIT(VAR)) >> k & 1))
		return false;
	k = v_kind_of(b, resolved_id(b, id));
	return k != V_NO_TYPE && ((sized >> k) & 1);
}

/* A prototype's return and parameter types, resolved on demand. */
static int func_proto_check(struct v_env *env, const struct btfkit_type *t)
{
	const struct btfkit_param *args = btfkit_type_params(t);
	uint32_t nr = v_vlen(t);
	int err;

	if (t->type) {
		/* From the kinds table: the record is read only if it must be resolved. */
		uint32_t ret_id = t->type;
		unsigned k = v_kind_of(env->btf, ret_id);

		if (k == V_NO_TYPE || (V_SOURCE_ONLY >> k & 1)) {
			v_log_type(env, t, true, "Invalid return type");
			return -EINVAL;
		}
		if ((V_NEEDS_RESOLVE >> k & 1) && !is_resolved(env, ret_id)) {
			err = resolve(env, v_type(env->btf, ret_id), ret_id);
			if (err)
				return err;
		}
		if (!id_has_size(env->btf, ret_id)) {
			v_log_type(env, t, true, "Invalid return type");
			return -EINVAL;
		}
	}
	if (!nr)
		return 0;
	/* A last parameter of type void is "...": it must have no name. */
	if (!args[nr - 1].type) {
		if (args[nr - 1].name_off) {
			v_log_type(env, t, true, "Invalid arg#%u", nr);
			env->out->member = (int32_t)nr - 1;
			return -EINVAL;
		}
		nr--;
	}
	for (uint32_t i = 0; i < nr; i++) {
		uint32_t arg_id = args[i].type;
		unsigned k = v_kind_of(env->btf, arg_id);
		bool bad = k == V_NO_TYPE || (V_SOURCE_ONLY >> k & 1);

		if (!bad && args[i].name_off)
			bad = !v_name_offset_valid(env->btf, args[i].name_off) ||
			      !v_valid_identifier(env, args[i].name_off);
		if (!bad && (V_NEEDS_RESOLVE >> k & 1) && !is_resolved(env, arg_id)) {
			err = resolve(env, v_type(env->btf, arg_id), arg_id);
			if (err)
				return err;
		}
		if (bad || !id_has_size(env->btf, arg_id)) {
			v_log_type(env, t, true, "Invalid arg#%u", i + 1);
			env->out->member = (int32_t)i;
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Has the work-ahead thread found FUNC `local` sound (its prototype exists and
 * names every parameter)? Then its resolve cannot fail. False: not known.
 */
static bool func_checked_ahead(const struct v_btf *b, uint32_t local)
{
	if (!b->func_ok || local >= atomic_load_explicit(&b->func_checked, memory_order_acquire))
		return false;
	return (b->func_ok[local >> 6] >> (local & 63)) & 1;
}

int v_check_all_types(struct v_env *env)
{
	struct v_btf *b = env->btf;
	int err;

	b->resolved = btf_zalloc(b->nr_types ? b->nr_types : 1, sizeof(*b->resolved));
	b->visit = btf_zalloc(b->nr_types ? b->nr_types : 1, 1);
	if (!b->resolved || !b->visit)
		return -ENOMEM;
	env->phase = V_CHECK_TYPE;
	for (uint32_t i = b->base ? 0 : 1; i < b->nr_types; i++) {
		uint32_t id = b->start_id + i;
		const struct btfkit_type *t = b->types[i];

		env->log_type_id = id;
		if (b->kinds[i] == BTFKIT_KIND_FUNC && func_checked_ahead(b, i)) {
			/* What resolve() would record for it: its prototype, no size. */
			if (b->visit[i] != V_RESOLVED) {
				b->resolved[i].id = t->type;
				b->resolved[i].size = 0;
				b->visit[i] = V_RESOLVED;
			}
			continue;
		}
		if (v_needs_resolve(t) && !is_resolved(env, id)) {
			err = resolve(env, t, id);
			if (err)
				return err;
		}
		if (v_kind(t) == BTFKIT_KIND_FUNC_PROTO) {
			err = func_proto_check(env, t);
			if (err)
				return err;
		}
	}
	return 0;
}

/*
 * Type tags come first in a chain of modifiers: "int __tag const *", never
 * "const __tag". The walk is read-only (the work-ahead thread runs it too);
 * the first failure, if any, is described in *bad.
 */
struct tags_failure {
	uint32_t id, missing; /* missing: the type id not found, if that is the failure */
	enum { TAGS_OK, TAGS_MISSING, TAGS_REF_MISSING, TAGS_LOOP, TAGS_ORDER } why;
};

static void type_tags_walk(const struct v_btf *b, struct tags_failure *bad)
{
	uint32_t start = b->base ? b->start_id : 1, n = b->start_id + b->nr_types;
	uint32_t good = start - 1;

	bad->why = TAGS_OK;
	for (uint32_t i = start; i < n; i++) {
		const struct btfkit_type *t = v_type(b, i);
		uint32_t cur = i;
		int limit = 32;
		bool in_tags;

		bad->id = i;
		if (!t) {
			bad->why = TAGS_MISSING;
			return;
		}
		if (!v_is_modifier(t))
			continue;
		in_tags = v_kind(t) == BTFKIT_KIND_TYPE_TAG;
		while (v_is_modifier(t)) {
			if (!limit--) {
				bad->why = TAGS_LOOP;
				return;
			}
			if (v_kind(t) == BTFKIT_KIND_TYPE_TAG) {
				if (!in_tags) {
					bad->why = TAGS_ORDER;
					return;
				}
			} else {
				in_tags = false;
			}
			if (cur <= good)
				break;
			cur = t->type;
			t = v_type(b, cur);
			if (!t) {
				bad->why = TAGS_REF_MISSING;
				bad->missing = cur;
				return;
			}
		}
		good = i;
	}
}

bool v_type_tags_ok(const struct v_btf *b)
{
	struct tags_failure bad;

	type_tags_walk(b, &bad);
	return bad.why == TAGS_OK;
}

int v_check_type_tags(struct v_env *env)
{
	struct tags_failure bad;

	type_tags_walk(env->btf, &bad);
	switch (bad.why) {
	case TAGS_OK:
		return 0;
	case TAGS_MISSING:
		v_fail_silent(env, bad.id, "type %u is missing", bad.id);
		return -EINVAL;
	case TAGS_REF_MISSING:
		v_fail_silent(env, bad.id, "type %u refers to missing type %u", bad.id, bad.missing);
		return -EINVAL;
	case TAGS_LOOP:
		v_log_plain(env, bad.id, -1, "", "Max chain length or cycle detected");
		return -ELOOP;
	case TAGS_ORDER:
		v_log_plain(env, bad.id, -1, "", "Type tags don't precede modifiers");
		return -EINVAL;
	}
	return -EINVAL;
}
