// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer target for the BTF engine and the dumpers (fuzz/run.sh builds it).
 *
 * The input is a BTF blob or an ELF image, opened as it is; and, a second
 * time, cut in two at a point chosen by its first byte: base BTF, then split
 * BTF opened on that base. Whatever opens goes through every public read
 * path: iteration, by-id access, names, the trailing data of every kind,
 * lookups by name, size/alignment/modifier resolution, both dumps, and
 * serialization.
 *
 * Besides the sanitizers, it checks invariants that must hold for any input
 * that opens, and abort()s when one does not (so the fuzzer reports it):
 *   - an eager and a lazy open of the same bytes dump identically;
 *   - iteration and by-id access see the same records;
 *   - btfkit_btf_find(name, kind) of a named type returns an id no larger
 *     than that type's, naming a type of that name and kind;
 *   - dumping type by type (btfkit_dump_type) gives the full dump's bytes;
 *   - the serialized bytes, in every byte order, open again and dump the same;
 *   - the C header, when it can be written, equals the one built type by
 *     type (btfkit_cdump_type).
 * Dumps are not kept: a sink folds them into a hash and a length.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <btfkit/btfkit.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                      \
	do {                                                                             \
		if (!(cond)) {                                                           \
			fprintf(stderr, "fuzz_btf: invariant failed at %s:%d: %s\n",     \
				__FILE__, __LINE__, #cond);                              \
			abort();                                                         \
		}                                                                        \
	} while (0)

/* A sink that keeps only a hash (FNV-1a, streaming) and a length of what it got. */
struct digest {
	uint64_t hash;
	uint64_t len;
};

static void digest_init(struct digest *d)
{
	d->hash = 0xcbf29ce484222325ull;
	d->len = 0;
}

static void digest_add(struct digest *d, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		d->hash ^= (uint8_t)p[i];
		d->hash *= 0x100000001b3ull;
	}
	d->len += n;
}

static int digest_write(void *ctx, const char *p, size_t n)
{
	digest_add(ctx, p, n);
	return 0;
}

static int digest_equal(const struct digest *a, const struct digest *b)
{
	return a->hash == b->hash && a->len == b->len;
}

/* Both dumps of one object. */
struct dumps {
	struct digest raw, json;
};

/* Keeps the compiler from dropping reads whose only purpose is to be checked by ASan. */
static volatile uint64_t sink_u64;

static void full_dumps(const struct btfkit_btf *btf, struct dumps *out)
{
	struct btfkit_dump_opts raw = { .sz = sizeof(raw), .format = BTFKIT_DUMP_RAW };
	struct btfkit_dump_opts json = { .sz = sizeof(json), .format = BTFKIT_DUMP_JSON };
	struct btfkit_sink s = { .write = digest_write };

	digest_init(&out->raw);
	digest_init(&out->json);
	s.ctx = &out->raw;
	CHECK(btfkit_dump(btf, &raw, &s) == 0);
	s.ctx = &out->json;
	CHECK(btfkit_dump(btf, &json, &s) == 0);
}

/* The full dumps rebuilt from one btfkit_dump_type() call per own type. */
static void per_type_dumps(const struct btfkit_btf *btf, struct dumps *out)
{
	uint32_t start = btfkit_btf_start_id(btf), end = btfkit_btf_type_count(btf);
	struct btfkit_sink s = { .write = digest_write };

	digest_init(&out->raw);
	digest_init(&out->json);
	digest_add(&out->json, "{\"types\":[", 10);
	for (uint32_t id = start; id < end; id++) {
		s.ctx = &out->raw;
		CHECK(btfkit_dump_type(btf, id, BTFKIT_DUMP_RAW, &s) == 0);
		if (id != start)
			digest_add(&out->json, ",", 1);
		s.ctx = &out->json;
		CHECK(btfkit_dump_type(btf, id, BTFKIT_DUMP_JSON, &s) == 0);
	}
	digest_add(&out->json, "]}\n", 3);
}

/*
 * The C dump: the whole header, sorted and not, type by type, and every
 * declarator. A header that can be written equals the preamble, one
 * btfkit_cdump_type() per id, and the epilogue.
 */
static const char c_preamble[] =
	"#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
	"#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n"
	"#endif\n\n";
static const char c_epilogue[] =
	"#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n"
	"#endif /* __VMLINUX_H__ */\n";

/* Small inputs can ask for gigabytes of C: a fuzzing run looks at the first few. */
#define C_WORK (1u << 20)
#define C_BYTES (4u << 20)

