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
	{ "dump", cmd_dump, "print BTF as bpftool does (raw text, JSON, or C: vmlinux.h)",
	  "usage: btfkit dump [--format raw|json] [--base BASE] [FILE]\n"
	  "       btfkit dump --format c [--sort] [--enum-mode] [--type NAME]... [--id ID]...\n"
	  "                   [--base BASE] [FILE]\n"
	  "\n"
	  "Print every type of FILE as `bpftool btf dump file FILE` does, byte for byte.\n"
	  "FILE is a raw BTF blob or an ELF file (object, vmlinux, kernel module .ko)\n"
	  "whose .BTF section is read. Without FILE: the running kernel's\n"
	  "/sys/kernel/btf/vmlinux.\n"
	  "\n"
	  "  -f, --format FMT   raw (default), json (bpftool -j's document), or c: the\n"
	  "                     C header of `bpftool btf dump file FILE format c`\n"
	  "                     (vmlinux.h), base types included for split BTF\n"
	  "  -j, --json         the same as --format json\n"
	  "  -B, --base BASE    FILE is split BTF on BASE: print FILE's own types,\n"
	  "                     numbered after BASE's. Files under /sys/kernel/btf/\n"
	  "                     other than vmlinux default to that vmlinux as base.\n"
	  "With --format c:\n"
	  "  -s, --sort         an order that does not depend on type ids: by rank\n"
	  "                     (anonymous enums, named enums, ints and floats, named\n"
	  "                     structs and unions, function prototypes, the rest;\n"
	  "                     typedefs, pointers and arrays rank as what they name),\n"
	  "                     then name, then content; each type still after what it\n"
	  "                     needs. btfkit(1) gives the exact rules.\n"
	  "  -t, --type NAME    only NAME and what it needs (repeatable). NAME may be\n"
	  "                     'struct X', 'union X', 'enum X' or 'typedef X'; a bare\n"
	  "                     name takes every kind. A function stands for its\n"
	  "                     parameter and return types, a variable for its type.\n"
	  "  -i, --id ID        only type ID and what it needs (repeatable)\n"
	  "  -E, --enum-mode    give 1- and 8-byte enums their size with GCC's mode\n"
	  "                     attribute, as newer libbpf does (not bpftool 7.1's text)\n"
	  "  -h, --help         this text\n"
	  "\n"
	  "Exit status: 0 success, 1 invalid or unusable input, 2 usage error.\n" },
	{ "validate", cmd_validate, "check BTF with the kernel's rules, before loading it",
	  "usage: btfkit validate [--base BASE] [--kernel X.Y] [--json] FILE...\n"
	  "\n"
	  "Check each FILE as the kernel checks BTF given to bpf(BPF_BTF_LOAD): the\n"
	  "header, the string section, every type, the references between types.\n"
	  "Print `FILE: valid (N types)`, or `FILE: invalid: [ID] MESSAGE` with the\n"
	  "kernel's own message for the first check that fails and the type it is\n"
	  "about. FILE is a raw BTF blob or an ELF file (object, vmlinux, .ko).\n"
	  "\n"
	  "  -B, --base BASE    FILE is split BTF on BASE (a module on vmlinux); BASE is\n"
	  "                     checked too. Files under /sys/kernel/btf/ other than\n"
	  "                     vmlinux default to that vmlinux as base.\n"
	  "  -k, --kernel X.Y   the rules of kernel X.Y (default: the running kernel's);\n"
	  "                     see VALIDATION RULES in btfkit(1)\n"
	  "  -j, --json         one JSON object per FILE, with the kernel's errno and the\n"
	  "                     lines its verifier log would end with\n"
	  "  -h, --help         this text\n"
	  "\n"
	  "Exit status: 0 every FILE valid, 1 a FILE invalid or unusable, 2 usage error.\n" },
	{ "resolve", cmd_resolve, "which kernel function a program attached to a name runs on",
	  "usage: btfkit resolve [--attach KIND] [--accept-compatible] [--json]\n"
	  "                      [--btf FILE] [--kallsyms FILE] [--modules DIR] [--ftrace FILE]\n"
	  "                      [--kernel-version X.Y.Z] [--error-injection FILE]\n"
	  "                      TARGET...\n"
	  "\n"
	  "For each TARGET (func, module:func, vmlinux:func, or a clone name such as\n"
	  "func.isra.0): every BTF FUNC of the name with its prototype as C, every\n"
	  "kallsyms address where the kernel looks (in its lookup order, its pick\n"
	  "marked), the compiler clones, whether each is traceable; the verdict\n"
	  "(unique, ambiguous, cross-module, renamed, missing, notrace), the reason in\n"
	  "one sentence, and what would work instead. A safe tracing target gets the\n"
	  "(attach_btf_obj_fd, attach_btf_id) pair a loader passes to BPF_PROG_LOAD.\n"
	  "Without file options: the running kernel (/sys/kernel/btf, /proc/kallsyms,\n"
	  "tracefs, bpf()).\n"
	  "\n"
	  "  -a, --attach KIND    fentry (default), fexit, fmod_ret, kprobe, kretprobe\n"
	  "  -A, --accept-compatible\n"
	  "                       accept an ambiguous tracing target when every\n"
	  "                       prototype of the name is alike\n"
	  "  -j, --json           one JSON document\n"
	  "      --btf FILE       vmlinux BTF (raw, or a vmlinux ELF): an offline view\n"
	  "      --kallsyms FILE  a copy of /proc/kallsyms, or a System.map\n"
	  "      --modules DIR    module .ko files (their split BTF and symbol tables)\n"
	  "      --ftrace FILE    a copy of available_filter_functions[_addrs]\n"
	  "      --kernel-version X.Y.Z\n"
	  "                       the kernel the files come from (its lookup rules)\n"
	  "      --error-injection FILE\n"
	  "                       a copy of /sys/kernel/debug/error_injection/list: the\n"
	  "                       functions fmod_ret may modify (with security_*)\n"
	  "  -h, --help           this text\n"
	  "\n"
	  "Exit status: 0 every TARGET safe to attach as asked, 1 otherwise or unusable\n"
	  "input, 2 usage error.\n" },
	{ "census", cmd_census, "classify every kernel function: unique, ambiguous, renamed, ...",
	  "usage: btfkit census [--json] [--btf FILE] [--kallsyms FILE] [--modules DIR]\n"
	  "                     [--ftrace FILE] [--kernel-version X.Y.Z]\n"
	  "\n"
	  "Classify every FUNC of vmlinux and of every module as `btfkit resolve` would\n"
	  "for an fentry program attached by its name, and print the count per verdict.\n"
	  "A name with FUNCs in several BTF objects is cross-module; the table also\n"
	  "says what those get once the object is named. Without file options: the\n"
	  "running kernel. On a terminal, progress is shown on stderr.\n"
	  "\n"
	  "  -j, --json           the counts and one record per (object, name): name,\n"
	  "                       scope, btf_ids, addresses, clones, verdict, reason\n"
	  "      --btf, --kallsyms, --modules, --ftrace, --kernel-version,\n"
	  "      --error-injection\n"
	  "                       an offline view, as for btfkit resolve\n"
	  "  -h, --help           this text\n"
	  "\n"
	  "Exit status: 0 success, 1 unusable input, 2 usage error.\n" },
	{ "check-module", cmd_check_module, "will a module's split BTF mean what it says on this kernel",
	  "usage: btfkit check-module [--base BASE] [--orig-base OLDBASE] [--json] MODULE...\n"
	  "\n"
	  "Judge each MODULE (a .ko, or its raw split .BTF) on BASE and print one verdict:\n"
	  "  ok            its BTF validates on BASE with the kernel's rules, every name\n"
	  "                offset starts a string, every type id names a type of a kind\n"
	  "                that fits its use (and with --orig-base, means the same type)\n"
	  "  mismatch      it does not: what the kernel would do (reject, with its\n"
	  "                message, or accept with wrong meanings) and the first\n"
	  "                references that land wrong, with their meaning on OLDBASE\n"
	  "  relocatable   it has .BTF.base, or --orig-base is given, and every base type\n"
	  "                it uses is found on BASE (kind, name, size, members)\n"
	  "  incompatible  a base type it uses really changed: which, and how\n"
	  "\n"
	  "  -B, --base BASE         the kernel's vmlinux BTF (default:\n"
	  "                          /sys/kernel/btf/vmlinux)\n"
	  "  -O, --orig-base OLDBASE the vmlinux BTF the modules were built against\n"
	  "  -j, --json              one JSON object per MODULE\n"
	  "  -J, --jobs N            judge N modules at a time (default: the CPUs, up\n"
	  "                          to 8); the output order is MODULE's\n"
	  "  -h, --help              this text\n"
	  "\n"
	  "Exit status: 0 every MODULE ok or relocatable, 1 otherwise or unusable input,\n"
	  "2 usage error.\n" },
	{ "distill", cmd_distill, "add the .BTF.base of kernels 6.11+ to a module",
	  "usage: btfkit distill --base OLDBASE [--raw] MODULE -o OUT\n"
	  "\n"
	  "Write a copy of MODULE with a .BTF.base section: the named ints, floats,\n"
	  "structs, unions, enums and forward declarations of OLDBASE (the vmlinux BTF\n"
	  "MODULE was built against) that MODULE uses, without members; and its .BTF\n"
	  "split on that distilled base (the other base types it uses copied in).\n"
	  "Kernels 6.11 and later relocate such a module onto their own vmlinux BTF.\n"
	  "\n"
	  "  -B, --base OLDBASE  the vmlinux BTF MODULE was built against (required)\n"
	  "  -o, --output OUT    the new .ko (required)\n"
	  "  -r, --raw           write raw BTF instead: OUT the distilled base,\n"
	  "                      OUT.btf the module's BTF split on it\n"
	  "  -h, --help          this text\n"
	  "\n"
	  "Exit status: 0 written, 1 invalid or unusable input, 2 usage error.\n" },
	{ "relocate", cmd_relocate, "rewrite a module's split BTF onto another kernel's BTF",
	  "usage: btfkit relocate --base NEWBASE [--orig-base OLDBASE] [--raw] MODULE -o OUT\n"
	  "\n"
	  "Rewrite MODULE's split BTF onto NEWBASE: the base types it uses are found on\n"
	  "NEWBASE (from its .BTF.base, or from OLDBASE, the vmlinux BTF it was built\n"
	  "against), its type ids and string offsets renumbered. For kernels that do not\n"
	  "relocate module BTF themselves. The module's own types keep their order; base\n"
	  "types that are not found by name (pointers, typedefs, anonymous structs,\n"
	  "prototypes) are copied in after them.\n"
	  "\n"
	  "  -B, --base NEWBASE       the target kernel's vmlinux BTF (required)\n"
	  "  -O, --orig-base OLDBASE  the vmlinux BTF MODULE was built against\n"
	  "                           (needed unless MODULE has .BTF.base)\n"
	  "  -o, --output OUT         a copy of MODULE with the new .BTF (required); an\n"
	  "                           old .BTF.base is renamed .BTF.base.orig\n"
	  "  -r, --raw                write the raw split BTF blob instead\n"
	  "  -h, --help               this text\n"
	  "\n"
	  "Exit status: 0 written, 1 incompatible, invalid or unusable input, 2 usage error.\n" },
	{ "inspect", cmd_inspect, "the live kernel's BPF programs, maps, links and BTF objects, joined",
	  "usage: btfkit inspect [progs|maps|links|btf] [--json]\n"
	  "       btfkit inspect prog|map|link|btf ID [--json]\n"
	  "\n"
	  "List the running kernel's BPF objects (all four kinds, or one), or show one\n"
	  "by id. Programs: type, name, tag, id, JIT state and sizes, the maps they\n"
	  "use, and for tracing, LSM and EXT programs the attach target: its BTF\n"
	  "object and type id, its name and C prototype (read with btfkit), and for\n"
	  "EXT the program it extends. Maps: type, name, sizes, flags, key and value\n"
	  "types from their BTF; for a PROG_ARRAY its owner type and JIT state\n"
	  "(fdinfo) and every filled slot (program id, name, type). Links: type,\n"
	  "program, attach type and target. BTF objects: name, size, kernel or\n"
	  "loaded, and the base a module's BTF is split on. Needs root.\n"
	  "\n"
	  "  -j, --json         JSON: a list per kind (an object of four lists without a\n"
	  "                     kind, one object for one id); keys bpftool -j also prints\n"
	  "                     (id, type, name, tag, bytes_*, map_ids, btf_id, ...) have\n"
	  "                     its names and values\n"
	  "  -h, --help         this text\n"
	  "\n"
	  "Exit status: 0 success, 1 no such object or the objects cannot be listed\n"
	  "(e.g. not root), 2 usage error.\n" },
	{ "probe", cmd_probe, "what the running kernel does with freplace + tail calls, and why",
	  "usage: btfkit probe [--json]\n"
	  "\n"
	  "Build the freplace + tail-call scenario from hand-assembled programs and\n"
	  "BTF, run it with BPF_PROG_TEST_RUN, and classify the running kernel: an XDP\n"
	  "program whose global function is replaced by an extension (EXT) program that\n"
	  "tail-calls a plain XDP program through a PROG_ARRAY. Prints the class, one\n"
	  "paragraph on what fails, why and since which kernel change, what works\n"
	  "instead (tried, with its test run's return value), whether an EXT program may\n"
	  "sit in a PROG_ARRAY, and every step as it happened. Needs root.\n"
	  "\n"
	  "Classes: tailcall-works, owner-ext, owner-attach-type, owner-mismatch,\n"
	  "packet-data-mismatch, ext-not-loadable, load-owner, static-target, unknown.\n"
	  "\n"
	  "  -j, --json         one JSON object\n"
	  "  -h, --help         this text\n"
	  "\n"
	  "Exit status: 0 the probe ran (whatever the class), 1 it could not run\n"
	  "(e.g. not root), 2 usage error.\n" },
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

