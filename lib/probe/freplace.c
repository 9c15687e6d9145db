// SPDX-License-Identifier: BSD-2-Clause
/*
 * The freplace + tail-call probe. The scenario, all hand-assembled:
 *
 *   xdp_main(ctx)  -> sub(ctx)            global function, returns XDP_PASS
 *   ext_sub(ctx)   replaces sub: tail call through the PROG_ARRAY, slot 0;
 *                  returns XDP_DROP when the tail call falls through
 *   callee(ctx)    plain XDP program, returns XDP_TX
 *
 * The test run of xdp_main then says who ran: XDP_TX proves the tail call
 * from the extension reached the callee. Each step is recorded; the class
 * comes from the step that failed, explained by explain.c, and where the
 * kernel refuses the scenario as written, the variant that works on it is
 * tried and its test run recorded too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe_int.h"
#include "../bpf/bpf_int.h"

struct scenario {
	int btf_fd, map_fd;
	uint32_t t_main, t_sub, t_ext; /* FUNC ids in the BTF */
	struct btfkit_probe_result *r;
};

static void step(struct btfkit_probe_result *r, const char *what, int err, int64_t value)
{
	struct btfkit_probe_step *s;

	if (r->nr_steps >= BTFKIT_PROBE_MAX_STEPS)
		return;
	s = &r->steps[r->nr_steps++];
	snprintf(s->what, sizeof(s->what), "%s", what);
	s->err = err < 0 ? err : 0;
	s->value = value;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* int f(struct xdp_md *ctx) three times: the entry, the original, the extension. */
static int load_btf(struct scenario *s)
{
	static const char *const fields[] = {
		"data", "data_end", "data_meta", "ingress_ifindex", "rx_queue_index", "egress_ifindex",
	};
	struct pbtf b;
	uint32_t t_int, t_u32, t_md, t_ptr, t_proto;
	void *blob;
	size_t size;
	int fd;

	pbtf_init(&b);
	t_int = pbtf_int(&b, "int", 4, 1);
	t_u32 = pbtf_int(&b, "unsigned int", 4, 0);
	/* The verifier knows the context argument by its struct's name. */
	t_md = pbtf_struct(&b, "xdp_md", 24, 6);
	for (uint32_t i = 0; i < 6; i++)
		pbtf_member(&b, fields[i], t_u32, i * 32);
	t_ptr = pbtf_ptr(&b, t_md);
	t_proto = pbtf_proto(&b, t_int, 1);
	pbtf_param(&b, "ctx", t_ptr);
	s->t_main = pbtf_func(&b, "xdp_main", t_proto, 1);
	s->t_sub = pbtf_func(&b, "sub", t_proto, 1);
	s->t_ext = pbtf_func(&b, "ext_sub", t_proto, 1);
	blob = pbtf_blob(&b, &size);
	pbtf_free(&b);
	if (!blob)
		return -errno;
	fd = btfkit_bpf_btf_load(blob, size, NULL);
	free(blob);
	return fd;
}

/*
 * The program whose global function is replaced. With changes_pkt, the
 * function calls bpf_xdp_adjust_head(ctx, 0): a no-op that makes the
 * verifier count it as changing packet data (the working variant on kernels
 * that compare that property).
 */
static int load_main(struct scenario *s, int changes_pkt)
{
	const struct btfkit_bpf_insn plain[] = {
		P_CALL_REL(1), P_EXIT(),
		P_MOV64_IMM(0, BTFKIT_PROBE_RET_ORIGINAL), P_EXIT(),
	};
	const struct btfkit_bpf_insn pkt[] = {
		P_CALL_REL(1), P_EXIT(),
		P_MOV64_IMM(2, 0), P_CALL_HELPER(BPF_FUNC_xdp_adjust_head),
		P_MOV64_IMM(0, BTFKIT_PROBE_RET_ORIGINAL), P_EXIT(),
	};
	const struct bpf_func_info fi[] = { { 0, s->t_main }, { 2, s->t_sub } };
	struct btfkit_bpf_prog_load_opts o = {
		.sz = sizeof(o), .name = changes_pkt ? "probe_main_pkt" : "probe_main",
		.prog_btf_fd = s->btf_fd, .func_info = fi, .func_info_rec_size = sizeof(fi[0]),
		.func_info_cnt = 2,
	};

	if (changes_pkt)
		return btfkit_bpf_prog_load(BPF_PROG_TYPE_XDP, pkt, sizeof(pkt) / sizeof(pkt[0]), &o);
	return btfkit_bpf_prog_load(BPF_PROG_TYPE_XDP, plain, sizeof(plain) / sizeof(plain[0]), &o);
}

static int load_ext(struct scenario *s, int target_fd, char *log, size_t log_sz)
{
	const struct btfkit_bpf_insn insns[] = {
		P_LD_MAP_FD(2, s->map_fd), P_MOV64_IMM(3, 0), P_CALL_HELPER(BPF_FUNC_tail_call),
		P_MOV64_IMM(0, BTFKIT_PROBE_RET_EXT), P_EXIT(),
	};
	const struct bpf_func_info fi[] = { { 0, s->t_ext } };
	struct btfkit_bpf_prog_load_opts o = {
		.sz = sizeof(o), .name = "probe_ext",
		.prog_btf_fd = s->btf_fd, .func_info = fi, .func_info_rec_size = sizeof(fi[0]),
		.func_info_cnt = 1, .attach_prog_fd = target_fd, .attach_btf_id = s->t_sub,
		.log = { .buf = log, .size = log_sz },
	};

	return btfkit_bpf_prog_load(BPF_PROG_TYPE_EXT, insns, sizeof(insns) / sizeof(insns[0]), &o);
}

/* libbpf loads SEC("xdp") with expected_attach_type BPF_XDP; others leave 0. */
static int load_callee(uint32_t expected_attach_type)
{
	const struct btfkit_bpf_insn insns[] = { P_MOV64_IMM(0, BTFKIT_PROBE_RET_CALLEE), P_EXIT() };
	struct btfkit_bpf_prog_load_opts o = {
		.sz = sizeof(o), .name = expected_attach_type ? "probe_callee_xdp" : "probe_callee",
		.expected_attach_type = expected_attach_type,
	};

	return btfkit_bpf_prog_load(BPF_PROG_TYPE_XDP, insns, 2, &o);
}

static int test_run(int prog_fd, int64_t *retval)
{
	uint8_t pkt[64] = { 0 };
	struct btfkit_bpf_test_run run = { .sz = sizeof(run), .data_in = pkt, .data_size_in = sizeof(pkt) };
	int err = btfkit_bpf_prog_test_run(prog_fd, &run);

	*retval = err < 0 ? -1 : (int64_t)run.retval;
	return err;
}

/* The last lines of a verifier log (where its verdict is), on one line each. */
static void log_tail(char *dst, size_t dst_sz, const char *log)
{
	size_t len = strlen(log);
	const char *p = len >= dst_sz ? log + len - (dst_sz - 1) : log;

	if (p != log) {
		const char *nl = strchr(p, '\n');

		if (nl)
			p = nl + 1;
	}
	len = strlen(p);
	if (len >= dst_sz)
		len = dst_sz - 1;
	memcpy(dst, p, len);
	dst[len] = '\0';
}

/* May an EXT program sit in a PROG_ARRAY? Asked of a fresh array, so the
 * scenario's array keeps the owner the extension gave it. */
static void probe_ext_in_array(struct btfkit_probe_result *r, int ext_fd)
{
	struct btfkit_explanation ex = { .sz = sizeof(ex) };
	uint32_t key = 0;
	int arr = btfkit_bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 1, NULL);
	int err;

	if (arr < 0) {
		step(r, "second prog array create", arr, -1);
		return;
	}
	err = btfkit_bpf_map_update(arr, &key, &ext_fd, BPF_ANY);
	step(r, "ext into a prog array", err, -1);
	if (err == 0) {
		r->ext_in_array = BTFKIT_FREPLACE_WORKS;
		snprintf(r->ext_in_array_text, sizeof(r->ext_in_array_text),
			 "This kernel lets an EXT (freplace) program itself sit in a PROG_ARRAY (Linux 6.13 and "
			 "stable kernels with its backport refuse it: d6083f040d5d \"bpf: Prevent tailcall infinite loop caused by "
			 "freplace\").");
	} else if (btfkit_explain_prog_array_update(arr, ext_fd, err, &ex) == 0) {
		r->ext_in_array = ex.cls;
		snprintf(r->ext_in_array_text, sizeof(r->ext_in_array_text), "%s", ex.text);
	}
	close(arr);
}

