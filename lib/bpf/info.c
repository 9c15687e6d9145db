// SPDX-License-Identifier: BSD-2-Clause
/*
 * What the kernel says about an object: BPF_OBJ_GET_INFO_BY_FD, and the
 * key/value lines of /proc/self/fdinfo/FD (the only place some facts live,
 * e.g. a PROG_ARRAY's owner program type).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bpf_int.h"

static int obj_info(int fd, void *info, uint32_t len)
{
	union bpf_attr attr;

	if (fd < 0)
		return -EBADF;
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (uint32_t)fd;
	attr.info.info_len = len;
	attr.info.info = bpf_ptr(info);
	return bpf_sys(BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr));
}

/* Copy what fits of a filled struct into the caller's, keeping its sz. */
static int check_sz(const void *s)
{
	return s && *(const size_t *)s >= sizeof(size_t) ? 0 : -EINVAL;
}

int btfkit_bpf_prog_info(int fd, struct btfkit_bpf_prog_info *out)
{
	struct btfkit_bpf_prog_info o;
	struct bpf_prog_info k;
	uint32_t *ids = NULL, cap = 0;
	int r;

	if (check_sz(out))
		return bpf_ret(-EINVAL);
	if (BPF_HAS(out, map_ids_cap) && out->map_ids) {
		ids = out->map_ids;
		cap = out->map_ids_cap;
	}
	memset(&k, 0, sizeof(k));
	if (ids) {
		k.nr_map_ids = cap;
		k.map_ids = bpf_ptr(ids);
	}
	r = obj_info(fd, &k, sizeof(k));
	if (r < 0)
		return bpf_ret(r);
	memset(&o, 0, sizeof(o));
	o.id = k.id;
	o.type = k.type;
	memcpy(o.name, k.name, sizeof(o.name));
	o.name[sizeof(o.name) - 1] = '\0';
	memcpy(o.tag, k.tag, sizeof(o.tag));
	o.jited = k.jited_prog_len > 0;
	o.gpl_compatible = k.gpl_compatible;
	o.xlated_len = k.xlated_prog_len;
	o.jited_len = k.jited_prog_len;
	o.btf_id = k.btf_id;
	o.nr_func_info = k.nr_func_info;
	o.attach_btf_obj_id = k.attach_btf_obj_id;
	o.attach_btf_id = k.attach_btf_id;
	o.created_by_uid = k.created_by_uid;
	o.load_time = k.load_time;
	o.run_time_ns = k.run_time_ns;
	o.run_cnt = k.run_cnt;
	o.verified_insns = k.verified_insns;
	o.map_ids = ids;
	o.map_ids_cap = cap;
	o.nr_map_ids = k.nr_map_ids;
	bpf_give(out, &o, sizeof(o));
	return 0;
}

int btfkit_bpf_map_info(int fd, struct btfkit_bpf_map_info *out)
{
	struct btfkit_bpf_map_info o;
	struct bpf_map_info k;
	int r;

	if (check_sz(out))
		return bpf_ret(-EINVAL);
	memset(&k, 0, sizeof(k));
	r = obj_info(fd, &k, sizeof(k));
	if (r < 0)
		return bpf_ret(r);
	memset(&o, 0, sizeof(o));
	o.id = k.id;
	o.type = k.type;
	memcpy(o.name, k.name, sizeof(o.name));
	o.name[sizeof(o.name) - 1] = '\0';
	o.key_size = k.key_size;
	o.value_size = k.value_size;
	o.max_entries = k.max_entries;
	o.map_flags = k.map_flags;
	o.btf_id = k.btf_id;
	o.btf_key_type_id = k.btf_key_type_id;
	o.btf_value_type_id = k.btf_value_type_id;
	o.btf_vmlinux_value_type_id = k.btf_vmlinux_value_type_id;
	o.ifindex = k.ifindex;
	o.map_extra = k.map_extra;
	bpf_give(out, &o, sizeof(o));
	return 0;
}

