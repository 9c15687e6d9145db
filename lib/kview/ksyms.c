// SPDX-License-Identifier: BSD-2-Clause
/*
 * Kernel symbols: kallsyms and System.map text, compiler clone names, the
 * indexes by exact name and by base name, and tracefs's list of traceable
 * functions.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kview_int.h"

/* ---- the string map ---- */

/* Eight bytes a step: hashing every kallsyms name is on the open's path. */
uint32_t kv_hash(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ len;

	for (; len >= 8; s += 8, len -= 8) {
		uint64_t w;

		memcpy(&w, s, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
		h ^= h >> 31;
	}
	if (len) {
		uint64_t w = 0;

		memcpy(&w, s, len);
		h = (h ^ w) * 0x94d049bb133111ebull;
		h ^= h >> 29;
	}
	h *= 0xbf58476d1ce4e5b9ull;
	return (uint32_t)(h ^ (h >> 32));
}

/*
 * A slot holds the entry's index + 1 in its low half and the key's hash in
 * its high half, so that a probe rejects other keys without touching their
 * entries: most of a lookup's cost is cache misses.
 */
static int map_grow(struct kv_map *m)
{
	uint32_t cap = m->mask ? (m->mask + 1) * 2 : 1024;
	uint64_t *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (uint32_t i = 0; i < m->count; i++) {
		uint32_t p = m->entries[i].hash & (cap - 1);

		while (slots[p])
			p = (p + 1) & (cap - 1);
		slots[p] = (uint64_t)m->entries[i].hash << 32 | (i + 1);
	}
	free(m->slots);
	m->slots = slots;
	m->mask = cap - 1;
	return 0;
}

uint32_t kv_map_get(struct kv_map *m, const char *key, size_t len, bool create)
{
	return kv_map_get_hashed(m, key, len, kv_hash(key, len), create);
}

uint32_t kv_map_get_hashed(struct kv_map *m, const char *key, size_t len, uint32_t h, bool create)
{
	uint32_t p = kv_map_find_hashed(m, key, len, h);

	if (p != KV_NONE || !create)
		return p;
	/* Keep the load under a half so that probes stay short. */
	if ((m->count + 1) * 2 > (m->mask ? m->mask + 1 : 0)) {
		if (map_grow(m))
			return KV_NONE;
	}
	if (m->count == m->cap) {
		uint32_t cap = m->cap ? m->cap * 2 : 1024;
		struct kv_map_entry *e = realloc(m->entries, cap * sizeof(*e));

		if (!e)
			return KV_NONE;
		m->entries = e;
		m->cap = cap;
	}
	m->entries[m->count] = (struct kv_map_entry){
		.key = key, .len = (uint32_t)len, .hash = h, .head = KV_NONE, .tail = KV_NONE,
	};
	for (p = h & m->mask; m->slots[p]; p = (p + 1) & m->mask)
		;
	m->slots[p] = (uint64_t)h << 32 | (m->count + 1);
	return m->count++;
}

uint32_t kv_map_find_hashed(const struct kv_map *m, const char *key, size_t len, uint32_t h)
{
	if (!m->mask)
		return KV_NONE;
	for (uint32_t p = h & m->mask; m->slots[p]; p = (p + 1) & m->mask) {
		uint64_t slot = m->slots[p];
		const struct kv_map_entry *e;

		if ((uint32_t)(slot >> 32) != h)
			continue;
		e = &m->entries[(uint32_t)slot - 1];
		if (e->len == len && memcmp(e->key, key, len) == 0)
			return (uint32_t)slot - 1;
	}
	return KV_NONE;
}

void kv_map_prefetch(const struct kv_map *m, uint32_t h)
{
	if (m->mask)
		__builtin_prefetch(&m->slots[h & m->mask]);
}

/* Room for n entries without growing (a hint: failure is not an error). */
void kv_map_reserve(struct kv_map *m, uint32_t n)
{
	uint32_t cap = 1024;

	while (cap < 2 * n)
		cap *= 2;
	if (m->count || m->mask + 1 >= cap)
		return;
	free(m->slots);
	m->slots = calloc(cap, sizeof(*m->slots));
	m->mask = m->slots ? cap - 1 : 0;
	if (n > m->cap) {
		struct kv_map_entry *e = realloc(m->entries, n * sizeof(*e));

		if (e) {
			m->entries = e;
			m->cap = n;
		}
	}
}

void kv_map_free(struct kv_map *m)
{
	free(m->slots);
	free(m->entries);
	memset(m, 0, sizeof(*m));
}

/* ---- clone names ---- */

static bool clone_word(const char *s, size_t n)
{
	static const char *const words[] = { "isra", "constprop", "part", "cold", "llvm", "lto_priv",
					     "localalias", "specialized" };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == n && memcmp(words[i], s, n) == 0)
			return true;
	return false;
}

