# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=bash
#
# Booting one build: the initramfs (busybox-static, init.sh, the test
# programs, the modules with their dependencies), QEMU with a hard timeout,
# and the verdict read from the serial console. Sourced by tests/lab/lab.
#
# lab_vm reads its settings from these variables:
#   VM_MODULES   module names, comma-separated (dependencies are added)
#   VM_PROGS     array: test programs (static executables or /bin/sh scripts), run in order
#   VM_CMDS      array: command lines run as tests after the programs (sh -c)
#   VM_FILES     array: more files for /lab/bin, SRC or SRC:NAME
#   VM_OUT       directory for what the tests leave in $LAB_OUT, and console.log
#   VM_TIMEOUT   seconds before the VM counts as hung
#   VM_APPEND    more kernel command line
#   VM_SHELL     1: an interactive shell on this terminal instead of the tests

# lab_module_order MODDIR NAMES: the modules' paths (relative to MODDIR) in
# load order, each once: hard dependencies (modules.dep) first, and before
# them the soft "pre:" dependencies (modules.softdep), which name a module or
# an alias. A soft dependency is tried, not required (of the modules behind
# an alias, some may not fit the CPU), so its lines start with "?".
# Names may use - or _.
lab_module_order() {
	awk -v want="$2" '
		function norm(p) { sub(/.*\//, "", p); sub(/\.ko$/, "", p); gsub(/-/, "_", p); return p }
		function soft(a,   c, k, i) {
			if (norm(a) in file) { visit(norm(a), 1); return }
			k = split(alias[a], c, " ")
			for (i = 1; i <= k; i++) visit(norm(c[i]), 1)
		}
		function visit(n, optional,   d, k, i) {
			if (n in done) return
			done[n] = 1
			if (!(n in file)) {
				if (!(n in builtin) && !optional) { print "unknown module: " n > "/dev/stderr"; bad = 1 }
				return
			}
			k = split(pre[n], d, " ")
			for (i = 1; i <= k; i++) soft(d[i])
			# modprobe loads the listed dependencies last to first.
			k = split(deps[n], d, " ")
			for (i = k; i >= 1; i--) visit(norm(d[i]), optional)
			print (optional ? "?" : "") file[n]
		}
		FILENAME ~ /modules\.builtin$/ { builtin[norm($1)] = 1; next }
		FILENAME ~ /modules\.alias$/ { if ($1 == "alias") alias[$2] = alias[$2] " " $3; next }
		FILENAME ~ /modules\.softdep$/ {
			if ($1 != "softdep") next
			n = norm($2); on = 0
			for (i = 3; i <= NF; i++) {
				if ($i == "pre:") on = 1
				else if ($i == "post:") on = 0
				else if (on) pre[n] = pre[n] " " $i
			}
			next
		}
		{ p = $1; sub(/:$/, "", p); n = norm(p); file[n] = p; $1 = ""; deps[n] = $0 }
		END {
			k = split(want, w, ",")
			for (i = 1; i <= k; i++) if (w[i] != "") visit(norm(w[i]), 0)
			exit bad
		}' "$1/modules.builtin" "$1/modules.alias" "$1/modules.softdep" "$1/modules.dep"
}

# Refuses dynamically linked programs: the VM has busybox and no libc.
lab_check_static() {
	if [ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] &&
		readelf -l "$1" 2>/dev/null | grep -q 'program interpreter'; then
		lab_die "$1 is dynamically linked; programs for the VM must be linked with -static"
	fi
}

# lab_stage DIR STAGE: the initramfs tree for build DIR in STAGE.
lab_stage() {
	local dir=$1 stage=$2 kver=${1##*/} moddir m p name seen=" "
	moddir=$dir/lib/modules/$kver
	mkdir -p "$stage/root/bin" "$stage/root/lab/bin" "$stage/root/lab/modules"
	cp /bin/busybox "$stage/root/bin/busybox"
	lab_check_static "$stage/root/bin/busybox"
	install -m 755 "$LAB_DIR/init.sh" "$stage/root/init"
	: >"$stage/root/lab/modules.list"
	if [ -n "$VM_MODULES" ]; then
		lab_module_order "$moddir" "$VM_MODULES" >"$stage/modules" || lab_die "$kver: cannot load modules '$VM_MODULES'"
		while read -r m; do
			cp "$moddir/${m#\?}" "$stage/root/lab/modules/"
			case $m in
			\?*) echo "?${m##*/}" ;;
			*) echo "${m##*/}" ;;
			esac >>"$stage/root/lab/modules.list"
		done <"$stage/modules"
	fi
	: >"$stage/root/lab/tests.list"
	for p in "${VM_PROGS[@]}" "${VM_FILES[@]}"; do
		name=${p##*/}
		case $p in *:*) name=${p#*:} p=${p%%:*} ;; esac
		[ -f "$p" ] || lab_die "no file $p"
		case $seen in *" $name "*) lab_die "two files named $name for /lab/bin" ;; esac
		seen="$seen$name "
		lab_check_static "$p"
		cp "$p" "$stage/root/lab/bin/$name"
		chmod +x "$stage/root/lab/bin/$name"
	done
	for p in "${VM_PROGS[@]}"; do
		echo "${p##*/}" >>"$stage/root/lab/tests.list"
	done
	for p in "${VM_CMDS[@]}"; do
		echo "$p" >>"$stage/root/lab/tests.list"
	done
	{
		echo "LAB_KVER=$kver"
		echo "LAB_SHELL=${VM_SHELL:-0}"
	} >"$stage/root/lab/config"
	(cd "$stage/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$stage/initrd.gz" ||
		lab_die "cannot build the initramfs"
}

# The QEMU arguments both modes share. no_timer_check: under TCG on a busy
# host the kernel's early check that the IO-APIC timer ticks can miss its
# window and panic ("IO-APIC + timer doesn't work!"); the check tests the
# emulated hardware, not anything the lab looks at.
lab_qemu_args() {
	local dir=$1 stage=$2
	QEMU_ARGS=(-accel "${BTFKIT_LAB_ACCEL:-tcg}" -m "${BTFKIT_LAB_MEM:-1G}" -smp 1
		-nodefaults -display none -no-reboot
		-kernel "$dir/vmlinuz" -initrd "$stage/initrd.gz"
		-append "console=ttyS0 panic=-1 loglevel=5 no_timer_check ${VM_APPEND:-}")
}

# lab_vm DIR: boots build DIR once. Returns 0 when the summary line arrived
# and nothing failed; prints the tests' output, and the log tail on failure.
lab_vm() {
	local dir=$1 kver=${1##*/} stage con out rc t0 t1 verdict="" summary boot
	stage=$(mktemp -d "${TMPDIR:-/tmp}/btfkit-lab.XXXXXX")
	LAB_TMP+=("$stage")
	lab_stage "$dir" "$stage"
	lab_qemu_args "$dir" "$stage"
	con=$stage/console
	out=$stage/out.tgz
	t0=$(lab_now)
	if [ "${VM_SHELL:-0}" = 1 ]; then
		lab_say "$kver: shell (Ctrl-A X quits QEMU)"
		qemu-system-x86_64 "${QEMU_ARGS[@]}" -serial mon:stdio -serial "file:$out"
		rc=$?
	else
		timeout -k 5 "$VM_TIMEOUT" qemu-system-x86_64 "${QEMU_ARGS[@]}" \
			-serial "file:$con.raw" -serial "file:$out" >"$stage/qemu.err" 2>&1
		rc=$?
		tr -d '\r' <"$con.raw" >"$con"
	fi
	t1=$(lab_now)
	if [ -n "${VM_OUT:-}" ]; then
		mkdir -p "$VM_OUT" || lab_die "cannot create $VM_OUT"
		[ -f "$con" ] && cp "$con" "$VM_OUT/console.log"
		if [ -s "$out" ]; then
			gzip -t "$out" 2>/dev/null && tar -xzf "$out" -C "$VM_OUT" ||
				verdict="the files from \$LAB_OUT arrived incomplete"
		fi
	fi
	[ "${VM_SHELL:-0}" = 1 ] && return $rc

	# The guest's own lines (boot noise before them is not interesting).
	sed -n '/^lab: booted /,$p' "$con"
	summary=$(grep -E '^lab-summary: [0-9]+ passed, [0-9]+ failed$' "$con" | tail -1)
	boot=$(sed -n 's/^lab: booted .* in \([0-9.]*\) s$/\1/p' "$con" | head -1)
	if grep -q 'Kernel panic' "$con"; then
		verdict="kernel panic"
	elif [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		verdict="no end after ${VM_TIMEOUT}s (hung; BTFKIT_LAB_TIMEOUT raises the limit)"
	elif [ $rc -ne 0 ]; then
		verdict="qemu exited with $rc: $(tail -3 "$stage/qemu.err" | tr '\n' ' ')"
	elif [ -z "$summary" ]; then
		verdict="no summary line"
	elif grep -qE '^\[ *[0-9.]+\] (BUG:|Oops|WARNING:)' "$con"; then
		verdict="the kernel reported a BUG, Oops or WARNING"
	fi
	LAB_LAST_BOOT=${boot:-?}
	LAB_LAST_WALL=$(lab_secs "$t0" "$t1")
	if [ -n "$verdict" ]; then
		if [ -n "$boot" ]; then
			echo "lab: $kver: FAILED: $verdict (the console from the boot on is above)"
		else
			echo "lab: $kver: FAILED: $verdict; the console's last lines:"
			tail -n 40 "$con" | sed 's/^/  | /'
		fi
		[ -s "$stage/qemu.err" ] && sed 's/^/  qemu: /' "$stage/qemu.err" | tail -5
		return 1
	fi
	echo "lab: $kver: ${summary#lab-summary: } (booted in ${LAB_LAST_BOOT} s, ${LAB_LAST_WALL} s in all)"
	case $summary in *", 0 failed") return 0 ;; esac
	return 1
}
