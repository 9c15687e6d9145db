// SPDX-License-Identifier: BSD-2-Clause
/*
 * btfkit inspect: the live kernel's BPF objects, joined. Programs with their
 * maps and, for tracing and EXT programs, the attach target named and
 * declared through btfkit's reading of the target's BTF; maps with their
 * key/value types and, for a PROG_ARRAY, its slots and owner (fdinfo); links
 * with their program and target; BTF objects with their base.
 *
 * JSON keys that bpftool also prints (`bpftool -j prog|map|link|btf show`)
 * have bpftool's names and meaning, so the two can be compared key by key.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/bpf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <btfkit/btfkit.h>

#include "cli.h"
#include "inspect.h"

struct link_ref {
	uint32_t id, prog_id, target_obj_id;
};

struct btf_user {
	uint32_t id, btf_id;
};

struct inspect {
	bool json;
	/* Which programs and maps use which BTF object (read once, when needed). */
	struct btf_user *prog_btf, *map_btf;
	size_t nr_prog_btf, nr_map_btf;
	bool users_read;
	struct btf_cache btfs;
	struct link_ref *links; /* every tracing link: an EXT program's target program */
	size_t nr_links;
	int items;              /* objects printed in the current list (JSON commas) */
};

static const char *or_num(const char *name, uint32_t v, char *buf, size_t sz)
{
	if (name)
		return name;
	snprintf(buf, sz, "%u", v);
	return buf;
}

static void json_key_str(const char *key, const char *val)
{
	printf(",\"%s\":", key);
	cli_json_str(stdout, val ? val : "");
}

static void json_sep(struct inspect *x)
{
	if (x->items++)
		putchar(',');
}

/* ---- the attach target of a tracing or EXT program ---- */

struct target {
	uint32_t btf_obj, btf_type, prog_id;
	const char *obj_name;   /* "vmlinux", a module, or "" */
	const char *name;       /* the function */
	char *decl;             /* its C prototype */
};

static uint32_t ext_target_prog(const struct inspect *x, uint32_t prog_id)
{
	for (size_t i = 0; i < x->nr_links; i++)
		if (x->links[i].prog_id == prog_id)
			return x->links[i].target_obj_id;
	return 0;
}

static void resolve_target(struct inspect *x, uint32_t obj, uint32_t type, struct target *t)
{
	struct btf_obj *o = btf_cache_get(&x->btfs, obj);

	t->btf_obj = obj;
	t->btf_type = type;
	t->obj_name = o ? o->name : "";
	t->name = btf_obj_name(o, type);
	t->decl = t->name ? btf_obj_decl(o, type, t->name) : NULL;
}

static void print_target_text(const struct target *t)
{
	printf("\ttarget:");
	if (t->prog_id)
		printf(" prog %u", t->prog_id);
	if (t->obj_name[0])
		printf(" %s", t->obj_name);
	printf(" %s [btf %u type %u]", t->name ? t->name : "?", t->btf_obj, t->btf_type);
	if (t->decl)
		printf(": %s", t->decl);
	putchar('\n');
}

static void print_target_json(const struct target *t)
{
	printf(",\"attach_target\":{\"btf_id\":%u,\"type_id\":%u", t->btf_obj, t->btf_type);
	if (t->prog_id)
		printf(",\"prog_id\":%u", t->prog_id);
	json_key_str("btf_name", t->obj_name);
	json_key_str("name", t->name);
	json_key_str("prototype", t->decl);
	putchar('}');
}

/* ---- programs ---- */

/* Can the object's info be read? (The printers skip objects whose info cannot.) */
static int info_readable(enum btfkit_bpf_obj obj, int fd)
{
	switch (obj) {
	case BTFKIT_BPF_PROG: {
		struct btfkit_bpf_prog_info i = { .sz = sizeof(i) };

		return btfkit_bpf_prog_info(fd, &i);
	}
	case BTFKIT_BPF_MAP: {
		struct btfkit_bpf_map_info i = { .sz = sizeof(i) };

		return btfkit_bpf_map_info(fd, &i);
	}
	case BTFKIT_BPF_LINK: {
		struct btfkit_bpf_link_info i = { .sz = sizeof(i) };

		return btfkit_bpf_link_info(fd, &i);
	}
	case BTFKIT_BPF_BTF: {
		struct btfkit_bpf_btf_info i = { .sz = sizeof(i) };

		return btfkit_bpf_btf_info(fd, &i);
	}
	}
	return -EINVAL;
}

