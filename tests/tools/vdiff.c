// SPDX-License-Identifier: BSD-2-Clause
/*
 * vdiff: btfkit's validator against the running kernel's, case by case.
 *
 *   vdiff [-n CASES] [-s SEED] [-v] BLOB...
 *
 * Each BLOB (raw, standalone BTF) is checked as it is, then CASES mutated
 * copies are made from the blobs in turn (bit flips, truncation, header
 * fields, kinds, vlen, names, sizes, ids, members and bitfields, loops, tag
 * order, ...). Every case goes to btfkit_validate_mem() and to the kernel's
 * bpf(BPF_BTF_LOAD); they must agree on the verdict, on the errno, and, when
 * the kernel rejects, its verifier log must end with the very lines btfkit
 * renders (the message, the type id, the member).
 *
 * Prints one line per disagreement, a table of the kernel's messages seen,
 * and "N passed, N failed" (cases). Exit 0 when all agree, 1 otherwise, 77
 * when bpf() is not available (not root, or no BTF_LOAD): the caller skips.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>

#include <btfkit/btfkit.h>

#include "btf_builder.h"

#define LOG_SIZE (64u << 20)

static char *klog;
static int verbose;

/* ---- the kernel ---- */

static int btf_load(const void *data, uint32_t size, unsigned level)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.btf = (uint64_t)(uintptr_t)data;
	attr.btf_size = size;
	if (level) {
		klog[0] = '\0';
		attr.btf_log_buf = (uint64_t)(uintptr_t)klog;
		attr.btf_log_size = LOG_SIZE;
		attr.btf_log_level = level;
	}
	return (int)syscall(SYS_bpf, BPF_BTF_LOAD, &attr, sizeof(attr));
}

/* The kernel's errno (0: accepted), and its log when it rejects. */
static int kernel_verdict(const void *data, uint32_t size)
{
	int fd = btf_load(data, size, 0), err;

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	err = -errno;
	/* Again with a log, for the words: its errno may be ENOSPC if the log is long. */
	fd = btf_load(data, size, 1);
	if (fd >= 0)
		close(fd);
	return err;
}

/* Do the last lines of `log` equal `tail` (both without trailing newlines)? */
static int log_ends_with(const char *log, const char *tail)
{
	size_t ll = strlen(log), tl = strlen(tail);

	while (ll && log[ll - 1] == '\n')
		ll--;
	while (tl && tail[tl - 1] == '\n')
		tl--;
	if (tl > ll || memcmp(log + ll - tl, tail, tl) != 0)
		return 0;
	return ll == tl || log[ll - tl - 1] == '\n';
}

static int log_has_message(const char *log, const char *msg)
{
	size_t ll = strlen(log), ml = strlen(msg);

	while (ll && log[ll - 1] == '\n')
		ll--;
	return ml <= ll && memcmp(log + ll - ml, msg, ml) == 0;
}

/* ---- mutations ---- */

static uint64_t rng_state;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

struct blob {
	const char *name;
	uint8_t *data;
	uint32_t size;
	uint32_t hdr_len, type_off, type_len, str_off, str_len;
	uint32_t nr_types;
	uint32_t *offs; /* byte offset of type i+1 in data */
};

struct ccase {
	uint8_t *data;
	uint32_t size, cap;
	char what[160];
};

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static void wr32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* An interesting 32-bit value near `v`, or a special one. */
static uint32_t near(uint32_t v, uint32_t bound)
{
	switch (below(8)) {
	case 0:
		return v + 1;
	case 1:
		return v - 1;
	case 2:
		return 0;
	case 3:
		return below(bound + 2);
	case 4:
		return 0xffffffffu;
	case 5:
		return v ^ (1u << below(32));
	case 6:
		return bound;
	}
	return rnd();
}

static struct btfkit_type *type_at(struct ccase *c, const struct blob *b, uint32_t id)
{
	return (struct btfkit_type *)(c->data + b->offs[id - 1]);
}

static uint32_t pick_type(const struct blob *b, int kind)
{
	/* A type of this kind if there is one within a few tries, else any. */
	for (int tries = 0; tries < 64 && kind >= 0; tries++) {
		uint32_t id = 1 + below(b->nr_types);
		const struct btfkit_type *t = (const struct btfkit_type *)(b->data + b->offs[id - 1]);

		if ((int)btfkit_type_kind(t) == kind)
			return id;
	}
	return 1 + below(b->nr_types);
}

/* Append a string to the string section (at the end of the blob). */
static uint32_t add_string(struct ccase *c, const char *s)
{
	size_t n = strlen(s) + 1;
	uint32_t str_len = rd32(c->data + 20), off = str_len;

	if (c->size + n > c->cap)
		return 0;
	memcpy(c->data + c->size, s, n);
	c->size += (uint32_t)n;
	wr32(c->data + 20, str_len + (uint32_t)n);
	return off;
}

static const char *const bad_names[] = {
	"a-b", "1abc", ".dot", "x.isra.0", "", "sp ace", "\xc3\xa9t\xc3\xa9", "tab\there",
	"_ok", "\x7f", "\xa0nbsp", "\xd7times", "ok_name", "$dollar", "a.b.c", "__u32",
};

