/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The btfkit command: a table of subcommands (cli/main.c), one file per
 * subcommand. Each prints its own errors as one line on stderr and returns
 * an exit status from the list below.
 */
#ifndef BTFKIT_CLI_H
#define BTFKIT_CLI_H

#include <stdio.h>

struct btfkit_btf;

enum exit_status {
	EXIT_OK = 0,
	EXIT_INPUT = 1, /* invalid or unusable input: the file, what is wrong */
	EXIT_USAGE = 2, /* the command line itself is wrong */
};

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary; /* one line for `btfkit --help` */
	const char *usage;   /* the full text of `btfkit NAME --help` */
};

extern const struct command commands[];

/* Diagnostics, all prefixed "btfkit: ". */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cli_usage_error(const struct command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const struct command *cli_command(const char *name);

/* A sink (include/btfkit/dump.h) writing to a file descriptor. */
struct btfkit_sink cli_fd_sink(int *fd);

/* The base a file under /sys/kernel/btf/ has by default (vmlinux), or NULL. */
const char *cli_default_base(const char *file);
/* Open BTF, or say why not on stderr ("btfkit: PATH: reason") and return NULL. */
struct btfkit_btf *cli_open(const char *path, const struct btfkit_btf *base, unsigned flags);

/* A JSON string literal of s, quotes included (cli/json.c). */
void cli_json_str(FILE *f, const char *s);

int cmd_dump(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_inspect(int argc, char **argv);

/* A paragraph wrapped at 78 columns, every line starting with indent (cli/cmd_probe.c). */
void cli_wrap(FILE *f, const char *indent, const char *text);

int cmd_check_module(int argc, char **argv);
int cmd_distill(int argc, char **argv);
int cmd_relocate(int argc, char **argv);

/* cli/split_args.c: a base opened and prepared for modules (errors said on stderr). */
struct btfkit_split_base;
struct btfkit_split_module;
struct cli_split_base {
	struct btfkit_btf *btf;
	struct btfkit_split_base *prep;
};
int cli_split_base_open(const char *path, struct cli_split_base *out);
void cli_split_base_close(struct cli_split_base *b);
struct btfkit_split_module *cli_split_module_open(const char *path);
int cli_write_file(const char *path, const void *data, size_t size);
/* Refuse (one line, -1) an output that is one of the NULL-ended inputs. */
int cli_output_not_input(const char *out, const char *const *inputs);

int cmd_resolve(int argc, char **argv);
int cmd_census(int argc, char **argv);

/* The kernel view's options (cli/kview_cli.c), shared by resolve and census. */
struct btfkit_kview;
struct btfkit_kview_opts;
enum kview_opt {
	KVIEW_OPT_BTF = 0x100,
	KVIEW_OPT_KALLSYMS,
	KVIEW_OPT_MODULES,
	KVIEW_OPT_FTRACE,
	KVIEW_OPT_KVER,
	KVIEW_OPT_EI,
};
#define KVIEW_LONG_OPTS                                                   \
	{ "btf", required_argument, NULL, KVIEW_OPT_BTF },                \
	{ "kallsyms", required_argument, NULL, KVIEW_OPT_KALLSYMS },      \
	{ "modules", required_argument, NULL, KVIEW_OPT_MODULES },        \
	{ "ftrace", required_argument, NULL, KVIEW_OPT_FTRACE },          \
	{ "kernel-version", required_argument, NULL, KVIEW_OPT_KVER },     \
	{ "error-injection", required_argument, NULL, KVIEW_OPT_EI }
int cli_kview_option(int opt, const char *arg, struct btfkit_kview_opts *o);
struct btfkit_kview *cli_kview_open(struct btfkit_kview_opts *o);
void cli_kview_notes(const struct btfkit_kview *kv, FILE *f);
struct btfkit_resolution;
/* One resolution as a JSON object; protos (cmd_resolve.c's cache) adds prototypes. */
void cli_resolution_json(const struct btfkit_resolution *r, void *protos);
/* The view's fields of a JSON object, without braces. */
void cli_kview_json(const struct btfkit_kview *kv, FILE *f);

#define KERNEL_BTF_DIR "/sys/kernel/btf/"
#define KERNEL_VMLINUX_BTF "/sys/kernel/btf/vmlinux"

#endif /* BTFKIT_CLI_H */
