// SPDX-License-Identifier: BSD-2-Clause
/*
 * Modules (a .ko's .BTF and .BTF.base, or a raw split blob) and bases
 * prepared for many modules: validated once, their strings indexed by
 * content so that relocated names reuse the base's offsets.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <btfkit/btf.h>
#include <btfkit/validate.h>

#include "split_int.h"

const char *btfkit_split_verdict_name(enum btfkit_split_verdict v)
{
	switch (v) {
	case BTFKIT_SPLIT_OK:
		return "ok";
	case BTFKIT_SPLIT_MISMATCH:
		return "mismatch";
	case BTFKIT_SPLIT_RELOCATABLE:
		return "relocatable";
	case BTFKIT_SPLIT_INCOMPATIBLE:
		return "incompatible";
	}
	return "unknown";
}

static int fast_sections(struct btfkit_split_module *m);

static int find_sections(struct btfkit_split_module *m, char *msg, size_t msg_sz)
{
	int err;

	m->is_elf = btf_is_elf(m->image, m->image_size);
	if (m->is_elf && fast_sections(m) == 0)
		return 0;
	if (!m->is_elf) {
		uint16_t magic = 0;

		if (m->image_size >= 2)
			memcpy(&magic, m->image, 2);
		if (magic != BTF_MAGIC && magic != BTF_MAGIC_SWAPPED) {
			btf_msg(msg, msg_sz, "not an ELF file or BTF");
			return -EINVAL;
		}
		m->btf = m->image;
		m->btf_size = m->image_size;
		return 0;
	}
	err = btf_elf_find_section(m->image, m->image_size, ".BTF", &m->btf, &m->btf_size, msg,
				   msg_sz);
	if (err)
		return err;
	err = btf_elf_find_section(m->image, m->image_size, ".BTF.base", &m->dist, &m->dist_size,
				   NULL, 0);
	if (err == -ENODATA) {
		m->dist = NULL;
		m->dist_size = 0;
		return 0;
	}
	if (err)
		btf_msg(msg, msg_sz, "ELF section .BTF.base unreadable");
	return err;
}

struct btfkit_split_module *btfkit_split_module_open_mem(const void *data, size_t size, char *msg,
							 size_t msg_sz)
{
	struct btfkit_split_module *m;
	int err;

	if (!data && size)
		return btf_err_ptr(-EINVAL);
	m = calloc(1, sizeof(*m));
	if (!m)
		return btf_err_ptr(-ENOMEM);
	m->image = data;
	m->image_size = size;
	err = find_sections(m, msg, msg_sz);
	if (err) {
		free(m);
		return btf_err_ptr(err);
	}
	return m;
}

static bool shdr_inside(const Elf64_Shdr *sh, uint64_t file_size)
{
	return sh->sh_type != SHT_NOBITS && !(sh->sh_flags & SHF_COMPRESSED) &&
	       sh->sh_offset <= file_size && sh->sh_size <= file_size - sh->sh_offset;
}

/*
 * A 64-bit ELF image of this machine's byte order: its section table read
 * in place for .BTF and .BTF.base (a module has some sixty sections; libelf
 * would build a descriptor for each). 1: not such an image, or anything odd
 * (the caller then goes through libelf, which says what is wrong).
 */
