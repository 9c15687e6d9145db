// SPDX-License-Identifier: BSD-2-Clause
/*
 * btfkit: the command table and what every command shares.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <btfkit/btfkit.h>

#include "cli.h"

const struct command commands[] = {
	{ "dump", cmd_dump, "print BTF as bpftool does (raw text or JSON)",
	  "usage: btfkit dump [--format raw|json] [--base BASE] [FILE]\n"
	  "\n"
	  "Print every type of FILE as `bpftool btf dump file FILE` does, byte for byte.\n"
	  "FILE is a raw BTF blob or an ELF file (object, vmlinux, kernel module .ko)\n"
	  "whose .BTF section is read. Without FILE: the running kernel's\n"
	  "/sys/kernel/btf/vmlinux.\n"
	  "\n"
	  "  -f, --format FMT   raw (default) or json (bpftool -j's document)\n"
	  "  -j, --json         the same as --format json\n"
	  "  -B, --base BASE    FILE is split BTF on BASE: print FILE's own types,\n"
	  "                     numbered after BASE's. Files under /sys/kernel/btf/\n"
	  "                     other than vmlinux default to that vmlinux as base.\n"
	  "  -h, --help         this text\n"
	  "\n"
	  "Exit status: 0 success, 1 invalid or unusable input, 2 usage error.\n" },
	{ NULL, NULL, NULL, NULL },
};

static const char main_usage_head[] =
	"usage: btfkit [--version] [--help] COMMAND [ARGS]\n"
	"\n"
	"BTF of Linux kernels, and the kernel function a BPF program really attaches to.\n"
	"\n"
	"Commands:\n";
static const char main_usage_tail[] =
	"\n"
	"`btfkit COMMAND --help` describes one command; `man btfkit` all of them.\n"
	"Exit status: 0 success, 1 invalid or unusable input, 2 usage error.\n";

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("btfkit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_usage_error(const struct command *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("btfkit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	/* One line, like every diagnostic: the error, then where help is. */
	if (cmd)
		fprintf(stderr, " (see 'btfkit %s --help')\n", cmd->name);
	else
		fputs(" (see 'btfkit --help')\n", stderr);
	return EXIT_USAGE;
}

const struct command *cli_command(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static int write_all(void *ctx, const char *data, size_t len)
{
	int fd = *(int *)ctx;

	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

struct btfkit_sink cli_fd_sink(int *fd)
{
	return (struct btfkit_sink){ .write = write_all, .ctx = fd };
}

static void print_main_usage(FILE *f)
{
	fputs(main_usage_head, f);
	for (const struct command *c = commands; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fputs(main_usage_tail, f);
}

int main(int argc, char **argv)
{
	const struct command *cmd;

	if (argc < 2)
		return cli_usage_error(NULL, "no command given");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		if (argc > 2 && strcmp(argv[1], "help") == 0) {
			cmd = cli_command(argv[2]);
			if (!cmd)
				return cli_usage_error(NULL, "unknown command '%s'", argv[2]);
			fputs(cmd->usage, stdout);
			return EXIT_OK;
		}
		print_main_usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("btfkit %s\n", btfkit_version());
		return EXIT_OK;
	}
	cmd = cli_command(argv[1]);
	if (!cmd)
		return cli_usage_error(NULL, "unknown command '%s'", argv[1]);
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(cmd->usage, stdout);
			return EXIT_OK;
		}
	}
	return cmd->run(argc - 1, argv + 1);
}
