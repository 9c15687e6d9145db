/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The attach-target resolver: which kernel function a program attached to a
 * name really runs on, and whether that is safe.
 *
 * The kernel checks a tracing program against the BTF id it is given, then
 * finds the address by *name*. Names repeat (several static functions of one
 * name, in vmlinux and in modules) and compilers rename functions (.isra.0,
 * .constprop.0, .part.0, .cold, .llvm.<hash>). The resolver joins, per name:
 * every BTF FUNC, every kallsyms address, the clones, tracefs, and a model of
 * the kernel's lookup for the view's kernel version (docs/RESOLVE.md), and
 * gives a verdict:
 *
 *   unique        one BTF FUNC and one address where the kernel looks: safe
 *   ambiguous     several FUNCs in one object, several addresses where the
 *                 kernel looks, or the kernel's lookup lands outside the
 *                 object named: the program may run on a function it was not
 *                 checked against
 *   cross-module  FUNCs of the name in several BTF objects and the request
 *                 did not say which ("module:func", "vmlinux:func")
 *   renamed       no symbol with the exact name, only clones: fentry fails
 *                 ("The address of function X cannot be found"); kprobes can
 *                 use a clone's address
 *   missing       neither the name nor a clone (inlined, or not built)
 *   notrace       the address exists but is not in available_filter_functions
 */
#ifndef BTFKIT_RESOLVE_H
#define BTFKIT_RESOLVE_H

#include <stddef.h>
#include <stdint.h>

#include <btfkit/api.h>

