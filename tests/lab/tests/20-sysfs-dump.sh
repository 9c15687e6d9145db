#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Inside each build's VM, with a few modules loaded (some with dependencies),
# the static btfkit dumps every /sys/kernel/btf object; on the host, bpftool
# dumps the same objects (brought back raw) and the bytes must be equal.
. "$(dirname "$0")/../testlib.sh"

MODULES=binfmt_misc,vxlan,nf_conntrack,bridge

for b in $("$LAB" builds | awk '{ print $1 }'); do
	kver=$(lab_path "$b" kver) || { fail "$b: not in the lab"; continue; }
	out=$LAB_WORK/$b
	if ! "$LAB" run --build "$b" --modules "$MODULES" --file "$BTFKIT" --out "$out" \
		"$LAB_DIR/guest/sysfs_btf_dump.sh" >"$LAB_WORK/$b.log" 2>&1; then
		fail "$b ($kver): btfkit dumps /sys/kernel/btf in the VM"
		tail -n 30 "$LAB_WORK/$b.log" | sed 's/^/    /'
		continue
	fi
	ok "$b ($kver): btfkit dumps /sys/kernel/btf in the VM ($(grep -o 'booted in [0-9.]* s' "$LAB_WORK/$b.log"))"

	same_bytes "$b ($kver): /sys/kernel/btf/vmlinux is the .BTF of the package's vmlinux" \
		"$(lab_path "$b" vmlinux-btf)" "$out/raw/vmlinux"

	# Every requested module and its dependencies have a BTF object.
	missing=""
	for m in $(echo "$MODULES" | tr ',' ' '); do
		[ -f "$out/raw/$m" ] || missing="$missing $m"
	done
	nobj=$(find "$out/raw" -type f | wc -l)
	if [ -z "$missing" ] && [ "$nobj" -gt 5 ]; then
		ok "$b ($kver): $nobj BTF objects (vmlinux and $((nobj - 1)) modules)"
	else
		fail "$b ($kver): BTF objects missing:$missing ($nobj objects)"
	fi

	same=0
	for f in "$out"/raw/*; do
		name=${f##*/}
		if [ "$name" = vmlinux ]; then
			"$BPFTOOL" btf dump file "$f" >"$LAB_WORK/bpftool.txt" 2>&1
		else
			"$BPFTOOL" btf dump file "$f" -B "$out/raw/vmlinux" >"$LAB_WORK/bpftool.txt" 2>&1
		fi
		if cmp -s "$LAB_WORK/bpftool.txt" "$out/dump/$name"; then
			same=$((same + 1))
		else
			fail "$b ($kver): the VM's btfkit dump of /sys/kernel/btf/$name differs from bpftool's"
			diff "$LAB_WORK/bpftool.txt" "$out/dump/$name" | detail
		fi
	done
	[ "$same" -eq "$nobj" ] &&
		ok "$b ($kver): all $same dumps made in the VM equal bpftool's on the host"
done
finish
