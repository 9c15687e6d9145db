// SPDX-License-Identifier: BSD-2-Clause
/*
 * resolve_check: the resolver's verdicts against the kernel it describes.
 * Runs inside the lab VM, as root, on the live kernel view.
 *
 *   resolve_check [--unique N] [--notrace N] [--clones N] [--trigger NAME]
 *
 * 1. Census of the running kernel (vmlinux and the loaded modules); the
 *    counts of vmlinux records are printed for the host to compare with its
 *    offline census of the same build.
 * 2. fentry, through the resolver's (attach_btf_obj_fd, attach_btf_id): N
 *    evenly spread vmlinux functions found `unique` and every `unique`
 *    function of the loaded modules must load and attach; N `notrace` ones
 *    must be refused (the load or the attach fails).
 * 3. The ambiguous name NAME (default type_show): an fentry program on it,
 *    and a counting kprobe at each of its addresses; every sysfs file named
 *    after it ("type" for type_show) is read in turn. The fentry program must
 *    run exactly when the kprobe at the address the resolver predicted does.
 * 4. kprobes: by NAME (several symbols) the kernel must refuse with
 *    EADDRNOTAVAIL where the model says so; by the address of N clones
 *    (foo.isra.0, ...) they must attach.
 * 5. fmod_ret (debugfs mounted, so the error-injection list is read): a
 *    function on the list and a security_* one must load and attach, one
 *    on neither must be refused at load with EINVAL.
 *
 * Every check prints a line on disagreement; the last line is
 * "N verdicts checked, M agreed". Exit 0 when all agreed.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <btfkit/btfkit.h>

static struct btfkit_kview *kv;
static unsigned checked, agreed;

/* ---- census ---- */

struct rec {
	char *target; /* "name" for vmlinux, "module:name" for modules */
	int verdict, scoped;
	int vmlinux, proto_refused;
};
static struct rec *recs;
static size_t nr_recs, cap_recs;
static uint64_t vm_counts[BTFKIT_VERDICT_COUNT];

static int on_record(void *ctx, const struct btfkit_resolution *r)
{
	char buf[600];
	int vm = r->scope && strcmp(r->scope, "vmlinux") == 0;

	(void)ctx;
	if (nr_recs == cap_recs) {
		cap_recs = cap_recs ? cap_recs * 2 : 65536;
		recs = realloc(recs, cap_recs * sizeof(*recs));
		if (!recs)
			return -ENOMEM;
	}
	if (vm)
		snprintf(buf, sizeof(buf), "%s", r->name);
	else
		snprintf(buf, sizeof(buf), "%s:%s", r->scope, r->name);
	recs[nr_recs] = (struct rec){ strdup(buf), r->verdict, r->scoped_verdict, vm,
				      r->proto_refused != NULL };
	nr_recs++;
	if (vm)
		vm_counts[r->verdict]++;
	return 0;
}

/* ---- fentry ---- */

static int tracing_try(uint32_t btf_id, int obj_fd, int attach_type, const char **stage)
{
	const struct btfkit_bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .regs = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct btfkit_bpf_prog_load_opts o = {
		.sz = sizeof(o),
		.name = "resolve_check",
		.expected_attach_type = attach_type,
		.attach_btf_id = btf_id,
		.attach_btf_obj_fd = obj_fd,
	};
	int prog = btfkit_bpf_prog_load(BPF_PROG_TYPE_TRACING, insns, 2, &o), link;

	if (prog < 0) {
		*stage = "load";
		return prog;
	}
	link = btfkit_bpf_raw_tp_open(prog, NULL);
	if (link < 0) {
		*stage = "attach";
		close(prog);
		return link;
	}
	close(link);
	close(prog);
	*stage = "attached";
	return 0;
}

static int fentry_try(uint32_t btf_id, int obj_fd, const char **stage)
{
	return tracing_try(btf_id, obj_fd, BPF_TRACE_FENTRY, stage);
}

/*
 * fmod_ret: the resolver's safe must match the kernel's answer; a refusal
 * must be EINVAL at load (check_attach_modify_return).
 */
