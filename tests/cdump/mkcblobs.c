// SPDX-License-Identifier: BSD-2-Clause
/*
 * mkcblobs DIR: hand-built BTF blobs for the C dump, written into DIR for
 * tests/cdump/run.sh, which compares `btfkit dump --format c` with
 * `bpftool btf dump file F format c` on each.
 *
 * Compilers only emit BTF that C produced; these blobs hold what C code
 * rarely or never gives: names used twice in one namespace (the ___2
 * suffixes), declarator chains of every shape, padding and packing corner
 * cases, enums of every size, indentation deeper than libbpf's 13 tabs,
 * 32-bit pointer size, the va_list and __Poly fixups, and loops that have no
 * C form.
 *
 * DIR/MANIFEST: one line per blob, `NAME EXPECT [BASE]`:
 *   same   bpftool prints a header: btfkit's must be identical;
 *   loop   bpftool fails (no declaration order exists): btfkit must exit 1
 *          with one line on stderr and nothing on stdout;
 *   huge   the header would be gigabytes (bpftool writes them): btfkit must
 *          stop, exit 1 and say so in one line.
 *
 * mkcblobs shuffle IN OUT SEED: the standalone BTF of IN with its types
 * renumbered in a pseudo-random order (fixed by SEED), references
 * following. The same types under other ids: the sorted C dump of both
 * must be identical, and bpftool's unsorted dump of OUT is one more parity
 * case with an order no compiler produced.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <stdlib.h>

#include <btfkit/btfkit.h>

#include "btf_builder.h"
#include "testutil.h"

static const char *dir;
static FILE *manifest;
static int failed;

static void emit(struct btf_builder *b, const char *name, const char *expect, const char *base)
{
	char path[4096];
	int err;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	err = bb_write_file(b, BB_LITTLE, path);
	if (err) {
		fprintf(stderr, "mkcblobs: %s: %s\n", path, strerror(-err));
		failed = 1;
	} else {
		fprintf(manifest, "%s %s%s%s\n", name, expect, base ? " " : "", base ? base : "");
	}
}

/* Base types most blobs start with. */
struct basics {
	uint32_t int_, uint, char_, long_, ulong, u8, u16;
};

static struct basics add_basics(struct btf_builder *b, uint32_t long_size)
{
	struct basics t;

	t.int_ = bb_int(b, "int", 4, 1, 0, 32);
	t.uint = bb_int(b, "unsigned int", 4, 0, 0, 32);
	t.char_ = bb_int(b, "char", 1, 1, 0, 8);
	t.long_ = bb_int(b, "long int", long_size, 1, 0, long_size * 8);
	t.ulong = bb_int(b, "long unsigned int", long_size, 0, 0, long_size * 8);
	t.u8 = bb_int(b, "unsigned char", 1, 0, 0, 8);
	t.u16 = bb_int(b, "short unsigned int", 2, 0, 0, 16);
	return t;
}

