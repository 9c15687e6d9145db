#!/bin/sh
# make demo: btfkit on the running kernel, side by side with bpftool.
set -eu
B=${1:-build}
BTF=/sys/kernel/btf/vmlinux
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -r "$BTF" ]; then
	echo "This kernel has no readable $BTF (CONFIG_DEBUG_INFO_BTF off, or no permission)."
	exit 1
fi
echo "== btfkit $("$B/btfkit" --version | cut -d' ' -f2) on $(uname -r): $BTF ($(stat -c %s "$BTF") bytes)"
echo
echo "== the first types, as bpftool prints them"
"$B/btfkit" dump | head -n 8
echo
t0=$(date +%s%N)
"$B/btfkit" dump > "$tmp/btfkit.txt"
t1=$(date +%s%N)
"$B/btfkit" dump --format json > "$tmp/btfkit.json"
t2=$(date +%s%N)
echo "== $(grep -c '^\[' "$tmp/btfkit.txt") types; raw dump $(( (t1 - t0) / 1000000 )) ms, JSON $(( (t2 - t1) / 1000000 )) ms"
if command -v bpftool >/dev/null 2>&1; then
	t0=$(date +%s%N)
	bpftool btf dump file "$BTF" > "$tmp/bpftool.txt"
	t1=$(date +%s%N)
	bpftool -j btf dump file "$BTF" > "$tmp/bpftool.json"
	t2=$(date +%s%N)
	echo "   bpftool: raw dump $(( (t1 - t0) / 1000000 )) ms, JSON $(( (t2 - t1) / 1000000 )) ms"
	for f in txt json; do
		if cmp -s "$tmp/btfkit.$f" "$tmp/bpftool.$f"; then
			echo "   $f output identical to bpftool's ($(wc -c < "$tmp/btfkit.$f") bytes)"
		else
			echo "   $f output DIFFERS from bpftool's:"
			diff "$tmp/bpftool.$f" "$tmp/btfkit.$f" | head -n 5
			exit 1
		fi
	done
fi
echo
echo "== a struct everyone knows"
grep -A 4 "STRUCT 'list_head'" "$tmp/btfkit.txt" | head -n 3
