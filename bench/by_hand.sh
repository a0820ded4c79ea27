#!/bin/sh
# bench/by_hand.sh - what `relgate check` and `relgate report` do, done by
# hand with git, tar and the shell: the reference bench/bench_gate.sh holds
# the gate to (the gate should add next to nothing to these steps).
#   by_hand.sh check  RELGATE BUILD BASE HEAD   export both sides with
#       `git archive | tar -x`, run BUILD in each (RELGATE_OUT set), then
#       `relgate diff --budgets relgate.yml` of the two artifacts ($RELGATE_OUT/t)
#   by_hand.sh report RELGATE BUILD BASE HEAD   the same for BASE and every
#       commit of BASE..HEAD, `relgate measure` of each, one diff of the ends
#   by_hand.sh bisect RELGATE BUILD GOOD BAD    GOOD, then a binary search of
#       GOOD..BAD (first parents; BAD assumed bad, as relgate bisect does),
#       each step judged with `relgate diff --budgets` against GOOD
# Run in the repository; exits with relgate diff's status.
set -eu
mode=$1 relgate=$2 build=$3 base=$4 head=$5
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
side() { # REV NAME
	mkdir -p "$d/$2/src" "$d/$2/out"
	git archive "$1" | tar -x -C "$d/$2/src"
	(cd "$d/$2/src" && RELGATE_OUT="$d/$2/out" RELGATE_SIDE=$2 RELGATE_COMMIT=$1 \
		RELGATE_TARGET=t sh -c "$build")
}
if [ "$mode" = check ]; then
	side "$base" base
	side "$head" head
elif [ "$mode" = bisect ]; then
	side "$base" base
	set -- $(git rev-list --first-parent --reverse "$base..$head")
	lo=0 hi=$#
	while [ $((hi - lo)) -gt 1 ]; do
		mid=$(((lo + hi) / 2))
		eval "c=\${$mid}"
		side "$c" "$c"
		if "$relgate" diff --budgets relgate.yml --target t "$d/base/out/t" "$d/$c/out/t" \
			>/dev/null; then lo=$mid; else hi=$mid; fi
	done
	eval "echo first bad: \${$hi}"
	exit 0
else
	side "$base" base
	for c in $(git rev-list --reverse "$base..$head"); do
		side "$c" "$c"
		"$relgate" measure --format json "$d/$c/out/t" >"$d/$c.json"
	done
	mkdir -p "$d/head/out" && cp "$d/$c/out/t" "$d/head/out/t"
fi
"$relgate" diff --budgets relgate.yml --target t "$d/base/out/t" "$d/head/out/t"
