// SPDX-License-Identifier: BSD-2-Clause
/*
 * btfkit relocate: a module's BTF rewritten onto another kernel's base, for
 * kernels that do not relocate module BTF themselves.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <btfkit/btfkit.h>

#include "cli.h"

int cmd_relocate(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "base", required_argument, NULL, 'B' },
		{ "orig-base", required_argument, NULL, 'O' },
		{ "output", required_argument, NULL, 'o' },
		{ "raw", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *self = cli_command("relocate");
	const char *base_path = NULL, *orig_path = NULL, *out_path = NULL, *file;
	struct cli_split_base base, orig = { 0 };
	struct btfkit_split_result *res = NULL;
	struct btfkit_split_module *mod = NULL;
	int opt, status = EXIT_INPUT;
	char msg[256] = "";
	bool raw = false;
	void *data = NULL;
	size_t size = 0;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":B:O:o:r", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'B':
			base_path = optarg;
			break;
		case 'O':
			orig_path = optarg;
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'r':
			raw = true;
			break;
		case ':':
			return cli_usage_error(self, "relocate: option '%s' needs an argument",
					       argv[optind - 1]);
		default:
			return cli_usage_error(self, "relocate: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (!base_path)
		return cli_usage_error(self, "relocate: --base NEWBASE is required");
	if (!out_path)
		return cli_usage_error(self, "relocate: -o OUT is required");
	if (argc - optind != 1)
		return cli_usage_error(self, "relocate: exactly one MODULE is needed");
	file = argv[optind];
	{
		const char *inputs[] = { base_path, file, orig_path, NULL };

		if (cli_output_not_input(out_path, inputs))
			return EXIT_INPUT;
	}
	if (cli_split_base_open(base_path, &base))
		return EXIT_INPUT;
	if (orig_path && cli_split_base_open(orig_path, &orig))
		goto out;
	mod = cli_split_module_open(file);
	res = malloc(sizeof(*res));
	if (mod && !res)
		cli_error("out of memory");
	if (!mod || !res)
		goto out;
	if (btfkit_split_relocate(base.prep, mod, orig.prep, res, &data, &size) < 0) {
		if (res->verdict == BTFKIT_SPLIT_INCOMPATIBLE)
			cli_error("%s: incompatible: %s %s", file, res->changed_name, res->reason);
		else
			cli_error("%s: %s", file, res->reason[0] ? res->reason : strerror(errno));
		goto out;
	}
	if (raw) {
		if (!cli_write_file(out_path, data, size))
			status = EXIT_OK;
		goto out;
	}
	if (btfkit_split_write_ko(mod, out_path, data, size, NULL, 0, msg, sizeof(msg)) < 0) {
		cli_error("%s: %s", out_path, msg[0] ? msg : strerror(errno));
		goto out;
	}
	status = EXIT_OK;
out:
	free(data);
	free(res);
	btfkit_split_module_free(mod);
	cli_split_base_close(&orig);
	cli_split_base_close(&base);
	return status;
}
