// SPDX-License-Identifier: BSD-2-Clause
/*
 * Turning a failed PROG_ARRAY update or EXT load into words: the class comes
 * from what the kernel shows (the array's owner in fdinfo, the program's
 * info, the verifier's log); the paragraph names the kernel change behind it.
 *
 * The kernel facts, from its sources:
 *  - kernel/bpf/core.c, __bpf_prog_map_compatible() (bpf_prog_array_compatible()
 *    before 5.16): the first program that uses a PROG_ARRAY makes its type and
 *    JIT state the array's "owner"; later programs must match (fdinfo prints
 *    owner_prog_type and owner_jited). The check runs on every update and, for
 *    each PROG_ARRAY a program uses, when the program is loaded
 *    (bpf_check_tail_call()).
 *  - 1c123c567fb1 "bpf: Resolve fext program type when checking map
 *    compatibility" (v6.2): the owner of an EXT program is the type of the
 *    program it extends (resolve_prog_type()); before it, the owner was EXT.
 *  - 4540aed51b12 "bpf: Enforce expected_attach_type for tailcall
 *    compatibility" (September 2025; in v6.18, and in 6.1 stable from the
 *    October 2025 review series on, "[PATCH 6.1 089/196]"): a
 *    PROG_ARRAY's programs must also share the owner's expected_attach_type;
 *    kernel/bpf/syscall.c refuses any but 0 for EXT programs.
 *  - d6083f040d5d "bpf: Prevent tailcall infinite loop caused by freplace"
 *    (v6.13; stable backports, 6.12.5 on): prog_fd_array_get_ptr() refuses EXT
 *    programs (EINVAL) and extended programs (EBUSY), and an extension may not
 *    attach to a program that sits in a PROG_ARRAY (EBUSY).
 *  - 81f6d0530ba0 "bpf: check changes_pkt_data property for extension
 *    programs" and 1a4607ffba35 "bpf: consider that tail calls invalidate
 *    packet pointers" (v6.13; backported to stable series such as 6.12): an extension that may
 *    change packet data - a tail call counts - cannot replace a function
 *    that does not ("Extension program changes packet data, while original
 *    does not", kernel/bpf/verifier.c, bpf_check_attach_target()).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe_int.h"
#include "../bpf/bpf_int.h"

/* The kernel's internal "not supported", which tracing loads can return. */
#define KERNEL_ENOTSUPP 524

static const char *const class_names[BTFKIT_FREPLACE_CLASS_MAX] = {
	[BTFKIT_FREPLACE_UNKNOWN] = "unknown",
	[BTFKIT_FREPLACE_WORKS] = "tailcall-works",
	[BTFKIT_FREPLACE_OWNER_EXT] = "owner-ext",
	[BTFKIT_FREPLACE_OWNER_ATTACH_TYPE] = "owner-attach-type",
	[BTFKIT_FREPLACE_OWNER_MISMATCH] = "owner-mismatch",
	[BTFKIT_FREPLACE_EXT_IN_PROG_ARRAY] = "ext-in-prog-array",
	[BTFKIT_FREPLACE_PKT_DATA] = "packet-data-mismatch",
	[BTFKIT_FREPLACE_EXT_NOT_LOADABLE] = "ext-not-loadable",
	[BTFKIT_FREPLACE_LOAD_OWNER] = "load-owner",
	[BTFKIT_FREPLACE_STATIC_TARGET] = "static-target",
};

const char *btfkit_freplace_class_name(enum btfkit_freplace_class cls)
{
	return (unsigned)cls < BTFKIT_FREPLACE_CLASS_MAX ? class_names[cls] : NULL;
}

static const char *type_name(int64_t t, char *buf, size_t sz)
{
	const char *n = t >= 0 ? btfkit_bpf_prog_type_name((uint32_t)t) : NULL;

	if (n)
		snprintf(buf, sz, "%lld (%s)", (long long)t, n);
	else
		snprintf(buf, sz, "%lld", (long long)t);
	return buf;
}

