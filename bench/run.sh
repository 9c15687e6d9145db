#!/bin/sh
# Measure btfkit against libbpf and bpftool on this machine's kernel BTF.
#   bench/run.sh BUILD_DIR          (make bench runs it with BUILD_DIR=build)
# Needs BUILD_DIR/libbtfkit.a and BUILD_DIR/btfkit, libbpf-dev, bpftool.
# Environment: BENCH_RUNS (dump runs per tool, default 20), BENCH_OPEN_ITERS
# (open+index iterations, default 30), BENCH_SAMPLE (libbpf lookups, default 300),
# BENCH_BTF (the BTF file, default /sys/kernel/btf/vmlinux).
# Prints one line per ratio with its target and PASS or MISS. A MISS is a
# result, not an error: the exit status is 0 unless something could not be
# measured or the tools disagree on what they found.
# What is measured and how: docs/PERFORMANCE.md.
set -eu

[ $# -eq 1 ] || { echo "usage: bench/run.sh BUILD_DIR" >&2; exit 2; }
B=$1
cd "$(dirname "$0")/.."
runs=${BENCH_RUNS:-20}
iters=${BENCH_OPEN_ITERS:-30}
sample=${BENCH_SAMPLE:-300}
src=${BENCH_BTF:-/sys/kernel/btf/vmlinux}
BPFTOOL=${BPFTOOL:-$(command -v bpftool || echo /usr/sbin/bpftool)}
CC=${CC:-gcc}

for f in "$B/libbtfkit.a" "$B/btfkit"; do
	[ -f "$f" ] || { echo "bench/run.sh: $f missing (run make first)" >&2; exit 1; }
done
[ -r "$src" ] || { echo "bench/run.sh: cannot read $src" >&2; exit 1; }
[ -x "$BPFTOOL" ] || { echo "bench/run.sh: bpftool not found" >&2; exit 1; }

mkdir -p "$B/bench"
$CC -std=gnu11 -O2 -g -Wall -Wextra -Iinclude -o "$B/bench/bench_btf" bench/bench_btf.c \
	"$B/libbtfkit.a" -lbpf -lelf -llzma -lzstd -lz
# Static when possible: the runner's own pages count in each child's peak RSS.
$CC -std=gnu11 -O2 -Wall -Wextra -static -o "$B/bench/runcmp" bench/runcmp.c 2>/dev/null ||
	$CC -std=gnu11 -O2 -Wall -Wextra -o "$B/bench/runcmp" bench/runcmp.c

# A regular file: sysfs files cannot be mapped, and both tools should read the same way.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cp "$src" "$tmp/vmlinux.btf"
F=$tmp/vmlinux.btf

echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), kernel $(uname -r)"
echo "file: $src, $(wc -c <"$F") bytes"
echo "bpftool: $("$BPFTOOL" version | head -1)"

# The comparison is only fair if the outputs are the same.
"$B/btfkit" dump "$F" >"$tmp/k.txt"
"$BPFTOOL" btf dump file "$F" >"$tmp/b.txt"
"$B/btfkit" dump -j "$F" >"$tmp/k.json"
"$BPFTOOL" -j btf dump file "$F" >"$tmp/b.json"
same_raw=yes; cmp -s "$tmp/k.txt" "$tmp/b.txt" || same_raw=no
same_json=yes; cmp -s "$tmp/k.json" "$tmp/b.json" || same_json=no
"$B/btfkit" dump --format c "$F" >"$tmp/k.h"
"$BPFTOOL" btf dump file "$F" format c >"$tmp/b.h"
same_c=yes; cmp -s "$tmp/k.h" "$tmp/b.h" || same_c=no
echo "outputs identical: raw $same_raw, json $same_json, c $same_c"
rm -f "$tmp/k.txt" "$tmp/b.txt" "$tmp/k.json" "$tmp/b.json" "$tmp/k.h" "$tmp/b.h"

echo "--- in-process: btfkit vs libbpf ($iters open iterations, $sample libbpf lookups)"
"$B/bench/bench_btf" "$F" "$iters" "$sample" >"$tmp/inproc" || {
	cat "$tmp/inproc"; echo "bench/run.sh: bench_btf failed" >&2; exit 1; }
