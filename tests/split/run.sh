#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Split-BTF safety tests: tests/split/run.sh BUILD_DIR [SAMPLE]
#
# 1. Synthetic: a small "vmlinux" (fixtures/vmlinux.c) compiled as it is and
#    as kernel updates change it (-DUPDATE_*), pahole-encoded; a module
#    (fixtures/module.c) encoded split on the original (pahole --btf_base).
#    Every verdict of check-module is reached with its evidence; distill and
#    relocate write modules whose BTF btfkit validates, the running kernel's
#    BPF_BTF_LOAD accepts (base and module merged into one blob), and whose
#    types dump the same, by name and structure, as the original's on its
#    original base.
# 2. Hostile: truncated sections, lying .BTF.base sections, random bytes in
#    the module's BTF: a verdict or a one-line error, never a crash.
# 3. Real (when the kernel lab's cache is there): SAMPLE modules (default 40)
#    of the newest Debian 6.1 build are ok on their own base, and checked and
#    relocated onto the other 6.1 build's base (make split-long: all of them).
#
# Prints "ok - ..." / "FAIL - ..." per check and "N passed, N failed".
set -u

if [ $# -lt 1 ]; then
	echo "usage: $0 BUILD_DIR [SAMPLE]" >&2
	exit 2
fi
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=$(cd "$1" && pwd) || exit 2
SAMPLE=${2:-40}
BTFKIT=$BUILD/btfkit
PROOF=$BUILD/tests/tools/splitproof
W=$BUILD/split

. "$HERE/../layer.sh"

for tool in gcc pahole objcopy readelf python3; do
	command -v "$tool" >/dev/null || { fail "$tool not found (make check-deps installs it)"; finish; }
done
[ -x "$BTFKIT" ] && [ -x "$PROOF" ] || { fail "$BTFKIT or $PROOF not built"; finish; }

rm -rf "$W"
mkdir -p "$W"
cd "$W" || exit 2

# ---- fixtures ----
FXS=$HERE/fixtures
build_base() { # NAME -DFLAGS...
	local name=$1
	shift
	gcc -g -O0 "$@" -c "$FXS/vmlinux.c" -o "$name.o" 2>>fixtures.err &&
		pahole -J "$name.o" >>fixtures.err 2>&1 &&
		objcopy --dump-section ".BTF=$name.btf" "$name.o" scratch.o 2>>fixtures.err
}
if build_base vmlinux_a &&
	build_base vmlinux_b -DUPDATE_ADD_TYPE -DUPDATE_ADD_STRING -DUPDATE_GROW_UNUSED \
		-DUPDATE_GROW_POINTED &&
	build_base vmlinux_c -DUPDATE_ADD_TYPE -DUPDATE_ADD_STRING -DUPDATE_GROW_EMBEDDED &&
	build_base vmlinux_swap -DUPDATE_SWAP &&
	build_base vmlinux_unused -DUPDATE_GROW_UNUSED &&
	build_base vmlinux_wrapped -DUPDATE_GROW_WRAPPED &&
	gcc -g -O0 -c "$FXS/module.c" -o module.o 2>>fixtures.err &&
	pahole -J --btf_base vmlinux_a.o module.o >>fixtures.err 2>&1 &&
	objcopy --dump-section .BTF=module.btf module.o scratch.o 2>>fixtures.err; then
	ok "fixtures: 6 bases and a module split on the first (gcc, pahole)"
else
	fail "fixtures"
	detail <fixtures.err
	finish
fi
rm -f scratch.o
# The module's own types: what every dump comparison covers.
NOWN=$("$BTFKIT" dump --base vmlinux_a.btf module.btf | grep -c '^\[')

# run NAME EXPECTED_STATUS CMD...: output in NAME.out, stderr in NAME.err
run() {
	local name=$1 want=$2 rc
	shift 2
	"$@" >"$name.out" 2>"$name.err"
	rc=$?
	if [ "$rc" -eq 86 ]; then
		fail "$name: sanitizer finding"
		detail <"$name.err"
		return 1
	fi
	if [ "$rc" -ne "$want" ]; then
		fail "$name: exit $rc, expected $want"
		cat "$name.out" "$name.err" | detail
		return 1
	fi
	return 0
}
# expect NAME PATTERN...: every pattern (grep -E) is in NAME.out
expect() {
	local name=$1 p
	shift
	for p in "$@"; do
		if ! grep -Eq -- "$p" "$name.out"; then
			fail "$name: no line matching '$p'"
			detail <"$name.out"
			return 1
		fi
	done
	ok "$name"
}
# expect_err NAME PATTERN MESSAGE: the pattern (grep -E) is in NAME.err
expect_err() {
	if grep -Eq -- "$2" "$1.err"; then
		ok "$3"
	else
		fail "$1: no error line matching '$2'"
		detail <"$1.err"
	fi
}

# ---- verdicts ----
run ok_on_own 0 "$BTFKIT" check-module --base vmlinux_a.btf module.o &&
	expect ok_on_own '^module.o: ok \([0-9]+ types\)$'
run ok_on_own_orig 0 "$BTFKIT" check-module --base vmlinux_a.btf --orig-base vmlinux_a.btf module.o &&
	expect ok_on_own_orig '^module.o: ok'
run mismatch_unused_member 1 "$BTFKIT" check-module --base vmlinux_unused.btf module.o &&
	expect mismatch_unused_member '^module.o: mismatch$' 'the kernel rejects it: \[[0-9]+\] Invalid name' \
		"lands inside a string: '[^']*', inside '"

run mismatch_rejected 1 "$BTFKIT" check-module --base vmlinux_b.btf module.o &&
	expect mismatch_rejected '^module.o: mismatch$' 'the kernel rejects it: \[[0-9]+\] Invalid name' \
		'references land wrong, the first 5:' "name offset [0-9]+ lands inside a string"
run relocatable_orig 0 "$BTFKIT" check-module --base vmlinux_b.btf --orig-base vmlinux_a.btf module.o &&
	expect relocatable_orig '^module.o: relocatable: [0-9]+ base types used, all found on the base \(from the original base\)$' \
		'built on a base ending at type 28, string [0-9]+; this base ends at type 29, string' \
		"lands inside a string: .*; on the original base: 'mydrv_priv'" \
		"type id [0-9]+ is another type than on the original base: .*; on the original base: \[[0-9]+\] STRUCT '"
# A base where the typedef u64 the module names leads to a 4-byte INT: same kind and name
# at the same id, yet not what the module was built on; relocation rebuilds the typedef.
python3 - vmlinux_a.btf vmlinux_u64.btf <<'PY' 2>u64.err
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
hl, toff, tlen, soff = struct.unpack_from("<IIII", d, 4)
base, strs = hl + toff, hl + soff
name = lambda off: d[strs + off:d.index(b"\0", strs + off)].decode()
fixed = {1: 4, 3: 12, 14: 4, 17: 4}        # INT, ARRAY, VAR, DECL_TAG: bytes after the record
per = {4: 12, 5: 12, 6: 8, 13: 8, 15: 12, 19: 12}  # STRUCT, UNION, ENUM, FUNC_PROTO, DATASEC, ENUM64
p, tid, where, target = base, 1, None, None
while p < base + tlen:
    name_off, info, sz = struct.unpack_from("<III", d, p)
    kind, vlen = (info >> 24) & 0x1f, info & 0xffff
    if kind == 8 and name(name_off) == "u64":
        where = p
    if kind == 1 and name(name_off) == "unsigned int":
        target = tid
    p, tid = p + 12 + fixed.get(kind, 0) + per.get(kind, 0) * vlen, tid + 1
assert where is not None and target is not None
struct.pack_into("<I", d, where + 8, target)
open(sys.argv[2], "wb").write(d)
PY
if "$BTFKIT" dump vmlinux_u64.btf | grep -q "TYPEDEF 'u64'" &&
	run u64_retargeted 0 "$BTFKIT" check-module --base vmlinux_u64.btf --orig-base vmlinux_a.btf module.o; then
	expect u64_retargeted '^module.o: relocatable' "type id [0-9]+ leads to other types than on the original base: \[[0-9]+\] TYPEDEF 'u64'"
else
	fail "u64_retargeted: patched base"
	detail <u64.err
fi
# Only the original base tells a swap of two look-alike structs from the real thing.
run swap_plain 0 "$BTFKIT" check-module --base vmlinux_swap.btf module.o &&
	expect swap_plain '^module.o: ok'
run swap_orig 0 "$BTFKIT" check-module --base vmlinux_swap.btf --orig-base vmlinux_a.btf module.o &&
	expect swap_orig '^module.o: relocatable' 'the kernel accepts it, with wrong meanings' \
		"type id [0-9]+ is another type than on the original base: \[[0-9]+\] STRUCT 'omega_t'; on the original base: \[[0-9]+\] STRUCT 'alpha_t'"
run incompatible 1 "$BTFKIT" check-module --base vmlinux_c.btf --orig-base vmlinux_a.btf module.o &&
	expect incompatible "^module.o: incompatible: STRUCT 'kref' is 4 bytes on the original base, 8 on the base, and the module lays it out in place$"
run incompatible_typedef 1 "$BTFKIT" check-module --base vmlinux_wrapped.btf --orig-base vmlinux_a.btf module.o &&
	expect incompatible_typedef "^module.o: incompatible: STRUCT 'wrapped' is 4 bytes on the original base, 8 on the base, and the module lays it out in place$"
run wrong_orig 1 "$BTFKIT" check-module --base vmlinux_c.btf --orig-base vmlinux_b.btf module.o &&
	expect wrong_orig '^module.o: mismatch$' 'does not fit the original base either'
run json 1 "$BTFKIT" check-module --json --base vmlinux_c.btf --orig-base vmlinux_a.btf module.o module.btf &&
	if python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["verdict"] for r in rows] == ["incompatible", "incompatible"], rows
