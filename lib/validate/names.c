// SPDX-License-Identifier: BSD-2-Clause
/*
 * Strings, names and type predicates as the kernel's verifier sees them.
 *
 * Character classes come from the kernel's own ctype table (lib/ctype.c),
 * not from the C library's: the kernel classifies bytes 0xC0-0xFF as Latin-1
 * letters and 0xA0-0xFF as printable, whatever the locale.
 */
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "validate_int.h"

const struct btfkit_type v_void;

static bool k_isprint(unsigned char c)
{
	return (c >= 0x20 && c < 0x7f) || c >= 0xa0;
}

/*
 * The character classes of identifiers, once per validation (of every
 * module, so in ranges): letters and '_' start a name and follow in one,
 * digits follow, '.' too where the rules allow dots.
 */
void v_env_init_names(struct v_env *env)
{
	uint8_t *ch = env->id_chars;
	const uint8_t both = V_ID_FIRST | V_ID_REST;

	memset(ch, 0, 256);
	memset(&ch['a'], both, 26);
	memset(&ch['A'], both, 26);
	memset(&ch['0'], V_ID_REST, 10);
	ch['_'] = both;
	/* Latin-1 letters: all of 0xC0-0xFF but the two signs × and ÷. */
	memset(&ch[0xc0], both, 0x40);
	ch[0xd7] = ch[0xf7] = 0;
	if (env->rules.dots_in_identifiers)
		ch['.'] = both;
}

/*
 * Of eight bytes, which are not [A-Za-z0-9_]: the high bit of each such
 * byte set, as read in memory order from the least significant byte. (Bytes
 * over 0x7f are always marked; they are left to the table. Their carries
 * may spoil the marks of bytes after them, never of bytes before: only the
 * first mark is used.)
 */
static uint64_t not_plain(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	/* For bytes below 0x80: the high bit of x + (0x80 - lo) says x >= lo, and
	 * that of x + (0x7f - hi) says x > hi; no carries cross such bytes. */
#define IN_RANGE(lo, hi) ((x + ones * (0x80 - (lo))) & ~(x + ones * (0x7f - (hi))))
	uint64_t ok = IN_RANGE('a', 'z') | IN_RANGE('A', 'Z') | IN_RANGE('0', '9') |
		      IN_RANGE('_', '_');
#undef IN_RANGE
	return (x | ~ok) & high;
}

#ifdef __SSE2__
/*
 * The same for sixteen bytes with SSE2 (every x86-64 has it): one bit per
 * byte, in memory order. Bytes over 0x7f compare as negative, so they are
 * never letters or digits here and are left to the table too.
 */
static uint32_t not_plain16(const uint8_t *p)
{
	__m128i x = _mm_loadu_si128((const __m128i *)p);
	/* Setting bit 5 folds 'A'-'Z' onto 'a'-'z' and nothing else onto them. */
	__m128i low = _mm_or_si128(x, _mm_set1_epi8(0x20));
	__m128i alpha = _mm_and_si128(_mm_cmpgt_epi8(low, _mm_set1_epi8('a' - 1)),
				      _mm_cmplt_epi8(low, _mm_set1_epi8('z' + 1)));
	__m128i digit = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
				      _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
	__m128i ok = _mm_or_si128(_mm_or_si128(alpha, digit),
				  _mm_cmpeq_epi8(x, _mm_set1_epi8('_')));

	return ~(uint32_t)_mm_movemask_epi8(ok) & 0xffff;
}
#endif

/*
 * Where an identifier starting at `s` stops: the first byte after s[0] that
 * cannot follow in one (its NUL if the whole string qualifies), or `s`
 * itself when s[0] cannot start one. The section ends with a NUL: the byte
 * loop stops there at the latest.
 */
