/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private to the C-declaration dumper (lib/cdump/).
 *
 * The dumper turns BTF into C that compiles, with the text, order and naming
 * of bpftool 7.1's `btf dump ... format c` (libbpf 1.1's BTF-to-C converter).
 * It works in two passes per requested type:
 *
 *   order.c   a depth-first walk that queues every named definition the type
 *             needs, dependencies first. A link through a pointer to a named
 *             struct/union/typedef is "weak" (a forward declaration will do);
 *             any other link is "strong" (full definition needed first).
 *   emit.c    the queue is emitted: struct/union/enum/typedef/forward
 *             definitions, the forward declarations a definition needs, the
 *             bitfield and alignment padding of struct bodies.
 *   decl.c    one declarator in C syntax ("int (*f[4])(void *)"), used for
 *             members, parameters and typedefs.
 *   names.c   name deduplication: a second struct named "x" is "x___2".
 *   sort.c    the id-independent order of BTFKIT_CDUMP_SORT.
 *   state.c   the per-type tables, alignment and size as libbpf computes
 *             them, the pointer size, object lifetime.
 *   header.c  the public API: a whole header (all types, sorted, or selected
 *             roots) between bpftool's preamble and epilogue.
 *
 * Every id read out of a type was checked against the type count when the
 * dumper was created (check_refs() in state.c), every recursion is bounded
 * by CD_MAX_DEPTH and all work by a budget (CD_WORK_*), so hostile BTF ends
 * in an error, never in a crash or a hang.
 */
#ifndef BTFKIT_LIB_CDUMP_INT_H
#define BTFKIT_LIB_CDUMP_INT_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <btfkit/btf.h>
#include <btfkit/cdump.h>

#include "../dump/dump_int.h"

/* Nesting of any recursive walk (types inside types, declarator chains). */
#define CD_MAX_DEPTH 512
/* libbpf's btf__resolve_size() gives up after this many links. */
#define CD_MAX_RESOLVE 32
/* The deepest indentation libbpf writes, in tabs. */
#define CD_MAX_INDENT 13
/*
 * Work allowed for one header (or one call on a dumper): this much, plus this
 * much per byte of type records. C's declarator syntax nests, so BTF can ask
 * for text exponential in its size (a prototype whose parameters are two
 * pointers to a prototype whose parameters are ...), or for padding of a
 * struct gigabytes large. Real BTF needs a small fraction: a vmlinux header
 * takes about one unit per 16 bytes of types (a unit: one step of a walk, or
 * one padding member).
 */
#define CD_WORK_BASE (16u << 20)
#define CD_WORK_PER_BYTE 16

/* Per-type state bits (struct cdump.state[id]). */
enum {
	/* Ordering: ORDERING while on the DFS path, ORDERED once done. */
	CD_ORDERING = 1u << 0,
	CD_ORDERED = 1u << 1,
	/* Emission: EMITTING while its dependencies are emitted, EMITTED once written. */
	CD_EMITTING = 1u << 2,
	CD_EMITTED = 1u << 3,
	/* A forward declaration (or, for a typedef, the typedef) was written. */
	CD_FWD_EMITTED = 1u << 4,
	/* The type's unique name was settled (struct cdump.dup holds its suffix). */
	CD_NAME_RESOLVED = 1u << 5,
	/* Some other type refers to it (decides how anonymous enums are emitted). */
	CD_REFERENCED = 1u << 6,
};
#define CD_ORDER_MASK (CD_ORDERING | CD_ORDERED)
#define CD_EMIT_MASK (CD_EMITTING | CD_EMITTED)

/* A string -> occurrence count table (open addressing); keys point into the BTF. */
struct cd_name_slot {
	const char *key; /* NULL: empty slot */
	uint32_t hash;
	uint32_t count;
};
struct cd_names {
	struct cd_name_slot *slots;
	uint32_t mask; /* capacity - 1 */
	uint32_t used;
};

struct cdump {
	const struct btfkit_btf *btf;
	uint32_t nr_types; /* ids 0 .. nr_types - 1, base types included */
	/* Every type by id ([0] is a zeroed record standing for void). */
	const struct btfkit_type **types;
	uint8_t *state;  /* CD_* bits per id */
	uint32_t *dup;   /* per id: occurrence number of its name, when > 1 */
	uint8_t *align;  /* per id: libbpf's alignment + 1; 0: not computed yet */
	unsigned ptr_sz; /* bytes of a pointer (and of `long`) on the BTF's target */

	/* The definitions ordering queued, emitted in this order. */
	uint32_t *queue;
	uint32_t queue_len, queue_cap;
	/* Declarator chains: one shared stack, one frame per nested declarator. */
	uint32_t *stack;
	uint32_t stack_len, stack_cap;

