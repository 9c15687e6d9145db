/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private to the validator (lib/validate/): a model of the kernel's BTF
 * verifier. Its data mirrors what the kernel keeps while it checks a blob
 * (the types in id order, and per type the resolved id, resolved size and
 * visit state), because the kernel's verdict depends on that bookkeeping:
 * which type an error is reported against, and which check runs first.
 */
#ifndef BTFKIT_LIB_VALIDATE_INT_H
#define BTFKIT_LIB_VALIDATE_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <btfkit/btf.h>
#include <btfkit/validate.h>

/* The kernel's limits and masks (uapi/linux/btf.h, kernel/bpf/btf.c). */
#define V_MAX_TYPE 0x000fffffu        /* BTF_MAX_TYPE */
#define V_MAX_NAME_OFFSET 0x00ffffffu /* BTF_MAX_NAME_OFFSET */
#define V_MAX_SIZE (16u << 20)        /* BTF_MAX_SIZE: BPF_BTF_LOAD's limit */
#define V_INFO_MASK 0x9f00ffffu       /* kind (5 bits), kind_flag, vlen (16 bits) */
#define V_INT_MASK 0x0fffffffu
#define V_KIND_MAX 19 /* BTF_KIND_ENUM64 */
#define V_RESOLVE_DEPTH 32
#define V_HDR_LEN 24

/* The kernel's errno values that BPF_BTF_LOAD returns besides EINVAL. */
#define V_ENOTSUPP 524 /* the kernel-internal ENOTSUPP */

static inline unsigned v_kind(const struct btfkit_type *t)
{
	return (t->info >> 24) & 0x1f;
}
static inline unsigned v_vlen(const struct btfkit_type *t)
{
	return t->info & 0xffff;
}
static inline bool v_kflag(const struct btfkit_type *t)
{
	return t->info >> 31;
}

/* Rules that changed between kernel generations (rules.c says when). */
struct v_rules {
	uint32_t kernel;             /* the version these are the rules of */
	uint32_t ksym_name_len;      /* identifier length limit */
	bool dots_in_identifiers;    /* '.' allowed in every identifier */
	bool datasec_any_printable;  /* DATASEC names: any printable character */
	bool type_tag_kflag;         /* TYPE_TAG may carry kind_flag (attribute) */
	bool decl_tag_kflag;         /* DECL_TAG may carry kind_flag (attribute) */
	bool decl_tag_nosize;        /* a DECL_TAG has no size (cannot be a member) */
	unsigned kind_max;           /* the newest kind known (19: ENUM64, from 6.0) */
	bool enum_kflag;             /* ENUM kind_flag (signedness) allowed, from 6.0 */
	bool struct_last_member_u32; /* the resolve of a struct keeps the full id of its last member */
};
void v_rules_for(uint32_t kernel, struct v_rules *r);

/* One level of a split chain, as the kernel holds it while verifying. */
struct v_btf {
	const uint8_t *data;
	uint32_t size;
	struct {
		uint16_t magic;
		uint8_t version, flags;
		uint32_t hdr_len, type_off, type_len, str_off, str_len;
	} hdr;
	const uint8_t *nohdr; /* data + hdr.hdr_len */
	const char *strings;
	uint8_t *aligned_types; /* an aligned copy of the type section, when needed */

	const struct btfkit_type **types; /* by local index; [0] is void for base BTF */
	/*
	 * Each type's kind, by local index, next to the types: most checks of a
	 * reference need only the kind, and this array stays in cache where the
	 * type records, spread over megabytes, do not.
	 */
	uint8_t *kinds;
	uint32_t nr_types;
	uint32_t types_size; /* the kernel's array size, which sets its type limit */
	/* Resolved id and size side by side: a reference reads both. */
	struct {
		uint32_t id, size;
	} *resolved;
	uint8_t *visit;

	uint32_t start_id, start_str_off;
	const struct v_btf *base;
	/*
	 * With a scan on the thread ahead only (else NULL): one bit per string
	 * offset it has not reached yet, known to be a valid identifier and a
	 * string's start.
	 */
	uint64_t *valid_names;
	/* A name found valid starts inside another string (not in valid_names). */
	bool names_inside;
	/*
	 * Work done ahead by a second thread for large BTF (ahead.c). The string
	 * section: one bit per string start that is a valid identifier, final in
	 * the words below `scanned` (a byte offset, a multiple of 64 until the end,
	 * published with release order). FUNCs: one bit per local index whose
	 * prototype passed the resolve checks, final below `func_checked`. Type
	 * tags: tags_ok 1 in order, -1 not, 0 not known (read after the join).
	 */
	uint64_t *prescan;
	_Atomic uint32_t scanned;
	uint64_t *func_ok;
	_Atomic uint32_t func_checked;
	int tags_ok;
	void *ahead; /* the running thread, joined before the level is freed */
};

