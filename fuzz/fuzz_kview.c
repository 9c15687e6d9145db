// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer target for the kernel view's text parsers: kallsyms / System.map
 * and tracefs's available_filter_functions[_addrs], which an offline view
 * reads from files anyone may hand over. The input is split at its first
 * 0xff byte: kallsyms before, the ftrace list after (read as the
 * error-injection list too). The view is opened from
 * them (no BTF), then every symbol name of the first lines is resolved as a
 * kprobe and as an fentry target, and a census is taken.
 *
 * Invariants checked (abort on failure): every address listed for a kprobe
 * name carries that name (or, on this pre-6.10 version, NAME.llvm.<hash>); the kernel's pick is one of them; the census of a
 * view without BTF has no record.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <btfkit/btfkit.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_kview: invariant: %s\n", what);
	abort();
}

static int write_fd(const char *name, const uint8_t *p, size_t n)
{
	int fd = memfd_create(name, 0);

	if (fd < 0)
		return -1;
	if (n && write(fd, p, n) != (ssize_t)n) {
		close(fd);
		return -1;
	}
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *sep = memchr(data, 0xff, size);
	size_t klen = sep ? (size_t)(sep - data) : size;
	char kpath[64], fpath[64], name[128];
	int kfd = write_fd("kallsyms", data, klen);
	int ffd = write_fd("ftrace", sep ? sep + 1 : data, sep ? size - klen - 1 : 0);
	struct btfkit_kview_opts o = { .sz = sizeof(o), .kernel_version = "6.1.60" };
	struct btfkit_census_counts c = { .sz = sizeof(c) };
	struct btfkit_kview *kv;

	if (kfd < 0 || ffd < 0)
		goto out;
	snprintf(kpath, sizeof(kpath), "/proc/self/fd/%d", kfd);
	snprintf(fpath, sizeof(fpath), "/proc/self/fd/%d", ffd);
	o.kallsyms = kpath;
	o.ftrace = fpath;
	o.error_injection = fpath;
	kv = btfkit_kview_open(&o);
	if (!kv)
		goto out;
	if (btfkit_census(kv, NULL, &c) != 0 || c.records)
		fail("a census without BTF has records");
	/* Names from the first lines: "ADDR T NAME". */
	for (size_t i = 0, lines = 0; i < klen && lines < 8; lines++) {
		const uint8_t *nl = memchr(data + i, '\n', klen - i);
		size_t end = nl ? (size_t)(nl - data) : klen, n = 0;
		const char *sp;
		char line[256];

		snprintf(line, sizeof(line), "%.*s", (int)(end - i), (const char *)data + i);
		i = end + 1;
		sp = strrchr(line, ' ');
		if (!sp)
			continue;
		while (sp[1 + n] && sp[1 + n] != '\t' && n + 1 < sizeof(name)) {
			name[n] = sp[1 + n];
			n++;
		}
		name[n] = '\0';
		if (!n || strchr(name, ':'))
			continue;
		for (int attach = 0; attach <= BTFKIT_ATTACH_KPROBE; attach++) {
			struct btfkit_resolve_opts ro = { .sz = sizeof(ro), .attach = attach };
			struct btfkit_resolution *r = btfkit_resolve(kv, name, &ro);

			if (!r)
				continue;
			if (attach == BTFKIT_ATTACH_KPROBE) {
				for (size_t a = 0; a < r->nr_addrs; a++)
					if (strcmp(r->addrs[a].name, name) != 0 &&
					    (strncmp(r->addrs[a].name, name, n) != 0 ||
					     strncmp(r->addrs[a].name + n, ".llvm.", 6) != 0))
						fail("a kprobe address under another name");
			}
			if (r->nr_addrs && (r->pick < 0 || (size_t)r->pick >= r->nr_addrs))
				fail("the pick is not one of the addresses");
			btfkit_resolution_free(r);
		}
	}
	btfkit_kview_free(kv);
out:
	if (kfd >= 0)
		close(kfd);
	if (ffd >= 0)
		close(ffd);
	return 0;
}
