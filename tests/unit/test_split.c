// SPDX-License-Identifier: BSD-2-Clause
/*
 * The split-BTF API on hand-built bases and a module: each verdict, what
 * relocation and distillation write, and the error contract. (pahole-made
 * modules and real kernels: tests/split/run.sh.)
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

/*
 * A base: int, struct foo { int a; } (4 bytes, or 8 with foo_size), struct
 * bar (8 bytes), pointer to bar. `extra` puts a new type and name first, as
 * a kernel update does.
 */
static void build_base(struct btf_builder *b, int extra, uint32_t foo_size)
{
	uint32_t i, foo;

	bb_init(b);
	if (extra)
		bb_int(b, "added_first", 8, 0, 0, 64);
	i = bb_int(b, "int", 4, 1, 0, 32);
	foo = bb_struct(b, "foo", foo_size, 0);
	bb_member(b, "a", i, 0, 0);
	bb_struct(b, "bar", 8, 0);
	bb_member(b, "x", i, 0, 0);
	bb_member(b, "y", i, 32, 0);
	(void)foo;
}

struct fixture {
	struct btf_builder ba, bb, bc, mod;
	uint8_t *a_blob, *b_blob, *c_blob, *m_blob;
	size_t a_size, b_size, c_size, m_size;
	struct btfkit_btf *a, *b, *c;
	struct btfkit_split_base *sa, *sb, *sc;
	struct btfkit_split_module *m;
};

static struct btfkit_btf *open_blob(const uint8_t *data, size_t size)
{
	struct btfkit_open_opts o = { .sz = sizeof(o) };
	struct btfkit_btf *btf = btfkit_btf_open_mem(data, size, &o);

	assert_non_null(btf);
	return btf;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	uint32_t i, foo, bar, pbar, st, pst, proto;

	build_base(&f->ba, 0, 4);
	build_base(&f->bb, 1, 4);
	build_base(&f->bc, 1, 8);
	/* The module, split on base A: ids 1 int, 2 foo, 3 bar. */
	i = 1;
	foo = 2;
	bar = 3;
	bb_init_split_on(&f->mod, &f->ba);
	pbar = bb_ptr(&f->mod, bar);
	st = bb_struct(&f->mod, "mod_priv", 16, 0);
	bb_member(&f->mod, "f", foo, 0, 0);
	bb_member(&f->mod, "b", pbar, 64, 0);
	pst = bb_ptr(&f->mod, st);
	/* Parameters follow their prototype's record: no type in between. */
	proto = bb_func_proto(&f->mod, i);
	bb_param(&f->mod, "p", pst);
	bb_func(&f->mod, "mod_probe", proto, 1);
	f->a_blob = bb_finish(&f->ba, BB_LITTLE, &f->a_size);
	f->b_blob = bb_finish(&f->bb, BB_LITTLE, &f->b_size);
	f->c_blob = bb_finish(&f->bc, BB_LITTLE, &f->c_size);
	f->m_blob = bb_finish(&f->mod, BB_LITTLE, &f->m_size);
	f->a = open_blob(f->a_blob, f->a_size);
	f->b = open_blob(f->b_blob, f->b_size);
	f->c = open_blob(f->c_blob, f->c_size);
	f->sa = btfkit_split_base_new(f->a, NULL, NULL, 0);
	f->sb = btfkit_split_base_new(f->b, NULL, NULL, 0);
	f->sc = btfkit_split_base_new(f->c, NULL, NULL, 0);
	f->m = btfkit_split_module_open_mem(f->m_blob, f->m_size, NULL, 0);
	assert_non_null(f->sa);
	assert_non_null(f->sb);
	assert_non_null(f->sc);
	assert_non_null(f->m);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	btfkit_split_module_free(f->m);
	btfkit_split_base_free(f->sa);
	btfkit_split_base_free(f->sb);
	btfkit_split_base_free(f->sc);
	btfkit_btf_free(f->a);
	btfkit_btf_free(f->b);
	btfkit_btf_free(f->c);
	free(f->a_blob);
	free(f->b_blob);
	free(f->c_blob);
	free(f->m_blob);
	bb_free(&f->ba);
	bb_free(&f->bb);
	bb_free(&f->bc);
	bb_free(&f->mod);
	free(f);
	return 0;
}

