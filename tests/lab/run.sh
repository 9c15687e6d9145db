#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The lab suite (make lab): tests/lab/run.sh BUILD_DIR [TEST...]
#
# Prepares the lab (downloads, unpacks and captures what the cache lacks),
# then runs every tests/lab/tests/*.sh (or the TESTs named, e.g. 30-fentry),
# adds up their "ok -" and "FAIL -" lines and prints "N passed, N failed".
# Exits non-zero on any failure. When QEMU cannot run on this machine at all,
# it says SKIP with the reason; any other problem (no network for a fresh
# cache, a missing tool) is a failure.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
if [ $# -lt 1 ]; then
	echo "usage: $0 BUILD_DIR [TEST...]" >&2
	exit 2
fi
BUILD=$(cd "$1" && pwd) || exit 2
shift
export LAB=$HERE/lab BTFKIT_BUILD=$BUILD
PASS=0
FAIL=0
start=$(date +%s.%N)
secs() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
give_up() {
	echo "FAIL - $*"
	echo "0 passed, 1 failed"
	exit 1
}

command -v qemu-system-x86_64 >/dev/null || give_up "qemu-system-x86_64 not found (mk/deps.sh lab installs it)"
[ -x "$BUILD/btfkit" ] || give_up "$BUILD/btfkit not built"

# Can QEMU start a machine here at all? (It needs nothing but a working
# /dev and memory; a sandbox without them cannot have a lab.)
if ! probe=$(echo quit | timeout 30 qemu-system-x86_64 -machine none -accel tcg -nodefaults \
	-display none -monitor stdio 2>&1 >/dev/null); then
	echo "SKIP: the kernel lab cannot run here: QEMU does not start: $(echo "$probe" | tail -2 | tr '\n' ' ')"
	echo "0 passed, 0 failed"
	exit 0
fi

echo "-- prepare"
"$LAB" prepare 2>&1 | sed 's/^/  /'
[ "${PIPESTATUS[0]}" -eq 0 ] || give_up "lab prepare"
"$LAB" builds | sed 's/^/  /'

if [ $# -gt 0 ]; then
	tests=()
	for t in "$@"; do
		[ -f "$HERE/tests/$t.sh" ] || give_up "no test $t (tests/lab/tests/$t.sh)"
		tests+=("$HERE/tests/$t.sh")
	done
else
	tests=("$HERE"/tests/*.sh)
fi

for t in "${tests[@]}"; do
	name=$(basename "$t" .sh)
	export LAB_WORK=$BUILD/lab/work/$name
	rm -rf "$LAB_WORK"
	mkdir -p "$LAB_WORK"
	echo "-- $name"
	t0=$(date +%s.%N)
	bash "$t" >"$LAB_WORK.log" 2>&1
	rc=$?
	cat "$LAB_WORK.log"
	p=$(grep -c '^ok - ' "$LAB_WORK.log")
	f=$(grep -c '^FAIL - ' "$LAB_WORK.log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL - $name exited with $rc"
		f=1
	fi
	echo "   ($name: $(secs "$t0") s)"
	PASS=$((PASS + p))
	FAIL=$((FAIL + f))
done

echo "lab: $(secs "$start") s in all"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
