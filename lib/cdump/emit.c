// SPDX-License-Identifier: BSD-2-Clause
/*
 * Emission: definitions in queue order, each preceded by the forward
 * declarations it needs, and the bodies of structs, unions and enums.
 *
 * A struct's members are emitted (recursively) before the struct itself;
 * a named struct met on the way while it is being emitted (a member pointing
 * back at its container's container, say) gets `struct X;` first. A typedef
 * can stand for its own forward declaration: when it is met while EMITTING,
 * it is written at once and marked FWD_EMITTED, so it is not written again.
 *
 * Struct bodies reproduce the layout: bitfields keep their widths, gaps that
 * natural alignment would not create get explicit padding members
 * (`long: 64;`, `int: 0;`), and a layout no natural alignment explains gets
 * `__attribute__((packed))`.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cdump_int.h"

static void emit_typedef_def(struct cdump *d, uint32_t id, const struct btfkit_type *t,
			     unsigned lvl);

/* __builtin_va_list is the compiler's own; a typedef of it does not compile. */
static bool is_builtin_va_list(const struct cdump *d, const struct btfkit_type *t)
{
	return t->name_off && strcmp(cd_str(d, t->name_off), "__builtin_va_list") == 0;
}

/*
 * GCC's Arm SIMD types reach BTF as INTs named __PolyN_t that no compiler
 * knows elsewhere: a typedef to a standard type stands in for them.
 */
static const char *const poly_aliases[][2] = {
	{ "__Poly8_t", "unsigned char" },
	{ "__Poly16_t", "unsigned short" },
	{ "__Poly64_t", "unsigned long long" },
	{ "__Poly128_t", "unsigned __int128" },
};

static void emit_missing_alias(struct cdump *d, uint32_t id)
{
	const char *name;

	/* libbpf counts INT names as tags here: their occurrences shift later renames. */
	cd_resolve_type_name(d, id);
	if (!d->types[id]->name_off || d->dup[id] > 1)
		return;
	name = cd_str(d, d->types[id]->name_off);
	if (strncmp(name, "__Poly", 6) != 0)
		return;
	for (size_t i = 0; i < sizeof(poly_aliases) / sizeof(poly_aliases[0]); i++) {
		if (strcmp(name, poly_aliases[i][0]) == 0) {
			out_str(&d->out, "typedef ");
			out_str(&d->out, poly_aliases[i][1]);
			out_char(&d->out, ' ');
			out_str(&d->out, name);
			out_str(&d->out, ";\n\n");
			return;
		}
	}
}

static void end_decl(struct cdump *d)
{
	out_mem(&d->out, ";\n\n", 3);
}

static void set_emit(struct cdump *d, uint32_t id, uint8_t bits)
{
	d->state[id] = (uint8_t)((d->state[id] & ~CD_EMIT_MASK) | bits);
}

/* A type met again while it is being emitted: a forward declaration may be due. */
static void emit_while_emitting(struct cdump *d, uint32_t id, uint32_t cont_id)
{
	const struct btfkit_type *t = d->types[id];

	if (d->state[id] & CD_FWD_EMITTED)
		return;
	switch (btfkit_type_kind(t)) {
	case BTFKIT_KIND_STRUCT:
	case BTFKIT_KIND_UNION:
		/* Inside its own definition the tag is already declared. */
		if (id == cont_id)
			return;
		/* An anonymous struct inside itself: no C for that (ordering refuses it). */
		if (!t->name_off)
			return;
		cd_emit_struct_fwd(d, id, t);
		end_decl(d);
		d->state[id] |= CD_FWD_EMITTED;
		break;
	case BTFKIT_KIND_TYPEDEF:
		if (!is_builtin_va_list(d, t)) {
			emit_typedef_def(d, id, t, 0);
			end_decl(d);
		}
		d->state[id] |= CD_FWD_EMITTED;
		break;
	default:
		break;
	}
}

static void emit_composite(struct cdump *d, uint32_t id, const struct btfkit_type *t,
			   uint32_t cont_id)
{
	bool top_level = cont_id == 0;

	set_emit(d, id, CD_EMITTING);
	/*
	 * A definition written here (top level), or inline (anonymous), writes
	 * its members' types: they need their declarations first. A named
	 * struct used from inside another definition only needs `struct X;`.
	 */
	if (top_level || !t->name_off) {
		const struct btfkit_member *m = btfkit_type_members(t);
		unsigned vlen = btfkit_type_vlen(t);
		uint32_t new_cont = t->name_off ? id : cont_id;

		for (unsigned i = 0; i < vlen; i++)
			cd_emit_type(d, m[i].type, new_cont);
	} else if (!(d->state[id] & CD_FWD_EMITTED) && id != cont_id) {
		cd_emit_struct_fwd(d, id, t);
		end_decl(d);
		d->state[id] |= CD_FWD_EMITTED;
	}
	if (top_level) {
		cd_emit_struct_def(d, id, t, 0);
		end_decl(d);
		set_emit(d, id, CD_EMITTED);
	} else {
		set_emit(d, id, 0);
	}
}

