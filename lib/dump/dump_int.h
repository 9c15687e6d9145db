/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private to the dump subsystem (lib/dump/) and the kind table.
 *
 * Raw text and JSON are rendered from one description of a type's fields,
 * which each kind's describe function fills in (the kind table in
 * lib/btf/kinds.c points at them). The two renderers never look at BTF
 * themselves, so a field is spelled, ordered and valued in one place.
 */
#ifndef BTFKIT_LIB_DUMP_INT_H
#define BTFKIT_LIB_DUMP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <btfkit/btf.h>
#include <btfkit/dump.h>

enum dump_value {
	DV_UINT,  /* u: unsigned decimal */
	DV_INT,   /* s: signed decimal */
	DV_WORD,  /* str: a word such as "SIGNED"; raw bare, JSON quoted */
	DV_NAME,  /* str: a BTF name; raw 'quoted' without key, JSON "name" */
	DV_ANNOT, /* str + str2: raw only, " (KIND 'name')" after the element */
};

struct dump_field {
	const char *key;
	enum dump_value kind;
	const char *raw_suffix; /* appended in raw text only ("," "ULL" "LL"), or NULL */
	bool json_differs;      /* JSON prints json_u/json_s instead (bpftool quirk) */
	uint64_t u, json_u;
	int64_t s, json_s;
	const char *str, *str2;
};

#define DUMP_MAX_FIELDS 8

struct dump_desc;
/* Describe element i of a type's list (members, params, values, vars). */
typedef void (*dump_elem_fn)(const struct btfkit_btf *btf, const struct btfkit_type *t,
			     unsigned i, struct dump_desc *elem);

struct dump_desc {
	struct dump_field f[DUMP_MAX_FIELDS];
	unsigned n;
	/* The list after the fields: JSON key and element describer; NULL if none. */
	const char *list_key;
	unsigned list_len;
	dump_elem_fn elem;
};

/* Per-kind describers (lib/dump/describe.c), named in the kind table. */
void dump_describe_int(const struct btfkit_btf *, const struct btfkit_type *, struct dump_desc *);
void dump_describe_ref(const struct btfkit_btf *, const struct btfkit_type *, struct dump_desc *);
void dump_describe_array(const struct btfkit_btf *, const struct btfkit_type *, struct dump_desc *);
void dump_describe_composite(const struct btfkit_btf *, const struct btfkit_type *,
			     struct dump_desc *);
void dump_describe_enum(const struct btfkit_btf *, const struct btfkit_type *, struct dump_desc *);
void dump_describe_enum64(const struct btfkit_btf *, const struct btfkit_type *, struct dump_desc *);
void dump_describe_fwd(const struct btfkit_btf *, const struct btfkit_type *, struct dump_desc *);
void dump_describe_func(const struct btfkit_btf *, const struct btfkit_type *, struct dump_desc *);
void dump_describe_func_proto(const struct btfkit_btf *, const struct btfkit_type *,
			      struct dump_desc *);
void dump_describe_var(const struct btfkit_btf *, const struct btfkit_type *, struct dump_desc *);
void dump_describe_datasec(const struct btfkit_btf *, const struct btfkit_type *,
			   struct dump_desc *);
void dump_describe_float(const struct btfkit_btf *, const struct btfkit_type *, struct dump_desc *);
void dump_describe_decl_tag(const struct btfkit_btf *, const struct btfkit_type *,
			    struct dump_desc *);

/* A type's or element's name as bpftool shows it: "(anon)" for 0, "(invalid)" if bad. */
const char *dump_name(const struct btfkit_btf *btf, uint32_t name_off);

/*
 * Buffered output into a sink (lib/dump/out.c). Errors are sticky: after the
 * sink fails, writes are dropped and out_finish() returns the error.
 */
#define OUT_BUF_SIZE (64 * 1024)
struct out {
	const struct btfkit_sink *sink;
	size_t len;
	int err;
	char buf[OUT_BUF_SIZE];
};
void out_init(struct out *o, const struct btfkit_sink *sink);
void out_flush(struct out *o);
int out_finish(struct out *o);
void out_mem_slow(struct out *o, const char *s, size_t n);
void out_u64(struct out *o, uint64_t v);
void out_s64(struct out *o, int64_t v);
void out_json_str(struct out *o, const char *s);

/* The hot paths are inline: most strings written are a few bytes long. */
static inline void out_char(struct out *o, char c)
{
	if (o->len == OUT_BUF_SIZE)
		out_flush(o);
	o->buf[o->len++] = c;
}

static inline void out_mem(struct out *o, const char *s, size_t n)
{
	if (n <= 16 && n <= OUT_BUF_SIZE - o->len) {
		char *d = o->buf + o->len;

		for (size_t i = 0; i < n; i++)
			d[i] = s[i];
		o->len += n;
		return;
	}
	out_mem_slow(o, s, n);
}

static inline void out_str(struct out *o, const char *s)
{
	size_t len = o->len;

	for (; *s; s++) {
		if (len == OUT_BUF_SIZE) {
			o->len = len;
			out_flush(o);
			len = 0;
		}
		o->buf[len++] = *s;
	}
	o->len = len;
}

#endif /* BTFKIT_LIB_DUMP_INT_H */