static int check_fmod_ret(const char *target)
{
	struct btfkit_resolve_opts ro = { .sz = sizeof(ro), .attach = BTFKIT_ATTACH_FMOD_RET };
	struct btfkit_resolution *r = btfkit_resolve(kv, target, &ro);
	const char *stage = "resolve";
	int err;

	if (!r || !r->nr_funcs || (r->verdict != BTFKIT_VERDICT_UNIQUE) || r->proto_refused) {
		printf("fmod_ret %s: skipped (%s)\n", target,
		       r ? btfkit_resolve_verdict_name(r->verdict) : strerror(errno));
		btfkit_resolution_free(r);
		return 0;
	}
	checked++;
	err = tracing_try(r->funcs[0].btf_id, 0, BPF_MODIFY_RETURN, &stage);
	if (r->safe ? err == 0 : err == -EINVAL && strcmp(stage, "load") == 0) {
		agreed++;
		printf("fmod_ret %s: %s, as predicted\n", target, err ? "EINVAL at load" : "attached");
	} else {
		printf("disagree: fmod_ret %s: %s %s, predicted %s (%s)\n", target, stage,
		       err ? strerror(-err) : "succeeded", r->safe ? "safe" : "EINVAL at load", r->reason);
	}
	btfkit_resolution_free(r);
	return 1;
}

/* fmod_ret on the first `want` checkable functions of the error-injection list. */
static void check_fmod_ret_listed(unsigned want)
{
	FILE *f = fopen("/sys/kernel/debug/error_injection/list", "r");
	char line[512], name[256];
	unsigned done = 0, tried = 0;

	if (!f) {
		/* Without CONFIG_FUNCTION_ERROR_INJECTION (Debian) there is no list. */
		printf("fmod_ret: error_injection/list: %s: only security_* is modifiable\n", strerror(errno));
		return;
	}
	while (done < want && tried < 50 && fgets(line, sizeof(line), f))
		if (sscanf(line, "%255s", name) == 1 && !strchr(line, '[')) {
			tried++;
			done += check_fmod_ret(name);
		}
	fclose(f);
}

/* One fentry check: expect_ok says whether the resolver said it is safe. */
static void check_fentry(const char *target, int expect_ok, unsigned *refused_load,
			 unsigned *refused_attach)
{
	struct btfkit_resolve_opts ro = { .sz = sizeof(ro), .attach = BTFKIT_ATTACH_FENTRY };
	struct btfkit_resolution *r = btfkit_resolve(kv, target, &ro);
	const char *stage = "resolve";
	uint32_t id = 0;
	int fd = -1, err = -EINVAL;

	checked++;
	if (!r) {
		printf("disagree: %s: resolve: %s\n", target, strerror(errno));
		return;
	}
	if (expect_ok != r->safe) {
		printf("disagree: %s: census said %s, resolve says %s\n", target,
		       expect_ok ? "safe" : "unsafe", btfkit_resolve_verdict_name(r->verdict));
		btfkit_resolution_free(r);
		return;
	}
	if (expect_ok) {
		err = btfkit_resolution_attach_pair(r, &fd, &id);
	} else if (r->nr_funcs) {
		/* What a loader that does not ask would do: the FUNC's own id. */
		const struct btfkit_kview_object *o = btfkit_kview_object(kv, r->funcs[0].object_idx);

		id = r->funcs[0].btf_id;
		fd = r->funcs[0].object_idx ? o->fd : 0;
		err = 0;
	}
	if (!err)
		err = fentry_try(id, fd, &stage);
	if ((err == 0) == (expect_ok != 0)) {
		agreed++;
		if (err && refused_load && strcmp(stage, "load") == 0)
			(*refused_load)++;
		else if (err && refused_attach)
			(*refused_attach)++;
	} else {
		printf("disagree: %s (%s): %s %s\n", target, btfkit_resolve_verdict_name(r->verdict), stage,
		       err ? strerror(-err) : "succeeded");
	}
	btfkit_resolution_free(r);
}