enum v_phase { V_CHECK_META, V_CHECK_TYPE };
enum v_mode { V_RESOLVE_TBD, V_RESOLVE_PTR, V_RESOLVE_STRUCT_OR_ARRAY };
enum v_visit { V_NOT_VISITED, V_VISITED, V_RESOLVED };

struct v_vertex {
	const struct btfkit_type *t;
	uint32_t type_id;
	uint16_t next_member;
};

/* Identifier characters under the rules: bit 0 may start a name, bit 1 may follow. */
#define V_ID_FIRST 1
#define V_ID_REST 2

struct v_env {
	struct v_btf *btf;
	struct v_rules rules;
	uint8_t id_chars[256];
	enum v_phase phase;
	enum v_mode mode;
	struct v_vertex stack[V_RESOLVE_DEPTH];
	uint32_t top;
	uint32_t log_type_id;
	int32_t cur_member; /* the member a check_member op is looking at */
	struct btfkit_verdict *out;
	bool failed; /* out holds the first failure */
};

/*
 * For lib/split: what a checked (standalone) base knows, read-only: each
 * type's kind by id (n types, void included), and the bits of the string
 * starts found valid identifiers, final below *scanned. NULL: not available.
 */
struct btfkit_validated_base;
/* The kernel version whose rules the base was checked with. */
uint32_t v_base_kernel(const struct btfkit_validated_base *vb);
const uint8_t *v_base_kinds(const struct btfkit_validated_base *vb, uint32_t *n);
const uint64_t *v_base_name_bits(const struct btfkit_validated_base *vb, uint32_t *scanned);
/*
 * btfkit_validate_split_mem(), handing over the checked level of a valid
 * blob in *kept (its types by local index, their kinds, its strings; the
 * base link cut), to be freed with v_level_free(). Returns 0 or -ENOMEM.
 */
int v_validate_split_keep(const struct btfkit_validated_base *vb, const void *data, size_t size,
			  struct btfkit_verdict *v, struct v_btf **kept);
void v_level_free(struct v_btf *level);

/* lib/validate/vlog.c: the kernel's log lines for a failure, and the verdict. */
void v_log_type(struct v_env *env, const struct btfkit_type *t, bool details, const char *fmt,
		...) __attribute__((format(printf, 4, 5)));
