// SPDX-License-Identifier: BSD-2-Clause
/*
 * The validation API: verdicts, the kernel's words and ids, split BTF on a
 * base, the rules of older kernels, and bad arguments. (Agreement with the
 * real kernel, case by case, is tests/validate/run.sh's job.)
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <btfkit/btfkit.h>

#include "btf_builder.h"
#include "testutil.h"

static const struct btfkit_validate_opts v6_18 = {
	.sz = sizeof(v6_18), .kernel = BTFKIT_KERNEL_VERSION(6, 18, 0)
};

static void validate(const struct btf_builder *b, const struct btfkit_btf *base,
		     const struct btfkit_validate_opts *o, struct btfkit_verdict *v)
{
	size_t size;
	uint8_t *blob = bb_finish(b, BB_LITTLE, &size);

	assert_non_null(blob);
	assert_int_equal(btfkit_validate_mem(blob, size, base, o, v), 0);
	free(blob);
}

static void test_valid(void **state)
{
	struct btf_builder b;
	struct btfkit_verdict v;
	uint32_t i, s;

	(void)state;
	bb_init(&b);
	i = bb_int(&b, "int", 4, BTFKIT_INT_SIGNED, 0, 32);
	s = bb_struct(&b, "pair", 8, 0);
	bb_member(&b, "a", i, 0, 0);
	bb_member(&b, "b", i, 32, 0);
	bb_ptr(&b, s);
	validate(&b, NULL, &v6_18, &v);
	assert_int_equal(v.valid, 1);
	assert_int_equal(v.err, 0);
	assert_int_equal(v.nr_types, 3);
	assert_int_equal(v.kernel, BTFKIT_KERNEL_VERSION(6, 18, 0));
	assert_string_equal(v.log, "");
	bb_free(&b);
}

static void test_member_too_far(void **state)
{
	struct btf_builder b;
	struct btfkit_verdict v;
	uint32_t i;

	(void)state;
	bb_init(&b);
	i = bb_int(&b, "int", 4, BTFKIT_INT_SIGNED, 0, 32);
	bb_struct(&b, "pair", 6, 0);
	bb_member(&b, "a", i, 0, 0);
	bb_member(&b, "b", i, 32, 0);
	validate(&b, NULL, &v6_18, &v);
	assert_int_equal(v.valid, 0);
	assert_int_equal(v.err, -EINVAL);
	assert_int_equal(v.type_id, 2);
	assert_int_equal(v.member, 1);
	assert_string_equal(v.message, "Member exceeds struct_size");
	/* After the first pass, the kernel names the struct, then the member. */
	assert_string_equal(v.log, "[2] STRUCT pair size=6 vlen=2\n"
				   "\tb type_id=1 bits_offset=32 Member exceeds struct_size\n");
	bb_free(&b);
}

static void test_loop(void **state)
{
	struct btf_builder b;
	struct btfkit_verdict v;

	(void)state;
	bb_init(&b);
	bb_typedef(&b, "a", 2);
	bb_typedef(&b, "b", 1);
	validate(&b, NULL, &v6_18, &v);
	assert_int_equal(v.valid, 0);
	assert_int_equal(v.err, -EEXIST);
	assert_int_equal(v.type_id, 1);
	assert_string_equal(v.message, "Loop detected");
	assert_int_equal(v.member, -1);
	bb_free(&b);
}

static void test_header_errors(void **state)
{
	static const uint8_t not_btf[32] = { 1, 2, 3 };
	struct btfkit_verdict v;

	(void)state;
	assert_int_equal(btfkit_validate_mem(not_btf, 4, NULL, &v6_18, &v), 0);
	assert_int_equal(v.valid, 0);
	assert_string_equal(v.message, "hdr_len not found");
	assert_int_equal(v.type_id, 0);
	assert_int_equal(btfkit_validate_mem(not_btf, sizeof(not_btf), NULL, &v6_18, &v), 0);
	assert_int_equal(v.valid, 0);
	assert_string_equal(v.message, "Invalid magic");
}

