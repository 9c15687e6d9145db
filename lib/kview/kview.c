// SPDX-License-Identifier: BSD-2-Clause
/*
 * The kernel view: opening (live or from files), what it knows, freeing.
 *
 * Reading /proc/kallsyms is most of the time of a live view and it is the
 * kernel's time (it formats every line), so it runs on a thread of its own,
 * parsed and indexed there, while this thread parses and indexes the BTF of
 * vmlinux and of every module.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <btfkit/btf.h>

#include "kview_int.h"

#define PROC_KALLSYMS "/proc/kallsyms"
#define SYS_VMLINUX_BTF "/sys/kernel/btf/vmlinux"
#define DEBUGFS_EI_LIST "/sys/kernel/debug/error_injection/list"
static const char *const tracefs_dirs[] = { "/sys/kernel/tracing/", "/sys/kernel/debug/tracing/" };

int kv_note(struct btfkit_kview *kv, const char *fmt, ...)
{
	char buf[512], **n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	n = realloc(kv->notes, (kv->nr_notes + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	kv->notes = n;
	n[kv->nr_notes] = strdup(buf);
	if (!n[kv->nr_notes])
		return -ENOMEM;
	kv->nr_notes++;
	return 0;
}

/*
 * Names that must outlive their source (module names, a .ko's symbols) are
 * copied into 64 KiB blocks: thousands of modules make for ~10^5 of them.
 */
#define ARENA_BLOCK 65536
char *kv_strdup(struct btfkit_kview *kv, const char *s, size_t len)
{
	char *c;

	if (len + 1 > kv->arena_left) {
		size_t sz = len + 1 > ARENA_BLOCK ? len + 1 : ARENA_BLOCK;
		char **a = realloc(kv->arena, (kv->nr_arena + 1) * sizeof(*a));

		if (!a)
			return NULL;
		kv->arena = a;
		a[kv->nr_arena] = malloc(sz);
		if (!a[kv->nr_arena])
			return NULL;
		kv->arena_next = a[kv->nr_arena++];
		kv->arena_left = sz;
	}
	c = kv->arena_next;
	memcpy(c, s, len);
	c[len] = '\0';
	kv->arena_next += len + 1;
	kv->arena_left -= len + 1;
	return c;
}

uint32_t kv_mod_get(struct btfkit_kview *kv, const char *name, size_t len)
{
	uint32_t e = kv_map_get(&kv->mod_map, name, len, false);
	struct kv_mod *m;
	char *copy;

	if (e != KV_NONE)
		return kv->mod_map.entries[e].head;
	if (kv->nr_mods == kv->cap_mods) {
		uint32_t cap = kv->cap_mods ? kv->cap_mods * 2 : 64;

		m = realloc(kv->mods, cap * sizeof(*m));
		if (!m)
			return KV_NONE;
		kv->mods = m;
		kv->cap_mods = cap;
	}
	copy = kv_strdup(kv, name, len);
	if (!copy)
		return KV_NONE;
	e = kv_map_get(&kv->mod_map, copy, len, true);
	if (e == KV_NONE)
		return KV_NONE;
	kv->mod_map.entries[e].head = kv->nr_mods;
	kv->mods[kv->nr_mods] = (struct kv_mod){ .name = copy, .obj = -1 };
	return kv->nr_mods++;
}

/*
 * Text files of the view (ftrace list, error-injection list) are capped like
 * kallsyms' text: a kernel's list is a few MB (64 MB is far above any);
 * a bigger one is not such a file (or is /dev/zero), and must not eat the
 * memory.
 */
#define READ_FILE_MAX ((size_t)64 << 20)

int kv_read_file(const char *path, struct kv_buf *b)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n;

		if (b->cap - b->len < 65536) {
			size_t cap = b->cap ? b->cap * 2 : 1 << 20;
			char *d;

			if (cap > READ_FILE_MAX) {
				close(fd);
				return -EFBIG;
			}
			d = realloc(b->data, cap + 1);
			if (!d) {
				close(fd);
				return -ENOMEM;
			}
			b->data = d;
			b->cap = cap;
		}
		n = read(fd, b->data + b->len, b->cap - b->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = -errno;

			close(fd);
			return err;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
	}
	close(fd);
	b->data[b->len] = '\0';
	return 0;
}

