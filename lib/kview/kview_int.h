/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private to the kernel view (lib/kview/) and the resolver (lib/resolve/).
 *
 * Symbols, modules and BTF FUNCs are kept in flat arrays; name lookups go
 * through one kind of hash map (kv_map: open addressing over 32-bit slots)
 * whose entries hold the head and tail of a chain through the arrays, so a
 * chain lists its members in the order they were added: kallsyms order for
 * symbols, object then id order for FUNCs.
 */
#ifndef BTFKIT_LIB_KVIEW_INT_H
#define BTFKIT_LIB_KVIEW_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <btfkit/kview.h>

#define KV_NONE UINT32_MAX

/* A map from a string (pointer + length, not copied) to a chain. */
struct kv_map_entry {
	const char *key;
	uint32_t len;
	uint32_t hash;
	uint32_t head; /* first member, KV_NONE: empty */
	uint32_t tail;
};
struct kv_map {
	uint64_t *slots; /* hash << 32 | entry index + 1; 0: empty */
	uint32_t mask;
	struct kv_map_entry *entries;
	uint32_t count, cap;
};
uint32_t kv_hash(const char *s, size_t len);
/* The entry for key, created (empty chain) when absent; KV_NONE on ENOMEM. */
uint32_t kv_map_get(struct kv_map *m, const char *key, size_t len, bool create);
void kv_map_free(struct kv_map *m);
void kv_map_reserve(struct kv_map *m, uint32_t n);
/* Lookups with the hash computed (and its slot prefetched) ahead. */
uint32_t kv_map_find_hashed(const struct kv_map *m, const char *key, size_t len, uint32_t h);
uint32_t kv_map_get_hashed(struct kv_map *m, const char *key, size_t len, uint32_t h, bool create);
void kv_map_prefetch(const struct kv_map *m, uint32_t h);

/* One text symbol. */
struct kv_sym {
	const char *name;
	uint64_t addr;
	uint32_t mod;        /* 0: vmlinux; else an index into kv->mods */
	uint32_t next_same;  /* next symbol of this exact name (sym_map) */
	uint32_t next_clone; /* next clone of this base name (clone_map) */
	uint32_t next_fsym;  /* next symbol named like a BTF FUNC (fsym_head) */
	uint32_t next_fclone; /* next clone of a BTF FUNC's name (fclone_head) */
	uint32_t base_len;   /* length of the base name (clones), else strlen */
	bool clone;
};

/* A module, known from kallsyms, tracefs, a .ko or /sys/kernel/btf. */
struct kv_mod {
	const char *name;
	int obj;       /* BTF object index, -1: none */
	uint32_t rank; /* position in the kernel's module list (kallsyms order) */
	bool in_kallsyms, in_ftrace, from_file;
};

/* One BTF FUNC of one object, chained by name across objects. */
struct kv_func {
	uint32_t obj;
	uint32_t id;
	uint32_t next;
};

/* One available_filter_functions line. */
struct kv_ftrace {
	const char *name;
	uint32_t mod;
	uint32_t next;
	uint64_t addr; /* _addrs files only */
};

/*
 * A table of symbols being built. kallsyms is parsed on its own thread into
 * one of these (its modules numbered locally: mod = index in `mods` + 1),
 * merged into the view after the join; module files add to another.
 */
struct kv_symtab {
	struct kv_sym *syms;
	uint32_t nr, cap;
	size_t region; /* bytes reserved when syms is a region (munmap), 0: the heap */
	struct kv_map mods;
	bool addrs;
};

struct kv_buf {
	char *data;
	size_t len, cap;
};

struct btfkit_kview {
	bool live;
	unsigned have;
	uint32_t version;

	struct btfkit_kview_object *objs; /* [0] vmlinux */
	size_t nr_objs;
	char **notes;
	size_t nr_notes;

	struct kv_mod *mods; /* [0] stands for vmlinux */
	uint32_t nr_mods, cap_mods;
	struct kv_map mod_map;

	struct kv_sym *syms;
	uint32_t nr_syms;
	struct kv_symtab kallsyms, files; /* while opening */
	struct kv_map sym_map;   /* exact name -> symbols */
	struct kv_map clone_map; /* base name -> clones */

	struct kv_func *funcs;
	uint32_t nr_funcs;
	struct kv_map func_map; /* name -> FUNCs of every object */
	/*
	 * Per func_map entry: the symbols of that exact name and the clones of
	 * it, linked while kallsyms streams in (the census needs no lookup),
	 * once funcs_ready.
	 */
	uint32_t *fsym_head, *fsym_tail, *fclone_head, *fclone_tail;
	bool funcs_ready;
	/* sym_map and clone_map cover every symbol: built on first need. */
	pthread_mutex_t index_lock;
	bool sym_indexed;

