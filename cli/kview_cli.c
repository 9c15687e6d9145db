// SPDX-License-Identifier: BSD-2-Clause
/*
 * What resolve and census share: the options that make an offline kernel
 * view, opening it, and its notes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <btfkit/btfkit.h>
#include <btfkit/kview.h>

#include "cli.h"

/* 0: taken; 1: not a view option. */
int cli_kview_option(int opt, const char *arg, struct btfkit_kview_opts *o)
{
	switch (opt) {
	case KVIEW_OPT_BTF:
		o->btf = arg;
		return 0;
	case KVIEW_OPT_KALLSYMS:
		o->kallsyms = arg;
		return 0;
	case KVIEW_OPT_MODULES:
		o->modules_dir = arg;
		return 0;
	case KVIEW_OPT_FTRACE:
		o->ftrace = arg;
		return 0;
	case KVIEW_OPT_KVER:
		o->kernel_version = arg;
		return 0;
	case KVIEW_OPT_EI:
		o->error_injection = arg;
		return 0;
	}
	return 1;
}

struct btfkit_kview *cli_kview_open(struct btfkit_kview_opts *o)
{
	char msg[512] = "";
	struct btfkit_kview *kv;

	o->sz = sizeof(*o);
	o->msg = msg;
	o->msg_sz = sizeof(msg);
	kv = btfkit_kview_open(o);
	o->msg = NULL;
	o->msg_sz = 0;
	if (!kv) {
		const char *what = o->btf ? o->btf : "/sys/kernel/btf/vmlinux";

		if (msg[0])
			cli_error("%s", msg);
		else
			cli_error("%s: %s", what, strerror(errno));
	}
	return kv;
}

void cli_kview_notes(const struct btfkit_kview *kv, FILE *f)
{
	const char *n;

	for (size_t i = 0; (n = btfkit_kview_note(kv, i)) != NULL; i++)
		fprintf(f, "note: %s\n", n);
}

void cli_kview_json(const struct btfkit_kview *kv, FILE *f)
{
	uint32_t v = btfkit_kview_version(kv);
	const char *n;

	fprintf(f, "\"live\":%s,\"kernel\":", btfkit_kview_is_live(kv) ? "true" : "false");
	if (v)
		fprintf(f, "\"%u.%u.%u\"", v >> 16, (v >> 8) & 0xff, v & 0xff);
	else
		fputs("null", f);
	fprintf(f, ",\"objects\":%zu,\"symbols\":%zu,\"notes\":[", btfkit_kview_object_count(kv),
		btfkit_kview_symbol_count(kv));
	for (size_t i = 0; (n = btfkit_kview_note(kv, i)) != NULL; i++) {
		if (i)
			fputc(',', f);
		cli_json_str(f, n);
	}
	fputc(']', f);
}
