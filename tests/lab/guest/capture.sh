#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Runs in the VM once per build: the kernel's symbols and ftrace's list of
# traceable functions, for host-side tests (Debian's System.map is a placeholder).
set -e
cat /proc/kallsyms >"$LAB_OUT/kallsyms"
T=/sys/kernel/tracing
cat $T/available_filter_functions >"$LAB_OUT/available_filter_functions"
if [ -r $T/available_filter_functions_addrs ]; then
	cat $T/available_filter_functions_addrs >"$LAB_OUT/available_filter_functions_addrs"
fi
# Zero addresses would mean kptr_restrict hid them: useless to the tests.
grep -m1 ' [Tt] ' "$LAB_OUT/kallsyms" | grep -qv '^0000000000000000 '
echo "kallsyms: $(wc -l <"$LAB_OUT/kallsyms") lines, available_filter_functions: $(wc -l <"$LAB_OUT/available_filter_functions") lines"
