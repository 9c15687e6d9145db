// SPDX-License-Identifier: BSD-2-Clause
/*
 * btfkit dump: BTF as bpftool prints it: raw text, JSON, or C declarations.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <btfkit/btfkit.h>

#include "cli.h"

/* The C dump's roots, as given: --type NAME and --id ID, in command-line order. */
struct root_arg {
	bool is_id;
	uint32_t id;
	const char *name;
};

/* A sink that remembers whether writing failed (to tell that from a BTF problem). */
struct tracked_sink {
	struct btfkit_sink inner;
	int err;
};

static int tracked_write(void *ctx, const char *data, size_t len)
{
	struct tracked_sink *ts = ctx;
	int err = ts->inner.write(ts->inner.ctx, data, len);

	if (err && !ts->err)
		ts->err = err;
	return err;
}

/* "struct foo", "union foo", "enum foo", "typedef foo": that kind only; else any kind. */
static const char *split_kind(const char *spec, int kinds[2])
{
	static const struct {
		const char *prefix;
		int kind, kind2;
	} prefixes[] = {
		{ "struct ", BTFKIT_KIND_STRUCT, -1 },
		{ "union ", BTFKIT_KIND_UNION, -1 },
		{ "enum ", BTFKIT_KIND_ENUM, BTFKIT_KIND_ENUM64 },
		{ "typedef ", BTFKIT_KIND_TYPEDEF, -1 },
	};

	kinds[0] = -1;
	kinds[1] = -2; /* no second kind */
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = strlen(prefixes[i].prefix);

		if (strncmp(spec, prefixes[i].prefix, n) == 0) {
			kinds[0] = prefixes[i].kind;
			kinds[1] = prefixes[i].kind2 >= 0 ? prefixes[i].kind2 : -2;
			spec += n;
			while (*spec == ' ')
				spec++;
			break;
		}
	}
	return spec;
}

struct id_vec {
	uint32_t *ids;
	size_t n, cap;
};

static bool id_vec_push(struct id_vec *v, uint32_t id)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		uint32_t *p = realloc(v->ids, cap * sizeof(*p));

		if (!p)
			return false;
		v->ids = p;
		v->cap = cap;
	}
	v->ids[v->n++] = id;
	return true;
}

/* The ids the roots name; complains (one line) and returns -1 when one names nothing. */
static int resolve_roots(const struct btfkit_btf *btf, const char *file,
			 const struct root_arg *roots, size_t nr_roots, struct id_vec *v)
{
	uint32_t count = btfkit_btf_type_count(btf);

	for (size_t i = 0; i < nr_roots; i++) {
		const struct root_arg *r = &roots[i];
		size_t before = v->n;
		const char *name;
		int kinds[2];

		if (r->is_id) {
			if (r->id == 0 || r->id >= count) {
				cli_error("%s: no type with id %" PRIu32 " (ids 1 to %" PRIu32 ")",
					  file, r->id, count - 1);
				return -1;
			}
			if (!id_vec_push(v, r->id))
				goto nomem;
			continue;
		}
		name = split_kind(r->name, kinds);
		for (int k = 0; k < 2 && kinds[k] != -2; k++) {
			int64_t id = 0;

			while ((id = btfkit_btf_find_next(btf, name, kinds[k], (uint32_t)id)) > 0)
				if (!id_vec_push(v, (uint32_t)id))
					goto nomem;
		}
		if (v->n == before) {
			cli_error("%s: no type named '%s'", file, r->name);
			return -1;
		}
	}
	return 0;
nomem:
	cli_error("%s: %s", file, strerror(ENOMEM));
	return -1;
}

static int dump_c(const struct btfkit_btf *btf, const char *file, unsigned flags,
		  const struct root_arg *roots, size_t nr_roots)
{
	struct btfkit_cdump_header_opts hopts = { .sz = sizeof(hopts), .flags = flags };
	struct id_vec roots_ids = { 0 };
	struct tracked_sink ts;
	struct btfkit_sink sink;
	int fd = 1, err;

	if (nr_roots) {
		if (resolve_roots(btf, file, roots, nr_roots, &roots_ids)) {
			free(roots_ids.ids);
			return EXIT_INPUT;
		}
		hopts.ids = roots_ids.ids;
		hopts.nr_ids = roots_ids.n;
	}
	ts.inner = cli_fd_sink(&fd);
	ts.err = 0;
	sink = (struct btfkit_sink){ .write = tracked_write, .ctx = &ts };
	err = btfkit_cdump_header(btf, &hopts, &sink);
	free(roots_ids.ids);
	if (!err)
		return EXIT_OK;
	if (ts.err)
		cli_error("%s: writing the dump: %s", file, strerror(-ts.err));
	else if (err == -ELOOP)
		cli_error("%s: no C declaration order exists: a type loop not broken by a pointer "
			  "to a named struct", file);
	else if (err == -E2BIG)
		cli_error("%s: the C declarations this BTF describes are too large to write "
			  "(padding or nested declarators without end)", file);
	else if (err == -EINVAL)
		cli_error("%s: a type refers to a type id the BTF does not have", file);
	else
		cli_error("%s: writing C declarations: %s", file, strerror(-err));
	return EXIT_INPUT;
}