static void test_ok_on_own_base(void **state)
{
	struct fixture *f = *state;
	struct btfkit_split_result res;

	assert_int_equal(btfkit_split_check(f->sa, f->m, NULL, &res), 0);
	assert_int_equal(res.verdict, BTFKIT_SPLIT_OK);
	assert_true(res.kernel.valid);
	assert_int_equal(res.nr_wrong, 0);
	assert_int_equal(btfkit_split_check(f->sa, f->m, f->sa, &res), 0);
	assert_int_equal(res.verdict, BTFKIT_SPLIT_OK);
}

static void test_mismatch_and_relocatable(void **state)
{
	struct fixture *f = *state;
	struct btfkit_split_result res;

	assert_int_equal(btfkit_split_check(f->sb, f->m, NULL, &res), 0);
	assert_int_equal(res.verdict, BTFKIT_SPLIT_MISMATCH);
	assert_true(res.nr_wrong > 0 || !res.kernel.valid);
	assert_int_equal(btfkit_split_check(f->sb, f->m, f->sa, &res), 0);
	assert_int_equal(res.verdict, BTFKIT_SPLIT_RELOCATABLE);
	assert_true(res.orig_used);
	assert_true(res.nr_wrong > 0);
	assert_true(res.nr_refs_shown > 0 && res.nr_refs_shown <= res.nr_wrong);
	assert_true(res.refs[0].orig[0] != 0);
	assert_int_equal(res.nr_base_used, res.nr_matched);
}

static void test_relocate(void **state)
{
	struct fixture *f = *state;
	struct btfkit_open_opts o = { .sz = sizeof(o), .base = f->b };
	struct btfkit_split_result res;
	struct btfkit_verdict v;
	struct btfkit_btf *out;
	const struct btfkit_type *t;
	void *data;
	size_t size;
	int64_t id;

	assert_int_equal(btfkit_split_relocate(f->sb, f->m, f->sa, &res, &data, &size), 0);
	assert_int_equal(btfkit_validate_mem(data, size, f->b, NULL, &v), 0);
	assert_true(v.valid);
	out = btfkit_btf_open_mem(data, size, &o);
	assert_non_null(out);
	/* The module's own types first, in order: mod_priv is its second. */
	id = btfkit_btf_find(out, "mod_priv", BTFKIT_KIND_STRUCT);
	assert_int_equal(id, btfkit_btf_start_id(out) + 1);
	t = btfkit_btf_type(out, (uint32_t)id);
	assert_string_equal(btfkit_btf_name(out, btfkit_type_members(t)[0].type), "foo");
	assert_int_equal(btfkit_type_members(t)[0].type,
			 btfkit_btf_find(f->b, "foo", BTFKIT_KIND_STRUCT));
	btfkit_btf_free(out);
	free(data);
}

