#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Resolver tests: tests/resolve/run.sh BUILD_DIR
#
# 1. A synthetic kernel made at test time, whose ground truth is known:
#    fixtures/k1.c and k2.c compiled with gcc -O2 -pg -mfentry into a
#    "vmlinux" (static functions of one name in both files with different
#    prototypes; functions gcc turns into .constprop/.isra/.part clones; one
#    inlined; one notrace; one shared with a module), its symbols by nm as a
#    System.map and as a kallsyms (with the module's lines), its ftrace list
#    from objdump (the functions that start with a call to __fentry__, as the
#    kernel's mcount records), its BTF by pahole -J from the functions as
#    written (each file alone, merged: one FUNC per static function, as
#    newer pahole and the 6.1 kernels' BTF have them), and a module m.ko
#    with split BTF on it. The premises are checked with nm, objdump and
#    bpftool first; then every verdict of btfkit resolve and census.
# 2. The running kernel, live: census counts checked against an independent
#    count from bpftool's FUNC list and /proc/kallsyms.
#
# Prints "ok - ..." / "FAIL - ..." per check and "N passed, N failed".
set -u

if [ $# -ne 1 ]; then
	echo "usage: $0 BUILD_DIR" >&2
	exit 2
fi
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$HERE/fixtures
BUILD=$(cd "$1" && pwd) || exit 2
BTFKIT=$BUILD/btfkit
MERGE=$BUILD/tests/tools/btfmerge
W=$BUILD/resolve
BPFTOOL=${BPFTOOL:-bpftool}
command -v "$BPFTOOL" >/dev/null || BPFTOOL=/usr/sbin/bpftool
. "$HERE/../layer.sh"

give_up() {
	fail "$*"
	echo "$PASS passed, $FAIL failed"
	exit 1
}

for tool in gcc pahole nm objdump jq "$BPFTOOL"; do
	command -v "$tool" >/dev/null || give_up "$tool not found (make check-deps installs it)"
done
[ -x "$BTFKIT" ] || give_up "$BTFKIT not built"
[ -x "$MERGE" ] || give_up "$MERGE not built (make tools)"

rm -rf "$W"
mkdir -p "$W/mods"
cd "$W" || exit 1

# ---- 1. the synthetic kernel ----
KCFLAGS="-O2 -g -fPIC -pg -mfentry"
# The functions as written: no inlining, no IPA clones.
ASIS="-O2 -g -fno-inline -fno-ipa-cp -fno-ipa-sra -fno-partial-inlining"
{
	gcc $KCFLAGS -c "$SRC/k1.c" -o k1.o &&
		gcc $KCFLAGS -c "$SRC/k2.c" -o k2.o &&
		gcc -O2 -fPIC -c "$SRC/stubs.c" -o stubs.o &&
		gcc -shared -o vmlinux.so k1.o k2.o stubs.o &&
		gcc $ASIS -c "$SRC/k1.c" -o k1.asis.o &&
		gcc $ASIS -c "$SRC/k2.c" -o k2.asis.o &&
		pahole -J k1.asis.o && pahole -J k2.asis.o &&
		"$MERGE" vmlinux.btf k1.asis.o k2.asis.o &&
		gcc -O2 -g -pg -mfentry -c "$SRC/m.c" -o mods/m.ko &&
		pahole -J --btf_base vmlinux.btf mods/m.ko
} >build.log 2>&1 || { detail <build.log; give_up "building the synthetic kernel"; }
ok "synthetic kernel built: vmlinux.so, vmlinux.btf (pahole + btfmerge), mods/m.ko (split BTF)"

# Kernel-like addresses: vmlinux at 0xffffffff81000000, the module above it.
nm -n vmlinux.so | awk '$2 ~ /^[tTwW]$/' | while read -r a t n; do
	printf '%016x %s %s\n' $((0x$a + 0xffffffff81000000)) "$t" "$n"
done >System.map
cp System.map kallsyms
nm -n mods/m.ko | awk '$2 ~ /^[tT]$/' | while read -r a t n; do
	printf '%016x %s %s\t[m]\n' $((0x$a + 0xffffffffc0001000)) "$t" "$n"
done >>kallsyms
# available_filter_functions: functions whose first instructions call __fentry__.
objdump -d vmlinux.so | awk '
	/^[0-9a-f]+ <.*>:$/ { name = $2; gsub(/[<>:]/, "", name); n = 0; next }
	name != "" && /\t/ { n++; if (n <= 2 && /call.*<__fentry__/) { print name; name = "" } }
	/^$/ { name = "" }' >available_filter_functions
nm -n mods/m.ko | awk '$2 ~ /^[tT]$/ { print $3 " [m]" }' >>available_filter_functions

# The premises, as the tools see them.
count_sym() { awk -v n="$1" '$3 == n' System.map | wc -l; }
count_func() { "$BPFTOOL" btf dump file vmlinux.btf | grep -c "FUNC '$1' " ; }
premise() {
	if [ "$2" = "$3" ]; then ok "premise: $1"; else fail "premise: $1 (expected $3, got $2)"; fi
}
premise "dup: 2 symbols (nm)" "$(count_sym dup)" 2
premise "dup: 2 BTF FUNCs" "$(count_func dup)" 2
premise "alike: 2 symbols" "$(count_sym alike)" 2
premise "alike: 2 BTF FUNCs" "$(count_func alike)" 2
premise "cprop: no symbol of its own" "$(count_sym cprop)" 0
premise "cprop.constprop.N exists" "$(grep -c ' cprop\.constprop\.[0-9]*$' System.map)" 1
premise "by_field.isra.N exists, by_field does not" \
	"$(grep -c ' by_field\.isra\.[0-9]*$' System.map)$(count_sym by_field)" 10
premise "partial.part.N exists, partial does not" \
	"$(grep -c ' partial\.part\.[0-9]*$' System.map)$(count_sym partial)" 10
premise "gone: inlined (no symbol), 1 BTF FUNC" "$(count_sym gone)$(count_func gone)" 01
premise "notrace_fn: a symbol, not in the ftrace list" \
	"$(count_sym notrace_fn)$(grep -cx notrace_fn available_filter_functions)" 10
premise "unique_fn: traceable" "$(grep -cx unique_fn available_filter_functions)" 1
premise "shared_fn: in vmlinux and in m" \
	"$(count_sym shared_fn)$(grep -c 'shared_fn.\[m\]' kallsyms)" 11

OFF="--btf vmlinux.btf --kallsyms kallsyms --ftrace available_filter_functions --modules mods"
# expect WHAT EXIT-STATUS JQ-EXPRESSION BTFKIT-ARGS...: the JSON answer satisfies the expression.
expect() {
	local what=$1 want=$2 expr=$3 out status
	shift 3
	out=$("$BTFKIT" "$@" 2>resolve.err)
	status=$?
	if [ "$status" != "$want" ]; then
		fail "$what: exit $status, expected $want"
		{ echo "$out"; cat resolve.err; } | detail
	elif ! echo "$out" | jq -e "$expr" >/dev/null 2>&1; then
		fail "$what: $expr"
		echo "$out" | jq -c '.targets[0] // .' 2>&1 | cut -c1-600 | detail
	else
		ok "$what"
	fi
}
id_of() { "$BPFTOOL" btf dump file vmlinux.btf | sed -n "s/^\[\([0-9]*\)\] FUNC '$1' .*/\1/p" | head -1; }
addr_of() { awk -v n="$1" '$3 == n { print "0x" $1; exit }' System.map | sed 's/0x0*/0x/'; }
T='.targets[0]'

expect "unique_fn: unique, the FUNC's id, its address, traceable" 0 \
	"$T.verdict == \"unique\" and $T.attach_btf_id == $(id_of unique_fn) and $T.attach_btf_obj_fd == 0 and $T.addresses[0].addr == \"$(addr_of unique_fn)\" and $T.addresses[0].traceable == true" \
	resolve --json $OFF --kernel-version 6.12 unique_fn
lo=$(awk '$3 == "dup" { print "0x" $1; exit }' System.map | sed 's/0x0*/0x/')
expect "dup: ambiguous, 2 FUNCs not alike, 2 addresses, the kernel picks the lowest" 1 \
	"$T.verdict == \"ambiguous\" and ($T.funcs | length) == 2 and $T.compatible == false and ($T.addresses | length) == 2 and $T.pick == 0 and $T.addresses[0].addr == \"$lo\"" \
	resolve --json $OFF --kernel-version 6.12 dup
expect "dup --accept-compatible: still refused (prototypes differ)" 1 \
	"$T.safe == false" resolve --json --accept-compatible $OFF dup
expect "alike: ambiguous, prototypes alike" 1 \
	"$T.verdict == \"ambiguous\" and $T.compatible == true" resolve --json $OFF alike
expect "alike --accept-compatible: accepted, with an attach pair" 0 \
	"$T.safe == true and ($T.attach_btf_id | type) == \"number\"" \
	resolve --json --accept-compatible $OFF alike
# Kprobe advice among clones: never a .cold fragment's address; a .part
# clone is only the outlined part of the function, and is said to be.
{ printf '%016x t by_field.cold\n%016x t partial.cold\n%016x t gone.cold\n' \
	$((0xffffffff80fff100)) $((0xffffffff80fff200)) $((0xffffffff80fff300)); cat kallsyms; } >kallsyms.cold
for a in fentry kprobe; do
	expect "by_field with a lower by_field.cold ($a): the kprobe address is the .isra clone's" 1 \
		"$T.verdict == \"renamed\" and $T.kprobe_addr == \"$(addr_of "$(grep -o 'by_field\.isra\.[0-9]*$' System.map)")\"" \
		resolve --json --attach $a --btf vmlinux.btf --kallsyms kallsyms.cold by_field
	expect "partial with partial.cold ($a): the .part clone's address, flagged as the outlined part only" 1 \
		"$T.kprobe_addr == \"$(addr_of "$(grep -o 'partial\.part\.[0-9]*$' System.map)")\" and ($T.reason | test(\"outlined part\"))" \
		resolve --json --attach $a --btf vmlinux.btf --kallsyms kallsyms.cold partial
	expect "gone with only gone.cold ($a): renamed, no kprobe address" 1 \
		"$T.verdict == \"renamed\" and $T.kprobe_addr == null and ($T.reason | test(\"cold\"))" \
		resolve --json --attach $a --btf vmlinux.btf --kallsyms kallsyms.cold gone
done
for f in cprop:constprop by_field:isra partial:part; do
	n=${f%%:*}
	s=${f##*:}
	clone=$(grep -o " $n\.$s\.[0-9]*$" System.map | tr -d ' ')
	expect "$n: renamed, clone $clone listed with its address" 1 \
		"$T.verdict == \"renamed\" and $T.clones[0].name == \"$clone\" and $T.clones[0].addr == \"$(addr_of "$clone")\"" \
		resolve --json $OFF "$n"
	# A .part clone is only the outlined part: its address, said to be so.
	caveat=true
	[ "$s" = part ] && caveat="($T.reason | test(\"outlined part\"))"
	expect "$n: a kprobe reaches the clone by address" 1 \
		"$T.verdict == \"renamed\" and $T.kprobe_addr == \"$(addr_of "$clone")\" and $caveat" \
		resolve --json --attach kprobe $OFF "$n"
	expect "$clone: kprobe by the clone's name: unique" 0 \
		"$T.verdict == \"unique\" and $T.kprobe_addr == \"$(addr_of "$clone")\"" \
		resolve --json --attach kprobe $OFF "$clone"
	expect "$clone as an fentry target: the base name's verdict, renamed" 1 \
		"$T.name == \"$n\" and $T.verdict == \"renamed\"" resolve --json $OFF "$clone"
done
expect "gone: missing (inlined)" 1 "$T.verdict == \"missing\" and ($T.funcs | length) == 1" \
	resolve --json $OFF gone
expect "notrace_fn: notrace" 1 "$T.verdict == \"notrace\" and $T.addresses[0].traceable == false" \
	resolve --json $OFF notrace_fn
expect "no_such_fn: missing" 1 "$T.verdict == \"missing\"" resolve --json $OFF no_such_fn
expect "shared_fn: cross-module, naming vmlinux and m" 1 \
	"$T.verdict == \"cross-module\" and $T.objects == [\"vmlinux\",\"m\"]" resolve --json $OFF shared_fn
expect "vmlinux:shared_fn: unique" 0 "$T.verdict == \"unique\" and $T.attach_btf_obj_fd == 0" \
	resolve --json $OFF vmlinux:shared_fn
expect "m:shared_fn on 6.12 (module-scoped lookup): unique, in m's BTF" 0 \
	"$T.verdict == \"unique\" and $T.addresses[0].module == \"m\" and $T.attach_btf_id > $(id_of unique_fn)" \
	resolve --json $OFF --kernel-version 6.12 m:shared_fn
expect "m:shared_fn on 6.1 (global lookup): ambiguous, the kernel finds vmlinux's first" 1 \
	"$T.verdict == \"ambiguous\" and $T.addresses[0].module == null and $T.addresses[1].module == \"m\"" \
	resolve --json $OFF --kernel-version 6.1.192 m:shared_fn
expect "mod_only_fn on 6.1: unique (only m has it)" 0 \
	"$T.verdict == \"unique\" and $T.scope == \"m\"" resolve --json $OFF --kernel-version 6.1 mod_only_fn
expect "nomod:f: missing, the module is unknown" 1 "$T.verdict == \"missing\"" \
	resolve --json $OFF nomod:unique_fn
expect "kprobe dup on 6.12: ambiguous (EADDRNOTAVAIL)" 1 \
	"$T.verdict == \"ambiguous\" and ($T.reason | test(\"EADDRNOTAVAIL\"))" \
	resolve --json --attach kprobe $OFF --kernel-version 6.12 dup
expect "kprobe dup on 5.15.0 (stable series, sublevel 0): ambiguous, may take the first or refuse" 1 \
	"$T.verdict == \"ambiguous\" and ($T.reason | test(\"may take the first.*or refuse\"))" \
	resolve --json --attach kprobe $OFF --kernel-version 5.15.0 dup
expect "kprobe dup on 6.3.5 (no stable backport): ambiguous, the kernel silently takes the first" 1 \
	"$T.verdict == \"ambiguous\" and ($T.reason | test(\"silently\"))" \
	resolve --json --attach kprobe $OFF --kernel-version 6.3.5 dup
expect "kprobe unique_fn: unique, by address" 0 \
	"$T.verdict == \"unique\" and $T.kprobe_addr == \"$(addr_of unique_fn)\"" \
	resolve --json --attach kprobe $OFF unique_fn
# A clang LTO kernel: before 6.10 kallsyms_lookup_name("f") also finds
# "f.llvm.<hash>"; from 6.10 (6.11, in 6.10.y stable) the lookup is exact.
sed 's/ unique_fn$/ unique_fn.llvm.8812763491/' kallsyms >kallsyms.lto
expect "unique_fn only as unique_fn.llvm.<hash> on 6.6 (LTO): unique, found by the kernel's lookup" 0 \
	"$T.verdict == \"unique\" and $T.addresses[0].name == \"unique_fn.llvm.8812763491\"" \
	resolve --json --btf vmlinux.btf --kallsyms kallsyms.lto --kernel-version 6.6 unique_fn
expect "unique_fn only as unique_fn.llvm.<hash> on 6.12 (exact lookup): renamed, the clone listed for kprobes" 1 \
	"$T.verdict == \"renamed\" and ($T.addresses | length) == 0 and $T.clones[0].name == \"unique_fn.llvm.8812763491\" and $T.kprobe_addr == \"$(addr_of unique_fn)\"" \
	resolve --json --btf vmlinux.btf --kallsyms kallsyms.lto --kernel-version 6.12 unique_fn
expect "unique_fn only as unique_fn.llvm.<hash>, version unknown: the exact lookup of new kernels, renamed" 1 \
	"$T.verdict == \"renamed\"" resolve --json --btf vmlinux.btf --kallsyms kallsyms.lto unique_fn
# Both forms: a unique_fn.llvm.<hash> below unique_fn's address.
{ printf '%016x t unique_fn.llvm.42\n' $((0xffffffff80fff000)); cat kallsyms; } >kallsyms.lto2
expect "unique_fn and a lower unique_fn.llvm.<hash> on 6.6: ambiguous, the kernel takes the .llvm. one (lowest)" 1 \
	"$T.verdict == \"ambiguous\" and ($T.addresses | length) == 2 and $T.addresses[0].name == \"unique_fn.llvm.42\"" \
	resolve --json --btf vmlinux.btf --kallsyms kallsyms.lto2 --kernel-version 6.6 unique_fn
expect "unique_fn and unique_fn.llvm.<hash> on 6.12: unique, the exact name" 0 \
	"$T.verdict == \"unique\" and ($T.addresses | length) == 1 and $T.addresses[0].name == \"unique_fn\"" \
	resolve --json --btf vmlinux.btf --kallsyms kallsyms.lto2 --kernel-version 6.12 unique_fn
# fmod_ret: only functions on the error-injection list, or named security_*.
printf 'k1_entry\tERRNO\nmod_only_fn [m]\tERRNO\n' >ei_list
expect "fmod_ret unique_fn, not on the error-injection list: unsafe, not modifiable" 1 \
	"$T.verdict == \"unique\" and $T.safe == false and ($T.reason | test(\"not modifiable\"))" \
	resolve --json --attach fmod_ret $OFF --error-injection ei_list unique_fn
expect "fmod_ret k1_entry, on the error-injection list: safe" 0 \
	"$T.verdict == \"unique\" and $T.safe == true" \
	resolve --json --attach fmod_ret $OFF --error-injection ei_list k1_entry
expect "fmod_ret m:mod_only_fn, listed with its module: safe" 0 "$T.safe == true" \
	resolve --json --attach fmod_ret $OFF --error-injection ei_list m:mod_only_fn
expect "fmod_ret unique_fn, list unknown: unsafe, the reason says the list is unknown" 1 \
	"$T.safe == false and ($T.reason | test(\"list is unknown\")) and (.notes | map(test(\"error-injection\")) | any)" \
	resolve --json --attach fmod_ret $OFF unique_fn
expect "fentry unique_fn: the error-injection list does not matter" 0 "$T.safe == true" \
	resolve --json $OFF --error-injection ei_list unique_fn
expect "System.map instead of kallsyms: the same verdict" 1 "$T.verdict == \"ambiguous\"" \
	resolve --json --btf vmlinux.btf --kallsyms System.map dup
expect "no kallsyms: noted, the verdict from BTF alone is unverified, not safe" 1 \
	"(.notes | map(test(\"kallsyms\")) | any) and $T.verdict == \"unique\" and $T.safe == false and ($T.reason | test(\"unverified\"))" \
	resolve --json --btf vmlinux.btf unique_fn
expect "no ftrace list: notrace_fn is unique, traceability unknown" 0 \
	"$T.verdict == \"unique\" and $T.addresses[0].traceable == null" \
	resolve --json --btf vmlinux.btf --kallsyms kallsyms notrace_fn

# A module twice (kernel/ and updates/, as in /lib/modules): taken once, depmod's order.
mkdir -p mods2/kernel/drivers mods2/updates
cp mods/m.ko mods2/kernel/drivers/m.ko
cp mods/m.ko mods2/updates/m.ko
: >mods2/kernel/drivers/other.ko.xz
expect "a module in kernel/ and updates/: one object, updates/ taken, noted; a broken .ko.xz noted" 0 \
	".objects == 2 and (.notes | map(test(\"module m found twice: .*updates/m.ko taken\")) | any) and (.notes | map(test(\"other.ko.xz: empty file: module BTF skipped\")) | any) and $T.verdict == \"unique\"" \
	resolve --json --btf vmlinux.btf --kallsyms kallsyms --modules mods2 --kernel-version 6.12 m:mod_only_fn

# Compressed modules (Debian installs .ko.xz from 6.12): read as they are, symbols included.
for z in xz zstd gzip; do
	case $z in xz) ext=xz ;; zstd) ext=zst ;; gzip) ext=gz ;; esac
	rm -rf modsz && mkdir -p modsz/kernel
	"$z" -c mods/m.ko >"modsz/kernel/m.ko.$ext"
	# Without kallsyms the symbols are the module's own ELF symbol table's (2).
	expect "a .ko.$ext module: its BTF and symbol table read, as from the .ko" 1 \
		".objects == 2 and .symbols == 2 and (.notes | map(test(\"skipped\")) | any | not) and $T.verdict == \"unique\" and $T.funcs[0].object == \"m\"" \
		resolve --json --btf vmlinux.btf --modules modsz --kernel-version 6.12 m:mod_only_fn
