// SPDX-License-Identifier: BSD-2-Clause
/*
 * Whether a struct's member fits: one check per kind of the member's type,
 * and a second flavour for structs with kind_flag set, whose member offsets
 * carry a bitfield size in their top 8 bits.
 *
 * The arithmetic is the kernel's, in 32 bits where the kernel's is, wrap
 * included: a model that "fixed" an overflow would disagree with the kernel.
 */
#include <errno.h>

#include "validate_int.h"

#define ROUNDUP_BYTES(bits) (((bits) >> 3) + !!((bits) & 7))

static uint32_t int_data(const struct btfkit_type *t)
{
	return *(const uint32_t *)(t + 1);
}

/*
 * An integer member covers bits [off, off + bits) of its struct: the kernel
 * copies at most 128 bits of it, and they must lie inside the struct.
 */
static int check_int_bits(struct v_env *env, const struct btfkit_type *st,
			  const struct btfkit_member *m, uint32_t off, uint32_t bits)
{
	uint32_t bytes_off = off >> 3, copy_bits = bits + (off & 7);

	if (copy_bits > 128) {
		v_log_member(env, st, m, env->cur_member, "nr_copy_bits exceeds 128");
		return -EINVAL;
	}
	if (st->size < bytes_off || st->size - bytes_off < ROUNDUP_BYTES(copy_bits)) {
		v_log_member(env, st, m, env->cur_member, "Member exceeds struct_size");
		return -EINVAL;
	}
	return 0;
}

int v_int_check_member(struct v_env *env, const struct btfkit_type *st,
		       const struct btfkit_member *m, const struct btfkit_type *mt)
{
	uint32_t data = int_data(mt), int_off = (data >> 16) & 0xff;

	if (UINT32_MAX - m->offset < int_off) {
		v_log_member(env, st, m, env->cur_member, "bits_offset exceeds U32_MAX");
		return -EINVAL;
	}
	return check_int_bits(env, st, m, m->offset + int_off, data & 0xff);
}

int v_int_check_kflag_member(struct v_env *env, const struct btfkit_type *st,
			     const struct btfkit_member *m, const struct btfkit_type *mt)
{
	uint32_t bits = m->offset >> 24, off = m->offset & 0xffffff;
	uint32_t int_bits = int_data(mt) & 0xff;

	/* A bitfield's base type must be a plain integer. */
	if (!v_int_regular(mt)) {
		v_log_member(env, st, m, env->cur_member, "Invalid member base type");
		return -EINVAL;
	}
	if (!bits) {
		if (off & 7) {
			v_log_member(env, st, m, env->cur_member, "Invalid member offset");
			return -EINVAL;
		}
		bits = int_bits;
	} else if (bits > int_bits) {
		v_log_member(env, st, m, env->cur_member, "Invalid member bitfield_size");
		return -EINVAL;
	}
	return check_int_bits(env, st, m, off, bits);
}

/*
 * A member whose type is a modifier is checked as the type the modifier
 * resolves to, and the kernel's log then names that type's id.
 */
static int modifier_member(struct v_env *env, const struct btfkit_type *st,
			   const struct btfkit_member *m, bool kflag)
{
	uint32_t rid = m->type;
	const struct btfkit_type *rt = v_type_id_size(env->btf, &rid, NULL);
	struct btfkit_member resolved;
	const struct v_kind_ops *ops;

	if (!rt) {
		v_log_member(env, st, m, env->cur_member, "Invalid member");
		return -EINVAL;
	}
	resolved = *m;
	resolved.type = rid;
	ops = &v_kind_ops[v_kind(rt)];
	return kflag ? ops->check_kflag_member(env, st, &resolved, rt)
		     : ops->check_member(env, st, &resolved, rt);
}

int v_modifier_check_member(struct v_env *env, const struct btfkit_type *st,
			    const struct btfkit_member *m, const struct btfkit_type *mt)
{
	(void)mt;
	return modifier_member(env, st, m, false);
}

int v_modifier_check_kflag_member(struct v_env *env, const struct btfkit_type *st,
				  const struct btfkit_member *m, const struct btfkit_type *mt)
{
	(void)mt;
	return modifier_member(env, st, m, true);
}

