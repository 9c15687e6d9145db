#!/bin/bash
# Validation against the kernel: tests/validate/run.sh BUILD_DIR [CASES [VMLINUX_CASES]]
#
# 1. `btfkit validate` on real BTF: the fixtures (gcc + pahole -J at test
#    time), the split pair on its base, the running kernel's vmlinux; every
#    verdict must be the kernel's (the kernel loads each blob too).
# 2. The command's contract: the one-line verdicts, --json, --base, --kernel,
#    exit codes, errors on missing and unusable files.
# 3. vdiff, the differential test: CASES mutated blobs (default 5000) made
#    from the fixtures and the hand-built blobs, plus VMLINUX_CASES (default
#    100) mutations of the running kernel's vmlinux, each checked by btfkit
#    and by the kernel's bpf(BPF_BTF_LOAD): same verdict, errno, message, type
#    and log lines. Where bpf() is not available (not root), this part is
#    skipped with a note.
# Prints "N passed, N failed"; exit 1 on any failure.
set -u
[ $# -ge 1 ] || { echo "usage: $0 BUILD_DIR [CASES [VMLINUX_CASES]]" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "$1" && pwd) || exit 2
CASES=${2:-5000}
VCASES=${3:-100}
BTFKIT=$BUILD/btfkit
VDIFF=$BUILD/tests/tools/vdiff
W=$BUILD/validate
. "$HERE/../layer.sh"

for f in "$BTFKIT" "$VDIFF" "$BUILD/tests/tools/mkblobs"; do
	[ -x "$f" ] || { fail "$f not built"; finish; }
done
rm -rf "$W"
mkdir -p "$W"
if "$HERE/../fixtures/build.sh" "$W" >"$W/build.log"; then
	ok "fixtures built ($(wc -l <"$W/FIXTURES"))"
else
	fail "fixtures"
	cat "$W/build.log"
fi
"$BUILD/tests/tools/mkblobs" "$W/blobs" >/dev/null 2>&1 || fail "mkblobs"
cd "$W" || exit 1

# expect NAME STATUS STDOUT_PATTERN -- ARGS...: run btfkit, check exit status and stdout.
expect() {
	local name=$1 status=$2 pattern=$3
	shift 4
	"$BTFKIT" "$@" >out.txt 2>err.txt
	local rc=$?
	if [ "$rc" -ne "$status" ]; then
		fail "$name: exit $rc, expected $status"
		sed -n '1,5s/^/    /p' out.txt err.txt
	elif ! grep -Eq -- "$pattern" out.txt err.txt; then
		fail "$name: output does not match /$pattern/"
		sed -n '1,5s/^/    /p' out.txt err.txt
	else
		ok "$name"
	fi
}

# ---- 1. real BTF ----
while read -r f; do
	expect "valid $f.o" 0 "^$f.o: valid \([0-9]+ types\)$" -- validate "$f.o"
	expect "valid $f.btf" 0 "^$f.btf: valid \([0-9]+ types\)$" -- validate "$f.btf"
done <FIXTURES
expect "split module on its base" 0 "^split_module.o: valid \(8 types\)$" -- \
	validate --base split_base.o split_module.o
if [ -r /sys/kernel/btf/vmlinux ]; then
	cp /sys/kernel/btf/vmlinux vmlinux.btf
	n=$(grep -c '^\[' <("$BTFKIT" dump vmlinux.btf))
	expect "the running kernel's vmlinux ($n types)" 0 "^/sys/kernel/btf/vmlinux: valid \($n types\)$" -- \
		validate /sys/kernel/btf/vmlinux
fi

# ---- 2. the command's contract ----
expect "invalid: one line with the type and the kernel's message" 1 \
	'^blobs/bitfields.btf: invalid: \[4\] Invalid member bitfield_size$' -- validate blobs/bitfields.btf
expect "invalid header: no type id" 1 '^blobs/empty.btf: invalid: No type found$' -- \
	validate blobs/empty.btf
expect "big-endian BTF: the kernel's words" 1 '^blobs/all_kinds_be.btf: invalid: btf_header not found$' -- \
	validate blobs/all_kinds_be.btf
expect "--json, invalid" 1 '^\{"file":"blobs/many.btf","kernel":"[0-9]+\.[0-9]+","valid":false,"type_id":7,"member":[0-9]+,"message":"Member exceeds struct_size","errno":"EINVAL","log":"\[7\] STRUCT' -- \
	validate --json blobs/many.btf
expect "--json, valid" 0 '^\{"file":"ints.o","kernel":"[0-9.]+","valid":true,"types":16\}$' -- \
	validate -j ints.o
expect "several files: exit 1 if one is invalid" 1 'ints.btf: valid' -- \
	validate ints.btf blobs/empty.btf
# "typedef int a.b": dots in identifiers are allowed from 6.4 (and in 6.1.y).
printf '\x9f\xeb\x01\x00\x18\x00\x00\x00\x00\x00\x00\x00\x1c\x00\x00\x00\x1c\x00\x00\x00\x09\x00\x00\x00'\
'\x01\x00\x00\x00\x00\x00\x00\x01\x04\x00\x00\x00\x20\x00\x00\x00'\
'\x05\x00\x00\x00\x00\x00\x00\x08\x01\x00\x00\x00\x00int\x00a.b\x00' >dotted.btf
expect "--kernel 6.3: no dots in a typedef's name" 1 '^dotted.btf: invalid: \[2\] Invalid name$' -- \
	validate --kernel 6.3 dotted.btf
expect "--kernel 6.4: dots allowed" 0 '^dotted.btf: valid \(2 types\)$' -- validate --kernel 6.4 dotted.btf
expect "--kernel 6.1.150: dots allowed (stable backport)" 0 '^dotted.btf: valid' -- \
	validate --kernel 6.1.150 dotted.btf
# "int" and an empty 8-byte ENUM64 "e" (enums.o's signed ENUMs fail earlier on 5.19).
printf '\x9f\xeb\x01\x00\x18\x00\x00\x00\x00\x00\x00\x00\x1c\x00\x00\x00\x1c\x00\x00\x00\x07\x00\x00\x00'\
'\x01\x00\x00\x00\x00\x00\x00\x01\x04\x00\x00\x00\x20\x00\x00\x00'\
'\x05\x00\x00\x00\x00\x00\x00\x13\x08\x00\x00\x00\x00int\x00e\x00' >enum64.btf
expect "--kernel 5.19: no ENUM64" 1 '^enum64.btf: invalid: \[2\] Invalid kind:19$' -- \
	validate --kernel 5.19 enum64.btf
expect "--kernel 5.19: no signed ENUM" 1 '^enums.o: invalid: \[1\] Invalid btf_info kind_flag$' -- \
	validate --kernel 5.19 enums.o
expect "--kernel 6.18: ENUM64 fine" 0 '^enums.o: valid' -- validate --kernel 6.18 enums.o
expect "bad --kernel" 2 "bad kernel version 'six'" -- validate --kernel six ints.o
expect "no FILE" 2 'no FILE given' -- validate
expect "missing file" 1 "^btfkit: nosuch.btf: No such file or directory$" -- validate nosuch.btf
gcc -g -O0 -c "$HERE/../fixtures/ints.c" -o nobtf.o 2>/dev/null
expect "no .BTF section" 1 "^btfkit: nobtf.o: .*BTF" -- validate nobtf.o
expect "split module, base missing" 1 "^btfkit: nosuch.o: No such file or directory$" -- \
	validate --base nosuch.o split_module.o
expect "split module on the wrong base" 1 "split_module.o: invalid: " -- \
	validate --base ints.o split_module.o
expect "base that does not validate" 1 "^btfkit: .*the base does not validate: \[4\] Invalid member bitfield_size$" -- \
	validate --base blobs/bitfields.btf split_module.btf
expect "--help" 0 "^usage: btfkit validate" -- validate --help

# ---- 3. the kernel as the judge ----
blobs=()
while read -r f; do blobs+=("$f.btf"); done <FIXTURES
for b in blobs/*.btf; do
	case $b in *_be.btf|*/empty.btf|*/split.btf|*/unknown_kind_nolayout.btf) continue ;; esac
	blobs+=("$b")
done
"$VDIFF" -n "$CASES" -s "${VDIFF_SEED:-1}" "${blobs[@]}" >vdiff.out 2>&1
rc=$?
if [ $rc -eq 77 ]; then
	echo "skip - $(head -1 vdiff.out)"
else
	sed -n '/^kernel rejections/,$p' vdiff.out | grep -v 'passed, .* failed'
	grep '^DISAGREE' vdiff.out | head -20
	p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' vdiff.out)
	f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' vdiff.out)
	PASS=$((PASS + ${p:-0}))
	FAIL=$((FAIL + ${f:-1}))
	if [ -r vmlinux.btf ] && [ "$VCASES" -gt 0 ]; then
		"$VDIFF" -n "$VCASES" -s "${VDIFF_SEED:-1}" vmlinux.btf >vdiff_vmlinux.out 2>&1
		grep '^DISAGREE\|^vdiff:' vdiff_vmlinux.out | head -20
		p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' vdiff_vmlinux.out)
		f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' vdiff_vmlinux.out)
		PASS=$((PASS + ${p:-0}))
		FAIL=$((FAIL + ${f:-1}))
	fi
fi
finish
