// SPDX-License-Identifier: BSD-2-Clause
/*
 * Every reference a BTF type record holds (names and type ids), what each is
 * used for, and what a reference means on a given base: the vocabulary of
 * the checks, the map and the rewrite.
 */
#include <stdio.h>
#include <string.h>

#include "split_int.h"

#define K(k) (1u << BTFKIT_KIND_##k)
/* Kinds that describe data or code a C type can name. */
#define DATA_KINDS                                                                          \
	(K(INT) | K(PTR) | K(ARRAY) | K(STRUCT) | K(UNION) | K(ENUM) | K(FWD) | K(TYPEDEF) | \
	 K(VOLATILE) | K(CONST) | K(RESTRICT) | K(FUNC_PROTO) | K(FLOAT) | K(TYPE_TAG) |    \
	 K(ENUM64))

static const struct {
	const char *name;
	uint32_t kinds; /* bit 0: void */
} uses[] = {
	[SU_NAME] = { "name", 0 },
	[SU_VALUE] = { "member or variable type", DATA_KINDS & ~K(FUNC_PROTO) },
	[SU_TARGET] = { "referenced type", DATA_KINDS | 1 },
	[SU_PTR] = { "pointer target", DATA_KINDS | 1 },
	[SU_PROTO] = { "function prototype", K(FUNC_PROTO) },
	[SU_SECINFO] = { "section entry", K(VAR) | K(FUNC) },
	[SU_TAG] = { "tagged declaration", K(STRUCT) | K(UNION) | K(VAR) | K(FUNC) | K(TYPEDEF) },
	[SU_INDEX] = { "array index type",
		       K(INT) | K(ENUM) | K(ENUM64) | K(TYPEDEF) | K(CONST) | K(VOLATILE) |
			       K(RESTRICT) | K(TYPE_TAG) },
};

bool split_kind_fits(enum split_use use, unsigned kind)
{
	return kind < 32 && (uses[use].kinds >> kind) & 1;
}

const char *split_use_name(enum split_use use)
{
	return uses[use].name;
}

bool split_is_leaf(const struct btfkit_type *t)
{
	switch (btfkit_type_kind(t)) {
	case BTFKIT_KIND_INT:
	case BTFKIT_KIND_FLOAT:
	case BTFKIT_KIND_STRUCT:
	case BTFKIT_KIND_UNION:
	case BTFKIT_KIND_ENUM:
	case BTFKIT_KIND_ENUM64:
	case BTFKIT_KIND_FWD:
		return t->name_off != 0;
	}
	return false;
}

uint32_t split_use_kinds(enum split_use use)
{
	return uses[use].kinds;
}

/* The string section of btf's chain holding `off`, and off's place in it. */
static const struct btfkit_btf *str_owner(const struct btfkit_btf *btf, uint32_t off,
					  uint32_t *local)
{
	while (btf && off < btf->start_str_off)
		btf = btf->base;
	if (!btf || off - btf->start_str_off >= btf->strs_len)
		return NULL;
	*local = off - btf->start_str_off;
	return btf;
}

bool split_str_at_start(const struct btfkit_btf *btf, uint32_t off)
{
	uint32_t local;
	const struct btfkit_btf *o = str_owner(btf, off, &local);

	if (!o)
		return false;
	/* A section's first byte starts a string; split sections need not begin with "". */
	return !local || !o->strs[local - 1];
}

/* Printable, cut: evidence must stay one readable line whatever the bytes are. */
static void quote(char *buf, size_t sz, const char *s, size_t max)
{
	size_t n = 0;

	if (sz < 4)
		return;
	buf[n++] = '\'';
	for (size_t i = 0; s[i] && i < max && n + 3 < sz; i++)
		buf[n++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	buf[n++] = '\'';
	buf[n] = 0;
}

void split_desc_str(const struct btfkit_btf *btf, uint32_t off, char *buf, size_t sz)
{
	uint32_t local, start;
	const struct btfkit_btf *o = str_owner(btf, off, &local);
	char q[72], whole[72];

	if (!o) {
		snprintf(buf, sz, "past the end of the strings");
		return;
	}
	quote(q, sizeof(q), o->strs + local, 48);
	if (!local || !o->strs[local - 1]) {
		snprintf(buf, sz, "%s", q);
		return;
	}
	for (start = local; start && o->strs[start - 1]; start--)
		;
	quote(whole, sizeof(whole), o->strs + start, 48);
	snprintf(buf, sz, "%s, inside %s", q, whole);
}

void split_desc_id(const struct btfkit_btf *btf, uint32_t id, char *buf, size_t sz)
{
	const struct btfkit_type *t;
	const char *name;
	char q[72];

	if (!id) {
		snprintf(buf, sz, "void");
		return;
	}
	t = id < btf->start_id + btf->nr_types ? btf_type_by_id(btf, id) : NULL;
	if (!t) {
		snprintf(buf, sz, "past the last type (%u)", btf->start_id + btf->nr_types - 1);
		return;
	}
	name = btf_str(btf_type_owner(btf, id), t->name_off);
	if (!name || !*name) {
		snprintf(buf, sz, "[%u] %s (anon)%s", id, btfkit_kind_name(btfkit_type_kind(t)),
			 name ? "" : " bad name");
		return;
	}
	quote(q, sizeof(q), name, 48);
	snprintf(buf, sz, "[%u] %s %s", id, btfkit_kind_name(btfkit_type_kind(t)), q);
}
