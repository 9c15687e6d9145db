// SPDX-License-Identifier: BSD-2-Clause
/*
 * The verdict for a module on a base.
 *
 * ok: the kernel's checks pass on the base, and so do the ones it does not
 * make: every name offset starts a string, every type id names a type of a
 * kind that fits where it is used, and (with the original base) every
 * reference means there what it meant where the module was built, down to
 * every base type it leads to.
 * Otherwise the module's base types are looked for on the base: from its
 * .BTF.base, or from the original base. All found: relocatable; one really
 * changed: incompatible; nothing to go by: mismatch.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "split_int.h"

struct scan {
	const struct btfkit_btf *on;   /* the module opened on the base */
	const struct btfkit_split_base *base; /* its packed tables, when it has them */
	const struct btfkit_btf *orig; /* the module opened on the original base, or NULL */
	struct btfkit_split_result *res;
	uint32_t type_id; /* the record being scanned, numbered on the base */
	bool meanings;    /* also compare meanings with orig */
};

/* Kind, name and size: what a base type is to the module that refers to it. */
static bool same_type(const struct btfkit_btf *a, const struct btfkit_btf *b, uint32_t id)
{
	const struct btfkit_type *ta = btf_type_by_id(a, id), *tb = btf_type_by_id(b, id);
	const char *na, *nb;

	if (!ta || !tb)
		return ta == tb;
	if (ta->info != tb->info)
		return false;
	if (btf_kind_sized(btfkit_type_kind(ta)) && ta->size != tb->size)
		return false;
	na = btf_str(btf_type_owner(a, id), ta->name_off);
	nb = btf_str(btf_type_owner(b, id), tb->name_off);
	return na && nb && strcmp(na, nb) == 0;
}

static bool same_name(const struct btfkit_btf *a, const struct btfkit_btf *b, uint32_t id)
{
	const struct btfkit_type *ta = btf_type_by_id(a, id), *tb = btf_type_by_id(b, id);
	const char *na = ta ? btf_str(btf_type_owner(a, id), ta->name_off) : NULL;
	const char *nb = tb ? btf_str(btf_type_owner(b, id), tb->name_off) : NULL;

	return na && nb && *na && btfkit_type_kind(ta) == btfkit_type_kind(tb) && !strcmp(na, nb);
}

static void note_wrong(struct scan *sc, uint32_t value, int32_t elem, bool is_name,
		       const char *why)
{
	struct btfkit_split_result *res = sc->res;
	struct btfkit_split_ref *r;

	res->nr_wrong++;
	if (res->nr_refs_shown == BTFKIT_SPLIT_MAX_REFS)
		return;
	r = &res->refs[res->nr_refs_shown++];
	r->type_id = sc->type_id;
	r->elem = elem;
	r->value = value;
	r->is_name = is_name;
	snprintf(r->why, sizeof(r->why), "%s", why);
	if (is_name)
		split_desc_str(sc->on, value, r->now, sizeof(r->now));
	else
		split_desc_id(sc->on, value, r->now, sizeof(r->now));
	r->orig[0] = 0;
	if (sc->orig && is_name)
		split_desc_str(sc->orig, value, r->orig, sizeof(r->orig));
	else if (sc->orig)
		split_desc_id(sc->orig, value, r->orig, sizeof(r->orig));
}

/*
 * A string starts at v. Nearly every name is one the validator found a valid
 * identifier (its bit, just read by its own check); the others look at the
 * byte before.
 */
static bool starts_string(const struct scan *sc, uint32_t v)
{
	const struct btfkit_split_base *b = sc->base;

	if (b && b->name_bits && v < b->names_scanned && v < sc->on->start_str_off &&
	    ((b->name_bits[v >> 6] >> (v & 63)) & 1))
		return true;
	return split_str_at_start(sc->on, v);
}