/*
 * Attach the loaded extension, fill the array, run the entry program. Returns
 * the class of what happened; *retval gets the test run's return value.
 */
static enum btfkit_freplace_class run_scenario(struct scenario *s, int main_fd, int ext_fd,
					       int64_t *retval, char *text, size_t text_sz,
					       char *variant, size_t variant_sz, int64_t *variant_retval)
{
	struct btfkit_probe_result *r = s->r;
	struct btfkit_explanation ex = { .sz = sizeof(ex) };
	enum btfkit_freplace_class cls;
	int link = -1, callee_xdp = -1, callee0 = -1, err;
	uint32_t key = 0;
	int64_t owner = -1, owner_jited = -1;
	uint64_t v;

	*retval = -1;
	link = btfkit_bpf_raw_tp_open(ext_fd, NULL);
	step(r, "ext attach", link, -1);
	if (link < 0) {
		snprintf(text, text_sz, "The extension loaded but did not attach (%s).", strerror(-link));
		return BTFKIT_FREPLACE_UNKNOWN;
	}
	/* The other half of the rule that keeps EXT programs out of PROG_ARRAYs:
	 * an extended program may not go into one either. A fresh array, so the
	 * scenario's keeps its owner. */
	{
		int arr = btfkit_bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 1, NULL);

		if (arr >= 0) {
			err = btfkit_bpf_map_update(arr, &key, &main_fd, BPF_ANY);
			step(r, "extended program into a prog array", err, -1);
			if (err < 0 && r->ext_in_array != BTFKIT_FREPLACE_WORKS) {
				btfkit_explain_prog_array_update(arr, main_fd, err, &ex);
				if (ex.cls == BTFKIT_FREPLACE_EXT_IN_PROG_ARRAY) {
					size_t used = strlen(r->ext_in_array_text);

					snprintf(r->ext_in_array_text + used, sizeof(r->ext_in_array_text) - used,
						 " The program the extension replaces a function of is refused too "
						 "(EBUSY): an extended program cannot be a tail-call target.");
				}
			}
			close(arr);
		}
	}
	if (btfkit_bpf_fdinfo_u64(s->map_fd, "owner_prog_type", &v) == 0)
		owner = (int64_t)v;
	if (btfkit_bpf_fdinfo_u64(s->map_fd, "owner_jited", &v) == 0)
		owner_jited = (int64_t)v;
	step(r, "owner_prog_type", 0, owner);
	step(r, "owner_jited", 0, owner_jited);

	/* Before any callee: the extension runs in place of sub() and its tail call
	 * falls through, so the entry program returns the extension's value. */
	{
		int64_t rv = -1;

		err = test_run(main_fd, &rv);
		step(r, "test run (empty prog array)", err, rv);
	}
	callee_xdp = load_callee(BPF_XDP);
	callee0 = load_callee(0);
	step(r, "callee load (expected_attach_type xdp)", callee_xdp, -1);
	step(r, "callee load (expected_attach_type 0)", callee0, -1);
	if (callee_xdp < 0 || callee0 < 0) {
		snprintf(text, text_sz, "The plain XDP callee did not load (%s).",
			 strerror(callee_xdp < 0 ? -callee_xdp : -callee0));
		cls = BTFKIT_FREPLACE_UNKNOWN;
		goto out;
	}
	err = btfkit_bpf_map_update(s->map_fd, &key, &callee_xdp, BPF_ANY);
	step(r, "callee into prog array (expected_attach_type xdp)", err, -1);
	if (err == 0) {
		err = test_run(main_fd, retval);
		step(r, "test run", err, *retval);
		if (*retval == BTFKIT_PROBE_RET_CALLEE) {
			explain_write(&ex, BTFKIT_FREPLACE_WORKS,
				      &(struct explain_facts){ .owner_type = owner, .owner_jited = owner_jited,
							       .prog_type = BPF_PROG_TYPE_XDP, .prog_jited = 1 });
			snprintf(text, text_sz, "%s", ex.text);
			cls = BTFKIT_FREPLACE_WORKS;
		} else {
			snprintf(text, text_sz,
				 "The callee went into the PROG_ARRAY, but the test run returned %lld, not the "
				 "callee's %d: the tail call from the extension did not reach it.",
				 (long long)*retval, BTFKIT_PROBE_RET_CALLEE);
			cls = BTFKIT_FREPLACE_UNKNOWN;
		}
		goto out;
	}
	btfkit_explain_prog_array_update(s->map_fd, callee_xdp, err, &ex);
	cls = ex.cls;
	/* The same program with expected_attach_type 0: if it fits, that was the difference. */
	err = btfkit_bpf_map_update(s->map_fd, &key, &callee0, BPF_ANY);
	step(r, "callee into prog array (expected_attach_type 0)", err, -1);
	if (err == 0) {
		int64_t rv = -1;

		if (cls != BTFKIT_FREPLACE_OWNER_ATTACH_TYPE)
			explain_write(&ex, BTFKIT_FREPLACE_OWNER_ATTACH_TYPE,
				      &(struct explain_facts){ .owner_type = ex.owner_prog_type,
							       .owner_jited = ex.owner_jited,
							       .prog_type = ex.prog_type,
							       .prog_jited = ex.prog_jited });
		cls = BTFKIT_FREPLACE_OWNER_ATTACH_TYPE;
		err = test_run(main_fd, &rv);
		step(r, "test run (callee with expected_attach_type 0)", err, rv);
		snprintf(variant, variant_sz, "tail-called programs loaded with expected_attach_type 0");
		*variant_retval = rv;
	}
	snprintf(text, text_sz, "%s", ex.text);
