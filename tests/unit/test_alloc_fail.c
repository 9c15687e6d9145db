// SPDX-License-Identifier: BSD-2-Clause
/*
 * Allocation failure, every allocation in turn (curl's "torture" idea): this
 * program is linked with --wrap=malloc/calloc/realloc, so every allocation the
 * library makes goes through the wrappers below, which can fail the Nth one.
 * Each operation is run with failure at allocation 1, 2, 3, ... until it
 * succeeds without any injected failure. Every failing run must report
 * ENOMEM cleanly; under the sanitizer build, LeakSanitizer checks that no
 * path leaks.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <btfkit/btfkit.h>

#include "blobs.h"
#include "testutil.h"

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);

static long fail_at; /* 0: never; N: the Nth allocation from now fails */
static long alloc_count;
static int injected;

/* Atomic: opening large BTF allocates on two threads at once (lib/btf/index.c). */
static int should_fail(void)
{
	long at = __atomic_load_n(&fail_at, __ATOMIC_RELAXED);

	if (at && __atomic_add_fetch(&alloc_count, 1, __ATOMIC_RELAXED) == at) {
		__atomic_store_n(&injected, 1, __ATOMIC_RELAXED);
		return 1;
	}
	return 0;
}

void *__wrap_malloc(size_t size)
{
	return should_fail() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return should_fail() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
	return should_fail() ? NULL : __real_realloc(p, size);
}

/* From now on, fail the nth allocation (the operations call it after their setup). */
static long arm_n;
static void arm(void)
{
	alloc_count = 0;
	injected = 0;
	fail_at = arm_n;
}

/* One operation on the blob: returns 0, or a negative errno. */
typedef int (*operation_fn)(const void *blob, size_t size, const char *path);

static int op_open_eager(const void *blob, size_t size, const char *path)
{
	struct btfkit_btf *btf;

	(void)path;
	arm();
	btf = btfkit_btf_open_mem(blob, size, NULL);
	if (!btf)
		return -errno;
	btfkit_btf_free(btf);
	return 0;
}

static int op_open_copy_lazy_lookups(const void *blob, size_t size, const char *path)
{
	struct btfkit_open_opts opts = { .sz = sizeof(opts),
					 .flags = BTFKIT_OPEN_COPY | BTFKIT_OPEN_LAZY_INDEX };
	struct btfkit_btf *btf;
	int err = 0;

	(void)path;
	arm();
	btf = btfkit_btf_open_mem(blob, size, &opts);
	if (!btf)
		return -errno;
	/* The lazy tables are built here, on first use: their failures must surface too. */
	if (btfkit_btf_find(btf, "s", BTFKIT_KIND_STRUCT) < 0)
		err = -errno;
	btfkit_btf_free(btf);
	return err;
}

static int op_open_file(const void *blob, size_t size, const char *path)
{
	struct btfkit_btf *btf;

	(void)blob;
	(void)size;
	arm();
	btf = btfkit_btf_open(path, NULL);
	if (!btf)
		return -errno;
	btfkit_btf_free(btf);
	return 0;
}

static int op_dump_and_serialize(const void *blob, size_t size, const char *path)
{
	struct btfkit_sink sink = { .write = discard_write };
	struct btfkit_dump_opts dopts = { .sz = sizeof(dopts), .format = BTFKIT_DUMP_JSON };
	struct btfkit_btf *btf;
	void *out = NULL;
	size_t out_size;
	int err;

	(void)path;
	/* Opening is tortured above; here the failures are the dump's and the writer's. */
	btf = btfkit_btf_open_mem(blob, size, NULL);
	assert_non_null(btf);
	arm();
	err = btfkit_dump(btf, &dopts, &sink);
	if (!err)
		err = btfkit_btf_serialize(btf, BTFKIT_ORDER_AS_READ, &out, &out_size);
	free(out);
	btfkit_btf_free(btf);
	return err;
}

/* The raw bytes of a loaded BTF object, read back from the kernel. */
static int op_bpf_btf_data(const void *blob, size_t size, const char *path)
{
	struct btf_builder b;
	uint32_t got = 0;
	uint8_t *small;
	size_t len;
	void *back;
	int fd, err = 0;

	/* A blob every kernel takes (the all-kinds one has kinds older kernels refuse). */
	(void)blob;
	(void)size;
	(void)path;
	bb_init(&b);
	bb_int(&b, "int", 4, BTFKIT_INT_SIGNED, 0, 32);
	small = bb_finish(&b, BB_LITTLE, &len);
	bb_free(&b);
	fd = btfkit_bpf_btf_load(small, len, NULL);
	if (fd < 0) {
		free(small);
		return fd == -EPERM ? 0 : fd; /* no bpf() here: nothing to torture */
	}
	arm();
	back = btfkit_bpf_btf_data(fd, &got);
	fail_at = 0;
	if (!back)
		err = -errno;
	else if (got != len || memcmp(back, small, len) != 0)
		err = -EIO;
	free(back);
	free(small);
	close(fd);
	return err;
}

