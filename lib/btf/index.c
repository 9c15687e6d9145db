// SPDX-License-Identifier: BSD-2-Clause
/*
 * The name index: every named type of one BTF object, by name, in a hash
 * table with open addressing (layout in btf_int.h). 32-bit slots keep the
 * table of vmlinux (~71,000 named types) at 512 KiB, inside a core's L2
 * cache, which is what makes building it cheap.
 *
 * It is built for each object's own types; a lookup in a split object asks
 * its base first, so the smallest matching id comes out first as with a
 * linear scan, without one.
 *
 * Building it is most of the cost of opening vmlinux BTF, so the hash reads
 * names 32 bytes at a time, without a branch on where they end.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "btf_int.h"

#define HASH_MUL 0x9E3779B97F4A7C15ull

static inline uint64_t mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * HASH_MUL;
	return h ^ (h >> 29);
}

/* Four words at once: the multiplications do not wait for one another. */
static inline uint64_t mix4(uint64_t h, const uint64_t w[4])
{
	return mix(mix(h, w[0]) ^ (w[1] * HASH_MUL), (w[2] ^ (w[3] * HASH_MUL)) * HASH_MUL);
}

/*
 * The last mix: without it, a difference confined to the top byte of the
 * second to fourth word of a group (bytes 15, 23, 31) reaches only a few
 * bits of the result, and names that differ only there share a few slots.
 */
static inline uint32_t hash_final(uint64_t h)
{
	h ^= h >> 32;
	h *= HASH_MUL;
	h ^= h >> 29;
	return (uint32_t)(h ^ (h >> 32));
}

/*
 * Hash a NUL-terminated name. It is taken in groups of 32 bytes, the bytes
 * from its NUL on counting as zero: a name of up to 31 characters (nearly
 * every name) is one group. Inside a group, where the NUL lies changes only
 * masks, not the path taken, so no branch on a name's length (random, 8 to
 * 31 bytes) is mispredicted. `end` bounds how far 8-byte reads may go (the
 * end of the string section); past it, or on big-endian hosts, bytes are
 * read one at a time. Both paths give the same value for the same name.
 */
static inline uint32_t hash_name(const char *s, const char *end)
{
	uint64_t h = 0x12345678ull;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	while (end - s >= 32) {
		uint64_t w[4], alive = ~0ull;

		/* Unrolled: the four words in registers, not in a stack array. */
#pragma GCC unroll 4
		for (unsigned i = 0; i < 4; i++) {
			uint64_t z;

			memcpy(&w[i], s + 8 * i, 8);
			/* The lowest bit set in z is exactly the first NUL's top bit. */
			z = (w[i] - 0x0101010101010101ull) & ~w[i] & 0x8080808080808080ull;
			w[i] &= ((z & -z) - 1) & alive; /* the bytes before the NUL */
			alive &= -(uint64_t)(z == 0);
		}
		h = mix4(h, w);
		if (!alive)
			return hash_final(h);
		s += 32;
	}
#else
	(void)end;
#endif
	for (;;) {
		uint64_t w[4] = { 0 };
		unsigned n = 0;

		while (n < 32 && s[n]) {
			w[n / 8] |= (uint64_t)(uint8_t)s[n] << (8 * (n % 8));
			n++;
		}
		h = mix4(h, w);
		if (n < 32)
			return hash_final(h);
		s += 32;
	}
}

uint32_t btf_name_hash(const char *s)
{
	return hash_name(s, s); /* no 8-byte reads: the caller's string has no known end */
}

static void table_free(struct btf_name_index *idx)
{
	free(idx->slots);
	memset(idx, 0, sizeof(*idx));
}

void btf_names_free(struct btfkit_btf *btf)
{
	table_free(&btf->names);
	table_free(&btf->names_more);
}

/* The bits of a slot above the index: the top of the name's hash. */
static inline uint32_t slot_tag(const struct btf_name_index *idx, uint32_t h)
{
	return idx->idx_bits < 32 ? (h >> idx->idx_bits) << idx->idx_bits : 0;
}

static inline uint32_t slot_make(const struct btf_name_index *idx, uint32_t own_idx, uint32_t h)
{
	return (own_idx + 1) | slot_tag(idx, h);
}

