// SPDX-License-Identifier: BSD-2-Clause
/* See blobs.h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "blobs.h"

/* The ids in blobs.h are the contract with the tests: a drifted id is a broken test, loudly. */
static void expect_id(uint32_t got, uint32_t want)
{
	if (got != want) {
		fprintf(stderr, "blobs: built id %u, expected %u\n", got, want);
		abort();
	}
}

void blob_all_kinds(struct btf_builder *b)
{
	bb_init(b);
	expect_id(bb_int(b, "int", 4, 1, 0, 32), AK_INT);
	expect_id(bb_int(b, "char", 1, 2, 0, 8), AK_CHAR);
	expect_id(bb_int(b, "_Bool", 1, 4, 0, 8), AK_BOOL);
	expect_id(bb_int(b, "unsigned int", 4, 0, 0, 32), AK_UINT);
	expect_id(bb_int(b, "weird", 4, 3, 5, 7), AK_WEIRD_INT);
	expect_id(bb_ptr(b, AK_INT), AK_PTR);
	expect_id(bb_array(b, AK_INT, AK_UINT, 10), AK_ARRAY);
	expect_id(bb_struct(b, "s", 56, 0), AK_STRUCT);
	bb_member(b, "a", AK_INT, 0, 0);
	bb_member(b, "p", AK_PTR, 64, 0);
	bb_member(b, "arr", AK_ARRAY, 128, 0);
	expect_id(bb_union(b, "u", 4, 1), AK_UNION);
	bb_member(b, "x", AK_INT, 0, 0);
	bb_member(b, "bf", AK_UINT, 0, 3);
	expect_id(bb_enum(b, "e", 4, 0), AK_ENUM_U);
	bb_enum_val(b, "A", 0);
	bb_enum_val(b, "B", 0xffffffff);
	expect_id(bb_enum(b, "se", 4, 1), AK_ENUM_S);
	bb_enum_val(b, "NEG", -1);
	bb_enum_val(b, "MIN", INT32_MIN);
	expect_id(bb_enum64(b, "e64", 8, 0), AK_ENUM64_U);
	bb_enum64_val(b, "BIG", UINT64_MAX);
	bb_enum64_val(b, "ZERO", 0);
	expect_id(bb_enum64(b, "s64", 8, 1), AK_ENUM64_S);
	bb_enum64_val(b, "NEG64", (uint64_t)INT64_MIN);
	expect_id(bb_fwd(b, "fs", 0), AK_FWD_STRUCT);
	expect_id(bb_fwd(b, "fu", 1), AK_FWD_UNION);
	expect_id(bb_typedef(b, "td", AK_INT), AK_TYPEDEF);
	expect_id(bb_volatile(b, AK_INT), AK_VOLATILE);
	expect_id(bb_const(b, AK_VOLATILE), AK_CONST);
	expect_id(bb_restrict(b, AK_PTR), AK_RESTRICT);
	expect_id(bb_func_proto(b, AK_INT), AK_PROTO);
	bb_param(b, "x", AK_INT);
	bb_param(b, "y", AK_PTR);
	bb_param(b, NULL, 0); /* ... */
	expect_id(bb_func(b, "f", AK_PROTO, 1), AK_FUNC_GLOBAL);
	expect_id(bb_func(b, "sf", AK_PROTO, 0), AK_FUNC_STATIC);
	expect_id(bb_func(b, "ef", AK_PROTO, 2), AK_FUNC_EXTERN);
	expect_id(bb_var(b, "gv", AK_INT, 1), AK_VAR_GLOBAL);
	expect_id(bb_var(b, "sv", AK_STRUCT, 0), AK_VAR_STATIC);
	expect_id(bb_datasec(b, ".data", 64), AK_DATASEC);
	bb_secinfo(b, AK_VAR_GLOBAL, 0, 4);
	bb_secinfo(b, AK_VAR_STATIC, 8, 56);
	expect_id(bb_float(b, "float", 4), AK_FLOAT);
	expect_id(bb_decl_tag(b, "tag", AK_STRUCT, -1), AK_DECL_TAG);
	expect_id(bb_decl_tag(b, "mtag", AK_STRUCT, 1), AK_DECL_TAG_MEM);
	expect_id(bb_type_tag(b, "tt", AK_INT), AK_TYPE_TAG);
	expect_id(bb_func_proto(b, 0), AK_PROTO_VOID);
	expect_id(bb_next_id(b), AK_COUNT);
}

void blob_enums(struct btf_builder *b)
{
	bb_init(b);
	bb_enum(b, "u32", 4, 0);
	bb_enum_val(b, "U_ZERO", 0);
	bb_enum_val(b, "U_MAX31", 0x7fffffff);
	bb_enum_val(b, "U_HIGH", 0x80000000);
	bb_enum_val(b, "U_MAX", 0xffffffff);
	bb_enum(b, "s32", 4, 1);
	bb_enum_val(b, "S_MINUS1", -1);
	bb_enum_val(b, "S_MIN", INT32_MIN);
	bb_enum_val(b, "S_MAX", INT32_MAX);
	bb_enum(b, "small", 1, 0);
	bb_enum_val(b, "ONE", 1);
	bb_enum64(b, "u64", 8, 0);
	bb_enum64_val(b, "U64_ZERO", 0);
	bb_enum64_val(b, "U64_HIGH", 0x8000000000000000ull);
	bb_enum64_val(b, "U64_MAX", UINT64_MAX);
	bb_enum64(b, "s64", 8, 1);
	bb_enum64_val(b, "S64_MIN", (uint64_t)INT64_MIN);
	bb_enum64_val(b, "S64_MINUS1", UINT64_MAX);
	bb_enum64_val(b, "S64_MAX", INT64_MAX);
	bb_enum(b, "empty", 4, 0); /* no values */
}