void v_log_member(struct v_env *env, const struct btfkit_type *st, const struct btfkit_member *m,
		  int32_t idx, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void v_log_vsi(struct v_env *env, const struct btfkit_type *ds,
	       const struct btfkit_var_secinfo *vsi, int32_t idx, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/*
 * A line of the kernel's own making: `lead` (e.g. "[5] " or a tab), then the
 * message. `type_id` goes into the verdict (0: none).
 */
void v_log_plain(struct v_env *env, uint32_t type_id, int32_t idx, const char *lead,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The same, led by "[ID] " (the type the kernel was checking). */
#define V_LEAD_ID ((const char *)1)
/* A failure the kernel does not log (a bare errno): our own words. */
void v_fail_silent(struct v_env *env, uint32_t type_id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *v_name(const struct v_btf *btf, uint32_t off); /* "(anon)" etc., as the log shows names */

/*
 * lib/validate/ahead.c: the work-ahead thread (nothing for small BTF). Start
 * it before the first pass, say when that pass has read every type (or
 * failed), and stop it (join) before the level is freed.
 */
void v_ahead_start(struct v_env *env);
void v_ahead_types_read(struct v_env *env, bool ok);
void v_ahead_stop(struct v_env *env);

/* lib/validate/names.c: the kernel's identifier rules. */
void v_env_init_names(struct v_env *env);
/* Scan the level's whole string section into b->prescan (ahead.c's thread runs it). */
void v_scan_names(const struct v_env *env, struct v_btf *b);
/* The same on this thread, for a level with no thread ahead. */
int v_prescan_names(const struct v_env *env, struct v_btf *b);
bool v_check_new_identifier(struct v_env *env, uint32_t off, bool own);
bool v_valid_section_name(const struct v_env *env, uint32_t off);
bool v_int_regular(const struct btfkit_type *t);

/*
 * Strings and types across the chain, and the kernel's groupings of kinds.
 * These run for every type and reference: inline, kind sets as bit masks.
 */
static inline const char *v_str(const struct v_btf *btf, uint32_t off)
{
	while (off < btf->start_str_off)
		btf = btf->base;
	off -= btf->start_str_off;
	return off < btf->hdr.str_len ? btf->strings + off : NULL;
}

static inline bool v_name_offset_valid(const struct v_btf *btf, uint32_t off)
{
	if (off > V_MAX_NAME_OFFSET)
		return false;
	while (off < btf->start_str_off)
		btf = btf->base;
	return off - btf->start_str_off < btf->hdr.str_len;
}

/*
 * What a level already knows of the string at `local`: 1 valid (and a
 * string's start), 0 invalid, -1 unknown. A checked base's knowledge is
 * final: a module's names that are the base's strings (most of them) are
 * looked up, not checked again.
 */
static inline int v_known_identifier(const struct v_btf *b, uint32_t local)
{
	/* The scan's answer first: past the first pass's start it covers nearly every name. */
	if (b->prescan && local < atomic_load_explicit(&b->scanned, memory_order_acquire)) {
		/* A set bit is a valid string start; a clear one may be mid-string: look. */
		if ((b->prescan[local >> 6] >> (local & 63)) & 1)
			return 1;
		if (!local || !b->strings[local - 1])
			return 0;
	}
	if (b->valid_names && (b->valid_names[local >> 6] >> (local & 63)) & 1)
		return 1;
	return -1;
}

/*
 * Is the name at `off` (checked to lie in a string section: every path to
 * here has) a valid identifier by the kernel's rules? Member and parameter
 * names repeat thousands of times: the answer is nearly always known (inline,
 * at every name of every type), and a new name is checked out of line.
 */
static inline bool v_valid_identifier(struct v_env *env, uint32_t off)
{
	const struct v_btf *b = env->btf, *owner = b;
	bool own = off >= b->start_str_off && off - b->start_str_off < b->hdr.str_len;
	int known = -1;

	if (!own) {
		owner = b->base;
		while (owner && off < owner->start_str_off)
			owner = owner->base;
	}
	if (owner && off - owner->start_str_off < owner->hdr.str_len)
		known = v_known_identifier(owner, off - owner->start_str_off);
	return known >= 0 ? known : v_check_new_identifier(env, off, own);
}

/* Types by id across the chain: NULL past the end; id 0 is void. */
extern const struct btfkit_type v_void;
static inline const struct btfkit_type *v_type(const struct v_btf *btf, uint32_t id)
{
	while (id < btf->start_id)
		btf = btf->base;
	id -= btf->start_id;
	return id < btf->nr_types ? btf->types[id] : NULL;
}

/* The kind of type `id`, or V_NO_TYPE past the end (void is kind 0). */
#define V_NO_TYPE 0xff
static inline unsigned v_kind_of(const struct v_btf *btf, uint32_t id)
{
	while (id < btf->start_id)
		btf = btf->base;
	id -= btf->start_id;
	return id < btf->nr_types ? btf->kinds[id] : V_NO_TYPE;
}

static inline bool v_is_void(const struct btfkit_type *t)
{
	return t == &v_void;
}

#define V_BIT(k) (1u << BTFKIT_KIND_##k)
#define V_MODIFIERS (V_BIT(TYPEDEF) | V_BIT(VOLATILE) | V_BIT(CONST) | V_BIT(RESTRICT) | V_BIT(TYPE_TAG))
#define V_SIZED (V_BIT(INT) | V_BIT(STRUCT) | V_BIT(UNION) | V_BIT(ENUM) | V_BIT(DATASEC) | \
		 V_BIT(FLOAT) | V_BIT(ENUM64))
#define V_NEEDS_RESOLVE (V_MODIFIERS | V_BIT(PTR) | V_BIT(STRUCT) | V_BIT(UNION) | V_BIT(ARRAY) | \
			 V_BIT(VAR) | V_BIT(FUNC) | V_BIT(DECL_TAG) | V_BIT(DATASEC))
#define V_SOURCE_ONLY (V_BIT(VAR) | V_BIT(DECL_TAG) | V_BIT(DATASEC))

static inline bool v_kind_in(const struct btfkit_type *t, uint32_t set)
{
	return (set >> v_kind(t)) & 1;
}
static inline bool v_is_modifier(const struct btfkit_type *t)
{
	return v_kind_in(t, V_MODIFIERS);
}
static inline bool v_is_struct(const struct btfkit_type *t) /* STRUCT or UNION */
{
	return v_kind_in(t, V_BIT(STRUCT) | V_BIT(UNION));
}
static inline bool v_needs_resolve(const struct btfkit_type *t)
{
	return v_kind_in(t, V_NEEDS_RESOLVE);
}
static inline bool v_has_size(const struct btfkit_type *t)
{
	return v_kind_in(t, V_SIZED);
}
/* Kinds that only ever refer to others: nothing may refer to them. */
static inline bool v_source_only(const struct btfkit_type *t)
{
	return v_kind_in(t, V_SOURCE_ONLY);
}
/* void, fwd, functions (and, from 6.5, decl tags) have no size. */
static inline bool v_nosize_or_null(const struct v_env *env, const struct btfkit_type *t)
{
	uint32_t set = V_BIT(FWD) | V_BIT(FUNC) | V_BIT(FUNC_PROTO);

	if (!t || v_is_void(t))
		return true;
	if (env->rules.decl_tag_nosize)
		set |= V_BIT(DECL_TAG);
	return v_kind_in(t, set);
}

/* lib/validate/header.c */
int v_parse_header(struct v_env *env);
int v_parse_strings(struct v_env *env);

/* lib/validate/meta.c: the first pass, every type's own metadata. */
int v_check_all_metas(struct v_env *env);

/* lib/validate/resolve.c: the second pass. */
int v_check_all_types(struct v_env *env);
/*
 * A FUNC refers to a prototype whose parameters all have names: -1 when it
 * does, else the index of the first unnamed one, or V_FUNC_NOT_PROTO.
 */
#define V_FUNC_NOT_PROTO (-2)
int32_t v_func_unnamed_param(const struct v_btf *b, const struct btfkit_type *t);
int v_check_type_tags(struct v_env *env);
bool v_type_tags_ok(const struct v_btf *b); /* the same check, read-only, no log */
const struct btfkit_type *v_type_id_size(const struct v_btf *btf, uint32_t *type_id,
					 uint32_t *size);

/* Per-kind operations of the validator, as the kernel groups them. */
struct v_kind_ops {
	int32_t (*check_meta)(struct v_env *env, const struct btfkit_type *t, uint32_t meta_left);
	int (*resolve)(struct v_env *env, struct v_vertex *v);
	int (*check_member)(struct v_env *env, const struct btfkit_type *st,
			    const struct btfkit_member *m, const struct btfkit_type *mt);
	int (*check_kflag_member)(struct v_env *env, const struct btfkit_type *st,
				  const struct btfkit_member *m, const struct btfkit_type *mt);
	/* The details the log shows after a type's name ("size=4 vlen=2"). */
	int (*log_details)(const struct v_btf *btf, const struct btfkit_type *t, char *buf,
			   size_t len);
};
extern const struct v_kind_ops v_kind_ops[V_KIND_MAX + 1];

/* Kind names as the kernel's log spells them. */
extern const char *const v_kind_str[V_KIND_MAX + 1];

/* Defined by meta.c / resolve.c for the ops table (lib/validate/kinds.c). */
int32_t v_int_check_meta(struct v_env *, const struct btfkit_type *, uint32_t);
int32_t v_ref_check_meta(struct v_env *, const struct btfkit_type *, uint32_t);
int32_t v_fwd_check_meta(struct v_env *, const struct btfkit_type *, uint32_t);
int32_t v_array_check_meta(struct v_env *, const struct btfkit_type *, uint32_t);
int32_t v_struct_check_meta(struct v_env *, const struct btfkit_type *, uint32_t);
int32_t v_enum_check_meta(struct v_env *, const struct btfkit_type *, uint32_t);
int32_t v_enum64_check_meta(struct v_env *, const struct btfkit_type *, uint32_t);
int32_t v_func_proto_check_meta(struct v_env *, const struct btfkit_type *, uint32_t);
int32_t v_func_check_meta(struct v_env *, const struct btfkit_type *, uint32_t);
int32_t v_var_check_meta(struct v_env *, const struct btfkit_type *, uint32_t);
int32_t v_datasec_check_meta(struct v_env *, const struct btfkit_type *, uint32_t);
int32_t v_float_check_meta(struct v_env *, const struct btfkit_type *, uint32_t);
int32_t v_decl_tag_check_meta(struct v_env *, const struct btfkit_type *, uint32_t);

int v_modifier_resolve(struct v_env *, struct v_vertex *);
int v_ptr_resolve(struct v_env *, struct v_vertex *);
int v_var_resolve(struct v_env *, struct v_vertex *);
int v_array_resolve(struct v_env *, struct v_vertex *);
int v_struct_resolve(struct v_env *, struct v_vertex *);
int v_datasec_resolve(struct v_env *, struct v_vertex *);
int v_func_resolve(struct v_env *, struct v_vertex *);
int v_decl_tag_resolve(struct v_env *, struct v_vertex *);
int v_unsupported_resolve(struct v_env *, struct v_vertex *);

typedef int v_member_check(struct v_env *, const struct btfkit_type *,
			   const struct btfkit_member *, const struct btfkit_type *);
v_member_check v_int_check_member, v_int_check_kflag_member, v_modifier_check_member,
	v_modifier_check_kflag_member, v_ptr_check_member, v_array_check_member,
	v_struct_check_member, v_enum_check_member, v_enum_check_kflag_member,
	v_float_check_member, v_generic_check_kflag_member, v_unsupported_check_member,
	v_unsupported_check_kflag_member;

#endif /* BTFKIT_LIB_VALIDATE_INT_H */
