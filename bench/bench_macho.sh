#!/bin/sh
# bench/bench_macho.sh - relgate vs llvm-objdump-19 on the largest Mach-O
# at hand (Next.js's swc, a 125 MB Rust arm64 bundle with 256k opcode
# fixups), on biome (24 MB, Apple ld's chained fixups) and others. Both
# tools read every fixup of the file: relgate measures it (opcode streams
# or chains walked once, page bitmaps), llvm-objdump prints the
# rebase/bind/lazy-bind/weak-bind tables (or --dyld-info for chained
# fixups). Candidates: $BENCH_MACHO if set; next-swc, biome, swc, sharp's
# libvips dylib and esbuild from the npm registry (fetched once into
# build/fixtures/macho/npm); a Go darwin/arm64 build; two synthetic
# 300,000-pointer executables. Timing: bench/compare.py (no shell in
# between, alternating runs, wall and CPU medians).
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
. "$ROOT/bench/lib.sh"
OBJDUMP="$LLVM_BIN/llvm-objdump"
[ -x "$OBJDUMP" ] || { echo "bench_macho: llvm-objdump missing, skipped"; exit 0; }
npmdir="$ROOT/build/fixtures/macho/npm"
mkdir -p "$npmdir"

fetch() { # PKG FILE-IN-PACKAGE
	base=$(echo "$1" | sed 's/^@//; s/\//-/; s/@/-/')
	f="$npmdir/$base/$2"
	if [ ! -f "$f" ] && command -v npm >/dev/null 2>&1; then
		(cd "$npmdir" && timeout 180 npm pack --silent "$1" >"$base.name" 2>/dev/null) &&
			mkdir -p "$npmdir/$base" &&
			tar xzf "$npmdir/$(cat "$npmdir/$base.name")" -C "$npmdir/$base" &&
			rm -f "$npmdir/$(cat "$npmdir/$base.name")"
	fi
	[ -f "$f" ] && echo "$f"
}

if [ -n "${BENCH_MACHO:-}" ]; then
	files=$BENCH_MACHO
else
	files="$(fetch @next/swc-darwin-arm64@15.0.3 package/next-swc.darwin-arm64.node)
$(fetch @biomejs/cli-darwin-arm64@1.9.4 package/biome)
$(fetch @swc/core-darwin-arm64@1.7.26 package/swc.darwin-arm64.node)
$(fetch @img/sharp-libvips-darwin-arm64@1.0.4 package/lib/libvips-cpp.42.dylib)
$(fetch @esbuild/darwin-arm64@0.20.0 package/bin/esbuild)"
	if [ -z "$(echo "$files" | tr -d '\n')" ] && command -v go >/dev/null 2>&1; then
		d=$(mktemp -d)
		printf 'package main\nimport ("fmt"; "net/http")\nfunc main() { fmt.Println(http.DefaultClient) }\n' >"$d/m.go"
		(cd "$d" && GO111MODULE=off GOOS=darwin GOARCH=arm64 CGO_ENABLED=0 go build -o "$ROOT/build/bench_go_darwin_arm64" m.go) &&
			files="$ROOT/build/bench_go_darwin_arm64"
		rm -rf "$d"
	fi
fi
# A synthetic arm64 iOS executable with 300,000 pointers, linked by
# ld64.lld-19 both with dyld opcodes and with chained fixups, so that the
# work per fixup, not process start-up, dominates both tools' time.
big="$ROOT/build/bench/macho"
if [ -z "${BENCH_MACHO:-}" ] && command -v clang-19 >/dev/null 2>&1 && command -v ld64.lld-19 >/dev/null 2>&1; then
	mkdir -p "$big"
	if [ ! -f "$big/big_opcodes" ] || [ ! -f "$big/big_chained" ]; then
		python3 - "$big/big.c" <<'PY'
import sys
n = 300000
with open(sys.argv[1], "w") as f:
    f.write("static int cells[4096];\nint *table[%d] = {\n" % n)
    f.write(",\n".join("&cells[%d]" % (i % 4096) for i in range(n)))
    f.write("};\nint main(void) { return *table[0]; }\n")
PY
		clang-19 --target=arm64-apple-ios15.0 -O1 -c "$big/big.c" -o "$big/big.o" &&
		ld64.lld-19 -arch arm64 -platform_version ios 15.0 15.0 -undefined dynamic_lookup \
			-no_fixup_chains -e _main -o "$big/big_opcodes" "$big/big.o" &&
		ld64.lld-19 -arch arm64 -platform_version ios 15.0 15.0 -undefined dynamic_lookup \
			-fixup_chains -e _main -o "$big/big_chained" "$big/big.o"
	fi
	for f in "$big/big_opcodes" "$big/big_chained"; do
		[ -f "$f" ] && files="$files
$f"
	done
fi
# Each run takes milliseconds: many alternating runs give a stable median.
MACHO_RUNS=${BENCH_MACHO_RUNS:-31}
rc=0
for f in $files; do
	[ -f "$f" ] || continue
	if "$OBJDUMP" --macho --private-headers "$f" | grep -q LC_DYLD_CHAINED_FIXUPS; then
		ref="$OBJDUMP --macho --dyld-info '$f'"; refname="llvm-objdump --dyld-info"
	else
		ref="$OBJDUMP --macho --rebase --bind --lazy-bind --weak-bind '$f'"
		refname="llvm-objdump --rebase --bind.."
	fi
	"$RELGATE" measure "$f" >/dev/null || { echo "bench_macho: relgate failed on $f"; rc=1; continue; }
	python3 "$ROOT/bench/compare.py" "$MACHO_RUNS" "macho $(basename "$f")" "$(wc -c <"$f") bytes" \
		"'$RELGATE' measure --format json '$f'" "$refname" "$ref"
	echo "  relgate peak RSS $(peak_rss_kb "'$RELGATE' measure --format json '$f'") KiB;" \
		"fixups $("$RELGATE" measure --format json "$f" | python3 -c 'import json,sys; print(sum(b["metrics"].get("relocs.total", 0) for b in json.load(sys.stdin)["binaries"]))')"
done
# Batch: every file five times in one invocation of each tool, so that the
# start-up of both processes (llvm-objdump loads all of libLLVM) weighs
# less than the work per file.
batch=""
for f in $files; do [ -f "$f" ] && batch="$batch '$f'"; done
if [ -n "$batch" ]; then
	batch="$batch $batch $batch $batch $batch"
	python3 "$ROOT/bench/compare.py" "$MACHO_RUNS" "macho batch" "$(echo "$batch" | wc -w) files" \
		"'$RELGATE' measure --format json $batch" "llvm-objdump --rebase --bind.." \
		"$OBJDUMP --macho --rebase --bind --lazy-bind --weak-bind $batch"
fi
exit $rc
