// SPDX-License-Identifier: BSD-2-Clause
/*
 * The bpf() layer against the running kernel: maps, socket filter programs
 * and BTF objects made here, then found again by id, described by the
 * kernel's object info and fdinfo, run with BPF_PROG_TEST_RUN; the verifier's
 * log on a refused program; bad arguments. Needs root (CAP_BPF).
 */
#include <errno.h>
#include <linux/bpf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <btfkit/btfkit.h>

#include "btf_builder.h"

#define INSN(c, d, s, o, i) ((struct btfkit_bpf_insn){ .code = (c), .regs = (uint8_t)((d) | ((s) << 4)), .off = (o), .imm = (i) })
#define MOV64_IMM(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

static int has_id(enum btfkit_bpf_obj kind, uint32_t want)
{
	uint32_t id = 0;

	while (btfkit_bpf_next_id(kind, id, &id) == 0)
		if (id == want)
			return 1;
	return 0;
}

static int socket_filter(int32_t ret, const char *name)
{
	const struct btfkit_bpf_insn insns[] = { MOV64_IMM(0, ret), EXIT() };
	struct btfkit_bpf_prog_load_opts o = { .sz = sizeof(o), .name = name };

	return btfkit_bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, insns, 2, &o);
}

static void test_map(void **state)
{
	struct btfkit_bpf_map_create_opts o = { .sz = sizeof(o), .name = "btfkit_t_hash" };
	struct btfkit_bpf_map_info mi = { .sz = sizeof(mi) }, mi2 = { .sz = sizeof(mi2) };
	uint32_t key = 7, val = 0, missing = 8;
	uint64_t mt;
	char buf[32];
	int fd, fd2;

	(void)state;
	fd = btfkit_bpf_map_create(BPF_MAP_TYPE_HASH, 4, 4, 16, &o);
	assert_true(fd >= 0);
	assert_int_equal(btfkit_bpf_map_info(fd, &mi), 0);
	assert_int_equal(mi.type, BPF_MAP_TYPE_HASH);
	assert_int_equal(mi.key_size, 4);
	assert_int_equal(mi.value_size, 4);
	assert_int_equal(mi.max_entries, 16);
	assert_string_equal(mi.name, "btfkit_t_hash");
	assert_true(mi.id > 0);
	assert_true(has_id(BTFKIT_BPF_MAP, mi.id));

	fd2 = btfkit_bpf_fd_by_id(BTFKIT_BPF_MAP, mi.id);
	assert_true(fd2 >= 0);
	assert_int_equal(btfkit_bpf_map_info(fd2, &mi2), 0);
	assert_int_equal(mi2.id, mi.id);

	/* fdinfo says the same as the object info. */
	assert_int_equal(btfkit_bpf_fdinfo_u64(fd, "map_type", &mt), 0);
	assert_int_equal(mt, BPF_MAP_TYPE_HASH);
	assert_int_equal(btfkit_bpf_fdinfo(fd, "max_entries", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "16");
	assert_int_equal(btfkit_bpf_fdinfo(fd, "no_such_key", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(btfkit_bpf_fdinfo(fd, "max_entries", buf, 2), -ERANGE);

	/* Elements through either fd. */
	val = 42;
	assert_int_equal(btfkit_bpf_map_update(fd, &key, &val, BPF_ANY), 0);
	val = 0;
	assert_int_equal(btfkit_bpf_map_lookup(fd2, &key, &val), 0);
	assert_int_equal(val, 42);
	assert_int_equal(btfkit_bpf_map_lookup(fd, &missing, &val), -ENOENT);
	assert_int_equal(btfkit_bpf_map_update(fd, &key, &val, BPF_NOEXIST), -EEXIST);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(btfkit_bpf_map_delete(fd, &key), 0);
	assert_int_equal(btfkit_bpf_map_delete(fd, &key), -ENOENT);
	close(fd2);
	close(fd);
	/* Gone with its last fd (the kernel frees it a moment later). */
	for (int i = 0; i < 100 && has_id(BTFKIT_BPF_MAP, mi.id); i++)
		usleep(10000);
	assert_false(has_id(BTFKIT_BPF_MAP, mi.id));
	assert_int_equal(btfkit_bpf_fd_by_id(BTFKIT_BPF_MAP, mi.id), -ENOENT);
}

static void test_prog_and_prog_array(void **state)
{
	struct btfkit_bpf_prog_info pi = { .sz = sizeof(pi) };
	struct btfkit_bpf_map_info mi = { .sz = sizeof(mi) };
	uint8_t pkt[64] = { 0 };
	struct btfkit_bpf_test_run run = { .sz = sizeof(run), .data_in = pkt, .data_size_in = sizeof(pkt) };
	uint32_t slot = 0, id = 0, ids[4];
	uint64_t owner;
	char tag[32];
	int prog, arr;

	(void)state;
	prog = socket_filter(17, "btfkit_t_sf");
	assert_true(prog >= 0);
	assert_int_equal(btfkit_bpf_prog_info(prog, &pi), 0);
	assert_int_equal(pi.type, BPF_PROG_TYPE_SOCKET_FILTER);
	assert_string_equal(pi.name, "btfkit_t_sf");
	assert_int_equal(pi.xlated_len, 16);
	assert_int_equal(pi.nr_map_ids, 0);
	assert_true(has_id(BTFKIT_BPF_PROG, pi.id));
	assert_string_equal(btfkit_bpf_prog_type_name(pi.type), "socket_filter");
	/* The tag in fdinfo is the object info's, in hex. */
	assert_int_equal(btfkit_bpf_fdinfo(prog, "prog_tag", tag, sizeof(tag)), 0);
	for (int i = 0; i < 8; i++) {
		char hex[3];

		snprintf(hex, sizeof(hex), "%02x", pi.tag[i]);
		assert_memory_equal(tag + 2 * i, hex, 2);
	}

	assert_int_equal(btfkit_bpf_prog_test_run(prog, &run), 0);
	assert_int_equal(run.retval, 17);

	/* A PROG_ARRAY takes its owner's type from the first program put in it. */
	arr = btfkit_bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 2, NULL);
	assert_true(arr >= 0);
	assert_int_equal(btfkit_bpf_map_update(arr, &slot, &prog, BPF_ANY), 0);
	assert_int_equal(btfkit_bpf_map_lookup(arr, &slot, &id), 0);
	assert_int_equal(id, pi.id); /* a prog array's lookup gives the program's id */
	assert_int_equal(btfkit_bpf_fdinfo_u64(arr, "owner_prog_type", &owner), 0);
	assert_int_equal(owner, BPF_PROG_TYPE_SOCKET_FILTER);
	assert_int_equal(btfkit_bpf_fdinfo_u64(arr, "owner_jited", &owner), 0);
	assert_int_equal(owner, (uint64_t)pi.jited);
	assert_int_equal(btfkit_bpf_map_info(arr, &mi), 0);
	assert_string_equal(btfkit_bpf_map_type_name(mi.type), "prog_array");

	/* A program using the map: its id is among the program's map ids. */
	{
		const struct btfkit_bpf_insn insns[] = {
			INSN(BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, arr), INSN(0, 0, 0, 0, 0),
			MOV64_IMM(0, 0), EXIT(),
		};
		struct btfkit_bpf_prog_info p2 = { .sz = sizeof(p2), .map_ids = ids, .map_ids_cap = 4 };
		int user = btfkit_bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, insns, 4, NULL);

		assert_true(user >= 0);
		assert_int_equal(btfkit_bpf_prog_info(user, &p2), 0);
		assert_int_equal(p2.nr_map_ids, 1);
		assert_int_equal(ids[0], mi.id);
		close(user);
	}
	close(arr);
	close(prog);
}

static void test_verifier_log(void **state)
{
	/* r0 is never written: the verifier refuses to read it at exit. */
	const struct btfkit_bpf_insn insns[] = { EXIT() };
	char log[4096];
	struct btfkit_bpf_prog_load_opts o = {
		.sz = sizeof(o), .log = { .buf = log, .size = sizeof(log) },
	};
	int r;

	(void)state;
	r = btfkit_bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, insns, 1, &o);
	assert_int_equal(r, -EACCES);
	assert_int_equal(errno, EACCES);
	assert_non_null(strstr(log, "R0 !read_ok"));
	/* Without a log buffer: the errno alone. */
	assert_int_equal(btfkit_bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, insns, 1, NULL), -EACCES);
}