out:
	close_fd(&callee_xdp);
	close_fd(&callee0);
	close_fd(&link);
	return cls;
}

static int probe_run(struct btfkit_probe_result *r)
{
	struct scenario s = { .btf_fd = -1, .map_fd = -1, .r = r };
	struct btfkit_explanation ex = { .sz = sizeof(ex) };
	char log[16384];
	int main_fd = -1, main_pkt = -1, ext_fd = -1, err;

	s.btf_fd = load_btf(&s);
	step(r, "btf load", s.btf_fd, -1);
	if (s.btf_fd < 0)
		return bpf_ret(s.btf_fd);
	s.map_fd = btfkit_bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 1,
					 &(struct btfkit_bpf_map_create_opts){ .sz = sizeof(struct btfkit_bpf_map_create_opts),
									       .name = "probe_jmp" });
	step(r, "prog array create", s.map_fd, -1);
	main_fd = load_main(&s, 0);
	step(r, "xdp program load", main_fd, -1);
	if (s.map_fd < 0 || main_fd < 0) {
		err = s.map_fd < 0 ? s.map_fd : main_fd;
		goto fail;
	}

	ext_fd = load_ext(&s, main_fd, log, sizeof(log));
	step(r, "ext load", ext_fd, -1);
	if (ext_fd >= 0) {
		probe_ext_in_array(r, ext_fd);
		r->cls = run_scenario(&s, main_fd, ext_fd, &r->retval, r->text, sizeof(r->text), r->variant,
				      sizeof(r->variant), &r->variant_retval);
		goto done;
	}

	log_tail(r->ext_log, sizeof(r->ext_log), log);
	btfkit_explain_ext_load(ext_fd, log, s.map_fd, &ex);
	r->cls = ex.cls;
	snprintf(r->text, sizeof(r->text), "%s", ex.text);
	if (ex.cls != BTFKIT_FREPLACE_PKT_DATA)
		goto done;

	/* The working variant: an original function that may change packet data. */
	main_pkt = load_main(&s, 1);
	step(r, "xdp program load (original changes packet data)", main_pkt, -1);
	if (main_pkt < 0)
		goto done;
	ext_fd = load_ext(&s, main_pkt, log, sizeof(log));
	step(r, "ext load (original changes packet data)", ext_fd, -1);
	if (ext_fd < 0)
		goto done;
	probe_ext_in_array(r, ext_fd);
	{
		char text[2048], variant2[256] = "";
		int64_t rv = -1, rv2 = -1;
		enum btfkit_freplace_class cls;

		cls = run_scenario(&s, main_pkt, ext_fd, &rv, text, sizeof(text), variant2, sizeof(variant2), &rv2);
		if (cls == BTFKIT_FREPLACE_WORKS) {
			snprintf(r->variant, sizeof(r->variant),
				 "original function calls bpf_xdp_adjust_head(ctx, 0)");
			r->variant_retval = rv;
		} else if (rv2 >= 0) {
			snprintf(r->variant, sizeof(r->variant),
				 "original function calls bpf_xdp_adjust_head(ctx, 0); %s", variant2);
			r->variant_retval = rv2;
		}
		if (cls != BTFKIT_FREPLACE_WORKS) {
			/* The variant met a second rule: say both. */
			size_t used = strlen(r->text);

			snprintf(r->text + used, sizeof(r->text) - used, " With that, on this kernel: %s", text);
		}
	}
