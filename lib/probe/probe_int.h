/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel-behaviour probes: hand-assembled programs and the little BTF they
 * need, written here so that a probe depends on nothing but bpf().
 */
#ifndef BTFKIT_PROBE_INT_H
#define BTFKIT_PROBE_INT_H

#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>

#include <btfkit/bpf.h>
#include <btfkit/probe.h>

/* ---- instructions (struct btfkit_bpf_insn) ---- */
#define P_INSN(c, d, s, o, i)                                                                  \
	((struct btfkit_bpf_insn){ .code = (uint8_t)(c), .regs = (uint8_t)((d) | ((s) << 4)), \
				   .off = (int16_t)(o), .imm = (int32_t)(i) })
#define P_MOV64_IMM(d, i) P_INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define P_EXIT() P_INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define P_CALL_HELPER(id) P_INSN(BPF_JMP | BPF_CALL, 0, 0, 0, id)
/* A call of the function `rel` instructions after the next one. */
#define P_CALL_REL(rel) P_INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, rel)
/* dst = the map behind fd: two instruction slots. */
#define P_LD_MAP_FD(d, fd) P_INSN(BPF_LD | BPF_DW | BPF_IMM, d, BPF_PSEUDO_MAP_FD, 0, fd), P_INSN(0, 0, 0, 0, 0)

/* ---- a minimal BTF writer ---- */
struct pbtf {
	uint32_t *types;
	size_t nwords, cap;
	char *strs;
	size_t slen, scap;
	uint32_t nr_types;
	int err;
};
void pbtf_init(struct pbtf *b);
void pbtf_free(struct pbtf *b);
uint32_t pbtf_int(struct pbtf *b, const char *name, uint32_t size, int is_signed);
uint32_t pbtf_struct(struct pbtf *b, const char *name, uint32_t size, uint32_t vlen);
void pbtf_member(struct pbtf *b, const char *name, uint32_t type, uint32_t bit_offset);
uint32_t pbtf_ptr(struct pbtf *b, uint32_t type);
uint32_t pbtf_proto(struct pbtf *b, uint32_t ret, uint32_t vlen);
void pbtf_param(struct pbtf *b, const char *name, uint32_t type);
uint32_t pbtf_func(struct pbtf *b, const char *name, uint32_t proto, uint32_t linkage);
/* The raw blob (malloc()ed), or NULL with errno. */
void *pbtf_blob(const struct pbtf *b, size_t *size);

/* A paragraph for a class, with the facts that fill it in. */
struct explain_facts {
	int64_t owner_type; /* -1: no owner (yet) or not shown */
	int64_t owner_jited;
	int64_t prog_type;  /* -1: unknown */
	int prog_jited;
	int err;            /* positive errno */
};
void explain_write(struct btfkit_explanation *ex, enum btfkit_freplace_class cls,
		   const struct explain_facts *f);

#endif /* BTFKIT_PROBE_INT_H */