/* The freplace probe: its BTF is built in memory first. */
static int op_probe(const void *blob, size_t size, const char *path)
{
	struct btfkit_probe_result r = { .sz = sizeof(r) };
	int err;

	(void)blob;
	(void)size;
	(void)path;
	arm();
	err = btfkit_probe_freplace_tailcall(&r);
	return err == -EPERM && !injected ? 0 : err;
}

/* A module's check on a base (the base prepared under failure too): ENOMEM, never a verdict. */
static int op_split_check(const void *blob, size_t size, const char *path)
{
	struct btfkit_split_result *res = malloc(sizeof(*res));
	struct btfkit_split_module *mod = NULL;
	struct btfkit_split_base *sb = NULL;
	struct btf_builder b, m;
	uint8_t *base_blob, *mod_blob;
	size_t base_size, mod_size;
	struct btfkit_btf *base;
	uint32_t i, foo;
	int err = 0;

	(void)blob;
	(void)size;
	(void)path;
	assert_non_null(res);
	bb_init(&b);
	i = bb_int(&b, "int", 4, BTFKIT_INT_SIGNED, 0, 32);
	foo = bb_struct(&b, "foo", 4, 0);
	bb_member(&b, "a", i, 0, 0);
	bb_init_split_on(&m, &b);
	bb_struct(&m, "mod_priv", 4, 0);
	bb_member(&m, "f", foo, 0, 0);
	base_blob = bb_finish(&b, BB_LITTLE, &base_size);
	mod_blob = bb_finish(&m, BB_LITTLE, &mod_size);
	base = btfkit_btf_open_mem(base_blob, base_size, NULL);
	assert_non_null(base);
	arm();
	sb = btfkit_split_base_new(base, NULL, NULL, 0);
	if (!sb)
		err = -errno;
	if (!err && !(mod = btfkit_split_module_open_mem(mod_blob, mod_size, NULL, 0)))
		err = -errno;
	if (!err)
		err = btfkit_split_check(sb, mod, sb, res);
	fail_at = 0;
	if (!err && res->verdict != BTFKIT_SPLIT_OK)
		err = -EIO;
	btfkit_split_module_free(mod);
	btfkit_split_base_free(sb);
	btfkit_btf_free(base);
	free(base_blob);
	free(mod_blob);
	bb_free(&b);
	bb_free(&m);
	free(res);
	return err;
}

/* A type section over 1 MiB, names denser than the first table: two threads, then a rebuild. */
static void blob_large(struct btf_builder *b)
{
	char name[32];

	bb_init(b);
	for (uint32_t i = 0; i < 90000; i++) {
		snprintf(name, sizeof(name), "n%u", i);
		bb_int(b, name, 4, 0, 0, 32);
	}
}

static void torture_blob(operation_fn op, const char *what, void (*make)(struct btf_builder *))
{
	struct btf_builder b;
	char path[] = "/tmp/btfkit-alloc-XXXXXX";
	size_t size;
	uint8_t *blob;
	long n;
	int fd;

	make(&b); /* initializes the builder */
	blob = bb_finish(&b, BB_LITTLE, &size);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, blob, size), (ssize_t)size);
	close(fd);

	for (n = 1; n < 1000; n++) {
		int err;

		arm_n = n;
		fail_at = 0;
		injected = 0;
		err = op(blob, size, path);
		fail_at = 0;
		if (!injected) {
			/* No allocation left to fail: the operation must have worked. */
			assert_int_equal(err, 0);
			break;
		}
		if (err != -ENOMEM)
			fail_msg("%s: allocation %ld failed, got %d instead of -ENOMEM", what, n, err);
	}
	assert_true(n > 1); /* every operation allocates something */
	assert_true(n < 1000);
	unlink(path);
	free(blob);
	bb_free(&b);
}

static void torture(operation_fn op, const char *what)
{
	torture_blob(op, what, blob_all_kinds);
}

static void test_open_eager(void **state)
{
	(void)state;
	torture(op_open_eager, "open_mem");
	/* The name index built on two threads: every failure joins the second one. */
	torture_blob(op_open_eager, "open_mem of 1.4 MB", blob_large);
}

static void test_open_lazy_then_lookup(void **state)
{
	(void)state;
	torture(op_open_copy_lazy_lookups, "open_mem lazy + find");
}

static void test_open_file(void **state)
{
	(void)state;
	torture(op_open_file, "open file");
}

static void test_dump_and_serialize(void **state)
{
	(void)state;
	torture(op_dump_and_serialize, "dump + serialize");
}

static void test_bpf_btf_data(void **state)
{
	(void)state;
	torture(op_bpf_btf_data, "bpf btf data");
}

static void test_probe(void **state)
{
	(void)state;
	torture(op_probe, "freplace probe");
}

static void test_split_check(void **state)
{
	(void)state;
	torture(op_split_check, "split base + check");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_eager),
		cmocka_unit_test(test_open_lazy_then_lookup),
		cmocka_unit_test(test_open_file),
		cmocka_unit_test(test_dump_and_serialize),
		cmocka_unit_test(test_bpf_btf_data),
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_split_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
