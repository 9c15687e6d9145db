/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hand-built blobs shared by the unit tests and tests/tools/mkblobs (which
 * writes them out for the command-line tests and the bpftool parity checks).
 * One definition, so the tests' expectations and the files agree. No cmocka.
 */
#ifndef BTFKIT_TESTS_BLOBS_H
#define BTFKIT_TESTS_BLOBS_H

#include "btf_builder.h"

/* Type ids of blob_all_kinds(): one or more types of every kind. */
enum all_kinds_id {
	AK_INT = 1,      /* INT 'int' size=4 nr_bits=32 SIGNED */
	AK_CHAR,         /* INT 'char' CHAR */
	AK_BOOL,         /* INT '_Bool' BOOL */
	AK_UINT,         /* INT 'unsigned int' (none) */
	AK_WEIRD_INT,    /* INT 'weird' bits_offset=5 nr_bits=7 encoding 3 (UNKN) */
	AK_PTR,          /* PTR -> int */
	AK_ARRAY,        /* int[10], index unsigned int */
	AK_STRUCT,       /* STRUCT 's' size=56: int a; int *p; int arr[10] */
	AK_UNION,        /* UNION 'u' size=4 kflag: int x; unsigned int bf:3 */
	AK_ENUM_U,       /* ENUM 'e' unsigned: A=0 B=0xffffffff */
	AK_ENUM_S,       /* ENUM 'se' signed: NEG=-1 MIN=INT32_MIN */
	AK_ENUM64_U,     /* ENUM64 'e64' unsigned: BIG=UINT64_MAX ZERO=0 */
	AK_ENUM64_S,     /* ENUM64 's64' signed: NEG64=INT64_MIN */
	AK_FWD_STRUCT,   /* FWD 'fs' struct */
	AK_FWD_UNION,    /* FWD 'fu' union */
	AK_TYPEDEF,      /* TYPEDEF 'td' -> int */
	AK_VOLATILE,     /* VOLATILE -> int */
	AK_CONST,        /* CONST -> volatile */
	AK_RESTRICT,     /* RESTRICT -> ptr */
	AK_PROTO,        /* FUNC_PROTO int (int x, int *y, ...) */
	AK_FUNC_GLOBAL,  /* FUNC 'f' global */
	AK_FUNC_STATIC,  /* FUNC 'sf' static */
	AK_FUNC_EXTERN,  /* FUNC 'ef' extern */
	AK_VAR_GLOBAL,   /* VAR 'gv' -> int, global */
	AK_VAR_STATIC,   /* VAR 'sv' -> struct s, static */
	AK_DATASEC,      /* DATASEC '.data' size=64: gv at 0, sv at 8 */
	AK_FLOAT,        /* FLOAT 'float' size=4 */
	AK_DECL_TAG,     /* DECL_TAG 'tag' -> struct s, component_idx -1 */
	AK_DECL_TAG_MEM, /* DECL_TAG 'mtag' -> struct s, component_idx 1 */
	AK_TYPE_TAG,     /* TYPE_TAG 'tt' -> int */
	AK_PROTO_VOID,   /* FUNC_PROTO void (void) */
	AK_COUNT         /* the type count */
};
void blob_all_kinds(struct btf_builder *b);

/* Enum values at the edges of 32 and 64 bits, both signednesses. */
void blob_enums(struct btf_builder *b);
/* Bitfields: kflag structs with bitfield sizes and offsets at their limits, and kflag=0. */
void blob_bitfields(struct btf_builder *b);
/*
 * Names that need JSON escaping. With bpftool_safe, only the characters
 * bpftool 7.1 escapes correctly (quote, \t \n \r \f \b) and the apostrophe;
 * without, also a backslash and other control characters, where btfkit
 * deliberately writes valid JSON and bpftool does not.
 */
void blob_names(struct btf_builder *b, int bpftool_safe);

/* A base and a split blob on it. Base ids 1..3, split ids 4..6. */
enum split_id {
	SB_INT = 1,   /* INT 'int' */
	SB_PTR,       /* PTR -> int */
	SB_DUP,       /* TYPEDEF 'dup' -> int */
	SP_TYPEDEF,   /* TYPEDEF 'split_td' -> base ptr */
	SP_DUP,       /* STRUCT 'dup' size=4 { int 'int' (name from base strings) } */
	SP_PTR,       /* PTR -> split struct */
	SP_COUNT
};
void blob_split_base(struct btf_builder *b);
void blob_split(struct btf_builder *b, const struct btf_builder *base);

/*
 * A type of kind 20 between known types: [1] INT 'int', [2] kind 20 'mystery'
 * (vlen 2, 4 + 2 * 8 trailing bytes), [3] PTR -> int, [4] STRUCT 'after'.
 * With a layout section describing kind 20, or without one.
 */
enum unknown_id { UK_INT = 1, UK_UNKNOWN, UK_PTR, UK_STRUCT, UK_COUNT };
void blob_unknown_kind(struct btf_builder *b, int with_layout);

/* A DATASEC whose second entry names type 999 (out of range). */
void blob_datasec_bad_var(struct btf_builder *b);

/* A type graph with ~300 types, more than a few lazy-index checkpoints. */
void blob_many(struct btf_builder *b, uint32_t nr);

#endif /* BTFKIT_TESTS_BLOBS_H */
