// SPDX-License-Identifier: BSD-2-Clause
/*
 * The kernel's BTF object ids and fds, matched to the view's objects by name
 * (live views). A module's fd is what BPF_PROG_LOAD takes as
 * attach_btf_obj_fd; vmlinux is named by 0 there, so only its id is kept.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <btfkit/bpf.h>

#include "kview_int.h"

int kv_load_obj_ids(struct btfkit_kview *kv)
{
	uint32_t id = 0;
	size_t found = 0;
	int err;

	while ((err = btfkit_bpf_next_id(BTFKIT_BPF_BTF, id, &id)) == 0) {
		struct btfkit_bpf_btf_info info = { .sz = sizeof(info) };
		int fd = btfkit_bpf_fd_by_id(BTFKIT_BPF_BTF, id), obj;

		if (fd < 0) {
			if (fd == -ENOENT)
				continue; /* freed since */
			err = fd;
			break;
		}
		if (btfkit_bpf_btf_info(fd, &info) < 0 || !info.kernel_btf ||
		    (obj = btfkit_kview_find_object(kv, info.name)) < 0 || kv->objs[obj].obj_id) {
			close(fd);
			continue;
		}
		kv->objs[obj].obj_id = id;
		if (obj == 0)
			close(fd);
		else
			kv->objs[obj].fd = fd;
		found++;
	}
	if (err != -ENOENT)
		return kv_note(kv, "kernel BTF object ids: %s: attach_btf_obj_fd of modules unknown",
			       strerror(-err));
	kv->have |= BTFKIT_KVIEW_OBJ_IDS;
	if (found < kv->nr_objs)
		return kv_note(kv, "%zu of %zu BTF objects have no kernel BTF object id",
			       kv->nr_objs - found, kv->nr_objs);
	return 0;
}
