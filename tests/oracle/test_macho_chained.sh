#!/bin/sh
# tests/oracle/test_macho_chained.sh - every chained-fixup pointer format of
# Apple's fixup-chains.h, and BIND_OPCODE_THREADED.
#
# ld64.lld-19 emits only DYLD_CHAINED_PTR_64 (and opcode streams), and
# llvm-objdump-19 --dyld-info decodes only DYLD_CHAINED_PTR_64 and
# 64_OFFSET ("unsupported chained fixup pointer_format N" otherwise). So
# (Classic LC_DYSYMTAB relocations, which no current linker writes for an
# x86_64 image, are made the same way from an x86_64 opcode-based image.)
# macho_chains.py rewrites an lld output (arm64 iOS, and arm64_32 watchOS for
# the 32-bit formats) whose fixups llvm-objdump listed, placing one chain
# entry per listed location in the chosen format (authenticating every other
# one for arm64e formats; splitting 32-bit chains to make START_MULTI pages).
# The script's record of what it placed (FILE.expect.json) is the hand
# derivation relgate is compared with; for formats 2 and 6 llvm-objdump
# decodes the rewritten file too, which checks the rewriter itself.
. "$ROOT/tests/lib.sh"
ORACLE="$ROOT/tests/oracle/macho_oracle.py"
CHAINS="$ROOT/tests/oracle/macho_chains.py"
OBJDUMP="$LLVM_BIN/llvm-objdump"
if ! need clang-19 ld64.lld-19 python3 || [ ! -x "$OBJDUMP" ]; then
	skip macho-chained "clang-19, ld64.lld-19 or llvm-objdump missing"
	exit 0
fi
key=$(cat "$ROOT/tests/oracle/macho_gen.py" "$CHAINS" "$0" | cksum | cut -d' ' -f1)
dir="$FIXTURES/macho/chained-$key"

build() {
	d=$1
	mkdir -p "$d" || return 1
	python3 "$ROOT/tests/oracle/macho_gen.py" 2000 >"$d/p.c" || return 1
	cat >"$d/libSystem.tbd" <<'TBD'
--- !tapi-tbd
tbd-version:     4
targets:         [ arm64-ios, arm64_32-watchos, x86_64-macos ]
install-name:    '/usr/lib/libSystem.B.dylib'
current-version: 1311
exports:
  - targets:         [ arm64-ios, arm64_32-watchos, x86_64-macos ]
    symbols:         [ _printf, _malloc, _free, _puts, _ext_var, _ext_arr, dyld_stub_binder ]
    weak-symbols:    [ _weakover ]
...
TBD
	clang-19 --target=arm64-apple-ios14.0 -O1 -c "$d/p.c" -o "$d/a64.o" &&
	clang-19 --target=arm64_32-apple-watchos7.0 -O1 -c "$d/p.c" -o "$d/a32.o" &&
	ld64.lld-19 -arch arm64 -platform_version ios 14.0 14.0 "$d/libSystem.tbd" \
		-no_fixup_chains "$d/a64.o" -o "$d/base64" &&
	ld64.lld-19 -arch arm64_32 -platform_version watchos 7.0 7.0 "$d/libSystem.tbd" \
		-no_fixup_chains "$d/a32.o" -o "$d/base32" &&
	clang-19 --target=x86_64-apple-macos10.15 -O1 -c "$d/p.c" -o "$d/x64.o" &&
	ld64.lld-19 -arch x86_64 -platform_version macos 10.15 10.15 "$d/libSystem.tbd" \
		-no_fixup_chains "$d/x64.o" -o "$d/basex64" || return 1
	for b in base64 base32 basex64; do
		"$OBJDUMP" --macho --rebase --bind --lazy-bind --weak-bind "$d/$b" >"$d/$b.lst" || return 1
	done
	for f in 1 2 6 7 8 9 10 11 12 13 14; do
		python3 "$CHAINS" "$d/base64" "$d/base64.lst" "$d/fmt$f" $f --auth --arm64e || return 1
	done
	python3 "$CHAINS" "$d/base64" "$d/base64.lst" "$d/fmt2-arm64" 2 || return 1
	for f in 3 4 5; do
		python3 "$CHAINS" "$d/base32" "$d/base32.lst" "$d/fmt$f" $f --split=100 || return 1
	done
	python3 "$CHAINS" "$d/base64" "$d/base64.lst" "$d/threaded" threaded --auth &&
	python3 "$CHAINS" "$d/basex64" "$d/basex64.lst" "$d/classic" classic || return 1
	touch "$d/done"
}
if [ ! -f "$dir/done" ]; then
	rm -rf "$dir.tmp"
	if ! build "$dir.tmp"; then
		not_ok macho-chained-build "could not build the fixtures"
		exit 1
	fi
	rm -rf "$dir" && mv "$dir.tmp" "$dir"
