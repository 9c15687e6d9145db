#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# C dump tests: tests/cdump/run.sh BUILD_DIR
#
# 1. Fixtures: tests/fixtures/*.c (as tests/cli/run.sh builds them) and
#    tests/cdump/fixtures/*.c, compiled and encoded with pahole -J at test
#    time; conflict_a.c + conflict_b.c linked into one object (ld -r) so that
#    one BTF holds two types of each name.
# 2. Parity: `btfkit dump --format c` must print exactly what
#    `bpftool btf dump file F format c` (7.1) prints: every fixture (object
#    and raw .BTF), the split module on its base, mkcblobs' hand-built blobs,
#    the running kernel and its modules, and the kernel's BTF with its types
#    renumbered (mkcblobs shuffle: an order no compiler produced). BTF with
#    no C order (loops), or asking for gigabytes of text, is an error.
# 3. --sort: the same header for the same types under other ids; it holds
#    the same definitions as the unsorted one.
# 4. The headers compile: a BPF program including them builds with
#    clang -target bpf (CO-RE relocations included), and gcc and clang
#    accept them with BPF_NO_PRESERVE_ACCESS_INDEX. With --enum-mode, every
#    struct's size and member offsets equal the BTF's (_Static_asserts
#    generated from the raw dump by layout_asserts.awk).
# 5. --type/--id give minimal headers that compile on their own; errors.
#
# Prints "ok - ..." / "FAIL - ..." per check and "N passed, N failed";
# exits 1 if anything failed. Works the same on the sanitizer build.
set -u

