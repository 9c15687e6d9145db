/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private to the BTF engine (lib/btf/) and the subsystems built directly on
 * it. Other code uses include/btfkit/btf.h.
 */
#ifndef BTFKIT_LIB_BTF_INT_H
#define BTFKIT_LIB_BTF_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <btfkit/btf.h>

#define BTF_MAGIC 0xeB9F
#define BTF_MAGIC_SWAPPED 0x9FeB
#define BTF_VERSION 1
#define BTF_HDR_LEN_BASE 24   /* magic..str_len */
#define BTF_HDR_LEN_LAYOUT 32 /* ... + layout_off, layout_len */
#define BTF_TYPE_SIZE 12      /* struct btfkit_type */
#define BTF_KIND_SLOTS 128    /* the info word has 7 kind bits */
#define BTF_CHECKPOINT_EVERY 64

/*
 * One BTF kind as the engine knows it. This table (lib/btf/kinds.c) is the one
 * place where the list of kinds lives: what a type of the kind occupies, and
 * how each subsystem treats it. A new kind is one entry here.
 */
struct dump_desc;
struct btf_kind_ops {
	const char *name;   /* "INT": as bpftool prints it */
	uint8_t fixed;      /* bytes of trailing data after the 12-byte record */
	uint8_t elem;       /* bytes per vlen element */
	bool size_is_bytes; /* the size/type word is a size (else a type id) */
	/* lib/dump: the fields bpftool prints for a type of this kind. */
	void (*describe)(const struct btfkit_btf *btf, const struct btfkit_type *t,
			 struct dump_desc *d);
};
extern const struct btf_kind_ops btf_kinds[BTFKIT_KIND_COUNT];

static inline bool btf_kind_sized(unsigned kind)
{
	return kind > 0 && kind < BTFKIT_KIND_COUNT && btf_kinds[kind].size_is_bytes;
}

/* The type section's shape for one kind slot: known kinds, or the layout section's word. */
struct btf_kind_shape {
	uint16_t fixed; /* BTF_SHAPE_UNKNOWN: no kind known in this slot */
	uint16_t elem;
};
#define BTF_SHAPE_UNKNOWN 0xffff

/*
 * Name index: open addressing, linear probing. A slot is one 32-bit word:
 * the type's own index + 1 in the low `idx_bits` (0: empty), and the top
 * bits of its name's hash as a tag above them, so that most mismatches are
 * rejected without touching the type or its name.
 */
struct btf_name_index {
	uint32_t *slots;
	uint32_t mask;     /* capacity - 1; capacity is a power of two */
	uint32_t idx_bits; /* bits for index + 1; the rest is tag */
	uint32_t count;    /* names inserted */
};

enum btf_storage {
	BTF_STORAGE_BORROWED, /* the caller's memory */
	BTF_STORAGE_OWNED,    /* malloc()ed by us */
	BTF_STORAGE_MAPPED,   /* mmap()ed file */
};

struct btfkit_btf {
	/* The whole input (a raw blob, or the ELF file holding one). */
	const uint8_t *image;
	size_t image_size;
	enum btf_storage storage;

	/* The blob inside the image, and its header in host order. */
	const uint8_t *blob;
	uint32_t blob_size;
	uint32_t hdr_len;
	uint8_t hdr_flags;
	bool swapped;
	bool has_layout;

	/* Sections, in host byte order (types may be a converted copy). */
	const uint8_t *types;
	uint32_t types_len;
	uint8_t *types_swapped; /* owned copy when swapped */
	const char *strs;
	uint32_t strs_len;
	const uint8_t *layout;
	uint32_t layout_len;
	struct btf_kind_shape shape[BTF_KIND_SLOTS];

	const struct btfkit_btf *base;
	uint32_t start_id;      /* id of the first own type */
	uint32_t start_str_off; /* offset of the first own string */
	uint32_t nr_types;      /* own types */
	uint32_t nr_named;      /* own types with a name, counted by the walk */

	/*
	 * Built at open, or on first need with BTFKIT_OPEN_LAZY_INDEX. A lazy
	 * object also expects one-pass use: its walks let mapped pages go.
	 */
	bool lazy;
	bool defer_names; /* BTFKIT_OPEN_DEFER_NAMES */
	/* The name index is complete (set once; then read without a lock, see index.c). */
	_Atomic bool names_built;
	uint32_t *type_offs; /* nr_types offsets into types; NULL until built */
	/* Lazy objects: the offset of every BTF_CHECKPOINT_EVERY-th type. */
	uint32_t *checkpoints;
	struct btf_name_index names;
	/* Large BTF: the opening thread's share of a two-thread build (index.c). */
	struct btf_name_index names_more;
};

/* lib/btf/parse.c: everything about the blob's bytes. */
int btf_parse_blob(struct btfkit_btf *btf, bool lazy_index, char *msg, size_t msg_sz);
/*
 * The by-id table and the name index, built at open, or on first need with
 * BTFKIT_OPEN_LAZY_INDEX (hence callable on objects the API hands out const).
 */
int btf_build_offsets(struct btfkit_btf *btf, char *msg, size_t msg_sz);
int btf_build_names(struct btfkit_btf *btf);
/* Bytes a type occupies, or 0 if its kind is unknown to this object. */
static inline uint32_t btf_type_size(const struct btfkit_btf *btf, const struct btfkit_type *t)
{
	const struct btf_kind_shape *s = &btf->shape[btfkit_type_kind(t)];
	if (s->fixed == BTF_SHAPE_UNKNOWN)
		return 0;
	/* Cannot wrap: vlen < 2^24, elem <= 255 (layout sizes are bytes), fixed <= 255. */
	return BTF_TYPE_SIZE + s->fixed + btfkit_type_vlen(t) * (uint32_t)s->elem;
}