/*
 * stderr is unbuffered, so each piece of a line is its own write(); the
 * lock keeps the pieces together when check-module's workers report errors
 * at the same time (otherwise two lines can interleave mid-line).
 */
void cli_error(const char *fmt, ...)
{
	va_list ap;

	flockfile(stderr);
	fputs("btfkit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}

int cli_usage_error(const struct command *cmd, const char *fmt, ...)
{
	va_list ap;

	flockfile(stderr);
	fputs("btfkit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	/* One line, like every diagnostic: the error, then where help is. */
	if (cmd)
		fprintf(stderr, " (see 'btfkit %s --help')\n", cmd->name);
	else
		fputs(" (see 'btfkit --help')\n", stderr);
	funlockfile(stderr);
	return EXIT_USAGE;
}

/* bpftool's rule: a split module file under /sys/kernel/btf/ has vmlinux as its base. */
const char *cli_default_base(const char *file)
{
	size_t n = strlen(KERNEL_BTF_DIR);

	if (strncmp(file, KERNEL_BTF_DIR, n) == 0 && strcmp(file, KERNEL_VMLINUX_BTF) != 0)
		return KERNEL_VMLINUX_BTF;
	return NULL;
}

struct btfkit_btf *cli_open(const char *path, const struct btfkit_btf *base, unsigned flags)
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
		fprintf(f, "  %-13s %s\n", c->name, c->summary);
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