#ifdef __cplusplus
extern "C" {
#endif

struct btfkit_btf;
struct btfkit_kview;

enum btfkit_resolve_verdict {
	BTFKIT_VERDICT_UNIQUE = 0,
	BTFKIT_VERDICT_AMBIGUOUS = 1,
	BTFKIT_VERDICT_CROSS_MODULE = 2,
	BTFKIT_VERDICT_RENAMED = 3,
	BTFKIT_VERDICT_MISSING = 4,
	BTFKIT_VERDICT_NOTRACE = 5,
	BTFKIT_VERDICT_COUNT = 6,
};
/* "unique", "ambiguous", "cross-module", "renamed", "missing", "notrace". */
BTFKIT_API const char *btfkit_resolve_verdict_name(enum btfkit_resolve_verdict v);

enum btfkit_attach_kind {
	BTFKIT_ATTACH_FENTRY = 0,
	BTFKIT_ATTACH_FEXIT = 1,
	BTFKIT_ATTACH_FMOD_RET = 2,
	BTFKIT_ATTACH_KPROBE = 3,
	BTFKIT_ATTACH_KRETPROBE = 4,
};
/* "fentry", ...; btfkit_attach_kind_parse() is the reverse (-EINVAL). */
BTFKIT_API const char *btfkit_attach_kind_name(enum btfkit_attach_kind k);
BTFKIT_API int btfkit_attach_kind_parse(const char *s);

/* One kernel symbol. */
struct btfkit_ksym {
	const char *name;
	const char *module; /* NULL: vmlinux */
	uint64_t addr;      /* 0: unknown (a module's file offline, or hidden addresses) */
	int traceable;      /* in available_filter_functions: 1 yes, 0 no, -1 unknown */
};

/* One BTF FUNC of the name. */
struct btfkit_func_cand {
	const char *object; /* "vmlinux" or the module */
	size_t object_idx;  /* btfkit_kview_object() index */
	const struct btfkit_btf *btf;
	uint32_t btf_id;   /* the FUNC */
	uint32_t proto_id; /* its FUNC_PROTO */
};

/*
 * The answer for one target. Everything it points to belongs to it (or to
 * the view) and lives until btfkit_resolution_free() (or, in a census
 * callback, until the callback returns).
 */
struct btfkit_resolution {
	const char *target; /* as asked: "func", "module:func", a clone name */
	const char *name;   /* the function name looked up (a clone's base name for fentry) */
	const char *scope;  /* the object asked for or implied; NULL: not said */
	enum btfkit_attach_kind attach;
	enum btfkit_resolve_verdict verdict;
	/* For a cross-module name: the verdict had the object been named. */
	enum btfkit_resolve_verdict scoped_verdict;
	int safe;           /* 1: attach as asked will run on the function described */
	const char *reason; /* one sentence */
	const char *instead; /* what would work instead; "" when nothing does */

	const struct btfkit_func_cand *funcs; /* FUNCs of the name in scope */
	size_t nr_funcs;
	/* 1: all FUNC prototypes alike (arity and types, names ignored); 0 no; -1 n/a */
	int compatible;
	/*
	 * Where the kernel looks, in its lookup order: the addresses its lookup
	 * can return. addrs[pick] is the one it returns (-1: none).
	 */
	const struct btfkit_ksym *addrs;
	size_t nr_addrs;
	int pick;
	const struct btfkit_ksym *clones; /* foo.isra.0, ... in scope */
	size_t nr_clones;
	const char *const *objects; /* BTF objects holding a FUNC of the name */
	size_t nr_objects;

	/* For a safe tracing target: what BPF_PROG_LOAD takes. */
	const struct btfkit_btf *attach_btf;
	uint32_t attach_btf_id;
	int attach_btf_obj_fd; /* 0: vmlinux; a module's BTF fd; -1: unknown (offline) */
	/* For kprobes: the address to attach by (0: none known). */
	uint64_t kprobe_addr;
	/*
	 * Set when the name resolves well (unique, or accepted) but the
	 * kernel's trampoline refuses the prototype (a struct return,
	 * variable arguments, too many arguments for this kernel): one
	 * sentence; then safe is 0. NULL otherwise.
	 */
	const char *proto_refused;
};

enum btfkit_resolve_flags {
	/* Accept an ambiguous tracing target when every prototype is alike. */
	BTFKIT_RESOLVE_ACCEPT_COMPATIBLE = 1u << 0,
};

struct btfkit_resolve_opts {
	size_t sz; /* sizeof(struct btfkit_resolve_opts) */
	enum btfkit_attach_kind attach;
	unsigned int flags; /* enum btfkit_resolve_flags */
};

/*
 * Resolve `target` ("func", "module:func", "vmlinux:func" or a clone name).
 * A module the view does not know is an answer, not an error: verdict
 * missing, reason "no module M in this kernel view". NULL with errno EINVAL
 * (no view, empty target or name, an unknown attach kind) or ENOMEM.
 */
BTFKIT_API struct btfkit_resolution *btfkit_resolve(const struct btfkit_kview *kv,
						    const char *target,
						    const struct btfkit_resolve_opts *opts);
BTFKIT_API void btfkit_resolution_free(struct btfkit_resolution *r);

/*
 * The pair a loader passes to BPF_PROG_LOAD (attach_btf_obj_fd,
 * attach_btf_id) for a safe tracing target. 0, or -EPERM (not safe),
 * -EINVAL (not a tracing target), -ENODATA (offline: no object fd).
 */
BTFKIT_API int btfkit_resolution_attach_pair(const struct btfkit_resolution *r, int *btf_obj_fd,
					     uint32_t *btf_id);

/*
 * Census: every FUNC name of every BTF object of the view, classified as an
 * unqualified fentry request would be (cross-module for a name with FUNCs in
 * several objects; scoped_verdict says what "object:func" gets). `record`
 * (optional) is called once per (object, name), in the order names first
 * appear (vmlinux's first); a non-zero return stops the census and is
 * returned. Without `record`, the census runs on two threads and builds no
 * reason text. `progress` (optional) is called now and then.
 */
struct btfkit_census_opts {
	size_t sz; /* sizeof(struct btfkit_census_opts) */
	int (*record)(void *ctx, const struct btfkit_resolution *r);
	void (*progress)(void *ctx, size_t done, size_t total);
	void *ctx;
	unsigned int flags; /* enum btfkit_resolve_flags */
};

struct btfkit_census_counts {
	size_t sz; /* sizeof(struct btfkit_census_counts) */
	uint64_t records;
	uint64_t verdict[BTFKIT_VERDICT_COUNT];
	/* cross-module records by the verdict they get once the object is named */
	uint64_t scoped[BTFKIT_VERDICT_COUNT];
	/* unique records whose prototype the trampoline refuses */
	uint64_t unique_proto_refused;
};

/* Returns the number of records, or a negative errno (or record's return). */
BTFKIT_API int64_t btfkit_census(const struct btfkit_kview *kv, const struct btfkit_census_opts *opts,
				 struct btfkit_census_counts *counts);

#ifdef __cplusplus
}
#endif

#endif /* BTFKIT_RESOLVE_H */