static bool all_hex(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return true;
}

/*
 * GCC writes foo.isra.0, foo.constprop.0, foo.part.0, foo.cold and their
 * combinations (foo.constprop.0.isra.0); clang's LTO writes foo.llvm.<hash>.
 * A C identifier has no dot, so the base is what comes before the first one,
 * provided every dot-separated word after it is one of those words or a
 * number.
 */
size_t kv_clone_base_len(const char *name)
{
	const char *dot = strchr(name, '.'), *p;
	bool word = false;

	if (!dot || dot == name)
		return 0;
	for (p = dot + 1;;) {
		const char *end = strchr(p, '.');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (clone_word(p, n))
			word = true;
		else if (!all_hex(p, n))
			return 0;
		if (!end)
			break;
		p = end + 1;
	}
	return word ? (size_t)(dot - name) : 0;
}

/* ---- kallsyms ---- */

#define SYMS_RESERVE ((size_t)1 << 28)

/*
 * The table grows in place inside a reserved region (no copies); past it,
 * or without it, on the heap.
 */
static int symtab_grow(struct kv_symtab *t)
{
	uint32_t cap;
	struct kv_sym *s;

	if (!t->cap) {
		s = kv_region_reserve(SYMS_RESERVE);
		if (s) {
			t->syms = s;
			t->region = SYMS_RESERVE;
			t->cap = (uint32_t)(SYMS_RESERVE / sizeof(*s));
			return 0;
		}
	}
	cap = t->cap ? t->cap * 2 : 131072; /* vmlinux has ~10^5 text symbols */
	if (t->region) {
		s = malloc((size_t)cap * sizeof(*s));
		if (!s)
			return -ENOMEM;
		memcpy(s, t->syms, (size_t)t->nr * sizeof(*s));
		munmap(t->syms, t->region);
		t->region = 0;
	} else {
		s = realloc(t->syms, (size_t)cap * sizeof(*s));
		if (!s)
			return -ENOMEM;
	}
	t->syms = s;
	t->cap = cap;
	return 0;
}

void kv_symtab_free(struct kv_symtab *t)
{
	if (t->region)
		munmap(t->syms, t->region);
	else
		free(t->syms);
	t->syms = NULL;
	t->nr = t->cap = 0;
	t->region = 0;
	kv_map_free(&t->mods);
}

int kv_symtab_add(struct kv_symtab *t, const char *name, uint64_t addr, uint32_t mod)
{
	struct kv_sym *s;

	if (t->nr == t->cap && symtab_grow(t))
		return -ENOMEM;
	s = &t->syms[t->nr++];
	s->name = name;
	s->addr = addr;
	s->mod = mod;
	s->next_same = s->next_clone = s->next_fsym = s->next_fclone = KV_NONE;
	s->base_len = 0;
	s->clone = false;
	if (addr)
		t->addrs = true;
	return 0;
}

