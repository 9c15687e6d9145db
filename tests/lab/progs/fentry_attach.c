// SPDX-License-Identifier: BSD-2-Clause
/*
 * fentry_attach: the smallest proof that a BTF id found with libbtfkit is the
 * one the kernel attaches to. Runs inside the lab VM.
 *
 *   fentry_attach [--module MOD] [--attach-only] FUNC
 *
 * Finds FUNC (kind FUNC) in /sys/kernel/btf/vmlinux, or in the split BTF of
 * module MOD (then the program names the module's BTF object with
 * attach_btf_obj_fd), loads a hand-assembled "r0 = 0; exit" fentry program
 * with raw bpf() calls, attaches it, makes the kernel call FUNC (an open()
 * and an execve(): the functions the tests pick lie on those paths) and reads
 * the program's run count back. Exit 0 when it loaded, attached and (unless
 * --attach-only) ran.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <btfkit/btfkit.h>

#define KERNEL_BTF_DIR "/sys/kernel/btf/"

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static uint64_t ptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* The kernel's BTF object of a module, found by name among all BTF objects. */
static int module_btf_fd(const char *module)
{
	union bpf_attr attr;
	uint32_t id = 0;

	for (;;) {
		struct bpf_btf_info info;
		char name[64] = "";
		int fd;

		memset(&attr, 0, sizeof(attr));
		attr.start_id = id;
		if (sys_bpf(BPF_BTF_GET_NEXT_ID, &attr) < 0)
			return -1; /* ENOENT: no more objects */
		id = attr.next_id;

		memset(&attr, 0, sizeof(attr));
		attr.btf_id = id;
		fd = sys_bpf(BPF_BTF_GET_FD_BY_ID, &attr);
		if (fd < 0)
			continue; /* freed in between */

		memset(&info, 0, sizeof(info));
		info.name = ptr(name);
		info.name_len = sizeof(name);
		memset(&attr, 0, sizeof(attr));
		attr.info.bpf_fd = (uint32_t)fd;
		attr.info.info_len = sizeof(info);
		attr.info.info = ptr(&info);
		if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr) == 0 && info.kernel_btf &&
		    strcmp(name, module) == 0)
			return fd;
		close(fd);
	}
}

static int load_fentry(uint32_t btf_id, int btf_obj_fd, char *log, size_t log_sz)
{
	/* r0 = 0; exit */
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_TRACING;
	attr.expected_attach_type = BPF_TRACE_FENTRY;
	attr.insns = ptr(insns);
	attr.insn_cnt = sizeof(insns) / sizeof(insns[0]);
	attr.license = ptr("GPL");
	attr.attach_btf_id = btf_id;
	attr.attach_btf_obj_fd = btf_obj_fd > 0 ? (uint32_t)btf_obj_fd : 0;
	strncpy(attr.prog_name, "lab_fentry", sizeof(attr.prog_name) - 1);
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd >= 0 || !log)
		return fd;
	/* Again with the verifier's log, to say why. */
	attr.log_buf = ptr(log);
	attr.log_size = (uint32_t)log_sz;
	attr.log_level = 1;
	log[0] = '\0';
	return sys_bpf(BPF_PROG_LOAD, &attr);
}

static long long run_count(int prog_fd)
{
	struct bpf_prog_info info;
	union bpf_attr attr;

	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (uint32_t)prog_fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = ptr(&info);
	if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr) < 0)
		return -1;
	return (long long)info.run_cnt;
}

