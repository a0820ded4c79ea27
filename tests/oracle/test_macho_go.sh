#!/bin/sh
# tests/oracle/test_macho_go.sh - Go's own Mach-O linker: darwin/arm64
# (PIE: thousands of rebases, 16 KiB pages) and darwin/amd64, built at test
# time with CGO_ENABLED=0, compared with llvm-objdump-19 (macho_oracle.py).
# The runtime.pclntab/runtime.epclntab symbols (llvm-nm) bound the pclntab
# that pclntab.bytes reports when the pclntab reader is present.
. "$ROOT/tests/lib.sh"
ORACLE="$ROOT/tests/oracle/macho_oracle.py"
OBJDUMP="$LLVM_BIN/llvm-objdump"
if ! need go python3 || [ ! -x "$OBJDUMP" ]; then
	skip macho-go "go or llvm-objdump missing"
	exit 0
fi
key=$( (go version; cat "$0") | cksum | cut -d' ' -f1)
dir="$FIXTURES/macho/go-$key"
if [ ! -f "$dir/done" ]; then
	rm -rf "$dir" && mkdir -p "$dir/src" || exit 1
	cat >"$dir/src/main.go" <<'GO'
package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
)

var table = map[string]func(int) int{
	"double": func(x int) int { return 2 * x },
	"square": func(x int) int { return x * x },
}

func main() {
	keys := make([]string, 0, len(table))
	for k := range table {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Println(strings.Join(keys, ","), table["double"](len(os.Args)))
}
GO
	for arch in arm64 amd64; do
		if ! (cd "$dir/src" && GOOS=darwin GOARCH=$arch CGO_ENABLED=0 go build -o "../go_$arch" main.go) \
			>"$dir/build.log" 2>&1; then
			not_ok macho-go-build "go build darwin/$arch failed: $(tail -n 3 "$dir/build.log")"
			exit 1
		fi
	done
	touch "$dir/done"
fi
for arch in arm64 amd64; do
	f="$dir/go_$arch"
	if ! "$RELGATE" measure --format json "$f" >"$TEST_TMP/m.json" 2>"$TEST_TMP/m.err"; then
		not_ok "macho-go-$arch" "relgate failed: $(head -c 300 "$TEST_TMP/m.err")"
		continue
	fi
	python3 "$ORACLE" "$OBJDUMP" "$f" "$TEST_TMP/m.json" 0 "macho-go-$arch"
	want=$("$LLVM_BIN/llvm-nm" "$f" | python3 -c 'import sys
v = {f[2]: int(f[0], 16) for f in (l.split() for l in sys.stdin) if len(f) == 3}
if "_runtime.pclntab" in v and "_runtime.epclntab" in v:
    print(v["_runtime.epclntab"] - v["_runtime.pclntab"])')
	got=$(metric "$TEST_TMP/m.json" pclntab.bytes)
	if [ "$got" = absent ]; then
		skip "macho-go-$arch-pclntab" "no pclntab reader in this build"
	elif [ -z "$want" ]; then
		skip "macho-go-$arch-pclntab" "llvm-nm found no runtime.pclntab symbols"
	else
		check_eq "macho-go-$arch-pclntab.bytes" "$want" "$got"
	fi
done
exit 0
