// SPDX-License-Identifier: BSD-2-Clause
/*
 * Making objects: BTF, programs, maps, links; running a program on a packet.
 */
#include <stdlib.h>

#include "bpf_int.h"

/*
 * Load with the log only when it is wanted: a log costs the verifier time,
 * so a level-0 request loads without one and, on failure, once more with
 * level 1 to say why.
 */
static int load_logged(int cmd, union bpf_attr *attr, const struct btfkit_bpf_log *log,
		       __u64 *buf, __u32 *size, __u32 *level)
{
	int r;

	if (!log || !log->buf || !log->size)
		return bpf_sys(cmd, attr, sizeof(*attr));
	log->buf[0] = '\0';
	if (log->level) {
		*buf = bpf_ptr(log->buf);
		*size = log->size > UINT32_MAX ? UINT32_MAX : (uint32_t)log->size;
		*level = log->level;
		return bpf_sys(cmd, attr, sizeof(*attr));
	}
	r = bpf_sys(cmd, attr, sizeof(*attr));
	if (r >= 0)
		return r;
	*buf = bpf_ptr(log->buf);
	*size = log->size > UINT32_MAX ? UINT32_MAX : (uint32_t)log->size;
	*level = 1;
	r = bpf_sys(cmd, attr, sizeof(*attr));
	/* The second try can succeed (e.g. a transient ENOMEM): keep its fd. */
	return r;
}

