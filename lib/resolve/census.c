// SPDX-License-Identifier: BSD-2-Clause
/*
 * The census: every FUNC name of every BTF object, classified. One answer
 * buffer per thread is reused from record to record, so a census allocates
 * next to nothing once it has seen the largest name. With a record callback
 * it runs in order on the caller's thread; for counts alone it splits the
 * names between two threads and skips the reason text.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "resolve_int.h"

#define PROGRESS_EVERY 4096
#define THREADS 2

struct part {
	const struct btfkit_kview *kv;
	const struct btfkit_census_opts *opts;
	uint32_t first, step;
	struct btfkit_census_counts counts;
	int err;
};

static void count(struct btfkit_census_counts *c, const struct btfkit_resolution *r)
{
	c->records++;
	c->verdict[r->verdict]++;
	if (r->verdict == BTFKIT_VERDICT_CROSS_MODULE)
		c->scoped[r->scoped_verdict]++;
	if (r->verdict == BTFKIT_VERDICT_UNIQUE && r->proto_refused)
		c->unique_proto_refused++;
}

static void *run_part(void *arg)
{
	struct part *p = arg;
	const struct btfkit_kview *kv = p->kv;
	const struct btfkit_census_opts *opts = p->opts;
	const struct kv_map *m = &kv->func_map;
	struct rs *r = calloc(1, sizeof(*r));
	int err = 0;

	if (!r) {
		p->err = -ENOMEM;
		return NULL;
	}
	r->quiet = !(opts && opts->record);
	for (uint32_t e = p->first; e < m->count && !err; e += p->step) {
		const struct kv_map_entry *ent = &m->entries[e];
		uint32_t ahead = e + 4 * p->step, last = KV_NONE;
		size_t nr_objs = 0;

		/* The symbols of a name a few ahead: their cache misses overlap this one's work. */
		if (ahead < m->count && kv->fsym_head[ahead] != KV_NONE)
			__builtin_prefetch(&kv->syms[kv->fsym_head[ahead]]);

		for (uint32_t i = ent->head; i != KV_NONE; i = kv->funcs[i].next)
			if (kv->funcs[i].obj != last) {
				nr_objs++;
				last = kv->funcs[i].obj;
			}
		last = KV_NONE;
		for (uint32_t i = ent->head; i != KV_NONE && !err; i = kv->funcs[i].next) {
			if (kv->funcs[i].obj == last)
				continue;
			last = kv->funcs[i].obj;
			err = rs_census_one(kv, r, e, last, nr_objs, opts ? opts->flags : 0);
			if (err)
				break;
			count(&p->counts, &r->pub);
			if (opts && opts->record)
				err = opts->record(opts->ctx, &r->pub);
		}
		/* The first part speaks for all: the parts advance together. */
		if (opts && opts->progress && p->first == 0 && e % PROGRESS_EVERY == 0)
			opts->progress(opts->ctx, e + 1, m->count);
	}
	rs_release(r);
	free(r);
	p->err = err;
	return NULL;
}

int64_t btfkit_census(const struct btfkit_kview *kv, const struct btfkit_census_opts *opts,
		      struct btfkit_census_counts *counts)
{
	struct part parts[THREADS];
	pthread_t threads[THREADS];
	bool started[THREADS] = { false };
	struct btfkit_census_opts o = { .sz = sizeof(o) };
	struct btfkit_census_counts total = { .sz = sizeof(total) };
	unsigned n;
	int err = 0;

	if (!kv || (opts && opts->sz < sizeof(size_t)) || (counts && counts->sz < sizeof(size_t))) {
		errno = EINVAL;
		return -EINVAL;
	}
	/* Only the fields the caller's struct has: an older, smaller one leaves the rest 0. */
	if (opts) {
		memcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));
		o.sz = sizeof(o);
		opts = &o;
	}
	n = opts && opts->record ? 1 : THREADS;
	for (unsigned t = 0; t < n; t++) {
		parts[t] = (struct part){ .kv = kv, .opts = opts, .first = t, .step = n };
		/* The last part runs on this thread. */
		if (t + 1 < n && pthread_create(&threads[t], NULL, run_part, &parts[t]) == 0)
			started[t] = true;
		else
			run_part(&parts[t]);
	}
	for (unsigned t = 0; t < n; t++) {
		if (started[t])
			pthread_join(threads[t], NULL);
		if (parts[t].err && !err)
			err = parts[t].err;
		total.records += parts[t].counts.records;
		total.unique_proto_refused += parts[t].counts.unique_proto_refused;
		for (int v = 0; v < BTFKIT_VERDICT_COUNT; v++) {
			total.verdict[v] += parts[t].counts.verdict[v];
			total.scoped[v] += parts[t].counts.scoped[v];
		}
	}
	if (opts && opts->progress)
		opts->progress(opts->ctx, kv->func_map.count, kv->func_map.count);
	if (counts) {
		size_t sz = counts->sz < sizeof(total) ? counts->sz : sizeof(total);

		memcpy((char *)counts + sizeof(size_t), (char *)&total + sizeof(size_t), sz - sizeof(size_t));
	}
	if (err) {
		if (err < 0)
			errno = -err;
		return err;
	}
	return (int64_t)total.records;
}
