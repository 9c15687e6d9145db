// SPDX-License-Identifier: BSD-2-Clause
/*
 * The dumpers against bpftool's exact text. The expected strings below are
 * what `bpftool btf dump file F` and `bpftool -j btf dump file F` (7.1)
 * print for the blobs of tests/unit/blobs.c (written by tests/tools/mkblobs);
 * see the format notes in docs and the sources in lib/dump/.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include <btfkit/btfkit.h>

#include "blobs.h"
#include "testutil.h"

struct expect {
	uint32_t id;
	const char *raw;
	const char *json;
};

/* One entry per type of blob_all_kinds(), in id order. */
static const struct expect all_kinds[] = {
	{ AK_INT,
	  "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n",
	  "{\"id\":1,\"kind\":\"INT\",\"name\":\"int\",\"size\":4,\"bits_offset\":0,\"nr_bits\":32,\"encoding\":\"SIGNED\"}" },
	{ AK_CHAR,
	  "[2] INT 'char' size=1 bits_offset=0 nr_bits=8 encoding=CHAR\n",
	  "{\"id\":2,\"kind\":\"INT\",\"name\":\"char\",\"size\":1,\"bits_offset\":0,\"nr_bits\":8,\"encoding\":\"CHAR\"}" },
	{ AK_BOOL,
	  "[3] INT '_Bool' size=1 bits_offset=0 nr_bits=8 encoding=BOOL\n",
	  "{\"id\":3,\"kind\":\"INT\",\"name\":\"_Bool\",\"size\":1,\"bits_offset\":0,\"nr_bits\":8,\"encoding\":\"BOOL\"}" },
	{ AK_UINT,
	  "[4] INT 'unsigned int' size=4 bits_offset=0 nr_bits=32 encoding=(none)\n",
	  "{\"id\":4,\"kind\":\"INT\",\"name\":\"unsigned int\",\"size\":4,\"bits_offset\":0,\"nr_bits\":32,\"encoding\":\"(none)\"}" },
	{ AK_WEIRD_INT,
	  "[5] INT 'weird' size=4 bits_offset=5 nr_bits=7 encoding=UNKN\n",
	  "{\"id\":5,\"kind\":\"INT\",\"name\":\"weird\",\"size\":4,\"bits_offset\":5,\"nr_bits\":7,\"encoding\":\"UNKN\"}" },
	{ AK_PTR,
	  "[6] PTR '(anon)' type_id=1\n",
	  "{\"id\":6,\"kind\":\"PTR\",\"name\":\"(anon)\",\"type_id\":1}" },
	{ AK_ARRAY,
	  "[7] ARRAY '(anon)' type_id=1 index_type_id=4 nr_elems=10\n",
	  "{\"id\":7,\"kind\":\"ARRAY\",\"name\":\"(anon)\",\"type_id\":1,\"index_type_id\":4,\"nr_elems\":10}" },
	{ AK_STRUCT,
	  "[8] STRUCT 's' size=56 vlen=3\n\t"
	    "'a' type_id=1 bits_offset=0\n\t"
	    "'p' type_id=6 bits_offset=64\n\t"
	    "'arr' type_id=7 bits_offset=128\n",
	  "{\"id\":8,\"kind\":\"STRUCT\",\"name\":\"s\",\"size\":56,\"vlen\":3,\"members\":[{\"name\":\"a\",\"type_id\":1,\"bits_offset\":0},{\"name\":\"p\",\"type_id\":6,\"bits_offset\":64},{\"name\":\"arr\",\"type_id\":7,\"bits_offset\":128}]}" },
	{ AK_UNION,
	  "[9] UNION 'u' size=4 vlen=2\n\t"
	    "'x' type_id=1 bits_offset=0\n\t"
	    "'bf' type_id=4 bits_offset=0 bitfield_size=3\n",
	  "{\"id\":9,\"kind\":\"UNION\",\"name\":\"u\",\"size\":4,\"vlen\":2,\"members\":[{\"name\":\"x\",\"type_id\":1,\"bits_offset\":0},{\"name\":\"bf\",\"type_id\":4,\"bits_offset\":0,\"bitfield_size\":3}]}" },
	{ AK_ENUM_U,
	  "[10] ENUM 'e' encoding=UNSIGNED size=4 vlen=2\n\t"
	    "'A' val=0\n\t"
	    "'B' val=4294967295\n",
	  "{\"id\":10,\"kind\":\"ENUM\",\"name\":\"e\",\"encoding\":\"UNSIGNED\",\"size\":4,\"vlen\":2,\"values\":[{\"name\":\"A\",\"val\":0},{\"name\":\"B\",\"val\":18446744073709551615}]}" },
	{ AK_ENUM_S,
	  "[11] ENUM 'se' encoding=SIGNED size=4 vlen=2\n\t"
	    "'NEG' val=-1\n\t"
	    "'MIN' val=-2147483648\n",
	  "{\"id\":11,\"kind\":\"ENUM\",\"name\":\"se\",\"encoding\":\"SIGNED\",\"size\":4,\"vlen\":2,\"values\":[{\"name\":\"NEG\",\"val\":-1},{\"name\":\"MIN\",\"val\":-2147483648}]}" },
	{ AK_ENUM64_U,
	  "[12] ENUM64 'e64' encoding=UNSIGNED size=8 vlen=2\n\t"
	    "'BIG' val=18446744073709551615ULL\n\t"
	    "'ZERO' val=0ULL\n",
	  "{\"id\":12,\"kind\":\"ENUM64\",\"name\":\"e64\",\"encoding\":\"UNSIGNED\",\"size\":8,\"vlen\":2,\"values\":[{\"name\":\"BIG\",\"val\":18446744073709551615},{\"name\":\"ZERO\",\"val\":0}]}" },
	{ AK_ENUM64_S,
	  "[13] ENUM64 's64' encoding=SIGNED size=8 vlen=1\n\t"
	    "'NEG64' val=-9223372036854775808LL\n",
	  "{\"id\":13,\"kind\":\"ENUM64\",\"name\":\"s64\",\"encoding\":\"SIGNED\",\"size\":8,\"vlen\":1,\"values\":[{\"name\":\"NEG64\",\"val\":-9223372036854775808}]}" },
	{ AK_FWD_STRUCT,
	  "[14] FWD 'fs' fwd_kind=struct\n",
	  "{\"id\":14,\"kind\":\"FWD\",\"name\":\"fs\",\"fwd_kind\":\"struct\"}" },
	{ AK_FWD_UNION,
	  "[15] FWD 'fu' fwd_kind=union\n",
	  "{\"id\":15,\"kind\":\"FWD\",\"name\":\"fu\",\"fwd_kind\":\"union\"}" },
	{ AK_TYPEDEF,
	  "[16] TYPEDEF 'td' type_id=1\n",
	  "{\"id\":16,\"kind\":\"TYPEDEF\",\"name\":\"td\",\"type_id\":1}" },
	{ AK_VOLATILE,
	  "[17] VOLATILE '(anon)' type_id=1\n",
	  "{\"id\":17,\"kind\":\"VOLATILE\",\"name\":\"(anon)\",\"type_id\":1}" },
	{ AK_CONST,
	  "[18] CONST '(anon)' type_id=17\n",
	  "{\"id\":18,\"kind\":\"CONST\",\"name\":\"(anon)\",\"type_id\":17}" },
	{ AK_RESTRICT,
	  "[19] RESTRICT '(anon)' type_id=6\n",
	  "{\"id\":19,\"kind\":\"RESTRICT\",\"name\":\"(anon)\",\"type_id\":6}" },
	{ AK_PROTO,
	  "[20] FUNC_PROTO '(anon)' ret_type_id=1 vlen=3\n\t"
	    "'x' type_id=1\n\t"
	    "'y' type_id=6\n\t"
	    "'(anon)' type_id=0\n",
	  "{\"id\":20,\"kind\":\"FUNC_PROTO\",\"name\":\"(anon)\",\"ret_type_id\":1,\"vlen\":3,\"params\":[{\"name\":\"x\",\"type_id\":1},{\"name\":\"y\",\"type_id\":6},{\"name\":\"(anon)\",\"type_id\":0}]}" },
	{ AK_FUNC_GLOBAL,
	  "[21] FUNC 'f' type_id=20 linkage=global\n",
	  "{\"id\":21,\"kind\":\"FUNC\",\"name\":\"f\",\"type_id\":20,\"linkage\":\"global\"}" },
	{ AK_FUNC_STATIC,
	  "[22] FUNC 'sf' type_id=20 linkage=static\n",
	  "{\"id\":22,\"kind\":\"FUNC\",\"name\":\"sf\",\"type_id\":20,\"linkage\":\"static\"}" },
	{ AK_FUNC_EXTERN,
	  "[23] FUNC 'ef' type_id=20 linkage=extern\n",
	  "{\"id\":23,\"kind\":\"FUNC\",\"name\":\"ef\",\"type_id\":20,\"linkage\":\"extern\"}" },
	{ AK_VAR_GLOBAL,
	  "[24] VAR 'gv' type_id=1, linkage=global\n",
	  "{\"id\":24,\"kind\":\"VAR\",\"name\":\"gv\",\"type_id\":1,\"linkage\":\"global\"}" },
	{ AK_VAR_STATIC,
	  "[25] VAR 'sv' type_id=8, linkage=static\n",
	  "{\"id\":25,\"kind\":\"VAR\",\"name\":\"sv\",\"type_id\":8,\"linkage\":\"static\"}" },
	{ AK_DATASEC,
	  "[26] DATASEC '.data' size=64 vlen=2\n\t"
	    "type_id=24 offset=0 size=4 (VAR 'gv')\n\t"
	    "type_id=25 offset=8 size=56 (VAR 'sv')\n",
	  "{\"id\":26,\"kind\":\"DATASEC\",\"name\":\".data\",\"size\":64,\"vlen\":2,\"vars\":[{\"type_id\":24,\"offset\":0,\"size\":4},{\"type_id\":25,\"offset\":8,\"size\":56}]}" },
	{ AK_FLOAT,
	  "[27] FLOAT 'float' size=4\n",
	  "{\"id\":27,\"kind\":\"FLOAT\",\"name\":\"float\",\"size\":4}" },
	{ AK_DECL_TAG,
	  "[28] DECL_TAG 'tag' type_id=8 component_idx=-1\n",
	  "{\"id\":28,\"kind\":\"DECL_TAG\",\"name\":\"tag\",\"type_id\":8,\"component_idx\":-1}" },
	{ AK_DECL_TAG_MEM,
	  "[29] DECL_TAG 'mtag' type_id=8 component_idx=1\n",
	  "{\"id\":29,\"kind\":\"DECL_TAG\",\"name\":\"mtag\",\"type_id\":8,\"component_idx\":1}" },
	{ AK_TYPE_TAG,
	  "[30] TYPE_TAG 'tt' type_id=1\n",
	  "{\"id\":30,\"kind\":\"TYPE_TAG\",\"name\":\"tt\",\"type_id\":1}" },
	{ AK_PROTO_VOID,
	  "[31] FUNC_PROTO '(anon)' ret_type_id=0 vlen=0\n",
	  "{\"id\":31,\"kind\":\"FUNC_PROTO\",\"name\":\"(anon)\",\"ret_type_id\":0,\"vlen\":0,\"params\":[]}" },
};