int cmd_dump(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "base", required_argument, NULL, 'B' },
		{ "sort", no_argument, NULL, 's' },
		{ "type", required_argument, NULL, 't' },
		{ "id", required_argument, NULL, 'i' },
		{ "enum-mode", no_argument, NULL, 'E' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *self = cli_command("dump");
	struct btfkit_dump_opts dopts = { .sz = sizeof(dopts), .format = BTFKIT_DUMP_RAW };
	const char *file = KERNEL_VMLINUX_BTF, *base_path = NULL;
	struct btfkit_btf *base = NULL, *btf = NULL;
	struct root_arg *roots = NULL;
	size_t nr_roots = 0;
	bool c_format = false, sort = false, enum_mode = false;
	struct btfkit_sink sink;
	int opt, err, fd = 1, status = EXIT_INPUT;

	/* Every --type/--id is one of argc's words: room for all of them. */
	roots = calloc((size_t)argc + 1, sizeof(*roots));
	if (!roots) {
		cli_error("%s", strerror(ENOMEM));
		return EXIT_INPUT;
	}
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":f:jB:st:i:E", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			c_format = false;
			if (strcmp(optarg, "raw") == 0) {
				dopts.format = BTFKIT_DUMP_RAW;
			} else if (strcmp(optarg, "json") == 0) {
				dopts.format = BTFKIT_DUMP_JSON;
			} else if (strcmp(optarg, "c") == 0) {
				c_format = true;
			} else {
				status = cli_usage_error(self, "dump: unknown format '%s' (raw, json, c)",
							 optarg);
				goto out;
			}
			break;
		case 'j':
			c_format = false;
			dopts.format = BTFKIT_DUMP_JSON;
			break;
		case 'B':
			base_path = optarg;
			break;
		case 's':
			sort = true;
			break;
		case 'E':
			enum_mode = true;
			break;
		case 't':
			roots[nr_roots++] = (struct root_arg){ .name = optarg };
			break;
		case 'i': {
			char *end;
			unsigned long long v;

			errno = 0;
			v = strtoull(optarg, &end, 0);
			if (!*optarg || *end || errno || v > UINT32_MAX || optarg[0] == '-') {
				status = cli_usage_error(self, "dump: --id wants a type id, not '%s'",
							 optarg);
				goto out;
			}
			roots[nr_roots++] = (struct root_arg){ .is_id = true, .id = (uint32_t)v };
			break;
		}
		case ':':
			status = cli_usage_error(self, "dump: option '%s' needs an argument",
						 argv[optind - 1]);
			goto out;
		default:
			status = cli_usage_error(self, "dump: unknown option '%s'", argv[optind - 1]);
			goto out;
		}
	}
	if ((sort || enum_mode || nr_roots) && !c_format) {
		status = cli_usage_error(self,
					 "dump: --sort, --enum-mode, --type and --id go with --format c");
		goto out;
	}
	if (argc - optind > 1) {
		status = cli_usage_error(self, "dump: one FILE at most");
		goto out;
	}
	if (optind < argc)
		file = argv[optind];
	if (!base_path)
		base_path = cli_default_base(file);

	if (base_path) {
		base = cli_open(base_path, NULL, BTFKIT_OPEN_LAZY_INDEX);
		if (!base)
			goto out;
	}
	/* One sequential pass: no index needed, and memory stays small. */
	btf = cli_open(file, base, BTFKIT_OPEN_LAZY_INDEX);
	if (!btf)
		goto out;
	if (c_format) {
		status = dump_c(btf, file,
				(sort ? BTFKIT_CDUMP_SORT : 0) | (enum_mode ? BTFKIT_CDUMP_ENUM_MODE : 0),
				roots, nr_roots);
		goto out;
	}
	sink = cli_fd_sink(&fd);
	err = btfkit_dump(btf, &dopts, &sink);
	if (err) {
		cli_error("%s: writing the dump: %s", file, strerror(-err));
		goto out;
	}
	status = EXIT_OK;
out:
	free(roots);
	btfkit_btf_free(btf);
	btfkit_btf_free(base);
	return status;
}