static int capped_digest_write(void *ctx, const char *p, size_t n)
{
	struct digest *d = ctx;

	if (d->len + n > C_BYTES)
		return -EFBIG;
	digest_add(d, p, n);
	return 0;
}

static void c_dumps(const struct btfkit_btf *btf)
{
	struct btfkit_cdump_header_opts o = { .sz = sizeof(o), .max_work = C_WORK };
	struct btfkit_cdump_opts co = { .sz = sizeof(co), .max_work = C_WORK };
	uint32_t count = btfkit_btf_type_count(btf);
	struct digest whole, parts;
	struct btfkit_sink s = { .write = capped_digest_write, .ctx = &whole };
	struct btfkit_cdump *d;
	int err;

	digest_init(&whole);
	err = btfkit_cdump_header(btf, &o, &s);
	CHECK(err == 0 || err == -ELOOP || err == -E2BIG || err == -EINVAL || err == -EFBIG);
	o.flags = BTFKIT_CDUMP_SORT | BTFKIT_CDUMP_ENUM_MODE;
	digest_init(&parts);
	s.ctx = &parts;
	sink_u64 = (uint64_t)btfkit_cdump_header(btf, &o, &s);

	digest_init(&parts);
	d = btfkit_cdump_new(btf, &s, &co);
	CHECK(!d == (err == -EINVAL));
	if (!d)
		return;
	if (err == 0) {
		digest_add(&parts, c_preamble, sizeof(c_preamble) - 1);
		for (uint32_t id = 1; id < count; id++)
			CHECK(btfkit_cdump_type(d, id) == 0);
		digest_add(&parts, c_epilogue, sizeof(c_epilogue) - 1);
		CHECK(digest_equal(&whole, &parts));
	}
	for (uint32_t id = 0; id < count; id++) {
		struct btfkit_cdump_decl_opts dopts = {
			.sz = sizeof(dopts), .field_name = "x", .indent = id % 16, .strip_mods = id & 1,
		};

		sink_u64 = (uint64_t)btfkit_cdump_decl(d, id, &dopts);
	}
	btfkit_cdump_free(d);
}

/* Read a type's trailing data through the public accessors, as a user would. */
static void read_type(const struct btfkit_btf *btf, const struct btfkit_type *t)
{
	unsigned kind = btfkit_type_kind(t), vlen = btfkit_type_vlen(t);
	uint64_t acc = t->name_off ^ t->size ^ (uint64_t)btfkit_type_kflag(t);
	const char *s;

	switch (kind) {
	case BTFKIT_KIND_INT:
		acc += btfkit_int_encoding(t) + btfkit_int_offset(t) + btfkit_int_bits(t);
		break;
	case BTFKIT_KIND_ARRAY: {
		const struct btfkit_array *a = btfkit_type_array(t);

		acc += a->type + a->index_type + a->nelems;
		break;
	}
	case BTFKIT_KIND_STRUCT:
	case BTFKIT_KIND_UNION:
		for (unsigned i = 0; i < vlen; i++) {
			const struct btfkit_member *m = &btfkit_type_members(t)[i];

			acc += m->type + btfkit_member_bit_offset(t, i) +
			       btfkit_member_bitfield_size(t, i);
			s = btfkit_btf_str(btf, m->name_off);
			acc += s ? strlen(s) : 0;
		}
		break;
	case BTFKIT_KIND_ENUM:
		for (unsigned i = 0; i < vlen; i++) {
			const struct btfkit_enum *e = &btfkit_type_enums(t)[i];

			acc += (uint32_t)e->val;
			s = btfkit_btf_str(btf, e->name_off);
			acc += s ? strlen(s) : 0;
		}
		break;
	case BTFKIT_KIND_ENUM64:
		for (unsigned i = 0; i < vlen; i++) {
			const struct btfkit_enum64 *e = &btfkit_type_enums64(t)[i];

			acc += btfkit_enum64_value(e);
			s = btfkit_btf_str(btf, e->name_off);
			acc += s ? strlen(s) : 0;
		}
		break;
	case BTFKIT_KIND_FUNC_PROTO:
		for (unsigned i = 0; i < vlen; i++) {
			const struct btfkit_param *p = &btfkit_type_params(t)[i];

			acc += p->type;
			s = btfkit_btf_str(btf, p->name_off);
			acc += s ? strlen(s) : 0;
		}
		break;
	case BTFKIT_KIND_VAR:
		acc += btfkit_var_linkage(t);
		break;
	case BTFKIT_KIND_DATASEC:
		for (unsigned i = 0; i < vlen; i++) {
			const struct btfkit_var_secinfo *v = &btfkit_type_secinfos(t)[i];

			acc += v->type + v->offset + v->size;
		}
		break;
	case BTFKIT_KIND_DECL_TAG:
		acc += (uint32_t)btfkit_decl_tag_component(t);
		break;
	default:
		break;
	}
	acc += strlen(btfkit_kind_name(kind));
	sink_u64 = acc;
}

