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
# Fixtures are cached under $FIXTURES/macho/chained-KEY (fixture_lib.sh).
. "$ROOT/tests/oracle/fixture_lib.sh"
CHAINS="$ROOT/tests/oracle/macho_chains.py"
require macho-chained clang-19 ld64.lld-19 python3 "$OBJDUMP" || exit 0

build() { # into $1
	d=$1
	python3 "$ROOT/tests/oracle/macho_gen.py" 2000 >"$d/p.c" &&
	printf '%s\n' "$MACHO_TBD" >"$d/libSystem.tbd" &&
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
	# macho_chains.py SRC LISTING OUT FORMAT [--auth] [--arm64e] [--split=N],
	# all in one python process (oracle_batch.py)
	t="	"
	{
		for f in 1 2 6 7 8 9 10 11 12 13 14; do
			echo "macho_chains.py$t$d/base64$t$d/base64.lst$t$d/fmt$f$t$f$t--auth$t--arm64e"
		done
		echo "macho_chains.py$t$d/base64$t$d/base64.lst$t$d/fmt2-arm64${t}2"
		for f in 3 4 5; do
			echo "macho_chains.py$t$d/base32$t$d/base32.lst$t$d/fmt$f$t$f$t--split=100"
		done
		echo "macho_chains.py$t$d/base64$t$d/base64.lst$t$d/threaded${t}threaded$t--auth"
		echo "macho_chains.py$t$d/basex64$t$d/basex64.lst$t$d/classic${t}classic"
	} >"$d/chains.jobs"
	python3 "$ROOT/tests/oracle/oracle_batch.py" "$d/chains.jobs" || return 1
	# A multi-start list whose START_LAST bits are cleared never ends.
	python3 - "$d/fmt3" "$d/fmt3-nolast" <<'PY' || return 1
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
}
fixtures_cached "macho-chained fixtures" macho/chained build "$MACHO_TBD" \
	"$ROOT/tests/oracle/macho_gen.py" "$CHAINS" "$ROOT/tests/oracle/macho_oracle.py" || exit 1
dir=$FIX

for f in fmt1 fmt2 fmt2-arm64 fmt3 fmt4 fmt5 fmt6 fmt7 fmt8 fmt9 fmt10 fmt11 fmt12 fmt13 fmt14 threaded classic; do
	measure_json "$f" "$dir/$f" || continue
	macho_oracle "macho-chained-$f" "$dir/$f" "$TEST_TMP/$f.json" 0 --expect "$dir/$f.expect.json"
	case $f in fmt2*|fmt6) # llvm-objdump decodes these: it must agree too
		macho_oracle "macho-chained-$f-objdump" "$dir/$f" "$TEST_TMP/$f.json" 0 --mode chained ;;
	classic) # llvm-objdump -r lists LC_DYSYMTAB relocations
		macho_oracle macho-classic-objdump "$dir/$f" "$TEST_TMP/$f.json" 0 --mode classic ;;
	esac
done
# A multi-start list whose START_LAST bits are cleared never ends: exit 2,
# one line, no sanitizer report.
check_exit macho-chained-multistart-no-end 2 "$RELGATE" measure "$dir/fmt3-nolast"
check_eq macho-chained-multistart-no-end-message 1 "$(grep -c "^relgate: .*: chained fixups: multi-start list of page [0-9]* in __DATA[A-Z_]* has no end$" "$TEST_TMP/last.err")"

# arm64e (cpusubtype 2, capability bits masked) is named so and gets the
# 16 KiB default page; so does arm64_32 (watchOS runs it on 16 KiB-page
# kernels; test_macho_lld.sh checks the linker's segment alignment).
json_eq macho-arm64e-arch-pagesize "$TEST_TMP/fmt1.json" '"%s %s" % (b["arch"], b["page_size"])' "arm64e 16384"
json_eq macho-arm64_32-arch-pagesize "$TEST_TMP/fmt3.json" '"%s %s" % (b["arch"], b["page_size"])' "arm64_32 16384"
# The 32-bit fixtures really have multi-start pages, and the arm64e ones
# really have authenticated fixups (else the tests above prove less).
json_eq macho-chained-multistart-present "$dir/fmt3.expect.json" 'doc["multi_start_pages"] > 0' True
json_eq macho-chained-auth-present "$dir/fmt1.expect.json" 'any(x[2] for x in doc["fixups"])' True
exit 0
