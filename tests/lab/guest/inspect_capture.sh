#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# inspect_capture.sh OUT: run under bpfobjs (tests/lab/progs/bpfobjs.c), which
# holds the objects and exports their ids (BO_*). Writes into OUT what
# `btfkit inspect` says about them (one JSON file per object, and the full
# lists), and what the kernel itself says: /proc/PID/fdinfo of every fd
# bpfobjs holds. With BPFTOOL set (the host), also `bpftool -j ... show`.
# Plain POSIX sh: it runs in the lab's busybox too.
out=$1
btfkit=${BTFKIT:-btfkit}
mkdir -p "$out" || exit 1
env | grep '^BO_' >"$out/ids"
for id in $BO_PROGS; do "$btfkit" inspect prog "$id" --json >"$out/prog.$id.btfkit" || exit 1; done
for id in $BO_MAPS; do "$btfkit" inspect map "$id" --json >"$out/map.$id.btfkit" || exit 1; done
for id in $BO_LINKS; do "$btfkit" inspect link "$id" --json >"$out/link.$id.btfkit" || exit 1; done
for id in $BO_BTF; do "$btfkit" inspect btf "$id" --json >"$out/btf.$id.btfkit" || exit 1; done
"$btfkit" inspect --json >"$out/all.btfkit" || exit 1
"$btfkit" inspect >"$out/all.txt" || exit 1
# The kernel's BTF objects as files: name and size of each.
for f in /sys/kernel/btf/*; do
	echo "${f##*/} $(wc -c <"$f")"
done >"$out/sysfs_btf"
# The kernel's own words on each object bpfobjs (our parent) holds.
for f in /proc/$PPID/fdinfo/*; do
	n=${f##*/}
	{
		echo "link: $(readlink "/proc/$PPID/fd/$n")"
		cat "$f"
	} >"$out/fdinfo.$n" 2>/dev/null
done
if [ -n "${BPFTOOL:-}" ]; then
	for k in prog map link btf; do
		$BPFTOOL -j "$k" show >"$out/$k.all.bpftool" || exit 1
	done
	for id in $BO_PROGS; do $BPFTOOL -j prog show id "$id" >"$out/prog.$id.bpftool" || exit 1; done
	for id in $BO_MAPS; do $BPFTOOL -j map show id "$id" >"$out/map.$id.bpftool" || exit 1; done
	for id in $BO_LINKS; do $BPFTOOL -j link show id "$id" >"$out/link.$id.bpftool" || exit 1; done
	for id in $BO_BTF; do $BPFTOOL -j btf show id "$id" >"$out/btf.$id.bpftool" || exit 1; done
fi
exit 0
