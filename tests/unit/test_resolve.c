// SPDX-License-Identifier: BSD-2-Clause
/*
 * The kernel view and the resolver through their API, on a hand-built
 * kernel: BTF from the builder, a kallsyms text written here. What the
 * verdicts mean against a compiled kernel and the real ones is
 * tests/resolve/run.sh's and the lab's job; here: the model's version rules,
 * the attach pair, prototypes the trampoline refuses, and bad arguments.
 */
#include <errno.h>
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

#include "btf_builder.h"

static char dir[] = "/tmp/btfkit-resolve-XXXXXX";
static char btf_path[128], ksyms_path[128], ftrace_path[128];
static uint32_t id_one, id_dup1, id_dup2, id_sret, id_seven, id_uarg;

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	struct btf_builder b;
	uint32_t i, l, s, u, ub, p1, p2, p3, p7, pu;
	uint8_t *blob;
	size_t size;
	FILE *f;

	(void)state;
	if (!mkdtemp(dir))
		return -1;
	bb_init(&b);
	i = bb_int(&b, "int", 4, 1, 0, 32);
	l = bb_int(&b, "long", 8, 1, 0, 64);
	s = bb_struct(&b, "pair", 16, 0);
	bb_member(&b, "a", l, 0, 0);
	bb_member(&b, "b", l, 64, 0);
	p1 = bb_func_proto(&b, i);
	bb_param(&b, "x", i);
	id_one = bb_func(&b, "one", p1, 0);
	id_dup1 = bb_func(&b, "dup", p1, 0);
	p2 = bb_func_proto(&b, l);
	bb_param(&b, "v", l);
	bb_param(&b, "w", l);
	id_dup2 = bb_func(&b, "dup", p2, 0);
	p3 = bb_func_proto(&b, s); /* returns a struct */
	bb_param(&b, "x", i);
	id_sret = bb_func(&b, "sret", p3, 0);
	p7 = bb_func_proto(&b, i); /* seven registers */
	for (int k = 0; k < 7; k++)
		bb_param(&b, "a", i);
	id_seven = bb_func(&b, "seven", p7, 0);
	u = bb_union(&b, "val", 8, 0);
	bb_member(&b, "i", i, 0, 0);
	bb_member(&b, "l", l, 0, 0);
	ub = bb_union(&b, "big", 24, 0);
	bb_member(&b, "p", s, 0, 0);
	bb_member(&b, "l", l, 0, 0);
	pu = bb_func_proto(&b, i); /* a union of 8 bytes */
	bb_param(&b, "v", u);
	id_uarg = bb_func(&b, "uarg", pu, 0);
	pu = bb_func_proto(&b, i); /* a union of 24 bytes */
	bb_param(&b, "v", ub);
	bb_func(&b, "ubig", pu, 0);
	pu = bb_func_proto(&b, u); /* returns a union */
	bb_param(&b, "x", i);
	bb_func(&b, "uret", pu, 0);
	bb_func(&b, "security_hook", p1, 0);
	blob = bb_finish(&b, BB_LITTLE, &size);
	assert_non_null(blob);
	snprintf(btf_path, sizeof(btf_path), "%s/vmlinux.btf", dir);
	f = fopen(btf_path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(blob, 1, size, f), size);
	fclose(f);
	free(blob);
	bb_free(&b);
	snprintf(ksyms_path, sizeof(ksyms_path), "%s/kallsyms", dir);
	write_text(ksyms_path, "ffffffff81000100 T one\n"
			       "ffffffff81000200 t dup\n"
			       "ffffffff81000300 t dup\n"
			       "ffffffff81000400 T sret\n"
			       "ffffffff81000500 T seven\n"
			       "ffffffff81000700 T uarg\n"
			       "ffffffff81000800 T ubig\n"
			       "ffffffff81000900 T uret\n"
			       "ffffffff81000a00 T security_hook\n"
			       "ffffffff81000600 t one\t[m]\n");
	snprintf(ftrace_path, sizeof(ftrace_path), "%s/ftrace", dir);
	write_text(ftrace_path, "one\ndup\ndup\nsret\nseven\nuarg\nubig\nuret\nsecurity_hook\n");
	return 0;
}

