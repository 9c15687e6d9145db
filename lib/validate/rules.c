// SPDX-License-Identifier: BSD-2-Clause
/*
 * What changed in the kernel's BTF verifier, and when. One row per rule: the
 * first mainline version that has the newer behaviour. Stable kernels keep
 * their series' rules, so the row's version is compared with major.minor.
 * docs/btfkit.1 (VALIDATION RULES) repeats this table for users.
 */
#include <stdio.h>
#include <sys/utsname.h>

#include <btfkit/validate.h>

#include "validate_int.h"

#define V(a, b) BTFKIT_KERNEL_VERSION(a, b, 0)

void v_rules_for(uint32_t kernel, struct v_rules *r)
{
	uint32_t series = kernel & ~0xffu;

	r->kernel = kernel;
	/* New kinds: FLOAT 5.13, DECL_TAG 5.16, TYPE_TAG 5.17, ENUM64 6.0. */
	r->kind_max = series >= V(6, 0)	   ? BTFKIT_KIND_ENUM64
		      : series >= V(5, 17) ? BTFKIT_KIND_TYPE_TAG
		      : series >= V(5, 16) ? BTFKIT_KIND_DECL_TAG
		      : series >= V(5, 13) ? BTFKIT_KIND_FLOAT
					   : BTFKIT_KIND_DATASEC;
	r->enum_kflag = series >= V(6, 0);
	/* KSYM_NAME_LEN went from 128 to 512 in 6.1. */
	r->ksym_name_len = series >= V(6, 1) ? 512 : 128;
	/*
	 * Dots in every identifier (".isra.0" functions): 6.4, and backported to
	 * the 6.1, 5.15 and 5.10 stable series in mid-2023; those series are
	 * taken to have it (every build of them shipped since does).
	 */
	r->dots_in_identifiers = series >= V(6, 4) || series == V(6, 1) || series == V(5, 15) ||
				 series == V(5, 10);
	/* DATASEC names: any printable character, from 6.9 (before: identifiers with dots). */
	r->datasec_any_printable = series >= V(6, 9);
	/* kind_flag on TYPE_TAG and DECL_TAG (C attributes rather than tags): 6.15. */
	r->type_tag_kflag = series >= V(6, 15);
	r->decl_tag_kflag = series >= V(6, 15);
	/* DECL_TAG counts as a type without size from 6.5 (no effect on a BTF load). */
	r->decl_tag_nosize = series >= V(6, 5);
	/*
	 * A struct's resolve kept its last member's type id in 16 bits until a
	 * fix of September 2022 (6.0, and the stable series that took it).
	 */
	r->struct_last_member_u32 = series >= V(6, 0) || series == V(5, 15) || series == V(5, 10);
}

uint32_t btfkit_running_kernel(void)
{
	struct utsname u;
	unsigned a = 0, b = 0, c = 0;

	if (uname(&u) < 0 || sscanf(u.release, "%u.%u.%u", &a, &b, &c) < 2)
		return 0;
	/* The kernel clamps the sublevel to 255 in its own version code. */
	return BTFKIT_KERNEL_VERSION(a, b, c > 255 ? 255 : c);
}