int btfkit_bpf_link_info(int fd, struct btfkit_bpf_link_info *out)
{
	struct btfkit_bpf_link_info o;
	struct bpf_link_info k;
	int r;

	if (check_sz(out))
		return bpf_ret(-EINVAL);
	memset(&k, 0, sizeof(k));
	r = obj_info(fd, &k, sizeof(k));
	if (r < 0)
		return bpf_ret(r);
	memset(&o, 0, sizeof(o));
	o.id = k.id;
	o.type = k.type;
	o.prog_id = k.prog_id;
	switch (k.type) {
	case BPF_LINK_TYPE_TRACING:
		o.attach_type = k.tracing.attach_type;
		o.target_obj_id = k.tracing.target_obj_id;
		o.target_btf_id = k.tracing.target_btf_id;
		break;
	case BPF_LINK_TYPE_CGROUP:
		o.attach_type = k.cgroup.attach_type;
		o.cgroup_id = k.cgroup.cgroup_id;
		break;
	case BPF_LINK_TYPE_NETNS:
		o.attach_type = k.netns.attach_type;
		o.netns_ino = k.netns.netns_ino;
		break;
	case BPF_LINK_TYPE_XDP:
		o.ifindex = k.xdp.ifindex;
		break;
	default:
		break;
	}
	bpf_give(out, &o, sizeof(o));
	return 0;
}

int btfkit_bpf_btf_info(int fd, struct btfkit_bpf_btf_info *out)
{
	struct btfkit_bpf_btf_info o;
	struct bpf_btf_info k;
	int r;

	if (check_sz(out))
		return bpf_ret(-EINVAL);
	memset(&o, 0, sizeof(o));
	memset(&k, 0, sizeof(k));
	k.name = bpf_ptr(o.name);
	k.name_len = sizeof(o.name);
	r = obj_info(fd, &k, sizeof(k));
	if (r < 0)
		return bpf_ret(r);
	o.name[sizeof(o.name) - 1] = '\0';
	o.id = k.id;
	o.size = k.btf_size;
	o.kernel_btf = k.kernel_btf != 0;
	bpf_give(out, &o, sizeof(o));
	return 0;
}

void *btfkit_bpf_btf_data(int fd, uint32_t *size)
{
	struct bpf_btf_info k;
	void *data = NULL;
	int r;

	/* Ask for the size, then the bytes; again if the object grew between. */
	for (int tries = 0; tries < 3; tries++) {
		uint32_t want;

		memset(&k, 0, sizeof(k));
		r = obj_info(fd, &k, sizeof(k));
		if (r < 0)
			goto fail;
		want = k.btf_size;
		free(data);
		data = malloc(want ? want : 1);
		if (!data) {
			r = -ENOMEM;
			goto fail;
		}
		memset(&k, 0, sizeof(k));
		k.btf = bpf_ptr(data);
		k.btf_size = want;
		r = obj_info(fd, &k, sizeof(k));
		if (r < 0)
			goto fail;
		if (k.btf_size <= want) {
			if (size)
				*size = k.btf_size;
			return data;
		}
	}
	r = -EAGAIN;
fail:
	free(data);
	errno = -r;
	return NULL;
}

int btfkit_bpf_fdinfo(int fd, const char *key, char *val, size_t val_sz)
{
	char path[64], line[512];
	size_t klen;
	FILE *f;
	int r = -ENOENT;

	if (fd < 0 || !key || !val || !val_sz)
		return bpf_ret(-EINVAL);
	klen = strlen(key);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return bpf_ret(-errno);
	while (fgets(line, sizeof(line), f)) {
		char *v = line + klen, *end;
		size_t n;

		if (strncmp(line, key, klen) != 0 || *v != ':')
			continue;
		for (v++; *v == ' ' || *v == '\t'; v++)
			;
		end = v + strlen(v);
		while (end > v && (end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
			end--;
		n = (size_t)(end - v);
		if (n >= val_sz) {
			r = -ERANGE;
			break;
		}
		memcpy(val, v, n);
		val[n] = '\0';
		r = 0;
		break;
	}
	fclose(f);
	return bpf_ret(r);
}

int btfkit_bpf_fdinfo_u64(int fd, const char *key, uint64_t *val)
{
	char buf[64], *end;
	unsigned long long v;
	int r = btfkit_bpf_fdinfo(fd, key, buf, sizeof(buf));

	if (r < 0)
		return r;
	if (!val)
		return bpf_ret(-EINVAL);
	/* Decimal, or hexadecimal with 0x (map_flags): never octal, never negative. */
	errno = 0;
	v = strtoull(buf, &end, buf[0] == '0' && buf[1] == 'x' ? 16 : 10);
	if (buf[0] == '-' || errno || end == buf || *end)
		return bpf_ret(-EINVAL);
	*val = v;
	return 0;
}