static int table_init(const struct btfkit_btf *btf, struct btf_name_index *idx, uint32_t expected)
{
	/* Every type is at least 12 bytes: a bound on ids before the walk counts them. */
	uint64_t max_types = btf->types_len / BTF_TYPE_SIZE + 1;
	uint32_t cap = 16, idx_bits = 1;

	/* A load factor at or under 2/3 keeps probe runs short. */
	while (cap / 3 * 2 < expected && cap < (1u << 31))
		cap <<= 1;
	while (idx_bits < 32 && (1ull << idx_bits) <= max_types)
		idx_bits++;
	idx->slots = btf_zalloc(cap, sizeof(*idx->slots));
	if (!idx->slots)
		return -ENOMEM;
	idx->mask = cap - 1;
	idx->idx_bits = idx_bits;
	idx->count = 0;
	return 0;
}

int btf_names_init(struct btfkit_btf *btf, uint32_t expected)
{
	return table_init(btf, &btf->names, expected);
}

/*
 * A batch of names at once: the slot a name lands in is a cache miss in a
 * table of half a megabyte, and so is the name's first byte in megabytes of
 * strings. Taken one at a time, each insert waits for its misses; a batch
 * first asks for all the names, then hashes them and asks for all the slots,
 * then inserts, so the misses of a batch overlap.
 * A table has one writer: no atomic instruction here (a locked one drains
 * the store buffer, and with it the overlap).
 */
static void insert_batch(const struct btfkit_btf *btf, struct btf_name_index *idx,
			 const uint32_t *own_idx, const uint32_t *name_off, unsigned n)
{
	const char *names[BTF_NAMES_BATCH], *end = btf->strs + btf->strs_len;
	uint32_t hashes[BTF_NAMES_BATCH];

	for (unsigned i = 0; i < n; i++) {
		uint32_t off = name_off[i];

		if (off >= btf->start_str_off && off - btf->start_str_off < btf->strs_len) {
			names[i] = btf->strs + (off - btf->start_str_off);
			__builtin_prefetch(names[i]);
		} else {
			names[i] = NULL;
		}
	}
	for (unsigned i = 0; i < n; i++) {
		if (names[i]) {
			hashes[i] = hash_name(names[i], end);
		} else {
			/* A base's string (split BTF), or a bad offset that names nothing. */
			const char *name = btf_str(btf, name_off[i]);

			hashes[i] = name ? btf_name_hash(name) : 0;
			names[i] = name;
		}
		__builtin_prefetch(&idx->slots[hashes[i] & idx->mask]);
	}
	for (unsigned i = 0; i < n; i++) {
		uint32_t pos = hashes[i] & idx->mask;

		if (!names[i])
			continue;
		while (idx->slots[pos])
			pos = (pos + 1) & idx->mask;
		idx->slots[pos] = slot_make(idx, own_idx[i], hashes[i]);
	}
}

/* Room for n more names (load factor at most 2/3)? Counted as taken if so. */
static bool table_reserve(struct btf_name_index *idx, unsigned n)
{
	if (idx->count + n > (idx->mask + 1) / 3 * 2)
		return false;
	/* A bad offset's slot stays free, which only leaves room. */
	idx->count += n;
	return true;
}

/* A batch into idx: all of it, or none when the table is too full (false). */
static bool table_add(const struct btfkit_btf *btf, struct btf_name_index *idx,
		      const uint32_t *own_idx, const uint32_t *name_off, unsigned n)
{
	if (!table_reserve(idx, n))
		return false;
	insert_batch(btf, idx, own_idx, name_off, n);
	return true;
}

bool btf_names_add_batch(struct btfkit_btf *btf, const uint32_t *own_idx,
			 const uint32_t *name_off, unsigned n)
{
	return table_add(btf, &btf->names, own_idx, name_off, n);
}

/*
 * Large BTF (kernel BTF): the name index is built on two threads. The
 * opening thread walks the types and publishes their offsets chunk by chunk;
 * a second thread inserts the names of each published chunk; when the walk
 * is over, the opening thread takes chunks too. Chunks are claimed in order
 * from one counter, so whoever is free takes the next one. Each thread
 * fills a table of its own (btf->names, btf->names_more) and makes it
 * itself, so no name costs an atomic instruction, and the pages of a table
 * are faulted in by the thread that writes it; a lookup asks both tables.
 */
#define NOT_YET UINT32_MAX