static void test_split(void **state)
{
	struct btf_builder base, mod;
	struct btfkit_verdict v;
	struct btfkit_btf *b;
	uint8_t *blob;
	uint32_t i;

	(void)state;
	bb_init(&base);
	i = bb_int(&base, "int", 4, BTFKIT_INT_SIGNED, 0, 32);
	bb_typedef(&base, "int_t", i);
	b = tu_open(&base, BB_LITTLE, 0, NULL, &blob);
	assert_non_null(b);

	bb_init_split_on(&mod, &base);
	bb_ptr(&mod, 2);
	bb_struct(&mod, "m", 4, 0);
	bb_member(&mod, "x", 2, 0, 0);
	validate(&mod, b, &v6_18, &v);
	assert_int_equal(v.valid, 1);
	assert_int_equal(v.nr_types, 2);
	bb_free(&mod);

	/* A member of the split part that the base's type does not fit. */
	bb_init_split_on(&mod, &base);
	bb_struct(&mod, "m", 2, 0);
	bb_member(&mod, "x", 2, 0, 0);
	validate(&mod, b, &v6_18, &v);
	assert_int_equal(v.valid, 0);
	assert_int_equal(v.type_id, 3);
	assert_string_equal(v.message, "Member exceeds struct_size");
	bb_free(&mod);

	btfkit_btf_free(b);
	free(blob);
	bb_free(&base);
}

static void test_rules_by_version(void **state)
{
	struct btfkit_validate_opts o = { .sz = sizeof(o) };
	struct btf_builder b;
	struct btfkit_verdict v;
	uint32_t i;

	(void)state;
	bb_init(&b);
	i = bb_int(&b, "int", 4, BTFKIT_INT_SIGNED, 0, 32);
	bb_func_proto(&b, i);
	bb_func(&b, "foo.isra.0", 2, 0);
	o.kernel = BTFKIT_KERNEL_VERSION(6, 3, 0);
	validate(&b, NULL, &o, &v);
	assert_int_equal(v.valid, 0);
	assert_string_equal(v.message, "Invalid name");
	o.kernel = BTFKIT_KERNEL_VERSION(6, 4, 0);
	validate(&b, NULL, &o, &v);
	assert_int_equal(v.valid, 1);
	bb_free(&b);

	/* ENUM64 is kind 19, unknown before 6.0. */
	bb_init(&b);
	bb_enum64(&b, "big", 8, 0);
	bb_enum64_val(&b, "HUGE", 1ull << 40);
	o.kernel = BTFKIT_KERNEL_VERSION(5, 19, 0);
	validate(&b, NULL, &o, &v);
	assert_int_equal(v.valid, 0);
	assert_string_equal(v.message, "Invalid kind:19");
	assert_string_equal(v.log, "[1] Invalid kind:19");
	o.kernel = BTFKIT_KERNEL_VERSION(6, 0, 0);
	validate(&b, NULL, &o, &v);
	assert_int_equal(v.valid, 1);
	bb_free(&b);

	/* A signed ENUM (kind_flag set): refused before 6.0. */
	bb_init(&b);
	bb_enum(&b, "sgn", 4, 1);
	bb_enum_val(&b, "NEG", -1);
	o.kernel = BTFKIT_KERNEL_VERSION(5, 19, 0);
	validate(&b, NULL, &o, &v);
	assert_int_equal(v.valid, 0);
	assert_string_equal(v.message, "Invalid btf_info kind_flag");
	o.kernel = BTFKIT_KERNEL_VERSION(6, 0, 0);
	validate(&b, NULL, &o, &v);
	assert_int_equal(v.valid, 1);
	bb_free(&b);

	/* kind_flag on a type tag: an attribute from 6.15. */
	bb_init(&b);
	i = bb_int(&b, "int", 4, 0, 0, 32);
	bb_raw_type(&b, bb_str(&b, "attr"), bb_info(BTFKIT_KIND_TYPE_TAG, 1, 0), i);
	bb_ptr(&b, 2);
	o.kernel = BTFKIT_KERNEL_VERSION(6, 14, 0);
	validate(&b, NULL, &o, &v);
	assert_int_equal(v.valid, 0);
	assert_string_equal(v.message, "Invalid btf_info kind_flag");
	o.kernel = BTFKIT_KERNEL_VERSION(6, 15, 0);
	validate(&b, NULL, &o, &v);
	assert_int_equal(v.valid, 1);
	bb_free(&b);
}

/*
 * The kernel's identifier rule, byte by byte, as the reference for the
 * validator's word-at-a-time scan: a letter (Latin-1's too, but for the
 * signs 0xd7 and 0xf7), '_' or '.' first, then those or digits.
 */
