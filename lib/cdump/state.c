// SPDX-License-Identifier: BSD-2-Clause
/*
 * The dumper's tables: every type by id, per-type state, the pointer size,
 * and alignment and size computed the way libbpf 1.1 computes them (the
 * padding and `packed` decisions depend on those exact numbers).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cdump_int.h"
#include "../btf/btf_int.h"

static const struct btfkit_type void_record;

const char *cd_str(const struct cdump *d, uint32_t name_off)
{
	const char *s = btf_str(d->btf, name_off);

	/* An offset outside the strings: write nothing rather than fail midway. */
	return s ? s : "";
}

/*
 * Fill d->types from the objects of the split chain, innermost base first,
 * with the sequential cursor (which a lazily indexed object serves without
 * building its by-id table).
 */
static int collect_types(struct cdump *d)
{
	const struct btfkit_btf *chain[64];
	unsigned depth = 0;

	for (const struct btfkit_btf *b = d->btf; b; b = btfkit_btf_base(b)) {
		if (depth == sizeof(chain) / sizeof(chain[0]))
			return -ELOOP;
		chain[depth++] = b;
	}
	d->types[0] = &void_record;
	while (depth--) {
		const struct btfkit_btf *b = chain[depth];
		struct btfkit_btf_cursor cur = { 0 };
		const struct btfkit_type *t;

		while ((t = btfkit_btf_next(b, &cur)) != NULL) {
			if (cur.id >= d->nr_types)
				return -EINVAL;
			d->types[cur.id] = t;
		}
	}
	for (uint32_t id = 1; id < d->nr_types; id++)
		if (!d->types[id])
			return -EINVAL;
	return 0;
}

static bool ref_ok(struct cdump *d, uint32_t id)
{
	if (id >= d->nr_types)
		return false;
	d->state[id] |= CD_REFERENCED;
	return true;
}

/* A reference no walk follows (functions, variables, sections, decl tags): marked if valid. */
static bool ref_mark(struct cdump *d, uint32_t id)
{
	(void)ref_ok(d, id);
	return true;
}

/*
 * One pass over every type: each id a type refers to through a link the
 * walks follow must exist (after this, they need not check), and is marked
 * referenced. libbpf marks the same references to tell an anonymous enum
 * declared on its own (unreferenced: a set of constants) from one written
 * inline where it is used. FUNCs, VARs, DATASECs and DECL_TAGs have no C
 * form in a header: a dangling reference in one of them does not matter
 * (bpftool prints the header), and code that follows them checks.
 */
static int check_refs(struct cdump *d)
{
	for (uint32_t id = 1; id < d->nr_types; id++) {
		const struct btfkit_type *t = d->types[id];
		unsigned vlen = btfkit_type_vlen(t);
		bool ok = true;

		switch (btfkit_type_kind(t)) {
		case BTFKIT_KIND_PTR:
		case BTFKIT_KIND_TYPEDEF:
		case BTFKIT_KIND_VOLATILE:
		case BTFKIT_KIND_CONST:
		case BTFKIT_KIND_RESTRICT:
		case BTFKIT_KIND_TYPE_TAG:
			ok = ref_ok(d, t->type);
			break;
		case BTFKIT_KIND_FUNC:
		case BTFKIT_KIND_VAR:
		case BTFKIT_KIND_DECL_TAG:
			ok = ref_mark(d, t->type);
			break;
		case BTFKIT_KIND_ARRAY: {
			const struct btfkit_array *a = btfkit_type_array(t);

			ok = ref_ok(d, a->index_type) && ref_ok(d, a->type);
			break;
		}
		case BTFKIT_KIND_STRUCT:
		case BTFKIT_KIND_UNION:
			for (unsigned i = 0; i < vlen && ok; i++)
				ok = ref_ok(d, btfkit_type_members(t)[i].type);
			break;
		case BTFKIT_KIND_FUNC_PROTO:
			ok = ref_ok(d, t->type);
			for (unsigned i = 0; i < vlen && ok; i++)
				ok = ref_ok(d, btfkit_type_params(t)[i].type);
			break;
		case BTFKIT_KIND_DATASEC:
			for (unsigned i = 0; i < vlen; i++)
				ref_mark(d, btfkit_type_secinfos(t)[i].type);
			break;
		default:
			/* INT, ENUM, ENUM64, FWD, FLOAT, and kinds we only step over. */
			break;
		}
		if (!ok)
			return -EINVAL;
	}
	return 0;
}