static void wait_a_little(unsigned *spins)
{
	if (++*spins % 128) {
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#endif
	} else {
		sched_yield(); /* a loaded machine: let the walker run */
	}
}

/* How many records ahead the name collection asks for (they were read on the other CPU). */
#define RECORD_AHEAD 16

/* Insert the names of own types [start, end) into idx. False: the table is full. */
static bool insert_range(const struct btfkit_btf *btf, struct btf_name_index *idx, uint32_t start,
			 uint32_t end)
{
	uint32_t own_idx[BTF_NAMES_BATCH], name_off[BTF_NAMES_BATCH];
	unsigned n = 0;

	for (uint32_t i = start; i < end; i++) {
		uint32_t off;

		if (i + RECORD_AHEAD < end)
			__builtin_prefetch(btf_own_type(btf, i + RECORD_AHEAD));
		off = btf_own_type(btf, i)->name_off;
		/*
		 * Written always, kept when named: no branch on it (~44% of kernel
		 * types are unnamed, in no pattern the predictor learns).
		 */
		own_idx[n] = i;
		name_off[n] = off;
		n += off != 0;
		if (n == BTF_NAMES_BATCH) {
			if (!table_add(btf, idx, own_idx, name_off, n))
				return false;
			n = 0;
		}
	}
	return !n || table_add(btf, idx, own_idx, name_off, n);
}

/*
 * Claim chunks and insert their names into idx until none are left. `mine`:
 * the names this thread has inserted, told to the other one (the opening
 * thread sizes its table by what the second has not done).
 */
static void build_chunks(struct btf_index_build *job, struct btf_name_index *idx,
			 _Atomic uint32_t *mine)
{
	for (;;) {
		uint32_t start = atomic_fetch_add(&job->next_chunk, 1) * BTF_INDEX_CHUNK, end, total;
		unsigned spins = 0;

		for (;;) {
			if (atomic_load_explicit(&job->stop, memory_order_relaxed))
				return;
			total = atomic_load_explicit(&job->total, memory_order_acquire);
			if (total != NOT_YET) {
				if (start >= total)
					return;
				end = start + BTF_INDEX_CHUNK < total ? start + BTF_INDEX_CHUNK : total;
				break;
			}
			if (atomic_load_explicit(&job->walked, memory_order_acquire) >= start + BTF_INDEX_CHUNK) {
				end = start + BTF_INDEX_CHUNK;
				break;
			}
			wait_a_little(&spins);
		}
		if (!insert_range(job->btf, idx, start, end)) {
			atomic_store(&job->stop, true); /* the caller builds it again */
			return;
		}
		if (mine)
			atomic_store_explicit(mine, idx->count, memory_order_relaxed);
	}
}

static void *build_main(void *arg)
{
	struct btf_index_build *job = arg;

	/* Sized from the section length (vmlinux: about one named type per 45 bytes). */
	if (table_init(job->btf, &job->btf->names, job->btf->types_len / 40)) {
		atomic_store(&job->nomem, true);
		atomic_store(&job->stop, true);
	} else
		build_chunks(job, &job->btf->names, &job->second_names);
	return NULL;
}

/* Two threads only help with two CPUs to run them (the second one waits by spinning). */
static bool two_cpus(void)
{
	cpu_set_t set;

	return !sched_getaffinity(0, sizeof(set), &set) && CPU_COUNT(&set) >= 2;
}

int btf_index_build_start(struct btfkit_btf *btf, struct btf_index_build *job)
{
	if (!two_cpus())
		return 1;
	job->btf = btf;
	atomic_init(&job->walked, 0);
	atomic_init(&job->total, NOT_YET);
	atomic_init(&job->next_chunk, 0);
	atomic_init(&job->second_names, 0);
	atomic_init(&job->stop, false);
	atomic_init(&job->nomem, false);
	return pthread_create(&job->thread, NULL, build_main, job) ? 1 : 0;
}

void btf_index_build_walked(struct btf_index_build *job, uint32_t n)
{
	atomic_store_explicit(&job->walked, n, memory_order_release);
}

