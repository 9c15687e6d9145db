#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""compare_inspect.py DIR [--trace]: check what inspect_capture.sh left in DIR.

`btfkit inspect` against two witnesses that share no code with it:
  - the kernel's own fdinfo text for every object bpfobjs holds (numbers, tags,
    owner of a PROG_ARRAY, a link's target ids);
  - bpftool's JSON (`bpftool -j prog|map|link|btf show`), when DIR has it: every
    key both print must agree, per object and across the full lists.
Then what only btfkit says: PROG_ARRAY slots, BTF key/value types, and (with
--trace) the attach targets of the fentry and freplace programs, named and
declared from BTF.
Prints "ok - ..." / "FAIL - ..." lines and "N passed, N failed"; exit 1 on failure.
"""
import json
import os
import sys

# The kernel's numbering (include/uapi/linux/bpf.h), spelled as bpftool does.
PROG_TYPES = ("unspec socket_filter kprobe sched_cls sched_act tracepoint xdp perf_event cgroup_skb "
              "cgroup_sock lwt_in lwt_out lwt_xmit sock_ops sk_skb cgroup_device sk_msg raw_tracepoint "
              "cgroup_sock_addr lwt_seg6local lirc_mode2 sk_reuseport flow_dissector cgroup_sysctl "
              "raw_tracepoint_writable cgroup_sockopt tracing struct_ops ext lsm sk_lookup syscall").split()
MAP_TYPES = ("unspec hash array prog_array perf_event_array percpu_hash percpu_array stack_trace "
             "cgroup_array lru_hash lru_percpu_hash lpm_trie array_of_maps hash_of_maps devmap sockmap "
             "cpumap xskmap sockhash cgroup_storage reuseport_sockarray percpu_cgroup_storage queue "
             "stack sk_storage devmap_hash struct_ops ringbuf inode_storage task_storage "
             "bloom_filter user_ringbuf").split()
# What btfkit must print whenever bpftool does.
MUST = {
    "prog": ("id", "type", "name", "tag", "gpl_compatible", "jited", "bytes_xlated", "bytes_jited",
             "map_ids", "btf_id"),
    "map": ("id", "type", "name", "flags", "bytes_key", "bytes_value", "max_entries", "btf_id",
            "owner_prog_type", "owner_jited"),
    "link": ("id", "type", "prog_id", "attach_type", "target_obj_id", "target_btf_id"),
    "btf": ("id", "size", "prog_ids", "map_ids", "kernel", "name"),
}

PASS = FAIL = 0


def ok(msg):
    global PASS
    PASS += 1
    print("ok - " + msg)


def fail(msg, detail=None):
    global FAIL
    FAIL += 1
    print("FAIL - " + msg)
    if detail:
        for line in str(detail).splitlines()[:12]:
            print("    " + line)


def load(path):
    with open(path) as f:
        return json.load(f)


def read_fdinfo(d):
    """(kind, id) -> {key: value} from the fdinfo.N files."""
    out = {}
    for name in os.listdir(d):
        if not name.startswith("fdinfo."):
            continue
        kv = {}
        with open(os.path.join(d, name)) as f:
            for line in f:
                k, _, v = line.partition(":")
                kv[k.strip()] = v.strip()
        link = kv.get("link", "")
        for kind, idkey in (("prog", "prog_id"), ("map", "map_id"), ("link", "link_id"), ("btf", "btf_id")):
            if link.endswith("bpf-" + kind) or link.endswith(kind) and idkey in kv:
                if idkey in kv:
                    out[(kind, int(kv[idkey]))] = kv
                break
    return out


def check_fdinfo(kind, oid, ours, fd):
    """The numbers btfkit prints against the kernel's fdinfo text."""
    want = {}
    if kind == "prog":
        want = {"type": PROG_TYPES[int(fd["prog_type"])], "tag": fd["prog_tag"],
                "jited": fd["prog_jited"] == "1", "id": int(fd["prog_id"])}
    elif kind == "map":
        want = {"type": MAP_TYPES[int(fd["map_type"])], "bytes_key": int(fd["key_size"]),
                "bytes_value": int(fd["value_size"]), "max_entries": int(fd["max_entries"]),
                "flags": int(fd["map_flags"], 16), "id": int(fd["map_id"])}
        if "owner_prog_type" in fd:
            want["owner_prog_type"] = PROG_TYPES[int(fd["owner_prog_type"])]
            want["owner_jited"] = fd["owner_jited"] == "1"
    elif kind == "link":
        want = {"type": fd["link_type"], "prog_id": int(fd["prog_id"]), "id": int(fd["link_id"])}
        for k in ("target_obj_id", "target_btf_id"):
            if k in fd:
                want[k] = int(fd[k])
    elif kind == "btf":
        want = {"id": int(fd["btf_id"])}
    bad = {k: (ours.get(k), v) for k, v in want.items() if ours.get(k) != v}
    if bad:
        fail("%s %d: btfkit and the kernel's fdinfo differ" % (kind, oid), bad)
    else:
        ok("%s %d: %s as fdinfo says" % (kind, oid, ", ".join(sorted(want))))