static int scan_ref(void *ctx, const struct btfkit_type *t, uint32_t word, enum split_use use,
		    int32_t elem)
{
	struct scan *sc = ctx;
	const struct btfkit_btf *on = sc->on;
	uint32_t v = split_word(t, word);
	const struct btfkit_type *rt;
	unsigned kind;
	char why[64];

	if (use == SU_NAME) {
		const char *a, *b;

		if (!v)
			return 0;
		if (!starts_string(sc, v)) {
			note_wrong(sc, v, elem, true,
				   btf_str(on, v) ? "lands inside a string" : "past the strings");
			return 0;
		}
		if (!sc->meanings)
			return 0;
		a = btf_str(on, v);
		b = btf_str(sc->orig, v);
		if (!b || strcmp(a, b) != 0)
			note_wrong(sc, v, elem, true, "names something else than on the original base");
		return 0;
	}
	if (sc->base && sc->base->kinds && v < on->start_id) {
		kind = sc->base->kinds[v];
	} else {
		rt = v < on->start_id + on->nr_types ? btf_type_by_id(on, v) : NULL;
		if (!rt) {
			note_wrong(sc, v, elem, false, "no such type");
			return 0;
		}
		kind = v ? btfkit_type_kind(rt) : 0;
	}
	if (!split_kind_fits(use, kind)) {
		snprintf(why, sizeof(why), "a %s is not a %s", v ? btfkit_kind_name(kind) : "void",
			 split_use_name(use));
		note_wrong(sc, v, elem, false, why);
		return 0;
	}
	if (!sc->meanings || !v)
		return 0;
	if (v < on->start_id && v < sc->orig->start_id) {
		if (!same_type(on, sc->orig, v))
			note_wrong(sc, v, elem, false,
				   same_name(on, sc->orig, v) ? "is the same name with another size or shape"
							      : "is another type than on the original base");
	} else if (v - on->start_id != v - sc->orig->start_id || v < on->start_id ||
		   v < sc->orig->start_id) {
		note_wrong(sc, v, elem, false, "is another type than on the original base");
	}
	return 0;
}

/* Name offsets of a record, to compare names by content. */
struct names_of {
	uint32_t *words; /* room for a name per member, param or value, and the type's */
	unsigned n, cap;
};

static int name_word(void *ctx, const struct btfkit_type *t, uint32_t word, enum split_use use,
		     int32_t elem)
{
	struct names_of *no = ctx;

	(void)t;
	(void)elem;
	if (use == SU_NAME && no->n < no->cap)
		no->words[no->n++] = word;
	return 0;
}

/*
 * A base type the module reaches (not a leaf) is the same record on both
 * bases: same bytes, names by content. Ids are compared as they are: on the
 * ok path every id must mean the same type on both.
 */
static int same_record(const struct btfkit_btf *a, const struct btfkit_btf *b, uint32_t id)
{
	const struct btfkit_type *ta = btf_type_by_id(a, id), *tb = btf_type_by_id(b, id);
	uint32_t n = ta ? btf_type_size(btf_type_owner(a, id), ta) : 0;
	struct names_of no = { .n = 0 };
	uint32_t *wa, *wb;
	bool same;

	if (!ta || !tb || !n || n != btf_type_size(btf_type_owner(b, id), tb))
		return 0;
	no.cap = btfkit_type_vlen(ta) + 1;
	no.words = malloc(no.cap * sizeof(*no.words));
	wa = malloc(n);
	wb = malloc(n);
	if (!wa || !wb || !no.words) {
		free(wa);
		free(wb);
		free(no.words);
		return -ENOMEM;
	}
	split_visit(ta, name_word, &no);
	memcpy(wa, ta, n);
	memcpy(wb, tb, n);
	same = true;
	for (unsigned i = 0; same && i < no.n; i++) {
		const char *sa = btf_str(btf_type_owner(a, id), wa[no.words[i]]);
		const char *sb = btf_str(btf_type_owner(b, id), wb[no.words[i]]);

		same = sa && sb && !strcmp(sa, sb);
		wa[no.words[i]] = wb[no.words[i]] = 0;
	}
	same = same && !memcmp(wa, wb, n);
	free(wa);
	free(wb);
	free(no.words);
	return same;
}

