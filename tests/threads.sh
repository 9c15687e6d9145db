#!/bin/sh
# The library's threads under ThreadSanitizer:
#   tests/threads.sh TSAN_BUILD_DIR PLAIN_BUILD_DIR
# (make threads builds the first with -fsanitize=thread). Each step must
# report nothing and give the same output as the plain build:
#   - a deferred name index that threads race to build (test_btf_open);
#   - validation of the running kernel's BTF (its second thread), and its
#     name index, built on two threads at open (resolve);
#   - check-module's pool, on a sample of the kernel lab's modules moved
#     onto a newer base (relocation looks the deferred base up by name).
# Prints "N passed, N failed"; exit 1 on any failure.
set -u
[ $# -eq 2 ] || { echo "usage: $0 TSAN_BUILD_DIR PLAIN_BUILD_DIR" >&2; exit 2; }
T=$1
P=$2
cd "$(dirname "$0")/.."
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}"

step() { # NAME: the step's result from $rc and the files a (tsan) and b (plain)
	if [ "$rc" -ne 0 ] || ! cmp -s "$tmp/a" "$tmp/b"; then
		failed=$((failed + 1))
		echo "FAIL $1 (exit $rc)"
		sed 's/^/    /' "$tmp/a.err" | head -40
		diff "$tmp/b" "$tmp/a" | sed 's/^/    /' | head -20
	else
		passed=$((passed + 1))
		echo "PASS $1"
	fi
}

rc=0
BTFKIT_TEST_ONLY=test_defer_names_threads "$T/tests/test_btf_open" >"$tmp/a.err" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || grep -q '^1 passed, 0 failed' "$tmp/a.err" || rc=1
: >"$tmp/a"
: >"$tmp/b"
step "a deferred name index that four threads race to build (test_btf_open)"

if [ -r /sys/kernel/btf/vmlinux ]; then
	cp /sys/kernel/btf/vmlinux "$tmp/vmlinux.btf"
	rc=0
	"$T/btfkit" validate "$tmp/vmlinux.btf" >"$tmp/a" 2>"$tmp/a.err" || rc=$?
	"$P/btfkit" validate "$tmp/vmlinux.btf" >"$tmp/b" 2>/dev/null
	step "validate the running kernel's BTF"
	# Opens vmlinux with its name index built on two threads.
	rc=0
	"$T/btfkit" resolve vfs_read >"$tmp/a" 2>"$tmp/a.err" || rc=$?
	"$P/btfkit" resolve vfs_read >"$tmp/b" 2>/dev/null
	step "resolve vfs_read (the running kernel's BTF, indexed on two threads)"
fi

# Only from the lab's cache as it is: asking `lab path` for a build that is
# not there would prepare it (downloads, QEMU boots).
cache=${BTFKIT_LAB_CACHE:-/var/cache/btfkit-lab}
captured() {
	kver=$(awk -v w="$1" '$1 == w { print $2; exit }' "$cache/selection" 2>/dev/null)
	[ -n "$kver" ] && [ -f "$cache/builds/$kver/captured" ]
}
new= old= mods=
if captured 6.1-new && captured 6.1-old; then
	new=$(tests/lab/lab path --build 6.1-new vmlinux-btf 2>/dev/null || true)
	old=$(tests/lab/lab path --build 6.1-old vmlinux-btf 2>/dev/null || true)
	mods=$(tests/lab/lab path --build 6.1-old modules 2>/dev/null || true)
fi
if [ -n "$new" ] && [ -n "$old" ] && [ -d "$mods" ]; then
	find "$mods" -name '*.ko' | sort | awk 'NR % 50 == 1' >"$tmp/mods"
	for jobs in 2 8; do
		rc=0
		"$T/btfkit" check-module --base "$new" --orig-base "$old" --jobs $jobs \
			$(cat "$tmp/mods") >"$tmp/a" 2>"$tmp/a.err" || rc=$?
		"$P/btfkit" check-module --base "$new" --orig-base "$old" --jobs $jobs \
			$(cat "$tmp/mods") >"$tmp/b" 2>/dev/null
		step "check-module --jobs $jobs, $(wc -l <"$tmp/mods") modules relocated onto a newer base"
	done
else
	echo "(the kernel lab's 6.1 builds are not in its cache: check-module not run)"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
