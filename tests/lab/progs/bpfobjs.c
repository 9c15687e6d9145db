// SPDX-License-Identifier: BSD-2-Clause
/*
 * bpfobjs: make a known set of BPF objects with libbtfkit's bpf() layer,
 * hold them while a command runs, then release them. The inspect tests
 * compare `btfkit inspect` with bpftool on exactly these objects. Runs on the
 * host (maps, socket filters, BTF) and in the lab VM (--trace adds an fentry
 * program and an freplace program with their links, which need a kernel that
 * allows tracing programs).
 *
 *   bpfobjs [--trace] [--xdp-lo] -- COMMAND [ARG...]
 *
 * --xdp-lo adds an XDP program that passes every packet, linked to the
 * loopback device (a link the host can make).
 *
 * The command sees the ids in BO_PROGS, BO_MAPS, BO_LINKS, BO_BTF (space
 * separated) and BO_EXT, BO_FENTRY, BO_XDP_MAIN, BO_JMP (single ids). Exit:
 * the command's status; 1 if an object could not be made.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <btfkit/btfkit.h>

#define INSN(c, d, s, o, i) \
	((struct btfkit_bpf_insn){ .code = (c), .regs = (uint8_t)((d) | ((s) << 4)), .off = (o), .imm = (i) })
#define MOV64_IMM(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define LD_MAP(d, fd) INSN(BPF_LD | BPF_DW | BPF_IMM, d, BPF_PSEUDO_MAP_FD, 0, fd), INSN(0, 0, 0, 0, 0)

/*
 * The BTF, written out by hand:
 *  [1] INT int (4, signed)      [2] STRUCT pair {int a; int b;}
 *  [3] PTR void                 [4] FUNC_PROTO int (void *ctx)
 *  [5] FUNC bo_user (global)    [6] INT unsigned int
 *  [7] STRUCT xdp_md (6 x u32)  [8] PTR xdp_md
 *  [9] FUNC_PROTO int (struct xdp_md *ctx)
 *  [10] FUNC xdp_main  [11] FUNC sub  [12] FUNC ext_sub (all global)
 */
static const char strs[] = "\0int\0pair\0a\0b\0ctx\0bo_user\0unsigned int\0xdp_md\0data\0data_end\0"
			   "data_meta\0ingress_ifindex\0rx_queue_index\0egress_ifindex\0xdp_main\0sub\0ext_sub";

static uint32_t so(const char *s)
{
	for (size_t i = 1; i < sizeof(strs); i++)
		if (strs[i - 1] == '\0' && strcmp(strs + i, s) == 0)
			return (uint32_t)i;
	return 0;
}

#define INFO(kind, vlen) (((uint32_t)(kind) << 24) | (vlen))

static void *make_btf(size_t *size)
{
	uint32_t t[128];
	size_t n = 0;
	static const char *const md[] = { "data", "data_end", "data_meta", "ingress_ifindex",
					   "rx_queue_index", "egress_ifindex" };
	uint32_t hdr[6];
	char *blob;

#define W(x) (t[n++] = (x))
	W(so("int")); W(INFO(1, 0)); W(4); W((1u << 24) | 32);
	W(so("pair")); W(INFO(4, 2)); W(8);
	W(so("a")); W(1); W(0);
	W(so("b")); W(1); W(32);
	W(0); W(INFO(2, 0)); W(0);
	W(0); W(INFO(13, 1)); W(1); W(so("ctx")); W(3);
	W(so("bo_user")); W(INFO(12, 1)); W(4);
	W(so("unsigned int")); W(INFO(1, 0)); W(4); W(32);
	W(so("xdp_md")); W(INFO(4, 6)); W(24);
	for (uint32_t i = 0; i < 6; i++) {
		W(so(md[i])); W(6); W(i * 32);
	}
	W(0); W(INFO(2, 0)); W(7);
	W(0); W(INFO(13, 1)); W(1); W(so("ctx")); W(8);
	W(so("xdp_main")); W(INFO(12, 1)); W(9);
	W(so("sub")); W(INFO(12, 1)); W(9);
	W(so("ext_sub")); W(INFO(12, 1)); W(9);
#undef W
	hdr[0] = 0xeB9F | (1u << 16);
	hdr[1] = sizeof(hdr);
	hdr[2] = 0;
	hdr[3] = (uint32_t)(n * 4);
	hdr[4] = (uint32_t)(n * 4);
	hdr[5] = sizeof(strs);
	*size = sizeof(hdr) + n * 4 + sizeof(strs);
	blob = malloc(*size);
	if (!blob)
		return NULL;
	memcpy(blob, hdr, sizeof(hdr));
	memcpy(blob + sizeof(hdr), t, n * 4);
	memcpy(blob + sizeof(hdr) + n * 4, strs, sizeof(strs));
	return blob;
}

