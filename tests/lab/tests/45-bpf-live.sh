#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# btfkit probe and btfkit inspect on Debian's kernels, one boot per build.
#
# probe: the class must be the one each kernel really shows, and follow from
# the steps the probe recorded; a tail call that works is proven by the
# callee's return value, on the scenario or on the working variant
# (tests/bpf/check_probe.py). What the kernels do, and why:
#   6.1  EXT loads, the array's owner is XDP (1c123c567fb1 is in 6.1 stable),
#        a callee loaded as libbpf loads SEC("xdp") (expected_attach_type
#        BPF_XDP) is refused: 4540aed51b12's backport wants the EXT owner's 0.
#        The same callee with expected_attach_type 0 works: owner-attach-type.
#   6.12 the verifier refuses the EXT program: packet-data-mismatch; an
#        original function that calls bpf_xdp_adjust_head(ctx, 0) lets it load.
#   both refuse an EXT program in a PROG_ARRAY (d6083f040d5d's backport).
# inspect: bpfobjs --trace makes maps, socket filters, an fentry program and
# an freplace program with their links; btfkit inspect must agree with the
# kernel's fdinfo on every one and name the attach targets from BTF
# (tests/bpf/compare_inspect.py); with binfmt_misc loaded, the kernel's BTF
# objects must match /sys/kernel/btf, the module's on vmlinux. Debian's bpftool is dynamically linked and
# the VM has no libc, so in the lab the kernel's own fdinfo is the witness;
# on the host, tests/bpf/run.sh compares with bpftool as well.
. "$(dirname "$0")/../testlib.sh"

HERE=$(cd "$(dirname "$0")/.." && pwd)
BTFKIT=$BTFKIT_BUILD/btfkit
BPFOBJS=$BTFKIT_BUILD/lab/bpfobjs
for f in "$BTFKIT" "$BPFOBJS"; do
	if [ ! -x "$f" ]; then
		fail "$f not built (make lab-progs)"
		finish
		exit
	fi
done

run_checker() {
	local log=$LAB_WORK/$1.check
	shift
	python3 "$@" >"$log" 2>&1
	while IFS= read -r line; do
		case $line in
		"ok - "*) ok "$b: ${line#ok - }" ;;
		"FAIL - "*) fail "$b: ${line#FAIL - }" ;;
		"    "*) echo "$line" ;;
		esac
	done <"$log"
	grep -qE '^[0-9]+ passed, [0-9]+ failed$' "$log" || { fail "$b: $2 printed no result"; detail <"$log"; }
}

for b in 6.1-new 6.12; do
	case $b in
	6.1-new) want=owner-attach-type ;;
	6.12) want=packet-data-mismatch ;;
	esac
	kver=$(lab_path "$b" kver) || { fail "$b: not in the lab"; continue; }
	out=$LAB_WORK/$b
	mkdir -p "$out"
	"$LAB" run --build "$b" --modules binfmt_misc --out "$out" --file "$BTFKIT" --file "$BPFOBJS" \
		--file "$HERE/guest/inspect_capture.sh" \
		--cmd 'btfkit probe' \
		--cmd 'btfkit probe --json >"$LAB_OUT/probe.json"' \
		--cmd 'BTFKIT=btfkit bpfobjs --trace -- sh /lab/bin/inspect_capture.sh "$LAB_OUT/cap"' \
		>"$LAB_WORK/$b.log" 2>&1
	if ! grep -q '^lab-summary: 3 passed, 0 failed' "$LAB_WORK/$b.log"; then
		fail "$b ($kver): the VM run"
		tail -n 25 "$LAB_WORK/$b.log" | sed 's/^/    /'
		continue
	fi
	ok "$b ($kver): $(grep -m1 '^freplace-tailcall: ' "$LAB_WORK/$b.log")"
	run_checker probe-$b "$HERE/../bpf/check_probe.py" "$out/probe.json" --expect "$want" --variant \
		--ext-in-array ext-in-prog-array
	run_checker inspect-$b "$HERE/../bpf/compare_inspect.py" "$out/cap" --trace
done
finish
