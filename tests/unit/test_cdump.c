// SPDX-License-Identifier: BSD-2-Clause
/*
 * The C dumper's library API (include/btfkit/cdump.h): declarators, type by
 * type emission, whole headers, roots, the sorted order, enum modes, and
 * errors. The expected texts are what bpftool 7.1 / libbpf 1.1 write for the
 * same BTF (tests/cdump/run.sh checks the same against bpftool itself on
 * real and hand-built BTF).
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

#include "testutil.h"

#define PREAMBLE                                                                                  \
	"#ifndef __VMLINUX_H__\n"                                                                 \
	"#define __VMLINUX_H__\n"                                                                 \
	"\n"                                                                                      \
	"#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"                                                  \
	"#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n" \
	"#endif\n"                                                                                \
	"\n"
#define EPILOGUE                                                                                  \
	"#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"                                                  \
	"#pragma clang attribute pop\n"                                                           \
	"#endif\n"                                                                                \
	"\n"                                                                                      \
	"#endif /* __VMLINUX_H__ */\n"

/* An open blob and its bytes. */
struct fixture {
	struct btf_builder b;
	uint8_t *blob;
	struct btfkit_btf *btf;
};

static void fx_open(struct fixture *f)
{
	f->btf = tu_open(&f->b, BB_LITTLE, 0, NULL, &f->blob);
	assert_non_null(f->btf);
}

static void fx_free(struct fixture *f)
{
	btfkit_btf_free(f->btf);
	free(f->blob);
	bb_free(&f->b);
}

/* The whole header with these options, as a string (caller frees). */
static char *header(const struct btfkit_btf *btf, unsigned flags, const uint32_t *ids, size_t n)
{
	struct btfkit_cdump_header_opts o = {
		.sz = sizeof(o), .flags = flags, .ids = ids, .nr_ids = n,
	};
	struct membuf m = { 0 };
	struct btfkit_sink sink = { membuf_write, &m };

	assert_int_equal(btfkit_cdump_header(btf, &o, &sink), 0);
	return m.data ? m.data : strdup("");
}

/* One declarator as btfkit_cdump_decl() writes it. */
static char *decl(struct btfkit_cdump *d, struct membuf *m, uint32_t id, const char *name,
		  unsigned indent, int strip)
{
	struct btfkit_cdump_decl_opts o = {
		.sz = sizeof(o), .field_name = name, .indent = indent, .strip_mods = strip,
	};
	size_t before = m->len;

	assert_int_equal(btfkit_cdump_decl(d, id, &o), 0);
	return strndup(m->data ? m->data + before : "", m->len - before);
}

static void expect_decl(struct btfkit_cdump *d, struct membuf *m, uint32_t id, const char *name,
			unsigned indent, int strip, const char *want)
{
	char *got = decl(d, m, id, name, indent, strip);

	assert_string_equal(got, want);
	free(got);
}

