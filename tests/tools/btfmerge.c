// SPDX-License-Identifier: BSD-2-Clause
/*
 * btfmerge OUT IN...: the BTF of several files (raw or ELF) in one raw blob,
 * deduplicated, through libbpf (btf__add_btf, btf__dedup). The resolver
 * tests use it to make a "vmlinux" BTF that keeps every static function of a
 * repeated name, one FUNC per file, as the kernel's BTF of 6.1 does
 * (pahole 1.24 keeps only the first function of a name it meets).
 */
#include <bpf/btf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	struct btf *out;
	const void *raw;
	__u32 size;
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: btfmerge OUT IN...\n");
		return 2;
	}
	out = btf__new_empty();
	if (!out)
		return 1;
	for (int i = 2; i < argc; i++) {
		struct btf *in = btf__parse(argv[i], NULL);

		if (!in || btf__add_btf(out, in) < 0) {
			fprintf(stderr, "btfmerge: %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		btf__free(in);
	}
	if (btf__dedup(out, NULL)) {
		fprintf(stderr, "btfmerge: dedup: %s\n", strerror(errno));
		return 1;
	}
	raw = btf__raw_data(out, &size);
	f = fopen(argv[1], "wb");
	if (!raw || !f || fwrite(raw, 1, size, f) != size || fclose(f)) {
		fprintf(stderr, "btfmerge: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	btf__free(out);
	return 0;
}