int kv_add_object(struct btfkit_kview *kv, const char *name, struct btfkit_btf *btf, const char *path)
{
	struct btfkit_kview_object *o = realloc(kv->objs, (kv->nr_objs + 1) * sizeof(*o));
	char *n, *p;

	if (!o)
		return -ENOMEM;
	kv->objs = o;
	n = kv_strdup(kv, name, strlen(name));
	p = kv_strdup(kv, path, strlen(path));
	if (!n || !p)
		return -ENOMEM;
	o[kv->nr_objs] = (struct btfkit_kview_object){ .name = n, .btf = btf, .fd = -1, .path = p };
	kv->nr_objs++;
	return 0;
}

/* Every FUNC of every object chained by name: object order, then id order. */
int kv_index_funcs(struct btfkit_kview *kv)
{
	uint32_t total = 0, n = 0;

	for (size_t o = 0; o < kv->nr_objs; o++) {
		const struct btfkit_btf *btf = kv->objs[o].btf;

		total += btfkit_btf_type_count(btf) - btfkit_btf_start_id(btf);
	}
	kv->funcs = malloc((total + 1) * sizeof(*kv->funcs));
	if (!kv->funcs)
		return -ENOMEM;
	/* About half of vmlinux's types are FUNCs. */
	kv_map_reserve(&kv->func_map, total / 2);
	for (size_t o = 0; o < kv->nr_objs; o++) {
		const struct btfkit_btf *btf = kv->objs[o].btf;
		struct btfkit_btf_cursor cur = { 0 };
		const struct btfkit_type *t;
		struct pending {
			const char *name;
			uint32_t len, hash, id;
		} batch[32];
		unsigned nb = 0;
		bool end = false;

		/* In batches: hashes first, slots prefetched, then the inserts. */
		while (!end) {
			t = btfkit_btf_next(btf, &cur);
			end = !t;
			if (t && btfkit_type_kind(t) == BTFKIT_KIND_FUNC) {
				const char *name = btfkit_btf_str(btf, t->name_off);

				if (name && *name) {
					uint32_t len = (uint32_t)strlen(name);

					batch[nb] = (struct pending){ name, len, kv_hash(name, len), cur.id };
					kv_map_prefetch(&kv->func_map, batch[nb].hash);
					nb++;
				}
			}
			if (nb < sizeof(batch) / sizeof(batch[0]) && !end)
				continue;
			for (unsigned k = 0; k < nb; k++) {
				uint32_t e = kv_map_get_hashed(&kv->func_map, batch[k].name, batch[k].len,
							       batch[k].hash, true);

				if (e == KV_NONE)
					return -ENOMEM;
				kv->funcs[n] = (struct kv_func){ .obj = (uint32_t)o, .id = batch[k].id, .next = KV_NONE };
				if (kv->func_map.entries[e].tail == KV_NONE)
					kv->func_map.entries[e].head = n;
				else
					kv->funcs[kv->func_map.entries[e].tail].next = n;
				kv->func_map.entries[e].tail = n++;
			}
			nb = 0;
		}
	}
	kv->nr_funcs = n;
	return 0;
}

