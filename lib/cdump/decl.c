// SPDX-License-Identifier: BSD-2-Clause
/*
 * Declarators: one BTF type chain written as C declares it.
 *
 * BTF reads from the outside in: `typedef const int *arr_t[10]` is
 * TYPEDEF -> ARRAY -> PTR -> CONST -> INT. C writes the innermost type first,
 * qualifiers of a pointed-to type before it (`const int`) and of a pointer
 * after the star (`int * const`), arrays after the name and function
 * parameters after a parenthesised pointer (`int (*f)(void)`).
 *
 * The chain is pushed on a stack until a type that ends it (INT, struct,
 * typedef, void...), then written from the top: the base type with the
 * qualifiers directly above it, then stars and qualifiers, and at an array
 * or function prototype the rest of the chain goes inside parentheses
 * before the brackets or the parameter list. Nested declarators (parameters,
 * members of inline anonymous structs) push their own frame above the
 * current one.
 */
#include <errno.h>
#include <stdlib.h>

#include "cdump_int.h"

/*
 * One declarator's frame: d->stack[start .. start + cnt), top last. Held as
 * an offset: nested declarators push above it and may move the stack.
 */
struct frame {
	uint32_t start;
	uint32_t cnt;
};

static uint32_t frame_top(const struct cdump *d, const struct frame *f)
{
	return d->stack[f->start + f->cnt - 1];
}

static int push(struct cdump *d, uint32_t id)
{
	if (d->stack_len == d->stack_cap) {
		uint32_t cap = d->stack_cap ? d->stack_cap * 2 : 64;
		uint32_t *s = realloc(d->stack, cap * sizeof(*s));

		if (!s)
			return -ENOMEM;
		d->stack = s;
		d->stack_cap = cap;
	}
	d->stack[d->stack_len++] = id;
	return 0;
}

static unsigned kind_of(const struct cdump *d, uint32_t id)
{
	return btfkit_type_kind(d->types[id]);
}

static bool is_mod(unsigned kind)
{
	return kind == BTFKIT_KIND_VOLATILE || kind == BTFKIT_KIND_CONST ||
	       kind == BTFKIT_KIND_RESTRICT || kind == BTFKIT_KIND_TYPE_TAG;
}

/* Qualifiers directly above a base type, written before it: `const volatile int`. */
static void emit_mods(struct cdump *d, struct frame *f)
{
	while (f->cnt) {
		switch (kind_of(d, frame_top(d, f))) {
		case BTFKIT_KIND_VOLATILE:
			out_str(&d->out, "volatile ");
			break;
		case BTFKIT_KIND_CONST:
			out_str(&d->out, "const ");
			break;
		case BTFKIT_KIND_RESTRICT:
			out_str(&d->out, "restrict ");
			break;
		default:
			return;
		}
		f->cnt--;
	}
}

/*
 * Qualifiers on an array or a function: GCC puts the element's const on the
 * array and a volatile on noreturn function pointers; neither means anything
 * to C there, so they go (with type tags).
 */
static void drop_mods(struct cdump *d, struct frame *f)
{
	while (f->cnt && is_mod(kind_of(d, frame_top(d, f))))
		f->cnt--;
}

static void emit_name(struct cdump *d, const char *name, bool last_was_ptr)
{
	if (name[0] && !last_was_ptr)
		out_char(&d->out, ' ');
	out_str(&d->out, name);
}

static void emit_chain(struct cdump *d, struct frame *f, const char *fname, unsigned lvl);

static void emit_array(struct cdump *d, struct frame *f, const struct btfkit_type *t,
		       const char *fname, bool last_was_ptr, unsigned lvl)
{
	uint32_t nelems = btfkit_type_array(t)->nelems;
	bool multidim;

	drop_mods(d, f);
	if (!f->cnt) {
		emit_name(d, fname, last_was_ptr);
	} else {
		/* `int (*p)[4]`, but `int m[2][3]` without parentheses. */
		multidim = kind_of(d, frame_top(d, f)) == BTFKIT_KIND_ARRAY;
		if (fname[0] && !last_was_ptr)
			out_char(&d->out, ' ');
		if (!multidim)
			out_char(&d->out, '(');
		emit_chain(d, f, fname, lvl);
		if (!multidim)
			out_char(&d->out, ')');
	}
	out_char(&d->out, '[');
	out_u64(&d->out, nelems);
	out_char(&d->out, ']');
}

static void emit_func_proto(struct cdump *d, struct frame *f, const struct btfkit_type *t,
			    const char *fname, bool last_was_ptr, unsigned lvl)
{
	const struct btfkit_param *p = btfkit_type_params(t);
	unsigned vlen = btfkit_type_vlen(t);

	drop_mods(d, f);
	if (f->cnt) {
		out_mem(&d->out, " (", 2);
		emit_chain(d, f, fname, lvl);
		out_char(&d->out, ')');
	} else {
		emit_name(d, fname, last_was_ptr);
	}
	out_char(&d->out, '(');
	/* No parameters, or clang's single void one: (void). */
	if (vlen == 0 || (vlen == 1 && p[0].type == 0)) {
		out_mem(&d->out, "void)", 5);
		return;
	}
	for (unsigned i = 0; i < vlen && !d->err; i++) {
		if (i > 0)
			out_mem(&d->out, ", ", 2);
		/* A last parameter of type void is the `...` of a variadic function. */
		if (i == vlen - 1 && p[i].type == 0) {
			out_mem(&d->out, "...", 3);
			break;
		}
		cd_emit_decl(d, p[i].type, cd_str(d, p[i].name_off), lvl);
	}
	out_char(&d->out, ')');
}

