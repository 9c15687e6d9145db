// SPDX-License-Identifier: BSD-2-Clause
/*
 * The model of the kernel by version (docs/RESOLVE.md has the references):
 * which lookup a target goes through, the .llvm. suffix of clang LTO
 * kernels, kprobes on duplicated names; and which compiler clone a kprobe
 * should use. The model is x86-64's.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <btfkit/validate.h>

#include "resolve_int.h"

bool rs_module_scoped_lookup(const struct btfkit_kview *kv)
{
	return !kv->version || kv->version >= BTFKIT_KERNEL_VERSION(6, 4, 0);
}

/*
 * A clang LTO kernel (its kallsyms has .llvm.<hash> names) before 6.10
 * matches "foo.llvm.<hash>" when asked for "foo" in kallsyms_lookup_name().
 * From "kallsyms: Match symbols exactly with CONFIG_LTO_CLANG" (6.11, in
 * 6.10.y stable) the lookup is exact; an unknown version is taken as new.
 */
bool rs_llvm_suffix_matches(const struct btfkit_kview *kv)
{
	return kv->llvm_suffixes && kv->version && kv->version < BTFKIT_KERNEL_VERSION(6, 10, 0);
}

/* Does a kprobe by a duplicated name fail with EADDRNOTAVAIL? */
static bool in_series(uint32_t v, unsigned a, unsigned b)
{
	return (v >> 8) == (BTFKIT_KERNEL_VERSION(a, b, 0) >> 8);
}

/*
 * b022f0c7e404 (6.6) went to the 6.5, 6.1 (6.1.60 on), 5.15, 5.10, 5.4 and
 * 4.14 stable series; in those, but 6.1, the first sublevel that has it is
 * not known, and a distribution kernel often reports sublevel 0 whatever its
 * updates: "may take the first, or refuse".
 */
enum rs_dup_rule rs_kprobe_duplicates(const struct btfkit_kview *kv)
{
	static const unsigned char stable[][2] = { { 6, 5 }, { 5, 15 }, { 5, 10 }, { 5, 4 }, { 4, 14 } };
	uint32_t v = kv->version;

	if (!v || v >= BTFKIT_KERNEL_VERSION(6, 6, 0))
		return DUP_REFUSES;
	if (in_series(v, 6, 1))
		return (v & 0xff) >= 60 ? DUP_REFUSES : (v & 0xff) == 0 ? DUP_MAYBE : DUP_TAKES_FIRST;
	for (size_t i = 0; i < sizeof(stable) / sizeof(stable[0]); i++)
		if (in_series(v, stable[i][0], stable[i][1]))
			return DUP_MAYBE;
	return DUP_TAKES_FIRST;
}

/* MOD:SYM counts its module's duplicates too from 9d8616034f16 (6.11, and stable). */
enum rs_dup_rule rs_kprobe_mod_duplicates(const struct btfkit_kview *kv)
{
	return !kv->version || kv->version >= BTFKIT_KERNEL_VERSION(6, 11, 0) ? DUP_REFUSES : DUP_MAYBE;
}

/*
 * The clone a kprobe should use. A .cold fragment is the unlikely tail GCC
 * moved out of a function: never its entry. A .part.N is the outlined body
 * of a partially inlined function: it reaches only the calls that take that
 * path. .isra/.constprop/.llvm clones are the whole function (arguments may
 * differ). Returns the index in r->clones, or -1 when only fragments exist.
 */
enum rs_clone_use rs_clone_use_of(const char *name)
{
	if (strstr(name, ".cold"))
		return CLONE_NONE;
	return strstr(name, ".part.") ? CLONE_PART : CLONE_WHOLE;
}

int rs_best_clone(const struct rs *r)
{
	int best = -1;
	enum rs_clone_use best_use = CLONE_NONE;

	for (size_t i = 0; i < r->pub.nr_clones; i++) {
		enum rs_clone_use u = rs_clone_use_of(r->clones[i].name);

		if (u > best_use) {
			best = (int)i;
			best_use = u;
		}
	}
	return best;
}

const char *rs_clone_caveat(const struct rs *r, int pick)
{
	if (pick < 0)
		return "; the only clones are .cold fragments (not a function's entry): no kprobe address";
	if (rs_clone_use_of(r->clones[pick].name) == CLONE_PART)
		return "; a .part clone is only the outlined part of the function: a kprobe there sees only the calls that reach it";
	return "";
}