/* ---- kprobes through perf_event_open ---- */

static int kprobe_type = -1;

static int kprobe_open(const char *func, uint64_t addr)
{
	struct perf_event_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = (uint32_t)kprobe_type;
	a.config1 = func ? (uint64_t)(uintptr_t)func : 0; /* kprobe_func */
	a.config2 = addr;                                 /* kprobe_addr, or offset */
	fd = (int)syscall(__NR_perf_event_open, &a, -1, 0, -1, 0);
	return fd < 0 ? -errno : fd;
}

static uint64_t counter(int fd)
{
	uint64_t v = 0;

	if (fd < 0 || read(fd, &v, sizeof(v)) != sizeof(v))
		return 0;
	return v;
}

static void check_kprobes(const char *dup_name, unsigned want_clones)
{
	struct btfkit_resolve_opts ro = { .sz = sizeof(ro), .attach = BTFKIT_ATTACH_KPROBE };
	struct btfkit_resolution *r = btfkit_resolve(kv, dup_name, &ro);
	unsigned clones = 0, clone_ok = 0;
	int fd;

	if (kprobe_type < 0) {
		printf("kprobes: no kprobe PMU in this kernel: not checked\n");
		btfkit_resolution_free(r);
		return;
	}
	/* By a duplicated name. */
	if (r && r->verdict == BTFKIT_VERDICT_AMBIGUOUS) {
		int refuses = strstr(r->reason, "EADDRNOTAVAIL") != NULL;
		/* "may take the first, or refuse": either outcome agrees. */
		int either = strstr(r->reason, "may take") != NULL;

		fd = kprobe_open(dup_name, 0);
		checked++;
		if (either || (fd == -EADDRNOTAVAIL) == refuses) {
			agreed++;
			printf("kprobe %s by name (%zu symbols): %s, as predicted\n", dup_name, r->nr_addrs,
			       fd < 0 ? strerror(-fd) : "attached");
		} else {
			printf("disagree: kprobe %s by name: %s, predicted %s\n", dup_name,
			       fd < 0 ? strerror(-fd) : "attached", refuses ? "EADDRNOTAVAIL" : "attached");
		}
		if (fd >= 0)
			close(fd);
		/* By each address: all must attach. */
		for (size_t i = 0; i < r->nr_addrs; i++) {
			fd = kprobe_open(NULL, r->addrs[i].addr);
			checked++;
			if (fd >= 0) {
				agreed++;
				close(fd);
			} else {
				printf("disagree: kprobe at 0x%llx (%s): %s\n",
				       (unsigned long long)r->addrs[i].addr, dup_name, strerror(-fd));
			}
		}
	}
	btfkit_resolution_free(r);

	/* Clones, by address: names from the census's renamed records, else kallsyms. */
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512];

	while (f && clones < want_clones && fgets(line, sizeof(line), f)) {
		char name[256], type;
		unsigned long long a;
		struct btfkit_resolution *c;

		if (sscanf(line, "%llx %c %255s", &a, &type, name) != 3 || (type != 't' && type != 'T') ||
		    strchr(line, '[') || !strstr(name, ".isra.") )
			continue;
		c = btfkit_resolve(kv, name, &ro);
		if (!c || c->verdict != BTFKIT_VERDICT_UNIQUE || c->addrs[0].traceable != 1) {
			btfkit_resolution_free(c);
			continue;
		}
		fd = kprobe_open(NULL, c->kprobe_addr);
		checked++;
		clones++;
		if (fd >= 0) {
			agreed++;
			clone_ok++;
			close(fd);
		} else {
			printf("disagree: kprobe at clone %s 0x%llx: %s\n", name,
			       (unsigned long long)c->kprobe_addr, strerror(-fd));
		}
		btfkit_resolution_free(c);
	}
	if (f)
		fclose(f);
	printf("kprobes by clone address: %u of %u attached\n", clone_ok, clones);
}

/* ---- an ambiguous name, triggered ---- */

