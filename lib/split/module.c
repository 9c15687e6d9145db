// SPDX-License-Identifier: BSD-2-Clause
/*
 * Modules (a .ko's .BTF and .BTF.base, or a raw split blob) and bases
 * prepared for many modules: validated once, their strings indexed by
 * content so that relocated names reuse the base's offsets.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <btfkit/btf.h>
#include <btfkit/validate.h>

#include "split_int.h"

const char *btfkit_split_verdict_name(enum btfkit_split_verdict v)
{
	switch (v) {
	case BTFKIT_SPLIT_OK:
		return "ok";
	case BTFKIT_SPLIT_MISMATCH:
		return "mismatch";
	case BTFKIT_SPLIT_RELOCATABLE:
		return "relocatable";
	case BTFKIT_SPLIT_INCOMPATIBLE:
		return "incompatible";
	}
	return "unknown";
}

static int find_sections(struct btfkit_split_module *m, char *msg, size_t msg_sz)
{
	int err;

	m->is_elf = btf_is_elf(m->image, m->image_size);
	if (!m->is_elf) {
		m->btf = m->image;
		m->btf_size = m->image_size;
		return 0;
	}
	err = btf_elf_find_section(m->image, m->image_size, ".BTF", &m->btf, &m->btf_size, msg,
				   msg_sz);
	if (err)
		return err;
	err = btf_elf_find_section(m->image, m->image_size, ".BTF.base", &m->dist, &m->dist_size,
				   NULL, 0);
	if (err == -ENODATA) {
		m->dist = NULL;
		m->dist_size = 0;
		return 0;
	}
	if (err)
		btf_msg(msg, msg_sz, "ELF section .BTF.base unreadable");
	return err;
}

struct btfkit_split_module *btfkit_split_module_open_mem(const void *data, size_t size, char *msg,
							 size_t msg_sz)
{
	struct btfkit_split_module *m;
	int err;

	if (!data && size)
		return btf_err_ptr(-EINVAL);
	m = calloc(1, sizeof(*m));
	if (!m)
		return btf_err_ptr(-ENOMEM);
	m->image = data;
	m->image_size = size;
	err = find_sections(m, msg, msg_sz);
	if (err) {
		free(m);
		return btf_err_ptr(err);
	}
	return m;
}

struct btfkit_split_module *btfkit_split_module_open(const char *path, char *msg, size_t msg_sz)
{
	struct btfkit_split_module *m;
	int err;

	if (!path)
		return btf_err_ptr(-EINVAL);
	m = calloc(1, sizeof(*m));
	if (!m)
		return btf_err_ptr(-ENOMEM);
	err = btf_image_load(path, false, &m->img, msg, msg_sz);
	if (err) {
		free(m);
		return btf_err_ptr(err);
	}
	m->from_file = true;
	m->image = m->img.data;
	m->image_size = m->img.size;
	err = find_sections(m, msg, msg_sz);
	if (err) {
		btf_image_release(&m->img);
		free(m);
		return btf_err_ptr(err);
	}
	return m;
}

void btfkit_split_module_free(struct btfkit_split_module *mod)
{
	if (!mod)
		return;
	if (mod->from_file)
		btf_image_release(&mod->img);
	free(mod);
}

int btfkit_split_module_has_base(const struct btfkit_split_module *mod)
{
	return mod && mod->dist != NULL;
}

struct btfkit_btf *split_open_on(const struct btfkit_split_module *mod, const uint8_t *data,
				 size_t size, const struct btfkit_btf *base, char *msg,
				 size_t msg_sz)
{
	struct btfkit_open_opts o = {
		.sz = sizeof(o), .base = base, .msg = msg, .msg_sz = msg_sz,
	};

	(void)mod;
	return btfkit_btf_open_mem(data, size, &o);
}

/* ---- The base's strings by content ---- */

int split_strs_build(struct split_strs *s, const struct btfkit_btf *btf)
{
	uint32_t n = 0, cap = 16;

	for (uint32_t i = 0; i < btf->strs_len; i++)
		n += !btf->strs[i];
	while (cap < 2 * n + 2)
		cap <<= 1;
	s->slots = calloc(cap, sizeof(*s->slots));
	if (!s->slots)
		return -ENOMEM;
	s->mask = cap - 1;
	for (uint32_t off = 0; off < btf->strs_len;) {
		const char *str = btf->strs + off;
		size_t len = strnlen(str, btf->strs_len - off);
		uint32_t h = btf_name_hash(str) & s->mask;

		if (off + len >= btf->strs_len)
			break; /* not terminated: not a string */
		/* The first of equal strings keeps its slot. */
		while (s->slots[h] && strcmp(btf->strs + s->slots[h] - 1, str) != 0)
			h = (h + 1) & s->mask;
		if (!s->slots[h])
			s->slots[h] = off + 1;
		off += (uint32_t)len + 1;
	}
	return 0;
}

void split_strs_free(struct split_strs *s)
{
	free(s->slots);
	s->slots = NULL;
}

int64_t split_strs_find(const struct split_strs *s, const struct btfkit_btf *btf, const char *str)
{
	uint32_t h;

	if (!s->slots)
		return -ENOENT;
	for (h = btf_name_hash(str) & s->mask; s->slots[h]; h = (h + 1) & s->mask)
		if (strcmp(btf->strs + s->slots[h] - 1, str) == 0)
			return btf->start_str_off + s->slots[h] - 1;
	return -ENOENT;
}

struct btfkit_split_base *btfkit_split_base_new(const struct btfkit_btf *base,
						const struct btfkit_validate_opts *opts, char *msg,
						size_t msg_sz)
{
	struct btfkit_split_base *sb;
	struct btfkit_verdict *v;
	int err;

	if (!base)
		return btf_err_ptr(-EINVAL);
	sb = calloc(1, sizeof(*sb));
	v = malloc(sizeof(*v));
	if (!sb || !v) {
		free(sb);
		free(v);
		return btf_err_ptr(-ENOMEM);
	}
	sb->btf = base;
	sb->vb = btfkit_validate_base(base, opts, v);
	if (!sb->vb) {
		err = -errno;
		btf_msg(msg, msg_sz, "%s", v->message[0] ? v->message : "cannot validate the base");
		goto fail;
	}
	err = split_strs_build(&sb->strs, base);
	if (err)
		goto fail;
	free(v);
	return sb;
fail:
	btfkit_validated_base_free(sb->vb);
	free(sb);
	free(v);
	return btf_err_ptr(err);
}

void btfkit_split_base_free(struct btfkit_split_base *base)
{
	if (!base)
		return;
	btfkit_validated_base_free(base->vb);
	split_strs_free(&base->strs);
	free(base);
}
