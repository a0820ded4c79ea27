# relgate - one non-recursive Makefile.
#   make                 the relgate binary
#   make relgate-static  the same with libgit2 linked in (its static archive)
#   make check           unit, oracle and end-to-end tests under ASan+UBSan
#   make bench           relgate against readelf/llvm-readelf/llvm-objdump, the
#                        bare-scan floor and the gate's steps done by hand
#   make fuzz            libFuzzer targets (FUZZ_SECONDS=N each)
#   make install PREFIX=/usr/local
#   make clean
# WERROR=1 (as in CI) turns warnings into errors.

PREFIX   ?= /usr/local
CC       ?= cc
PKGS     := libgit2 yaml-0.1 libcjson
# libgit2 is not linked: gate/git2_load.c opens it with dlopen when a
# command reads git, so measure/diff/validate start without its ~20 shared
# libraries. Its headers and directory still come from pkg-config.
GIT2_LIBDIR := $(shell pkg-config --variable=libdir libgit2 2>/dev/null)
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -DRG_LIBGIT2_LIBDIR='"$(GIT2_LIBDIR)"'
PKG_LIBS   := $(shell pkg-config --libs yaml-0.1 libcjson 2>/dev/null)
# dlopen is in libc on glibc >= 2.34, macOS and the BSDs; older glibc needs libdl.
DL_LIBS    := $(if $(filter Linux,$(shell uname -s)),-ldl)
STD      := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -D_DARWIN_C_SOURCE
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wno-unused-parameter
ifeq ($(WERROR),1)
WARN     += -Werror
endif
CFLAGS   ?= -O2 -g
ALL_CFLAGS = $(STD) $(WARN) $(CFLAGS) $(PKG_CFLAGS)
LDLIBS   := $(PKG_LIBS) $(DL_LIBS) -lm

SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CC   ?= clang
FUZZ_FLAGS := -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_SECONDS ?= 60

LIB_SRCS := $(wildcard parsers/*.c budgets/*.c reports/*.c) $(filter-out gate/main.c,$(wildcard gate/*.c))
HDRS     := $(wildcard parsers/*.h budgets/*.h reports/*.h gate/*.h)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)

OBJS      := $(LIB_SRCS:%.c=build/rel/%.o)
SAN_OBJS  := $(LIB_SRCS:%.c=build/asan/%.o)
FUZZ_OBJS := $(LIB_SRCS:%.c=build/fuzz/%.o)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/asan/tests/%)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/%)

.PHONY: all check bench fuzz fuzz-build install clean asan
all: relgate

relgate: build/rel/gate/main.o build/rel/librelgate.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

# libgit2 linked in rather than loaded (gate/git2_load.c, RG_GIT2_STATIC):
# for a machine whose libgit2 is outside the range relgate accepts. Needs
# libgit2.a (Debian's libgit2-dev has it) and its dependencies' libraries.
# Debian's libgit2 uses GSSAPI (Negotiate auth) but its libgit2.pc does not
# say so: its Kerberos library is added when present.
GIT2_STATIC_LIBS = $(GIT2_LIBDIR)/libgit2.a \
	$(filter-out -lgit2,$(shell pkg-config --static --libs libgit2 2>/dev/null)) \
	$(wildcard $(GIT2_LIBDIR)/libgssapi_krb5.so.2)
relgate-static: build/rel/gate/main.o build/static/gate/git2_load.o build/rel/librelgate.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS) $(GIT2_STATIC_LIBS)

build/static/gate/git2_load.o: gate/git2_load.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DRG_GIT2_STATIC -c -o $@ $<

build/rel/librelgate.a: $(OBJS)
	@rm -f $@
	ar rcs $@ $^

build/rel/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The test build: the same sources under AddressSanitizer and UBSan.
# (and the libgit2-linked variant, tests/e2e/test_git2_load.sh, where
# libgit2.a exists)
asan: build/asan/relgate $(UNIT_BINS) $(if $(wildcard $(GIT2_LIBDIR)/libgit2.a),build/asan/relgate-static)

build/asan/relgate: build/asan/gate/main.o build/asan/librelgate.a
	$(CC) $(STD) $(WARN) $(SAN_FLAGS) $(PKG_CFLAGS) -o $@ $^ $(LDLIBS)

build/asan/relgate-static: build/asan/gate/main.o build/asan-static/gate/git2_load.o build/asan/librelgate.a
	$(CC) $(STD) $(WARN) $(SAN_FLAGS) $(PKG_CFLAGS) -o $@ $^ $(LDLIBS) $(GIT2_STATIC_LIBS)

build/asan-static/gate/git2_load.o: gate/git2_load.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) $(SAN_FLAGS) $(PKG_CFLAGS) -DRG_GIT2_STATIC -c -o $@ $<

build/asan/librelgate.a: $(SAN_OBJS)
	@rm -f $@
	ar rcs $@ $^

build/asan/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) $(SAN_FLAGS) $(PKG_CFLAGS) -c -o $@ $<

build/asan/tests/%: tests/unit/%.c tests/unit/unit.h build/asan/librelgate.a
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) $(SAN_FLAGS) $(PKG_CFLAGS) -o $@ $< build/asan/librelgate.a $(LDLIBS)

# `make check` builds in parallel by itself (JOBS=2, the CI machine's
# cores), so the README's command is plain `make check`.
JOBS ?= 2
# The release binary too: the tests install it (make install) as a user would.
check:
	@$(MAKE) --no-print-directory -j$(JOBS) asan relgate
	@RELGATE=$(CURDIR)/build/asan/relgate RELGATE_REL=$(CURDIR)/relgate \
	  UNIT_DIR=$(CURDIR)/build/asan/tests sh tests/run.sh

# libFuzzer targets (clang): one per parser and the budget loader.
fuzz-build: $(FUZZ_BINS)

build/fuzz/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(STD) $(FUZZ_FLAGS) $(PKG_CFLAGS) -c -o $@ $<

# Named outside the pattern rule, the fuzz build's objects are not
# intermediates: make keeps them, and rebuilds them when they are gone. (A
# bare .SECONDARY: did the keeping, but made every object an intermediate,
# so `rm -rf build/rel` left make with nothing to do.)
$(FUZZ_BINS): $(FUZZ_OBJS)
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS) $(wildcard tests/fuzz/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(STD) $(FUZZ_FLAGS) $(PKG_CFLAGS) -o $@ $(filter %.c %.o,$^) $(LDLIBS)

fuzz: fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

bench: relgate build/rel/bench/relscan
	@sh bench/run.sh

# The bare-scan floor bench/bench_walk.sh holds `relgate measure` to.
build/rel/bench/relscan: bench/relscan.c
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) -O2 -o $@ $<

install: relgate
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 relgate $(DESTDIR)$(PREFIX)/bin/relgate
	install -m 644 man/relgate.1 $(DESTDIR)$(PREFIX)/share/man/man1/relgate.1
	install -d $(DESTDIR)$(PREFIX)/share/doc/relgate
	install -m 644 README.md docs/*.md docs/*.json $(DESTDIR)$(PREFIX)/share/doc/relgate/

clean:
	rm -rf build relgate relgate-static