/* Every regular file under /sys (not following links), read by basename. */
static char **sys_files;
static size_t nr_sys_files, cap_sys_files;

static int collect(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag != FTW_F)
		return 0;
	if (nr_sys_files == cap_sys_files) {
		cap_sys_files = cap_sys_files ? cap_sys_files * 2 : 16384;
		sys_files = realloc(sys_files, cap_sys_files * sizeof(*sys_files));
		if (!sys_files)
			return 1;
	}
	sys_files[nr_sys_files++] = strdup(path);
	return 0;
}

static const char *base_of(const char *p)
{
	const char *b = strrchr(p, '/');

	return b ? b + 1 : p;
}

static void read_file(const char *path)
{
	char buf[512];
	int fd = open(path, O_RDONLY | O_NONBLOCK);

	if (fd < 0)
		return;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
}

static uint64_t prog_runs(int fd)
{
	struct btfkit_bpf_prog_info info = { .sz = sizeof(info) };

	return btfkit_bpf_prog_info(fd, &info) == 0 ? info.run_cnt : 0;
}

static int fentry_attach(uint32_t btf_id, int obj_fd, int *link)
{
	const struct btfkit_bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .regs = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct btfkit_bpf_prog_load_opts o = {
		.sz = sizeof(o),
		.name = "ambiguous",
		.expected_attach_type = BPF_TRACE_FENTRY,
		.attach_btf_id = btf_id,
		.attach_btf_obj_fd = obj_fd,
	};
	int prog = btfkit_bpf_prog_load(BPF_PROG_TYPE_TRACING, insns, 2, &o);

	*link = -1;
	if (prog < 0)
		return prog;
	*link = btfkit_bpf_raw_tp_open(prog, NULL);
	if (*link < 0) {
		close(prog);
		return *link;
	}
	return prog;
}

/*
 * TARGET is NAME_show or MODULE:NAME_show, a name the kernel has at several
 * addresses. Counting kprobes sit at every address of NAME; reading each
 * sysfs file NAME shows which address serves it. If some file reaches the
 * address the resolver predicts for TARGET, an fentry program loaded for
 * TARGET (the first FUNC's id, with the module's BTF object fd) must run on
 * exactly the reads that reach it. Returns 1 when shown, 0 when no file
 * reaches the prediction, -1 on a disagreement.
 */
