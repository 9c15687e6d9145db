// SPDX-License-Identifier: BSD-2-Clause
/*
 * Serializing: an unmodified blob comes back byte for byte, in its own byte
 * order; in the other order it comes back exactly as the builder writes that
 * order, and re-opens to the same types.
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

#include "blobs.h"
#include "testutil.h"

static enum btfkit_byte_order api_order(enum bb_order o)
{
	return o == BB_BIG ? BTFKIT_ORDER_BIG : BTFKIT_ORDER_LITTLE;
}

/* Same types, same dump, type by type. */
static void same_types(const struct btfkit_btf *x, const struct btfkit_btf *y)
{
	char *dx, *dy;

	assert_int_equal(btfkit_btf_type_count(x), btfkit_btf_type_count(y));
	for (uint32_t id = btfkit_btf_start_id(x); id < btfkit_btf_type_count(x); id++) {
		size_t n = tu_type_bytes(x, id);

		assert_int_equal(tu_type_bytes(y, id), n);
		assert_memory_equal(btfkit_btf_type(x, id), btfkit_btf_type(y, id), n);
	}
	dx = tu_dump(x, BTFKIT_DUMP_JSON);
	dy = tu_dump(y, BTFKIT_DUMP_JSON);
	assert_non_null(dx);
	assert_string_equal(dx, dy);
	free(dx);
	free(dy);
}

/*
 * For each byte order: serialize as read, as the same order named
 * explicitly, and as the other order; compare with the builder's bytes.
 */
static void check_roundtrip(const struct btf_builder *b, const struct btfkit_btf *base)
{
	for (unsigned o = BB_LITTLE; o <= BB_BIG; o++) {
		enum bb_order other = o == BB_BIG ? BB_LITTLE : BB_BIG;
		size_t size, osize, out_size;
		uint8_t *blob = bb_finish(b, o, &size), *oblob = bb_finish(b, other, &osize);
		struct btfkit_btf *btf = tu_open_mem(blob, size, 0, base, NULL, 0), *again;
		void *out;

		assert_non_null(btf);
		assert_int_equal(btfkit_btf_serialize(btf, BTFKIT_ORDER_AS_READ, &out, &out_size), 0);
		assert_int_equal(out_size, size);
		assert_memory_equal(out, blob, size);
		free(out);

		assert_int_equal(btfkit_btf_serialize(btf, api_order(o), &out, &out_size), 0);
		assert_int_equal(out_size, size);
		assert_memory_equal(out, blob, size);
		free(out);

		assert_int_equal(btfkit_btf_serialize(btf, api_order(other), &out, &out_size), 0);
		assert_int_equal(out_size, osize);
		assert_memory_equal(out, oblob, osize);
		again = tu_open_mem(out, out_size, 0, base, NULL, 0);
		assert_non_null(again);
		assert_int_equal(btfkit_btf_swapped(again), !btfkit_btf_swapped(btf));
		same_types(btf, again);
		btfkit_btf_free(again);
		free(out);

		btfkit_btf_free(btf);
		free(blob);
		free(oblob);
	}
}

static void test_roundtrip_plain(void **state)
{
	struct btf_builder b;

	(void)state;
	blob_all_kinds(&b);
	check_roundtrip(&b, NULL);
	/* A 32-byte header without a layout stays 32 bytes. */
	bb_set_hdr_len(&b, 32);
	check_roundtrip(&b, NULL);
	bb_free(&b);
	blob_enums(&b);
	check_roundtrip(&b, NULL);
	bb_free(&b);
	blob_names(&b, 0);
	check_roundtrip(&b, NULL);
	bb_free(&b);
	blob_many(&b, 500);
	check_roundtrip(&b, NULL);
	bb_free(&b);
	bb_init(&b); /* no types at all */
	check_roundtrip(&b, NULL);
	bb_free(&b);
}

static void test_roundtrip_layout(void **state)
{
	struct btf_builder b;

	(void)state;
	blob_all_kinds(&b);
	bb_add_layout(&b, 20);
	check_roundtrip(&b, NULL);
	bb_free(&b);
	/* An unknown kind's words, and non-zero layout flags (a u16 with a byte order). */
	blob_unknown_kind(&b, 1);
	bb_layout_entry(&b, 20, 4, 8, 0x0102);
	bb_layout_entry(&b, 1, 4, 0, 0x8000);
	check_roundtrip(&b, NULL);
	bb_free(&b);
}

