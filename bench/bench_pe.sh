#!/bin/sh
# bench_pe.sh - relgate against llvm-readobj-19 (--coff-basereloc
# --coff-imports, the tool the PE tests use as their oracle) on the largest
# PE at hand: a Go windows/amd64 build of a program importing net/http,
# crypto/tls and encoding/json (tens of thousands of base relocations),
# built once into build/bench/pe. BENCH_PE=FILE benchmarks another image.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
. "$ROOT/bench/lib.sh"
: "${RELGATE:=$ROOT/relgate}"
: "${LLVM_BIN:=/usr/lib/llvm-19/bin}"

f=${BENCH_PE:-}
if [ -z "$f" ]; then
	d=$ROOT/build/bench/pe
	f=$d/big_amd64.exe
	if [ ! -f "$f" ]; then
		if ! command -v go >/dev/null 2>&1; then
			echo "bench_pe: skipped (no go to build a large PE)"
			exit 0
		fi
		mkdir -p "$d/src"
		cat >"$d/src/main.go" <<'GO'
package main

import (
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
)

func main() {
	b, _ := json.Marshal(map[string]int{"a": 1})
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{}}}
	fmt.Println(string(b), c != nil, len(os.Args))
}
GO
		(cd "$d/src" && GOOS=windows GOARCH=amd64 CGO_ENABLED=0 GO111MODULE=off \
			go build -o "$f" main.go) || { echo "bench_pe: Go build failed"; exit 1; }
	fi
fi
[ -x "$RELGATE" ] || { echo "bench_pe: $RELGATE not built"; exit 1; }
python3 "$ROOT/bench/compare.py" "${BENCH_PE_RUNS:-31}" "pe base relocs + imports" \
	"$(basename "$f") ($(wc -c <"$f") B)" "'$RELGATE' measure --format json '$f'" \
	"llvm-readobj --coff-basereloc" "'$LLVM_BIN/llvm-readobj' --coff-basereloc --coff-imports '$f'"
echo "  peak RSS: relgate $(peak_rss_kb "'$RELGATE' measure --format json '$f'") KiB," \
	"llvm-readobj $(peak_rss_kb "'$LLVM_BIN/llvm-readobj' --coff-basereloc --coff-imports '$f'") KiB"
