// SPDX-License-Identifier: BSD-2-Clause
/*
 * Getting the bytes: files are mapped (or read, for files that cannot be
 * mapped, like some sysfs files), memory is borrowed or copied, and an ELF
 * image gives up its .BTF section. Then lib/btf/parse.c takes over.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btf_int.h"

#define MAX_BASE_DEPTH 32

int btf_err(int err)
{
	errno = -err;
	return err;
}

void *btf_err_ptr(int err)
{
	errno = -err;
	return NULL;
}

void *btf_zalloc(size_t n, size_t size)
{
	void *p;

	/* Below glibc's mapping threshold a table comes from the heap: calloc() is right. */
	if (!n || size > ((size_t)-1) / n || n * size < (128u << 10))
		return calloc(n ? n : 1, size);
	p = malloc(n * size);
	/* Not memset(): compilers turn malloc() + memset() back into calloc(). */
	if (p)
		explicit_bzero(p, n * size);
	return p;
}

void btf_msg(char *msg, size_t msg_sz, const char *fmt, ...)
{
	va_list ap;

	if (!msg || !msg_sz)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, msg_sz, fmt, ap);
	va_end(ap);
}

static void release_image(struct btfkit_btf *btf)
{
	struct btf_image img = { btf->image, btf->image_size, btf->storage };

	btf_image_release(&img);
	btf->image = NULL;
}

void btf_release_own_pages(const struct btfkit_btf *btf)
{
	/*
	 * The mapping is read-only and private: dropped pages are never lost,
	 * a later access maps them again from the page cache.
	 */
	if (btf->storage == BTF_STORAGE_MAPPED)
		madvise((void *)btf->image, btf->image_size, MADV_DONTNEED);
}

void btf_release_pages(const struct btfkit_btf *btf)
{
	for (; btf; btf = btf->base)
		btf_release_own_pages(btf);
}

void btfkit_btf_free(struct btfkit_btf *btf)
{
	if (!btf)
		return;
	btf_names_free(btf);
	free(btf->type_offs);
	free(btf->checkpoints);
	free(btf->types_swapped);
	release_image(btf);
	free(btf);
}

/* The options as this library version knows them, whatever size the caller's struct is. */
static struct btfkit_open_opts opts_get(const struct btfkit_open_opts *opts)
{
	struct btfkit_open_opts o = { 0 };

	if (opts)
		memcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));
	o.sz = sizeof(o);
	return o;
}

/* Find the blob in the image (the image itself, or its .BTF section) and parse it. */
static struct btfkit_btf *finish_open(struct btfkit_btf *btf, const struct btfkit_open_opts *o)
{
	const uint8_t *blob = btf->image;
	size_t blob_size = btf->image_size;
	unsigned depth = 0;
	int err;

	for (const struct btfkit_btf *b = o->base; b; b = b->base) {
		if (++depth > MAX_BASE_DEPTH) {
			btf_msg(o->msg, o->msg_sz, "base chain deeper than %d", MAX_BASE_DEPTH);
			err = -EINVAL;
			goto fail;
		}
	}
	if (btf_is_elf(btf->image, btf->image_size)) {
		err = btf_elf_find_section(btf->image, btf->image_size, ".BTF", &blob, &blob_size,
					   o->msg, o->msg_sz);
		if (err)
			goto fail;
	}
	if (blob_size > UINT32_MAX) {
		btf_msg(o->msg, o->msg_sz, "BTF larger than 4 GiB");
		err = -EINVAL;
		goto fail;
	}
	if (btf->storage == BTF_STORAGE_OWNED && blob != btf->image) {
		/* Memory of our own (a decompressed module, say): keep .BTF, not the whole file. */
		uint8_t *copy = malloc(blob_size ? blob_size : 1);

		if (!copy) {
			err = -ENOMEM;
			goto fail;
		}
		memcpy(copy, blob, blob_size);
		release_image(btf);
		btf->image = copy;
		btf->image_size = blob_size;
		btf->storage = BTF_STORAGE_OWNED;
		blob = copy;
	}
	btf->blob = blob;
	btf->blob_size = (uint32_t)blob_size;
	btf->base = o->base;
	btf->defer_names = o->flags & BTFKIT_OPEN_DEFER_NAMES;
	err = btf_parse_blob(btf, o->flags & BTFKIT_OPEN_LAZY_INDEX, o->msg, o->msg_sz);
	if (err)
		goto fail;
	return btf;
fail:
	btfkit_btf_free(btf);
	return btf_err_ptr(err);
}

