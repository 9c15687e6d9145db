// SPDX-License-Identifier: BSD-2-Clause
/*
 * btfkit check-module: will this module's BTF mean what it says on this
 * kernel, and if not, can it be relocated.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
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
 * in the order given. The other threads start before the base is ready:
 * preparing it (validating it, on two threads at times) leaves a CPU idle
 * for most of its ten-odd milliseconds, and they spend it reading modules,
 * up to READ_AHEAD of them (and READ_AHEAD_BYTES of BTF), to judge once the
 * base is there. The main thread then judges modules too and prints each
 * verdict as soon as all before it are printed; a thread WINDOW modules
 * ahead of the printing waits. No thread waits for the others at any other
 * point: modules differ a hundredfold in size, and a barrier every few dozen
 * would leave a CPU idle at each.
 */
#define READ_AHEAD 1024
#define READ_AHEAD_BYTES (64u << 20) /* and no more BTF than this, whatever the modules */
#define WINDOW 256

struct slot {
	struct btfkit_split_module *mod; /* read, not yet judged */
	struct btfkit_split_result *res; /* judged, not yet printed */
	int rc;    /* 0: res holds the verdict; -1: open failed (said); else errno */
	bool done; /* judged (under the pool's lock) */
};

struct pool {
	const struct btfkit_split_base *base, *orig; /* set once ready */
	char **paths;
	unsigned n;
	bool json;
	int status;
	struct slot *slots; /* one per module */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool ready;        /* the bases are set: judging may start */
	bool stop;         /* no base: read nothing more */
	unsigned next;     /* the next module to read */
	unsigned *read;    /* modules read before the bases were ready, to judge in order */
	unsigned nr_read, first_read;
	unsigned read_early; /* modules taken to read before the bases were ready */
	size_t bytes_early;  /* and the BTF bytes they hold */
	unsigned printed;  /* modules printed */
	unsigned waiting;  /* threads waiting on cond */
	cpu_set_t cpus;    /* the command's CPUs */
	bool placed;       /* threads were started each on one CPU (pool_start) */
};

static void wake(struct pool *p)
{
	if (p->waiting)
		pthread_cond_broadcast(&p->cond);
}

static void wait_for(struct pool *p)
{
	p->waiting++;
	pthread_cond_wait(&p->cond, &p->lock);
	p->waiting--;
}

enum { TAKE_NONE, TAKE_READ, TAKE_JUDGE, TAKE_FULL };

/*
 * Under the lock: the caller's next piece of work, module *i: read it (and
 * judge it if the bases are ready), or judge one read ahead. TAKE_FULL: the
 * main thread is WINDOW ahead of the printing, and must print.
 */
static int take(struct pool *p, unsigned *i, bool main_thread)
{
	for (;;) {
		if (p->stop)
			return TAKE_NONE;
		if (p->ready && p->first_read < p->nr_read) {
			*i = p->read[p->first_read++];
			return TAKE_JUDGE;
		}
		if (p->next >= p->n)
			return TAKE_NONE;
		if (p->ready ? p->next - p->printed < WINDOW
			     : p->read_early < READ_AHEAD && p->bytes_early < READ_AHEAD_BYTES) {
			p->read_early += !p->ready;
			*i = p->next++;
			return TAKE_READ;
		}
		if (main_thread)
			return TAKE_FULL;
		wait_for(p);
	}
}

static void judge(struct pool *p, unsigned i)
{
	struct slot *s = &p->slots[i];

	if (s->mod) {
		s->res = malloc(sizeof(*s->res));
		if (!s->res)
			s->rc = ENOMEM;
		else
			s->rc = btfkit_split_check(p->base, s->mod, p->orig, s->res) < 0 ? errno : 0;
		btfkit_split_module_free(s->mod);
		s->mod = NULL;
	}
	pthread_mutex_lock(&p->lock);
	s->done = true;
	wake(p);
	pthread_mutex_unlock(&p->lock);
}

/* Read module i; judge it now if the bases are ready, else leave it for later. */
static void read_one(struct pool *p, unsigned i)
{
	struct slot *s = &p->slots[i];
	bool ready;

	s->mod = cli_split_module_open(p->paths[i]);
	if (!s->mod)
		s->rc = -1;
	pthread_mutex_lock(&p->lock);
	ready = p->ready;
	if (!ready) {
		p->read[p->nr_read++] = i;
		p->bytes_early += btfkit_split_module_btf_size(s->mod);
	}
	pthread_mutex_unlock(&p->lock);
	if (ready)
		judge(p, i);
}