/* libbpf's spellings of `long` among INT names: the first one's size is the pointer size. */
static const char *const long_names[] = {
	"long",
	"long int",
	"int long",
	"unsigned long",
	"long unsigned",
	"unsigned long int",
	"unsigned int long",
	"long unsigned int",
	"long int unsigned",
	"int unsigned long",
	"int long unsigned",
};

static int elf_pointer_size(const struct btfkit_btf *b)
{
	/* e_ident[EI_CLASS]: 1 is ELFCLASS32, 2 is ELFCLASS64. */
	if (!btf_is_elf(b->image, b->image_size) || b->image_size <= 4)
		return 0;
	return b->image[4] == 1 ? 4 : b->image[4] == 2 ? 8 : 0;
}

/*
 * The target's pointer size, as libbpf finds it: the ELF class of the file
 * the BTF came from (or of its base's file, for raw split BTF); otherwise
 * the size of the first 4- or 8-byte INT named like `long`, base types
 * first; failing both, this machine's.
 */
static unsigned pointer_size(const struct cdump *d)
{
	int sz = elf_pointer_size(d->btf);

	if (!sz && d->btf->base)
		sz = elf_pointer_size(d->btf->base);
	if (sz)
		return (unsigned)sz;
	for (uint32_t id = 1; id < d->nr_types; id++) {
		const struct btfkit_type *t = d->types[id];
		const char *name;

		if (btfkit_type_kind(t) != BTFKIT_KIND_INT || (t->size != 4 && t->size != 8))
			continue;
		name = btf_str(d->btf, t->name_off);
		if (!name)
			continue;
		for (size_t i = 0; i < sizeof(long_names) / sizeof(long_names[0]); i++)
			if (strcmp(name, long_names[i]) == 0)
				return t->size;
	}
	return sizeof(void *);
}

int cd_init(struct cdump *d, const struct btfkit_btf *btf, const struct btfkit_sink *sink,
	    uint64_t max_work)
{
	int err;

	memset(d, 0, offsetof(struct cdump, out));
	d->btf = btf;
	d->nr_types = btfkit_btf_type_count(btf);
	d->sink = *sink;
	out_init(&d->out, &d->sink);
	if (!d->nr_types)
		return -EINVAL;
	d->types = calloc(d->nr_types, sizeof(*d->types));
	d->state = calloc(d->nr_types, 1);
	d->dup = calloc(d->nr_types, sizeof(*d->dup));
	d->align = calloc(d->nr_types, 1);
	if (!d->types || !d->state || !d->dup || !d->align)
		return -ENOMEM;
	err = cd_names_init(&d->type_names);
	if (!err)
		err = cd_names_init(&d->ident_names);
	if (!err)
		err = collect_types(d);
	if (!err)
		err = check_refs(d);
	if (err)
		return err;
	/* Void is always there: ordered and emitted. */
	d->state[0] |= CD_ORDERED | CD_EMITTED;
	d->ptr_sz = pointer_size(d);
	d->work_limit = CD_WORK_BASE;
	for (const struct btfkit_btf *b = btf; b; b = b->base)
		d->work_limit += (uint64_t)CD_WORK_PER_BYTE * b->types_len;
	if (max_work)
		d->work_limit = max_work;
	cd_begin(d);
	return 0;
}

void cd_fini(struct cdump *d)
{
	free(d->types);
	free(d->state);
	free(d->dup);
	free(d->align);
	free(d->queue);
	free(d->stack);
	cd_names_free(&d->type_names);
	cd_names_free(&d->ident_names);
}

/* d->align holds alignment + 1; this marks a struct whose alignment is being computed. */
#define ALIGN_BUSY 0xff