struct ids {
	char progs[256], maps[256], links[256], btf[64];
};

static void add(char *list, size_t sz, int fd, enum btfkit_bpf_obj kind)
{
	struct btfkit_bpf_prog_info pi = { .sz = sizeof(pi) };
	struct btfkit_bpf_map_info mi = { .sz = sizeof(mi) };
	struct btfkit_bpf_link_info li = { .sz = sizeof(li) };
	struct btfkit_bpf_btf_info bi = { .sz = sizeof(bi) };
	uint32_t id = 0;
	size_t len = strlen(list);

	if (kind == BTFKIT_BPF_PROG && btfkit_bpf_prog_info(fd, &pi) == 0)
		id = pi.id;
	else if (kind == BTFKIT_BPF_MAP && btfkit_bpf_map_info(fd, &mi) == 0)
		id = mi.id;
	else if (kind == BTFKIT_BPF_LINK && btfkit_bpf_link_info(fd, &li) == 0)
		id = li.id;
	else if (kind == BTFKIT_BPF_BTF && btfkit_bpf_btf_info(fd, &bi) == 0)
		id = bi.id;
	snprintf(list + len, sz - len, "%s%u", len ? " " : "", id);
}

static uint32_t id_of_prog(int fd)
{
	struct btfkit_bpf_prog_info pi = { .sz = sizeof(pi) };

	return btfkit_bpf_prog_info(fd, &pi) == 0 ? pi.id : 0;
}

static int die(const char *what, int err)
{
	fprintf(stderr, "bpfobjs: %s: %s\n", what, strerror(err < 0 ? -err : err));
	return 1;
}

static void setenv_u32(const char *name, uint32_t v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u", v);
	setenv(name, buf, 1);
}