/* The same names for different types: tags, typedefs, enumerators. */
static void names(void)
{
	struct btf_builder b;
	struct basics t;
	uint32_t s1, s2, s3, td1, td2, e1, e2, e3, f, p;

	bb_init(&b);
	t = add_basics(&b, 8);
	s1 = bb_struct(&b, "dup", 4, 0);
	bb_member(&b, "a", t.int_, 0, 0);
	s2 = bb_struct(&b, "dup", 8, 0);
	bb_member(&b, "b", t.long_, 0, 0);
	s3 = bb_union(&b, "dup", 1, 0); /* tags share one namespace: dup___3 */
	bb_member(&b, "c", t.char_, 0, 0);
	td1 = bb_typedef(&b, "dup", s1); /* typedef names are another namespace */
	td2 = bb_typedef(&b, "dup", s2);
	e1 = bb_enum(&b, "color", 4, 0);
	bb_enum_val(&b, "RED", 0);
	bb_enum_val(&b, "dup", 1); /* an enumerator named like the typedefs */
	e2 = bb_enum(&b, "color", 4, 0);
	bb_enum_val(&b, "RED", 5);
	e3 = bb_enum64(&b, "wide", 8, 1);
	bb_enum64_val(&b, "RED", (uint64_t)-3);
	bb_enum(&b, "color", 4, 0); /* no enumerators: a forward declaration, never renamed */
	f = bb_fwd(&b, "dup", 0);   /* FWDs keep their name */
	p = bb_ptr(&b, f);
	bb_struct(&b, "user", 56, 0);
	bb_member(&b, "x", s1, 0, 0);
	bb_member(&b, "y", s2, 64, 0);
	bb_member(&b, "z", s3, 128, 0);
	bb_member(&b, "t1", td1, 160, 0);
	bb_member(&b, "t2", td2, 192, 0);
	bb_member(&b, "c1", e1, 256, 0);
	bb_member(&b, "c2", e2, 288, 0);
	bb_member(&b, "w", e3, 320, 0);
	bb_member(&b, "f", p, 384, 0);
	/* A struct named like an INT: libbpf counts INT names among the tags. */
	bb_struct(&b, "int", 4, 0);
	bb_member(&b, "v", t.int_, 0, 0);
	emit(&b, "names.btf", "same", NULL);
	bb_free(&b);
}

/* Declarators: pointers, arrays, function prototypes, qualifiers, tags. */
static void declarators(void)
{
	struct btf_builder b;
	struct basics t;
	uint32_t cint, vint, cvint, pint, cpint, rpcint, ppint, arr4, arr23, parr, arrp, fp, proto,
		pproto, arrfp, fproto2, pfproto2, vararg, pvararg, voidp, cvoidp, tagged, ptag, s,
		cproto, pcproto, arrcint, fnret, pfnret, v0, pcchar;

	bb_init(&b);
	t = add_basics(&b, 8);
	cint = bb_const(&b, t.int_);
	vint = bb_volatile(&b, t.int_);
	cvint = bb_const(&b, vint);
	pint = bb_ptr(&b, t.int_);
	cpint = bb_const(&b, pint);
	rpcint = bb_restrict(&b, bb_ptr(&b, cint));
	ppint = bb_ptr(&b, cpint);
	arr4 = bb_array(&b, t.int_, t.uint, 4);
	arr23 = bb_array(&b, bb_array(&b, t.char_, t.uint, 3), t.uint, 2);
	parr = bb_ptr(&b, arr4);
	arrp = bb_array(&b, pint, t.uint, 5);
	proto = bb_func_proto(&b, t.int_);
	bb_param(&b, "a", t.int_);
	bb_param(&b, NULL, pint);
	fp = bb_ptr(&b, proto);
	pproto = bb_func_proto(&b, 0); /* void (*)(void) */
	arrfp = bb_array(&b, bb_ptr(&b, pproto), t.uint, 3);
	fproto2 = bb_func_proto(&b, fp); /* returns a function pointer */
	bb_param(&b, "x", t.char_);
	pfproto2 = bb_ptr(&b, fproto2);
	pcchar = bb_ptr(&b, bb_const(&b, t.char_));
	vararg = bb_func_proto(&b, t.int_);
	bb_param(&b, "fmt", pcchar);
	bb_param(&b, NULL, 0);
	pvararg = bb_ptr(&b, vararg);
	voidp = bb_ptr(&b, 0);
	cvoidp = bb_ptr(&b, bb_const(&b, 0));
	tagged = bb_type_tag(&b, "user", t.int_);
	ptag = bb_ptr(&b, bb_type_tag(&b, "rcu", bb_ptr(&b, tagged)));
	cproto = bb_func_proto(&b, 0); /* clang's (void): one void parameter */
	bb_param(&b, NULL, 0);
	pcproto = bb_ptr(&b, bb_volatile(&b, cproto)); /* GCC's volatile noreturn pointer */
	arrcint = bb_array(&b, cint, t.uint, 2);         /* GCC's const array */
	fnret = bb_func_proto(&b, parr);                 /* returns a pointer to an array */
	pfnret = bb_ptr(&b, fnret);
	v0 = bb_array(&b, t.int_, t.uint, 0); /* flexible array */
	s = bb_struct(&b, "decls", 400, 0);
	bb_member(&b, "cint", cint, 0, 0);
	bb_member(&b, "cvint", cvint, 32, 0);
	bb_member(&b, "cpint", cpint, 64, 0);
	bb_member(&b, "rpcint", rpcint, 128, 0);
	bb_member(&b, "ppint", ppint, 192, 0);
	bb_member(&b, "arr4", arr4, 256, 0);
	bb_member(&b, "arr23", arr23, 384, 0);
	bb_member(&b, "parr", parr, 448, 0);
	bb_member(&b, "arrp", arrp, 512, 0);
	bb_member(&b, "fp", fp, 832, 0);
	bb_member(&b, "arrfp", arrfp, 896, 0);
	bb_member(&b, "pfproto2", pfproto2, 1088, 0);
	bb_member(&b, "pvararg", pvararg, 1152, 0);
	bb_member(&b, "voidp", voidp, 1216, 0);
	bb_member(&b, "cvoidp", cvoidp, 1280, 0);
	bb_member(&b, "ptag", ptag, 1344, 0);
	bb_member(&b, "pcproto", pcproto, 1408, 0);
	bb_member(&b, "arrcint", arrcint, 1472, 0);
	bb_member(&b, "pfnret", pfnret, 1536, 0);
	bb_member(&b, NULL, t.int_, 1600, 0); /* an unnamed member */
	bb_member(&b, "flex", v0, 1632, 0);
	bb_typedef(&b, "fn_t", proto);
	bb_typedef(&b, "fnp_t", fp);
	bb_typedef(&b, "arr_t", arrp);
	bb_typedef(&b, "cvp_t", bb_const(&b, bb_volatile(&b, voidp)));
	bb_func(&b, "a_function", proto, 1);
	bb_var(&b, "a_var", s, 1);
	emit(&b, "declarators.btf", "same", NULL);
	bb_free(&b);
}