/* An open() and an execve() of this program that exits at once. */
static void trigger(const char *self)
{
	int i;

	for (i = 0; i < 3; i++) {
		int fd = open("/", O_RDONLY);
		pid_t pid;

		if (fd >= 0)
			close(fd);
		pid = fork();
		if (pid == 0) {
			execl(self, self, "--exit", (char *)NULL);
			_exit(127);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: fentry_attach [--module MOD] [--attach-only] FUNC\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *module = NULL, *func = NULL;
	struct btfkit_btf *vmlinux = NULL, *btf = NULL;
	char path[256], msg[256] = "";
	struct btfkit_open_opts opts = { .sz = sizeof(opts), .msg = msg, .msg_sz = sizeof(msg) };
	int attach_only = 0, btf_obj_fd = -1, stats_fd, prog_fd, link_fd, i, status = 1;
	static char log[1 << 16];
	union bpf_attr attr;
	int64_t id;
	long long runs;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--exit") == 0)
			return 0; /* the child of trigger() */
		if (strcmp(argv[i], "--module") == 0 && i + 1 < argc)
			module = argv[++i];
		else if (strcmp(argv[i], "--attach-only") == 0)
			attach_only = 1;
		else if (argv[i][0] != '-' && !func)
			func = argv[i];
		else
			return usage();
	}
	if (!func)
		return usage();

	vmlinux = btfkit_btf_open(KERNEL_BTF_DIR "vmlinux", &opts);
	if (!vmlinux) {
		fprintf(stderr, "fentry_attach: %svmlinux: %s\n", KERNEL_BTF_DIR, msg);
		return 1;
	}
	btf = vmlinux;
	if (module) {
		snprintf(path, sizeof(path), "%s%s", KERNEL_BTF_DIR, module);
		opts.base = vmlinux;
		btf = btfkit_btf_open(path, &opts);
		if (!btf) {
			fprintf(stderr, "fentry_attach: %s: %s\n", path, msg);
			goto out;
		}
	}
	/* A module's own FUNC: search from its first id on, not in the base. */
	id = btfkit_btf_find_next(btf, func, BTFKIT_KIND_FUNC, btfkit_btf_start_id(btf) - 1);
	if (id < 0) {
		fprintf(stderr, "fentry_attach: no FUNC '%s' in %s BTF\n", func, module ? module : "vmlinux");
		goto out;
	}
	if (btfkit_btf_find_next(btf, func, BTFKIT_KIND_FUNC, (uint32_t)id) > 0)
		printf("note: '%s' names more than one FUNC; using the first, [%lld]\n", func, (long long)id);

	if (module) {
		btf_obj_fd = module_btf_fd(module);
		if (btf_obj_fd < 0) {
			fprintf(stderr, "fentry_attach: no kernel BTF object named '%s'\n", module);
			goto out;
		}
	}

	/* Run counts are kept only while someone holds the stats fd. */
	memset(&attr, 0, sizeof(attr));
	attr.enable_stats.type = BPF_STATS_RUN_TIME;
	stats_fd = sys_bpf(BPF_ENABLE_STATS, &attr);
	if (stats_fd < 0 && !attach_only) {
		perror("fentry_attach: BPF_ENABLE_STATS");
		goto out;
	}

	prog_fd = load_fentry((uint32_t)id, btf_obj_fd, log, sizeof(log));
	if (prog_fd < 0) {
		fprintf(stderr, "fentry_attach: BPF_PROG_LOAD fentry/%s (btf id %lld): %s\n%s", func,
			(long long)id, strerror(errno), log);
		goto out;
	}
	memset(&attr, 0, sizeof(attr));
	attr.raw_tracepoint.prog_fd = (uint32_t)prog_fd;
	link_fd = sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &attr);
	if (link_fd < 0) {
		fprintf(stderr, "fentry_attach: attaching fentry/%s: %s\n", func, strerror(errno));
		goto out;
	}
	trigger("/proc/self/exe");
	runs = run_count(prog_fd);
	printf("fentry/%s: %s btf id %lld%s, loaded, attached, ran %lld times\n", func,
	       module ? module : "vmlinux", (long long)id, module ? " (attach_btf_obj_fd)" : "", runs);
	status = attach_only || runs > 0 ? 0 : 1;
	if (status)
		fprintf(stderr, "fentry_attach: fentry/%s never ran\n", func);
	close(link_fd);
	close(prog_fd);
out:
	if (btf != vmlinux)
		btfkit_btf_free(btf);
	btfkit_btf_free(vmlinux);
	return status;
}