/* fentry on do_sys_openat2 and an freplace of sub() in an XDP program, with links. */
static int make_trace(int btf_fd, struct ids *ids)
{
	const struct btfkit_bpf_insn ret0[] = { MOV64_IMM(0, 0), EXIT() };
	const struct btfkit_bpf_insn main_insns[] = {
		INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 1), EXIT(), MOV64_IMM(0, 2), EXIT(),
	};
	const struct btfkit_bpf_insn ext_insns[] = { MOV64_IMM(0, 1), EXIT() };
	const struct bpf_func_info main_fi[] = { { 0, 10 }, { 2, 11 } }, ext_fi[] = { { 0, 12 } };
	static char log[65536];
	char msg[256] = "";
	struct btfkit_open_opts oo = { .sz = sizeof(oo), .msg = msg, .msg_sz = sizeof(msg) };
	struct btfkit_btf *vmlinux = btfkit_btf_open("/sys/kernel/btf/vmlinux", &oo);
	int64_t func;
	int fentry, link, main_fd, ext, elink;

	if (!vmlinux)
		return die("/sys/kernel/btf/vmlinux", errno);
	func = btfkit_btf_find(vmlinux, "do_sys_openat2", BTFKIT_KIND_FUNC);
	btfkit_btf_free(vmlinux);
	if (func < 0)
		return die("do_sys_openat2 in vmlinux BTF", (int)func);
	{
		struct btfkit_bpf_prog_load_opts o = {
			.sz = sizeof(o), .name = "bo_fentry", .expected_attach_type = BPF_TRACE_FENTRY,
			.attach_btf_id = (uint32_t)func, .log = { .buf = log, .size = sizeof(log) },
		};

		fentry = btfkit_bpf_prog_load(BPF_PROG_TYPE_TRACING, ret0, 2, &o);
	}
	if (fentry < 0) {
		fprintf(stderr, "%s", log);
		return die("fentry load", fentry);
	}
	link = btfkit_bpf_raw_tp_open(fentry, NULL);
	if (link < 0)
		return die("fentry attach", link);
	{
		struct btfkit_bpf_prog_load_opts o = {
			.sz = sizeof(o), .name = "bo_xdp_main", .prog_btf_fd = btf_fd, .func_info = main_fi,
			.func_info_rec_size = sizeof(main_fi[0]), .func_info_cnt = 2,
			.log = { .buf = log, .size = sizeof(log) },
		};

		main_fd = btfkit_bpf_prog_load(BPF_PROG_TYPE_XDP, main_insns, 4, &o);
	}
	if (main_fd < 0) {
		fprintf(stderr, "%s", log);
		return die("xdp load", main_fd);
	}
	{
		struct btfkit_bpf_prog_load_opts o = {
			.sz = sizeof(o), .name = "bo_ext", .prog_btf_fd = btf_fd, .func_info = ext_fi,
			.func_info_rec_size = sizeof(ext_fi[0]), .func_info_cnt = 1, .attach_prog_fd = main_fd,
			.attach_btf_id = 11, .log = { .buf = log, .size = sizeof(log) },
		};

		ext = btfkit_bpf_prog_load(BPF_PROG_TYPE_EXT, ext_insns, 2, &o);
	}
	if (ext < 0) {
		fprintf(stderr, "%s", log);
		return die("ext load", ext);
	}
	elink = btfkit_bpf_raw_tp_open(ext, NULL);
	if (elink < 0)
		return die("ext attach", elink);
	add(ids->progs, sizeof(ids->progs), fentry, BTFKIT_BPF_PROG);
	add(ids->progs, sizeof(ids->progs), main_fd, BTFKIT_BPF_PROG);
	add(ids->progs, sizeof(ids->progs), ext, BTFKIT_BPF_PROG);
	add(ids->links, sizeof(ids->links), link, BTFKIT_BPF_LINK);
	add(ids->links, sizeof(ids->links), elink, BTFKIT_BPF_LINK);
	setenv_u32("BO_FENTRY", id_of_prog(fentry));
	setenv_u32("BO_XDP_MAIN", id_of_prog(main_fd));
	setenv_u32("BO_EXT", id_of_prog(ext));
	return 0;
}