/*
 * The ok path with another original base: the ids the module names mean the
 * same types on both, and so must everything they lead to (a typedef
 * retargeted keeps its kind and name), as relocation collects it: every
 * named leaf the same kind, name and size (and record, when the module lays
 * it out in place), every other type the same record. Else noted wrong.
 */
static int same_closure(const struct btfkit_btf *on, const struct btfkit_btf *on_orig,
			struct btfkit_split_result *res)
{
	struct scan sc = { .on = on, .orig = on_orig, .res = res };
	const struct btfkit_btf *a = on_orig->base, *b = on->base;
	struct split_map m;
	int err = split_map_collect(&m, on_orig);

	for (uint32_t i = 0; !err && i < m.nr_leaves; i++) {
		uint32_t id = m.leaves[i];
		const struct btfkit_type *t = btf_type_by_id(a, id);
		unsigned kind = t ? btfkit_type_kind(t) : 0;
		bool whole = (m.state[id] & SM_EMBEDDED) &&
			     (kind == BTFKIT_KIND_STRUCT || kind == BTFKIT_KIND_UNION);

		int same = whole ? same_record(a, b, id) : same_type(a, b, id);

		if (same < 0)
			err = same;
		if (same)
			continue;
		sc.type_id = id;
		note_wrong(&sc, id, -1, false,
			   "is laid out in place and differs from the original base");
	}
	for (uint32_t i = 0; !err && i < m.nr_copies; i++) {
		uint32_t id = m.copies[i];
		int same = same_record(a, b, id);

		if (same < 0)
			err = same;
		if (same)
			continue;
		sc.type_id = id;
		note_wrong(&sc, id, -1, false, "leads to other types than on the original base");
	}
	split_map_free(&m);
	return err;
}

/*
 * The ok path's scan, which only answers "every reference is plausible":
 * scan_ref's questions without meanings, asked of the module as the
 * validator has just checked it (its records by index, their kinds, its
 * strings: in cache) and of the base's packed tables, without evidence. A
 * module it does not pass is opened on the base and scanned by scan_ref,
 * which says what is wrong.
 */
struct quick {
	const uint8_t *base_kinds;   /* ids below start_id */
	const uint64_t *name_bits;   /* base string starts that are valid identifiers, or NULL */
	uint32_t names_scanned;
	const char *base_strs;       /* offsets below start_str_off */
	const struct v_btf *mod;     /* the module's own types and strings */
	uint32_t fits[SU_INDEX + 1]; /* split_use_kinds() by use */
};

static inline int quick_ref(void *ctx, const struct btfkit_type *t, uint32_t word,
			    enum split_use use, int32_t elem)
{
	const struct quick *q = ctx;
	const struct v_btf *mod = q->mod;
	uint32_t v = split_word(t, word), local;
	unsigned kind;

	(void)elem;
	if (use == SU_NAME) {
		if (!v)
			return 0;
		if (v < mod->start_str_off) {
			if (q->name_bits && v < q->names_scanned &&
			    ((q->name_bits[v >> 6] >> (v & 63)) & 1))
				return 0;
			return q->base_strs[v - 1] != 0;
		}
		local = v - mod->start_str_off;
		return local >= mod->hdr.str_len || (local && mod->strings[local - 1]);
	}
	if (v < mod->start_id) {
		kind = q->base_kinds[v];
	} else {
		local = v - mod->start_id;
		if (local >= mod->nr_types)
			return 1;
		kind = mod->kinds[local];
	}
	return !((q->fits[use] >> kind) & 1);
}

/*
 * Most of a module's references are plausible once the module is valid: the
 * validator found a valid identifier at every name of a struct, union,
 * enum and function (the type's, and every member's and value's) and,
 * unless the level says otherwise (names_inside), each starts a string. The
 * types they name fit too: a member whose own type is void, FWD, FUNC,
 * FUNC_PROTO, VAR, DATASEC or DECL_TAG is "Invalid member", which leaves
 * kinds all in split_use_kinds(SU_VALUE); a function's type that is not a
 * FUNC_PROTO is "Invalid type_id". Other kinds are not: the kernel takes a
 * pointer to a DATASEC, a typedef or parameter of a VAR.
 */
