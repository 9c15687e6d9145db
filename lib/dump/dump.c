// SPDX-License-Identifier: BSD-2-Clause
/*
 * The two renderers, raw text and JSON, from one description per type (see
 * dump_int.h). Output matches `bpftool btf dump file F` and
 * `bpftool -j btf dump file F` byte for byte; docs/btfkit.1 lists the few
 * places where bpftool writes invalid JSON and we do not.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include "dump_int.h"
#include "../btf/btf_int.h"

/* A type of a kind we only know the size of (stepped over through the layout section). */
static void describe_unknown(const struct btfkit_type *t, struct dump_desc *d)
{
	d->f[0] = (struct dump_field){ .key = "kind_nr", .kind = DV_UINT, .u = btfkit_type_kind(t) };
	d->f[1] = (struct dump_field){ .key = "vlen", .kind = DV_UINT, .u = btfkit_type_vlen(t) };
	d->n = 2;
}

static void describe(const struct btfkit_btf *btf, const struct btfkit_type *t,
		     struct dump_desc *d)
{
	unsigned kind = btfkit_type_kind(t);

	d->n = 0;
	d->list_key = NULL;
	d->list_len = 0;
	d->elem = NULL;
	if (kind > 0 && kind < BTFKIT_KIND_COUNT)
		btf_kinds[kind].describe(btf, t, d);
	else
		describe_unknown(t, d);
}

static void raw_value(struct out *o, const struct dump_field *f)
{
	if (f->kind == DV_UINT)
		out_u64(o, f->u);
	else if (f->kind == DV_INT)
		out_s64(o, f->s);
	else
		out_str(o, f->str);
	if (f->raw_suffix)
		out_str(o, f->raw_suffix);
}

/* Fields as bpftool's text has them: key=value, names 'quoted', annotations in (). */
static void raw_fields(struct out *o, const struct dump_desc *d, bool leading_space)
{
	for (unsigned i = 0; i < d->n; i++) {
		const struct dump_field *f = &d->f[i];

		if (leading_space || i > 0)
			out_char(o, ' ');
		switch (f->kind) {
		case DV_NAME:
			out_char(o, '\'');
			out_str(o, f->str);
			out_char(o, '\'');
			break;
		case DV_ANNOT:
			out_char(o, '(');
			out_str(o, f->str);
			out_mem(o, " '", 2);
			out_str(o, f->str2);
			out_mem(o, "')", 2);
			break;
		default:
			out_str(o, f->key);
			out_char(o, '=');
			raw_value(o, f);
			break;
		}
	}
}

static void raw_type(struct out *o, const struct btfkit_btf *btf, uint32_t id,
		     const struct btfkit_type *t)
{
	struct dump_desc d, e;

	describe(btf, t, &d);
	out_char(o, '[');
	out_u64(o, id);
	out_mem(o, "] ", 2);
	out_str(o, btfkit_kind_name(btfkit_type_kind(t)));
	out_mem(o, " '", 2);
	out_str(o, dump_name(btf, t->name_off));
	out_char(o, '\'');
	raw_fields(o, &d, true);
	for (unsigned i = 0; i < d.list_len; i++) {
		e.n = 0;
		d.elem(btf, t, i, &e);
		out_mem(o, "\n\t", 2);
		raw_fields(o, &e, false);
	}
	out_char(o, '\n');
}

static void json_key(struct out *o, const char *key)
{
	out_mem(o, ",\"", 2);
	out_str(o, key);
	out_mem(o, "\":", 2);
}

static void json_fields(struct out *o, const struct dump_desc *d, bool first)
{
	for (unsigned i = 0; i < d->n; i++) {
		const struct dump_field *f = &d->f[i];

		if (f->kind == DV_ANNOT)
			continue;
		if (first) {
			out_char(o, '"');
			out_str(o, f->key);
			out_mem(o, "\":", 2);
			first = false;
		} else {
			json_key(o, f->key);
		}
		switch (f->kind) {
		case DV_UINT:
			out_u64(o, f->json_differs ? f->json_u : f->u);
			break;
		case DV_INT:
			out_s64(o, f->json_differs ? f->json_s : f->s);
			break;
		default:
			out_json_str(o, f->str);
			break;
		}
	}
}

static void json_type(struct out *o, const struct btfkit_btf *btf, uint32_t id,
		      const struct btfkit_type *t)
{
	struct dump_desc d, e;

	describe(btf, t, &d);
	out_mem(o, "{\"id\":", 6);
	out_u64(o, id);
	json_key(o, "kind");
	out_json_str(o, btfkit_kind_name(btfkit_type_kind(t)));
	json_key(o, "name");
	out_json_str(o, dump_name(btf, t->name_off));
	json_fields(o, &d, false);
	if (d.list_key) {
		json_key(o, d.list_key);
		out_char(o, '[');
		for (unsigned i = 0; i < d.list_len; i++) {
			if (i)
				out_char(o, ',');
			e.n = 0;
			d.elem(btf, t, i, &e);
			out_char(o, '{');
			json_fields(o, &e, true);
			out_char(o, '}');
		}
		out_char(o, ']');
	}
	out_char(o, '}');
}

int btfkit_dump(const struct btfkit_btf *btf, const struct btfkit_dump_opts *opts,
		const struct btfkit_sink *sink)
{
	enum btfkit_dump_format format = BTFKIT_DUMP_RAW;
	struct btfkit_btf_cursor cur = { 0 };
	const struct btfkit_type *t;
	struct out *o;
	int err;

	if (!btf || !sink || !sink->write)
		return btf_err(-EINVAL);
	if (opts && opts->sz >= offsetof(struct btfkit_dump_opts, format) + sizeof(opts->format))
		format = opts->format;
	if (format != BTFKIT_DUMP_RAW && format != BTFKIT_DUMP_JSON)
		return btf_err(-EINVAL);
	o = malloc(sizeof(*o));
	if (!o)
		return btf_err(-ENOMEM);
	out_init(o, sink);
	if (format == BTFKIT_DUMP_JSON)
		out_str(o, "{\"types\":[");
	while ((t = btfkit_btf_next(btf, &cur)) != NULL && !o->err) {
		if (format == BTFKIT_DUMP_RAW) {
			raw_type(o, btf, cur.id, t);
		} else {
			if (cur.id != btf->start_id)
				out_char(o, ',');
			json_type(o, btf, cur.id, t);
		}
		/* Keep the resident part of a mapped file small on a long pass. */
		if ((cur.id & 2047) == 0)
			btf_release_pages(btf);
	}
	if (format == BTFKIT_DUMP_JSON)
		out_str(o, "]}\n");
	err = out_finish(o);
	free(o);
	return err ? btf_err(err) : 0;
}

int btfkit_dump_type(const struct btfkit_btf *btf, uint32_t id, enum btfkit_dump_format format,
		     const struct btfkit_sink *sink)
{
	const struct btfkit_type *t;
	struct out *o;
	int err;

	if (!btf || !sink || !sink->write || id == 0)
		return btf_err(-EINVAL);
	t = btf_type_by_id(btf, id);
	if (!t)
		return btf_err(-ENOENT);
	o = malloc(sizeof(*o));
	if (!o)
		return btf_err(-ENOMEM);
	out_init(o, sink);
	if (format == BTFKIT_DUMP_JSON)
		json_type(o, btf, id, t);
	else
		raw_type(o, btf, id, t);
	err = out_finish(o);
	free(o);
	return err ? btf_err(err) : 0;
}