int main(int argc, char **argv)
{
	struct ids ids = { 0 };
	int trace = 0, xdp_lo = 0, i, btf_fd, hash, jmp, user, callee, status;
	size_t size;
	void *blob;
	uint32_t key = 1;
	pid_t pid;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--trace") == 0)
			trace = 1;
		else if (strcmp(argv[i], "--xdp-lo") == 0)
			xdp_lo = 1;
		else
			break;
	}
	if (i >= argc || strcmp(argv[i], "--") != 0 || i + 1 >= argc) {
		fprintf(stderr, "usage: bpfobjs [--trace] [--xdp-lo] -- COMMAND [ARG...]\n");
		return 2;
	}
	blob = make_btf(&size);
	if (!blob)
		return die("btf", ENOMEM);
	btf_fd = btfkit_bpf_btf_load(blob, size, NULL);
	free(blob);
	if (btf_fd < 0)
		return die("btf load", btf_fd);
	{
		struct btfkit_bpf_map_create_opts o = {
			.sz = sizeof(o), .name = "bo_hash", .btf_fd = btf_fd, .btf_key_type_id = 1,
			.btf_value_type_id = 2,
		};

		hash = btfkit_bpf_map_create(BPF_MAP_TYPE_HASH, 4, 8, 32, &o);
	}
	jmp = btfkit_bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4,
				    &(struct btfkit_bpf_map_create_opts){ .sz = sizeof(struct btfkit_bpf_map_create_opts),
									  .name = "bo_jmp" });
	if (hash < 0 || jmp < 0)
		return die("map create", hash < 0 ? hash : jmp);
	{
		const struct btfkit_bpf_insn insns[] = { LD_MAP(1, hash), LD_MAP(1, jmp), MOV64_IMM(0, 0), EXIT() };
		const struct bpf_func_info fi[] = { { 0, 5 } };
		struct btfkit_bpf_prog_load_opts o = {
			.sz = sizeof(o), .name = "bo_user", .prog_btf_fd = btf_fd, .func_info = fi,
			.func_info_rec_size = sizeof(fi[0]), .func_info_cnt = 1,
		};
		const struct btfkit_bpf_insn ret7[] = { MOV64_IMM(0, 7), EXIT() };
		struct btfkit_bpf_prog_load_opts c = { .sz = sizeof(c), .name = "bo_callee" };

		user = btfkit_bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, insns, 6, &o);
		callee = btfkit_bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, ret7, 2, &c);
	}
	if (user < 0 || callee < 0)
		return die("socket filter load", user < 0 ? user : callee);
	if (btfkit_bpf_map_update(jmp, &key, &callee, BPF_ANY) < 0)
		return die("prog array update", errno);
	add(ids.progs, sizeof(ids.progs), user, BTFKIT_BPF_PROG);
	add(ids.progs, sizeof(ids.progs), callee, BTFKIT_BPF_PROG);
	add(ids.maps, sizeof(ids.maps), hash, BTFKIT_BPF_MAP);
	add(ids.maps, sizeof(ids.maps), jmp, BTFKIT_BPF_MAP);
	add(ids.btf, sizeof(ids.btf), btf_fd, BTFKIT_BPF_BTF);
	{
		struct btfkit_bpf_map_info mi = { .sz = sizeof(mi) };

		btfkit_bpf_map_info(jmp, &mi);
		setenv_u32("BO_JMP", mi.id);
	}
	if (trace && make_trace(btf_fd, &ids))
		return 1;
	if (xdp_lo) {
		const struct btfkit_bpf_insn pass[] = { MOV64_IMM(0, 2), EXIT() };
		struct btfkit_bpf_prog_load_opts o = { .sz = sizeof(o), .name = "bo_xdp_lo" };
		int xdp = btfkit_bpf_prog_load(BPF_PROG_TYPE_XDP, pass, 2, &o), link;

		if (xdp < 0)
			return die("xdp load", xdp);
		link = btfkit_bpf_link_create(xdp, 1, BPF_XDP, 0);
		if (link < 0)
			return die("xdp link on lo", link);
		add(ids.progs, sizeof(ids.progs), xdp, BTFKIT_BPF_PROG);
		add(ids.links, sizeof(ids.links), link, BTFKIT_BPF_LINK);
	}
	setenv("BO_PROGS", ids.progs, 1);
	setenv("BO_MAPS", ids.maps, 1);
	setenv("BO_LINKS", ids.links, 1);
	setenv("BO_BTF", ids.btf, 1);
	printf("bpfobjs: progs %s; maps %s; links %s; btf %s\n", ids.progs, ids.maps,
	       ids.links[0] ? ids.links : "-", ids.btf);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return die("fork", errno);
	if (pid == 0) {
		execvp(argv[i + 1], argv + i + 1);
		fprintf(stderr, "bpfobjs: %s: %s\n", argv[i + 1], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return die("waitpid", errno);
	/* Every object goes with this process's fds. */
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