static struct btfkit_btf *open_builder(void (*fill)(struct btf_builder *), enum bb_order order,
				       uint8_t **blob)
{
	struct btf_builder b;
	struct btfkit_btf *btf;

	fill(&b);
	btf = tu_open(&b, order, 0, NULL, blob);
	bb_free(&b);
	assert_non_null(btf);
	return btf;
}

static void test_each_kind(void **state)
{
	(void)state;
	assert_int_equal(sizeof(all_kinds) / sizeof(all_kinds[0]), AK_COUNT - 1);
	for (unsigned order = BB_LITTLE; order <= BB_BIG; order++) {
		uint8_t *blob;
		struct btfkit_btf *btf = open_builder(blob_all_kinds, order, &blob);

		for (size_t i = 0; i < sizeof(all_kinds) / sizeof(all_kinds[0]); i++) {
			const struct expect *e = &all_kinds[i];
			char *raw = tu_dump_type(btf, e->id, BTFKIT_DUMP_RAW);
			char *json = tu_dump_type(btf, e->id, BTFKIT_DUMP_JSON);

			assert_int_equal(e->id, i + 1);
			assert_non_null(raw);
			assert_non_null(json);
			assert_string_equal(raw, e->raw);
			assert_string_equal(json, e->json);
			free(raw);
			free(json);
		}
		btfkit_btf_free(btf);
		free(blob);
	}
}

