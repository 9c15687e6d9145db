// SPDX-License-Identifier: BSD-2-Clause
/*
 * btfkit dump: BTF as bpftool prints it.
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include <btfkit/btfkit.h>

#include "cli.h"

/* bpftool's rule: a split module file under /sys/kernel/btf/ has vmlinux as its base. */
static const char *default_base(const char *file)
{
	size_t n = strlen(KERNEL_BTF_DIR);

	if (strncmp(file, KERNEL_BTF_DIR, n) == 0 && strcmp(file, KERNEL_VMLINUX_BTF) != 0)
		return KERNEL_VMLINUX_BTF;
	return NULL;
}

static struct btfkit_btf *open_or_complain(const char *path, const struct btfkit_btf *base,
					   unsigned flags)
{
	char msg[256] = "";
	struct btfkit_open_opts opts = {
		.sz = sizeof(opts), .base = base, .flags = flags, .msg = msg, .msg_sz = sizeof(msg),
	};
	struct btfkit_btf *btf = btfkit_btf_open(path, &opts);

	if (!btf)
		cli_error("%s: %s", path, msg[0] ? msg : strerror(errno));
	return btf;
}

int cmd_dump(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "base", required_argument, NULL, 'B' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *self = cli_command("dump");
	struct btfkit_dump_opts dopts = { .sz = sizeof(dopts), .format = BTFKIT_DUMP_RAW };
	const char *file = KERNEL_VMLINUX_BTF, *base_path = NULL;
	struct btfkit_btf *base = NULL, *btf = NULL;
	struct btfkit_sink sink;
	int opt, err, fd = 1, status = EXIT_INPUT;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":f:jB:", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (strcmp(optarg, "raw") == 0)
				dopts.format = BTFKIT_DUMP_RAW;
			else if (strcmp(optarg, "json") == 0)
				dopts.format = BTFKIT_DUMP_JSON;
			else
				return cli_usage_error(self, "dump: unknown format '%s' (raw, json)",
						       optarg);
			break;
		case 'j':
			dopts.format = BTFKIT_DUMP_JSON;
			break;
		case 'B':
			base_path = optarg;
			break;
		case ':':
			return cli_usage_error(self, "dump: option '%s' needs an argument",
					       argv[optind - 1]);
		default:
			return cli_usage_error(self, "dump: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return cli_usage_error(self, "dump: one FILE at most");
	if (optind < argc)
		file = argv[optind];
	if (!base_path)
		base_path = default_base(file);

	if (base_path) {
		base = open_or_complain(base_path, NULL, BTFKIT_OPEN_LAZY_INDEX);
		if (!base)
			return EXIT_INPUT;
	}
	/* One sequential pass: no index needed, and memory stays small. */
	btf = open_or_complain(file, base, BTFKIT_OPEN_LAZY_INDEX);
	if (!btf)
		goto out;
	sink = cli_fd_sink(&fd);
	err = btfkit_dump(btf, &dopts, &sink);
	if (err) {
		cli_error("%s: writing the dump: %s", file, strerror(-err));
		goto out;
	}
	status = EXIT_OK;
out:
	btfkit_btf_free(btf);
	btfkit_btf_free(base);
	return status;
}
