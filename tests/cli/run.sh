#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# CLI tests: tests/cli/run.sh BUILD_DIR
#
# 1. Builds the C fixtures in tests/fixtures/ into BUILD_DIR/fixtures with
#    gcc (clang for tags.c) and encodes their BTF with pahole -J, at test time,
#    so the BTF comes from the real toolchain, not from files we wrote.
# 2. Parity: btfkit dump must print exactly what bpftool 7.1 prints, raw and
#    JSON, for every fixture (the ELF object and its extracted .BTF blob),
#    a split module on its base, the running kernel, and mkblobs' blobs.
# 3. Errors: tests/cli/golden/*.golden pin the exit status and the one stderr
#    line of each bad input or bad usage, so a change of wording is a diff.
# 4. The command table: every command of the man page is listed and has --help.
#
# Prints "ok - ..." / "FAIL - ..." per check and "N passed, N failed";
# exits 1 if anything failed. Works the same on the sanitizer build.
set -u

if [ $# -ne 1 ]; then
	echo "usage: $0 BUILD_DIR" >&2
	exit 2
fi
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../fixtures" && pwd)
BUILD=$(cd "$1" && pwd) || exit 2
BTFKIT=$BUILD/btfkit
FX=$BUILD/fixtures
BPFTOOL=${BPFTOOL:-bpftool}
command -v "$BPFTOOL" >/dev/null || BPFTOOL=/usr/sbin/bpftool

. "$HERE/../layer.sh"

for tool in gcc pahole objcopy "$BPFTOOL"; do
	if ! command -v "$tool" >/dev/null; then
		echo "FAIL - $tool not found (make check-deps installs it)"
		echo "0 passed, 1 failed"
		exit 1
	fi
done
if [ ! -x "$BTFKIT" ]; then
	echo "FAIL - $BTFKIT not built"
	echo "0 passed, 1 failed"
	exit 1
fi

rm -rf "$FX"
mkdir -p "$FX/tmp"
T=$FX/tmp
# Everything below runs in the fixture directory with relative names, so the
# error messages (which quote the path) do not depend on BUILD_DIR.
cd "$FX" || exit 1

# ---- 1. fixtures (tests/fixtures/build.sh) ----
. "$SRC/build.sh"
FIXTURES=()
standard_fixtures
for f in "${FIXTURE_FAILED[@]}"; do
	fail "fixture $f"
	detail <fixture.err
done
# Split pair: the module is encoded against the base's BTF.
if fixture_split; then
	ok "fixture split_module: pahole -J --btf_base split_base.o"
else
	fail "fixture split_module: gcc or pahole --btf_base"
	detail <fixture.err
fi
# An object with no .BTF at all.
gcc -g -O0 -c "$SRC/ints.c" -o nobtf.o
ok "fixtures built: ${#FIXTURES[@]} objects + split pair"

# ---- 2. parity with bpftool ----
# run_cmd TAG CMD...: stdout, stderr and status into $T/TAG.{out,err,rc}.
run_cmd() {
	local tag=$1
	shift
	"$@" >"$T/$tag.out" 2>"$T/$tag.err"
	echo $? >"$T/$tag.rc"
}

# one_line TAG: the stderr of a failed run is exactly one newline-ended line.
one_line() {
	local f=$T/$1.err
	[ "$(wc -l <"$f")" -eq 1 ] && [ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" = '\n' ]
}

# parity LABEL -- BTFKIT_ARGS... -- BPFTOOL_ARGS...
parity() {
	local label=$1
	shift 2
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
	local rc
	rc=$(cat "$T/got.rc")
	if [ "$rc" -ne 0 ] || [ -s "$T/got.err" ]; then
		fail "$label: btfkit ${k[*]} exit $rc"
		detail <"$T/got.err"
	elif cmp -s "$T/want.out" "$T/got.out"; then
		ok "$label"
	else
		fail "$label: btfkit ${k[*]} differs from bpftool ${b[*]}"
		# JSON is one long line: split at objects so the diff shows which one.
		diff <(sed 's/},{"id"/},\n{"id"/g' "$T/want.out") \
		     <(sed 's/},{"id"/},\n{"id"/g' "$T/got.out") | detail
	fi
}

for f in "${FIXTURES[@]}"; do
	for file in "$f.o" "$f.btf"; do
		parity "raw  $file" -- dump "$file" -- btf dump file "$file"
		parity "json $file" -- dump -j "$file" -- -j btf dump file "$file"
	done
done
# --format json is the long spelling of -j.
parity "json --format json enums.o" -- dump --format json enums.o -- -j btf dump file enums.o
parity "raw  --format raw enums.o" -- dump --format raw enums.o -- btf dump file enums.o

for m in split_module.o split_module.btf; do
	for base in split_base.o split_base.btf; do
		parity "raw  split $m on $base" -- dump --base "$base" "$m" -- -B "$base" btf dump file "$m"
		parity "json split $m on $base" -- dump -j -B "$base" "$m" -- -j -B "$base" btf dump file "$m"
	done
done

# Compressed files (modules are installed as .ko.xz from Debian's 6.12) read as they are:
# the dump of the uncompressed file by bpftool, which cannot read them.
xz -c split_module.o >split_module.o.xz
zstd -q -c split_module.o >split_module.o.zst
gzip -c split_module.o >split_module.o.gz
for z in xz zst gz; do
	parity "raw  split split_module.o.$z" -- dump --base split_base.btf "split_module.o.$z" -- \
		-B split_base.btf btf dump file split_module.o
done

# The running kernel: the default FILE, the explicit path, and each module
# (their base is vmlinux implicitly, for both tools).
VMLINUX=/sys/kernel/btf/vmlinux
if [ -r "$VMLINUX" ]; then
	parity "raw  kernel (no FILE)" -- dump -- btf dump file "$VMLINUX"
	parity "json kernel (no FILE)" -- dump -j -- -j btf dump file "$VMLINUX"
	parity "raw  $VMLINUX" -- dump "$VMLINUX" -- btf dump file "$VMLINUX"
	parity "json $VMLINUX" -- dump --format json "$VMLINUX" -- -j btf dump file "$VMLINUX"
	nmod=0
	for m in /sys/kernel/btf/*; do
		[ "$m" = "$VMLINUX" ] && continue
		[ -f "$m" ] || continue
		nmod=$((nmod + 1))
		parity "raw  $m" -- dump "$m" -- btf dump file "$m"
		parity "json $m" -- dump -j "$m" -- -j btf dump file "$m"
	done
	echo "# kernel modules with BTF: $nmod"
else
	echo "skip - $VMLINUX not readable: kernel parity not tested"
fi

# Hand-built blobs (tests/tools/mkblobs, when built). Its MANIFEST says, per
# blob, `NAME PARITY [BASE]` (see tests/tools/mkblobs.c):
#   same          raw and JSON identical to bpftool's;
#   json-differs  raw identical; bpftool's JSON is invalid there, btfkit's
#                 must be valid and hold every type;
#   fails         bpftool cannot load it: btfkit may read it (exit 0) or
#                 refuse it (exit 1 with one line), but nothing else.
# A blob missing from the MANIFEST is treated as "same" if bpftool reads it,
# "fails" otherwise.
blob_fails() {
	local blob=$1 rc
	shift
	if "$BPFTOOL" "$@" btf dump file "$blob" >/dev/null 2>&1; then
		fail "$blob: listed as unreadable for bpftool, but bpftool reads it"
		return
	fi
	run_cmd got "$BTFKIT" dump "${@/#-B/--base}" "$blob"
	rc=$(cat "$T/got.rc")
	if [ "$rc" -eq 0 ] && [ ! -s "$T/got.err" ]; then
		ok "$blob: bpftool rejects it, btfkit reads it (exit 0)"
	elif [ "$rc" -eq 1 ] && one_line got && [ ! -s "$T/got.out" ]; then
		ok "$blob: bpftool rejects it, btfkit too: $(cat "$T/got.err")"
	else
		fail "$blob: bpftool rejects it, btfkit exit $rc (want 0, or 1 with one line)"
		detail <"$T/got.err"
	fi
}

blob_json_differs() {
	local blob=$1 ntypes
	shift
	parity "raw  $blob" -- dump "${@/#-B/--base}" "$blob" -- "$@" btf dump file "$blob"
	ntypes=$(grep -c '^\[' "$T/want.out")
	run_cmd got "$BTFKIT" dump -j "${@/#-B/--base}" "$blob"
	if [ "$(cat "$T/got.rc")" -eq 0 ] &&
	   python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(len(d["types"]) != int(sys.argv[2]))' \
		"$T/got.out" "$ntypes" 2>"$T/py.err"; then
		ok "json $blob: valid JSON with all $ntypes types (bpftool's is not valid here)"
	else
		fail "json $blob: btfkit's JSON is not valid or misses types (want $ntypes)"
		cat "$T/got.err" "$T/py.err" | detail
	fi
}

MKBLOBS=$BUILD/tests/tools/mkblobs
if [ -x "$MKBLOBS" ]; then
	mkdir -p blobs
	if ! "$MKBLOBS" blobs >"$T/mkblobs.out" 2>&1; then
		fail "mkblobs blobs"
		detail <"$T/mkblobs.out"
	fi
	declare -A listed=()
	if [ -f blobs/MANIFEST ]; then
		while read -r name kind base; do
			case $name in '#'* | '') continue ;; esac
			listed[$name]=1
			bargs=()
			[ -n "$base" ] && bargs=(-B "blobs/$base")
			blob=blobs/$name
			case $kind in
			same)
				parity "raw  $blob${base:+ on $base}" -- dump "${bargs[@]/#-B/--base}" "$blob" -- "${bargs[@]}" btf dump file "$blob"
				parity "json $blob${base:+ on $base}" -- dump -j "${bargs[@]/#-B/--base}" "$blob" -- -j "${bargs[@]}" btf dump file "$blob"
				;;
			json-differs) blob_json_differs "$blob" "${bargs[@]}" ;;
			fails) blob_fails "$blob" "${bargs[@]}" ;;
			*) fail "blobs/MANIFEST: unknown parity '$kind' for $name" ;;
			esac
		done <blobs/MANIFEST
	else
		echo "# blobs/MANIFEST missing: every blob judged by whether bpftool reads it"
	fi
	for blob in blobs/*.btf; do
		[ -e "$blob" ] || continue
		[ -n "${listed[${blob#blobs/}]:-}" ] && continue
		if "$BPFTOOL" btf dump file "$blob" >/dev/null 2>&1; then
			parity "raw  $blob" -- dump "$blob" -- btf dump file "$blob"
			parity "json $blob" -- dump -j "$blob" -- -j btf dump file "$blob"
		else
			blob_fails "$blob"
		fi
	done
else
	echo "skip - $MKBLOBS not built: hand-built blobs not tested"
fi

# ---- 3. errors and usage (golden files) ----
# Inputs the golden commands name.
mkdir -p adir
: >empty.btf
seq 1 40 >notbtf.txt
head -c 20 split_base.btf >trunc20.btf
zstd -q -c split_base.btf | head -c 40 >trunc.btf.zst
# Keep the header and half the type section: the header promises more.
tlen=$(od -An -t u4 -j 12 -N 4 split_base.btf | tr -d ' ')
head -c $((24 + tlen / 2)) split_base.btf >trunc_types.btf

# A golden file: "# comment" lines, then
#   cmd: ARGS           btfkit's arguments, split at spaces, run in BUILD_DIR/fixtures
#   exit: N             expected status; "0|1" allows either
#   stderr: LINE        the exact single line on stderr
#   stdout1: LINE       the exact first line of stdout
#   stderr1: LINE       the exact first line of stderr (multi-line allowed)
# Without stderr/stderr1, stderr must be empty on exit 0 and one line otherwise.
# A non-zero exit must leave stdout empty: no half dump before the error.
golden() {
	local g=$1 name cmd="" want_rc="" want_err="" want_out1="" want_err1="" has_err=0 has_err1=0
	name=$(basename "$g" .golden)
	while IFS= read -r line; do
		case $line in
		'#'* | '') ;;
		cmd:*) cmd=${line#cmd:}; cmd=${cmd# } ;;
		exit:*) want_rc=${line#exit: } ;;
		stderr:*) want_err=${line#stderr: }; has_err=1 ;;
		stderr1:*) want_err1=${line#stderr1: }; has_err1=1 ;;
		stdout1:*) want_out1=${line#stdout1: } ;;
		*) fail "$name: bad golden line: $line"; return ;;
		esac
	done <"$g"
	if [ -z "$want_rc" ]; then
		fail "$name: golden file has no exit:"
		return
	fi
	local -a args
	read -r -a args <<<"$cmd"
	run_cmd got "$BTFKIT" "${args[@]}"
	local rc problems=()
	rc=$(cat "$T/got.rc")
	[ "$rc" -ge 128 ] && problems+=("killed by signal $((rc - 128))")
	case "|$want_rc|" in
	*"|$rc|"*) ;;
	*) problems+=("exit $rc, want $want_rc") ;;
	esac
	if [ "$has_err" = 1 ]; then
		if ! one_line got; then
			problems+=("stderr is not one line")
		elif [ "$(cat "$T/got.err")" != "$want_err" ]; then
			problems+=("stderr: $(cat "$T/got.err")" "  want: $want_err")
		fi
	elif [ "$has_err1" = 1 ]; then
		[ "$(head -n 1 "$T/got.err")" != "$want_err1" ] &&
			problems+=("stderr line 1: $(head -n 1 "$T/got.err")" "  want: $want_err1")
	elif [ "$rc" -eq 0 ]; then
		[ -s "$T/got.err" ] && problems+=("stderr not empty: $(head -n 1 "$T/got.err")")
	else
		one_line got || problems+=("stderr is not one line")
	fi
	if [ -n "$want_out1" ] && [ "$(head -n 1 "$T/got.out")" != "$want_out1" ]; then
		problems+=("stdout line 1: $(head -n 1 "$T/got.out")" "  want: $want_out1")
	fi
	if [ "$rc" -ne 0 ] && [ -s "$T/got.out" ]; then
		problems+=("exit $rc but stdout has $(wc -c <"$T/got.out") bytes")
	fi
	if [ ${#problems[@]} -eq 0 ]; then
		ok "golden $name: btfkit $cmd -> exit $rc"
	else
		fail "golden $name: btfkit $cmd"
		printf '%s\n' "${problems[@]}" | detail
	fi
}

ngold=0
for g in "$HERE"/golden/*.golden; do
	[ -e "$g" ] || continue
	golden "$g"
	ngold=$((ngold + 1))
done
[ "$ngold" -gt 0 ] || fail "no golden files in $HERE/golden"

# ---- 4. the command table ----
# Every command the man page documents (its lower-case .SS sections) is listed
# by `btfkit --help` and answers `btfkit CMD --help` with its usage, exit 0.
MAN=$HERE/../../docs/btfkit.1
ncmd=0
for c in $(sed -n 's/^\.SS \([a-z][a-z-]*\)$/\1/p' "$MAN"); do
	ncmd=$((ncmd + 1))
	if "$BTFKIT" --help | grep -q "^  $c  *[a-z]"; then
		ok "btfkit --help lists $c"
	else
		fail "btfkit --help does not list $c"
	fi
	if "$BTFKIT" "$c" --help >"$T/help.out" 2>"$T/help.err" &&
		head -n 1 "$T/help.out" | grep -q "^usage: btfkit $c" && [ ! -s "$T/help.err" ]; then
		ok "btfkit $c --help: its usage, exit 0"
	else
		fail "btfkit $c --help"
		head -n 2 "$T/help.out" "$T/help.err" | detail
	fi
done
[ "$ncmd" -ge 9 ] || fail "the man page documents $ncmd commands (expected at least 9)"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
