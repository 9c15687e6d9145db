/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * C declarations from BTF: the vmlinux.h that CO-RE programs include.
 *
 * The text is what Debian's bpftool 7.1 (libbpf 1.1) prints for
 * `bpftool btf dump file FILE format c`, byte for byte: the same order of
 * definitions, the same forward declarations, anonymous types written inline,
 * bitfields and explicit padding (`long: 64;`), `__attribute__((packed))`
 * where the layout needs it, BTF type tags as
 * `__attribute__((btf_type_tag("...")))`, and a name used twice for
 * different types of the same namespace suffixed `___2`, `___3`, ... in the
 * order the names are first written.
 *
 * Output goes to a struct btfkit_sink (include/btfkit/dump.h), buffered.
 */
#ifndef BTFKIT_CDUMP_H
#define BTFKIT_CDUMP_H

#include <stddef.h>
#include <stdint.h>

#include <btfkit/api.h>
#include <btfkit/dump.h>

#ifdef __cplusplus
extern "C" {
#endif

struct btfkit_btf;

/* ---- A whole header ---- */

enum btfkit_cdump_flags {
	/*
	 * Dump the types in an order that does not depend on type ids, so that
	 * headers of two kernel builds diff cleanly. Each type is still preceded
	 * by what it needs. The order of the types tried (ties go down the list):
	 *   1. rank: anonymous enums 0; named enums 1; INT and FLOAT 2; named
	 *      structs and unions 3; FUNC_PROTOs reached through a name 4; a
	 *      typedef, pointer, array, modifier or tag with a name (its own or
	 *      one already met on the way) takes the rank of what it refers to;
	 *      everything else 10;
	 *   2. sort name (bytewise): the type's name; for an anonymous enum, its
	 *      first enumerator's; for typedefs, pointers, arrays, modifiers and
	 *      tags, the sort name of what they refer to (anonymous enums
	 *      reached that way sort by "");
	 *   3. the type's own name (bytewise);
	 *   4. a hash of the names in the type (enumerators; members with the
	 *      names of their types) and of array lengths;
	 *   5. the type id (only types alike in all of the above).
	 * Ranks 1-4 are those of newer bpftool's sorted C dump.
	 */
	BTFKIT_CDUMP_SORT = 1u << 0,
	/*
	 * Enums whose size C would not give them get GCC's mode attribute, as
	 * newer libbpf writes: `__attribute__((mode(byte)))` on 1-byte enums,
	 * `__attribute__((mode(word)))` on 8-byte ones whose values all fit
	 * 32 bits (64-bit targets). Without it the text is bpftool 7.1's, in
	 * which such enums take 4 bytes and the structs holding them another
	 * layout than the kernel's.
	 */
	BTFKIT_CDUMP_ENUM_MODE = 1u << 1,
};

struct btfkit_cdump_header_opts {
	size_t sz; /* sizeof(struct btfkit_cdump_header_opts) */
	unsigned int flags; /* enum btfkit_cdump_flags */
	/*
	 * The types to dump, each with everything it needs (a minimal header);
	 * NULL/0: every type, base types included for split BTF (as bpftool).
	 * A FUNC stands for the types of its return value and parameters, a
	 * VAR for its type, each seen through pointers: what a program reading
	 * them needs defined.
	 */
	const uint32_t *ids;
	size_t nr_ids;
	/*
	 * An upper bound on the work (steps of the walks over types, padding
	 * members written) before giving up with -E2BIG; 0: the default,
	 * 16 Mi + 16 per byte of type records, hundreds of times what a vmlinux
	 * header takes. BTF can describe declarations whose text grows
	 * exponentially with its size, or gigabytes of padding: a bound for
	 * services that take BTF from anyone.
	 */
	uint64_t max_work;
};

/*
 * Write a complete header: bpftool's preamble (include guard
 * __VMLINUX_H__, `#pragma clang attribute push` of preserve_access_index
 * unless BPF_NO_PRESERVE_ACCESS_INDEX is defined), the types, the epilogue.
 * The order of all types is settled before anything is written, so an error
 * in the BTF (an unsatisfiable type loop: -ELOOP) leaves the sink untouched.
 * Errors: -EINVAL (bad arguments, an id out of range, BTF whose types refer
 * to types it does not have), -ELOOP, -E2BIG (more work than max_work; the
 * sink may have received part of the header), -ENOMEM, or the sink's error
 * (which stops the dump at once).
 */
BTFKIT_API int btfkit_cdump_header(const struct btfkit_btf *btf,
				   const struct btfkit_cdump_header_opts *opts,
				   const struct btfkit_sink *sink);

/* ---- Type by type ---- */

/*
 * A dumper keeps what was written so far (which definitions, which names),
 * so that calls on one dumper add up to one consistent header.
 */
struct btfkit_cdump;

struct btfkit_cdump_opts {
	size_t sz; /* sizeof(struct btfkit_cdump_opts) */
	unsigned int flags; /* BTFKIT_CDUMP_ENUM_MODE; other flags are ignored */
	uint64_t max_work; /* per call; as in struct btfkit_cdump_header_opts */
};

/*
 * A dumper writing to `sink` (copied; its ctx must outlive the dumper).
 * Walks every type once (to check references and note which types are
 * referenced). NULL with errno EINVAL (BTF referring to missing types) or
 * ENOMEM.
 */
BTFKIT_API struct btfkit_cdump *btfkit_cdump_new(const struct btfkit_btf *btf,
						 const struct btfkit_sink *sink,
						 const struct btfkit_cdump_opts *opts);
BTFKIT_API void btfkit_cdump_free(struct btfkit_cdump *d);

/*
 * Write the definition of type `id` preceded by every definition and forward
 * declaration it needs that this dumper has not written yet (libbpf's
 * btf_dump__dump_type()). Types without a C definition of their own (INT,
 * PTR, FUNC, ...) write only what they need. The text reaches the sink before
 * the call returns. Returns 0, -EINVAL (id out of range), -ELOOP (a type loop
 * C cannot express), -E2BIG (see max_work), -ENOMEM, or the sink's error.
 */
BTFKIT_API int btfkit_cdump_type(struct btfkit_cdump *d, uint32_t id);

struct btfkit_cdump_decl_opts {
	size_t sz; /* sizeof(struct btfkit_cdump_decl_opts) */
	/* The declared name: "x" gives "int *x", NULL or "" the bare "int *". */
	const char *field_name;
	/* Indentation (tabs) of the nested lines of inline anonymous bodies. */
	unsigned int indent;
	/* Leave out const, volatile, restrict and type tags. */
	int strip_mods;
};

/*
 * Write one declaration of type `id`, no newline, no semicolon: what libbpf's
 * btf_dump__emit_type_decl() writes ("struct task_struct *p",
 * "void (*cb)(int)", "char name[16]"). Anonymous structs, unions and enums
 * are written inline. Names follow the dumper's deduplication. Nothing the
 * type depends on is written (see btfkit_cdump_type()).
 * Returns 0, -EINVAL, -ELOOP (a chain that does not end), -E2BIG, or the
 * sink's error.
 */
BTFKIT_API int btfkit_cdump_decl(struct btfkit_cdump *d, uint32_t id,
				 const struct btfkit_cdump_decl_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* BTFKIT_CDUMP_H */
