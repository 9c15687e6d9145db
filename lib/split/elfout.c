// SPDX-License-Identifier: BSD-2-Clause
/*
 * A copy of a module's ELF file with new BTF sections, through libelf.
 *
 * Every section keeps its index (symbols and relocations name sections by
 * index), its header and its bytes; .BTF gets the new blob; .BTF.base is
 * added at the end (or replaced), or renamed .BTF.base.orig when the new
 * .BTF is no longer split on it. libelf lays out the file.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "split_int.h"

#define BASE_NAME ".BTF.base"
#define RENAMED ".BTF.base.orig"

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

static int fail(char *msg, size_t msg_sz, const char *what, int err)
{
	btf_msg(msg, msg_sz, "%s: %s", what, err == -EINVAL ? elf_errmsg(-1) : strerror(-err));
	return err;
}

static int copy_data(Elf_Scn *in, Elf_Scn *out, const void *replace, size_t replace_size)
{
	Elf_Data *d = NULL, *nd;

	if (replace) {
		nd = elf_newdata(out);
		if (!nd)
			return -EINVAL;
		nd->d_buf = (void *)replace; /* libelf only reads it while writing */
		nd->d_size = replace_size;
		nd->d_type = ELF_T_BYTE;
		nd->d_align = 1;
		nd->d_version = EV_CURRENT;
		return 0;
	}
	while ((d = elf_rawdata(in, d)) != NULL) {
		nd = elf_newdata(out);
		if (!nd)
			return -EINVAL;
		nd->d_buf = d->d_buf;
		nd->d_size = d->d_size;
		nd->d_off = d->d_off;
		nd->d_type = ELF_T_BYTE;
		nd->d_align = d->d_align;
		nd->d_version = EV_CURRENT;
	}
	return 0;
}

int btfkit_split_write_ko(const struct btfkit_split_module *mod, const char *path,
			  const void *btf, size_t btf_size, const void *btf_base,
			  size_t btf_base_size, char *msg, size_t msg_sz)
{
	struct btf_image img;
	const uint8_t *image;
	size_t image_size;
	Elf *in = NULL, *out = NULL;
	Elf_Scn *scn = NULL, *nscn;
	GElf_Ehdr ehdr;
	size_t shstrndx, base_idx = 0, nsec = 0;
	uint8_t *shstr = NULL;
	size_t shstr_len = 0;
	uint32_t new_name = 0;
	int fd = -1, err = 0;

	if (!mod || !path || !btf)
		return btf_err(-EINVAL);
	if (!mod->is_elf) {
		btf_msg(msg, msg_sz, "the module is raw BTF, not an ELF file");
		return btf_err(-EINVAL);
	}
	if (mod->path && same_file(mod->path, path)) {
		/* Truncating it would pull the bytes from under the copy. */
		btf_msg(msg, msg_sz, "the output is the module itself; write a new file");
		return btf_err(-EINVAL);
	}
	if (elf_version(EV_CURRENT) == EV_NONE)
		return btf_err(fail(msg, msg_sz, "libelf", -EINVAL));
	err = split_module_image(mod, &img, &image, &image_size, msg, msg_sz);
	if (err)
		return btf_err(err);
	in = elf_memory((char *)image, image_size);
	if (!in || !gelf_getehdr(in, &ehdr) || elf_getshdrstrndx(in, &shstrndx) ||
	    elf_getshdrnum(in, &nsec)) {
		err = fail(msg, msg_sz, "reading the module", -EINVAL);
		goto out;
	}
	/* Where .BTF.base is, and the section names with the one we need added. */
	while ((scn = elf_nextscn(in, scn)) != NULL) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(in, shstrndx, sh.sh_name);
		if (name && strcmp(name, BASE_NAME) == 0)
			base_idx = elf_ndxscn(scn);
	}
	if ((btf_base && !base_idx) || (!btf_base && base_idx)) {
		Elf_Data *d = elf_rawdata(elf_getscn(in, shstrndx), NULL);
		const char *add = btf_base ? BASE_NAME : RENAMED;

		if (!d || !d->d_buf) {
			err = fail(msg, msg_sz, "section names", -EINVAL);
			goto out;
		}
		shstr_len = d->d_size + strlen(add) + 1;
		shstr = malloc(shstr_len);
		if (!shstr) {
			err = fail(msg, msg_sz, "section names", -ENOMEM);
			goto out;
		}
		memcpy(shstr, d->d_buf, d->d_size);
		memcpy(shstr + d->d_size, add, strlen(add) + 1);
		new_name = (uint32_t)d->d_size;
	}

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		/* The caller names the file: say only what went wrong. */
		err = -errno;
		btf_msg(msg, msg_sz, "%s", strerror(-err));
		goto out;
	}
	out = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!out || !gelf_newehdr(out, gelf_getclass(in))) {
		err = fail(msg, msg_sz, "writing", -EINVAL);
		goto out;
	}
	ehdr.e_phnum = 0;
	ehdr.e_phoff = 0;
	if (!gelf_update_ehdr(out, &ehdr)) {
		err = fail(msg, msg_sz, "writing the ELF header", -EINVAL);
		goto out;
	}
	scn = NULL;
	while ((scn = elf_nextscn(in, scn)) != NULL) {
		size_t idx = elf_ndxscn(scn);
		const void *replace = NULL;
		size_t replace_size = 0;
		const char *name;
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh) || !(nscn = elf_newscn(out))) {
			err = fail(msg, msg_sz, "copying sections", -EINVAL);
			goto out;
		}
		name = elf_strptr(in, shstrndx, sh.sh_name);
		if (name && strcmp(name, ".BTF") == 0) {
			replace = btf;
			replace_size = btf_size;
		} else if (idx == base_idx && btf_base) {
			replace = btf_base;
			replace_size = btf_base_size;
		} else if (idx == base_idx) {
			sh.sh_name = new_name;
		} else if (idx == shstrndx && shstr) {
			replace = shstr;
			replace_size = shstr_len;
		}
		if (replace)
			sh.sh_size = replace_size;
		if (copy_data(scn, nscn, replace, replace_size) || !gelf_update_shdr(nscn, &sh)) {
			err = fail(msg, msg_sz, "copying sections", -EINVAL);
			goto out;
		}
	}
	if (btf_base && !base_idx) {
		GElf_Shdr sh = { .sh_name = new_name, .sh_type = SHT_PROGBITS, .sh_addralign = 1,
				 .sh_size = btf_base_size };

		if (!(nscn = elf_newscn(out)) || copy_data(NULL, nscn, btf_base, btf_base_size) ||
		    !gelf_update_shdr(nscn, &sh)) {
			err = fail(msg, msg_sz, "adding .BTF.base", -EINVAL);
			goto out;
		}
	}
	if (elf_update(out, ELF_C_WRITE) < 0) {
		err = fail(msg, msg_sz, "writing", -EINVAL);
		goto out;
	}
out:
	if (out)
		elf_end(out);
	if (fd >= 0 && close(fd) && !err)
		err = fail(msg, msg_sz, "closing", -errno);
	if (in)
		elf_end(in);
	btf_image_release(&img);
	free(shstr);
	if (err && fd >= 0)
		unlink(path);
	return err ? btf_err(err) : 0;
}
