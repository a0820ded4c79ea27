#!/bin/sh
# relgate check measures all its (target, side) pairs in one batch
# (gate/commit_measure.c): each commit is exported once whatever the number
# of targets, every target builds in that export with its own RELGATE_OUT
# and log (the --keep layout of docs/gate.md: SIDE/, SIDE-out-K-TARGET/,
# SIDE-K-TARGET.log, K the target's position), and a target new in the
# head is built on the head only. Expectations are hand-derived from the
# relgate.yml written here; each build appends "SIDE TARGET" to a counter.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/e2e/check_lib.sh"

export TMPDIR="$TEST_TMP/tmp"
mkdir -p "$TMPDIR"
cnt=$TEST_TMP/counter.batch
yml() { # TARGET...: one target per name, all building main.c
	echo "version: 1"
	echo "targets:"
	for t in "$@"; do
		cat <<YML
  $t:
    build: echo "\$RELGATE_SIDE \$RELGATE_TARGET" >> "$cnt" && cc -O1 -fPIE -pie -o "\$RELGATE_OUT/$t" main.c
    artifact: \$RELGATE_OUT/$t
    budgets:
      relocs.relative: { max_increase: 50 }
YML
	done
}

r=$TEST_TMP/batch
mkdir -p "$r" && cd "$r" && git init -q
gen_c 4 >main.c
yml app lib >relgate.yml
git add -A && git commit -q -m "base: two targets"
git checkout -q -b feature
gen_c 10 >main.c
git commit -q -am "six more pointers"

: >"$cnt"
check_exit "two targets, two sides: exit 0" 0 "$RELGATE" check --no-cache --keep --jobs 2
check_eq "one export per side, not per target" "1 1" \
	"$(grep -c '^\[base [0-9a-f]*\] exporting' "$TEST_TMP/last.err") $(grep -c '^\[head [0-9a-f]*\] exporting' "$TEST_TMP/last.err")"
check_eq "every target built on each side" "base app|base lib|head app|head lib" "$(sort "$cnt" | paste -sd '|' -)"
kept=$(sed -n 's/^relgate: kept the exported trees, outputs and logs in //p' "$TEST_TMP/last.err")
if [ -d "$kept" ]; then
	missing=$(for f in base/main.c head/main.c base-out-0-app/app base-out-1-lib/lib head-out-0-app/app \
		head-out-1-lib/lib base-0-app.log base-1-lib.log head-0-app.log head-1-lib.log; do
		[ -e "$kept/$f" ] || echo "$f"; done | paste -sd ' ' -)
	check_eq "--keep layout: SIDE/, SIDE-out-K-TARGET/, SIDE-K-TARGET.log" "" "$missing"
	rm -rf "$kept"
else
	not_ok "--keep prints the kept directory" "$(cat "$TEST_TMP/last.err")"
fi

# A third target that only the head's relgate.yml has: built on the head only.
yml app lib new >relgate.yml
git commit -q -am "a new target"
: >"$cnt"
check_exit "a target new in the head: exit 0" 0 "$RELGATE" check --no-cache --budgets-from head --keep
check_eq "the new target is not built on the base" "base app|base lib|head app|head lib|head new" "$(sort "$cnt" | paste -sd '|' -)"
grep -q "new: not in the base's relgate.yml, a new target" "$TEST_TMP/last.err" && ok "the new target is announced" ||
	not_ok "the new target is announced" "$(head -c 400 "$TEST_TMP/last.err")"
kept=$(sed -n 's/^relgate: kept the exported trees, outputs and logs in //p' "$TEST_TMP/last.err")
[ -n "$kept" ] && [ -f "$kept/head-out-2-new/new" ] && [ ! -e "$kept/base-out-2-new" ] &&
	ok "the new target keeps its position (head-out-2-new), no base output" ||
	not_ok "the new target keeps its position (head-out-2-new), no base output" "$(ls "$kept" 2>&1 | paste -sd ' ' -)"
[ -n "$kept" ] && rm -rf "$kept"
check_eq "no temporary directory left" 0 "$(relgate_tmp_left "$TMPDIR")"
