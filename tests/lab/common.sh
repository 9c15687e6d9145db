# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=bash
#
# What every part of the lab shares: the cache location, messages, the lock.

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_CACHE=${BTFKIT_LAB_CACHE:-/var/cache/btfkit-lab}
# Parallel jobs for unpacking and host-side comparisons.
LAB_JOBS=${BTFKIT_LAB_JOBS:-2}

# Progress goes to stderr: stdout carries what a command answers (a path).
lab_say() { echo "lab: $*" >&2; }
lab_die() {
	echo "lab: error: $*" >&2
	exit 1
}

# Seconds since the epoch with a fraction, and a difference of two of them.
lab_now() { date +%s.%N; }
lab_secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

lab_need_tools() {
	local t missing=""
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
	done
	[ -z "$missing" ] || lab_die "missing tools:$missing (mk/deps.sh lab installs them)"
}

# One lab process at a time prepares the cache; a shared lock is enough to
# read it. The lock is held until the process exits.
lab_lock_cache() {
	mkdir -p "$LAB_CACHE" || lab_die "cannot create the cache $LAB_CACHE (set BTFKIT_LAB_CACHE)"
	exec 9>"$LAB_CACHE/lock"
	flock 9
}