static const uint8_t *identifier_stop(const struct v_env *env, const uint8_t *s, const uint8_t *end)
{
	const uint8_t *c;

	if (!(env->id_chars[*s] & V_ID_FIRST))
		return s;
	c = s + 1;
	/*
	 * Sixteen or eight characters at a time, and in the block that holds the
	 * end, a jump to its first byte that is not a letter, digit or '_' (the
	 * NUL, usually): the table looks at that byte and any after it.
	 */
#ifdef __SSE2__
	while (c + 16 <= end) {
		uint32_t bad = not_plain16(c);

		if (bad) {
			c += __builtin_ctz(bad);
			goto table;
		}
		c += 16;
	}
#endif
	while (c + 8 <= end) {
		uint64_t x, bad;

		memcpy(&x, c, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		x = __builtin_bswap64(x);
#endif
		bad = not_plain(x);
		if (bad) {
			c += __builtin_ctzll(bad) >> 3;
			break;
		}
		c += 8;
	}
#ifdef __SSE2__
table:
#endif
	for (; env->id_chars[*c] & V_ID_REST; c++)
		;
	return c;
}

/*
 * The kernel checks at most ksym_name_len characters and then wants the
 * terminating NUL: a name is valid when all its characters are and it is no
 * longer than that. (NUL is not in V_ID_REST: it ends the scan.)
 */
static bool identifier_valid(const struct v_env *env, const uint8_t *start, const uint8_t *stop)
{
	return stop > start && !*stop && (size_t)(stop - start) <= env->rules.ksym_name_len;
}

static bool check_identifier(const struct v_env *env, const char *s, const char *end)
{
	const uint8_t *start = (const uint8_t *)s;

	return start && identifier_valid(env, start, identifier_stop(env, start, (const uint8_t *)end));
}

/* A string of the chain, and the end of the string section holding it. */
static const char *str_in(const struct v_btf *btf, uint32_t off, const char **section,
			  const char **end)
{
	while (off < btf->start_str_off)
		btf = btf->base;
	off -= btf->start_str_off;
	*section = btf->strings;
	*end = btf->strings + btf->hdr.str_len;
	return off < btf->hdr.str_len ? btf->strings + off : NULL;
}

static const char *str_and_end(const struct v_btf *btf, uint32_t off, const char **end)
{
	const char *section;

	return str_in(btf, off, &section, end);
}

/*
 * A name v_valid_identifier() could not answer from what the levels know:
 * check it, and remember a valid one of this level. One that starts inside
 * another string ("ice" of "device") is valid for the kernel too, but is
 * not remembered by offset: the level notes that it has one, so that a name
 * found valid by a bit is always a string's start (split/check.c relies on
 * it).
 */
bool v_check_new_identifier(struct v_env *env, uint32_t off, bool own)
{
	struct v_btf *b = env->btf;
	const char *section, *end, *s = str_in(b, off, &section, &end);
	uint32_t local = off - b->start_str_off;

	if (!check_identifier(env, s, end))
		return false;
	if (s != section && s[-1])
		b->names_inside = true;
	else if (own && b->valid_names)
		b->valid_names[local >> 6] |= 1ull << (local & 63);
	return true;
}

bool v_valid_section_name(const struct v_env *env, uint32_t off)
{
	const char *end, *s = str_and_end(env->btf, off, &end);
	const char *limit;

	if (!env->rules.datasec_any_printable) {
		/* Older kernels: an identifier in which dots are also allowed. */
		struct v_env dotted = *env;

		dotted.rules.dots_in_identifiers = true;
		v_env_init_names(&dotted);
		return check_identifier(&dotted, s, end);
	}
	if (!s || !*s)
		return false;
	limit = s + env->rules.ksym_name_len;
	for (; *s && s < limit; s++)
		if (!k_isprint((unsigned char)*s))
			return false;
	return !*s;
}

const char *v_name(const struct v_btf *btf, uint32_t off)
{
	const char *s;

	if (!off)
		return "(anon)";
	s = v_str(btf, off);
	return s ? s : "(invalid-name-offset)";
}

/* Not a bitfield: u8/u16/u32/u64/__int128 bits at offset 0. */
bool v_int_regular(const struct btfkit_type *t)
{
	uint32_t data = *(const uint32_t *)(t + 1);
	uint8_t bits = data & 0xff;
	uint8_t bytes = (uint8_t)((bits >> 3) + !!(bits & 7));

	if ((bits & 7) || ((data >> 16) & 0xff))
		return false;
	return bytes == 1 || bytes == 2 || bytes == 4 || bytes == 8 || bytes == 16;
}

/*
 * The scan of a whole string section (ahead.c runs it on its own thread):
 * one bit per string start that is a valid identifier, final in every word
 * below b->scanned. `scanned` only moves by whole 64-bit words, so the words
 * the other thread reads are never written again.
 */
#define SCAN_STEP (16u << 10)

void v_scan_names(const struct v_env *env, struct v_btf *b)
{
	const char *s = b->strings, *end = s + b->hdr.str_len;
	uint32_t off = 0, next_publish = SCAN_STEP;

	while (off < b->hdr.str_len) {
		/* One pass over each string: where the identifier stops is its NUL when valid. */
		const uint8_t *str = (const uint8_t *)s + off;
		const uint8_t *c = identifier_stop(env, str, (const uint8_t *)end);

		if (identifier_valid(env, str, c))
			b->prescan[off >> 6] |= 1ull << (off & 63);
		else if (*c)
			c += strlen((const char *)c);
		off = (uint32_t)(c - (const uint8_t *)s) + 1;
		if (off >= next_publish) {
			atomic_store_explicit(&b->scanned, off & ~63u, memory_order_release);
			next_publish = off + SCAN_STEP;
		}
	}
	atomic_store_explicit(&b->scanned, b->hdr.str_len, memory_order_release);
}
