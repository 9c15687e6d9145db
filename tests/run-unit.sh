#!/bin/sh
# Run every unit-test program of a build: tests/run-unit.sh BUILD_DIR
# Each BUILD_DIR/tests/test_* is one cmocka program; this prints one line per
# program and a closing "N passed, N failed" over programs. Exit 1 on any failure.
set -u
if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: $0 BUILD_DIR" >&2
	exit 2
fi
build=$1
passed=0
failed=0
found=0
for prog in "$build"/tests/test_*; do
	[ -f "$prog" ] && [ -x "$prog" ] || continue
	found=1
	name=${prog##*/}
	log=$(mktemp)
	if "$prog" >"$log" 2>&1; then
		passed=$((passed + 1))
		echo "PASS $name ($(tail -n 1 "$log"))"
	else
		rc=$?
		failed=$((failed + 1))
		echo "FAIL $name (exit $rc)"
		# The failing program's whole output: cmocka names the test and the line.
		sed 's/^/    /' "$log"
	fi
	rm -f "$log"
done
if [ $found -eq 0 ]; then
	echo "no test programs in $build/tests" >&2
	failed=1
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
