# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=bash
#
# The kernel builds of the lab: which Debian packages, fetched into the cache,
# verified, unpacked. Sourced by tests/lab/lab (needs common.sh first).
#
# Builds are named by role, not version, because the archive moves on:
#   6.1-new   the newest linux-image-6.1.0-NN-amd64-unsigned
#   6.1-old   the one before it (a second build of one generation: split-BTF mismatch)
#   6.12      the newest linux-image-6.12.*+deb12-amd64-unsigned
#
# Cache layout ($LAB_CACHE):
#   debs/PKG_VER_amd64.deb         as apt-get download wrote it
#   builds/KVER/                   one unpacked build (KVER: 6.1.0-56-amd64, ...)
#     vmlinuz config vmlinux vmlinux.btf lib/modules/KVER/ (plain .ko, modules.dep)
#     kallsyms available_filter_functions [available_filter_functions_addrs]
#     extracted captured           stamps (see lab_extract and lab_capture)
#   selection                      "ROLE KVER PACKAGE VERSION SHA256" per build

# apt-cache's record of a package's candidate version: "VERSION SHA256 FILENAME",
# nothing when the lists do not offer it.
lab_apt_record() {
	apt-cache show --no-all-versions "$1" 2>/dev/null | awk '
		/^Version: / { v = $2 } /^SHA256: / { s = $2 } /^Filename: / { f = $2 }
		END { if (v != "" && s != "") print v, s, f }'
}

# The package names the lists offer for a series, newest first.
lab_series_6_1() {
	apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$' 2>/dev/null |
		awk '{ print $1 }' | sort -t- -k4,4nr
}
lab_series_6_12() {
	apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' 2>/dev/null |
		awk '{ print $1 }' | sed 's/^linux-image-//' | sort -Vr | sed 's/^/linux-image-/'
}

# lab_discover: writes the selection lines for every role to stdout; fails
# when the lists do not offer enough builds.
lab_discover() {
	local pkgs61 pkg612 p rec n=0
	pkgs61=$(lab_series_6_1)
	pkg612=$(lab_series_6_12 | head -1)
	for p in $pkgs61; do
		rec=$(lab_apt_record "$p")
		[ -n "$rec" ] || continue
		n=$((n + 1))
		case $n in
		1) echo "6.1-new $(lab_kver "$p") $p $rec" ;;
		2) echo "6.1-old $(lab_kver "$p") $p $rec" ;;
		esac
		[ $n -lt 2 ] || break
	done
	[ $n -eq 2 ] || return 1
	[ -n "$pkg612" ] || return 1
	rec=$(lab_apt_record "$pkg612")
	[ -n "$rec" ] || return 1
	echo "6.12 $(lab_kver "$pkg612") $pkg612 $rec"
}

# linux-image-6.1.0-56-amd64-unsigned -> 6.1.0-56-amd64
lab_kver() {
	local k=${1#linux-image-}
	echo "${k%-unsigned}"
}

lab_apt_update() {
	lab_say "apt-get update (the package lists are missing or out of date)"
	apt-get update -qq >"$LAB_CACHE/apt-update.log" 2>&1 ||
		lab_die "apt-get update failed (network?): $(tail -3 "$LAB_CACHE/apt-update.log" | tr '\n' ' ')"
}

# Fills $LAB_CACHE/selection from the package lists, updating them first
# when asked ("update") or when they offer nothing.
lab_select() {
	local sel
	if [ "${1:-}" = update ] || [ "${BTFKIT_LAB_UPDATE:-0}" = 1 ] || ! sel=$(lab_discover); then
		lab_apt_update
		sel=$(lab_discover) ||
			lab_die "the Debian package lists offer no two linux-image-6.1.0-NN-amd64-unsigned and one linux-image-6.12.*+deb12-amd64-unsigned (is bookworm-security in the apt sources?)"
	fi
	echo "$sel" >"$LAB_CACHE/selection.tmp" && mv "$LAB_CACHE/selection.tmp" "$LAB_CACHE/selection"
}

lab_sha256() { sha256sum "$1" | cut -d' ' -f1; }

# lab_fetch PKG VERSION SHA256 FILENAME: the .deb in the cache, verified.
# A cached file is used when its checksum is apt's record; otherwise it is
# fetched again. Fails (with a message) when apt-get cannot fetch it or the
# fetched file does not match the record.
lab_fetch() {
	local pkg=$1 ver=$2 sha=$3 deb=$LAB_CACHE/debs/${4##*/}
	mkdir -p "$LAB_CACHE/debs"
	if [ -f "$deb" ] && [ "$(lab_sha256 "$deb")" = "$sha" ]; then
		return 0
	fi
	[ -f "$deb" ] && lab_say "$deb: checksum differs from apt's record, fetching it again"
	rm -f "$deb"
	lab_say "downloading $pkg $ver"
	# apt drops to the _apt user for downloads unless told otherwise; the
	# cache directory belongs to whoever runs the lab.
	if ! (cd "$LAB_CACHE/debs" && apt-get download -q -o APT::Sandbox::User="$(id -un)" "$pkg=$ver") \
		>"$LAB_CACHE/download.log" 2>&1; then
		lab_say "apt-get download $pkg=$ver failed (network or archive): $(grep -E '^(E|Err|W):' "$LAB_CACHE/download.log" | head -3 | tr '\n' ' ')"
		return 1
	fi
	if [ ! -f "$deb" ] || [ "$(lab_sha256 "$deb")" != "$sha" ]; then
		lab_say "$deb: missing or not matching apt's checksum after download"
		rm -f "$deb"
		return 1
	fi
}

lab_fetch_all() {
	local _role _kver pkg ver sha file
	while read -r _role _kver pkg ver sha file; do
		lab_fetch "$pkg" "$ver" "$sha" "$file" || return 1
	done <"$LAB_CACHE/selection"
}

# Writes the vmlinux ELF inside a bzImage to $2. The kernel's compressed
# payload starts at its compressor's magic; the first candidate that
# decompresses to an ELF file is the one.
lab_unpack_vmlinuz() {
	local vmlinuz=$1 out=$2 magic off tool
	for tool in xz zstd; do
		case $tool in
		xz) magic='\xfd\x37\x7a\x58\x5a\x00' ;;
		zstd) magic='\x28\xb5\x2f\xfd' ;;
		esac
		for off in $(LC_ALL=C grep -obUaP "$magic" "$vmlinuz" | cut -d: -f1 | head -20); do
			# The payload is followed by other bytes: xz stops after one
			# stream; zstd writes everything, then complains (ignored).
			case $tool in
			xz) tail -c +$((off + 1)) "$vmlinuz" | xz -dc --single-stream >"$out" 2>/dev/null ;;
			zstd) tail -c +$((off + 1)) "$vmlinuz" | zstd -dcq >"$out" 2>/dev/null ;;
			esac
			[ "$(head -c 4 "$out" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] && return 0
		done
	done
	rm -f "$out"
	return 1
}

