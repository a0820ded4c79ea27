#!/bin/sh
# Sizes a hostile binary declares must not overflow the metric catalog
# (issue 12 item 8): two same-named zero-fill sections of 2^62 bytes each
# (tests/oracle/overflow_gen.py) add up past INT64_MAX. readelf lists the
# ELF's two .bss sizes; the Mach-O's are the generator's (llvm-objdump
# refuses the file). Expected: exit 0 with the sum saturated at INT64_MAX,
# or exit 2; never a negative size, never a sanitizer report.
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
for f in two-bss.elf two-bss.macho; do
	"$RELGATE" measure "$TEST_TMP/$f" >"$TEST_TMP/text.out" 2>&1
	grep -q -- ' -[0-9]' "$TEST_TMP/text.out" && not_ok "$f: no negative number in the text output" "$(grep -- ' -[0-9]' "$TEST_TMP/text.out")" ||
		ok "$f: no negative number in the text output"
done
