#!/bin/sh
# test_elf_go.sh - Go-built ELF files: linux/amd64 default (static, no
# PT_DYNAMIC: relocs absent) and -buildmode=pie (Go's linker names its table
# ".rela": found through PT_DYNAMIC), linux/arm64 default and PIE,
# linux/386. Judged by tests/oracle/elf_oracle.py. The Go symbol hints
# (runtime.pclntab / runtime.epclntab, used when no .gopclntab section
# exists, as in Go's PIE layout) are checked against binutils readelf -s.
. "$ROOT/tests/oracle/elf_lib.sh"
if ! need go python3; then skip "elf go" "go missing"; exit 0; fi
export GO111MODULE=off CGO_ENABLED=0
cat >"$ELF_FIX/gomain.go.new" <<'SRC'
package main

import (
	"fmt"
	"os"
)

var table = []interface{}{1, "two", 3.0, os.Args}

func main() { fmt.Println(len(os.Args), table) }
SRC
cmp -s "$ELF_FIX/gomain.go.new" "$ELF_FIX/gomain.go" 2>/dev/null || cp "$ELF_FIX/gomain.go.new" "$ELF_FIX/gomain.go"
GOV=$(go version)
gofix() { # NAME GOARCH [go build flags]
	gf_name=$1 gf_arch=$2; shift 2
	build_and_judge "$gf_name" "GOOS=linux GOARCH=$gf_arch go build $* -o \"\$OUT\" gomain.go # $GOV" --no-binutils
}
gofix go-amd64 amd64
gofix go-amd64-pie amd64 -buildmode=pie
gofix go-arm64 arm64
gofix go-arm64-pie arm64 -buildmode=pie
gofix go-386 386
# Stripped (no .symtab): attribution names functions from the pclntab.
gofix go-amd64-pie-s amd64 -buildmode=pie -ldflags=-s
judge_all

# Symbol hints: a small program over the library prints what the ELF parser
# hands to the pclntab reader; binutils readelf -sW is the judge.
if need cc pkg-config && [ -f "$ROOT/build/asan/librelgate.a" ] && [ -f "$ELF_FIX/go-amd64-pie" ]; then
	cat >"$TEST_TMP/hints.c" <<'SRC'
#include <stdio.h>
#include <inttypes.h>
#include "formats.h"
int main(int argc, char **argv)
{
	rg_binary_list l = { 0 };
	rg_err err = { 0 };
	uint64_t a = 0, e = 0;
	if (rg_measure_file(argv[1], NULL, &l, &err) != RG_OK)
		return fprintf(stderr, "%s\n", err.msg), 2;
	if (rg_binary_find_symbol_hint(l.items[0], "runtime.pclntab", &a) &&
	    rg_binary_find_symbol_hint(l.items[0], "runtime.epclntab", &e))
		printf("%" PRIx64 " %" PRIx64 "\n", a, e);
	rg_binary_list_free(&l);
	return 0;
}
SRC
	if cc -std=c11 -fsanitize=address,undefined -I"$ROOT/parsers" -o "$TEST_TMP/hints" "$TEST_TMP/hints.c" \
		"$ROOT/build/asan/librelgate.a" $(pkg-config --libs libgit2 yaml-0.1 libcjson) -lm 2>"$TEST_TMP/hints.log"; then
		for f in go-amd64-pie go-arm64-pie; do
			want=$(readelf -sW "$ELF_FIX/$f" | python3 -c '
import sys
v = {}
for l in sys.stdin:
    p = l.split()
    if len(p) >= 8 and p[7] in ("runtime.pclntab", "runtime.epclntab"):
        v[p[7]] = int(p[1], 16)
print("%x %x" % (v["runtime.pclntab"], v["runtime.epclntab"]))')
			check_eq "$f: runtime.pclntab/epclntab symbol hints" "$want" "$("$TEST_TMP/hints" "$ELF_FIX/$f")"
		done
	else
		not_ok "symbol hints: build" "$(head -c 300 "$TEST_TMP/hints.log")"
	fi
fi

# Attribution of Go linux PIE: symbols, packages, targets (attr_oracle.py,
# binutils nm -S over .symtab, llvm-readelf's RELA addends).
for f in go-amd64-pie go-arm64-pie; do
	[ -f "$ELF_FIX/$f" ] && attr_judge "$f" "$ELF_FIX/$f" "--keys symbol,section,package,target,target-package"
done
# The stripped PIE's symbols are the pclntab's functions, read here by Go's
# debug/gosym (the toolchain's own reader of that table).
if [ -f "$ELF_FIX/go-amd64-pie-s" ]; then
	if go build -o "$TEST_TMP/gosym_oracle" "$ROOT/tests/oracle/gosym_oracle.go" 2>"$TEST_TMP/gosym.log"; then
		attr_judge go-amd64-pie-s "$ELF_FIX/go-amd64-pie-s" \
			"--keys symbol,section,package,target --syms gosym:$TEST_TMP/gosym_oracle"
	else
		not_ok "gosym oracle: build" "$(head -c 300 "$TEST_TMP/gosym.log")"
	fi
fi
attr_judge_all
