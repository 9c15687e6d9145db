// SPDX-License-Identifier: BSD-2-Clause
/*
 * btfkit's validator against the kernel's, on one BTF file (bench/run.sh
 * passes a copy of /sys/kernel/btf/vmlinux):
 *
 *   btfkit_validate_mem() on the bytes in memory, against bpf(BPF_BTF_LOAD)
 *   of the same bytes with log level 0 (+ close of the new fd), interleaved
 *   after a warm-up. Both must accept the blob.
 *
 *   bench_validate FILE [ITERATIONS]
 *
 * Prints "key value" lines (nanoseconds, medians) for bench/run.sh, then
 * "N passed, N failed"; exit 1 on a failed check, 77 when the kernel's
 * BPF_BTF_LOAD is not available (not root).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/bpf.h>

#include <btfkit/btfkit.h>

#include "bench_util.h"

static int kernel_load(const void *data, uint32_t size)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.btf = (uint64_t)(uintptr_t)data;
	attr.btf_size = size;
	fd = (int)syscall(SYS_bpf, BPF_BTF_LOAD, &attr, sizeof(attr));
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned iters = argc > 2 ? (unsigned)atoi(argv[2]) : 30;
	uint64_t *tk, *tb;
	struct btfkit_verdict v;
	unsigned passed = 0, failed = 0;
	uint8_t *data;
	long size;
	FILE *f;
	int err;

	if (argc < 2 || !iters) {
		fprintf(stderr, "usage: bench_validate FILE [ITERATIONS]\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "bench_validate: cannot read %s\n", argv[1]);
		return 1;
	}
	data = malloc((size_t)size);
	if (!data || fread(data, 1, (size_t)size, f) != (size_t)size)
		return 1;
	fclose(f);

	err = kernel_load(data, (uint32_t)size);
	if (err == -EPERM || err == -ENOSYS) {
		printf("bench_validate: BPF_BTF_LOAD unavailable (%s)\n", strerror(-err));
		return 77;
	}
	if (err) {
		fprintf(stderr, "bench_validate: FAILED: the kernel rejects %s: %s\n", argv[1],
			strerror(-err));
		failed++;
	} else {
		passed++;
	}
	if (btfkit_validate_mem(data, (size_t)size, NULL, NULL, &v) || !v.valid) {
		fprintf(stderr, "bench_validate: FAILED: btfkit rejects %s: %s\n", argv[1],
			v.message);
		failed++;
	} else {
		passed++;
	}

	tk = calloc(iters, sizeof(*tk));
	tb = calloc(iters, sizeof(*tb));
	for (unsigned i = 0; i < iters + 3; i++) {
		uint64_t t0 = now_ns(), t1, t2;

		btfkit_validate_mem(data, (size_t)size, NULL, NULL, &v);
		t1 = now_ns();
		kernel_load(data, (uint32_t)size);
		t2 = now_ns();
		/* The first rounds warm caches and allocators up. */
		if (i >= 3) {
			tb[i - 3] = t1 - t0;
			tk[i - 3] = t2 - t1;
		}
	}
	printf("validate_types %u\n", v.nr_types);
	printf("validate_btfkit_ns %llu\n", (unsigned long long)median(tb, iters));
	printf("validate_kernel_ns %llu\n", (unsigned long long)median(tk, iters));
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
