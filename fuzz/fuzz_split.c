// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer target for split-BTF safety (fuzz/run.sh builds it).
 *
 * The input is a module: an ELF image (with .BTF, maybe .BTF.base) or a raw
 * split blob. Two small bases are read once from fuzz/split/ (base_a.btf, the
 * one the seed modules were built on, and base_b.btf, an "update" of it). Each
 * input is checked on both (with and without the original base), relocated
 * onto base_b and distilled from base_a.
 *
 * Invariants, abort()ed on:
 *   - a module judged relocatable from base_a onto base_b relocates;
 *   - what relocation hands out validates on base_b and opens there;
 *   - a verdict is one of the four, and its evidence counts are consistent;
 *   - a module is ok on a base exactly when it is ok with that same base
 *     given as the original (the ok path's quick scan agrees with the full
 *     scan, which the original base forces).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <btfkit/btfkit.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define CHECK(cond)                                                                      \
	do {                                                                             \
		if (!(cond)) {                                                           \
			fprintf(stderr, "fuzz_split: invariant failed at %s:%d: %s\n",   \
				__FILE__, __LINE__, #cond);                              \
			abort();                                                         \
		}                                                                        \
	} while (0)

static struct btfkit_btf *btf_a, *btf_b;
static struct btfkit_split_base *base_a, *base_b;

static struct btfkit_btf *open_base(const char *dir, const char *name)
{
	char path[4096];
	struct btfkit_open_opts o = { .sz = sizeof(o) };
	struct btfkit_btf *b;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	b = btfkit_btf_open(path, &o);
	if (!b) {
		fprintf(stderr, "fuzz_split: cannot open %s\n", path);
		exit(1);
	}
	return b;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("FUZZ_SPLIT_BASES");
	struct btfkit_validate_opts vo = { .sz = sizeof(vo), .kernel = BTFKIT_KERNEL_VERSION(6, 1, 0) };

	(void)argc;
	(void)argv;
	if (!dir)
		dir = "fuzz/split";
	btf_a = open_base(dir, "base_a.btf");
	btf_b = open_base(dir, "base_b.btf");
	base_a = btfkit_split_base_new(btf_a, &vo, NULL, 0);
	base_b = btfkit_split_base_new(btf_b, &vo, NULL, 0);
	if (!base_a || !base_b) {
		fprintf(stderr, "fuzz_split: bases do not validate\n");
		exit(1);
	}
	return 0;
}

static void check_result(const struct btfkit_split_result *r)
{
	CHECK(r->verdict <= BTFKIT_SPLIT_INCOMPATIBLE);
	CHECK(r->nr_refs_shown <= BTFKIT_SPLIT_MAX_REFS);
	CHECK(r->nr_refs_shown <= r->nr_wrong);
	CHECK(r->nr_matched <= r->nr_base_used);
	CHECK(memchr(r->reason, 0, sizeof(r->reason)));
	CHECK(r->verdict != BTFKIT_SPLIT_INCOMPATIBLE || r->changed_name[0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct btfkit_split_result *res = malloc(sizeof(*res));
	struct btfkit_split_module *mod;
	void *out = NULL, *dist = NULL, *split = NULL;
	size_t out_size = 0, dist_size, split_size;
	char msg[256];
	int relocatable;

	if (!res)
		return 0;
	mod = btfkit_split_module_open_mem(data, size, msg, sizeof(msg));
	if (!mod) {
		free(res);
		return 0;
	}
	if (btfkit_split_check(base_a, mod, NULL, res) == 0) {
		bool ok = res->verdict == BTFKIT_SPLIT_OK;

		check_result(res);
		if (btfkit_split_check(base_a, mod, base_a, res) == 0)
			CHECK(ok == (res->verdict == BTFKIT_SPLIT_OK));
	}
	if (btfkit_split_check(base_b, mod, NULL, res) == 0)
		check_result(res);
	relocatable = 0;
	if (btfkit_split_check(base_b, mod, base_a, res) == 0) {
		check_result(res);
		relocatable = res->verdict == BTFKIT_SPLIT_RELOCATABLE && !res->has_btf_base;
	}
	if (btfkit_split_relocate(base_b, mod, btfkit_split_module_has_base(mod) ? NULL : base_a, res,
				  &out, &out_size) == 0) {
		struct btfkit_verdict v;
		struct btfkit_open_opts o = { .sz = sizeof(o), .base = btf_b };
		struct btfkit_btf *again;

		CHECK(btfkit_validate_mem(out, out_size, btf_b, NULL, &v) == 0 && v.valid);
		again = btfkit_btf_open_mem(out, out_size, &o);
		CHECK(again);
		btfkit_btf_free(again);
		free(out);
	} else {
		CHECK(!relocatable);
	}
	if (btfkit_split_distill(base_a, mod, &dist, &dist_size, &split, &split_size, msg,
				 sizeof(msg)) == 0) {
		struct btfkit_verdict v;

		CHECK(btfkit_validate_mem(dist, dist_size, NULL, NULL, &v) == 0);
		free(dist);
		free(split);
	}
	btfkit_split_module_free(mod);
	free(res);
	return 0;
}
