// SPDX-License-Identifier: BSD-2-Clause
/*
 * The bpf() call itself, and walking the kernel's objects by id.
 */
#include <sys/syscall.h>
#include <unistd.h>

#include "bpf_int.h"

int bpf_sys(int cmd, union bpf_attr *attr, unsigned size)
{
	long r;

	do {
		r = syscall(__NR_bpf, cmd, attr, size);
	} while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : (int)r;
}

static const int next_cmd[] = {
	[BTFKIT_BPF_PROG] = BPF_PROG_GET_NEXT_ID,
	[BTFKIT_BPF_MAP] = BPF_MAP_GET_NEXT_ID,
	[BTFKIT_BPF_LINK] = BPF_LINK_GET_NEXT_ID,
	[BTFKIT_BPF_BTF] = BPF_BTF_GET_NEXT_ID,
};

static const int fd_cmd[] = {
	[BTFKIT_BPF_PROG] = BPF_PROG_GET_FD_BY_ID,
	[BTFKIT_BPF_MAP] = BPF_MAP_GET_FD_BY_ID,
	[BTFKIT_BPF_LINK] = BPF_LINK_GET_FD_BY_ID,
	[BTFKIT_BPF_BTF] = BPF_BTF_GET_FD_BY_ID,
};

static int kind_ok(enum btfkit_bpf_obj kind)
{
	return (unsigned)kind <= BTFKIT_BPF_BTF;
}

int btfkit_bpf_next_id(enum btfkit_bpf_obj kind, uint32_t id, uint32_t *next)
{
	union bpf_attr attr;
	int r;

	if (!kind_ok(kind) || !next)
		return bpf_ret(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.start_id = id;
	r = bpf_sys(next_cmd[kind], &attr, sizeof(attr));
	if (r < 0)
		return bpf_ret(r);
	*next = attr.next_id;
	return 0;
}

int btfkit_bpf_fd_by_id(enum btfkit_bpf_obj kind, uint32_t id)
{
	union bpf_attr attr;

	if (!kind_ok(kind))
		return bpf_ret(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	/* prog_id, map_id, btf_id and link_id share one word of the attr. */
	attr.prog_id = id;
	return bpf_ret(bpf_sys(fd_cmd[kind], &attr, sizeof(attr)));
}
