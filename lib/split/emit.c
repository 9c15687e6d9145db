// SPDX-License-Identifier: BSD-2-Clause
/*
 * Writing split BTF onto a new base, and distilled bases.
 *
 * The module's own types keep their order, so type i of the module is
 * target_nr + i whatever the base; base types it copies in follow them. Its
 * own string section is kept as it is (offsets inside it do not change); the
 * names it took from the original base are found on the target base by
 * content, or appended.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "split_int.h"

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static int buf_add(struct buf *b, const void *data, size_t n)
{
	/* An empty module string section arrives as (NULL, 0). */
	if (!n)
		return 0;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		uint8_t *p;

		while (cap < b->len + n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p)
			return -ENOMEM;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	return 0;
}

/* Appended strings, deduplicated: offset + 1 in the string buffer per slot. */
struct strout {
	struct buf buf;
	uint32_t *slots;
	uint32_t mask, count;
};

static int strout_init(struct strout *s, const void *initial, size_t n)
{
	memset(s, 0, sizeof(*s));
	s->mask = 255;
	s->slots = calloc(s->mask + 1, sizeof(*s->slots));
	if (!s->slots)
		return -ENOMEM;
	return buf_add(&s->buf, initial, n);
}

static int strout_grow(struct strout *s)
{
	uint32_t mask = s->mask * 2 + 1, *slots = calloc(mask + 1, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (uint32_t i = 0; i <= s->mask; i++) {
		uint32_t h;

		if (!s->slots[i])
			continue;
		h = btf_name_hash((const char *)s->buf.p + s->slots[i] - 1) & mask;
		while (slots[h])
			h = (h + 1) & mask;
		slots[h] = s->slots[i];
	}
	free(s->slots);
	s->slots = slots;
	s->mask = mask;
	return 0;
}

/* The offset of `str` in the buffer, appending it once. */
static int64_t strout_add(struct strout *s, const char *str)
{
	uint32_t h;
	size_t off;
	int err;

	if ((s->count + 1) * 2 > s->mask && (err = strout_grow(s)))
		return err;
	for (h = btf_name_hash(str) & s->mask; s->slots[h]; h = (h + 1) & s->mask)
		if (strcmp((const char *)s->buf.p + s->slots[h] - 1, str) == 0)
			return s->slots[h] - 1;
	off = s->buf.len;
	if (off >= UINT32_MAX - 1 || (err = buf_add(&s->buf, str, strlen(str) + 1)))
		return err ? err : -E2BIG;
	s->slots[h] = (uint32_t)off + 1;
	s->count++;
	return (int64_t)off;
}

static void strout_free(struct strout *s)
{
	free(s->buf.p);
	free(s->slots);
}

static int blob_finish(struct buf *types, struct strout *strs, void **data, size_t *size)
{
	uint32_t hdr[6];
	uint8_t *out;

	if (types->len > UINT32_MAX / 2 || strs->buf.len > UINT32_MAX / 2)
		return -E2BIG;
	hdr[0] = BTF_MAGIC | (BTF_VERSION << 16); /* magic, version 1, flags 0 */
	hdr[1] = BTF_HDR_LEN_BASE;
	hdr[2] = 0;
	hdr[3] = (uint32_t)types->len;
	hdr[4] = (uint32_t)types->len;
	hdr[5] = (uint32_t)strs->buf.len;
	out = malloc(sizeof(hdr) + types->len + strs->buf.len);
	if (!out)
		return -ENOMEM;
	memcpy(out, hdr, sizeof(hdr));
	if (types->len)
		memcpy(out + sizeof(hdr), types->p, types->len);
	memcpy(out + sizeof(hdr) + types->len, strs->buf.p, strs->buf.len);
	*data = out;
	*size = sizeof(hdr) + types->len + strs->buf.len;
	return 0;
}

/* ---- Split BTF on the target ---- */

struct rewrite {
	const struct btfkit_btf *mod, *orig, *target;
	const struct split_map *m;
	const struct split_strs *strs;
	struct strout *out;
	uint32_t target_nr, target_str_len;
	const struct btfkit_btf *names; /* whose strings the record's name offsets are */
	uint32_t *words;                /* the record being written */
	int err;
};

static int rewrite_ref(void *ctx, const struct btfkit_type *t, uint32_t word, enum split_use use,
		       int32_t elem)
{
	struct rewrite *r = ctx;
	uint32_t v = split_word(t, word);
	int64_t off;

	(void)elem;
	if (use == SU_NAME) {
		const char *s;

		if (!v)
			return 0;
		if (r->names == r->mod && v >= r->mod->start_str_off) {
			/* The module's own string section is kept: same place in it. */
			r->words[word] = r->target_str_len + (v - r->mod->start_str_off);
			return 0;
		}
		s = btf_str(r->names, v);
		if (!s)
			return -EINVAL;
		off = r->strs ? split_strs_find(r->strs, r->target, s) : -ENOENT;
		if (off < 0) {
			off = strout_add(r->out, s);
			if (off < 0)
				return (int)off;
			off += r->target_str_len;
		}
		r->words[word] = (uint32_t)off;
		return 0;
	}
	if (!v)
		return 0;
	if (v < r->m->nr_orig)
		r->words[word] = r->m->to[v];
	else
		r->words[word] = r->target_nr + (v - r->m->nr_orig);
	return 0;
}

static int write_type(struct rewrite *r, struct buf *types, const struct btfkit_btf *owner,
		      const struct btfkit_type *t)
{
	uint32_t n = btf_type_size(owner, t);
	int err;

	if (!n)
		return -ENOTSUP;
	err = buf_add(types, t, n);
	if (err)
		return err;
	r->words = (uint32_t *)(types->p + types->len - n);
	return split_visit(t, rewrite_ref, r);
}

int split_emit(const struct btfkit_btf *mod, const struct btfkit_btf *orig, struct split_map *m,
	       uint32_t target_nr, uint32_t target_str_len, const struct split_strs *strs,
	       const struct btfkit_btf *target, void **data, size_t *size)
{
	struct rewrite r = {
		.mod = mod, .orig = orig, .target = target, .m = m, .strs = strs,
		.target_nr = target_nr, .target_str_len = target_str_len,
	};
	struct btfkit_btf_cursor cur = { 0 };
	struct buf types = { 0 };
	const struct btfkit_type *t;
	struct strout out;
	int err;

	if (mod->strs_len > UINT32_MAX / 2)
		return -E2BIG;
	for (uint32_t i = 0; i < m->nr_copies; i++)
		m->to[m->copies[i]] = target_nr + mod->nr_types + i;
	err = strout_init(&out, mod->strs, mod->strs_len);
	if (err)
		goto out;
	if (!mod->strs_len && (err = buf_add(&out.buf, "", 1)))
		goto out;
	r.out = &out;
	r.names = mod;
	while ((t = btfkit_btf_next(mod, &cur)))
		if ((err = write_type(&r, &types, mod, t)))
			goto out;
	r.names = orig;
	for (uint32_t i = 0; i < m->nr_copies; i++) {
		t = btf_type_by_id(orig, m->copies[i]);
		if (!t) {
			err = -EINVAL;
			goto out;
		}
		if ((err = write_type(&r, &types, btf_type_owner(orig, m->copies[i]), t)))
			goto out;
	}
	err = blob_finish(&types, &out, data, size);
out:
	free(types.p);
	strout_free(&out);
	return err;
}

/* ---- The distilled base ---- */

int split_emit_distilled(const struct btfkit_btf *orig, struct split_map *m, void **data,
			 size_t *size)
{
	struct buf types = { 0 };
	struct strout out;
	int err = strout_init(&out, "", 1);

	for (uint32_t i = 0; !err && i < m->nr_leaves; i++) {
		uint32_t id = m->leaves[i];
		const struct btfkit_type *t = btf_type_by_id(orig, id);
		const char *name = t ? btf_str(btf_type_owner(orig, id), t->name_off) : NULL;
		unsigned kind = t ? btfkit_type_kind(t) : 0;
		uint32_t rec[4];
		int64_t off;
		size_t n = 12;

		if (!name) {
			err = -EINVAL;
			break;
		}
		off = strout_add(&out, name);
		if (off < 0) {
			err = (int)off;
			break;
		}
		rec[0] = (uint32_t)off;
		rec[1] = t->info;
		rec[2] = t->size;
		switch (kind) {
		case BTFKIT_KIND_INT:
			rec[3] = split_word(t, 3);
			n = 16;
			break;
		case BTFKIT_KIND_STRUCT:
		case BTFKIT_KIND_UNION:
			/* Name and size: what relocation matches on; no members. */
			rec[1] = (uint32_t)kind << 24;
			break;
		case BTFKIT_KIND_ENUM:
		case BTFKIT_KIND_ENUM64:
			/*
			 * The kernel takes only INT, FLOAT, ENUM, STRUCT, UNION and
			 * FWD in a distilled base; an ENUM of the same size matches an
			 * ENUM64 there. Signedness stays with the kind flag; no values.
			 */
			rec[1] = (t->info & 0x80000000u) | (uint32_t)BTFKIT_KIND_ENUM << 24;
			break;
		case BTFKIT_KIND_FWD:
			rec[2] = 0;
			break;
		}
		err = buf_add(&types, rec, n);
		m->to[id] = i + 1;
	}
	if (!err)
		err = blob_finish(&types, &out, data, size);
	free(types.p);
	strout_free(&out);
	return err;
}
