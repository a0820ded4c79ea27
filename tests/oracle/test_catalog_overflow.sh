#!/bin/sh
# Sizes a hostile binary declares must not overflow the metric catalog
# (issue 12 item 8): two same-named zero-fill sections of 2^62 bytes each
# (tests/oracle/overflow_gen.py) add up past INT64_MAX. readelf lists the
# ELF's two .bss sizes; the Mach-O's are the generator's, confirmed by Go's
# debug/macho (tests/oracle/macho_sections.go: llvm-objdump, llvm-readobj
# and llvm-otool refuse the file, its sections being larger than their
# segment). Expected: exit 0 with the sum saturated at INT64_MAX, or exit
# 2; never a negative size, never a sanitizer report.
. "$ROOT/tests/lib.sh"
gen=$ROOT/tests/oracle/overflow_gen.py
max=9223372036854775807

# want SUM: min(SUM, INT64_MAX), by Python's unbounded integers
want() { python3 -c "import sys; print(min(int(sys.argv[1]), $max))" "$1"; }

python3 "$gen" "$TEST_TMP/two-bss.elf" 0x4000000000000000 elf
if need readelf; then
	sum=$(readelf -SW "$TEST_TMP/two-bss.elf" | python3 -c '
import re, sys
print(sum(int(m.group(1), 16) for m in
          (re.search(r"\]\s+\.bss\s+\S+\s+\S+\s+\S+\s+([0-9a-f]+)", l) for l in sys.stdin) if m))')
	check_exit "ELF, two .bss of 2^62: exit 0" 0 "$RELGATE" measure --format json "$TEST_TMP/two-bss.elf"
	check_eq "ELF: section[.bss].size saturates (readelf's sum $sum)" "$(want "$sum")" \
		"$(metric "$TEST_TMP/last.out" 'section[.bss].size')"
else
	skip "ELF two .bss" "needs readelf"
fi
python3 "$gen" "$TEST_TMP/two-bss.macho" 0x4000000000000000 macho
check_exit "Mach-O, two __bss of 2^62: exit 0" 0 "$RELGATE" measure --format json "$TEST_TMP/two-bss.macho"
check_eq "Mach-O: section[__DATA,__bss].size saturates (2 x 2^62)" "$(want 9223372036854775808)" \
	"$(metric "$TEST_TMP/last.out" 'section[__DATA,__bss].size')"
if ! need go; then
	skip "Mach-O two __bss by debug/macho" "needs go"
elif ! go run "$ROOT/tests/oracle/macho_sections.go" "$TEST_TMP/two-bss.macho" \
	>"$TEST_TMP/secs" 2>"$TEST_TMP/go.err"; then
	not_ok "Mach-O: debug/macho reads two-bss.macho" "$(head -c 300 "$TEST_TMP/go.err")"
else
	# debug/macho's sizes of the two __DATA,__bss, summed by Python.
	sum=$(python3 -c '
import sys
print(sum(int(l.split("\t")[2]) for l in open(sys.argv[1])
          if l.split("\t")[:2] == ["__DATA", "__bss"]))' "$TEST_TMP/secs")
	check_eq "Mach-O: debug/macho lists the generator's two __bss (2 x 2^62)" \
		9223372036854775808 "$sum"
	check_eq "Mach-O: section[__DATA,__bss].size saturates (debug/macho's sum $sum)" \
		"$(want "$sum")" "$(metric "$TEST_TMP/last.out" 'section[__DATA,__bss].size')"
fi
for f in two-bss.elf two-bss.macho; do
	"$RELGATE" measure "$TEST_TMP/$f" >"$TEST_TMP/text.out" 2>&1
	grep -q -- ' -[0-9]' "$TEST_TMP/text.out" && not_ok "$f: no negative number in the text output" "$(grep -- ' -[0-9]' "$TEST_TMP/text.out")" ||
		ok "$f: no negative number in the text output"
done