static bool ref_letter(uint8_t c, bool dots)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (dots && c == '.') ||
	       (c >= 0xc0 && c != 0xd7 && c != 0xf7);
}

static bool ref_identifier_rules(const uint8_t *s, size_t len, bool dots, size_t limit)
{
	if (!len || len > limit || !ref_letter(s[0], dots))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!ref_letter(s[i], dots) && !(s[i] >= '0' && s[i] <= '9'))
			return false;
	return true;
}

static bool ref_identifier(const uint8_t *s, size_t len)
{
	return ref_identifier_rules(s, len, true, 512);
}

/*
 * Names of 1 to 80 bytes (across the 16- and 8-byte blocks the checks read),
 * valid ones and ones with a byte at a class's edge at any position ('@'
 * before 'A', '[' after 'Z', '/' and ':' around the digits, bytes over
 * 0x7f...): the verdict on a typedef of that name is the reference's, both
 * where the name starts its string (the string section's scan answers) and
 * where it is the tail of a longer one, "x" + name (checked alone).
 */
static void test_identifier_scan(void **state)
{
	static const char good[] = "abcxyzABCXYZ_059.\xc0\xe9\xff";
	static const uint8_t edge[] = { '@', '[', '`', '{', '/', ':', '^', '-', ' ', 0x7f,
					0x80, 0xa0, 0xbf, 0xd7, 0xf7, 0xc0, '9', 'Z' };
	uint32_t seed = 12345;
	unsigned mismatches = 0, invalid = 0;

	(void)state;
	for (unsigned n = 0; n < 3000; n++) {
		uint8_t name[81];
		size_t len;
		struct btf_builder b;
		struct btfkit_verdict v;

		seed = seed * 1103515245u + 12345u;
		len = 1 + (seed >> 16) % 80;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			name[i] = (uint8_t)good[(seed >> 16) % (sizeof(good) - 1)];
		}
		seed = seed * 1103515245u + 12345u;
		if ((seed >> 16) & 1) {
			uint32_t at = (seed >> 17) % len;

			seed = seed * 1103515245u + 12345u;
			name[at] = edge[(seed >> 16) % sizeof(edge)];
		}
		name[len] = 0;
		for (int inside = 0; inside <= 1; inside++) {
			char prefixed[83] = "x";
			uint32_t i;

			bb_init(&b);
			i = bb_int(&b, "int", 4, BTFKIT_INT_SIGNED, 0, 32);
			if (inside) {
				memcpy(prefixed + 1, name, len + 1);
				bb_raw_type(&b, bb_str(&b, prefixed) + 1,
					    bb_info(BTFKIT_KIND_TYPEDEF, 0, 0), i);
			} else {
				bb_typedef(&b, (const char *)name, i);
			}
			validate(&b, NULL, &v6_18, &v);
			bb_free(&b);
			invalid += !ref_identifier(name, len);
			if (v.valid != ref_identifier(name, len) && mismatches++ < 5)
				print_error("name of %zu bytes%s, byte 0 %#x: valid %d, the rule says %d\n",
					    len, inside ? " inside a string" : "", name[0], v.valid,
					    ref_identifier(name, len));
		}
	}
	assert_int_equal(mismatches, 0);
	/* Both answers are exercised. */
	assert_true(invalid > 1000 && invalid < 5000);
}

/*
 * The validator judges a module's strings in one scan of its string
 * section, 64 bytes at a time. Sections of random strings (empty ones,
 * ones across 64-byte blocks, bytes over 0x7f in some blocks, lengths at the
 * kernel's limit): a typedef named by each string start, and by a place
 * inside some, is valid exactly when the rule says so, under 6.18's rules
 * (dots, 512 characters) and 5.19's (no dots, 128).
 */
static uint32_t next_rand(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 16;
}