static void set_msg(const struct btfkit_kview_opts *opts, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void set_msg(const struct btfkit_kview_opts *opts, const char *fmt, ...)
{
	va_list ap;

	if (!opts || !opts->msg || !opts->msg_sz)
		return;
	va_start(ap, fmt);
	vsnprintf(opts->msg, opts->msg_sz, fmt, ap);
	va_end(ap);
}

static int load_ftrace(struct btfkit_kview *kv, const char *path)
{
	int err = kv_read_file(path, &kv->ftrace_text);

	return err ? err : kv_parse_ftrace(kv, &kv->ftrace_text);
}

static int load_live_ftrace(struct btfkit_kview *kv)
{
	char path[128];
	int last = -ENOENT;

	for (size_t i = 0; i < sizeof(tracefs_dirs) / sizeof(tracefs_dirs[0]); i++) {
		int err;

		snprintf(path, sizeof(path), "%savailable_filter_functions_addrs", tracefs_dirs[i]);
		err = load_ftrace(kv, path);
		if (err == -ENOMEM)
			return err;
		if (!err)
			return 0;
		snprintf(path, sizeof(path), "%savailable_filter_functions", tracefs_dirs[i]);
		err = load_ftrace(kv, path);
		if (err == -ENOMEM)
			return err;
		if (!err)
			return 0;
		if (err != -ENOENT)
			last = err;
	}
	return kv_note(kv, "tracefs available_filter_functions: %s: traceability unknown",
		       strerror(-last));
}

/* Is debugfs mounted (and readable): does /sys/kernel/debug list anything? */
static bool debugfs_mounted(void)
{
	DIR *d = opendir("/sys/kernel/debug");
	struct dirent *e;
	bool any = false;

	if (!d)
		return false;
	while (!any && (e = readdir(d)) != NULL)
		any = e->d_name[0] != '.';
	closedir(d);
	return any;
}

static int load_error_injection(struct btfkit_kview *kv, const char *path)
{
	int err = kv_read_file(path, &kv->ei_text);

	if (!err)
		err = kv_parse_error_injection(kv, &kv->ei_text);
	if (!err)
		kv->have |= BTFKIT_KVIEW_ERROR_INJECTION;
	return err;
}

int kv_parse_error_injection(struct btfkit_kview *kv, struct kv_buf *text)
{
	char *p = text->data, *end = text->data + text->len;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *q;

		if (!nl)
			nl = end;
		for (q = p; q < nl && *q != ' ' && *q != '\t'; q++)
			;
		if (q > p && kv_map_get(&kv->ei_map, p, (size_t)(q - p), true) == KV_NONE)
			return -ENOMEM;
		p = nl + 1;
	}
	return 0;
}

int kv_error_injectable(const struct btfkit_kview *kv, const char *name)
{
	if (!(kv->have & BTFKIT_KVIEW_ERROR_INJECTION))
		return -1;
	return kv_map_get((struct kv_map *)&kv->ei_map, name, strlen(name), false) != KV_NONE;
}

/*
 * The BTF side of an open: vmlinux, the modules, the kernel's object ids,
 * the FUNC index; then, when kallsyms is being read, the parsing of its
 * chunks as they come. Runs on a thread of its own while the opening thread
 * reads kallsyms (the kernel's work, which therefore starts at once).
 */
struct btf_side {
	struct btfkit_kview *kv;
	const struct btfkit_kview_opts *opts;
	struct kv_stream *stream;
	const char *btf_path;
	int err;
};

static void *btf_side(void *arg)
{
	struct btf_side *job = arg;
	struct btfkit_kview *kv = job->kv;
	const struct btfkit_kview_opts *opts = job->opts;
	char msg[256] = "";
	struct btfkit_open_opts bo = { .sz = sizeof(bo), .msg = msg, .msg_sz = sizeof(msg) };
	struct btfkit_btf *vmlinux;
	int err = 0;

	if (job->stream)
		kv_stream_prefault(job->stream);
	if (job->btf_path) {
		vmlinux = btfkit_btf_open(job->btf_path, &bo);
		if (!vmlinux) {
			err = -errno;
			set_msg(opts, "%s: %s", job->btf_path, msg[0] ? msg : strerror(errno));
			goto out;
		}
		err = kv_add_object(kv, "vmlinux", vmlinux, job->btf_path);
		if (err) {
			btfkit_btf_free(vmlinux);
			goto out;
		}
		kv->mods[0].obj = 0;
		kv->have |= BTFKIT_KVIEW_BTF;
		if (kv->live)
			err = kv_load_sysfs_modules(kv);
		else if (opts->modules_dir && (err = kv_load_module_dir(kv, opts->modules_dir,
						 opts->sz > offsetof(struct btfkit_kview_opts, progress) ?
							 opts->progress : NULL,
						 opts->sz > offsetof(struct btfkit_kview_opts, progress_ctx) ?
							 opts->progress_ctx : NULL)) && err != -ENOMEM)
			/* A directory the user named and that cannot be read is an error. */
			set_msg(opts, "%s: %s", opts->modules_dir, strerror(-err));
		if (!err && kv->live)
			err = kv_load_obj_ids(kv);
		if (!err)
			err = kv_index_funcs(kv);
		if (err)
			goto out;
	}
	err = kv_funcs_ready(kv);
out:
	/* Parse what the reader hands over (or just drain it, after a failure). */
	if (job->stream)
		kv_stream_consume(err ? NULL : kv, job->stream);
	job->err = err;
	return NULL;
}

