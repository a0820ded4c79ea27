#!/bin/sh
# bench/bench_export.sh - how `relgate check` writes the two commits' trees
# to disk, on a generated, packed repository of 10,000 files in 200
# directories (bench/gen_repo.py; sizes 50 B to 3 KB; the head changes one
# file). Each relgate run exports both sides and builds a trivial target
# (cp /bin/true).
#   check --no-cache  against bench/by_hand.sh check: `git archive | tar -x`
#       of both sides, the same builds, relgate diff, rm -rf. Target: at most
#       1.0x (the export no slower than git archive | tar -x twice).
#   the tree walk (default) against git_checkout_tree with target_directory
#       (RELGATE_EXPORT=checkout), with BENCH_EXPORT_CHECKOUT=1.
# docs/gate.md keeps the numbers.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
RELGATE=${RELGATE:-$ROOT/relgate}
runs=${BENCH_EXPORT_RUNS:-3}
build='cp /bin/true "$RELGATE_OUT/t"'
. "$ROOT/bench/lib.sh"
bench_repo 100 100 60 "$build" "file.size: { max: 1GiB }" || exit 1
(cd "$repo" && echo "int changed;" >>src/d000/sub0/f000.c && g commit -q -am "one file changed" &&
	git gc -q) || exit 1
cd "$repo" || exit 1
export XDG_CACHE_HOME="$tmp/cache"
echo "bench_export: $(git ls-files | wc -l) files, packed, $runs runs each"
rc=0
BENCH_INSTRUCTIONS=0 python3 "$ROOT/bench/compare.py" "$runs" "check: export both sides" \
	"$(git ls-files | wc -l) files x 2 sides" "$RELGATE check --base HEAD~1 --no-cache" \
	"by hand (git archive | tar -x x2)" "sh $ROOT/bench/by_hand.sh check $RELGATE '$build' HEAD~1 HEAD" \
	1.0 || rc=1
if [ "${BENCH_EXPORT_CHECKOUT:-0}" = 1 ]; then
	BENCH_INSTRUCTIONS=0 python3 "$ROOT/bench/compare.py" "$runs" \
		"export: tree walk" "vs git_checkout_tree" "env RELGATE_EXPORT=walk $RELGATE check --base HEAD~1 --no-cache" \
		"git_checkout_tree (RELGATE_EXPORT=checkout)" "env RELGATE_EXPORT=checkout $RELGATE check --base HEAD~1 --no-cache"
fi
exit $rc