assert rows[0]["changed"]["type"] == "STRUCT '"'"'kref'"'"'", rows[0]
assert rows[0]["refs"] and "orig" in rows[0]["refs"][0], rows[0]
' json.out 2>json.py.err; then ok "json: verdicts, changed type, references with their original meaning"
	else fail "json"; detail <json.py.err; fi

# ---- distill: .BTF.base ----
if run distill 0 "$BTFKIT" distill --base vmlinux_a.btf module.o -o module_dist.o &&
	readelf -S module_dist.o | grep -q '\.BTF\.base' &&
	objcopy --dump-section .BTF.base=dist_base.btf --dump-section .BTF=dist_split.btf \
		module_dist.o scratch.o; then
	ok "distill: module_dist.o has .BTF.base"
	"$BTFKIT" dump dist_base.btf >dist_base.txt
	if grep -q "STRUCT 'kref' size=4 vlen=0" dist_base.txt &&
		grep -q "STRUCT 'net_device' size=[0-9]* vlen=0" dist_base.txt &&
		! grep -q "unused_thing\|TYPEDEF\|PTR" dist_base.txt; then
		ok "distill: the distilled base holds the named structs the module uses, without members"
	else
		fail "distill: distilled base"
		detail <dist_base.txt
	fi
	run dist_valid 0 "$BTFKIT" validate --base dist_base.btf dist_split.btf && ok "distill: .BTF validates on .BTF.base"
	# The kernel takes no ENUM64 in a distilled base: the base's ENUM64 goes in as an ENUM of its size.
	if "$BTFKIT" dump vmlinux_a.btf | grep -q "ENUM64 'dev_caps' .*size=8" &&
		grep -q "ENUM 'dev_caps' .*size=8 vlen=0" dist_base.txt &&
		python3 -c '
