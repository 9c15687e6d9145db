/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A small layer over the bpf() system call: walk the kernel's BPF objects
 * (programs, maps, links, BTF objects) by id, open them, read what the kernel
 * says about them (object info, /proc/self/fdinfo), and create the few
 * objects a probe or a loader needs (BTF, programs with their verifier log,
 * maps, links), and run a program with BPF_PROG_TEST_RUN.
 *
 * The error contract is the library's (btfkit.h): int functions return a
 * value >= 0 (often a file descriptor, which the caller closes) or a negative
 * errno, and set errno; the kernel's errno comes back unchanged, so EPERM
 * means "not allowed here" and ENOENT "no such object". Nothing prints: a
 * verifier log goes into the caller's buffer.
 *
 * Program and map types, attach types and instruction encodings are the
 * kernel's numbers (include <linux/bpf.h> for their names, or use
 * btfkit_bpf_prog_type_name() and friends, which give bpftool's names).
 * Result structs start with `size_t sz`: set it to sizeof the struct; the
 * library fills what fits, so a program built against an older header keeps
 * working with a newer library.
 */
#ifndef BTFKIT_BPF_H
#define BTFKIT_BPF_H

#include <stddef.h>
#include <stdint.h>

#include <btfkit/api.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The four kinds of objects the kernel numbers with ids. */
enum btfkit_bpf_obj {
	BTFKIT_BPF_PROG = 0,
	BTFKIT_BPF_MAP = 1,
	BTFKIT_BPF_LINK = 2,
	BTFKIT_BPF_BTF = 3,
};

/*
 * The id after `id` among objects of `kind` (start with 0). Returns 0 with
 * *next set; -ENOENT after the last one.
 */
BTFKIT_API int btfkit_bpf_next_id(enum btfkit_bpf_obj kind, uint32_t id, uint32_t *next);

/* A new file descriptor for the object with this id; -ENOENT if it is gone. */
BTFKIT_API int btfkit_bpf_fd_by_id(enum btfkit_bpf_obj kind, uint32_t id);

/* A program, as BPF_OBJ_GET_INFO_BY_FD describes it. */
struct btfkit_bpf_prog_info {
	size_t sz;             /* sizeof(struct btfkit_bpf_prog_info) */
	uint32_t id;
	uint32_t type;         /* BPF_PROG_TYPE_* */
	char name[16];
	uint8_t tag[8];
	int jited;             /* the kernel holds JIT-compiled code for it */
	int gpl_compatible;
	uint32_t xlated_len;   /* bytes of translated instructions */
	uint32_t jited_len;    /* bytes of machine code */
	uint32_t btf_id;       /* the program's own BTF object; 0 if none */
	uint32_t nr_func_info; /* functions described by BTF func info */
	uint32_t attach_btf_obj_id; /* tracing/EXT: the target's BTF object (6.0+) */
	uint32_t attach_btf_id;     /* tracing/EXT: the target's type id in it */
	uint32_t created_by_uid;
	uint64_t load_time;    /* ns since boot */
	uint64_t run_time_ns;  /* 0 unless kernel.bpf_stats_enabled */
	uint64_t run_cnt;
	uint32_t verified_insns;
	/* Maps the program uses: up to map_ids_cap ids go into map_ids (may be
	 * NULL); nr_map_ids is how many there are. */
	uint32_t *map_ids;
	uint32_t map_ids_cap;
	uint32_t nr_map_ids;
};
BTFKIT_API int btfkit_bpf_prog_info(int fd, struct btfkit_bpf_prog_info *info);

struct btfkit_bpf_map_info {
	size_t sz;             /* sizeof(struct btfkit_bpf_map_info) */
	uint32_t id;
	uint32_t type;         /* BPF_MAP_TYPE_* */
	char name[16];
	uint32_t key_size, value_size, max_entries;
	uint32_t map_flags;
	uint32_t btf_id;       /* BTF object holding the key/value types; 0 if none */
	uint32_t btf_key_type_id, btf_value_type_id;
	uint32_t btf_vmlinux_value_type_id;
	uint32_t ifindex;
	uint64_t map_extra;
};
BTFKIT_API int btfkit_bpf_map_info(int fd, struct btfkit_bpf_map_info *info);

struct btfkit_bpf_link_info {
	size_t sz;             /* sizeof(struct btfkit_bpf_link_info) */
	uint32_t id;
	uint32_t type;         /* BPF_LINK_TYPE_* */
	uint32_t prog_id;
	uint32_t attach_type;  /* tracing and cgroup links */
	/* tracing links: the target. For an EXT program target_obj_id is the
	 * target program's id, otherwise a BTF object's id. */
	uint32_t target_obj_id, target_btf_id;
	uint32_t ifindex;      /* XDP links */
	uint64_t cgroup_id;    /* cgroup links */
	uint32_t netns_ino;    /* netns links */
};
BTFKIT_API int btfkit_bpf_link_info(int fd, struct btfkit_bpf_link_info *info);

/* A BTF object: the kernel's own (vmlinux, modules) or one a program loaded. */
struct btfkit_bpf_btf_info {
	size_t sz;             /* sizeof(struct btfkit_bpf_btf_info) */
	uint32_t id;
	uint32_t size;         /* bytes of raw BTF */
	char name[64];         /* "vmlinux", a module's name; "" for loaded BTF */
	int kernel_btf;        /* 1: vmlinux or a module (split on vmlinux) */
};
BTFKIT_API int btfkit_bpf_btf_info(int fd, struct btfkit_bpf_btf_info *info);