int btf_index_build_finish(struct btf_index_build *job, bool walk_ok, uint32_t nr_types)
{
	if (walk_ok) {
		/*
		 * The opening thread's table: the walk counted the names, and
		 * the second thread's are not ours to insert, so this bound is
		 * never too small (its count only grows).
		 */
		uint32_t left = job->btf->nr_named -
				atomic_load_explicit(&job->second_names, memory_order_relaxed);

		atomic_store_explicit(&job->total, nr_types, memory_order_release);
		if (table_init(job->btf, &job->btf->names_more, left)) {
			atomic_store(&job->nomem, true);
			atomic_store(&job->stop, true);
		} else
			build_chunks(job, &job->btf->names_more, NULL);
	} else {
		atomic_store(&job->stop, true);
	}
	pthread_join(job->thread, NULL);
	if (!walk_ok)
		return 0;
	if (atomic_load(&job->nomem))
		return -ENOMEM;
	if (atomic_load(&job->stop))
		return -EAGAIN; /* a table filled up: the caller builds it again, sized exactly */
	return 0;
}

int btf_names_build(struct btfkit_btf *btf)
{
	int err = btf_names_init(btf, btf->nr_named);

	if (err)
		return err;
	insert_range(btf, &btf->names, 0, btf->nr_types); /* sized for nr_named: never full */
	return 0;
}

/* The smallest own id > after_id in one table named `name` (hash h) of `kind`, or 0. */
static uint32_t find_in_table(const struct btfkit_btf *btf, const struct btf_name_index *idx,
			      const char *name, uint32_t h, int kind, uint32_t after_id)
{
	uint32_t tag = slot_tag(idx, h), idx_mask, best = 0;

	if (!idx->slots)
		return 0;
	idx_mask = idx->idx_bits < 32 ? (1u << idx->idx_bits) - 1 : ~0u;
	for (uint32_t pos = h & idx->mask; idx->slots[pos]; pos = (pos + 1) & idx->mask) {
		uint32_t slot = idx->slots[pos], id = btf->start_id + (slot & idx_mask) - 1;
		const struct btfkit_type *t;

		if ((slot & ~idx_mask) != tag || id <= after_id || (best && id >= best))
			continue;
		t = btf_own_type(btf, id - btf->start_id);
		if (kind >= 0 && btfkit_type_kind(t) != (unsigned)kind)
			continue;
		if (strcmp(btf_str(btf, t->name_off), name) == 0)
			best = id;
	}
	return best;
}

/* The smallest own id > after_id named `name` (hash h) of `kind`, or 0. */
static uint32_t find_own(const struct btfkit_btf *btf, const char *name, uint32_t h, int kind,
			 uint32_t after_id)
{
	uint32_t a = find_in_table(btf, &btf->names, name, h, kind, after_id);
	uint32_t b = find_in_table(btf, &btf->names_more, name, h, kind, after_id);

	return a && (!b || a < b) ? a : b;
}

/*
 * A deferred or lazy index, built by the first lookup that needs it. Objects
 * opened with BTFKIT_OPEN_DEFER_NAMES are shared by threads (a base that
 * modules are checked on), so whoever comes first builds it under a lock and
 * publishes it by names_built; once it is set, lookups take no lock. One
 * lock for every object: this happens once per object.
 */
static pthread_mutex_t build_lock = PTHREAD_MUTEX_INITIALIZER;

static int build_names_once(const struct btfkit_btf *btf)
{
	int err = 0;

	pthread_mutex_lock(&build_lock);
	if (!atomic_load_explicit(&btf->names_built, memory_order_relaxed))
		err = btf_build_names((struct btfkit_btf *)btf);
	pthread_mutex_unlock(&build_lock);
	return err;
}

int64_t btfkit_btf_find_next(const struct btfkit_btf *btf, const char *name, int kind,
			     uint32_t after_id)
{
	const struct btfkit_btf *chain[64];
	unsigned depth = 0;
	uint32_t h;

	if (!btf || !name)
		return btf_err(-EINVAL);
	/* Bases first: their ids are smaller. */
	for (const struct btfkit_btf *b = btf; b && depth < 64; b = b->base)
		chain[depth++] = b;
	h = btf_name_hash(name);
	while (depth--) {
		const struct btfkit_btf *b = chain[depth];
		uint32_t id;

		if (after_id >= b->start_id + b->nr_types)
			continue;
		if (!atomic_load_explicit(&b->names_built, memory_order_acquire)) {
			int err = build_names_once(b);

			if (err)
				return btf_err(err);
		}
		id = find_own(b, name, h, kind, after_id);
		if (id)
			return id;
	}
	return btf_err(-ENOENT);
}