int btfkit_bpf_btf_load(const void *data, size_t size, const struct btfkit_bpf_log *log)
{
	union bpf_attr attr;

	if (!data || !size || size > UINT32_MAX)
		return bpf_ret(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.btf = bpf_ptr(data);
	attr.btf_size = (uint32_t)size;
	return bpf_ret(load_logged(BPF_BTF_LOAD, &attr, log, &attr.btf_log_buf, &attr.btf_log_size,
				   &attr.btf_log_level));
}

int btfkit_bpf_prog_load(uint32_t type, const struct btfkit_bpf_insn *insns, size_t insn_cnt,
			 const struct btfkit_bpf_prog_load_opts *opts)
{
	union bpf_attr attr;
	const struct btfkit_bpf_log *log = NULL;

	_Static_assert(sizeof(struct btfkit_bpf_insn) == sizeof(struct bpf_insn), "insn layout");
	if (!insns || !insn_cnt || insn_cnt > UINT32_MAX ||
	    (opts && opts->sz < offsetof(struct btfkit_bpf_prog_load_opts, name)))
		return bpf_ret(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = type;
	attr.insns = bpf_ptr(insns);
	attr.insn_cnt = (uint32_t)insn_cnt;
	attr.license = bpf_ptr("GPL");
	if (opts) {
		if (BPF_HAS(opts, name) && opts->name)
			strncpy(attr.prog_name, opts->name, sizeof(attr.prog_name) - 1);
		if (BPF_HAS(opts, license) && opts->license)
			attr.license = bpf_ptr(opts->license);
		if (BPF_HAS(opts, expected_attach_type))
			attr.expected_attach_type = opts->expected_attach_type;
		if (BPF_HAS(opts, prog_flags))
			attr.prog_flags = opts->prog_flags;
		if (BPF_HAS(opts, func_info_cnt) && opts->func_info) {
			attr.prog_btf_fd = (uint32_t)opts->prog_btf_fd;
			attr.func_info = bpf_ptr(opts->func_info);
			attr.func_info_rec_size = opts->func_info_rec_size;
			attr.func_info_cnt = opts->func_info_cnt;
		} else if (BPF_HAS(opts, prog_btf_fd) && opts->prog_btf_fd > 0) {
			attr.prog_btf_fd = (uint32_t)opts->prog_btf_fd;
		}
		if (BPF_HAS(opts, attach_prog_fd)) {
			/* One word of the attr holds either fd: both is a mistake. */
			if (opts->attach_btf_obj_fd > 0 && opts->attach_prog_fd > 0)
				return bpf_ret(-EINVAL);
			attr.attach_btf_id = opts->attach_btf_id;
			if (opts->attach_prog_fd > 0)
				attr.attach_prog_fd = (uint32_t)opts->attach_prog_fd;
			else if (opts->attach_btf_obj_fd > 0)
				attr.attach_btf_obj_fd = (uint32_t)opts->attach_btf_obj_fd;
		}
		if (BPF_HAS(opts, log))
			log = &opts->log;
	}
	return bpf_ret(load_logged(BPF_PROG_LOAD, &attr, log, &attr.log_buf, &attr.log_size,
				   &attr.log_level));
}

int btfkit_bpf_map_create(uint32_t type, uint32_t key_size, uint32_t value_size, uint32_t max_entries,
			  const struct btfkit_bpf_map_create_opts *opts)
{
	union bpf_attr attr;

	if (opts && opts->sz < offsetof(struct btfkit_bpf_map_create_opts, name))
		return bpf_ret(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.map_type = type;
	attr.key_size = key_size;
	attr.value_size = value_size;
	attr.max_entries = max_entries;
	if (opts) {
		if (BPF_HAS(opts, name) && opts->name)
			strncpy(attr.map_name, opts->name, sizeof(attr.map_name) - 1);
		if (BPF_HAS(opts, map_flags))
			attr.map_flags = opts->map_flags;
		if (BPF_HAS(opts, btf_value_type_id) && opts->btf_fd > 0) {
			attr.btf_fd = (uint32_t)opts->btf_fd;
			attr.btf_key_type_id = opts->btf_key_type_id;
			attr.btf_value_type_id = opts->btf_value_type_id;
		}
	}
	return bpf_ret(bpf_sys(BPF_MAP_CREATE, &attr, sizeof(attr)));
}

static int elem(int cmd, int fd, const void *key, void *value, uint64_t flags)
{
	union bpf_attr attr;

	if (fd < 0)
		return bpf_ret(-EBADF);
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)fd;
	attr.key = bpf_ptr(key);
	attr.value = bpf_ptr(value);
	attr.flags = flags;
	return bpf_ret(bpf_sys(cmd, &attr, sizeof(attr)));
}

int btfkit_bpf_map_update(int fd, const void *key, const void *value, uint64_t flags)
{
	return elem(BPF_MAP_UPDATE_ELEM, fd, key, (void *)value, flags);
}

int btfkit_bpf_map_lookup(int fd, const void *key, void *value)
{
	return elem(BPF_MAP_LOOKUP_ELEM, fd, key, value, 0);
}

int btfkit_bpf_map_delete(int fd, const void *key)
{
	return elem(BPF_MAP_DELETE_ELEM, fd, key, NULL, 0);
}

int btfkit_bpf_link_create(int prog_fd, int target_fd, uint32_t attach_type, uint32_t target_btf_id)
{
	union bpf_attr attr;

	if (prog_fd < 0 || target_fd < 0)
		return bpf_ret(-EBADF);
	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = (uint32_t)prog_fd;
	attr.link_create.target_fd = (uint32_t)target_fd;
	attr.link_create.attach_type = attach_type;
	attr.link_create.target_btf_id = target_btf_id;
	return bpf_ret(bpf_sys(BPF_LINK_CREATE, &attr, sizeof(attr)));
}

int btfkit_bpf_raw_tp_open(int prog_fd, const char *name)
{
	union bpf_attr attr;

	if (prog_fd < 0)
		return bpf_ret(-EBADF);
	memset(&attr, 0, sizeof(attr));
	attr.raw_tracepoint.prog_fd = (uint32_t)prog_fd;
	attr.raw_tracepoint.name = bpf_ptr(name);
	return bpf_ret(bpf_sys(BPF_RAW_TRACEPOINT_OPEN, &attr, sizeof(attr)));
}

int btfkit_bpf_prog_test_run(int prog_fd, struct btfkit_bpf_test_run *run)
{
	union bpf_attr attr;
	int r;

	if (!run || run->sz < offsetof(struct btfkit_bpf_test_run, duration) + sizeof(run->duration))
		return bpf_ret(-EINVAL);
	if (prog_fd < 0)
		return bpf_ret(-EBADF);
	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = (uint32_t)prog_fd;
	attr.test.data_in = bpf_ptr(run->data_in);
	attr.test.data_size_in = run->data_size_in;
	if (run->data_out) {
		attr.test.data_out = bpf_ptr(run->data_out);
		attr.test.data_size_out = run->data_size_out;
	}
	attr.test.repeat = run->repeat;
	r = bpf_sys(BPF_PROG_TEST_RUN, &attr, sizeof(attr));
	if (r < 0)
		return bpf_ret(r);
	run->retval = attr.test.retval;
	run->duration = attr.test.duration;
	run->data_size_out = run->data_out ? attr.test.data_size_out : 0;
	return 0;
}