if [ $# -ne 1 ]; then
	echo "usage: $0 BUILD_DIR" >&2
	exit 2
fi
HERE=$(cd "$(dirname "$0")" && pwd)
FIXSRC=$(cd "$HERE/../fixtures" && pwd)
BUILD=$(cd "$1" && pwd) || exit 2
BTFKIT=$BUILD/btfkit
MKCBLOBS=$BUILD/tests/cdump/mkcblobs
W=$BUILD/cdump
BPFTOOL=${BPFTOOL:-bpftool}
command -v "$BPFTOOL" >/dev/null || BPFTOOL=/usr/sbin/bpftool
CLANG=$(command -v clang || command -v clang-14 || true)
VMLINUX=/sys/kernel/btf/vmlinux

. "$HERE/../layer.sh"

for tool in gcc ld pahole objcopy "$BPFTOOL" "$CLANG" awk; do
	if [ -z "$tool" ] || ! command -v "$tool" >/dev/null; then
		fail "${tool:-clang} not found (make check-deps installs it)"
		finish
	fi
done
for f in "$BTFKIT" "$MKCBLOBS"; do
	[ -x "$f" ] || { fail "$f not built"; finish; }
done

rm -rf "$W"
mkdir -p "$W/tmp" "$W/hdr"
T=$W/tmp
cd "$W" || exit 1

# ---- 1. fixtures ----
# The standard set (tests/fixtures/build.sh), then layouts and a two-unit
# name conflict of this layer's own.
. "$FIXSRC/build.sh"
FIXTURES=()
standard_fixtures
for f in "${FIXTURE_FAILED[@]}"; do
	fail "fixture $f"
	detail <fixture.err
done
# own OUT SRC_PATH CC OPT: one fixture of this layer's own.
own() {
	if fixture "$@"; then
		FIXTURES+=("$1")
	else
		fail "fixture $1: $3 $4 $(basename "$2")"
		detail <fixture.err
	fi
}
own layout "$HERE/fixtures/layout.c" gcc -O0
own layout_O2 "$HERE/fixtures/layout.c" gcc -O2
own layout_clang "$HERE/fixtures/layout.c" "$CLANG" -O0
if gcc -g -O0 -c "$HERE/fixtures/conflict_a.c" -o conflict_a.o 2>"$T/cc.err" &&
   gcc -g -O0 -c "$HERE/fixtures/conflict_b.c" -o conflict_b.o 2>>"$T/cc.err" &&
   ld -r conflict_a.o conflict_b.o -o conflict.o 2>>"$T/cc.err" &&
   pahole -J conflict.o >>"$T/cc.err" 2>&1 &&
   objcopy --dump-section .BTF=conflict.btf conflict.o "$T/scratch.o" 2>>"$T/cc.err"; then
	FIXTURES+=(conflict)
else
	fail "fixture conflict: gcc, ld -r or pahole"
	detail <"$T/cc.err"
fi
if ! fixture_split; then
	fail "fixture split_module: gcc or pahole --btf_base"
	detail <fixture.err
fi
ok "fixtures built: ${#FIXTURES[@]} objects + split pair"

# ---- 2. parity with bpftool ----
run_cmd() {
	local tag=$1
	shift
	"$@" >"$T/$tag.out" 2>"$T/$tag.err"
	echo $? >"$T/$tag.rc"
}

# parity LABEL SAVE -- BTFKIT_ARGS... -- BPFTOOL_ARGS...: identical stdout,
# both exit 0, btfkit silent on stderr. btfkit's header is kept as hdr/SAVE.h.
parity() {
	local label=$1 save=$2
	shift 3
	local k=() b=()
	while [ "$1" != -- ]; do k+=("$1"); shift; done
	shift
	b=("$@")
	run_cmd want "$BPFTOOL" "${b[@]}"
	if [ "$(cat "$T/want.rc")" -ne 0 ]; then
		fail "$label: bpftool ${b[*]} failed (exit $(cat "$T/want.rc"))"
		detail <"$T/want.err"
		return
	fi
	run_cmd got "$BTFKIT" "${k[@]}"
	if [ "$(cat "$T/got.rc")" -ne 0 ] || [ -s "$T/got.err" ]; then
		fail "$label: btfkit ${k[*]} exit $(cat "$T/got.rc")"
		detail <"$T/got.err"
	elif cmp -s "$T/want.out" "$T/got.out"; then
		ok "$label ($(wc -l <"$T/got.out") lines)"
		[ -n "$save" ] && cp "$T/got.out" "hdr/$save.h"
	else
		fail "$label: btfkit ${k[*]} differs from bpftool ${b[*]}"
		diff "$T/want.out" "$T/got.out" | detail
	fi
}

for f in "${FIXTURES[@]}"; do
	parity "c $f.o" "$f" -- dump --format c "$f.o" -- btf dump file "$f.o" format c
	parity "c $f.btf" "" -- dump -f c "$f.btf" -- btf dump file "$f.btf" format c
done
for m in split_module.o split_module.btf; do
	for base in split_base.o split_base.btf; do
		parity "c split $m on $base" split_module -- dump -f c --base "$base" "$m" -- \
			-B "$base" btf dump file "$m" format c
	done
done

# Hand-built blobs: DIR/MANIFEST says `NAME same|loop [BASE]`.
mkdir -p blobs
if ! "$MKCBLOBS" blobs >"$T/mkcblobs.out" 2>&1; then
	fail "mkcblobs blobs"
	detail <"$T/mkcblobs.out"
fi
BLOBS=()
while read -r name expect base; do
	case $name in '#'* | '') continue ;; esac
	kb=()
	bb=()
	if [ -n "$base" ]; then
		kb=(--base "blobs/$base")
		bb=(-B "blobs/$base")
	fi
	case $expect in
	same)
		parity "c blobs/$name${base:+ on $base}" "blob_${name%.btf}" -- \
			dump -f c "${kb[@]}" "blobs/$name" -- "${bb[@]}" btf dump file "blobs/$name" format c
		BLOBS+=("blob_${name%.btf}")
		;;
	loop)
		# bpftool stops at the loop with half a header; btfkit says so before writing.
		"$BPFTOOL" "${bb[@]}" btf dump file "blobs/$name" format c >/dev/null 2>&1 &&
			fail "blobs/$name: bpftool was expected to fail"
		run_cmd got "$BTFKIT" dump -f c "${kb[@]}" "blobs/$name"
		if [ "$(cat "$T/got.rc")" -eq 1 ] && [ "$(wc -l <"$T/got.err")" -eq 1 ] &&
		   [ ! -s "$T/got.out" ]; then
			ok "c blobs/$name: no C order exists: $(cat "$T/got.err")"
		else
			fail "c blobs/$name: want exit 1, one line, no output; got exit $(cat "$T/got.rc")"
			detail <"$T/got.err"
		fi
		;;
	huge)
		run_cmd got "$BTFKIT" dump -f c "${kb[@]}" "blobs/$name"
		if [ "$(cat "$T/got.rc")" -eq 1 ] && [ "$(wc -l <"$T/got.err")" -eq 1 ]; then
			ok "c blobs/$name: too large, stopped after $(wc -c <"$T/got.out") bytes: $(cat "$T/got.err")"
		else
			fail "c blobs/$name: want exit 1 and one line; got exit $(cat "$T/got.rc")"
			detail <"$T/got.err"
		fi
		;;
	*) fail "blobs/MANIFEST: unknown expectation '$expect' for $name" ;;
	esac