/*
 * A hint from a sequential reader (the dumpers): nothing read so far is needed
 * again soon, so a mapped file's pages may leave memory. Keeps the resident
 * size of a one-pass dump of vmlinux BTF to a fraction of the file.
 */
void btf_release_pages(const struct btfkit_btf *btf); /* and its bases' */
void btf_release_own_pages(const struct btfkit_btf *btf);

/* lib/btf/index.c */
int btf_names_build(struct btfkit_btf *btf);
/* Building in steps (the eager walk inserts as it goes): false when too full. */
int btf_names_init(struct btfkit_btf *btf, uint32_t expected);
#define BTF_NAMES_BATCH 32
bool btf_names_add_batch(struct btfkit_btf *btf, const uint32_t *own_idx,
			 const uint32_t *name_off, unsigned n);
/*
 * The name index of large BTF built on two threads while the walk records
 * offsets (index.c): start (0: started; 1: no thread, build it the single
 * way), tell how many offsets are recorded as the walk goes, finish (joins;
 * -EAGAIN: a table filled up, build it again exactly sized; -ENOMEM).
 */
#define BTF_INDEX_MT_MIN_TYPES_LEN (1u << 20)
#define BTF_INDEX_CHUNK 1024u /* types published, and indexed, at a time */
struct btf_index_build {
	struct btfkit_btf *btf;
	pthread_t thread;
	_Atomic uint32_t walked, total, next_chunk;
	_Atomic uint32_t second_names; /* names the second thread has inserted */
	_Atomic bool stop, nomem;
};
int btf_index_build_start(struct btfkit_btf *btf, struct btf_index_build *job);
void btf_index_build_walked(struct btf_index_build *job, uint32_t n);
int btf_index_build_finish(struct btf_index_build *job, bool walk_ok, uint32_t nr_types);
void btf_names_free(struct btfkit_btf *btf);
uint32_t btf_name_hash(const char *s);

/*
 * lib/btf/thread.c: pthread_create() for a thread that must run beside its
 * creator now: started on the nth other CPU of the creator's set, then free
 * to move. 0 or an errno, as pthread_create().
 */
int btf_thread_start(pthread_t *thread, void *(*fn)(void *), void *arg, unsigned nth);

/* lib/btf/open.c: a file's bytes, mapped when it can be, else read. */
struct btf_image {
	const uint8_t *data;
	size_t size;
	enum btf_storage storage;
};
int btf_image_load(const char *path, bool populate, struct btf_image *img, char *msg,
		   size_t msg_sz);
void btf_image_release(struct btf_image *img);
/* btfkit_btf_open() of a loaded image; the BTF object takes it over (img->data = NULL). */
struct btfkit_btf *btf_open_image(struct btf_image *img, const struct btfkit_open_opts *opts);

/*
 * lib/btf/decompress.c: xz, zstd and gzip data, by magic. btf_compression()
 * names the format (NULL: not compressed); btf_decompress() returns a
 * malloc()ed copy of the content, -ENOMSG when not compressed, or -EINVAL /
 * -ENOMEM with the reason in msg.
 */
const char *btf_compression(const uint8_t *data, size_t size);
int btf_decompress(const uint8_t *in, size_t n, uint8_t **out, size_t *out_size, char *msg,
		   size_t msg_sz);

/* lib/btf/elf.c: find the .BTF section in an ELF image. */
int btf_elf_find_section(const uint8_t *image, size_t size, const char *name,
			 const uint8_t **data, size_t *data_size, char *msg, size_t msg_sz);
bool btf_is_elf(const uint8_t *image, size_t size);

/* A string of this object or its bases, without the public-API errno dance. */
static inline const char *btf_str(const struct btfkit_btf *btf, uint32_t off)
{
	while (off < btf->start_str_off)
		btf = btf->base;
	off -= btf->start_str_off;
	return off < btf->strs_len ? btf->strs + off : NULL;
}

/* One of this object's own types by index, once indexed. */
static inline const struct btfkit_type *btf_own_type(const struct btfkit_btf *btf, uint32_t idx)
{
	return (const struct btfkit_type *)(btf->types + btf->type_offs[idx]);
}

const struct btfkit_type *btf_type_by_id(const struct btfkit_btf *btf, uint32_t id);
/* The object in a split chain that holds type `id` (whose strings name it). */
const struct btfkit_btf *btf_type_owner(const struct btfkit_btf *btf, uint32_t id);

/* Error helpers: every public function ends through one of these. */
int btf_err(int err); /* sets errno = -err, returns err */
void *btf_err_ptr(int err);
/*
 * calloc() for tables that are read before they are written (hash tables,
 * bitmaps): large ones are zeroed by writing. A fresh mapping that is read
 * first maps the shared zero page, and the first write to each page then
 * copies it and flushes that page from the TLB of every CPU the process
 * runs on: an interrupt to the other thread's CPU per page, while two
 * threads index or validate. Written first, each page faults once.
 */
void *btf_zalloc(size_t n, size_t size);
void btf_msg(char *msg, size_t msg_sz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif /* BTFKIT_LIB_BTF_INT_H */