#define PROVEN_KINDS                                                                     \
	(1u << BTFKIT_KIND_STRUCT | 1u << BTFKIT_KIND_UNION | 1u << BTFKIT_KIND_ENUM |      \
	 1u << BTFKIT_KIND_ENUM64 | 1u << BTFKIT_KIND_FUNC)

static inline bool proven_by_validation(const struct v_btf *mod, uint32_t i)
{
	return !mod->names_inside && (PROVEN_KINDS >> mod->kinds[i]) & 1;
}

static bool quick_plausible(const struct v_btf *mod, const struct btfkit_split_base *base)
{
	struct quick q = {
		.base_kinds = base->kinds,
		.name_bits = base->name_bits,
		.names_scanned = base->names_scanned,
		.base_strs = base->btf->strs,
		.mod = mod,
	};

	/*
	 * The packed tables describe a standalone base exactly as the module sees
	 * it. And the module has the header the engine reads: the kernel also
	 * takes shorter and longer ones, which the engine (and so the full path,
	 * which opens the module) refuses; those take the full path.
	 */
	if (!base->kinds || base->btf->base || base->nr_kinds != mod->start_id ||
	    base->btf->strs_len != mod->start_str_off || mod->hdr.hdr_len != V_HDR_LEN)
		return false;
	for (unsigned u = 0; u <= SU_INDEX; u++)
		q.fits[u] = split_use_kinds((enum split_use)u);
	for (uint32_t i = 0; i < mod->nr_types; i++) {
		if (proven_by_validation(mod, i))
			continue;
		if (split_visit(mod->types[i], quick_ref, &q))
			return false;
	}
	return true;
}

/* Scan every reference of the module (opened on a base); meanings: compare with orig. */
static void scan_module(const struct btfkit_btf *on, const struct btfkit_split_base *base,
			const struct btfkit_btf *orig, bool meanings, struct btfkit_split_result *res)
{
	struct scan sc = { .on = on, .base = base, .orig = orig, .res = res, .meanings = meanings };
	struct btfkit_btf_cursor cur = { 0 };
	const struct btfkit_type *t;

	while ((t = btfkit_btf_next(on, &cur))) {
		sc.type_id = cur.id;
		split_visit(t, scan_ref, &sc);
	}
}

static void result_init(struct btfkit_split_result *res, const struct btfkit_split_module *mod)
{
	memset(res, 0, sizeof(*res));
	res->has_btf_base = mod->dist != NULL;
	res->kernel.member = -1;
}

/* The module's base types found on `target`: relocatable or incompatible. */
static int judge_relocation(const struct btfkit_btf *mod_on_orig, bool orig_full,
			    const struct btfkit_btf *target, struct btfkit_split_result *res)
{
	struct split_map m;
	int err = split_map_collect(&m, mod_on_orig);

	if (!err) {
		err = split_map_match(&m, mod_on_orig->base, orig_full, target, res);
		if (err == -EINVAL) {
			/* A changed type: incompatible; an ambiguous one: nothing to go by. */
			res->verdict = res->changed_name[0] ? BTFKIT_SPLIT_INCOMPATIBLE
							    : BTFKIT_SPLIT_MISMATCH;
			err = 0;
		} else if (!err) {
			res->verdict = BTFKIT_SPLIT_RELOCATABLE;
		}
	}
	split_map_free(&m);
	return err;
}

/*
 * The kernel relocates only on a distilled base of named INTs, FLOATs, ENUMs,
 * STRUCTs, UNIONs and FWDs (btf_relocate_validate_distilled_base): any other
 * type there and it refuses the module. False, with res->reason, if so.
 */
