// SPDX-License-Identifier: BSD-2-Clause
/*
 * kallsyms, read and parsed at the same time. Reading /proc/kallsyms is the
 * kernel's work (it formats every line); parsing and indexing the lines is
 * ours. The opening thread reads, filling chunks that end on a line
 * boundary; the BTF thread, once done with BTF, parses each and links its
 * symbols to the BTF FUNC names as it arrives, so on two cores the parse
 * costs next to nothing in wall time. Chunks are
 * never moved: the names the view keeps point into them.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kview_int.h"

#define CHUNK (512 * 1024)

struct kv_stream {
	pthread_mutex_t lock;
	pthread_cond_t ready;
	int parse_err;
	struct kv_buf *chunks;
	size_t nr, cap;
	bool done;
	int err;
	int fd;
};

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

static void *reader(void *arg)
{
	struct kv_stream *st = arg;
	char *carry = NULL;
	size_t carry_len = 0;
	int err = 0;

	for (;;) {
		char *buf = malloc(CHUNK + carry_len + 1), *nl;
		size_t len = carry_len;
		bool eof = false;

		if (!buf) {
			err = -ENOMEM;
			break;
		}
		if (carry_len)
			memcpy(buf, carry, carry_len);
		free(carry);
		carry = NULL;
		carry_len = 0;
		while (len < CHUNK) {
			ssize_t n = read(st->fd, buf + len, CHUNK + 0 - len);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				err = -errno;
				break;
			}
			if (n == 0) {
				eof = true;
				break;
			}
			len += (size_t)n;
		}
		if (err) {
			free(buf);
			break;
		}
		/* Keep the partial last line for the next chunk. */
		nl = eof ? NULL : memrchr(buf, '\n', len);
		if (nl && (size_t)(nl + 1 - buf) < len) {
			carry_len = len - (size_t)(nl + 1 - buf);
			carry = malloc(carry_len);
			if (!carry) {
				free(buf);
				err = -ENOMEM;
				break;
			}
			memcpy(carry, nl + 1, carry_len);
			len -= carry_len;
		}
		buf[len] = '\0';
		err = publish(st, buf, len);
		if (err) {
			free(buf);
			break;
		}
		if (eof)
			break;
	}
	free(carry);
	pthread_mutex_lock(&st->lock);
	st->err = err;
	st->done = true;
	pthread_cond_signal(&st->ready);
	pthread_mutex_unlock(&st->lock);
	return NULL;
}

struct kv_stream *kv_stream_start(const char *path, int *err)
{
	struct kv_stream *st = calloc(1, sizeof(*st));

	if (!st) {
		*err = -ENOMEM;
		return NULL;
	}
	st->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (st->fd < 0) {
		*err = -errno;
		free(st);
		return NULL;
	}
	pthread_mutex_init(&st->lock, NULL);
	pthread_cond_init(&st->ready, NULL);
	*err = 0;
	return st;
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

/* The reader's and the parser's error; the view keeps the chunks (kv NULL: freed). */
int kv_stream_end(struct btfkit_kview *kv, struct kv_stream *st)
{
	int err = st->parse_err ? st->parse_err : st->err;

	close(st->fd);
	pthread_mutex_destroy(&st->lock);
	pthread_cond_destroy(&st->ready);
	if (kv) {
		/* Names point into the chunks. */
		kv->kallsyms_chunks = st->chunks;
		kv->nr_kallsyms_chunks = st->nr;
	} else {
		for (size_t i = 0; i < st->nr; i++)
			free(st->chunks[i].data);
		free(st->chunks);
	}
	free(st);
	return err;
}
