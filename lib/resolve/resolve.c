// SPDX-License-Identifier: BSD-2-Clause
/*
 * The verdict for one name: the BTF FUNCs, the addresses the kernel's lookup
 * can return (in its order), the clones, traceability, and the model of the
 * kernel by version (docs/RESOLVE.md has the references):
 *
 *   - a vmlinux target's address is kallsyms_lookup_name(name): vmlinux
 *     symbols first, lowest address first among equal names; then the
 *     modules, in the kernel's module list order (newest first), each
 *     module's symbol table in order;
 *   - a module target's address: the same global lookup before 6.4; from 6.4
 *     only that module's own symbols (find_kallsyms_symbol_value);
 *   - clang LTO kernels before 6.10 also match "foo.llvm.<hash>" for "foo"
 *     (the lowest address among both forms wins); from 6.10 the lookup is
 *     exact;
 *   - kprobes by a name with several symbols fail with EADDRNOTAVAIL from
 *     6.6 (and 6.1.60 in the 6.1 series; other stable series got it at a
 *     sublevel not modelled); "module:name" counts too from 6.11.
 *   The model is x86-64's.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <btfkit/btf.h>
#include <btfkit/validate.h>

#include "resolve_int.h"

static const char *const verdict_names[BTFKIT_VERDICT_COUNT] = {
	"unique", "ambiguous", "cross-module", "renamed", "missing", "notrace",
};
static const char *const attach_names[] = { "fentry", "fexit", "fmod_ret", "kprobe", "kretprobe" };
#define NR_ATTACH (sizeof(attach_names) / sizeof(attach_names[0]))

const char *btfkit_resolve_verdict_name(enum btfkit_resolve_verdict v)
{
	return (unsigned)v < BTFKIT_VERDICT_COUNT ? verdict_names[v] : "unknown";
}

const char *btfkit_attach_kind_name(enum btfkit_attach_kind k)
{
	return (unsigned)k < NR_ATTACH ? attach_names[k] : "unknown";
}

int btfkit_attach_kind_parse(const char *s)
{
	for (unsigned i = 0; s && i < NR_ATTACH; i++)
		if (strcmp(s, attach_names[i]) == 0)
			return (int)i;
	errno = EINVAL;
	return -EINVAL;
}

/* ---- building the answer ---- */

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	void *p;
	size_t cap2;

	if (need <= *cap)
		return 0;
	cap2 = *cap ? *cap * 2 : 16;
	while (cap2 < need)
		cap2 *= 2;
	p = realloc(*arr, cap2 * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = cap2;
	return 0;
}

static struct btfkit_ksym ksym_of(const struct btfkit_kview *kv, const struct kv_sym *s)
{
	return (struct btfkit_ksym){
		.name = s->name,
		.module = s->mod ? kv->mods[s->mod].name : NULL,
		.addr = s->addr,
		.traceable = kv_sym_traceable(kv, s),
	};
}

static int push_addr(const struct btfkit_kview *kv, struct rs *r, const struct kv_sym *s)
{
	if (grow((void **)&r->addrs, &r->cap_addrs, r->pub.nr_addrs + 1, sizeof(*r->addrs)))
		return -ENOMEM;
	r->addrs[r->pub.nr_addrs++] = ksym_of(kv, s);
	r->pub.addrs = r->addrs;
	return 0;
}

static int push_clone(const struct btfkit_kview *kv, struct rs *r, const struct kv_sym *s)
{
	if (grow((void **)&r->clones, &r->cap_clones, r->pub.nr_clones + 1, sizeof(*r->clones)))
		return -ENOMEM;
	r->clones[r->pub.nr_clones++] = ksym_of(kv, s);
	r->pub.clones = r->clones;
	return 0;
}

/* One sentence into buf (a field of r); nothing when r only counts. */
static void say(const struct rs *r, char *buf, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(const struct rs *r, char *buf, const char *fmt, ...)
{
	va_list ap;

	if (r->quiet)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, RS_TEXT, fmt, ap);
	va_end(ap);
}