static uint64_t parse_hex(const char **pp, const char *end)
{
	const char *p = *pp;
	uint64_t v = 0;

	for (; p < end; p++) {
		char c = *p;
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			break;
		v = v << 4 | d;
	}
	*pp = p;
	return v;
}

/*
 * Pseudo-modules of kallsyms that are not modules: BPF programs, ftrace
 * trampolines. The kernel's module lookups never see them.
 */
static bool pseudo_module(const char *name, size_t len)
{
	return (len == 3 && memcmp(name, "bpf", 3) == 0) ||
	       (len >= 9 && memcmp(name, "__builtin", 9) == 0);
}

/*
 * "ADDR TYPE NAME" or "ADDR TYPE NAME\t[MODULE]" per line, as /proc/kallsyms
 * and System.map write them. Only text symbols (t, T, w, W) are kept. The
 * text is modified in place: names are NUL-terminated inside it.
 */
int kv_parse_kallsyms(struct kv_symtab *t, struct kv_buf *text)
{
	char *p = text->data, *end = text->data + text->len;
	uint32_t last_mod = 0;
	const char *last_mod_name = NULL;
	size_t last_mod_len = 0;
	int err;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *name, *q;
		const char *cp = p;
		uint64_t addr;
		char type;
		uint32_t mod = 0;

		if (!nl)
			nl = end;
		/* 64-bit kernels: 16 digits, the type between two spaces; look at the type first. */
		if (nl - p > 19 && p[16] == ' ' && p[18] == ' ') {
			type = p[17];
			if (type != 't' && type != 'T' && type != 'w' && type != 'W')
				goto next;
		}
		addr = parse_hex(&cp, nl);
		q = (char *)cp;
		if (q == p || q + 3 > nl || *q != ' ' || q[2] != ' ')
			goto next; /* not a symbol line */
		type = q[1];
		if (type != 't' && type != 'T' && type != 'w' && type != 'W')
			goto next;
		name = q + 3;
		/* The name ends at the tab before "[module]", or at the line's end. */
		q = memchr(name, '\t', (size_t)(nl - name));
		if (!q)
			q = nl;
		if (q > name && q[-1] == '\r')
			q--;
		if (q == name || memchr(name, ' ', (size_t)(q - name)))
			goto next;
		if (q < nl) {
			char *mb = memchr(q, '[', (size_t)(nl - q)), *me;

			if (mb && (me = memchr(mb, ']', (size_t)(nl - mb))) != NULL) {
				size_t len = (size_t)(me - mb - 1);

				if (pseudo_module(mb + 1, len))
					goto next;
				if (!last_mod_name || len != last_mod_len ||
				    memcmp(last_mod_name, mb + 1, len) != 0) {
					/* Modules come in the kernel's list order: number them so. */
					uint32_t e = kv_map_get(&t->mods, mb + 1, len, true);

					if (e == KV_NONE)
						return -ENOMEM;
					last_mod = e + 1;
					last_mod_name = mb + 1;
					last_mod_len = len;
					mb[1 + len] = '\0';
				}
				mod = last_mod;
			}
		}
		*q = '\0';
		err = kv_symtab_add(t, name, addr, mod);
		if (err)
			return err;
next:
		p = nl + 1;
	}
	return 0;
}

