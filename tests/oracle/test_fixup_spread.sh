#!/bin/sh
# tests/oracle/test_fixup_spread.sh - "fixups are scattered over too much
# address space", end to end, on files made by real linkers.
#
# relgate keeps dirty pages in bitmaps of 4 KiB chunks, each covering 32768
# pages, allocated where fixups land (parsers/model.c), and refuses a
# binary whose bitmaps would pass RG_MAX_BITMAP_BYTES = 128 MiB
# (parsers/model.h; the message comes from parsers/measure.c). Hand
# derivation of the boundary: with fixups exactly one chunk span apart
# (32768 pages: 128 MiB at ELF x86-64's 4 KiB pages, 512 MiB at arm64
# Mach-O's 16 KiB) each of N fixups costs a chunk of its own, 4096 bytes,
# plus the region's chunk-pointer array (8 bytes per chunk span: N * 8
# bytes here) and a chunk for the linker's own fixups elsewhere. So
#   N = 31744: 31744 * 4096 + 31744 * 8 + a few KiB = ~124.3 MiB  < 128 MiB
#              accepted, and every count must match the usual oracle;
#   N = 33792: 33792 * 4096 = 132 MiB > 128 MiB: refused with exit 2 and
#              one line naming the file and the problem.
# A dense file (N = 65536 fixups on consecutive pages: 1 GiB of Mach-O
# __DATA, all dirty) costs two chunks and must be accepted too.
# The files are ld.lld-19 / ld64.lld-19 outputs rewritten by
# fixup_spread.py (its docstring says how); the accepted ones are judged by
# llvm-readelf + binutils readelf (elf_oracle.py) and llvm-objdump
# (macho_oracle.py). Every run must also stay under 300 MB of peak memory
# (the ASan build; /usr/bin/time, else python's getrusage) and never print
# a sanitizer report (exit 98/99, or more than one line).
. "$ROOT/tests/oracle/elf_lib.sh"
. "$ROOT/tests/oracle/fixture_lib.sh"
require fixup-spread clang-19 ld.lld-19 ld64.lld-19 python3 "$OBJDUMP" || exit 0

fixture lld-relr "clang-19 --target=x86_64-linux-gnu -O1 -fPIC -c -o lib.x86_64.o lib.c && ld.lld-19 -shared -z pack-relative-relocs -o \"\$OUT\" lib.x86_64.o" ||
	{ not_ok "fixup-spread: lld-relr" "build failed"; exit 1; }

build() { # into $1
	d=$1
	python3 "$ROOT/tests/oracle/macho_gen.py" 20 >"$d/p.c" &&
	clang-19 --target=arm64-apple-ios15.0 -O1 -c "$d/p.c" -o "$d/p.o" &&
	ld64.lld-19 -arch arm64 -platform_version ios 15.0 15.0 -undefined dynamic_lookup \
		-no_fixup_chains "$d/p.o" -o "$d/macho" || return 1
	# fixup_spread.py KIND IN OUT N STEP, all in one python process
	t="	" e=$ELF_FIX/lld-relr m=$d/macho chunk=$((32768 * 4096))
	cat >"$d/jobs" <<-JOBS
	fixup_spread.py${t}elf${t}$e${t}$d/elf-under${t}31744${t}$chunk
	fixup_spread.py${t}elf${t}$e${t}$d/elf-over${t}33792${t}$chunk
	fixup_spread.py${t}macho${t}$m${t}$d/macho-under${t}31744${t}$((chunk * 4))
	fixup_spread.py${t}macho${t}$m${t}$d/macho-over${t}33792${t}$((chunk * 4))
	fixup_spread.py${t}macho${t}$m${t}$d/macho-dense${t}65536${t}16384
	JOBS
	python3 "$ROOT/tests/oracle/oracle_batch.py" "$d/jobs"
}
fixtures_cached "fixup-spread fixtures" spread build "$ELF_FIX/lld-relr" \
	"$ROOT/tests/oracle/fixup_spread.py" "$ROOT/tests/oracle/macho_gen.py" || exit 1

# run NAME FILE: relgate measure --format json FILE, output in
# $TEST_TMP/NAME.{json,err}, exit status in $rc, peak resident KiB in $kb.
run() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f %M -o "$TEST_TMP/$1.rss" "$RELGATE" measure --format json "$2" \
			>"$TEST_TMP/$1.json" 2>"$TEST_TMP/$1.err"
		rc=$?
		kb=$(tail -n 1 "$TEST_TMP/$1.rss")
	else
		kb=$(python3 -c 'import resource, subprocess, sys
rc = subprocess.run(sys.argv[3:], stdout=open(sys.argv[1], "w"),
                    stderr=open(sys.argv[2], "w")).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)' \
			"$TEST_TMP/$1.json" "$TEST_TMP/$1.err" "$RELGATE" measure --format json "$2")
		rc=${kb#* } kb=${kb% *}
	fi
	if [ "$kb" -lt 292968 ] 2>/dev/null; then # KiB: 300 MB
		ok "fixup-spread $1: peak memory under 300 MB ($kb KiB)"
	else
		not_ok "fixup-spread $1: peak memory" "${kb} KiB"
	fi
}

# Over the cap: exit 2, no output, one line naming the file and the cause.
for f in elf-over macho-over; do
	run "$f" "$FIX/$f"
	check_eq "fixup-spread $f: exit 2" 2 "$rc"
	check_eq "fixup-spread $f: nothing on stdout" 0 "$(wc -c <"$TEST_TMP/$f.json")"
	check_eq "fixup-spread $f: message" \
		"relgate: $FIX/$f: fixups are scattered over too much address space (page bitmaps would exceed 128 MiB)" \
		"$(cat "$TEST_TMP/$f.err")"
done

# Under the cap, and dense: accepted, every number as the oracles say.
for f in elf-under macho-under macho-dense; do
	run "$f" "$FIX/$f"
	check_eq "fixup-spread $f: exit 0" 0 "$rc"
done
judge fixup-spread-elf-under "$FIX/elf-under"
judge_all
for f in macho-under macho-dense; do
	macho_oracle "fixup-spread-$f" "$FIX/$f" "$TEST_TMP/$f.json" 0
done
# The rewritten files really are what the derivation above assumes.
json_eq "fixup-spread elf-under: spans terabytes" "$TEST_TMP/elf-under.json" \
	'b["metrics"]["vm.size"] > 31743 * 128 * 2**20' True
json_eq "fixup-spread macho-under: spans terabytes" "$TEST_TMP/macho-under.json" \
	'b["metrics"]["vm.size"] > 31743 * 512 * 2**20' True
json_eq "fixup-spread macho-dense: 65536 dirty pages in __DATA" "$TEST_TMP/macho-dense.json" \
	'b["metrics"]["segment[__DATA].dirty_pages"] >= 65536' True
exit 0
