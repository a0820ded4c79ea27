#!/bin/sh
# test_man_page.sh - man/relgate.1 renders without a warning (groff -ww, the
# way man(1) formats it; else mandoc -T lint; else skipped), and documents
# every command of `relgate --help` and every option of each
# `relgate help COMMAND` (the rendered text is searched, so a typo in the
# roff source fails too).
. "$ROOT/tests/lib.sh"
MAN=$ROOT/man/relgate.1

if need groff; then
	groff -man -ww -z "$MAN" 2>"$TEST_TMP/warn"
	rc=$?
	if [ "$rc" = 0 ] && [ ! -s "$TEST_TMP/warn" ]; then ok "groff -man -ww: no warnings"
	else not_ok "groff -man -ww: no warnings" "exit $rc: $(head -c 400 "$TEST_TMP/warn")"; fi
	# Wide lines and no hyphenation so options are never split.
	groff -man -Tutf8 -rLL=250n -rHY=0 -P-cbou "$MAN" 2>/dev/null >"$TEST_TMP/man.txt"
	if need man; then
		MANWIDTH=80 man -l "$MAN" >/dev/null 2>"$TEST_TMP/manerr"
		check_eq "man -l renders it" "" "$(cat "$TEST_TMP/manerr")"
	else
		skip "man -l renders it" "man not installed"
	fi
elif need mandoc; then
	mandoc -T lint -W warning "$MAN" >"$TEST_TMP/warn" 2>&1
	check_eq "mandoc -T lint: no warnings" "" "$(cat "$TEST_TMP/warn")"
	mandoc -T utf8 "$MAN" | sed 's/.\x08//g' >"$TEST_TMP/man.txt"
else
	skip "man page renders" "neither groff nor mandoc installed"
	exit 0
fi

grep -q 'EXIT STATUS' "$TEST_TMP/man.txt" && ok "man: has EXIT STATUS" || not_ok "man: has EXIT STATUS" "missing"
for s in ENVIRONMENT FILES BUDGETS EXAMPLES; do
	grep -q "^$s" "$TEST_TMP/man.txt" && ok "man: has $s" || not_ok "man: has $s" "missing"
done
cmds=$("$RELGATE" --help | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p' | grep -v '^help$')
[ -n "$cmds" ] && ok "relgate --help lists commands: $(echo $cmds)" || not_ok "relgate --help lists commands" "none"
for c in $cmds; do
	if grep -q "^   relgate $c" "$TEST_TMP/man.txt"; then ok "man: section for $c"
	else not_ok "man: section for $c" "no 'relgate $c' subsection"; fi
	missing=""
	for opt in $("$RELGATE" help "$c" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -q -- "$opt" "$TEST_TMP/man.txt" || missing="$missing $opt"
	done
	check_eq "man: every option of 'relgate help $c' documented" "" "$missing"
done

# make install puts the documentation the man page and the messages point
# at under share/doc/relgate (make -o relgate: no rebuild from a test).
if [ -x "$ROOT/relgate" ] && need make; then
	make -s -C "$ROOT" -o relgate install DESTDIR="$TEST_TMP/dest" PREFIX=/usr >/dev/null 2>&1
	d=$TEST_TMP/dest/usr/share/doc/relgate
	missing=""
	for f in $(sed 's/\\-/-/g' "$MAN" | grep -o '[a-z-]*\.md' | sort -u) report.schema.json relgate.schema.json; do
		[ -f "$d/$f" ] || missing="$missing $f"
	done
	check_eq "make install: every doc the man page names is in share/doc/relgate" "" "$missing"
else
	skip "make install docs" "no release build of relgate"
fi