import struct, sys
d = open(sys.argv[1], "rb").read()
hl, toff, tlen = struct.unpack_from("<III", d, 4)
p, end = hl + toff, hl + toff + tlen
while p < end:
    info, = struct.unpack_from("<I", d, p + 4)
    kind, vlen = (info >> 24) & 0x1f, info & 0xffff
    assert kind in (1, 4, 5, 6, 7, 16), "kind %d in the distilled base" % kind
    p += 12 + (4 if kind == 1 else 0)
' dist_base.btf 2>dist_kinds.err; then
		ok "distill: the ENUM64 the module uses is an ENUM of size 8 in .BTF.base; only kinds the kernel takes there"
	else
		fail "distill: kinds of .BTF.base"
		cat dist_base.txt dist_kinds.err | detail
	fi
else
	fail "distill"
fi
# A .BTF.base with a kind the kernel refuses there (its STRUCT list_head made a TYPEDEF): mismatch.
python3 -c '
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
hl, toff = struct.unpack_from("<II", d, 4)
p = hl + toff + 16                                 # [2], after [1] (an INT: 16 bytes)
assert (struct.unpack_from("<I", d, p + 4)[0] >> 24) == 4
struct.pack_into("<II", d, p + 4, 8 << 24, 1)      # TYPEDEF of [1]
open(sys.argv[2], "wb").write(d)
' dist_base.btf dist_typedef.btf &&
	objcopy --update-section .BTF.base=dist_typedef.btf module_dist.o module_tdef.o &&
	run dist_typedef 1 "$BTFKIT" check-module --base vmlinux_a.btf module_tdef.o &&
	expect dist_typedef '^module_tdef.o: mismatch$' \
		"\[2\] TYPEDEF 'list_head'; the kernel takes only named INT, FLOAT, ENUM, STRUCT, UNION and FWD in a distilled base"