static uint32_t some_name(struct ccase *c, const struct blob *b)
{
	char longname[700];

	switch (below(6)) {
	case 0:
		return 0;
	case 1:
		return below(b->str_len);
	case 2:
		return b->str_len + below(16);
	case 3: {
		size_t n = below(2) ? 511 + below(3) : 126 + below(4);

		memset(longname, 'a', n);
		longname[n] = '\0';
		return add_string(c, longname);
	}
	}
	return add_string(c, bad_names[below(sizeof(bad_names) / sizeof(bad_names[0]))]);
}

static uint32_t some_id(const struct blob *b, uint32_t self)
{
	switch (below(6)) {
	case 0:
		return self;
	case 1:
		return 0;
	case 2:
		return b->nr_types + below(3);
	case 3:
		return 0x100000 + below(2);
	}
	return 1 + below(b->nr_types);
}

static void mutate_type(struct ccase *c, const struct blob *b)
{
	static const int kinds[] = { -1, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 13, 14, 15, 16, 17, 18, 19 };
	uint32_t id = pick_type(b, kinds[below(sizeof(kinds) / sizeof(kinds[0]))]);
	struct btfkit_type *t = type_at(c, b, id);
	/* Kind and vlen as in the original: an earlier mutation may have changed them. */
	const struct btfkit_type *orig = (const struct btfkit_type *)(b->data + b->offs[id - 1]);
	unsigned kind = btfkit_type_kind(orig), vlen = btfkit_type_vlen(orig);
	uint32_t v;

	switch (below(12)) {
	case 0:
		v = below(4) ? below(20) : below(32);
		t->info = (t->info & ~(0x1fu << 24)) | (v << 24);
		snprintf(c->what, sizeof(c->what), "[%u] kind := %u", id, v);
		return;
	case 1:
		t->info ^= 1u << 31;
		snprintf(c->what, sizeof(c->what), "[%u] kind_flag toggled", id);
		return;
	case 2:
		v = near(vlen, 4) & 0xffff;
		t->info = (t->info & ~0xffffu) | v;
		snprintf(c->what, sizeof(c->what), "[%u] vlen := %u", id, v);
		return;
	case 3:
		t->info |= 1u << (16 + below(8));
		snprintf(c->what, sizeof(c->what), "[%u] unused info bit set", id);
		return;
	case 4:
		t->name_off = some_name(c, b);
		snprintf(c->what, sizeof(c->what), "[%u] name_off := %u", id, t->name_off);
		return;
	case 5:
		t->size = some_id(b, id);
		if (below(3) == 0)
			t->size = near(t->size, 64);
		snprintf(c->what, sizeof(c->what), "[%u] size/type := %u", id, t->size);
		return;
	}
	/* Trailing data, by kind. */
	v = vlen ? below(vlen) : 0;
	switch (kind) {
	case BTFKIT_KIND_INT: {
		uint32_t *data = (uint32_t *)(t + 1);

		*data = below(2) ? near(*data, 128) : (*data & 0xff00ffffu) | (below(130) << 16);
		snprintf(c->what, sizeof(c->what), "[%u] int data := %#x", id, *data);
		return;
	}
	case BTFKIT_KIND_ARRAY: {
		struct btfkit_array *a = (struct btfkit_array *)(t + 1);
		uint32_t *f = below(3) == 0 ? &a->type : below(2) ? &a->index_type : &a->nelems;

		*f = f == &a->nelems ? near(*f, 1u << 30) : some_id(b, id);
		snprintf(c->what, sizeof(c->what), "[%u] array field := %u", id, *f);
		return;
	}
	case BTFKIT_KIND_STRUCT:
	case BTFKIT_KIND_UNION: {
		struct btfkit_member *m = (struct btfkit_member *)(t + 1) + v;

		if (!vlen)
			break;
		switch (below(4)) {
		case 0:
			m->type = some_id(b, id);
			break;
		case 1:
			m->name_off = some_name(c, b);
			break;
		case 2:
			m->offset = near(m->offset, t->size * 8);
			break;
		default:
			/* A bitfield size and bit offset, as kind_flag structs carry them. */
			m->offset = (below(70) << 24) | (below(2) ? m->offset & 0xffffff : below(t->size * 8 + 9));
		}
		snprintf(c->what, sizeof(c->what), "[%u] member %u := {%u,%u,%#x}", id, v,
			 m->name_off, m->type, m->offset);
		return;
	}
	case BTFKIT_KIND_ENUM:
	case BTFKIT_KIND_ENUM64:
		if (below(2)) {
			static const uint32_t sizes[] = { 0, 1, 2, 3, 4, 6, 8, 16 };

			t->size = sizes[below(8)];
			snprintf(c->what, sizeof(c->what), "[%u] enum size := %u", id, t->size);
		} else if (vlen) {
			uint32_t *name = (uint32_t *)((uint8_t *)(t + 1) +
						      v * (kind == BTFKIT_KIND_ENUM ? 8 : 12));

			*name = some_name(c, b);
			snprintf(c->what, sizeof(c->what), "[%u] enumerator %u name := %u", id, v, *name);
		}
		return;
	case BTFKIT_KIND_FUNC_PROTO:
		if (vlen) {
			struct btfkit_param *p = (struct btfkit_param *)(t + 1) + v;

			if (below(2))
				p->type = some_id(b, id);
			else
				p->name_off = some_name(c, b);
			snprintf(c->what, sizeof(c->what), "[%u] param %u := {%u,%u}", id, v,
				 p->name_off, p->type);
			return;
		}
		break;
	case BTFKIT_KIND_VAR: {
		uint32_t *linkage = (uint32_t *)(t + 1);

		*linkage = below(4);
		snprintf(c->what, sizeof(c->what), "[%u] linkage := %u", id, *linkage);
		return;
	}
	case BTFKIT_KIND_DATASEC:
		if (vlen) {
			struct btfkit_var_secinfo *vs = (struct btfkit_var_secinfo *)(t + 1) + v;
			uint32_t *f = below(3) == 0 ? &vs->type : below(2) ? &vs->offset : &vs->size;

			*f = f == &vs->type ? some_id(b, id) : near(*f, t->size);
			snprintf(c->what, sizeof(c->what), "[%u] secinfo %u := {%u,%u,%u}", id, v,
				 vs->type, vs->offset, vs->size);
			return;
		}
		break;
	case BTFKIT_KIND_DECL_TAG: {
		int32_t *idx = (int32_t *)(t + 1);

		*idx = (int32_t)below(8) - 3;
		snprintf(c->what, sizeof(c->what), "[%u] component_idx := %d", id, *idx);
		return;
	}
	case BTFKIT_KIND_FUNC:
		t->info = (t->info & ~0xffffu) | below(4);
		snprintf(c->what, sizeof(c->what), "[%u] linkage := %u", id, t->info & 0xffff);
		return;
	}
	t->size = some_id(b, id);
	snprintf(c->what, sizeof(c->what), "[%u] size/type := %u", id, t->size);
}