static void test_declarators(void **state)
{
	struct fixture f;
	struct membuf m = { 0 };
	struct btfkit_sink sink = { membuf_write, &m };
	struct btfkit_cdump *d;
	uint32_t i, c, ci, pci, cpi, arr, parr, proto, fp, afp, vproto, tag, ptag, anon, pvoid;

	(void)state;
	bb_init(&f.b);
	i = bb_int(&f.b, "int", 4, 1, 0, 32);
	c = bb_int(&f.b, "char", 1, 1, 0, 8);
	ci = bb_const(&f.b, i);
	pci = bb_ptr(&f.b, ci);
	cpi = bb_const(&f.b, bb_ptr(&f.b, i));
	arr = bb_array(&f.b, c, i, 16);
	parr = bb_ptr(&f.b, arr);
	proto = bb_func_proto(&f.b, i);
	bb_param(&f.b, "fd", i);
	bb_param(&f.b, NULL, pci);
	fp = bb_ptr(&f.b, proto);
	afp = bb_array(&f.b, fp, i, 4);
	vproto = bb_func_proto(&f.b, 0);
	bb_param(&f.b, "fmt", pci);
	bb_param(&f.b, NULL, 0);
	tag = bb_type_tag(&f.b, "user", i);
	ptag = bb_ptr(&f.b, tag);
	anon = bb_struct(&f.b, NULL, 8, 0);
	bb_member(&f.b, "a", i, 0, 0);
	bb_member(&f.b, "b", ci, 32, 0);
	pvoid = bb_ptr(&f.b, bb_volatile(&f.b, 0));
	fx_open(&f);
	d = btfkit_cdump_new(f.btf, &sink, NULL);
	assert_non_null(d);

	expect_decl(d, &m, i, "x", 0, 0, "int x");
	expect_decl(d, &m, i, NULL, 0, 0, "int");
	expect_decl(d, &m, pci, "p", 0, 0, "const int *p");
	expect_decl(d, &m, pci, "", 0, 0, "const int *");
	expect_decl(d, &m, cpi, "p", 0, 0, "int * const p");
	expect_decl(d, &m, arr, "name", 0, 0, "char name[16]");
	expect_decl(d, &m, parr, "pa", 0, 0, "char (*pa)[16]");
	expect_decl(d, &m, fp, "cb", 0, 0, "int (*cb)(int fd, const int *)");
	expect_decl(d, &m, proto, "fn", 0, 0, "int fn(int fd, const int *)");
	expect_decl(d, &m, afp, "table", 0, 0, "int (*table[4])(int fd, const int *)");
	expect_decl(d, &m, pvoid, "v", 0, 0, "volatile void *v");
	expect_decl(d, &m, vproto, "log", 0, 0, "void log(const int *fmt, ...)");
	expect_decl(d, &m, ptag, "u", 0, 0, "int __attribute__((btf_type_tag(\"user\"))) *u");
	/* Modifiers stripped, as for casts. */
	expect_decl(d, &m, pci, "p", 0, 1, "int *p");
	expect_decl(d, &m, ptag, "u", 0, 1, "int *u");
	/* An anonymous struct is written inline; its lines indented one deeper. */
	expect_decl(d, &m, anon, "s", 0, 0, "struct {\n\tint a;\n\tconst int b;\n} s");
	expect_decl(d, &m, anon, "s", 2, 0, "struct {\n\t\t\tint a;\n\t\t\tconst int b;\n\t\t} s");
	/* Out of range. */
	assert_int_equal(btfkit_cdump_decl(d, bb_next_id(&f.b), NULL), -EINVAL);
	assert_int_equal(errno, EINVAL);

	btfkit_cdump_free(d);
	membuf_free(&m);
	fx_free(&f);
}

/*
 * struct node { struct node *next; struct payload p; }; struct payload { int v; };
 * typedef struct node node_t;
 */
static void build_nodes(struct btf_builder *b, uint32_t *node, uint32_t *payload, uint32_t *td)
{
	uint32_t i;

	bb_init(b);
	i = bb_int(b, "int", 4, 1, 0, 32);
	*node = bb_struct(b, "node", 16, 0);
	bb_member(b, "next", *node + 1, 0, 0);
	bb_member(b, "p", *node + 2, 64, 0);
	bb_ptr(b, *node);
	*payload = bb_struct(b, "payload", 4, 0);
	bb_member(b, "v", i, 0, 0);
	*td = bb_typedef(b, "node_t", *node);
}

static void test_type_by_type(void **state)
{
	struct fixture f;
	struct membuf m = { 0 };
	struct btfkit_sink sink = { membuf_write, &m };
	struct btfkit_cdump *d;
	uint32_t node, payload, td;

	(void)state;
	build_nodes(&f.b, &node, &payload, &td);
	fx_open(&f);
	d = btfkit_cdump_new(f.btf, &sink, NULL);
	assert_non_null(d);

	/* The typedef needs the struct, which embeds payload: both come first. */
	assert_int_equal(btfkit_cdump_type(d, td), 0);
	assert_string_equal(m.data, "struct payload {\n\tint v;\n};\n\n"
				    "struct node {\n\tstruct node *next;\n\tstruct payload p;\n};\n\n"
				    "typedef struct node node_t;\n\n");
	/* Everything was written: nothing more. */
	m.len = 0;
	m.data[0] = 0;
	assert_int_equal(btfkit_cdump_type(d, node), 0);
	assert_int_equal(btfkit_cdump_type(d, payload), 0);
	assert_int_equal(m.len, 0);
	assert_int_equal(btfkit_cdump_type(d, bb_next_id(&f.b)), -EINVAL);
	assert_int_equal(btfkit_cdump_type(NULL, 1), -EINVAL);

	btfkit_cdump_free(d);
	btfkit_cdump_free(NULL);
	membuf_free(&m);
	fx_free(&f);
}

