#!/bin/sh
# tests/oracle/test_macho_malformed.sh - hostile Mach-O: each file is a
# valid ld64.lld-19 output with one lie (macho_mutate.py documents each).
# relgate must exit 2 with exactly one "relgate: FILE: ..." line naming the
# problem, and never trip AddressSanitizer/UBSan (tests run the ASan build).
. "$ROOT/tests/lib.sh"
if ! need clang-19 ld64.lld-19 python3; then
	skip macho-malformed "clang-19 or ld64.lld-19 missing"
	exit 0
fi
d="$TEST_TMP/bad"
mkdir -p "$d"
cat >"$TEST_TMP/a.c" <<'C'
extern int printf(const char *, ...);
extern int ext_var;
const char *strs[] = {"a", "b", "c"};
int *pv = &ext_var;
int main(void) { printf("%s %d\n", strs[0], *pv); return 0; }
C
clang-19 --target=arm64-apple-ios15.0 -c "$TEST_TMP/a.c" -o "$TEST_TMP/a.o" &&
ld64.lld-19 -arch arm64 -platform_version ios 15.0 15.0 -undefined dynamic_lookup \
	-no_fixup_chains "$TEST_TMP/a.o" -o "$TEST_TMP/op" &&
ld64.lld-19 -arch arm64 -platform_version ios 15.0 15.0 -undefined dynamic_lookup \
	-fixup_chains "$TEST_TMP/a.o" -o "$TEST_TMP/ch" &&
python3 "$ROOT/tests/oracle/macho_mutate.py" "$TEST_TMP/op" "$TEST_TMP/ch" "$d" || {
	not_ok macho-malformed-build "could not make the fixtures"; exit 1; }

# case  words the message must contain
while read -r name words; do
	"$RELGATE" measure "$d/$name" >"$TEST_TMP/out" 2>"$TEST_TMP/err"
	rc=$?
	lines=$(wc -l <"$TEST_TMP/err")
	if [ $rc -ne 2 ]; then
		not_ok "macho-malformed-$name" "exit $rc, wanted 2: $(head -c 300 "$TEST_TMP/err")"
	elif [ "$lines" -ne 1 ] || ! grep -q "^relgate: $d/$name: " "$TEST_TMP/err"; then
		not_ok "macho-malformed-$name" "wanted one 'relgate: FILE: ...' line, got: $(head -c 300 "$TEST_TMP/err")"
	elif ! grep -q -- "$words" "$TEST_TMP/err"; then
		not_ok "macho-malformed-$name" "message lacks '$words': $(cat "$TEST_TMP/err")"
	else
		ok "macho-malformed-$name"
	fi
done <<'CASES'
truncated-cmds load commands
bad-cmdsize bad size
sizeofcmds-huge load commands
rebase-runoff truncated
rebase-badseg segment index 15 out of range
rebase-badoff outside segment
rebase-hugecount run past segment
bind-runoff run off the end
threaded-too-many claim more fixups
chain-leaves-page leaves its page
chain-badformat unknown pointer format 99
chain-badsegcount 200 segments
fat-lies lies outside the file
fat-truncated truncated
java-class not an ELF, Mach-O or PE file
CASES
# The cap is size + 65536 fixups (parsers/macho.c): the chain walk itself
# must stop at the first link past it, so the count named is size + 65537;
# a walk without its own cap overshoots and a later stream reports more.
size=$(wc -c <"$d/threaded-too-many")
"$RELGATE" measure "$d/threaded-too-many" 2>"$TEST_TMP/err" >/dev/null
check_eq "macho-malformed-threaded-too-many: the walk stops at the cap" \
	"relgate: $d/threaded-too-many: fixup streams claim more fixups ($((size + 65537))) than the file can hold" \
	"$(cat "$TEST_TMP/err")"
exit 0
