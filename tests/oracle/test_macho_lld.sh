#!/bin/sh
# tests/oracle/test_macho_lld.sh - Mach-O made at test time by clang-19 and
# ld64.lld-19 (arm64 iOS 15, x86_64 macOS 11, arm64_32 watchOS 7 and a
# big-endian twin made by macho_swap.py; executables and dylibs;
# -fixup_chains and -no_fixup_chains; flat-namespace lookups and a libSystem
# .tbd stub with two-level binds and a weak-def override), plus llvm-lipo
# universal files (FAT_MAGIC and -fat64) and object files. Every expected
# number comes from llvm-objdump-19 (see macho_oracle.py); page-size
# defaults from SPEC.md (16 KiB for arm64, 4 KiB for x86_64).
. "$ROOT/tests/lib.sh"
ORACLE="$ROOT/tests/oracle/macho_oracle.py"
OBJDUMP="$LLVM_BIN/llvm-objdump"
LIPO="$LLVM_BIN/llvm-lipo"
if ! need clang-19 ld64.lld-19 python3 || [ ! -x "$OBJDUMP" ] || [ ! -x "$LIPO" ]; then
	skip macho-lld "clang-19, ld64.lld-19 or llvm-19 tools missing"
	exit 0
fi

key=$(cat "$ROOT/tests/oracle/macho_gen.py" "$ROOT/tests/oracle/macho_swap.py" "$0" | cksum | cut -d' ' -f1)
dir="$FIXTURES/macho/lld-$key"

build() { # into $1
	d=$1
	mkdir -p "$d" || return 1
	python3 "$ROOT/tests/oracle/macho_gen.py" 3000 >"$d/p.c" || return 1
	cat >"$d/libSystem.tbd" <<'TBD'
--- !tapi-tbd
tbd-version:     4
targets:         [ arm64-ios, x86_64-macos, arm64_32-watchos ]
install-name:    '/usr/lib/libSystem.B.dylib'
current-version: 1311
exports:
  - targets:         [ arm64-ios, x86_64-macos, arm64_32-watchos ]
    symbols:         [ _printf, _malloc, _free, _puts, _ext_var, _ext_arr, dyld_stub_binder ]
    weak-symbols:    [ _weakover ]
...
TBD
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
	touch "$d/done"
}
if [ ! -f "$dir/done" ]; then
	rm -rf "$dir.tmp"
	if ! build "$dir.tmp"; then
		not_ok macho-lld-build "could not build the fixtures"
		exit 1
	fi
	rm -rf "$dir" && mv "$dir.tmp" "$dir"
fi

# Thin images: every class count, per-segment relocs and dirty pages.
for arch in arm64 x86_64; do
	# (the exe_* flat-lookup variants are checked through the universal file)
	for v in dylib_fixup_chains dylib_no_fixup_chains tbd_fixup_chains tbd_no_fixup_chains; do
		f="$dir/${arch}_$v"
		if ! "$RELGATE" measure --format json "$f" >"$TEST_TMP/m.json" 2>"$TEST_TMP/m.err"; then
			not_ok "macho-lld-$arch-$v" "relgate failed: $(head -c 300 "$TEST_TMP/m.err")"
			continue
		fi
		python3 "$ORACLE" "$OBJDUMP" "$f" "$TEST_TMP/m.json" 0 "macho-lld-$arch-$v"
	done
done

for v in arm64_32_tbd_no_fixup_chains arm64_32_dylib_no_fixup_chains arm64_bigendian; do
	if "$RELGATE" measure --format json "$dir/$v" >"$TEST_TMP/m.json" 2>"$TEST_TMP/m.err"; then
		python3 "$ORACLE" "$OBJDUMP" "$dir/$v" "$TEST_TMP/m.json" 0 "macho-lld-$v"
	else
		not_ok "macho-lld-$v" "relgate failed: $(head -c 300 "$TEST_TMP/m.err")"
	fi
done
check_eq macho-bigendian-endian "big 64" "$(python3 -c 'import json,sys; b=json.load(open(sys.argv[1]))["binaries"][0]; print(b["endian"], b["bits"])' "$TEST_TMP/m.json")"
check_eq macho-arm64_32-bits "32 arm64_32" "$("$RELGATE" measure --format json "$dir/arm64_32_dylib_no_fixup_chains" | python3 -c 'import json,sys; b=json.load(sys.stdin)["binaries"][0]; print(b["bits"], b["arch"])')"

