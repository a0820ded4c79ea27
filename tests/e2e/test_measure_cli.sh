#!/bin/sh
# tests/e2e/test_measure_cli.sh - the measure command's contract for bad
# usage and bad input: one "relgate: FILE: what" line, exit 2, nothing on
# stdout (no partial JSON).
. "$ROOT/tests/lib.sh"
cd "$TEST_TMP"

printf 'hello, world\n' > text.txt
check_exit "text file rejected" 2 "$RELGATE" measure --format json text.txt
check_eq "text file: stdout empty" "" "$(cat "$TEST_TMP/last.out")"
check_eq "text file: one clear line" "relgate: text.txt: not an ELF, Mach-O or PE file" "$(cat "$TEST_TMP/last.err")"

: > empty.bin
check_exit "empty file rejected" 2 "$RELGATE" measure empty.bin
check_eq "empty file message" "relgate: empty.bin: not an ELF, Mach-O or PE file" "$(cat "$TEST_TMP/last.err")"

check_exit "missing file" 2 "$RELGATE" measure does-not-exist
check_eq "missing file message" "relgate: does-not-exist: No such file or directory" "$(cat "$TEST_TMP/last.err")"

mkdir adir
check_exit "directory rejected" 2 "$RELGATE" measure adir
check_eq "directory message" "relgate: adir: is a directory" "$(cat "$TEST_TMP/last.err")"

# A Java class file shares the universal Mach-O magic (0xcafebabe): it
# must be rejected cleanly, whatever the Mach-O parser decides.
printf '\312\376\272\276\000\000\000\064\000\022' > Hello.class
check_exit "java class file rejected" 2 "$RELGATE" measure Hello.class
check_eq "java class: one line" "1" "$(wc -l < "$TEST_TMP/last.err" | tr -d ' ')"

check_exit "no file" 2 "$RELGATE" measure
check_exit "unknown option" 2 "$RELGATE" measure --bogus x
check_exit "bad format" 2 "$RELGATE" measure --format xml x
check_exit "bad page size" 2 "$RELGATE" measure --page-size 1000 x
check_exit "page size without value" 2 "$RELGATE" measure --page-size
check_exit "unknown command" 2 "$RELGATE" frobnicate
check_exit "help" 0 "$RELGATE" --help
check_exit "help measure" 0 "$RELGATE" help measure
grep -q -- '--page-size' "$TEST_TMP/last.out" && ok "help measure documents --page-size" || not_ok "help measure documents --page-size" "missing"
check_exit "version" 0 "$RELGATE" --version