struct btfkit_kview *btfkit_kview_open(const struct btfkit_kview_opts *opts)
{
	struct btfkit_kview *kv;
	struct btf_side job = { 0 };
	pthread_t thread;
	const char *ksyms_path, *ei_path;
	int ksyms_err = 0, err = 0;
	bool live, threaded = false;

	if (opts && opts->sz < sizeof(size_t)) {
		errno = EINVAL;
		return NULL;
	}
	ei_path = opts && opts->sz > offsetof(struct btfkit_kview_opts, error_injection) ?
			  opts->error_injection : NULL;
	live = !opts || (!opts->btf && !opts->kallsyms && !opts->modules_dir && !opts->ftrace &&
			 !opts->kernel_version && !ei_path);
	kv = calloc(1, sizeof(*kv));
	if (!kv) {
		errno = ENOMEM;
		return NULL;
	}
	kv->live = live;
	pthread_mutex_init(&kv->index_lock, NULL);
	if (kv_mod_get(kv, "vmlinux", 7) != 0) {
		err = -ENOMEM;
		goto fail;
	}

	if (!live && opts->kernel_version) {
		if (kv_parse_version(opts->kernel_version, &kv->version)) {
			set_msg(opts, "kernel version '%s' is not X.Y or X.Y.Z", opts->kernel_version);
			err = -EINVAL;
			goto fail;
		}
	} else if (live) {
		kv->version = kv_live_version();
	}
	if (kv->version)
		kv->have |= BTFKIT_KVIEW_VERSION;

	ksyms_path = live ? PROC_KALLSYMS : opts->kallsyms;
	if (ksyms_path) {
		job.stream = kv_stream_start(ksyms_path, &ksyms_err);
		if (ksyms_err == -ENOMEM) {
			err = ksyms_err;
			goto fail;
		}
	}
	job.kv = kv;
	job.opts = opts;
	job.btf_path = live ? SYS_VMLINUX_BTF : opts->btf;
	if (job.stream && pthread_create(&thread, NULL, btf_side, &job) == 0)
		threaded = true;
	if (job.stream)
		kv_stream_read(job.stream);
	if (threaded)
		pthread_join(thread, NULL);
	else
		btf_side(&job);
	if (job.stream) {
		ksyms_err = kv_stream_end(job.err ? NULL : kv, job.stream);
		job.stream = NULL;
	}
	err = job.err;
	if (err)
		goto fail;
	if (!live && !opts->btf)
		kv_note(kv, "no vmlinux BTF given: no BTF FUNC is known, only symbols");
	if (ksyms_path && ksyms_err) {
		if (ksyms_err == -ENOMEM || !live) {
			/* A file the user named and that cannot be read is an error. */
			if (!live)
				set_msg(opts, "%s: %s", ksyms_path, strerror(-ksyms_err));
			err = ksyms_err;
			goto fail;
		}
		kv_note(kv, "%s: %s: addresses unknown", ksyms_path, strerror(-ksyms_err));
	} else if (ksyms_path) {
		kv->have |= BTFKIT_KVIEW_KALLSYMS;
	} else {
		kv_note(kv, "no kallsyms given: addresses unknown, verdicts from BTF alone");
	}

	if (live)
		err = load_live_ftrace(kv);
	else if (opts->ftrace && (err = load_ftrace(kv, opts->ftrace)) != 0 && err != -ENOMEM)
		set_msg(opts, "%s: %s", opts->ftrace, strerror(-err));
	if (err)
		goto fail;
	if (!live && !opts->ftrace)
		kv_note(kv, "no ftrace list given: traceability unknown");
	/* Live, debugfs is often root-only: unreadable means unknown. */
	if (live || ei_path) {
		err = load_error_injection(kv, live ? DEBUGFS_EI_LIST : ei_path);
		if (err && (err == -ENOMEM || !live)) {
			if (err != -ENOMEM)
				set_msg(opts, "%s: %s", ei_path, strerror(-err));
			goto fail;
		}
		if (err == -ENOENT && live && debugfs_mounted()) {
			/*
			 * debugfs is there but not the list: a kernel without
			 * CONFIG_FUNCTION_ERROR_INJECTION (Debian's), whose list is
			 * empty: only security_* functions are modifiable.
			 */
			kv->have |= BTFKIT_KVIEW_ERROR_INJECTION;
			kv_note(kv, "%s: absent while debugfs is mounted: no function error injection in this kernel (fmod_ret: security_* only)",
				DEBUGFS_EI_LIST);
		} else if (err) {
			kv_note(kv, "%s: %s: error-injection list unknown (fmod_ret: the security_ rule alone)",
				DEBUGFS_EI_LIST, strerror(-err));
		}
		err = 0;
	} else {
		kv_note(kv, "no error-injection list given: fmod_ret targets checked by the security_ rule alone");
	}

