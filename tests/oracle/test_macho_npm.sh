#!/bin/sh
# tests/oracle/test_macho_npm.sh - real Mach-O binaries built on Apple
# machines, as shipped on the npm registry: esbuild (Go's linker, arm64
# and x86_64), fsevents (Apple ld, universal x86_64+arm64 bundle), sharp,
# libvips and skia (C/C++ dylibs and bundles, arm64 and x86_64), and the
# Rust bundles and executables of rollup, swc, lightningcss, parcel's
# watcher, tailwind's oxide, biome, turbo and Next.js's swc (125 MB, the
# largest Mach-O at hand), and a classic image without dyld info (esbuild
# 0.6.31, Go 1.15 darwin/amd64: symbol pointers bound through the
# indirect symbol table). Each slice is compared with
# llvm-objdump-19 (macho_oracle.py). Packages are fetched once with
# `npm pack` into $FIXTURES/macho/npm; without npm or the registry the
# test says skip.
. "$ROOT/tests/lib.sh"
ORACLE="$ROOT/tests/oracle/macho_oracle.py"
OBJDUMP="$LLVM_BIN/llvm-objdump"
if ! need npm tar python3 || [ ! -x "$OBJDUMP" ]; then
	skip macho-npm "npm, tar or llvm-objdump missing"
	exit 0
fi
dir="$FIXTURES/macho/npm"
mkdir -p "$dir"
# package  file inside the package
while read -r pkg file; do
	base=$(echo "$pkg" | sed 's/^@//; s/\//-/; s/@/-/')
	if [ ! -f "$dir/$base/$file" ]; then
		rm -rf "$dir/$base" "$dir/$base.tgz"
		if ! (cd "$dir" && timeout 120 npm pack --silent "$pkg" >"$base.name" 2>/dev/null) ||
			[ ! -s "$dir/$(cat "$dir/$base.name")" ]; then
			skip "macho-npm-$base" "npm pack $pkg failed (registry unreachable?)"
			continue
		fi
		mkdir -p "$dir/$base" && tar xzf "$dir/$(cat "$dir/$base.name")" -C "$dir/$base" &&
			rm -f "$dir/$(cat "$dir/$base.name")"
	fi
	f="$dir/$base/$file"
	if ! "$RELGATE" measure --format json "$f" >"$TEST_TMP/m.json" 2>"$TEST_TMP/m.err"; then
		not_ok "macho-npm-$base" "relgate failed: $(head -c 300 "$TEST_TMP/m.err")"
		continue
	fi
	archs=$(python3 -c 'import json,sys; print(" ".join(b["arch"] for b in json.load(open(sys.argv[1]))["binaries"]))' "$TEST_TMP/m.json")
	for a in $archs; do
		python3 "$ORACLE" "$OBJDUMP" "$f" "$TEST_TMP/m.json" -1 "macho-npm-$base-$a" --arch "$a"
	done
	# Attribution (attr_oracle.py) on Apple-built Mach-O: C/C++ dylibs and
	# bundles, Go's esbuild with opcode streams, Rust bundles; the
	# packages of C++ (libvips) and Rust (tailwind's oxide: legacy
	# mangling, thread-locals' $tlv$init) judged on c++filt's demangling.
	case $base in
	img-sharp-libvips-darwin-x64-1.0.4|tailwindcss-oxide-darwin-arm64-4.0.0)
		for a in $archs; do
			attr_judge "attr-npm-$base-$a" "$f" "--keys symbol,section,target,package,target-package --syms macho --arch $a"
		done ;;
	fsevents-2.3.3|img-sharp-darwin-arm64-0.33.5|rollup-rollup-darwin-arm64-4.24.0)
		for a in $archs; do
			attr_judge "attr-npm-$base-$a" "$f" "--keys symbol,section,target --syms macho --arch $a"
		done ;;
	esbuild-darwin-arm64-0.20.0)
		attr_judge "attr-npm-$base" "$f" "--keys symbol,section,package,target --syms macho" ;;
	esbuild-darwin-x64-0.24.0) # stripped, a Go 1.20+ pclntab: no independent function table
		attr_judge "attr-npm-$base" "$f" "--keys symbol,section --syms macho" ;;
	esbuild-darwin-arm64-0.11.20|esbuild-darwin-arm64-0.14.38) # Go 1.16 and Go 1.18
		attr_judge "attr-npm-$base" "$f" "--keys symbol,section,package,target,target-package --syms macho" ;;
	esac
