#!/bin/sh
# Fuzz the BTF engine and the dumpers with libFuzzer for SECONDS (default 60).
#   fuzz/run.sh [SECONDS]
#
# Builds build/fuzz/fuzz_btf (fuzz/fuzz_btf.c + lib/*/*.c, clang with the
# fuzzer, ASan and UBSan), copies the committed seed corpus fuzz/corpus/ into a
# scratch corpus build/fuzz/work/ (a check run never changes fuzz/corpus/), and
# fuzzes. Any crash, leak, timeout, out-of-memory or broken invariant fails the
# run (exit 1); the reproducer is left in build/fuzz/artifacts/. The last line
# is "N passed, N failed" for the one fuzz run.
#
# Reproduce a finding:   build/fuzz/fuzz_btf build/fuzz/artifacts/crash-...
# After fixing it, keep the reproducer as a regression seed:
#                        cp build/fuzz/artifacts/crash-... fuzz/corpus/regress-NAME
# Refresh the committed corpus by hand (after a longer run, keeps only the
# inputs that add coverage; check its size stays under ~200 KB):
#   FUZZ_KEEP=1 fuzz/run.sh 600
#   mkdir build/fuzz/min && build/fuzz/fuzz_btf -merge=1 -max_len=65536 \
#       build/fuzz/min fuzz/corpus build/fuzz/work
#   rm fuzz/corpus/* && cp build/fuzz/min/* fuzz/corpus/ && du -sh fuzz/corpus
# (fuzz/README.md says where the seeds come from; regression seeds must stay).
set -u

cd "$(dirname "$0")/.." || exit 1
secs=${1:-60}
out=build/fuzz
CC_FUZZ=${CC_FUZZ:-}
if [ -z "$CC_FUZZ" ]; then
	for c in clang-14 clang; do
		command -v "$c" >/dev/null 2>&1 && { CC_FUZZ=$c; break; }
	done
fi
if [ -z "$CC_FUZZ" ]; then
	echo "fuzz/run.sh: clang not found (apt-get install clang libclang-rt-14-dev)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

mkdir -p "$out"
# shellcheck disable=SC2046
if ! "$CC_FUZZ" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Iinclude \
	-o "$out/fuzz_btf" fuzz/fuzz_btf.c $(ls lib/*/*.c) -lelf -llzma -lzstd -lz; then
	echo "fuzz/run.sh: build failed" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

# A fresh scratch corpus each run, seeded from the committed one.
rm -rf "$out/work" "$out/artifacts"
mkdir -p "$out/work" "$out/artifacts"
cp fuzz/corpus/* "$out/work/" 2>/dev/null || true

log="$out/fuzz.log"
echo "fuzz: ${secs}s on $(ls "$out/work" | wc -l) seeds, log in $log"
# detect_leaks: a leak fails the run like a crash does.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
"$out/fuzz_btf" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
	-print_final_stats=1 -artifact_prefix="$out/artifacts/" "$out/work" >"$log" 2>&1
rc=$?

grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|^#[0-9]+[[:space:]]+DONE' "$log" | sed 's/^/  /'
if [ $rc -ne 0 ] || ls "$out/artifacts/" | grep -q .; then
	echo "fuzz: FAILED (exit $rc); reproducer(s):" >&2
	ls "$out/artifacts/" | sed "s|^|  $out/artifacts/|" >&2
	# The report: the sanitizer's or the invariant's message and the stack.
	grep -E -A40 '^(==[0-9]+==ERROR|.*runtime error|fuzz_btf: invariant|ALARM|==[0-9]+== ERROR)' "$log" |
		head -60 >&2
	echo "0 passed, 1 failed"
	exit 1
fi
[ "${FUZZ_KEEP:-0}" = 1 ] || rm -rf "$out/work"

# The split-BTF target (fuzz/fuzz_split.c): modules judged, relocated and
# distilled against the two small bases in fuzz/split/; seeds in
# fuzz/corpus-split/. FUZZ_SPLIT_SECONDS (default: a third of SECONDS).
ssecs=${FUZZ_SPLIT_SECONDS:-$((secs / 3 > 10 ? secs / 3 : 10))}
# shellcheck disable=SC2046
if ! "$CC_FUZZ" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Iinclude \
	-o "$out/fuzz_split" fuzz/fuzz_split.c $(ls lib/*/*.c) -lelf -llzma -lzstd -lz -pthread; then
	echo "fuzz/run.sh: build of fuzz_split failed" >&2
	echo "1 passed, 1 failed"
	exit 1
fi
rm -rf "$out/work-split"
mkdir -p "$out/work-split"
cp fuzz/corpus-split/* "$out/work-split/"
slog="$out/fuzz_split.log"
echo "fuzz_split: ${ssecs}s on $(ls "$out/work-split" | wc -l) seeds, log in $slog"
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
"$out/fuzz_split" -max_total_time="$ssecs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
	-print_final_stats=1 -artifact_prefix="$out/artifacts/" "$out/work-split" >"$slog" 2>&1
rc=$?
grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|^#[0-9]+[[:space:]]+DONE' "$slog" | sed 's/^/  /'
if [ $rc -ne 0 ] || ls "$out/artifacts/" | grep -q .; then
	echo "fuzz_split: FAILED (exit $rc); reproducer(s):" >&2
	ls "$out/artifacts/" | sed "s|^|  $out/artifacts/|" >&2
	grep -E -A40 '^(==[0-9]+==ERROR|.*runtime error|fuzz_split: invariant|ALARM|==[0-9]+== ERROR)' "$slog" |
		head -60 >&2
	echo "1 passed, 1 failed"
	exit 1
fi
[ "${FUZZ_KEEP:-0}" = 1 ] || rm -rf "$out/work-split"
echo "2 passed, 0 failed"
exit 0
