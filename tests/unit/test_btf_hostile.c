// SPDX-License-Identifier: BSD-2-Clause
/*
 * Hostile input: truncated blobs, header fields out of range, unterminated
 * strings, random corruption, split BTF on the wrong base. The contract is
 * that opening either fails with an errno (EINVAL for malformed bytes) or
 * succeeds, and that everything the API offers is then safe to call. Blobs
 * live in exactly-sized heap buffers so that ASan sees any read past them.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <btfkit/btfkit.h>

#include "blobs.h"
#include "testutil.h"

/* A copy in a buffer of exactly `size` bytes. */
static uint8_t *exact_copy(const uint8_t *blob, size_t size)
{
	uint8_t *p = malloc(size ? size : 1);

	assert_non_null(p);
	if (size)
		memcpy(p, blob, size);
	return p;
}

/*
 * Call everything that reads an opened object. Results are not checked
 * (the input is garbage); reaching the end without a crash, a sanitizer
 * report or a hang is the test. Returns the raw dump's length, to use it.
 */
static size_t exercise(const struct btfkit_btf *btf, int reserialize)
{
	struct btfkit_sink discard = { discard_write, NULL };
	struct btfkit_dump_opts raw = { .sz = sizeof(raw), .format = BTFKIT_DUMP_RAW };
	struct btfkit_dump_opts json = { .sz = sizeof(json), .format = BTFKIT_DUMP_JSON };
	struct btfkit_btf_cursor cur = { 0 };
	uint32_t n = btfkit_btf_type_count(btf), walked = 0;
	size_t total = 0;

	while (btfkit_btf_next(btf, &cur))
		walked++;
	assert_int_equal(btfkit_btf_start_id(btf) + walked, n);
	for (uint32_t id = 0; id < n; id++) {
		const struct btfkit_type *t = btfkit_btf_type(btf, id);
		const char *name;

		assert_non_null(t); /* every id below the count exists */
		name = btfkit_btf_name(btf, id);
		if (name) {
			total += strlen(name);
			if (*name) {
				int64_t found = btfkit_btf_find(btf, name, -1);

				/* The name index and the types agree even on garbage. */
				assert_true(found > 0 && found <= id);
				(void)btfkit_btf_find_next(btf, name, (int)btfkit_type_kind(t), id);
			}
		}
		(void)btfkit_btf_resolve_size(btf, id);
		(void)btfkit_btf_align(btf, id);
		(void)btfkit_btf_skip_mods(btf, id);
		if (id)
			assert_int_equal(btfkit_dump_type(btf, id, id & 1 ? BTFKIT_DUMP_JSON : BTFKIT_DUMP_RAW,
							  &discard),
					 0);
	}
	assert_null(btfkit_btf_type(btf, n));
	assert_int_equal(btfkit_dump(btf, &raw, &discard), 0);
	assert_int_equal(btfkit_dump(btf, &json, &discard), 0);

	if (reserialize) {
		/* What opened must serialize, and the result must open and read the same. */
		for (int order = BTFKIT_ORDER_AS_READ; order <= BTFKIT_ORDER_BIG; order++) {
			void *data;
			size_t size;
			struct btfkit_btf *again;
			char *x, *y;

			assert_int_equal(btfkit_btf_serialize(btf, order, &data, &size), 0);
			again = tu_open_mem(data, size, 0, btfkit_btf_base(btf), NULL, 0);
			assert_non_null(again);
			x = tu_dump(btf, BTFKIT_DUMP_JSON);
			y = tu_dump(again, BTFKIT_DUMP_JSON);
			assert_non_null(x);
			assert_non_null(y);
			assert_string_equal(x, y);
			free(x);
			free(y);
			btfkit_btf_free(again);
			free(data);
		}
	}
	return total;
}

/* ---- truncation ---- */

static void check_truncations(const struct btf_builder *b, enum bb_order order,
			      const struct btfkit_btf *base)
{
	size_t size;
	uint8_t *blob = bb_finish(b, order, &size);
	struct btfkit_btf *whole = tu_open_mem(blob, size, 0, base, NULL, 0);

	assert_non_null(whole); /* the untruncated blob is valid */
	exercise(whole, 1);
	btfkit_btf_free(whole);
	for (size_t len = 0; len < size; len++) {
		uint8_t *cut = exact_copy(blob, len);
		char msg[256] = "";

		for (unsigned lazy = 0; lazy < 2; lazy++) {
			errno = 0;
			if (tu_open_mem(cut, len, lazy ? BTFKIT_OPEN_LAZY_INDEX : 0, base, msg,
					sizeof(msg)) != NULL)
				fail_msg("blob truncated to %zu of %zu bytes opened", len, size);
			assert_int_equal(errno, EINVAL);
			assert_true(msg[0] != '\0');
		}
		free(cut);
	}
	free(blob);
}