void cd_emit_type(struct cdump *d, uint32_t id, uint32_t cont_id)
{
	const struct btfkit_type *t = d->types[id];
	uint8_t st = d->state[id];

	if ((st & CD_EMITTED) || !cd_spend(d))
		return;
	if (st & CD_EMITTING) {
		emit_while_emitting(d, id, cont_id);
		return;
	}
	if (++d->depth > CD_MAX_DEPTH) {
		cd_fail(d, -ELOOP);
		d->depth--;
		return;
	}
	switch (btfkit_type_kind(t)) {
	case BTFKIT_KIND_INT:
		emit_missing_alias(d, id);
		set_emit(d, id, CD_EMITTED);
		break;
	case BTFKIT_KIND_ENUM:
	case BTFKIT_KIND_ENUM64:
		/* Only top-level enums are written here; others go inline. */
		if (cont_id == 0) {
			cd_emit_enum_def(d, id, t, 0);
			end_decl(d);
		}
		set_emit(d, id, CD_EMITTED);
		break;
	case BTFKIT_KIND_PTR:
	case BTFKIT_KIND_VOLATILE:
	case BTFKIT_KIND_CONST:
	case BTFKIT_KIND_RESTRICT:
	case BTFKIT_KIND_TYPE_TAG:
		cd_emit_type(d, t->type, cont_id);
		break;
	case BTFKIT_KIND_ARRAY:
		cd_emit_type(d, btfkit_type_array(t)->type, cont_id);
		break;
	case BTFKIT_KIND_FWD:
		cd_emit_fwd_def(d, id, t);
		end_decl(d);
		set_emit(d, id, CD_EMITTED);
		break;
	case BTFKIT_KIND_TYPEDEF:
		set_emit(d, id, CD_EMITTING);
		cd_emit_type(d, t->type, id);
		/* Unless a pointer back to it wrote it already (FWD_EMITTED). */
		if (!(d->state[id] & CD_FWD_EMITTED) && !is_builtin_va_list(d, t)) {
			emit_typedef_def(d, id, t, 0);
			end_decl(d);
		}
		set_emit(d, id, CD_EMITTED);
		break;
	case BTFKIT_KIND_STRUCT:
	case BTFKIT_KIND_UNION:
		emit_composite(d, id, t, cont_id);
		break;
	case BTFKIT_KIND_FUNC_PROTO: {
		const struct btfkit_param *p = btfkit_type_params(t);
		unsigned vlen = btfkit_type_vlen(t);

		cd_emit_type(d, t->type, cont_id);
		for (unsigned i = 0; i < vlen; i++)
			cd_emit_type(d, p[i].type, cont_id);
		break;
	}
	default:
		break;
	}
	d->depth--;
}

/* ---- Padding ---- */

static int64_t round_up(int64_t v, int64_t to)
{
	return to > 0 ? (v + to - 1) / to * to : v;
}

static void emit_pad(struct cdump *d, unsigned lvl, const char *type, int64_t bits)
{
	if (!cd_spend(d))
		return;
	out_char(&d->out, '\n');
	cd_indent(d, lvl);
	out_str(&d->out, type);
	out_mem(&d->out, ": ", 2);
	out_s64(&d->out, bits);
	out_char(&d->out, ';');
}

/*
 * Fill the bits from cur_off to next_off with unnamed bitfields, using
 * natural alignment where it does the job. First the largest of long, int,
 * short, char whose alignment boundary lies in the gap: reaching that
 * boundary is left to the compiler unless the next member would not land on
 * it by itself (then `type: 0;`, or within a bitfield run the exact count).
 * From there, whole `type: bits;` units, and the remainder with the smallest
 * type that holds it.
 */
