# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=bash
#
# Sourced by every lab test (tests/lab/tests/*.sh). run.sh sets:
#   LAB            the lab command (tests/lab/lab)
#   BTFKIT_BUILD   the build directory (btfkit, lab/ programs)
#   LAB_WORK       a fresh scratch directory for this test
# A test prints "ok - ..." and "FAIL - ..." lines (run.sh counts them) and
# exits non-zero when something failed.
set -u
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BTFKIT=$BTFKIT_BUILD/btfkit
BPFTOOL=${BPFTOOL:-bpftool}
command -v "$BPFTOOL" >/dev/null || BPFTOOL=/usr/sbin/bpftool
LAB_JOBS=${BTFKIT_LAB_JOBS:-2}

T_PASS=0
T_FAIL=0
ok() {
	T_PASS=$((T_PASS + 1))
	echo "ok - $*"
}
fail() {
	T_FAIL=$((T_FAIL + 1))
	echo "FAIL - $*"
}
# Indented detail under a FAIL line, kept short.
detail() { sed -n '1,15s/^/    /p'; }
finish() { [ "$T_FAIL" -eq 0 ]; }

# lab_path BUILD WHAT [ARG]: a host path from the lab (fails the test if none).
lab_path() { "$LAB" path --build "$@"; }

# same_bytes WHAT A B: ok when files A and B are equal, else FAIL with a diff.
same_bytes() {
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		fail "$1"
		diff "$2" "$3" | detail
	fi
}
