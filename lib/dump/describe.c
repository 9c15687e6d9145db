// SPDX-License-Identifier: BSD-2-Clause
/*
 * What bpftool shows for each kind: the fields, their order and their values.
 * The renderers in lib/dump/dump.c turn a description into raw text or JSON.
 */
#include "dump_int.h"
#include "../btf/btf_int.h"

const char *dump_name(const struct btfkit_btf *btf, uint32_t name_off)
{
	const char *s;

	if (!name_off)
		return "(anon)";
	s = btf_str(btf, name_off);
	return s ? s : "(invalid)";
}

static struct dump_field *add(struct dump_desc *d, const char *key, enum dump_value kind)
{
	struct dump_field *f = &d->f[d->n++];

	/* Only what every renderer reads unconditionally; the value is set by the caller. */
	f->key = key;
	f->kind = kind;
	f->raw_suffix = NULL;
	f->json_differs = false;
	return f;
}

static void add_uint(struct dump_desc *d, const char *key, uint64_t v)
{
	add(d, key, DV_UINT)->u = v;
}

static void add_int(struct dump_desc *d, const char *key, int64_t v)
{
	add(d, key, DV_INT)->s = v;
}

static void add_word(struct dump_desc *d, const char *key, const char *w)
{
	add(d, key, DV_WORD)->str = w;
}

static void add_name(struct dump_desc *d, const struct btfkit_btf *btf, uint32_t name_off)
{
	add(d, "name", DV_NAME)->str = dump_name(btf, name_off);
}

static const char *linkage_str(uint32_t linkage)
{
	switch (linkage) {
	case BTFKIT_LINKAGE_STATIC:
		return "static";
	case BTFKIT_LINKAGE_GLOBAL:
		return "global";
	case BTFKIT_LINKAGE_EXTERN:
		return "extern";
	default:
		return "(unknown)";
	}
}

void dump_describe_int(const struct btfkit_btf *btf, const struct btfkit_type *t,
		       struct dump_desc *d)
{
	const char *enc;

	(void)btf;
	switch (btfkit_int_encoding(t)) {
	case 0:
		enc = "(none)";
		break;
	case BTFKIT_INT_SIGNED:
		enc = "SIGNED";
		break;
	case BTFKIT_INT_CHAR:
		enc = "CHAR";
		break;
	case BTFKIT_INT_BOOL:
		enc = "BOOL";
		break;
	default:
		enc = "UNKN";
		break;
	}
	add_uint(d, "size", t->size);
	add_uint(d, "bits_offset", btfkit_int_offset(t));
	add_uint(d, "nr_bits", btfkit_int_bits(t));
	add_word(d, "encoding", enc);
}

/* PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG. */
void dump_describe_ref(const struct btfkit_btf *btf, const struct btfkit_type *t,
		       struct dump_desc *d)
{
	(void)btf;
	add_uint(d, "type_id", t->type);
}

void dump_describe_array(const struct btfkit_btf *btf, const struct btfkit_type *t,
			 struct dump_desc *d)
{
	const struct btfkit_array *a = btfkit_type_array(t);

	(void)btf;
	add_uint(d, "type_id", a->type);
	add_uint(d, "index_type_id", a->index_type);
	add_uint(d, "nr_elems", a->nelems);
}

static void member_elem(const struct btfkit_btf *btf, const struct btfkit_type *t, unsigned i,
			struct dump_desc *e)
{
	const struct btfkit_member *m = &btfkit_type_members(t)[i];
	uint32_t bitfield = btfkit_member_bitfield_size(t, i);

	add_name(e, btf, m->name_off);
	add_uint(e, "type_id", m->type);
	add_uint(e, "bits_offset", btfkit_member_bit_offset(t, i));
	if (bitfield)
		add_uint(e, "bitfield_size", bitfield);
}

void dump_describe_composite(const struct btfkit_btf *btf, const struct btfkit_type *t,
			     struct dump_desc *d)
{
	(void)btf;
	add_uint(d, "size", t->size);
	add_uint(d, "vlen", btfkit_type_vlen(t));
	d->list_key = "members";
	d->list_len = btfkit_type_vlen(t);
	d->elem = member_elem;
}

static void enum_elem(const struct btfkit_btf *btf, const struct btfkit_type *t, unsigned i,
		      struct dump_desc *e)
{
	const struct btfkit_enum *v = &btfkit_type_enums(t)[i];
	struct dump_field *f;

	add_name(e, btf, v->name_off);
	if (btfkit_type_kflag(t)) {
		add_int(e, "val", v->val);
		return;
	}
	/*
	 * An unsigned enum value prints as u32 in bpftool's text, but its JSON
	 * writer receives the signed 32-bit field and sign-extends it to 64 bits
	 * (0xffffffff becomes 18446744073709551615). Kept for byte parity.
	 */
	f = add(e, "val", DV_UINT);
	f->u = (uint32_t)v->val;
	f->json_differs = true;
	f->json_u = (uint64_t)(int64_t)v->val;
}

