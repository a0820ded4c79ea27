#!/bin/sh
# bench/bench_export.sh - how `relgate check` writes the two commits' trees
# to disk, on a generated, packed repository of 10,000 files in 200
# directories (sizes 100 B to 3 KB; the head changes one file). Each relgate
# run exports both sides and builds a trivial target (cp /bin/true).
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
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
repo=$tmp/repo
build='cp /bin/true "$RELGATE_OUT/t"'
mkdir -p "$repo"
python3 - "$repo" "$build" <<'PY'
import os, random, sys
root, build = sys.argv[1], sys.argv[2]
r = random.Random(10)
for d in range(100):
    p = os.path.join(root, "src", "d%03d" % d, "sub%d" % (d % 7))
    os.makedirs(p)
    for f in range(100):
        with open(os.path.join(p, "f%03d.c" % f), "w") as fh:
            fh.write(("/* file %d/%d */\nint f_%d_%d(void) { return %d; }\n" % (d, f, d, f, f))
                     * r.randint(2, 60))
with open(os.path.join(root, "relgate.yml"), "w") as fh:
    fh.write("version: 1\ntargets:\n  t:\n    build: '%s'\n"
             "    artifact: $RELGATE_OUT/t\n    budgets:\n      file.size: { max: 1GiB }\n" % build)
PY
g() { git -c user.name=b -c user.email=b@b -c gc.auto=0 "$@"; }
(cd "$repo" && git init -q && git add -A && g commit -q -m bench &&
	echo "int changed;" >>src/d000/sub0/f000.c && g commit -q -am "one file changed" &&
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