static void test_btf(void **state)
{
	struct btf_builder b;
	struct btfkit_bpf_btf_info bi = { .sz = sizeof(bi) };
	char log[1024];
	struct btfkit_bpf_log lg = { .buf = log, .size = sizeof(log) };
	uint32_t size, got, id = 0;
	uint8_t *blob, *back;
	size_t len;
	int fd, found = 0;
	struct stat st;

	(void)state;
	bb_init(&b);
	bb_int(&b, "int", 4, BTFKIT_INT_SIGNED, 0, 32);
	blob = bb_finish(&b, BB_LITTLE, &len);
	fd = btfkit_bpf_btf_load(blob, len, &lg);
	assert_true(fd >= 0);
	assert_int_equal(btfkit_bpf_btf_info(fd, &bi), 0);
	assert_int_equal(bi.size, len);
	assert_int_equal(bi.kernel_btf, 0);
	assert_string_equal(bi.name, "");
	assert_true(has_id(BTFKIT_BPF_BTF, bi.id));
	back = btfkit_bpf_btf_data(fd, &size);
	assert_non_null(back);
	assert_int_equal(size, len);
	assert_memory_equal(back, blob, len);
	free(back);
	close(fd);

	/* A broken blob: the kernel's words come back in the log. */
	blob[4] = 0xff; /* hdr_len */
	assert_true(btfkit_bpf_btf_load(blob, len, &lg) < 0);
	assert_true(strlen(log) > 0);
	free(blob);
	bb_free(&b);

	/* The kernel's own: vmlinux, as big as /sys/kernel/btf/vmlinux. */
	assert_int_equal(stat("/sys/kernel/btf/vmlinux", &st), 0);
	while (btfkit_bpf_next_id(BTFKIT_BPF_BTF, id, &id) == 0) {
		int k = btfkit_bpf_fd_by_id(BTFKIT_BPF_BTF, id);

		if (k < 0)
			continue;
		assert_int_equal(btfkit_bpf_btf_info(k, &bi), 0);
		if (bi.kernel_btf && strcmp(bi.name, "vmlinux") == 0) {
			found = 1;
			assert_int_equal(bi.size, st.st_size);
			back = btfkit_bpf_btf_data(k, &got);
			assert_non_null(back);
			assert_int_equal(got, st.st_size);
			free(back);
		}
		close(k);
	}
	assert_true(found);
}