/* References that make cycles, or put a modifier before a type tag. */
static void mutate_graph(struct ccase *c, const struct blob *b)
{
	uint32_t a = 1 + below(b->nr_types), z = 1 + below(b->nr_types);
	struct btfkit_type *ta = type_at(c, b, a);
	const struct btfkit_type *orig = (const struct btfkit_type *)(b->data + b->offs[a - 1]);
	unsigned k = btfkit_type_kind(orig);

	if ((k == BTFKIT_KIND_STRUCT || k == BTFKIT_KIND_UNION) && btfkit_type_vlen(orig)) {
		struct btfkit_member *m = (struct btfkit_member *)(ta + 1);

		m[below(btfkit_type_vlen(orig))].type = below(2) ? a : z;
		snprintf(c->what, sizeof(c->what), "[%u] member type := self or [%u]", a, z);
		return;
	}
	if (k == BTFKIT_KIND_ARRAY) {
		((struct btfkit_array *)(ta + 1))->type = below(2) ? a : z;
		snprintf(c->what, sizeof(c->what), "[%u] array elem := self or [%u]", a, z);
		return;
	}
	ta->type = below(3) == 0 ? a : z;
	snprintf(c->what, sizeof(c->what), "[%u] (kind %u) type := [%u]", a, k, ta->type);
}

static void mutate_header(struct ccase *c, const struct blob *b)
{
	unsigned f = below(9);

	switch (f) {
	case 0:
		c->data[below(2)] ^= (uint8_t)(1u << below(8));
		snprintf(c->what, sizeof(c->what), "magic byte flipped");
		return;
	case 1:
		c->data[2] = (uint8_t)below(3);
		snprintf(c->what, sizeof(c->what), "version := %u", c->data[2]);
		return;
	case 2:
		c->data[3] = (uint8_t)below(3);
		snprintf(c->what, sizeof(c->what), "flags := %u", c->data[3]);
		return;
	}
	/* hdr_len, type_off, type_len, str_off, str_len: offsets 4..20. */
	{
		uint32_t at = 4 + 4 * ((f - 3) % 5), v = near(rd32(c->data + at), b->size);

		wr32(c->data + at, v);
		snprintf(c->what, sizeof(c->what), "header word at %u := %u", at, v);
	}
}

static void make_case(struct ccase *c, const struct blob *b)
{
	unsigned what = below(20);

	memcpy(c->data, b->data, b->size);
	c->size = b->size;
	c->what[0] = '\0';
	if (what == 0) {
		c->size = below(b->size);
		snprintf(c->what, sizeof(c->what), "truncated to %u", c->size);
	} else if (what < 3) {
		for (unsigned i = 0, n = 1 + below(3); i < n; i++) {
			uint32_t at = b->hdr_len + b->type_off + below(b->type_len + b->str_len);

			if (at < c->size)
				c->data[at] ^= (uint8_t)(1u << below(8));
		}
		snprintf(c->what, sizeof(c->what), "bits flipped");
	} else if (what < 5) {
		mutate_header(c, b);
	} else if (what < 8) {
		mutate_graph(c, b);
	} else if (what == 8) {
		/* A byte of the string section made something else. */
		uint32_t at = b->hdr_len + b->str_off + below(b->str_len);
		static const uint8_t bytes[] = { 0, '-', '.', ' ', 0x80, 0xe9, '1', 0x7f };

		c->data[at] = bytes[below(sizeof(bytes))];
		snprintf(c->what, sizeof(c->what), "string byte %u := %#x", at, c->data[at]);
	} else {
		mutate_type(c, b);
		if (below(6) == 0) {
			char first[160];

			snprintf(first, sizeof(first), "%s", c->what);
			mutate_type(c, b);
			snprintf(c->what + strlen(c->what), sizeof(c->what) - strlen(c->what),
				 "; %.60s", first);
		}
	}
}

