// SPDX-License-Identifier: BSD-2-Clause
/*
 * Strings, names and type predicates as the kernel's verifier sees them.
 *
 * Character classes come from the kernel's own ctype table (lib/ctype.c),
 * not from the C library's: the kernel classifies bytes 0xC0-0xFF as Latin-1
 * letters and 0xA0-0xFF as printable, whatever the locale.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

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
	 * Eight characters at a time, and in the word that holds the end, a
	 * jump to its first byte that is not a letter, digit or '_' (the NUL,
	 * usually): the table looks at that byte and any after it.
	 */
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
static const char *str_and_end(const struct v_btf *btf, uint32_t off, const char **end)
{
	while (off < btf->start_str_off)
		btf = btf->base;
	off -= btf->start_str_off;
	*end = btf->strings + btf->hdr.str_len;
	return off < btf->hdr.str_len ? btf->strings + off : NULL;
}

/*
 * The caller has checked the offset (every path to here has). Member and
 * parameter names repeat thousands of times in kernel BTF: a name of this
 * level found valid once is remembered, by offset.
 */
/*
 * What a level already knows of the string at `local`: 1 valid, 0 invalid,
 * -1 unknown. A checked base's knowledge is final: a module's names that are
 * the base's strings (most of them) are looked up, not checked again.
 */
static int known_identifier(const struct v_btf *b, uint32_t local)
{
	/* The scan's answer first: past the first pass's start it covers nearly every name. */
	if (b->prescan && local < atomic_load_explicit(&b->scanned, memory_order_acquire)) {
		/* A set bit is a valid string start; a clear one may be mid-string: look. */
		if ((b->prescan[local >> 6] >> (local & 63)) & 1)
			return 1;
		if (!local || !b->strings[local - 1])
			return 0;
	}
	if (b->valid_names && (b->valid_names[local >> 6] >> (local & 63)) & 1)
		return 1;
	return -1;
}

bool v_valid_identifier(struct v_env *env, uint32_t off)
{
	struct v_btf *b = env->btf;
	uint32_t local = off - b->start_str_off;
	bool own = off >= b->start_str_off && local < b->hdr.str_len;

	const char *end, *s;
	int known;

	if (own) {
		known = known_identifier(b, local);
	} else {
		const struct v_btf *owner = b->base;

		while (owner && off < owner->start_str_off)
			owner = owner->base;
		known = owner && off - owner->start_str_off < owner->hdr.str_len
				? known_identifier(owner, off - owner->start_str_off)
				: -1;
	}
	if (known >= 0)
		return known;
	s = str_and_end(b, off, &end);
	if (!check_identifier(env, s, end))
		return false;
	if (own && b->valid_names)
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
