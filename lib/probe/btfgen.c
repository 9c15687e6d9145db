// SPDX-License-Identifier: BSD-2-Clause
/*
 * Just enough BTF for a probe's programs: ints, a struct, a pointer,
 * function prototypes and functions, as a raw blob in host byte order (what
 * the running kernel reads). Errors are sticky (b->err); pbtf_blob() reports them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "probe_int.h"

#define KIND_INT 1
#define KIND_PTR 2
#define KIND_STRUCT 4
#define KIND_FUNC 12
#define KIND_FUNC_PROTO 13

void pbtf_init(struct pbtf *b)
{
	memset(b, 0, sizeof(*b));
}

void pbtf_free(struct pbtf *b)
{
	free(b->types);
	free(b->strs);
	memset(b, 0, sizeof(*b));
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * elem);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

static uint32_t str(struct pbtf *b, const char *s)
{
	size_t len, off;

	if (!b->slen) {
		/* Offset 0 is the empty name. */
		if (grow((void **)&b->strs, &b->scap, 1, 1)) {
			b->err = -ENOMEM;
			return 0;
		}
		b->strs[0] = '\0';
		b->slen = 1;
	}
	if (!s || !*s)
		return 0;
	len = strlen(s) + 1;
	if (grow((void **)&b->strs, &b->scap, b->slen + len, 1)) {
		b->err = -ENOMEM;
		return 0;
	}
	off = b->slen;
	memcpy(b->strs + off, s, len);
	b->slen += len;
	return (uint32_t)off;
}

static void word(struct pbtf *b, uint32_t w)
{
	if (grow((void **)&b->types, &b->cap, b->nwords + 1, sizeof(uint32_t))) {
		b->err = -ENOMEM;
		return;
	}
	b->types[b->nwords++] = w;
}

static uint32_t type(struct pbtf *b, const char *name, unsigned kind, uint32_t vlen, uint32_t size_or_type)
{
	word(b, str(b, name));
	word(b, (kind << 24) | vlen);
	word(b, size_or_type);
	return ++b->nr_types;
}

uint32_t pbtf_int(struct pbtf *b, const char *name, uint32_t size, int is_signed)
{
	uint32_t id = type(b, name, KIND_INT, 0, size);

	word(b, (is_signed ? 1u << 24 : 0) | (size * 8));
	return id;
}

uint32_t pbtf_struct(struct pbtf *b, const char *name, uint32_t size, uint32_t vlen)
{
	return type(b, name, KIND_STRUCT, vlen, size);
}

void pbtf_member(struct pbtf *b, const char *name, uint32_t t, uint32_t bit_offset)
{
	word(b, str(b, name));
	word(b, t);
	word(b, bit_offset);
}

uint32_t pbtf_ptr(struct pbtf *b, uint32_t t)
{
	return type(b, NULL, KIND_PTR, 0, t);
}

uint32_t pbtf_proto(struct pbtf *b, uint32_t ret, uint32_t vlen)
{
	return type(b, NULL, KIND_FUNC_PROTO, vlen, ret);
}

void pbtf_param(struct pbtf *b, const char *name, uint32_t t)
{
	word(b, str(b, name));
	word(b, t);
}

uint32_t pbtf_func(struct pbtf *b, const char *name, uint32_t proto, uint32_t linkage)
{
	/* A FUNC's vlen holds its linkage. */
	return type(b, name, KIND_FUNC, linkage, proto);
}

void *pbtf_blob(const struct pbtf *b, size_t *size)
{
	size_t tlen = b->nwords * 4, slen = b->slen ? b->slen : 1, total;
	uint32_t hdr[6];
	char *blob;

	if (b->err) {
		errno = -b->err;
		return NULL;
	}
	total = sizeof(hdr) + tlen + slen;
	blob = calloc(1, total);
	if (!blob)
		return NULL;
	/* magic 0xeB9F, version 1, flags 0, then hdr_len, type off/len, str off/len. */
	hdr[0] = 0xeB9F | (1u << 16);
	hdr[1] = sizeof(hdr);
	hdr[2] = 0;
	hdr[3] = (uint32_t)tlen;
	hdr[4] = (uint32_t)tlen;
	hdr[5] = (uint32_t)slen;
	memcpy(blob, hdr, sizeof(hdr));
	memcpy(blob + sizeof(hdr), b->types, tlen);
	if (b->slen)
		memcpy(blob + sizeof(hdr) + tlen, b->strs, slen);
	*size = total;
	return blob;
}
