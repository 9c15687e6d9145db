// SPDX-License-Identifier: BSD-2-Clause
/*
 * btfkit census: every FUNC of vmlinux and of every module, classified as a
 * tracing program attached by its name would be.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <btfkit/btfkit.h>

#include "cli.h"

struct census_ctx {
	bool json, progress_shown;
	uint64_t records;
	double start;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int on_record(void *ctx, const struct btfkit_resolution *r)
{
	struct census_ctx *c = ctx;

	if (c->records)
		putchar(',');
	putchar('\n');
	cli_resolution_json(r, NULL);
	c->records++;
	return 0;
}

/* On a terminal, after half a second: how far the census is. */
static void show_progress(struct census_ctx *c, const char *what, size_t done, size_t total)
{
	if (now() - c->start < 0.5 && !c->progress_shown)
		return;
	fprintf(stderr, "\r\033[Kcensus: %s %zu/%zu", what, done, total);
	c->progress_shown = true;
}

static void on_progress(void *ctx, size_t done, size_t total)
{
	show_progress(ctx, "names", done, total);
}

static void on_modules(void *ctx, size_t done, size_t total)
{
	show_progress(ctx, "module files", done, total);
}

int cmd_census(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "json", no_argument, NULL, 'j' },
		KVIEW_LONG_OPTS,
		{ NULL, 0, NULL, 0 },
	};
	const struct command *self = cli_command("census");
	struct btfkit_kview_opts ko = { .sz = sizeof(ko) };
	struct census_ctx c = { 0 };
	struct btfkit_census_opts co = { .sz = sizeof(co), .ctx = &c };
	struct btfkit_census_counts counts = { .sz = sizeof(counts) };
	struct btfkit_kview *kv;
	int64_t n;
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":j", long_opts, NULL)) != -1) {
		if (cli_kview_option(opt, optarg, &ko) == 0)
			continue;
		switch (opt) {
		case 'j':
			c.json = true;
			break;
		case ':':
			return cli_usage_error(self, "census: option '%s' needs an argument",
					       argv[optind - 1]);
		default:
			return cli_usage_error(self, "census: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc)
		return cli_usage_error(self, "census: unexpected argument '%s'", argv[optind]);
	c.start = now();
	if (isatty(STDERR_FILENO)) {
		co.progress = on_progress;
		ko.progress = on_modules;
		ko.progress_ctx = &c;
	}

	kv = cli_kview_open(&ko);
	if (!kv)
		return EXIT_INPUT;
	if (c.json) {
		/* Records in order, on this thread; counts alone run in parallel. */
		co.record = on_record;
		printf("{");
		cli_kview_json(kv, stdout);
		printf(",\"functions\":[");
	}
	n = btfkit_census(kv, &co, &counts);
	if (c.progress_shown)
		fputs("\r\033[K", stderr);
	if (n < 0) {
		if (c.json)
			printf("]}\n");
		cli_error("census: %s", strerror((int)-n));
		btfkit_kview_free(kv);
		return EXIT_INPUT;
	}
	if (c.json) {
		printf("\n],\"counts\":{");
		for (int v = 0; v < BTFKIT_VERDICT_COUNT; v++)
			printf("%s\"%s\":%llu", v ? "," : "", btfkit_resolve_verdict_name(v),
			       (unsigned long long)counts.verdict[v]);
		printf("},\"unique_proto_refused\":%llu}\n", (unsigned long long)counts.unique_proto_refused);
	} else {
		uint32_t ver = btfkit_kview_version(kv);

		cli_kview_notes(kv, stderr);
		printf("kernel %s", btfkit_kview_is_live(kv) ? "(running)" : "(files)");
		if (ver)
			printf(" %u.%u.%u", ver >> 16, (ver >> 8) & 0xff, ver & 0xff);
		printf(": %zu BTF objects, %zu text symbols, %lld (object, name) records\n",
		       btfkit_kview_object_count(kv), btfkit_kview_symbol_count(kv), (long long)n);
		printf("%-14s %8s\n", "verdict", "count");
		for (int v = 0; v < BTFKIT_VERDICT_COUNT; v++)
			printf("%-14s %8llu\n", btfkit_resolve_verdict_name(v),
			       (unsigned long long)counts.verdict[v]);
		if (counts.unique_proto_refused)
			printf("unique records whose prototype the kernel's trampoline refuses: %llu\n",
			       (unsigned long long)counts.unique_proto_refused);
		if (counts.verdict[BTFKIT_VERDICT_CROSS_MODULE]) {
			printf("cross-module records, had the object been named:");
			for (int v = 0; v < BTFKIT_VERDICT_COUNT; v++)
				if (counts.scoped[v])
					printf(" %s %llu", btfkit_resolve_verdict_name(v),
					       (unsigned long long)counts.scoped[v]);
			printf("\n");
		}
	}
	btfkit_kview_free(kv);
	return EXIT_OK;
}