done
# gzip: a file of two members is one module; the .ko beside its .ko.gz is the one taken.
rm -rf modsz && mkdir -p modsz/kernel
{ head -c 1000 mods/m.ko | gzip -c; tail -c +1001 mods/m.ko | gzip -c; } >modsz/kernel/m.ko.gz
expect "a .ko.gz of two gzip members: read whole" 1 \
	".objects == 2 and .symbols == 2 and (.notes | map(test(\"skipped\")) | any | not) and $T.verdict == \"unique\"" \
	resolve --json --btf vmlinux.btf --modules modsz --kernel-version 6.12 m:mod_only_fn
cp mods/m.ko modsz/kernel/m.ko
expect "m.ko beside m.ko.gz: the .ko taken, noted" 1 \
	".objects == 2 and (.notes | map(test(\"module m found twice: modsz/kernel/m.ko taken, modsz/kernel/m.ko.gz ignored\")) | any)" \
	resolve --json --btf vmlinux.btf --modules modsz --kernel-version 6.12 m:mod_only_fn
rm modsz/kernel/m.ko
{ gzip -c mods/m.ko; echo garbage; } >modsz/kernel/junk.ko.gz
expect "a .ko.gz with bytes after its last member: noted as corrupt" 1 \
	"(.notes | map(test(\"junk.ko.gz: corrupt or truncated gzip data: module BTF skipped\")) | any)" \
	resolve --json --btf vmlinux.btf --modules modsz --kernel-version 6.12 m:mod_only_fn