	/* struct/union/enum tags, and typedef names + enumerators (C's ordinary identifiers). */
	struct cd_names type_names, ident_names;

	uint64_t work_limit; /* max_work, or CD_WORK_BASE + CD_WORK_PER_BYTE * type bytes */
	uint64_t work;       /* left of it for the current header or call */
	bool enum_mode;      /* BTFKIT_CDUMP_ENUM_MODE */
	bool strip_mods;     /* declarators without const/volatile/restrict/tags */
	unsigned depth;      /* current nesting of the emitters */
	int err;             /* first error of an emission (sticky until reported) */

	struct btfkit_sink sink;
	struct out out; /* last: 64 KiB */
};

/* ---- state.c ---- */
int cd_init(struct cdump *d, const struct btfkit_btf *btf, const struct btfkit_sink *sink,
	    uint64_t max_work);
void cd_fini(struct cdump *d);
const char *cd_str(const struct cdump *d, uint32_t name_off);
static inline const struct btfkit_type *cd_type(const struct cdump *d, uint32_t id)
{
	return d->types[id];
}
static inline const char *cd_type_raw_name(const struct cdump *d, uint32_t id)
{
	return cd_str(d, d->types[id]->name_off);
}
/* libbpf's btf__align_of(): 0 where libbpf fails (void, functions, loops). */
int cd_align(struct cdump *d, uint32_t id);
/* libbpf's btf__resolve_size(): bytes, or a negative errno. */
int64_t cd_resolve_size(const struct cdump *d, uint32_t id);
/* A fresh header or call: the whole work budget, no error. */
static inline void cd_begin(struct cdump *d)
{
	d->err = 0;
	d->depth = 0;
	d->work = d->work_limit;
}
/* Record an emission error (the first one wins); emitters stop at one. */
static inline void cd_fail(struct cdump *d, int err)
{
	if (!d->err)
		d->err = err;
}
/* One unit of work; false once the budget is spent (-E2BIG) or the sink failed. */
static inline bool cd_spend(struct cdump *d)
{
	if (!d->work || d->out.err) {
		cd_fail(d, d->out.err ? d->out.err : -E2BIG);
		return false;
	}
	d->work--;
	return true;
}

/* ---- order.c ---- */
/* Queue what `id` needs, then `id`: 1 strong, 0 weak, negative errno. */
int cd_order(struct cdump *d, uint32_t id, bool through_ptr, unsigned depth);

/* ---- emit.c ---- */
/* Emit one queued definition (and the forward declarations it needs). */
void cd_emit_type(struct cdump *d, uint32_t id, uint32_t cont_id);
void cd_emit_struct_def(struct cdump *d, uint32_t id, const struct btfkit_type *t, unsigned lvl);
void cd_emit_struct_fwd(struct cdump *d, uint32_t id, const struct btfkit_type *t);
void cd_emit_enum_def(struct cdump *d, uint32_t id, const struct btfkit_type *t, unsigned lvl);
void cd_emit_enum_fwd(struct cdump *d, uint32_t id);
void cd_emit_fwd_def(struct cdump *d, uint32_t id, const struct btfkit_type *t);
static inline void cd_indent(struct cdump *d, unsigned lvl)
{
	for (unsigned i = lvl < CD_MAX_INDENT ? lvl : CD_MAX_INDENT; i; i--)
		out_char(&d->out, '\t');
}

/* ---- decl.c ---- */
/* A declaration of `fname` (may be "") of type `id`, nested bodies at `lvl`. */
void cd_emit_decl(struct cdump *d, uint32_t id, const char *fname, unsigned lvl);

/* ---- names.c ---- */
int cd_names_init(struct cd_names *n);
void cd_names_free(struct cd_names *n);
/* Count one more occurrence of `name`; returns the count (1: first). 0 on ENOMEM. */
uint32_t cd_names_bump(struct cd_names *n, const char *name);
/* Write the unique name of a struct/union/enum/fwd (tag) or typedef (ident). */
void cd_emit_type_name(struct cdump *d, uint32_t id);
void cd_emit_ident_name(struct cdump *d, uint32_t id);
/* Settle a tag name without writing it (what libbpf does for INT names). */
void cd_resolve_type_name(struct cdump *d, uint32_t id);
/* A typedef's unique name as a string: the BTF's, or `name___n` formatted in buf. */
#define CD_NAME_BUF 256
const char *cd_ident_name(struct cdump *d, uint32_t id, char buf[CD_NAME_BUF]);

/* ---- sort.c ---- */
/* The ids sorted as documented for BTFKIT_CDUMP_SORT (stable, id-independent). */
int cd_sort_ids(const struct cdump *d, uint32_t *ids, size_t n);

#endif /* BTFKIT_LIB_CDUMP_INT_H */