/* The whole document: the per-type texts in order, JSON wrapped and newline-terminated. */
static void test_whole_dump(void **state)
{
	size_t raw_len = 0, json_len = 0;
	char *raw_want, *json_want, *raw, *json;
	uint8_t *blob;
	struct btfkit_btf *btf;
	struct btfkit_sink sink;
	struct membuf m = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(all_kinds) / sizeof(all_kinds[0]); i++) {
		raw_len += strlen(all_kinds[i].raw);
		json_len += strlen(all_kinds[i].json) + 1;
	}
	raw_want = calloc(1, raw_len + 1);
	json_want = calloc(1, json_len + 32);
	strcpy(json_want, "{\"types\":[");
	for (size_t i = 0; i < sizeof(all_kinds) / sizeof(all_kinds[0]); i++) {
		strcat(raw_want, all_kinds[i].raw);
		if (i)
			strcat(json_want, ",");
		strcat(json_want, all_kinds[i].json);
	}
	strcat(json_want, "]}\n");

	btf = open_builder(blob_all_kinds, BB_BIG, &blob);
	raw = tu_dump(btf, BTFKIT_DUMP_RAW);
	json = tu_dump(btf, BTFKIT_DUMP_JSON);
	assert_string_equal(raw, raw_want);
	assert_string_equal(json, json_want);
	free(raw);
	free(json);

	/* No options: raw. Options from an older, shorter struct: raw too. */
	sink = (struct btfkit_sink){ membuf_write, &m };
	assert_int_equal(btfkit_dump(btf, NULL, &sink), 0);
	assert_string_equal(m.data, raw_want);
	membuf_free(&m);
	{
		struct btfkit_dump_opts old = { .sz = sizeof(size_t), .format = BTFKIT_DUMP_JSON };

		assert_int_equal(btfkit_dump(btf, &old, &sink), 0);
		assert_string_equal(m.data, raw_want);
		membuf_free(&m);
	}
	btfkit_btf_free(btf);
	free(blob);
	free(raw_want);
	free(json_want);
}

