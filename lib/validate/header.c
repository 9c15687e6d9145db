// SPDX-License-Identifier: BSD-2-Clause
/*
 * The header, the section table and the string section, checked as the
 * kernel checks them before it looks at a single type.
 */
#include <errno.h>
#include <string.h>

#include "validate_int.h"

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

struct sec {
	uint32_t off, len;
};

/* The kernel sorts sections by (int)(a - b) of offset, then of length. */
static int sec_cmp(const struct sec *a, const struct sec *b)
{
	int c = (int)(a->off - b->off);

	return c ? c : (int)(a->len - b->len);
}

static int check_sections(struct v_env *env)
{
	const struct v_btf *b = env->btf;
	struct sec secs[2] = {
		{ b->hdr.type_off, b->hdr.type_len },
		{ b->hdr.str_off, b->hdr.str_len },
	};
	uint32_t total = 0, expected = b->size - b->hdr.hdr_len;

	if (sec_cmp(&secs[0], &secs[1]) > 0) {
		struct sec tmp = secs[0];

		secs[0] = secs[1];
		secs[1] = tmp;
	}
	for (int i = 0; i < 2; i++) {
		if (expected < secs[i].off) {
			v_log_plain(env, 0, -1, "", "Invalid section offset");
			return -EINVAL;
		}
		if (total < secs[i].off) {
			v_log_plain(env, 0, -1, "", "Unsupported section found");
			return -EINVAL;
		}
		if (total > secs[i].off) {
			v_log_plain(env, 0, -1, "", "Section overlap found");
			return -EINVAL;
		}
		if (expected - total < secs[i].len) {
			v_log_plain(env, 0, -1, "", "Total section length too long");
			return -EINVAL;
		}
		total += secs[i].len;
	}
	if (expected != total) {
		v_log_plain(env, 0, -1, "", "Unsupported section found");
		return -EINVAL;
	}
	return 0;
}

int v_parse_header(struct v_env *env)
{
	struct v_btf *b = env->btf;
	uint8_t hdr[V_HDR_LEN] = { 0 };
	uint32_t hdr_len;

	if (b->size < 8) {
		v_log_plain(env, 0, -1, "", "hdr_len not found");
		return -EINVAL;
	}
	hdr_len = rd32(b->data + 4);
	if (b->size < hdr_len) {
		v_log_plain(env, 0, -1, "", "btf_header not found");
		return -EINVAL;
	}
	/* A longer header than the kernel knows is fine if what it adds is zero. */
	for (uint32_t i = V_HDR_LEN; i < hdr_len; i++) {
		if (b->data[i]) {
			v_log_plain(env, 0, -1, "", "Unsupported btf_header");
			return -E2BIG;
		}
	}
	/* The kernel copies what there is of its header; the rest stays zero. */
	memcpy(hdr, b->data, hdr_len < V_HDR_LEN ? hdr_len : V_HDR_LEN);
	memcpy(&b->hdr.magic, hdr, 2);
	b->hdr.version = hdr[2];
	b->hdr.flags = hdr[3];
	b->hdr.hdr_len = rd32(hdr + 4);
	b->hdr.type_off = rd32(hdr + 8);
	b->hdr.type_len = rd32(hdr + 12);
	b->hdr.str_off = rd32(hdr + 16);
	b->hdr.str_len = rd32(hdr + 20);

	if (b->hdr.magic != 0xeb9f) {
		v_log_plain(env, 0, -1, "", "Invalid magic");
		return -EINVAL;
	}
	if (b->hdr.version != 1) {
		v_log_plain(env, 0, -1, "", "Unsupported version");
		return -V_ENOTSUPP;
	}
	if (b->hdr.flags) {
		v_log_plain(env, 0, -1, "", "Unsupported flags");
		return -V_ENOTSUPP;
	}
	if (!b->base && b->size == b->hdr.hdr_len) {
		v_log_plain(env, 0, -1, "", "No data");
		return -EINVAL;
	}
	return check_sections(env);
}

int v_parse_strings(struct v_env *env)
{
	struct v_btf *b = env->btf;
	uint64_t end = (uint64_t)b->hdr.hdr_len + b->hdr.str_off + b->hdr.str_len;

	b->nohdr = b->data + b->hdr.hdr_len;
	if (end != b->size) {
		v_log_plain(env, 0, -1, "", "String section is not at the end");
		return -EINVAL;
	}
	b->strings = (const char *)b->nohdr + b->hdr.str_off;
	if (b->base && !b->hdr.str_len)
		return 0;
	if (!b->hdr.str_len || b->hdr.str_len - 1 > V_MAX_NAME_OFFSET ||
	    b->strings[b->hdr.str_len - 1]) {
		v_log_plain(env, 0, -1, "", "Invalid string section");
		return -EINVAL;
	}
	if (!b->base && b->strings[0]) {
		v_log_plain(env, 0, -1, "", "Invalid string section");
		return -EINVAL;
	}
	return 0;
}