static void test_string_scan(void **state)
{
	static const char good[] = "abcdefXYZ_0189.";
	static const uint8_t odd[] = { '@', '[', '`', '{', '/', ':', '-', ' ', 0x7f, 0x80, 0xd7, 0xe9 };
	static const struct {
		uint32_t kernel;
		bool dots;
		size_t limit;
	} rules[] = { { BTFKIT_KERNEL_VERSION(6, 18, 0), true, 512 },
		      { BTFKIT_KERNEL_VERSION(5, 19, 0), false, 128 } };
	uint32_t seed = 777;
	unsigned checked = 0, mismatches = 0, valid = 0;
	enum { SMALL = 8192, LARGE = 300 << 10, MAX_STRINGS = 40000 };
	uint8_t *buf = malloc(LARGE);
	uint32_t *starts = malloc(MAX_STRINGS * sizeof(*starts));
	uint32_t *lens = malloc(MAX_STRINGS * sizeof(*lens));

	(void)state;
	assert_non_null(buf);
	assert_non_null(starts);
	assert_non_null(lens);
	/*
	 * 24 small sections, then 2 large enough (300 KiB) for the scan to run on
	 * the validator's thread ahead while the first pass looks names up.
	 */
	for (unsigned sec = 0; sec < 26; sec++) {
		struct btfkit_validate_opts o = { .sz = sizeof(o), .kernel = rules[sec % 2].kernel };
		size_t size = sec < 24 ? SMALL : LARGE;
		uint32_t n = 0, off = 1; /* offset 0 is "" */
		/* Every string of a small section; a sample of a large one's. */
		uint32_t every = sec < 24 ? 1 : 97;

		while (n < MAX_STRINGS && off < size - 600) {
			uint32_t r = next_rand(&seed) % 100;
			uint32_t len = r < 5 ? 0 : r < 8 ? 126 + next_rand(&seed) % 6
					   : r < 11 ? 509 + next_rand(&seed) % 6 : 1 + next_rand(&seed) % 70;

			for (uint32_t i = 0; i < len; i++)
				buf[off + i] = (uint8_t)good[next_rand(&seed) % (sizeof(good) - 1)];
			if (len && next_rand(&seed) % 3 == 0)
				buf[off + next_rand(&seed) % len] = odd[next_rand(&seed) % sizeof(odd)];
			buf[off + len] = 0;
			starts[n] = off;
			lens[n++] = len;
			off += len + 1;
			if (sec < 24 && n == 256)
				break;
		}
		for (uint32_t k = 0; k < 2 * n; k += (k & 1) ? 2 * every - 1 : 1) {
			/* Odd k: one byte inside the string, when it has one. */
			uint32_t at = starts[k / 2] + (k & 1), len = lens[k / 2] - (k & 1);
			struct btf_builder b;
			struct btfkit_verdict v;
			bool want;

			if ((k & 1) && !lens[k / 2])
				continue;
			want = ref_identifier_rules(buf + at, len, rules[sec % 2].dots, rules[sec % 2].limit);
			bb_init(&b);
			bb_raw_str(&b, buf + 1, off - 1); /* after the builder's own "" */
			bb_raw_type(&b, 0, bb_info(BTFKIT_KIND_INT, 0, 0), 4);
			bb_raw_word(&b, 32);
			bb_raw_type(&b, at, bb_info(BTFKIT_KIND_TYPEDEF, 0, 0), 1);
			validate(&b, NULL, &o, &v);
			bb_free(&b);
			checked++;
			valid += want;
			if (v.valid != want && mismatches++ < 5)
				print_error("section %u, string at %u (%u bytes): valid %d, the rule says %d\n",
					    sec, at, len, v.valid, want);
		}
	}
	free(buf);
	free(starts);
	free(lens);
	assert_int_equal(mismatches, 0);
	assert_true(checked > 5000 && valid > checked / 4 && valid < checked * 3 / 4);
}

static void test_bad_arguments(void **state)
{
	struct btfkit_verdict v;

	(void)state;
	assert_int_equal(btfkit_validate_mem(NULL, 4, NULL, NULL, &v), -EINVAL);
	assert_int_equal(btfkit_validate_mem("x", 1, NULL, NULL, NULL), -EINVAL);
	assert_int_equal(btfkit_validate_file(NULL, NULL, NULL, &v), -EINVAL);
	assert_int_equal(btfkit_validate_file("/nonexistent/x.btf", NULL, NULL, &v), -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_string_equal(v.message, "No such file or directory");
	/* The running kernel's version, as the default rules. */
	assert_true(btfkit_running_kernel() > BTFKIT_KERNEL_VERSION(3, 0, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_member_too_far),
		cmocka_unit_test(test_loop),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_rules_by_version),
		cmocka_unit_test(test_identifier_scan),
		cmocka_unit_test(test_string_scan),
		cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