static int try_trigger(const char *target, int verbose)
{
	struct btfkit_resolve_opts ro = { .sz = sizeof(ro), .attach = BTFKIT_ATTACH_FENTRY };
	struct btfkit_resolve_opts ko = { .sz = sizeof(ko), .attach = BTFKIT_ATTACH_KPROBE };
	struct btfkit_resolution *r = btfkit_resolve(kv, target, &ro), *k = NULL;
	const char *name = strchr(target, ':') ? strchr(target, ':') + 1 : target;
	char file[256];
	int *kp = NULL, prog = -1, link = -1, shown = 0, pick = -1, obj_fd = 0;
	unsigned n_files = 0, n_pick = 0, n_fentry = 0, n_other = 0, n_bad = 0;
	uint64_t *before = NULL;
	size_t len = strlen(name);

	if (!r || r->pick < 0 || !r->nr_funcs || len <= 5 || strcmp(name + len - 5, "_show") != 0)
		goto out;
	k = btfkit_resolve(kv, name, &ko);
	if (!k || k->nr_addrs < 2)
		goto out;
	for (size_t i = 0; i < k->nr_addrs; i++)
		if (k->addrs[i].addr == r->addrs[r->pick].addr)
			pick = (int)i;
	if (pick < 0)
		goto out;
	if (r->funcs[0].object_idx)
		obj_fd = btfkit_kview_object(kv, r->funcs[0].object_idx)->fd;
	snprintf(file, sizeof(file), "%.*s", (int)(len - 5), name);
	kp = calloc(k->nr_addrs, sizeof(int));
	before = calloc(k->nr_addrs, sizeof(uint64_t));
	if (!kp || !before)
		goto out;
	for (size_t i = 0; i < k->nr_addrs; i++)
		kp[i] = kprobe_open(NULL, k->addrs[i].addr);
	if (kp[pick] < 0)
		goto out;
	/* A first pass without fentry: does any file reach the prediction? */
	for (size_t f = 0; f < nr_sys_files && !shown; f++) {
		uint64_t b;

		if (strcmp(base_of(sys_files[f]), file) != 0)
			continue;
		b = counter(kp[pick]);
		read_file(sys_files[f]);
		shown = counter(kp[pick]) != b;
	}
	if (!shown && !verbose)
		goto out;
	prog = fentry_attach(r->funcs[0].btf_id, obj_fd, &link);
	if (prog < 0) {
		printf("disagree: %s: fentry: %s\n", target, strerror(-prog));
		shown = -1;
		goto out;
	}
	for (size_t f = 0; f < nr_sys_files; f++) {
		uint64_t bf, bp;
		int other = 0;

		if (strcmp(base_of(sys_files[f]), file) != 0)
			continue;
		for (size_t i = 0; i < k->nr_addrs; i++)
			before[i] = counter(kp[i]);
		bf = prog_runs(prog);
		bp = before[pick];
		read_file(sys_files[f]);
		for (size_t i = 0; i < k->nr_addrs; i++)
			if ((int)i != pick && counter(kp[i]) != before[i])
				other = 1;
		n_files++;
		n_other += other;
		bool ran = prog_runs(prog) != bf, hit = counter(kp[pick]) != bp;

		n_pick += hit;
		n_fentry += ran;
		if (ran != hit) {
			n_bad++;
			printf("disagree: reading %s: fentry %s, the predicted address %s\n", sys_files[f],
			       ran ? "ran" : "did not run", hit ? "was hit" : "was not hit");
		}
	}
	printf("%s %s: %zu BTF FUNC(s) in scope, %zu addresses named %s; fentry given btf id %u (%s); predicted %s 0x%llx%s%s%s\n",
	       btfkit_resolve_verdict_name(r->verdict), target, r->nr_funcs, k->nr_addrs, name,
	       r->funcs[0].btf_id, r->funcs[0].object, name, (unsigned long long)r->addrs[r->pick].addr,
	       r->addrs[r->pick].module ? " [" : " (vmlinux)", r->addrs[r->pick].module ? r->addrs[r->pick].module : "",
	       r->addrs[r->pick].module ? "]" : "");
	printf("  read %u sysfs files '%s': %u reached the predicted address, the fentry program ran on %u; %u reached another %s; %u disagreed\n",
	       n_files, file, n_pick, n_fentry, n_other, name, n_bad);
	if (n_bad)
		shown = -1;
	else if (shown)
		printf("  the kernel attached to 0x%llx, the address predicted\n",
		       (unsigned long long)r->addrs[r->pick].addr);
out:
	for (size_t i = 0; kp && k && i < k->nr_addrs; i++)
		if (kp[i] >= 0)
			close(kp[i]);
	free(kp);
	free(before);
	if (link >= 0)
		close(link);
	if (prog >= 0)
		close(prog);
	btfkit_resolution_free(k);
	btfkit_resolution_free(r);
	return shown;
}

