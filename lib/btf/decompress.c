// SPDX-License-Identifier: BSD-2-Clause
/*
 * Compressed files: kernel modules installed as .ko.xz (Debian from 6.12),
 * .ko.zst or .ko.gz are read through their decompressor, by their magic
 * bytes, whatever the file is called. The output has a ceiling, so that a
 * small hostile file cannot ask for gigabytes.
 */
#include <errno.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "btf_int.h"

/* The largest module of a Debian build is ~20 MB; vmlinux ~500 MB with DWARF. */
#define DECOMPRESSED_MAX ((size_t)1 << 30)

static const uint8_t xz_magic[] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
static const uint8_t zstd_magic[] = { 0x28, 0xb5, 0x2f, 0xfd };
static const uint8_t gzip_magic[] = { 0x1f, 0x8b };

static bool starts_with(const uint8_t *data, size_t size, const uint8_t *magic, size_t n)
{
	return size >= n && memcmp(data, magic, n) == 0;
}

const char *btf_compression(const uint8_t *data, size_t size)
{
	if (starts_with(data, size, xz_magic, sizeof(xz_magic)))
		return "xz";
	if (starts_with(data, size, zstd_magic, sizeof(zstd_magic)))
		return "zstd";
	if (starts_with(data, size, gzip_magic, sizeof(gzip_magic)))
		return "gzip";
	return NULL;
}

/* The output buffer: doubled as needed, up to the ceiling. */
struct outbuf {
	uint8_t *p;
	size_t len, cap;
};

/* One byte past the ceiling tells a stream that ends there from one that goes on. */
#define OUTBUF_MAX (DECOMPRESSED_MAX + 1)

static int outbuf_room(struct outbuf *o)
{
	size_t cap;
	uint8_t *p;

	if (o->len < o->cap)
		return 0;
	if (o->cap >= OUTBUF_MAX)
		return -EFBIG;
	cap = o->cap ? o->cap * 2 : (size_t)1 << 16;
	if (cap > OUTBUF_MAX)
		cap = OUTBUF_MAX;
	p = realloc(o->p, cap);
	if (!p)
		return -ENOMEM;
	o->p = p;
	o->cap = cap;
	return 0;
}

static int inflate_xz(const uint8_t *in, size_t n, struct outbuf *o)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret r;
	int err = 0;

	if (lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
		return -ENOMEM;
	s.next_in = in;
	s.avail_in = n;
	do {
		err = outbuf_room(o);
		if (err)
			break;
		s.next_out = o->p + o->len;
		s.avail_out = o->cap - o->len;
		r = lzma_code(&s, LZMA_FINISH);
		o->len = o->cap - s.avail_out;
		if (r == LZMA_MEM_ERROR)
			err = -ENOMEM;
		else if (r != LZMA_OK && r != LZMA_STREAM_END)
			err = -EINVAL;
		else if (r == LZMA_OK && s.avail_out && !s.avail_in)
			err = -EINVAL; /* input ended inside the stream */
	} while (!err && r != LZMA_STREAM_END);
	lzma_end(&s);
	return err;
}

static int inflate_zstd(const uint8_t *in, size_t n, struct outbuf *o)
{
	ZSTD_DStream *ds = ZSTD_createDStream();
	ZSTD_inBuffer ib = { in, n, 0 };
	size_t r = 1;
	int err = 0;

	if (!ds)
		return -ENOMEM;
	/* Frames follow each other until the input ends; r == 0 after a whole frame. */
	while (!err && (ib.pos < ib.size || r != 0)) {
		ZSTD_outBuffer ob;
		size_t before = ib.pos;

		err = outbuf_room(o);
		if (err)
			break;
		ob = (ZSTD_outBuffer){ o->p + o->len, o->cap - o->len, 0 };
		r = ZSTD_decompressStream(ds, &ob, &ib);
		o->len += ob.pos;
		if (ZSTD_isError(r))
			err = -EINVAL;
		else if (r && ib.pos == ib.size && ib.pos == before && ob.pos < ob.size)
			err = -EINVAL; /* input ended inside a frame */
	}
	ZSTD_freeDStream(ds);
	return err;
}

/* After a gzip member: another member, or zeros (as gzip(1) allows); anything else is corrupt. */
static int gzip_rest(z_stream *z, size_t n, bool *more)
{
	*more = false;
	if (!n)
		return 0;
	if (starts_with(z->next_in, n, gzip_magic, sizeof(gzip_magic))) {
		*more = true;
		return inflateReset(z) == Z_OK ? 0 : -EINVAL;
	}
	for (size_t i = 0; i < n; i++)
		if (z->next_in[i])
			return -EINVAL;
	return 0;
}

static int inflate_gzip(const uint8_t *in, size_t n, struct outbuf *o)
{
	z_stream z;
	int r = Z_OK, err = 0;
	bool more = true;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return -ENOMEM;
	z.next_in = (Bytef *)in;
	do {
		size_t in_now = n > UINT32_MAX ? UINT32_MAX : n, out_now;

		err = outbuf_room(o);
		if (err)
			break;
		out_now = o->cap - o->len > UINT32_MAX ? UINT32_MAX : o->cap - o->len;
		z.avail_in = (uInt)in_now;
		z.next_out = o->p + o->len;
		z.avail_out = (uInt)out_now;
		r = inflate(&z, Z_NO_FLUSH);
		n -= in_now - z.avail_in;
		o->len += out_now - z.avail_out;
		if (r == Z_MEM_ERROR)
			err = -ENOMEM;
		else if (r != Z_OK && r != Z_STREAM_END && r != Z_BUF_ERROR)
			err = -EINVAL;
		else if (r == Z_BUF_ERROR && !n)
			err = -EINVAL; /* input ended inside the stream */
		else if (r == Z_STREAM_END)
			err = gzip_rest(&z, n, &more); /* a file may hold several members */
	} while (!err && (r != Z_STREAM_END || more));
	inflateEnd(&z);
	return err;
}

int btf_decompress(const uint8_t *in, size_t n, uint8_t **out, size_t *out_size, char *msg,
		   size_t msg_sz)
{
	const char *what = btf_compression(in, n);
	struct outbuf o = { 0 };
	int err;

	if (!what)
		return -ENOMSG;
	if (what[0] == 'x')
		err = inflate_xz(in, n, &o);
	else if (what[0] == 'z')
		err = inflate_zstd(in, n, &o);
	else
		err = inflate_gzip(in, n, &o);
	if (!err && !o.len)
		err = -EINVAL;
	if (!err && o.len > DECOMPRESSED_MAX)
		err = -EFBIG;
	if (err) {
		free(o.p);
		if (err == -EFBIG)
			btf_msg(msg, msg_sz, "%s data decompresses to more than %zu MiB", what,
				DECOMPRESSED_MAX >> 20);
		else if (err == -ENOMEM)
			btf_msg(msg, msg_sz, "out of memory decompressing %s data", what);
		else
			btf_msg(msg, msg_sz, "corrupt or truncated %s data", what);
		return err == -EFBIG ? -EINVAL : err;
	}
	/* Held as long as the BTF read from it: no room to spare. */
	if (o.len < o.cap) {
		uint8_t *fit = realloc(o.p, o.len);

		if (fit)
			o.p = fit;
	}
	*out = o.p;
	*out_size = o.len;
	return 0;
}
