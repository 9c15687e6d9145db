/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * btfkit inspect, inside: the BTF objects of the live kernel, opened once
 * each through btfkit (module BTF on vmlinux), and the names and C
 * declarations read from them.
 */
#ifndef BTFKIT_CLI_INSPECT_H
#define BTFKIT_CLI_INSPECT_H

#include <stddef.h>
#include <stdint.h>

struct btfkit_btf;
struct btfkit_cdump;

struct btf_obj {
	uint32_t id;
	int kernel_btf;
	char name[64];
	void *data;             /* the raw bytes the BTF object holds */
	struct btfkit_btf *btf; /* NULL: could not be read or opened */
	struct btfkit_cdump *cdump;
	struct decl_buf *out;   /* the cdump's sink */
};

struct btf_cache {
	struct btf_obj **objs; /* each allocated on its own: pointers stay valid */
	size_t n;
	uint32_t vmlinux_id;    /* 0: not looked up yet; UINT32_MAX: none */
};

void btf_cache_free(struct btf_cache *c);
/* The BTF object with this id, opened (NULL if it cannot be). */
struct btf_obj *btf_cache_get(struct btf_cache *c, uint32_t id);
/* The id of the kernel's vmlinux BTF object, or 0. */
uint32_t btf_cache_vmlinux_id(struct btf_cache *c);

/* A type's name ("" if anonymous), or NULL. */
const char *btf_obj_name(struct btf_obj *o, uint32_t type_id);
/*
 * A C declaration of type_id named `name` (may be NULL): for a FUNC, its
 * prototype ("int sub(struct xdp_md *ctx)"). malloc()ed, or NULL.
 */
char *btf_obj_decl(struct btf_obj *o, uint32_t type_id, const char *name);

#endif /* BTFKIT_CLI_INSPECT_H */
