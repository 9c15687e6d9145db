#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# A hand-assembled fentry program (progs/fentry_attach.c) whose target's BTF
# id comes from libbtfkit loads, attaches and runs inside the VM: on a
# vmlinux function, and on a module's function through attach_btf_obj_fd.
. "$(dirname "$0")/../testlib.sh"

PROG=$BTFKIT_BUILD/lab/fentry_attach
if [ ! -x "$PROG" ]; then
	fail "$PROG not built (make lab-progs)"
	finish
	exit
fi

# do_sys_openat2: every open(); load_misc_binary: every execve() once
# binfmt_misc is loaded (its handler is tried first).
for b in 6.1-new 6.12; do
	kver=$(lab_path "$b" kver) || { fail "$b: not in the lab"; continue; }
	"$LAB" run --build "$b" --modules binfmt_misc --file "$PROG" \
		--cmd "fentry_attach do_sys_openat2" \
		--cmd "fentry_attach --module binfmt_misc load_misc_binary" >"$LAB_WORK/$b.log" 2>&1
	for what in "do_sys_openat2" "--module binfmt_misc load_misc_binary"; do
		if grep -qx "lab-result: ok fentry_attach $what" "$LAB_WORK/$b.log"; then
			ok "$b ($kver): $(grep -m1 "^fentry/${what##* }: " "$LAB_WORK/$b.log")"
		else
			fail "$b ($kver): fentry_attach $what"
			sed -n '/^lab-begin: fentry_attach '"$what"'$/,/^lab-result:/p' "$LAB_WORK/$b.log" | detail
			grep -q '^lab-summary:' "$LAB_WORK/$b.log" || tail -n 25 "$LAB_WORK/$b.log" | sed 's/^/    /'
		fi
	done
done
finish
