# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=bash
#
# Sourced by the test layers' run.sh scripts (cli, cdump, validate, bpf,
# resolve, split): the counters and the lines every layer prints.
#   ok MSG / fail MSG   count and print "ok - MSG" / "FAIL - MSG"
#   detail              indent stdin (12 lines at most) under a FAIL line
#   finish              print "N passed, N failed" and exit, non-zero on failures

# Under ASan/UBSan a finding must not pass for an ordinary exit 1 ("bad input"):
# give sanitizer deaths their own status. Harmless for the normal build.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=86:print_stacktrace=1"

PASS=0
FAIL=0
ok()   { PASS=$((PASS + 1)); echo "ok - $*"; }
fail() { FAIL=$((FAIL + 1)); echo "FAIL - $*"; }
detail() { sed -n '1,12s/^/    /p'; }
finish() {
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
	exit $?
}