static bool distilled_kinds_ok(const struct btfkit_btf *dist, struct btfkit_split_result *res)
{
	struct btfkit_btf_cursor cur = { 0 };
	const struct btfkit_type *t;

	while ((t = btfkit_btf_next(dist, &cur))) {
		unsigned kind = btfkit_type_kind(t);
		const char *name = btf_str(dist, t->name_off);

		switch (kind) {
		case BTFKIT_KIND_INT:
		case BTFKIT_KIND_FLOAT:
		case BTFKIT_KIND_ENUM:
		case BTFKIT_KIND_STRUCT:
		case BTFKIT_KIND_UNION:
		case BTFKIT_KIND_FWD:
			if (name && *name)
				continue;
			snprintf(res->reason, sizeof(res->reason),
				 ".BTF.base: [%u] %s is anonymous; the kernel takes only named types in a distilled base",
				 cur.id, btfkit_kind_name(kind));
			return false;
		}
		snprintf(res->reason, sizeof(res->reason),
			 ".BTF.base: [%u] %s '%.40s'; the kernel takes only named INT, FLOAT, ENUM, STRUCT, UNION and FWD in a distilled base",
			 cur.id, btfkit_kind_name(kind), name ? name : "");
		return false;
	}
	return true;
}

/*
 * The distilled base and the module on it, both checked as the kernel checks
 * them, with the rules of the kernel `base` was checked for.
 */
static int open_distilled(const struct btfkit_split_base *base, const struct btfkit_split_module *mod,
			  struct btfkit_btf **dist, struct btfkit_btf **on_dist,
			  struct btfkit_split_result *res)
{
	struct btfkit_validate_opts opts = { .sz = sizeof(opts), .kernel = v_base_kernel(base->vb) };
	struct btfkit_verdict *v = malloc(sizeof(*v));
	char msg[128] = "";
	int err = 0;

	*dist = *on_dist = NULL;
	if (!v)
		return -ENOMEM;
	res->verdict = BTFKIT_SPLIT_MISMATCH;
	if (btfkit_validate_mem(mod->dist, mod->dist_size, NULL, &opts, v) < 0 || !v->valid) {
		snprintf(res->reason, sizeof(res->reason), ".BTF.base is not valid BTF: %.100s",
			 v->message);
		goto out;
	}
	*dist = split_open_on(mod->dist, mod->dist_size, NULL, msg, sizeof(msg));
	if (!*dist) {
		err = errno == ENOMEM ? -ENOMEM : 0;
		snprintf(res->reason, sizeof(res->reason), ".BTF.base: %.100s", msg);
		goto out;
	}
	if (!distilled_kinds_ok(*dist, res))
		goto out;
	if (btfkit_validate_mem(mod->btf, mod->btf_size, *dist, &opts, v) < 0 || !v->valid) {
		snprintf(res->reason, sizeof(res->reason),
			 ".BTF does not validate on its own .BTF.base: %.100s", v->message);
		goto out;
	}
	*on_dist = split_open_on(mod->btf, mod->btf_size, *dist, msg, sizeof(msg));
	if (!*on_dist) {
		err = errno == ENOMEM ? -ENOMEM : 0;
		snprintf(res->reason, sizeof(res->reason), ".BTF on its .BTF.base: %.100s", msg);
	}
out:
	free(v);
	return err;
}

/*
 * Was the module built on `orig`? It must validate there and every reference
 * must fit; if not, res->reason says so (and nothing can be relocated from it).
 */
static int fits_orig(const struct btfkit_split_base *orig, const struct btfkit_split_module *mod,
		     const struct btfkit_btf *on_orig, struct btfkit_split_result *res)
{
	struct btfkit_verdict *v = malloc(sizeof(*v));
	struct btfkit_split_result *fit = malloc(sizeof(*fit));
	int err = -ENOMEM;

	if (!v || !fit)
		goto out;
	err = btfkit_validate_split_mem(orig->vb, mod->btf, mod->btf_size, v);
	if (err)
		goto out;
	result_init(fit, mod);
	if (on_orig)
		scan_module(on_orig, orig, NULL, false, fit);
	if (!v->valid || !on_orig || fit->nr_wrong)
		snprintf(res->reason, sizeof(res->reason),
			 "it does not fit the original base either: %.100s",
			 !v->valid ? v->message : "references land wrong there too");
out:
	free(v);
	free(fit);
	return err;
}

