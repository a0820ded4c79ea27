#!/bin/sh
# Two relgate check runs at once on one cache directory: both judge
# correctly, the cache ends with whole entries only (atomic rename, no
# temporary files left), and a third run builds nothing.
# Verdict: +200 pointers fails max_increase 50 (check_lib.sh).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/e2e/check_lib.sh"

r=$TEST_TMP/conc
new_repo "$r" 4
git -C "$r" checkout -q -b feature
commit_n "$r" 204 "two hundred pointers"
cd "$r" || exit 1
c=$TEST_TMP/shared-cache

"$RELGATE" check --cache-dir "$c" >"$TEST_TMP/a.out" 2>"$TEST_TMP/a.err" &
a=$!
"$RELGATE" check --cache-dir "$c" --jobs 2 >"$TEST_TMP/b.out" 2>"$TEST_TMP/b.err" &
b=$!
wait "$a"; ra=$?
wait "$b"; rb=$?
check_eq "two runs at once: the first fails the budget" 1 "$ra"
check_eq "two runs at once: the second fails the budget" 1 "$rb"
check_eq "two runs at once: two cache entries (base, head)" 2 "$(find "$c" -name '*.json' | wc -l | tr -d ' ')"
check_eq "two runs at once: no temporary cache file left" 0 "$(find "$c" -name '*.tmp.*' | wc -l | tr -d ' ')"
bad=0
for f in $(find "$c" -name '*.json'); do
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert isinstance(d["binary"]["metrics"], dict)' "$f" 2>/dev/null || bad=$((bad + 1))
done
check_eq "two runs at once: every cache entry is whole JSON" 0 "$bad"
nb=$(builds "$r" base); nh=$(builds "$r" head)
check_exit "third run on the shared cache" 1 "$RELGATE" check --cache-dir "$c"
check_eq "third run: no base build" "$nb" "$(builds "$r" base)"
check_eq "third run: no head build" "$nh" "$(builds "$r" head)"
grep -q "cached" "$TEST_TMP/last.err" && ok "third run: says the metrics are cached" ||
	not_ok "third run: says the metrics are cached" "$(head -c 300 "$TEST_TMP/last.err")"
# XDG_CACHE_HOME is the default location.
check_exit "XDG_CACHE_HOME: first run" 1 env XDG_CACHE_HOME="$TEST_TMP/xdg" "$RELGATE" check
[ -d "$TEST_TMP/xdg/relgate" ] && ok "XDG_CACHE_HOME/relgate holds the cache" || not_ok "XDG_CACHE_HOME/relgate holds the cache" "missing"
