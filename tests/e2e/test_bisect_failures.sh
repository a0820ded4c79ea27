#!/bin/sh
# relgate bisect when a commit it tests cannot be measured: exit 3 with the
# build's log kept where the message says (as relgate check does), a
# missing artifact named as written and as expanded, and no temporary
# directory left. The repository is made here: GOOD has 4 pointers, BAD 200
# (one relative relocation each, check_lib.sh), and the second commit
# bisect tests does not compile, by construction.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/e2e/check_lib.sh"

export TMPDIR="$TEST_TMP/tmp"
mkdir -p "$TMPDIR"

r=$TEST_TMP/bis
new_repo "$r" 4
cd "$r" || exit 1
commit_n "$r" 5 "five"
echo 'this is not C;' >>main.c
git commit -q -am "break the build"
commit_n "$r" 200 "many pointers"
# Hand derivation: commits 0 GOOD (4 pointers), 1 "five", 2 "break the
# build", 3 BAD (200). BAD is not cached (--no-cache), so it is not built;
# mid = 0 + 3/2 = 1 is 1 relocation over GOOD (within max_increase 50),
# so lo = 1; mid = 1 + 2/2 = 2 is the commit that does not compile.
check_exit "a broken commit in the range: exit 3" 3 "$RELGATE" bisect --target app \
	--metric relocs.relative --no-cache main~3 main
grep -q "build of app ($(git rev-parse --short=7 main~1)) failed" "$TEST_TMP/last.err" &&
	ok "broken commit: names the target and the commit" ||
	not_ok "broken commit: names the target and the commit" "$(head -c 500 "$TEST_TMP/last.err")"
log=$(sed -n 's/.*--- log: //p' "$TEST_TMP/last.err" | tail -n 1)
[ -n "$log" ] && [ -f "$log" ] && grep -q "this is not C" "$log" &&
	ok "broken commit: the log path exists and holds the compiler's error" ||
	not_ok "broken commit: the log path exists and holds the compiler's error" "log='$log'"
[ -n "$log" ] && rm -rf "$(dirname "$log")"
check_eq "broken commit: no temporary directory left" 0 "$(relgate_tmp_left "$TMPDIR")"

m=$TEST_TMP/missing
new_repo "$m" 4
sed 's|artifact: .*|artifact: $RELGATE_OUT/not-there|' "$m/relgate.yml" >"$m/y" && mv "$m/y" "$m/relgate.yml"
git -C "$m" commit -q -am "wrong artifact"
commit_n "$m" 5 "five"
commit_n "$m" 200 "many"
(cd "$m" && check_exit "missing artifact in GOOD: exit 3" 3 "$RELGATE" bisect --target app \
	--metric relocs.relative --no-cache main~2 main)
grep -q 'artifact \$RELGATE_OUT/not-there (/.*/not-there)' "$TEST_TMP/last.err" &&
	ok "missing artifact: named as written and as expanded" ||
	not_ok "missing artifact: named as written and as expanded" "$(head -c 400 "$TEST_TMP/last.err")"
check_eq "no temporary directory left" 0 "$(relgate_tmp_left "$TMPDIR")"