	err = kv_merge_syms(kv);
	if (err)
		goto fail;
	if ((kv->have & BTFKIT_KVIEW_KALLSYMS) && !(kv->have & BTFKIT_KVIEW_ADDRS))
		kv_note(kv, "kallsyms addresses are all zero (kptr_restrict, or not root): names only");
	if (!kv->version)
		kv_note(kv, "kernel version unknown: the newest kernels' behaviour is assumed");
	return kv;
fail:
	if (job.stream)
		kv_stream_end(NULL, job.stream);
	btfkit_kview_free(kv);
	errno = err < 0 ? -err : EINVAL;
	return NULL;
}

void btfkit_kview_free(struct btfkit_kview *kv)
{
	if (!kv)
		return;
	/* Modules first: their BTF is split on vmlinux's. */
	for (size_t i = kv->nr_objs; i-- > 0;) {
		btfkit_btf_free((struct btfkit_btf *)kv->objs[i].btf);
		if (kv->objs[i].fd >= 0)
			close(kv->objs[i].fd);
	}
	free(kv->objs);
	for (size_t i = 0; i < kv->nr_notes; i++)
		free(kv->notes[i]);
	free(kv->notes);
	for (size_t i = 0; i < kv->nr_arena; i++)
		free(kv->arena[i]);
	free(kv->arena);
	free(kv->mods);
	kv_map_free(&kv->mod_map);
	kv_symtab_free(&kv->kallsyms);
	kv_symtab_free(&kv->files);
	kv_map_free(&kv->sym_map);
	kv_map_free(&kv->clone_map);
	free(kv->funcs);
	kv_map_free(&kv->func_map);
	free(kv->fsym_head);
	free(kv->fsym_tail);
	free(kv->fclone_head);
	free(kv->fclone_tail);
	pthread_mutex_destroy(&kv->index_lock);
	free(kv->ftrace);
	kv_map_free(&kv->ftrace_map);
	free(kv->ftrace_addrs);
	if (kv->kallsyms_text)
		munmap(kv->kallsyms_text, kv->kallsyms_reserved);
	free(kv->ftrace_text.data);
	kv_map_free(&kv->ei_map);
	free(kv->ei_text.data);
	free(kv);
}

unsigned btfkit_kview_have(const struct btfkit_kview *kv)
{
	return kv ? kv->have : 0;
}

int btfkit_kview_is_live(const struct btfkit_kview *kv)
{
	return kv && kv->live;
}

uint32_t btfkit_kview_version(const struct btfkit_kview *kv)
{
	return kv ? kv->version : 0;
}

size_t btfkit_kview_object_count(const struct btfkit_kview *kv)
{
	return kv ? kv->nr_objs : 0;
}

const struct btfkit_kview_object *btfkit_kview_object(const struct btfkit_kview *kv, size_t i)
{
	if (!kv || i >= kv->nr_objs) {
		errno = ENOENT;
		return NULL;
	}
	return &kv->objs[i];
}

int btfkit_kview_find_object(const struct btfkit_kview *kv, const char *name)
{
	uint32_t e;

	if (!kv || !name) {
		errno = EINVAL;
		return -EINVAL;
	}
	e = kv_map_get((struct kv_map *)&kv->mod_map, name, strlen(name), false);
	if (e != KV_NONE && kv->mods[kv->mod_map.entries[e].head].obj >= 0)
		return kv->mods[kv->mod_map.entries[e].head].obj;
	errno = ENOENT;
	return -ENOENT;
}

size_t btfkit_kview_symbol_count(const struct btfkit_kview *kv)
{
	return kv ? kv->nr_syms : 0;
}

const char *btfkit_kview_note(const struct btfkit_kview *kv, size_t i)
{
	return kv && i < kv->nr_notes ? kv->notes[i] : NULL;
}