static void reset(struct rs *r)
{
	r->pub.funcs = r->funcs;
	r->pub.addrs = r->addrs;
	r->pub.clones = r->clones;
	r->pub.objects = r->objects;
	r->pub.nr_funcs = r->pub.nr_addrs = r->pub.nr_clones = r->pub.nr_objects = 0;
	r->pub.pick = -1;
	r->pub.compatible = -1;
	r->pub.safe = 0;
	r->pub.attach_btf = NULL;
	r->pub.attach_btf_id = 0;
	r->pub.attach_btf_obj_fd = -1;
	r->pub.kprobe_addr = 0;
	r->pub.proto_refused = NULL;
	r->pub.scope = NULL;
	r->fentry = KV_NONE;
	r->reason[0] = r->instead[0] = '\0';
	r->pub.reason = r->reason;
	r->pub.instead = r->instead;
}

static const char *mod_name(const struct btfkit_kview *kv, uint32_t mod)
{
	return mod ? kv->mods[mod].name : "vmlinux";
}

/*
 * The symbols of a name, and its clones. The census walks the chains linked
 * to its FUNC name (r->fentry); a single answer uses the full name indexes.
 */
static uint32_t sym_chain(const struct btfkit_kview *kv, const struct rs *r, const char *name,
			  size_t len)
{
	uint32_t e;

	if (r->fentry != KV_NONE)
		return kv->fsym_head[r->fentry];
	e = kv_map_get((struct kv_map *)&kv->sym_map, name, len, false);
	return e == KV_NONE ? KV_NONE : kv->sym_map.entries[e].head;
}

static uint32_t sym_next(const struct btfkit_kview *kv, const struct rs *r, uint32_t i)
{
	return r->fentry != KV_NONE ? kv->syms[i].next_fsym : kv->syms[i].next_same;
}

static uint32_t clone_chain(const struct btfkit_kview *kv, const struct rs *r, const char *name,
			    size_t len)
{
	uint32_t e;

	if (r->fentry != KV_NONE)
		return kv->fclone_head[r->fentry];
	e = kv_map_get((struct kv_map *)&kv->clone_map, name, len, false);
	return e == KV_NONE ? KV_NONE : kv->clone_map.entries[e].head;
}

static uint32_t clone_next(const struct btfkit_kview *kv, const struct rs *r, uint32_t i)
{
	return r->fentry != KV_NONE ? kv->syms[i].next_fclone : kv->syms[i].next_clone;
}

static bool is_llvm_alias(const struct kv_sym *s, size_t len)
{
	return s->base_len == len && strncmp(s->name + len, ".llvm.", 6) == 0 &&
	       !strchr(s->name + len + 6, '.');
}

/* Order in which the kernel's global lookup meets a symbol. */
static uint64_t lookup_rank(const struct btfkit_kview *kv, const struct kv_sym *s)
{
	if (!s->mod)
		return 0;
	/* Modules never seen in kallsyms (offline files) come last, order unknown. */
	return kv->mods[s->mod].in_kallsyms ? kv->mods[s->mod].rank : UINT32_MAX;
}

