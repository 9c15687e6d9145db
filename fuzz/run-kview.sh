#!/bin/sh
# Fuzz the kernel view's text parsers (kallsyms, System.map, ftrace lists)
# with libFuzzer for SECONDS (default 30): fuzz/fuzz_kview.c, clang with the
# fuzzer, ASan and UBSan, seeded from fuzz/corpus-kview/. Any crash, leak,
# timeout or broken invariant fails the run; the reproducer is left in
# build/fuzz-kview/artifacts/. The last line is "N passed, N failed".
set -u

cd "$(dirname "$0")/.." || exit 1
secs=${1:-30}
out=build/fuzz-kview
CC_FUZZ=${CC_FUZZ:-}
if [ -z "$CC_FUZZ" ]; then
	for c in clang-14 clang; do
		command -v "$c" >/dev/null 2>&1 && { CC_FUZZ=$c; break; }
	done
fi
if [ -z "$CC_FUZZ" ]; then
	echo "fuzz/run-kview.sh: clang not found" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
mkdir -p "$out"
# shellcheck disable=SC2046
if ! "$CC_FUZZ" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Iinclude \
	-o "$out/fuzz_kview" fuzz/fuzz_kview.c $(ls lib/*/*.c) -lelf -llzma -lzstd -lz -pthread; then
	echo "fuzz/run-kview.sh: build failed" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
rm -rf "$out/work" "$out/artifacts"
mkdir -p "$out/work" "$out/artifacts"
cp fuzz/corpus-kview/* "$out/work/" 2>/dev/null || true
log="$out/fuzz.log"
echo "fuzz kview: ${secs}s on $(ls "$out/work" | wc -l) seeds, log in $log"
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
"$out/fuzz_kview" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
	-print_final_stats=1 -artifact_prefix="$out/artifacts/" "$out/work" >"$log" 2>&1
rc=$?
grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)' "$log" | sed 's/^/  /'
if [ $rc -ne 0 ] || ls "$out/artifacts/" | grep -q .; then
	echo "fuzz kview: FAILED (exit $rc); reproducer(s):" >&2
	ls "$out/artifacts/" | sed "s|^|  $out/artifacts/|" >&2
	grep -E -A40 '^(==[0-9]+==ERROR|.*runtime error|fuzz_kview: invariant|ALARM)' "$log" | head -60 >&2
	echo "0 passed, 1 failed"
	exit 1
fi
rm -rf "$out/work"
echo "1 passed, 0 failed"
exit 0
