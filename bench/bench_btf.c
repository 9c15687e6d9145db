// SPDX-License-Identifier: BSD-2-Clause
/*
 * btfkit against libbpf, in one process, on one BTF file (bench/run.sh passes
 * a copy of /sys/kernel/btf/vmlinux):
 *
 *   open+index  btfkit_btf_open() (eager: by-id table and name index) + free,
 *               against btf__parse() + btf__free(). Interleaved, after a
 *               warm-up, so that both see the same page cache and CPU state.
 *               A lazy open (BTFKIT_OPEN_LAZY_INDEX) is timed too, for the
 *               record: it shows what the index costs.
 *   find FUNC   btfkit_btf_find(name, FUNC) for every FUNC, against libbpf's
 *               btf__find_by_name_kind() (a linear scan) for a fixed random
 *               sample of FUNC names. The ids found must agree.
 *
 *   bench_btf FILE [ITERATIONS] [SAMPLE]
 *
 * Prints "key value" lines that bench/run.sh reads (times in nanoseconds),
 * then "N passed, N failed" for its agreement checks; exits 1 if one fails.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/btf.h>
#include <btfkit/btfkit.h>

#include "bench_util.h"

static unsigned passed, failed;

static void check(int ok, const char *what)
{
	if (ok) {
		passed++;
	} else {
		failed++;
		fprintf(stderr, "bench_btf: FAILED: %s\n", what);
	}
}

static uint64_t time_btfkit_open(const char *path, unsigned flags)
{
	struct btfkit_open_opts o = { .sz = sizeof(o), .flags = flags };
	uint64_t t0 = now_ns();
	struct btfkit_btf *b = btfkit_btf_open(path, &o);

	if (!b) {
		fprintf(stderr, "bench_btf: btfkit cannot open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	btfkit_btf_free(b);
	return now_ns() - t0;
}

static uint64_t time_libbpf_open(const char *path)
{
	uint64_t t0 = now_ns();
	struct btf *b = btf__parse(path, NULL);

	if (!b) {
		fprintf(stderr, "bench_btf: libbpf cannot open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	btf__free(b);
	return now_ns() - t0;
}

/* A small deterministic generator: the same sample on every run. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

int main(int argc, char **argv)
{
	const char *path;
	unsigned iters = 30, sample = 300, warm = 3;
	uint64_t *tk, *tl, *tz;
	struct btfkit_btf *kb;
	struct btf *lb;
	struct btfkit_btf_cursor cur = { 0 };
	const struct btfkit_type *t;
	uint32_t *funcs = NULL, nfuncs = 0, cap = 0;
	uint64_t per_k[5], t0, lib_total, mismatches = 0;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: bench_btf FILE [ITERATIONS] [SAMPLE]\n");
		return 2;
	}
	path = argv[1];
	if (argc > 2)
		iters = (unsigned)strtoul(argv[2], NULL, 10);
	if (argc > 3)
		sample = (unsigned)strtoul(argv[3], NULL, 10);
	if (iters < 1 || sample < 1) {
		fprintf(stderr, "bench_btf: ITERATIONS and SAMPLE must be positive\n");
		return 2;
	}

	/* ---- open + index ---- */
	for (unsigned i = 0; i < warm; i++) {
		time_btfkit_open(path, 0);
		time_libbpf_open(path);
	}
	tk = calloc(iters, sizeof(*tk));
	tl = calloc(iters, sizeof(*tl));
	tz = calloc(iters, sizeof(*tz));
	if (!tk || !tl || !tz)
		return 1;
	for (unsigned i = 0; i < iters; i++) {
		/* Alternate who goes first, so neither always runs on a warmer cache. */
		if (i % 2) {
			tk[i] = time_btfkit_open(path, 0);
			tl[i] = time_libbpf_open(path);
		} else {
			tl[i] = time_libbpf_open(path);
			tk[i] = time_btfkit_open(path, 0);
		}
		/* For the record, not compared: the lazy open (one checking walk, no index). */
		tz[i] = time_btfkit_open(path, BTFKIT_OPEN_LAZY_INDEX);
	}
	printf("open_iterations %u\n", iters);
	printf("open_btfkit_ns %llu\n", (unsigned long long)median(tk, iters));
	printf("open_libbpf_ns %llu\n", (unsigned long long)median(tl, iters));
	printf("open_btfkit_lazy_ns %llu\n", (unsigned long long)median(tz, iters));
	free(tk);
	free(tl);
	free(tz);

	/* ---- find every FUNC by name ---- */
	kb = btfkit_btf_open(path, NULL);
	lb = btf__parse(path, NULL);
	if (!kb || !lb) {
		fprintf(stderr, "bench_btf: cannot open %s\n", path);
		return 1;
	}
	check(btfkit_btf_type_count(kb) == btf__type_cnt(lb), "type counts agree");
	printf("types %u\n", btfkit_btf_type_count(kb) - 1);
	while ((t = btfkit_btf_next(kb, &cur)) != NULL) {
		if (btfkit_type_kind(t) != BTFKIT_KIND_FUNC)
			continue;
		if (nfuncs == cap) {
			cap = cap ? cap * 2 : 4096;
			funcs = realloc(funcs, cap * sizeof(*funcs));
			if (!funcs)
				return 1;
		}
		funcs[nfuncs++] = cur.id;
	}
	printf("funcs %u\n", nfuncs);
	if (!nfuncs) {
		fprintf(stderr, "bench_btf: no FUNC in %s\n", path);
		return 1;
	}

	/* btfkit: every FUNC, five times; the median pass counts. */
	for (int pass = 0; pass < 5; pass++) {
		volatile int64_t keep = 0;

		t0 = now_ns();
		for (uint32_t i = 0; i < nfuncs; i++)
			keep += btfkit_btf_find(kb, btfkit_btf_name(kb, funcs[i]), BTFKIT_KIND_FUNC);
		per_k[pass] = now_ns() - t0;
		(void)keep;
	}
	printf("find_btfkit_lookups %u\n", nfuncs);
	printf("find_btfkit_ns_per_lookup %.1f\n", (double)median(per_k, 5) / nfuncs);

	/* Correctness of all of them: the smallest FUNC id with that name. */
	for (uint32_t i = 0; i < nfuncs; i++) {
		int64_t id = btfkit_btf_find(kb, btfkit_btf_name(kb, funcs[i]), BTFKIT_KIND_FUNC);

		if (id <= 0 || id > funcs[i] ||
		    strcmp(btfkit_btf_name(kb, (uint32_t)id), btfkit_btf_name(kb, funcs[i])))
			mismatches++;
	}
	check(mismatches == 0, "btfkit finds every FUNC by its name");

	/* libbpf: a sample (each lookup scans the types from id 1). */
	if (sample > nfuncs)
		sample = nfuncs;
	{
		uint32_t *pick = malloc(sample * sizeof(*pick));
		int32_t *got = malloc(sample * sizeof(*got));

		if (!pick || !got)
			return 1;
		for (unsigned i = 0; i < sample; i++)
			pick[i] = funcs[rng() % nfuncs];
		t0 = now_ns();
		for (unsigned i = 0; i < sample; i++)
			got[i] = btf__find_by_name_kind(lb, btfkit_btf_name(kb, pick[i]), BTF_KIND_FUNC);
		lib_total = now_ns() - t0;
		mismatches = 0;
		for (unsigned i = 0; i < sample; i++)
			if (got[i] != btfkit_btf_find(kb, btfkit_btf_name(kb, pick[i]), BTFKIT_KIND_FUNC))
				mismatches++;
		check(mismatches == 0, "btfkit and libbpf find the same ids");
		free(pick);
		free(got);
	}
	printf("find_libbpf_lookups %u\n", sample);
	printf("find_libbpf_ns_per_lookup %.1f\n", (double)lib_total / sample);

	free(funcs);
	btfkit_btf_free(kb);
	btf__free(lb);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