int kv_merge_syms(struct btfkit_kview *kv)
{
	struct kv_symtab *k = &kv->kallsyms, *f = &kv->files;
	uint32_t *remap = malloc((k->mods.count + 1) * sizeof(*remap));

	if (!remap)
		return -ENOMEM;
	remap[0] = 0;
	for (uint32_t i = 0; i < k->mods.count; i++) {
		uint32_t m = kv_mod_get(kv, k->mods.entries[i].key, k->mods.entries[i].len);

		if (m == KV_NONE) {
			free(remap);
			return -ENOMEM;
		}
		kv->mods[m].in_kallsyms = true;
		kv->mods[m].rank = i + 1;
		remap[i + 1] = m;
	}
	for (uint32_t i = 0; k->mods.count && i < k->nr; i++)
		k->syms[i].mod = remap[k->syms[i].mod];
	free(remap);
	if (k->mods.count)
		kv->have |= BTFKIT_KVIEW_MODULE_ORDER;
	if (k->addrs)
		kv->have |= BTFKIT_KVIEW_ADDRS;
	/*
	 * A module's own symbol table stands in for kallsyms only when kallsyms
	 * does not list that module (it was not loaded when it was taken).
	 */
	uint32_t from = k->nr;
	int err;

	for (uint32_t i = 0; i < f->nr; i++) {
		if (kv->mods[f->syms[i].mod].in_kallsyms)
			continue;
		err = kv_symtab_add(k, f->syms[i].name, 0, f->syms[i].mod);
		if (err)
			return err;
	}
	err = kv_link_syms(kv, k->syms, from, k->nr);
	if (err)
		return err;
	/* The view reads the kallsyms table in place; it stays owned by kv->kallsyms. */
	kv->syms = k->syms;
	kv->nr_syms = k->nr;
	kv_map_free(&k->mods);
	kv_symtab_free(f);
	return 0;
}

/* Chain every symbol by exact name and every clone by base name, in table order. */
static int index_all(struct btfkit_kview *kv)
{
	kv_map_reserve(&kv->sym_map, kv->nr_syms);
	kv_map_reserve(&kv->clone_map, kv->nr_syms / 16);
	for (uint32_t i = 0; i < kv->nr_syms; i++) {
		struct kv_sym *s = &kv->syms[i];
		size_t len = strlen(s->name), base = kv_clone_base_len(s->name);
		uint32_t e = kv_map_get(&kv->sym_map, s->name, len, true);

		if (e == KV_NONE)
			return -ENOMEM;
		if (kv->sym_map.entries[e].tail == KV_NONE)
			kv->sym_map.entries[e].head = i;
		else
			kv->syms[kv->sym_map.entries[e].tail].next_same = i;
		kv->sym_map.entries[e].tail = i;
		if (!base)
			continue;
		e = kv_map_get(&kv->clone_map, s->name, base, true);
		if (e == KV_NONE)
			return -ENOMEM;
		if (kv->clone_map.entries[e].tail == KV_NONE)
			kv->clone_map.entries[e].head = i;
		else
			kv->syms[kv->clone_map.entries[e].tail].next_clone = i;
		kv->clone_map.entries[e].tail = i;
	}
	return 0;
}

int kv_index_syms(struct btfkit_kview *kv)
{
	int err = 0;

	pthread_mutex_lock(&kv->index_lock);
	if (!kv->sym_indexed) {
		err = index_all(kv);
		kv->sym_indexed = !err;
	}
	pthread_mutex_unlock(&kv->index_lock);
	return err;
}

static void chain(uint32_t *head, uint32_t *tail, uint32_t e, struct kv_sym *syms, uint32_t i,
		  bool clone)
{
	if (tail[e] == KV_NONE)
		head[e] = i;
	else if (clone)
		syms[tail[e]].next_fclone = i;
	else
		syms[tail[e]].next_fsym = i;
	tail[e] = i;
}

/*
 * Most symbols are not FUNC names, and each lookup is a few cache misses:
 * hashing a batch first and prefetching its slots lets the misses overlap.
 */
