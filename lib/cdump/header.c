// SPDX-License-Identifier: BSD-2-Clause
/*
 * The public face of the C dumper: a dumper object for type-by-type use,
 * and a whole header between bpftool's preamble and epilogue.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <btfkit/btfkit.h>
#include <btfkit/cdump.h>

#include "cdump_int.h"
#include "../btf/btf_int.h"

static const char preamble[] =
	"#ifndef __VMLINUX_H__\n"
	"#define __VMLINUX_H__\n"
	"\n"
	"#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
	"#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n"
	"#endif\n"
	"\n";

static const char epilogue[] =
	"#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
	"#pragma clang attribute pop\n"
	"#endif\n"
	"\n"
	"#endif /* __VMLINUX_H__ */\n";

static struct cdump *cdump_create(const struct btfkit_btf *btf, const struct btfkit_sink *sink,
				  uint64_t max_work, int *errp)
{
	struct cdump *d;
	int err;

	if (!btf || !sink || !sink->write) {
		*errp = -EINVAL;
		return NULL;
	}
	d = malloc(sizeof(*d));
	if (!d) {
		*errp = -ENOMEM;
		return NULL;
	}
	err = cd_init(d, btf, sink, max_work);
	if (err) {
		cd_fini(d);
		free(d);
		*errp = err;
		return NULL;
	}
	return d;
}

static void cdump_destroy(struct cdump *d)
{
	if (!d)
		return;
	cd_fini(d);
	free(d);
}

/* Emit what ordering queued, each a top-level definition. */
static int emit_queue(struct cdump *d)
{
	for (uint32_t i = 0; i < d->queue_len && !d->err; i++)
		cd_emit_type(d, d->queue[i], 0);
	return d->err;
}

/* ---- Type by type ---- */

struct btfkit_cdump *btfkit_cdump_new(const struct btfkit_btf *btf,
				      const struct btfkit_sink *sink,
				      const struct btfkit_cdump_opts *opts)
{
	struct cdump *d;
	int err;

	struct btfkit_cdump_opts o = { 0 };

	if (opts)
		memcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));
	d = cdump_create(btf, sink, o.max_work, &err);
	if (!d)
		return btf_err_ptr(err);
	d->enum_mode = (o.flags & BTFKIT_CDUMP_ENUM_MODE) != 0;
	return (struct btfkit_cdump *)d;
}

void btfkit_cdump_free(struct btfkit_cdump *dump)
{
	cdump_destroy((struct cdump *)dump);
}

int btfkit_cdump_type(struct btfkit_cdump *dump, uint32_t id)
{
	struct cdump *d = (struct cdump *)dump;
	int err;

	if (!d || id >= d->nr_types)
		return btf_err(-EINVAL);
	cd_begin(d);
	d->queue_len = 0;
	err = cd_order(d, id, false, 0);
	if (err < 0)
		return btf_err(err);
	err = emit_queue(d);
	out_flush(&d->out);
	if (!err)
		err = d->out.err;
	return err ? btf_err(err) : 0;
}

int btfkit_cdump_decl(struct btfkit_cdump *dump, uint32_t id,
		      const struct btfkit_cdump_decl_opts *opts)
{
	struct btfkit_cdump_decl_opts o = { 0 };
	struct cdump *d = (struct cdump *)dump;
	int err;

	if (!d || id >= d->nr_types)
		return btf_err(-EINVAL);
	if (opts)
		memcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));
	cd_begin(d);
	d->strip_mods = o.strip_mods != 0;
	cd_emit_decl(d, id, o.field_name ? o.field_name : "", o.indent);
	d->strip_mods = false;
	err = d->err;
	out_flush(&d->out);
	if (!err)
		err = d->out.err;
	return err ? btf_err(err) : 0;
}

/* ---- A whole header ---- */

/* A type seen through pointers, qualifiers and tags (not typedefs: those are definitions). */
static uint32_t pointee(const struct cdump *d, uint32_t id)
{
	for (unsigned n = 0; id && n < CD_MAX_DEPTH; n++) {
		const struct btfkit_type *t = d->types[id];

		switch (btfkit_type_kind(t)) {
		case BTFKIT_KIND_PTR:
		case BTFKIT_KIND_CONST:
		case BTFKIT_KIND_VOLATILE:
		case BTFKIT_KIND_RESTRICT:
		case BTFKIT_KIND_TYPE_TAG:
			id = t->type;
			break;
		default:
			return id;
		}
	}
	return id;
}