static int cmp_cand(const void *a, const void *b)
{
	const struct rs_cand *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	/* vmlinux: the lowest address first; a module: its table's order */
	if (!x->rank && x->s->addr != y->s->addr)
		return x->s->addr < y->s->addr ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * Fill addrs with what the kernel's lookup of `name` can return, in its
 * order. only_mod: KV_NONE for the global lookup, else that module alone.
 */
static int collect_lookup(const struct btfkit_kview *kv, struct rs *r, const char *name, size_t len,
			  uint32_t only_mod, bool llvm, uint32_t scope_mod, size_t *in_scope, uint32_t *pick_mod)
{
	size_t n = 0;
	int err = 0;

	for (uint32_t i = sym_chain(kv, r, name, len); i != KV_NONE; i = sym_next(kv, r, i)) {
		if (only_mod != KV_NONE && kv->syms[i].mod != only_mod)
			continue;
		if (grow((void **)&r->cands, &r->cap_cands, n + 1, sizeof(*r->cands)))
			return -ENOMEM;
		r->cands[n++] = (struct rs_cand){ &kv->syms[i], lookup_rank(kv, &kv->syms[i]), i };
	}
	/*
	 * Before 6.10 the kernel compared each symbol exactly and with its .llvm.
	 * suffix cut off, so both forms compete: the lowest address wins.
	 */
	if (llvm) {
		for (uint32_t i = clone_chain(kv, r, name, len); i != KV_NONE; i = clone_next(kv, r, i)) {
			if (!is_llvm_alias(&kv->syms[i], len) ||
			    (only_mod != KV_NONE && kv->syms[i].mod != only_mod))
				continue;
			if (grow((void **)&r->cands, &r->cap_cands, n + 1, sizeof(*r->cands)))
				return -ENOMEM;
			r->cands[n++] = (struct rs_cand){ &kv->syms[i], lookup_rank(kv, &kv->syms[i]), i };
		}
	}
	if (n > 1)
		qsort(r->cands, n, sizeof(*r->cands), cmp_cand);
	*in_scope = 0;
	for (size_t i = 0; i < n && !err; i++) {
		err = push_addr(kv, r, r->cands[i].s);
		*in_scope += r->cands[i].s->mod == scope_mod;
	}
	if (n) {
		r->pub.pick = 0;
		*pick_mod = r->cands[0].s->mod;
	}
	return err;
}

static int collect_clones(const struct btfkit_kview *kv, struct rs *r, const char *name, size_t len,
			  uint32_t only_mod)
{
	for (uint32_t i = clone_chain(kv, r, name, len); i != KV_NONE; i = clone_next(kv, r, i)) {
		if (only_mod != KV_NONE && kv->syms[i].mod != only_mod)
			continue;
		if (push_clone(kv, r, &kv->syms[i]))
			return -ENOMEM;
	}
	return 0;
}

static void addr_text(const struct rs *r, char *buf, size_t sz, const struct btfkit_ksym *s)
{
	if (r->quiet)
		buf[0] = '\0';
	else if (s->addr)
		snprintf(buf, sz, "%s at 0x%llx%s%s%s", s->name, (unsigned long long)s->addr,
			 s->module ? " [" : "", s->module ? s->module : "", s->module ? "]" : "");
	else
		snprintf(buf, sz, "%s%s%s%s", s->name, s->module ? " [" : "",
			 s->module ? s->module : "", s->module ? "]" : "");
}

/* Prototype likeness of every FUNC in r (1, 0; -1 when fewer than two). */
static int funcs_alike(const struct rs *r)
{
	if (r->pub.nr_funcs < 2)
		return -1;
	for (size_t i = 1; i < r->pub.nr_funcs; i++)
		if (!rs_protos_alike(r->funcs[0].btf, r->funcs[0].proto_id, r->funcs[i].btf,
				     r->funcs[i].proto_id))
			return 0;
	return 1;
}

/*
 * Does the trampoline refuse the FUNC's prototype? Counting census threads
 * remember the answer per prototype of vmlinux (most FUNCs share one).
 */
static bool proto_refused(const struct btfkit_kview *kv, struct rs *r)
{
	const struct btfkit_btf *btf = r->funcs[0].btf;
	uint32_t id = r->funcs[0].proto_id;
	bool refused;

	if (!r->quiet || btf != kv->objs[0].btf)
		return rs_proto_problem(btf, id, kv->version, r->proto, sizeof(r->proto));
	if (!r->proto_seen) {
		r->nr_proto_seen = btfkit_btf_type_count(btf);
		r->proto_seen = calloc(r->nr_proto_seen, 1);
		r->proto_seen_btf = btf;
	}
	if (!r->proto_seen || id >= r->nr_proto_seen)
		return rs_proto_problem(btf, id, kv->version, r->proto, sizeof(r->proto));
	if (!r->proto_seen[id])
		r->proto_seen[id] = rs_proto_problem(btf, id, kv->version, r->proto, sizeof(r->proto)) ? 2 : 1;
	refused = r->proto_seen[id] == 2;
	if (refused)
		r->proto[0] = '\0'; /* counted, not told */
	return refused;
}

/* ---- tracing programs: fentry, fexit, fmod_ret ---- */

/*
 * fmod_ret: check_attach_modify_return() (kernel/bpf/verifier.c) takes a
 * function on the error-injection list (ALLOW_ERROR_INJECTION) or named
 * security_*; else the load fails with EINVAL and "%s() is not modifiable".
 * Without the list, the security_ rule alone decides, and the reason says so.
 */
static bool modifiable(const struct btfkit_kview *kv, struct rs *r, const char *name)
{
	int listed = kv_error_injectable(kv, name);

	if (strncmp(name, "security_", 9) == 0 || listed == 1)
		return true;
	say(r, r->reason,
	    "fmod_ret: %s is %s and not named security_*: the kernel refuses it (\"%s() is not modifiable\", EINVAL)",
	    name, listed < 0 ? "not known to be on the error-injection list (the list is unknown: give --error-injection)" :
			       "not on the error-injection list",
	    name);
	say(r, r->instead, "%s", "fexit to observe the return value, or a function on the error-injection list");
	return false;
}

static int tracing_verdict(const struct btfkit_kview *kv, struct rs *r, const char *name,
			   uint32_t mod, unsigned flags)
{
	size_t len = strlen(name), in_scope = 0;
	const char *scope = mod_name(kv, mod);
	bool scoped = mod && rs_module_scoped_lookup(kv);
	const struct btfkit_ksym *pick;
	uint32_t pick_mod = 0;
	char where[600];
	int err;

	err = collect_lookup(kv, r, name, len, scoped ? mod : KV_NONE, rs_llvm_suffix_matches(kv), mod,
			     &in_scope, &pick_mod);
	if (!err)
		err = collect_clones(kv, r, name, len, mod);
	if (err)
		return err;
	r->pub.compatible = funcs_alike(r);

	if (!r->pub.nr_funcs) {
		r->pub.verdict = BTFKIT_VERDICT_MISSING;
		say(r, r->reason, "%s has no BTF FUNC named %s: a tracing program needs one", scope, name);
		if (r->pub.nr_addrs || r->pub.nr_clones)
			say(r, r->instead, "a kprobe (btfkit resolve --attach kprobe %s)", name);
		return 0;
	}
	if (!(kv->have & BTFKIT_KVIEW_KALLSYMS)) {
		r->pub.verdict = r->pub.nr_funcs > 1 ? BTFKIT_VERDICT_AMBIGUOUS : BTFKIT_VERDICT_UNIQUE;
		say(r, r->reason,
		    "unverified: %zu BTF FUNC%s named %s in %s, but no kallsyms to say whether the kernel finds it and where",
		    r->pub.nr_funcs, r->pub.nr_funcs > 1 ? "s" : "", name, scope);
		say(r, r->instead, "%s", "give the kernel's symbols (--kallsyms /proc/kallsyms copy or System.map)");
		/* The prototype is still told; without addresses nothing is safe. */
		if (proto_refused(kv, r))
			r->pub.proto_refused = r->proto;
		return 0;
	}
	if (!r->pub.nr_addrs) {
		if (r->pub.nr_clones) {
			int cpick = rs_best_clone(r);
			char c[600];

			r->pub.verdict = BTFKIT_VERDICT_RENAMED;
			addr_text(r, c, sizeof(c), &r->clones[cpick < 0 ? 0 : cpick]);
			say(r, r->reason,
			    "no symbol %s%s%s: the compiler renamed it (%s%s), so the kernel cannot find its address%s",
			    name, mod ? " in " : "", mod ? scope : "", c,
			    r->pub.nr_clones > 1 ? ", ..." : "", rs_clone_caveat(r, cpick));
			if (cpick >= 0) {
				say(r, r->instead, "a kprobe at the clone's address (%s)", c);
				r->pub.kprobe_addr = r->clones[cpick].addr;
			}
		} else {
			r->pub.verdict = BTFKIT_VERDICT_MISSING;
			say(r, r->reason, "no symbol %s or clone of it%s%s: inlined, or not built", name,
			    mod ? " in " : "", mod ? scope : "");
		}
		return 0;
	}
	pick = &r->addrs[0];
	addr_text(r, where, sizeof(where), pick);
	if (pick->traceable == 0) {
		r->pub.verdict = BTFKIT_VERDICT_NOTRACE;
		say(r, r->reason, "the kernel would attach to %s, which is not in available_filter_functions",
		    where);
		return 0;
	}
	if (pick_mod != mod) {
		r->pub.verdict = BTFKIT_VERDICT_AMBIGUOUS;
		say(r, r->reason,
		    "the kernel's lookup by name finds %s first, not %s's function the BTF id describes",
		    where, scope);
		say(r, r->instead, "%s", kv->version && !rs_module_scoped_lookup(kv) ?
			"a kernel from 6.4 on (module-scoped lookup), or a kprobe at the address of the one you mean" :
			"a kprobe at the address of the one you mean");
		return 0;
	}
	if (in_scope > 1 || r->pub.nr_funcs > 1) {
		r->pub.verdict = BTFKIT_VERDICT_AMBIGUOUS;
		say(r, r->reason,
		    "%zu BTF FUNC%s and %zu address%s named %s in %s: the kernel attaches to the first, %s, whatever BTF id is given",
		    r->pub.nr_funcs, r->pub.nr_funcs > 1 ? "s" : "", in_scope, in_scope > 1 ? "es" : "",
		    name, scope, where);
		say(r, r->instead, "a kprobe at the address of the one you mean%s",
		    r->pub.compatible == 1 ? ", or accept it: every prototype is alike" : "");
		/* Accepted on request: the kernel checks the program against one prototype, all alike. */
		if ((flags & BTFKIT_RESOLVE_ACCEPT_COMPATIBLE) && r->pub.compatible == 1)
			goto pair;
		return 0;
	}
	r->pub.verdict = BTFKIT_VERDICT_UNIQUE;
	say(r, r->reason, "one BTF FUNC and one address named %s in %s: %s", name, scope, where);
pair:
	if (proto_refused(kv, r)) {
		r->pub.proto_refused = r->proto;
		say(r, r->instead, "%s", "a kprobe (kprobes read registers, whatever the prototype)");
		return 0;
	}
	if (r->pub.attach == BTFKIT_ATTACH_FMOD_RET && !modifiable(kv, r, name))
		return 0;
	r->pub.safe = 1;
	r->pub.attach_btf = r->funcs[0].btf;
	r->pub.attach_btf_id = r->funcs[0].btf_id;
	r->pub.attach_btf_obj_fd = r->funcs[0].object_idx == 0 ? 0 : kv->objs[r->funcs[0].object_idx].fd;
	return 0;
}

/* ---- kprobes ---- */

static int kprobe_verdict(const struct btfkit_kview *kv, struct rs *r, const char *name, uint32_t mod,
			  bool mod_said)
{
	size_t len = strlen(name), base = kv_clone_base_len(name);
	char where[600];
	uint32_t pick_mod = 0;
	size_t in_scope;
	int err;

	err = collect_lookup(kv, r, name, len, mod_said ? mod : KV_NONE, rs_llvm_suffix_matches(kv), mod,
			     &in_scope, &pick_mod);
	/* The clones of the base name: of foo for foo, its siblings for foo.isra.0 */
	if (!err)
		err = collect_clones(kv, r, name, base ? base : len, mod_said ? mod : KV_NONE);
	if (err)
		return err;
	if (!(kv->have & BTFKIT_KVIEW_KALLSYMS)) {
		r->pub.verdict = BTFKIT_VERDICT_MISSING;
		say(r, r->reason, "no kallsyms: where %s is cannot be known", name);
		return 0;
	}
	if (!r->pub.nr_addrs) {
		if (r->pub.nr_clones && !base) {
			int pick = rs_best_clone(r);

			addr_text(r, where, sizeof(where), &r->clones[pick < 0 ? 0 : pick]);
			r->pub.verdict = BTFKIT_VERDICT_RENAMED;
			say(r, r->reason, "no symbol %s, only clone%s: %s%s%s", name,
			    r->pub.nr_clones > 1 ? "s" : "", where, r->pub.nr_clones > 1 ? ", ..." : "",
			    rs_clone_caveat(r, pick));
			if (pick >= 0) {
				r->pub.kprobe_addr = r->clones[pick].addr;
				say(r, r->instead,
				    "a kprobe on the clone, by address (check its arguments: a clone may have dropped some)");
			}
		} else {
			r->pub.verdict = BTFKIT_VERDICT_MISSING;
			say(r, r->reason, "no symbol %s%s%s", name, mod_said ? " in " : "",
			    mod_said ? mod_name(kv, mod) : "");
		}
		return 0;
	}
	addr_text(r, where, sizeof(where), &r->addrs[0]);
	r->pub.kprobe_addr = r->addrs[0].addr;
	if (r->pub.nr_addrs > 1) {
		r->pub.verdict = BTFKIT_VERDICT_AMBIGUOUS;
		enum rs_dup_rule rule = mod_said ? rs_kprobe_mod_duplicates(kv) : rs_kprobe_duplicates(kv);
		char what[300];

		if (mod_said)
			snprintf(what, sizeof(what), "%zu symbols %s in %s", r->pub.nr_addrs, name,
				 mod_name(kv, mod));
		else
			snprintf(what, sizeof(what), "%zu symbols named %s", r->pub.nr_addrs, name);
		if (rule == DUP_REFUSES)
			say(r, r->reason, "%s: the kernel refuses the name (EADDRNOTAVAIL)", what);
		else if (rule == DUP_MAYBE)
			say(r, r->reason,
			    "%s: this kernel may take the first, %s, or refuse the name (EADDRNOTAVAIL), as its stable updates have the change or not%s",
			    what, where, (kv->version & 0xff) == 0 ? " (a sublevel of 0 is often a distribution's)" : "");
		else
			say(r, r->reason, "%s: this kernel silently takes the first, %s", what, where);
		say(r, r->instead, "a kprobe by address: the one you mean among the %zu", r->pub.nr_addrs);
		return 0;
	}
	r->pub.verdict = BTFKIT_VERDICT_UNIQUE;
	r->pub.safe = 1;
	say(r, r->reason, "one symbol %s: %s", name, where);
	return 0;
}

/* ---- entry points ---- */

static int add_funcs(const struct btfkit_kview *kv, struct rs *r, const char *name, size_t len,
		     int only_obj)
{
	uint32_t e = r->fentry != KV_NONE ? r->fentry :
					     kv_map_get((struct kv_map *)&kv->func_map, name, len, false);
	int last_obj = -1;

	if (e == KV_NONE)
		return 0;
	for (uint32_t i = kv->func_map.entries[e].head; i != KV_NONE; i = kv->funcs[i].next) {
		const struct kv_func *f = &kv->funcs[i];
		const struct btfkit_btf *btf = kv->objs[f->obj].btf;

		if ((int)f->obj != last_obj) {
			if (grow((void **)&r->objects, &r->cap_objects, r->pub.nr_objects + 1,
				 sizeof(*r->objects)))
				return -ENOMEM;
			r->objects[r->pub.nr_objects++] = kv->objs[f->obj].name;
			r->pub.objects = r->objects;
			last_obj = (int)f->obj;
		}
		if (only_obj >= 0 && (int)f->obj != only_obj)
			continue;
		if (grow((void **)&r->funcs, &r->cap_funcs, r->pub.nr_funcs + 1, sizeof(*r->funcs)))
			return -ENOMEM;
		r->funcs[r->pub.nr_funcs++] = (struct btfkit_func_cand){
			.object = kv->objs[f->obj].name,
			.object_idx = f->obj,
			.btf = btf,
			.btf_id = f->id,
			.proto_id = btfkit_btf_type(btf, f->id)->type,
		};
		r->pub.funcs = r->funcs;
	}
	return 0;
}

static uint32_t obj_mod(const struct btfkit_kview *kv, size_t obj)
{
	uint32_t e;

	if (!obj)
		return 0;
	e = kv_map_get((struct kv_map *)&kv->mod_map, kv->objs[obj].name, strlen(kv->objs[obj].name),
		       false);
	return e == KV_NONE ? 0 : kv->mod_map.entries[e].head;
}

int rs_resolve(const struct btfkit_kview *kv, struct rs *r, const char *target,
	       enum btfkit_attach_kind attach, unsigned flags)
{
	const char *colon = strchr(target, ':'), *name = colon ? colon + 1 : target;
	bool tracing = attach <= BTFKIT_ATTACH_FMOD_RET;
	uint32_t mod = 0;
	int obj = -1, err;
	size_t base;

	reset(r);
	snprintf(r->target, sizeof(r->target), "%s", target);
	r->pub.target = r->target;
	r->pub.attach = attach;
	if (!*name || (colon && colon == target))
		return -EINVAL;
	if (colon) {
		size_t slen = (size_t)(colon - target);
		uint32_t e = kv_map_get((struct kv_map *)&kv->mod_map, target, slen, false);

		snprintf(r->scope, sizeof(r->scope), "%.*s", (int)slen, target);
		r->pub.scope = r->scope;
		snprintf(r->name, sizeof(r->name), "%s", name);
		r->pub.name = r->name;
		if (e == KV_NONE)
			return -ENOENT;
		mod = kv->mod_map.entries[e].head;
		obj = kv->mods[mod].obj;
	}
	/* fentry can only name the base of a clone: the BTF FUNC has no suffix. */
	base = tracing ? kv_clone_base_len(name) : 0;
	snprintf(r->name, sizeof(r->name), "%.*s", (int)(base ? base : strlen(name)), name);
	r->pub.name = r->name;

	err = add_funcs(kv, r, r->name, strlen(r->name), colon ? (obj >= 0 ? obj : -2) : -1);
	if (err)
		return err;
	if (!tracing)
		return kprobe_verdict(kv, r, r->name, mod, colon != NULL);

	if (!colon && r->pub.nr_objects > 1) {
		/* What "object:func" would get, for the first object holding it. */
		size_t first = r->funcs[0].object_idx, n = r->pub.nr_funcs;

		r->pub.nr_funcs = 0;
		for (size_t i = 0; i < n; i++)
			if (r->funcs[i].object_idx == first)
				r->funcs[r->pub.nr_funcs++] = r->funcs[i];
		err = tracing_verdict(kv, r, r->name, obj_mod(kv, first), flags);
		if (err)
			return err;
		r->pub.scoped_verdict = r->pub.verdict;
		r->pub.verdict = BTFKIT_VERDICT_CROSS_MODULE;
		r->pub.safe = 0;
		r->pub.attach_btf = NULL;
		r->pub.attach_btf_id = 0;
		r->pub.attach_btf_obj_fd = -1;
		say(r, r->reason, "BTF FUNCs named %s in %zu objects (%s, %s%s) and the target does not say which",
		    r->name, r->pub.nr_objects, r->objects[0], r->objects[1],
		    r->pub.nr_objects > 2 ? ", ..." : "");
		say(r, r->instead, "name the object: %s:%s or %s:%s", r->objects[0], r->name, r->objects[1],
		    r->name);
		return 0;
	}
	if (!colon && r->pub.nr_funcs)
		mod = obj_mod(kv, r->funcs[0].object_idx);
	if (!colon && mod) {
		snprintf(r->scope, sizeof(r->scope), "%s", kv->mods[mod].name);
		r->pub.scope = r->scope;
	}
	err = tracing_verdict(kv, r, r->name, mod, flags);
	r->pub.scoped_verdict = r->pub.verdict;
	if (!err && base && r->pub.verdict != BTFKIT_VERDICT_MISSING) {
		char note[2 * RS_TEXT];

		snprintf(note, sizeof(note), "%s is a compiler clone of %s; fentry targets %s: %s", name,
			 r->name, r->name, r->reason);
		snprintf(r->reason, RS_TEXT, "%.*s", RS_TEXT - 1, note);
	}
	return err;
}

/* One census record: the FUNCs of `name` in object `obj`, which nr_objs objects have. */
int rs_census_one(const struct btfkit_kview *kv, struct rs *r, uint32_t entry, uint32_t obj,
		  size_t nr_objs, unsigned flags)
{
	const char *name = kv->func_map.entries[entry].key;
	size_t name_len = kv->func_map.entries[entry].len;
	int err;

	reset(r);
	r->fentry = entry;
	/* Names fit (kallsyms allows 512 bytes); copies, not formatting, for speed. */
	if (name_len >= sizeof(r->name))
		name_len = sizeof(r->name) - 1;
	memcpy(r->name, name, name_len);
	r->name[name_len] = '\0';
	r->pub.name = r->pub.target = r->name;
	r->pub.attach = BTFKIT_ATTACH_FENTRY;
	r->pub.scope = kv->objs[obj].name;
	err = add_funcs(kv, r, r->name, name_len, (int)obj);
	if (!err)
		err = tracing_verdict(kv, r, r->name, obj_mod(kv, obj), flags);
	if (err)
		return err;
	r->pub.scoped_verdict = r->pub.verdict;
	if (nr_objs > 1) {
		r->pub.verdict = BTFKIT_VERDICT_CROSS_MODULE;
		r->pub.safe = 0;
		say(r, r->instead, "name the object: %s:%s", kv->objs[obj].name, r->name);
	}
	return 0;
}

void rs_release(struct rs *r)
{
	free(r->funcs);
	free(r->addrs);
	free(r->clones);
	free(r->objects);
	free(r->cands);
	free(r->proto_seen);
}

struct btfkit_resolution *btfkit_resolve(const struct btfkit_kview *kv, const char *target,
					 const struct btfkit_resolve_opts *opts)
{
	enum btfkit_attach_kind attach = opts && opts->sz > offsetof(struct btfkit_resolve_opts, attach) ?
						 opts->attach : BTFKIT_ATTACH_FENTRY;
	unsigned flags = opts && opts->sz > offsetof(struct btfkit_resolve_opts, flags) ? opts->flags : 0;
	struct rs *r;
	int err;

	if (!kv || !target || (unsigned)attach >= NR_ATTACH) {
		errno = EINVAL;
		return NULL;
	}
	/* The full name indexes, built on the first single answer. */
	err = kv_index_syms((struct btfkit_kview *)kv);
	if (err) {
		errno = -err;
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		errno = ENOMEM;
		return NULL;
	}
	err = rs_resolve(kv, r, target, attach, flags);
	if (err == -ENOENT) {
		/* A module this view does not know: an answer, not an error. */
		r->pub.verdict = r->pub.scoped_verdict = BTFKIT_VERDICT_MISSING;
		say(r, r->reason, "no module %s in this kernel view", r->scope);
		err = 0;
	}
	if (err) {
		rs_release(r);
		free(r);
		errno = -err;
		return NULL;
	}
	return &r->pub;
}

void btfkit_resolution_free(struct btfkit_resolution *res)
{
	struct rs *r = (struct rs *)res;

	if (!r)
		return;
	rs_release(r);
	free(r);
}

int btfkit_resolution_attach_pair(const struct btfkit_resolution *r, int *btf_obj_fd, uint32_t *btf_id)
{
	int err = 0;

	if (!r || r->attach > BTFKIT_ATTACH_FMOD_RET)
		err = -EINVAL;
	else if (!r->safe || !r->attach_btf_id)
		err = -EPERM;
	else if (r->attach_btf_obj_fd < 0)
		err = -ENODATA;
	if (err) {
		errno = -err;
		return err;
	}
	if (btf_obj_fd)
		*btf_obj_fd = r->attach_btf_obj_fd;
	if (btf_id)
		*btf_id = r->attach_btf_id;
	return 0;
}
