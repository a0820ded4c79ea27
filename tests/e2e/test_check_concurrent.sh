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

# --jobs 2 overlaps the builds of one side (two targets wait, up to 20 s,
# for each other's start), never a base build and a head build: a head
# build fails unless both base builds have ended and their outputs are
# gone (measured, then removed: docs/security.md).
j=$TEST_TMP/jobs
new_repo "$j" 4
m=$TEST_TMP/markers
mkdir -p "$m"
cat >"$j/build.sh" <<EOF
touch "$m/\$RELGATE_SIDE-\$RELGATE_TARGET.start"
if [ "\$RELGATE_SIDE" = head ]; then
	for t in app lib; do [ -e "$m/base-\$t.end" ] || exit 1; done
	[ -z "\$(ls -d "\$RELGATE_OUT"/../base* 2>/dev/null)" ] || exit 1
fi
other=\$( [ "\$RELGATE_TARGET" = app ] && echo lib || echo app )
i=0
while [ ! -e "$m/\$RELGATE_SIDE-\$other.start" ] && [ \$i -lt 200 ]; do sleep 0.1; i=\$((i+1)); done
[ -e "$m/\$RELGATE_SIDE-\$other.start" ] || exit 1
cc -O1 -fPIE -pie -o "\$RELGATE_OUT/app" main.c || exit 1
touch "$m/\$RELGATE_SIDE-\$RELGATE_TARGET.end"
EOF
cat >"$j/relgate.yml" <<'EOF'
version: 1
targets:
  app:
    build: sh ./build.sh
    artifact: $RELGATE_OUT/app
    budgets:
      relocs.relative: { max_increase: 50 }
  lib:
    build: sh ./build.sh
    artifact: $RELGATE_OUT/app
    budgets:
      relocs.relative: { max_increase: 50 }
EOF
git -C "$j" add -A && git -C "$j" commit -q -m "builds that meet their own side only"
(cd "$j" && commit_n "$j" 6 "two more")
(cd "$j" && check_exit "--jobs 2: a side's targets build together; the head only after the base is measured" 0 \
	"$RELGATE" check --base HEAD~1 --no-cache --jobs 2)
check_eq "--jobs 2: every build ran" "base-app base-lib head-app head-lib" \
	"$(cd "$m" && ls *.end | sed 's/\.end$//' | LC_ALL=C sort | paste -sd ' ' -)"