static void test_truncation(void **state)
{
	struct btf_builder b, bb, sb;
	struct btfkit_btf *base;
	uint8_t *bblob;

	(void)state;
	blob_all_kinds(&b);
	check_truncations(&b, BB_LITTLE, NULL);
	check_truncations(&b, BB_BIG, NULL);
	bb_add_layout(&b, 20);
	check_truncations(&b, BB_LITTLE, NULL);
	check_truncations(&b, BB_BIG, NULL);
	bb_free(&b);
	blob_unknown_kind(&b, 1);
	check_truncations(&b, BB_LITTLE, NULL);
	bb_free(&b);

	blob_split_base(&bb);
	blob_split(&sb, &bb);
	base = tu_open(&bb, BB_LITTLE, 0, NULL, &bblob);
	assert_non_null(base);
	check_truncations(&sb, BB_LITTLE, base);
	check_truncations(&sb, BB_BIG, base);
	btfkit_btf_free(base);
	free(bblob);
	bb_free(&bb);
	bb_free(&sb);
}

/* ---- header fields ---- */

/* Patch a copy of the blob, open it, expect EINVAL. */
static void expect_einval(const uint8_t *blob, size_t size, size_t off, uint32_t v,
			  enum bb_order order, const char *what)
{
	uint8_t *p = exact_copy(blob, size);
	char msg[256] = "";

	bb_put_u32(p + off, v, order);
	errno = 0;
	if (tu_open_mem(p, size, 0, NULL, msg, sizeof(msg)) != NULL)
		fail_msg("%s: opened", what);
	if (errno != EINVAL)
		fail_msg("%s: errno %d, expected EINVAL", what, errno);
	assert_true(msg[0] != '\0');
	free(p);
}

enum { H_HDR_LEN = 4, H_TYPE_OFF = 8, H_TYPE_LEN = 12, H_STR_OFF = 16, H_STR_LEN = 20,
       H_LAYOUT_OFF = 24, H_LAYOUT_LEN = 28 };

