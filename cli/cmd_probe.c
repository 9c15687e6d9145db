// SPDX-License-Identifier: BSD-2-Clause
/*
 * btfkit probe: what the running kernel does with freplace + tail calls,
 * found by building the scenario and running it (lib/probe/).
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include <btfkit/btfkit.h>

#include "cli.h"

/* One paragraph, wrapped at 78 columns, each line indented. */
void cli_wrap(FILE *f, const char *indent, const char *text)
{
	size_t width = 78 - strlen(indent), col = 0;
	const char *p = text;

	while (*p) {
		const char *w = p;
		size_t len;

		while (*p && *p != ' ')
			p++;
		len = (size_t)(p - w);
		if (col && col + 1 + len > width) {
			fputc('\n', f);
			col = 0;
		}
		if (!col)
			fputs(indent, f);
		else
			fputc(' ', f);
		fwrite(w, 1, len, f);
		col += len + (col ? 1 : 0);
		while (*p == ' ')
			p++;
	}
	if (col)
		fputc('\n', f);
}

static const char *err_name(int err)
{
	const char *n = strerrorname_np(err < 0 ? -err : err);

	return n ? n : "error";
}

static const char *in_array_name(enum btfkit_freplace_class c)
{
	return c == BTFKIT_FREPLACE_WORKS ? "allowed" : btfkit_freplace_class_name(c);
}

/* The text's word for it: allowed, or refused. */
static const char *in_array_word(enum btfkit_freplace_class c)
{
	if (c == BTFKIT_FREPLACE_WORKS)
		return "allowed";
	return c == BTFKIT_FREPLACE_EXT_IN_PROG_ARRAY ? "refused" : btfkit_freplace_class_name(c);
}

static void print_text(const char *kernel, const struct btfkit_probe_result *r)
{
	printf("kernel: %s\n", kernel);
	printf("freplace-tailcall: %s\n", btfkit_freplace_class_name(r->cls));
	cli_wrap(stdout, "  ", r->text);
	if (r->retval >= 0)
		printf("  test run: returned %lld%s\n", (long long)r->retval,
		       r->retval == BTFKIT_PROBE_RET_CALLEE ? " (the callee's: the tail call ran)" : "");
	if (r->variant[0]) {
		printf("  works instead: %s\n", r->variant);
		printf("  test run: returned %lld%s\n", (long long)r->variant_retval,
		       r->variant_retval == BTFKIT_PROBE_RET_CALLEE ? " (the callee's: the tail call ran)" : "");
	}
	if (r->ext_log[0]) {
		char line[1024];
		const char *p = r->ext_log;

		printf("  verifier log (end):\n");
		while (*p) {
			size_t n = strcspn(p, "\n");

			snprintf(line, sizeof(line), "%.*s", (int)n, p);
			printf("    %s\n", line);
			p += n + (p[n] ? 1 : 0);
		}
	}
	if (r->ext_in_array != BTFKIT_FREPLACE_UNKNOWN) {
		printf("ext-in-prog-array: %s\n", in_array_word(r->ext_in_array));
		cli_wrap(stdout, "  ", r->ext_in_array_text);
	}
	printf("steps:\n");
	for (unsigned i = 0; i < r->nr_steps; i++) {
		const struct btfkit_probe_step *s = &r->steps[i];

		if (s->err)
			printf("  %-52s %s\n", s->what, err_name(s->err));
		else if (s->value >= 0)
			printf("  %-52s %lld\n", s->what, (long long)s->value);
		else
			printf("  %-52s ok\n", s->what);
	}
}

static void print_json(const char *kernel, const struct btfkit_probe_result *r)
{
	printf("{\"kernel\":");
	cli_json_str(stdout, kernel);
	printf(",\"freplace_tailcall\":{\"class\":");
	cli_json_str(stdout, btfkit_freplace_class_name(r->cls));
	printf(",\"explanation\":");
	cli_json_str(stdout, r->text);
	printf(",\"retval\":%lld,\"variant\":", (long long)r->retval);
	cli_json_str(stdout, r->variant);
	printf(",\"variant_retval\":%lld,\"verifier_log\":", (long long)r->variant_retval);
	cli_json_str(stdout, r->ext_log);
	printf("},\"ext_in_prog_array\":{\"class\":");
	cli_json_str(stdout, r->ext_in_array == BTFKIT_FREPLACE_UNKNOWN ? "unknown" : in_array_name(r->ext_in_array));
	printf(",\"explanation\":");
	cli_json_str(stdout, r->ext_in_array_text);
	printf("},\"steps\":[");
	for (unsigned i = 0; i < r->nr_steps; i++) {
		const struct btfkit_probe_step *s = &r->steps[i];

		printf("%s{\"step\":", i ? "," : "");
		cli_json_str(stdout, s->what);
		if (s->err)
			printf(",\"error\":\"%s\",\"errno\":%d", err_name(s->err), -s->err);
		else
			printf(",\"error\":null");
		printf(",\"value\":%lld}", (long long)s->value);
	}
	printf("]}\n");
}

int cmd_probe(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *self = cli_command("probe");
	struct btfkit_probe_result r = { .sz = sizeof(r) };
	struct utsname u;
	bool json = false;
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "j", long_opts, NULL)) != -1) {
		if (opt == 'j')
			json = true;
		else
			return cli_usage_error(self, "probe: unknown option '%s'", argv[optind - 1]);
	}
	if (optind < argc)
		return cli_usage_error(self, "probe: unexpected argument '%s'", argv[optind]);
	if (btfkit_probe_freplace_tailcall(&r) < 0) {
		int err = errno;

		cli_error("probe: the probe cannot run here: %s%s", strerror(err),
			  err == EPERM ? " (it needs root: CAP_BPF, CAP_NET_ADMIN)" : "");
		return EXIT_INPUT;
	}
	if (uname(&u) < 0)
		snprintf(u.release, sizeof(u.release), "unknown");
	if (json)
		print_json(u.release, &r);
	else
		print_text(u.release, &r);
	return EXIT_OK;
}