static void test_whole_header(void **state)
{
	struct fixture f;
	uint32_t node, payload, td, roots[1];
	char *h;

	(void)state;
	build_nodes(&f.b, &node, &payload, &td);
	fx_open(&f);
	h = header(f.btf, 0, NULL, 0);
	assert_string_equal(h, PREAMBLE
			    "struct payload {\n\tint v;\n};\n\n"
			    "struct node {\n\tstruct node *next;\n\tstruct payload p;\n};\n\n"
			    "typedef struct node node_t;\n\n" EPILOGUE);
	free(h);
	/* One root: what it needs and nothing else. */
	roots[0] = payload;
	h = header(f.btf, 0, roots, 1);
	assert_string_equal(h, PREAMBLE "struct payload {\n\tint v;\n};\n\n" EPILOGUE);
	free(h);
	fx_free(&f);
}

/* A FUNC root stands for its return and parameter types, through pointers. */
static void test_func_root(void **state)
{
	struct fixture f;
	uint32_t i, s, other, proto, fn, root;
	char *h;

	(void)state;
	bb_init(&f.b);
	i = bb_int(&f.b, "int", 4, 1, 0, 32);
	s = bb_struct(&f.b, "arg", 4, 0);
	bb_member(&f.b, "a", i, 0, 0);
	other = bb_struct(&f.b, "unrelated", 4, 0);
	bb_member(&f.b, "u", i, 0, 0);
	proto = bb_func_proto(&f.b, i);
	bb_param(&f.b, "p", bb_next_id(&f.b) + 1);
	bb_ptr(&f.b, bb_const(&f.b, s));
	fn = bb_func(&f.b, "handler", proto, 1);
	(void)other;
	fx_open(&f);
	root = fn;
	h = header(f.btf, 0, &root, 1);
	assert_string_equal(h, PREAMBLE "struct arg {\n\tint a;\n};\n\n" EPILOGUE);
	free(h);
	fx_free(&f);
}

static void test_names(void **state)
{
	struct fixture f;
	uint32_t i, s1, s2, e1, e2;
	char *h;

	(void)state;
	bb_init(&f.b);
	i = bb_int(&f.b, "int", 4, 1, 0, 32);
	s1 = bb_struct(&f.b, "dup", 4, 0);
	bb_member(&f.b, "a", i, 0, 0);
	s2 = bb_struct(&f.b, "dup", 4, 0);
	bb_member(&f.b, "b", i, 0, 0);
	e1 = bb_enum(&f.b, "e", 4, 0);
	bb_enum_val(&f.b, "X", 1);
	e2 = bb_enum(&f.b, "f", 4, 1);
	bb_enum_val(&f.b, "X", -2);
	bb_typedef(&f.b, "X", i); /* typedefs and enumerators share a namespace */
	(void)s1, (void)s2, (void)e1, (void)e2;
	fx_open(&f);
	h = header(f.btf, 0, NULL, 0);
	assert_string_equal(h, PREAMBLE
			    "struct dup {\n\tint a;\n};\n\n"
			    "struct dup___2 {\n\tint b;\n};\n\n"
			    "enum e {\n\tX = 1,\n};\n\n"
			    "enum f {\n\tX___2 = -2,\n};\n\n"
			    "typedef int X___3;\n\n" EPILOGUE);
	free(h);
	fx_free(&f);
}