static uint32_t prog_btf_id(uint32_t prog_id)
{
	struct btfkit_bpf_prog_info pi = { .sz = sizeof(pi) };
	int fd = btfkit_bpf_fd_by_id(BTFKIT_BPF_PROG, prog_id);
	uint32_t id = fd >= 0 && btfkit_bpf_prog_info(fd, &pi) == 0 ? pi.btf_id : 0;

	if (fd >= 0)
		close(fd);
	return id;
}

static void print_prog(struct inspect *x, int fd)
{
	struct btfkit_bpf_prog_info pi = { .sz = sizeof(pi) };
	uint32_t few[64], *ids = few, nr_ids;
	struct target t = { 0 };
	char num[16], tag[17];
	const char *type;
	bool has_target;

	pi.map_ids = ids;
	pi.map_ids_cap = 64;
	if (btfkit_bpf_prog_info(fd, &pi) < 0)
		return;
	/* More maps than the first buffer holds: ask again with room for all. */
	if (pi.nr_map_ids > pi.map_ids_cap) {
		uint32_t *all = malloc(pi.nr_map_ids * sizeof(*all));

		if (all) {
			pi.map_ids = all;
			pi.map_ids_cap = pi.nr_map_ids;
			if (btfkit_bpf_prog_info(fd, &pi) == 0)
				ids = all;
			else
				free(all);
		}
	}
	nr_ids = pi.nr_map_ids < pi.map_ids_cap ? pi.nr_map_ids : pi.map_ids_cap;
	if (ids == few && nr_ids > 64)
		nr_ids = 64;
	type = or_num(btfkit_bpf_prog_type_name(pi.type), pi.type, num, sizeof(num));
	for (int i = 0; i < 8; i++)
		snprintf(tag + 2 * i, 3, "%02x", pi.tag[i]);
	has_target = (pi.type == BPF_PROG_TYPE_TRACING || pi.type == BPF_PROG_TYPE_EXT ||
		      pi.type == BPF_PROG_TYPE_LSM) && pi.attach_btf_id;
	if (has_target) {
		uint32_t obj = pi.attach_btf_obj_id, target = 0;

		if (pi.type == BPF_PROG_TYPE_EXT)
			target = ext_target_prog(x, pi.id);
		/* The kernels seen report no BTF object for an attached EXT program:
		 * the function lives in the BTF of the program it extends. */
		if (!obj && target)
			obj = prog_btf_id(target);
		resolve_target(x, obj, pi.attach_btf_id, &t);
		t.prog_id = target;
	}
	if (x->json) {
		json_sep(x);
		printf("{\"id\":%u", pi.id);
		json_key_str("type", type);
		json_key_str("name", pi.name);
		printf(",\"tag\":\"%s\",\"gpl_compatible\":%s,\"jited\":%s,\"bytes_xlated\":%u",
		       tag, pi.gpl_compatible ? "true" : "false", pi.jited ? "true" : "false", pi.xlated_len);
		if (pi.jited)
			printf(",\"bytes_jited\":%u", pi.jited_len);
		printf(",\"map_ids\":[");
		for (uint32_t i = 0; i < nr_ids; i++)
			printf("%s%u", i ? "," : "", ids[i]);
		putchar(']');
		if (pi.btf_id)
			printf(",\"btf_id\":%u", pi.btf_id);
		if (has_target)
			print_target_json(&t);
		putchar('}');
	} else {
		printf("%u: %s  name %s  tag %s  %s\n", pi.id, type, pi.name[0] ? pi.name : "-", tag,
		       pi.jited ? "jited" : "not jited");
		printf("\txlated %uB", pi.xlated_len);
		if (pi.jited)
			printf("  jited %uB", pi.jited_len);
		if (pi.btf_id)
			printf("  btf_id %u", pi.btf_id);
		putchar('\n');
		for (uint32_t i = 0; i < nr_ids; i++) {
			struct btfkit_bpf_map_info mi = { .sz = sizeof(mi) };
			int mfd = btfkit_bpf_fd_by_id(BTFKIT_BPF_MAP, ids[i]);

			if (mfd >= 0 && btfkit_bpf_map_info(mfd, &mi) == 0)
				printf("\tmap %u: %s %s\n", ids[i],
				       or_num(btfkit_bpf_map_type_name(mi.type), mi.type, num, sizeof(num)),
				       mi.name[0] ? mi.name : "-");
			if (mfd >= 0)
				close(mfd);
		}
		if (has_target)
			print_target_text(&t);
	}
	free(t.decl);
	if (ids != few)
		free(ids);
}