/* Layouts: padding between and after members, bitfields, packing, unions. */
static void layouts(const char *name, uint32_t long_size)
{
	struct btf_builder b;
	struct basics t;
	uint32_t inner, packed_inner, e0, e8, u4;

	bb_init(&b);
	t = add_basics(&b, long_size);
	/* Gaps after a char: to 4, to 8, to 16, to 64 bytes. */
	bb_struct(&b, "gaps", 128, 0);
	bb_member(&b, "a", t.char_, 0, 0);
	bb_member(&b, "b", t.int_, 32, 0);
	bb_member(&b, "c", t.char_, 64, 0);
	bb_member(&b, "d", t.long_, 128, 0);
	bb_member(&b, "e", t.char_, 192, 0);
	bb_member(&b, "f", t.int_, 512, 0);  /* far beyond natural alignment */
	bb_member(&b, "g", t.char_, 552, 0); /* right after */
	bb_member(&b, "h", t.u16, 576, 0);
	bb_member(&b, "i", t.char_, 1000, 0);
	/* Bitfields: runs, gaps inside a run, a bitfield after a plain member. */
	bb_struct(&b, "bits", 24, 1);
	bb_member(&b, "a", t.uint, 0, 3);
	bb_member(&b, "b", t.uint, 5, 2);   /* 2-bit hole */
	bb_member(&b, "c", t.uint, 32, 5);  /* next word */
	bb_member(&b, "d", t.u8, 40, 8);
	bb_member(&b, "e", t.ulong, 64, 33);
	bb_member(&b, "f", t.char_, 120, 0);
	bb_member(&b, "g", t.uint, 128, 1);
	bb_member(&b, "h", t.uint, 190, 1);
	/* Bitfields in a union, and one alone at an offset. */
	bb_union(&b, "ubits", 8, 1);
	bb_member(&b, "a", t.uint, 0, 7);
	bb_member(&b, "b", t.ulong, 0, 40);
	bb_struct(&b, "lonebit", 8, 1);
	bb_member(&b, "x", t.uint, 37, 3);
	/* Packed: a misaligned member; a size no alignment explains. */
	bb_struct(&b, "packed_member", 9, 0);
	bb_member(&b, "c", t.char_, 0, 0);
	bb_member(&b, "l", t.long_, 8, 0);
	bb_struct(&b, "packed_size", 6, 0);
	bb_member(&b, "i", t.int_, 0, 0);
	bb_member(&b, "s", t.u16, 32, 0);
	packed_inner = bb_struct(&b, "packed_inner", 5, 0);
	bb_member(&b, "i", t.int_, 8, 0);
	/* A naturally aligned struct holding a packed one at an odd offset. */
	bb_struct(&b, "holds_packed", 12, 0);
	bb_member(&b, "c", t.char_, 0, 0);
	bb_member(&b, "p", packed_inner, 8, 0);
	bb_member(&b, "u", t.u16, 48, 0);
	bb_member(&b, "j", t.int_, 64, 0);
	/* Over-aligned: size and member offsets beyond natural alignment. */
	inner = bb_struct(&b, "inner", 4, 0);
	bb_member(&b, "v", t.int_, 0, 0);
	bb_struct(&b, "aligned", 64, 0);
	bb_member(&b, "x", inner, 0, 0);
	bb_member(&b, "y", t.char_, 256, 0);
	/* Empty ones: no members and no size, no members but a size. */
	bb_struct(&b, "empty", 0, 0);
	bb_struct(&b, "sized_empty", 16, 0);
	bb_union(&b, "empty_union", 0, 0);
	bb_union(&b, "sized_union", 8, 0);
	e0 = bb_struct(&b, NULL, 0, 0);
	e8 = bb_struct(&b, NULL, 8, 0);
	u4 = bb_union(&b, NULL, 4, 0);
	bb_struct(&b, "holds_empties", 24, 0);
	bb_member(&b, "e", e0, 0, 0);
	bb_member(&b, "f", e8, 0, 0);
	bb_member(&b, "g", u4, 128, 0);
	/* A union larger than its members (the tail is not padded in unions). */
	bb_union(&b, "big_union", 32, 0);
	bb_member(&b, "c", t.char_, 0, 0);
	bb_member(&b, "i", t.int_, 0, 0);
	emit(&b, name, "same", NULL);
	bb_free(&b);
}