static void test_padding_and_packing(void **state)
{
	struct fixture f;
	uint32_t i, c, u, l;
	char *h;

	(void)state;
	bb_init(&f.b);
	i = bb_int(&f.b, "int", 4, 1, 0, 32);
	c = bb_int(&f.b, "char", 1, 1, 0, 8);
	u = bb_int(&f.b, "unsigned int", 4, 0, 0, 32);
	l = bb_int(&f.b, "long int", 8, 1, 0, 64);
	bb_struct(&f.b, "pad", 24, 1);
	bb_member(&f.b, "a", u, 0, 3);
	bb_member(&f.b, "b", u, 8, 2);  /* 5-bit hole inside the run */
	bb_member(&f.b, "c", c, 64, 0); /* after the run, a plain member */
	bb_member(&f.b, "d", i, 128, 0); /* past its natural place */
	bb_struct(&f.b, "packed", 9, 0);
	bb_member(&f.b, "c", c, 0, 0);
	bb_member(&f.b, "l", l, 8, 0);
	fx_open(&f);
	h = header(f.btf, 0, NULL, 0);
	assert_string_equal(h, PREAMBLE
			    "struct pad {\n"
			    "\tunsigned int a: 3;\n"
			    "\tchar: 5;\n"
			    "\tunsigned int b: 2;\n"
			    "\tlong: 0;\n" /* c at 8, where C would put it at 2 */
			    "\tchar c;\n"
			    "\tlong: 0;\n" /* d at 16, not 12 */
			    "\tint d;\n"
			    "\tlong: 0;\n" /* size 24, not 20 */
			    "};\n\n"
			    "struct packed {\n\tchar c;\n\tlong int l;\n} __attribute__((packed));\n\n"
			    EPILOGUE);
	free(h);
	fx_free(&f);
}

/* The documented sort order: anonymous enums, named enums, INTs (and typedefs of them), structs. */
static void test_sorted(void **state)
{
	struct fixture a, b;
	uint32_t i;
	char *ha, *hb;

	(void)state;
	bb_init(&a.b);
	bb_struct(&a.b, "zeta", 0, 0);
	bb_struct(&a.b, "alpha", 0, 0);
	i = bb_int(&a.b, "int", 4, 1, 0, 32);
	bb_typedef(&a.b, "myint", i);
	bb_enum(&a.b, "beta", 4, 0);
	bb_enum_val(&a.b, "B", 0);
	bb_enum(&a.b, NULL, 4, 0);
	bb_enum_val(&a.b, "GAMMA", 0);
	fx_open(&a);
	/* The same types in another order. */
	bb_init(&b.b);
	bb_enum(&b.b, NULL, 4, 0);
	bb_enum_val(&b.b, "GAMMA", 0);
	bb_enum(&b.b, "beta", 4, 0);
	bb_enum_val(&b.b, "B", 0);
	bb_typedef(&b.b, "myint", 4);
	i = bb_int(&b.b, "int", 4, 1, 0, 32);
	bb_struct(&b.b, "alpha", 0, 0);
	bb_struct(&b.b, "zeta", 0, 0);
	fx_open(&b);

	ha = header(a.btf, BTFKIT_CDUMP_SORT, NULL, 0);
	hb = header(b.btf, BTFKIT_CDUMP_SORT, NULL, 0);
	assert_string_equal(ha, PREAMBLE
			    "enum {\n\tGAMMA = 0,\n};\n\n"
			    "enum beta {\n\tB = 0,\n};\n\n"
			    "typedef int myint;\n\n"
			    "struct alpha {};\n\n"
			    "struct zeta {};\n\n" EPILOGUE);
	assert_string_equal(ha, hb);
	free(ha);
	free(hb);
	fx_free(&a);
	fx_free(&b);
}

static void test_enum_mode(void **state)
{
	struct fixture f;
	char *h;

	(void)state;
	bb_init(&f.b);
	bb_int(&f.b, "long int", 8, 1, 0, 64);
	bb_enum(&f.b, "small", 1, 0);
	bb_enum_val(&f.b, "S", 1);
	bb_enum64(&f.b, "fits", 8, 0);
	bb_enum64_val(&f.b, "F", 2);
	bb_enum64(&f.b, "big", 8, 0);
	bb_enum64_val(&f.b, "G", 1ULL << 40);
	fx_open(&f);
	h = header(f.btf, BTFKIT_CDUMP_ENUM_MODE, NULL, 0);
	assert_string_equal(h, PREAMBLE
			    "enum small {\n\tS = 1,\n} __attribute__((mode(byte)));\n\n"
			    "enum fits {\n\tF = 2ULL,\n} __attribute__((mode(word)));\n\n"
			    "enum big {\n\tG = 1099511627776ULL,\n};\n\n" EPILOGUE);
	free(h);
	/* Without the flag: bpftool 7.1's text. */
	h = header(f.btf, 0, NULL, 0);
	assert_null(strstr(h, "mode("));
	free(h);
	fx_free(&f);
}