head -c 100 "modsz/kernel/m.ko.gz" >modsz/kernel/cut.ko.gz
expect "a truncated .ko.gz: noted as corrupt, the other modules still read" 1 \
	"(.notes | map(test(\"cut.ko.gz: corrupt or truncated gzip data: module BTF skipped\")) | any) and $T.verdict == \"unique\"" \
	resolve --json --btf vmlinux.btf --modules modsz --kernel-version 6.12 m:mod_only_fn
expect "several targets: exit 1 when one is unsafe" 1 '(.targets | length) == 2' \
	resolve --json $OFF unique_fn dup

# Text output: the prototype as C, the kernel's pick, what to do instead.
out=$("$BTFKIT" resolve $OFF dup 2>&1)
if echo "$out" | grep -q "BTF FUNC vmlinux \[[0-9]*\] long int dup(const char \*s, long int n)" &&
	echo "$out" | grep -q "int dup(int x)" && echo "$out" | grep -q "<- the kernel's pick" &&
	echo "$out" | grep -q "^  instead: "; then
	ok "text: prototypes as C, the pick, instead"
else
	fail "text output of resolve dup"
	echo "$out" | detail
fi

# Census: every FUNC name against the ground truth above.
"$BTFKIT" census --json $OFF --kernel-version 6.12 >census.json 2>census.err
got=$(jq -r '.functions[] | "\(.scope):\(.name)=\(.verdict)"' census.json | sort | tr '\n' ' ')
want="m:mod_only_fn=unique m:shared_fn=cross-module vmlinux:alike=ambiguous vmlinux:by_field=renamed vmlinux:cprop=renamed vmlinux:dup=ambiguous vmlinux:gone=missing vmlinux:k1_entry=unique vmlinux:k2_entry=unique vmlinux:notrace_fn=notrace vmlinux:partial=renamed vmlinux:shared_fn=cross-module vmlinux:unique_fn=unique "
if [ "$got" = "$want" ]; then
	ok "census: every record as the ground truth says"
