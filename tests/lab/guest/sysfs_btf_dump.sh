#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Runs in the VM: every /sys/kernel/btf object, its raw bytes and btfkit's
# dump of it (modules: on vmlinux, btfkit's default for that directory), go
# back to the host in $LAB_OUT/raw and $LAB_OUT/dump.
mkdir -p "$LAB_OUT/raw" "$LAB_OUT/dump"
rc=0
n=0
for f in /sys/kernel/btf/*; do
	name=${f##*/}
	cp "$f" "$LAB_OUT/raw/$name"
	if ! btfkit dump "$f" >"$LAB_OUT/dump/$name" 2>/tmp/err; then
		echo "btfkit dump $f: $(cat /tmp/err)"
		rc=1
	fi
	n=$((n + 1))
done
echo "btfkit dumped $n objects of /sys/kernel/btf"
exit $rc