/* A type's name read from the strings of the object (split or base) that holds the type. */
static const char *owner_name(const struct btfkit_btf *btf, uint32_t id)
{
	while (id < btfkit_btf_start_id(btf))
		btf = btfkit_btf_base(btf);
	return btfkit_btf_name(btf, id);
}

/* Every read path over one opened object; returns its dumps for comparisons. */
static void exercise(const struct btfkit_btf *btf, struct dumps *out)
{
	uint32_t start = btfkit_btf_start_id(btf), count = btfkit_btf_type_count(btf);
	struct btfkit_btf_cursor cur = { 0 };
	const struct btfkit_type *t;
	struct dumps again;
	uint32_t seen = 0;

	/* Dump first: on a lazy object this is the one pass it is meant for. */
	full_dumps(btf, out);

	CHECK(start >= 1 && count >= start);
	sink_u64 = btfkit_btf_swapped(btf) + btfkit_btf_hdr_len(btf) + btfkit_btf_has_layout(btf);

	/* Iteration and by-id access must agree record for record. */
	while ((t = btfkit_btf_next(btf, &cur)) != NULL) {
		CHECK(cur.id == start + seen);
		CHECK(btfkit_btf_type(btf, cur.id) == t);
		seen++;
	}
	CHECK(start + seen == count);
	CHECK(btfkit_btf_type(btf, count) == NULL);

	for (uint32_t id = 0; id < count; id++) {
		const char *name;
		int64_t found;

		t = btfkit_btf_type(btf, id);
		CHECK(t != NULL);
		read_type(btf, t);
		name = btfkit_btf_name(btf, id);
		sink_u64 = name ? strlen(name) : 0;

		sink_u64 = (uint64_t)btfkit_btf_resolve_size(btf, id);
		sink_u64 = (uint64_t)btfkit_btf_align(btf, id);
		sink_u64 = (uint64_t)btfkit_btf_skip_mods(btf, id);

		/*
		 * The index gives the smallest id with this name and kind. It names
		 * a type from the strings of the object that holds it; the name
		 * read through a split object can differ for a base type whose
		 * offset lies past its base's strings (malformed base BTF).
		 */
		if (id == 0 || t->name_off == 0)
			continue;
		name = owner_name(btf, id);
		if (!name)
			continue;
		found = btfkit_btf_find(btf, name, (int)btfkit_type_kind(t));
		if (!(found > 0 && found <= id))
			fprintf(stderr, "fuzz_btf: find('%s', %s) = %lld for [%u] (start id %u)\n",
				name, btfkit_kind_name(btfkit_type_kind(t)), (long long)found, id,
				start);
		CHECK(found > 0 && found <= id);
		CHECK(btfkit_type_kind(btfkit_btf_type(btf, (uint32_t)found)) ==
		      btfkit_type_kind(t));
		CHECK(strcmp(owner_name(btf, (uint32_t)found), name) == 0);
		found = btfkit_btf_find(btf, name, -1);
		if (!(found > 0 && found <= id))
			fprintf(stderr, "fuzz_btf: find('%s', any kind) = %lld for [%u] (start id %u)\n",
				name, (long long)found, id, start);
		CHECK(found > 0 && found <= id);
		found = btfkit_btf_find_next(btf, name, (int)btfkit_type_kind(t), id);
		CHECK(found < 0 || (found > id && found < count));
	}

	/* After all the lookups (which index a lazy object), the dumps are the same. */
	full_dumps(btf, &again);
	CHECK(digest_equal(&again.raw, &out->raw) && digest_equal(&again.json, &out->json));
	per_type_dumps(btf, &again);
	CHECK(digest_equal(&again.raw, &out->raw) && digest_equal(&again.json, &out->json));
	c_dumps(btf);
}

