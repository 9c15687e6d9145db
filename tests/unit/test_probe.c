// SPDX-License-Identifier: BSD-2-Clause
/*
 * The explanations, against the running kernel where it can produce the
 * failure (PROG_ARRAY owners of socket filters and XDP programs), and from
 * verifier logs as the kernels write them where it cannot (EXT programs do
 * not load on every machine). The probe itself runs end to end.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <btfkit/btfkit.h>

#define INSN(c, d, s, o, i) ((struct btfkit_bpf_insn){ .code = (c), .regs = (uint8_t)((d) | ((s) << 4)), .off = (o), .imm = (i) })
#define MOV64_IMM(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

static int load(uint32_t type, uint32_t eat, int32_t ret)
{
	const struct btfkit_bpf_insn insns[] = { MOV64_IMM(0, ret), EXIT() };
	struct btfkit_bpf_prog_load_opts o = { .sz = sizeof(o), .expected_attach_type = eat };

	return btfkit_bpf_prog_load(type, insns, 2, &o);
}

static void test_owner_type_mismatch(void **state)
{
	struct btfkit_explanation ex = { .sz = sizeof(ex) };
	uint32_t key = 0;
	int sf = load(BPF_PROG_TYPE_SOCKET_FILTER, 0, 0), xdp = load(BPF_PROG_TYPE_XDP, 0, 2);
	int arr = btfkit_bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 2, NULL), err;

	(void)state;
	assert_true(sf >= 0 && xdp >= 0 && arr >= 0);
	assert_int_equal(btfkit_bpf_map_update(arr, &key, &sf, BPF_ANY), 0);
	key = 1;
	err = btfkit_bpf_map_update(arr, &key, &xdp, BPF_ANY);
	assert_int_equal(err, -EINVAL);
	assert_int_equal(btfkit_explain_prog_array_update(arr, xdp, err, &ex), 0);
	assert_int_equal(ex.cls, BTFKIT_FREPLACE_OWNER_MISMATCH);
	assert_int_equal(ex.owner_prog_type, BPF_PROG_TYPE_SOCKET_FILTER);
	assert_int_equal(ex.prog_type, BPF_PROG_TYPE_XDP);
	assert_non_null(strstr(ex.text, "the owner is 1 (socket_filter), the program is 6 (xdp)"));
	assert_string_equal(btfkit_freplace_class_name(ex.cls), "owner-mismatch");
	close(arr);
	close(xdp);
	close(sf);
}

/*
 * Same type and JIT state, another expected_attach_type: refused on kernels
 * with "bpf: Enforce expected_attach_type for tailcall compatibility" (6.18
 * and stable updates), accepted before. The explanation must follow the kernel.
 */
static void test_owner_attach_type(void **state)
{
	struct btfkit_explanation ex = { .sz = sizeof(ex) };
	uint32_t key = 0;
	int x0 = load(BPF_PROG_TYPE_XDP, 0, 2), xx = load(BPF_PROG_TYPE_XDP, BPF_XDP, 3);
	int arr = btfkit_bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 2, NULL), err;

	(void)state;
	assert_true(x0 >= 0 && xx >= 0 && arr >= 0);
	assert_int_equal(btfkit_bpf_map_update(arr, &key, &x0, BPF_ANY), 0);
	key = 1;
	err = btfkit_bpf_map_update(arr, &key, &xx, BPF_ANY);
	if (err == 0) {
		/* An older kernel: nothing to explain. */
		close(arr);
		close(xx);
		close(x0);
		skip();
	} else {
		assert_int_equal(err, -EINVAL);
		assert_int_equal(btfkit_explain_prog_array_update(arr, xx, err, &ex), 0);
		/* Type and JIT state agree: a property fdinfo does not show, the attach type first. */
		assert_int_equal(ex.cls, BTFKIT_FREPLACE_OWNER_MISMATCH);
		assert_non_null(strstr(ex.text, "4540aed51b12"));
		assert_non_null(strstr(ex.text, "BPF_F_XDP_HAS_FRAGS"));
		/* What the text says works does work: expected_attach_type 0. */
		{
			int y = load(BPF_PROG_TYPE_XDP, 0, 3);

			assert_true(y >= 0);
			assert_int_equal(btfkit_bpf_map_update(arr, &key, &y, BPF_ANY), 0);
			close(y);
		}
	}
	close(arr);
	close(xx);
	close(x0);
}

