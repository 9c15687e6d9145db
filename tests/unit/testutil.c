// SPDX-License-Identifier: BSD-2-Clause
/* See testutil.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

int membuf_write(void *ctx, const char *data, size_t len)
{
	struct membuf *m = ctx;

	m->writes++;
	if (m->len + len + 1 > m->cap) {
		size_t cap = (m->len + len + 1) * 2;
		char *p = realloc(m->data, cap);

		if (!p)
			return -ENOMEM;
		m->data = p;
		m->cap = cap;
	}
	memcpy(m->data + m->len, data, len);
	m->len += len;
	m->data[m->len] = '\0';
	return 0;
}

void membuf_free(struct membuf *m)
{
	free(m->data);
	memset(m, 0, sizeof(*m));
}

int discard_write(void *ctx, const char *data, size_t len)
{
	(void)ctx;
	(void)data;
	(void)len;
	return 0;
}

struct btfkit_btf *tu_open_mem(const void *data, size_t size, unsigned flags,
			       const struct btfkit_btf *base, char *msg, size_t msg_sz)
{
	struct btfkit_open_opts o = { .sz = sizeof(o), .base = base, .flags = flags,
				      .msg = msg, .msg_sz = msg_sz };

	return btfkit_btf_open_mem(data, size, &o);
}

struct btfkit_btf *tu_open(const struct btf_builder *b, enum bb_order order, unsigned flags,
			   const struct btfkit_btf *base, uint8_t **blob)
{
	size_t size;
	struct btfkit_btf *btf;

	*blob = bb_finish(b, order, &size);
	btf = tu_open_mem(*blob, size, flags, base, NULL, 0);
	if (!btf) {
		int err = errno;

		free(*blob);
		*blob = NULL;
		errno = err;
	}
	return btf;
}

static char *finish(struct membuf *m, int err)
{
	if (err) {
		membuf_free(m);
		errno = -err;
		return NULL;
	}
	if (!m->data)
		return strdup("");
	return m->data;
}

char *tu_dump_type(const struct btfkit_btf *btf, uint32_t id, enum btfkit_dump_format format)
{
	struct membuf m = { 0 };
	struct btfkit_sink sink = { membuf_write, &m };

	return finish(&m, btfkit_dump_type(btf, id, format, &sink));
}

char *tu_dump(const struct btfkit_btf *btf, enum btfkit_dump_format format)
{
	struct membuf m = { 0 };
	struct btfkit_sink sink = { membuf_write, &m };
	struct btfkit_dump_opts opts = { .sz = sizeof(opts), .format = format };

	return finish(&m, btfkit_dump(btf, &opts, &sink));
}

size_t tu_type_bytes(const struct btfkit_btf *btf, uint32_t id)
{
	struct btfkit_btf_cursor cur = { 0 };
	uint32_t prev = 0;

	while (btfkit_btf_next(btf, &cur)) {
		if (cur.id == id)
			return cur.pos - prev;
		prev = cur.pos;
	}
	return 0;
}

uint64_t tu_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1Dull;
}

int tu_report(size_t nr_tests, int failed)
{
	if (failed < 0)
		failed = (int)nr_tests;
	printf("%zu passed, %d failed\n", nr_tests - (size_t)failed, failed);
	return failed ? 1 : 0;
}