run dist_relocatable 0 "$BTFKIT" check-module --base vmlinux_b.btf module_dist.o &&
	expect dist_relocatable '^module_dist.o: relocatable: [0-9]+ base types used, all found on the base \(from .BTF.base\)$'
run dist_incompatible 1 "$BTFKIT" check-module --base vmlinux_c.btf module_dist.o &&
	expect dist_incompatible "^module_dist.o: incompatible: STRUCT 'kref' is 4 bytes on the original base, 8 on the base"
run exit_mixed 1 "$BTFKIT" check-module --base vmlinux_b.btf module_dist.o module.o &&
	expect exit_mixed '^module_dist.o: relocatable' '^module.o: mismatch$'
run distill_twice 1 "$BTFKIT" distill --base vmlinux_a.btf module_dist.o -o x.o &&
	expect_err distill_twice 'already has a .BTF.base' "distill: refuses a module that has .BTF.base"

# Two STRUCT kref of size 4 on the base (from two files): the kernel refuses such a
# .BTF.base type ("multiple candidates"); the original base's members pick one, or not.
build_dup() { # NAME -DFLAGS...
	local name=$1
	shift
	gcc -g -O0 -c "$FXS/vmlinux.c" -o "$name-1.o" 2>>fixtures.err &&
		gcc -g -O0 "$@" -c "$FXS/dup.c" -o "$name-2.o" 2>>fixtures.err &&
		ld -r -o "$name.o" "$name-1.o" "$name-2.o" 2>>fixtures.err &&
		pahole -J "$name.o" >>fixtures.err 2>&1 &&
		objcopy --dump-section ".BTF=$name.btf" "$name.o" scratch.o 2>>fixtures.err
}
if build_dup vmlinux_dup && build_dup vmlinux_dup2 -DSAME_MEMBERS &&
	[ "$("$BTFKIT" dump vmlinux_dup.btf | grep -c "STRUCT 'kref' size=4")" -eq 2 ]; then
	run dup_dist 1 "$BTFKIT" check-module --base vmlinux_dup.btf module_dist.o &&
		expect dup_dist '^module_dist.o: mismatch$' 'ambiguous on the base: 2 candidates named kref of size 4'
	run dup_orig_members 0 "$BTFKIT" check-module --base vmlinux_dup.btf --orig-base vmlinux_a.btf module.o &&
		expect dup_orig_members '^module.o: (ok|relocatable)'
	run dup_orig_tied 1 "$BTFKIT" check-module --base vmlinux_dup2.btf --orig-base vmlinux_a.btf module.o &&
		expect dup_orig_tied '^module.o: mismatch$' 'ambiguous on the base: 2 candidates named kref of size 4'
	if run dup_relocate 1 "$BTFKIT" relocate --base vmlinux_dup2.btf module_dist.o --raw -o dup.btf; then
		if grep -q 'ambiguous on the base: 2 candidates named kref' dup_relocate.err; then
			ok "relocate: refuses a type with two candidates on the base"
		else fail "relocate: two candidates on the base"; detail <dup_relocate.err; fi
	fi