struct id_list {
	uint32_t *ids;
	size_t n, cap;
};

static int add_id(struct id_list *l, uint32_t id)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		uint32_t *p = realloc(l->ids, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		l->ids = p;
		l->cap = cap;
	}
	l->ids[l->n++] = id;
	return 0;
}

/*
 * What a root stands for: itself; for a FUNC, the types of its return value
 * and parameters, for a VAR its type, seen through pointers (what a program
 * that reads them needs defined).
 */
static int add_root(const struct cdump *d, struct id_list *l, uint32_t id)
{
	const struct btfkit_type *t = d->types[id];
	int err = 0;

	switch (btfkit_type_kind(t)) {
	case BTFKIT_KIND_VAR:
		if (t->type >= d->nr_types)
			return -EINVAL;
		return add_id(l, pointee(d, t->type));
	case BTFKIT_KIND_FUNC: {
		const struct btfkit_type *proto;
		const struct btfkit_param *p;

		if (t->type >= d->nr_types)
			return -EINVAL;
		proto = d->types[t->type];
		p = btfkit_type_params(proto);
		if (btfkit_type_kind(proto) != BTFKIT_KIND_FUNC_PROTO)
			return add_id(l, t->type);
		err = add_id(l, pointee(d, proto->type));
		for (unsigned i = 0; i < btfkit_type_vlen(proto) && !err; i++)
			err = add_id(l, pointee(d, p[i].type));
		return err;
	}
	default:
		return add_id(l, id);
	}
}

/*
 * The ids to dump, in order: the caller's roots, or every type; sorted on
 * request. Owned by the caller.
 */
static int header_ids(const struct cdump *d, const struct btfkit_cdump_header_opts *o,
		      uint32_t **idsp, size_t *np)
{
	struct id_list l = { 0 };
	int err = 0;

	if (o->nr_ids) {
		for (size_t i = 0; i < o->nr_ids && !err; i++)
			err = o->ids[i] < d->nr_types ? add_root(d, &l, o->ids[i]) : -EINVAL;
	} else {
		for (uint32_t id = 1; id < d->nr_types && !err; id++)
			err = add_id(&l, id);
	}
	if (!err && (o->flags & BTFKIT_CDUMP_SORT))
		err = cd_sort_ids(d, l.ids, l.n);
	if (err) {
		free(l.ids);
		return err;
	}
	*idsp = l.ids;
	*np = l.n;
	return 0;
}

int btfkit_cdump_header(const struct btfkit_btf *btf, const struct btfkit_cdump_header_opts *opts,
			const struct btfkit_sink *sink)
{
	struct btfkit_cdump_header_opts o = { 0 };
	uint32_t *ids = NULL;
	struct cdump *d;
	size_t n = 0;
	int err;

	if (opts)
		memcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));
	if ((o.nr_ids && !o.ids) ||
	    (o.flags & ~(unsigned)(BTFKIT_CDUMP_SORT | BTFKIT_CDUMP_ENUM_MODE)))
		return btf_err(-EINVAL);
	d = cdump_create(btf, sink, o.max_work, &err);
	if (!d)
		return btf_err(err);
	d->enum_mode = (o.flags & BTFKIT_CDUMP_ENUM_MODE) != 0;
	err = header_ids(d, &o, &ids, &n);
	if (err)
		goto out;
	/*
	 * Order everything before writing anything: ordering and emission
	 * share no state, so queueing all roots first gives the text that
	 * ordering and emitting them one by one gives, and a loop in the BTF
	 * is found before the sink has seen a byte.
	 */
	cd_begin(d);
	d->queue_len = 0;
	for (size_t i = 0; i < n; i++) {
		err = cd_order(d, ids[i], false, 0);
		if (err < 0)
			goto out;
	}
	out_mem(&d->out, preamble, sizeof(preamble) - 1);
	err = emit_queue(d);
	if (err)
		goto out;
	out_mem(&d->out, epilogue, sizeof(epilogue) - 1);
	out_flush(&d->out);
	err = d->out.err;
out:
	free(ids);
	cdump_destroy(d);
	return err ? btf_err(err) : 0;
}
