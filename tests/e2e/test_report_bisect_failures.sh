#!/bin/sh
# relgate report and relgate bisect when a commit cannot be measured: the
# messages and files relgate check gives (docs/gate.md "Builds", "Export"),
# since all three measure a commit with gate/commit_measure.c. A failed
# build's log stays where the message says (moved out of the temporary
# directory), a missing artifact is named as written and as expanded, an
# artifact that is not a binary names the target, a submodule whose
# objects are absent is named with the fix, no temporary directory is left.
# Expectations are hand-derived: the repositories are made here, commit by
# commit, so which commit breaks and how is known without relgate.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/e2e/check_lib.sh"

export TMPDIR="$TEST_TMP/tmp"
mkdir -p "$TMPDIR"

# err_has NAME PATTERN: the last command's stderr matches PATTERN
err_has() {
	grep -q "$2" "$TEST_TMP/last.err" && ok "$1" || not_ok "$1" "$(head -c 500 "$TEST_TMP/last.err")"
}
# log_kept NAME: the last "--- log: PATH" of stderr exists and holds the
# compiler's error; then it is removed (it is meant to outlive the run)
log_kept() {
	log=$(sed -n 's/.*--- log: //p' "$TEST_TMP/last.err" | sed 's/ (a gap in the series)$//' | tail -n 1)
	[ -n "$log" ] && [ -f "$log" ] && grep -q "this is not C" "$log" && ok "$1" || not_ok "$1" "log='$log'"
	[ -n "$log" ] && rm -rf "$(dirname "$log")"
	check_eq "$1: no temporary directory left" 0 "$(relgate_tmp_left "$TMPDIR")"
}
# variant DIR SED SUBJECT: base (4 pointers), a commit editing relgate.yml
# with SED, then 5 and 200 pointers: every commit but the base has the edit
variant() {
	new_repo "$1" 4
	sed "$2" "$1/relgate.yml" >"$1/y" && mv "$1/y" "$1/relgate.yml"
	git -C "$1" commit -q -am "$3"
	commit_n "$1" 5 "five"
	commit_n "$1" 200 "many"
}

# --- a repository whose third commit does not compile:
# 0 base (4 pointers), 1 "five", 2 "break the build", 3 "six"
r=$TEST_TMP/range
new_repo "$r" 4
commit_n "$r" 5 "five"
cd "$r" || exit 1
echo 'this is not C;' >>main.c
git commit -q -am "break the build"
commit_n "$r" 6 "six"
broken=$(git rev-parse --short=7 main~1)

check_exit "report, a gap: the ends are still judged (exit 0)" 0 "$RELGATE" report main~3..main --no-cache
err_has "report, a gap: names the commit" "^relgate: $broken: the head build of app ($broken) failed"
err_has "report, a gap: noted on stderr" "(a gap in the series)$"
log_kept "report, a gap: the log named in the message exists"

check_exit "report, the head end fails: exit 3" 3 "$RELGATE" report main~3..main~1 --no-cache
err_has "report, the head end fails: names the target and the commit" "build of app ($broken) failed"
log_kept "report, the head end fails: the log path exists"

# bisect main~3 main: BAD is not cached (--no-cache), so not built;
# mid = 0 + 3/2 = 1 ("five") is 1 relocation over GOOD, within
# max_increase 50, so lo = 1; mid = 1 + 2/2 = 2 does not compile.
check_exit "bisect, a commit that does not compile: exit 3" 3 "$RELGATE" bisect --target app \
	--metric relocs.relative --no-cache main~3 main
err_has "bisect: names the target and the commit" "build of app ($broken) failed"
log_kept "bisect: the log path exists"

# --- the build succeeds but the artifact is not where relgate.yml says
variant "$TEST_TMP/missing" 's|artifact: .*|artifact: $RELGATE_OUT/not-there|' "wrong artifact"
cd "$TEST_TMP/missing" || exit 1
check_exit "report, missing artifact: exit 3" 3 "$RELGATE" report main~2..main --no-cache
err_has "report, missing artifact: named as written and as expanded" 'artifact \$RELGATE_OUT/not-there (/.*/not-there)'
check_exit "bisect, missing artifact in GOOD: exit 3" 3 "$RELGATE" bisect --target app \
	--metric relocs.relative --no-cache main~2 main
err_has "bisect, missing artifact: named as written and as expanded" 'artifact \$RELGATE_OUT/not-there (/.*/not-there)'

# --- the artifact is not a binary at all: exit 2, naming the target
variant "$TEST_TMP/text" 's|build: .*|build: echo hello >"$RELGATE_OUT/app"|' "a text artifact"
cd "$TEST_TMP/text" || exit 1
check_exit "report, text artifact: exit 2" 2 "$RELGATE" report main~2..main --no-cache
err_has "report, text artifact: names the target and the file" "artifact of app: /.*/app: not an ELF, Mach-O or PE file"

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
git clone -q "$s" "$TEST_TMP/nosub"
cd "$TEST_TMP/nosub" || exit 1
check_exit "report, submodule absent: exit 3" 3 "$RELGATE" report HEAD~1..HEAD --no-cache
err_has "report, submodule absent: names it" "vendor/lib"
err_has "report, submodule absent: names the fix" "git submodule update --init --recursive"

check_eq "no temporary directory left by any failure" 0 "$(relgate_tmp_left "$TMPDIR")"