/* ---- maps ---- */

static void print_slots(struct inspect *x, int fd, const struct btfkit_bpf_map_info *mi)
{
	int n = 0;

	for (uint32_t key = 0; key < mi->max_entries; key++) {
		struct btfkit_bpf_prog_info pi = { .sz = sizeof(pi) };
		uint32_t prog_id;
		char num[16];
		int pfd;

		/* A PROG_ARRAY's lookup from user space gives the program's id. */
		if (btfkit_bpf_map_lookup(fd, &key, &prog_id) < 0)
			continue;
		pfd = btfkit_bpf_fd_by_id(BTFKIT_BPF_PROG, prog_id);
		if (pfd >= 0)
			btfkit_bpf_prog_info(pfd, &pi);
		if (pfd >= 0)
			close(pfd);
		if (x->json) {
			printf("%s{\"key\":%u,\"prog_id\":%u", n ? "," : "", key, prog_id);
			json_key_str("prog_name", pi.name);
			json_key_str("prog_type", or_num(btfkit_bpf_prog_type_name(pi.type), pi.type, num, sizeof(num)));
			putchar('}');
		} else {
			printf("\t[%u] prog %u %s (%s)\n", key, prog_id, pi.name[0] ? pi.name : "-",
			       or_num(btfkit_bpf_prog_type_name(pi.type), pi.type, num, sizeof(num)));
		}
		n++;
	}
}

static void print_map(struct inspect *x, int fd)
{
	struct btfkit_bpf_map_info mi = { .sz = sizeof(mi) };
	struct btf_obj *o = NULL;
	char *kdecl = NULL, *vdecl = NULL, num[16];
	const char *type;
	uint64_t owner = 0, jited = 0;
	bool has_owner = false;

	if (btfkit_bpf_map_info(fd, &mi) < 0)
		return;
	type = or_num(btfkit_bpf_map_type_name(mi.type), mi.type, num, sizeof(num));
	if (mi.btf_id) {
		o = btf_cache_get(&x->btfs, mi.btf_id);
		if (mi.btf_key_type_id)
			kdecl = btf_obj_decl(o, mi.btf_key_type_id, NULL);
		if (mi.btf_value_type_id)
			vdecl = btf_obj_decl(o, mi.btf_value_type_id, NULL);
	}
	if (mi.type == BPF_MAP_TYPE_PROG_ARRAY)
		has_owner = btfkit_bpf_fdinfo_u64(fd, "owner_prog_type", &owner) == 0 &&
			    btfkit_bpf_fdinfo_u64(fd, "owner_jited", &jited) == 0;
	if (x->json) {
		json_sep(x);
		printf("{\"id\":%u", mi.id);
		json_key_str("type", type);
		json_key_str("name", mi.name);
		printf(",\"flags\":%u,\"bytes_key\":%u,\"bytes_value\":%u,\"max_entries\":%u", mi.map_flags,
		       mi.key_size, mi.value_size, mi.max_entries);
		if (mi.btf_id)
			printf(",\"btf_id\":%u", mi.btf_id);
		if (kdecl)
			json_key_str("btf_key_type", kdecl);
		if (vdecl)
			json_key_str("btf_value_type", vdecl);
		if (has_owner) {
			char onum[16];

			json_key_str("owner_prog_type",
				     or_num(btfkit_bpf_prog_type_name((uint32_t)owner), (uint32_t)owner, onum, sizeof(onum)));
			printf(",\"owner_jited\":%s", jited ? "true" : "false");
		}
		if (mi.type == BPF_MAP_TYPE_PROG_ARRAY) {
			printf(",\"slots\":[");
			print_slots(x, fd, &mi);
			putchar(']');
		}
		putchar('}');
	} else {
		printf("%u: %s  name %s  flags 0x%x\n", mi.id, type, mi.name[0] ? mi.name : "-", mi.map_flags);
		printf("\tkey %uB  value %uB  max_entries %u", mi.key_size, mi.value_size, mi.max_entries);
		if (mi.btf_id)
			printf("  btf_id %u", mi.btf_id);
		putchar('\n');
		if (kdecl || vdecl)
			printf("\tkey type %s  value type %s\n", kdecl ? kdecl : "-", vdecl ? vdecl : "-");
		if (has_owner) {
			char onum[16];

			printf("\towner_prog_type %s  owner_jited %" PRIu64 "\n",
			       or_num(btfkit_bpf_prog_type_name((uint32_t)owner), (uint32_t)owner, onum, sizeof(onum)),
			       jited);
		} else if (mi.type == BPF_MAP_TYPE_PROG_ARRAY) {
			printf("\tno owner yet (no program uses it)\n");
		}
		if (mi.type == BPF_MAP_TYPE_PROG_ARRAY)
			print_slots(x, fd, &mi);
	}
	free(kdecl);
	free(vdecl);
}