#define LINK_BATCH 32
int kv_link_syms(struct btfkit_kview *kv, struct kv_sym *syms, uint32_t from, uint32_t to)
{
	const struct kv_map *m = &kv->func_map;

	for (uint32_t b = from; b < to; b += LINK_BATCH) {
		uint32_t n = to - b < LINK_BATCH ? to - b : LINK_BATCH;
		uint32_t hash[LINK_BATCH], len[LINK_BATCH];

		for (uint32_t k = 0; k < n; k++) {
			len[k] = (uint32_t)strlen(syms[b + k].name);
			hash[k] = kv_hash(syms[b + k].name, len[k]);
			kv_map_prefetch(m, hash[k]);
		}
		for (uint32_t k = 0; k < n; k++) {
			uint32_t i = b + k, e;
			struct kv_sym *s = &syms[i];
			size_t base = memchr(s->name, '.', len[k]) ? kv_clone_base_len(s->name) : 0;

			s->base_len = (uint32_t)(base ? base : len[k]);
			s->clone = base != 0;
			e = kv_map_find_hashed(m, s->name, len[k], hash[k]);
			if (e != KV_NONE)
				chain(kv->fsym_head, kv->fsym_tail, e, syms, i, false);
			if (!base)
				continue;
			if (strstr(s->name, ".llvm."))
				kv->llvm_suffixes = true;
			e = kv_map_find_hashed(m, s->name, base, kv_hash(s->name, base));
			if (e != KV_NONE)
				chain(kv->fclone_head, kv->fclone_tail, e, syms, i, true);
		}
	}
	return 0;
}

int kv_funcs_ready(struct btfkit_kview *kv)
{
	uint32_t n = kv->func_map.count ? kv->func_map.count : 1;

	kv->fsym_head = malloc(n * sizeof(uint32_t));
	kv->fsym_tail = malloc(n * sizeof(uint32_t));
	kv->fclone_head = malloc(n * sizeof(uint32_t));
	kv->fclone_tail = malloc(n * sizeof(uint32_t));
	if (!kv->fsym_head || !kv->fsym_tail || !kv->fclone_head || !kv->fclone_tail)
		return -ENOMEM;
	memset(kv->fsym_head, 0xff, n * sizeof(uint32_t));
	memset(kv->fsym_tail, 0xff, n * sizeof(uint32_t));
	memset(kv->fclone_head, 0xff, n * sizeof(uint32_t));
	memset(kv->fclone_tail, 0xff, n * sizeof(uint32_t));
	kv->funcs_ready = true;
	return 0;
}

/* ---- tracefs ---- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * available_filter_functions: "NAME" or "NAME [MODULE]" per line;
 * available_filter_functions_addrs (6.5+): "ADDR NAME [MODULE]".
 */
int kv_parse_ftrace(struct btfkit_kview *kv, struct kv_buf *text)
{
	char *p = text->data, *end = text->data + text->len;
	bool addrs = false;
	size_t nl_first;

	/* An _addrs file starts with 16 hex digits and a space. */
	nl_first = (size_t)(end - p);
	if (nl_first > 17 && p[16] == ' ') {
		const char *cp = p;

		parse_hex(&cp, p + 16);
		addrs = cp == p + 16;
	}
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *name, *q;
		uint64_t addr = 0;
		uint32_t mod = 0, e;
		struct kv_ftrace *f;

		if (!nl)
			nl = end;
		name = p;
		if (addrs) {
			const char *cp = p;

			addr = parse_hex(&cp, nl);
			name = (char *)cp + 1;
			if (name >= nl)
				goto next;
		}
		for (q = name; q < nl && *q != ' ' && *q != '\t'; q++)
			;
		if (q == name)
			goto next;
		if (q < nl) {
			char *mb = memchr(q, '[', (size_t)(nl - q)), *me;

			if (mb && (me = memchr(mb, ']', (size_t)(nl - mb))) != NULL) {
				if (pseudo_module(mb + 1, (size_t)(me - mb - 1)))
					goto next;
				mod = kv_mod_get(kv, mb + 1, (size_t)(me - mb - 1));
				if (mod == KV_NONE)
					return -ENOMEM;
				kv->mods[mod].in_ftrace = true;
			}
		}
		*q = '\0';
		if (kv->nr_ftrace == kv->cap_ftrace) {
			uint32_t cap = kv->cap_ftrace ? kv->cap_ftrace * 2 : 65536;

			f = realloc(kv->ftrace, cap * sizeof(*f));
			if (!f)
				return -ENOMEM;
			kv->ftrace = f;
			kv->cap_ftrace = cap;
		}
		e = kv_map_get(&kv->ftrace_map, name, (size_t)(q - name), true);
		if (e == KV_NONE)
			return -ENOMEM;
		f = &kv->ftrace[kv->nr_ftrace];
		*f = (struct kv_ftrace){ .name = name, .mod = mod, .next = KV_NONE, .addr = addr };
		if (kv->ftrace_map.entries[e].tail == KV_NONE)
			kv->ftrace_map.entries[e].head = kv->nr_ftrace;
		else
			kv->ftrace[kv->ftrace_map.entries[e].tail].next = kv->nr_ftrace;
		kv->ftrace_map.entries[e].tail = kv->nr_ftrace++;
next:
		p = nl + 1;
	}
	kv->mods[0].in_ftrace = kv->nr_ftrace > 0;
	kv->have |= BTFKIT_KVIEW_FTRACE;
	if (addrs) {
		kv->ftrace_addrs = malloc((kv->nr_ftrace + 1) * sizeof(uint64_t));
		if (!kv->ftrace_addrs)
			return -ENOMEM;
		for (uint32_t i = 0; i < kv->nr_ftrace; i++)
			kv->ftrace_addrs[i] = kv->ftrace[i].addr;
		qsort(kv->ftrace_addrs, kv->nr_ftrace, sizeof(uint64_t), cmp_u64);
		kv->nr_ftrace_addrs = kv->nr_ftrace;
		kv->have |= BTFKIT_KVIEW_FTRACE_ADDRS;
	}
	return 0;
}