done <blobs/MANIFEST

# The CLI tests' hand-built blobs (tests/tools/mkblobs): every one bpftool
# can write C for, including its edge cases (a 32 MB struct of padding, a
# section naming a type that does not exist).
MKBLOBS=$BUILD/tests/tools/mkblobs
if [ -x "$MKBLOBS" ] && "$MKBLOBS" rawblobs >"$T/mkblobs.out" 2>&1; then
	nraw=0
	while read -r name kind base; do
		case $name in '#'* | '') continue ;; esac
		kb=()
		bb=()
		if [ -n "$base" ]; then
			kb=(--base "rawblobs/$base")
			bb=(-B "rawblobs/$base")
		fi
		"$BPFTOOL" "${bb[@]}" btf dump file "rawblobs/$name" format c >/dev/null 2>&1 || continue
		nraw=$((nraw + 1))
		parity "c rawblobs/$name${base:+ on $base}" "" -- dump -f c "${kb[@]}" "rawblobs/$name" -- \
			"${bb[@]}" btf dump file "rawblobs/$name" format c
	done <rawblobs/MANIFEST
	[ $nraw -gt 0 ] || fail "rawblobs: bpftool writes C for none of mkblobs' blobs"
else
	fail "tests/tools/mkblobs missing or failed (make tools)"
fi

HAVE_KERNEL=0
if [ -r "$VMLINUX" ]; then
	HAVE_KERNEL=1
	cp "$VMLINUX" vmlinux.btf
	parity "c kernel (no FILE)" "" -- dump -f c -- btf dump file "$VMLINUX" format c
	parity "c $VMLINUX" vmlinux -- dump --format c "$VMLINUX" -- btf dump file "$VMLINUX" format c
	for m in /sys/kernel/btf/*; do
		[ "$m" = "$VMLINUX" ] || [ ! -f "$m" ] && continue
		parity "c $m" "" -- dump -f c "$m" -- btf dump file "$m" format c
	done
	SHUFFLE_SRC=vmlinux.btf
else
	echo "skip - $VMLINUX not readable: kernel parity not tested"
	SHUFFLE_SRC=layout.btf
fi
# Kernel modules on their vmlinux: Debian's kernels, when the kernel lab
# (tests/lab, `make lab`) has already extracted them into its cache. This
# machine's kernel has no modules. A sample per kernel: the largest modules
# and every 100th; CDUMP_ALL_MODULES=1 checks all of them (~10 minutes).
LAB_CACHE=${BTFKIT_LAB_CACHE:-/var/cache/btfkit-lab}
nlab=0
for kdir in "$LAB_CACHE"/builds/*/; do
	[ -f "$kdir/vmlinux.btf" ] && [ -d "$kdir/lib/modules" ] || continue
	kname=$(basename "$kdir")
	nlab=$((nlab + 1))
	parity "c $kname vmlinux" "" -- dump -f c "$kdir/vmlinux.btf" -- 		btf dump file "$kdir/vmlinux.btf" format c
	find "$kdir/lib/modules" -name '*.ko' -printf '%s %p\n' | sort -rn | awk '{ print $2 }' >"$T/mods"
	if [ "${CDUMP_ALL_MODULES:-0}" = 1 ]; then
		cp "$T/mods" "$T/sample"
	else
		{ head -n 5 "$T/mods"; awk 'NR % 100 == 0' "$T/mods"; } >"$T/sample"
	fi
	nmods=0
	nsame=0
	while read -r ko; do
		nmods=$((nmods + 1))
		run_cmd want "$BPFTOOL" -B "$kdir/vmlinux.btf" btf dump file "$ko" format c
		run_cmd got "$BTFKIT" dump -f c --base "$kdir/vmlinux.btf" "$ko"
		if [ "$(cat "$T/want.rc")$(cat "$T/got.rc")" = 00 ] && cmp -s "$T/want.out" "$T/got.out"; then
			nsame=$((nsame + 1))
		else
			fail "c $kname ${ko##*/kernel/} on its vmlinux: differs from bpftool (exit $(cat "$T/got.rc"))"
			diff "$T/want.out" "$T/got.out" | detail
		fi
	done <"$T/sample"
	[ "$nsame" -eq "$nmods" ] && ok "c $kname: $nsame of $(wc -l <"$T/mods") modules (split BTF on vmlinux) identical"