static void test_small_struct(void **state)
{
	/* A caller built with an older, shorter struct: nothing past its sz is written. */
	struct {
		struct btfkit_bpf_prog_info info;
		char guard[8];
	} s;
	size_t short_sz = offsetof(struct btfkit_bpf_prog_info, name);
	int prog;

	(void)state;
	prog = socket_filter(0, "btfkit_t_small");
	assert_true(prog >= 0);
	memset(&s, 0xa5, sizeof(s));
	s.info.sz = short_sz;
	assert_int_equal(btfkit_bpf_prog_info(prog, &s.info), 0);
	assert_int_equal(s.info.type, BPF_PROG_TYPE_SOCKET_FILTER);
	assert_int_equal((uint8_t)s.info.name[0], 0xa5);
	close(prog);
}

static void test_bad_arguments(void **state)
{
	struct btfkit_bpf_map_info mi = { .sz = 0 };
	uint32_t next;
	char v[8];

	(void)state;
	assert_int_equal(btfkit_bpf_fd_by_id((enum btfkit_bpf_obj)9, 1), -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(btfkit_bpf_next_id(BTFKIT_BPF_PROG, 0, NULL), -EINVAL);
	assert_int_equal(btfkit_bpf_next_id(BTFKIT_BPF_PROG, INT32_MAX - 1, &next), -ENOENT);
	/* The kernel refuses ids from INT_MAX on. */
	assert_int_equal(btfkit_bpf_next_id(BTFKIT_BPF_PROG, UINT32_MAX - 1, &next), -EINVAL);
	assert_int_equal(btfkit_bpf_map_info(0, &mi), -EINVAL);
	mi.sz = sizeof(mi);
	assert_int_equal(btfkit_bpf_map_info(-1, &mi), -EBADF);
	assert_int_equal(btfkit_bpf_fdinfo(-1, "x", v, sizeof(v)), -EINVAL);
	assert_null(btfkit_bpf_btf_data(-1, NULL));
	assert_int_equal(errno, EBADF);
	assert_int_equal(btfkit_bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, NULL, 0, NULL), -EINVAL);
	{
		const struct btfkit_bpf_insn insns[] = { MOV64_IMM(0, 0), EXIT() };
		struct btfkit_bpf_prog_load_opts o = { .sz = sizeof(o), .attach_btf_obj_fd = 3, .attach_prog_fd = 4 };

		assert_int_equal(btfkit_bpf_prog_load(BPF_PROG_TYPE_EXT, insns, 2, &o), -EINVAL);
	}
	assert_null(btfkit_bpf_prog_type_name(1000));
	assert_string_equal(btfkit_bpf_prog_type_name(BPF_PROG_TYPE_EXT), "ext");
	assert_string_equal(btfkit_bpf_link_type_name(BPF_LINK_TYPE_TRACING), "tracing");
	assert_string_equal(btfkit_bpf_attach_type_name(BPF_TRACE_FENTRY), "trace_fentry");
	assert_string_equal(btfkit_bpf_map_type_name(BPF_MAP_TYPE_PROG_ARRAY), "prog_array");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map),
		cmocka_unit_test(test_prog_and_prog_array),
		cmocka_unit_test(test_verifier_log),
		cmocka_unit_test(test_btf),
		cmocka_unit_test(test_small_struct),
		cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
