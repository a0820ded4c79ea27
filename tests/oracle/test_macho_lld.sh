#!/bin/sh
# tests/oracle/test_macho_lld.sh - Mach-O made at test time by clang-19 and
# ld64.lld-19 (arm64 iOS 15, x86_64 macOS 11, arm64_32 watchOS 7 and a
# big-endian twin made by macho_swap.py; executables and dylibs;
# -fixup_chains and -no_fixup_chains; flat-namespace lookups and a libSystem
# .tbd stub with two-level binds and a weak-def override), plus llvm-lipo
# universal files (FAT_MAGIC and -fat64) and object files. Every expected
# number comes from llvm-objdump-19 (see macho_oracle.py); page-size
# defaults from docs/format-macho.md (16 KiB for arm64, 4 KiB for x86_64). Fixtures are
# cached under $FIXTURES/macho/lld-KEY (fixture_lib.sh).
. "$ROOT/tests/oracle/fixture_lib.sh"
LIPO="$LLVM_BIN/llvm-lipo"
require macho-lld clang-19 ld64.lld-19 python3 "$OBJDUMP" "$LIPO" || exit 0

build() { # into $1
	d=$1
	python3 "$ROOT/tests/oracle/macho_gen.py" 3000 >"$d/p.c" &&
	printf '%s\n' "$MACHO_TBD" >"$d/libSystem.tbd" || return 1
	clang-19 --target=arm64-apple-ios15.0 -O1 -c "$d/p.c" -o "$d/arm64.o" || return 1
	clang-19 --target=x86_64-apple-macos11 -O1 -c "$d/p.c" -o "$d/x86_64.o" || return 1
	for fc in fixup_chains no_fixup_chains; do
		for kind in exe dylib; do
			flag=; [ $kind = dylib ] && flag=-dylib
			ld64.lld-19 -arch arm64 -platform_version ios 15.0 15.0 -undefined dynamic_lookup \
				$flag -$fc "$d/arm64.o" -o "$d/arm64_${kind}_$fc" || return 1
			ld64.lld-19 -arch x86_64 -platform_version macos 11.0 11.0 -undefined dynamic_lookup \
				$flag -$fc "$d/x86_64.o" -o "$d/x86_64_${kind}_$fc" || return 1
		done
		ld64.lld-19 -arch arm64 -platform_version ios 15.0 15.0 "$d/libSystem.tbd" \
			-$fc "$d/arm64.o" -o "$d/arm64_tbd_$fc" || return 1
		ld64.lld-19 -arch x86_64 -platform_version macos 11.0 11.0 "$d/libSystem.tbd" \
			-$fc "$d/x86_64.o" -o "$d/x86_64_tbd_$fc" || return 1
	done
	# arm64_32 (32-bit pointers; lld writes no chains for it)
	clang-19 --target=arm64_32-apple-watchos7.0 -O1 -c "$d/p.c" -o "$d/arm64_32.o" &&
	ld64.lld-19 -arch arm64_32 -platform_version watchos 7.0 7.0 "$d/libSystem.tbd" \
		-no_fixup_chains "$d/arm64_32.o" -o "$d/arm64_32_tbd_no_fixup_chains" &&
	ld64.lld-19 -arch arm64_32 -platform_version watchos 7.0 7.0 -undefined dynamic_lookup \
		-dylib -no_fixup_chains "$d/arm64_32.o" -o "$d/arm64_32_dylib_no_fixup_chains" || return 1
	# the big-endian twin of an arm64 image (macho_swap.py)
	python3 "$ROOT/tests/oracle/macho_swap.py" "$d/arm64_tbd_no_fixup_chains" \
		"$d/arm64_bigendian" || return 1
	"$LIPO" -create "$d/arm64_exe_fixup_chains" "$d/x86_64_exe_no_fixup_chains" \
		-output "$d/universal" &&
	"$LIPO" -create -fat64 "$d/arm64_exe_no_fixup_chains" "$d/x86_64_exe_fixup_chains" \
		-output "$d/universal64" || return 1
}
fixtures_cached "macho-lld fixtures" macho/lld build "$MACHO_TBD" \
	"$ROOT/tests/oracle/macho_gen.py" "$ROOT/tests/oracle/macho_swap.py" || exit 1
dir=$FIX

# Thin images: every class count, per-segment relocs and dirty pages.
for arch in arm64 x86_64; do
	# (the exe_* flat-lookup variants are checked through the universal file)
	for v in dylib_fixup_chains dylib_no_fixup_chains tbd_fixup_chains tbd_no_fixup_chains; do
		macho_judge "macho-lld-$arch-$v" "$dir/${arch}_$v"
	done
done
for v in arm64_32_tbd_no_fixup_chains arm64_32_dylib_no_fixup_chains arm64_bigendian; do
	macho_judge "macho-lld-$v" "$dir/$v"
