// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unique names. C has one namespace for struct/union/enum tags and another
 * for ordinary identifiers (typedef names, enumerators); BTF may hold several
 * types of one name (a kernel has a few `struct fault` ...). As in libbpf, a
 * name is counted each time a type settles its name, or an enumerator is
 * written, and the n-th occurrence (n > 1) is written `name___n`. A type
 * settles its name once, the first time its name is written; FWDs and
 * ENUMs without enumerators keep their name as it is (they only declare).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cdump_int.h"

#define NAMES_INIT_CAP 1024

int cd_names_init(struct cd_names *n)
{
	n->slots = calloc(NAMES_INIT_CAP, sizeof(*n->slots));
	if (!n->slots)
		return -ENOMEM;
	n->mask = NAMES_INIT_CAP - 1;
	n->used = 0;
	return 0;
}

void cd_names_free(struct cd_names *n)
{
	free(n->slots);
	n->slots = NULL;
}

/* FNV-1a: names are short, and this runs once per name written. */
static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int grow(struct cd_names *n)
{
	uint32_t cap = (n->mask + 1) * 2;
	struct cd_name_slot *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (uint32_t i = 0; i <= n->mask; i++) {
		const struct cd_name_slot *s = &n->slots[i];
		uint32_t j;

		if (!s->key)
			continue;
		for (j = s->hash & (cap - 1); slots[j].key; j = (j + 1) & (cap - 1))
			;
		slots[j] = *s;
	}
	free(n->slots);
	n->slots = slots;
	n->mask = cap - 1;
	return 0;
}

uint32_t cd_names_bump(struct cd_names *n, const char *name)
{
	uint32_t h = name_hash(name), i;

	for (i = h & n->mask; n->slots[i].key; i = (i + 1) & n->mask) {
		struct cd_name_slot *s = &n->slots[i];

		if (s->hash == h && strcmp(s->key, name) == 0)
			return ++s->count;
	}
	/* Keep the table at most half full. */
	if ((n->used + 1) * 2 > n->mask + 1) {
		if (grow(n))
			return 0;
		for (i = h & n->mask; n->slots[i].key; i = (i + 1) & n->mask)
			;
	}
	n->slots[i] = (struct cd_name_slot){ .key = name, .hash = h, .count = 1 };
	n->used++;
	return 1;
}

/* Settle the name of `id` in `map` once; d->dup[id] gets its occurrence number. */
static void resolve(struct cdump *d, uint32_t id, struct cd_names *map)
{
	const struct btfkit_type *t = d->types[id];
	unsigned kind = btfkit_type_kind(t);
	uint32_t n;

	if (!t->name_off || (d->state[id] & CD_NAME_RESOLVED))
		return;
	d->state[id] |= CD_NAME_RESOLVED;
	if (kind == BTFKIT_KIND_FWD || (kind == BTFKIT_KIND_ENUM && btfkit_type_vlen(t) == 0))
		return;
	n = cd_names_bump(map, cd_str(d, t->name_off));
	if (!n)
		cd_fail(d, -ENOMEM);
	else if (n > 1)
		d->dup[id] = n;
}

static unsigned u32_digits(uint32_t v)
{
	unsigned n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* The unique name of a resolved type: the BTF's string, or formatted into buf. */
static const char *resolved_name(struct cdump *d, uint32_t id, char buf[CD_NAME_BUF], size_t *len)
{
	const char *name = d->types[id]->name_off ? cd_str(d, d->types[id]->name_off) : "";
	uint32_t v = d->dup[id];
	size_t n, name_len = strlen(name);
	unsigned digits;

	if (v <= 1) {
		*len = name_len;
		return name;
	}
	/* libbpf formats `name___n` into 256 bytes: a name too long is cut. */
	digits = u32_digits(v);
	n = name_len < CD_NAME_BUF - 1 ? name_len : CD_NAME_BUF - 1;
	memcpy(buf, name, n);
	if (n + 3 + digits < CD_NAME_BUF) {
		memcpy(buf + n, "___", 3);
		for (unsigned i = digits; i; i--, v /= 10)
			buf[n + 3 + i - 1] = (char)('0' + v % 10);
		n += 3 + digits;
	} else {
		char tail[3 + 10];

		memcpy(tail, "___", 3);
		for (unsigned i = digits; i; i--, v /= 10)
			tail[3 + i - 1] = (char)('0' + v % 10);
		for (unsigned i = 0; i < 3 + digits && n < CD_NAME_BUF - 1; i++)
			buf[n++] = tail[i];
	}
	buf[n] = 0;
	*len = n;
	return buf;
}

static void emit_resolved(struct cdump *d, uint32_t id)
{
	char buf[CD_NAME_BUF];
	size_t len;
	const char *name = resolved_name(d, id, buf, &len);

	out_mem(&d->out, name, len);
}

const char *cd_ident_name(struct cdump *d, uint32_t id, char buf[CD_NAME_BUF])
{
	size_t len;

	resolve(d, id, &d->ident_names);
	return resolved_name(d, id, buf, &len);
}

void cd_resolve_type_name(struct cdump *d, uint32_t id)
{
	resolve(d, id, &d->type_names);
}

void cd_emit_type_name(struct cdump *d, uint32_t id)
{
	resolve(d, id, &d->type_names);
	emit_resolved(d, id);
}

void cd_emit_ident_name(struct cdump *d, uint32_t id)
{
	resolve(d, id, &d->ident_names);
	emit_resolved(d, id);
}