done <<'PKGS'
@esbuild/darwin-arm64@0.20.0 package/bin/esbuild
fsevents@2.3.3 package/fsevents.node
@img/sharp-darwin-arm64@0.33.5 package/lib/sharp-darwin-arm64.node
@rollup/rollup-darwin-arm64@4.24.0 package/rollup.darwin-arm64.node
@swc/core-darwin-arm64@1.7.26 package/swc.darwin-arm64.node
@img/sharp-libvips-darwin-arm64@1.0.4 package/lib/libvips-cpp.42.dylib
@img/sharp-libvips-darwin-x64@1.0.4 package/lib/libvips-cpp.42.dylib
lightningcss-darwin-arm64@1.27.0 package/lightningcss.darwin-arm64.node
@esbuild/darwin-x64@0.24.0 package/bin/esbuild
@rollup/rollup-darwin-x64@4.24.0 package/rollup.darwin-x64.node
@parcel/watcher-darwin-arm64@2.5.0 package/watcher.node
@tailwindcss/oxide-darwin-arm64@4.0.0 package/tailwindcss-oxide.darwin-arm64.node
@biomejs/cli-darwin-arm64@1.9.4 package/biome
turbo-darwin-arm64@2.3.0 turbo-darwin-arm64/bin/turbo
@napi-rs/canvas-darwin-arm64@0.1.60 package/skia.darwin-arm64.node
@next/swc-darwin-arm64@15.0.3 package/next-swc.darwin-arm64.node
esbuild-darwin-64@0.6.31 package/bin/esbuild
esbuild-darwin-arm64@0.11.20 package/bin/esbuild
esbuild-darwin-arm64@0.14.38 package/bin/esbuild
PKGS
# esbuild 0.6.31 (Go 1.15, darwin/amd64) is a classic image: no dyld info,
# no chained fixups, no relocation entries; dyld binds its imports through
# the indirect symbol table into __nl_symbol_ptr, and the oracle counts
# them from `llvm-objdump --indirect-symbols`. The fixture must really be
# one (the comparison above would pass on 0 against 0 otherwise).
f="$dir/esbuild-darwin-64-0.6.31/package/bin/esbuild"
if [ -f "$f" ]; then
	"$OBJDUMP" --macho --private-headers --indirect-symbols "$f" >"$TEST_TMP/classic.txt" 2>&1
	check_eq macho-npm-classic-fixture "0 1 119" "$(grep -c 'LC_DYLD_INFO\|LC_DYLD_CHAINED' "$TEST_TMP/classic.txt") $(grep -c 'S_NON_LAZY_SYMBOL_POINTERS' "$TEST_TMP/classic.txt") $(sed -n 's/^Indirect symbols for (__DATA,__nl_symbol_ptr) \([0-9]*\) entries$/\1/p' "$TEST_TMP/classic.txt")"
	# Its __nl_symbol_ptr made to start past the end of the indirect symbol
	# table (reserved1 = 0xfffffff0): exit 2, one line naming the section.
	python3 -c '
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
i = d.index(b"__nl_symbol_ptr\0")
struct.pack_into("<I", d, i + 68, 0xfffffff0)
open(sys.argv[2], "wb").write(bytes(d))' "$f" "$TEST_TMP/badindirect"
	check_exit macho-npm-classic-bad-indirect 2 "$RELGATE" measure "$TEST_TMP/badindirect"
	check_eq macho-npm-classic-bad-indirect-message 1 "$(grep -c '^relgate: .*badindirect: section __DATA,__nl_symbol_ptr: 119 symbol pointers from indirect symbol 4294967280, but the table has 233$' "$TEST_TMP/last.err")"
fi
# biome's chains (Apple ld, 16 KiB chain pages) measured at 512-byte
# pages: a chain crosses 32 measurement pages, so an address off by one
# link, or a page a chain crosses but a walk skips, changes the count.
f="$dir/biomejs-cli-darwin-arm64-1.9.4/package/biome"
if [ -f "$f" ]; then
	if "$RELGATE" measure --format json --page-size 512 "$f" >"$TEST_TMP/p.json" 2>"$TEST_TMP/p.err"; then
		python3 "$ORACLE" "$OBJDUMP" "$f" "$TEST_TMP/p.json" -1 "macho-npm-biome-512" --arch arm64 --page-size 512
	else
		not_ok "macho-npm-biome-512" "relgate failed: $(head -c 300 "$TEST_TMP/p.err")"
	fi
	attr_judge "attr-npm-biome" "$f" "--keys section,target --syms macho --arch arm64"
fi
attr_judge_all

# docs/attribution.md's worked example: Go 1.16's __gopclntab rebases gone
# in Go 1.18. The counts come from llvm-objdump's section column here;
# relgate diff --by section must show the same change.
old="$dir/esbuild-darwin-arm64-0.11.20/package/bin/esbuild"
new="$dir/esbuild-darwin-arm64-0.14.38/package/bin/esbuild"
if [ -f "$old" ] && [ -f "$new" ]; then
	count() { "$OBJDUMP" --macho --rebase "$1" | awk '$1 == "__DATA_CONST" && $2 == "__gopclntab"' | wc -l | tr -d ' '; }
	a=$(count "$old") b=$(count "$new")
	[ "$a" -gt 0 ] && ok "worked example: llvm-objdump lists Go 1.16's __gopclntab rebases ($a)" ||
		not_ok "worked example: llvm-objdump lists Go 1.16's __gopclntab rebases" "none: the comparison below would pass on 0 against 0"
	"$RELGATE" diff --by section --format json "$old" "$new" >"$TEST_TMP/ex.json" 2>"$TEST_TMP/ex.err"
	check_eq "worked example: __gopclntab rebases (llvm-objdump: $a -> $b)" "$a $b $((b - a))" \
		"$(python3 -c 'import json,sys; r=[x for x in json.load(open(sys.argv[1]))["rows"] if x["name"]=="__DATA_CONST,__gopclntab"][0]; print(r["base"]["relocs"], r["head"]["relocs"], r["delta"]["relocs"])' "$TEST_TMP/ex.json" 2>&1)"
fi
exit 0