cat "$tmp/inproc"
val() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }

echo "--- validation: btfkit_validate_mem() vs the kernel's BPF_BTF_LOAD ($iters iterations, medians)"
$CC -std=gnu11 -O2 -g -Wall -Wextra -Iinclude -o "$B/bench/bench_validate" bench/bench_validate.c \
	"$B/libbtfkit.a" -lelf -llzma -lzstd -lz -pthread
vrc=0
"$B/bench/bench_validate" "$F" "$iters" >"$tmp/validate" || vrc=$?
cat "$tmp/validate"
if [ $vrc -ne 0 ] && [ $vrc -ne 77 ]; then
	echo "bench/run.sh: bench_validate failed" >&2; exit 1
fi

echo "--- split BTF: every module of the lab's Debian 6.1 build checked on its base vs libbpf parsing them"
srounds=${BENCH_SPLIT_ROUNDS:-5}
src_rc=1
sbase=$(tests/lab/lab path --build 6.1-new vmlinux-btf 2>/dev/null || true)
smods=$(tests/lab/lab path --build 6.1-new modules 2>/dev/null || true)
if [ -n "$sbase" ] && [ -d "$smods" ]; then
	$CC -std=gnu11 -O2 -g -Wall -Wextra -Iinclude -o "$B/bench/bench_split" bench/bench_split.c \
		"$B/libbtfkit.a" -lbpf -lelf -llzma -lzstd -lz -pthread
	find "$smods" -name '*.ko' | sort >"$tmp/modules"
	src_rc=0
	"$B/bench/bench_split" "$sbase" "$tmp/modules" "$srounds" >"$tmp/split" || src_rc=$?
	cat "$tmp/split"
	[ $src_rc -eq 0 ] || { echo "bench/run.sh: bench_split failed" >&2; exit 1; }
	# The issue's measure: one command checking every module, against one
	# libbpf process parsing them, as whole processes (interleaved, medians).
	# The command judges modules on every CPU; the in-process rounds above are
	# one thread each.
	"$B/bench/runcmp" "$runs" "$B/btfkit" check-module --base "$sbase" $(cat "$tmp/modules") \
		--vs "$B/bench/bench_split" --parse "$sbase" $(cat "$tmp/modules") >"$tmp/splitcmd"
	set -- $(cat "$tmp/splitcmd")
	printf 'check-module command: btfkit %7.2f ms (CPU %7.2f ms)   libbpf parse process %7.2f ms (CPU %7.2f ms)\n' \
		"$2" "${10}" "$6" "${12}"
else
	echo "(the kernel lab's 6.1 build is not in its cache: not measured)"
fi

echo "--- dumps: $runs runs each, interleaved, medians"
"$B/bench/runcmp" 5 /bin/true --vs /bin/true >"$tmp/floor"
"$B/bench/runcmp" "$runs" "$B/btfkit" dump "$F" --vs "$BPFTOOL" btf dump file "$F" >"$tmp/raw"
"$B/bench/runcmp" "$runs" "$B/btfkit" dump -j "$F" --vs "$BPFTOOL" -j btf dump file "$F" >"$tmp/json"
"$B/bench/runcmp" "$runs" "$B/btfkit" dump --format c "$F" --vs "$BPFTOOL" btf dump file "$F" format c >"$tmp/c"
for k in raw json c; do
	set -- $(cat "$tmp/$k")
	printf '%-4s btfkit %7.2f ms %8.0f KiB   bpftool %7.2f ms %8.0f KiB\n' "$k" "$2" "$4" "$6" "$8"
done
set -- $(cat "$tmp/floor")
echo "(peak RSS of /bin/true under the same runner: $4 KiB)"