	struct kv_ftrace *ftrace;
	uint32_t nr_ftrace, cap_ftrace;
	struct kv_map ftrace_map;
	uint64_t *ftrace_addrs; /* sorted, _addrs files only */
	uint32_t nr_ftrace_addrs;

	/* Text the names point into. */
	struct kv_buf ftrace_text;
	char *kallsyms_text; /* stream.c: the region the names point into */
	size_t kallsyms_reserved;
	char **arena;
	size_t nr_arena;
	char *arena_next;
	size_t arena_left;
	bool llvm_suffixes; /* kallsyms has .llvm.<hash> names (a clang LTO kernel) */

	/* The error-injection list's function names (BTFKIT_KVIEW_ERROR_INJECTION). */
	struct kv_buf ei_text;
	struct kv_map ei_map;
};

/* kview.c */
int kv_note(struct btfkit_kview *kv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *kv_strdup(struct btfkit_kview *kv, const char *s, size_t len);
uint32_t kv_mod_get(struct btfkit_kview *kv, const char *name, size_t len);
int kv_read_file(const char *path, struct kv_buf *b);

/* ksyms.c: kallsyms / System.map, clone names, the symbol indexes, tracefs. */
int kv_parse_kallsyms(struct kv_symtab *t, struct kv_buf *text);
int kv_symtab_add(struct kv_symtab *t, const char *name, uint64_t addr, uint32_t mod);
void kv_symtab_free(struct kv_symtab *t);
/* Move kallsyms (its modules made global, ranked) then module-file symbols into the view. */
int kv_merge_syms(struct btfkit_kview *kv);
/* Chain every symbol into the name and clone indexes; once (thread-safe). */
int kv_index_syms(struct btfkit_kview *kv);
/* Link syms[from, to) to the BTF FUNC names they carry (fsym/fclone). */
int kv_link_syms(struct btfkit_kview *kv, struct kv_sym *syms, uint32_t from, uint32_t to);
/* The FUNC index is done: symbols parsed from now on are linked to it. */
int kv_funcs_ready(struct btfkit_kview *kv);
/* stream.c: kallsyms (or System.map) read on a thread, parsed here as it comes. */
struct kv_stream;
/* Address space for a table that grows in place (pages come as touched), or NULL. */
void *kv_region_reserve(size_t size);
struct kv_stream *kv_stream_start(const char *path, int *err);
void kv_stream_read(struct kv_stream *st);                             /* the reader */
void kv_stream_prefault(struct kv_stream *st);                         /* ahead of it */
void kv_stream_consume(struct btfkit_kview *kv, struct kv_stream *st); /* the parser */
int kv_stream_end(struct btfkit_kview *kv, struct kv_stream *st);
int kv_parse_ftrace(struct btfkit_kview *kv, struct kv_buf *text);
/* error_injection/list: "func[ [mod]]\tTYPE" lines; the names into ei_map. */
int kv_parse_error_injection(struct btfkit_kview *kv, struct kv_buf *text);
/* Is `name` on the error-injection list? 1, 0, or -1 when the list is unknown. */
int kv_error_injectable(const struct btfkit_kview *kv, const char *name);
/* Length of the base name when `name` is a compiler clone (foo.isra.0 -> 3), else 0. */
size_t kv_clone_base_len(const char *name);
/* 1, 0, or -1 (unknown) for a symbol. */
int kv_sym_traceable(const struct btfkit_kview *kv, const struct kv_sym *s);

/* modules.c: module .ko files (offline) and /sys/kernel/btf (live). */
int kv_load_module_dir(struct btfkit_kview *kv, const char *dir,
		       void (*progress)(void *ctx, size_t done, size_t total), void *ctx);
int kv_load_sysfs_modules(struct btfkit_kview *kv);
int kv_add_object(struct btfkit_kview *kv, const char *name, struct btfkit_btf *btf, const char *path);

/* objids.c: kernel BTF object ids and fds (live). */
int kv_load_obj_ids(struct btfkit_kview *kv);

/* version.c */
int kv_parse_version(const char *s, uint32_t *out);
uint32_t kv_live_version(void);

/* funcs: the cross-object FUNC index (kview.c). */
int kv_index_funcs(struct btfkit_kview *kv);

#endif /* BTFKIT_LIB_KVIEW_INT_H */