done
json_eq macho-bigendian-endian "$TEST_TMP/macho-lld-arm64_bigendian.json" '"%s %s" % (b["endian"], b["bits"])' "big 64"
json_eq macho-arm64_32-bits "$TEST_TMP/macho-lld-arm64_32_dylib_no_fixup_chains.json" '"%s %s" % (b["bits"], b["arch"])' "32 arm64_32"
# arm64_32 defaults to 16 KiB pages like arm64: the linker lays its
# segments out on 16 KiB boundaries (every LC_SEGMENT vmaddr as
# llvm-objdump prints it is a multiple of 16384, which a 4 KiB layout
# would not give: __TEXT is far smaller than 16 KiB).
json_eq macho-arm64_32-pagesize "$TEST_TMP/macho-lld-arm64_32_dylib_no_fixup_chains.json" 'b["page_size"]' 16384
"$OBJDUMP" --macho --private-headers "$dir/arm64_32_dylib_no_fixup_chains" >"$TEST_TMP/a32.ph" 2>&1
check_eq macho-arm64_32-segments-16k-aligned "0 4" "$(python3 -c "import sys; v = [int(l.split()[1], 16) for l in open(sys.argv[1]) if l.split()[:1] == [\"vmaddr\"]]; print(sum(x % 16384 != 0 for x in v), len(v))" "$TEST_TMP/a32.ph")"

# Default page size (docs/format-macho.md): 16 KiB for arm64, 4 KiB otherwise.
measure_json a "$dir/arm64_exe_fixup_chains" &&
	json_eq macho-pagesize-arm64 "$TEST_TMP/a.json" 'b["page_size"]' 16384
measure_json x "$dir/x86_64_exe_fixup_chains" &&
	json_eq macho-pagesize-x86_64 "$TEST_TMP/x.json" 'b["page_size"]' 4096
# --page-size overrides it; dirty pages recomputed by the oracle at 4 KiB.
measure_json p "$dir/arm64_exe_no_fixup_chains" --page-size 4096 &&
	macho_oracle macho-lld-pagesize-4k "$dir/arm64_exe_no_fixup_chains" "$TEST_TMP/p.json" 0 \
		--page-size 4096

# Universal: each slice on its own, file.size = the slice's size.
if measure_json u "$dir/universal"; then
	json_eq macho-universal-slices "$TEST_TMP/u.json" 'len(doc["binaries"])' 2
	for arch in arm64 x86_64; do
		macho_oracle "macho-universal-$arch" "$dir/universal" "$TEST_TMP/u.json" -1 --arch $arch
		want=$("$OBJDUMP" --macho --universal-headers "$dir/universal" | awk -v a=$arch '
			$1 == "architecture" { cur = $2 } $1 == "size" && cur == a { print $2 }')
		[ -n "$want" ] || not_ok "macho-universal-$arch-file.size" "llvm-objdump shows no $arch slice"
		json_eq "macho-universal-$arch-file.size" "$TEST_TMP/u.json" \
			"[x['metrics']['file.size'] for x in doc['binaries'] if x['arch'] == '$arch']" "[$want]"
	done
fi
# FAT_MAGIC_64 (llvm-lipo -fat64)
if measure_json u64 "$dir/universal64"; then
	for arch in arm64 x86_64; do
		macho_oracle "macho-universal64-$arch" "$dir/universal64" "$TEST_TMP/u64.json" -1 --arch $arch
	done
fi
measure_json ux "$dir/universal" --arch x86_64 &&
	json_eq macho-universal-arch-filter "$TEST_TMP/ux.json" '",".join(x["arch"] for x in doc["binaries"])' x86_64
check_exit macho-universal-unknown-arch 2 "$RELGATE" measure --arch armv7 "$dir/universal"
if grep -q "armv7" "$TEST_TMP/last.err" && grep -q "arm64" "$TEST_TMP/last.err" &&
	grep -q "x86_64" "$TEST_TMP/last.err" && [ "$(wc -l <"$TEST_TMP/last.err")" -eq 1 ]; then
	ok macho-universal-unknown-arch-message
else
	not_ok macho-universal-unknown-arch-message "$(cat "$TEST_TMP/last.err")"
fi

# Object files: sizes only.
for arch in arm64 x86_64; do
	macho_judge "macho-object-$arch" "$dir/$arch.o" --mode object
done

# Attribution (attr_oracle.py): llvm-nm -m symbols joined by address with
# llvm-objdump's fixups; chained and opcode-stream targets and binds.
for f in arm64_dylib_fixup_chains arm64_tbd_no_fixup_chains x86_64_tbd_fixup_chains \
	arm64_32_tbd_no_fixup_chains; do
	attr_judge "attr-$f" "$dir/$f" "--keys symbol,section,target --syms macho"
done
attr_judge "attr-universal-x86_64" "$dir/universal" "--keys symbol,target --syms macho --arch x86_64"
attr_judge_all
exit 0