/* Anonymous types: inline definitions, nesting deeper than 13 levels, anonymous enums. */
static void anonymous(void)
{
	struct btf_builder b;
	struct basics t;
	uint32_t inner, e, ptr_anon;

	bb_init(&b);
	t = add_basics(&b, 8);
	/* 16 levels of anonymous structs: libbpf indents at most 13 tabs. */
	inner = bb_struct(&b, NULL, 4, 0);
	bb_member(&b, "leaf", t.int_, 0, 0);
	for (int i = 0; i < 15; i++) {
		uint32_t next = bb_struct(&b, NULL, 4, 0);

		bb_member(&b, i % 2 ? "named" : NULL, inner, 0, 0);
		inner = next;
	}
	bb_struct(&b, "deep", 4, 0);
	bb_member(&b, "d", inner, 0, 0);
	/* An anonymous enum inside a struct, one on its own, one behind a typedef. */
	e = bb_enum(&b, NULL, 4, 0);
	bb_enum_val(&b, "IN_STRUCT", 1);
	bb_enum(&b, NULL, 4, 1);
	bb_enum_val(&b, "ON_ITS_OWN", -1);
	bb_enum_val(&b, "ON_ITS_OWN_2", 2);
	bb_enum(&b, NULL, 1, 0);
	bb_enum_val(&b, "F_ONE", 1);
	bb_typedef(&b, "flags_t", bb_next_id(&b) - 1);
	bb_struct(&b, "has_anon_enum", 8, 0);
	bb_member(&b, "e", e, 0, 0);
	/* A pointer to an anonymous struct embedding a named one: a strong link. */
	inner = bb_struct(&b, "embedded", 4, 0);
	bb_member(&b, "v", t.int_, 0, 0);
	bb_struct(&b, NULL, 4, 0);
	bb_member(&b, "e", inner, 0, 0);
	ptr_anon = bb_ptr(&b, bb_next_id(&b) - 1);
	bb_struct(&b, "via_anon_ptr", 8, 0);
	bb_member(&b, "p", ptr_anon, 0, 0);
	/* An anonymous union of anonymous structs, the kernel's favourite. */
	bb_struct(&b, "unions", 16, 0);
	{
		uint32_t a = bb_struct(&b, NULL, 8, 0), c, un;

		bb_member(&b, "lo", t.uint, 0, 0);
		bb_member(&b, "hi", t.uint, 32, 0);
		c = bb_struct(&b, NULL, 8, 0);
		bb_member(&b, "all", t.ulong, 0, 0);
		un = bb_union(&b, NULL, 8, 0);
		bb_member(&b, NULL, a, 0, 0);
		bb_member(&b, NULL, c, 0, 0);
		bb_struct(&b, "unions2", 16, 0);
		bb_member(&b, NULL, un, 0, 0);
		bb_member(&b, "tail", t.long_, 64, 0);
	}
	emit(&b, "anonymous.btf", "same", NULL);
	bb_free(&b);
}

