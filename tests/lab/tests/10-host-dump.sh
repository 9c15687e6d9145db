#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# On the host: btfkit dumps every build's vmlinux BTF (raw and JSON, and from
# the vmlinux ELF itself) and every module of the newest 6.1 and the 6.12
# build (split on their own vmlinux BTF) exactly as bpftool does.
. "$(dirname "$0")/../testlib.sh"

for b in $("$LAB" builds | awk '{ print $1 }'); do
	btf=$(lab_path "$b" vmlinux-btf) || { fail "$b: no vmlinux BTF"; continue; }
	elf=$(lab_path "$b" vmlinux)
	kver=$(lab_path "$b" kver)
	"$BPFTOOL" btf dump file "$btf" >"$LAB_WORK/bpftool.txt" 2>&1
	"$BTFKIT" dump "$btf" >"$LAB_WORK/btfkit.txt" 2>&1
	same_bytes "$b ($kver): vmlinux BTF, raw dump" "$LAB_WORK/bpftool.txt" "$LAB_WORK/btfkit.txt"
	"$BTFKIT" dump "$elf" >"$LAB_WORK/btfkit-elf.txt" 2>&1
	same_bytes "$b ($kver): vmlinux ELF, raw dump" "$LAB_WORK/bpftool.txt" "$LAB_WORK/btfkit-elf.txt"
	"$BPFTOOL" -j btf dump file "$btf" >"$LAB_WORK/bpftool.json" 2>&1
	"$BTFKIT" dump --format json "$btf" >"$LAB_WORK/btfkit.json" 2>&1
	same_bytes "$b ($kver): vmlinux BTF, JSON dump" "$LAB_WORK/bpftool.json" "$LAB_WORK/btfkit.json"
done

for b in 6.1-new 6.12; do
	btf=$(lab_path "$b" vmlinux-btf) || { fail "$b: no vmlinux BTF"; continue; }
	mods=$(lab_path "$b" modules)
	kver=$(lab_path "$b" kver)
	start=$(date +%s.%N)
	find "$mods" -name '*.ko' -print0 | sort -z |
		xargs -0 -n 64 -P "$LAB_JOBS" "$LAB_DIR/cmp-split.sh" "$BTFKIT" "$BPFTOOL" "$btf" \
			>"$LAB_WORK/verdicts.$b"
	secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	total=$(wc -l <"$LAB_WORK/verdicts.$b")
	same=$(grep -c '^same ' "$LAB_WORK/verdicts.$b")
	refused=$(grep -c '^refused ' "$LAB_WORK/verdicts.$b")
	bad=$(grep -vE '^(same|refused) ' "$LAB_WORK/verdicts.$b")
	expected=$(find "$mods" -name '*.ko' | wc -l)
	if [ -z "$bad" ] && [ "$total" -eq "$expected" ] && [ "$same" -gt 0 ]; then
		ok "$b ($kver): $same of $total modules dump as bpftool does (split on vmlinux BTF; $refused refused by both) in $secs s"
	else
		fail "$b ($kver): $same of $expected modules dump as bpftool does; these do not:"
		echo "$bad" | head -10 | detail
		f=$(echo "$bad" | awk '$1 == "differ" { print $2; exit }')
		if [ -n "$f" ]; then
			diff <("$BPFTOOL" btf dump file "$f" -B "$btf" 2>&1) <("$BTFKIT" dump --base "$btf" "$f" 2>&1) | detail
		fi
	fi
done
finish