done:
	close_fd(&ext_fd);
	close_fd(&main_pkt);
	close_fd(&main_fd);
	close_fd(&s.map_fd);
	close_fd(&s.btf_fd);
	return 0;
fail:
	close_fd(&main_fd);
	close_fd(&s.map_fd);
	close_fd(&s.btf_fd);
	return bpf_ret(err);
}

/*
 * The result is made in a whole struct and copied up to the caller's sz, so
 * that a caller built against an older (smaller) or newer header works; it
 * must at least reach the text.
 */
#define RESULT_MIN_SZ \
	(offsetof(struct btfkit_probe_result, text) + sizeof(((struct btfkit_probe_result *)0)->text))

int btfkit_probe_freplace_tailcall(struct btfkit_probe_result *r)
{
	struct btfkit_probe_result *full;
	int err;

	if (!r || r->sz < RESULT_MIN_SZ)
		return bpf_ret(-EINVAL);
	full = calloc(1, sizeof(*full));
	if (!full)
		return bpf_ret(-ENOMEM);
	full->sz = sizeof(*full);
	full->retval = -1;
	full->variant_retval = -1;
	err = probe_run(full);
	bpf_give(r, full, sizeof(*full));
	free(full);
	return err < 0 ? bpf_ret(err) : 0;
}