static int fast_sections(struct btfkit_split_module *m)
{
	const Elf64_Shdr *sh, *btf = NULL, *dist = NULL, *strtab;
	uint64_t size = m->image_size;
	Elf64_Ehdr eh;

	if (size < sizeof(eh))
		return 1;
	memcpy(&eh, m->image, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB
									: ELFDATA2MSB) ||
	    eh.e_shentsize != sizeof(Elf64_Shdr) || !eh.e_shnum || eh.e_shstrndx >= eh.e_shnum ||
	    eh.e_shoff > size || (uint64_t)eh.e_shnum * sizeof(*sh) > size - eh.e_shoff ||
	    (uintptr_t)(m->image + eh.e_shoff) % _Alignof(Elf64_Shdr))
		return 1;
	sh = (const Elf64_Shdr *)(m->image + eh.e_shoff);
	strtab = &sh[eh.e_shstrndx];
	if (!shdr_inside(strtab, size) || !strtab->sh_size ||
	    m->image[strtab->sh_offset + strtab->sh_size - 1])
		return 1;
	for (unsigned i = 1; i < eh.e_shnum; i++) {
		const char *n;

		if (sh[i].sh_name >= strtab->sh_size)
			continue;
		n = (const char *)m->image + strtab->sh_offset + sh[i].sh_name;
		if (!btf && strcmp(n, ".BTF") == 0)
			btf = &sh[i];
		else if (!dist && strcmp(n, ".BTF.base") == 0)
			dist = &sh[i];
	}
	if (!btf || !shdr_inside(btf, size) || (dist && !shdr_inside(dist, size)))
		return 1;
	m->is_elf = true;
	m->btf = m->image + btf->sh_offset;
	m->btf_size = btf->sh_size;
	if (dist) {
		m->dist = m->image + dist->sh_offset;
		m->dist_size = dist->sh_size;
	}
	return 0;
}

/* Bytes read before the section table, for the section names just before it. */
#define SECTION_NAMES_LEAD 1024

static int pread_all(int fd, void *buf, size_t n, uint64_t off)
{
	uint8_t *p = buf;

	while (n) {
		ssize_t got = pread(fd, p, n, (off_t)off);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return got < 0 ? -errno : -EINVAL;
		p += got;
		n -= (size_t)got;
		off += (uint64_t)got;
	}
	return 0;
}

/*
 * A 64-bit ELF file of this machine's byte order: read its section table
 * and only .BTF and .BTF.base, not the whole file (a module is mostly code
 * and relocations). 1: not such a file (the caller reads it whole).
 *
 * The file's size is not asked for (one system call less per module, of a
 * handful): the table is where linkers put it, last, and the sections read
 * must lie before its end. Once the table has been read whole, the file is
 * known to be that long; any other layout, or a short read, takes the
 * general path.
 */
static int read_sections(int fd, struct btfkit_split_module *m)
{
	const Elf64_Shdr *btf = NULL, *dist = NULL, *strtab;
	uint8_t *window = NULL;
	char *names = NULL, *names_own = NULL;
	uint64_t lead, start, table_end;
	Elf64_Shdr *sh;
	Elf64_Ehdr eh;
	int err = 1;

	if (pread_all(fd, &eh, sizeof(eh), 0) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB
									: ELFDATA2MSB) ||
	    eh.e_shentsize != sizeof(Elf64_Shdr) || !eh.e_shnum || eh.e_shstrndx >= eh.e_shnum ||
	    eh.e_shoff > UINT64_MAX / 2)
		return 1;
	table_end = eh.e_shoff + (uint64_t)eh.e_shnum * sizeof(*sh);
	/*
	 * The section table and, in the same read, what precedes it: linkers
	 * put the section names just before the table. A module's names take
	 * 300-950 bytes (Debian 6.1's 4,023 modules); a kilobyte more to copy
	 * per module is what a larger lead would cost.
	 */
	lead = (eh.e_shoff < SECTION_NAMES_LEAD ? eh.e_shoff : SECTION_NAMES_LEAD) & ~(uint64_t)7;
	start = eh.e_shoff - lead;
	window = malloc(lead + (size_t)eh.e_shnum * sizeof(*sh));
	if (!window)
		return -ENOMEM;
	sh = (Elf64_Shdr *)(window + lead);
	strtab = &sh[eh.e_shstrndx];
	if (pread_all(fd, window, lead + (size_t)eh.e_shnum * sizeof(*sh), start) ||
	    !shdr_inside(strtab, table_end))
		goto out;
	if (strtab->sh_offset >= start && strtab->sh_size < lead &&
	    strtab->sh_offset - start <= lead - strtab->sh_size) {
		names = (char *)window + (strtab->sh_offset - start);
		if (!strtab->sh_size || names[strtab->sh_size - 1])
			goto out;
	} else {
		names = names_own = malloc(strtab->sh_size + 1);
		if (!names) {
			err = -ENOMEM;
			goto out;
		}
		if (pread_all(fd, names, strtab->sh_size, strtab->sh_offset))
			goto out;
		names[strtab->sh_size] = 0;
	}
	for (unsigned i = 1; i < eh.e_shnum; i++) {
		const char *n;

		if (sh[i].sh_name >= sh[eh.e_shstrndx].sh_size)
			continue;
		n = names + sh[i].sh_name;
		if (!btf && strcmp(n, ".BTF") == 0)
			btf = &sh[i];
		else if (!dist && strcmp(n, ".BTF.base") == 0)
			dist = &sh[i];
	}
	/* Anything unusual (no .BTF, a section outside the file): the general path says what. */
	if (!btf || !shdr_inside(btf, table_end) || (dist && !shdr_inside(dist, table_end)))
		goto out;
	m->owned = malloc(btf->sh_size + (dist ? dist->sh_size : 0) + 1);
	if (!m->owned) {
		err = -ENOMEM;
		goto out;
	}
	if (pread_all(fd, m->owned, btf->sh_size, btf->sh_offset) ||
	    (dist && pread_all(fd, m->owned + btf->sh_size, dist->sh_size, dist->sh_offset))) {
		free(m->owned);
		m->owned = NULL;
		goto out;
	}
	m->is_elf = true;
	m->btf = m->owned;
	m->btf_size = btf->sh_size;
	if (dist) {
		m->dist = m->owned + btf->sh_size;
		m->dist_size = dist->sh_size;
	}
	err = 0;
