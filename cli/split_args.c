// SPDX-License-Identifier: BSD-2-Clause
/*
 * What check-module, distill and relocate share: a base opened and prepared
 * for many modules, with errors said once on stderr.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <btfkit/btfkit.h>

#include "cli.h"

int cli_split_base_open(const char *path, struct cli_split_base *out)
{
	char msg[256] = "";

	memset(out, 0, sizeof(*out));
	/* Modules are judged by id; only relocation looks the base up by name. */
	out->btf = cli_open(path, NULL, BTFKIT_OPEN_DEFER_NAMES);
	if (!out->btf)
		return -1;
	out->prep = btfkit_split_base_new(out->btf, NULL, msg, sizeof(msg));
	if (!out->prep) {
		cli_error("%s: %s", path,
			  msg[0] ? msg : errno == ENOMEM ? "out of memory" : strerror(errno));
		btfkit_btf_free(out->btf);
		out->btf = NULL;
		return -1;
	}
	return 0;
}

void cli_split_base_close(struct cli_split_base *b)
{
	btfkit_split_base_free(b->prep);
	btfkit_btf_free(b->btf);
	memset(b, 0, sizeof(*b));
}

struct btfkit_split_module *cli_split_module_open(const char *path)
{
	char msg[256] = "";
	struct btfkit_split_module *m = btfkit_split_module_open(path, msg, sizeof(msg));

	if (!m)
		cli_error("%s: %s", path,
			  msg[0] ? msg : errno == ENOMEM ? "out of memory" : strerror(errno));
	return m;
}

int cli_write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, size, f) != size) {
		cli_error("%s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	if (fclose(f)) {
		cli_error("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int cli_output_not_input(const char *out, const char *const *inputs)
{
	struct stat so, si;

	/* Not there yet: it cannot be an input. */
	if (stat(out, &so) != 0)
		return 0;
	for (; *inputs; inputs++)
		if (stat(*inputs, &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino) {
			cli_error("%s: the output is the input %s; write a new file", out, *inputs);
			return -1;
		}
	return 0;
}