# lab_extract KVER DEB SHA256: unpacks one build into builds/KVER unless the
# stamp says this very .deb was unpacked there and its files are intact.
lab_extract() {
	local kver=$1 deb=$2 sha=$3 dir=$LAB_CACHE/builds/$1 tmp n
	if lab_extracted_ok "$dir" "$sha"; then
		return 0
	fi
	lab_say "unpacking $kver"
	tmp=$LAB_CACHE/builds/.$kver.tmp
	rm -rf "$tmp" "$dir"
	mkdir -p "$tmp/pkg"
	dpkg-deb -x "$deb" "$tmp/pkg" || lab_die "dpkg-deb -x $deb failed"
	mv "$tmp/pkg/boot/vmlinuz-$kver" "$tmp/vmlinuz" &&
		mv "$tmp/pkg/boot/config-$kver" "$tmp/config" &&
		mkdir -p "$tmp/lib/modules" &&
		mv "$tmp/pkg/lib/modules/$kver" "$tmp/lib/modules/" ||
		lab_die "$deb: no boot/vmlinuz-$kver, boot/config-$kver or lib/modules/$kver"
	rm -rf "$tmp/pkg"
	lab_unpack_vmlinuz "$tmp/vmlinuz" "$tmp/vmlinux" ||
		lab_die "$kver: no xz or zstd payload in vmlinuz decompresses to an ELF file"
	objcopy --dump-section .BTF="$tmp/vmlinux.btf" "$tmp/vmlinux" "$tmp/vmlinux.objcopy" ||
		lab_die "$kver: the vmlinux has no .BTF section"
	rm -f "$tmp/vmlinux.objcopy"
	# Modules may be compressed (6.12: .ko.xz); everything that reads them
	# here (btfkit, bpftool, busybox insmod) wants plain ELF.
	find "$tmp/lib/modules" -name '*.ko.xz' -print0 | xargs -0r -n 200 -P "$LAB_JOBS" xz -d
	find "$tmp/lib/modules" -name '*.ko.zst' -print0 | xargs -0r -n 200 -P "$LAB_JOBS" zstd -dq --rm
	find "$tmp/lib/modules" -name '*.ko.gz' -print0 | xargs -0r -n 200 -P "$LAB_JOBS" gzip -d
	# Debian's package ships no modules.dep (its postinst runs depmod).
	depmod -b "$tmp" "$kver" || lab_die "depmod for $kver failed"
	n=$(find "$tmp/lib/modules" -name '*.ko' | wc -l)
	[ "$n" -gt 0 ] || lab_die "$kver: no modules"
	{
		echo "deb_sha256 $sha"
		echo "modules $n"
		(cd "$tmp" && sha256sum vmlinuz config vmlinux.btf)
	} >"$tmp/extracted.tmp"
	mv "$tmp/extracted.tmp" "$tmp/extracted"
	mv "$tmp" "$dir"
}

# The stamp names the .deb and the checksums of the files tests use most.
lab_extracted_ok() {
	local dir=$1 sha=$2
	[ -f "$dir/extracted" ] || return 1
	grep -qx "deb_sha256 $sha" "$dir/extracted" || return 1
	[ "$(find "$dir/lib/modules" -name '*.ko' | wc -l)" = "$(awk '$1 == "modules" { print $2 }' "$dir/extracted")" ] ||
		return 1
	grep -E '^[0-9a-f]{64}  ' "$dir/extracted" | (cd "$dir" && sha256sum --quiet -c -) >/dev/null 2>&1
}

# The build directory of a role or kernel version (KVER, or a role from the
# selection), preparing the cache first when needed.
lab_build_dir() {
	local want=$1 kver
	[ -f "$LAB_CACHE/selection" ] || lab_prepare
	kver=$(awk -v w="$want" '$1 == w || $2 == w { print $2; exit }' "$LAB_CACHE/selection")
	[ -n "$kver" ] || lab_die "no build '$want' (builds: $(awk '{ printf "%s%s", s, $1; s = ", " }' "$LAB_CACHE/selection"))"
	if [ ! -f "$LAB_CACHE/builds/$kver/captured" ]; then
		lab_prepare
	fi
	echo "$LAB_CACHE/builds/$kver"
}
