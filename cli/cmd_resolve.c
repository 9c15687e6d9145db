// SPDX-License-Identifier: BSD-2-Clause
/*
 * btfkit resolve: which kernel function a program attached to TARGET would
 * really run on, and whether that is safe.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <btfkit/btfkit.h>

#include "cli.h"

/* Prototypes as C, one dumper per BTF object, made when first needed. */
struct protos {
	const struct btfkit_btf **btfs;
	struct btfkit_cdump **dumps;
	size_t n;
};

struct strbuf {
	char *data;
	size_t len, cap;
};

static int buf_write(void *ctx, const char *data, size_t len)
{
	struct strbuf *b = ctx;

	if (b->len + len + 1 > b->cap) {
		size_t cap = (b->len + len + 1) * 2;
		char *d = realloc(b->data, cap);

		if (!d)
			return -ENOMEM;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

static struct strbuf proto_buf;

/* "ssize_t type_show(struct device *dev, ...)", or "" when it cannot be written. */
static const char *proto_text(struct protos *p, const struct btfkit_func_cand *f, const char *name)
{
	struct btfkit_sink sink = { .write = buf_write, .ctx = &proto_buf };
	struct btfkit_cdump_decl_opts o = { .sz = sizeof(o), .field_name = name };
	struct btfkit_cdump *d = NULL;
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->btfs[i] == f->btf)
			d = p->dumps[i];
	if (i == p->n && !d) {
		const struct btfkit_btf **b = realloc(p->btfs, (p->n + 1) * sizeof(*b));
		struct btfkit_cdump **ds;

		if (!b)
			return "";
		p->btfs = b;
		ds = realloc(p->dumps, (p->n + 1) * sizeof(*ds));
		if (!ds)
			return "";
		p->dumps = ds;
		d = btfkit_cdump_new(f->btf, &sink, NULL);
		p->btfs[p->n] = f->btf;
		p->dumps[p->n++] = d;
	}
	proto_buf.len = 0;
	if (proto_buf.data)
		proto_buf.data[0] = '\0';
	if (!d || btfkit_cdump_decl(d, f->proto_id, &o) < 0)
		return "";
	return proto_buf.data ? proto_buf.data : "";
}

static void protos_free(struct protos *p)
{
	for (size_t i = 0; i < p->n; i++)
		btfkit_cdump_free(p->dumps[i]);
	free(p->btfs);
	free(p->dumps);
	free(proto_buf.data);
}

static const char *traceable_word(int t)
{
	return t > 0 ? "traceable" : t == 0 ? "not traceable" : "traceability unknown";
}

static void sym_text(const struct btfkit_ksym *s)
{
	if (s->addr)
		printf("0x%016llx %s", (unsigned long long)s->addr, s->name);
	else
		printf("%-18s %s", "(address unknown)", s->name);
	if (s->module)
		printf(" [%s]", s->module);
}

static void print_text(const struct btfkit_resolution *r, struct protos *p)
{
	printf("%s (%s): %s\n", r->target, btfkit_attach_kind_name(r->attach),
	       btfkit_resolve_verdict_name(r->verdict));
	printf("  reason: %s\n", r->reason);
	for (size_t i = 0; i < r->nr_funcs; i++)
		printf("  BTF FUNC %s [%u] %s\n", r->funcs[i].object, r->funcs[i].btf_id,
		       proto_text(p, &r->funcs[i], r->name));
	if (r->nr_funcs > 1)
		printf("  prototypes alike: %s\n", r->compatible == 1 ? "yes" : "no");
	for (size_t i = 0; i < r->nr_addrs; i++) {
		printf("  address ");
		sym_text(&r->addrs[i]);
		printf(", %s%s\n", traceable_word(r->addrs[i].traceable),
		       (int)i == r->pick ? " <- the kernel's pick" : "");
	}
	for (size_t i = 0; i < r->nr_clones; i++) {
		printf("  clone ");
		sym_text(&r->clones[i]);
		printf(", %s\n", traceable_word(r->clones[i].traceable));
	}
	if (r->verdict == BTFKIT_VERDICT_CROSS_MODULE)
		printf("  had the object been named: %s\n",
		       btfkit_resolve_verdict_name(r->scoped_verdict));
	if (r->proto_refused)
		printf("  refused: the kernel's trampoline cannot take the prototype: %s\n", r->proto_refused);
	if (r->instead[0])
		printf("  instead: %s\n", r->instead);
	if (r->safe && r->attach <= BTFKIT_ATTACH_FMOD_RET) {
		if (r->attach_btf_obj_fd >= 0)
			printf("  attach: attach_btf_obj_fd=%d attach_btf_id=%u\n", r->attach_btf_obj_fd,
			       r->attach_btf_id);
		else
			printf("  attach: attach_btf_id=%u in %s (object fd: live only)\n", r->attach_btf_id,
			       r->nr_funcs ? r->funcs[0].object : "vmlinux");
	}
	if (r->safe && r->attach > BTFKIT_ATTACH_FMOD_RET && r->kprobe_addr)
		printf("  attach: by name %s, or address 0x%llx\n", r->name,
		       (unsigned long long)r->kprobe_addr);
}

static void json_sym(const struct btfkit_ksym *s)
{
	printf("{\"name\":");
	cli_json_str(stdout, s->name);
	printf(",\"module\":");
	if (s->module)
		cli_json_str(stdout, s->module);
	else
		printf("null");
	printf(",\"addr\":\"0x%llx\",\"traceable\":%s}", (unsigned long long)s->addr,
	       s->traceable > 0 ? "true" : s->traceable == 0 ? "false" : "null");
}

void cli_resolution_json(const struct btfkit_resolution *r, void *protos)
{
	printf("{\"target\":");
	cli_json_str(stdout, r->target);
	printf(",\"name\":");
	cli_json_str(stdout, r->name);
	printf(",\"scope\":");
	if (r->scope)
		cli_json_str(stdout, r->scope);
	else
		printf("null");
	printf(",\"attach\":\"%s\",\"verdict\":\"%s\",\"scoped_verdict\":\"%s\",\"safe\":%s,\"reason\":",
	       btfkit_attach_kind_name(r->attach), btfkit_resolve_verdict_name(r->verdict),
	       btfkit_resolve_verdict_name(r->scoped_verdict), r->safe ? "true" : "false");
	cli_json_str(stdout, r->reason);
	printf(",\"instead\":");
	cli_json_str(stdout, r->instead);
	printf(",\"btf_ids\":[");
	for (size_t i = 0; i < r->nr_funcs; i++)
		printf("%s%u", i ? "," : "", r->funcs[i].btf_id);
	printf("],\"funcs\":[");
	for (size_t i = 0; i < r->nr_funcs; i++) {
		printf("%s{\"object\":", i ? "," : "");
		cli_json_str(stdout, r->funcs[i].object);
		printf(",\"btf_id\":%u", r->funcs[i].btf_id);
		if (protos) {
			printf(",\"prototype\":");
			cli_json_str(stdout, proto_text(protos, &r->funcs[i], r->name));
		}
		printf("}");
	}
	printf("],\"compatible\":%s,\"objects\":[",
	       r->compatible > 0 ? "true" : r->compatible == 0 ? "false" : "null");
	for (size_t i = 0; i < r->nr_objects; i++) {
		if (i)
			putchar(',');
		cli_json_str(stdout, r->objects[i]);
	}
	printf("],\"addresses\":[");
	for (size_t i = 0; i < r->nr_addrs; i++) {
		if (i)
			putchar(',');
		json_sym(&r->addrs[i]);
	}
	printf("],\"pick\":%d,\"clones\":[", r->pick);
	for (size_t i = 0; i < r->nr_clones; i++) {
		if (i)
			putchar(',');
		json_sym(&r->clones[i]);
	}
	printf("]");
	if (r->safe && r->attach <= BTFKIT_ATTACH_FMOD_RET)
		printf(",\"attach_btf_id\":%u,\"attach_btf_obj_fd\":%d", r->attach_btf_id,
		       r->attach_btf_obj_fd);
	if (r->kprobe_addr)
		printf(",\"kprobe_addr\":\"0x%llx\"", (unsigned long long)r->kprobe_addr);
	if (r->proto_refused) {
		printf(",\"proto_refused\":");
		cli_json_str(stdout, r->proto_refused);
	}
	printf("}");
}

int cmd_resolve(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "attach", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "accept-compatible", no_argument, NULL, 'A' },
		KVIEW_LONG_OPTS,
		{ NULL, 0, NULL, 0 },
	};
	const struct command *self = cli_command("resolve");
	struct btfkit_kview_opts ko = { .sz = sizeof(ko) };
	struct btfkit_resolve_opts ro = { .sz = sizeof(ro), .attach = BTFKIT_ATTACH_FENTRY };
	struct protos protos = { 0 };
	struct btfkit_kview *kv;
	int opt, status = EXIT_OK;
	bool json = false;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":a:jA", long_opts, NULL)) != -1) {
		if (cli_kview_option(opt, optarg, &ko) == 0)
			continue;
		switch (opt) {
		case 'a': {
			int k = btfkit_attach_kind_parse(optarg);

			if (k < 0)
				return cli_usage_error(self,
						       "resolve: unknown attach kind '%s' (fentry, fexit, fmod_ret, kprobe, kretprobe)",
						       optarg);
			ro.attach = (enum btfkit_attach_kind)k;
			break;
		}
		case 'j':
			json = true;
			break;
		case 'A':
			ro.flags |= BTFKIT_RESOLVE_ACCEPT_COMPATIBLE;
			break;
		case ':':
			return cli_usage_error(self, "resolve: option '%s' needs an argument",
					       argv[optind - 1]);
		default:
			return cli_usage_error(self, "resolve: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind == argc)
		return cli_usage_error(self, "resolve: no TARGET given");
	for (int i = optind; i < argc; i++)
		if (!argv[i][0] || argv[i][strlen(argv[i]) - 1] == ':' || argv[i][0] == ':')
			return cli_usage_error(self, "resolve: bad TARGET '%s' (func, module:func)", argv[i]);

	kv = cli_kview_open(&ko);
	if (!kv)
		return EXIT_INPUT;
	if (json) {
		printf("{");
		cli_kview_json(kv, stdout);
		printf(",\"targets\":[");
	} else {
		cli_kview_notes(kv, stderr);
	}
	for (int i = optind, printed = 0; i < argc; i++) {
		struct btfkit_resolution *r = btfkit_resolve(kv, argv[i], &ro);

		if (!r) {
			cli_error("%s: %s", argv[i], strerror(errno));
			status = EXIT_INPUT;
			continue;
		}
		if (json) {
			/* By answers printed: a failed TARGET prints none. */
			if (printed++)
				putchar(',');
			cli_resolution_json(r, &protos);
		} else {
			print_text(r, &protos);
		}
		if (!r->safe)
			status = EXIT_INPUT;
		btfkit_resolution_free(r);
	}
	if (json)
		printf("]}\n");
	protos_free(&protos);
	btfkit_kview_free(kv);
	return status;
}
