// SPDX-License-Identifier: BSD-2-Clause
/*
 * Opening BTF and reading it back: every kind's accessors, lookups by id and
 * name, split BTF, lazy indexing, the other byte order, the layout section,
 * and the resolve helpers, all on hand-built blobs whose bytes we know.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <btfkit/btfkit.h>

#include "blobs.h"
#include "testutil.h"

/* ---- open from memory and from a file ---- */

static void test_open_mem_and_file(void **state)
{
	struct btf_builder b;
	struct btfkit_btf *m, *f, *c;
	char path[] = "/tmp/btfkit_unit_XXXXXX", msg[256];
	struct btfkit_open_opts o = { .sz = sizeof(o), .msg = msg, .msg_sz = sizeof(msg) };
	char *dm, *df, *dc;
	uint8_t *blob, *copy;
	size_t size;
	int fd;

	(void)state;
	blob_all_kinds(&b);
	blob = bb_finish(&b, BB_LITTLE, &size);
	m = btfkit_btf_open_mem(blob, size, NULL);
	assert_non_null(m);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, blob, size), (ssize_t)size);
	close(fd);
	f = btfkit_btf_open(path, &o);
	assert_non_null(f);

	/* COPY: the object keeps its own bytes; the caller's may go away. */
	copy = malloc(size);
	memcpy(copy, blob, size);
	o.flags = BTFKIT_OPEN_COPY;
	c = btfkit_btf_open_mem(copy, size, &o);
	assert_non_null(c);
	memset(copy, 0xff, size);
	free(copy);

	dm = tu_dump(m, BTFKIT_DUMP_RAW);
	df = tu_dump(f, BTFKIT_DUMP_RAW);
	dc = tu_dump(c, BTFKIT_DUMP_RAW);
	assert_non_null(dm);
	assert_string_equal(dm, df);
	assert_string_equal(dm, dc);
	assert_int_equal(btfkit_btf_type_count(f), AK_COUNT);
	free(dm);
	free(df);
	free(dc);
	btfkit_btf_free(m);
	btfkit_btf_free(f);
	btfkit_btf_free(c);

	/* File errors come back as errno values with a message. */
	o.flags = 0;
	msg[0] = '\0';
	assert_null(btfkit_btf_open("/nonexistent/btfkit.btf", &o));
	assert_int_equal(errno, ENOENT);
	assert_true(msg[0] != '\0');
	assert_null(btfkit_btf_open("/tmp", &o));
	assert_int_equal(errno, EISDIR);
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	close(fd);
	assert_null(btfkit_btf_open(path, &o));
	assert_int_equal(errno, EINVAL);
	assert_null(btfkit_btf_open(NULL, NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(btfkit_btf_open_mem(NULL, 10, NULL));
	assert_int_equal(errno, EINVAL);

	unlink(path);
	free(blob);
	bb_free(&b);
	btfkit_btf_free(NULL); /* accepted */
}

/* ---- the object as a whole ---- */

static void test_counts_and_bounds(void **state)
{
	struct btf_builder b;
	struct btfkit_btf *btf;
	const struct btfkit_type *t;
	uint8_t *blob;

	(void)state;
	blob_all_kinds(&b);
	btf = tu_open(&b, BB_LITTLE, 0, NULL, &blob);
	assert_non_null(btf);
	assert_int_equal(btfkit_btf_type_count(btf), AK_COUNT);
	assert_int_equal(btfkit_btf_start_id(btf), 1);
	assert_null(btfkit_btf_base(btf));
	assert_int_equal(btfkit_btf_swapped(btf), 0);
	assert_int_equal(btfkit_btf_hdr_len(btf), 24);
	assert_int_equal(btfkit_btf_has_layout(btf), 0);

	/* Id 0 is void: a type of kind 0 with no name. */
	t = btfkit_btf_type(btf, 0);
	assert_non_null(t);
	assert_int_equal(btfkit_type_kind(t), BTFKIT_KIND_UNKN);
	assert_string_equal(btfkit_btf_name(btf, 0), "");

	errno = 0;
	assert_null(btfkit_btf_type(btf, AK_COUNT));
	assert_int_equal(errno, ENOENT);
	errno = 0;
	assert_null(btfkit_btf_type(btf, UINT32_MAX));
	assert_int_equal(errno, ENOENT);
	errno = 0;
	assert_null(btfkit_btf_name(btf, AK_COUNT));
	assert_int_equal(errno, ENOENT);
	errno = 0;
	assert_null(btfkit_btf_str(btf, (uint32_t)b.strs_len));
	assert_int_equal(errno, ENOENT);
	assert_string_equal(btfkit_btf_str(btf, 0), "");
	assert_string_equal(btfkit_btf_str(btf, bb_find_str(&b, "unsigned int")), "unsigned int");
	/* An offset into the middle of a string is the rest of that string. */
	assert_string_equal(btfkit_btf_str(btf, bb_find_str(&b, "unsigned int") + 9), "int");

	/* NULL objects are errors, not crashes. */
	assert_null(btfkit_btf_type(NULL, 1));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(btfkit_btf_type_count(NULL), 0);
	assert_true(btfkit_btf_resolve_size(NULL, 1) == -EINVAL);

	assert_string_equal(btfkit_kind_name(BTFKIT_KIND_ENUM64), "ENUM64");
	assert_string_equal(btfkit_kind_name(0), "UNKNOWN");
	assert_string_equal(btfkit_kind_name(20), "UNKNOWN");
	assert_string_equal(btfkit_version(), "0.1.0");

	btfkit_btf_free(btf);
	free(blob);
	bb_free(&b);
}

/* ---- every kind's accessors ---- */

static const struct btfkit_type *kind_of(const struct btfkit_btf *btf, uint32_t id, unsigned kind)
{
	const struct btfkit_type *t = btfkit_btf_type(btf, id);

	assert_non_null(t);
	assert_int_equal(btfkit_type_kind(t), kind);
	return t;
}

static void check_all_kinds(const struct btfkit_btf *btf)
{
	const struct btfkit_type *t;
	const struct btfkit_member *m;
	const struct btfkit_param *p;
	const struct btfkit_array *a;
	const struct btfkit_var_secinfo *v;

	t = kind_of(btf, AK_INT, BTFKIT_KIND_INT);
	assert_int_equal(t->size, 4);
	assert_int_equal(btfkit_int_encoding(t), BTFKIT_INT_SIGNED);
	assert_int_equal(btfkit_int_offset(t), 0);
	assert_int_equal(btfkit_int_bits(t), 32);
	assert_string_equal(btfkit_btf_name(btf, AK_INT), "int");
	assert_int_equal(btfkit_int_encoding(kind_of(btf, AK_CHAR, BTFKIT_KIND_INT)), BTFKIT_INT_CHAR);
	assert_int_equal(btfkit_int_encoding(kind_of(btf, AK_BOOL, BTFKIT_KIND_INT)), BTFKIT_INT_BOOL);
	assert_int_equal(btfkit_int_encoding(kind_of(btf, AK_UINT, BTFKIT_KIND_INT)), 0);
	t = kind_of(btf, AK_WEIRD_INT, BTFKIT_KIND_INT);
	assert_int_equal(btfkit_int_encoding(t), 3);
	assert_int_equal(btfkit_int_offset(t), 5);
	assert_int_equal(btfkit_int_bits(t), 7);

	t = kind_of(btf, AK_PTR, BTFKIT_KIND_PTR);
	assert_int_equal(t->type, AK_INT);
	assert_int_equal(t->name_off, 0);
	assert_string_equal(btfkit_btf_name(btf, AK_PTR), "");

	a = btfkit_type_array(kind_of(btf, AK_ARRAY, BTFKIT_KIND_ARRAY));
	assert_int_equal(a->type, AK_INT);
	assert_int_equal(a->index_type, AK_UINT);
	assert_int_equal(a->nelems, 10);

	t = kind_of(btf, AK_STRUCT, BTFKIT_KIND_STRUCT);
	assert_int_equal(t->size, 56);
	assert_int_equal(btfkit_type_vlen(t), 3);
	assert_int_equal(btfkit_type_kflag(t), 0);
	m = btfkit_type_members(t);
	assert_string_equal(btfkit_btf_str(btf, m[1].name_off), "p");
	assert_int_equal(m[1].type, AK_PTR);
	assert_int_equal(btfkit_member_bit_offset(t, 2), 128);
	assert_int_equal(btfkit_member_bitfield_size(t, 2), 0);

	t = kind_of(btf, AK_UNION, BTFKIT_KIND_UNION);
	assert_int_equal(btfkit_type_kflag(t), 1);
	assert_int_equal(btfkit_type_vlen(t), 2);
	assert_int_equal(btfkit_member_bit_offset(t, 1), 0);
	assert_int_equal(btfkit_member_bitfield_size(t, 1), 3);
	assert_int_equal(btfkit_member_bitfield_size(t, 0), 0);

	t = kind_of(btf, AK_ENUM_U, BTFKIT_KIND_ENUM);
	assert_int_equal(btfkit_type_kflag(t), 0);
	assert_int_equal(btfkit_type_vlen(t), 2);
	assert_int_equal((uint32_t)btfkit_type_enums(t)[1].val, 0xffffffffu);
	assert_string_equal(btfkit_btf_str(btf, btfkit_type_enums(t)[1].name_off), "B");
	t = kind_of(btf, AK_ENUM_S, BTFKIT_KIND_ENUM);
	assert_int_equal(btfkit_type_kflag(t), 1);
	assert_true(btfkit_type_enums(t)[0].val == -1);
	assert_true(btfkit_type_enums(t)[1].val == INT32_MIN);

	t = kind_of(btf, AK_ENUM64_U, BTFKIT_KIND_ENUM64);
	assert_int_equal(t->size, 8);
	assert_int_equal(btfkit_type_kflag(t), 0);
	assert_true(btfkit_enum64_value(&btfkit_type_enums64(t)[0]) == UINT64_MAX);
	assert_true(btfkit_enum64_value(&btfkit_type_enums64(t)[1]) == 0);
	t = kind_of(btf, AK_ENUM64_S, BTFKIT_KIND_ENUM64);
	assert_int_equal(btfkit_type_kflag(t), 1);
	assert_true((int64_t)btfkit_enum64_value(&btfkit_type_enums64(t)[0]) == INT64_MIN);

	assert_int_equal(btfkit_type_kflag(kind_of(btf, AK_FWD_STRUCT, BTFKIT_KIND_FWD)), 0);
	assert_int_equal(btfkit_type_kflag(kind_of(btf, AK_FWD_UNION, BTFKIT_KIND_FWD)), 1);
	assert_int_equal(kind_of(btf, AK_TYPEDEF, BTFKIT_KIND_TYPEDEF)->type, AK_INT);
	assert_string_equal(btfkit_btf_name(btf, AK_TYPEDEF), "td");
	assert_int_equal(kind_of(btf, AK_VOLATILE, BTFKIT_KIND_VOLATILE)->type, AK_INT);
	assert_int_equal(kind_of(btf, AK_CONST, BTFKIT_KIND_CONST)->type, AK_VOLATILE);
	assert_int_equal(kind_of(btf, AK_RESTRICT, BTFKIT_KIND_RESTRICT)->type, AK_PTR);

	t = kind_of(btf, AK_PROTO, BTFKIT_KIND_FUNC_PROTO);
	assert_int_equal(t->type, AK_INT);
	assert_int_equal(btfkit_type_vlen(t), 3);
	p = btfkit_type_params(t);
	assert_string_equal(btfkit_btf_str(btf, p[0].name_off), "x");
	assert_int_equal(p[1].type, AK_PTR);
	assert_int_equal(p[2].name_off, 0); /* vararg: no name, type 0 */
	assert_int_equal(p[2].type, 0);
	assert_int_equal(btfkit_type_vlen(kind_of(btf, AK_PROTO_VOID, BTFKIT_KIND_FUNC_PROTO)), 0);

	t = kind_of(btf, AK_FUNC_GLOBAL, BTFKIT_KIND_FUNC);
	assert_int_equal(t->type, AK_PROTO);
	assert_int_equal(btfkit_type_vlen(t), BTFKIT_LINKAGE_GLOBAL);
	assert_int_equal(btfkit_type_vlen(kind_of(btf, AK_FUNC_STATIC, BTFKIT_KIND_FUNC)),
			 BTFKIT_LINKAGE_STATIC);
	assert_int_equal(btfkit_type_vlen(kind_of(btf, AK_FUNC_EXTERN, BTFKIT_KIND_FUNC)),
			 BTFKIT_LINKAGE_EXTERN);

	t = kind_of(btf, AK_VAR_GLOBAL, BTFKIT_KIND_VAR);
	assert_int_equal(t->type, AK_INT);
	assert_int_equal(btfkit_var_linkage(t), BTFKIT_LINKAGE_GLOBAL);
	assert_int_equal(btfkit_var_linkage(kind_of(btf, AK_VAR_STATIC, BTFKIT_KIND_VAR)),
			 BTFKIT_LINKAGE_STATIC);

	t = kind_of(btf, AK_DATASEC, BTFKIT_KIND_DATASEC);
	assert_int_equal(t->size, 64);
	assert_int_equal(btfkit_type_vlen(t), 2);
	v = btfkit_type_secinfos(t);
	assert_int_equal(v[1].type, AK_VAR_STATIC);
	assert_int_equal(v[1].offset, 8);
	assert_int_equal(v[1].size, 56);
	assert_string_equal(btfkit_btf_name(btf, AK_DATASEC), ".data");

	assert_int_equal(kind_of(btf, AK_FLOAT, BTFKIT_KIND_FLOAT)->size, 4);
	t = kind_of(btf, AK_DECL_TAG, BTFKIT_KIND_DECL_TAG);
	assert_int_equal(t->type, AK_STRUCT);
	assert_int_equal(btfkit_decl_tag_component(t), -1);
	assert_int_equal(btfkit_decl_tag_component(kind_of(btf, AK_DECL_TAG_MEM, BTFKIT_KIND_DECL_TAG)),
			 1);
	t = kind_of(btf, AK_TYPE_TAG, BTFKIT_KIND_TYPE_TAG);
	assert_int_equal(t->type, AK_INT);
	assert_string_equal(btfkit_btf_name(btf, AK_TYPE_TAG), "tt");
}

static void test_every_kind(void **state)
{
	static const unsigned flags[] = { 0, BTFKIT_OPEN_LAZY_INDEX };
	struct btf_builder b;

	(void)state;
	blob_all_kinds(&b);
	for (unsigned order = BB_LITTLE; order <= BB_BIG; order++) {
		for (size_t i = 0; i < 2; i++) {
			uint8_t *blob;
			struct btfkit_btf *btf = tu_open(&b, order, flags[i], NULL, &blob);

			assert_non_null(btf);
			check_all_kinds(btf);
			btfkit_btf_free(btf);
			free(blob);
		}
	}
	bb_free(&b);
}

/* The cursor walks own types in id order and stops cleanly. */
static void test_cursor(void **state)
{
	struct btf_builder b;
	struct btfkit_btf_cursor cur = { 0 };
	struct btfkit_btf *btf;
	const struct btfkit_type *t;
	uint8_t *blob;
	uint32_t n = 0;

	(void)state;
	blob_all_kinds(&b);
	btf = tu_open(&b, BB_LITTLE, BTFKIT_OPEN_LAZY_INDEX, NULL, &blob);
	assert_non_null(btf);
	while ((t = btfkit_btf_next(btf, &cur)) != NULL) {
		n++;
		assert_int_equal(cur.id, n);
	}
	assert_int_equal(n, AK_COUNT - 1);
	assert_null(btfkit_btf_next(btf, &cur)); /* stays at the end */
	btfkit_btf_free(btf);
	free(blob);
	bb_free(&b);
}

/* ---- finding by name ---- */

/* What find_next must return: a linear scan over every id. */
static int64_t scan_find(const struct btfkit_btf *btf, const char *name, int kind, uint32_t after)
{
	for (uint32_t id = after + 1; id < btfkit_btf_type_count(btf); id++) {
		const struct btfkit_type *t = btfkit_btf_type(btf, id);

		if (t->name_off && strcmp(btfkit_btf_name(btf, id), name) == 0 &&
		    (kind < 0 || btfkit_type_kind(t) == (unsigned)kind))
			return id;
	}
	return -ENOENT;
}

static void check_find_all(const struct btfkit_btf *btf, const char *name)
{
	static const int kinds[] = { -1, BTFKIT_KIND_STRUCT, BTFKIT_KIND_TYPEDEF, BTFKIT_KIND_ENUM,
				     BTFKIT_KIND_INT };

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		uint32_t after = 0;

		for (;;) {
			int64_t want = scan_find(btf, name, kinds[k], after);
			int64_t got = btfkit_btf_find_next(btf, name, kinds[k], after);

			assert_int_equal(got, want);
			if (want < 0)
				break;
			after = (uint32_t)want;
		}
	}
}

