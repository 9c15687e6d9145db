// SPDX-License-Identifier: BSD-2-Clause
/*
 * btfkit_validate_*: the kernel's BPF_BTF_LOAD checks, in its order:
 * size limit, header, string section, every type's metadata, the resolve
 * pass, the order of type tags. A base (for split BTF) is checked first, the
 * way the kernel's own base was when it booted, and its resolved ids and
 * sizes are what the split part's checks look through.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate_int.h"
#include "../btf/btf_int.h"

/* The newest generation modelled: the default when the running kernel's is unknown. */
#define V_NEWEST BTFKIT_KERNEL_VERSION(6, 18, 0)

static void level_free(struct v_btf *b)
{
	while (b) {
		struct v_btf *base = (struct v_btf *)b->base;

		free(b->types);
		free(b->kinds);
		free(b->resolved);
		free(b->visit);
		free(b->aligned_types);
		free(b->valid_names);
		free(b->prescan);
		free(b->func_ok);
		free(b);
		b = base;
	}
}

/* The type section, 4-byte aligned: the records are read as 32-bit words. */
static int align_types(struct v_btf *b)
{
	const uint8_t *types = b->nohdr + b->hdr.type_off;

	if (!((uintptr_t)types & 3))
		return 0;
	b->aligned_types = malloc(b->hdr.type_len ? b->hdr.type_len : 1);
	if (!b->aligned_types)
		return -ENOMEM;
	memcpy(b->aligned_types, types, b->hdr.type_len);
	return 0;
}

/* One level, start to end. Returns the kernel's errno (0: accepted). */
static int check_level(struct v_env *env, bool size_limit)
{
	struct v_btf *b = env->btf;
	int err;

	if (size_limit && b->size > V_MAX_SIZE) {
		/* The kernel refuses it before it logs anything. */
		v_fail_silent(env, 0, "larger than the kernel's limit of 16 MiB (%u bytes)", b->size);
		return -E2BIG;
	}
	err = v_parse_header(env);
	if (!err)
		err = v_parse_strings(env);
	if (err)
		return err;
	if (b->hdr.type_off & 3) {
		v_log_plain(env, 0, -1, "", "Unaligned type_off");
		return -EINVAL;
	}
	if (!b->base && !b->hdr.type_len) {
		v_log_plain(env, 0, -1, "", "No type found");
		return -EINVAL;
	}
	err = align_types(b);
	if (err)
		return err;
	v_ahead_start(env);
	if (b->prescan) {
		/* The scan runs on the thread ahead: names it has not reached are remembered. */
		b->valid_names = btf_zalloc(b->hdr.str_len / 64 + 1, sizeof(*b->valid_names));
		err = b->valid_names ? 0 : -ENOMEM;
	} else {
		err = v_prescan_names(env, b);
	}
	if (!err)
		err = v_check_all_metas(env);
	v_ahead_types_read(env, !err);
	if (!err)
		err = v_check_all_types(env);
	v_ahead_stop(env);
	/* The thread may have found the type tags in order already. */
	if (!err && b->tags_ok != 1)
		err = v_check_type_tags(env);
	return err;
}

static struct v_btf *level_new(const uint8_t *data, size_t size, const struct v_btf *base)
{
	struct v_btf *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->data = data;
	b->size = size > UINT32_MAX ? UINT32_MAX : (uint32_t)size;
	b->base = base;
	if (base) {
		b->start_id = base->start_id + base->nr_types;
		b->start_str_off = base->start_str_off + base->hdr.str_len;
	}
	return b;
}

static void verdict_init(struct btfkit_verdict *v, uint32_t kernel)
{
	memset(v, 0, sizeof(*v));
	v->valid = 1;
	v->member = -1;
	v->kernel = kernel;
}

/*
 * The chain of bases under `btf`, each checked. On failure the verdict says
 * which base and why, and NULL comes back with *err set.
 */