else
	fail "fixtures: a base with two STRUCT kref"
	detail <fixtures.err
fi

# ---- relocate, and the proof of the result ----
# prove NAME BASE RELOCATED: valid (btfkit), loaded (kernel), same types as the original
prove() {
	local name=$1 base=$2 rel=$3 rc
	if "$BTFKIT" validate --base "$base" "$rel" >"$name.val" 2>&1; then
		ok "$name: valid on the new base (btfkit validate)"
	else
		fail "$name: not valid"
		detail <"$name.val"
	fi
	"$PROOF" load "$base" "$rel" >"$name.load" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ]; then
		ok "$name: the running kernel's BPF_BTF_LOAD accepts base+module"
	elif [ "$rc" -eq 77 ]; then
		echo "skip - $name: $(cat "$name.load")"
	else
		fail "$name: the kernel refuses it"
		detail <"$name.load"
	fi
	"$PROOF" sdump vmlinux_a.btf module.btf >"$name.was"
	"$PROOF" sdump "$base" "$rel" "$NOWN" >"$name.now"
	if [ -s "$name.was" ] && cmp -s "$name.was" "$name.now"; then
		ok "$name: its $NOWN types dump as the original's on its original base"
	else
		fail "$name: types differ"
		diff "$name.was" "$name.now" | detail
	fi
}
run relocate_orig 0 "$BTFKIT" relocate --base vmlinux_b.btf --orig-base vmlinux_a.btf module.o --raw -o rel_orig.btf &&
	prove relocate_orig vmlinux_b.btf rel_orig.btf
# Compressed modules (Debian installs .ko.xz from 6.12) are judged and relocated as they are.
xz -c module.o >module.ko.xz
zstd -q -c module.o >module.ko.zst
gzip -c module.o >module.ko.gz
head -c 200 module.ko.xz >cut.ko.xz
run z_ok 0 "$BTFKIT" check-module --base vmlinux_a.btf module.ko.xz module.ko.zst module.ko.gz &&
	expect z_ok '^module.ko.xz: ok \([0-9]+ types\)$' '^module.ko.zst: ok' '^module.ko.gz: ok'
if run z_relocatable 0 "$BTFKIT" check-module --base vmlinux_b.btf --orig-base vmlinux_a.btf module.ko.xz; then
	if sed 's/^module.o:/module.ko.xz:/' relocatable_orig.out | cmp -s - z_relocatable.out; then
		ok "a .ko.xz gets the verdict and evidence of the .ko"
	else
		fail "a .ko.xz: not the verdict and evidence of the .ko"
		diff relocatable_orig.out z_relocatable.out | detail
	fi
fi
if run z_relocate 0 "$BTFKIT" relocate --base vmlinux_b.btf --orig-base vmlinux_a.btf module.ko.zst --raw -o rel_zst.btf; then
	if cmp -s rel_orig.btf rel_zst.btf; then
		ok "a .ko.zst relocates to the same bytes as the .ko"
	else
		fail "a .ko.zst relocates to other bytes than the .ko"
	fi
fi
run z_cut 1 "$BTFKIT" check-module --base vmlinux_a.btf cut.ko.xz &&
	expect_err z_cut '^btfkit: cut.ko.xz: corrupt or truncated xz data$' "a truncated .ko.xz: one line, exit 1"
run relocate_dist 0 "$BTFKIT" relocate --base vmlinux_b.btf module_dist.o --raw -o rel_dist.btf &&
	prove relocate_dist vmlinux_b.btf rel_dist.btf
run relocate_u64 0 "$BTFKIT" relocate --base vmlinux_u64.btf --orig-base vmlinux_a.btf module.o --raw -o rel_u64.btf &&
	prove relocate_u64 vmlinux_u64.btf rel_u64.btf
run relocate_swap 0 "$BTFKIT" relocate --base vmlinux_swap.btf --orig-base vmlinux_a.btf module.o --raw -o rel_swap.btf &&
	prove relocate_swap vmlinux_swap.btf rel_swap.btf