static void check_trigger(const char *first, const char *module_target)
{
	union bpf_attr attr;
	int stats, done = 0;
	unsigned tried = 0;

	checked++;
	if (kprobe_type < 0) {
		printf("disagree: no kprobes: cannot see which function runs\n");
		return;
	}
	memset(&attr, 0, sizeof(attr));
	attr.enable_stats.type = BPF_STATS_RUN_TIME;
	stats = (int)syscall(__NR_bpf, BPF_ENABLE_STATS, &attr, sizeof(attr));
	nftw("/sys", collect, 32, FTW_PHYS);
	/* The seed's example first, described even if nothing reaches its pick. */
	done = try_trigger(first, 1);
	for (size_t i = 0; i < nr_recs && done == 0 && tried < 80; i++) {
		size_t len = strlen(recs[i].target);

		if (!recs[i].vmlinux || recs[i].verdict != BTFKIT_VERDICT_AMBIGUOUS || len <= 5 ||
		    strcmp(recs[i].target + len - 5, "_show") != 0 || strcmp(recs[i].target, first) == 0)
			continue;
		tried++;
		done = try_trigger(recs[i].target, 0);
	}
	if (done > 0)
		agreed++;
	else if (done == 0)
		printf("disagree: no ambiguous *_show name has a sysfs file reaching its predicted address\n");
	/* A module's function named like one of vmlinux: whose does the kernel find? */
	if (module_target) {
		char mod[64];
		const char *colon = strchr(module_target, ':');

		snprintf(mod, sizeof(mod), "%.*s", colon ? (int)(colon - module_target) : 0, module_target);
		if (colon && btfkit_kview_find_object(kv, mod) >= 0) {
			checked++;
			done = try_trigger(module_target, 1);
			if (done > 0)
				agreed++;
			else if (done == 0)
				printf("disagree: %s: no sysfs file reached the predicted address\n", module_target);
		} else {
			printf("%s: module not loaded: not checked\n", module_target);
		}
	}
	for (size_t i = 0; i < nr_sys_files; i++)
		free(sys_files[i]);
	free(sys_files);
	if (stats >= 0)
		close(stats);
}

