// SPDX-License-Identifier: BSD-2-Clause
/*
 * btfkit distill: the .BTF.base a module needs for kernels that relocate
 * module BTF themselves (6.11 and later), written into a copy of the module.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <btfkit/btfkit.h>

#include "cli.h"

int cmd_distill(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "base", required_argument, NULL, 'B' },
		{ "output", required_argument, NULL, 'o' },
		{ "raw", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *self = cli_command("distill");
	const char *base_path = NULL, *out_path = NULL, *file;
	void *dist = NULL, *btf = NULL;
	size_t dist_size = 0, btf_size = 0;
	struct btfkit_split_module *mod;
	struct cli_split_base base;
	int opt, status = EXIT_INPUT;
	char msg[256] = "";
	bool raw = false;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":B:o:r", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'B':
			base_path = optarg;
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'r':
			raw = true;
			break;
		case ':':
			return cli_usage_error(self, "distill: option '%s' needs an argument",
					       argv[optind - 1]);
		default:
			return cli_usage_error(self, "distill: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (!base_path)
		return cli_usage_error(self, "distill: --base OLDBASE is required");
	if (!out_path)
		return cli_usage_error(self, "distill: -o OUT is required");
	if (argc - optind != 1)
		return cli_usage_error(self, "distill: exactly one MODULE is needed");
	file = argv[optind];
	{
		const char *inputs[] = { base_path, file, NULL };

		if (cli_output_not_input(out_path, inputs))
			return EXIT_INPUT;
	}
	if (cli_split_base_open(base_path, &base))
		return EXIT_INPUT;
	mod = cli_split_module_open(file);
	if (!mod)
		goto out;
	if (btfkit_split_distill(base.prep, mod, &dist, &dist_size, &btf, &btf_size, msg,
				 sizeof(msg)) < 0) {
		cli_error("%s: %s", file, msg[0] ? msg : strerror(errno));
		goto out;
	}
	if (raw) {
		/* OUT is the distilled base; OUT.btf the module's BTF split on it. */
		const char *inputs[] = { base_path, file, NULL };
		char *split_path = malloc(strlen(out_path) + 5);

		if (!split_path) {
			cli_error("out of memory");
			goto out;
		}
		sprintf(split_path, "%s.btf", out_path);
		if (!cli_output_not_input(split_path, inputs) &&
		    !cli_write_file(out_path, dist, dist_size) &&
		    !cli_write_file(split_path, btf, btf_size))
			status = EXIT_OK;
		free(split_path);
		goto out;
	}
	if (btfkit_split_write_ko(mod, out_path, btf, btf_size, dist, dist_size, msg,
				  sizeof(msg)) < 0) {
		cli_error("%s: %s", out_path, msg[0] ? msg : strerror(errno));
		goto out;
	}
	status = EXIT_OK;
out:
	free(dist);
	free(btf);
	btfkit_split_module_free(mod);
	cli_split_base_close(&base);
	return status;
}
