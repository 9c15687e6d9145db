#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The attach-target resolver against real kernels.
#
# Host: the offline census of each build (its vmlinux BTF, the kallsyms and
# ftrace list captured from a boot, the module files loaded in the VM below).
# VM (one boot per build): progs/resolve_check.c checks the live view's
# verdicts against the kernel: fentry through the resolver's
# (attach_btf_obj_fd, attach_btf_id) on a sample of unique functions and on
# every function of the loaded modules; notrace ones refused; an ambiguous
# name and a module function named like a vmlinux one triggered to see which
# function the kernel really runs; kprobes by name and by clone address. It
# prints "N verdicts checked, M agreed"; its census of vmlinux must equal
# the host's offline one.
#
# Sizes (make lab-resolve-long sets larger ones): BTFKIT_RESOLVE_UNIQUE,
# BTFKIT_RESOLVE_NOTRACE, BTFKIT_RESOLVE_CLONES, BTFKIT_RESOLVE_MODULES,
# BTFKIT_RESOLVE_BUILDS.
. "$(dirname "$0")/../testlib.sh"

PROG=$BTFKIT_BUILD/lab/resolve_check
UNIQUE=${BTFKIT_RESOLVE_UNIQUE:-60}
NOTRACE=${BTFKIT_RESOLVE_NOTRACE:-10}
CLONES=${BTFKIT_RESOLVE_CLONES:-5}
MODULES=${BTFKIT_RESOLVE_MODULES:-binfmt_misc,ecryptfs}
BUILDS=${BTFKIT_RESOLVE_BUILDS:-6.1-new 6.12}
if [ ! -x "$PROG" ]; then
	fail "$PROG not built (make lab-progs)"
	finish
	exit
fi

census_line() { # the counts of a census's JSON, vmlinux records only, as resolve_check prints them
	jq -r '[.functions[] | select(.scope == "vmlinux") | .verdict] as $v |
		"census vmlinux: " + ([ "unique", "ambiguous", "cross-module", "renamed", "missing", "notrace" ] |
		map(. as $k | "\($k) \([$v[] | select(. == $k)] | length)") | join(" "))'
}

for b in $BUILDS; do
	kver=$(lab_path "$b" kver) || { fail "$b: not in the lab"; continue; }
	log=$LAB_WORK/$b.log
	"$LAB" run --build "$b" --modules "$MODULES" --file "$PROG" --timeout 900 \
		--cmd "resolve_check --unique $UNIQUE --notrace $NOTRACE --clones $CLONES" >"$log" 2>&1
	summary=$(grep -E '^[0-9]+ verdicts checked, [0-9]+ agreed$' "$log")
	if grep -q '^lab-result: ok resolve_check' "$log" && [ -n "$summary" ]; then
		ok "$b ($kver) live: $summary"
	else
		fail "$b ($kver) live: ${summary:-no summary}"
		grep -E '^disagree|^lab-result|FAILED' "$log" | detail
		grep -q '^lab-summary:' "$log" || tail -n 25 "$log" | sed 's/^/    /'
	fi
	sed -n '/^live view:/,/verdicts checked/p' "$log" | grep -v '^disagree' | sed 's/^/    /'

	# The same build offline, with the modules the VM loaded.
	version=$(sed -n 's/^live view: kernel \([0-9.]*\),.*/\1/p' "$log")
	mods=$LAB_WORK/$b.modules
	mkdir -p "$mods"
	for m in ${MODULES//,/ }; do
		ko=$(lab_path "$b" module "$m") && ln -sf "$ko" "$mods/$m.ko"
	done
	ftrace=$(lab_path "$b" ftrace-addrs 2>/dev/null) || ftrace=$(lab_path "$b" ftrace)
	if "$BTFKIT" census --json --btf "$(lab_path "$b" vmlinux-btf)" --kallsyms "$(lab_path "$b" kallsyms)" \
		--ftrace "$ftrace" --modules "$mods" ${version:+--kernel-version "$version"} >"$LAB_WORK/$b.census.json" \
		2>"$LAB_WORK/$b.census.err"; then
		host=$(census_line <"$LAB_WORK/$b.census.json")
		live=$(grep '^census vmlinux:' "$log")
		if [ "$host" = "$live" ]; then
			ok "$b offline census of vmlinux = the live one: ${host#census vmlinux: }"
		else
			fail "$b offline census differs from the live one"
			printf 'host: %s\nlive: %s\n' "$host" "$live" | detail
		fi
	else
		fail "$b offline census"
		detail <"$LAB_WORK/$b.census.err"
	fi
done
finish
