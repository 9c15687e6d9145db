#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# cmp-split.sh BTFKIT BPFTOOL BASE FILE...: for each FILE (a module .ko with
# split BTF), compares `btfkit dump --base BASE FILE` with
# `bpftool btf dump file FILE -B BASE` and prints one line:
#   same FILE | differ FILE | refused FILE (both failed) |
#   btfkit-refused FILE | bpftool-refused FILE
# Run in parallel by xargs; the verdicts are added up by the caller.
set -u
btfkit=$1 bpftool=$2 base=$3
shift 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in "$@"; do
	"$bpftool" btf dump file "$f" -B "$base" >"$tmp/a" 2>/dev/null
	a=$?
	"$btfkit" dump --base "$base" "$f" >"$tmp/b" 2>/dev/null
	b=$?
	if [ $a -ne 0 ] && [ $b -ne 0 ]; then
		echo "refused $f"
	elif [ $a -ne 0 ]; then
		echo "bpftool-refused $f"
	elif [ $b -ne 0 ]; then
		echo "btfkit-refused $f"
	elif cmp -s "$tmp/a" "$tmp/b"; then
		echo "same $f"
	else
		echo "differ $f"
	fi
done