static int align_of(struct cdump *d, uint32_t id, unsigned depth)
{
	const struct btfkit_type *t;
	int a = 0;

	if (d->align[id] == ALIGN_BUSY || depth > CD_MAX_DEPTH)
		return 0; /* a struct inside itself: libbpf would never return */
	if (d->align[id])
		return d->align[id] - 1;
	t = d->types[id];
	switch (btfkit_type_kind(t)) {
	case BTFKIT_KIND_INT:
	case BTFKIT_KIND_ENUM:
	case BTFKIT_KIND_ENUM64:
	case BTFKIT_KIND_FLOAT:
		a = t->size < d->ptr_sz ? (int)t->size : (int)d->ptr_sz;
		break;
	case BTFKIT_KIND_PTR:
		a = (int)d->ptr_sz;
		break;
	case BTFKIT_KIND_TYPEDEF:
	case BTFKIT_KIND_VOLATILE:
	case BTFKIT_KIND_CONST:
	case BTFKIT_KIND_RESTRICT:
	case BTFKIT_KIND_TYPE_TAG:
		d->align[id] = ALIGN_BUSY;
		a = align_of(d, t->type, depth + 1);
		break;
	case BTFKIT_KIND_ARRAY:
		d->align[id] = ALIGN_BUSY;
		a = align_of(d, btfkit_type_array(t)->type, depth + 1);
		break;
	case BTFKIT_KIND_STRUCT:
	case BTFKIT_KIND_UNION: {
		const struct btfkit_member *m = btfkit_type_members(t);
		unsigned vlen = btfkit_type_vlen(t);
		int max = 1;

		d->align[id] = ALIGN_BUSY;
		a = -1;
		for (unsigned i = 0; i < vlen; i++) {
			int ma = align_of(d, m[i].type, depth + 1);

			if (ma <= 0) {
				a = 0; /* libbpf fails the whole struct */
				break;
			}
			if (ma > max)
				max = ma;
			/* A member off its natural alignment: the struct is packed. */
			if (!btfkit_member_bitfield_size(t, i) &&
			    m[i].offset % (8u * (unsigned)ma) != 0) {
				a = 1;
				break;
			}
		}
		if (a < 0)
			a = t->size % (unsigned)max ? 1 : max;
		break;
	}
	default:
		a = 0;
		break;
	}
	d->align[id] = (uint8_t)(a + 1);
	return a;
}

int cd_align(struct cdump *d, uint32_t id)
{
	return align_of(d, id, 0);
}

int64_t cd_resolve_size(const struct cdump *d, uint32_t id)
{
	uint32_t nelems = 1;
	int64_t size = -1;

	for (int i = 0; i < CD_MAX_RESOLVE && id; i++) {
		const struct btfkit_type *t;

		/* VAR and DECL_TAG links were not checked (check_refs()). */
		if (id >= d->nr_types)
			return -EINVAL;
		t = d->types[id];

		switch (btfkit_type_kind(t)) {
		case BTFKIT_KIND_INT:
		case BTFKIT_KIND_STRUCT:
		case BTFKIT_KIND_UNION:
		case BTFKIT_KIND_ENUM:
		case BTFKIT_KIND_ENUM64:
		case BTFKIT_KIND_DATASEC:
		case BTFKIT_KIND_FLOAT:
			size = t->size;
			goto done;
		case BTFKIT_KIND_PTR:
			size = d->ptr_sz;
			goto done;
		case BTFKIT_KIND_TYPEDEF:
		case BTFKIT_KIND_VOLATILE:
		case BTFKIT_KIND_CONST:
		case BTFKIT_KIND_RESTRICT:
		case BTFKIT_KIND_VAR:
		case BTFKIT_KIND_DECL_TAG:
		case BTFKIT_KIND_TYPE_TAG:
			id = t->type;
			break;
		case BTFKIT_KIND_ARRAY: {
			const struct btfkit_array *a = btfkit_type_array(t);

			if (nelems && a->nelems > UINT32_MAX / nelems)
				return -E2BIG;
			nelems *= a->nelems;
			id = a->type;
			break;
		}
		default:
			return -EINVAL;
		}
	}
done:
	if (size < 0)
		return -EINVAL;
	if (nelems && size > UINT32_MAX / nelems)
		return -E2BIG;
	return (int64_t)nelems * size;
}
