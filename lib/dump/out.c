// SPDX-License-Identifier: BSD-2-Clause
/*
 * Buffered text output for the dumpers: 64 KiB at a time into the sink, and
 * number formatting without printf (a vmlinux dump formats ~1.5 million
 * numbers; printf's parsing of its format string would dominate).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

/* How many decimal digits v has (1 for 0): from its bit length, then one comparison. */
static unsigned decimal_digits(uint64_t v)
{
	/* Below index t the powers of ten; [0] is 0 so that 0 has one digit. */
	static const uint64_t below[20] = {
		0, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull,
		100000000ull, 1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull,
		10000000000000ull, 100000000000000ull, 1000000000000000ull, 10000000000000000ull,
		100000000000000000ull, 1000000000000000000ull, 10000000000000000000ull,
	};
	/* 1233 / 4096 ~ log10(2): t is the digit count or one less. */
	unsigned t = ((64u - (unsigned)__builtin_clzll(v | 1)) * 1233u) >> 12;

	return t + 1 - (v < below[t]);
}

/* Written in place, last digits first: no copy from a scratch buffer. */
void out_u64(struct out *o, uint64_t v)
{
	unsigned n = decimal_digits(v);
	char *p;

	if (OUT_BUF_SIZE - o->len < 20)
		out_flush(o);
	p = o->buf + o->len + n;
	o->len += n;
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

#ifdef __SSE2__
/*
 * Copy the 16 bytes at s to dst and say how many lead ones need no escape
 * (not a control character, '"' or '\\', and not the NUL): 16 if all. Only
 * where the 16 bytes lie in the page of s; elsewhere 0 (the caller goes byte
 * by byte). Reading past a string's NUL within its page cannot fault, but
 * those bytes may belong to no object, hence no address sanitizing here.
 */
__attribute__((no_sanitize_address)) static unsigned plain_bytes16(const char *s, char *dst)
{
	__m128i x, bad;

	if (((uintptr_t)s & 4095) > 4096 - 16)
		return 0;
	x = _mm_loadu_si128((const __m128i *)s);
	/* Unsigned x <= 0x1f: control characters and the NUL. */
	bad = _mm_cmpeq_epi8(_mm_max_epu8(x, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f));
	bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('"')));
	bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));
	_mm_storeu_si128((__m128i *)dst, x);
	return (unsigned)__builtin_ctz((unsigned)_mm_movemask_epi8(bad) | 0x10000);
}
#endif

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
	for (;;) {
		unsigned char c;
		const char *esc;
#ifdef __SSE2__
		unsigned plain;
#endif

		/* Room for a block of 16, or the longest escape (6 bytes) and the closing quote. */
		if (OUT_BUF_SIZE - len < 24) {
			o->len = len;
			out_flush(o);
			len = 0;
		}
#ifdef __SSE2__
		/*
		 * Bytes that need no escape go out 16 at a time; a block is cut at
		 * the NUL or a byte to escape, which is then taken alone below.
		 */
		plain = plain_bytes16(s, o->buf + len);
		len += plain;
		s += plain;
		if (plain == 16)
			continue;
#endif
		c = (unsigned char)*s++;
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