/* Order: forward declarations, typedefs through pointers, cycles C allows. */
static void ordering(void)
{
	struct btf_builder b;
	struct basics t;
	uint32_t sa, sb, sc, td_a, list, plist, tdl, ptdl, fwd_u, node, pnode, pu, pc;

	bb_init(&b);
	t = add_basics(&b, 8);
	/*
	 * struct a { struct b *b; a_t *self; }; struct b { struct a a; };
	 * typedef struct a a_t; members name ids that come later.
	 * ids 8..: 8 struct a, 9 struct b, 10 ptr b, 11 typedef a_t, 12 ptr a_t
	 */
	sa = bb_struct(&b, "a", 16, 0);
	bb_member(&b, "b", 10, 0, 0);
	bb_member(&b, "self", 12, 64, 0);
	sb = bb_struct(&b, "b", 16, 0);
	bb_member(&b, "a", sa, 0, 0);
	bb_ptr(&b, sb);
	td_a = bb_typedef(&b, "a_t", sa);
	bb_ptr(&b, td_a);
	/* A list: typedef struct list list_t; struct list { list_t *next; }; */
	tdl = bb_typedef(&b, "list_t", bb_next_id(&b) + 2);
	ptdl = bb_ptr(&b, tdl);
	list = bb_struct(&b, "list", 8, 0);
	bb_member(&b, "next", ptdl, 0, 0);
	plist = bb_ptr(&b, list);
	/* A FWD, the struct of the same name, and a union FWD. */
	bb_fwd(&b, "c", 0);
	sc = bb_struct(&b, "c", 8, 0);
	bb_member(&b, "l", plist, 0, 0);
	fwd_u = bb_fwd(&b, "u", 1);
	pu = bb_ptr(&b, fwd_u);
	pc = bb_ptr(&b, sc);
	node = bb_struct(&b, "node", 24, 0);
	pnode = node + 1; /* the pointer right after it */
	bb_member(&b, "next", pnode, 0, 0);
	bb_member(&b, "u", pu, 64, 0);
	bb_member(&b, "c", pc, 128, 0);
	bb_ptr(&b, node);
	/* Typedef chains: through a pointer first, then by value. */
	{
		uint32_t td1 = bb_typedef(&b, "t1", t.int_);
		uint32_t td2 = bb_typedef(&b, "t2", bb_ptr(&b, td1));
		bb_struct(&b, "uses_td", 16, 0);
		bb_member(&b, "p", td2, 0, 0);
		bb_member(&b, "v", td1, 64, 0);
	}
	emit(&b, "ordering.btf", "same", NULL);
	bb_free(&b);
}

