// SPDX-License-Identifier: BSD-2-Clause
/*
 * The live kernel's BTF objects for btfkit inspect: fetched by id with
 * bpf(BPF_OBJ_GET_INFO_BY_FD), opened with btfkit (a module's on the vmlinux
 * object), kept for the whole command, so each is read once however many
 * programs and maps refer to it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <btfkit/btfkit.h>

#include "inspect.h"

struct decl_buf {
	char *data;
	size_t len, cap;
};

static int buf_write(void *ctx, const char *data, size_t len)
{
	struct decl_buf *b = ctx;

	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 128;
		char *p;

		while (cap < b->len + len + 1)
			cap *= 2;
		p = realloc(b->data, cap);
		if (!p)
			return -ENOMEM;
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

void btf_cache_free(struct btf_cache *c)
{
	/* Split objects first: a base outlives what is opened on it. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < c->n; i++) {
			struct btf_obj *o = c->objs[i];

			if (!o || (o->id == c->vmlinux_id) != pass)
				continue;
			c->objs[i] = NULL;
			btfkit_cdump_free(o->cdump);
			btfkit_btf_free(o->btf);
			free(o->data);
			if (o->out)
				free(o->out->data);
			free(o->out);
			free(o);
		}
	}
	free(c->objs);
	memset(c, 0, sizeof(*c));
}

uint32_t btf_cache_vmlinux_id(struct btf_cache *c)
{
	uint32_t id = 0;

	if (c->vmlinux_id)
		return c->vmlinux_id == UINT32_MAX ? 0 : c->vmlinux_id;
	c->vmlinux_id = UINT32_MAX;
	while (btfkit_bpf_next_id(BTFKIT_BPF_BTF, id, &id) == 0) {
		struct btfkit_bpf_btf_info bi = { .sz = sizeof(bi) };
		int fd = btfkit_bpf_fd_by_id(BTFKIT_BPF_BTF, id);

		if (fd < 0)
			continue;
		if (btfkit_bpf_btf_info(fd, &bi) == 0 && bi.kernel_btf && strcmp(bi.name, "vmlinux") == 0) {
			close(fd);
			c->vmlinux_id = id;
			return id;
		}
		close(fd);
	}
	return 0;
}

static int open_obj(struct btf_cache *c, struct btf_obj *o)
{
	struct btfkit_bpf_btf_info bi = { .sz = sizeof(bi) };
	struct btfkit_open_opts opts = { .sz = sizeof(opts) };
	uint32_t size = 0;
	int fd = btfkit_bpf_fd_by_id(BTFKIT_BPF_BTF, o->id);

	if (fd < 0)
		return fd;
	if (btfkit_bpf_btf_info(fd, &bi) == 0) {
		o->kernel_btf = bi.kernel_btf;
		memcpy(o->name, bi.name, sizeof(o->name));
	}
	o->data = btfkit_bpf_btf_data(fd, &size);
	close(fd);
	if (!o->data)
		return -errno;
	/* A module's BTF is split on vmlinux's. */
	if (o->kernel_btf && strcmp(o->name, "vmlinux") != 0) {
		struct btf_obj *base = btf_cache_get(c, btf_cache_vmlinux_id(c));

		if (!base || !base->btf)
			return -ENOENT;
		opts.base = base->btf;
	}
	o->btf = btfkit_btf_open_mem(o->data, size, &opts);
	return o->btf ? 0 : -errno;
}

struct btf_obj *btf_cache_get(struct btf_cache *c, uint32_t id)
{
	struct btf_obj **objs, *o;

	if (!id)
		return NULL;
	for (size_t i = 0; i < c->n; i++)
		if (c->objs[i]->id == id)
			return c->objs[i]->btf ? c->objs[i] : NULL;
	objs = realloc(c->objs, (c->n + 1) * sizeof(*objs));
	if (!objs)
		return NULL;
	c->objs = objs;
	o = calloc(1, sizeof(*o));
	if (!o)
		return NULL;
	o->id = id;
	/* Remembered even when it cannot be opened: it is not tried again. */
	c->objs[c->n++] = o;
	if (open_obj(c, o) < 0)
		return NULL;
	return o;
}

const char *btf_obj_name(struct btf_obj *o, uint32_t type_id)
{
	return o && o->btf ? btfkit_btf_name(o->btf, type_id) : NULL;
}

char *btf_obj_decl(struct btf_obj *o, uint32_t type_id, const char *name)
{
	struct btfkit_cdump_decl_opts dopts = { .sz = sizeof(dopts), .field_name = name };
	const struct btfkit_type *t;
	char *s;

	if (!o || !o->btf)
		return NULL;
	t = btfkit_btf_type(o->btf, type_id);
	if (!t)
		return NULL;
	/* A function is declared by its prototype. */
	if (btfkit_type_kind(t) == BTFKIT_KIND_FUNC)
		type_id = t->type;
	if (!o->cdump) {
		struct btfkit_sink sink;

		if (!o->out)
			o->out = calloc(1, sizeof(*o->out));
		if (!o->out)
			return NULL;
		sink = (struct btfkit_sink){ .write = buf_write, .ctx = o->out };
		o->cdump = btfkit_cdump_new(o->btf, &sink, NULL);
		if (!o->cdump)
			return NULL;
	}
	/* Each declaration starts from an empty buffer, not the last one's text. */
	o->out->len = 0;
	if (o->out->data)
		o->out->data[0] = '\0';
	if (btfkit_cdump_decl(o->cdump, type_id, &dopts) < 0 || !o->out->data)
		return NULL;
	s = strdup(o->out->data);
	return s;
}