/* ---- blobs ---- */

static int load_blob(const char *path, struct blob *b)
{
	FILE *f = fopen(path, "rb");
	struct btfkit_btf *btf;
	long n;

	memset(b, 0, sizeof(*b));
	b->name = path;
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 24 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "vdiff: %s: cannot read\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	b->data = malloc((size_t)n);
	if (!b->data || fread(b->data, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(b->data);
		b->data = NULL;
		return -1;
	}
	fclose(f);
	b->size = (uint32_t)n;
	b->hdr_len = rd32(b->data + 4);
	b->type_off = rd32(b->data + 8);
	b->type_len = rd32(b->data + 12);
	b->str_off = rd32(b->data + 16);
	b->str_len = rd32(b->data + 20);
	btf = btfkit_btf_open_mem(b->data, b->size, NULL);
	if (!btf) {
		fprintf(stderr, "vdiff: %s: not BTF btfkit can open\n", path);
		free(b->data);
		b->data = NULL;
		return -1;
	}
	/* The count includes void (id 0). */
	b->nr_types = btfkit_btf_type_count(btf) - 1;
	b->offs = malloc((b->nr_types + 1) * sizeof(*b->offs));
	for (uint32_t id = 1; id <= b->nr_types; id++)
		b->offs[id - 1] = (uint32_t)((const uint8_t *)btfkit_btf_type(btf, id) - b->data);
	btfkit_btf_free(btf);
	if (!b->nr_types) {
		free(b->data);
		free(b->offs);
		return -1;
	}
	return 0;
}

/* ---- the comparison ---- */

struct tally {
	char msg[64];
	unsigned n;
};
static struct tally tallies[128];
static unsigned nr_tallies;

static void count_message(const char *msg)
{
	char key[128];
	unsigned i;

	/* Numbers vary; the message's words are what is counted. */
	snprintf(key, sizeof(key), "%.60s", msg);
	key[strcspn(key, ":0123456789")] = '\0';
	for (i = 0; i < nr_tallies; i++) {
		if (strcmp(tallies[i].msg, key) == 0) {
			tallies[i].n++;
			return;
		}
	}
	if (nr_tallies < 128) {
		snprintf(tallies[nr_tallies].msg, sizeof(tallies[0].msg), "%.60s", key);
		tallies[nr_tallies++].n = 1;
	}
}

static int check_case(const char *name, const uint8_t *data, uint32_t size, const char *what)
{
	struct btfkit_verdict v;
	int kerr = kernel_verdict(data, size), rc;

	rc = btfkit_validate_mem(data, size, NULL, NULL, &v);
	if (rc < 0) {
		printf("DISAGREE %s (%s): btfkit could not validate: %s\n", name, what, strerror(-rc));
		return 0;
	}
	if (kerr)
		count_message(v.valid ? "(btfkit: valid)" : v.message);
	if (kerr == 0 && v.valid) {
		if (verbose > 1)
			printf("AGREE %s (%s): valid\n", name, what);
		return 1;
	}
	/* A log too long for the verdict's buffer: its last line must hold the message. */
	if (kerr && !v.valid && kerr == v.err &&
	    (v.log_truncated ? log_has_message(klog, v.message) : log_ends_with(klog, v.log))) {
		if (verbose > 1) {
			size_t l = strlen(klog);

			printf("AGREE %s (%s)\n    kernel: ...%s\n    btfkit: %s\n", name, what,
			       klog + (l > 160 ? l - 160 : 0), v.log);
		}
		return 1;
	}
	printf("DISAGREE %s (%s): kernel %s, btfkit %s", name, what,
	       kerr ? strerror(-kerr) : "accepts", v.valid ? "accepts" : "rejects");
	if (!v.valid)
		printf(" (err %d, [%u] %s)", v.err, v.type_id, v.message);
	printf("\n");
	if (kerr && verbose) {
		size_t l = strlen(klog);
		const char *tail = klog + (l > 300 ? l - 300 : 0);

		printf("    kernel log tail: ...%s\n    btfkit log: %s\n", tail, v.log);
	}
	return 0;
}

/*
 * Aimed at the validator's work-ahead thread, which runs on large BTF only
 * (kernel BTF): failures it meets first and the ordered pass must still
 * report as the kernel does, near the start, the middle and the end of the
 * types concerned. Each is one case against the kernel, like the random ones.
 */
static const struct btfkit_type *blob_type(const struct blob *b, uint32_t id)
{
	return id && id <= b->nr_types ? (const struct btfkit_type *)(b->data + b->offs[id - 1])
				       : NULL;
}

enum aim { AIM_UNNAMED_PARAM, AIM_FUNC_NOT_PROTO, AIM_TAG_AFTER_MODIFIER, AIM_BAD_MEMBER_NAME,
	   AIM_MID_STRING_NAME, AIM_COUNT };

/* Can type `id` carry mutation `aim`? */
static bool aimable(const struct blob *b, uint32_t id, enum aim aim)
{
	const struct btfkit_type *t = blob_type(b, id), *to;
	unsigned k = btfkit_type_kind(t);

	switch (aim) {
	case AIM_UNNAMED_PARAM:
		to = blob_type(b, t->type);
		return k == BTFKIT_KIND_FUNC && to && btfkit_type_kind(to) == BTFKIT_KIND_FUNC_PROTO &&
		       btfkit_type_vlen(to) && btfkit_type_params(to)[0].name_off;
	case AIM_FUNC_NOT_PROTO:
		return k == BTFKIT_KIND_FUNC;
	case AIM_TAG_AFTER_MODIFIER:
		to = blob_type(b, t->type);
		return (k == BTFKIT_KIND_TYPEDEF || k == BTFKIT_KIND_VOLATILE || k == BTFKIT_KIND_CONST) &&
		       to && btfkit_type_kind(to) == BTFKIT_KIND_CONST;
	case AIM_BAD_MEMBER_NAME:
	case AIM_MID_STRING_NAME:
		return k == BTFKIT_KIND_STRUCT && btfkit_type_vlen(t) && btfkit_type_members(t)[0].name_off;
	case AIM_COUNT:
		break;
	}
	return false;
}

/* The `nth` type (counting from 0) that can carry `aim`, or the last one; 0: none. */
static uint32_t aim_at(const struct blob *b, enum aim aim, uint32_t nth, uint32_t *count)
{
	uint32_t last = 0, seen = 0;

	for (uint32_t id = 1; id <= b->nr_types; id++) {
		if (!aimable(b, id, aim))
			continue;
		if (count) {
			seen++;
			continue;
		}
		last = id;
		if (seen++ == nth)
			break;
	}
	if (count)
		*count = seen;
	return last;
}

static void aimed_case(struct ccase *c, const struct blob *b, enum aim aim, uint32_t id)
{
	const struct btfkit_type *t = blob_type(b, id);
	uint32_t off;
	uint8_t *p;

	memcpy(c->data, b->data, b->size);
	c->size = b->size;
	switch (aim) {
	case AIM_UNNAMED_PARAM:
		p = (uint8_t *)btfkit_type_params(type_at(c, b, t->type));
		wr32(p, 0);
		snprintf(c->what, sizeof(c->what), "aimed: prototype [%u] of FUNC [%u], param 1 unnamed",
			 t->type, id);
		break;
	case AIM_FUNC_NOT_PROTO:
		/* Its own id: a FUNC is no prototype. */
		type_at(c, b, id)->type = id;
		snprintf(c->what, sizeof(c->what), "aimed: FUNC [%u] typed as itself", id);
		break;
	case AIM_TAG_AFTER_MODIFIER: {
		struct btfkit_type *tag = type_at(c, b, t->type);

		tag->info = (uint32_t)BTFKIT_KIND_TYPE_TAG << 24;
		/* Named like a member: a valid identifier. */
		tag->name_off = btfkit_type_members(blob_type(b, aim_at(b, AIM_BAD_MEMBER_NAME, 0, NULL)))[0].name_off;
		snprintf(c->what, sizeof(c->what), "aimed: [%u] points to [%u], made a TYPE_TAG", id,
			 t->type);
		break;
	}
	case AIM_BAD_MEMBER_NAME:
		off = btfkit_type_members(t)[0].name_off;
		c->data[b->hdr_len + b->str_off + off] = '-';
		snprintf(c->what, sizeof(c->what), "aimed: string %u (member 1 of [%u]) starts with '-'",
			 off, id);
		break;
	case AIM_MID_STRING_NAME:
		off = btfkit_type_members(t)[0].name_off;
		p = (uint8_t *)btfkit_type_members(type_at(c, b, id));
		wr32(p, off + 1);
		snprintf(c->what, sizeof(c->what), "aimed: member 1 of [%u] named from offset %u + 1", id,
			 off);
		break;
	case AIM_COUNT:
		break;
	}
}

static void aimed_cases(const struct blob *b, struct ccase *c, unsigned long *passed,
			unsigned long *failed)
{
	/* Only where the thread runs: 256 KiB of strings (lib/validate/ahead.c). */
	if (b->str_len < (256u << 10))
		return;
	for (enum aim aim = 0; aim < AIM_COUNT; aim++) {
		uint32_t n, id;

		aim_at(b, aim, 0, &n);
		if (!n)
			continue;
		/* The first, one in the middle and one near the end of those that can carry it. */
		for (unsigned at = 0; at < 3; at++) {
			id = aim_at(b, aim, at == 0 ? 0 : at == 1 ? n / 2 : n - 1 - n / 50, NULL);
			aimed_case(c, b, aim, id);
			if (check_case(b->name, c->data, c->size, c->what))
				(*passed)++;
			else
				(*failed)++;
		}
	}
}

/*
 * Blobs built to reach the checks random mutation rarely does: the resolve
 * depth limit, loops through pointers and modifiers, long modifier chains,
 * type-tag order, section layouts, bitfield arithmetic at its edges.
 */
static void check_built(struct btf_builder *b, const char *desc, unsigned long *passed,
			unsigned long *failed)
{
	size_t size;
	uint8_t *blob = bb_finish(b, BB_LITTLE, &size);

	if (blob && check_case("constructed", blob, (uint32_t)size, desc))
		++*passed;
	else
		++*failed;
	free(blob);
	bb_free(b);
}

static int constructed_cases(unsigned long *passed, unsigned long *failed)
{
	struct btf_builder b;
	int n = 0;

#define CASE(desc)                                                                        \
	for (int once_ = (bb_init(&b), 1); once_; once_ = 0, n++, check_built(&b, desc, passed, failed))
	/* Chains of typedefs, structs, arrays, pointers: around the depth limit of 32. */
	for (uint32_t depth = 30; depth <= 34; depth++) {
		char desc[64];

		snprintf(desc, sizeof(desc), "typedef chain, top first, %u deep", depth);
		CASE(desc) {
			/* Top-down ids: resolving the first walks the whole chain. */
			for (uint32_t i = 1; i <= depth; i++)
				bb_typedef(&b, "t", i + 1);
			bb_int(&b, "int", 4, BTFKIT_INT_SIGNED, 0, 32);
		}
		snprintf(desc, sizeof(desc), "struct nesting, outer first, %u deep", depth);
		CASE(desc) {
			for (uint32_t i = 1; i <= depth; i++) {
				bb_struct(&b, "s", 4, 0);
				bb_member(&b, "m", i + 1, 0, 0);
			}
			bb_int(&b, "int", 4, BTFKIT_INT_SIGNED, 0, 32);
		}
		snprintf(desc, sizeof(desc), "array of array, %u deep", depth);
		CASE(desc) {
			for (uint32_t i = 1; i <= depth; i++)
				bb_array(&b, i + 1, depth + 1, 1);
			bb_int(&b, "int", 4, 0, 0, 32);
		}
		snprintf(desc, sizeof(desc), "pointer to pointer, %u deep", depth);
		CASE(desc) {
			for (uint32_t i = 1; i <= depth; i++)
				bb_ptr(&b, i + 1);
			bb_int(&b, "int", 4, 0, 0, 32);
		}
		snprintf(desc, sizeof(desc), "const chain, bottom first, %u long", depth);
		CASE(desc) {
			/* Bottom-up ids resolve one step at a time; the tag pass walks it all. */
			bb_int(&b, "int", 4, 0, 0, 32);
			for (uint32_t i = 1; i <= depth; i++)
				bb_const(&b, i);
			bb_type_tag(&b, "user", depth + 1);
		}
	}
	CASE("pointer loop through modifiers") {
		bb_ptr(&b, 2);
		bb_const(&b, 3);
		bb_ptr(&b, 4);
		bb_volatile(&b, 1);
	}
	CASE("typedef loop") {
		bb_typedef(&b, "a", 2);
		bb_typedef(&b, "b", 1);
	}
	CASE("struct containing itself") {
		bb_struct(&b, "s", 8, 0);
		bb_member(&b, "self", 1, 0, 0);
	}
	CASE("struct A contains B contains A") {
		bb_struct(&b, "a", 8, 0);
		bb_member(&b, "b", 2, 0, 0);
		bb_struct(&b, "b", 8, 0);
		bb_member(&b, "a", 1, 0, 0);
	}
	CASE("struct pointing to itself (valid)") {
		bb_struct(&b, "s", 8, 0);
		bb_member(&b, "next", 2, 0, 0);
		bb_ptr(&b, 1);
	}
	CASE("const before type tag") {
		bb_int(&b, "int", 4, 0, 0, 32);
		bb_type_tag(&b, "user", 1);
		bb_const(&b, 2);
		bb_ptr(&b, 3);
	}
	CASE("type tag before const (valid)") {
		bb_int(&b, "int", 4, 0, 0, 32);
		bb_const(&b, 1);
		bb_type_tag(&b, "user", 2);
		bb_ptr(&b, 3);
	}
	CASE("function returning a looping struct") {
		bb_func_proto(&b, 2);
		bb_struct(&b, "s", 8, 0);
		bb_member(&b, "self", 2, 0, 0);
	}
	CASE("prototype with a fwd parameter") {
		bb_func_proto(&b, 0);
		bb_param(&b, "x", 2);
		bb_fwd(&b, "f", 0);
	}
	CASE("fwd member") {
		bb_struct(&b, "s", 8, 0);
		bb_member(&b, "f", 2, 0, 0);
		bb_fwd(&b, "f", 0);
	}
	CASE("__int128 at bit offset 1") {
		bb_struct(&b, "s", 32, 0);
		bb_member(&b, "x", 2, 1, 0);
		bb_int(&b, "__int128", 16, 0, 0, 128);
	}
	CASE("member offset near U32_MAX, int with a bit offset") {
		bb_struct(&b, "s", 0x20000000, 0);
		bb_member_raw(&b, bb_str(&b, "x"), 2, 0xfffffffe);
		bb_raw_type(&b, bb_str(&b, "i"), bb_info(BTFKIT_KIND_INT, 0, 0), 4);
		bb_raw_word(&b, (2u << 16) | 8);
	}
	CASE("enum64 bitfield in a kind_flag struct") {
		bb_struct(&b, "s", 8, 1);
		bb_member(&b, "e", 2, 3, 33);
		bb_enum64(&b, "e64", 8, 0);
		bb_enum64_val(&b, "A", 1);
	}
	CASE("enum64 member, no bitfield, in a kind_flag struct of 4 bytes") {
		bb_struct(&b, "s", 4, 1);
		bb_member(&b, "e", 2, 0, 0);
		bb_enum64(&b, "e64", 8, 0);
		bb_enum64_val(&b, "A", 1);
	}
	CASE("float misaligned") {
		bb_struct(&b, "s", 16, 0);
		bb_member(&b, "f", 2, 32, 0);
		bb_float(&b, "double", 8);
	}
	CASE("datasec var of a fwd") {
		bb_fwd(&b, "f", 0);
		bb_var(&b, "v", 1, 1);
		bb_datasec(&b, ".data", 8);
		bb_secinfo(&b, 2, 0, 8);
	}
	CASE("datasec var smaller than its type") {
		bb_int(&b, "long", 8, 0, 0, 64);
		bb_var(&b, "v", 1, 1);
		bb_datasec(&b, ".data", 8);
		bb_secinfo(&b, 2, 0, 4);
	}
	CASE("datasec names with dashes and spaces") {
		bb_int(&b, "int", 4, 0, 0, 32);
		bb_var(&b, "v", 1, 1);
		bb_datasec(&b, ".data.my-sec tion", 8);
		bb_secinfo(&b, 2, 0, 4);
	}
	CASE("decl tag on a parameter out of range") {
		bb_int(&b, "int", 4, 0, 0, 32);
		bb_func_proto(&b, 1);
		bb_param(&b, "a", 1);
		bb_func(&b, "f", 2, 1);
		bb_decl_tag(&b, "tag", 3, 1);
	}
	CASE("decl tag on a struct member (valid)") {
		bb_int(&b, "int", 4, 0, 0, 32);
		bb_struct(&b, "s", 4, 0);
		bb_member(&b, "m", 1, 0, 0);
		bb_decl_tag(&b, "tag", 2, 0);
	}
	CASE("function of a non-prototype") {
		bb_int(&b, "int", 4, 0, 0, 32);
		bb_func(&b, "f", 1, 0);
	}
	CASE("vararg with a name") {
		bb_func_proto(&b, 0);
		bb_param(&b, "x", 0);
	}
	CASE("function with an unnamed parameter") {
		bb_int(&b, "int", 4, 0, 0, 32);
		bb_func_proto(&b, 1);
		bb_param(&b, NULL, 1);
		bb_func(&b, "f", 2, 1);
	}
	CASE("identifier of 511, 512 and 513 characters") {
		char name[520];

		bb_int(&b, "int", 4, 0, 0, 32);
		for (int len = 511; len <= 513; len++) {
			memset(name, 'x', (size_t)len);
			name[len] = '\0';
			bb_typedef(&b, name, 1);
		}
	}
	CASE("dotted identifiers (.isra.0)") {
		bb_int(&b, "int", 4, 0, 0, 32);
		bb_func_proto(&b, 1);
		bb_func(&b, "foo.isra.0", 2, 0);
		bb_struct(&b, "s.t", 4, 0);
		bb_member(&b, "m.n", 1, 0, 0);
	}
	CASE("Latin-1 letters in identifiers") {
		bb_int(&b, "int", 4, 0, 0, 32);
		bb_typedef(&b, "caf\xe9", 1);
		bb_typedef(&b, "\xd7x", 1);
	}
	CASE("kind_flag on type tag and decl tag") {
		bb_int(&b, "int", 4, 0, 0, 32);
		bb_raw_type(&b, bb_str(&b, "attr"), bb_info(BTFKIT_KIND_TYPE_TAG, 1, 0), 1);
		bb_ptr(&b, 2);
		bb_raw_type(&b, bb_str(&b, "attr"), bb_info(BTFKIT_KIND_DECL_TAG, 1, 0), 1);
		bb_raw_word(&b, (uint32_t)-1);
	}
	CASE("extern function") {
		bb_func_proto(&b, 0);
		bb_func(&b, "f", 1, 2);
	}
#undef CASE
	return n;
}

/* Sections laid out in ways a builder does not: patched headers. */
static void layout_cases(unsigned long *passed, unsigned long *failed)
{
	static const struct {
		const char *desc;
		uint32_t type_off, type_len, str_off, str_len, total;
	} cases[] = {
		{ "type_off unaligned, no types", 5, 0, 0, 5, 5 },
		{ "no types, aligned", 8, 0, 0, 8, 8 },
		{ "strings before types", 8, 16, 0, 8, 24 },
	};
	uint8_t blob[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(blob, 0, sizeof(blob));
		wr32(blob, 0x0001eb9f);
		wr32(blob + 4, 24);
		wr32(blob + 8, cases[i].type_off);
		wr32(blob + 12, cases[i].type_len);
		wr32(blob + 16, cases[i].str_off);
		wr32(blob + 20, cases[i].str_len);
		if (cases[i].type_len) {
			/* An INT "int" at the start of the types. */
			wr32(blob + 24 + cases[i].type_off, 1);
			wr32(blob + 24 + cases[i].type_off + 4, 0x01000000);
			wr32(blob + 24 + cases[i].type_off + 8, 4);
			wr32(blob + 24 + cases[i].type_off + 12, 32);
			memcpy(blob + 24 + 1, "int", 4);
		}
		if (check_case("constructed", blob, 24 + cases[i].total, cases[i].desc))
			++*passed;
		else
			++*failed;
	}
	/* Over BPF_BTF_LOAD's 16 MiB. */
	{
		uint32_t big = (16u << 20) + 1;
		uint8_t *p = calloc(1, big);

		wr32(p, 0x0001eb9f);
		wr32(p + 4, 24);
		wr32(p + 12, 16);
		wr32(p + 16, 16);
		wr32(p + 20, big - 24 - 16);
		wr32(p + 24, 1);
		wr32(p + 28, 0x01000000);
		wr32(p + 32, 4);
		wr32(p + 36, 32);
		memcpy(p + 24 + 16 + 1, "int", 4);
		if (check_case("constructed", p, big, "17 MB blob"))
			++*passed;
		else
			++*failed;
		free(p);
	}
}

int main(int argc, char **argv)
{
	unsigned long cases = 1000, seed = 1, passed = 0, failed = 0;
	struct blob *blobs;
	struct ccase c;
	int nb = 0, opt;

	while ((opt = getopt(argc, argv, "n:s:v")) != -1) {
		if (opt == 'n')
			cases = strtoul(optarg, NULL, 0);
		else if (opt == 's')
			seed = strtoul(optarg, NULL, 0);
		else if (opt == 'v')
			verbose++;
		else
			return 2;
	}
	if (optind == argc) {
		fprintf(stderr, "usage: vdiff [-n CASES] [-s SEED] [-v] BLOB...\n");
		return 2;
	}
	klog = malloc(LOG_SIZE);
	if (!klog)
		return 1;
	/* Can this process load BTF at all? A tiny valid blob says. */
	{
		static const uint32_t tiny[] = { 0x0001eb9f, 24, 0, 16, 16, 5,
						 1, 0x01000000, 4, 0x20, 0x746e6900, 0 };
		int fd = btf_load(tiny, 24 + 16 + 5, 0);

		if (fd < 0) {
			printf("vdiff: BPF_BTF_LOAD unavailable here (%s): kernel comparison skipped\n",
			       strerror(errno));
			return 77;
		}
		close(fd);
	}
	blobs = calloc((size_t)(argc - optind), sizeof(*blobs));
	for (int i = optind; i < argc; i++)
		if (load_blob(argv[i], &blobs[nb]) == 0)
			nb++;
	if (!nb)
		return 1;
	rng_state = seed * 0x9e3779b97f4a7c15ull + 1;

	/* The blobs as they are. */
	for (int i = 0; i < nb; i++) {
		if (check_case(blobs[i].name, blobs[i].data, blobs[i].size, "unmodified"))
			passed++;
		else
			failed++;
	}
	constructed_cases(&passed, &failed);
	layout_cases(&passed, &failed);
	/* Room for appended strings. */
	c.cap = 0;
	for (int i = 0; i < nb; i++)
		if (blobs[i].size > c.cap)
			c.cap = blobs[i].size;
	c.cap += 4096;
	c.data = malloc(c.cap);
	for (int i = 0; i < nb; i++)
		aimed_cases(&blobs[i], &c, &passed, &failed);
	for (unsigned long n = 0; n < cases; n++) {
		const struct blob *b = &blobs[n % (unsigned long)nb];

		make_case(&c, b);
		if (check_case(b->name, c.data, c.size, c.what))
			passed++;
		else
			failed++;
	}
	printf("kernel rejections by message (btfkit's words, which matched the kernel's):\n");
	for (unsigned i = 0; i < nr_tallies; i++)
		printf("  %6u  %s\n", tallies[i].n, tallies[i].msg);
	printf("vdiff: %lu cases (seed %lu), %lu agreed with the kernel, %lu disagreed\n",
	       passed + failed, seed, passed, failed);
	printf("%lu passed, %lu failed\n", passed, failed);
	for (int i = 0; i < nb; i++) {
		free(blobs[i].data);
		free(blobs[i].offs);
	}
	free(blobs);
	free(c.data);
	free(klog);
	return failed ? 1 : 0;
}