int btfkit_split_check(const struct btfkit_split_base *base, const struct btfkit_split_module *mod,
		       const struct btfkit_split_base *orig, struct btfkit_split_result *res)
{
	struct btfkit_btf *on = NULL, *on_orig = NULL, *dist = NULL, *on_dist = NULL;
	char msg[128] = "";
	int err;

	if (!base || !mod || !res)
		return btf_err(-EINVAL);
	result_init(res, mod);
	res->base_nr_types = btfkit_btf_type_count(base->btf);
	res->base_str_len = base->btf->strs_len;

	if (mod->dist) {
		err = open_distilled(base, mod, &dist, &on_dist, res);
		if (!err && on_dist)
			err = judge_relocation(on_dist, false, base->btf, res);
		goto out;
	}

	if (orig) {
		err = btfkit_validate_split_mem(base->vb, mod->btf, mod->btf_size, &res->kernel);
	} else {
		/* Most modules: valid and plausible, told from what the validator has at hand. */
		struct v_btf *checked;
		bool plausible;

		err = v_validate_split_keep(base->vb, mod->btf, mod->btf_size, &res->kernel, &checked);
		if (checked) {
			plausible = quick_plausible(checked, base);
			v_level_free(checked);
			if (plausible) {
				res->verdict = BTFKIT_SPLIT_OK;
				goto out;
			}
		}
	}
	if (err)
		goto out;
	on = split_open_on(mod->btf, mod->btf_size, base->btf, msg, sizeof(msg));
	if (!on && errno == ENOMEM) {
		err = -ENOMEM;
		goto out;
	}
	if (orig) {
		res->orig_used = 1;
		res->orig_nr_types = btfkit_btf_type_count(orig->btf);
		res->orig_str_len = orig->btf->strs_len;
		on_orig = split_open_on(mod->btf, mod->btf_size, orig->btf, NULL, 0);
		if (!on_orig && errno == ENOMEM) {
			err = -ENOMEM;
			goto out;
		}
	}
	if (on)
		scan_module(on, base, on_orig, on_orig && orig->btf != base->btf, res);
	if (res->kernel.valid && on && on_orig && orig->btf != base->btf && !res->nr_wrong) {
		err = same_closure(on, on_orig, res);
		if (err)
			goto out;
	}
	if (res->kernel.valid && on && !res->nr_wrong) {
		res->verdict = BTFKIT_SPLIT_OK;
		goto out;
	}
	res->verdict = BTFKIT_SPLIT_MISMATCH;
	if (!on && res->kernel.valid)
		snprintf(res->reason, sizeof(res->reason), "%s", msg);
	if (!orig)
		goto out;
	/* Relocation from the original base: only if the module really was built on it. */
	err = fits_orig(orig, mod, on_orig, res);
	if (!err && res->verdict == BTFKIT_SPLIT_MISMATCH && !res->reason[0])
		err = judge_relocation(on_orig, true, base->btf, res);
out:
	btfkit_btf_free(on);
	btfkit_btf_free(on_orig);
	btfkit_btf_free(on_dist);
	btfkit_btf_free(dist);
	return err ? btf_err(err) : 0;
}

/* ---- Relocation and distillation ---- */

/* What relocation wrote must validate where it goes: else it is not handed out. */
static int check_output(const struct btfkit_split_base *base, struct btfkit_split_result *res,
			void **data, size_t *size)
{
	int err = btfkit_validate_split_mem(base->vb, *data, *size, &res->kernel);

	if (!err && !res->kernel.valid) {
		snprintf(res->reason, sizeof(res->reason),
			 "the relocated BTF does not validate on the base: [%u] %.100s",
			 res->kernel.type_id, res->kernel.message);
		err = -EINVAL;
	}
	if (err) {
		free(*data);
		*data = NULL;
		*size = 0;
	}
	return err;
}

