/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the running kernel does, found by trying it, and why a BPF operation
 * failed, found from what the kernel shows (object info, fdinfo, the
 * verifier's log) rather than a bare errno.
 *
 * The first probe is freplace + tail calls: an XDP program whose global
 * function is replaced by an extension (BPF_PROG_TYPE_EXT) program that
 * tail-calls a plain XDP program through a PROG_ARRAY. Kernels keep changing
 * what happens there; each outcome is a class with one paragraph saying what
 * fails, why, since which kernel change, and what works instead.
 */
#ifndef BTFKIT_PROBE_H
#define BTFKIT_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include <btfkit/api.h>

#ifdef __cplusplus
extern "C" {
#endif

enum btfkit_freplace_class {
	BTFKIT_FREPLACE_UNKNOWN = 0,       /* "unknown": none of the known causes */
	BTFKIT_FREPLACE_WORKS,             /* "tailcall-works" */
	BTFKIT_FREPLACE_OWNER_EXT,         /* "owner-ext": array owned by type EXT (before 6.2) */
	BTFKIT_FREPLACE_OWNER_ATTACH_TYPE, /* "owner-attach-type": expected_attach_type differs */
	BTFKIT_FREPLACE_OWNER_MISMATCH,    /* "owner-mismatch": another type or JIT state */
	BTFKIT_FREPLACE_EXT_IN_PROG_ARRAY, /* "ext-in-prog-array": EXT programs refused there */
	BTFKIT_FREPLACE_PKT_DATA,          /* "packet-data-mismatch": the verifier refuses the EXT */
	BTFKIT_FREPLACE_EXT_NOT_LOADABLE,  /* "ext-not-loadable": EPERM, no trampolines, ... */
	BTFKIT_FREPLACE_LOAD_OWNER,        /* "load-owner": EXT load refused by an owned array */
	BTFKIT_FREPLACE_STATIC_TARGET,     /* "static-target": only global functions are replaceable */
	BTFKIT_FREPLACE_CLASS_MAX,
};

/* "tailcall-works", "owner-ext", ...; NULL for a value out of range. */
BTFKIT_API const char *btfkit_freplace_class_name(enum btfkit_freplace_class cls);

/* Why an operation failed: a class, its paragraph and the facts it rests on. */
struct btfkit_explanation {
	size_t sz;                        /* sizeof(struct btfkit_explanation) */
	enum btfkit_freplace_class cls;
	int64_t owner_prog_type;          /* the PROG_ARRAY's owner (fdinfo); -1 if none shown */
	int64_t owner_jited;              /* -1 if not shown */
	int64_t prog_type;                /* the program's type; -1 if unknown */
	int prog_jited;
	char text[2048];                  /* one paragraph, no newline inside */
};

/*
 * Why putting prog_fd into the PROG_ARRAY map_fd failed with err (an errno,
 * either sign): from the map's fdinfo (owner_prog_type, owner_jited) and the
 * program's info. Returns 0 with ex filled, or a negative errno when the
 * objects cannot be read (e.g. -EBADF).
 */
BTFKIT_API int btfkit_explain_prog_array_update(int map_fd, int prog_fd, int err,
						struct btfkit_explanation *ex);

/*
 * Why loading an EXT (freplace) program failed with err, from the verifier's
 * log (may be NULL) and, when the program uses a PROG_ARRAY, that map's
 * owner (map_fd, or -1). Returns 0 with ex filled, or a negative errno.
 */
BTFKIT_API int btfkit_explain_ext_load(int err, const char *log, int map_fd,
				       struct btfkit_explanation *ex);

/* One step of a probe, as it happened. */
struct btfkit_probe_step {
	char what[64];      /* "ext load", "callee update (expected_attach_type xdp)", ... */
	int err;            /* 0, or the negative errno */
	int64_t value;      /* the step's number (a retval, an owner type); -1 if none */
};

#define BTFKIT_PROBE_MAX_STEPS 24

struct btfkit_probe_result {
	size_t sz;                         /* sizeof(struct btfkit_probe_result) */
	/* The scenario as written: original function that does not change packet data,
	 * callee loaded as libbpf loads SEC("xdp") (expected_attach_type BPF_XDP). */
	enum btfkit_freplace_class cls;
	char text[2048];
	/* Whether an EXT program may itself sit in a PROG_ARRAY (UNKNOWN if the
	 * probe could not get that far, WORKS if allowed). */
	enum btfkit_freplace_class ext_in_array;
	char ext_in_array_text[2048];
	/* The working variant, when the scenario fails: what was changed, and
	 * the test run's return value that proves it (-1: no variant worked). */
	char variant[256];
	int64_t variant_retval;
	int64_t retval;                    /* the scenario's test run; -1 if it did not run */
	char ext_log[1024];                /* the end of the verifier's log for a refused EXT */
	unsigned nr_steps;
	struct btfkit_probe_step steps[BTFKIT_PROBE_MAX_STEPS];
};

/* The return values the probe's programs give, so a test run tells who ran. */
#define BTFKIT_PROBE_RET_ORIGINAL 2 /* XDP_PASS: the original function */
#define BTFKIT_PROBE_RET_EXT 1      /* XDP_DROP: the extension, its tail call fell through */
#define BTFKIT_PROBE_RET_CALLEE 3   /* XDP_TX: the tail-called program */

/*
 * Build and run the freplace + tail-call scenario on the running kernel
 * (needs CAP_BPF and CAP_NET_ADMIN, i.e. root). Every object is released
 * before it returns. Returns 0 with r filled (the class says what the kernel
 * did, including "it cannot load EXT programs at all"), or a negative errno
 * when the probe could not run (e.g. -EPERM for XDP programs, -ENOMEM).
 */
BTFKIT_API int btfkit_probe_freplace_tailcall(struct btfkit_probe_result *r);

#ifdef __cplusplus
}
#endif

#endif /* BTFKIT_PROBE_H */
