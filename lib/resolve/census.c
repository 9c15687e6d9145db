// SPDX-License-Identifier: BSD-2-Clause
/*
 * The census: every FUNC name of every BTF object, classified. One answer
 * buffer is reused from record to record, so a census allocates next to
 * nothing once it has seen the largest name.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "resolve_int.h"

#define PROGRESS_EVERY 4096

int64_t btfkit_census(const struct btfkit_kview *kv, const struct btfkit_census_opts *opts,
		      uint64_t counts[BTFKIT_VERDICT_COUNT])
{
	const struct kv_map *m;
	struct rs *r;
	int64_t records = 0;
	int err = 0;

	if (!kv || (opts && opts->sz < sizeof(size_t))) {
		errno = EINVAL;
		return -EINVAL;
	}
	if (counts)
		memset(counts, 0, BTFKIT_VERDICT_COUNT * sizeof(*counts));
	r = calloc(1, sizeof(*r));
	if (!r) {
		errno = ENOMEM;
		return -ENOMEM;
	}
	m = &kv->func_map;
	for (uint32_t e = 0; e < m->count && !err; e++) {
		const struct kv_map_entry *ent = &m->entries[e];
		size_t nr_objs = 0;
		uint32_t last = KV_NONE;

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
			err = rs_census_one(kv, r, ent->key, ent->len, last, nr_objs,
					    opts ? opts->flags : 0);
			if (err)
				break;
			records++;
			if (counts)
				counts[r->pub.verdict]++;
			if (opts && opts->record)
				err = opts->record(opts->ctx, &r->pub);
		}
		if (opts && opts->progress && (e % PROGRESS_EVERY == 0 || e + 1 == m->count))
			opts->progress(opts->ctx, e + 1, m->count);
	}
	rs_release(r);
	free(r);
	if (err) {
		if (err < 0)
			errno = -err;
		return err;
	}
	return records;
}
