// SPDX-License-Identifier: BSD-2-Clause
/*
 * Strings, names and type predicates as the kernel's verifier sees them.
 *
 * Character classes come from the kernel's own ctype table (lib/ctype.c),
 * not from the C library's: the kernel classifies bytes 0xC0-0xFF as Latin-1
 * letters and 0xA0-0xFF as printable, whatever the locale.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "validate_int.h"
#include "../btf/btf_int.h"

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
 * Of sixteen bytes with SSE2 (every x86-64 has it): which are ASCII letters
 * or '_', and which are digits, 0xff per byte. Bytes over 0x7f compare as
 * negative, so they are neither here and are left to the table.
 */
static inline __m128i letters16(__m128i x)
{
	/* Setting bit 5 folds 'A'-'Z' onto 'a'-'z' and nothing else onto them. */
	__m128i low = _mm_or_si128(x, _mm_set1_epi8(0x20));

	return _mm_or_si128(_mm_and_si128(_mm_cmpgt_epi8(low, _mm_set1_epi8('a' - 1)),
					  _mm_cmplt_epi8(low, _mm_set1_epi8('z' + 1))),
			    _mm_cmpeq_epi8(x, _mm_set1_epi8('_')));
}

static inline __m128i digits16(__m128i x)
{
	return _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
			     _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
}

/* not_plain() for sixteen bytes: one bit per byte, in memory order. */
static uint32_t not_plain16(const uint8_t *p)
{
	__m128i x = _mm_loadu_si128((const __m128i *)p);

	return ~(uint32_t)_mm_movemask_epi8(_mm_or_si128(letters16(x), digits16(x))) & 0xffff;
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
 * The scan of a whole string section: one bit per string start that is a
 * valid identifier, final in every word below b->scanned. ahead.c runs it on
 * its own thread for large BTF, which is why `scanned` only moves by whole
 * 64-bit words: the words the other thread reads are never written again.
 * Small BTF (a module) is scanned before its first pass (v_prescan_names).
 *
 * The section is read 64 bytes at a time into four masks (which bytes are
 * NUL, may start an identifier, may follow in one, are over 0x7f), and each
 * string is then judged by its bits: no loop over its characters. Blocks
 * with bytes over 0x7f take the kernel's table, byte by byte.
 */
#define SCAN_STEP (16u << 10)

struct classes {
	uint64_t nul, first, rest, high;
};

static void classify_bytes(const struct v_env *env, const uint8_t *p, struct classes *m)
{
	memset(m, 0, sizeof(*m));
	for (unsigned i = 0; i < 64; i++) {
		uint8_t ch = env->id_chars[p[i]];

		m->nul |= (uint64_t)(p[i] == 0) << i;
		m->first |= (uint64_t)!!(ch & V_ID_FIRST) << i;
		m->rest |= (uint64_t)!!(ch & V_ID_REST) << i;
	}
}

static void classify(const struct v_env *env, const uint8_t *p, struct classes *m)
{
#ifdef __SSE2__
	const __m128i dot = env->rules.dots_in_identifiers ? _mm_set1_epi8('.') : _mm_setzero_si128();

	memset(m, 0, sizeof(*m));
	for (unsigned k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(p + 16 * k));
		/* A zero `dot` matches only NUL, which is neither class: masked below. */
		__m128i first = _mm_or_si128(letters16(x), _mm_cmpeq_epi8(x, dot));
		uint64_t nul = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_setzero_si128()));

		m->nul |= nul << (16 * k);
		m->first |= ((uint32_t)_mm_movemask_epi8(first) & ~nul) << (16 * k);
		m->rest |= ((uint32_t)_mm_movemask_epi8(_mm_or_si128(first, digits16(x))) & ~nul)
			   << (16 * k);
		m->high |= (uint64_t)(uint32_t)_mm_movemask_epi8(x) << (16 * k);
	}
	if (m->high)
		classify_bytes(env, p, m);
#else
	classify_bytes(env, p, m);
#endif
}

/*
 * One string [s, e) of the block at c (e: its NUL): a valid identifier?
 * Without a branch on the data. `ok_before`: for a string begun in an
 * earlier block, that its first byte may start one and no byte after it in
 * earlier blocks is bad.
 */
static inline uint64_t judge(const struct classes *m, uint64_t bad, uint32_t c, uint32_t s,
			     uint32_t e, bool ok_before, uint32_t len, uint32_t limit)
{
	uint32_t re = e - c;
	uint64_t upto = (1ull << re) - 1; /* bits before the NUL; re <= 63 */
	uint64_t ok;

	if (s >= c) {
		uint32_t rs = s - c;
		/* The bits after the first byte: rs = 63 leaves none (2 << 63 is 0). */
		uint64_t after = ~((2ull << rs) - 1);

		ok = ((m->first >> rs) & 1) & !(bad & upto & after);
	} else {
		ok = ok_before & !(bad & upto);
	}
	return ok & (e > s) & (e - s <= limit) & (s < len);
}

void v_scan_names(const struct v_env *env, struct v_btf *b)
{
	const uint8_t *str = (const uint8_t *)b->strings;
	uint32_t len = b->hdr.str_len, limit = env->rules.ksym_name_len;
	uint32_t s = 0, next_publish = SCAN_STEP;
	bool ok_before = false; /* for s < c: see judge() */

	for (uint32_t c = 0; c < len; c += 64) {
		uint8_t tail[64];
		const uint8_t *p = str + c;
		struct classes m;
		uint64_t bad, nuls;

		if (len - c < 64) {
			/* The last block, padded with NULs: strings starting in them are ignored. */
			memset(tail, 0, sizeof(tail));
			memcpy(tail, p, len - c);
			p = tail;
		}
		classify(env, p, &m);
		bad = ~(m.rest | m.nul);
		/* Each NUL ends the string that began after the one before. */
		for (nuls = m.nul; nuls; nuls &= nuls - 1) {
			uint32_t e = c + (uint32_t)__builtin_ctzll(nuls);

			b->prescan[s >> 6] |= judge(&m, bad, c, s, e, ok_before, len, limit) << (s & 63);
			s = e + 1;
		}
		/* The string that goes on into the next block. */
		if (s < c)
			ok_before = ok_before && !bad;
		else if (s < c + 64)
			ok_before = ((m.first >> (s - c)) & 1) && !(bad & ~((2ull << (s - c)) - 1));
		/* (s == c + 64: it starts with the next block.) */
		/* Every string starting below s is judged. */
		if (s >= next_publish) {
			atomic_store_explicit(&b->scanned, s & ~63u, memory_order_release);
			next_publish = s + SCAN_STEP;
		}
	}
	atomic_store_explicit(&b->scanned, len, memory_order_release);
}

int v_prescan_names(const struct v_env *env, struct v_btf *b)
{
	b->prescan = btf_zalloc(b->hdr.str_len / 64 + 1, sizeof(*b->prescan));
	if (!b->prescan)
		return -ENOMEM;
	v_scan_names(env, b);
	return 0;
}
