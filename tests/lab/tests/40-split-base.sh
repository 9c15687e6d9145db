#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The .BTF.base btfkit distills is the one the kernel relocates: a 6.12 module
# (binfmt_misc) rewritten by `btfkit distill` is loaded in the 6.12 kernel
# (6.11+ relocates module BTF with .BTF.base at load time), and the BTF the
# kernel then shows in /sys/kernel/btf/binfmt_misc describes the module's
# types as the original module's .BTF does (compared by name and structure).
. "$(dirname "$0")/../testlib.sh"

PROOF=$BTFKIT_BUILD/tests/tools/splitproof
if [ ! -x "$PROOF" ]; then
	fail "$PROOF not built (make tools)"
	finish
	exit
fi
b=6.12
kver=$(lab_path "$b" kver) || { fail "$b: not in the lab"; finish; exit; }
base=$(lab_path "$b" vmlinux-btf)
orig=$(lab_path "$b" module binfmt_misc)
mod=$LAB_WORK/binfmt_misc.ko
if ! "$BTFKIT" distill --base "$base" "$orig" -o "$mod" 2>"$LAB_WORK/distill.err"; then
	fail "$b ($kver): btfkit distill binfmt_misc"
	detail <"$LAB_WORK/distill.err"
	finish
	exit
fi
# The module's own types: the ones both dumps must describe alike.
nown=$("$BTFKIT" dump --base "$base" "$orig" | grep -c '^\[')
out=$LAB_WORK/out
"$LAB" run --build "$b" --file "$mod:binfmt_misc.ko" --out "$out" \
	--cmd 'insmod /lab/bin/binfmt_misc.ko && cat /sys/kernel/btf/binfmt_misc >"$LAB_OUT/binfmt_misc.btf" && cat /sys/kernel/btf/vmlinux >"$LAB_OUT/vmlinux.btf"' \
	>"$LAB_WORK/run.log" 2>&1
if [ -s "$out/binfmt_misc.btf" ]; then
	ok "$b ($kver): the kernel loads binfmt_misc with btfkit's .BTF.base and relocates its BTF"
else
	fail "$b ($kver): insmod of the distilled binfmt_misc"
	tail -n 25 "$LAB_WORK/run.log" | detail
	finish
	exit
fi
"$PROOF" sdump "$base" "$orig" >"$LAB_WORK/was.txt" 2>&1
"$PROOF" sdump "$out/vmlinux.btf" "$out/binfmt_misc.btf" "$nown" >"$LAB_WORK/now.txt" 2>&1
if [ -s "$LAB_WORK/was.txt" ] && cmp -s "$LAB_WORK/was.txt" "$LAB_WORK/now.txt"; then
	ok "$b ($kver): its $nown types, as the kernel relocated them, are the original module's"
else
	fail "$b ($kver): the kernel's relocated types differ from the original's"
	diff "$LAB_WORK/was.txt" "$LAB_WORK/now.txt" | detail
fi
finish