static void say(struct btfkit_explanation *ex, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void say(struct btfkit_explanation *ex, const char *fmt, ...)
{
	size_t used = strlen(ex->text);
	va_list ap;

	if (used + 1 >= sizeof(ex->text))
		return;
	va_start(ap, fmt);
	vsnprintf(ex->text + used, sizeof(ex->text) - used, fmt, ap);
	va_end(ap);
}

void explain_write(struct btfkit_explanation *ex, enum btfkit_freplace_class cls,
		   const struct explain_facts *f)
{
	char owner[48], prog[48];

	ex->cls = cls;
	ex->owner_prog_type = f->owner_type;
	ex->owner_jited = f->owner_jited;
	ex->prog_type = f->prog_type;
	ex->prog_jited = f->prog_jited;
	ex->text[0] = '\0';
	type_name(f->owner_type, owner, sizeof(owner));
	type_name(f->prog_type, prog, sizeof(prog));

	switch (cls) {
	case BTFKIT_FREPLACE_WORKS:
		say(ex, "An freplace (EXT) program can tail-call through a PROG_ARRAY here: the array's owner is "
			"the type of the program the extension replaces a function of (owner_prog_type %s), so "
			"programs of that type go into the array and the tail call reaches them. This holds since "
			"1c123c567fb1 \"bpf: Resolve fext program type when checking map compatibility\" (Linux 6.2).",
		    owner);
		break;
	case BTFKIT_FREPLACE_OWNER_EXT:
		say(ex, "The PROG_ARRAY refuses the program (%s) with EINVAL because the array's owner type is EXT "
			"(owner_prog_type %s in its fdinfo): an freplace program that uses the array was loaded "
			"first, and before Linux 6.2 the kernel recorded an extension's own type as the owner "
			"(kernel/bpf/core.c, bpf_prog_array_compatible()), so only EXT programs fit afterwards. "
			"1c123c567fb1 \"bpf: Resolve fext program type when checking map compatibility\" (6.2) makes "
			"the owner the extended program's type. What works on this kernel: let the freplace function "
			"return the slot and do the tail call in the original program, which is not EXT; or run 6.2 "
			"or later.",
		    prog, owner);
		break;
	case BTFKIT_FREPLACE_OWNER_ATTACH_TYPE:
		say(ex, "The PROG_ARRAY refuses the program with EINVAL although its type and JIT state are the "
			"owner's (owner_prog_type %s, owner_jited %lld): since 4540aed51b12 \"bpf: Enforce "
			"expected_attach_type for tailcall compatibility\" (September 2025: in Linux 6.18, and in "
			"the stable series, e.g. 6.1 since October 2025) the programs of a PROG_ARRAY must also share the owner's "
			"expected_attach_type, which fdinfo does not show. An freplace program is always loaded with "
			"expected_attach_type 0 (the kernel refuses any other for EXT), so an array first used by an "
			"extension takes 0, while libbpf loads SEC(\"xdp\") programs with BPF_XDP. What works: load "
			"the tail-called programs with expected_attach_type 0 (libbpf: "
			"bpf_program__set_expected_attach_type(prog, 0) before loading).",
		    owner, (long long)f->owner_jited);
		break;
	case BTFKIT_FREPLACE_OWNER_MISMATCH:
		if (f->owner_type >= 0 && f->prog_type >= 0 && f->owner_type != f->prog_type)
			say(ex, "The PROG_ARRAY refuses the program with EINVAL because a PROG_ARRAY holds programs of "
				"one type and JIT state only, those of its owner, the first program that used it "
				"(kernel/bpf/core.c, __bpf_prog_map_compatible()): the owner is %s, the program is %s. "
				"What works: one PROG_ARRAY per program type.",
			    owner, prog);
		else if (f->owner_jited >= 0 && f->owner_jited != f->prog_jited)
			say(ex, "The PROG_ARRAY refuses the program with EINVAL because its JIT state differs from the "
				"owner's (owner_jited %lld, the program's %d; kernel/bpf/core.c, "
				"__bpf_prog_map_compatible()): interpreted and JIT-compiled programs cannot tail-call "
				"each other. What works: the same bpf_jit_enable setting for every program of the array.",
			    (long long)f->owner_jited, f->prog_jited);
		else
			say(ex, "The PROG_ARRAY refuses the program with EINVAL although its type and JIT state are "
				"the owner's (owner_prog_type %s, owner_jited %lld): the difference is one fdinfo does "
				"not show. The usual one, since 4540aed51b12 \"bpf: Enforce expected_attach_type for "
				"tailcall compatibility\" (Linux 6.18, and the stable series, e.g. 6.1 since October "
				"2025), is the expected_attach_type: an array first used by an freplace program (always "
				"0) or by a program loaded with 0 refuses libbpf's SEC(\"xdp\") programs (BPF_XDP), and "
				"the reverse. The others: XDP fragment support (BPF_F_XDP_HAS_FRAGS), sleepable or not, "
				"cgroup storage, bpf_override_return use, a device-bound program "
				"(kernel/bpf/core.c, __bpf_prog_map_compatible()). What works: load every program of "
				"the array alike (for the attach type, bpf_program__set_expected_attach_type(prog, 0) "
				"before loading, or BPF_XDP for all).",
			    owner, (long long)f->owner_jited);
		break;
	case BTFKIT_FREPLACE_EXT_IN_PROG_ARRAY:
		if (f->err == EBUSY) {
			say(ex, "The PROG_ARRAY refuses the program (%s) with EBUSY because an freplace program "
				"extends it: since d6083f040d5d \"bpf: Prevent tailcall infinite loop caused by "
				"freplace\" (Linux 6.13, backported to the stable series) a program whose function "
				"is replaced cannot be a tail-call target, and a program in a PROG_ARRAY cannot be "
				"extended, so that an extension can never tail-call back into itself. What works: "
				"detach the extension first, or tail-call a program nobody extends.",
			    prog);
			break;
		}
		say(ex, "The kernel refuses to put an EXT (freplace) program into a PROG_ARRAY (EINVAL): "
			"d6083f040d5d \"bpf: Prevent tailcall infinite loop caused by freplace\" (Linux 6.13, "
			"backported to the stable series, 6.12 from 6.12.5 on) closes a loop in which an "
			"extension tail-calls the program it extends; since then prog_fd_array_get_ptr() refuses EXT programs, and an extension cannot attach to a "
			"program that sits in a PROG_ARRAY (EBUSY). What works: put the programs themselves, not "
			"their extensions, into the array; an extension may still tail-call out of it.");
		break;
	case BTFKIT_FREPLACE_PKT_DATA:
		say(ex, "The verifier refuses the freplace program: \"Extension program changes packet data, while "
			"original does not\". A tail call counts as changing packet data since 1a4607ffba35 \"bpf: "
			"consider that tail calls invalidate packet pointers\", and 81f6d0530ba0 \"bpf: check "
			"changes_pkt_data property for extension programs\" (Linux 6.13, backported to stable series "
			"such as 6.12) refuses "
			"an extension that may change packet data in place of a function that does not, because the "
			"callers of the original keep packet pointers across the call. What works: write the original "
			"function so that it may change packet data too, e.g. call bpf_xdp_adjust_head(ctx, 0) (or "
			"bpf_skb_pull_data(skb, 0) for tc) or a tail call in it; its callers are then verified as "
			"such, and the extension may tail-call.");
		break;
	case BTFKIT_FREPLACE_EXT_NOT_LOADABLE:
		say(ex, "The kernel refuses the freplace (EXT) program itself (%s) before verifying it. EXT "
			"programs, like fentry/fexit tracing programs, run through BPF trampolines and need CAP_BPF "
			"and CAP_PERFMON (kernel/bpf/syscall.c); a kernel without trampolines for its configuration, "
			"lockdown, or a security policy (LSM, seccomp) refuses them while socket filters and XDP "
			"programs still load. Nothing about freplace and tail calls can be learnt on this kernel.",
		    strerror(f->err));
		break;
	case BTFKIT_FREPLACE_LOAD_OWNER:
		say(ex, "The EXT program's load fails with EINVAL without a verifier message: a PROG_ARRAY it uses "
			"already belongs to programs of another type, JIT state or (since 4540aed51b12, Linux "
			"6.18 and stable updates) expected_attach_type (owner_prog_type %s, owner_jited %lld), and "
			"the kernel checks every PROG_ARRAY a program uses when it loads "
			"(bpf_check_tail_call()). Before 1c123c567fb1 (Linux 6.2) an extension counts as type EXT, "
			"so an array already filled with the target's type refuses it. What works: a fresh PROG_ARRAY "
			"used first by the extension, or Linux 6.2 or later.",
		    owner, (long long)f->owner_jited);
		break;
	case BTFKIT_FREPLACE_STATIC_TARGET:
		say(ex, "The verifier refuses the freplace program: \"Cannot replace static functions\". Only "
			"global functions (BTF_FUNC_GLOBAL linkage, verified on their own) can be replaced; a static "
			"one was verified together with its callers. What works: make the original function global "
			"and __noinline.");
		break;
	default:
		say(ex, "The operation failed (%s) for a reason none of the known freplace/tail-call rules "
			"explains.",
		    strerror(f->err ? f->err : EINVAL));
		break;
	}
}

static void facts_init(struct explain_facts *f, int err)
{
	f->owner_type = -1;
	f->owner_jited = -1;
	f->prog_type = -1;
	f->prog_jited = 0;
	f->err = err < 0 ? -err : err;
}

static void read_owner(int map_fd, struct explain_facts *f)
{
	uint64_t v;

	if (map_fd < 0)
		return;
	if (btfkit_bpf_fdinfo_u64(map_fd, "owner_prog_type", &v) == 0)
		f->owner_type = (int64_t)v;
	if (btfkit_bpf_fdinfo_u64(map_fd, "owner_jited", &v) == 0)
		f->owner_jited = (int64_t)v;
}

/*
 * The caller's struct may be older (smaller) than ours, or newer: the
 * answer is made in a whole one and copied up to the caller's sz, which must
 * at least reach the text.
 */
#define EX_MIN_SZ (offsetof(struct btfkit_explanation, text) + sizeof(((struct btfkit_explanation *)0)->text))

static int check_ex(const struct btfkit_explanation *ex)
{
	return ex && ex->sz >= EX_MIN_SZ ? 0 : -EINVAL;
}

static int explain_update(int map_fd, int prog_fd, int err, struct btfkit_explanation *ex)
{
	struct btfkit_bpf_map_info mi = { .sz = sizeof(mi) };
	struct btfkit_bpf_prog_info pi = { .sz = sizeof(pi) };
	struct explain_facts f;
	enum btfkit_freplace_class cls;

	if (btfkit_bpf_map_info(map_fd, &mi) < 0 || btfkit_bpf_prog_info(prog_fd, &pi) < 0)
		return -errno;
	facts_init(&f, err);
	read_owner(map_fd, &f);
	f.prog_type = pi.type;
	f.prog_jited = pi.jited;
	if (mi.type == BPF_MAP_TYPE_PROG_ARRAY && f.err == EBUSY)
		cls = BTFKIT_FREPLACE_EXT_IN_PROG_ARRAY; /* the program is extended */
	else if (f.err != EINVAL || mi.type != BPF_MAP_TYPE_PROG_ARRAY)
		cls = BTFKIT_FREPLACE_UNKNOWN;
	else if (pi.type == BPF_PROG_TYPE_EXT)
		cls = BTFKIT_FREPLACE_EXT_IN_PROG_ARRAY;
	else if (f.owner_type == BPF_PROG_TYPE_EXT)
		cls = BTFKIT_FREPLACE_OWNER_EXT;
	else if (f.owner_type >= 0)
		/*
		 * Type and JIT state differ, or agree and a property fdinfo does not
		 * show differs: which one, only a reload can tell (btfkit probe does,
		 * and calls it owner-attach-type when expected_attach_type 0 fits).
		 */
		cls = BTFKIT_FREPLACE_OWNER_MISMATCH;
	else
		cls = BTFKIT_FREPLACE_UNKNOWN;
	explain_write(ex, cls, &f);
	return 0;
}

static int explain_load(int err, const char *log, int map_fd, struct btfkit_explanation *ex)
{
	struct explain_facts f;
	enum btfkit_freplace_class cls;

	facts_init(&f, err);
	read_owner(map_fd, &f);
	f.prog_type = BPF_PROG_TYPE_EXT;
	if (log && strstr(log, "Extension program changes packet data"))
		cls = BTFKIT_FREPLACE_PKT_DATA;
	else if (log && strstr(log, "Cannot replace static functions"))
		cls = BTFKIT_FREPLACE_STATIC_TARGET;
	else if (f.err == EPERM || f.err == EOPNOTSUPP || f.err == KERNEL_ENOTSUPP)
		cls = BTFKIT_FREPLACE_EXT_NOT_LOADABLE;
	else if (f.err == EINVAL && f.owner_type >= 0 && (!log || !*log || strstr(log, "processed ")))
		cls = BTFKIT_FREPLACE_LOAD_OWNER;
	else
		cls = BTFKIT_FREPLACE_UNKNOWN;
	explain_write(ex, cls, &f);
	return 0;
}

int btfkit_explain_prog_array_update(int map_fd, int prog_fd, int err, struct btfkit_explanation *ex)
{
	struct btfkit_explanation full = { .sz = sizeof(full) };
	int r;

	if (check_ex(ex))
		return bpf_ret(-EINVAL);
	r = explain_update(map_fd, prog_fd, err, &full);
	if (r == 0)
		bpf_give(ex, &full, sizeof(full));
	return r;
}

int btfkit_explain_ext_load(int err, const char *log, int map_fd, struct btfkit_explanation *ex)
{
	struct btfkit_explanation full = { .sz = sizeof(full) };

	if (check_ex(ex))
		return bpf_ret(-EINVAL);
	explain_load(err, log, map_fd, &full);
	bpf_give(ex, &full, sizeof(full));
	return 0;
}
