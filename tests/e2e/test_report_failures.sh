#!/bin/sh
# relgate report when a commit of the range cannot be measured: the same
# messages and files relgate check gives (docs/gate.md "Builds", "Export"),
# since both measure a commit with gate/commit_measure.c. A failed build's
# log stays where the message says (moved out of the temporary directory),
# a missing artifact is named as written and as expanded, an artifact that
# is not a binary names the target, a submodule whose objects are absent is
# named with the fix, and no temporary directory is left behind.
# Expectations are hand-derived: the repository is made here, commit by
# commit, so which one breaks and how is known without relgate.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/e2e/check_lib.sh"

export TMPDIR="$TEST_TMP/tmp"
mkdir -p "$TMPDIR"

# log_of FILE: the last "--- log: PATH" named in FILE
log_of() { sed -n "s/.*--- log: //p" "$1" | sed "s/ (a gap in the series)\$//" | tail -n 1; }

r=$TEST_TMP/range
new_repo "$r" 4
commit_n "$r" 5 "five"
cd "$r" || exit 1
echo 'this is not C;' >>main.c
git commit -q -am "break the build"
commit_n "$r" 6 "six"

# --- a commit in the middle does not build: a gap, its log kept
check_exit "gap: the report still judges the ends (exit 0)" 0 "$RELGATE" report main~3..main --no-cache
grep -q "(a gap in the series)" "$TEST_TMP/last.err" && ok "gap: noted on stderr" ||
	not_ok "gap: noted on stderr" "$(head -c 500 "$TEST_TMP/last.err")"
log=$(log_of "$TEST_TMP/last.err")
[ -n "$log" ] && [ -f "$log" ] && grep -q "this is not C" "$log" &&
	ok "gap: the log path in the message exists and holds the compiler's error" ||
	not_ok "gap: the log path in the message exists and holds the compiler's error" "log='$log'"
[ -n "$log" ] && rm -rf "$(dirname "$log")"
check_eq "gap: no temporary directory left" 0 "$(relgate_tmp_left "$TMPDIR")"

# --- the head end does not build: exit 3, its log kept
check_exit "head end fails: exit 3" 3 "$RELGATE" report main~3..main~1 --no-cache
grep -q "build of app" "$TEST_TMP/last.err" && ok "head end fails: names the target" ||
	not_ok "head end fails: names the target" "$(head -c 500 "$TEST_TMP/last.err")"
log=$(log_of "$TEST_TMP/last.err")
[ -n "$log" ] && [ -f "$log" ] && grep -q "this is not C" "$log" &&
	ok "head end fails: the log path exists and holds the compiler's error" ||
	not_ok "head end fails: the log path exists and holds the compiler's error" "log='$log'"
[ -n "$log" ] && rm -rf "$(dirname "$log")"
check_eq "head end fails: no temporary directory left" 0 "$(relgate_tmp_left "$TMPDIR")"

# --- the build succeeds but the artifact is not where relgate.yml says
m=$TEST_TMP/missing
new_repo "$m" 4
sed 's|artifact: .*|artifact: $RELGATE_OUT/not-there|' "$m/relgate.yml" >"$m/y" && mv "$m/y" "$m/relgate.yml"
git -C "$m" commit -q -am "wrong artifact"
commit_n "$m" 5 "five"
(cd "$m" && check_exit "missing artifact: exit 3" 3 "$RELGATE" report main~1..main --no-cache)
grep -q 'artifact \$RELGATE_OUT/not-there (/.*/not-there)' "$TEST_TMP/last.err" &&
	ok "missing artifact: named as written and as expanded" ||
	not_ok "missing artifact: named as written and as expanded" "$(head -c 400 "$TEST_TMP/last.err")"

# --- the artifact is not a binary at all: exit 2, naming the target
x=$TEST_TMP/text
new_repo "$x" 4
sed 's|build: .*|build: echo hello >"$RELGATE_OUT/app"|' "$x/relgate.yml" >"$x/y" && mv "$x/y" "$x/relgate.yml"
git -C "$x" commit -q -am "a text artifact"
commit_n "$x" 5 "five"
(cd "$x" && check_exit "text artifact: exit 2" 2 "$RELGATE" report main~1..main --no-cache)
grep -q "artifact of app: /.*/app: not an ELF, Mach-O or PE file" "$TEST_TMP/last.err" &&
	ok "text artifact: names the target and the file" ||
	not_ok "text artifact: names the target and the file" "$(head -c 400 "$TEST_TMP/last.err")"

# --- a clone without its submodules' objects
lib=$TEST_TMP/lib
mkdir -p "$lib" && git -C "$lib" init -q
echo 'const char *lib_name(void) { return "lib"; }' >"$lib/lib.c"
git -C "$lib" add lib.c && git -C "$lib" commit -q -m "lib"
s=$TEST_TMP/sub
new_repo "$s" 4
git -C "$s" submodule -q add "file://$lib" vendor/lib 2>/dev/null || git -C "$s" submodule add "file://$lib" vendor/lib
git -C "$s" commit -q -m "add a submodule"
commit_n "$s" 5 "five"
c=$TEST_TMP/nosub
git clone -q "$s" "$c"
(cd "$c" && check_exit "submodule absent: exit 3" 3 "$RELGATE" report HEAD~1..HEAD --no-cache)
grep -q "vendor/lib" "$TEST_TMP/last.err" && grep -q "git submodule update --init --recursive" "$TEST_TMP/last.err" &&
	ok "submodule absent: names it and the fix" || not_ok "submodule absent: names it and the fix" "$(cat "$TEST_TMP/last.err")"

check_eq "no temporary directory left by any failure" 0 "$(relgate_tmp_left "$TMPDIR")"
