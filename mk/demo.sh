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

echo
echo "== does this kernel accept its own BTF? (the kernel's checks, modelled)"
"$B/btfkit" validate "$BTF" || true

echo
echo "== which function will a tracing program really run on? every FUNC of the kernel, classified"
"$B/btfkit" census 2>"$tmp/census.err" | sed 's/^/   /'
sed 's/^/   /' "$tmp/census.err"
# One example of each unsafe verdict this kernel has, explained by the resolver.
"$B/btfkit" census --json 2>/dev/null >"$tmp/census.json" || true
for v in ambiguous renamed missing cross-module; do
	name=$(jq -r --arg v "$v" '[.functions[] | select(.verdict == $v)][0].target // empty' \
		"$tmp/census.json" 2>/dev/null || true)
	[ -n "$name" ] || continue
	echo
	echo "== btfkit resolve $name   (a '$v' function)"
	"$B/btfkit" resolve "$name" 2>&1 | sed 's/^/   /' || true
done

echo
echo "== a function everyone traces"
"$B/btfkit" resolve do_sys_openat2 2>&1 | sed 's/^/   /' || true

mods=$(ls /sys/kernel/btf 2>/dev/null | grep -vx vmlinux | head -n 5 | sed 's|^|/sys/kernel/btf/|' || true)
if [ -n "$mods" ]; then
	echo
	echo "== loaded modules' split BTF on this kernel's vmlinux BTF (btfkit check-module)"
	# shellcheck disable=SC2086
	"$B/btfkit" check-module $mods 2>&1 | sed 's/^/   /' || true
fi

if [ "$(id -u)" -eq 0 ]; then
	echo
	echo "== what this kernel does with freplace + tail calls (btfkit probe)"
	"$B/btfkit" probe 2>&1 | sed 's/^/   /' || true
fi