/*
 * The raw bytes of a BTF object (malloc()ed, the caller frees them), with
 * their size in *size; NULL and errno on failure. Module BTF is split BTF on
 * vmlinux's: open it with the vmlinux BTF as base.
 */
BTFKIT_API void *btfkit_bpf_btf_data(int fd, uint32_t *size);

/*
 * One value from /proc/self/fdinfo/FD (what the kernel prints for any BPF
 * object there: "owner_prog_type", "owner_jited", "prog_tag", "map_type", ...).
 * Copies the text after "KEY:" (blanks stripped) into val; -ENOENT when this
 * kernel does not print the key; -ERANGE when val is too small.
 */
BTFKIT_API int btfkit_bpf_fdinfo(int fd, const char *key, char *val, size_t val_sz);
/* The same, read as a number. */
BTFKIT_API int btfkit_bpf_fdinfo_u64(int fd, const char *key, uint64_t *val);

/* ---- creating objects ---- */

struct btfkit_bpf_log {
	char *buf;             /* the verifier's log (NUL-terminated); NULL: none */
	size_t size;
	uint32_t level;        /* 0: asked for only when loading fails (then level 1) */
};

/* Load raw BTF; returns its fd. The kernel's complaint goes into log. */
BTFKIT_API int btfkit_bpf_btf_load(const void *data, size_t size, const struct btfkit_bpf_log *log);

/* One eBPF instruction, as the kernel reads it (8 bytes). */
struct btfkit_bpf_insn {
	uint8_t code;
	uint8_t regs;          /* dst register in the low 4 bits, src in the high 4 */
	int16_t off;
	int32_t imm;
};

struct btfkit_bpf_prog_load_opts {
	size_t sz;             /* sizeof(struct btfkit_bpf_prog_load_opts) */
	const char *name;      /* up to 15 characters kept */
	const char *license;   /* default "GPL" */
	uint32_t expected_attach_type;
	uint32_t prog_flags;
	/* The program's BTF and its func info (struct bpf_func_info records). */
	int prog_btf_fd;
	const void *func_info;
	uint32_t func_info_rec_size, func_info_cnt;
	/* What a tracing program attaches to: a type id in vmlinux BTF, or in the
	 * BTF object attach_btf_obj_fd (a module's); for an EXT program, the
	 * function's id in the BTF of the program attach_prog_fd. */
	uint32_t attach_btf_id;
	int attach_btf_obj_fd;
	int attach_prog_fd;
	struct btfkit_bpf_log log;
};
/* Load a program of type `type` (BPF_PROG_TYPE_*); returns its fd. */
BTFKIT_API int btfkit_bpf_prog_load(uint32_t type, const struct btfkit_bpf_insn *insns, size_t insn_cnt,
				    const struct btfkit_bpf_prog_load_opts *opts);

struct btfkit_bpf_map_create_opts {
	size_t sz;             /* sizeof(struct btfkit_bpf_map_create_opts) */
	const char *name;
	uint32_t map_flags;
	int btf_fd;
	uint32_t btf_key_type_id, btf_value_type_id;
};
/* Create a map (BPF_MAP_TYPE_*); returns its fd. opts may be NULL. */
BTFKIT_API int btfkit_bpf_map_create(uint32_t type, uint32_t key_size, uint32_t value_size,
				     uint32_t max_entries, const struct btfkit_bpf_map_create_opts *opts);
/* Element access; flags: BPF_ANY, BPF_NOEXIST, BPF_EXIST. */
BTFKIT_API int btfkit_bpf_map_update(int fd, const void *key, const void *value, uint64_t flags);
BTFKIT_API int btfkit_bpf_map_lookup(int fd, const void *key, void *value);
BTFKIT_API int btfkit_bpf_map_delete(int fd, const void *key);

/*
 * A link from a program to a target: for an EXT program, target_fd is the
 * program it extends and target_btf_id the function's id (0: the one given
 * at load); for XDP, an interface index with attach type BPF_XDP. Returns
 * the link's fd.
 */
BTFKIT_API int btfkit_bpf_link_create(int prog_fd, int target_fd, uint32_t attach_type,
				      uint32_t target_btf_id);
/* Attach a tracing program (fentry/fexit/...) where it was loaded to go. */
BTFKIT_API int btfkit_bpf_raw_tp_open(int prog_fd, const char *name);

struct btfkit_bpf_test_run {
	size_t sz;             /* sizeof(struct btfkit_bpf_test_run) */
	const void *data_in;   /* the packet */
	uint32_t data_size_in;
	void *data_out;        /* may be NULL */
	uint32_t data_size_out; /* in: room in data_out; out: bytes the program left */
	uint32_t repeat;       /* 0 or 1: once */
	uint32_t retval;       /* out: the program's return value */
	uint32_t duration;     /* out: ns per run */
};
/* Run a program once (or `repeat` times) on a packet, BPF_PROG_TEST_RUN. */
BTFKIT_API int btfkit_bpf_prog_test_run(int prog_fd, struct btfkit_bpf_test_run *run);

/* bpftool's names: "xdp", "ext", "prog_array", "tracing", ...; NULL if unknown. */
BTFKIT_API const char *btfkit_bpf_prog_type_name(uint32_t type);
BTFKIT_API const char *btfkit_bpf_map_type_name(uint32_t type);
BTFKIT_API const char *btfkit_bpf_link_type_name(uint32_t type);
BTFKIT_API const char *btfkit_bpf_attach_type_name(uint32_t type);

#ifdef __cplusplus
}
#endif

#endif /* BTFKIT_BPF_H */