static void check_dump(void (*fill)(struct btf_builder *), const char *raw_want,
		       const char *json_want)
{
	uint8_t *blob;
	struct btfkit_btf *btf = open_builder(fill, BB_LITTLE, &blob);
	char *raw = tu_dump(btf, BTFKIT_DUMP_RAW), *json = tu_dump(btf, BTFKIT_DUMP_JSON);

	assert_non_null(raw);
	assert_non_null(json);
	if (raw_want)
		assert_string_equal(raw, raw_want);
	if (json_want)
		assert_string_equal(json, json_want);
	free(raw);
	free(json);
	btfkit_btf_free(btf);
	free(blob);
}

/* Enum values at the edges; JSON keeps bpftool's sign extension of unsigned 32-bit values. */
static void test_enum_edges(void **state)
{
	(void)state;
	check_dump(blob_enums,
		   "[1] ENUM 'u32' encoding=UNSIGNED size=4 vlen=4\n"
		   "\t'U_ZERO' val=0\n"
		   "\t'U_MAX31' val=2147483647\n"
		   "\t'U_HIGH' val=2147483648\n"
		   "\t'U_MAX' val=4294967295\n"
		   "[2] ENUM 's32' encoding=SIGNED size=4 vlen=3\n"
		   "\t'S_MINUS1' val=-1\n"
		   "\t'S_MIN' val=-2147483648\n"
		   "\t'S_MAX' val=2147483647\n"
		   "[3] ENUM 'small' encoding=UNSIGNED size=1 vlen=1\n"
		   "\t'ONE' val=1\n"
		   "[4] ENUM64 'u64' encoding=UNSIGNED size=8 vlen=3\n"
		   "\t'U64_ZERO' val=0ULL\n"
		   "\t'U64_HIGH' val=9223372036854775808ULL\n"
		   "\t'U64_MAX' val=18446744073709551615ULL\n"
		   "[5] ENUM64 's64' encoding=SIGNED size=8 vlen=3\n"
		   "\t'S64_MIN' val=-9223372036854775808LL\n"
		   "\t'S64_MINUS1' val=-1LL\n"
		   "\t'S64_MAX' val=9223372036854775807LL\n"
		   "[6] ENUM 'empty' encoding=UNSIGNED size=4 vlen=0\n",
		   "{\"types\":[{\"id\":1,\"kind\":\"ENUM\",\"name\":\"u32\",\"encoding\":\"UNSIGNED\",\"size\":4,"
		   "\"vlen\":4,\"values\":[{\"name\":\"U_ZERO\",\"val\":0},{\"name\":\"U_MAX31\",\"val\":2147483647},"
		   "{\"name\":\"U_HIGH\",\"val\":18446744071562067968},{\"name\":\"U_MAX\",\"val\":18446744073709551615}]},"
		   "{\"id\":2,\"kind\":\"ENUM\",\"name\":\"s32\",\"encoding\":\"SIGNED\",\"size\":4,\"vlen\":3,"
		   "\"values\":[{\"name\":\"S_MINUS1\",\"val\":-1},{\"name\":\"S_MIN\",\"val\":-2147483648},"
		   "{\"name\":\"S_MAX\",\"val\":2147483647}]},"
		   "{\"id\":3,\"kind\":\"ENUM\",\"name\":\"small\",\"encoding\":\"UNSIGNED\",\"size\":1,\"vlen\":1,"
		   "\"values\":[{\"name\":\"ONE\",\"val\":1}]},"
		   "{\"id\":4,\"kind\":\"ENUM64\",\"name\":\"u64\",\"encoding\":\"UNSIGNED\",\"size\":8,\"vlen\":3,"
		   "\"values\":[{\"name\":\"U64_ZERO\",\"val\":0},{\"name\":\"U64_HIGH\",\"val\":9223372036854775808},"
		   "{\"name\":\"U64_MAX\",\"val\":18446744073709551615}]},"
		   "{\"id\":5,\"kind\":\"ENUM64\",\"name\":\"s64\",\"encoding\":\"SIGNED\",\"size\":8,\"vlen\":3,"
		   "\"values\":[{\"name\":\"S64_MIN\",\"val\":-9223372036854775808},{\"name\":\"S64_MINUS1\",\"val\":-1},"
		   "{\"name\":\"S64_MAX\",\"val\":9223372036854775807}]},"
		   "{\"id\":6,\"kind\":\"ENUM\",\"name\":\"empty\",\"encoding\":\"UNSIGNED\",\"size\":4,\"vlen\":0,"
		   "\"values\":[]}]}\n");
}