# The .ko form: the relocated module is ok where it goes, and its old .BTF.base is out of the way.
run relocate_ko 0 "$BTFKIT" relocate --base vmlinux_b.btf module_dist.o -o module_rel.o &&
	run relocated_ok 0 "$BTFKIT" check-module --base vmlinux_b.btf module_rel.o &&
	expect relocated_ok '^module_rel.o: ok' &&
	if readelf -S module_rel.o | grep -q '\.BTF\.base\.orig' && [ "$(readelf -S module_rel.o | grep -c ' \.text')" -ge 1 ]; then
		ok "relocate: .ko written with every section, .BTF.base renamed"
	else fail "relocate: sections of module_rel.o"; readelf -S module_rel.o | detail; fi
run relocate_incompatible 1 "$BTFKIT" relocate --base vmlinux_c.btf --orig-base vmlinux_a.btf module.o -o x.o &&
	expect_err relocate_incompatible "^btfkit: module.o: incompatible: STRUCT 'kref' is 4 bytes" \
		"relocate: incompatible refused with the changed type"
cp module.o same.o
if run relocate_onto_itself 1 "$BTFKIT" relocate --base vmlinux_b.btf --orig-base vmlinux_a.btf same.o -o same.o; then
	if cmp -s module.o same.o && grep -q "^btfkit: same.o: the output is the input same.o" relocate_onto_itself.err; then
		ok "relocate: refuses to write over its input"
	else fail "relocate: onto itself"; detail <relocate_onto_itself.err; fi
fi
# Over any input, in either form: refused before anything is written.
cp vmlinux_b.btf nb.btf
cp vmlinux_a.btf ob.btf
cp module_dist.o md.o
cp module.o mo.o
over=0
for args in "relocate --base nb.btf md.o --raw -o nb.btf" "relocate --base nb.btf --orig-base ob.btf mo.o --raw -o ob.btf" \
	"relocate --base nb.btf --orig-base ob.btf mo.o -o ob.btf" "relocate --base nb.btf md.o --raw -o md.o" \
	"distill --base ob.btf mo.o --raw -o ob.btf" "distill --base ob.btf mo.o -o ob.btf" "distill --base ob.btf mo.o --raw -o mo.o"; do
	# shellcheck disable=SC2086
	"$BTFKIT" $args >over.out 2>over.err
	rc=$?
	if [ "$rc" -ne 1 ] || [ "$(wc -l <over.err)" -ne 1 ] || ! grep -q 'the output is the input' over.err; then
		over=$((over + 1)); echo "    $args: exit $rc"; detail <over.err
	fi
done
if [ "$over" -eq 0 ] && cmp -s nb.btf vmlinux_b.btf && cmp -s ob.btf vmlinux_a.btf && cmp -s md.o module_dist.o && cmp -s mo.o module.o; then
	ok "relocate, distill: an output that is an input (base, original base, module) is refused, --raw or not"
else
	fail "relocate, distill: output over an input ($over)"
fi
if run out_missing_dir 1 "$BTFKIT" relocate --base vmlinux_b.btf module_dist.o -o nodir/x.o; then
	if [ "$(cat out_missing_dir.err)" = "btfkit: nodir/x.o: No such file or directory" ]; then
		ok "relocate: an output it cannot create is named once"
	else fail "relocate: error for an output it cannot create"; detail <out_missing_dir.err; fi
fi
head -c 100 /dev/zero >zero.bin
if run not_btf 1 "$BTFKIT" check-module --base vmlinux_a.btf zero.bin; then
	if [ "$(cat not_btf.err)" = "btfkit: zero.bin: not an ELF file or BTF" ] && [ ! -s not_btf.out ]; then
		ok "check-module: a file neither ELF nor BTF is an error, not a verdict"
	else fail "check-module: a file neither ELF nor BTF"; cat not_btf.out not_btf.err | detail; fi
fi
run relocate_unknown 1 "$BTFKIT" relocate --base vmlinux_b.btf module.o -o x.o &&
	expect_err relocate_unknown "^btfkit: module.o: no .BTF.base and no original base" \
		"relocate: without .BTF.base or --orig-base, says why"