static int teardown(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct btfkit_kview *view(const char *version)
{
	struct btfkit_kview_opts o = {
		.sz = sizeof(o), .btf = btf_path, .kallsyms = ksyms_path, .ftrace = ftrace_path,
		.kernel_version = version,
	};
	struct btfkit_kview *kv = btfkit_kview_open(&o);

	assert_non_null(kv);
	return kv;
}

static struct btfkit_resolution *resolve(struct btfkit_kview *kv, const char *t,
					 enum btfkit_attach_kind k, unsigned flags)
{
	struct btfkit_resolve_opts o = { .sz = sizeof(o), .attach = k, .flags = flags };
	struct btfkit_resolution *r = btfkit_resolve(kv, t, &o);

	assert_non_null(r);
	return r;
}

static void test_unique_pair(void **state)
{
	struct btfkit_kview *kv = view("6.12");
	struct btfkit_resolution *r = resolve(kv, "vmlinux:one", BTFKIT_ATTACH_FENTRY, 0);
	uint32_t id = 0;
	int fd = -1;

	(void)state;
	assert_int_equal(r->verdict, BTFKIT_VERDICT_UNIQUE);
	assert_int_equal(r->safe, 1);
	assert_int_equal(btfkit_resolution_attach_pair(r, &fd, &id), 0);
	assert_int_equal(fd, 0); /* vmlinux */
	assert_int_equal(id, id_one);
	assert_int_equal(r->addrs[r->pick].addr, 0xffffffff81000100ull);
	assert_int_equal(r->addrs[r->pick].traceable, 1);
	btfkit_resolution_free(r);
	/* The module's "one" has no BTF: the name is vmlinux's alone. */
	r = resolve(kv, "one", BTFKIT_ATTACH_FENTRY, 0);
	assert_int_equal(r->verdict, BTFKIT_VERDICT_UNIQUE);
	btfkit_resolution_free(r);
	btfkit_kview_free(kv);
}

static void test_ambiguous(void **state)
{
	struct btfkit_kview *kv = view("6.1.192");
	struct btfkit_resolution *r = resolve(kv, "dup", BTFKIT_ATTACH_FENTRY, 0);

	(void)state;
	assert_int_equal(r->verdict, BTFKIT_VERDICT_AMBIGUOUS);
	assert_int_equal(r->nr_funcs, 2);
	assert_int_equal(r->funcs[0].btf_id, id_dup1);
	assert_int_equal(r->funcs[1].btf_id, id_dup2);
	assert_int_equal(r->compatible, 0);
	assert_int_equal(r->nr_addrs, 2);
	assert_int_equal(r->pick, 0);
	assert_int_equal(r->addrs[0].addr, 0xffffffff81000200ull); /* the lowest */
	assert_int_equal(btfkit_resolution_attach_pair(r, NULL, NULL), -EPERM);
	assert_int_equal(errno, EPERM);
	btfkit_resolution_free(r);
	/* Prototypes differ: accepting alike ones does not accept these. */
	r = resolve(kv, "dup", BTFKIT_ATTACH_FENTRY, BTFKIT_RESOLVE_ACCEPT_COMPATIBLE);
	assert_int_equal(r->safe, 0);
	btfkit_resolution_free(r);
	btfkit_kview_free(kv);
}

static void test_kprobe_versions(void **state)
{
	static const struct {
		const char *version;
		const char *says;
	} cases[] = { { "6.6", "refuses" },	  { "6.1.60", "refuses" },     { "6.1.59", "silently" },
		      { "6.1.0", "may take" },	  { "5.15.0", "may take" },    { "5.15.120", "may take" },
		      { "6.3.5", "silently" },	  { "5.19.17", "silently" },   { "6.12.1", "refuses" },
		      { NULL, "refuses" } };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct btfkit_kview *kv = view(cases[i].version);
		struct btfkit_resolution *r = resolve(kv, "dup", BTFKIT_ATTACH_KPROBE, 0);

		assert_int_equal(r->verdict, BTFKIT_VERDICT_AMBIGUOUS);
		assert_non_null(strstr(r->reason, cases[i].says));
		assert_int_equal(btfkit_resolution_attach_pair(r, NULL, NULL), -EINVAL);
		btfkit_resolution_free(r);
		/* Named with its module, a kprobe takes that module's symbol. */
		r = resolve(kv, "m:one", BTFKIT_ATTACH_KPROBE, 0);
		assert_int_equal(r->verdict, BTFKIT_VERDICT_UNIQUE);
		assert_int_equal(r->kprobe_addr, 0xffffffff81000600ull);
		btfkit_resolution_free(r);
		btfkit_kview_free(kv);
	}
}