static void test_bitfields(void **state)
{
	(void)state;
	check_dump(blob_bitfields,
		   "[1] INT 'unsigned int' size=4 bits_offset=0 nr_bits=32 encoding=(none)\n"
		   "[2] INT 'unsigned long long' size=8 bits_offset=0 nr_bits=64 encoding=(none)\n"
		   "[3] INT 'unsigned char' size=1 bits_offset=0 nr_bits=8 encoding=(none)\n"
		   "[4] STRUCT 'bits' size=16 vlen=5\n"
		   "\t'a' type_id=1 bits_offset=0 bitfield_size=1\n"
		   "\t'b' type_id=1 bits_offset=1 bitfield_size=31\n"
		   "\t'c' type_id=2 bits_offset=32 bitfield_size=64\n"
		   "\t'd' type_id=3 bits_offset=96\n"
		   "\t'e' type_id=3 bits_offset=104 bitfield_size=255\n"
		   "[5] STRUCT 'far' size=2097152 vlen=1\n"
		   "\t'x' type_id=1 bits_offset=16777184 bitfield_size=5\n"
		   "[6] STRUCT 'plain' size=33554433 vlen=1\n"
		   "\t'y' type_id=3 bits_offset=268435456\n"
		   "[7] UNION 'ubits' size=8 vlen=2\n"
		   "\t'lo' type_id=2 bits_offset=0 bitfield_size=3\n"
		   "\t'(anon)' type_id=1 bits_offset=0\n",
		   NULL);
}

static void test_datasec_bad_var(void **state)
{
	(void)state;
	check_dump(blob_datasec_bad_var,
		   "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
		   "[2] VAR 'x' type_id=1, linkage=global\n"
		   "[3] DATASEC '.bss' size=8 vlen=2\n"
		   "\ttype_id=2 offset=0 size=4 (VAR 'x')\n"
		   "\ttype_id=999 offset=4 size=4\n",
		   "{\"types\":[{\"id\":1,\"kind\":\"INT\",\"name\":\"int\",\"size\":4,\"bits_offset\":0,\"nr_bits\":32,"
		   "\"encoding\":\"SIGNED\"},{\"id\":2,\"kind\":\"VAR\",\"name\":\"x\",\"type_id\":1,\"linkage\":\"global\"},"
		   "{\"id\":3,\"kind\":\"DATASEC\",\"name\":\".bss\",\"size\":8,\"vlen\":2,\"vars\":[{\"type_id\":2,"
		   "\"offset\":0,\"size\":4},{\"type_id\":999,\"offset\":4,\"size\":4}]}]}\n");
}

static void fill_empty(struct btf_builder *b)
{
	bb_init(b);
}

static void test_empty(void **state)
{
	(void)state;
	check_dump(fill_empty, "", "{\"types\":[]}\n");
}

/* Split BTF: only its own types, with their ids; names may come from the base. */
static void test_split_dump(void **state)
{
	struct btf_builder bb, sb;
	struct btfkit_btf *base, *split;
	uint8_t *b1, *b2;
	char *raw, *json;

	(void)state;
	blob_split_base(&bb);
	blob_split(&sb, &bb);
	base = tu_open(&bb, BB_LITTLE, 0, NULL, &b1);
	split = tu_open(&sb, BB_BIG, 0, base, &b2);
	assert_non_null(split);
	raw = tu_dump(split, BTFKIT_DUMP_RAW);
	json = tu_dump(split, BTFKIT_DUMP_JSON);
	assert_string_equal(raw, "[4] TYPEDEF 'split_td' type_id=2\n"
				 "[5] STRUCT 'dup' size=4 vlen=1\n"
				 "\t'int' type_id=1 bits_offset=0\n"
				 "[6] PTR '(anon)' type_id=5\n");
	assert_string_equal(json, "{\"types\":[{\"id\":4,\"kind\":\"TYPEDEF\",\"name\":\"split_td\",\"type_id\":2},"
				  "{\"id\":5,\"kind\":\"STRUCT\",\"name\":\"dup\",\"size\":4,\"vlen\":1,\"members\":"
				  "[{\"name\":\"int\",\"type_id\":1,\"bits_offset\":0}]},"
				  "{\"id\":6,\"kind\":\"PTR\",\"name\":\"(anon)\",\"type_id\":5}]}\n");
	free(raw);
	free(json);
	/* Base types can still be dumped one by one through the split object. */
	raw = tu_dump_type(split, SB_DUP, BTFKIT_DUMP_RAW);
	assert_string_equal(raw, "[3] TYPEDEF 'dup' type_id=1\n");
	free(raw);
	btfkit_btf_free(split);
	btfkit_btf_free(base);
	free(b1);
	free(b2);
	bb_free(&bb);
	bb_free(&sb);
}