static void emit_chain(struct cdump *d, struct frame *f, const char *fname, unsigned lvl)
{
	/* So that `int ***p` has no spaces between the stars. */
	bool last_was_ptr = true;

	if (++d->depth > CD_MAX_DEPTH) {
		cd_fail(d, -ELOOP);
		d->depth--;
		return;
	}
	while (f->cnt && cd_spend(d)) {
		uint32_t id = d->stack[f->start + --f->cnt];
		const struct btfkit_type *t = d->types[id];
		unsigned kind = btfkit_type_kind(t);

		if (id == 0) {
			emit_mods(d, f);
			out_mem(&d->out, "void", 4);
			last_was_ptr = false;
			continue;
		}
		switch (kind) {
		case BTFKIT_KIND_INT:
		case BTFKIT_KIND_FLOAT:
			emit_mods(d, f);
			out_str(&d->out, cd_str(d, t->name_off));
			break;
		case BTFKIT_KIND_STRUCT:
		case BTFKIT_KIND_UNION:
			emit_mods(d, f);
			/* Anonymous ones are defined right here. */
			if (!t->name_off)
				cd_emit_struct_def(d, id, t, lvl);
			else
				cd_emit_struct_fwd(d, id, t);
			break;
		case BTFKIT_KIND_ENUM:
		case BTFKIT_KIND_ENUM64:
			emit_mods(d, f);
			if (!t->name_off)
				cd_emit_enum_def(d, id, t, lvl);
			else
				cd_emit_enum_fwd(d, id);
			break;
		case BTFKIT_KIND_FWD:
			emit_mods(d, f);
			cd_emit_fwd_def(d, id, t);
			break;
		case BTFKIT_KIND_TYPEDEF:
			emit_mods(d, f);
			cd_emit_ident_name(d, id);
			break;
		case BTFKIT_KIND_PTR:
			out_str(&d->out, last_was_ptr ? "*" : " *");
			break;
		case BTFKIT_KIND_VOLATILE:
			out_str(&d->out, " volatile");
			break;
		case BTFKIT_KIND_CONST:
			out_str(&d->out, " const");
			break;
		case BTFKIT_KIND_RESTRICT:
			out_str(&d->out, " restrict");
			break;
		case BTFKIT_KIND_TYPE_TAG:
			emit_mods(d, f);
			out_str(&d->out, " __attribute__((btf_type_tag(\"");
			out_str(&d->out, cd_str(d, t->name_off));
			out_str(&d->out, "\")))");
			break;
		case BTFKIT_KIND_ARRAY:
			emit_array(d, f, t, fname, last_was_ptr, lvl);
			goto out;
		case BTFKIT_KIND_FUNC_PROTO:
			emit_func_proto(d, f, t, fname, last_was_ptr, lvl);
			goto out;
		default:
			/* No C for it in a declarator (libbpf warns and stops too). */
			goto out;
		}
		last_was_ptr = kind == BTFKIT_KIND_PTR;
	}
	emit_name(d, fname, last_was_ptr);
out:
	d->depth--;
}

void cd_emit_decl(struct cdump *d, uint32_t id, const char *fname, unsigned lvl)
{
	uint32_t start = d->stack_len;
	struct frame f;

	if (d->err)
		return;

	/* Push the chain down to the type that ends it. */
	for (unsigned n = 0;; n++) {
		const struct btfkit_type *t = d->types[id];
		unsigned kind = btfkit_type_kind(t);
		bool done = false;

		if (n > CD_MAX_DEPTH) {
			cd_fail(d, -ELOOP);
			d->stack_len = start;
			return;
		}
		if (!(d->strip_mods && is_mod(kind)) && push(d, id)) {
			cd_fail(d, -ENOMEM);
			d->stack_len = start;
			return;
		}
		if (id == 0)
			break;
		switch (kind) {
		case BTFKIT_KIND_PTR:
		case BTFKIT_KIND_VOLATILE:
		case BTFKIT_KIND_CONST:
		case BTFKIT_KIND_RESTRICT:
		case BTFKIT_KIND_FUNC_PROTO:
		case BTFKIT_KIND_TYPE_TAG:
			id = t->type;
			break;
		case BTFKIT_KIND_ARRAY:
			id = btfkit_type_array(t)->type;
			break;
		default:
			/* INT, enums, FWD, struct, union, typedef, FLOAT; or no C form. */
			done = true;
			break;
		}
		if (done)
			break;
	}
	f.start = start;
	f.cnt = d->stack_len - start;
	emit_chain(d, &f, fname, lvl);
	d->stack_len = start;
}
