// SPDX-License-Identifier: BSD-2-Clause
/*
 * kallsyms, read and parsed at the same time. Reading /proc/kallsyms is the
 * kernel's work (it formats every line); parsing and indexing the lines is
 * ours. The opening thread reads into one reserved region, publishing a
 * chunk each time it has read ~256 KiB, cut at a line end; the BTF thread,
 * once done with BTF, parses each and links its symbols to the BTF FUNC
 * names as it arrives, so on two cores the parse costs next to nothing in
 * wall time. The names the view keeps point into the region, which is never
 * moved: it is reserved large (address space only), so nothing is copied.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kview_int.h"

#define CHUNK (256 * 1024)
/* /proc/kallsyms has no size: what a vmlinux without modules writes, with room. */
#define PREFAULT_GUESS ((size_t)8 << 20)
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif
#define TEXT_RESERVE ((size_t)1 << 30) /* kallsyms of a kernel with every module: ~50 MB */

struct kv_stream {
	pthread_mutex_t lock;
	pthread_cond_t ready;
	int parse_err;
	struct kv_buf *chunks;
	size_t nr, cap;
	bool done;
	int err;
	int fd;
	char *text; /* the region; chunks are ranges of it */
	size_t reserved;
	size_t expected; /* bytes the text is expected to take */
};

void *kv_region_reserve(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);

	/*
	 * Huge pages (MADV_HUGEPAGE) cut the page faults by 60% here but cost
	 * as much in zeroing and compaction: measured, no faster.
	 */
	return p == MAP_FAILED ? NULL : p;
}

static int publish(struct kv_stream *st, char *data, size_t len)
{
	int err = 0;

	pthread_mutex_lock(&st->lock);
	if (st->nr == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 64;
		struct kv_buf *c = realloc(st->chunks, cap * sizeof(*c));

		if (c) {
			st->chunks = c;
			st->cap = cap;
		} else {
			err = -ENOMEM;
		}
	}
	if (!err)
		st->chunks[st->nr++] = (struct kv_buf){ .data = data, .len = len, .cap = len };
	pthread_cond_signal(&st->ready);
	pthread_mutex_unlock(&st->lock);
	return err;
}

static void reader(struct kv_stream *st)
{
	size_t start = 0, len = 0; /* the unpublished text: [start, len) */
	int err = 0;

	for (;;) {
		ssize_t n;
		char *nl;

		if (len + CHUNK + 1 > st->reserved) {
			err = -EFBIG;
			break;
		}
		n = read(st->fd, st->text + len, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (n == 0) {
			/* The rest, a last line without its newline included. */
			if (len > start) {
				st->text[len] = '\0';
				err = publish(st, st->text + start, len - start);
			}
			break;
		}
		len += (size_t)n;
		if (len - start < CHUNK)
			continue;
		nl = memrchr(st->text + start, '\n', len - start);
		if (!nl)
			continue; /* a line longer than a chunk: read on */
		err = publish(st, st->text + start, (size_t)(nl + 1 - (st->text + start)));
		if (err)
			break;
		start = (size_t)(nl + 1 - st->text);
	}
	pthread_mutex_lock(&st->lock);
	st->err = err;
	st->done = true;
	pthread_cond_signal(&st->ready);
	pthread_mutex_unlock(&st->lock);
}

struct kv_stream *kv_stream_start(const char *path, int *err)
{
	struct kv_stream *st = calloc(1, sizeof(*st));

	if (!st) {
		*err = -ENOMEM;
		return NULL;
	}
	st->reserved = TEXT_RESERVE;
	st->text = kv_region_reserve(st->reserved);
	if (!st->text) {
		free(st);
		*err = -ENOMEM;
		return NULL;
	}
	st->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (st->fd < 0) {
		*err = -errno;
		munmap(st->text, st->reserved);
		free(st);
		return NULL;
	}
	{
		struct stat sb;

		st->expected = fstat(st->fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 ?
				       (size_t)sb.st_size + 1 : PREFAULT_GUESS;
		if (st->expected > st->reserved)
			st->expected = st->reserved;
	}
	pthread_mutex_init(&st->lock, NULL);
	pthread_cond_init(&st->ready, NULL);
	*err = 0;
	return st;
}

/*
 * Fault in the pages the reader will write, from another thread: faults in
 * the reader's copy_to_user() lengthen the read, which is the census's
 * critical path. The first chunk is left to the reader, who gets there first.
 * A hint: on kernels without MADV_POPULATE_WRITE the reader faults as usual.
 */
void kv_stream_prefault(struct kv_stream *st)
{
	if (st->expected > CHUNK)
		madvise(st->text + CHUNK, st->expected - CHUNK, MADV_POPULATE_WRITE);
}

void kv_stream_read(struct kv_stream *st)
{
	reader(st);
}

/*
 * Parse (and, when the FUNC index exists, link) each chunk as it arrives,
 * until the reader is done. kv NULL: only wait for the reader.
 */
void kv_stream_consume(struct btfkit_kview *kv, struct kv_stream *st)
{
	size_t next = 0;
	uint32_t linked = 0;
	int err = kv ? 0 : -ECANCELED;

	for (;;) {
		struct kv_buf chunk;

		pthread_mutex_lock(&st->lock);
		while (next == st->nr && !st->done)
			pthread_cond_wait(&st->ready, &st->lock);
		if (next == st->nr) {
			pthread_mutex_unlock(&st->lock);
			break;
		}
		chunk = st->chunks[next++];
		pthread_mutex_unlock(&st->lock);
		if (err)
			continue; /* drain: the reader must finish */
		err = kv_parse_kallsyms(&kv->kallsyms, &chunk);
		if (!err && kv->funcs_ready) {
			err = kv_link_syms(kv, kv->kallsyms.syms, linked, kv->kallsyms.nr);
			linked = kv->kallsyms.nr;
		}
	}
	st->parse_err = err == -ECANCELED ? 0 : err;
}

/* The reader's and the parser's error; the view keeps the text (kv NULL: unmapped). */
int kv_stream_end(struct btfkit_kview *kv, struct kv_stream *st)
{
	int err = st->parse_err ? st->parse_err : st->err;

	close(st->fd);
	pthread_mutex_destroy(&st->lock);
	pthread_cond_destroy(&st->ready);
	free(st->chunks);
	if (kv) {
		/* Names point into it. */
		kv->kallsyms_text = st->text;
		kv->kallsyms_reserved = st->reserved;
	} else {
		munmap(st->text, st->reserved);
	}
	free(st);
	return err;
}
