#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Live BPF tests on the running kernel: tests/bpf/run.sh BUILD_DIR
#
# 1. btfkit inspect against the kernel's fdinfo and Debian's bpftool, on
#    objects bpfobjs makes and holds (maps with BTF, a PROG_ARRAY with a
#    socket filter in it, socket filters using them, a BTF object, an XDP
#    program linked to lo that passes every packet), and on
#    every object both list (tests/bpf/compare_inspect.py).
# 2. btfkit probe: its class must follow from the steps it recorded, a
#    claimed tail call proven by the callee's return value
#    (tests/bpf/check_probe.py). The lab runs the same on Debian's kernels.
# 3. The commands' errors: exit status and the one stderr line.
# Needs root. Prints "ok -"/"FAIL -" lines and "N passed, N failed".
set -u
if [ $# -ne 1 ]; then
	echo "usage: $0 BUILD_DIR" >&2
	exit 2
fi
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "$1" && pwd) || exit 2
BTFKIT=$BUILD/btfkit
BPFOBJS=$BUILD/tests/bpfobjs
BPFTOOL=${BPFTOOL:-bpftool}
command -v "$BPFTOOL" >/dev/null || BPFTOOL=/usr/sbin/bpftool
. "$HERE/../layer.sh"

# Add up a python checker's own "N passed, N failed".
tally() {
	local out=$1 p f
	grep -E '^(ok|FAIL) - |^    ' "$out"
	p=$(awk '/^[0-9]+ passed, [0-9]+ failed$/ { print $1 }' "$out")
	f=$(awk '/^[0-9]+ passed, [0-9]+ failed$/ { print $3 }' "$out")
	if [ -z "$p" ]; then
		fail "$2 printed no result"
		detail <"$out"
		return
	fi
	PASS=$((PASS + p))
	FAIL=$((FAIL + f))
}

for f in "$BTFKIT" "$BPFOBJS"; do
	if [ ! -x "$f" ]; then
		echo "FAIL - $f not built (make bpf-tests builds it)"
		echo "0 passed, 1 failed"
		exit 1
	fi
done
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

# 1. inspect
# An XDP link on lo as well, unless lo already has an XDP program.
lo=--xdp-lo
ip -o link show lo 2>/dev/null | grep -q ' xdp' && lo=
if BTFKIT=$BTFKIT BPFTOOL=$BPFTOOL "$BPFOBJS" $lo -- sh "$HERE/../lab/guest/inspect_capture.sh" "$W/cap" \
	>"$W/bpfobjs.log" 2>&1; then
	python3 "$HERE/compare_inspect.py" "$W/cap" >"$W/cmp.log" 2>&1
	tally "$W/cmp.log" "compare_inspect.py"
else
	fail "bpfobjs and the capture ran"
	detail <"$W/bpfobjs.log"
fi

# 2. probe
if "$BTFKIT" probe --json >"$W/probe.json" 2>"$W/probe.err"; then
	python3 "$HERE/check_probe.py" "$W/probe.json" >"$W/probe.log" 2>&1
	tally "$W/probe.log" "check_probe.py"
	"$BTFKIT" probe >"$W/probe.txt" 2>&1 && grep -q '^freplace-tailcall: ' "$W/probe.txt" &&
		ok "probe: text output ($(grep '^freplace-tailcall: ' "$W/probe.txt"))" ||
		fail "probe: text output"
else
	fail "btfkit probe ran"
	detail <"$W/probe.err"
fi

# 3. errors: exit status and message
expect_err() {
	local want=$1 msg=$2
	shift 2
	"$BTFKIT" "$@" >"$W/out" 2>"$W/err"
	local rc=$?
	if [ "$rc" -eq "$want" ] && [ "$(cat "$W/err")" = "$msg" ]; then
		ok "btfkit $*: exit $rc, '$msg'"
	else
		fail "btfkit $*: exit $rc (want $want)"
		detail <"$W/err"
	fi
}
expect_err 1 "btfkit: prog 4000000000: no such object in the kernel" inspect prog 4000000000
expect_err 1 "btfkit: map 4000000000: no such object in the kernel" inspect map 4000000000 --json
expect_err 2 "btfkit: inspect: unknown object kind 'programs' (see 'btfkit inspect --help')" inspect programs
expect_err 2 "btfkit: inspect: bad id 'x1' (see 'btfkit inspect --help')" inspect prog x1
expect_err 2 "btfkit: inspect: unexpected argument '3' (see 'btfkit inspect --help')" inspect prog 2 3
expect_err 2 "btfkit: probe: unexpected argument 'now' (see 'btfkit probe --help')" probe now

# Without privileges: one line, before any output.
if command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$BTFKIT" inspect >"$W/out" 2>"$W/err"
	rc=$?
	if [ "$rc" -eq 1 ] && [ ! -s "$W/out" ] &&
		[ "$(cat "$W/err")" = "btfkit: inspect: the kernel's BPF objects cannot be listed: Operation not permitted (needs root: CAP_SYS_ADMIN)" ]; then
		ok "btfkit inspect as nobody: exit 1, one line"
	else
		fail "btfkit inspect as nobody: exit $rc"
		cat "$W/out" "$W/err" | detail
	fi
	setpriv --reuid=65534 --regid=65534 --clear-groups "$BTFKIT" probe >"$W/out" 2>"$W/err"
	rc=$?
	if [ "$rc" -eq 1 ] && [ ! -s "$W/out" ] &&
		[ "$(cat "$W/err")" = "btfkit: probe: the probe cannot run here: Operation not permitted (it needs root: CAP_BPF, CAP_NET_ADMIN)" ]; then
		ok "btfkit probe as nobody: exit 1, one line"
	else
		fail "btfkit probe as nobody: exit $rc"
		cat "$W/out" "$W/err" | detail
	fi
fi

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