/* Serialize in every byte order; each must open again (on the same base) and dump the same. */
static void roundtrip(const struct btfkit_btf *btf, const struct dumps *want)
{
	static const enum btfkit_byte_order orders[] = {
		BTFKIT_ORDER_AS_READ, BTFKIT_ORDER_LITTLE, BTFKIT_ORDER_BIG,
	};

	for (size_t i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
		char msg[256] = "";
		struct btfkit_open_opts o = {
			.sz = sizeof(o), .base = btfkit_btf_base(btf), .msg = msg, .msg_sz = sizeof(msg),
		};
		struct btfkit_btf *again;
		struct dumps got;
		void *bytes = NULL;
		size_t len = 0;

		CHECK(btfkit_btf_serialize(btf, orders[i], &bytes, &len) == 0);
		again = btfkit_btf_open_mem(bytes, len, &o);
		if (!again)
			fprintf(stderr, "fuzz_btf: serialized BTF does not open: %s\n", msg);
		CHECK(again != NULL);
		CHECK(btfkit_btf_type_count(again) == btfkit_btf_type_count(btf));
		full_dumps(again, &got);
		CHECK(digest_equal(&got.raw, &want->raw) && digest_equal(&got.json, &want->json));
		btfkit_btf_free(again);
		free(bytes);
	}
}

/*
 * Open these bytes eagerly and lazily (on `base`, which may be NULL), run
 * everything on both, and check that they agree. Returns 1 if the bytes open.
 */
static int fuzz_one(const uint8_t *data, size_t size, const struct btfkit_btf *base)
{
	struct btfkit_open_opts o = { .sz = sizeof(o), .base = base };
	struct btfkit_btf *eager, *lazy;
	struct dumps de, dl;

	eager = btfkit_btf_open_mem(data, size, &o);
	o.flags = BTFKIT_OPEN_LAZY_INDEX;
	lazy = btfkit_btf_open_mem(data, size, &o);
	/* Laziness defers work, not checks: both open or neither does. */
	CHECK(!eager == !lazy);
	if (!eager)
		return 0;
	exercise(eager, &de);
	exercise(lazy, &dl);
	CHECK(digest_equal(&de.raw, &dl.raw) && digest_equal(&de.json, &dl.json));
	roundtrip(eager, &de);
	roundtrip(lazy, &dl);
	btfkit_btf_free(lazy);
	btfkit_btf_free(eager);
	return 1;
}

/*
 * The validator on the same bytes, standalone and split: a verdict always,
 * consistent with itself (an accepted blob has no message, a rejected one has
 * one and the kernel's errno), and the same verdict on a second run.
 */
static void validate_one(const uint8_t *data, size_t size, const struct btfkit_btf *base)
{
	struct btfkit_validate_opts o = { .sz = sizeof(o), .kernel = BTFKIT_KERNEL_VERSION(6, 18, 0) };
	struct btfkit_verdict v, again;
	int err = btfkit_validate_mem(data, size, base, &o, &v);

	if (err)
		return; /* a base that does not validate, or no memory */
	CHECK(v.valid == 1 || v.valid == 0);
	CHECK(v.valid ? v.err == 0 && !v.message[0] : v.err < 0);
	CHECK(memchr(v.log, 0, sizeof(v.log)) != NULL);
	CHECK(btfkit_validate_mem(data, size, base, &o, &again) == 0);
	CHECK(again.valid == v.valid && again.err == v.err && again.type_id == v.type_id);
	CHECK(strcmp(again.message, v.message) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;
	size_t cut;

	/*
	 * A private copy of exactly `size` bytes: libelf may write to an image it
	 * is given, and ASan then catches any read one byte past the end.
	 */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	fuzz_one(copy, size, NULL);
	validate_one(copy, size, NULL);
	free(copy);

	/* Base + split: the first byte says where the base ends, as a fraction of the rest. */
	if (size < 2)
		return 0;
	cut = (size - 1) * data[0] / 255;
	for (int mode = 0; mode < 2; mode++) {
		struct btfkit_open_opts o = {
			.sz = sizeof(o), .flags = mode ? BTFKIT_OPEN_LAZY_INDEX : 0,
		};
		uint8_t *base_bytes = malloc(cut ? cut : 1), *split_bytes = malloc(size - 1 - cut + 1);
		struct btfkit_btf *base;

		if (!base_bytes || !split_bytes) {
			free(base_bytes);
			free(split_bytes);
			return 0;
		}
		memcpy(base_bytes, data + 1, cut);
		memcpy(split_bytes, data + 1 + cut, size - 1 - cut);
		base = btfkit_btf_open_mem(base_bytes, cut, &o);
		if (base) {
			fuzz_one(split_bytes, size - 1 - cut, base);
			if (!mode)
				validate_one(split_bytes, size - 1 - cut, base);
		}
		btfkit_btf_free(base);
		free(base_bytes);
		free(split_bytes);
	}
	return 0;
}
