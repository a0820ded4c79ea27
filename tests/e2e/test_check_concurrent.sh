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

# --jobs 2 really overlaps base and head: each build announces itself and
# waits (up to 20 s) for the other side's announcement before compiling.
j=$TEST_TMP/jobs
new_repo "$j" 4
m=$TEST_TMP/markers
sed 's|build: |build: mkdir -p "'"$m"'" \&\& touch "'"$m"'/$RELGATE_SIDE" \&\& other=$( [ "$RELGATE_SIDE" = base ] \&\& echo head \|\| echo base ) \&\& i=0 \&\& while [ ! -e "'"$m"'/$other" ] \&\& [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done \&\& [ -e "'"$m"'/$other" ] \&\& |' \
	"$j/relgate.yml" >"$j/y" && mv "$j/y" "$j/relgate.yml"
git -C "$j" commit -q -am "builds that meet"
(cd "$j" && commit_n "$j" 6 "two more")
(cd "$j" && check_exit "--jobs 2: base and head build at the same time" 0 "$RELGATE" check --base HEAD~1 --budgets-from head --no-cache --jobs 2)
