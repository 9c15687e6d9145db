// SPDX-License-Identifier: BSD-2-Clause
/*
 * Module BTF: live from /sys/kernel/btf, offline from a directory of .ko
 * files, each split on the view's vmlinux BTF. Offline, a module's own ELF
 * symbol table stands for its part of kallsyms (the kernel keeps that
 * table's function symbols, in that order, when it loads the module).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <btfkit/btf.h>

#include "kview_int.h"
#include "../btf/btf_int.h"

#define SYS_BTF_DIR "/sys/kernel/btf"

struct path_list {
	char **paths;
	size_t n, cap;
};

static int list_add(struct path_list *l, const char *path)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		char **p = realloc(l->paths, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		l->paths = p;
		l->cap = cap;
	}
	l->paths[l->n] = strdup(path);
	if (!l->paths[l->n])
		return -ENOMEM;
	l->n++;
	return 0;
}

static void list_free(struct path_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->paths[i]);
	free(l->paths);
}

/* A module file: .ko, or compressed as the kernel's build installs it. */
static bool is_module_suffix(const char *s)
{
	return strcmp(s, ".ko") == 0 || strcmp(s, ".ko.xz") == 0 || strcmp(s, ".ko.zst") == 0 ||
	       strcmp(s, ".ko.gz") == 0;
}

static bool is_module_file(const char *name)
{
	const char *dot = strstr(name, ".ko");

	for (; dot; dot = strstr(dot + 1, ".ko"))
		if (is_module_suffix(dot))
			return true;
	return false;
}

/* "net/foo-bar.ko.xz" -> "foo_bar": the kernel's name for the module. */
static void module_name(const char *path, char *out, size_t sz)
{
	const char *b = strrchr(path, '/');
	size_t n = 0;

	for (b = b ? b + 1 : path; *b && n + 1 < sz; b++) {
		if (is_module_suffix(b))
			break;
		out[n++] = *b == '-' ? '_' : *b;
	}
	out[n] = '\0';
}

/*
 * depmod's precedence when a module is found twice: updates/ first, then
 * extra/, then kernel/; else the first found (the walk's order).
 */
static int precedence(const char *path)
{
	if (strstr(path, "/updates/"))
		return 0;
	if (strstr(path, "/extra/"))
		return 1;
	if (strstr(path, "/kernel/"))
		return 2;
	return 3;
}

struct mod_path {
	char name[256];
	const char *path;
	int prec;
	bool compressed;
	size_t seq;
};

static int cmp_mod_path(const void *a, const void *b)
{
	const struct mod_path *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->prec != y->prec)
		return x->prec < y->prec ? -1 : 1;
	/* foo.ko beside foo.ko.xz (decompressed by hand): the .ko, whatever readdir's order. */
	if (x->compressed != y->compressed)
		return x->compressed ? 1 : -1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int walk(const char *dir, struct path_list *l, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int err = 0;

	if (!d)
		return depth ? 0 : -errno; /* below the named directory: skipped */
	while (!err && (e = readdir(d)) != NULL) {
		char path[4096];
		size_t n = strlen(e->d_name);
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path))
			continue;
		if (stat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode) && depth < 16)
			err = walk(path, l, depth + 1);
		else if (S_ISREG(st.st_mode) && n > 3 && is_module_file(e->d_name))
			err = list_add(l, path);
	}
	closedir(d);
	return err == -ENOMEM ? err : 0;
}