def common_keys(ours, theirs, ignore=()):
    return sorted(k for k in theirs if k in ours and k not in ignore)


def check_bpftool(kind, oid, ours, theirs):
    keys = common_keys(ours, theirs)
    bad = {k: (ours[k], theirs[k]) for k in keys if ours[k] != theirs[k]}
    # A key bpftool prints that btfkit leaves out is a difference too (for the ones btfkit knows).
    for k in MUST[kind]:
        if k in theirs and k not in ours:
            bad[k] = ("missing", theirs[k])
    if bad or not keys:
        fail("%s %d: btfkit and bpftool differ" % (kind, oid), bad or "no key in common")
    else:
        ok("%s %d: %s as bpftool says" % (kind, oid, ", ".join(keys)))
    return not bad


def main():
    d = sys.argv[1]
    trace = "--trace" in sys.argv[2:]
    ids = {}
    with open(os.path.join(d, "ids")) as f:
        for line in f:
            k, _, v = line.strip().partition("=")
            ids[k] = v.split()
    fdinfo = read_fdinfo(d)
    have_bpftool = os.path.exists(os.path.join(d, "prog.all.bpftool"))
    objs = {}
    for kind, var in (("prog", "BO_PROGS"), ("map", "BO_MAPS"), ("link", "BO_LINKS"), ("btf", "BO_BTF")):
        for s in ids.get(var, []):
            oid = int(s)
            ours = load(os.path.join(d, "%s.%d.btfkit" % (kind, oid)))
            objs[(kind, oid)] = ours
            if (kind, oid) in fdinfo:
                check_fdinfo(kind, oid, ours, fdinfo[(kind, oid)])
            else:
                fail("%s %d: no fdinfo captured" % (kind, oid))
            if have_bpftool:
                check_bpftool(kind, oid, ours, load(os.path.join(d, "%s.%d.bpftool" % (kind, oid))))

    # The full lists: every object both list, whoever made it.
    allb = load(os.path.join(d, "all.btfkit"))
    if have_bpftool:
        n = same = 0
        for kind, plural in (("prog", "progs"), ("map", "maps"), ("link", "links"), ("btf", "btf")):
            theirs = {o["id"]: o for o in load(os.path.join(d, "%s.all.bpftool" % kind))}
            ours = {o["id"]: o for o in allb[plural]}
            for oid in sorted(set(theirs) & set(ours)):
                n += 1
                keys = common_keys(ours[oid], theirs[oid])
                if all(ours[oid][k] == theirs[oid][k] for k in keys):
                    same += 1
                else:
                    fail("list: %s %d differs from bpftool's" % (kind, oid),
                         {k: (ours[oid][k], theirs[oid][k]) for k in keys if ours[oid][k] != theirs[oid][k]})
        if n and same == n:
            ok("the full lists: %d objects listed by both agree with bpftool" % n)
        elif not n:
            fail("the full lists have no object in common")
    for kind, plural in (("prog", "progs"), ("map", "maps"), ("link", "links"), ("btf", "btf")):
        listed = {o["id"] for o in allb[plural]}
        mine = {oid for (k, oid) in objs if k == kind}
        if mine <= listed:
            ok("inspect %s lists the %d objects made for the test" % (plural, len(mine)))
        else:
            fail("inspect %s misses %s" % (plural, sorted(mine - listed)))

    # The kernel's own BTF objects: one per /sys/kernel/btf file, as large as
    # the file; a module's is split on vmlinux's.
    sysfs = {}
    if os.path.exists(os.path.join(d, "sysfs_btf")):
        with open(os.path.join(d, "sysfs_btf")) as f:
            for line in f:
                name, size = line.split()
                sysfs[name] = int(size)
    kernel_btf = [o for o in allb["btf"] if o.get("kernel")]
    if sysfs:
        by_name = {o.get("name"): o for o in kernel_btf}
        vml = by_name.get("vmlinux", {}).get("id")
        bad = [n for n in sysfs if n not in by_name or by_name[n]["size"] != sysfs[n] or
               (n != "vmlinux" and by_name[n].get("base_btf_id") != vml)]
        expect(not bad and len(kernel_btf) == len(sysfs),
               "inspect btf: %d kernel BTF objects, names and sizes as /sys/kernel/btf, modules on "
               "vmlinux (id %s)" % (len(sysfs), vml), {"bad": bad, "btfkit": kernel_btf, "sysfs": sysfs})

    # What only btfkit joins.
    progs = [int(x) for x in ids["BO_PROGS"]]
    maps = [int(x) for x in ids["BO_MAPS"]]
    user, callee = progs[0], progs[1]
    hashm, jmp = maps[0], maps[1]
    u = objs[("prog", user)]
    expect(u.get("map_ids") == [hashm, jmp], "bo_user uses bo_hash and bo_jmp", u.get("map_ids"))
    h = objs[("map", hashm)]
    expect(h.get("btf_key_type") == "int" and h.get("btf_value_type") == "struct pair",
           "bo_hash's key and value types from its BTF: int, struct pair", h)
    j = objs[("map", jmp)]
    expect(j.get("slots") == [{"key": 1, "prog_id": callee, "prog_name": "bo_callee", "prog_type": "socket_filter"}],
           "bo_jmp's slot 1 holds bo_callee", j.get("slots"))
    expect(j.get("owner_prog_type") == "socket_filter", "bo_jmp's owner is socket_filter", j)
    if trace:
        ext, fentry, main = int(ids["BO_EXT"][0]), int(ids["BO_FENTRY"][0]), int(ids["BO_XDP_MAIN"][0])
        e = objs[("prog", ext)].get("attach_target", {})
        expect(e.get("name") == "sub" and e.get("prototype") == "int sub(struct xdp_md *ctx)" and
               e.get("prog_id") == main, "the freplace program's target: sub() of prog %d" % main, e)
        f = objs[("prog", fentry)].get("attach_target", {})
        expect(f.get("name") == "do_sys_openat2" and f.get("btf_name") == "vmlinux" and
               "do_sys_openat2(int dfd" in (f.get("prototype") or ""),
               "the fentry program's target: vmlinux do_sys_openat2() with its prototype", f)
        links = [objs[("link", int(x))] for x in ids["BO_LINKS"]]
        el = [l for l in links if l.get("prog_id") == ext]
        expect(len(el) == 1 and el[0].get("target_obj_id") == main and
               el[0].get("attach_target", {}).get("name") == "sub",
               "the freplace link's target: prog %d, function sub" % main, el)
        fl = [l for l in links if l.get("prog_id") == fentry]
        expect(len(fl) == 1 and fl[0].get("attach_type") == "trace_fentry" and
               fl[0].get("attach_target", {}).get("name") == "do_sys_openat2",
               "the fentry link: trace_fentry on do_sys_openat2", fl)
    print("%d passed, %d failed" % (PASS, FAIL))
    sys.exit(1 if FAIL else 0)


def expect(cond, msg, detail=None):
    if cond:
        ok(msg)
    else:
        fail(msg, json.dumps(detail))


if __name__ == "__main__":
    main()