static void header_cases(const struct btf_builder *b, enum bb_order order)
{
	size_t size;
	uint8_t *blob = bb_finish(b, order, &size), *p;
	uint32_t hdr = b->hdr_len, tlen = (uint32_t)b->types_len;
	uint32_t llen = b->has_layout ? b->layout_n * 4 : 0, slen = (uint32_t)b->strs_len;

	expect_einval(blob, size, H_HDR_LEN, 0, order, "hdr_len 0");
	expect_einval(blob, size, H_HDR_LEN, 23, order, "hdr_len 23");
	expect_einval(blob, size, H_HDR_LEN, (uint32_t)size + 1, order, "hdr_len past the end");
	expect_einval(blob, size, H_HDR_LEN, UINT32_MAX, order, "hdr_len max");
	expect_einval(blob, size, H_TYPE_OFF, (uint32_t)size, order, "type_off past the end");
	expect_einval(blob, size, H_TYPE_OFF, UINT32_MAX - 3, order, "type_off + type_len wraps");
	expect_einval(blob, size, H_TYPE_LEN, tlen + llen + slen + 4, order, "type_len past the end");
	expect_einval(blob, size, H_TYPE_LEN, UINT32_MAX, order, "type_len max");
	expect_einval(blob, size, H_TYPE_LEN, tlen - 4, order, "type_len cuts the last type");
	expect_einval(blob, size, H_TYPE_LEN, tlen - 2, order, "type_len not a multiple of 4");
	expect_einval(blob, size, H_STR_OFF, tlen + llen + 1, order, "str_off past the end");
	expect_einval(blob, size, H_STR_OFF, UINT32_MAX, order, "str_off + str_len wraps");
	expect_einval(blob, size, H_STR_LEN, slen + 1, order, "str_len past the end");
	expect_einval(blob, size, H_STR_LEN, UINT32_MAX, order, "str_len max");
	/* The string section must end with a NUL, wherever it is made to end. */
	expect_einval(blob, size, H_STR_LEN, slen - 1, order, "strings end inside a name");
	if (hdr >= 32 && llen) {
		expect_einval(blob, size, H_LAYOUT_OFF, tlen + slen + 4, order, "layout past the end");
		expect_einval(blob, size, H_LAYOUT_OFF, UINT32_MAX - 3, order, "layout_off wraps");
		expect_einval(blob, size, H_LAYOUT_LEN, llen + slen + 4, order, "layout_len past the end");
		expect_einval(blob, size, H_LAYOUT_LEN, llen - 2, order, "layout_len not a multiple of 4");
		expect_einval(blob, size, H_LAYOUT_LEN, UINT32_MAX, order, "layout_len max");
	}

	/* Magic and version. */
	p = exact_copy(blob, size);
	p[0] ^= 0x01;
	assert_null(tu_open_mem(p, size, 0, NULL, NULL, 0));
	assert_int_equal(errno, EINVAL);
	p[0] ^= 0x01;
	for (unsigned v = 0; v < 256; v += 2) { /* every even version, 1 excluded */
		p[2] = (uint8_t)v;
		assert_null(tu_open_mem(p, size, 0, NULL, NULL, 0));
		assert_int_equal(errno, EINVAL);
	}
	/* Any header flags byte is accepted and kept. */
	p[2] = 1;
	p[3] = 0xff;
	{
		struct btfkit_btf *btf = tu_open_mem(p, size, 0, NULL, NULL, 0);

		assert_non_null(btf);
		btfkit_btf_free(btf);
	}
	free(p);

	/* Struct vlen far past the section. */
	p = exact_copy(blob, size);
	bb_put_u32(p + hdr + 4, bb_info(BTFKIT_KIND_STRUCT, 0, 0xffffff), order);
	assert_null(tu_open_mem(p, size, 0, NULL, NULL, 0));
	assert_int_equal(errno, EINVAL);
	free(p);
	free(blob);
}

static void test_header_fields(void **state)
{
	struct btf_builder b;

	(void)state;
	blob_all_kinds(&b);
	header_cases(&b, BB_LITTLE);
	header_cases(&b, BB_BIG);
	bb_add_layout(&b, 20);
	header_cases(&b, BB_LITTLE);
	header_cases(&b, BB_BIG);
	bb_free(&b);
}

static void test_strings_unterminated(void **state)
{
	struct btf_builder b;
	size_t size;
	uint8_t *blob;
	char msg[256] = "";

	(void)state;
	blob_all_kinds(&b);
	blob = bb_finish(&b, BB_LITTLE, &size);
	blob[size - 1] = 'x';
	assert_null(tu_open_mem(blob, size, 0, NULL, msg, sizeof(msg)));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(msg, "NUL"));
	free(blob);
	bb_free(&b);

	/* A name with no terminator at the very end of the blob. */
	bb_init(&b);
	bb_raw_type(&b, 1, bb_info(BTFKIT_KIND_TYPEDEF, 0, 0), 0);
	bb_raw_str(&b, "abc", 3);
	blob = bb_finish(&b, BB_BIG, &size);
	assert_null(tu_open_mem(blob, size, 0, NULL, NULL, 0));
	assert_int_equal(errno, EINVAL);
	free(blob);
	bb_free(&b);
}

/* Names and ids that point nowhere open fine, and read as invalid. */
static void test_dangling_references(void **state)
{
	struct btf_builder b;
	struct btfkit_btf *btf;
	uint8_t *blob;
	char *d;

	(void)state;
	bb_init(&b);
	bb_raw_type(&b, 0x7fffffff, bb_info(BTFKIT_KIND_INT, 0, 0), 4);
	bb_raw_word(&b, 32);
	bb_struct(&b, "s", 8, 0);
	bb_member_raw(&b, 0xfffffff0, 12345, 0);
	bb_func_proto(&b, 777);
	bb_param(&b, "p", 0xffffffff);
	btf = tu_open(&b, BB_LITTLE, 0, NULL, &blob);
	assert_non_null(btf);
	assert_null(btfkit_btf_name(btf, 1));
	assert_int_equal(errno, ENOENT);
	d = tu_dump(btf, BTFKIT_DUMP_RAW);
	assert_string_equal(d, "[1] INT '(invalid)' size=4 bits_offset=0 nr_bits=32 encoding=(none)\n"
			       "[2] STRUCT 's' size=8 vlen=1\n"
			       "\t'(invalid)' type_id=12345 bits_offset=0\n"
			       "[3] FUNC_PROTO '(anon)' ret_type_id=777 vlen=1\n"
			       "\t'p' type_id=4294967295\n");
	free(d);
	exercise(btf, 1);
	btfkit_btf_free(btf);
	free(blob);
	bb_free(&b);
}