int btfkit_split_relocate(const struct btfkit_split_base *base,
			  const struct btfkit_split_module *mod,
			  const struct btfkit_split_base *orig, struct btfkit_split_result *res,
			  void **data, size_t *size)
{
	struct btfkit_btf *dist = NULL, *on_orig = NULL;
	const struct btfkit_btf *from;
	struct split_map m = { 0 };
	char msg[128] = "";
	int err;

	if (!base || !mod || !res || !data || !size)
		return btf_err(-EINVAL);
	result_init(res, mod);
	if (mod->dist) {
		err = open_distilled(base, mod, &dist, &on_orig, res);
		if (!err && !on_orig)
			err = -EINVAL;
	} else if (orig) {
		res->orig_used = 1;
		on_orig = split_open_on(mod->btf, mod->btf_size, orig->btf, msg, sizeof(msg));
		err = on_orig ? 0 : -errno;
		if (!on_orig)
			snprintf(res->reason, sizeof(res->reason), "%s", msg);
		else
			err = fits_orig(orig, mod, on_orig, res);
		if (!err && res->reason[0])
			err = -EINVAL;
	} else {
		snprintf(res->reason, sizeof(res->reason),
			 "no .BTF.base and no original base: the module's base types are unknown");
		err = -ENOENT;
	}
	if (err)
		goto out;
	from = on_orig->base;
	err = split_map_collect(&m, on_orig);
	if (!err)
		err = split_map_match(&m, from, !mod->dist, base->btf, res);
	if (err == -EINVAL)
		res->verdict = res->changed_name[0] ? BTFKIT_SPLIT_INCOMPATIBLE
						    : BTFKIT_SPLIT_MISMATCH;
	if (!err) {
		res->verdict = BTFKIT_SPLIT_RELOCATABLE;
		err = split_emit(on_orig, from, &m, btfkit_btf_type_count(base->btf),
				 base->btf->strs_len, split_base_strs(base), base->btf, data, size);
		if (!err)
			err = check_output(base, res, data, size);
	}
out:
	split_map_free(&m);
	btfkit_btf_free(on_orig);
	btfkit_btf_free(dist);
	return err ? btf_err(err) : 0;
}

int btfkit_split_distill(const struct btfkit_split_base *orig,
			 const struct btfkit_split_module *mod, void **base_data, size_t *base_size,
			 void **btf_data, size_t *btf_size, char *msg, size_t msg_sz)
{
	struct btfkit_split_result *res;
	struct btfkit_btf *on_orig;
	struct split_map m = { 0 };
	int err;

	if (!orig || !mod || !base_data || !base_size || !btf_data || !btf_size)
		return btf_err(-EINVAL);
	if (mod->dist) {
		btf_msg(msg, msg_sz, "the module already has a .BTF.base section");
		return btf_err(-EEXIST);
	}
	on_orig = split_open_on(mod->btf, mod->btf_size, orig->btf, msg, msg_sz);
	if (!on_orig)
		return btf_err(-errno);
	/* A base distilled from the wrong vmlinux would name the wrong types. */
	res = malloc(sizeof(*res));
	err = res ? 0 : -ENOMEM;
	if (!err) {
		result_init(res, mod);
		err = fits_orig(orig, mod, on_orig, res);
		if (!err && res->reason[0]) {
			btf_msg(msg, msg_sz, "not built on this base: %s", res->reason);
			free(res);
			btfkit_btf_free(on_orig);
			return btf_err(-EINVAL);
		}
		free(res);
	}
	if (!err)
		err = split_map_collect(&m, on_orig);
	if (!err)
		err = split_emit_distilled(orig->btf, &m, base_data, base_size);
	if (!err) {
		uint32_t dist_str_len = ((const uint32_t *)*base_data)[5];

		/* Names the module took from the base go into its own strings. */
		err = split_emit(on_orig, orig->btf, &m, m.nr_leaves + 1, dist_str_len, NULL, NULL,
				 btf_data, btf_size);
		if (err) {
			free(*base_data);
			*base_data = NULL;
		}
	}
	if (err)
		btf_msg(msg, msg_sz, "cannot distill: %s", strerror(-err));
	split_map_free(&m);
	btfkit_btf_free(on_orig);
	return err ? btf_err(err) : 0;
}
