/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private to the resolver (lib/resolve/). The answer is built in a struct rs:
 * the public struct btfkit_resolution plus the storage behind its pointers,
 * reused from one name to the next by the census.
 */
#ifndef BTFKIT_LIB_RESOLVE_INT_H
#define BTFKIT_LIB_RESOLVE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <btfkit/resolve.h>

#include "../kview/kview_int.h"

#define RS_TEXT 640

/* A symbol the kernel's lookup can return, with its place in that lookup. */
struct rs_cand {
	const struct kv_sym *s;
	uint64_t rank;
	uint32_t seq;
};

struct rs {
	struct btfkit_resolution pub; /* first: the public pointer is this struct's */
	struct btfkit_func_cand *funcs;
	size_t cap_funcs;
	struct btfkit_ksym *addrs;
	size_t cap_addrs;
	struct btfkit_ksym *clones;
	size_t cap_clones;
	const char **objects;
	size_t cap_objects;
	struct rs_cand *cands;
	size_t cap_cands;
	bool quiet;      /* census counts only: no reason text */
	/* census: what rs_proto_problem() said per FUNC_PROTO id (0 not asked, 1 ok, 2 refused) */
	uint8_t *proto_seen;
	uint32_t nr_proto_seen;
	const struct btfkit_btf *proto_seen_btf;
	uint32_t fentry; /* census: the func_map entry of the name; else KV_NONE */
	char target[512], name[512], scope[256];
	char reason[RS_TEXT], instead[RS_TEXT], proto[RS_TEXT];
};

/* resolve.c: fill r for a target; or for one (name, object) of the census. */
int rs_resolve(const struct btfkit_kview *kv, struct rs *r, const char *target,
	       enum btfkit_attach_kind attach, unsigned flags);
int rs_census_one(const struct btfkit_kview *kv, struct rs *r, uint32_t entry, uint32_t obj,
		  size_t nr_objs, unsigned flags);
void rs_release(struct rs *r);

/* proto.c: are two FUNCs' prototypes alike (arity and types, names ignored)? */
bool rs_protos_alike(const struct btfkit_btf *a, uint32_t proto_a, const struct btfkit_btf *b,
		     uint32_t proto_b);

/*
 * Does the kernel's trampoline refuse this prototype (at load: a struct
 * return, variable arguments, more than 12 arguments, an argument it cannot
 * save; at attach: more registers than its JIT uses)? The reason goes to buf.
 */
bool rs_proto_problem(const struct btfkit_btf *btf, uint32_t proto_id, uint32_t version, char *buf,
		      size_t sz);

/* model.c: the kernel's behaviour by version, and the clone a kprobe should use. */
enum rs_dup_rule { DUP_TAKES_FIRST, DUP_REFUSES, DUP_MAYBE };
enum rs_clone_use { CLONE_NONE, CLONE_PART, CLONE_WHOLE };
bool rs_module_scoped_lookup(const struct btfkit_kview *kv);
bool rs_llvm_suffix_matches(const struct btfkit_kview *kv);
enum rs_dup_rule rs_kprobe_duplicates(const struct btfkit_kview *kv);
enum rs_dup_rule rs_kprobe_mod_duplicates(const struct btfkit_kview *kv);
enum rs_clone_use rs_clone_use_of(const char *name);
int rs_best_clone(const struct rs *r);
const char *rs_clone_caveat(const struct rs *r, int pick);

#endif /* BTFKIT_LIB_RESOLVE_INT_H */