out:
	free(window);
	free(names_own);
	return err;
}

struct btfkit_split_module *btfkit_split_module_open(const char *path, char *msg, size_t msg_sz)
{
	struct btfkit_split_module *m;
	int err, fd;

	if (!path)
		return btf_err_ptr(-EINVAL);
	m = calloc(1, sizeof(*m));
	if (!m)
		return btf_err_ptr(-ENOMEM);
	/* Not blocking: a FIFO, say, fails its first read and takes the general path. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd >= 0) {
		err = read_sections(fd, m);
		close(fd);
		if (err < 0) {
			free(m);
			return btf_err_ptr(err);
		}
		if (!err) {
			m->path = strdup(path);
			if (m->path)
				return m;
			free(m->owned);
			free(m);
			return btf_err_ptr(-ENOMEM);
		}
	}
	err = btf_image_load(path, false, &m->img, msg, msg_sz);
	if (err) {
		free(m);
		return btf_err_ptr(err);
	}
	m->from_file = true;
	m->image = m->img.data;
	m->image_size = m->img.size;
	m->path = strdup(path);
	err = m->path ? find_sections(m, msg, msg_sz) : -ENOMEM;
	if (err) {
		btf_image_release(&m->img);
		free(m->path);
		free(m);
		return btf_err_ptr(err);
	}
	return m;
}

size_t btfkit_split_module_btf_size(const struct btfkit_split_module *mod)
{
	return mod ? mod->btf_size + mod->dist_size : 0;
}

int split_module_image(const struct btfkit_split_module *mod, struct btf_image *img,
		       const uint8_t **image, size_t *size, char *msg, size_t msg_sz)
{
	int err;

	memset(img, 0, sizeof(*img));
	if (mod->image) {
		*image = mod->image;
		*size = mod->image_size;
		return 0;
	}
	if (!mod->path)
		return -EINVAL;
	err = btf_image_load(mod->path, false, img, msg, msg_sz);
	if (err)
		return err;
	*image = img->data;
	*size = img->size;
	return 0;
}

void btfkit_split_module_free(struct btfkit_split_module *mod)
{
	if (!mod)
		return;
	if (mod->from_file)
		btf_image_release(&mod->img);
	free(mod->owned);
	free(mod->path);
	free(mod);
}

int btfkit_split_module_has_base(const struct btfkit_split_module *mod)
{
	return mod && mod->dist != NULL;
}

struct btfkit_btf *split_open_on(const uint8_t *data, size_t size, const struct btfkit_btf *base,
				 char *msg, size_t msg_sz)
{
	/* Walked and looked up by id; by name only when relocating from it. */
	struct btfkit_open_opts o = {
		.sz = sizeof(o), .base = base, .flags = BTFKIT_OPEN_DEFER_NAMES, .msg = msg,
		.msg_sz = msg_sz,
	};

	return btfkit_btf_open_mem(data, size, &o);
}

