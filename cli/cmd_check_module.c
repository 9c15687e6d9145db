// SPDX-License-Identifier: BSD-2-Clause
/*
 * btfkit check-module: will this module's BTF mean what it says on this
 * kernel, and if not, can it be relocated.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <unistd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <btfkit/btfkit.h>

#include "cli.h"

static void print_ref_text(const struct btfkit_split_ref *r)
{
	printf("  [%u]", r->type_id);
	if (r->elem >= 0)
		printf(" #%d", r->elem);
	printf(" %s %u %s: %s", r->is_name ? "name offset" : "type id", r->value, r->why, r->now);
	if (r->orig[0])
		printf("; on the original base: %s", r->orig);
	putchar('\n');
}

static void print_text(const char *file, const struct btfkit_split_result *res)
{
	const struct btfkit_verdict *k = &res->kernel;

	printf("%s: %s", file, btfkit_split_verdict_name(res->verdict));
	switch (res->verdict) {
	case BTFKIT_SPLIT_OK:
		printf(" (%u types)\n", k->nr_types);
		return;
	case BTFKIT_SPLIT_RELOCATABLE:
		printf(": %u base types used, all found on the base (from %s)\n", res->nr_base_used,
		       res->has_btf_base ? ".BTF.base" : "the original base");
		break;
	case BTFKIT_SPLIT_INCOMPATIBLE:
		printf(": %s %s\n", res->changed_name, res->reason);
		break;
	case BTFKIT_SPLIT_MISMATCH:
		putchar('\n');
		break;
	}
	if (res->has_btf_base) {
		if (res->reason[0] && res->verdict == BTFKIT_SPLIT_MISMATCH)
			printf("  %s\n", res->reason);
		return;
	}
	if (!k->valid && k->type_id)
		printf("  the kernel rejects it: [%u] %s\n", k->type_id, k->message);
	else if (!k->valid)
		printf("  the kernel rejects it: %s\n", k->message);
	else if (res->nr_wrong)
		printf("  the kernel accepts it, with wrong meanings\n");
	if (res->orig_used && (res->orig_nr_types != res->base_nr_types ||
			       res->orig_str_len != res->base_str_len))
		printf("  built on a base ending at type %u, string %u; this base ends at type %u, string %u\n",
		       res->orig_nr_types, res->orig_str_len, res->base_nr_types, res->base_str_len);
	if (res->nr_wrong)
		printf("  %u references land wrong, the first %u:\n", res->nr_wrong, res->nr_refs_shown);
	for (uint32_t i = 0; i < res->nr_refs_shown; i++)
		print_ref_text(&res->refs[i]);
	if (res->verdict == BTFKIT_SPLIT_MISMATCH && res->reason[0])
		printf("  %s\n", res->reason);
}

static void print_json(const char *file, const struct btfkit_split_result *res)
{
	const struct btfkit_verdict *k = &res->kernel;

	printf("{\"file\":");
	cli_json_str(stdout, file);
	printf(",\"verdict\":\"%s\",\"btf_base\":%s", btfkit_split_verdict_name(res->verdict),
	       res->has_btf_base ? "true" : "false");
	if (!res->has_btf_base) {
		printf(",\"kernel\":{\"valid\":%s", k->valid ? "true" : "false");
		if (!k->valid) {
			if (k->type_id)
				printf(",\"type_id\":%u", k->type_id);
			printf(",\"message\":");
			cli_json_str(stdout, k->message);
		}
		printf("},\"types\":%u,\"wrong\":%u,\"refs\":[", k->nr_types, res->nr_wrong);
		for (uint32_t i = 0; i < res->nr_refs_shown; i++) {
			const struct btfkit_split_ref *r = &res->refs[i];

			printf("%s{\"type_id\":%u,\"elem\":%d,\"%s\":%u,\"why\":", i ? "," : "",
			       r->type_id, r->elem, r->is_name ? "name_off" : "id", r->value);
			cli_json_str(stdout, r->why);
			printf(",\"now\":");
			cli_json_str(stdout, r->now);
			if (r->orig[0]) {
				printf(",\"orig\":");
				cli_json_str(stdout, r->orig);
			}
			putchar('}');
		}
		putchar(']');
	}
	if (res->orig_used)
		printf(",\"orig_base\":{\"types\":%u,\"str_len\":%u},\"base\":{\"types\":%u,\"str_len\":%u}",
		       res->orig_nr_types, res->orig_str_len, res->base_nr_types, res->base_str_len);
	if (res->verdict >= BTFKIT_SPLIT_RELOCATABLE)
		printf(",\"base_types\":%u,\"matched\":%u", res->nr_base_used, res->nr_matched);
	if (res->verdict == BTFKIT_SPLIT_INCOMPATIBLE) {
		printf(",\"changed\":{\"id\":%u,\"type\":", res->changed_id);
		cli_json_str(stdout, res->changed_name);
		printf(",\"how\":");
		cli_json_str(stdout, res->reason);
		putchar('}');
	} else if (res->reason[0]) {
		printf(",\"reason\":");
		cli_json_str(stdout, res->reason);
	}
	printf("}\n");
}

/*
 * Modules are judged by several threads (the base is only read) and printed
 * in the order given. Module i's verdict waits in ring[i % RING] until the
 * main thread, which judges modules too, has printed everything before it;
 * a thread that gets RING modules ahead of the printing waits. No thread
 * waits for the others at any other point: modules differ a hundredfold in
 * size, and a barrier every few dozen would leave a CPU idle at each.
 */
#define RING 256

struct slot {
	const char *path;
	int rc;    /* 0: res holds the verdict; -1: open failed (said); else errno */
	bool done; /* judged, not yet printed (under the pool's lock) */
	struct btfkit_split_result res;
};