fi

for f in fmt1 fmt2 fmt2-arm64 fmt3 fmt4 fmt5 fmt6 fmt7 fmt8 fmt9 fmt10 fmt11 fmt12 fmt13 fmt14 threaded classic; do
	if ! "$RELGATE" measure --format json "$dir/$f" >"$TEST_TMP/m.json" 2>"$TEST_TMP/m.err"; then
		not_ok "macho-chained-$f" "relgate failed: $(head -c 300 "$TEST_TMP/m.err")"
		continue
	fi
	python3 "$ORACLE" "$OBJDUMP" "$dir/$f" "$TEST_TMP/m.json" 0 "macho-chained-$f" \
		--expect "$dir/$f.expect.json"
	case $f in fmt2*|fmt6) # llvm-objdump decodes these: it must agree too
		python3 "$ORACLE" "$OBJDUMP" "$dir/$f" "$TEST_TMP/m.json" 0 "macho-chained-$f-objdump" \
			--mode chained ;;
	classic) # llvm-objdump -r lists LC_DYSYMTAB relocations
		python3 "$ORACLE" "$OBJDUMP" "$dir/$f" "$TEST_TMP/m.json" 0 "macho-classic-objdump" \
			--mode classic ;;
	esac
done
# A multi-start list whose START_LAST bits are cleared never ends: exit 2,
# one line, no sanitizer report.
python3 - "$dir/fmt3" "$TEST_TMP/nolast" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
off, n = 28, struct.unpack_from("<I", b, 16)[0]
for _ in range(n):
    c, s = struct.unpack_from("<2I", b, off)
    if c == 0x80000034:
        doff = struct.unpack_from("<I", b, off + 8)[0]
    off += s
sii = doff + struct.unpack_from("<I", b, doff + 4)[0]
for i in range(struct.unpack_from("<I", b, sii)[0]):
    so = struct.unpack_from("<I", b, sii + 4 + 4 * i)[0]
    if not so:
        continue
    sis = sii + so
    size, npages = struct.unpack_from("<I", b, sis)[0], struct.unpack_from("<H", b, sis + 20)[0]
    for k in range(npages, (size - 22) // 2):
        e = sis + 22 + 2 * k
        struct.pack_into("<H", b, e, struct.unpack_from("<H", b, e)[0] & 0x7fff)
open(sys.argv[2], "wb").write(b)
PY
check_exit macho-chained-multistart-no-end 2 "$RELGATE" measure "$TEST_TMP/nolast"
check_eq macho-chained-multistart-no-end-message 1 "$(grep -c "^relgate: .*: chained fixups: multi-start list of page [0-9]* in __DATA[A-Z_]* has no end$" "$TEST_TMP/last.err")"

# arm64e (cpusubtype 2, capability bits masked) is named so and gets the
# 16 KiB default page; arm64_32 the 4 KiB one (SPEC.md).
check_eq macho-arm64e-arch-pagesize "arm64e 16384" "$("$RELGATE" measure --format json "$dir/fmt1" | python3 -c 'import json,sys; b=json.load(sys.stdin)["binaries"][0]; print(b["arch"], b["page_size"])')"
check_eq macho-arm64_32-arch-pagesize "arm64_32 4096" "$("$RELGATE" measure --format json "$dir/fmt3" | python3 -c 'import json,sys; b=json.load(sys.stdin)["binaries"][0]; print(b["arch"], b["page_size"])')"
# The 32-bit fixtures really have multi-start pages, and the arm64e ones
# really have authenticated fixups (else the tests above prove less).
check_eq macho-chained-multistart-present yes "$(python3 -c 'import json,sys; print("yes" if json.load(open(sys.argv[1]))["multi_start_pages"] > 0 else "no")' "$dir/fmt3.expect.json")"
check_eq macho-chained-auth-present yes "$(python3 -c 'import json,sys; print("yes" if any(x[2] for x in json.load(open(sys.argv[1]))["fixups"]) else "no")' "$dir/fmt1.expect.json")"
exit 0