else
	fail "census records"
	printf 'want %s\ngot  %s\n' "$want" "$got" | detail
fi
if jq -e '.counts == {"unique":4,"ambiguous":2,"cross-module":2,"renamed":3,"missing":1,"notrace":1}' \
	census.json >/dev/null; then
	ok "census: counts per verdict"
else
	fail "census counts: $(jq -c .counts census.json)"
fi
out=$("$BTFKIT" census $OFF --kernel-version 6.12 2>&1)
if echo "$out" | grep -q "^cross-module *2$" &&
	echo "$out" | grep -q "had the object been named: unique 2"; then
	ok "census: text table"
else
	fail "census text"
	echo "$out" | detail
fi

# Usage and input errors: one line, the documented exit status.
err_case() {
	local what=$1 want=$2 pattern=$3 status
	shift 3
	"$BTFKIT" "$@" >/dev/null 2>err.txt
	status=$?
	if [ "$status" = "$want" ] && [ "$(wc -l <err.txt)" = 1 ] && grep -q -- "$pattern" err.txt; then
		ok "$what"
	else
		fail "$what: exit $status, $(head -c 300 err.txt)"
	fi
}
err_case "resolve without TARGET: usage, exit 2" 2 "no TARGET" resolve
err_case "resolve --attach bogus: exit 2" 2 "unknown attach kind" resolve --attach bogus f
err_case "resolve ':f': exit 2" 2 "bad TARGET" resolve :f
err_case "census with an argument: exit 2" 2 "unexpected argument" census x
err_case "a BTF file that does not exist: exit 1" 1 "btfkit: nofile.btf: " resolve --btf nofile.btf f
err_case "a BTF file that is not BTF: exit 1" 1 "btfkit: kallsyms: " census --btf kallsyms
err_case "a kallsyms file that does not exist: exit 1" 1 "btfkit: nofile.syms: No such file" \
	resolve --btf vmlinux.btf --kallsyms nofile.syms unique_fn
