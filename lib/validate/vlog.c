// SPDX-License-Identifier: BSD-2-Clause
/*
 * The verdict of a failed check: the kernel's message, the type and member it
 * is about, and the lines the kernel's verifier log ends with, rendered the
 * way kernel/bpf/btf.c renders them (so that they can be compared with a
 * real kernel's log, line for line).
 *
 * Only the first failure counts: the kernel stops there.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "validate_int.h"

const char *const v_kind_str[V_KIND_MAX + 1] = {
	"UNKNOWN", "INT",	"PTR",	   "ARRAY", "STRUCT",	  "UNION",    "ENUM",
	"FWD",	   "TYPEDEF",	"VOLATILE", "CONST", "RESTRICT", "FUNC",    "FUNC_PROTO",
	"VAR",	   "DATASEC",	"FLOAT",   "DECL_TAG", "TYPE_TAG", "ENUM64",
};

/*
 * Appending to the verdict's log, keeping track of truncation. The kernel
 * formats each piece of a log line into a 1024-byte buffer: a piece longer
 * than 1023 characters (a very long name) is cut there, and so it is here.
 */
static void log_vadd(struct btfkit_verdict *v, const char *fmt, va_list ap)
{
	size_t used = strlen(v->log), room = sizeof(v->log) - used;
	char piece[1024];
	int n;

	vsnprintf(piece, sizeof(piece), fmt, ap);
	n = snprintf(v->log + used, room, "%s", piece);
	if (n < 0 || (size_t)n >= room)
		v->log_truncated = 1;
}

static void log_add(struct btfkit_verdict *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void log_add(struct btfkit_verdict *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vadd(v, fmt, ap);
	va_end(ap);
}

/* Claims the verdict for this failure; false if an earlier one holds it. */
static bool begin(struct v_env *env, uint32_t type_id, int32_t idx, const char *fmt, va_list ap)
{
	struct btfkit_verdict *v = env->out;

	if (env->failed)
		return false;
	env->failed = true;
	v->valid = 0;
	v->type_id = type_id;
	v->member = idx;
	v->log[0] = '\0';
	v->log_truncated = 0;
	vsnprintf(v->message, sizeof(v->message), fmt, ap);
	return true;
}

/* "[ID] KIND name" and, with details, the kind's fields: the kernel's type line. */
static void type_line(struct v_env *env, const struct btfkit_type *t, bool details)
{
	struct btfkit_verdict *v = env->out;
	char buf[4096];

	log_add(v, "[%u] %s %s%s", env->log_type_id, v_kind_str[v_kind(t)],
		v_name(env->btf, t->name_off), details ? " " : "");
	if (details) {
		size_t used = strlen(v->log), room = sizeof(v->log) - used;
		int n = v_kind_ops[v_kind(t)].log_details(env->btf, t, buf, sizeof(buf));

		/* Details longer than the local buffer: the verdict's log is cut too. */
		if (n >= (int)sizeof(buf) || (size_t)n >= room)
			v->log_truncated = 1;
		snprintf(v->log + used, room, "%s", buf);
	}
}

static void message_tail(struct btfkit_verdict *v)
{
	if (v->message[0])
		log_add(v, " %s", v->message);
	log_add(v, "\n");
}

void v_log_type(struct v_env *env, const struct btfkit_type *t, bool details, const char *fmt,
		...)
{
	va_list ap;
	bool first;

	va_start(ap, fmt);
	first = begin(env, env->log_type_id, -1, fmt, ap);
	va_end(ap);
	if (!first)
		return;
	type_line(env, t, details);
	message_tail(env->out);
}

/*
 * A failure about one element (member, variable) of `parent`. After the first
 * pass, the kernel first says which type the element is in.
 */
static bool begin_element(struct v_env *env, const struct btfkit_type *parent, int32_t idx,
			  const char *fmt, va_list ap)
{
	if (!begin(env, env->log_type_id, idx, fmt, ap))
		return false;
	if (env->phase != V_CHECK_META) {
		type_line(env, parent, true);
		log_add(env->out, "\n");
	}
	return true;
}

void v_log_member(struct v_env *env, const struct btfkit_type *st, const struct btfkit_member *m,
		  int32_t idx, const char *fmt, ...)
{
	struct btfkit_verdict *v = env->out;
	va_list ap;
	bool first;

	va_start(ap, fmt);
	first = begin_element(env, st, idx, fmt, ap);
	va_end(ap);
	if (!first)
		return;
	if (v_kflag(st))
		log_add(v, "\t%s type_id=%u bitfield_size=%u bits_offset=%u",
			v_name(env->btf, m->name_off), m->type, m->offset >> 24,
			m->offset & 0xffffff);
	else
		log_add(v, "\t%s type_id=%u bits_offset=%u", v_name(env->btf, m->name_off), m->type,
			m->offset);
	message_tail(v);
}

void v_log_vsi(struct v_env *env, const struct btfkit_type *ds,
	       const struct btfkit_var_secinfo *vsi, int32_t idx, const char *fmt, ...)
{
	struct btfkit_verdict *v = env->out;
	va_list ap;
	bool first;

	va_start(ap, fmt);
	first = begin_element(env, ds, idx, fmt, ap);
	va_end(ap);
	if (!first)
		return;
	log_add(v, "\t type_id=%u offset=%u size=%u", vsi->type, vsi->offset, vsi->size);
	message_tail(v);
}

void v_log_plain(struct v_env *env, uint32_t type_id, int32_t idx, const char *lead,
		 const char *fmt, ...)
{
	struct btfkit_verdict *v = env->out;
	va_list ap;
	bool first;

	va_start(ap, fmt);
	first = begin(env, type_id, idx, fmt, ap);
	va_end(ap);
	if (!first)
		return;
	/* The kernel ends these lines without a newline. */
	if (lead == V_LEAD_ID)
		log_add(v, "[%u] %s", env->log_type_id, v->message);
	else
		log_add(v, "%s%s", lead, v->message);
}

void v_fail_silent(struct v_env *env, uint32_t type_id, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	begin(env, type_id, -1, fmt, ap);
	va_end(ap);
}