/* The defined function symbols of a .ko (its image in memory), in symbol-table order. */
static int read_symtab(struct btfkit_kview *kv, const struct btf_image *img, uint32_t mod)
{
	Elf *elf = elf_memory((char *)img->data, img->size);
	Elf_Scn *scn = NULL;
	int err = 0;

	if (!elf)
		return -EINVAL;
	while (!err && (scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr sh;
		Elf_Data *data;
		size_t count;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			break;
		count = sh.sh_size / sh.sh_entsize;
		for (size_t i = 0; i < count && !err; i++) {
			GElf_Sym sym;
			const char *name;
			char *copy;

			if (!gelf_getsym(data, (int)i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
			    sym.st_shndx == SHN_UNDEF)
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (!name || !*name)
				continue;
			copy = kv_strdup(kv, name, strlen(name));
			if (!copy)
				err = -ENOMEM;
			else
				err = kv_symtab_add(&kv->files, copy, 0, mod);
		}
		break;
	}
	elf_end(elf);
	return err;
}

static int add_module(struct btfkit_kview *kv, const char *name, const char *path, bool symtab)
{
	char msg[256] = "";
	struct btfkit_open_opts bo = {
		.sz = sizeof(bo), .base = kv->objs[0].btf, .msg = msg, .msg_sz = sizeof(msg),
	};
	struct btfkit_btf *btf;
	uint32_t mod = kv_mod_get(kv, name, strlen(name));
	int err;

	struct btf_image img;

	if (mod == KV_NONE)
		return -ENOMEM;
	/* Read (and decompressed) once for both the symbol table and the BTF. */
	err = btf_image_load(path, false, &img, msg, sizeof(msg));
	if (err == -ENOMEM)
		return err;
	if (symtab)
		kv->mods[mod].from_file = true;
	if (err) {
		kv_note(kv, "%s: %s: module BTF skipped", path, msg[0] ? msg : strerror(-err));
		return 0;
	}
	if (symtab) {
		err = read_symtab(kv, &img, mod);
		if (err == -ENOMEM) {
			btf_image_release(&img);
			return err;
		}
	}
	errno = 0;
	btf = btf_open_image(&img, &bo);
	if (!btf) {
		int e = errno; /* kept before anything else can change it */

		if (e == ENOMEM)
			return -ENOMEM;
		/* errno 0 would print "Success": say what is known instead. */
		if (e != ENODATA)
			kv_note(kv, "%s: %s: module BTF skipped", path,
				msg[0] ? msg : e ? strerror(e) : "not readable as BTF");
		return 0;
	}
	err = kv_add_object(kv, name, btf, path);
	if (err) {
		btfkit_btf_free(btf);
		return err;
	}
	kv->mods[mod].obj = (int)kv->nr_objs - 1;
	return 0;
}

int kv_load_module_dir(struct btfkit_kview *kv, const char *dir,
		       void (*progress)(void *ctx, size_t done, size_t total), void *ctx)
{
	struct path_list l = { 0 };
	struct mod_path *mp;
	int err;

	elf_version(EV_CURRENT);
	err = walk(dir, &l, 0);
	if (err == -ENOMEM) {
		list_free(&l);
		return err;
	}
	if (err) {
		/* The directory the user named cannot be read: the caller's error. */
		list_free(&l);
		return err;
	}
	if (!l.n)
		err = kv_note(kv, "%s: no .ko files (nor .ko.xz, .ko.zst, .ko.gz): no module is known",
			      dir);
	mp = l.n ? calloc(l.n, sizeof(*mp)) : NULL;
	if (l.n && !mp)
		err = -ENOMEM;
	for (size_t i = 0; i < l.n && mp; i++) {
		module_name(l.paths[i], mp[i].name, sizeof(mp[i].name));
		mp[i].path = l.paths[i];
		mp[i].prec = precedence(l.paths[i]);
		/* A listed module file ends in .ko, or in .ko and a compression suffix. */
		mp[i].compressed = strcmp(strrchr(l.paths[i], '.'), ".ko") != 0;
		mp[i].seq = i;
	}
	if (mp)
		qsort(mp, l.n, sizeof(*mp), cmp_mod_path);
	for (size_t i = 0; i < l.n && !err; i++) {
		/* The same module again: the one taken came first in precedence order. */
		if (i && strcmp(mp[i].name, mp[i - 1].name) == 0) {
			size_t k = i;

			while (k > 0 && strcmp(mp[k - 1].name, mp[i].name) == 0)
				k--;
			err = kv_note(kv, "module %s found twice: %s taken, %s ignored (depmod order: updates, extra, kernel)",
				      mp[i].name, mp[k].path, mp[i].path);
		} else {
			err = add_module(kv, mp[i].name, mp[i].path, true);
		}
		if (progress && (i % 64 == 0 || i + 1 == l.n))
			progress(ctx, i + 1, l.n);
	}
	free(mp);
	list_free(&l);
	return err;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int kv_load_sysfs_modules(struct btfkit_kview *kv)
{
	struct path_list l = { 0 };
	DIR *d = opendir(SYS_BTF_DIR);
	struct dirent *e;
	int err = 0;

	if (!d)
		return kv_note(kv, "%s: %s: no module BTF", SYS_BTF_DIR, strerror(errno));
	while (!err && (e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && strcmp(e->d_name, "vmlinux") != 0)
			err = list_add(&l, e->d_name);
	closedir(d);
	if (l.n)
		qsort(l.paths, l.n, sizeof(*l.paths), cmp_str);
	for (size_t i = 0; i < l.n && !err; i++) {
		char path[512];

		snprintf(path, sizeof(path), "%s/%s", SYS_BTF_DIR, l.paths[i]);
		err = add_module(kv, l.paths[i], path, false);
	}
	list_free(&l);
	return err;
}