/* ---- random corruption ---- */

static void fuzz_one(const uint8_t *blob, size_t size, uint64_t *rng, const struct btfkit_btf *base,
		     unsigned *opened)
{
	uint8_t *p = exact_copy(blob, size);
	unsigned flips = 1 + (unsigned)(tu_rand(rng) % 4);
	struct btfkit_btf *btf;

	for (unsigned i = 0; i < flips; i++) {
		uint64_t r = tu_rand(rng);
		/* Half the flips hit the header, where one byte changes the most. */
		size_t pos = (r & 1) ? (size_t)((r >> 8) % (size < 32 ? size : 32))
				     : (size_t)((r >> 8) % size);

		if (r & 2)
			p[pos] ^= (uint8_t)(1u << ((r >> 4) & 7));
		else
			p[pos] = (uint8_t)(r >> 40);
	}
	btf = tu_open_mem(p, size, (tu_rand(rng) & 1) ? BTFKIT_OPEN_LAZY_INDEX : 0, base, NULL, 0);
	if (btf) {
		++*opened;
		exercise(btf, 1);
		btfkit_btf_free(btf);
	} else {
		assert_true(errno == EINVAL || errno == ENOTSUP);
	}
	free(p);
}

static void test_random_flips(void **state)
{
	enum { ROUNDS = 4000 };
	struct btf_builder blobs[8], bb, sb;
	uint8_t *data[10];
	size_t sizes[10];
	unsigned n = 0, opened = 0;
	uint64_t rng = 0x5eed0f5eed0f5eedull;
	struct btfkit_btf *base;
	uint8_t *bblob;

	(void)state;
	blob_all_kinds(&blobs[0]);
	blob_all_kinds(&blobs[1]);
	bb_add_layout(&blobs[1], 20);
	blob_unknown_kind(&blobs[2], 1);
	blob_enums(&blobs[3]);
	blob_bitfields(&blobs[4]);
	blob_names(&blobs[5], 0);
	blob_many(&blobs[6], 80);
	blob_datasec_bad_var(&blobs[7]);
	for (unsigned i = 0; i < 8; i++) {
		data[n] = bb_finish(&blobs[i], i % 2 ? BB_BIG : BB_LITTLE, &sizes[n]);
		n++;
	}
	data[n] = bb_finish(&blobs[0], BB_BIG, &sizes[n]);
	n++;
	data[n] = bb_finish(&blobs[1], BB_LITTLE, &sizes[n]);
	n++;

	for (unsigned r = 0; r < ROUNDS; r++)
		fuzz_one(data[r % n], sizes[r % n], &rng, NULL, &opened);
	/* Some corruptions must survive opening, or the accessors were never exercised. */
	assert_true(opened > ROUNDS / 10);

	/* Split blobs corrupted on a sound base. */
	blob_split_base(&bb);
	blob_split(&sb, &bb);
	base = tu_open(&bb, BB_LITTLE, 0, NULL, &bblob);
	assert_non_null(base);
	{
		size_t ss;
		uint8_t *s = bb_finish(&sb, BB_LITTLE, &ss);

		for (unsigned r = 0; r < ROUNDS / 4; r++)
			fuzz_one(s, ss, &rng, base, &opened);
		free(s);
	}
	btfkit_btf_free(base);
	free(bblob);
	bb_free(&bb);
	bb_free(&sb);

	for (unsigned i = 0; i < n; i++)
		free(data[i]);
	for (unsigned i = 0; i < 8; i++)
		bb_free(&blobs[i]);
}

/* ---- split BTF on the wrong base ---- */

