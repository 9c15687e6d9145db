#!/bin/sh
# Install the Debian 12 packages a target needs, only those missing.
#   mk/deps.sh build|check|bench|demo|lab
# Needs root (or sudo) only when something is missing.
set -eu

build="gcc make pkg-config libelf-dev zlib1g-dev liblzma-dev libzstd-dev"
check="$build clang llvm libclang-rt-14-dev libcmocka-dev dwarves bpftool libbpf-dev python3 jq binutils"
bench="$build libbpf-dev bpftool"
demo="$build bpftool jq"
# The kernel lab (tests/lab/): QEMU, a busybox initramfs, Debian's kernel packages unpacked.
lab="$build binutils bpftool qemu-system-x86 busybox-static cpio kmod xz-utils zstd"

case "${1:-build}" in
build) want=$build ;;
check) want="$check $lab" ;;
bench) want="$bench $check" ;;
demo) want=$demo ;;
lab) want=$lab ;;
*) echo "mk/deps.sh: unknown set '$1'" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "Installing missing Debian packages:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
