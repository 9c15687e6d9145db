// SPDX-License-Identifier: BSD-2-Clause
/*
 * Buffered text output for the dumpers: 64 KiB at a time into the sink, and
 * number formatting without printf (a vmlinux dump formats ~1.5 million
 * numbers; printf's parsing of its format string would dominate).
 */
#include <errno.h>
#include <string.h>

#include "dump_int.h"

void out_init(struct out *o, const struct btfkit_sink *sink)
{
	o->sink = sink;
	o->len = 0;
	o->err = 0;
}

void out_flush(struct out *o)
{
	if (o->len && !o->err) {
		int err = o->sink->write(o->sink->ctx, o->buf, o->len);

		if (err)
			o->err = err < 0 ? err : -EIO;
	}
	o->len = 0;
}

int out_finish(struct out *o)
{
	out_flush(o);
	return o->err;
}

void out_mem_slow(struct out *o, const char *s, size_t n)
{
	while (n) {
		size_t room = OUT_BUF_SIZE - o->len, k = n < room ? n : room;

		memcpy(o->buf + o->len, s, k);
		o->len += k;
		s += k;
		n -= k;
		if (o->len == OUT_BUF_SIZE)
			out_flush(o);
	}
}

static const char digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

void out_u64(struct out *o, uint64_t v)
{
	char tmp[20], *p = tmp + sizeof(tmp), *dst;

	while (v >= 100) {
		unsigned d = (unsigned)(v % 100) * 2;

		v /= 100;
		*--p = digit_pairs[d + 1];
		*--p = digit_pairs[d];
	}
	if (v >= 10) {
		*--p = digit_pairs[v * 2 + 1];
		*--p = digit_pairs[v * 2];
	} else {
		*--p = (char)('0' + v);
	}
	if (OUT_BUF_SIZE - o->len < sizeof(tmp))
		out_flush(o);
	dst = o->buf + o->len;
	o->len += (size_t)(tmp + sizeof(tmp) - p);
	while (p < tmp + sizeof(tmp))
		*dst++ = *p++;
}

void out_s64(struct out *o, int64_t v)
{
	if (v < 0) {
		out_char(o, '-');
		out_u64(o, (uint64_t)0 - (uint64_t)v);
	} else {
		out_u64(o, (uint64_t)v);
	}
}

/*
 * A JSON string, escaped as bpftool's writer does for \t \n \r \f \b and ".
 * Where bpftool goes wrong we write valid JSON instead: it turns a backslash
 * into "\n" and passes other control characters through raw; we write "\\"
 * and "\u00XX". Kernel BTF names never contain either.
 */
void out_json_str(struct out *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t len;

	out_char(o, '"');
	len = o->len;
	for (;; s++) {
		unsigned char c = (unsigned char)*s;
		const char *esc;

		/* Room for the longest escape (6 bytes) and the closing quote. */
		if (OUT_BUF_SIZE - len < 8) {
			o->len = len;
			out_flush(o);
			len = 0;
		}
		if (c >= 0x20 && c != '"' && c != '\\') {
			o->buf[len++] = (char)c;
			continue;
		}
		switch (c) {
		case 0:
			o->buf[len++] = '"';
			o->len = len;
			return;
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\t':
			esc = "\\t";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		case '\f':
			esc = "\\f";
			break;
		case '\b':
			esc = "\\b";
			break;
		default:
			o->buf[len++] = '\\';
			o->buf[len++] = 'u';
			o->buf[len++] = '0';
			o->buf[len++] = '0';
			o->buf[len++] = hex[c >> 4];
			o->buf[len++] = hex[c & 15];
			continue;
		}
		o->buf[len++] = esc[0];
		o->buf[len++] = esc[1];
	}
}