static bool ftrace_has(const struct btfkit_kview *kv, const struct kv_sym *s)
{
	uint32_t e = kv_map_get((struct kv_map *)&kv->ftrace_map, s->name, strlen(s->name), false);

	if (e == KV_NONE)
		return false;
	for (uint32_t i = kv->ftrace_map.entries[e].head; i != KV_NONE; i = kv->ftrace[i].next)
		if (kv->ftrace[i].mod == s->mod)
			return true;
	return false;
}

int kv_sym_traceable(const struct btfkit_kview *kv, const struct kv_sym *s)
{
	if (!(kv->have & BTFKIT_KVIEW_FTRACE))
		return -1;
	/* A module the list never mentions was not loaded when it was taken. */
	if (!kv->mods[s->mod].in_ftrace)
		return -1;
	if ((kv->have & BTFKIT_KVIEW_FTRACE_ADDRS) && s->addr && (kv->have & BTFKIT_KVIEW_ADDRS)) {
		/*
		 * The listed address is the ftrace call site, a few bytes into
		 * the function when it starts with an endbr64.
		 */
		size_t lo = 0, hi = kv->nr_ftrace_addrs;

		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (kv->ftrace_addrs[mid] < s->addr)
				lo = mid + 1;
			else
				hi = mid;
		}
		return lo < kv->nr_ftrace_addrs && kv->ftrace_addrs[lo] - s->addr < 8;
	}
	if (ftrace_has(kv, s))
		return 1;
	/*
	 * Aliases (several names at one address) are listed under one of
	 * them: the table is in address order, so they are neighbours.
	 */
	if (s->addr && s >= kv->syms && s < kv->syms + kv->nr_syms) {
		/* Indexes, not pointers: no pointer before the array's start. */
		size_t at = (size_t)(s - kv->syms);

		for (size_t k = at; k-- > 0 && kv->syms[k].addr == s->addr;)
			if (kv->syms[k].mod == s->mod && ftrace_has(kv, &kv->syms[k]))
				return 1;
		for (size_t k = at + 1; k < kv->nr_syms && kv->syms[k].addr == s->addr; k++)
			if (kv->syms[k].mod == s->mod && ftrace_has(kv, &kv->syms[k]))
				return 1;
	}
	return 0;
}
