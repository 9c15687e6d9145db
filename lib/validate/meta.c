// SPDX-License-Identifier: BSD-2-Clause
/*
 * The first pass: each type's own record and trailing data, in id order,
 * before any reference is followed. Each check returns the bytes of trailing
 * data the type has, or a negative errno after logging why.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "validate_int.h"

#define ROUNDUP_BYTES(bits) (((bits) >> 3) + !!((bits) & 7))

static bool type_id_valid(uint32_t id)
{
	return id <= V_MAX_TYPE;
}

/* The checks most kinds make: no vlen, no kind_flag (logged when they fail). */
static bool no_vlen(struct v_env *env, const struct btfkit_type *t)
{
	if (!v_vlen(t))
		return true;
	v_log_type(env, t, true, "vlen != 0");
	return false;
}

static bool no_kflag(struct v_env *env, const struct btfkit_type *t)
{
	if (!v_kflag(t))
		return true;
	v_log_type(env, t, true, "Invalid btf_info kind_flag");
	return false;
}

static int32_t meta_short(struct v_env *env, const struct btfkit_type *t, uint32_t left,
			  uint32_t needed)
{
	v_log_type(env, t, false, "meta_left:%u meta_needed:%u", left, needed);
	return -EINVAL;
}

int32_t v_int_check_meta(struct v_env *env, const struct btfkit_type *t, uint32_t left)
{
	uint32_t data, bits, enc;

	if (left < 4)
		return meta_short(env, t, left, 4);
	if (!no_vlen(env, t))
		return -EINVAL;
	if (!no_kflag(env, t))
		return -EINVAL;
	data = *(const uint32_t *)(t + 1);
	if (data & ~V_INT_MASK) {
		v_log_type(env, t, false, "Invalid int_data:%x", data);
		return -EINVAL;
	}
	bits = (data & 0xff) + ((data >> 16) & 0xff);
	if (bits > 128) {
		v_log_type(env, t, true, "nr_bits exceeds %u", 128u);
		return -EINVAL;
	}
	if (ROUNDUP_BYTES(bits) > t->size) {
		v_log_type(env, t, true, "nr_bits exceeds type_size");
		return -EINVAL;
	}
	enc = (data >> 24) & 0x0f;
	if (enc && enc != BTFKIT_INT_SIGNED && enc != BTFKIT_INT_CHAR && enc != BTFKIT_INT_BOOL) {
		v_log_type(env, t, true, "Unsupported encoding");
		return -V_ENOTSUPP;
	}
	return 4;
}

/* PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG. */
int32_t v_ref_check_meta(struct v_env *env, const struct btfkit_type *t, uint32_t left)
{
	unsigned kind = v_kind(t);

	(void)left;
	if (!no_vlen(env, t))
		return -EINVAL;
	if (v_kflag(t) && !(kind == BTFKIT_KIND_TYPE_TAG && env->rules.type_tag_kflag)) {
		v_log_type(env, t, true, "Invalid btf_info kind_flag");
		return -EINVAL;
	}
	if (!type_id_valid(t->type)) {
		v_log_type(env, t, true, "Invalid type_id");
		return -EINVAL;
	}
	if (kind == BTFKIT_KIND_TYPEDEF) {
		if (!t->name_off || !v_valid_identifier(env, t->name_off)) {
			v_log_type(env, t, true, "Invalid name");
			return -EINVAL;
		}
	} else if (kind == BTFKIT_KIND_TYPE_TAG) {
		const char *value = v_str(env->btf, t->name_off);

		if (!value || !value[0]) {
			v_log_type(env, t, true, "Invalid name");
			return -EINVAL;
		}
	} else if (t->name_off) {
		v_log_type(env, t, true, "Invalid name");
		return -EINVAL;
	}
	return 0;
}

int32_t v_fwd_check_meta(struct v_env *env, const struct btfkit_type *t, uint32_t left)
{
	(void)left;
	if (!no_vlen(env, t))
		return -EINVAL;
	if (t->type) {
		v_log_type(env, t, true, "type != 0");
		return -EINVAL;
	}
	if (!t->name_off || !v_valid_identifier(env, t->name_off)) {
		v_log_type(env, t, true, "Invalid name");
		return -EINVAL;
	}
	return 0;
}