static void test_prototypes(void **state)
{
	struct btfkit_kview *kv = view("6.1.192");
	struct btfkit_resolution *r = resolve(kv, "sret", BTFKIT_ATTACH_FENTRY, 0);

	(void)state;
	assert_int_equal(r->verdict, BTFKIT_VERDICT_UNIQUE);
	assert_int_equal(r->safe, 0);
	assert_non_null(r->proto_refused);
	btfkit_resolution_free(r);
	/* Seven registers: refused before 6.6, taken from 6.6. */
	r = resolve(kv, "seven", BTFKIT_ATTACH_FENTRY, 0);
	assert_non_null(r->proto_refused);
	assert_int_equal(r->safe, 0);
	btfkit_resolution_free(r);
	btfkit_kview_free(kv);
	kv = view("6.6.0");
	r = resolve(kv, "seven", BTFKIT_ATTACH_FENTRY, 0);
	assert_null(r->proto_refused);
	assert_int_equal(r->safe, 1);
	assert_int_equal(r->attach_btf_id, id_seven);
	btfkit_resolution_free(r);
	r = resolve(kv, "sret", BTFKIT_ATTACH_FENTRY, 0);
	assert_int_equal(r->attach_btf_id, 0);
	(void)id_sret;
	btfkit_resolution_free(r);
	btfkit_kview_free(kv);
}

/* Union arguments of at most 16 bytes: from 6.18 (or an unknown version); never returned. */
static void test_union_arguments(void **state)
{
	static const struct {
		const char *version;
		int uarg_safe;
	} cases[] = { { "6.12", 0 }, { "6.17.9", 0 }, { "6.18", 1 }, { "6.19.1", 1 }, { NULL, 1 } };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct btfkit_kview *kv = view(cases[i].version);
		struct btfkit_resolution *r = resolve(kv, "uarg", BTFKIT_ATTACH_FENTRY, 0);

		assert_int_equal(r->verdict, BTFKIT_VERDICT_UNIQUE);
		assert_int_equal(r->safe, cases[i].uarg_safe);
		assert_int_equal(r->proto_refused == NULL, cases[i].uarg_safe);
		if (cases[i].uarg_safe)
			assert_int_equal(r->attach_btf_id, id_uarg);
		else
			assert_non_null(strstr(r->proto_refused, "union"));
		btfkit_resolution_free(r);
		r = resolve(kv, "ubig", BTFKIT_ATTACH_FENTRY, 0);
		assert_int_equal(r->safe, 0);
		assert_non_null(r->proto_refused);
		btfkit_resolution_free(r);
		r = resolve(kv, "uret", BTFKIT_ATTACH_FENTRY, 0);
		assert_int_equal(r->safe, 0);
		assert_non_null(r->proto_refused);
		btfkit_resolution_free(r);
		btfkit_kview_free(kv);
	}
}