static void enum64_elem(const struct btfkit_btf *btf, const struct btfkit_type *t, unsigned i,
			struct dump_desc *e)
{
	const struct btfkit_enum64 *v = &btfkit_type_enums64(t)[i];
	uint64_t val = btfkit_enum64_value(v);
	struct dump_field *f;

	add_name(e, btf, v->name_off);
	if (btfkit_type_kflag(t)) {
		f = add(e, "val", DV_INT);
		f->s = (int64_t)val;
		f->raw_suffix = "LL";
	} else {
		f = add(e, "val", DV_UINT);
		f->u = val;
		f->raw_suffix = "ULL";
	}
}

static void describe_enum_head(const struct btfkit_type *t, struct dump_desc *d)
{
	add_word(d, "encoding", btfkit_type_kflag(t) ? "SIGNED" : "UNSIGNED");
	add_uint(d, "size", t->size);
	add_uint(d, "vlen", btfkit_type_vlen(t));
	d->list_key = "values";
	d->list_len = btfkit_type_vlen(t);
}

void dump_describe_enum(const struct btfkit_btf *btf, const struct btfkit_type *t,
			struct dump_desc *d)
{
	(void)btf;
	describe_enum_head(t, d);
	d->elem = enum_elem;
}

void dump_describe_enum64(const struct btfkit_btf *btf, const struct btfkit_type *t,
			  struct dump_desc *d)
{
	(void)btf;
	describe_enum_head(t, d);
	d->elem = enum64_elem;
}

void dump_describe_fwd(const struct btfkit_btf *btf, const struct btfkit_type *t,
		       struct dump_desc *d)
{
	(void)btf;
	add_word(d, "fwd_kind", btfkit_type_kflag(t) ? "union" : "struct");
}

void dump_describe_func(const struct btfkit_btf *btf, const struct btfkit_type *t,
			struct dump_desc *d)
{
	(void)btf;
	add_uint(d, "type_id", t->type);
	add_word(d, "linkage", linkage_str(btfkit_type_vlen(t)));
}

static void param_elem(const struct btfkit_btf *btf, const struct btfkit_type *t, unsigned i,
		       struct dump_desc *e)
{
	const struct btfkit_param *p = &btfkit_type_params(t)[i];

	add_name(e, btf, p->name_off);
	add_uint(e, "type_id", p->type);
}

void dump_describe_func_proto(const struct btfkit_btf *btf, const struct btfkit_type *t,
			      struct dump_desc *d)
{
	(void)btf;
	add_uint(d, "ret_type_id", t->type);
	add_uint(d, "vlen", btfkit_type_vlen(t));
	d->list_key = "params";
	d->list_len = btfkit_type_vlen(t);
	d->elem = param_elem;
}

void dump_describe_var(const struct btfkit_btf *btf, const struct btfkit_type *t,
		       struct dump_desc *d)
{
	(void)btf;
	add_uint(d, "type_id", t->type);
	d->f[d->n - 1].raw_suffix = ","; /* bpftool prints "type_id=N, linkage=..." */
	add_word(d, "linkage", linkage_str(btfkit_var_linkage(t)));
}

static void secinfo_elem(const struct btfkit_btf *btf, const struct btfkit_type *t, unsigned i,
			 struct dump_desc *e)
{
	const struct btfkit_var_secinfo *v = &btfkit_type_secinfos(t)[i];
	const struct btfkit_type *vt;

	/*
	 * Each entry looks up its variable, anywhere in the file: on a one-pass
	 * object, vmlinux's .data..percpu (hundreds of entries) would otherwise
	 * fault in 64 KiB of the mapped file per entry and keep it.
	 */
	if (btf->lazy && i && !(i % 32))
		btf_release_own_pages(btf); /* a base may be an eager object: its pages stay */
	add_uint(e, "type_id", v->type);
	add_uint(e, "offset", v->offset);
	add_uint(e, "size", v->size);
	/* The text names what the entry refers to, when the id exists. */
	vt = v->type < btfkit_btf_type_count(btf) ? btf_type_by_id(btf, v->type) : NULL;
	if (vt) {
		struct dump_field *f = add(e, NULL, DV_ANNOT);

		f->str = btfkit_kind_name(btfkit_type_kind(vt));
		f->str2 = dump_name(btf_type_owner(btf, v->type), vt->name_off);
	}
}

void dump_describe_datasec(const struct btfkit_btf *btf, const struct btfkit_type *t,
			   struct dump_desc *d)
{
	(void)btf;
	add_uint(d, "size", t->size);
	add_uint(d, "vlen", btfkit_type_vlen(t));
	d->list_key = "vars";
	d->list_len = btfkit_type_vlen(t);
	d->elem = secinfo_elem;
}

void dump_describe_float(const struct btfkit_btf *btf, const struct btfkit_type *t,
			 struct dump_desc *d)
{
	(void)btf;
	add_uint(d, "size", t->size);
}

void dump_describe_decl_tag(const struct btfkit_btf *btf, const struct btfkit_type *t,
			    struct dump_desc *d)
{
	(void)btf;
	add_uint(d, "type_id", t->type);
	add_int(d, "component_idx", btfkit_decl_tag_component(t));
}