# ---- usage ----
run usage_nomod 2 "$BTFKIT" check-module --base vmlinux_a.btf && ok "usage: check-module without MODULE"
run usage_reloc 2 "$BTFKIT" relocate module.o -o x && ok "usage: relocate without --base"
run usage_distill 2 "$BTFKIT" distill --base vmlinux_a.btf module.o && ok "usage: distill without -o"
run help 0 "$BTFKIT" check-module --help && expect help 'usage: btfkit check-module'

# ---- hostile inputs: a verdict or one error line, never a crash ----
python3 - module.o module_dist.o module.btf <<'PY' 2>hostile.err
import random, struct, sys
random.seed(7)
ko, dist, raw = (open(p, "rb").read() for p in sys.argv[1:4])
def section(data, name):
    # (offset, size) of section `name` in a 64-bit little-endian ELF
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shnum, shstrndx = struct.unpack_from("<HH", data, 0x3c)
    hdr = lambda i: struct.unpack_from("<IIQQQQIIQQ", data, shoff + 64 * i)
    stroff = hdr(shstrndx)[4]
    for i in range(shnum):
        h = hdr(i)
        end = data.index(b"\0", stroff + h[0])
        if data[stroff + h[0]:end] == name.encode():
            return h[4], h[5]
n = 0
def out(data):
    global n
    open("hostile-%03d" % n, "wb").write(data)
    n += 1