# The live census (vmlinux, loaded modules, kallsyms, tracefs when readable)
# against the bare reading of /proc/kallsyms it cannot do without.
census_ok=no
if [ -r /proc/kallsyms ] && "$B/btfkit" census >"$tmp/census.txt" 2>/dev/null; then
	census_ok=yes
	echo "--- live census vs cat /proc/kallsyms: $runs runs each, interleaved, medians"
	head -1 "$tmp/census.txt"
	# (stderr: the census notes what this machine hides, e.g. tracefs)
	"$B/bench/runcmp" "$runs" "$B/btfkit" census --vs cat /proc/kallsyms >"$tmp/census" 2>/dev/null
	set -- $(cat "$tmp/census")
	printf 'census btfkit %7.2f ms %8.0f KiB   cat /proc/kallsyms %7.2f ms\n' "$2" "$4" "$6"
fi

# ratio LABEL VALUE TARGET le|ge: one line, PASS or MISS.
ratio() {
	awk -v l="$1" -v v="$2" -v t="$3" -v op="$4" 'BEGIN {
		ok = (op == "le") ? (v <= t) : (v >= t)
		fmt = (v >= 100) ? "%.0f" : "%.2f"
		printf "ratio %s: " fmt " (target %s %s) %s\n", l, v, (op == "le" ? "<=" : ">="), t, ok ? "PASS" : "MISS"
	}'
}
echo "--- ratios"
ratio "open+index btfkit/libbpf" \
	"$(awk -v a="$(val open_btfkit_ns "$tmp/inproc")" -v b="$(val open_libbpf_ns "$tmp/inproc")" 'BEGIN { print a / b }')" 0.25 le
ratio "find FUNC speedup libbpf/btfkit" \
	"$(awk -v a="$(val find_libbpf_ns_per_lookup "$tmp/inproc")" -v b="$(val find_btfkit_ns_per_lookup "$tmp/inproc")" 'BEGIN { print a / b }')" 1000 ge
for k in raw json; do
	set -- $(cat "$tmp/$k")
	ratio "$k dump time btfkit/bpftool" "$(awk -v a="$2" -v b="$6" 'BEGIN { print a / b }')" 0.33 le
	ratio "$k dump peak RSS btfkit/bpftool" "$(awk -v a="$4" -v b="$8" 'BEGIN { print a / b }')" 0.25 le
done
if [ $vrc -eq 0 ]; then
	ratio "validate time btfkit/kernel" \
		"$(awk -v a="$(val validate_btfkit_ns "$tmp/validate")" -v b="$(val validate_kernel_ns "$tmp/validate")" 'BEGIN { print a / b }')" 0.2 le
else
	echo "ratio validate time btfkit/kernel: not measured (BPF_BTF_LOAD needs root)"
fi
if [ $src_rc -eq 0 ]; then
	set -- $(cat "$tmp/splitcmd")
	ratio "split check-module command wall btfkit/libbpf parse" "$(awk -v a="$2" -v b="$6" 'BEGIN { print a / b }')" 1 le
	# Not the target, said beside it: the CPU each side spends, command and one thread in process.
	awk -v a="${10}" -v b="${12}" 'BEGIN { printf "(split check-module command CPU btfkit/libbpf parse: %.2f)\n", a / b }'
	awk -v a="$(val check_btfkit_cpu_ns "$tmp/split")" -v b="$(val parse_libbpf_cpu_ns "$tmp/split")" \
		'BEGIN { printf "(split check every module in process, one thread, CPU btfkit/libbpf parse: %.2f)\n", a / b }'
else
	echo "ratio split check every module btfkit/libbpf parse: not measured (no lab cache)"
fi
set -- $(cat "$tmp/c")
ratio "c dump time btfkit/bpftool" "$(awk -v a="$2" -v b="$6" 'BEGIN { print a / b }')" 0.5 le
if [ $census_ok = yes ]; then
	set -- $(cat "$tmp/census")
	ratio "live census time btfkit/cat kallsyms" "$(awk -v a="$2" -v b="$6" 'BEGIN { print a / b }')" 1.5 le
else
	echo "ratio live census time btfkit/cat kallsyms: not measured (no readable /proc/kallsyms or /sys/kernel/btf)"
fi
if [ "$same_raw$same_json$same_c" != yesyesyes ]; then
	echo "bench/run.sh: btfkit's dump differs from bpftool's: the comparison is not fair" >&2
	exit 1
fi
exit 0
