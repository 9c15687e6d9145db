// SPDX-License-Identifier: BSD-2-Clause
/*
 * btfkit validate: would the kernel accept this BTF, and if not, why.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <btfkit/btfkit.h>

#include "cli.h"

static const char *errno_name(int err)
{
	switch (-err) {
	case 0:
		return "";
	case EINVAL:
		return "EINVAL";
	case E2BIG:
		return "E2BIG";
	case EEXIST:
		return "EEXIST";
	case ELOOP:
		return "ELOOP";
	case 524:
		return "ENOTSUPP";
	}
	return "E?";
}

static int parse_kernel(const char *s, uint32_t *out)
{
	unsigned a, b, c = 0;
	char extra;
	int n = sscanf(s, "%u.%u.%u%c", &a, &b, &c, &extra);

	if ((n != 2 && n != 3) || a > 255 || b > 255)
		return -1;
	*out = BTFKIT_KERNEL_VERSION(a, b, c > 255 ? 255 : c);
	return 0;
}

static void print_text(const char *file, const struct btfkit_verdict *v)
{
	if (v->valid)
		printf("%s: valid (%u types)\n", file, v->nr_types);
	else if (v->type_id)
		printf("%s: invalid: [%u] %s\n", file, v->type_id, v->message);
	else
		printf("%s: invalid: %s\n", file, v->message);
}

static void print_json(const char *file, const struct btfkit_verdict *v)
{
	printf("{\"file\":");
	cli_json_str(stdout, file);
	printf(",\"kernel\":\"%u.%u\",\"valid\":%s", v->kernel >> 16, (v->kernel >> 8) & 0xff,
	       v->valid ? "true" : "false");
	if (v->valid) {
		printf(",\"types\":%u}\n", v->nr_types);
		return;
	}
	if (v->type_id)
		printf(",\"type_id\":%u", v->type_id);
	if (v->member >= 0)
		printf(",\"member\":%d", v->member);
	printf(",\"message\":");
	cli_json_str(stdout, v->message);
	printf(",\"errno\":\"%s\",\"log\":", errno_name(v->err));
	cli_json_str(stdout, v->log);
	printf("}\n");
}

int cmd_validate(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "base", required_argument, NULL, 'B' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *self = cli_command("validate");
	struct btfkit_validate_opts vopts = { .sz = sizeof(vopts) };
	const char *base_path = NULL;
	int opt, status = EXIT_OK;
	bool json = false;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":B:k:j", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'B':
			base_path = optarg;
			break;
		case 'k':
			if (parse_kernel(optarg, &vopts.kernel))
				return cli_usage_error(self, "validate: bad kernel version '%s' (e.g. 6.1)",
						       optarg);
			break;
		case 'j':
			json = true;
			break;
		case ':':
			return cli_usage_error(self, "validate: option '%s' needs an argument",
					       argv[optind - 1]);
		default:
			return cli_usage_error(self, "validate: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind == argc)
		return cli_usage_error(self, "validate: no FILE given");

	/* Files with the same base share one open of it, validated once. */
	const char *open_path = NULL;
	struct btfkit_btf *base = NULL;
	struct btfkit_validated_base *vb = NULL;
	struct btfkit_verdict base_v;

	for (int i = optind; i < argc; i++) {
		const char *file = argv[i], *bp = base_path ? base_path : cli_default_base(file);
		struct btfkit_verdict v;
		int rc;

		if (bp && (!open_path || strcmp(bp, open_path) != 0)) {
			btfkit_validated_base_free(vb);
			btfkit_btf_free(base);
			vb = NULL;
			open_path = bp;
			base = cli_open(bp, NULL, 0);
			if (base)
				vb = btfkit_validate_base(base, &vopts, &base_v);
		}
		if (bp && !base) {
			status = EXIT_INPUT;
			continue;
		}
		if (bp && !vb) {
			/* The base does not validate: said per file, as before. */
			cli_error("%s: %s", file, base_v.message[0] ? base_v.message : strerror(errno));
			status = EXIT_INPUT;
			continue;
		}
		rc = bp ? btfkit_validate_split_file(vb, file, &v)
			: btfkit_validate_file(file, NULL, &vopts, &v);
		if (rc < 0) {
			cli_error("%s: %s", file, v.message[0] ? v.message : strerror(errno));
			status = EXIT_INPUT;
			continue;
		}
		if (json)
			print_json(file, &v);
		else
			print_text(file, &v);
		if (!v.valid)
			status = EXIT_INPUT;
	}
	btfkit_validated_base_free(vb);
	btfkit_btf_free(base);
	return status;
}