static int read_whole(int fd, uint8_t **out, size_t *out_size)
{
	size_t cap = 1 << 16, len = 0;
	uint8_t *buf = malloc(cap);

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (len == cap) {
			uint8_t *bigger = realloc(buf, cap * 2);

			if (!bigger) {
				free(buf);
				return -ENOMEM;
			}
			buf = bigger;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = -errno;

			free(buf);
			return err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*out = buf;
	*out_size = len;
	return 0;
}

/* A compressed file (a .ko.xz, say) is replaced by what it holds. */
static int decompress_image(struct btf_image *img, char *msg, size_t msg_sz)
{
	uint8_t *data;
	size_t size;
	int err = btf_decompress(img->data, img->size, &data, &size, msg, msg_sz);

	btf_image_release(img);
	if (err)
		return err;
	img->data = data;
	img->size = size;
	img->storage = BTF_STORAGE_OWNED;
	return 0;
}

int btf_image_load(const char *path, bool populate, struct btf_image *img, char *msg,
		   size_t msg_sz)
{
	struct stat st;
	int fd, err;

	memset(img, 0, sizeof(*img));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		btf_msg(msg, msg_sz, "%s", strerror(-err));
		return err;
	}
	if (fstat(fd, &st) < 0) {
		err = -errno;
		btf_msg(msg, msg_sz, "%s", strerror(-err));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		err = -EISDIR;
		btf_msg(msg, msg_sz, "is a directory");
		goto out;
	}
	if (S_ISREG(st.st_mode) && st.st_size > 0) {
		void *map = mmap(NULL, (size_t)st.st_size, PROT_READ,
				 MAP_PRIVATE | (populate ? MAP_POPULATE : 0), fd, 0);

		if (map != MAP_FAILED) {
			img->data = map;
			img->size = (size_t)st.st_size;
			img->storage = BTF_STORAGE_MAPPED;
		}
	}
	if (!img->data) {
		uint8_t *buf = NULL;
		size_t size = 0;

		err = read_whole(fd, &buf, &size);
		if (err) {
			btf_msg(msg, msg_sz, "read failed: %s", strerror(-err));
			goto out;
		}
		img->data = buf;
		img->size = size;
		img->storage = BTF_STORAGE_OWNED;
	}
	err = 0;
	if (img->size == 0) {
		btf_msg(msg, msg_sz, "empty file");
		btf_image_release(img);
		err = -EINVAL;
	} else if (btf_compression(img->data, img->size)) {
		err = decompress_image(img, msg, msg_sz);
	}
out:
	close(fd);
	return err;
}

void btf_image_release(struct btf_image *img)
{
	if (!img->data)
		return;
	if (img->storage == BTF_STORAGE_MAPPED)
		munmap((void *)img->data, img->size);
	else if (img->storage == BTF_STORAGE_OWNED)
		free((void *)img->data);
	img->data = NULL;
}

struct btfkit_btf *btf_open_image(struct btf_image *img, const struct btfkit_open_opts *opts)
{
	struct btfkit_open_opts o = opts_get(opts);
	struct btfkit_btf *btf = calloc(1, sizeof(*btf));

	if (!btf) {
		btf_image_release(img);
		return btf_err_ptr(-ENOMEM);
	}
	btf->image = img->data;
	btf->image_size = img->size;
	btf->storage = img->storage;
	img->data = NULL;
	return finish_open(btf, &o);
}

struct btfkit_btf *btfkit_btf_open(const char *path, const struct btfkit_open_opts *opts)
{
	struct btfkit_open_opts o = opts_get(opts);
	struct btf_image img;
	int err;

	if (!path)
		return btf_err_ptr(-EINVAL);
	/*
	 * Not populated in one go, even for an eager open that reads every
	 * type: a page is then mapped by the thread that first reads it (large
	 * BTF is indexed by two), and of an ELF file only .BTF is mapped in.
	 */
	err = btf_image_load(path, false, &img, o.msg, o.msg_sz);
	if (err)
		return btf_err_ptr(err);
	return btf_open_image(&img, &o);
}

struct btfkit_btf *btfkit_btf_open_mem(const void *data, size_t size,
				       const struct btfkit_open_opts *opts)
{
	struct btfkit_open_opts o = opts_get(opts);
	struct btfkit_btf *btf;

	if (!data && size)
		return btf_err_ptr(-EINVAL);
	btf = calloc(1, sizeof(*btf));
	if (!btf)
		return btf_err_ptr(-ENOMEM);
	if (o.flags & BTFKIT_OPEN_COPY) {
		uint8_t *copy = malloc(size ? size : 1);

		if (!copy) {
			free(btf);
			return btf_err_ptr(-ENOMEM);
		}
		memcpy(copy, data, size);
		btf->image = copy;
		btf->storage = BTF_STORAGE_OWNED;
	} else {
		btf->image = data;
		btf->storage = BTF_STORAGE_BORROWED;
	}
	btf->image_size = size;
	return finish_open(btf, &o);
}
