// SPDX-License-Identifier: BSD-2-Clause
/*
 * The base types a module uses, and where they are on another base.
 *
 * Named INTs, FLOATs, STRUCTs, UNIONs, ENUMs, ENUM64s and FWDs ("leaves") are
 * found on the other base by kind and name, as the kernel's .BTF.base
 * relocation finds them. Everything else the module reaches in its base
 * (pointers, typedefs, modifiers, arrays, prototypes, anonymous structs) is
 * copied into the module, down to the leaves it reaches. A leaf laid out
 * inside a module type ("embedded": a member, an array element, a variable,
 * through any typedefs and modifiers) must keep its size, and with a whole
 * original base its members are compared too; a leaf only pointed to may
 * change.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "split_int.h"

struct work {
	uint32_t *ids;
	uint8_t *emb;
	uint32_t n, cap;
};

static int work_push(struct work *w, uint32_t id, bool emb)
{
	if (w->n == w->cap) {
		uint32_t cap = w->cap ? w->cap * 2 : 256;
		uint32_t *ids = realloc(w->ids, cap * sizeof(*ids));
		uint8_t *e;

		if (!ids)
			return -ENOMEM;
		w->ids = ids;
		e = realloc(w->emb, cap);
		if (!e)
			return -ENOMEM;
		w->emb = e;
		w->cap = cap;
	}
	w->ids[w->n] = id;
	w->emb[w->n++] = emb;
	return 0;
}

static int list_add(uint32_t **list, uint32_t *n, uint32_t id)
{
	/* Grow at 16, then at every power of two. */
	if (!*n || (*n >= 16 && !(*n & (*n - 1)))) {
		uint32_t cap = *n ? *n * 2 : 16;
		uint32_t *l = realloc(*list, cap * sizeof(**list));

		if (!l)
			return -ENOMEM;
		*list = l;
	}
	(*list)[(*n)++] = id;
	return 0;
}

struct collect {
	struct split_map *m;
	const struct btfkit_btf *mod; /* the module: its own chains are followed */
	struct work *w;
	bool emb;   /* the referring type is laid out in place */
	bool through; /* typedefs and modifiers pass embedding on */
	int err;
};

static bool use_embeds(enum split_use use)
{
	return use == SU_VALUE;
}

/*
 * Follow the module's own typedefs, modifiers, tags and array elements from
 * `id` to the first type that is none of those, or to a base type: what a
 * member of that type lays out in place. Bounded: a loop is the validator's
 * to report.
 */
static uint32_t own_underlying(const struct btfkit_btf *mod, uint32_t id, uint32_t nr_orig)
{
	for (int depth = 0; depth < 64 && id >= nr_orig; depth++) {
		const struct btfkit_type *t = btf_type_by_id(mod, id);

		if (!t)
			return 0;
		switch (btfkit_type_kind(t)) {
		case BTFKIT_KIND_TYPEDEF:
		case BTFKIT_KIND_CONST:
		case BTFKIT_KIND_VOLATILE:
		case BTFKIT_KIND_RESTRICT:
		case BTFKIT_KIND_TYPE_TAG:
			id = t->type;
			break;
		case BTFKIT_KIND_ARRAY:
			id = btfkit_type_array(t)->type;
			break;
		default:
			return 0;
		}
	}
	return id;
}

static int collect_ref(void *ctx, const struct btfkit_type *t, uint32_t word, enum split_use use,
		       int32_t elem)
{
	struct collect *c = ctx;
	uint32_t id = split_word(t, word);
	bool emb;

	(void)elem;
	if (use == SU_NAME || !id)
		return 0;
	emb = use_embeds(use) || (use == SU_TARGET && c->through && c->emb);
	if (id >= c->m->nr_orig) {
		/* The module's own typedefs, modifiers and arrays lay out what they name too. */
		if (!emb || !c->mod)
			return 0;
		id = own_underlying(c->mod, id, c->m->nr_orig);
		if (!id || id >= c->m->nr_orig)
			return 0;
	}
	return work_push(c->w, id, emb);
}