static struct v_btf *check_bases(const struct btfkit_btf *btf, const struct v_rules *rules,
				 struct btfkit_verdict *v, int *err)
{
	struct v_btf *below = NULL, *level;
	struct btfkit_verdict bv;
	struct v_env env;

	if (!btf)
		return NULL;
	if (btf->base) {
		below = check_bases(btf->base, rules, v, err);
		if (!below)
			return NULL;
	}
	level = level_new(btf->blob, btf->blob_size, below);
	if (!level) {
		level_free(below);
		*err = -ENOMEM;
		return NULL;
	}
	verdict_init(&bv, rules->kernel);
	memset(&env, 0, sizeof(env));
	env.btf = level;
	env.rules = *rules;
	v_env_init_names(&env);
	env.out = &bv;
	*err = check_level(&env, false);
	if (*err) {
		if (*err != -ENOMEM) {
			char id[16] = "";

			if (bv.type_id)
				snprintf(id, sizeof(id), "[%u] ", bv.type_id);
			snprintf(v->message, sizeof(v->message), "the base does not validate: %s%.*s",
				 id, (int)(sizeof(v->message) - 48), bv.message);
			*err = -EINVAL;
		}
		level_free(level);
		return NULL;
	}
	return level;
}

/* A base chain checked once, for any number of split blobs on it. */
struct btfkit_validated_base {
	struct v_rules rules;
	struct v_btf *levels;
};

static uint32_t kernel_for(const struct btfkit_validate_opts *opts)
{
	struct btfkit_validate_opts o = { 0 };

	if (opts)
		memcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));
	if (!o.kernel)
		o.kernel = btfkit_running_kernel();
	return o.kernel ? o.kernel : V_NEWEST;
}

/*
 * One blob on already checked bases (NULL: standalone); the bases are only
 * read. `keep`: where to hand over the checked level of a valid blob.
 */
static int check_on(const struct v_rules *rules, struct v_btf *bases, const void *data,
		    size_t size, struct btfkit_verdict *v, struct v_btf **keep)
{
	struct v_btf *level;
	struct v_env env;
	int err;

	memset(&env, 0, sizeof(env));
	env.rules = *rules;
	v_env_init_names(&env);
	level = level_new(data, size, bases);
	if (!level)
		return -ENOMEM;
	env.btf = level;
	env.out = v;
	err = check_level(&env, !bases);
	/* Only this level is freed: the bases belong to the caller. */
	level->base = NULL;
	if (err == -ENOMEM && !env.failed) {
		level_free(level);
		return err;
	}
	v->valid = err == 0;
	v->err = err;
	v->nr_types = level->nr_types - (bases ? 0 : 1);
	if (!level->types)
		v->nr_types = 0;
	if (keep && v->valid)
		*keep = level;
	else
		level_free(level);
	return 0;
}

struct btfkit_validated_base *btfkit_validate_base(const struct btfkit_btf *base,
						   const struct btfkit_validate_opts *opts,
						   struct btfkit_verdict *v)
{
	struct btfkit_validated_base *vb;
	int err = 0;

	if (!base || !v)
		return btf_err_ptr(-EINVAL);
	/* First: a caller reads v->message whatever happens next. */
	verdict_init(v, kernel_for(opts));
	vb = calloc(1, sizeof(*vb));
	if (!vb)
		return btf_err_ptr(-ENOMEM);
	v_rules_for(v->kernel, &vb->rules);
	vb->levels = check_bases(base, &vb->rules, v, &err);
	if (!vb->levels) {
		free(vb);
		return btf_err_ptr(err);
	}
	return vb;
}

uint32_t v_base_kernel(const struct btfkit_validated_base *vb)
{
	return vb->rules.kernel;
}

const uint8_t *v_base_kinds(const struct btfkit_validated_base *vb, uint32_t *n)
{
	const struct v_btf *b = vb->levels;

	if (b->base)
		return NULL;
	*n = b->nr_types;
	return b->kinds;
}