static void emit_bit_padding(struct cdump *d, int64_t cur_off, int64_t next_off,
			     int64_t next_align, bool in_bitfield, unsigned lvl)
{
	const struct {
		const char *name;
		int64_t bits;
	} pads[] = {
		{ "long", (int64_t)d->ptr_sz * 8 }, { "int", 32 }, { "short", 16 }, { "char", 8 },
	};
	const int nr_pads = (int)(sizeof(pads) / sizeof(pads[0]));
	int64_t new_off = 0, pad_bits = 0;
	const char *pad_type = NULL;

	if (cur_off >= next_off)
		return;
	for (int i = 0; i < nr_pads; i++) {
		pad_bits = pads[i].bits;
		pad_type = pads[i].name;
		new_off = round_up(cur_off, pad_bits);
		if (new_off <= next_off)
			break;
	}
	if (new_off > cur_off && new_off <= next_off) {
		if (in_bitfield ||
		    (new_off == next_off && round_up(cur_off, next_align * 8) != new_off) ||
		    (new_off != next_off && next_off - new_off <= new_off - cur_off))
			emit_pad(d, lvl, pad_type, in_bitfield ? new_off - cur_off : 0);
		cur_off = new_off;
	}
	while (cur_off < next_off && !d->err) {
		int64_t bits = next_off - cur_off < pad_bits ? next_off - cur_off : pad_bits;

		if (bits == pad_bits) {
			emit_pad(d, lvl, pad_type, pad_bits);
			cur_off += bits;
			continue;
		}
		/* The remainder, in the smallest type that holds it. */
		for (int i = nr_pads - 1; i >= 0; i--) {
			if (pads[i].bits < bits)
				continue;
			emit_pad(d, lvl, pads[i].name, bits);
			break;
		}
		cur_off += bits;
	}
}

/* ---- Structs and unions ---- */

/*
 * Packed, as libbpf decides it: some non-bitfield member off its natural
 * alignment, or a size that is not a multiple of the largest alignment.
 */
static bool is_packed(struct cdump *d, const struct btfkit_type *t)
{
	const struct btfkit_member *m = btfkit_type_members(t);
	unsigned vlen = btfkit_type_vlen(t);
	int max_align = 1;

	for (unsigned i = 0; i < vlen; i++) {
		int a = cd_align(d, m[i].type);

		if (a && !btfkit_member_bitfield_size(t, i) && m[i].offset % (8u * (unsigned)a))
			return true;
		if (a > max_align)
			max_align = a;
	}
	return t->size % (unsigned)max_align != 0;
}

void cd_emit_struct_fwd(struct cdump *d, uint32_t id, const struct btfkit_type *t)
{
	if (btfkit_type_kind(t) == BTFKIT_KIND_STRUCT)
		out_str(&d->out, t->name_off ? "struct " : "struct");
	else
		out_str(&d->out, t->name_off ? "union " : "union");
	cd_emit_type_name(d, id);
}

void cd_emit_struct_def(struct cdump *d, uint32_t id, const struct btfkit_type *t, unsigned lvl)
{
	const struct btfkit_member *m = btfkit_type_members(t);
	bool is_struct = btfkit_type_kind(t) == BTFKIT_KIND_STRUCT;
	unsigned vlen = btfkit_type_vlen(t);
	bool packed, prev_bitfield = false;
	int64_t off = 0;
	int align;

	if (++d->depth > CD_MAX_DEPTH) {
		cd_fail(d, -ELOOP);
		d->depth--;
		return;
	}
	align = cd_align(d, id);
	packed = is_struct && is_packed(d, t);
	cd_emit_struct_fwd(d, id, t);
	out_mem(&d->out, " {", 2);
	for (unsigned i = 0; i < vlen && !d->err; i++) {
		uint32_t bits = btfkit_member_bitfield_size(t, i);
		int64_t m_off = btfkit_member_bit_offset(t, i);
		int m_align = packed ? 1 : cd_align(d, m[i].type);

		emit_bit_padding(d, off, m_off, m_align, prev_bitfield && bits, lvl + 1);
		out_char(&d->out, '\n');
		cd_indent(d, lvl + 1);
		cd_emit_decl(d, m[i].type, cd_str(d, m[i].name_off), lvl + 1);
		if (bits) {
			out_mem(&d->out, ": ", 2);
			out_u64(&d->out, bits);
			off = m_off + bits;
			prev_bitfield = true;
		} else {
			int64_t sz = cd_resolve_size(d, m[i].type);

			off = m_off + (sz > 0 ? sz : 0) * 8;
			prev_bitfield = false;
		}
		out_char(&d->out, ';');
	}
	if (is_struct)
		emit_bit_padding(d, off, (int64_t)t->size * 8, align, false, lvl + 1);
	/* `struct empty {}` stays on one line. */
	if (vlen || t->size) {
		out_char(&d->out, '\n');
		cd_indent(d, lvl);
	}
	out_char(&d->out, '}');
	if (packed)
		out_str(&d->out, " __attribute__((packed))");
	d->depth--;
}