static void work(struct pool *p, int what, unsigned i)
{
	if (what == TAKE_READ)
		read_one(p, i);
	else
		judge(p, i);
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	unsigned i;
	int what;

	if (p->placed)
		pthread_setaffinity_np(pthread_self(), sizeof(p->cpus), &p->cpus);

	pthread_mutex_lock(&p->lock);
	while ((what = take(p, &i, false)) != TAKE_NONE) {
		pthread_mutex_unlock(&p->lock);
		work(p, what, i);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static void print_slot(struct pool *p, unsigned i)
{
	const struct slot *s = &p->slots[i];
	const char *path = p->paths[i];

	if (s->rc) {
		if (s->rc > 0)
			cli_error("%s: %s", path, strerror(s->rc));
		p->status = EXIT_INPUT;
		return;
	}
	if (p->json)
		print_json(path, s->res);
	else
		print_text(path, s->res);
	if (s->res->verdict != BTFKIT_SPLIT_OK && s->res->verdict != BTFKIT_SPLIT_RELOCATABLE)
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
		unsigned i = p->printed;

		if (!p->slots[i].done) {
			if (i >= upto)
				break;
			wait_for(p);
			continue;
		}
		/* The slot stays this thread's until printed moves past it. */
		pthread_mutex_unlock(&p->lock);
		print_slot(p, i);
		free(p->slots[i].res);
		p->slots[i].res = NULL;
		pthread_mutex_lock(&p->lock);
		p->printed++;
		wake(p);
	}
	pthread_mutex_unlock(&p->lock);
}

/*
 * Each new thread starts on a CPU of its own, the t-th of the set after ours
 * (wrapping around, never ours), and takes back the whole set once it runs.
 * Left to the scheduler, a new thread waits on its creator's CPU, which is
 * busy preparing the base, until a balancing pass moves it: on a 2-CPU
 * machine the reader first ran ~4 ms after it was created, while the other
 * CPU idled.
 */
static void place_on(pthread_attr_t *attr, const cpu_set_t *cpus, unsigned t)
{
	int here = sched_getcpu(), others;
	unsigned nth;

	if (here < 0)
		return;
	others = CPU_COUNT(cpus) - (CPU_ISSET(here, cpus) ? 1 : 0);
	if (others < 1)
		return;
	nth = (t - 1) % (unsigned)others;
	for (int step = 1; step < CPU_SETSIZE; step++) {
		int cpu = (here + step) % CPU_SETSIZE;
		cpu_set_t one;

		if (!CPU_ISSET(cpu, cpus) || nth--)
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		pthread_attr_setaffinity_np(attr, sizeof(one), &one);
		return;
	}
}

/* Threads that read modules ahead while the caller prepares the bases. */
static unsigned pool_start(struct pool *p, unsigned jobs, pthread_t *tids)
{
	unsigned started = 0;

	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	p->slots = calloc(p->n, sizeof(*p->slots));
	p->read = malloc(READ_AHEAD * sizeof(*p->read));
	if (!p->slots || !p->read)
		return 0;
	p->placed = !sched_getaffinity(0, sizeof(p->cpus), &p->cpus);
	for (unsigned t = 1; t < jobs && t < p->n; t++) {
		pthread_attr_t attr;
		bool attr_ok = !pthread_attr_init(&attr);

		if (attr_ok && p->placed)
			place_on(&attr, &p->cpus, t);
		/* A CPU it may not run on (offline, outside a cpuset): where the scheduler puts it. */
		if (pthread_create(&tids[started], attr_ok ? &attr : NULL, worker, p) == 0 ||
		    (attr_ok && pthread_create(&tids[started], NULL, worker, p) == 0))
			started++;
		if (attr_ok)
			pthread_attr_destroy(&attr);
	}
	return started;
}

/*
 * The bases are ready (base NULL: they could not be had): judge and print
 * every module; returns the exit status.
 */
static int pool_finish(struct pool *p, const struct btfkit_split_base *base,
		       const struct btfkit_split_base *orig, pthread_t *tids, unsigned started)
{
	unsigned i;
	int what;

	pthread_mutex_lock(&p->lock);
	p->base = base;
	p->orig = orig;
	if (!p->slots || !p->read) {
		cli_error("out of memory");
		p->status = EXIT_INPUT;
		p->stop = true;
	} else if (base) {
		p->ready = true;
	} else {
		p->status = EXIT_INPUT;
		p->stop = true;
	}
	wake(p);
	/* Errors go to stderr as they happen; verdicts to stdout in order. */
	while ((what = take(p, &i, true)) != TAKE_NONE) {
		pthread_mutex_unlock(&p->lock);
		if (what != TAKE_FULL)
			work(p, what, i);
		/* A full window: wait for the oldest verdict, whose printing frees room. */
		print_ready(p, what != TAKE_FULL ? 0 : p->printed + 1);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	if (!p->stop)
		print_ready(p, p->n);
	for (unsigned t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	/* Modules read ahead for nothing (no base). */
	for (unsigned k = 0; p->slots && k < p->n; k++)
		btfkit_split_module_free(p->slots[k].mod);
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
	free(p->slots);
	free(p->read);
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
	pthread_t tids[64];
	unsigned started;
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
	p.paths = argv + optind;
	p.n = (unsigned)(argc - optind);
	p.json = json;
	started = pool_start(&p, jobs, tids);
	if (cli_split_base_open(base_path, &base)) {
		pool_finish(&p, NULL, NULL, tids, started);
		return EXIT_INPUT;
	}
	if (orig_path && cli_split_base_open(orig_path, &orig)) {
		pool_finish(&p, NULL, NULL, tids, started);
		cli_split_base_close(&base);
		return EXIT_INPUT;
	}
	status = pool_finish(&p, base.prep, orig.prep, tids, started);
	cli_split_base_close(&orig);
	cli_split_base_close(&base);
	return status;
}