/* The fixups: __builtin_va_list, __gnuc_va_list of void, GCC's __PolyN_t INTs. */
static void fixups(void)
{
	struct btf_builder b;
	struct basics t;
	uint32_t va, poly8, poly128;

	bb_init(&b);
	t = add_basics(&b, 8);
	va = bb_typedef(&b, "__builtin_va_list", bb_ptr(&b, t.char_));
	bb_typedef(&b, "__gnuc_va_list", 0);
	bb_typedef(&b, "va_list", va);
	poly8 = bb_int(&b, "__Poly8_t", 1, 0, 0, 8);
	poly128 = bb_int(&b, "__Poly128_t", 16, 0, 0, 128);
	bb_int(&b, "__Poly16_t", 2, 0, 0, 16);
	bb_struct(&b, "simd", 32, 0);
	bb_member(&b, "p8", poly8, 0, 0);
	bb_member(&b, "p128", poly128, 128, 0);
	bb_float(&b, "double", 8);
	bb_float(&b, "long double", 16);
	emit(&b, "fixups.btf", "same", NULL);
	bb_free(&b);
}

/* Enums of every size and sign. */
static void enums(void)
{
	struct btf_builder b;

	bb_init(&b);
	add_basics(&b, 8);
	bb_enum(&b, "e1", 1, 0);
	bb_enum_val(&b, "E1_A", 255);
	bb_enum(&b, "e2", 2, 1);
	bb_enum_val(&b, "E2_A", -32768);
	bb_enum(&b, "e8", 8, 0); /* an 8-byte ENUM (pahole without ENUM64) */
	bb_enum_val(&b, "E8_A", 0xffffffffu);
	bb_enum64(&b, "e64_small", 8, 0); /* ENUM64 whose values fit 32 bits */
	bb_enum64_val(&b, "E64_S", 5);
	bb_enum64(&b, "e64_neg", 8, 1);
	bb_enum64_val(&b, "E64_MIN", (uint64_t)INT64_MIN);
	bb_enum64_val(&b, "E64_MAX", (uint64_t)INT64_MAX);
	bb_enum64(&b, NULL, 8, 0);
	bb_enum64_val(&b, "E64_ANON", 1ULL << 40);
	emit(&b, "enums.btf", "same", NULL);
	bb_free(&b);
}

/* A name long enough that libbpf's 256-byte buffer cuts its ___2 suffix. */
static void long_names(void)
{
	struct btf_builder b;
	struct basics t;
	char name[300];

	bb_init(&b);
	t = add_basics(&b, 8);
	for (size_t len = 250; len <= 256; len += 3) {
		memset(name, 'n', len);
		name[len] = 0;
		bb_struct(&b, name, 4, 0);
		bb_member(&b, "x", t.int_, 0, 0);
		bb_struct(&b, name, 4, 0);
		bb_member(&b, "y", t.int_, 0, 0);
		bb_typedef(&b, name, t.int_);
		bb_typedef(&b, name, t.long_);
	}
	emit(&b, "long_names.btf", "same", NULL);
	bb_free(&b);
}

/* Split BTF: a module's types on a base, names deduplicated across both. */
static void split(void)
{
	struct btf_builder base, mod;
	struct basics t;
	uint32_t bs, ms;

	bb_init(&base);
	t = add_basics(&base, 8);
	bs = bb_struct(&base, "shared", 8, 0);
	bb_member(&base, "v", t.long_, 0, 0);
	emit(&base, "split_base.btf", "same", NULL);
	bb_init_split_on(&mod, &base);
	ms = bb_struct(&mod, "shared", 4, 0); /* the module's own: shared___2 */
	bb_member(&mod, "w", t.int_, 0, 0);
	bs = bb_struct(&mod, "mod_only", 16, 0);
	bb_member(&mod, "b", 8, 0, 0);
	bb_member(&mod, "m", ms, 64, 0);
	emit(&mod, "split_mod.btf", "same", "split_base.btf");
	(void)bs;
	bb_free(&mod);
	bb_free(&base);
}

