// SPDX-License-Identifier: BSD-2-Clause
/*
 * The validator's kind table: per kind, the first-pass check, the resolve
 * step, the two member checks, and the details the kernel's log prints after
 * a type's name. Kinds share operations where the kernel's do (the modifiers,
 * STRUCT and UNION, ENUM and ENUM64).
 */
#include <stdio.h>

#include "validate_int.h"

static int details_int(const struct v_btf *b, const struct btfkit_type *t, char *buf, size_t len)
{
	static const char *const enc[] = { "(none)", "SIGNED", "CHAR", "UNKN", "BOOL" };
	uint32_t data = *(const uint32_t *)(t + 1), e = (data >> 24) & 0x0f;

	(void)b;
	return snprintf(buf, len, "size=%u bits_offset=%u nr_bits=%u encoding=%s", t->size,
			(data >> 16) & 0xff, data & 0xff, e <= 4 ? enc[e] : "UNKN");
}

static int details_ref(const struct v_btf *b, const struct btfkit_type *t, char *buf, size_t len)
{
	(void)b;
	return snprintf(buf, len, "type_id=%u", t->type);
}

static int details_sized(const struct v_btf *b, const struct btfkit_type *t, char *buf,
			 size_t len)
{
	(void)b;
	return snprintf(buf, len, "size=%u vlen=%u", t->size, v_vlen(t));
}

static int details_array(const struct v_btf *b, const struct btfkit_type *t, char *buf,
			 size_t len)
{
	const struct btfkit_array *a = btfkit_type_array(t);

	(void)b;
	return snprintf(buf, len, "type_id=%u index_type_id=%u nr_elems=%u", a->type,
			a->index_type, a->nelems);
}

static int details_fwd(const struct v_btf *b, const struct btfkit_type *t, char *buf, size_t len)
{
	(void)b;
	return snprintf(buf, len, "%s", v_kflag(t) ? "union" : "struct");
}

/* "return=3 args=(2 a, 5 b, vararg)" */
static int details_func_proto(const struct v_btf *b, const struct btfkit_type *t, char *buf,
			      size_t len)
{
	const struct btfkit_param *args = btfkit_type_params(t);
	uint32_t nr = v_vlen(t);
	size_t used;
	int n = snprintf(buf, len, "return=%u args=(", t->type);

#define ADD(...)                                                                    \
	do {                                                                        \
		used = (size_t)n < len ? (size_t)n : len;                           \
		n += snprintf(buf + used, len - used, __VA_ARGS__);                 \
	} while (0)
	if (!nr) {
		ADD("void");
	} else if (nr == 1 && !args[0].type) {
		ADD("vararg");
	} else {
		ADD("%u %s", args[0].type, v_name(b, args[0].name_off));
		for (uint32_t i = 1; i + 1 < nr; i++)
			ADD(", %u %s", args[i].type, v_name(b, args[i].name_off));
		if (nr > 1) {
			if (args[nr - 1].type)
				ADD(", %u %s", args[nr - 1].type, v_name(b, args[nr - 1].name_off));
			else
				ADD(", vararg");
		}
	}
	ADD(")");
#undef ADD
	return n;
}

static int details_var(const struct v_btf *b, const struct btfkit_type *t, char *buf, size_t len)
{
	(void)b;
	return snprintf(buf, len, "type_id=%u linkage=%u", t->type, btfkit_var_linkage(t));
}

static int details_float(const struct v_btf *b, const struct btfkit_type *t, char *buf,
			 size_t len)
{
	(void)b;
	return snprintf(buf, len, "size=%u", t->size);
}

static int details_decl_tag(const struct v_btf *b, const struct btfkit_type *t, char *buf,
			    size_t len)
{
	(void)b;
	return snprintf(buf, len, "type=%u component_idx=%d", t->type,
			((const struct btfkit_decl_tag *)(t + 1))->component_idx);
}

#define MODIFIER                                                                            \
	{ v_ref_check_meta, v_modifier_resolve, v_modifier_check_member,                     \
	  v_modifier_check_kflag_member, details_ref }
#define STRUCTLIKE                                                                          \
	{ v_struct_check_meta, v_struct_resolve, v_struct_check_member,                      \
	  v_generic_check_kflag_member, details_sized }

const struct v_kind_ops v_kind_ops[V_KIND_MAX + 1] = {
	[BTFKIT_KIND_INT] = { v_int_check_meta, v_unsupported_resolve, v_int_check_member,
			      v_int_check_kflag_member, details_int },
	[BTFKIT_KIND_PTR] = { v_ref_check_meta, v_ptr_resolve, v_ptr_check_member,
			      v_generic_check_kflag_member, details_ref },
	[BTFKIT_KIND_ARRAY] = { v_array_check_meta, v_array_resolve, v_array_check_member,
				v_generic_check_kflag_member, details_array },
	[BTFKIT_KIND_STRUCT] = STRUCTLIKE,
	[BTFKIT_KIND_UNION] = STRUCTLIKE,
	[BTFKIT_KIND_ENUM] = { v_enum_check_meta, v_unsupported_resolve, v_enum_check_member,
			       v_enum_check_kflag_member, details_sized },
	[BTFKIT_KIND_FWD] = { v_fwd_check_meta, v_unsupported_resolve, v_unsupported_check_member,
			      v_unsupported_check_kflag_member, details_fwd },
	[BTFKIT_KIND_TYPEDEF] = MODIFIER,
	[BTFKIT_KIND_VOLATILE] = MODIFIER,
	[BTFKIT_KIND_CONST] = MODIFIER,
	[BTFKIT_KIND_RESTRICT] = MODIFIER,
	[BTFKIT_KIND_FUNC] = { v_func_check_meta, v_func_resolve, v_unsupported_check_member,
			       v_unsupported_check_kflag_member, details_ref },
	/* A prototype is never a member: only a pointer to one is. */
	[BTFKIT_KIND_FUNC_PROTO] = { v_func_proto_check_meta, v_unsupported_resolve,
				     v_unsupported_check_member, v_unsupported_check_kflag_member,
				     details_func_proto },
	[BTFKIT_KIND_VAR] = { v_var_check_meta, v_var_resolve, v_unsupported_check_member,
			      v_unsupported_check_kflag_member, details_var },
	[BTFKIT_KIND_DATASEC] = { v_datasec_check_meta, v_datasec_resolve,
				  v_unsupported_check_member, v_unsupported_check_kflag_member,
				  details_sized },
	[BTFKIT_KIND_FLOAT] = { v_float_check_meta, v_unsupported_resolve, v_float_check_member,
				v_generic_check_kflag_member, details_float },
	[BTFKIT_KIND_DECL_TAG] = { v_decl_tag_check_meta, v_decl_tag_resolve,
				   v_unsupported_check_member, v_unsupported_check_kflag_member,
				   details_decl_tag },
	[BTFKIT_KIND_TYPE_TAG] = MODIFIER,
	[BTFKIT_KIND_ENUM64] = { v_enum64_check_meta, v_unsupported_resolve, v_enum_check_member,
				 v_enum_check_kflag_member, details_sized },
};
