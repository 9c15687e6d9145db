// SPDX-License-Identifier: BSD-2-Clause
/*
 * From bytes to a usable object: the header, the byte order, the sections,
 * and one walk over the type section that proves every type record and its
 * trailing data lie inside the section. After btf_parse_blob() succeeds, any
 * type reached through the object can be read without further bounds checks;
 * ids and string offsets inside types are still unchecked values and every
 * accessor checks them where it follows them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btf_int.h"

static uint32_t bswap32(uint32_t v)
{
	return __builtin_bswap32(v);
}

static uint32_t read_u32(const uint8_t *p, bool swapped)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return swapped ? bswap32(v) : v;
}

/* Does [off, off + len) fit in `size`? Computed without overflow. */
static bool range_fits(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

/*
 * The layout section describes, per kind number, how many bytes a type of
 * that kind occupies after its 12-byte record: `info_sz` fixed bytes plus
 * `elem_sz` bytes per vlen element. With it, a reader can step over kinds it
 * does not know. Entries are 4 bytes (u8 info_sz, u8 elem_sz, u16 flags,
 * unused so far), indexed by kind number from kind 0. Writers place it
 * between the type and string sections.
 *
 * Only kinds this library does not know take their shape from it: for known
 * kinds the format is fixed, and a layout that disagrees is the validator's
 * business, not a reason to read types differently.
 */
#define LAYOUT_ENTRY_SIZE 4

static int parse_layout(struct btfkit_btf *btf, char *msg, size_t msg_sz)
{
	uint32_t n = btf->layout_len / LAYOUT_ENTRY_SIZE;

	if (btf->layout_len % LAYOUT_ENTRY_SIZE) {
		btf_msg(msg, msg_sz, "layout section length %u is not a multiple of %u",
			btf->layout_len, LAYOUT_ENTRY_SIZE);
		return -EINVAL;
	}
	for (uint32_t kind = BTFKIT_KIND_COUNT; kind < n && kind < BTF_KIND_SLOTS; kind++) {
		const uint8_t *e = btf->layout + kind * LAYOUT_ENTRY_SIZE;

		/* Types stay 4-byte aligned only if every kind's size is a multiple of 4. */
		if (e[0] % 4 || e[1] % 4) {
			btf_msg(msg, msg_sz,
				"layout section gives kind %u a size (%u + vlen * %u) that is not a multiple of 4",
				kind, e[0], e[1]);
			return -EINVAL;
		}
		btf->shape[kind].fixed = e[0];
		btf->shape[kind].elem = e[1];
	}
	return 0;
}

static void init_shapes(struct btfkit_btf *btf)
{
	for (unsigned k = 0; k < BTF_KIND_SLOTS; k++) {
		if (k > 0 && k < BTFKIT_KIND_COUNT) {
			btf->shape[k].fixed = btf_kinds[k].fixed;
			btf->shape[k].elem = btf_kinds[k].elem;
		} else {
			btf->shape[k].fixed = BTF_SHAPE_UNKNOWN;
			btf->shape[k].elem = 0;
		}
	}
}

/*
 * The walk's common case: offsets recorded, names only counted, every record
 * whole. Each record's position depends on the one before (its kind and vlen
 * give its size), so the walk is a chain of dependent loads; this loop keeps
 * everything else off it and has no branch that depends on the data (a
 * mispredicted one, such as "is it named", stalls the chain). It stops at
 * the first record it cannot step over, for the full walk to report.
 */
static void walk_whole_records(const struct btfkit_btf *btf, uint32_t *offs,
			       struct btf_index_build *job, uint32_t *pos_io, uint32_t *n_io,
			       uint32_t *named_io)
{
	const uint8_t *types = btf->types;
	uint32_t len = btf->types_len, pos = *pos_io, n = *n_io, named = *named_io;
	uint16_t small[32 * 16];

	/*
	 * The size of a record of kind < 32 with fewer than 16 elements (nearly
	 * all records), by kind and vlen from one table: on the walk's chain of
	 * dependent loads that is one load in place of kind -> shape -> multiply.
	 * 0: a kind with no known shape.
	 */
	for (unsigned k = 0; k < 32; k++) {
		const struct btf_kind_shape *s = &btf->shape[k];

		for (unsigned v = 0; v < 16; v++)
			small[k * 16 + v] = s->fixed == BTF_SHAPE_UNKNOWN
						    ? 0
						    : (uint16_t)(BTF_TYPE_SIZE + s->fixed + v * s->elem);
	}
	while (len - pos >= BTF_TYPE_SIZE) {
		const struct btfkit_type *t = (const struct btfkit_type *)(types + pos);
		uint32_t info = t->info;
		/* Kind bits 29-30 and vlen bits 4-23 clear (vlen is 24 bits here): the table's. */
		uint32_t sz = info & 0x60fffff0 ? btf_type_size(btf, t)
						: small[(info >> 20 & 0x1f0) | (info & 0xf)];

		if (sz == 0 || sz > len - pos)
			break;
		offs[n] = pos;
		named += t->name_off != 0;
		n++;
		pos += sz;
		/* Another thread indexes the names of what is recorded. */
		if (job && !(n % BTF_INDEX_CHUNK))
			btf_index_build_walked(job, n);
	}
	*pos_io = pos;
	*n_io = n;
	*named_io = named;
}

/*
 * Walk the type section. With offs == NULL it only proves the structure and
 * counts; otherwise it also records each type's offset.
 */
static int walk_types(struct btfkit_btf *btf, uint32_t *offs, bool add_names,
		      struct btf_index_build *job, uint32_t *count, char *msg, size_t msg_sz)
{
	const uint8_t *types = btf->types;
	uint32_t len = btf->types_len, pos = 0, n = 0, named = 0;
	uint32_t batch_idx[BTF_NAMES_BATCH], batch_off[BTF_NAMES_BATCH];
	unsigned batched = 0;
	bool names_full = false;

	/* Ids cannot run out there: there are at most len / 12 records. */
	if (offs && !add_names && !btf->lazy &&
	    btf->start_id + len / BTF_TYPE_SIZE >= btf->start_id)
		walk_whole_records(btf, offs, job, &pos, &n, &named);
	while (pos < len) {
		const struct btfkit_type *t = (const struct btfkit_type *)(types + pos);
		uint32_t sz;

		if (len - pos < BTF_TYPE_SIZE) {
			btf_msg(msg, msg_sz, "type [%u] truncated: %u bytes left of a 12-byte record",
				btf->start_id + n, len - pos);
			return -EINVAL;
		}
		sz = btf_type_size(btf, t);
		if (sz == 0) {
			btf_msg(msg, msg_sz, "type [%u] has unknown kind %u%s", btf->start_id + n,
				btfkit_type_kind(t), btf->has_layout ? " (not in the layout section)" : "");
			return -ENOTSUP;
		}
		if (sz > len - pos) {
			btf_msg(msg, msg_sz, "type [%u] (%s, vlen %u) truncated: needs %u bytes, %u left",
				btf->start_id + n, btfkit_kind_name(btfkit_type_kind(t)),
				btfkit_type_vlen(t), sz, len - pos);
			return -EINVAL;
		}
		if (t->name_off) {
			named++;
			/* Names go to the index in batches (see btf_names_add_batch). */
			if (add_names) {
				batch_idx[batched] = n;
				batch_off[batched++] = t->name_off;
				if (batched == BTF_NAMES_BATCH) {
					if (!names_full &&
					    !btf_names_add_batch(btf, batch_idx, batch_off, batched))
						names_full = true;
					batched = 0;
				}
			}
		}
		if (offs) {
			offs[n] = pos;
			/* Another thread indexes the names of what is recorded. */
			if (job && !((n + 1) % BTF_INDEX_CHUNK))
				btf_index_build_walked(job, n + 1);
		} else if (btf->checkpoints && (n % BTF_CHECKPOINT_EVERY) == 0)
			btf->checkpoints[n / BTF_CHECKPOINT_EVERY] = pos;
		if (btf->lazy && (n & 8191) == 8191)
			btf_release_pages(btf); /* see BTFKIT_OPEN_LAZY_INDEX */
		n++;
		if (btf->start_id + n < btf->start_id) {
			btf_msg(msg, msg_sz, "too many types");
			return -EINVAL;
		}
		pos += sz;
	}
	if (batched && !names_full && !btf_names_add_batch(btf, batch_idx, batch_off, batched))
		names_full = true;
	*count = n;
	btf->nr_named = named;
	return names_full ? -EAGAIN : 0; /* -EAGAIN: the name table filled up */
}

/*
 * The walk that records every type's offset, and with add_names fills the
 * name index started by the caller. -EAGAIN: the index filled up (the rest
 * of the walk went on without it).
 */
static int record_offsets(struct btfkit_btf *btf, bool add_names, struct btf_index_build *job,
			  char *msg, size_t msg_sz)
{
	uint32_t count = 0;
	int err;

	/* Every type is at least 12 bytes: this bounds the count before walking. */
	btf->type_offs = malloc(((size_t)btf->types_len / BTF_TYPE_SIZE + 1) * sizeof(uint32_t));
	if (!btf->type_offs) {
		if (job)
			btf_index_build_finish(job, false, 0); /* joins the indexing thread */
		return -ENOMEM;
	}
	err = walk_types(btf, btf->type_offs, add_names, job, &count, msg, msg_sz);
	if (job) {
		/* Joins the indexing thread before anything is freed. */
		int built = btf_index_build_finish(job, !err, count);

		if (!err)
			err = built;
	}
	if (err && err != -EAGAIN) {
		free(btf->type_offs);
		btf->type_offs = NULL;
		return err;
	}
	btf->nr_types = count;
	return err;
}

int btf_build_offsets(struct btfkit_btf *btf, char *msg, size_t msg_sz)
{
	return btf->type_offs ? 0 : record_offsets(btf, false, NULL, msg, msg_sz);
}

/*
 * The eager open: one walk records offsets and fills the name index. The
 * table is sized from the section length (vmlinux: about one named type per
 * 45 bytes); BTF denser in names than that gets a second pass, exactly sized.
 */
static int build_index(struct btfkit_btf *btf, char *msg, size_t msg_sz)
{
	struct btf_index_build job;
	int err = 1;

	if (btf->types_len >= BTF_INDEX_MT_MIN_TYPES_LEN)
		err = btf_index_build_start(btf, &job);
	if (!err) {
		err = record_offsets(btf, false, &job, msg, msg_sz);
	} else {
		err = btf_names_init(btf, btf->types_len / 40);
		if (err)
			return err;
		err = record_offsets(btf, true, NULL, msg, msg_sz);
	}
	if (err == -EAGAIN) {
		btf_names_free(btf);
		err = btf_names_build(btf);
	}
	if (!err)
		atomic_store_explicit(&btf->names_built, true, memory_order_release);
	return err;
}

int btf_build_names(struct btfkit_btf *btf)
{
	int err = 0;

	if (!btf->names.slots) {
		err = btf_build_offsets(btf, NULL, 0);
		if (!err)
			err = btf_names_build(btf);
	}
	if (!err)
		atomic_store_explicit(&btf->names_built, true, memory_order_release);
	return err;
}

/*
 * A swapped blob gets a host-order copy of its type section. Every field of
 * every kind's trailing data is a 32-bit word, so the whole section converts
 * word by word; unknown kinds (stepped over through the layout section) are
 * converted the same way, which is what their 4-byte-multiple sizes promise.
 * A native blob whose type section is not 4-byte aligned in memory is copied
 * too, so that records are always read through aligned pointers.
 */
static int host_order_types(struct btfkit_btf *btf, char *msg, size_t msg_sz)
{
	uint8_t *copy;

	if (!btf->swapped && ((uintptr_t)btf->types % 4) == 0)
		return 0;
	if (btf->swapped && btf->types_len % 4) {
		btf_msg(msg, msg_sz, "type section length %u is not a multiple of 4", btf->types_len);
		return -EINVAL;
	}
	copy = malloc(btf->types_len ? btf->types_len : 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, btf->types, btf->types_len);
	if (btf->swapped) {
		for (uint32_t i = 0; i + 4 <= btf->types_len; i += 4) {
			uint32_t w;

			memcpy(&w, copy + i, 4);
			w = bswap32(w);
			memcpy(copy + i, &w, 4);
		}
	}
	btf->types_swapped = copy;
	btf->types = copy;
	return 0;
}

int btf_parse_blob(struct btfkit_btf *btf, bool lazy_index, char *msg, size_t msg_sz)
{
	const uint8_t *b = btf->blob;
	uint32_t size = btf->blob_size, type_off, str_off, count;
	uint16_t magic;
	int err;

	if (size < BTF_HDR_LEN_BASE) {
		btf_msg(msg, msg_sz, "truncated: %u bytes, a BTF header needs %u", size,
			BTF_HDR_LEN_BASE);
		return -EINVAL;
	}
	memcpy(&magic, b, 2);
	if (magic == BTF_MAGIC)
		btf->swapped = false;
	else if (magic == BTF_MAGIC_SWAPPED)
		btf->swapped = true;
	else {
		btf_msg(msg, msg_sz, "not BTF: magic 0x%04x, expected 0xeb9f", magic);
		return -EINVAL;
	}
	if (b[2] != BTF_VERSION) {
		btf_msg(msg, msg_sz, "unsupported BTF version %u", b[2]);
		return -EINVAL;
	}
	btf->hdr_flags = b[3];
	btf->hdr_len = read_u32(b + 4, btf->swapped);
	if (btf->hdr_len < BTF_HDR_LEN_BASE || btf->hdr_len > size) {
		btf_msg(msg, msg_sz, "header length %u out of range (%u..%u)", btf->hdr_len,
			BTF_HDR_LEN_BASE, size);
		return -EINVAL;
	}
	type_off = read_u32(b + 8, btf->swapped);
	btf->types_len = read_u32(b + 12, btf->swapped);
	str_off = read_u32(b + 16, btf->swapped);
	btf->strs_len = read_u32(b + 20, btf->swapped);

	/* Section offsets count from the end of the header. */
	if (!range_fits((uint64_t)btf->hdr_len + type_off, btf->types_len, size)) {
		btf_msg(msg, msg_sz, "type section (offset %u, length %u) runs past the end (%u bytes)",
			type_off, btf->types_len, size - btf->hdr_len);
		return -EINVAL;
	}
	if (!range_fits((uint64_t)btf->hdr_len + str_off, btf->strs_len, size)) {
		btf_msg(msg, msg_sz, "string section (offset %u, length %u) runs past the end (%u bytes)",
			str_off, btf->strs_len, size - btf->hdr_len);
		return -EINVAL;
	}
	btf->types = b + btf->hdr_len + type_off;
	btf->strs = (const char *)b + btf->hdr_len + str_off;
	if (btf->strs_len && btf->strs[btf->strs_len - 1] != '\0') {
		btf_msg(msg, msg_sz, "string section does not end with a NUL byte");
		return -EINVAL;
	}
	/*
	 * Standalone BTF's strings start with "" (name offset 0). Split BTF's
	 * continue its base's, so a file whose strings start otherwise is split
	 * BTF read without its base: every name would resolve wrongly. libbpf
	 * refuses it for the same reason.
	 */
	if (!btf->base && btf->strs_len && btf->strs[0] != '\0') {
		btf_msg(msg, msg_sz,
			"string section does not start with a NUL byte (split BTF without its base?)");
		return -EINVAL;
	}

	init_shapes(btf);
	btf->has_layout = false;
	/* Split BTF without a layout of its own shares its base's. */
	if (btf->base)
		memcpy(btf->shape, btf->base->shape, sizeof(btf->shape));
	if (btf->hdr_len >= BTF_HDR_LEN_LAYOUT) {
		uint32_t layout_off = read_u32(b + 24, btf->swapped);

		btf->layout_len = read_u32(b + 28, btf->swapped);
		if (btf->layout_len) {
			if (!range_fits((uint64_t)btf->hdr_len + layout_off, btf->layout_len, size)) {
				btf_msg(msg, msg_sz,
					"layout section (offset %u, length %u) runs past the end (%u bytes)",
					layout_off, btf->layout_len, size - btf->hdr_len);
				return -EINVAL;
			}
			btf->layout = b + btf->hdr_len + layout_off;
			btf->has_layout = true;
			err = parse_layout(btf, msg, msg_sz);
			if (err)
				return err;
		}
	}

	if (btf->base) {
		btf->start_id = btfkit_btf_type_count(btf->base);
		btf->start_str_off = btf->base->start_str_off + btf->base->strs_len;
	} else {
		btf->start_id = 1;
		btf->start_str_off = 0;
	}

	err = host_order_types(btf, msg, msg_sz);
	if (err)
		return err;
	/* One walk: it proves the structure and, unless deferred, records the offsets. */
	btf->lazy = lazy_index;
	if (!lazy_index)
		return btf->defer_names ? record_offsets(btf, false, NULL, msg, msg_sz)
					: build_index(btf, msg, msg_sz);
	/* A lazy object still finds types by id, from a sparse table of checkpoints. */
	btf->checkpoints = malloc(((size_t)btf->types_len / BTF_TYPE_SIZE / BTF_CHECKPOINT_EVERY + 1) *
				  sizeof(uint32_t));
	if (!btf->checkpoints)
		return -ENOMEM;
	err = walk_types(btf, NULL, false, NULL, &count, msg, msg_sz);
	if (err)
		return err;
	btf->nr_types = count;
	return 0;
}