static bool passes_embedding(unsigned kind)
{
	switch (kind) {
	case BTFKIT_KIND_TYPEDEF:
	case BTFKIT_KIND_CONST:
	case BTFKIT_KIND_VOLATILE:
	case BTFKIT_KIND_RESTRICT:
	case BTFKIT_KIND_TYPE_TAG:
		return true;
	}
	return false;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int split_map_collect(struct split_map *m, const struct btfkit_btf *mod)
{
	const struct btfkit_btf *orig = mod->base;
	struct btfkit_btf_cursor cur = { 0 };
	const struct btfkit_type *t;
	struct work w = { 0 };
	struct collect c = { .m = m, .mod = mod, .w = &w };
	int err = 0;

	memset(m, 0, sizeof(*m));
	m->nr_orig = btfkit_btf_type_count(orig);
	m->state = calloc(m->nr_orig, 1);
	m->to = calloc(m->nr_orig, sizeof(*m->to));
	if (!m->state || !m->to)
		return -ENOMEM;
	while ((t = btfkit_btf_next(mod, &cur))) {
		c.emb = false;
		c.through = passes_embedding(btfkit_type_kind(t));
		if ((err = split_visit(t, collect_ref, &c)))
			goto out;
	}
	while (w.n) {
		uint32_t id = w.ids[--w.n];
		bool emb = w.emb[w.n];
		uint8_t want, had = m->state[id];

		t = btf_type_by_id(orig, id);
		if (!t)
			continue;
		want = (split_is_leaf(t) ? SM_LEAF : SM_COPY) | (emb ? SM_EMBEDDED : 0);
		if ((had & want) == want)
			continue;
		m->state[id] |= want;
		if (split_is_leaf(t)) {
			if (!had && (err = list_add(&m->leaves, &m->nr_leaves, id)))
				goto out;
			continue;
		}
		if (!had && (err = list_add(&m->copies, &m->nr_copies, id)))
			goto out;
		/* A copied type's own references: arrays and anonymous records lay theirs out. */
		c.emb = emb || btfkit_type_kind(t) == BTFKIT_KIND_ARRAY;
		c.through = passes_embedding(btfkit_type_kind(t));
		if ((err = split_visit(t, collect_ref, &c)))
			goto out;
	}
	if (m->nr_leaves)
		qsort(m->leaves, m->nr_leaves, sizeof(*m->leaves), cmp_u32);
	if (m->nr_copies)
		qsort(m->copies, m->nr_copies, sizeof(*m->copies), cmp_u32);
out:
	free(w.ids);
	free(w.emb);
	return err;
}

void split_map_free(struct split_map *m)
{
	free(m->state);
	free(m->to);
	free(m->leaves);
	free(m->copies);
	memset(m, 0, sizeof(*m));
}

/* ---- Matching leaves ---- */

static const char *name_of(const struct btfkit_btf *btf, uint32_t id, const struct btfkit_type *t)
{
	const char *s = btf_str(btf_type_owner(btf, id), t->name_off);

	return s ? s : "";
}

/* Member j of tb that stands for member i of ta: same name; anonymous ones in their order. */
static int same_member(const struct btfkit_btf *a, const struct btfkit_type *ta, uint32_t a_id,
		       const struct btfkit_btf *b, const struct btfkit_type *tb, uint32_t b_id,
		       unsigned i)
{
	const char *an = btf_str(btf_type_owner(a, a_id), btfkit_type_members(ta)[i].name_off);
	unsigned anon_rank = 0, nb = btfkit_type_vlen(tb);

	if (!an)
		return -1;
	if (!*an)
		for (unsigned k = 0; k < i; k++)
			anon_rank += !btfkit_type_members(ta)[k].name_off;
	for (unsigned j = 0; j < nb; j++) {
		const char *bn = btf_str(btf_type_owner(b, b_id), btfkit_type_members(tb)[j].name_off);

		if (!bn || strcmp(an, bn) != 0)
			continue;
		if (!*an && anon_rank--)
			continue;
		return (int)j;
	}
	return -1;
}

/* Members by name and place: the layout a module's code was compiled against. */
static bool members_differ(const struct btfkit_btf *a, const struct btfkit_type *ta,
			   const struct btfkit_btf *b, const struct btfkit_type *tb, uint32_t a_id,
			   uint32_t b_id, char *why, size_t why_sz)
{
	unsigned na = btfkit_type_vlen(ta), nb = btfkit_type_vlen(tb);

	for (unsigned i = 0; i < na; i++) {
		const char *an = btf_str(btf_type_owner(a, a_id), btfkit_type_members(ta)[i].name_off);
		int j = same_member(a, ta, a_id, b, tb, b_id, i);
		uint32_t aoff = btfkit_member_bit_offset(ta, i);

		if (!an)
			an = "?";
		if (j < 0) {
			snprintf(why, why_sz, "member #%u '%.40s' is not on the base", i, an);
			return true;
		}
		if (btfkit_member_bit_offset(tb, (unsigned)j) != aoff ||
		    btfkit_member_bitfield_size(tb, (unsigned)j) != btfkit_member_bitfield_size(ta, i)) {
			snprintf(why, why_sz,
				 "member #%u '%.40s' is at bit %u on the original base, at bit %u on the base",
				 i, an, aoff, btfkit_member_bit_offset(tb, (unsigned)j));
			return true;
		}
	}
	if (na != nb) {
		snprintf(why, why_sz, "has %u members on the original base, %u on the base", na, nb);
		return true;
	}
	return false;
}

static const char *int_encoding(const struct btfkit_type *t)
{
	switch (btfkit_int_encoding(t)) {
	case 0:
		return "unsigned";
	case BTFKIT_INT_SIGNED:
		return "signed";
	case BTFKIT_INT_CHAR:
		return "char";
	case BTFKIT_INT_BOOL:
		return "bool";
	}
	return "of odd encoding";
}

/*
 * How well candidate `b_id` stands for leaf `t`: < 0 does not fit (why says
 * how, if it is the closest), else higher is better.
 */
static int fit(const struct btfkit_btf *orig, bool orig_full, uint32_t o_id,
	       const struct btfkit_type *t, bool emb, const struct btfkit_btf *target, uint32_t b_id,
	       char *why, size_t why_sz)
{
	const struct btfkit_type *bt = btf_type_by_id(target, b_id);
	unsigned k = btfkit_type_kind(t), bk = bt ? btfkit_type_kind(bt) : 0;

	if (!bt)
		return -1;
	switch (k) {
	case BTFKIT_KIND_INT:
		if (bk != k)
			return -1;
		if (bt->size != t->size || btfkit_int_bits(bt) != btfkit_int_bits(t) ||
		    btfkit_int_encoding(bt) != btfkit_int_encoding(t) ||
		    btfkit_int_offset(bt) != btfkit_int_offset(t)) {
			snprintf(why, why_sz,
				 "is %u bytes, %u bits, %s on the original base; %u bytes, %u bits, %s on the base",
				 t->size, btfkit_int_bits(t), int_encoding(t), bt->size,
				 btfkit_int_bits(bt), int_encoding(bt));
			return -2;
		}
		return 3;
	case BTFKIT_KIND_FLOAT:
		if (bk != k)
			return -1;
		if (bt->size != t->size) {
			snprintf(why, why_sz, "is %u bytes on the original base, %u on the base",
				 t->size, bt->size);
			return -2;
		}
		return 3;
	case BTFKIT_KIND_FWD:
		if (bk == k)
			return btfkit_type_kflag(bt) == btfkit_type_kflag(t) ? 3 : -1;
		if (bk == (btfkit_type_kflag(t) ? BTFKIT_KIND_UNION : BTFKIT_KIND_STRUCT))
			return 2;
		return -1;
	case BTFKIT_KIND_STRUCT:
	case BTFKIT_KIND_UNION:
		if (bk == BTFKIT_KIND_FWD && !emb &&
		    btfkit_type_kflag(bt) == (k == BTFKIT_KIND_UNION))
			return 0;
		if (bk != k)
			return -1;
		if (bt->size != t->size) {
			if (emb) {
				snprintf(why, why_sz,
					 "is %u bytes on the original base, %u on the base, and the module lays it out in place",
					 t->size, bt->size);
				return -2;
			}
			return 1;
		}
		if (orig_full && emb && btfkit_type_vlen(t) &&
		    members_differ(orig, t, target, bt, o_id, b_id, why, why_sz))
			return -2;
		return 3;
	case BTFKIT_KIND_ENUM:
	case BTFKIT_KIND_ENUM64:
		if (bk != BTFKIT_KIND_ENUM && bk != BTFKIT_KIND_ENUM64)
			return -1;
		if (bt->size != t->size) {
			snprintf(why, why_sz, "is %u bytes on the original base, %u on the base",
				 t->size, bt->size);
			return -2;
		}
		return bk == k ? 3 : 2;
	}
	return -1;
}

static bool same_size(const struct btfkit_btf *target, uint32_t a, uint32_t b)
{
	return btf_type_by_id(target, a)->size == btf_type_by_id(target, b)->size;
}

/*
 * Two candidates `cur` and `cand` fit leaf `t` as well: the one whose members
 * are those of t on the original base wins (*ties back to 1 if one does).
 */
static uint32_t break_tie(const struct btfkit_btf *orig, uint32_t o_id, const struct btfkit_type *t,
			  const struct btfkit_btf *target, uint32_t cur, uint32_t cand, uint32_t *ties)
{
	unsigned k = btfkit_type_kind(t);
	char why[160];
	bool cur_same, cand_same;

	if ((k != BTFKIT_KIND_STRUCT && k != BTFKIT_KIND_UNION) || !btfkit_type_vlen(t))
		return cur;
	cur_same = btfkit_type_kind(btf_type_by_id(target, cur)) == k &&
		   !members_differ(orig, t, target, btf_type_by_id(target, cur), o_id, cur, why,
				   sizeof(why));
	cand_same = btfkit_type_kind(btf_type_by_id(target, cand)) == k &&
		    !members_differ(orig, t, target, btf_type_by_id(target, cand), o_id, cand, why,
				    sizeof(why));
	if (cur_same != cand_same) {
		*ties = 1;
		return cur_same ? cur : cand;
	}
	return cur;
}

int split_map_match(struct split_map *m, const struct btfkit_btf *orig, bool orig_full,
		    const struct btfkit_btf *target, struct btfkit_split_result *res)
{
	int err = 0;

	res->nr_base_used = m->nr_leaves + m->nr_copies;
	res->nr_matched = m->nr_copies;
	for (uint32_t i = 0; i < m->nr_leaves; i++) {
		uint32_t o_id = m->leaves[i];
		const struct btfkit_type *t = btf_type_by_id(orig, o_id);
		const char *name = name_of(orig, o_id, t);
		bool emb = m->state[o_id] & SM_EMBEDDED;
		char why[160] = "", cand_why[160];
		int best = -1;
		uint32_t best_id = 0, ties = 0;
		int64_t id;

		for (id = btfkit_btf_find_next(target, name, -1, 0); id > 0;
		     id = btfkit_btf_find_next(target, name, -1, (uint32_t)id)) {
			int f;

			cand_why[0] = 0;
			f = fit(orig, orig_full, o_id, t, emb, target, (uint32_t)id, cand_why,
				sizeof(cand_why));
			if (f > best) {
				best = f;
				best_id = (uint32_t)id;
				ties = 1;
			} else if (f == best && f >= 0 && same_size(target, best_id, (uint32_t)id)) {
				ties++;
				if (orig_full)
					best_id = break_tie(orig, o_id, t, target, best_id,
							    (uint32_t)id, &ties);
			}
			/* Of the candidates that do not fit, the first of the same kind says why. */
			if (f == -2 && !why[0])
				memcpy(why, cand_why, sizeof(why));
		}
		if (best >= 0 && ties > 1) {
			/*
			 * The kernel refuses a .BTF.base type with several candidates
			 * of its name and size on the base; with the original base,
			 * only members that tell them apart decide.
			 */
			if (!err) {
				res->changed_id = 0;
				res->changed_name[0] = 0;
				snprintf(res->reason, sizeof(res->reason),
					 "ambiguous on the base: %u candidates named %.64s of size %u",
					 ties, name, btf_type_by_id(target, best_id)->size);
				err = -EINVAL;
			}
			continue;
		}
		if (best >= 0) {
			m->to[o_id] = best_id;
			res->nr_matched++;
			continue;
		}
		if (!err) {
			res->changed_id = o_id;
			snprintf(res->changed_name, sizeof(res->changed_name), "%s '%.64s'",
				 btfkit_kind_name(btfkit_type_kind(t)), name);
			snprintf(res->reason, sizeof(res->reason), "%s",
				 why[0] ? why : "is not on the base (no type of that kind and name)");
			err = -EINVAL;
		}
	}
	return err;
}
