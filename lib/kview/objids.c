// SPDX-License-Identifier: BSD-2-Clause
/*
 * The kernel's BTF object ids and fds, by object name (live views).
 */
#include <errno.h>

#include "kview_int.h"

int kv_load_obj_ids(struct btfkit_kview *kv)
{
	return kv_note(kv, "kernel BTF object ids not read: attach_btf_obj_fd unknown");
}