int main(int argc, char **argv)
{
	unsigned want_unique = 500, want_notrace = 40, want_clones = 20;
	unsigned u_ok = 0, n_vm_unique = 0, n_notrace = 0, mod_checked = 0;
	unsigned nt_load = 0, nt_attach = 0, pr_load = 0, pr_attach = 0, n_proto = 0, m_load = 0,
		 m_attach = 0;
	const char *trigger = "type_show", *module_target = "ecryptfs:version_show";
	struct btfkit_census_opts co = { .sz = sizeof(co), .record = on_record };
	struct btfkit_census_counts cc = { .sz = sizeof(cc) };
	uint64_t *counts = cc.verdict;
	char buf[32];
	int fd;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--unique") == 0)
			want_unique = (unsigned)atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--notrace") == 0)
			want_notrace = (unsigned)atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--clones") == 0)
			want_clones = (unsigned)atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--trigger") == 0)
			trigger = argv[i + 1];
		else if (strcmp(argv[i], "--module-target") == 0)
			module_target = argv[i + 1];
	}
	fd = open("/sys/bus/event_source/devices/kprobe/type", O_RDONLY);
	if (fd >= 0) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);

		if (n > 0) {
			buf[n] = '\0';
			kprobe_type = atoi(buf);
		}
		close(fd);
	}

	/* The error-injection list lives in debugfs: mounted for the fmod_ret checks. */
	if (mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL) && errno != EBUSY)
		printf("note: mounting debugfs: %s\n", strerror(errno));
	kv = btfkit_kview_open(NULL);
	if (!kv) {
		perror("resolve_check: btfkit_kview_open");
		return 1;
	}
	for (size_t i = 0; btfkit_kview_note(kv, i); i++)
		printf("note: %s\n", btfkit_kview_note(kv, i));
	if (btfkit_census(kv, &co, &cc) < 0) {
		perror("resolve_check: census");
		return 1;
	}
	printf("live view: kernel %u.%u.%u, %zu BTF objects, %zu symbols\n", btfkit_kview_version(kv) >> 16,
	       (btfkit_kview_version(kv) >> 8) & 0xff, btfkit_kview_version(kv) & 0xff,
	       btfkit_kview_object_count(kv), btfkit_kview_symbol_count(kv));
	printf("census all:");
	for (int v = 0; v < BTFKIT_VERDICT_COUNT; v++)
		printf(" %s %llu", btfkit_resolve_verdict_name(v), (unsigned long long)counts[v]);
	printf("\ncensus vmlinux:");
	for (int v = 0; v < BTFKIT_VERDICT_COUNT; v++)
		printf(" %s %llu", btfkit_resolve_verdict_name(v), (unsigned long long)vm_counts[v]);
	printf("\n");

	/* fentry on unique functions: evenly spread over vmlinux, all of the modules. */
	for (size_t i = 0; i < nr_recs; i++) {
		n_vm_unique += recs[i].vmlinux && recs[i].verdict == BTFKIT_VERDICT_UNIQUE;
		n_notrace += recs[i].vmlinux && recs[i].verdict == BTFKIT_VERDICT_NOTRACE;
	}
	unsigned step = want_unique && n_vm_unique > want_unique ? n_vm_unique / want_unique : 1;
	unsigned k = 0, before = agreed;

	for (size_t i = 0; i < nr_recs; i++) {
		if (!recs[i].vmlinux || recs[i].verdict != BTFKIT_VERDICT_UNIQUE)
			continue;
		if (k++ % step == 0 && u_ok < want_unique) {
			check_fentry(recs[i].target, !recs[i].proto_refused, &pr_load, &pr_attach);
			u_ok++;
			n_proto += recs[i].proto_refused;
		}
	}
	printf("fentry on %u unique vmlinux functions (1 in %u): %u as predicted: %u attached, %u refused as their prototype predicts (%u at load, %u at attach)\n",
	       u_ok, step, agreed - before, agreed - before - pr_load - pr_attach, pr_load + pr_attach,
	       pr_load, pr_attach);
	if (pr_load + pr_attach != n_proto)
		printf("  (%u predicted refused by prototype)\n", n_proto);
	before = agreed;
	for (size_t i = 0; i < nr_recs; i++) {
		if (recs[i].vmlinux || recs[i].scoped != BTFKIT_VERDICT_UNIQUE)
			continue;
		/* a cross-module record named with its module is unique */
		check_fentry(recs[i].target, !recs[i].proto_refused, &m_load, &m_attach);
		mod_checked++;
	}
	printf("fentry on %u unique module functions (module:func, attach_btf_obj_fd): %u as predicted (%u refused by prototype)\n",
	       mod_checked, agreed - before, m_load + m_attach);
	before = agreed;
	step = want_notrace && n_notrace > want_notrace ? n_notrace / want_notrace : 1;
	k = 0;
	unsigned nt = 0;

	for (size_t i = 0; i < nr_recs; i++) {
		if (!recs[i].vmlinux || recs[i].verdict != BTFKIT_VERDICT_NOTRACE)
			continue;
		if (k++ % step == 0 && nt < want_notrace) {
			check_fentry(recs[i].target, 0, &nt_load, &nt_attach);
			nt++;
		}
	}
	printf("fentry on %u notrace functions: %u refused (%u at load, %u at attach)\n", nt,
	       agreed - before, nt_load, nt_attach);

	/* missing: a module's __init functions leave kallsyms once it has loaded. */
	unsigned ms = 0, ms_load = 0, ms_attach = 0;

	before = agreed;
	for (size_t i = 0; i < nr_recs; i++) {
		if (recs[i].scoped != BTFKIT_VERDICT_MISSING && recs[i].scoped != BTFKIT_VERDICT_RENAMED)
			continue;
		check_fentry(recs[i].target, 0, &ms_load, &ms_attach);
		ms++;
	}
	printf("fentry on %u missing or renamed functions: %u refused (%u at load, %u at attach)\n", ms,
	       agreed - before, ms_load, ms_attach);

	check_trigger(trigger, module_target);
	check_kprobes(trigger, want_clones);
	/* On the error-injection list, named security_*, neither. */
	check_fmod_ret_listed(3);
	/* Error-injectable where the kernel has the list (ALLOW_ERROR_INJECTION). */
	check_fmod_ret("should_failslab");
	check_fmod_ret("security_file_open");
	check_fmod_ret("do_sys_openat2");

	printf("%u verdicts checked, %u agreed\n", checked, agreed);
	for (size_t i = 0; i < nr_recs; i++)
		free(recs[i].target);
	free(recs);
	btfkit_kview_free(kv);
	return checked == agreed ? 0 : 1;
}
