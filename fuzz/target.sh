# shellcheck shell=sh
# Sourced by fuzz/run.sh and fuzz/run-kview.sh (from the repository's top):
# one libFuzzer target built and run.

# fuzz_find_cc: sets CC_FUZZ (clang-14 or clang, unless already set), or returns 1.
fuzz_find_cc() {
	CC_FUZZ=${CC_FUZZ:-}
	if [ -z "$CC_FUZZ" ]; then
		for c in clang-14 clang; do
			command -v "$c" >/dev/null 2>&1 && { CC_FUZZ=$c; break; }
		done
	fi
	if [ -z "$CC_FUZZ" ]; then
		echo "fuzz: clang not found (apt-get install clang libclang-rt-14-dev)" >&2
		return 1
	fi
}

# fuzz_target NAME SECONDS MAX_LEN CORPUS OUT
#   Builds OUT/NAME from fuzz/NAME.c and every lib/*/*.c (clang with the
#   fuzzer, ASan and UBSan) and fuzzes it for SECONDS from a scratch copy of
#   CORPUS, OUT/work-NAME (a check run never changes CORPUS; FUZZ_KEEP=1 keeps
#   the scratch copy). Returns 1 on a failed build or on any crash, leak,
#   timeout, out-of-memory or broken invariant: the reproducer is left in
#   OUT/artifacts/, the report goes to stderr, the whole log is OUT/NAME.log.
fuzz_target() {
	ft_name=$1 ft_secs=$2 ft_maxlen=$3 ft_corpus=$4 ft_out=$5
	ft_work=$ft_out/work-$ft_name
	ft_log=$ft_out/$ft_name.log

	mkdir -p "$ft_out/artifacts"
	# shellcheck disable=SC2046
	if ! "$CC_FUZZ" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Iinclude \
		-o "$ft_out/$ft_name" "fuzz/$ft_name.c" $(ls lib/*/*.c) \
		-lelf -llzma -lzstd -lz -pthread; then
		echo "$ft_name: build failed" >&2
		return 1
	fi
	rm -rf "$ft_work"
	mkdir -p "$ft_work"
	cp "$ft_corpus"/* "$ft_work/" 2>/dev/null || true
	echo "$ft_name: ${ft_secs}s on $(ls "$ft_work" | wc -l) seeds, log in $ft_log"
	# detect_leaks: a leak fails the run like a crash does.
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	"$ft_out/$ft_name" -max_total_time="$ft_secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len="$ft_maxlen" -print_final_stats=1 -artifact_prefix="$ft_out/artifacts/" \
		"$ft_work" >"$ft_log" 2>&1
	ft_rc=$?
	grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|^#[0-9]+[[:space:]]+DONE' "$ft_log" |
		sed 's/^/  /'
	if [ $ft_rc -ne 0 ] || ls "$ft_out/artifacts/" | grep -q .; then
		echo "$ft_name: FAILED (exit $ft_rc); reproducer(s):" >&2
		ls "$ft_out/artifacts/" | sed "s|^|  $ft_out/artifacts/|" >&2
		# The report: the sanitizer's or the invariant's message and the stack.
		grep -E -A40 "^(==[0-9]+==ERROR|.*runtime error|$ft_name: invariant|ALARM|==[0-9]+== ERROR)" \
			"$ft_log" | head -60 >&2
		return 1
	fi
	[ "${FUZZ_KEEP:-0}" = 1 ] || rm -rf "$ft_work"
	return 0
}