/* No declaration order exists: an anonymous struct containing itself through a pointer. */
static void loops(void)
{
	struct btf_builder b;
	struct basics t;
	uint32_t s;

	bb_init(&b);
	t = add_basics(&b, 8);
	bb_struct(&b, "ok_before", 4, 0);
	bb_member(&b, "v", t.int_, 0, 0);
	s = bb_next_id(&b);
	bb_ptr(&b, s + 1);
	bb_struct(&b, NULL, 8, 0);
	bb_member(&b, "self", s, 0, 0);
	bb_typedef(&b, "loop_t", s + 1);
	emit(&b, "anon_loop.btf", "loop", NULL);
	bb_free(&b);

	/* A struct embedding itself by value. */
	bb_init(&b);
	t = add_basics(&b, 8);
	s = bb_next_id(&b);
	bb_struct(&b, "russian_doll", 8, 0);
	bb_member(&b, "inner", s, 0, 0);
	emit(&b, "self_embed.btf", "loop", NULL);
	bb_free(&b);

	/* 2^40 nested declarators, and a 2 GiB struct of padding. */
	bb_init(&b);
	t = add_basics(&b, 8);
	s = bb_func_proto(&b, t.int_);
	for (int n = 0; n < 40; n++) {
		uint32_t p = bb_ptr(&b, s);

		s = bb_func_proto(&b, t.int_);
		bb_param(&b, NULL, p);
		bb_param(&b, NULL, p);
	}
	bb_typedef(&b, "bomb_t", s);
	emit(&b, "decl_bomb.btf", "huge", NULL);
	bb_free(&b);
	bb_init(&b);
	add_basics(&b, 8);
	bb_struct(&b, "vast", 1u << 31, 0);
	emit(&b, "vast_pad.btf", "huge", NULL);
	bb_free(&b);
}

/* Copy one type's record and trailing words, its type references renumbered. */
static void copy_type(struct btf_builder *b, const struct btfkit_type *t, const uint32_t *new_id)
{
	const uint32_t *w = btfkit_type_data(t);
	unsigned kind = btfkit_type_kind(t), vlen = btfkit_type_vlen(t);
	uint32_t st = t->size;

	switch (kind) {
	case BTFKIT_KIND_PTR:
	case BTFKIT_KIND_TYPEDEF:
	case BTFKIT_KIND_VOLATILE:
	case BTFKIT_KIND_CONST:
	case BTFKIT_KIND_RESTRICT:
	case BTFKIT_KIND_FUNC:
	case BTFKIT_KIND_FUNC_PROTO:
	case BTFKIT_KIND_VAR:
	case BTFKIT_KIND_DECL_TAG:
	case BTFKIT_KIND_TYPE_TAG:
		st = new_id[t->type];
		break;
	default:
		break;
	}
	bb_raw_type(b, t->name_off, t->info, st);
	switch (kind) {
	case BTFKIT_KIND_INT:
	case BTFKIT_KIND_VAR:
	case BTFKIT_KIND_DECL_TAG:
		bb_raw_word(b, w[0]);
		break;
	case BTFKIT_KIND_ARRAY:
		bb_raw_word(b, new_id[w[0]]);
		bb_raw_word(b, new_id[w[1]]);
		bb_raw_word(b, w[2]);
		break;
	case BTFKIT_KIND_STRUCT:
	case BTFKIT_KIND_UNION:
	case BTFKIT_KIND_DATASEC: /* {type, offset, size}: the type first */
		for (unsigned i = 0; i < vlen; i++) {
			const uint32_t *e = w + 3 * i;

			if (kind == BTFKIT_KIND_DATASEC) {
				bb_raw_word(b, new_id[e[0]]);
				bb_raw_word(b, e[1]);
			} else {
				bb_raw_word(b, e[0]);
				bb_raw_word(b, new_id[e[1]]);
			}
			bb_raw_word(b, e[2]);
		}
		break;
	case BTFKIT_KIND_ENUM:
		for (unsigned i = 0; i < 2 * vlen; i++)
			bb_raw_word(b, w[i]);
		break;
	case BTFKIT_KIND_ENUM64:
		for (unsigned i = 0; i < 3 * vlen; i++)
			bb_raw_word(b, w[i]);
		break;
	case BTFKIT_KIND_FUNC_PROTO:
		for (unsigned i = 0; i < vlen; i++) {
			bb_raw_word(b, w[2 * i]);
			bb_raw_word(b, new_id[w[2 * i + 1]]);
		}
		break;
	default:
		break;
	}
}