/* fmod_ret without an error-injection list: security_* only. */
static void test_fmod_ret_security(void **state)
{
	struct btfkit_kview *kv = view("6.12");
	struct btfkit_resolution *r = resolve(kv, "security_hook", BTFKIT_ATTACH_FMOD_RET, 0);

	(void)state;
	assert_int_equal(btfkit_kview_have(kv) & BTFKIT_KVIEW_ERROR_INJECTION, 0);
	assert_int_equal(r->verdict, BTFKIT_VERDICT_UNIQUE);
	assert_int_equal(r->safe, 1);
	btfkit_resolution_free(r);
	r = resolve(kv, "one", BTFKIT_ATTACH_FMOD_RET, 0);
	assert_int_equal(r->verdict, BTFKIT_VERDICT_UNIQUE);
	assert_int_equal(r->safe, 0);
	assert_non_null(strstr(r->reason, "not modifiable"));
	btfkit_resolution_free(r);
	r = resolve(kv, "one", BTFKIT_ATTACH_FEXIT, 0);
	assert_int_equal(r->safe, 1);
	btfkit_resolution_free(r);
	btfkit_kview_free(kv);
}

static void test_census(void **state)
{
	struct btfkit_kview *kv = view("6.1.192");
	struct btfkit_census_counts c = { .sz = sizeof(c) };

	(void)state;
	assert_int_equal(btfkit_census(kv, NULL, &c), 8);
	assert_int_equal(c.records, 8);
	assert_int_equal(c.verdict[BTFKIT_VERDICT_UNIQUE], 7); /* one, sret, seven, uarg, ubig, uret, security_hook */
	assert_int_equal(c.verdict[BTFKIT_VERDICT_AMBIGUOUS], 1);
	assert_int_equal(c.unique_proto_refused, 5);
	/*
	 * An opts struct of a caller built against a smaller one: the fields
	 * past its sz are not the caller's and must not be read (here: junk).
	 */
	{
		struct btfkit_census_opts small;

		memset(&small, 0x5a, sizeof(small));
		small.sz = sizeof(size_t);
		assert_int_equal(btfkit_census(kv, &small, NULL), 8);
	}
	btfkit_kview_free(kv);
}

static void test_bad_arguments(void **state)
{
	struct btfkit_kview_opts o = { .sz = sizeof(o), .btf = "/nonexistent/vmlinux.btf" };
	struct btfkit_kview_opts v = { .sz = sizeof(v), .btf = btf_path, .kernel_version = "x" };
	struct btfkit_kview *kv;

	(void)state;
	assert_null(btfkit_kview_open(&o));
	assert_int_equal(errno, ENOENT);
	assert_null(btfkit_kview_open(&v));
	assert_int_equal(errno, EINVAL);
	kv = view(NULL);
	assert_null(btfkit_resolve(kv, "", NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(btfkit_resolve(NULL, "one", NULL));
	assert_int_equal(btfkit_attach_kind_parse("uprobe"), -EINVAL);
	assert_int_equal(btfkit_attach_kind_parse("kretprobe"), BTFKIT_ATTACH_KRETPROBE);
	assert_string_equal(btfkit_resolve_verdict_name(BTFKIT_VERDICT_CROSS_MODULE), "cross-module");
	assert_int_equal(btfkit_census(NULL, NULL, NULL), -EINVAL);
	assert_int_equal(btfkit_kview_find_object(kv, "nope"), -ENOENT);
	assert_int_equal(btfkit_kview_find_object(kv, "vmlinux"), 0);
	assert_int_equal(btfkit_kview_version(kv), 0);
	assert_non_null(btfkit_kview_note(kv, 0)); /* the unknown version is noted */
	btfkit_kview_free(kv);
	btfkit_kview_free(NULL);
	btfkit_resolution_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unique_pair),   cmocka_unit_test(test_ambiguous),
		cmocka_unit_test(test_kprobe_versions), cmocka_unit_test(test_prototypes),
		cmocka_unit_test(test_union_arguments), cmocka_unit_test(test_fmod_ret_security),
		cmocka_unit_test(test_census),        cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
