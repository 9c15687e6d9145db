// SPDX-License-Identifier: BSD-2-Clause
/*
 * BTF inside ELF files: object files from gcc/clang after pahole -J, vmlinux,
 * kernel modules. libelf reads the section table; the section's bytes are
 * used in place, inside the caller's image.
 */
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <string.h>

#include "btf_int.h"

bool btf_is_elf(const uint8_t *image, size_t size)
{
	return size >= SELFMAG && memcmp(image, ELFMAG, SELFMAG) == 0;
}

int btf_elf_find_section(const uint8_t *image, size_t size, const char *name,
			 const uint8_t **data, size_t *data_size, char *msg, size_t msg_sz)
{
	Elf *elf;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	int err = -ENODATA;

	if (elf_version(EV_CURRENT) == EV_NONE) {
		btf_msg(msg, msg_sz, "libelf: %s", elf_errmsg(-1));
		return -EINVAL;
	}
	/* libelf only reads through this descriptor; the cast is its API's. */
	elf = elf_memory((char *)image, size);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		btf_msg(msg, msg_sz, "not a valid ELF file: %s", elf_errmsg(-1));
		err = -EINVAL;
		goto out;
	}
	if (elf_getshdrstrndx(elf, &shstrndx) != 0) {
		btf_msg(msg, msg_sz, "ELF section names unreadable: %s", elf_errmsg(-1));
		err = -EINVAL;
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr shdr;
		const char *scn_name;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &shdr))
			continue;
		scn_name = elf_strptr(elf, shstrndx, shdr.sh_name);
		if (!scn_name || strcmp(scn_name, name) != 0)
			continue;
		if (shdr.sh_type == SHT_NOBITS) {
			btf_msg(msg, msg_sz, "ELF section %s has no contents", name);
			err = -EINVAL;
			goto out;
		}
		if (shdr.sh_flags & SHF_COMPRESSED) {
			btf_msg(msg, msg_sz, "ELF section %s is compressed; decompress it first", name);
			err = -ENOTSUP;
			goto out;
		}
		/* The section must lie inside the image: libelf checks, we check again. */
		if (shdr.sh_offset > size || shdr.sh_size > size - shdr.sh_offset) {
			btf_msg(msg, msg_sz, "ELF section %s runs past the end of the file", name);
			err = -EINVAL;
			goto out;
		}
		d = elf_rawdata(scn, NULL);
		if (!d || (!d->d_buf && d->d_size)) {
			btf_msg(msg, msg_sz, "ELF section %s unreadable: %s", name, elf_errmsg(-1));
			err = -EINVAL;
			goto out;
		}
		*data = image + shdr.sh_offset;
		*data_size = shdr.sh_size;
		err = 0;
		goto out;
	}
	btf_msg(msg, msg_sz, "ELF file has no %s section", name);
out:
	elf_end(elf);
	return err;
}
