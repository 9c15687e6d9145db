/* SPDX-License-Identifier: BSD-2-Clause */
/* Small helpers shared by the unit tests (no cmocka: tests/tools link these too). */
#ifndef BTFKIT_TESTS_TESTUTIL_H
#define BTFKIT_TESTS_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include <btfkit/btfkit.h>

#include "btf_builder.h"

/* A sink collecting everything into a growing NUL-terminated buffer. */
struct membuf {
	char *data;
	size_t len, cap;
	unsigned writes; /* calls to the sink */
};
int membuf_write(void *ctx, const char *data, size_t len);
void membuf_free(struct membuf *m);
/* A sink that throws the text away (for crash-only tests). */
int discard_write(void *ctx, const char *data, size_t len);

/*
 * Open the builder's blob in the given order; the blob is returned through
 * *blob (caller frees it after freeing the object). flags: btfkit_open_flags.
 */
struct btfkit_btf *tu_open(const struct btf_builder *b, enum bb_order order, unsigned flags,
			   const struct btfkit_btf *base, uint8_t **blob);
/* Open raw bytes (borrowed) with options; msg receives the error line. */
struct btfkit_btf *tu_open_mem(const void *data, size_t size, unsigned flags,
			       const struct btfkit_btf *base, char *msg, size_t msg_sz);

/* One type, or the whole object, as text (malloc()ed; NULL on error with errno set). */
char *tu_dump_type(const struct btfkit_btf *btf, uint32_t id, enum btfkit_dump_format format);
char *tu_dump(const struct btfkit_btf *btf, enum btfkit_dump_format format);

/* Bytes a type occupies (record + trailing data), measured with the cursor API. */
size_t tu_type_bytes(const struct btfkit_btf *btf, uint32_t id);

/* Deterministic pseudo-random numbers (xorshift64*), the same on every run and host. */
uint64_t tu_rand(uint64_t *state);

/* The count of passed/failed tests, printed as the project's closing line. */
int tu_report(size_t nr_tests, int failed);

#endif /* BTFKIT_TESTS_TESTUTIL_H */
