// SPDX-License-Identifier: BSD-2-Clause
/*
 * The kernel version: the input of the behaviour model.
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include <btfkit/validate.h>

#include "kview_int.h"

/* "6.1.192", "6.12", "6.1.0-56-amd64" (the sublevel Debian's release names carry: 0). */
int kv_parse_version(const char *s, uint32_t *out)
{
	unsigned a, b, c = 0;
	int n = sscanf(s, "%u.%u.%u", &a, &b, &c);

	if (n < 2 || a > 255 || b > 255)
		return -1;
	*out = BTFKIT_KERNEL_VERSION(a, b, c > 255 ? 255 : c);
	return 0;
}

/*
 * uname's release; Debian's ("6.1.0-56-amd64") hides the sublevel, which its
 * version string carries: "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-1 (...)".
 */
uint32_t kv_live_version(void)
{
	struct utsname u;
	uint32_t v = 0, dv;
	const char *deb;

	if (uname(&u) || kv_parse_version(u.release, &v))
		return 0;
	deb = strstr(u.version, "Debian ");
	if (deb && kv_parse_version(deb + 7, &dv) == 0 && (dv >> 8) == (v >> 8))
		v = dv;
	return v;
}