err_case "a modules directory that does not exist: exit 1" 1 "btfkit: nodir: No such file" \
	resolve --btf vmlinux.btf --kallsyms kallsyms --modules nodir unique_fn
err_case "an error-injection list that does not exist: exit 1" 1 "btfkit: nofile.ei: No such file" \
	resolve --btf vmlinux.btf --kallsyms kallsyms --error-injection nofile.ei unique_fn
err_case "an ftrace list that never ends (/dev/zero): exit 1, too large" 1 "btfkit: /dev/zero: File too large" \
	census --btf vmlinux.btf --kallsyms kallsyms --ftrace /dev/zero
err_case "an ftrace list that does not exist: exit 1" 1 "btfkit: nofile.ftrace: No such file" \
	census --btf vmlinux.btf --kallsyms kallsyms --ftrace nofile.ftrace
err_case "a bad kernel version: exit 1" 1 "kernel version 'x.y'" census --btf vmlinux.btf --kernel-version x.y

# ---- 2. the running kernel ----
if [ -r /sys/kernel/btf/vmlinux ] && [ -r /proc/kallsyms ]; then
	"$BTFKIT" census --json >live.json 2>live.err
	status=$?
	if [ $status -ne 0 ] || ! jq -e . live.json >/dev/null 2>&1; then
		fail "live census: exit $status"
		detail <live.err
	else
		ok "live census: $(jq -c .counts live.json)"
		# An independent count: vmlinux FUNC names (bpftool) against
		# kallsyms text symbols, exact and by base name before the first dot.
		"$BPFTOOL" btf dump file /sys/kernel/btf/vmlinux | sed -n "s/^\[[0-9]*\] FUNC '\([^']*\)'.*/\1/p" | sort -u >funcs.txt
		awk '$2 ~ /^[tTwW]$/ && NF == 3 { print $3 }' /proc/kallsyms | sort -u >syms.txt
		grep -E '\.(isra|constprop|part|cold|llvm)(\.|$)' syms.txt | sed 's/\..*//' | sort -u >bases.txt
		renamed=$(comm -23 funcs.txt syms.txt | comm -12 - bases.txt | wc -l)
		missing=$(comm -23 funcs.txt syms.txt | comm -23 - bases.txt | wc -l)
		got=$(jq -r '"\(.counts.renamed) \(.counts.missing)"' live.json)
		vm=$(jq '[.functions[] | select(.scope == "vmlinux")] | length' live.json)
		if [ "$got" = "$renamed $missing" ] && [ "$vm" = "$(wc -l <funcs.txt)" ]; then
			ok "live census: $vm vmlinux names, renamed $renamed and missing $missing, as bpftool and kallsyms count them"
		else
			fail "live census: renamed/missing $got, independent count $renamed $missing; vmlinux records $vm of $(wc -l <funcs.txt)"
		fi
		sum=$(jq '[.counts[]] | add' live.json)
		n=$(jq '.functions | length' live.json)
		[ "$sum" = "$n" ] && ok "live census: counts add up to the $n records" ||
			fail "live census: counts add up to $sum, records $n"
	fi
else
	echo "skip - no /sys/kernel/btf/vmlinux or /proc/kallsyms: no live census"
fi

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
