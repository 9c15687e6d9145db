// SPDX-License-Identifier: BSD-2-Clause
/*
 * The table of BTF kinds. Each entry says what a type of the kind occupies and
 * points at what each subsystem does with it; adding a kind is adding a row
 * here (and the functions the row names). Kind 0 has no row: it is never a
 * valid kind, and the parser treats it like any kind it does not know.
 */
#include "btf_int.h"
#include "../dump/dump_int.h"

const struct btf_kind_ops btf_kinds[BTFKIT_KIND_COUNT] = {
	/*                           fixed  elem   size_is_bytes */
	[BTFKIT_KIND_INT]        = { "INT",        4,  0, true,  dump_describe_int },
	[BTFKIT_KIND_PTR]        = { "PTR",        0,  0, false, dump_describe_ref },
	[BTFKIT_KIND_ARRAY]      = { "ARRAY",     12,  0, false, dump_describe_array },
	[BTFKIT_KIND_STRUCT]     = { "STRUCT",     0, 12, true,  dump_describe_composite },
	[BTFKIT_KIND_UNION]      = { "UNION",      0, 12, true,  dump_describe_composite },
	[BTFKIT_KIND_ENUM]       = { "ENUM",       0,  8, true,  dump_describe_enum },
	[BTFKIT_KIND_FWD]        = { "FWD",        0,  0, false, dump_describe_fwd },
	[BTFKIT_KIND_TYPEDEF]    = { "TYPEDEF",    0,  0, false, dump_describe_ref },
	[BTFKIT_KIND_VOLATILE]   = { "VOLATILE",   0,  0, false, dump_describe_ref },
	[BTFKIT_KIND_CONST]      = { "CONST",      0,  0, false, dump_describe_ref },
	[BTFKIT_KIND_RESTRICT]   = { "RESTRICT",   0,  0, false, dump_describe_ref },
	[BTFKIT_KIND_FUNC]       = { "FUNC",       0,  0, false, dump_describe_func },
	[BTFKIT_KIND_FUNC_PROTO] = { "FUNC_PROTO", 0,  8, false, dump_describe_func_proto },
	[BTFKIT_KIND_VAR]        = { "VAR",        4,  0, false, dump_describe_var },
	[BTFKIT_KIND_DATASEC]    = { "DATASEC",    0, 12, true,  dump_describe_datasec },
	[BTFKIT_KIND_FLOAT]      = { "FLOAT",      0,  0, true,  dump_describe_float },
	[BTFKIT_KIND_DECL_TAG]   = { "DECL_TAG",   4,  0, false, dump_describe_decl_tag },
	[BTFKIT_KIND_TYPE_TAG]   = { "TYPE_TAG",   0,  0, false, dump_describe_ref },
	[BTFKIT_KIND_ENUM64]     = { "ENUM64",     0, 12, true,  dump_describe_enum64 },
};

const char *btfkit_kind_name(unsigned kind)
{
	if (kind > 0 && kind < BTFKIT_KIND_COUNT)
		return btf_kinds[kind].name;
	return "UNKNOWN";
}
