/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel view: what the kernel consults when a tracing program or a
 * kprobe is attached, gathered in one object.
 *
 *   - BTF: vmlinux and every module, each module split on the one shared
 *     vmlinux base, parsed once and indexed;
 *   - the BTF object ids and file descriptors the kernel gave them (live);
 *   - kallsyms (text symbols, with the module each belongs to), indexed by
 *     name and by base name for compiler clones (foo.isra.0 -> foo);
 *   - tracefs available_filter_functions (and _addrs where present);
 *   - the kernel version, the input of the behaviour model (docs/RESOLVE.md).
 *
 * Live: from /sys/kernel/btf, bpf(), /proc/kallsyms, tracefs and uname().
 * Offline: from files of any kernel (struct btfkit_kview_opts). A piece not
 * given (offline) or unreadable (live) is noted (btfkit_kview_note()) and the
 * answers built on it say "unknown"; a file or directory named in the options
 * that cannot be read makes the open fail (opts->msg: "FILE: why").
 */
#ifndef BTFKIT_KVIEW_H
#define BTFKIT_KVIEW_H

#include <stddef.h>
#include <stdint.h>

#include <btfkit/api.h>

#ifdef __cplusplus
extern "C" {
#endif

struct btfkit_btf;
struct btfkit_kview;

/* What a view knows (btfkit_kview_have()). */
enum btfkit_kview_have {
	BTFKIT_KVIEW_BTF = 1u << 0,          /* vmlinux BTF */
	BTFKIT_KVIEW_KALLSYMS = 1u << 1,     /* a symbol table (kallsyms or System.map) */
	BTFKIT_KVIEW_ADDRS = 1u << 2,        /* real addresses (not all zero) */
	BTFKIT_KVIEW_FTRACE = 1u << 3,       /* available_filter_functions */
	BTFKIT_KVIEW_FTRACE_ADDRS = 1u << 4, /* available_filter_functions_addrs */
	BTFKIT_KVIEW_OBJ_IDS = 1u << 5,      /* kernel BTF object ids and fds */
	BTFKIT_KVIEW_VERSION = 1u << 6,      /* the kernel version */
	BTFKIT_KVIEW_MODULE_ORDER = 1u << 7, /* the kernel's module list order (live kallsyms) */
	BTFKIT_KVIEW_ERROR_INJECTION = 1u << 8, /* the error-injection list (fmod_ret targets) */
};

struct btfkit_kview_opts {
	size_t sz; /* sizeof(struct btfkit_kview_opts) */
	/*
	 * Offline pieces. All NULL: the running kernel (live). Any set: an
	 * offline view made of these files only.
	 */
	const char *btf;            /* vmlinux BTF: raw blob or vmlinux ELF */
	const char *kallsyms;       /* /proc/kallsyms copy or System.map */
	const char *modules_dir;    /* a directory searched for *.ko (recursively) */
	const char *ftrace;         /* available_filter_functions[_addrs] copy */
	const char *kernel_version; /* "X.Y.Z" (a Debian "X.Y.0-N" gives X.Y.0) */
	/* On failure, one line saying what is wrong. */
	char *msg;
	size_t msg_sz;
	/* Called now and then while module files are read (optional). */
	void (*progress)(void *ctx, size_t done, size_t total);
	void *progress_ctx;
	/*
	 * A copy of /sys/kernel/debug/error_injection/list: the functions an
	 * fmod_ret program may modify (with security_*). Live: read when readable.
	 */
	const char *error_injection;
};

/*
 * Open a view. kallsyms is read on the calling thread while a second thread
 * parses BTF and then the kallsyms text as it arrives. A view is read-only
 * once open; the first btfkit_resolve() on it builds its full symbol
 * indexes (under a lock). Errors (NULL, errno): EINVAL (bad options, a version that does
 * not parse), ENOENT/EACCES/... (a file or directory named in opts that cannot be
 * read, or a running kernel without /sys/kernel/btf/vmlinux), ENOMEM.
 */
BTFKIT_API struct btfkit_kview *btfkit_kview_open(const struct btfkit_kview_opts *opts);
BTFKIT_API void btfkit_kview_free(struct btfkit_kview *kv);

BTFKIT_API unsigned btfkit_kview_have(const struct btfkit_kview *kv); /* enum btfkit_kview_have */
BTFKIT_API int btfkit_kview_is_live(const struct btfkit_kview *kv);
/* BTFKIT_KERNEL_VERSION(a, b, c) (validate.h), or 0 when unknown. */
BTFKIT_API uint32_t btfkit_kview_version(const struct btfkit_kview *kv);

/* A BTF object of the view: index 0 is vmlinux, then modules by name. */
struct btfkit_kview_object {
	const char *name;             /* "vmlinux" or the module's name */
	const struct btfkit_btf *btf; /* split on vmlinux for modules */
	uint32_t obj_id;              /* the kernel's BTF object id; 0: unknown */
	int fd;                       /* a BTF object fd (live; owned by the view), else -1 */
	const char *path;             /* where the BTF came from */
};
BTFKIT_API size_t btfkit_kview_object_count(const struct btfkit_kview *kv);
BTFKIT_API const struct btfkit_kview_object *btfkit_kview_object(const struct btfkit_kview *kv,
								  size_t i);
/* The index of the object with this name, or -ENOENT. */
BTFKIT_API int btfkit_kview_find_object(const struct btfkit_kview *kv, const char *name);

/* Text symbols known (kallsyms, and module symbol tables offline). */
BTFKIT_API size_t btfkit_kview_symbol_count(const struct btfkit_kview *kv);

/* What is missing or degraded, one sentence each; NULL past the last. */
BTFKIT_API const char *btfkit_kview_note(const struct btfkit_kview *kv, size_t i);

#ifdef __cplusplus
}
#endif

#endif /* BTFKIT_KVIEW_H */