/* Byte-aligned members: pointers, arrays, structs, enums. */
static int check_bytes(struct v_env *env, const struct btfkit_type *st,
		       const struct btfkit_member *m, uint32_t size)
{
	if (m->offset & 7) {
		v_log_member(env, st, m, env->cur_member, "Member is not byte aligned");
		return -EINVAL;
	}
	if (st->size - (m->offset >> 3) < size) {
		v_log_member(env, st, m, env->cur_member, "Member exceeds struct_size");
		return -EINVAL;
	}
	return 0;
}

int v_ptr_check_member(struct v_env *env, const struct btfkit_type *st,
		       const struct btfkit_member *m, const struct btfkit_type *mt)
{
	(void)mt;
	return check_bytes(env, st, m, 8);
}

int v_array_check_member(struct v_env *env, const struct btfkit_type *st,
			 const struct btfkit_member *m, const struct btfkit_type *mt)
{
	uint32_t id = m->type, size = 0;

	(void)mt;
	/* An array's size is the one its resolve recorded. */
	v_type_id_size(env->btf, &id, &size);
	return check_bytes(env, st, m, size);
}

int v_struct_check_member(struct v_env *env, const struct btfkit_type *st,
			  const struct btfkit_member *m, const struct btfkit_type *mt)
{
	return check_bytes(env, st, m, mt->size);
}

int v_enum_check_member(struct v_env *env, const struct btfkit_type *st,
			const struct btfkit_member *m, const struct btfkit_type *mt)
{
	return check_bytes(env, st, m, mt->size);
}

int v_enum_check_kflag_member(struct v_env *env, const struct btfkit_type *st,
			      const struct btfkit_member *m, const struct btfkit_type *mt)
{
	uint32_t off = m->offset & 0xffffff, bits = m->offset >> 24;

	(void)mt;
	if (!bits) {
		if (off & 7) {
			v_log_member(env, st, m, env->cur_member, "Member is not byte aligned");
			return -EINVAL;
		}
		/* sizeof(int) bits, whatever the enum's size (ENUM64 included). */
		bits = 32;
	} else if (bits > 32) {
		v_log_member(env, st, m, env->cur_member, "Invalid member bitfield_size");
		return -EINVAL;
	}
	if (st->size < ROUNDUP_BYTES(off + bits)) {
		v_log_member(env, st, m, env->cur_member, "Member exceeds struct_size");
		return -EINVAL;
	}
	return 0;
}

int v_float_check_member(struct v_env *env, const struct btfkit_type *st,
			 const struct btfkit_member *m, const struct btfkit_type *mt)
{
	/* The least alignment any architecture wants: min(sizeof(void *), size). */
	uint64_t align_bits = (mt->size < 8 ? mt->size : 8) * 8ull;
	uint64_t start = m->offset / 8;

	if (m->offset % align_bits) {
		v_log_member(env, st, m, env->cur_member, "Member is not properly aligned");
		return -EINVAL;
	}
	if (start + mt->size > st->size) {
		v_log_member(env, st, m, env->cur_member, "Member exceeds struct_size");
		return -EINVAL;
	}
	return 0;
}

/* Pointers, arrays, structs and floats: no bitfields of them. */
int v_generic_check_kflag_member(struct v_env *env, const struct btfkit_type *st,
				 const struct btfkit_member *m, const struct btfkit_type *mt)
{
	if (m->offset >> 24) {
		v_log_member(env, st, m, env->cur_member, "Invalid member bitfield_size");
		return -EINVAL;
	}
	return v_kind_ops[v_kind(mt)].check_member(env, st, m, mt);
}

int v_unsupported_check_member(struct v_env *env, const struct btfkit_type *st,
			       const struct btfkit_member *m, const struct btfkit_type *mt)
{
	(void)m;
	(void)mt;
	v_log_type(env, st, false, "Unsupported check_member");
	return -EINVAL;
}

int v_unsupported_check_kflag_member(struct v_env *env, const struct btfkit_type *st,
				     const struct btfkit_member *m, const struct btfkit_type *mt)
{
	(void)m;
	(void)mt;
	v_log_type(env, st, false, "Unsupported check_kflag_member");
	return -EINVAL;
}