/* ---- links ---- */

static void print_link(struct inspect *x, int fd)
{
	struct btfkit_bpf_link_info li = { .sz = sizeof(li) };
	struct target t = { 0 };
	const char *type, *at;
	char num[16], anum[16];
	bool has_target;

	if (btfkit_bpf_link_info(fd, &li) < 0)
		return;
	type = or_num(btfkit_bpf_link_type_name(li.type), li.type, num, sizeof(num));
	at = or_num(btfkit_bpf_attach_type_name(li.attach_type), li.attach_type, anum, sizeof(anum));
	has_target = li.type == BPF_LINK_TYPE_TRACING && li.target_btf_id;
	if (has_target) {
		struct btfkit_bpf_prog_info pi = { .sz = sizeof(pi) };
		int pfd = btfkit_bpf_fd_by_id(BTFKIT_BPF_PROG, li.prog_id);
		uint32_t obj = li.target_obj_id;

		/* An EXT program's link names the program it extends: its BTF holds the function. */
		if (pfd >= 0 && btfkit_bpf_prog_info(pfd, &pi) == 0 && pi.type == BPF_PROG_TYPE_EXT) {
			obj = prog_btf_id(li.target_obj_id);
			t.prog_id = li.target_obj_id;
		}
		if (pfd >= 0)
			close(pfd);
		resolve_target(x, obj, li.target_btf_id, &t);
	}
	if (x->json) {
		json_sep(x);
		printf("{\"id\":%u", li.id);
		json_key_str("type", type);
		printf(",\"prog_id\":%u", li.prog_id);
		if (li.type == BPF_LINK_TYPE_TRACING || li.type == BPF_LINK_TYPE_CGROUP ||
		    li.type == BPF_LINK_TYPE_NETNS)
			json_key_str("attach_type", at);
		if (li.type == BPF_LINK_TYPE_TRACING)
			printf(",\"target_obj_id\":%u,\"target_btf_id\":%u", li.target_obj_id, li.target_btf_id);
		if (li.type == BPF_LINK_TYPE_XDP)
			printf(",\"ifindex\":%u", li.ifindex);
		if (li.type == BPF_LINK_TYPE_CGROUP)
			printf(",\"cgroup_id\":%" PRIu64, li.cgroup_id);
		if (li.type == BPF_LINK_TYPE_NETNS)
			printf(",\"netns_ino\":%u", li.netns_ino);
		if (has_target)
			print_target_json(&t);
		putchar('}');
	} else {
		printf("%u: %s  prog %u", li.id, type, li.prog_id);
		/* An EXT program's link carries attach type 0, which means nothing there. */
		if ((li.type == BPF_LINK_TYPE_TRACING && !t.prog_id) || li.type == BPF_LINK_TYPE_CGROUP ||
		    li.type == BPF_LINK_TYPE_NETNS)
			printf("  attach_type %s", at);
		if (li.type == BPF_LINK_TYPE_XDP)
			printf("  ifindex %u", li.ifindex);
		if (li.type == BPF_LINK_TYPE_CGROUP)
			printf("  cgroup %" PRIu64, li.cgroup_id);
		if (li.type == BPF_LINK_TYPE_NETNS)
			printf("  netns_ino %u", li.netns_ino);
		putchar('\n');
		if (has_target)
			print_target_text(&t);
	}
	free(t.decl);
}

/* ---- BTF objects ---- */

static void add_user(struct btf_user **v, size_t *n, uint32_t id, uint32_t btf_id)
{
	struct btf_user *p = realloc(*v, (*n + 1) * sizeof(**v));

	if (!p)
		return;
	*v = p;
	p[(*n)++] = (struct btf_user){ id, btf_id };
}

