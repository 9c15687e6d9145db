#!/bin/sh
# make check: every test layer in turn, then one closing line adding up the
# "N passed, N failed" lines each layer prints. Stops at the first failing layer.
set -u
total_pass=0
total_fail=0
log=$(mktemp)
trap 'rm -f "$log" "$log.status"' EXIT

run_layer() {
	name=$1
	shift
	echo "== $name"
	{ "$@" 2>&1; echo $? > "$log.status"; } | tee "$log"
	lines=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log")
	if [ -z "$lines" ]; then
		echo "check: '$name' printed no result line"
		total_fail=$((total_fail + 1))
		return 1
	fi
	p=$(echo "$lines" | awk '{ s += $1 } END { print s }')
	f=$(echo "$lines" | awk '{ s += $3 } END { print s }')
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	if [ "$(cat "$log.status")" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "check: '$name' failed (exit $(cat "$log.status"))"
		total_fail=$((total_fail + 1))
	fi
	[ "$(cat "$log.status")" -eq 0 ] && [ "$f" -eq 0 ]
}

run_layer "unit tests (gcc, -Werror)" make --no-print-directory CFLAGS="-O2 -g -Werror" unit &&
	run_layer "CLI tests (gcc, -Werror)" make --no-print-directory CFLAGS="-O2 -g -Werror" cli-tests &&
	run_layer "C dump tests (gcc, -Werror)" make --no-print-directory CFLAGS="-O2 -g -Werror" cdump-tests &&
	run_layer "validation against the kernel (gcc, -Werror)" make --no-print-directory CFLAGS="-O2 -g -Werror" validate-tests &&
	run_layer "live BPF: inspect against bpftool and fdinfo, probe (gcc, -Werror)" make --no-print-directory CFLAGS="-O2 -g -Werror" bpf-tests &&
	run_layer "split-BTF safety: check-module, distill, relocate (gcc, -Werror)" make --no-print-directory CFLAGS="-O2 -g -Werror" split-tests &&
	run_layer "attach-target resolver: synthetic kernel, live census (gcc, -Werror)" make --no-print-directory CFLAGS="-O2 -g -Werror" resolve-tests &&
	run_layer "unit, CLI, C dump and validation tests under ASan+UBSan (clang, -Werror)" make --no-print-directory sanitize &&
	run_layer "live BPF tests under ASan+UBSan (clang, -Werror)" make --no-print-directory sanitize-bpf &&
	run_layer "threads under ThreadSanitizer (clang, -Werror)" make --no-print-directory threads &&
	run_layer "fuzzing" make --no-print-directory fuzz &&
	run_layer "kernel lab (Debian kernels under QEMU)" make --no-print-directory CFLAGS="-O2 -g -Werror" lab
status=$?
echo "$total_pass passed, $total_fail failed"
exit $status