for cut in (0, 4, 23, 24, len(raw) // 2, len(raw) - 1):
    out(raw[:cut])                                    # truncated raw split BTF
for cut in (64, len(ko) // 3, len(ko) - 100):
    out(ko[:cut])                                     # truncated module file
boff, bsize = section(dist, ".BTF.base")
for i in range(60):                                   # a .BTF.base that lies
    d = bytearray(dist)
    for _ in range(random.randint(1, 4)):
        d[boff + 24 + random.randrange(bsize - 24)] = random.randrange(256)
    out(bytes(d))
toff, tsize = section(ko, ".BTF")
for i in range(120):                                  # offsets and ids pointing anywhere
    d = bytearray(ko)
    for _ in range(random.randint(1, 3)):
        p = toff + 24 + 4 * random.randrange((tsize - 24) // 4)
        d[p:p + 4] = struct.pack("<I", random.choice((random.randrange(1 << 32), random.randrange(64), random.randrange(400))))
    out(bytes(d))
for i in range(30):                                   # header fields
    d = bytearray(raw)
    p = 8 + 4 * random.randrange(4)
    d[p:p + 4] = struct.pack("<I", random.choice((0, 1, 3, len(raw), 0xfffffff0, random.randrange(1 << 32))))
    out(bytes(d))
PY
nh=$(ls hostile-* 2>/dev/null | wc -l)
"$BTFKIT" check-module --base vmlinux_b.btf --orig-base vmlinux_a.btf hostile-* >hostile.out 2>hostile.err
rc=$?
if [ "$rc" -eq 86 ] || [ "$rc" -gt 2 ]; then
	fail "hostile: check-module exit $rc"
	detail <hostile.err
elif [ "$nh" -ge 200 ] &&
	[ "$(($(grep -c '^hostile-[0-9]*: [a-z]' hostile.out) + $(grep -c '^btfkit: hostile-[0-9]*: ' hostile.err)))" -eq "$nh" ]; then
	ok "hostile: $nh damaged modules, each a verdict or one error line ($(grep -c ': relocatable' hostile.out) relocatable, $(grep -c ': incompatible' hostile.out) incompatible, $(grep -c ': mismatch' hostile.out) mismatch, $(grep -c . hostile.err) errors)"
else
	fail "hostile: not one answer per file ($nh files)"
	detail <hostile.err
fi
# Workers report errors at the same moment: each must stay one whole line
# (cli_error() writes a line in pieces, held together by stderr's lock).
mkdir -p junk && for i in $(seq 300); do printf 'x' >"junk/j$i"; done
whole='^btfkit: junk/j[0-9]*: not an ELF file or BTF$'
bad=0
for round in $(seq 20); do
	"$BTFKIT" check-module --base vmlinux_b.btf --jobs 8 junk/j* >/dev/null 2>junk.err
	[ "$(grep -c "$whole" junk.err)" -eq 300 ] && [ "$(wc -l <junk.err)" -eq 300 ] ||
		{ bad=$((bad + 1)); cp junk.err junk.bad; }
done
if [ "$bad" -eq 0 ]; then
	ok "check-module: 300 errors from 8 workers, 20 rounds, each one whole line"
else
	fail "check-module: error lines interleaved in $bad of 20 rounds"
	grep -v "$whole" junk.bad | detail
fi
bad=0
for f in hostile-*; do
	"$BTFKIT" relocate --base vmlinux_b.btf --orig-base vmlinux_a.btf --raw "$f" -o h.btf >/dev/null 2>h.err
	rc=$?
	[ "$rc" -le 1 ] || { bad=$((bad + 1)); echo "    relocate $f: exit $rc"; sed -n 1,5p h.err; }
	if [ "$rc" -eq 0 ] && ! "$BTFKIT" validate --base vmlinux_b.btf h.btf >/dev/null 2>&1; then
		# A relocation is only written when the module validated on its original base.
		bad=$((bad + 1)); echo "    relocate $f: wrote BTF that does not validate"
	fi
	"$BTFKIT" distill --base vmlinux_a.btf "$f" -o h.o >/dev/null 2>h.err
	rc=$?
	[ "$rc" -le 1 ] || { bad=$((bad + 1)); echo "    distill $f: exit $rc"; sed -n 1,5p h.err; }
done
if [ "$bad" -eq 0 ]; then ok "hostile: relocate and distill of each: written or one error line"; else fail "hostile: relocate/distill ($bad)"; fi

# ---- real modules: the kernel lab's two Debian 6.1 builds ----
LAB=$ROOT/tests/lab/lab
NEWB=$("$LAB" path --build 6.1-new vmlinux-btf 2>/dev/null)
OLDB=$("$LAB" path --build 6.1-old vmlinux-btf 2>/dev/null)
MODS=$("$LAB" path --build 6.1-new modules 2>/dev/null)
if [ -z "$NEWB" ] || [ -z "$OLDB" ] || [ ! -d "$MODS" ]; then
	echo "skip - real modules: the kernel lab's 6.1 builds are not in its cache"
	finish
fi
find "$MODS" -name '*.ko' | sort >all.list
total=$(wc -l <all.list)
if [ "$SAMPLE" -gt 0 ] && [ "$SAMPLE" -lt "$total" ]; then
	awk -v n="$total" -v k="$SAMPLE" 'NR % int(n / k) == 0' all.list | head -n "$SAMPLE" >mods.list
else
	cp all.list mods.list
fi
count=$(wc -l <mods.list)
xargs "$BTFKIT" check-module --base "$NEWB" <mods.list >real_own.out 2>real_own.err
nok=$(grep -c ': ok (' real_own.out)
if [ "$nok" -eq "$count" ]; then
	ok "real: $count of $total modules of 6.1-new are ok on their own base"
else
	fail "real: $nok of $count ok on their own base"
	grep -v ': ok (' real_own.out | detail
fi
xargs "$BTFKIT" check-module --base "$OLDB" <mods.list >real_plain.out 2>&1
nmis=$(grep -c '^/.*: mismatch$' real_plain.out)
if [ "$nmis" -eq "$count" ]; then
	ok "real: all $count are a mismatch on 6.1-old's base without the original base"
else
	fail "real: $nmis of $count mismatch on 6.1-old's base"
fi
"$PROOF" run --base "$OLDB" --orig-base "$NEWB" --load --list mods.list >real_proof.out 2>&1
rc=$?
grep '^verdicts:' real_proof.out
if [ "$rc" -eq 0 ]; then
	ok "real: $(tail -1 real_proof.out) (relocated onto 6.1-old: valid, loaded by the kernel, same types)"
else
	fail "real: relocation proof"
	grep -v '^verdicts' real_proof.out | detail
fi
finish
