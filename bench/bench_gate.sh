#!/bin/sh
# bench/bench_gate.sh - what users wait for around the builds. A generated
# repository (200 small files, 21 commits) whose one target builds in about
# a millisecond (cp /bin/true), so that anything the gate adds shows:
#   check --no-cache       against bench/by_hand.sh check (git archive | tar -x
#                          of both sides, both builds, relgate diff)
#   report over 20 commits against bench/by_hand.sh report (the same per
#                          commit, relgate measure of each)
#   bisect over 20 commits against bench/by_hand.sh bisect (the same binary
#                          search, each step judged with relgate diff)
# Target: relgate at most 1.3x the steps by hand (wall time; bench/compare.py
# also prints CPU time, which a shared machine's load moves less).
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
RELGATE=${RELGATE:-$ROOT/relgate}
runs=${BENCH_GATE_RUNS:-11}
build='cp /bin/true "$RELGATE_OUT/t" && cat src/d000/sub0/f000.c >>"$RELGATE_OUT/t"'
. "$ROOT/bench/lib.sh"
bench_repo 10 20 1 "$build" "file.size: { max_increase: 100 }" || exit 1
(cd "$repo" && for i in $(seq 1 20); do
		echo "int changed_$i;" >>src/d000/sub0/f000.c && g commit -q -am "change $i" || exit 1
	done) || exit 1
cd "$repo" || exit 1
export XDG_CACHE_HOME="$tmp/cache"
rc=0
echo "bench_gate: $(git ls-files | wc -l) files, build: $build, $runs runs each"
python3 "$ROOT/bench/compare.py" "$runs" "check --no-cache" "1 ms builds, 2 sides" \
	"$RELGATE check --base HEAD~1 --no-cache" \
	"by hand (archive|tar, build, diff)" "sh $ROOT/bench/by_hand.sh check $RELGATE '$build' HEAD~1 HEAD" \
	1.3 || rc=1
python3 "$ROOT/bench/compare.py" "$(( (runs + 1) / 2 ))" "report --no-cache" "21 commits" \
	"$RELGATE report HEAD~20..HEAD --no-cache --no-notes" \
	"by hand (per commit: archive|tar, build, measure)" "sh $ROOT/bench/by_hand.sh report $RELGATE '$build' HEAD~20 HEAD" \
	1.3 || rc=1
python3 "$ROOT/bench/compare.py" "$(( (runs + 1) / 2 ))" "bisect --no-cache" "20 commits" \
	"$RELGATE bisect --target t --metric file.size --no-cache --no-notes HEAD~20 HEAD" \
	"by hand (same search: archive|tar, build, diff)" "sh $ROOT/bench/by_hand.sh bisect $RELGATE '$build' HEAD~20 HEAD" \
	1.3 || rc=1
exit $rc