static void test_split_wrong_base(void **state)
{
	struct btf_builder bb, sb, other, empty, unk;
	struct btfkit_btf *bases[4];
	uint8_t *blobs[4], *sblob, *sbe;
	size_t ssize, sbesize;

	(void)state;
	blob_split_base(&bb);
	blob_split(&sb, &bb);
	blob_all_kinds(&other);
	bb_init(&empty);
	blob_unknown_kind(&unk, 1);
	sblob = bb_finish(&sb, BB_LITTLE, &ssize);
	sbe = bb_finish(&sb, BB_BIG, &sbesize);

	bases[0] = tu_open(&other, BB_LITTLE, 0, NULL, &blobs[0]); /* more types, more strings */
	bases[1] = tu_open(&empty, BB_BIG, 0, NULL, &blobs[1]);    /* ids and strings start lower */
	bases[2] = tu_open(&unk, BB_LITTLE, 0, NULL, &blobs[2]);   /* has a layout */
	bases[3] = tu_open(&other, BB_BIG, BTFKIT_OPEN_LAZY_INDEX, NULL, &blobs[3]);
	for (unsigned i = 0; i < 4; i++) {
		struct btfkit_btf *s;

		assert_non_null(bases[i]);
		for (unsigned lazy = 0; lazy < 2; lazy++) {
			s = tu_open_mem(sblob, ssize, lazy ? BTFKIT_OPEN_LAZY_INDEX : 0, bases[i], NULL, 0);
			if (s) {
				exercise(s, 1);
				btfkit_btf_free(s);
			}
			s = tu_open_mem(sbe, sbesize, lazy ? BTFKIT_OPEN_LAZY_INDEX : 0, bases[i], NULL, 0);
			if (s) {
				exercise(s, 1);
				btfkit_btf_free(s);
			}
		}
	}
	/* A standalone blob opened as split: its "\0"-led strings shift, nothing breaks. */
	{
		size_t size;
		uint8_t *ak = bb_finish(&other, BB_LITTLE, &size);
		struct btfkit_btf *s = tu_open_mem(ak, size, 0, bases[0], NULL, 0);

		assert_non_null(s);
		assert_int_equal(btfkit_btf_start_id(s), AK_COUNT);
		exercise(s, 1);
		btfkit_btf_free(s);
		free(ak);
	}
	for (unsigned i = 0; i < 4; i++) {
		btfkit_btf_free(bases[i]);
		free(blobs[i]);
	}
	free(sblob);
	free(sbe);
	bb_free(&bb);
	bb_free(&sb);
	bb_free(&other);
	bb_free(&empty);
	bb_free(&unk);
}

/* A chain of bases deeper than the library's limit is refused, not recursed into. */
static void test_base_chain_depth(void **state)
{
	enum { LEVELS = 40 };
	struct btfkit_btf *chain[LEVELS + 1] = { 0 };
	uint8_t *blobs[LEVELS + 1] = { 0 };
	struct btf_builder b;
	unsigned depth = 0;
	uint32_t str_end;

	(void)state;
	bb_init(&b);
	bb_int(&b, "int", 4, 1, 0, 32);
	chain[0] = tu_open(&b, BB_LITTLE, 0, NULL, &blobs[0]);
	assert_non_null(chain[0]);
	str_end = bb_str_end(&b);
	bb_free(&b);
	for (depth = 1; depth <= LEVELS; depth++) {
		bb_init_split(&b, btfkit_btf_type_count(chain[depth - 1]), str_end);
		bb_typedef(&b, "x", depth);
		str_end = bb_str_end(&b);
		chain[depth] = tu_open(&b, BB_LITTLE, 0, chain[depth - 1], &blobs[depth]);
		bb_free(&b);
		if (!chain[depth]) {
			assert_int_equal(errno, EINVAL);
			break;
		}
		exercise(chain[depth], 0);
	}
	assert_true(depth <= LEVELS); /* refused somewhere */
	assert_true(depth > 8);       /* but real chains (vmlinux, module) are fine */
	while (depth--) {
		btfkit_btf_free(chain[depth]);
		free(blobs[depth]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_header_fields),
		cmocka_unit_test(test_strings_unterminated),
		cmocka_unit_test(test_dangling_references),
		cmocka_unit_test(test_random_flips),
		cmocka_unit_test(test_split_wrong_base),
		cmocka_unit_test(test_base_chain_depth),
	};

	return tu_report(sizeof(tests) / sizeof(tests[0]), cmocka_run_group_tests(tests, NULL, NULL));
}
