# btfkit — build, test, benchmark.
#   make            library (static + shared) and the btfkit command, in build/
#   make demo       install what is missing, build, run btfkit on this kernel
#   make check      install what is missing, build, run every test
#   make lab        the kernel lab alone: Debian kernels under QEMU (tests/lab/)
#   make bench      measure against libbpf and bpftool (docs/PERFORMANCE.md)
#   make install    PREFIX=/usr/local DESTDIR=

CC       ?= gcc
PREFIX   ?= /usr/local
LIBDIR   ?= $(PREFIX)/lib
INCDIR   ?= $(PREFIX)/include
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
B        ?= build

VERSION  := 0.1.0
SOMAJOR  := 0
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-missing-field-initializers
CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) -Iinclude -fvisibility=hidden -fPIC -D_GNU_SOURCE
LIBS     := -lelf -llzma -lzstd -lz -pthread
SO_LDFLAGS ?= -Wl,--no-undefined

LIB_SRCS := $(sort $(wildcard lib/*/*.c))
CLI_SRCS := $(sort $(wildcard cli/*.c))
LIB_OBJS := $(LIB_SRCS:%.c=$(B)/%.o)
CLI_OBJS := $(CLI_SRCS:%.c=$(B)/%.o)
HDRS     := $(wildcard include/btfkit/*.h lib/*/*.h cli/*.h)

.PHONY: all lib tools demo check check-deps test unit cli-tests cdump-tests validate-tests validate-long sanitize fuzz bench install clean lab lab-progs bpf-tests sanitize-bpf split-tests split-long
.PHONY: resolve-tests lab-resolve-long threads
all: $(B)/btfkit $(B)/libbtfkit.a $(B)/libbtfkit.so $(B)/libbtfkit.pc

$(B)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(B)/libbtfkit.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(B)/libbtfkit.so.$(VERSION): $(LIB_OBJS) lib/libbtfkit.map
	$(CC) -shared -Wl,-soname,libbtfkit.so.$(SOMAJOR) -Wl,--version-script=lib/libbtfkit.map \
		$(SO_LDFLAGS) $(LDFLAGS) -o $@ $(LIB_OBJS) $(LIBS)

$(B)/libbtfkit.so: $(B)/libbtfkit.so.$(VERSION)
	ln -sf libbtfkit.so.$(VERSION) $(B)/libbtfkit.so.$(SOMAJOR)
	ln -sf libbtfkit.so.$(VERSION) $@

# The command is one static binary: it runs as it is in the kernel lab's
# busybox initramfs, and starts with a third of a dynamic one's memory.
CLI_STATIC ?= -static
$(B)/btfkit: $(CLI_OBJS) $(B)/libbtfkit.a
	$(CC) $(CLI_STATIC) $(LDFLAGS) -o $@ $(CLI_OBJS) $(B)/libbtfkit.a $(LIBS)

$(B)/libbtfkit.pc: mk/libbtfkit.pc.in Makefile
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCDIR@|$(INCDIR)|; s|@VERSION@|$(VERSION)|' $< > $@

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCDIR)/btfkit $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(B)/btfkit $(DESTDIR)$(BINDIR)/
	install -m 644 $(B)/libbtfkit.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(B)/libbtfkit.so.$(VERSION) $(DESTDIR)$(LIBDIR)/
	ln -sf libbtfkit.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libbtfkit.so.$(SOMAJOR)
	ln -sf libbtfkit.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libbtfkit.so
	install -m 644 include/btfkit/*.h $(DESTDIR)$(INCDIR)/btfkit/
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCDIR@|$(INCDIR)|; s|@VERSION@|$(VERSION)|' \
		mk/libbtfkit.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/libbtfkit.pc
	install -m 644 docs/btfkit.1 $(DESTDIR)$(MANDIR)/man1/

# ---- tests ----
# Unit tests: each tests/unit/test_*.c is one cmocka program; tests/unit/*.c
# without the prefix are helpers linked into all of them.
UNIT_SRCS    := $(sort $(wildcard tests/unit/test_*.c))
UNIT_HELPERS := $(filter-out $(UNIT_SRCS),$(wildcard tests/unit/*.c))
UNIT_BINS    := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
TEST_CFLAGS   = $(ALL_CFLAGS) -Itests/unit -Ilib

$(B)/tests/%: tests/unit/%.c $(UNIT_HELPERS) $(B)/libbtfkit.a $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(LDFLAGS) $(TEST_LDFLAGS) -o $@ $< $(UNIT_HELPERS) $(B)/libbtfkit.a $(LIBS) -lcmocka
# The allocation-failure test sees every allocation the library makes.
$(B)/tests/test_alloc_fail: TEST_LDFLAGS = -Wl,--wrap=malloc -Wl,--wrap=calloc -Wl,--wrap=realloc

# Test tools (tests/tools/*.c): programs the shell tests call, e.g. mkblobs,
# which writes hand-built BTF blobs; they may use the unit-test helpers.
TOOL_SRCS := $(sort $(wildcard tests/tools/*.c))
TOOL_BINS := $(TOOL_SRCS:tests/tools/%.c=$(B)/tests/tools/%)
$(B)/tests/tools/%: tests/tools/%.c $(UNIT_HELPERS) $(B)/libbtfkit.a $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $< $(UNIT_HELPERS) $(B)/libbtfkit.a $(LIBS)
tools: $(TOOL_BINS)
# btfmerge merges BTF with libbpf, for the resolver's synthetic kernel.
$(B)/tests/tools/btfmerge: LIBS += -lbpf

check-deps:
	@mk/deps.sh check

unit: all tools $(UNIT_BINS)
	@tests/run-unit.sh $(B)

cli-tests: all tools
	@tests/cli/run.sh $(B)

# The C dump (tests/cdump/run.sh): parity with bpftool's format c on fixtures,
# hand-built blobs (mkcblobs) and the kernel; the headers compile.
CDUMP_TOOLS := $(B)/tests/cdump/mkcblobs
$(B)/tests/cdump/%: tests/cdump/%.c $(UNIT_HELPERS) $(B)/libbtfkit.a $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $< $(UNIT_HELPERS) $(B)/libbtfkit.a $(LIBS)
cdump-tests: all tools $(CDUMP_TOOLS)
	@tests/cdump/run.sh $(B)

# Validation (tests/validate/run.sh): btfkit validate on real BTF and the
# differential test against the running kernel's BPF_BTF_LOAD. VALIDATE_CASES
# mutated blobs (+ VALIDATE_VMLINUX_CASES of the kernel's own); validate-long
# is the larger run.
VALIDATE_CASES ?= 5000
VALIDATE_VMLINUX_CASES ?= 100
validate-tests: all tools
	@tests/validate/run.sh $(B) $(VALIDATE_CASES) $(VALIDATE_VMLINUX_CASES)
validate-long:
	@$(MAKE) --no-print-directory validate-tests VALIDATE_CASES=500000 VALIDATE_VMLINUX_CASES=2000

# Live BPF (tests/bpf/run.sh): btfkit inspect against fdinfo and bpftool on
# objects bpfobjs holds; btfkit probe's class against its own steps. Root.
$(B)/tests/bpfobjs: tests/lab/progs/bpfobjs.c $(B)/libbtfkit.a
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libbtfkit.a $(LIBS)
bpf-tests: all $(B)/tests/bpfobjs
	@tests/bpf/run.sh $(B)

# Split-BTF safety (tests/split/run.sh): synthetic kernel updates, hostile
# modules, and SPLIT_SAMPLE real modules of the lab's Debian 6.1 builds;
# split-long checks and relocates every one of them (docs/PERFORMANCE.md).
SPLIT_SAMPLE ?= 40
split-tests: all tools
	@tests/split/run.sh $(B) $(SPLIT_SAMPLE)
split-long:
	@$(MAKE) --no-print-directory split-tests SPLIT_SAMPLE=0

# The attach-target resolver (tests/resolve/run.sh): a synthetic kernel built
# at test time (gcc, nm, objdump, pahole) with known verdicts; the live census.
resolve-tests: all tools
	@tests/resolve/run.sh $(B)

test: unit cli-tests cdump-tests validate-tests
test: resolve-tests
test: split-tests

# The same tests under AddressSanitizer + UndefinedBehaviorSanitizer, built with clang.
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
sanitize:
	$(MAKE) --no-print-directory B=build/san CC=clang CLI_STATIC= SO_LDFLAGS= CFLAGS="$(SAN_FLAGS) -Werror" LDFLAGS="$(SAN_FLAGS)" unit cli-tests cdump-tests \
		validate-tests VALIDATE_VMLINUX_CASES=20 split-tests SPLIT_SAMPLE=10 resolve-tests

# The library's threads under ThreadSanitizer (tests/threads.sh says which).
TSAN_FLAGS := -O1 -g -fsanitize=thread -fno-omit-frame-pointer
threads: all
	$(MAKE) --no-print-directory B=$(B)/tsan CC=clang CLI_STATIC= SO_LDFLAGS= CFLAGS="$(TSAN_FLAGS) -Werror" LDFLAGS="$(TSAN_FLAGS)" $(B)/tsan/btfkit $(B)/tsan/tests/test_btf_open
	@tests/threads.sh $(B)/tsan $(B)

# The live BPF tests under the sanitizers (the library's bpf() layer, inspect, probe).
sanitize-bpf:
	$(MAKE) --no-print-directory B=build/san CC=clang CLI_STATIC= SO_LDFLAGS= CFLAGS="$(SAN_FLAGS) -Werror" LDFLAGS="$(SAN_FLAGS)" bpf-tests

# The kernel lab (tests/lab/README.md): Debian kernels under QEMU. Its
# programs (tests/lab/progs/*.c) run inside the VM, so they are static.
LAB_PROG_SRCS := $(sort $(wildcard tests/lab/progs/*.c))
LAB_PROGS     := $(LAB_PROG_SRCS:tests/lab/progs/%.c=$(B)/lab/%)
$(B)/lab/%: tests/lab/progs/%.c $(B)/libbtfkit.a $(wildcard tests/lab/progs/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -static $(LDFLAGS) -o $@ $< $(B)/libbtfkit.a $(LIBS)
lab-progs: all tools $(LAB_PROGS)
# The resolver's lab proof at full size (docs/RESOLVE.md has its numbers):
# 600 unique functions, 100 notrace, 40 clones, six modules, on 6.1 and 6.12.
lab-resolve-long:
	@mk/deps.sh lab
	@$(MAKE) --no-print-directory lab-progs
	@BTFKIT_RESOLVE_UNIQUE=600 BTFKIT_RESOLVE_NOTRACE=100 BTFKIT_RESOLVE_CLONES=40 \
		BTFKIT_RESOLVE_MODULES=binfmt_misc,ecryptfs,loop,dummy,veth,tun tests/lab/run.sh $(B) 40-resolve
lab:
	@mk/deps.sh lab
	@$(MAKE) --no-print-directory lab-progs
	@tests/lab/run.sh $(B)

FUZZ_SECONDS ?= 60
FUZZ_KVIEW_SECONDS ?= 20
fuzz:
	@fuzz/run.sh $(FUZZ_SECONDS)
	@fuzz/run-kview.sh $(FUZZ_KVIEW_SECONDS)

check: check-deps
	@mk/check.sh

demo:
	@mk/deps.sh demo
	@$(MAKE) --no-print-directory all
	@mk/demo.sh $(B)

bench:
	@mk/deps.sh bench
	@$(MAKE) --no-print-directory all
	@bench/run.sh $(B)

clean:
	rm -rf build