/* ---- JSON escaping ---- */

static void fill_names_safe(struct btf_builder *b)
{
	blob_names(b, 1);
}

static void fill_names_all(struct btf_builder *b)
{
	blob_names(b, 0);
}

static void test_json_escaping(void **state)
{
	static const char raw_want[] =
		"[1] INT 'q\"uote' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
		"[2] TYPEDEF 'tab\there' type_id=1\n"
		"[3] TYPEDEF 'new\nline' type_id=1\n"
		"[4] TYPEDEF 'cr\rff\fbs\b' type_id=1\n"
		"[5] TYPEDEF 'it's' type_id=1\n"
		"[6] STRUCT '\"\"' size=4 vlen=1\n"
		"\t'm\t\"' type_id=1 bits_offset=0\n"
		"[7] ENUM 'en\"um' encoding=UNSIGNED size=4 vlen=1\n"
		"\t'V\n' val=1\n"
		"[8] TYPEDEF 'utf8_\xc3\xa9' type_id=1\n";
	/* What bpftool 7.1 (Debian build) prints: \t \n \r \f \b and \" escaped, ' and UTF-8 raw. */
	static const char json_want[] =
		"{\"types\":[{\"id\":1,\"kind\":\"INT\",\"name\":\"q\\\"uote\",\"size\":4,\"bits_offset\":0,"
		"\"nr_bits\":32,\"encoding\":\"SIGNED\"},"
		"{\"id\":2,\"kind\":\"TYPEDEF\",\"name\":\"tab\\there\",\"type_id\":1},"
		"{\"id\":3,\"kind\":\"TYPEDEF\",\"name\":\"new\\nline\",\"type_id\":1},"
		"{\"id\":4,\"kind\":\"TYPEDEF\",\"name\":\"cr\\rff\\fbs\\b\",\"type_id\":1},"
		"{\"id\":5,\"kind\":\"TYPEDEF\",\"name\":\"it's\",\"type_id\":1},"
		"{\"id\":6,\"kind\":\"STRUCT\",\"name\":\"\\\"\\\"\",\"size\":4,\"vlen\":1,\"members\":"
		"[{\"name\":\"m\\t\\\"\",\"type_id\":1,\"bits_offset\":0}]},"
		"{\"id\":7,\"kind\":\"ENUM\",\"name\":\"en\\\"um\",\"encoding\":\"UNSIGNED\",\"size\":4,\"vlen\":1,"
		"\"values\":[{\"name\":\"V\\n\",\"val\":1}]},"
		"{\"id\":8,\"kind\":\"TYPEDEF\",\"name\":\"utf8_\xc3\xa9\",\"type_id\":1}]}\n";
	uint8_t *blob;
	struct btfkit_btf *btf;
	char *s;

	(void)state;
	check_dump(fill_names_safe, raw_want, json_want);

	/*
	 * Where bpftool writes invalid JSON (a backslash becomes \n, control
	 * characters pass raw), btfkit writes valid JSON; raw text stays raw.
	 */
	btf = open_builder(fill_names_all, BB_LITTLE, &blob);
	s = tu_dump_type(btf, 9, BTFKIT_DUMP_JSON);
	assert_string_equal(s, "{\"id\":9,\"kind\":\"TYPEDEF\",\"name\":\"back\\\\slash\",\"type_id\":1}");
	free(s);
	s = tu_dump_type(btf, 10, BTFKIT_DUMP_JSON);
	assert_string_equal(s, "{\"id\":10,\"kind\":\"TYPEDEF\",\"name\":\"ctl\\u0001\\u001f\x7f\",\"type_id\":1}");
	free(s);
	s = tu_dump_type(btf, 10, BTFKIT_DUMP_RAW);
	assert_string_equal(s, "[10] TYPEDEF 'ctl\x01\x1f\x7f' type_id=1\n");
	free(s);
	btfkit_btf_free(btf);
	free(blob);
}