static void read_btf_users(struct inspect *x)
{
	uint32_t id = 0;

	x->users_read = true;
	while (btfkit_bpf_next_id(BTFKIT_BPF_PROG, id, &id) == 0) {
		struct btfkit_bpf_prog_info pi = { .sz = sizeof(pi) };
		int fd = btfkit_bpf_fd_by_id(BTFKIT_BPF_PROG, id);

		if (fd >= 0 && btfkit_bpf_prog_info(fd, &pi) == 0 && pi.btf_id)
			add_user(&x->prog_btf, &x->nr_prog_btf, pi.id, pi.btf_id);
		if (fd >= 0)
			close(fd);
	}
	id = 0;
	while (btfkit_bpf_next_id(BTFKIT_BPF_MAP, id, &id) == 0) {
		struct btfkit_bpf_map_info mi = { .sz = sizeof(mi) };
		int fd = btfkit_bpf_fd_by_id(BTFKIT_BPF_MAP, id);

		if (fd >= 0 && btfkit_bpf_map_info(fd, &mi) == 0 && mi.btf_id)
			add_user(&x->map_btf, &x->nr_map_btf, mi.id, mi.btf_id);
		if (fd >= 0)
			close(fd);
	}
}

static void print_users(const struct btf_user *v, size_t n, uint32_t btf_id, const char *sep)
{
	int k = 0;

	for (size_t i = 0; i < n; i++)
		if (v[i].btf_id == btf_id)
			printf("%s%u", k++ ? sep : "", v[i].id);
}

static void print_btf(struct inspect *x, int fd)
{
	struct btfkit_bpf_btf_info bi = { .sz = sizeof(bi) };
	uint32_t base = 0;

	if (btfkit_bpf_btf_info(fd, &bi) < 0)
		return;
	/* The kernel's module BTF is split on vmlinux's; other BTF stands alone. */
	if (bi.kernel_btf && strcmp(bi.name, "vmlinux") != 0)
		base = btf_cache_vmlinux_id(&x->btfs);
	if (!x->users_read)
		read_btf_users(x);
	if (x->json) {
		json_sep(x);
		printf("{\"id\":%u,\"size\":%u,\"prog_ids\":[", bi.id, bi.size);
		print_users(x->prog_btf, x->nr_prog_btf, bi.id, ",");
		printf("],\"map_ids\":[");
		print_users(x->map_btf, x->nr_map_btf, bi.id, ",");
		printf("],\"kernel\":%s", bi.kernel_btf ? "true" : "false");
		if (bi.name[0])
			json_key_str("name", bi.name);
		if (base)
			printf(",\"base_btf_id\":%u", base);
		putchar('}');
	} else {
		printf("%u: name %s  size %uB%s", bi.id, bi.name[0] ? bi.name : "-", bi.size,
		       bi.kernel_btf ? "  kernel" : "");
		if (base)
			printf("  base %u", base);
		putchar('\n');
		for (size_t i = 0, k = 0; i < x->nr_prog_btf; i++)
			if (x->prog_btf[i].btf_id == bi.id && !k++) {
				printf("\tprog_ids ");
				print_users(x->prog_btf, x->nr_prog_btf, bi.id, ",");
				putchar('\n');
			}
		for (size_t i = 0, k = 0; i < x->nr_map_btf; i++)
			if (x->map_btf[i].btf_id == bi.id && !k++) {
				printf("\tmap_ids ");
				print_users(x->map_btf, x->nr_map_btf, bi.id, ",");
				putchar('\n');
			}
	}
}

/* ---- the command ---- */

static const struct kind {
	const char *plural, *singular;
	enum btfkit_bpf_obj obj;
	void (*print)(struct inspect *x, int fd);
} kinds[] = {
	{ "progs", "prog", BTFKIT_BPF_PROG, print_prog },
	{ "maps", "map", BTFKIT_BPF_MAP, print_map },
	{ "links", "link", BTFKIT_BPF_LINK, print_link },
	{ "btf", "btf", BTFKIT_BPF_BTF, print_btf },
};