int32_t v_array_check_meta(struct v_env *env, const struct btfkit_type *t, uint32_t left)
{
	const struct btfkit_array *a = btfkit_type_array(t);

	if (left < sizeof(*a))
		return meta_short(env, t, left, sizeof(*a));
	if (t->name_off) {
		v_log_type(env, t, true, "Invalid name");
		return -EINVAL;
	}
	if (!no_vlen(env, t))
		return -EINVAL;
	if (!no_kflag(env, t))
		return -EINVAL;
	if (t->size) {
		v_log_type(env, t, true, "size != 0");
		return -EINVAL;
	}
	/* Neither the element nor the index can be void. */
	if (!a->type || !type_id_valid(a->type)) {
		v_log_type(env, t, true, "Invalid elem");
		return -EINVAL;
	}
	if (!a->index_type || !type_id_valid(a->index_type)) {
		v_log_type(env, t, true, "Invalid index");
		return -EINVAL;
	}
	return sizeof(*a);
}

int32_t v_struct_check_meta(struct v_env *env, const struct btfkit_type *t, uint32_t left)
{
	bool is_union = v_kind(t) == BTFKIT_KIND_UNION;
	const struct btfkit_member *m = btfkit_type_members(t);
	uint32_t needed = v_vlen(t) * (uint32_t)sizeof(*m), last = 0;

	if (left < needed)
		return meta_short(env, t, left, needed);
	if (t->name_off && !v_valid_identifier(env, t->name_off)) {
		v_log_type(env, t, true, "Invalid name");
		return -EINVAL;
	}
	for (uint32_t i = 0; i < v_vlen(t); i++, m++) {
		uint32_t offset;

		if (!v_name_offset_valid(env->btf, m->name_off)) {
			v_log_member(env, t, m, i, "Invalid member name_offset:%u", m->name_off);
			return -EINVAL;
		}
		if (m->name_off && !v_valid_identifier(env, m->name_off)) {
			v_log_member(env, t, m, i, "Invalid name");
			return -EINVAL;
		}
		if (!m->type || !type_id_valid(m->type)) {
			v_log_member(env, t, m, i, "Invalid type_id");
			return -EINVAL;
		}
		offset = v_kflag(t) ? m->offset & 0xffffff : m->offset;
		/* ">" and not ">=": the last member may be a zero-length array. */
		if ((is_union && offset) || last > offset) {
			v_log_member(env, t, m, i, "Invalid member bits_offset");
			return -EINVAL;
		}
		if (ROUNDUP_BYTES(offset) > t->size) {
			v_log_member(env, t, m, i, "Member bits_offset exceeds its struct size");
			return -EINVAL;
		}
		last = offset;
	}
	return (int32_t)needed;
}

/* ENUM and ENUM64 differ only in the size of an enumerator. */
static int32_t enum_check_meta(struct v_env *env, const struct btfkit_type *t, uint32_t left,
			       uint32_t elem)
{
	const uint8_t *e = (const uint8_t *)(t + 1);
	uint32_t needed = v_vlen(t) * elem;
	char lead[2] = "\t";

	if (left < needed)
		return meta_short(env, t, left, needed);
	/* Before 6.0 an ENUM's kind_flag meant nothing, and was refused. */
	if (!env->rules.enum_kflag && !no_kflag(env, t))
		return -EINVAL;
	if (t->size > 8 || !t->size || (t->size & (t->size - 1))) {
		v_log_type(env, t, true, "Unexpected size");
		return -EINVAL;
	}
	if (t->name_off && !v_valid_identifier(env, t->name_off)) {
		v_log_type(env, t, true, "Invalid name");
		return -EINVAL;
	}
	for (uint32_t i = 0; i < v_vlen(t); i++, e += elem) {
		uint32_t name_off = *(const uint32_t *)e;

		if (!v_name_offset_valid(env->btf, name_off)) {
			v_log_plain(env, env->log_type_id, i, lead, "Invalid name_offset:%u",
				    name_off);
			return -EINVAL;
		}
		if (!name_off || !v_valid_identifier(env, name_off)) {
			v_log_type(env, t, true, "Invalid name");
			env->out->member = i;
			return -EINVAL;
		}
	}
	return (int32_t)needed;
}

int32_t v_enum_check_meta(struct v_env *env, const struct btfkit_type *t, uint32_t left)
{
	return enum_check_meta(env, t, left, sizeof(struct btfkit_enum));
}

