#!/bin/sh
# bench/bench_export.sh - how `relgate check` writes a commit's tree to disk:
# a tree walk writing blobs (the default) against git_checkout_tree with
# target_directory (RELGATE_EXPORT=checkout), on a 20,000-file tree; `git
# archive | tar -x` of the same tree (twice: check exports base and head)
# is the reference (one run: it is slow where file creation is, see
# docs/gate.md). Each relgate run exports both sides (--base HEAD~1,
# one file differs, so 40,000 files) and builds a trivial target; docs/gate.md keeps the numbers.
set -u
. "$ROOT/bench/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
repo=$tmp/repo
mkdir -p "$repo"
python3 - "$repo" <<'PY'
import os, sys
root = sys.argv[1]
for d in range(200):
    p = os.path.join(root, "src", "d%03d" % d)
    os.makedirs(p)
    for f in range(100):
        with open(os.path.join(p, "f%03d.c" % f), "w") as fh:
            fh.write(("/* file %d/%d */\nint f_%d_%d(void) { return %d; }\n" % (d, f, d, f, f)) * 8)
with open(os.path.join(root, "relgate.yml"), "w") as fh:
    fh.write('version: 1\ntargets:\n  t:\n    build: cp /bin/true "$RELGATE_OUT/t"\n'
             '    artifact: $RELGATE_OUT/t\n    budgets:\n      file.size: { max: 1GiB }\n')
PY
(cd "$repo" && git init -q && git add -A &&
	git -c user.name=b -c user.email=b@b commit -q -m bench &&
	echo "int changed;" >>src/d000/f000.c &&
	git -c user.name=b -c user.email=b@b commit -q -am "one file changed") || exit 1
n=$(git -C "$repo" ls-files | wc -l)
cd "$repo"
walk=$(median_ms "$BENCH_RUNS" "RELGATE_EXPORT=walk $RELGATE check --base HEAD~1 --no-cache")
co=$(median_ms "$BENCH_RUNS" "RELGATE_EXPORT=checkout $RELGATE check --base HEAD~1 --no-cache")
ref=$(median_ms 1 "d=\$(mktemp -d) && for s in a b; do mkdir \$d/\$s && git archive HEAD | tar -x -C \$d/\$s; done; rm -rf \$d")
report "export (tree walk)" "$n files x 2 sides" "$walk" "git_checkout_tree" "$co"
report "export (tree walk)" "$n files x 2 sides" "$walk" "git archive | tar -x" "$ref"