done
[ $nlab -eq 0 ] && echo "skip - no kernel lab cache in $LAB_CACHE: module split BTF covered by fixtures only"

# Renumbered types: other ids, other forward references, the same types.
SHUFFLED=()
for src in "$SHUFFLE_SRC" layout.btf conflict.btf; do
	for seed in 1 2; do
		out=shuf_${seed}_$src
		if "$MKCBLOBS" shuffle "$src" "$out" "$seed" 2>"$T/shuf.err"; then
			parity "c $out" "" -- dump -f c "$out" -- btf dump file "$out" format c
			SHUFFLED+=("$src:$out")
		else
			fail "mkcblobs shuffle $src"
			detail <"$T/shuf.err"
		fi
	done
done

# ---- 3. --sort ----
# Definitions (not forward declarations) as a sorted list, renames (___N)
# folded: the same set either way.
definitions() {
	grep -E '^((struct|union|enum) .*\{|typedef )' "$1" | sed 's/___[0-9][0-9]*//g' | sort
}
for pair in "${SHUFFLED[@]}"; do
	src=${pair%%:*}
	out=${pair#*:}
	run_cmd sa "$BTFKIT" dump -f c --sort "$src"
	run_cmd sb "$BTFKIT" dump -f c --sort "$out"
	if [ "$(cat "$T/sa.rc")$(cat "$T/sb.rc")" != 00 ]; then
		fail "--sort $src / $out: exit $(cat "$T/sa.rc") / $(cat "$T/sb.rc")"
		cat "$T/sa.err" "$T/sb.err" | detail
	elif cmp -s "$T/sa.out" "$T/sb.out"; then
		ok "--sort: $src and $out (other ids) give the same header"
	else
		fail "--sort: $src and $out differ"
		diff "$T/sa.out" "$T/sb.out" | detail
	fi
done
for f in "$SHUFFLE_SRC" layout.btf conflict.btf; do
	"$BTFKIT" dump -f c "$f" >"$T/unsorted.h"
	if ! "$BTFKIT" dump -f c --sort "$f" >"hdr/sorted_${f%.btf}.h"; then
		fail "--sort $f failed"
	elif cmp -s "$T/unsorted.h" "hdr/sorted_${f%.btf}.h"; then
		fail "--sort $f: the same text as unsorted (nothing sorted?)"
	elif [ "$(definitions "$T/unsorted.h" | md5sum)" = "$(definitions "hdr/sorted_${f%.btf}.h" | md5sum)" ]; then
		ok "--sort $f: reordered, the same definitions"
	else
		fail "--sort $f: other definitions than unsorted"
		diff <(definitions "$T/unsorted.h") <(definitions "hdr/sorted_${f%.btf}.h") | detail
	fi
done

# ---- 4. the headers compile ----
# A BPF program with CO-RE accesses, for headers that have these types.
cat >"$T/prog_kernel.c" <<'EOF'
#include "header.h"
#define SEC(name) __attribute__((section(name), used))
SEC("tp/syscalls/sys_enter_openat")
int on_openat(struct trace_event_raw_sys_enter *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx->args[0];

	return task->pid + task->tgid + (int)ctx->id;
}
char LICENSE[] SEC("license") = "GPL";
EOF
cat >"$T/prog_any.c" <<'EOF'
#include "header.h"
#define SEC(name) __attribute__((section(name), used))
SEC("socket") int prog(void *ctx) { return 0; }
char LICENSE[] SEC("license") = "GPL";
EOF
# compiles LABEL HEADER PROG: clang -target bpf (attributes on) and gcc, clang (off).
compiles() {
	local label=$1 hdr=$2 prog=$3 problems=()
	cp "$hdr" "$T/header.h"
	"$CLANG" -target bpf -O2 -g -c "$T/$prog" -o "$T/prog.o" 2>"$T/bpf.err" ||
		problems+=("clang -target bpf: $(grep -m1 error "$T/bpf.err")")
	gcc -fsyntax-only -DBPF_NO_PRESERVE_ACCESS_INDEX -x c "$T/header.h" 2>"$T/gcc.err" ||
		problems+=("gcc: $(grep -m1 error "$T/gcc.err")")
	"$CLANG" -fsyntax-only -DBPF_NO_PRESERVE_ACCESS_INDEX -x c "$T/header.h" 2>"$T/clang.err" ||
		problems+=("clang: $(grep -m1 error "$T/clang.err")")
	if [ ${#problems[@]} -eq 0 ]; then
		ok "compiles: $label"
	else
		fail "compiles: $label"
		printf '%s\n' "${problems[@]}" | detail
	fi
}
if [ $HAVE_KERNEL = 1 ] && [ -f hdr/vmlinux.h ]; then
	compiles "vmlinux header (BPF program with CO-RE accesses)" hdr/vmlinux.h prog_kernel.c
	# The program's field accesses must have become CO-RE relocations.
	if "$BPFTOOL" btf dump file "$T/prog.o" >/dev/null 2>&1 &&
	   readelf -S "$T/prog.o" 2>/dev/null | grep -q '\.BTF\.ext'; then
		ok "vmlinux header: the BPF object carries .BTF.ext (CO-RE relocations)"
	else
		fail "vmlinux header: no .BTF.ext in the BPF object"
	fi
	compiles "sorted vmlinux header" hdr/sorted_vmlinux.h prog_kernel.c
fi
for h in hdr/*.h; do
	case $h in hdr/vmlinux.h | hdr/sorted_vmlinux.h) continue ;; esac
	compiles "$(basename "$h")" "$h" prog_any.c
done

# Layout: with --enum-mode every struct's size and member offsets are the BTF's.
layout_check() {
	local label=$1 file=$2
	"$BPFTOOL" btf dump file "$file" | awk -f "$HERE/layout_asserts.awk" >"$T/asserts.h"
	if ! "$BTFKIT" dump -f c --enum-mode "$file" >"$T/em.h" 2>"$T/em.err"; then
		fail "layout $label: btfkit --enum-mode failed"
		detail <"$T/em.err"
		return
	fi
	printf '#include "em.h"\n#include "asserts.h"\n' >"$T/layout.c"
	local n problems=()
	n=$(wc -l <"$T/asserts.h")
	gcc -fsyntax-only -DBPF_NO_PRESERVE_ACCESS_INDEX "$T/layout.c" 2>"$T/gcc.err" ||
		problems+=("gcc: $(grep -c error "$T/gcc.err") errors, first: $(grep -m1 error "$T/gcc.err")")
	"$CLANG" -fsyntax-only -DBPF_NO_PRESERVE_ACCESS_INDEX "$T/layout.c" 2>"$T/clang.err" ||
		problems+=("clang: $(grep -m1 error "$T/clang.err")")
	if [ ${#problems[@]} -eq 0 ]; then
		ok "layout $label: $n size/offset assertions hold (gcc, clang)"
	else
		fail "layout $label"
		printf '%s\n' "${problems[@]}" | detail
	fi
}
for f in aggregates layout layout_O2 layout_clang conflict enums; do
	[ -f "$f.o" ] && layout_check "$f.o" "$f.o"
done
[ $HAVE_KERNEL = 1 ] && layout_check "vmlinux" vmlinux.btf

# ---- 5. --type / --id, and errors ----
# minimal LABEL FILE PROG ARGS...: a header of its own that compiles and defines WANT.
minimal() {
	local label=$1 file=$2 prog=$3 want=$4
	shift 4
	run_cmd min "$BTFKIT" dump -f c "$@" "$file"
	if [ "$(cat "$T/min.rc")" -ne 0 ] || [ -s "$T/min.err" ]; then
		fail "minimal $label: exit $(cat "$T/min.rc")"
		detail <"$T/min.err"
		return
	fi
	if ! grep -qE "^$want( |;|$)" "$T/min.out"; then
		fail "minimal $label: no '$want' in the header"
		return
	fi
	cp "$T/min.out" "hdr_min.h"
	compiles "minimal $label ($(wc -l <hdr_min.h) lines)" hdr_min.h "$prog"
}
if [ $HAVE_KERNEL = 1 ]; then
	full=$(wc -l <hdr/vmlinux.h)
	minimal "--type task_struct" vmlinux.btf prog_any.c "struct task_struct \{" --type task_struct
	minimal "--type 'struct sk_buff' --type bpf_prog" vmlinux.btf prog_any.c "struct bpf_prog \{" \
		--type "struct sk_buff" --type bpf_prog
	minimal "--type trace_event_raw_sys_enter --type task_struct (the BPF program's types)" \
		vmlinux.btf prog_kernel.c "struct trace_event_raw_sys_enter \{" \
		--type trace_event_raw_sys_enter --type task_struct
	minimal "--type 'enum bpf_prog_type' --sort" vmlinux.btf prog_any.c "enum bpf_prog_type \{" \
		--type "enum bpf_prog_type" --sort
	minimal "--type 'typedef u64'" vmlinux.btf prog_any.c "typedef __u64 u64" --type "typedef u64"
	# A function stands for its parameter types, seen through pointers.
	fn=$("$BPFTOOL" btf dump file vmlinux.btf | awk '/^\[[0-9]+\] FUNC .do_sys_openat2. / { print $3 }' | tr -d "'")
	if [ -n "$fn" ]; then
		minimal "--type do_sys_openat2 (a FUNC: its parameters' types)" vmlinux.btf prog_any.c \
			"struct open_how \{" --type do_sys_openat2
	fi
	id=$("$BPFTOOL" btf dump file vmlinux.btf | awk '/^\[[0-9]+\] STRUCT .pt_regs. / { gsub(/[][]/, "", $1); print $1; exit }')
	minimal "--id $id (struct pt_regs)" vmlinux.btf prog_any.c "struct pt_regs \{" --id "$id"
	if [ "$(wc -l <hdr_min.h)" -lt $((full / 100)) ]; then
		ok "--id $id: $(wc -l <hdr_min.h) lines of the full header's $full"
	else
		fail "--id $id: $(wc -l <hdr_min.h) lines, not minimal (full: $full)"
	fi
fi
minimal "--type outer (fixture)" aggregates.o prog_any.c "struct outer \{" --type outer
minimal "--type holder --type 'struct flags' (fixture)" layout.o prog_any.c "struct holder \{" \
	--type holder --type "struct flags"
minimal "--type b_user (renamed types)" conflict.o prog_any.c "struct b_user \{" --type b_user

# usage_error LABEL WANT_RC ARGS...: exit status, one stderr line, empty stdout.
expect_error() {
	local label=$1 want=$2
	shift 2
	run_cmd e "$BTFKIT" "$@"
	if [ "$(cat "$T/e.rc")" -eq "$want" ] && [ "$(wc -l <"$T/e.err")" -eq 1 ] &&
	   [ ! -s "$T/e.out" ]; then
		ok "$label: exit $want: $(cat "$T/e.err")"
	else
		fail "$label: exit $(cat "$T/e.rc") (want $want), $(wc -l <"$T/e.err") stderr lines"
		detail <"$T/e.err"
	fi
}
expect_error "--type of no type" 1 dump -f c --type no_such_type aggregates.o
expect_error "--type 'union outer' (wrong kind)" 1 dump -f c --type "union outer" aggregates.o
expect_error "--id 0" 1 dump -f c --id 0 aggregates.o
expect_error "--id past the last type" 1 dump -f c --id 4000000000 aggregates.o
expect_error "--id not a number" 2 dump -f c --id 12x aggregates.o
expect_error "--sort without --format c" 2 dump --sort aggregates.o
expect_error "--type with --format json" 2 dump -j --type outer aggregates.o
expect_error "--enum-mode without --format c" 2 dump --enum-mode aggregates.o
expect_error "unknown format" 2 dump --format h aggregates.o

finish