static void load_links(struct inspect *x)
{
	uint32_t id = 0;

	while (btfkit_bpf_next_id(BTFKIT_BPF_LINK, id, &id) == 0) {
		struct btfkit_bpf_link_info li = { .sz = sizeof(li) };
		int fd = btfkit_bpf_fd_by_id(BTFKIT_BPF_LINK, id);
		struct link_ref *l;

		if (fd < 0)
			continue;
		if (btfkit_bpf_link_info(fd, &li) == 0 && li.type == BPF_LINK_TYPE_TRACING) {
			l = realloc(x->links, (x->nr_links + 1) * sizeof(*l));
			if (l) {
				x->links = l;
				x->links[x->nr_links++] = (struct link_ref){ li.id, li.prog_id, li.target_obj_id };
			}
		}
		close(fd);
	}
}

/* Every object of one kind; -errno when the kernel does not let us list them. */
static int list_kind(struct inspect *x, const struct kind *k)
{
	uint32_t id = 0;
	int r;

	x->items = 0;
	if (x->json)
		putchar('[');
	while ((r = btfkit_bpf_next_id(k->obj, id, &id)) == 0) {
		int fd = btfkit_bpf_fd_by_id(k->obj, id);

		if (fd < 0) {
			if (fd == -ENOENT)
				continue; /* gone in between */
			r = fd;
			break;
		}
		k->print(x, fd);
		close(fd);
	}
	if (x->json)
		putchar(']');
	return r == -ENOENT ? 0 : r;
}

static int parse_id(const char *s, uint32_t *id)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v == 0 || v > UINT32_MAX)
		return -1;
	*id = (uint32_t)v;
	return 0;
}

int cmd_inspect(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *self = cli_command("inspect");
	struct inspect x = { 0 };
	const struct kind *only = NULL;
	uint32_t one = 0;
	int opt, r = 0, status = EXIT_OK;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "j", long_opts, NULL)) != -1) {
		if (opt == 'j')
			x.json = true;
		else
			return cli_usage_error(self, "inspect: unknown option '%s'", argv[optind - 1]);
	}
	if (optind < argc) {
		const char *what = argv[optind++];

		for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			if (strcmp(what, kinds[i].plural) == 0 || strcmp(what, kinds[i].singular) == 0)
				only = &kinds[i];
		if (!only)
			return cli_usage_error(self, "inspect: unknown object kind '%s'", what);
		if (optind < argc && parse_id(argv[optind++], &one) < 0)
			return cli_usage_error(self, "inspect: bad id '%s'", argv[optind - 1]);
		if (optind < argc)
			return cli_usage_error(self, "inspect: unexpected argument '%s'", argv[optind]);
	}

	/* Say it once, before any output, when the kernel lets us list nothing. */
	{
		uint32_t first;

		r = btfkit_bpf_next_id(only ? only->obj : BTFKIT_BPF_PROG, 0, &first);
		if (r == -ENOENT)
			r = 0;
	}
	if (r == 0)
		load_links(&x);
	if (r < 0) {
		/* reported below */
	} else if (one) {
		int fd = btfkit_bpf_fd_by_id(only->obj, one);

		if (fd < 0) {
			cli_error("%s %u: %s", only->singular, one,
				  fd == -ENOENT ? "no such object in the kernel" : strerror(-fd));
			status = EXIT_INPUT;
		} else if ((r = info_readable(only->obj, fd)) < 0) {
			/* Gone since, or not ours to read: say so rather than print nothing. */
			cli_error("%s %u: %s", only->singular, one, strerror(-r));
			close(fd);
			status = EXIT_INPUT;
			r = 0;
		} else {
			x.items = 0;
			only->print(&x, fd);
			close(fd);
			if (x.json)
				putchar('\n');
		}
	} else if (only) {
		r = list_kind(&x, only);
		if (x.json)
			putchar('\n');
	} else {
		if (x.json)
			putchar('{');
		for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]) && r == 0; i++) {
			if (x.json)
				printf("%s\"%s\":", i ? "," : "", kinds[i].plural);
			else
				printf("%s%s:\n", i ? "\n" : "", kinds[i].plural);
			r = list_kind(&x, &kinds[i]);
		}
		if (x.json)
			puts("}");
	}
	if (r < 0) {
		cli_error("inspect: the kernel's BPF objects cannot be listed: %s%s", strerror(-r),
			  r == -EPERM ? " (needs root: CAP_SYS_ADMIN)" : "");
		status = EXIT_INPUT;
	}
	btf_cache_free(&x.btfs);
	free(x.links);
	free(x.prog_btf);
	free(x.map_btf);
	return status;
}