static void test_find(void **state)
{
	struct btf_builder b;
	struct btfkit_btf *btf;
	uint8_t *blob;

	(void)state;
	blob_all_kinds(&b);
	btf = tu_open(&b, BB_LITTLE, 0, NULL, &blob);
	assert_non_null(btf);
	assert_int_equal(btfkit_btf_find(btf, "int", -1), AK_INT);
	assert_int_equal(btfkit_btf_find(btf, "int", BTFKIT_KIND_INT), AK_INT);
	assert_int_equal(btfkit_btf_find(btf, "int", BTFKIT_KIND_STRUCT), -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(btfkit_btf_find_next(btf, "int", -1, AK_INT), -ENOENT);
	assert_int_equal(btfkit_btf_find(btf, "s", BTFKIT_KIND_STRUCT), AK_STRUCT);
	assert_int_equal(btfkit_btf_find(btf, ".data", BTFKIT_KIND_DATASEC), AK_DATASEC);
	assert_int_equal(btfkit_btf_find(btf, "tt", -1), AK_TYPE_TAG);
	/* "int" is also the tail of "unsigned int"; only whole names match. */
	assert_int_equal(btfkit_btf_find(btf, "unsigned int", -1), AK_UINT);
	assert_int_equal(btfkit_btf_find(btf, "unsigned", -1), -ENOENT);
	assert_int_equal(btfkit_btf_find(btf, "nope", -1), -ENOENT);
	/* Member and value names are not type names. */
	assert_int_equal(btfkit_btf_find(btf, "arr", -1), -ENOENT);
	assert_int_equal(btfkit_btf_find(btf, "NEG", -1), -ENOENT);
	assert_int_equal(btfkit_btf_find(NULL, "int", -1), -EINVAL);
	assert_int_equal(btfkit_btf_find(btf, NULL, -1), -EINVAL);
	btfkit_btf_free(btf);
	free(blob);
	bb_free(&b);
}

/* Many types sharing 50 names: find_next must walk duplicates in id order, per kind. */
static void test_find_duplicates(void **state)
{
	static const unsigned flags[] = { 0, BTFKIT_OPEN_LAZY_INDEX };
	struct btf_builder b;
	char name[16];

	(void)state;
	blob_many(&b, 400);
	for (size_t f = 0; f < 2; f++) {
		uint8_t *blob;
		struct btfkit_btf *btf = tu_open(&b, BB_LITTLE, flags[f], NULL, &blob);

		assert_non_null(btf);
		for (unsigned i = 0; i < 52; i++) { /* t50, t51 do not exist */
			snprintf(name, sizeof(name), "t%u", i);
			check_find_all(btf, name);
		}
		btfkit_btf_free(btf);
		free(blob);
	}
	bb_free(&b);
}

/* ---- split BTF ---- */

static void test_split(void **state)
{
	struct btf_builder bb, sb, s2;
	struct btfkit_btf *base, *split, *split2;
	const struct btfkit_type *t;
	uint8_t *b1, *b2, *b3;
	uint32_t lvl2_dup, lvl2_td;

	(void)state;
	blob_split_base(&bb);
	blob_split(&sb, &bb);
	/* A third level on top of the split blob. */
	bb_init_split_on(&s2, &sb);
	lvl2_dup = bb_typedef(&s2, "dup", SP_DUP);
	lvl2_td = bb_typedef(&s2, "lvl2", SB_DUP);

	base = tu_open(&bb, BB_LITTLE, 0, NULL, &b1);
	assert_non_null(base);
	split = tu_open(&sb, BB_LITTLE, 0, base, &b2);
	assert_non_null(split);
	split2 = tu_open(&s2, BB_LITTLE, BTFKIT_OPEN_LAZY_INDEX, split, &b3);
	assert_non_null(split2);

	assert_int_equal(btfkit_btf_start_id(split), SB_DUP + 1);
	assert_int_equal(btfkit_btf_type_count(split), SP_COUNT);
	assert_ptr_equal(btfkit_btf_base(split), base);
	assert_int_equal(btfkit_btf_start_id(split2), SP_COUNT);
	assert_int_equal(btfkit_btf_type_count(split2), SP_COUNT + 2);

	/* Base ids reach the base; names resolve across string sections. */
	assert_ptr_equal(btfkit_btf_type(split2, SB_INT), btfkit_btf_type(base, SB_INT));
	assert_string_equal(btfkit_btf_name(split2, SB_INT), "int");
	assert_string_equal(btfkit_btf_name(split2, SP_TYPEDEF), "split_td");
	assert_string_equal(btfkit_btf_name(split2, lvl2_td), "lvl2");
	t = btfkit_btf_type(split, SP_DUP);
	assert_string_equal(btfkit_btf_str(split, btfkit_type_members(t)[0].name_off), "int");
	assert_null(btfkit_btf_type(split, SP_COUNT));
	assert_null(btfkit_btf_type(base, SP_TYPEDEF));

	/* Search order: base first, then each level up; ids ascend. */
	assert_int_equal(btfkit_btf_find(split2, "dup", -1), SB_DUP);
	assert_int_equal(btfkit_btf_find_next(split2, "dup", -1, SB_DUP), SP_DUP);
	assert_int_equal(btfkit_btf_find_next(split2, "dup", -1, SP_DUP), lvl2_dup);
	assert_int_equal(btfkit_btf_find_next(split2, "dup", -1, lvl2_dup), -ENOENT);
	assert_int_equal(btfkit_btf_find(split2, "dup", BTFKIT_KIND_STRUCT), SP_DUP);
	assert_int_equal(btfkit_btf_find_next(split2, "dup", BTFKIT_KIND_TYPEDEF, SB_DUP), lvl2_dup);
	assert_int_equal(btfkit_btf_find(split2, "int", -1), SB_INT);
	assert_int_equal(btfkit_btf_find(split, "lvl2", -1), -ENOENT);
	assert_int_equal(btfkit_btf_find(base, "split_td", -1), -ENOENT);
	check_find_all(split2, "dup");
	check_find_all(split2, "split_td");

	assert_int_equal(btfkit_btf_resolve_size(split2, lvl2_td), 4);
	assert_int_equal(btfkit_btf_resolve_size(split2, lvl2_dup), 4);
	assert_int_equal(btfkit_btf_skip_mods(split2, SP_TYPEDEF), SB_PTR);

	btfkit_btf_free(split2);
	btfkit_btf_free(split);
	btfkit_btf_free(base);
	free(b1);
	free(b2);
	free(b3);
	bb_free(&bb);
	bb_free(&sb);
	bb_free(&s2);
}

/* ---- lazy and eager indexing agree on everything ---- */

static void compare_objects(const struct btfkit_btf *x, const struct btfkit_btf *y)
{
	uint32_t n = btfkit_btf_type_count(x);

	assert_int_equal(btfkit_btf_type_count(y), n);
	assert_int_equal(btfkit_btf_start_id(y), btfkit_btf_start_id(x));
	for (uint32_t id = btfkit_btf_start_id(x); id < n; id++) {
		const struct btfkit_type *tx = btfkit_btf_type(x, id), *ty = btfkit_btf_type(y, id);
		size_t bytes = tu_type_bytes(x, id);
		char *dx, *dy;

		assert_non_null(tx);
		assert_non_null(ty);
		assert_int_equal(tu_type_bytes(y, id), bytes);
		assert_memory_equal(tx, ty, bytes);
		assert_string_equal(btfkit_btf_name(x, id), btfkit_btf_name(y, id));
		assert_int_equal(btfkit_btf_resolve_size(x, id), btfkit_btf_resolve_size(y, id));
		assert_int_equal(btfkit_btf_align(x, id), btfkit_btf_align(y, id));
		assert_int_equal(btfkit_btf_skip_mods(x, id), btfkit_btf_skip_mods(y, id));
		if (tx->name_off) {
			const char *name = btfkit_btf_name(x, id);

			assert_int_equal(btfkit_btf_find(x, name, -1), btfkit_btf_find(y, name, -1));
			assert_int_equal(btfkit_btf_find_next(x, name, -1, id),
					 btfkit_btf_find_next(y, name, -1, id));
		}
		dx = tu_dump_type(x, id, BTFKIT_DUMP_JSON);
		dy = tu_dump_type(y, id, BTFKIT_DUMP_JSON);
		assert_non_null(dx);
		assert_string_equal(dx, dy);
		free(dx);
		free(dy);
	}
	assert_null(btfkit_btf_type(y, n));
}

static void test_lazy_matches_eager(void **state)
{
	struct btf_builder ak, many, bb, sb;
	struct btfkit_btf *e, *l, *base, *se, *sl;
	uint8_t *b1, *b2, *b3, *b4, *b5;
	char *de, *dl;

	(void)state;
	blob_all_kinds(&ak);
	e = tu_open(&ak, BB_LITTLE, 0, NULL, &b1);
	l = tu_open(&ak, BB_LITTLE, BTFKIT_OPEN_LAZY_INDEX, NULL, &b2);
	assert_non_null(e);
	assert_non_null(l);
	compare_objects(e, l);
	btfkit_btf_free(e);
	btfkit_btf_free(l);
	free(b1);
	free(b2);

	/* Enough types for many checkpoints; probe ids backwards and by name first. */
	blob_many(&many, 1000);
	e = tu_open(&many, BB_BIG, 0, NULL, &b1);
	l = tu_open(&many, BB_BIG, BTFKIT_OPEN_LAZY_INDEX, NULL, &b2);
	assert_non_null(e);
	assert_non_null(l);
	de = tu_dump(e, BTFKIT_DUMP_RAW);
	dl = tu_dump(l, BTFKIT_DUMP_RAW); /* before any lookup builds the lazy index */
	assert_string_equal(de, dl);
	free(de);
	free(dl);
	for (int64_t id = (int64_t)btfkit_btf_type_count(e) - 1; id > 0; id -= 7)
		assert_ptr_not_equal(btfkit_btf_type(l, (uint32_t)id), NULL);
	compare_objects(e, l);
	btfkit_btf_free(e);
	btfkit_btf_free(l);
	free(b1);
	free(b2);

	/* A lazy split on a lazy base. */
	blob_split_base(&bb);
	blob_split(&sb, &bb);
	base = tu_open(&bb, BB_LITTLE, BTFKIT_OPEN_LAZY_INDEX, NULL, &b3);
	assert_non_null(base);
	se = tu_open(&sb, BB_LITTLE, 0, base, &b4);
	sl = tu_open(&sb, BB_LITTLE, BTFKIT_OPEN_LAZY_INDEX, base, &b5);
	assert_non_null(se);
	assert_non_null(sl);
	assert_int_equal(btfkit_btf_find(sl, "dup", BTFKIT_KIND_STRUCT), SP_DUP);
	compare_objects(se, sl);
	btfkit_btf_free(se);
	btfkit_btf_free(sl);
	btfkit_btf_free(base);
	free(b3);
	free(b4);
	free(b5);

	bb_free(&ak);
	bb_free(&many);
	bb_free(&bb);
	bb_free(&sb);
}

/*
 * Every named type of `e` (an eager object) is found by name and kind at the
 * id a lazy object of the same bytes finds it (its index is built one name
 * at a time, on first use), and that id has that name and kind.
 */
static void check_index_like_lazy(const struct btfkit_btf *e, const struct btfkit_btf *l)
{
	uint32_t n = btfkit_btf_type_count(e);

	assert_int_equal(btfkit_btf_type_count(l), n);
	for (uint32_t id = 1; id < n; id++) {
		const struct btfkit_type *t = btfkit_btf_type(e, id);
		const char *name = btfkit_btf_name(e, id);
		int kind = (int)btfkit_type_kind(t);
		int64_t found;

		if (!t->name_off)
			continue;
		found = btfkit_btf_find(e, name, kind);
		assert_int_equal(found, btfkit_btf_find(l, name, kind));
		assert_true(found > 0 && (uint32_t)found <= id);
		assert_string_equal(btfkit_btf_name(e, (uint32_t)found), name);
		assert_int_equal(btfkit_type_kind(btfkit_btf_type(e, (uint32_t)found)), kind);
		/* The next of the same name, wherever the two tables of a large index hold it. */
		assert_int_equal(btfkit_btf_find_next(e, name, kind, (uint32_t)found),
				 btfkit_btf_find_next(l, name, kind, (uint32_t)found));
	}
}

/*
 * A type section of 1 MiB or more is indexed on two threads (lib/btf/index.c):
 * names sparse enough for the first table, and names so dense that it fills
 * up and is built again; then the running kernel's vmlinux.
 */
static void test_index_large(void **state)
{
	struct btf_builder sparse, dense;
	struct btfkit_btf *e, *l;
	uint8_t *b1, *b2;
	char name[32];

	(void)state;
	bb_init(&sparse);
	bb_int(&sparse, "int", 4, 1, 0, 32);
	/* 12,000 types: a dozen chunks of 1,024 for the two threads to share. */
	for (uint32_t i = 0; i < 12000; i++) {
		snprintf(name, sizeof(name), "s%u", i % 9000); /* some names twice */
		bb_struct(&sparse, name, 32, 0);
		for (uint32_t m = 0; m < 8; m++)
			bb_member(&sparse, m ? NULL : "first", 1, m * 32, 0);
	}
	/*
	 * Names of every length up to 80, last in the string section: the index
	 * hashes names 32 bytes at a time, bytes one by one near the section's
	 * end, and a lookup hashes the caller's string one byte at a time.
	 */
	for (uint32_t len = 1; len <= 80; len++) {
		char longer[96];

		for (uint32_t k = 0; k < len; k++)
			longer[k] = (char)('a' + (k * 7 + len) % 26);
		longer[len] = '\0';
		bb_struct(&sparse, longer, 4, 0);
	}
	bb_init(&dense);
	for (uint32_t i = 0; i < 90000; i++) {
		snprintf(name, sizeof(name), "n%u", i);
		bb_int(&dense, name, 4, 0, 0, 32);
	}
	for (int which = 0; which < 2; which++) {
		struct btf_builder *b = which ? &dense : &sparse;

		e = tu_open(b, BB_LITTLE, 0, NULL, &b1);
		l = tu_open(b, BB_LITTLE, BTFKIT_OPEN_LAZY_INDEX, NULL, &b2);
		assert_non_null(e);
		assert_non_null(l);
		assert_true(btfkit_btf_type_count(e) > 12000);
		check_index_like_lazy(e, l);
		btfkit_btf_free(e);
		btfkit_btf_free(l);
		free(b1);
		free(b2);
	}
	bb_free(&sparse);
	bb_free(&dense);

	e = btfkit_btf_open("/sys/kernel/btf/vmlinux", NULL);
	if (!e) {
		print_message("no /sys/kernel/btf/vmlinux here: its part skipped\n");
		return;
	}
	l = btfkit_btf_open("/sys/kernel/btf/vmlinux",
			    &(struct btfkit_open_opts){ .sz = sizeof(struct btfkit_open_opts),
							.flags = BTFKIT_OPEN_LAZY_INDEX });
	assert_non_null(l);
	check_index_like_lazy(e, l);
	btfkit_btf_free(e);
	btfkit_btf_free(l);
}

/* ---- the other byte order reads the same ---- */

static void check_swapped_same(struct btf_builder *b)
{
	uint8_t *b1, *b2;
	struct btfkit_btf *le = tu_open(b, BB_LITTLE, 0, NULL, &b1);
	struct btfkit_btf *be = tu_open(b, BB_BIG, 0, NULL, &b2);
	char *x, *y;

	assert_non_null(le);
	assert_non_null(be);
	assert_int_equal(btfkit_btf_swapped(le), 0);
	assert_int_equal(btfkit_btf_swapped(be), 1);
	assert_int_equal(btfkit_btf_hdr_len(be), b->hdr_len);
	assert_int_equal(btfkit_btf_has_layout(be), b->has_layout);
	compare_objects(le, be);
	x = tu_dump(le, BTFKIT_DUMP_RAW);
	y = tu_dump(be, BTFKIT_DUMP_RAW);
	assert_string_equal(x, y);
	free(x);
	free(y);
	btfkit_btf_free(le);
	btfkit_btf_free(be);
	free(b1);
	free(b2);
}

static void test_swapped_reads_same(void **state)
{
	struct btf_builder b, bb, sb;
	struct btfkit_btf *base_le, *base_be, *s1, *s2;
	uint8_t *b1, *b2, *b3, *b4;
	char *x, *y;

	(void)state;
	blob_all_kinds(&b);
	check_swapped_same(&b);
	bb_add_layout(&b, 20);
	check_swapped_same(&b);
	bb_free(&b);
	blob_unknown_kind(&b, 1);
	check_swapped_same(&b);
	bb_free(&b);
	blob_enums(&b);
	check_swapped_same(&b);
	bb_free(&b);

	/* Split blobs of either order on bases of either order. */
	blob_split_base(&bb);
	blob_split(&sb, &bb);
	base_le = tu_open(&bb, BB_LITTLE, 0, NULL, &b1);
	base_be = tu_open(&bb, BB_BIG, 0, NULL, &b2);
	s1 = tu_open(&sb, BB_BIG, 0, base_le, &b3);
	s2 = tu_open(&sb, BB_LITTLE, 0, base_be, &b4);
	assert_non_null(s1);
	assert_non_null(s2);
	compare_objects(s1, s2);
	x = tu_dump(s1, BTFKIT_DUMP_JSON);
	y = tu_dump(s2, BTFKIT_DUMP_JSON);
	assert_string_equal(x, y);
	free(x);
	free(y);
	btfkit_btf_free(s1);
	btfkit_btf_free(s2);
	btfkit_btf_free(base_le);
	btfkit_btf_free(base_be);
	free(b1);
	free(b2);
	free(b3);
	free(b4);
	bb_free(&bb);
	bb_free(&sb);
}

/* ---- the layout section ---- */

static void test_layout_unknown_kind(void **state)
{
	struct btf_builder b;

	(void)state;
	blob_unknown_kind(&b, 1);
	for (unsigned order = BB_LITTLE; order <= BB_BIG; order++) {
		uint8_t *blob;
		struct btfkit_btf *btf = tu_open(&b, order, 0, NULL, &blob);
		const struct btfkit_type *t;
		char *d;

		assert_non_null(btf);
		assert_int_equal(btfkit_btf_has_layout(btf), 1);
		assert_int_equal(btfkit_btf_hdr_len(btf), 32);
		assert_int_equal(btfkit_btf_type_count(btf), UK_COUNT);
		t = btfkit_btf_type(btf, UK_UNKNOWN);
		assert_non_null(t);
		assert_int_equal(btfkit_type_kind(t), 20);
		assert_int_equal(btfkit_type_vlen(t), 2);
		assert_int_equal(t->size, 7);
		assert_string_equal(btfkit_btf_name(btf, UK_UNKNOWN), "mystery");
		assert_int_equal(tu_type_bytes(btf, UK_UNKNOWN), 12 + 4 + 2 * 8);
		/* Its words were converted like any others. */
		assert_int_equal(((const uint32_t *)btfkit_type_data(t))[4], 0xa0b0c004u);
		/* The types after it are where they should be. */
		assert_int_equal(btfkit_type_kind(btfkit_btf_type(btf, UK_PTR)), BTFKIT_KIND_PTR);
		assert_int_equal(btfkit_btf_type(btf, UK_PTR)->type, UK_INT);
		assert_int_equal(btfkit_btf_find(btf, "after", BTFKIT_KIND_STRUCT), UK_STRUCT);
		assert_int_equal(btfkit_btf_find(btf, "mystery", -1), UK_UNKNOWN);
		assert_int_equal(btfkit_btf_resolve_size(btf, UK_STRUCT), 4);
		/* Nothing is known about its meaning: sizes are errors, dumps still work. */
		assert_true(btfkit_btf_resolve_size(btf, UK_UNKNOWN) < 0);
		assert_true(btfkit_btf_align(btf, UK_UNKNOWN) < 0);
		assert_int_equal(btfkit_btf_skip_mods(btf, UK_UNKNOWN), UK_UNKNOWN);
		d = tu_dump_type(btf, UK_UNKNOWN, BTFKIT_DUMP_RAW);
		assert_non_null(d);
		assert_true(strncmp(d, "[2] UNKNOWN 'mystery'", 21) == 0);
		free(d);
		btfkit_btf_free(btf);
		free(blob);
	}
	bb_free(&b);
}

static void expect_open_error(const struct btf_builder *b, enum bb_order order, unsigned flags,
			      int err, const char *msg_part1, const char *msg_part2)
{
	char msg[256] = "";
	size_t size;
	uint8_t *blob = bb_finish(b, order, &size);

	errno = 0;
	assert_null(tu_open_mem(blob, size, flags, NULL, msg, sizeof(msg)));
	assert_int_equal(errno, err);
	if (msg_part1 && !strstr(msg, msg_part1))
		fail_msg("message \"%s\" lacks \"%s\"", msg, msg_part1);
	if (msg_part2 && !strstr(msg, msg_part2))
		fail_msg("message \"%s\" lacks \"%s\"", msg, msg_part2);
	free(blob);
}

/*
 * BTFKIT_OPEN_DEFER_NAMES: the by-id table at open, the name index on the
 * first lookup by name, whichever of several threads makes it. Each thread
 * looks up every name from a different starting point, so that several ask
 * first at once; every answer must be the eager object's.
 */
struct finder {
	const struct btfkit_btf *deferred, *eager;
	pthread_barrier_t *all_there; /* so that the first lookups do race */
	uint32_t start, count;
	unsigned wrong;
};

static void *find_all(void *arg)
{
	struct finder *f = arg;
	uint32_t n = btfkit_btf_type_count(f->eager);

	pthread_barrier_wait(f->all_there);
	for (uint32_t k = 0; k + 1 < n && k < f->count; k++) {
		uint32_t id = 1 + (f->start + k) % (n - 1);
		const char *name = btfkit_btf_name(f->eager, id);
		int kind = (int)btfkit_type_kind(btfkit_btf_type(f->eager, id));

		if (!btfkit_btf_type(f->eager, id)->name_off)
			continue;
		if (btfkit_btf_find(f->deferred, name, kind) != btfkit_btf_find(f->eager, name, kind))
			f->wrong++;
	}
	return NULL;
}

static void test_defer_names_threads(void **state)
{
	struct btf_builder b;
	struct btfkit_btf *e, *d;
	struct finder f[4];
	pthread_t tids[4];
	pthread_barrier_t all_there;
	uint8_t *b1, *b2;
	char name[32];

	(void)state;
	bb_init(&b);
	bb_int(&b, "int", 4, 1, 0, 32);
	for (uint32_t i = 0; i < 20000; i++) {
		snprintf(name, sizeof(name), "t%u", i % 15000); /* some names twice */
		bb_typedef(&b, name, 1);
	}
	e = tu_open(&b, BB_LITTLE, 0, NULL, &b1);
	assert_non_null(e);
	assert_int_equal(pthread_barrier_init(&all_there, NULL, 4), 0);
	/* Several rounds, a fresh object each: the race is in the first lookups. */
	for (unsigned round = 0; round < 8; round++) {
		d = tu_open(&b, BB_LITTLE, BTFKIT_OPEN_DEFER_NAMES, NULL, &b2);
		assert_non_null(d);
		/* By id at once, like the eager object. */
		assert_int_equal(btfkit_btf_type_count(d), btfkit_btf_type_count(e));
		assert_int_equal(btfkit_btf_type(d, 12345)->info, btfkit_btf_type(e, 12345)->info);
		for (unsigned t = 0; t < 4; t++) {
			f[t] = (struct finder){ .deferred = d, .eager = e, .all_there = &all_there,
						.start = t * 5000, .count = round ? 100 : UINT32_MAX };
			assert_int_equal(pthread_create(&tids[t], NULL, find_all, &f[t]), 0);
		}
		for (unsigned t = 0; t < 4; t++) {
			pthread_join(tids[t], NULL);
			assert_int_equal(f[t].wrong, 0);
		}
		btfkit_btf_free(d);
		free(b2);
	}
	pthread_barrier_destroy(&all_there);
	btfkit_btf_free(e);
	free(b1);
	bb_free(&b);
}

/*
 * Kernel-sized BTF that goes wrong near its end: the eager open's walk (a
 * loop of its own for whole records, lib/btf/parse.c) stops at the bad
 * record and reports what the lazy open's walk reports, with the same id.
 */
static void test_walk_errors_large(void **state)
{
	struct btf_builder b;

	(void)state;
	for (int what = 0; what < 3; what++) {
		bb_init(&b);
		bb_int(&b, "int", 4, 1, 0, 32);
		for (uint32_t i = 0; i < 12000; i++) {
			bb_struct(&b, "s", 32, 0);
			for (uint32_t m = 0; m < 8; m++)
				bb_member(&b, "m", 1, m * 32, 0);
		}
		if (what == 0) {
			/* Kind 0, type [12002]. */
			bb_raw_type(&b, 0, bb_info(0, 0, 0), 0);
			expect_open_error(&b, BB_LITTLE, 0, ENOTSUP, "kind 0", "[12002]");
			expect_open_error(&b, BB_BIG, 0, ENOTSUP, "kind 0", "[12002]");
			expect_open_error(&b, BB_LITTLE, BTFKIT_OPEN_LAZY_INDEX, ENOTSUP, "kind 0",
					  "[12002]");
		} else if (what == 1) {
			/* A struct of 3 members with none of their bytes, last. */
			bb_raw_type(&b, 0, bb_info(BTFKIT_KIND_STRUCT, 0, 3), 4);
			expect_open_error(&b, BB_LITTLE, 0, EINVAL, "[12002] (STRUCT, vlen 3) truncated",
					  NULL);
			expect_open_error(&b, BB_LITTLE, BTFKIT_OPEN_LAZY_INDEX, EINVAL,
					  "[12002] (STRUCT, vlen 3) truncated", NULL);
			expect_open_error(&b, BB_LITTLE, BTFKIT_OPEN_DEFER_NAMES, EINVAL,
					  "[12002] (STRUCT, vlen 3) truncated", NULL);
		} else {
			/*
			 * vlen 65536: its low 16 bits are those of a struct with no
			 * members, which the walk's table of small records must not
			 * take it for.
			 */
			bb_raw_type(&b, 0, bb_info(BTFKIT_KIND_STRUCT, 0, 0x10000), 4);
			bb_raw_word(&b, 0);
			bb_raw_word(&b, 1);
			bb_raw_word(&b, 0);
			for (unsigned flags = 0; flags <= BTFKIT_OPEN_DEFER_NAMES; flags++)
				expect_open_error(&b, BB_LITTLE, flags, EINVAL,
						  "[12002] (STRUCT, vlen 65536) truncated", NULL);
		}
		bb_free(&b);
	}
}

static void test_layout_errors(void **state)
{
	struct btf_builder b;

	(void)state;
	/* Without a layout an unknown kind cannot be stepped over: the message names it and the id. */
	blob_unknown_kind(&b, 0);
	for (unsigned order = BB_LITTLE; order <= BB_BIG; order++) {
		expect_open_error(&b, order, 0, ENOTSUP, "kind 20", "[2]");
		expect_open_error(&b, order, BTFKIT_OPEN_LAZY_INDEX, ENOTSUP, "kind 20", "[2]");
	}
	/* A layout that stops short of kind 20 is no help either. */
	bb_add_layout(&b, 20);
	expect_open_error(&b, BB_LITTLE, 0, ENOTSUP, "kind 20", "[2]");
	/* A size that is not a multiple of 4 would misalign every later type. */
	bb_layout_entry(&b, 20, 3, 8, 0);
	expect_open_error(&b, BB_LITTLE, 0, EINVAL, "kind 20", NULL);
	bb_layout_entry(&b, 20, 4, 6, 0);
	expect_open_error(&b, BB_BIG, 0, EINVAL, "kind 20", NULL);
	/* Described, but smaller than the data: the rest reads as garbage types, not a crash. */
	bb_layout_entry(&b, 20, 0, 0, 0);
	{
		uint8_t *blob;
		struct btfkit_btf *btf = tu_open(&b, BB_LITTLE, 0, NULL, &blob);

		if (btf) {
			char *d = tu_dump(btf, BTFKIT_DUMP_JSON);

			free(d);
			btfkit_btf_free(btf);
			free(blob);
		}
	}
	bb_free(&b);

	/* Kind 0 is never valid, even in the middle of known types. */
	bb_init(&b);
	bb_int(&b, "int", 4, 1, 0, 32);
	bb_raw_type(&b, 0, bb_info(0, 0, 0), 0);
	expect_open_error(&b, BB_LITTLE, 0, ENOTSUP, "kind 0", "[2]");
	bb_free(&b);

	/* A split blob with no layout of its own steps over unknown kinds with its base's. */
	{
		struct btf_builder base, split;
		struct btfkit_btf *bo, *so;
		uint8_t *b1, *b2;

		blob_unknown_kind(&base, 1);
		bb_init_split_on(&split, &base);
		bb_unknown(&split, 20, "again", 1, 0, 4, 8);
		bb_typedef(&split, "after2", UK_INT);
		bo = tu_open(&base, BB_LITTLE, 0, NULL, &b1);
		assert_non_null(bo);
		so = tu_open(&split, BB_BIG, 0, bo, &b2);
		assert_non_null(so);
		assert_int_equal(btfkit_btf_find(so, "after2", BTFKIT_KIND_TYPEDEF), UK_COUNT + 1);
		btfkit_btf_free(so);
		btfkit_btf_free(bo);
		free(b1);
		free(b2);
		bb_free(&base);
		bb_free(&split);
	}
}

/* ---- resolve_size, align, skip_mods ---- */

static void test_resolve_all_kinds(void **state)
{
	struct btf_builder b;
	struct btfkit_btf *btf;
	uint8_t *blob;

	(void)state;
	blob_all_kinds(&b);
	btf = tu_open(&b, BB_LITTLE, 0, NULL, &blob);
	assert_non_null(btf);

	assert_int_equal(btfkit_btf_resolve_size(btf, AK_INT), 4);
	assert_int_equal(btfkit_btf_resolve_size(btf, AK_CHAR), 1);
	assert_int_equal(btfkit_btf_resolve_size(btf, AK_PTR), 8);
	assert_int_equal(btfkit_btf_resolve_size(btf, AK_ARRAY), 40);
	assert_int_equal(btfkit_btf_resolve_size(btf, AK_STRUCT), 56);
	assert_int_equal(btfkit_btf_resolve_size(btf, AK_UNION), 4);
	assert_int_equal(btfkit_btf_resolve_size(btf, AK_ENUM_U), 4);
	assert_int_equal(btfkit_btf_resolve_size(btf, AK_ENUM64_S), 8);
	assert_int_equal(btfkit_btf_resolve_size(btf, AK_TYPEDEF), 4);
	assert_int_equal(btfkit_btf_resolve_size(btf, AK_CONST), 4);
	assert_int_equal(btfkit_btf_resolve_size(btf, AK_RESTRICT), 8);
	assert_int_equal(btfkit_btf_resolve_size(btf, AK_TYPE_TAG), 4);
	assert_int_equal(btfkit_btf_resolve_size(btf, AK_VAR_STATIC), 56);
	assert_int_equal(btfkit_btf_resolve_size(btf, AK_DATASEC), 64);
	assert_int_equal(btfkit_btf_resolve_size(btf, AK_FLOAT), 4);
	/* Things without a size. */
	assert_int_equal(btfkit_btf_resolve_size(btf, 0), -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(btfkit_btf_resolve_size(btf, AK_FUNC_GLOBAL), -EINVAL);
	assert_int_equal(btfkit_btf_resolve_size(btf, AK_PROTO), -EINVAL);
	assert_int_equal(btfkit_btf_resolve_size(btf, AK_FWD_STRUCT), -EINVAL);
	assert_int_equal(btfkit_btf_resolve_size(btf, AK_COUNT), -ENOENT);
	assert_int_equal(errno, ENOENT);

	assert_int_equal(btfkit_btf_align(btf, AK_INT), 4);
	assert_int_equal(btfkit_btf_align(btf, AK_CHAR), 1);
	assert_int_equal(btfkit_btf_align(btf, AK_PTR), 8);
	assert_int_equal(btfkit_btf_align(btf, AK_ARRAY), 4);
	assert_int_equal(btfkit_btf_align(btf, AK_STRUCT), 8);
	assert_int_equal(btfkit_btf_align(btf, AK_UNION), 4);
	assert_int_equal(btfkit_btf_align(btf, AK_ENUM64_U), 8);
	assert_int_equal(btfkit_btf_align(btf, AK_CONST), 4);
	assert_int_equal(btfkit_btf_align(btf, AK_VAR_STATIC), 8);
	assert_int_equal(btfkit_btf_align(btf, AK_FLOAT), 4);
	assert_true(btfkit_btf_align(btf, AK_FUNC_GLOBAL) < 0);
	assert_true(btfkit_btf_align(btf, AK_FWD_UNION) < 0);
	assert_int_equal(btfkit_btf_align(btf, AK_COUNT), -ENOENT);

	assert_int_equal(btfkit_btf_skip_mods(btf, AK_CONST), AK_INT);
	assert_int_equal(btfkit_btf_skip_mods(btf, AK_TYPEDEF), AK_INT);
	assert_int_equal(btfkit_btf_skip_mods(btf, AK_RESTRICT), AK_PTR);
	assert_int_equal(btfkit_btf_skip_mods(btf, AK_TYPE_TAG), AK_INT);
	assert_int_equal(btfkit_btf_skip_mods(btf, AK_STRUCT), AK_STRUCT);
	assert_int_equal(btfkit_btf_skip_mods(btf, 0), 0);
	assert_int_equal(btfkit_btf_skip_mods(btf, AK_COUNT), -ENOENT);

	btfkit_btf_free(btf);
	free(blob);
	bb_free(&b);
}

static void test_resolve_nested(void **state)
{
	struct btf_builder b;
	struct btfkit_btf *btf;
	uint32_t i, c, l, arr23, td, cst, s, sarr, packed, outer, u, tag;
	uint8_t *blob;

	(void)state;
	bb_init(&b);
	i = bb_int(&b, "int", 4, 1, 0, 32);
	c = bb_int(&b, "char", 1, 2, 0, 8);
	l = bb_int(&b, "long", 8, 1, 0, 64);
	arr23 = bb_array(&b, bb_array(&b, i, i, 3), i, 2); /* int[2][3] */
	td = bb_typedef(&b, "m23", arr23);
	cst = bb_const(&b, bb_volatile(&b, td));
	s = bb_struct(&b, "s", 16, 0); /* { char c; long l; } */
	bb_member(&b, "c", c, 0, 0);
	bb_member(&b, "l", l, 64, 0);
	packed = bb_struct(&b, "packed", 5, 0); /* { char c; int i; } __attribute__((packed)) */
	bb_member(&b, "c", c, 0, 0);
	bb_member(&b, "i", i, 8, 0);
	sarr = bb_array(&b, s, i, 1);
	outer = bb_struct(&b, "outer", 48, 0); /* { const m23 a; struct s b[1]; } */
	bb_member(&b, "a", cst, 0, 0);
	bb_member(&b, "b", sarr, 256, 0);
	u = bb_union(&b, "u", 8, 1); /* bitfields never make a struct packed */
	bb_member(&b, "x", l, 3, 5);
	tag = bb_type_tag(&b, "user", bb_ptr(&b, outer));

	btf = tu_open(&b, BB_LITTLE, 0, NULL, &blob);
	assert_non_null(btf);
	assert_int_equal(btfkit_btf_resolve_size(btf, arr23), 24);
	assert_int_equal(btfkit_btf_resolve_size(btf, cst), 24);
	assert_int_equal(btfkit_btf_align(btf, cst), 4);
	assert_int_equal(btfkit_btf_skip_mods(btf, cst), arr23);
	assert_int_equal(btfkit_btf_align(btf, s), 8);
	assert_int_equal(btfkit_btf_align(btf, packed), 1);
	assert_int_equal(btfkit_btf_resolve_size(btf, packed), 5);
	assert_int_equal(btfkit_btf_align(btf, outer), 8);
	assert_int_equal(btfkit_btf_resolve_size(btf, outer), 48);
	assert_int_equal(btfkit_btf_align(btf, u), 8);
	assert_int_equal(btfkit_btf_resolve_size(btf, tag), 8);
	assert_int_equal(btfkit_btf_align(btf, tag), 8);
	btfkit_btf_free(btf);
	free(blob);
	bb_free(&b);
}

/* Cycles and absurd sizes end in errors, quickly. */
static void test_resolve_loops(void **state)
{
	struct btf_builder b;
	struct btfkit_btf *btf;
	uint32_t ta, tb, selfarr, selfs, big, bad, c1, selfarr2;
	uint8_t *blob;

	(void)state;
	bb_init(&b);
	ta = bb_typedef(&b, "A", 2); /* A -> B -> A */
	tb = bb_typedef(&b, "B", 1);
	selfarr = bb_array(&b, 3, 3, 1); /* an array of itself */
	selfs = bb_struct(&b, "self", 8, 0); /* a struct containing itself */
	bb_member(&b, "me", 4, 0, 0);
	big = bb_int(&b, "int", 4, 1, 0, 32);
	big = bb_array(&b, big, big, 0xffffffff);
	big = bb_array(&b, big, big, 0xffffffff);
	big = bb_array(&b, big, big, 0xffffffff);
	bad = bb_typedef(&b, "dangling", 999);
	selfarr2 = bb_array(&b, bb_next_id(&b), 1, 2); /* doubling each time round: overflows first */
	c1 = bb_const(&b, bb_next_id(&b) + 1); /* const -> volatile -> const */
	bb_volatile(&b, c1);

	btf = tu_open(&b, BB_LITTLE, 0, NULL, &blob);
	assert_non_null(btf);
	assert_int_equal(btfkit_btf_resolve_size(btf, ta), -ELOOP);
	assert_int_equal(errno, ELOOP);
	assert_int_equal(btfkit_btf_skip_mods(btf, tb), -ELOOP);
	assert_int_equal(btfkit_btf_align(btf, ta), -ELOOP);
	assert_int_equal(btfkit_btf_resolve_size(btf, selfarr), -ELOOP);
	assert_int_equal(btfkit_btf_align(btf, selfarr), -ELOOP);
	assert_true(btfkit_btf_resolve_size(btf, selfarr2) < 0);
	assert_true(btfkit_btf_align(btf, selfs) < 0);
	assert_int_equal(btfkit_btf_resolve_size(btf, selfs), 8); /* the size is stated, not computed */
	assert_int_equal(btfkit_btf_resolve_size(btf, big), -E2BIG);
	assert_int_equal(btfkit_btf_resolve_size(btf, bad), -ENOENT);
	assert_int_equal(btfkit_btf_skip_mods(btf, bad), -ENOENT);
	assert_int_equal(btfkit_btf_align(btf, bad), -ENOENT);
	assert_int_equal(btfkit_btf_skip_mods(btf, c1), -ELOOP);
	assert_int_equal(btfkit_btf_resolve_size(btf, c1), -ELOOP);
	btfkit_btf_free(btf);
	free(blob);
	bb_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_mem_and_file),
		cmocka_unit_test(test_counts_and_bounds),
		cmocka_unit_test(test_every_kind),
		cmocka_unit_test(test_cursor),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_find_duplicates),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_lazy_matches_eager),
		cmocka_unit_test(test_index_large),
		cmocka_unit_test(test_walk_errors_large),
		cmocka_unit_test(test_defer_names_threads),
		cmocka_unit_test(test_swapped_reads_same),
		cmocka_unit_test(test_layout_unknown_kind),
		cmocka_unit_test(test_layout_errors),
		cmocka_unit_test(test_resolve_all_kinds),
		cmocka_unit_test(test_resolve_nested),
		cmocka_unit_test(test_resolve_loops),
	};

	/* BTFKIT_TEST_ONLY=PATTERN (* and ?): only those tests (make threads runs a few). */
	const char *only = getenv("BTFKIT_TEST_ONLY");
	size_t n = sizeof(tests) / sizeof(tests[0]), ran = 0;

	if (!only)
		return tu_report(n, cmocka_run_group_tests(tests, NULL, NULL));
	/* cmocka matches * and ? only; fnmatch() would count [...] and \ differently. */
	if (strpbrk(only, "[\\")) {
		fprintf(stderr, "BTFKIT_TEST_ONLY: only * and ? are understood\n");
		return 2;
	}
	for (size_t i = 0; i < n; i++)
		ran += fnmatch(only, tests[i].name, 0) == 0;
	cmocka_set_test_filter(only);
	return tu_report(ran, cmocka_run_group_tests(tests, NULL, NULL));
}