/* ---- Enums, forward declarations, typedefs ---- */

void cd_emit_enum_fwd(struct cdump *d, uint32_t id)
{
	out_str(&d->out, "enum ");
	cd_emit_type_name(d, id);
}

/* An enumerator's name, suffixed when the identifier was written before. */
static void emit_enumerator_name(struct cdump *d, uint32_t name_off, unsigned lvl)
{
	const char *name = cd_str(d, name_off);
	uint32_t n = cd_names_bump(&d->ident_names, name);

	out_char(&d->out, '\n');
	cd_indent(d, lvl);
	out_str(&d->out, name);
	if (n > 1) {
		out_mem(&d->out, "___", 3);
		out_u64(&d->out, n);
	} else if (!n) {
		cd_fail(d, -ENOMEM);
	}
	out_mem(&d->out, " = ", 3);
}

/*
 * C makes an enum as large as an int unless a value needs more: a 1-byte
 * enum needs mode(byte); an 8-byte one whose values all fit 32 bits needs
 * mode(word) (on 64-bit targets, where a word is 8 bytes).
 */
static void emit_enum_mode(struct cdump *d, const struct btfkit_type *t)
{
	bool word = false;

	if (t->size == 1) {
		out_str(&d->out, " __attribute__((mode(byte)))");
		return;
	}
	if (t->size != 8 || d->ptr_sz != 8)
		return;
	if (btfkit_type_kind(t) == BTFKIT_KIND_ENUM) {
		word = true;
	} else {
		const struct btfkit_enum64 *e = btfkit_type_enums64(t);

		word = true;
		for (unsigned i = 0; i < btfkit_type_vlen(t) && word; i++)
			word = e[i].val_hi32 == 0;
	}
	if (word)
		out_str(&d->out, " __attribute__((mode(word)))");
}

void cd_emit_enum_def(struct cdump *d, uint32_t id, const struct btfkit_type *t, unsigned lvl)
{
	unsigned vlen = btfkit_type_vlen(t);
	bool is_signed = btfkit_type_kflag(t);

	out_str(&d->out, t->name_off ? "enum " : "enum");
	cd_emit_type_name(d, id);
	if (!vlen)
		return;
	out_mem(&d->out, " {", 2);
	if (btfkit_type_kind(t) == BTFKIT_KIND_ENUM) {
		const struct btfkit_enum *e = btfkit_type_enums(t);

		for (unsigned i = 0; i < vlen; i++) {
			emit_enumerator_name(d, e[i].name_off, lvl + 1);
			if (is_signed)
				out_s64(&d->out, e[i].val);
			else
				out_u64(&d->out, (uint32_t)e[i].val);
			out_char(&d->out, ',');
		}
	} else {
		const struct btfkit_enum64 *e = btfkit_type_enums64(t);

		for (unsigned i = 0; i < vlen; i++) {
			uint64_t v = btfkit_enum64_value(&e[i]);

			emit_enumerator_name(d, e[i].name_off, lvl + 1);
			if (is_signed) {
				out_s64(&d->out, (int64_t)v);
				out_mem(&d->out, "LL,", 3);
			} else {
				out_u64(&d->out, v);
				out_mem(&d->out, "ULL,", 4);
			}
		}
	}
	out_char(&d->out, '\n');
	cd_indent(d, lvl);
	out_char(&d->out, '}');
	if (d->enum_mode)
		emit_enum_mode(d, t);
}

void cd_emit_fwd_def(struct cdump *d, uint32_t id, const struct btfkit_type *t)
{
	out_str(&d->out, btfkit_type_kflag(t) ? "union " : "struct ");
	cd_emit_type_name(d, id);
}

static void emit_typedef_def(struct cdump *d, uint32_t id, const struct btfkit_type *t,
			     unsigned lvl)
{
	char buf[CD_NAME_BUF];
	const char *name = cd_ident_name(d, id, buf);

	/*
	 * Old GCCs describe __gnuc_va_list as a typedef of void; the typedef
	 * the header needs is of __builtin_va_list.
	 */
	if (t->type == 0 && strcmp(name, "__gnuc_va_list") == 0) {
		out_str(&d->out, "typedef __builtin_va_list __gnuc_va_list");
		return;
	}
	out_str(&d->out, "typedef ");
	cd_emit_decl(d, t->type, name, lvl);
}
