// SPDX-License-Identifier: BSD-2-Clause
/*
 * splitproof: the proof that relocated module BTF is right.
 *
 *   splitproof load BASE SPLIT          the running kernel's BPF_BTF_LOAD on
 *                                       BASE and SPLIT merged into one blob
 *   splitproof sdump BASE SPLIT [N]     the module's types (the first N) by
 *                                       name and structure, without ids
 *   splitproof run --base NEW --orig-base OLD [--load] [--list FILE] [MODULE...]
 *       for every module: check-module's verdict on NEW; if relocatable,
 *       relocate it, validate the result on NEW (btfkit's validator), load
 *       base+module in the kernel (--load), and compare the structural dump
 *       with the original's on OLD. Prints the verdict counts and
 *       "N passed, N failed" (relocatable modules proven or not).
 *
 * Exit 0 when everything holds, 1 otherwise, 77 when bpf() is unavailable
 * for `load`.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>

#include <btfkit/btfkit.h>

/* ---- a growing string ---- */

struct str {
	char *p;
	size_t len, cap;
};

static void sadd(struct str *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sadd(struct str *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = s->cap - s->len;

		va_start(ap, fmt);
		n = vsnprintf(s->p ? s->p + s->len : NULL, s->p ? room : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if (s->p && (size_t)n < room) {
			s->len += (size_t)n;
			return;
		}
		s->cap = (s->cap + (size_t)n + 1) * 2;
		s->p = realloc(s->p, s->cap);
		if (!s->p) {
			perror("splitproof");
			exit(1);
		}
	}
}

/* ---- the kernel ---- */

static int kernel_load(const void *data, size_t size, char *log, size_t log_sz)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.btf = (uint64_t)(uintptr_t)data;
	attr.btf_size = (uint32_t)size;
	if (log) {
		log[0] = 0;
		attr.btf_log_buf = (uint64_t)(uintptr_t)log;
		attr.btf_log_size = (uint32_t)log_sz;
		attr.btf_log_level = 1;
	}
	fd = (int)syscall(SYS_bpf, BPF_BTF_LOAD, &attr, sizeof(attr));
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* Base and split as one standalone blob: split offsets already continue the base's. */
static void *merge(const struct btfkit_btf *base, const void *split, size_t split_size,
		   size_t *size)
{
	void *b;
	size_t bsize;
	const uint32_t *bh, *sh = split;
	uint32_t hdr[6];
	uint8_t *out;

	if (btfkit_btf_serialize(base, BTFKIT_ORDER_AS_READ, &b, &bsize))
		return NULL;
	bh = b;
	hdr[0] = bh[0];
	hdr[1] = 24;
	hdr[2] = 0;
	hdr[3] = bh[3] + sh[3];
	hdr[4] = hdr[3];
	hdr[5] = bh[5] + sh[5];
	out = malloc(24 + hdr[3] + hdr[5]);
	if (!out) {
		free(b);
		return NULL;
	}
	memcpy(out, hdr, 24);
	memcpy(out + 24, (uint8_t *)b + bh[1] + bh[2], bh[3]);
	memcpy(out + 24 + bh[3], (const uint8_t *)split + sh[1] + sh[2], sh[3]);
	memcpy(out + 24 + hdr[3], (uint8_t *)b + bh[1] + bh[4], bh[5]);
	memcpy(out + 24 + hdr[3] + bh[5], (const uint8_t *)split + sh[1] + sh[4], sh[5]);
	(void)split_size;
	*size = 24 + hdr[3] + hdr[5];
	free(b);
	return out;
}

static int load_merged(const struct btfkit_btf *base, const void *split, size_t split_size,
		       char *why, size_t why_sz)
{
	static char log[1 << 20];
	size_t size;
	void *blob = merge(base, split, split_size, &size);
	int err;

	if (!blob) {
		snprintf(why, why_sz, "cannot merge");
		return -ENOMEM;
	}
	err = kernel_load(blob, size, log, sizeof(log));
	if (err == -ENOSPC) /* the log did not fit; the verdict is the same without it */
		err = kernel_load(blob, size, NULL, 0);
	if (err) {
		size_t n = strlen(log);
		char *last;

		while (n && log[n - 1] == '\n')
			log[--n] = 0;
		last = strrchr(log, '\n');
		snprintf(why, why_sz, "%s: %s", strerror(-err), last ? last + 1 : log);
	}
	free(blob);
	return err;
}

/* ---- structure by name ---- */

static const char *nm(const struct btfkit_btf *btf, uint32_t id)
{
	const char *s = btfkit_btf_name(btf, id);

	return s ? s : "?";
}

static void ref(struct str *s, const struct btfkit_btf *btf, uint32_t id, int depth);

static void members(struct str *s, const struct btfkit_btf *btf, const struct btfkit_type *t,
		    int depth)
{
	for (unsigned i = 0; i < btfkit_type_vlen(t); i++) {
		const struct btfkit_member *m = &btfkit_type_members(t)[i];
		const char *n = btfkit_btf_str(btf, m->name_off);

		sadd(s, "%s%s@%u:%u ", i ? ", " : "", n ? n : "?", btfkit_member_bit_offset(t, i),
		     btfkit_member_bitfield_size(t, i));
		ref(s, btf, m->type, depth + 1);
	}
}

static void ref(struct str *s, const struct btfkit_btf *btf, uint32_t id, int depth)
{
	const struct btfkit_type *t = btfkit_btf_type(btf, id);
	const char *name;
	unsigned k;

	if (!id) {
		sadd(s, "void");
		return;
	}
	if (!t) {
		sadd(s, "<bad id %u>", id);
		return;
	}
	if (depth > 12) {
		sadd(s, "...");
		return;
	}
	k = btfkit_type_kind(t);
	name = nm(btf, id);
	if (*name) {
		switch (k) {
		case BTFKIT_KIND_STRUCT:
		case BTFKIT_KIND_UNION:
			sadd(s, "%s %s", k == BTFKIT_KIND_UNION ? "union" : "struct", name);
			return;
		case BTFKIT_KIND_FWD:
			sadd(s, "%s %s", btfkit_type_kflag(t) ? "union" : "struct", name);
			return;
		case BTFKIT_KIND_ENUM:
		case BTFKIT_KIND_ENUM64:
			sadd(s, "enum %s", name);
			return;
		case BTFKIT_KIND_INT:
			sadd(s, "int %s/%u/%u/%u", name, t->size, btfkit_int_bits(t),
			     btfkit_int_encoding(t));
			return;
		default:
			sadd(s, "%s %s", btfkit_kind_name(k), name);
			return;
		}
	}
	switch (k) {
	case BTFKIT_KIND_PTR:
		sadd(s, "*(");
		ref(s, btf, t->type, depth + 1);
		sadd(s, ")");
		return;
	case BTFKIT_KIND_CONST:
	case BTFKIT_KIND_VOLATILE:
	case BTFKIT_KIND_RESTRICT:
	case BTFKIT_KIND_TYPEDEF:
	case BTFKIT_KIND_TYPE_TAG:
		sadd(s, "%s ", btfkit_kind_name(k));
		ref(s, btf, t->type, depth + 1);
		return;
	case BTFKIT_KIND_ARRAY:
		sadd(s, "[%u]", btfkit_type_array(t)->nelems);
		ref(s, btf, btfkit_type_array(t)->type, depth + 1);
		return;
	case BTFKIT_KIND_FUNC_PROTO:
		sadd(s, "fn(");
		for (unsigned i = 0; i < btfkit_type_vlen(t); i++) {
			sadd(s, i ? ", " : "");
			ref(s, btf, btfkit_type_params(t)[i].type, depth + 1);
		}
		sadd(s, ")->");
		ref(s, btf, t->type, depth + 1);
		return;
	case BTFKIT_KIND_STRUCT:
	case BTFKIT_KIND_UNION:
		sadd(s, "%s/%u{", k == BTFKIT_KIND_UNION ? "union" : "struct", t->size);
		members(s, btf, t, depth);
		sadd(s, "}");
		return;
	case BTFKIT_KIND_ENUM:
		sadd(s, "enum/%u{", t->size);
		for (unsigned i = 0; i < btfkit_type_vlen(t); i++) {
			const char *n = btfkit_btf_str(btf, btfkit_type_enums(t)[i].name_off);

			sadd(s, "%s=%d ", n ? n : "?", btfkit_type_enums(t)[i].val);
		}
		sadd(s, "}");
		return;
	}
	sadd(s, "%s(anon)", btfkit_kind_name(k));
}

/* One own type, fully: the line both dumps must agree on. */
static void top(struct str *s, const struct btfkit_btf *btf, uint32_t id)
{
	const struct btfkit_type *t = btfkit_btf_type(btf, id);
	unsigned k = btfkit_type_kind(t);

	sadd(s, "%s '%s' ", btfkit_kind_name(k), nm(btf, id));
	switch (k) {
	case BTFKIT_KIND_STRUCT:
	case BTFKIT_KIND_UNION:
		sadd(s, "size=%u {", t->size);
		members(s, btf, t, 0);
		sadd(s, "}");
		break;
	case BTFKIT_KIND_DATASEC:
		sadd(s, "size=%u", t->size);
		for (unsigned i = 0; i < btfkit_type_vlen(t); i++) {
			sadd(s, " [%u+%u ", btfkit_type_secinfos(t)[i].offset,
			     btfkit_type_secinfos(t)[i].size);
			ref(s, btf, btfkit_type_secinfos(t)[i].type, 1);
			sadd(s, "]");
		}
		break;
	case BTFKIT_KIND_FUNC:
	case BTFKIT_KIND_VAR:
	case BTFKIT_KIND_DECL_TAG:
		sadd(s, "%u ", k == BTFKIT_KIND_DECL_TAG ? (unsigned)btfkit_decl_tag_component(t)
							 : btfkit_type_vlen(t));
		if (k == BTFKIT_KIND_VAR)
			sadd(s, "linkage=%u ", btfkit_var_linkage(t));
		ref(s, btf, t->type, 0);
		break;
	case BTFKIT_KIND_ENUM:
		sadd(s, "size=%u info=%#x {", t->size, t->info);
		for (unsigned i = 0; i < btfkit_type_vlen(t); i++) {
			const char *n = btfkit_btf_str(btf, btfkit_type_enums(t)[i].name_off);

			sadd(s, "%s=%d ", n ? n : "?", btfkit_type_enums(t)[i].val);
		}
		sadd(s, "}");
		break;
	case BTFKIT_KIND_ENUM64:
		sadd(s, "size=%u info=%#x {", t->size, t->info);
		for (unsigned i = 0; i < btfkit_type_vlen(t); i++) {
			const char *n = btfkit_btf_str(btf, btfkit_type_enums64(t)[i].name_off);

			sadd(s, "%s=%llu ", n ? n : "?",
			     (unsigned long long)btfkit_enum64_value(&btfkit_type_enums64(t)[i]));
		}
		sadd(s, "}");
		break;
	case BTFKIT_KIND_INT:
	case BTFKIT_KIND_FLOAT:
	case BTFKIT_KIND_FWD:
		sadd(s, "%u %u", t->size, t->info);
		break;
	default:
		/* Unnamed or reference kinds: their structure. */
		sadd(s, "= ");
		if (*nm(btf, id)) {
			sadd(s, "%s ", btfkit_kind_name(k));
			ref(s, btf, t->type, 0);
		} else {
			ref(s, btf, id, 0);
		}
	}
	sadd(s, "\n");
}

static void sdump(struct str *s, const struct btfkit_btf *btf, uint32_t n)
{
	uint32_t start = btfkit_btf_start_id(btf), end = btfkit_btf_type_count(btf);

	if (n && start + n < end)
		end = start + n;
	for (uint32_t id = start; id < end; id++)
		top(s, btf, id);
}

/* ---- commands ---- */

static struct btfkit_btf *open_or_die(const char *path, const void *data, size_t size,
				      const struct btfkit_btf *base)
{
	char msg[256] = "";
	struct btfkit_open_opts o = { .sz = sizeof(o), .base = base, .msg = msg, .msg_sz = sizeof(msg) };
	struct btfkit_btf *b = data ? btfkit_btf_open_mem(data, size, &o) : btfkit_btf_open(path, &o);

	if (!b) {
		fprintf(stderr, "splitproof: %s: %s\n", path, msg);
		exit(1);
	}
	return b;
}

static int cmd_load(int argc, char **argv)
{
	struct btfkit_btf *base, *split;
	void *blob;
	size_t size;
	char why[512] = "";
	int err;

	if (argc != 3)
		return 2;
	base = open_or_die(argv[1], NULL, 0, NULL);
	split = open_or_die(argv[2], NULL, 0, base);
	if (btfkit_btf_serialize(split, BTFKIT_ORDER_AS_READ, &blob, &size))
		return 1;
	err = load_merged(base, blob, size, why, sizeof(why));
	if (err == -EPERM || err == -ENOSYS) {
		printf("splitproof: BPF_BTF_LOAD unavailable (%s)\n", strerror(-err));
		return 77;
	}
	if (err)
		printf("rejected: %s\n", why);
	else
		printf("accepted\n");
	free(blob);
	btfkit_btf_free(split);
	btfkit_btf_free(base);
	return err ? 1 : 0;
}

static int cmd_sdump(int argc, char **argv)
{
	struct btfkit_btf *base, *split;
	struct str s = { 0 };

	if (argc != 3 && argc != 4)
		return 2;
	base = open_or_die(argv[1], NULL, 0, NULL);
	split = open_or_die(argv[2], NULL, 0, base);
	sdump(&s, split, argc == 4 ? (uint32_t)strtoul(argv[3], NULL, 0) : 0);
	if (s.p)
		fwrite(s.p, 1, s.len, stdout);
	free(s.p);
	btfkit_btf_free(split);
	btfkit_btf_free(base);
	return 0;
}

struct run {
	struct btfkit_btf *new_btf, *old_btf;
	struct btfkit_split_base *new_base, *old_base;
	struct btfkit_validated_base *vb;
	int load;
	unsigned counts[4], passed, failed, load_skipped;
};

static void run_one(struct run *r, const char *path)
{
	struct btfkit_split_result res;
	struct btfkit_split_module *mod;
	struct btfkit_verdict v;
	char msg[256] = "", why[512] = "";
	void *data = NULL;
	size_t size = 0;

	mod = btfkit_split_module_open(path, msg, sizeof(msg));
	if (!mod) {
		printf("FAIL %s: %s\n", path, msg);
		r->failed++;
		return;
	}
	if (btfkit_split_check(r->new_base, mod, r->old_base, &res)) {
		printf("FAIL %s: check: %s\n", path, strerror(errno));
		r->failed++;
		goto out;
	}
	r->counts[res.verdict]++;
	if (res.verdict == BTFKIT_SPLIT_INCOMPATIBLE)
		printf("incompatible %s: %s %s\n", path, res.changed_name, res.reason);
	if (res.verdict != BTFKIT_SPLIT_RELOCATABLE)
		goto out;
	if (btfkit_split_relocate(r->new_base, mod, r->old_base, &res, &data, &size)) {
		printf("FAIL %s: relocate: %s\n", path, res.reason);
		r->failed++;
		goto out;
	}
	if (btfkit_validate_split_mem(r->vb, data, size, &v) || !v.valid) {
		printf("FAIL %s: relocated BTF invalid: [%u] %s\n", path, v.type_id, v.message);
		r->failed++;
		goto out;
	}
	if (r->load) {
		int err = load_merged(r->new_btf, data, size, why, sizeof(why));

		if (err == -EPERM || err == -ENOSYS) {
			r->load_skipped++;
		} else if (err) {
			printf("FAIL %s: kernel rejects base+relocated: %s\n", path, why);
			r->failed++;
			goto out;
		}
	}
	{
		struct btfkit_btf *orig_on_old, *rel_on_new;
		struct str a = { 0 }, b = { 0 };
		uint32_t n;

		/* The module's own .BTF as it came, on the base it was built on. */
		orig_on_old = btfkit_btf_open(path, &(struct btfkit_open_opts){
			.sz = sizeof(struct btfkit_open_opts), .base = r->old_btf });
		rel_on_new = btfkit_btf_open_mem(data, size, &(struct btfkit_open_opts){
			.sz = sizeof(struct btfkit_open_opts), .base = r->new_btf });
		if (!orig_on_old || !rel_on_new) {
			printf("FAIL %s: cannot reopen for the dump\n", path);
			r->failed++;
		} else {
			n = btfkit_btf_type_count(orig_on_old) - btfkit_btf_start_id(orig_on_old);
			sdump(&a, orig_on_old, n);
			sdump(&b, rel_on_new, n);
			if (a.len != b.len || memcmp(a.p, b.p, a.len) != 0) {
				size_t i = 0;

				while (i < a.len && i < b.len && a.p[i] == b.p[i])
					i++;
				while (i && a.p[i - 1] != '\n')
					i--;
				printf("FAIL %s: the relocated types differ:\n  was: %.300s\n  now: %.300s\n",
				       path, a.p + i, b.p + i);
				r->failed++;
			} else {
				r->passed++;
			}
		}
		free(a.p);
		free(b.p);
		btfkit_btf_free(orig_on_old);
		btfkit_btf_free(rel_on_new);
	}
out:
	free(data);
	btfkit_split_module_free(mod);
}

static int cmd_run(int argc, char **argv)
{
	struct run r = { 0 };
	const char *newp = NULL, *oldp = NULL, *list = NULL;
	struct btfkit_verdict v;
	char msg[256];
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--base") && i + 1 < argc)
			newp = argv[++i];
		else if (!strcmp(argv[i], "--orig-base") && i + 1 < argc)
			oldp = argv[++i];
		else if (!strcmp(argv[i], "--list") && i + 1 < argc)
			list = argv[++i];
		else if (!strcmp(argv[i], "--load"))
			r.load = 1;
		else
			return 2;
	}
	if (!newp || !oldp)
		return 2;
	r.new_btf = open_or_die(newp, NULL, 0, NULL);
	r.old_btf = open_or_die(oldp, NULL, 0, NULL);
	r.new_base = btfkit_split_base_new(r.new_btf, NULL, msg, sizeof(msg));
	r.old_base = btfkit_split_base_new(r.old_btf, NULL, msg, sizeof(msg));
	r.vb = btfkit_validate_base(r.new_btf, NULL, &v);
	if (!r.new_base || !r.old_base || !r.vb) {
		fprintf(stderr, "splitproof: bases: %s\n", msg);
		return 1;
	}
	if (list) {
		FILE *f = fopen(list, "r");
		char line[4096];

		if (!f) {
			perror(list);
			return 1;
		}
		while (fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = 0;
			if (line[0])
				run_one(&r, line);
		}
		fclose(f);
	}
	for (; i < argc; i++)
		run_one(&r, argv[i]);
	printf("verdicts: ok %u, mismatch %u, relocatable %u, incompatible %u\n", r.counts[0],
	       r.counts[1], r.counts[2], r.counts[3]);
	if (r.load_skipped)
		printf("BPF_BTF_LOAD unavailable: %u kernel loads skipped\n", r.load_skipped);
	printf("%u passed, %u failed\n", r.passed, r.failed);
	btfkit_validated_base_free(r.vb);
	btfkit_split_base_free(r.new_base);
	btfkit_split_base_free(r.old_base);
	btfkit_btf_free(r.new_btf);
	btfkit_btf_free(r.old_btf);
	return r.failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	int rc = 2;

	if (argc > 1 && !strcmp(argv[1], "load"))
		rc = cmd_load(argc - 1, argv + 1);
	else if (argc > 1 && !strcmp(argv[1], "sdump"))
		rc = cmd_sdump(argc - 1, argv + 1);
	else if (argc > 1 && !strcmp(argv[1], "run"))
		rc = cmd_run(argc - 1, argv + 1);
	if (rc == 2)
		fprintf(stderr, "usage: splitproof load BASE SPLIT | sdump BASE SPLIT [N] |\n"
				"       run --base NEW --orig-base OLD [--load] [--list FILE] [MODULE...]\n");
	return rc;
}
