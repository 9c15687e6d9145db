// SPDX-License-Identifier: BSD-2-Clause
/*
 * Checking every module of a kernel build against its vmlinux BTF, against
 * libbpf merely parsing the same modules on the same base:
 *
 *   btfkit: open the base, prepare it (validated once, strings indexed), then
 *           per module: open the .ko, btfkit_split_check() (kernel-equivalent
 *           validation on the base + the plausibility checks), close;
 *   libbpf: btf__parse(base), then per module btf__parse_split(.ko, base),
 *           btf__free().
 *
 *   bench_split BASE LIST [ROUNDS]     (LIST: one module path per line)
 *
 * and, as the peer of the command `btfkit check-module --base BASE MODULE...`
 * (bench/run.sh times the two as whole processes, the "one command"):
 *
 *   bench_split --parse BASE MODULE...  (libbpf: parse the base, then each module)
 *
 * Rounds alternate between the two after a warm-up round of each (the page
 * cache holds every module for both). Both wall-clock time and the process's
 * CPU time (user + system, every thread: the validator scans a large base's
 * strings on a second thread) are measured: on a machine shared with other
 * work, CPU time is what the two sides' own cost is. Prints "key value"
 * lines (nanoseconds, medians of the rounds) and the verdict counts, then
 * "N passed, N failed": failed when a module is not `ok` on its own base or
 * libbpf cannot parse it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/btf.h>
#include <btfkit/btfkit.h>

#include "bench_util.h"

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static char **paths;
static size_t nr_paths;

static int read_list(const char *list)
{
	FILE *f = fopen(list, "r");
	char line[4096];
	size_t cap = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (!line[0])
			continue;
		if (nr_paths == cap) {
			cap = cap ? cap * 2 : 1024;
			paths = realloc(paths, cap * sizeof(*paths));
			if (!paths)
				return -1;
		}
		paths[nr_paths++] = strdup(line);
	}
	fclose(f);
	return 0;
}

/* Returns the modules not ok (or not opened). */
static unsigned run_btfkit(const char *base_path, unsigned counts[4])
{
	struct btfkit_open_opts o = { .sz = sizeof(o) };
	struct btfkit_btf *base = btfkit_btf_open(base_path, &o);
	struct btfkit_split_base *sb = base ? btfkit_split_base_new(base, NULL, NULL, 0) : NULL;
	struct btfkit_split_result *res = malloc(sizeof(*res));
	unsigned bad = 0;

	if (!sb || !res) {
		fprintf(stderr, "bench_split: cannot prepare %s\n", base_path);
		exit(1);
	}
	memset(counts, 0, 4 * sizeof(*counts));
	for (size_t i = 0; i < nr_paths; i++) {
		struct btfkit_split_module *m = btfkit_split_module_open(paths[i], NULL, 0);

		if (!m || btfkit_split_check(sb, m, NULL, res)) {
			bad++;
		} else {
			counts[res->verdict]++;
			bad += res->verdict != BTFKIT_SPLIT_OK;
		}
		btfkit_split_module_free(m);
	}
	free(res);
	btfkit_split_base_free(sb);
	btfkit_btf_free(base);
	return bad;
}

static unsigned run_libbpf(const char *base_path)
{
	struct btf *base = btf__parse(base_path, NULL);
	unsigned bad = 0;

	if (!base) {
		fprintf(stderr, "bench_split: libbpf cannot parse %s\n", base_path);
		exit(1);
	}
	for (size_t i = 0; i < nr_paths; i++) {
		struct btf *m = btf__parse_split(paths[i], base);

		if (!m)
			bad++;
		btf__free(m);
	}
	btf__free(base);
	return bad;
}

/* The peer process: exit 1 if libbpf cannot parse the base or a module. */
static int parse_only(int argc, char **argv)
{
	struct btf *base = btf__parse(argv[0], NULL);
	int bad = 0;

	if (!base)
		return 1;
	for (int i = 1; i < argc; i++) {
		struct btf *m = btf__parse_split(argv[i], base);

		bad += !m;
		btf__free(m);
	}
	btf__free(base);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned rounds = argc > 3 ? (unsigned)atoi(argv[3]) : 5;
	unsigned counts[4], bad_k, bad_l, failed = 0;
	uint64_t *tk, *tl, *ck, *cl, t, c;

	if (argc >= 3 && strcmp(argv[1], "--parse") == 0)
		return parse_only(argc - 2, argv + 2);
	if (argc < 3 || !rounds) {
		fprintf(stderr, "usage: bench_split BASE LIST [ROUNDS]\n");
		return 2;
	}
	if (read_list(argv[2]) || !nr_paths) {
		fprintf(stderr, "bench_split: no modules in %s\n", argv[2]);
		return 1;
	}
	tk = calloc(rounds, sizeof(*tk));
	tl = calloc(rounds, sizeof(*tl));
	ck = calloc(rounds, sizeof(*ck));
	cl = calloc(rounds, sizeof(*cl));
	if (!tk || !tl || !ck || !cl)
		return 1;
	bad_k = run_btfkit(argv[1], counts);
	bad_l = run_libbpf(argv[1]);
	for (unsigned r = 0; r < rounds; r++) {
		t = now_ns();
		c = cpu_ns();
		run_btfkit(argv[1], counts);
		ck[r] = cpu_ns() - c;
		tk[r] = now_ns() - t;
		t = now_ns();
		c = cpu_ns();
		run_libbpf(argv[1]);
		cl[r] = cpu_ns() - c;
		tl[r] = now_ns() - t;
	}
	printf("modules %zu\n", nr_paths);
	printf("verdicts ok=%u mismatch=%u relocatable=%u incompatible=%u\n", counts[0], counts[1],
	       counts[2], counts[3]);
	printf("check_btfkit_ns %llu\n", (unsigned long long)median(tk, rounds));
	printf("parse_libbpf_ns %llu\n", (unsigned long long)median(tl, rounds));
	printf("check_btfkit_cpu_ns %llu\n", (unsigned long long)median(ck, rounds));
	printf("parse_libbpf_cpu_ns %llu\n", (unsigned long long)median(cl, rounds));
	if (bad_k) {
		printf("FAIL: %u modules not ok on their own base\n", bad_k);
		failed++;
	}
	if (bad_l) {
		printf("FAIL: libbpf could not parse %u modules\n", bad_l);
		failed++;
	}
	printf("%u passed, %u failed\n", 2 - failed, failed);
	return failed ? 1 : 0;
}