static void test_incompatible(void **state)
{
	struct fixture *f = *state;
	struct btfkit_split_result res;
	void *data = NULL;
	size_t size;

	assert_int_equal(btfkit_split_check(f->sc, f->m, f->sa, &res), 0);
	assert_int_equal(res.verdict, BTFKIT_SPLIT_INCOMPATIBLE);
	assert_string_equal(res.changed_name, "STRUCT 'foo'");
	assert_non_null(strstr(res.reason, "4 bytes on the original base, 8 on the base"));
	assert_int_equal(btfkit_split_relocate(f->sc, f->m, f->sa, &res, &data, &size), -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_null(data);
}

static void test_distill(void **state)
{
	struct fixture *f = *state;
	void *dist, *split;
	size_t dist_size, split_size;
	struct btfkit_btf *d, *s;
	struct btfkit_verdict v;
	const struct btfkit_type *t;
	int64_t id;

	assert_int_equal(btfkit_split_distill(f->sa, f->m, &dist, &dist_size, &split, &split_size,
					      NULL, 0),
			 0);
	d = open_blob(dist, dist_size);
	/* int, foo, bar: the named base types the module uses, without members. */
	assert_int_equal(btfkit_btf_type_count(d), 4);
	id = btfkit_btf_find(d, "foo", BTFKIT_KIND_STRUCT);
	assert_true(id > 0);
	t = btfkit_btf_type(d, (uint32_t)id);
	assert_int_equal(btfkit_type_vlen(t), 0);
	assert_int_equal(t->size, 4);
	assert_int_equal(btfkit_validate_mem(split, split_size, d, NULL, &v), 0);
	assert_true(v.valid);
	s = btfkit_btf_open_mem(split, split_size,
				&(struct btfkit_open_opts){ .sz = sizeof(struct btfkit_open_opts), .base = d });
	assert_non_null(s);
	btfkit_btf_free(s);
	btfkit_btf_free(d);
	free(dist);
	free(split);
}

/*
 * A name inside another string ("nt" of "int") is a valid identifier, so
 * the kernel takes the module, with a name that means something else: not
 * ok, however the check gets there. One case per kind whose references the
 * check takes as proven by validation (struct member, function, enum
 * value), on a base string and on one of the module's own.
 */
enum inside_kind { IN_MEMBER, IN_FUNC, IN_ENUM };

static void check_inside(struct fixture *f, enum inside_kind kind, bool own)
{
	struct btf_builder mod;
	struct btfkit_split_module *m;
	struct btfkit_split_result res;
	uint32_t name, proto;
	uint8_t *blob;
	size_t size;

	bb_init_split_on(&mod, &f->ba);
	/* A few valid names first: the inside one is not the first name checked. */
	bb_struct(&mod, "mod_first", 4, 0);
	bb_member(&mod, "count", 1, 0, 0);
	name = own ? bb_str(&mod, "mod_counter") + 4 : bb_find_str(&f->ba, "int") + 1;
	switch (kind) {
	case IN_MEMBER:
		bb_struct(&mod, "mod_priv", 4, 0);
		bb_member_raw(&mod, name, 1, 0);
		break;
	case IN_FUNC:
		proto = bb_func_proto(&mod, 1);
		bb_raw_type(&mod, name, bb_info(BTFKIT_KIND_FUNC, 0, 1), proto);
		break;
	case IN_ENUM:
		bb_raw_type(&mod, bb_str(&mod, "mod_state"), bb_info(BTFKIT_KIND_ENUM, 0, 2), 4);
		bb_raw_word(&mod, bb_str(&mod, "MOD_IDLE"));
		bb_raw_word(&mod, 0);
		bb_raw_word(&mod, name);
		bb_raw_word(&mod, 1);
		break;
	}
	blob = bb_finish(&mod, BB_LITTLE, &size);
	assert_non_null(blob);
	m = btfkit_split_module_open_mem(blob, size, NULL, 0);
	assert_non_null(m);
	assert_int_equal(btfkit_split_check(f->sa, m, NULL, &res), 0);
	if (!res.kernel.valid || res.verdict != BTFKIT_SPLIT_MISMATCH || res.nr_wrong < 1)
		print_error("kind %d, %s string: valid %d, verdict %s, %u wrong\n", kind,
			    own ? "own" : "base", res.kernel.valid,
			    btfkit_split_verdict_name(res.verdict), res.nr_wrong);
	assert_true(res.kernel.valid);
	assert_int_equal(res.verdict, BTFKIT_SPLIT_MISMATCH);
	assert_true(res.nr_wrong >= 1);
	btfkit_split_module_free(m);
	free(blob);
	bb_free(&mod);
}

static void test_valid_name_inside_a_string(void **state)
{
	for (int own = 0; own <= 1; own++) {
		check_inside(*state, IN_MEMBER, own);
		check_inside(*state, IN_FUNC, own);
		check_inside(*state, IN_ENUM, own);
	}
}

static void test_errors(void **state)
{
	struct fixture *f = *state;
	struct btfkit_split_result res;
	char msg[128] = "";
	void *data = NULL;
	size_t size;

	errno = 0;
	assert_int_equal(btfkit_split_check(NULL, f->m, NULL, &res), -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(btfkit_split_relocate(f->sb, f->m, NULL, &res, &data, &size), -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_null(data);
	assert_null(btfkit_split_module_open("/nonexistent/module.ko", msg, sizeof(msg)));
	assert_int_equal(errno, ENOENT);
	assert_true(msg[0] != 0);
	assert_null(btfkit_split_base_new(NULL, NULL, NULL, 0));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(btfkit_split_write_ko(f->m, "/tmp/x.ko", "", 0, NULL, 0, msg, sizeof(msg)),
			 -EINVAL);
	assert_string_equal(btfkit_split_verdict_name(BTFKIT_SPLIT_OK), "ok");
	assert_string_equal(btfkit_split_verdict_name(BTFKIT_SPLIT_INCOMPATIBLE), "incompatible");
	assert_int_equal(btfkit_split_module_has_base(f->m), 0);
	btfkit_split_module_free(NULL);
	btfkit_split_base_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ok_on_own_base),
		cmocka_unit_test(test_mismatch_and_relocatable),
		cmocka_unit_test(test_relocate),
		cmocka_unit_test(test_incompatible),
		cmocka_unit_test(test_distill),
		cmocka_unit_test(test_valid_name_inside_a_string),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