/* ---- The base's strings by content ---- */

int split_strs_build(struct split_strs *s, const struct btfkit_btf *btf)
{
	uint32_t n = 0, cap = 16;

	for (uint32_t i = 0; i < btf->strs_len; i++)
		n += !btf->strs[i];
	while (cap < 2 * n + 2)
		cap <<= 1;
	s->slots = calloc(cap, sizeof(*s->slots));
	if (!s->slots)
		return -ENOMEM;
	s->mask = cap - 1;
	for (uint32_t off = 0; off < btf->strs_len;) {
		const char *str = btf->strs + off;
		size_t len = strnlen(str, btf->strs_len - off);
		uint32_t h = btf_name_hash(str) & s->mask;

		if (off + len >= btf->strs_len)
			break; /* not terminated: not a string */
		/* The first of equal strings keeps its slot. */
		while (s->slots[h] && strcmp(btf->strs + s->slots[h] - 1, str) != 0)
			h = (h + 1) & s->mask;
		if (!s->slots[h])
			s->slots[h] = off + 1;
		off += (uint32_t)len + 1;
	}
	return 0;
}

void split_strs_free(struct split_strs *s)
{
	free(s->slots);
	s->slots = NULL;
}

int64_t split_strs_find(const struct split_strs *s, const struct btfkit_btf *btf, const char *str)
{
	uint32_t h;

	if (!s->slots)
		return -ENOENT;
	for (h = btf_name_hash(str) & s->mask; s->slots[h]; h = (h + 1) & s->mask)
		if (strcmp(btf->strs + s->slots[h] - 1, str) == 0)
			return btf->start_str_off + s->slots[h] - 1;
	return -ENOENT;
}

/* Kinds by id and the string starts that are valid identifiers: the validator's. */
static int base_tables(struct btfkit_split_base *sb)
{
	const struct btfkit_btf *b = sb->btf;

	if (b->base)
		return 0; /* a split base: the checks look through the engine */
	sb->kinds = v_base_kinds(sb->vb, &sb->nr_kinds);
	if (sb->kinds && sb->nr_kinds != btfkit_btf_type_count(b))
		sb->kinds = NULL;
	sb->name_bits = v_base_name_bits(sb->vb, &sb->names_scanned);
	return 0;
}

const struct split_strs *split_base_strs(const struct btfkit_split_base *base)
{
	/* The lazy part of an object the API hands out const: guarded by its lock. */
	struct btfkit_split_base *sb = (struct btfkit_split_base *)base;
	int err = 0;

	pthread_mutex_lock(&sb->strs_lock);
	if (!sb->strs_built) {
		err = split_strs_build(&sb->strs, sb->btf);
		sb->strs_built = !err;
	}
	pthread_mutex_unlock(&sb->strs_lock);
	return err ? NULL : &sb->strs;
}

struct btfkit_split_base *btfkit_split_base_new(const struct btfkit_btf *base,
						const struct btfkit_validate_opts *opts, char *msg,
						size_t msg_sz)
{
	struct btfkit_split_base *sb;
	struct btfkit_verdict *v;
	int err;

	if (!base)
		return btf_err_ptr(-EINVAL);
	sb = calloc(1, sizeof(*sb));
	v = malloc(sizeof(*v));
	if (!sb || !v) {
		free(sb);
		free(v);
		return btf_err_ptr(-ENOMEM);
	}
	pthread_mutex_init(&sb->strs_lock, NULL);
	sb->btf = base;
	sb->vb = btfkit_validate_base(base, opts, v);
	if (!sb->vb) {
		err = -errno;
		btf_msg(msg, msg_sz, "%s", v->message[0] ? v->message : "cannot validate the base");
		goto fail;
	}
	err = base_tables(sb);
	if (err)
		goto fail;
	free(v);
	return sb;
fail:
	free(v);
	btfkit_split_base_free(sb);
	return btf_err_ptr(err);
}

void btfkit_split_base_free(struct btfkit_split_base *base)
{
	if (!base)
		return;
	btfkit_validated_base_free(base->vb);
	split_strs_free(&base->strs);
	pthread_mutex_destroy(&base->strs_lock);
	free(base);
}