int32_t v_enum64_check_meta(struct v_env *env, const struct btfkit_type *t, uint32_t left)
{
	return enum_check_meta(env, t, left, sizeof(struct btfkit_enum64));
}

int32_t v_func_proto_check_meta(struct v_env *env, const struct btfkit_type *t, uint32_t left)
{
	uint32_t needed = v_vlen(t) * (uint32_t)sizeof(struct btfkit_param);

	if (left < needed)
		return meta_short(env, t, left, needed);
	if (t->name_off) {
		v_log_type(env, t, true, "Invalid name");
		return -EINVAL;
	}
	if (!no_kflag(env, t))
		return -EINVAL;
	return (int32_t)needed;
}

int32_t v_func_check_meta(struct v_env *env, const struct btfkit_type *t, uint32_t left)
{
	(void)left;
	if (!t->name_off || !v_valid_identifier(env, t->name_off)) {
		v_log_type(env, t, true, "Invalid name");
		return -EINVAL;
	}
	if (v_vlen(t) > BTFKIT_LINKAGE_GLOBAL) {
		v_log_type(env, t, true, "Invalid func linkage");
		return -EINVAL;
	}
	if (!no_kflag(env, t))
		return -EINVAL;
	return 0;
}

int32_t v_var_check_meta(struct v_env *env, const struct btfkit_type *t, uint32_t left)
{
	uint32_t linkage;

	if (left < sizeof(struct btfkit_var))
		return meta_short(env, t, left, sizeof(struct btfkit_var));
	if (!no_vlen(env, t))
		return -EINVAL;
	if (!no_kflag(env, t))
		return -EINVAL;
	if (!t->name_off || !v_valid_identifier(env, t->name_off)) {
		v_log_type(env, t, true, "Invalid name");
		return -EINVAL;
	}
	if (!t->type || !type_id_valid(t->type)) {
		v_log_type(env, t, true, "Invalid type_id");
		return -EINVAL;
	}
	linkage = btfkit_var_linkage(t);
	if (linkage != 0 && linkage != 1) {
		v_log_type(env, t, true, "Linkage not supported");
		return -EINVAL;
	}
	return sizeof(struct btfkit_var);
}

int32_t v_datasec_check_meta(struct v_env *env, const struct btfkit_type *t, uint32_t left)
{
	const struct btfkit_var_secinfo *vsi = btfkit_type_secinfos(t);
	uint32_t needed = v_vlen(t) * (uint32_t)sizeof(*vsi);
	uint64_t last_end = 0, sum = 0;

	if (left < needed)
		return meta_short(env, t, left, needed);
	if (!t->size) {
		v_log_type(env, t, true, "size == 0");
		return -EINVAL;
	}
	if (!no_kflag(env, t))
		return -EINVAL;
	if (!t->name_off || !v_valid_section_name(env, t->name_off)) {
		v_log_type(env, t, true, "Invalid name");
		return -EINVAL;
	}
	for (uint32_t i = 0; i < v_vlen(t); i++, vsi++) {
		if (!vsi->type || !type_id_valid(vsi->type)) {
			v_log_vsi(env, t, vsi, i, "Invalid type_id");
			return -EINVAL;
		}
		if (vsi->offset < last_end || vsi->offset >= t->size) {
			v_log_vsi(env, t, vsi, i, "Invalid offset");
			return -EINVAL;
		}
		if (!vsi->size || vsi->size > t->size) {
			v_log_vsi(env, t, vsi, i, "Invalid size");
			return -EINVAL;
		}
		last_end = (uint64_t)vsi->offset + vsi->size;
		if (last_end > t->size) {
			v_log_vsi(env, t, vsi, i, "Invalid offset+size");
			return -EINVAL;
		}
		sum += vsi->size;
	}
	if (t->size < sum) {
		v_log_type(env, t, true, "Invalid btf_info size");
		return -EINVAL;
	}
	return (int32_t)needed;
}

int32_t v_float_check_meta(struct v_env *env, const struct btfkit_type *t, uint32_t left)
{
	(void)left;
	if (!no_vlen(env, t))
		return -EINVAL;
	if (!no_kflag(env, t))
		return -EINVAL;
	if (t->size != 2 && t->size != 4 && t->size != 8 && t->size != 12 && t->size != 16) {
		v_log_type(env, t, true, "Invalid type_size");
		return -EINVAL;
	}
	return 0;
}