static void test_split(void **state)
{
	struct btf_builder base, mod;
	uint8_t *base_blob, *mod_blob;
	struct btfkit_btf *bbtf, *mbtf;
	uint32_t i, s;
	char *h;

	(void)state;
	bb_init(&base);
	i = bb_int(&base, "int", 4, 1, 0, 32);
	s = bb_struct(&base, "shared", 4, 0);
	bb_member(&base, "v", i, 0, 0);
	bb_init_split_on(&mod, &base);
	bb_struct(&mod, "shared", 8, 0);
	bb_member(&mod, "a", s, 0, 0);
	bb_member(&mod, "b", i, 32, 0);
	bbtf = tu_open(&base, BB_LITTLE, 0, NULL, &base_blob);
	assert_non_null(bbtf);
	mbtf = tu_open(&mod, BB_LITTLE, 0, bbtf, &mod_blob);
	assert_non_null(mbtf);
	h = header(mbtf, 0, NULL, 0);
	assert_string_equal(h, PREAMBLE
			    "struct shared {\n\tint v;\n};\n\n"
			    "struct shared___2 {\n\tstruct shared a;\n\tint b;\n};\n\n" EPILOGUE);
	free(h);
	btfkit_btf_free(mbtf);
	btfkit_btf_free(bbtf);
	free(mod_blob);
	free(base_blob);
	bb_free(&mod);
	bb_free(&base);
}

static int failing_write(void *ctx, const char *data, size_t len)
{
	(void)ctx, (void)data, (void)len;
	return -EPIPE;
}

static void test_errors(void **state)
{
	struct fixture f;
	struct membuf m = { 0 };
	struct btfkit_sink sink = { membuf_write, &m }, bad = { failing_write, NULL };
	struct btfkit_cdump_header_opts o = { .sz = sizeof(o) };
	uint32_t s, root;

	(void)state;
	/* A struct embedding itself: no order exists, and nothing is written. */
	bb_init(&f.b);
	s = bb_struct(&f.b, "doll", 8, 0);
	bb_member(&f.b, "inner", s, 0, 0);
	fx_open(&f);
	assert_int_equal(btfkit_cdump_header(f.btf, NULL, &sink), -ELOOP);
	assert_int_equal(errno, ELOOP);
	assert_int_equal(m.writes, 0);
	fx_free(&f);

	/* A reference to a type that does not exist. */
	bb_init(&f.b);
	bb_ptr(&f.b, 77);
	fx_open(&f);
	assert_null(btfkit_cdump_new(f.btf, &sink, NULL));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(btfkit_cdump_header(f.btf, NULL, &sink), -EINVAL);
	fx_free(&f);

	/* Bad arguments, a root out of range, unknown flags, a failing sink. */
	bb_init(&f.b);
	bb_int(&f.b, "int", 4, 1, 0, 32);
	fx_open(&f);
	assert_int_equal(btfkit_cdump_header(NULL, NULL, &sink), -EINVAL);
	assert_int_equal(btfkit_cdump_header(f.btf, NULL, NULL), -EINVAL);
	assert_null(btfkit_cdump_new(NULL, &sink, NULL));
	root = 5;
	o.ids = &root;
	o.nr_ids = 1;
	assert_int_equal(btfkit_cdump_header(f.btf, &o, &sink), -EINVAL);
	o.ids = NULL;
	o.nr_ids = 0;
	o.flags = 1u << 30;
	assert_int_equal(btfkit_cdump_header(f.btf, &o, &sink), -EINVAL);
	assert_int_equal(btfkit_cdump_header(f.btf, NULL, &bad), -EPIPE);
	assert_int_equal(m.writes, 0);
	fx_free(&f);
	membuf_free(&m);
}

