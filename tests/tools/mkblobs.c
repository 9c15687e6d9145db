// SPDX-License-Identifier: BSD-2-Clause
/*
 * mkblobs DIR: write the hand-built BTF blobs of tests/unit/blobs.c into DIR,
 * for the command-line tests and the parity checks against bpftool.
 *
 * DIR/MANIFEST lists them, one per line: `NAME PARITY [BASE]`, where PARITY
 * says what bpftool 7.1 does with the file:
 *   same       it loads it, and btfkit's raw and JSON output must be identical;
 *   json-differs  it loads it; raw output must be identical, but its JSON is
 *              invalid there (backslash, control characters) and btfkit's is not;
 *   fails      it cannot load it (unknown kinds, big-endian with a 32-byte header).
 * BASE, when present, is the base blob (bpftool -B BASE / btfkit --base BASE).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "blobs.h"

static const char *dir;
static FILE *manifest;
static int failed;

static void emit(const struct btf_builder *b, enum bb_order order, const char *name,
		 const char *parity, const char *base)
{
	char path[4096];
	int err;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	err = bb_write_file(b, order, path);
	if (err) {
		fprintf(stderr, "mkblobs: %s: %s\n", path, strerror(-err));
		failed = 1;
		return;
	}
	fprintf(manifest, "%s %s%s%s\n", name, parity, base ? " " : "", base ? base : "");
}

int main(int argc, char **argv)
{
	struct btf_builder b, base;
	char path[4096];

	if (argc != 2) {
		fprintf(stderr, "usage: mkblobs DIR\n");
		return 2;
	}
	dir = argv[1];
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "mkblobs: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	snprintf(path, sizeof(path), "%s/MANIFEST", dir);
	manifest = fopen(path, "w");
	if (!manifest) {
		fprintf(stderr, "mkblobs: %s: %s\n", path, strerror(errno));
		return 1;
	}
	fprintf(manifest, "# NAME PARITY [BASE]; PARITY: same | json-differs | fails (see mkblobs.c)\n");

	blob_all_kinds(&b);
	emit(&b, BB_LITTLE, "all_kinds.btf", "same", NULL);
	emit(&b, BB_BIG, "all_kinds_be.btf", "same", NULL);
	bb_set_hdr_len(&b, 32);
	emit(&b, BB_LITTLE, "hdr32_nolayout.btf", "same", NULL);
	bb_add_layout(&b, 20);
	emit(&b, BB_LITTLE, "with_layout.btf", "same", NULL);
	emit(&b, BB_BIG, "with_layout_be.btf", "fails", NULL);
	bb_free(&b);

	blob_unknown_kind(&b, 1);
	emit(&b, BB_LITTLE, "unknown_kind_layout.btf", "fails", NULL);
	emit(&b, BB_BIG, "unknown_kind_layout_be.btf", "fails", NULL);
	bb_free(&b);
	blob_unknown_kind(&b, 0);
	emit(&b, BB_LITTLE, "unknown_kind_nolayout.btf", "fails", NULL);
	bb_free(&b);

	blob_split_base(&base);
	blob_split(&b, &base);
	emit(&base, BB_LITTLE, "split_base.btf", "same", NULL);
	emit(&b, BB_LITTLE, "split.btf", "same", "split_base.btf");
	emit(&base, BB_BIG, "split_base_be.btf", "same", NULL);
	emit(&b, BB_BIG, "split_be.btf", "same", "split_base_be.btf");
	bb_free(&b);
	bb_free(&base);

	blob_enums(&b);
	emit(&b, BB_LITTLE, "enums.btf", "same", NULL);
	bb_free(&b);
	blob_bitfields(&b);
	emit(&b, BB_LITTLE, "bitfields.btf", "same", NULL);
	bb_free(&b);
	blob_names(&b, 1);
	emit(&b, BB_LITTLE, "names.btf", "same", NULL);
	bb_free(&b);
	blob_names(&b, 0);
	emit(&b, BB_LITTLE, "names_nonparity.btf", "json-differs", NULL);
	bb_free(&b);
	blob_datasec_bad_var(&b);
	emit(&b, BB_LITTLE, "datasec_bad_var.btf", "same", NULL);
	bb_free(&b);
	bb_init(&b);
	emit(&b, BB_LITTLE, "empty.btf", "same", NULL);
	bb_free(&b);
	blob_many(&b, 300);
	emit(&b, BB_LITTLE, "many.btf", "same", NULL);
	bb_free(&b);

	if (fclose(manifest) != 0)
		failed = 1;
	return failed;
}
