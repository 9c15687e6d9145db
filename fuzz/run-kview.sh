#!/bin/sh
# Fuzz the kernel view's text parsers (kallsyms, System.map, ftrace lists)
# with libFuzzer for SECONDS (default 30): fuzz/fuzz_kview.c, clang with the
# fuzzer, ASan and UBSan, seeded from fuzz/corpus-kview/. Any crash, leak,
# timeout or broken invariant fails the run (fuzz/target.sh); the reproducer is
# left in build/fuzz-kview/artifacts/. The last line is "N passed, N failed".
set -u

cd "$(dirname "$0")/.." || exit 1
. fuzz/target.sh
secs=${1:-30}
out=build/fuzz-kview
fuzz_find_cc || { echo "0 passed, 1 failed"; exit 1; }
rm -rf "$out/artifacts"
fuzz_target fuzz_kview "$secs" 16384 fuzz/corpus-kview "$out" || { echo "0 passed, 1 failed"; exit 1; }
echo "1 passed, 0 failed"
exit 0