/* A name longer than the output buffer is escaped across flushes without loss. */
static void test_long_name(void **state)
{
	enum { LEN = 150000 };
	struct btf_builder b;
	struct btfkit_btf *btf;
	uint8_t *blob;
	char *name = malloc(LEN + 1), *s;

	(void)state;
	for (size_t i = 0; i < LEN; i++)
		name[i] = i % 7 == 0 ? '"' : (char)('a' + i % 26);
	name[LEN] = '\0';
	bb_init(&b);
	bb_int(&b, name, 4, 0, 0, 32);
	btf = tu_open(&b, BB_LITTLE, 0, NULL, &blob);
	assert_non_null(btf);
	s = tu_dump_type(btf, 1, BTFKIT_DUMP_RAW);
	assert_int_equal(strlen(s), strlen("[1] INT '' size=4 bits_offset=0 nr_bits=32 encoding=(none)\n") + LEN);
	assert_memory_equal(s + 9, name, LEN);
	free(s);
	s = tu_dump_type(btf, 1, BTFKIT_DUMP_JSON);
	/* Every seventh character is a quote, written as two bytes. */
	assert_int_equal(strlen(s), strlen("{\"id\":1,\"kind\":\"INT\",\"name\":\"\",\"size\":4,\"bits_offset\":0,"
					   "\"nr_bits\":32,\"encoding\":\"(none)\"}") + LEN + (LEN + 6) / 7);
	free(s);
	btfkit_btf_free(btf);
	free(blob);
	bb_free(&b);
	free(name);
}

/* JSON's escaping of one name, byte by byte, as the reference for the 16-byte path. */
static void ref_json_name(const uint8_t *name, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (; *name; name++) {
		uint8_t c = *name;

		if (c == '"' || c == '\\') {
			*out++ = '\\';
			*out++ = (char)c;
		} else if (c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\b') {
			*out++ = '\\';
			*out++ = c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\f' ? 'f' : 'b';
		} else if (c < 0x20) {
			out += sprintf(out, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
		} else {
			*out++ = (char)c;
		}
	}
	*out = 0;
}

static void check_json_name(const void *blob, size_t size, const uint8_t *name)
{
	char want[512], esc[400];
	struct btfkit_btf *btf = tu_open_mem(blob, size, 0, NULL, NULL, 0);
	char *s;

	assert_non_null(btf);
	ref_json_name(name, esc);
	snprintf(want, sizeof(want), "{\"id\":2,\"kind\":\"TYPEDEF\",\"name\":\"%s\",\"type_id\":1}", esc);
	s = tu_dump_type(btf, 2, BTFKIT_DUMP_JSON);
	if (strcmp(s, want))
		print_error("got  %s\nwant %s\n", s, want);
	assert_string_equal(s, want);
	free(s);
	btfkit_btf_free(btf);
}

/*
 * Names of 1 to 60 bytes with bytes to escape anywhere (across the 16-byte
 * blocks the JSON writer copies at once) come out as the byte-by-byte rule
 * says; and a name that ends its blob at the end of a page followed by an
 * unreadable one is read without a fault (the writer's blocks stay inside
 * the page they start in).
 */
static void test_json_escape_blocks(void **state)
{
	static const uint8_t special[] = { '"', '\\', '\t', '\n', 0x01, 0x1f, 0x7f, 0x80, 0xc3, ' ' };
	long page = sysconf(_SC_PAGESIZE);
	uint8_t *map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			    -1, 0);
	uint32_t seed = 99;

	(void)state;
	assert_true(map != MAP_FAILED);
	assert_int_equal(mprotect(map + page, (size_t)page, PROT_NONE), 0);
	for (unsigned n = 0; n < 1500; n++) {
		uint8_t name[64];
		struct btf_builder b;
		uint8_t *blob;
		size_t len, size;

		seed = seed * 1103515245u + 12345u;
		len = 1 + (seed >> 16) % 60;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			name[i] = (seed >> 16) % 8 ? (uint8_t)('a' + (seed >> 20) % 26)
						   : special[(seed >> 20) % sizeof(special)];
		}
		name[len] = 0;
		bb_init(&b);
		bb_int(&b, "int", 4, 0, 0, 32);
		bb_typedef(&b, (const char *)name, 1); /* the last string of the blob */
		blob = bb_finish(&b, BB_LITTLE, &size);
		assert_non_null(blob);
		check_json_name(blob, size, name);
		/* The same blob ending where the readable page ends. */
		assert_true(size <= (size_t)page);
		memcpy(map + page - size, blob, size);
		check_json_name(map + page - size, size, name);
		free(blob);
		bb_free(&b);
	}
	munmap(map, (size_t)page * 2);
}