const uint64_t *v_base_name_bits(const struct btfkit_validated_base *vb, uint32_t *scanned)
{
	const struct v_btf *b = vb->levels;

	if (b->base || !b->prescan)
		return NULL;
	*scanned = atomic_load_explicit(&b->scanned, memory_order_acquire);
	return b->prescan;
}

void btfkit_validated_base_free(struct btfkit_validated_base *vb)
{
	if (!vb)
		return;
	level_free(vb->levels);
	free(vb);
}

int btfkit_validate_split_mem(const struct btfkit_validated_base *vb, const void *data,
			      size_t size, struct btfkit_verdict *v)
{
	int err;

	if (!vb || !v || (!data && size))
		return btf_err(-EINVAL);
	verdict_init(v, vb->rules.kernel);
	err = check_on(&vb->rules, vb->levels, data, size, v, NULL);
	return err ? btf_err(err) : 0;
}

int v_validate_split_keep(const struct btfkit_validated_base *vb, const void *data, size_t size,
			  struct btfkit_verdict *v, struct v_btf **kept)
{
	*kept = NULL;
	verdict_init(v, vb->rules.kernel);
	return check_on(&vb->rules, vb->levels, data, size, v, kept);
}

void v_level_free(struct v_btf *level)
{
	level_free(level);
}

int btfkit_validate_mem(const void *data, size_t size, const struct btfkit_btf *base,
			const struct btfkit_validate_opts *opts, struct btfkit_verdict *v)
{
	struct btfkit_validated_base *vb = NULL;
	struct v_rules rules;
	int err;

	if (!v || (!data && size))
		return btf_err(-EINVAL);
	if (base) {
		vb = btfkit_validate_base(base, opts, v);
		if (!vb)
			return -errno;
		err = btfkit_validate_split_mem(vb, data, size, v);
		btfkit_validated_base_free(vb);
		return err;
	}
	verdict_init(v, kernel_for(opts));
	v_rules_for(v->kernel, &rules);
	err = check_on(&rules, NULL, data, size, v, NULL);
	return err ? btf_err(err) : 0;
}

/* The blob of a file: a raw BTF blob, or the .BTF section of an ELF file. */
static int file_blob(const char *path, struct btf_image *img, const uint8_t **blob,
		     size_t *blob_size, struct btfkit_verdict *v)
{
	int err = btf_image_load(path, true, img, v->message, sizeof(v->message));

	if (err)
		return err;
	*blob = img->data;
	*blob_size = img->size;
	if (btf_is_elf(img->data, img->size)) {
		err = btf_elf_find_section(img->data, img->size, ".BTF", blob, blob_size, v->message,
					   sizeof(v->message));
		if (err)
			btf_image_release(img);
	}
	return err;
}

int btfkit_validate_file(const char *path, const struct btfkit_btf *base,
			 const struct btfkit_validate_opts *opts, struct btfkit_verdict *v)
{
	const uint8_t *blob;
	struct btf_image img;
	size_t blob_size;
	int err;

	if (!v || !path)
		return btf_err(-EINVAL);
	verdict_init(v, 0);
	err = file_blob(path, &img, &blob, &blob_size, v);
	if (err)
		return btf_err(err);
	err = btfkit_validate_mem(blob, blob_size, base, opts, v);
	btf_image_release(&img);
	return err;
}

int btfkit_validate_split_file(const struct btfkit_validated_base *vb, const char *path,
			       struct btfkit_verdict *v)
{
	const uint8_t *blob;
	struct btf_image img;
	size_t blob_size;
	int err;

	if (!vb || !v || !path)
		return btf_err(-EINVAL);
	verdict_init(v, vb->rules.kernel);
	err = file_blob(path, &img, &blob, &blob_size, v);
	if (err)
		return btf_err(err);
	err = btfkit_validate_split_mem(vb, blob, blob_size, v);
	btf_image_release(&img);
	return err;
}