/* Chains longer than any C declaration: an error, not a stack overflow. */
static void test_deep_chains(void **state)
{
	struct fixture f;
	struct membuf m = { 0 };
	struct btfkit_sink sink = { membuf_write, &m };
	struct btfkit_cdump *d;
	uint32_t id, loop;

	(void)state;
	bb_init(&f.b);
	id = bb_int(&f.b, "int", 4, 1, 0, 32);
	for (int n = 0; n < 5000; n++)
		id = bb_const(&f.b, id);
	bb_typedef(&f.b, "deep_t", id);
	/* const -> volatile -> const ... back to itself. */
	loop = bb_next_id(&f.b);
	bb_const(&f.b, loop + 1);
	bb_volatile(&f.b, loop);
	bb_typedef(&f.b, "loop_t", loop);
	fx_open(&f);
	assert_int_equal(btfkit_cdump_header(f.btf, NULL, &sink), -ELOOP);
	d = btfkit_cdump_new(f.btf, &sink, NULL);
	assert_non_null(d);
	assert_int_equal(btfkit_cdump_decl(d, id, NULL), -ELOOP);
	assert_int_equal(btfkit_cdump_decl(d, loop, NULL), -ELOOP);
	assert_int_equal(btfkit_cdump_type(d, loop + 2), -ELOOP);
	btfkit_cdump_free(d);
	membuf_free(&m);
	fx_free(&f);
}

/* Text that BTF can ask for but nobody can use: an error, in bounded time. */
static void test_too_large(void **state)
{
	struct fixture f;
	struct membuf m = { 0 };
	struct btfkit_sink sink = { discard_write, NULL };
	struct btfkit_cdump *d;
	uint32_t i, p, proto;

	(void)state;
	/* Each prototype takes two pointers to the previous one: 2^40 declarators. */
	bb_init(&f.b);
	i = bb_int(&f.b, "int", 4, 1, 0, 32);
	proto = bb_func_proto(&f.b, i);
	for (int n = 0; n < 40; n++) {
		p = bb_ptr(&f.b, proto);
		proto = bb_func_proto(&f.b, i);
		bb_param(&f.b, "a", p);
		bb_param(&f.b, "b", p);
	}
	bb_typedef(&f.b, "bomb_t", proto);
	fx_open(&f);
	assert_int_equal(btfkit_cdump_header(f.btf, NULL, &sink), -E2BIG);
	d = btfkit_cdump_new(f.btf, &sink, NULL);
	assert_non_null(d);
	assert_int_equal(btfkit_cdump_decl(d, proto, NULL), -E2BIG);
	/* The budget is per call: a small declarator still works afterwards. */
	btfkit_cdump_free(d);
	sink = (struct btfkit_sink){ membuf_write, &m };
	d = btfkit_cdump_new(f.btf, &sink, NULL);
	assert_non_null(d);
	assert_int_equal(btfkit_cdump_decl(d, i, NULL), 0);
	assert_string_equal(m.data, "int");
	btfkit_cdump_free(d);
	membuf_free(&m);
	fx_free(&f);

	/* A 2 GiB struct without members: 2^28 padding members. */
	bb_init(&f.b);
	bb_int(&f.b, "long int", 8, 1, 0, 64);
	bb_struct(&f.b, "vast", 1u << 31, 0);
	fx_open(&f);
	sink = (struct btfkit_sink){ discard_write, NULL };
	assert_int_equal(btfkit_cdump_header(f.btf, NULL, &sink), -E2BIG);
	fx_free(&f);

	/* The caller's bound, on ordinary BTF. */
	{
		struct btfkit_cdump_header_opts o = { .sz = sizeof(o), .max_work = 3 };
		uint32_t node, payload, td;

		build_nodes(&f.b, &node, &payload, &td);
		fx_open(&f);
		assert_int_equal(btfkit_cdump_header(f.btf, &o, &sink), -E2BIG);
		o.max_work = 1000;
		assert_int_equal(btfkit_cdump_header(f.btf, &o, &sink), 0);
		fx_free(&f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_declarators),
		cmocka_unit_test(test_type_by_type),
		cmocka_unit_test(test_whole_header),
		cmocka_unit_test(test_func_root),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_padding_and_packing),
		cmocka_unit_test(test_sorted),
		cmocka_unit_test(test_enum_mode),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_deep_chains),
		cmocka_unit_test(test_too_large),
	};

	return tu_report(sizeof(tests) / sizeof(tests[0]), cmocka_run_group_tests(tests, NULL, NULL));
}
