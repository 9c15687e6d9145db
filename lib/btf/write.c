// SPDX-License-Identifier: BSD-2-Clause
/*
 * Writing BTF back out as a raw blob, in either byte order. The layout is the
 * canonical one that pahole, libbpf and the kernel write: header, types,
 * layout section (if any), strings, with no gaps.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btf_int.h"

static void put_u32(uint8_t *p, uint32_t v, bool swap)
{
	if (swap)
		v = __builtin_bswap32(v);
	memcpy(p, &v, 4);
}

int btfkit_btf_serialize(const struct btfkit_btf *btf, enum btfkit_byte_order order, void **data,
			 size_t *size)
{
	bool host_little = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, swap;
	uint32_t hdr_len, layout_len, total;
	uint8_t *out, *p;

	if (!btf || !data || !size)
		return btf_err(-EINVAL);
	switch (order) {
	case BTFKIT_ORDER_AS_READ:
		swap = btf->swapped;
		break;
	case BTFKIT_ORDER_LITTLE:
		swap = !host_little;
		break;
	case BTFKIT_ORDER_BIG:
		swap = host_little;
		break;
	default:
		return btf_err(-EINVAL);
	}
	/* A 32-byte header stays 32 bytes (writers emit it even without a layout). */
	hdr_len = (btf->has_layout || btf->hdr_len >= BTF_HDR_LEN_LAYOUT) ? BTF_HDR_LEN_LAYOUT
									   : BTF_HDR_LEN_BASE;
	layout_len = btf->has_layout ? btf->layout_len : 0;
	if ((uint64_t)hdr_len + btf->types_len + layout_len + btf->strs_len > UINT32_MAX)
		return btf_err(-E2BIG);
	total = hdr_len + btf->types_len + layout_len + btf->strs_len;
	out = malloc(total);
	if (!out)
		return btf_err(-ENOMEM);

	/* magic is a u16; version and flags are single bytes. */
	{
		uint16_t magic = swap ? __builtin_bswap16(BTF_MAGIC) : BTF_MAGIC;

		memcpy(out, &magic, 2);
	}
	out[2] = BTF_VERSION;
	out[3] = btf->hdr_flags;
	put_u32(out + 4, hdr_len, swap);
	put_u32(out + 8, 0, swap);
	put_u32(out + 12, btf->types_len, swap);
	put_u32(out + 16, btf->types_len + layout_len, swap);
	put_u32(out + 20, btf->strs_len, swap);
	if (hdr_len == BTF_HDR_LEN_LAYOUT) {
		put_u32(out + 24, layout_len ? btf->types_len : 0, swap);
		put_u32(out + 28, layout_len, swap);
	}

	p = out + hdr_len;
	/* The type section is host order in memory and made of 32-bit words. */
	if (swap) {
		for (uint32_t i = 0; i + 4 <= btf->types_len; i += 4) {
			uint32_t w;

			memcpy(&w, btf->types + i, 4);
			put_u32(p + i, w, true);
		}
	} else {
		memcpy(p, btf->types, btf->types_len);
	}
	p += btf->types_len;
	if (layout_len) {
		memcpy(p, btf->layout, layout_len);
		/* Entries are u8 info_sz, u8 elem_sz, u16 flags: only flags has a byte order. */
		if (swap != btf->swapped)
			for (uint32_t i = 0; i + 4 <= layout_len; i += 4) {
				uint8_t b = p[i + 2];

				p[i + 2] = p[i + 3];
				p[i + 3] = b;
			}
		p += layout_len;
	}
	memcpy(p, btf->strs, btf->strs_len);
	*data = out;
	*size = total;
	return 0;
}