int32_t v_decl_tag_check_meta(struct v_env *env, const struct btfkit_type *t, uint32_t left)
{
	const char *value;

	if (left < sizeof(struct btfkit_decl_tag))
		return meta_short(env, t, left, sizeof(struct btfkit_decl_tag));
	value = v_str(env->btf, t->name_off);
	if (!value || !value[0]) {
		v_log_type(env, t, true, "Invalid value");
		return -EINVAL;
	}
	if (!no_vlen(env, t))
		return -EINVAL;
	if (v_kflag(t) && !env->rules.decl_tag_kflag) {
		v_log_type(env, t, true, "Invalid btf_info kind_flag");
		return -EINVAL;
	}
	if (((const struct btfkit_decl_tag *)(t + 1))->component_idx < -1) {
		v_log_type(env, t, true, "Invalid component_idx");
		return -EINVAL;
	}
	return sizeof(struct btfkit_decl_tag);
}

/*
 * The kernel keeps every checked type in an array that grows by a quarter;
 * the array's size is what limits the number of types, so it is followed
 * here exactly. (The memory is allocated once, for the most types the
 * section can hold.)
 */
static void add_type(struct v_env *env, const struct btfkit_type *t)
{
	struct v_btf *b = env->btf;

	if (b->nr_types == b->types_size) {
		uint32_t grow = b->types_size >> 2 > 16 ? b->types_size >> 2 : 16;

		/* The kernel logs "Exceeded max num of types" and goes on without it. */
		if (b->start_id + b->types_size == V_MAX_TYPE)
			return;
		b->types_size = b->types_size + grow > V_MAX_TYPE ? V_MAX_TYPE : b->types_size + grow;
		if (b->nr_types == 0 && !b->base) {
			b->kinds[0] = 0;
			b->types[b->nr_types++] = &v_void;
		}
	}
	b->kinds[b->nr_types] = (uint8_t)v_kind(t);
	b->types[b->nr_types++] = t;
}

static int32_t check_meta(struct v_env *env, const struct btfkit_type *t, uint32_t left)
{
	unsigned kind;
	int32_t n;

	if (left < sizeof(*t)) {
		v_log_plain(env, env->log_type_id, -1, V_LEAD_ID, "meta_left:%u meta_needed:%zu", left,
			    sizeof(*t));
		return -EINVAL;
	}
	left -= sizeof(*t);
	if (t->info & ~V_INFO_MASK) {
		v_log_plain(env, env->log_type_id, -1, V_LEAD_ID, "Invalid btf_info:%x", t->info);
		return -EINVAL;
	}
	kind = v_kind(t);
	if (kind > env->rules.kind_max || kind == 0) {
		v_log_plain(env, env->log_type_id, -1, V_LEAD_ID, "Invalid kind:%u", kind);
		return -EINVAL;
	}
	if (!v_name_offset_valid(env->btf, t->name_off)) {
		v_log_plain(env, env->log_type_id, -1, V_LEAD_ID, "Invalid name_offset:%u", t->name_off);
		return -EINVAL;
	}
	n = v_kind_ops[kind].check_meta(env, t, left);
	return n < 0 ? n : (int32_t)sizeof(*t) + n;
}

int v_check_all_metas(struct v_env *env)
{
	struct v_btf *b = env->btf;
	const uint8_t *cur = b->nohdr + b->hdr.type_off, *end = cur + b->hdr.type_len;

	if (b->aligned_types) {
		cur = b->aligned_types;
		end = cur + b->hdr.type_len;
	}
	/* At most one type per 12 bytes, plus void. */
	b->types = malloc(((size_t)b->hdr.type_len / sizeof(struct btfkit_type) + 1) *
			  sizeof(*b->types));
	b->kinds = malloc((size_t)b->hdr.type_len / sizeof(struct btfkit_type) + 1);
	if (!b->types || !b->kinds)
		return -ENOMEM;
	env->log_type_id = b->base ? b->start_id : 1;
	while (cur < end) {
		const struct btfkit_type *t = (const struct btfkit_type *)cur;
		int32_t n = check_meta(env, t, (uint32_t)(end - cur));

		if (n < 0)
			return n;
		add_type(env, t);
		cur += n;
		env->log_type_id++;
	}
	return 0;
}