struct pool {
	const struct btfkit_split_base *base, *orig;
	char **paths;
	unsigned n;
	bool json;
	int status;
	struct slot *ring;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned next;    /* the next module to judge */
	unsigned printed; /* modules printed: their slots are free */
	unsigned waiting; /* threads waiting on cond */
};

static void wake(struct pool *p)
{
	if (p->waiting)
		pthread_cond_broadcast(&p->cond);
}

/* 1: *i is the caller's to judge; 0: none left; -1: the ring is full (main thread only). */
static int claim(struct pool *p, unsigned *i, bool main_thread)
{
	int r = 1;

	pthread_mutex_lock(&p->lock);
	while (p->next < p->n && p->next - p->printed >= RING && !main_thread) {
		p->waiting++;
		pthread_cond_wait(&p->cond, &p->lock);
		p->waiting--;
	}
	if (p->next >= p->n)
		r = 0;
	else if (p->next - p->printed >= RING)
		r = -1;
	else
		*i = p->next++;
	pthread_mutex_unlock(&p->lock);
	return r;
}

static void judge(struct pool *p, unsigned i)
{
	struct slot *s = &p->ring[i % RING];
	struct btfkit_split_module *mod;

	s->path = p->paths[i];
	mod = cli_split_module_open(s->path);
	if (!mod) {
		s->rc = -1;
	} else {
		s->rc = btfkit_split_check(p->base, mod, p->orig, &s->res) < 0 ? errno : 0;
		btfkit_split_module_free(mod);
	}
	pthread_mutex_lock(&p->lock);
	s->done = true;
	wake(p);
	pthread_mutex_unlock(&p->lock);
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	unsigned i;

	while (claim(p, &i, false) == 1)
		judge(p, i);
	return NULL;
}

static void print_slot(struct pool *p, const struct slot *s)
{
	if (s->rc) {
		if (s->rc > 0)
			cli_error("%s: %s", s->path, strerror(s->rc));
		p->status = EXIT_INPUT;
		return;
	}
	if (p->json)
		print_json(s->path, &s->res);
	else
		print_text(s->path, &s->res);
	if (s->res.verdict != BTFKIT_SPLIT_OK && s->res.verdict != BTFKIT_SPLIT_RELOCATABLE)
		p->status = EXIT_INPUT;
}

/*
 * Print, in order, the verdicts that are ready (main thread only). `upto`:
 * wait for every module below it to be judged and print it too.
 */
static void print_ready(struct pool *p, unsigned upto)
{
	pthread_mutex_lock(&p->lock);
	while (p->printed < p->n) {
		struct slot *s = &p->ring[p->printed % RING];

		if (!s->done) {
			if (p->printed >= upto)
				break;
			p->waiting++;
			pthread_cond_wait(&p->cond, &p->lock);
			p->waiting--;
			continue;
		}
		/* The slot stays this thread's until printed moves past it. */
		pthread_mutex_unlock(&p->lock);
		print_slot(p, s);
		pthread_mutex_lock(&p->lock);
		s->done = false;
		p->printed++;
		wake(p);
	}
	pthread_mutex_unlock(&p->lock);
}

/* Judge and print every module with `jobs` threads; returns the exit status. */
static int judge_all(struct pool *p, unsigned jobs)
{
	pthread_t tids[64];
	unsigned started = 0, i;
	int r;

	p->ring = calloc(RING, sizeof(*p->ring));
	if (!p->ring) {
		cli_error("out of memory");
		return EXIT_INPUT;
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	/* Errors go to stderr as they happen; verdicts to stdout in order. */
	for (unsigned t = 1; t < jobs && t < p->n; t++)
		if (pthread_create(&tids[started], NULL, worker, p) == 0)
			started++;
	while ((r = claim(p, &i, true)) != 0) {
		if (r > 0)
			judge(p, i);
		/* A full ring: wait for the oldest verdict, whose printing frees a slot. */
		print_ready(p, r > 0 ? 0 : p->printed + 1);
	}
	print_ready(p, p->n);
	for (unsigned t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
	free(p->ring);
	return p->status;
}

static unsigned default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 8 ? 8 : (unsigned)n;
}

int cmd_check_module(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "base", required_argument, NULL, 'B' },
		{ "orig-base", required_argument, NULL, 'O' },
		{ "json", no_argument, NULL, 'j' },
		{ "jobs", required_argument, NULL, 'J' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *self = cli_command("check-module");
	const char *base_path = KERNEL_VMLINUX_BTF, *orig_path = NULL;
	struct cli_split_base base, orig = { 0 };
	unsigned jobs = default_jobs();
	struct pool p = { 0 };
	int opt, status;
	bool json = false;
	char *end;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":B:O:jJ:", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'B':
			base_path = optarg;
			break;
		case 'O':
			orig_path = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'J':
			jobs = (unsigned)strtoul(optarg, &end, 10);
			if (*end || !jobs || jobs > 64)
				return cli_usage_error(self, "check-module: bad number of jobs '%s'",
						       optarg);
			break;
		case ':':
			return cli_usage_error(self, "check-module: option '%s' needs an argument",
					       argv[optind - 1]);
		default:
			return cli_usage_error(self, "check-module: unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind == argc)
		return cli_usage_error(self, "check-module: no MODULE given");
	if (cli_split_base_open(base_path, &base))
		return EXIT_INPUT;
	if (orig_path && cli_split_base_open(orig_path, &orig)) {
		cli_split_base_close(&base);
		return EXIT_INPUT;
	}
	p.base = base.prep;
	p.orig = orig.prep;
	p.paths = argv + optind;
	p.n = (unsigned)(argc - optind);
	p.json = json;
	status = judge_all(&p, jobs);
	cli_split_base_close(&orig);
	cli_split_base_close(&base);
	return status;
}