void blob_bitfields(struct btf_builder *b)
{
	uint32_t u32, u64, u8;

	bb_init(b);
	u32 = bb_int(b, "unsigned int", 4, 0, 0, 32);
	u64 = bb_int(b, "unsigned long long", 8, 0, 0, 64);
	u8 = bb_int(b, "unsigned char", 1, 0, 0, 8);
	bb_struct(b, "bits", 16, 1);
	bb_member(b, "a", u32, 0, 1);
	bb_member(b, "b", u32, 1, 31);
	bb_member(b, "c", u64, 32, 64);   /* full-width member, written as a bitfield */
	bb_member(b, "d", u8, 96, 0);     /* kflag struct, plain member */
	bb_member(b, "e", u8, 104, 255);  /* largest bitfield size */
	/* Offsets need all 24 bits with kflag. */
	bb_struct(b, "far", 0x200000, 1);
	bb_member(b, "x", u32, 0xffffe0, 5);
	/* Without kflag, the whole word is the offset. */
	bb_struct(b, "plain", 0x2000001, 0);
	bb_member(b, "y", u8, 0x10000000, 0);
	bb_union(b, "ubits", 8, 1);
	bb_member(b, "lo", u64, 0, 3);
	bb_member(b, NULL, u32, 0, 0); /* anonymous member */
}

void blob_names(struct btf_builder *b, int bpftool_safe)
{
	uint32_t i;

	bb_init(b);
	i = bb_int(b, "q\"uote", 4, 1, 0, 32);
	bb_typedef(b, "tab\there", i);
	bb_typedef(b, "new\nline", i);
	bb_typedef(b, "cr\rff\fbs\b", i);
	bb_typedef(b, "it's", i);
	bb_struct(b, "\"\"", 4, 0);
	bb_member(b, "m\t\"", i, 0, 0);
	bb_enum(b, "en\"um", 4, 0);
	bb_enum_val(b, "V\n", 1);
	bb_typedef(b, "utf8_\xc3\xa9", i);
	if (!bpftool_safe) {
		bb_typedef(b, "back\\slash", i);
		bb_typedef(b, "ctl\x01\x1f\x7f", i);
	}
}

void blob_split_base(struct btf_builder *b)
{
	bb_init(b);
	expect_id(bb_int(b, "int", 4, 1, 0, 32), SB_INT);
	expect_id(bb_ptr(b, SB_INT), SB_PTR);
	expect_id(bb_typedef(b, "dup", SB_INT), SB_DUP);
}

void blob_split(struct btf_builder *b, const struct btf_builder *base)
{
	bb_init_split_on(b, base);
	expect_id(bb_typedef(b, "split_td", SB_PTR), SP_TYPEDEF);
	expect_id(bb_struct(b, "dup", 4, 0), SP_DUP);
	/* A member named through the base's string section. */
	bb_member_raw(b, bb_find_str(base, "int"), SB_INT, 0);
	expect_id(bb_ptr(b, SP_DUP), SP_PTR);
}

void blob_unknown_kind(struct btf_builder *b, int with_layout)
{
	bb_init(b);
	expect_id(bb_int(b, "int", 4, 1, 0, 32), UK_INT);
	expect_id(bb_unknown(b, 20, "mystery", 2, 7, 4, 8), UK_UNKNOWN);
	expect_id(bb_ptr(b, UK_INT), UK_PTR);
	expect_id(bb_struct(b, "after", 4, 0), UK_STRUCT);
	bb_member(b, "v", UK_INT, 0, 0);
	if (with_layout) {
		bb_add_layout(b, 21);
		bb_layout_entry(b, 20, 4, 8, 0);
	}
}

void blob_datasec_bad_var(struct btf_builder *b)
{
	uint32_t i, v;

	bb_init(b);
	i = bb_int(b, "int", 4, 1, 0, 32);
	v = bb_var(b, "x", i, 1);
	bb_datasec(b, ".bss", 8);
	bb_secinfo(b, v, 0, 4);
	bb_secinfo(b, 999, 4, 4);
}

void blob_many(struct btf_builder *b, uint32_t nr)
{
	char name[32];
	uint32_t i = 0;

	bb_init(b);
	bb_int(b, "int", 4, 1, 0, 32);
	while (bb_next_id(b) < nr) {
		uint32_t id = bb_next_id(b);

		snprintf(name, sizeof(name), "t%u", i % 50); /* names repeat: duplicates */
		switch (i++ % 5) {
		case 0:
			bb_struct(b, name, 8, 0);
			bb_member(b, "a", 1, 0, 0);
			bb_member(b, "b", id - 1, 32, 0);
			break;
		case 1:
			bb_typedef(b, name, id - 1);
			break;
		case 2:
			bb_ptr(b, id - 2);
			break;
		case 3:
			bb_enum(b, name, 4, 0);
			bb_enum_val(b, "X", i);
			break;
		default:
			bb_array(b, id - 1, 1, i);
			break;
		}
	}
}
