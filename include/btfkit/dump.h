/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Dumping BTF as text: bpftool's raw format and its JSON document.
 *
 * Output goes to a sink: a callback that receives the text in chunks. The
 * library buffers, so the callback sees few large writes.
 */
#ifndef BTFKIT_DUMP_H
#define BTFKIT_DUMP_H

#include <stddef.h>
#include <stdint.h>

#include <btfkit/api.h>

#ifdef __cplusplus
extern "C" {
#endif

struct btfkit_btf;

/* Where text goes. write() returns 0, or a negative errno that stops the dump. */
struct btfkit_sink {
	int (*write)(void *ctx, const char *data, size_t len);
	void *ctx;
};

enum btfkit_dump_format {
	/* `bpftool btf dump file F`: "[id] KIND 'name' key=value ..." per type. */
	BTFKIT_DUMP_RAW = 0,
	/* `bpftool -j btf dump file F`: {"types":[{...},...]} on one line. */
	BTFKIT_DUMP_JSON = 1,
};

struct btfkit_dump_opts {
	size_t sz; /* sizeof(struct btfkit_dump_opts) */
	enum btfkit_dump_format format;
};

/*
 * Dump every type of this object (only its own types when it is split, with
 * their ids, as bpftool does). Returns 0, or the sink's negative errno.
 */
BTFKIT_API int btfkit_dump(const struct btfkit_btf *btf, const struct btfkit_dump_opts *opts,
			   const struct btfkit_sink *sink);

/*
 * Dump one type in the given format: for RAW the same text as in the full dump
 * (with its trailing newline), for JSON the one object. Returns 0 or negative errno.
 */
BTFKIT_API int btfkit_dump_type(const struct btfkit_btf *btf, uint32_t id,
				enum btfkit_dump_format format, const struct btfkit_sink *sink);

#ifdef __cplusplus
}
#endif

#endif /* BTFKIT_DUMP_H */
