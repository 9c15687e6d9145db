#!/bin/sh
# Fuzz the BTF engine and the dumpers with libFuzzer for SECONDS (default 60).
#   fuzz/run.sh [SECONDS]
#
# Builds build/fuzz/fuzz_btf (fuzz/fuzz_btf.c + lib/*/*.c, clang with the
# fuzzer, ASan and UBSan), copies the committed seed corpus fuzz/corpus/ into a
# scratch corpus build/fuzz/work-fuzz_btf/ (a check run never changes
# fuzz/corpus/), and fuzzes; then the same for fuzz_split (fuzz/target.sh does
# both). Any crash, leak, timeout, out-of-memory or broken invariant fails the
# run (exit 1); the reproducer is left in build/fuzz/artifacts/. The last line
# is "N passed, N failed" for the two targets.
#
# Reproduce a finding:   build/fuzz/fuzz_btf build/fuzz/artifacts/crash-...
# After fixing it, keep the reproducer as a regression seed:
#                        cp build/fuzz/artifacts/crash-... fuzz/corpus/regress-NAME
# Refresh the committed corpus by hand (after a longer run, keeps only the
# inputs that add coverage; check its size stays under ~200 KB):
#   FUZZ_KEEP=1 fuzz/run.sh 600
#   mkdir build/fuzz/min && build/fuzz/fuzz_btf -merge=1 -max_len=65536 \
#       build/fuzz/min fuzz/corpus build/fuzz/work-fuzz_btf
#   rm fuzz/corpus/* && cp build/fuzz/min/* fuzz/corpus/ && du -sh fuzz/corpus
# (fuzz/README.md says where the seeds come from; regression seeds must stay).
set -u

cd "$(dirname "$0")/.." || exit 1
. fuzz/target.sh
secs=${1:-60}
out=build/fuzz
fuzz_find_cc || { echo "0 passed, 1 failed"; exit 1; }
rm -rf "$out/artifacts"
fuzz_target fuzz_btf "$secs" 65536 fuzz/corpus "$out" || { echo "0 passed, 1 failed"; exit 1; }

# The split-BTF target (fuzz/fuzz_split.c): modules judged, relocated and
# distilled against the two small bases in fuzz/split/; seeds in
# fuzz/corpus-split/. FUZZ_SPLIT_SECONDS (default: a third of SECONDS).
ssecs=${FUZZ_SPLIT_SECONDS:-$((secs / 3 > 10 ? secs / 3 : 10))}
fuzz_target fuzz_split "$ssecs" 65536 fuzz/corpus-split "$out" || { echo "1 passed, 1 failed"; exit 1; }
echo "2 passed, 0 failed"
exit 0