/* ---- sinks that fail ---- */

struct failing {
	unsigned calls, fail_at;
	int ret;
	size_t bytes;
};

static int failing_write(void *ctx, const char *data, size_t len)
{
	struct failing *f = ctx;

	(void)data;
	f->calls++;
	if (f->calls >= f->fail_at)
		return f->ret;
	f->bytes += len;
	return 0;
}

static void test_failing_sink(void **state)
{
	struct btf_builder b;
	struct btfkit_btf *btf;
	struct btfkit_dump_opts json = { .sz = sizeof(json), .format = BTFKIT_DUMP_JSON };
	uint8_t *blob;
	struct failing f;
	struct btfkit_sink sink = { failing_write, &f };
	char *whole;

	(void)state;
	/* Several times the 64 KiB buffer of output. */
	blob_many(&b, 6000);
	btf = tu_open(&b, BB_LITTLE, 0, NULL, &blob);
	assert_non_null(btf);
	whole = tu_dump(btf, BTFKIT_DUMP_RAW);
	assert_true(strlen(whole) > 3 * 64 * 1024);

	/* Failing on the first write: the error comes back, nothing more is written. */
	f = (struct failing){ .fail_at = 1, .ret = -EPIPE };
	errno = 0;
	assert_int_equal(btfkit_dump(btf, NULL, &sink), -EPIPE);
	assert_int_equal(errno, EPIPE);
	assert_int_equal(f.calls, 1);

	/* Failing later: the dump stops there. */
	f = (struct failing){ .fail_at = 2, .ret = -ENOSPC };
	assert_int_equal(btfkit_dump(btf, &json, &sink), -ENOSPC);
	assert_int_equal(f.calls, 2);
	assert_true(f.bytes > 0);

	/* A sink breaking its contract with a positive value still stops the dump. */
	f = (struct failing){ .fail_at = 1, .ret = 1 };
	assert_true(btfkit_dump(btf, NULL, &sink) < 0);
	assert_int_equal(f.calls, 1);

	/* One type too. */
	f = (struct failing){ .fail_at = 1, .ret = -EIO };
	assert_int_equal(btfkit_dump_type(btf, 2, BTFKIT_DUMP_JSON, &sink), -EIO);

	/* A sink that succeeds sees everything exactly once. */
	f = (struct failing){ .fail_at = UINT32_MAX, .ret = 0 };
	assert_int_equal(btfkit_dump(btf, NULL, &sink), 0);
	assert_int_equal(f.bytes, strlen(whole));
	assert_true(f.calls < 20); /* buffered: few large writes */

	free(whole);
	btfkit_btf_free(btf);
	free(blob);
	bb_free(&b);
}

static void test_dump_errors(void **state)
{
	uint8_t *blob;
	struct btfkit_btf *btf = open_builder(blob_all_kinds, BB_LITTLE, &blob);
	struct membuf m = { 0 };
	struct btfkit_sink sink = { membuf_write, &m }, nowrite = { NULL, NULL };
	struct btfkit_dump_opts bad = { .sz = sizeof(bad), .format = (enum btfkit_dump_format)9 };

	(void)state;
	assert_int_equal(btfkit_dump(NULL, NULL, &sink), -EINVAL);
	assert_int_equal(btfkit_dump(btf, NULL, NULL), -EINVAL);
	assert_int_equal(btfkit_dump(btf, NULL, &nowrite), -EINVAL);
	assert_int_equal(btfkit_dump(btf, &bad, &sink), -EINVAL);
	assert_int_equal(btfkit_dump_type(btf, 0, BTFKIT_DUMP_RAW, &sink), -EINVAL);
	assert_int_equal(btfkit_dump_type(btf, AK_COUNT, BTFKIT_DUMP_RAW, &sink), -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(btfkit_dump_type(NULL, 1, BTFKIT_DUMP_RAW, &sink), -EINVAL);
	assert_int_equal(m.writes, 0);
	btfkit_btf_free(btf);
	free(blob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_kind),
		cmocka_unit_test(test_whole_dump),
		cmocka_unit_test(test_enum_edges),
		cmocka_unit_test(test_bitfields),
		cmocka_unit_test(test_datasec_bad_var),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_split_dump),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_long_name),
		cmocka_unit_test(test_json_escape_blocks),
		cmocka_unit_test(test_failing_sink),
		cmocka_unit_test(test_dump_errors),
	};

	return tu_report(sizeof(tests) / sizeof(tests[0]), cmocka_run_group_tests(tests, NULL, NULL));
}