static int shuffle(const char *in, const char *out, uint64_t seed)
{
	struct btfkit_open_opts opts = { .sz = sizeof(opts) };
	uint32_t n, *order, *new_id, hdr_len, str_off, str_len;
	struct btf_builder b;
	struct btfkit_btf *btf;
	uint8_t *raw;
	size_t raw_size;
	int err;

	btf = btfkit_btf_open(in, &opts);
	if (!btf || btfkit_btf_start_id(btf) != 1) {
		fprintf(stderr, "mkcblobs: %s: cannot open as standalone BTF\n", in);
		return 1;
	}
	n = btfkit_btf_type_count(btf);
	order = malloc(n * sizeof(*order));
	new_id = malloc(n * sizeof(*new_id));
	if (!order || !new_id || btfkit_btf_serialize(btf, BTFKIT_ORDER_LITTLE, (void **)&raw,
						       &raw_size)) {
		fprintf(stderr, "mkcblobs: %s: out of memory\n", in);
		return 1;
	}
	/* Fisher-Yates over ids 1..n-1; void stays 0. */
	for (uint32_t i = 0; i < n; i++)
		order[i] = i;
	for (uint32_t i = n - 1; i > 1; i--) {
		uint32_t j = 1 + (uint32_t)(tu_rand(&seed) % i), tmp = order[i];

		order[i] = order[j];
		order[j] = tmp;
	}
	for (uint32_t i = 0; i < n; i++)
		new_id[order[i]] = i;
	/* The strings as they were (after the builder's own leading NUL). */
	memcpy(&hdr_len, raw + 4, 4);
	memcpy(&str_off, raw + 16, 4);
	memcpy(&str_len, raw + 20, 4);
	bb_init(&b);
	if (str_len > 1)
		bb_raw_str(&b, raw + hdr_len + str_off + 1, str_len - 1);
	for (uint32_t i = 1; i < n; i++)
		copy_type(&b, btfkit_btf_type(btf, order[i]), new_id);
	err = bb_write_file(&b, BB_LITTLE, out);
	if (err)
		fprintf(stderr, "mkcblobs: %s: %s\n", out, strerror(-err));
	bb_free(&b);
	free(raw);
	free(order);
	free(new_id);
	btfkit_btf_free(btf);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	char path[4096];

	if (argc == 5 && strcmp(argv[1], "shuffle") == 0)
		return shuffle(argv[2], argv[3], strtoull(argv[4], NULL, 0) | 1);
	if (argc != 2) {
		fprintf(stderr, "usage: mkcblobs DIR | mkcblobs shuffle IN OUT SEED\n");
		return 2;
	}
	dir = argv[1];
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "mkcblobs: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	snprintf(path, sizeof(path), "%s/MANIFEST", dir);
	manifest = fopen(path, "w");
	if (!manifest) {
		fprintf(stderr, "mkcblobs: %s: %s\n", path, strerror(errno));
		return 1;
	}
	names();
	declarators();
	layouts("layouts.btf", 8);
	layouts("layouts32.btf", 4);
	anonymous();
	ordering();
	fixups();
	enums();
	long_names();
	split();
	loops();
	if (fclose(manifest) != 0)
		failed = 1;
	return failed;
}