# Default page size (SPEC.md): 16 KiB for arm64, 4 KiB otherwise.
"$RELGATE" measure --format json "$dir/arm64_exe_fixup_chains" >"$TEST_TMP/a.json"
"$RELGATE" measure --format json "$dir/x86_64_exe_fixup_chains" >"$TEST_TMP/x.json"
check_eq macho-pagesize-arm64 16384 "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["binaries"][0]["page_size"])' "$TEST_TMP/a.json")"
check_eq macho-pagesize-x86_64 4096 "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["binaries"][0]["page_size"])' "$TEST_TMP/x.json")"
# --page-size overrides it; dirty pages recomputed by the oracle at 4 KiB.
"$RELGATE" measure --format json --page-size 4096 "$dir/arm64_exe_no_fixup_chains" >"$TEST_TMP/p.json" &&
	python3 "$ORACLE" "$OBJDUMP" "$dir/arm64_exe_no_fixup_chains" "$TEST_TMP/p.json" 0 \
		macho-lld-pagesize-4k --page-size 4096

# Universal: each slice on its own, file.size = the slice's size.
if "$RELGATE" measure --format json "$dir/universal" >"$TEST_TMP/u.json" 2>"$TEST_TMP/u.err"; then
	check_eq macho-universal-slices 2 "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["binaries"]))' "$TEST_TMP/u.json")"
	for arch in arm64 x86_64; do
		python3 "$ORACLE" "$OBJDUMP" "$dir/universal" "$TEST_TMP/u.json" -1 \
			"macho-universal-$arch" --arch $arch
		want=$("$OBJDUMP" --macho --universal-headers "$dir/universal" | awk -v a=$arch '
			$1 == "architecture" { cur = $2 } $1 == "size" && cur == a { print $2 }')
		got=$(python3 -c 'import json,sys
for b in json.load(open(sys.argv[1]))["binaries"]:
    if b["arch"] == sys.argv[2]: print(b["metrics"]["file.size"])' "$TEST_TMP/u.json" $arch)
		check_eq "macho-universal-$arch-file.size" "$want" "$got"
	done
else
	not_ok macho-universal "relgate failed: $(head -c 300 "$TEST_TMP/u.err")"
fi
# FAT_MAGIC_64 (llvm-lipo -fat64)
if "$RELGATE" measure --format json "$dir/universal64" >"$TEST_TMP/u64.json" 2>"$TEST_TMP/u.err"; then
	for arch in arm64 x86_64; do
		python3 "$ORACLE" "$OBJDUMP" "$dir/universal64" "$TEST_TMP/u64.json" -1 \
			"macho-universal64-$arch" --arch $arch
	done
else
	not_ok macho-universal64 "relgate failed: $(head -c 300 "$TEST_TMP/u.err")"
fi
"$RELGATE" measure --format json --arch x86_64 "$dir/universal" >"$TEST_TMP/ux.json"
check_eq macho-universal-arch-filter "x86_64" "$(python3 -c 'import json,sys; print(",".join(b["arch"] for b in json.load(open(sys.argv[1]))["binaries"]))' "$TEST_TMP/ux.json")"
check_exit macho-universal-unknown-arch 2 "$RELGATE" measure --arch armv7 "$dir/universal"
if grep -q "armv7" "$TEST_TMP/last.err" && grep -q "arm64" "$TEST_TMP/last.err" &&
	grep -q "x86_64" "$TEST_TMP/last.err" && [ "$(wc -l <"$TEST_TMP/last.err")" -eq 1 ]; then
	ok macho-universal-unknown-arch-message
else
	not_ok macho-universal-unknown-arch-message "$(cat "$TEST_TMP/last.err")"
fi

# Object files: sizes only.
for arch in arm64 x86_64; do
	"$RELGATE" measure --format json "$dir/$arch.o" >"$TEST_TMP/o.json" &&
		python3 "$ORACLE" "$OBJDUMP" "$dir/$arch.o" "$TEST_TMP/o.json" 0 \
			"macho-object-$arch" --mode object
done
exit 0