static void test_ext_load_logs(void **state)
{
	struct btfkit_explanation ex = { .sz = sizeof(ex) };
	/* The ends of the logs 6.12 and 6.18 write (kernel/bpf/verifier.c). */
	const char *pkt = "Extension program changes packet data, while original does not\n"
			  "processed 0 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n";

	(void)state;
	assert_int_equal(btfkit_explain_ext_load(-EINVAL, pkt, -1, &ex), 0);
	assert_int_equal(ex.cls, BTFKIT_FREPLACE_PKT_DATA);
	assert_non_null(strstr(ex.text, "bpf_xdp_adjust_head(ctx, 0)"));
	assert_int_equal(btfkit_explain_ext_load(-EINVAL, "Cannot replace static functions\n", -1, &ex), 0);
	assert_int_equal(ex.cls, BTFKIT_FREPLACE_STATIC_TARGET);
	assert_int_equal(btfkit_explain_ext_load(-EPERM, "", -1, &ex), 0);
	assert_int_equal(ex.cls, BTFKIT_FREPLACE_EXT_NOT_LOADABLE);
	assert_int_equal(btfkit_explain_ext_load(EINVAL, "R1 type=scalar expected=ctx\n", -1, &ex), 0);
	assert_int_equal(ex.cls, BTFKIT_FREPLACE_UNKNOWN);
	/* A verified program refused afterwards, with an owned array in use. */
	{
		int sf = load(BPF_PROG_TYPE_SOCKET_FILTER, 0, 0);
		int arr = btfkit_bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 1, NULL);
		uint32_t key = 0;

		assert_true(sf >= 0 && arr >= 0);
		assert_int_equal(btfkit_bpf_map_update(arr, &key, &sf, BPF_ANY), 0);
		assert_int_equal(btfkit_explain_ext_load(-EINVAL, "processed 6 insns (limit 1000000)\n", arr, &ex), 0);
		assert_int_equal(ex.cls, BTFKIT_FREPLACE_LOAD_OWNER);
		assert_int_equal(ex.owner_prog_type, BPF_PROG_TYPE_SOCKET_FILTER);
		close(arr);
		close(sf);
	}
}

static void test_probe_runs(void **state)
{
	struct btfkit_probe_result r = { .sz = sizeof(r) };

	(void)state;
	assert_int_equal(btfkit_probe_freplace_tailcall(&r), 0);
	assert_true(r.nr_steps >= 4);
	assert_string_equal(r.steps[0].what, "btf load");
	assert_int_equal(r.steps[0].err, 0);
	assert_non_null(btfkit_freplace_class_name(r.cls));
	assert_true(strlen(r.text) > 100);
	/* Whatever the class, a claimed success is proven by the callee's return value. */
	if (r.cls == BTFKIT_FREPLACE_WORKS)
		assert_int_equal(r.retval, BTFKIT_PROBE_RET_CALLEE);
	if (r.variant[0])
		assert_int_equal(r.variant_retval, BTFKIT_PROBE_RET_CALLEE);
}

static void test_bad_arguments(void **state)
{
	struct btfkit_explanation ex = { .sz = sizeof(ex) }, small = { .sz = 8 };
	struct btfkit_probe_result r = { .sz = 8 };

	(void)state;
	assert_int_equal(btfkit_explain_prog_array_update(-1, -1, EINVAL, &ex), -EBADF);
	assert_int_equal(btfkit_explain_ext_load(EINVAL, NULL, -1, &small), -EINVAL);
	assert_int_equal(btfkit_probe_freplace_tailcall(&r), -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_null(btfkit_freplace_class_name(BTFKIT_FREPLACE_CLASS_MAX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_owner_type_mismatch),
		cmocka_unit_test(test_owner_attach_type),
		cmocka_unit_test(test_ext_load_logs),
		cmocka_unit_test(test_probe_runs),
		cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