static void test_roundtrip_split(void **state)
{
	struct btf_builder bb, sb;
	struct btfkit_btf *base;
	uint8_t *blob;

	(void)state;
	blob_split_base(&bb);
	blob_split(&sb, &bb);
	base = tu_open(&bb, BB_BIG, 0, NULL, &blob);
	assert_non_null(base);
	check_roundtrip(&sb, base);
	btfkit_btf_free(base);
	free(blob);
	bb_free(&bb);
	bb_free(&sb);
}

/* The header's flags byte survives. */
static void test_header_flags_kept(void **state)
{
	struct btf_builder b;
	size_t size, out_size;
	uint8_t *blob;
	struct btfkit_btf *btf;
	void *out;

	(void)state;
	blob_all_kinds(&b);
	b.hdr_flags = 0x5a;
	blob = bb_finish(&b, BB_BIG, &size);
	btf = tu_open_mem(blob, size, 0, NULL, NULL, 0);
	assert_non_null(btf);
	assert_int_equal(btfkit_btf_serialize(btf, BTFKIT_ORDER_LITTLE, &out, &out_size), 0);
	assert_int_equal(((uint8_t *)out)[3], 0x5a);
	free(out);
	btfkit_btf_free(btf);
	free(blob);
	bb_free(&b);
}

/*
 * A blob laid out differently (strings first, then types) serializes to the
 * canonical order, with the same content.
 */
static void test_noncanonical_input(void **state)
{
	struct btf_builder b;
	size_t size, out_size, canon_size;
	uint8_t *canon, *odd;
	uint32_t tlen, slen, spad;
	struct btfkit_btf *btf;
	void *out;

	(void)state;
	blob_all_kinds(&b);
	canon = bb_finish(&b, BB_LITTLE, &canon_size);
	tlen = (uint32_t)b.types_len;
	slen = (uint32_t)b.strs_len;
	spad = (slen + 3) & ~3u;
	size = 24 + spad + tlen;
	odd = calloc(1, size);
	memcpy(odd, canon, 24);
	bb_put_u32(odd + 8, spad, BB_LITTLE);  /* type_off */
	bb_put_u32(odd + 16, 0, BB_LITTLE);    /* str_off */
	memcpy(odd + 24, canon + 24 + tlen, slen);
	memcpy(odd + 24 + spad, canon + 24, tlen);
	btf = tu_open_mem(odd, size, 0, NULL, NULL, 0);
	assert_non_null(btf);
	assert_int_equal(btfkit_btf_serialize(btf, BTFKIT_ORDER_AS_READ, &out, &out_size), 0);
	assert_int_equal(out_size, canon_size);
	assert_memory_equal(out, canon, canon_size);
	free(out);
	btfkit_btf_free(btf);
	free(odd);
	free(canon);
	bb_free(&b);
}

static void test_serialize_errors(void **state)
{
	struct btf_builder b;
	struct btfkit_btf *btf;
	uint8_t *blob;
	void *out = NULL;
	size_t size = 0;

	(void)state;
	blob_all_kinds(&b);
	btf = tu_open(&b, BB_LITTLE, 0, NULL, &blob);
	assert_non_null(btf);
	assert_int_equal(btfkit_btf_serialize(NULL, BTFKIT_ORDER_AS_READ, &out, &size), -EINVAL);
	assert_int_equal(btfkit_btf_serialize(btf, BTFKIT_ORDER_AS_READ, NULL, &size), -EINVAL);
	assert_int_equal(btfkit_btf_serialize(btf, BTFKIT_ORDER_AS_READ, &out, NULL), -EINVAL);
	assert_int_equal(btfkit_btf_serialize(btf, (enum btfkit_byte_order)7, &out, &size), -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_null(out);
	btfkit_btf_free(btf);
	free(blob);
	bb_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_plain),
		cmocka_unit_test(test_roundtrip_layout),
		cmocka_unit_test(test_roundtrip_split),
		cmocka_unit_test(test_header_flags_kept),
		cmocka_unit_test(test_noncanonical_input),
		cmocka_unit_test(test_serialize_errors),
	};

	return tu_report(sizeof(tests) / sizeof(tests[0]), cmocka_run_group_tests(tests, NULL, NULL));
}
