#!/bin/busybox sh
# SPDX-License-Identifier: BSD-2-Clause
#
# /init of the lab's initramfs. /lab/config (written by the host) says what
# to do: the modules to load (/lab/modules/*.ko, in /lab/modules.list order),
# the tests to run (/lab/tests.list: one command line each, /lab/bin on the
# PATH), or a shell.
#
# Everything the host reads comes out on the console (ttyS0):
#   lab: booted KVER in S s
#   lab-begin: NAME              before each test's own output
#   lab-result: ok NAME | lab-result: FAIL NAME (...)
#   lab-summary: N passed, N failed      last, after any output transfer
# Files the tests leave in $LAB_OUT (/lab/out) go back as one gzipped tar on
# ttyS1, raw.
/bin/busybox --install -s /bin
export PATH=/lab/bin:/bin:/sbin
export HOME=/root LAB_OUT=/lab/out
mkdir -p /proc /sys /dev /tmp /root /lab/out /lab/work
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
. /lab/config
export LAB_KVER

echo "lab: booted $(uname -r) in $(cut -d' ' -f1 /proc/uptime) s"
pass=0
fail=0
result() {
	echo "lab-result: $*"
	case $1 in
	ok) pass=$((pass + 1)) ;;
	*) fail=$((fail + 1)) ;;
	esac
}

# A leading "?" marks a soft dependency: tried, and its failure is only noted.
while read -r m; do
	[ -n "$m" ] || continue
	if insmod "/lab/modules/${m#\?}" 2>/tmp/insmod.err; then
		echo "lab: insmod ${m#\?}"
	elif [ "${m#\?}" != "$m" ]; then
		echo "lab: insmod ${m#\?} failed (a soft dependency; others may serve): $(cat /tmp/insmod.err)"
	else
		result FAIL "insmod $m ($(cat /tmp/insmod.err))"
	fi
done </lab/modules.list

if [ "$LAB_SHELL" = 1 ]; then
	echo "lab: shell on $(uname -r); programs in /lab/bin, files left in /lab/out come back; exit powers off"
	cd /lab/work && setsid cttyhack sh -l
else
	while read -r t; do
		[ -n "$t" ] || continue
		echo "lab-begin: $t"
		(cd /lab/work && sh -c "$t")
		rc=$?
		if [ $rc -eq 0 ]; then
			result ok "$t"
		else
			result FAIL "$t (exit $rc)"
		fi
	done </lab/tests.list
fi

if [ -n "$(ls -A /lab/out)" ]; then
	# Raw: no newline translation, so the bytes arrive as written. The close
	# at the end of the pipeline waits for the UART to drain.
	stty -F /dev/ttyS1 raw -echo
	tar -C /lab/out -cf - . | gzip -1 >/dev/ttyS1
fi
echo "lab-summary: $pass passed, $fail failed"
sync
poweroff -f
reboot -f
