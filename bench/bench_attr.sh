#!/bin/sh
# bench/bench_attr.sh - fixup attribution on libLLVM.so from LLVM 19 (about
# 334,000 dynamic relocations, 1,400 dirty pages, .dynsym only), in one run:
#   measure --by symbol   against plain measure (issue 11 target: within 3x)
#   measure --by symbol   against llvm-readelf --relocs --dyn-syms (the tool
#                         a user would join by hand; target: >= 10x faster)
#   measure --by target   against the same llvm-readelf run
#   plain measure         against RELGATE_BASE, when set (a build of the
#                         commit before attribution: plain measurement must
#                         be no slower)
# 10-run batches, so millisecond runs are resolved; plain, --by symbol and
# --by target batches alternate ($BENCH_RUNS rounds), so a shared machine's
# load weighs on all alike, and each ratio is the median of the rounds'
# ratios. Use the release build (./relgate).
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
. "$ROOT/bench/lib.sh"
libllvm_setup bench_attr
ten() { echo "for i in 1 2 3 4 5 6 7 8 9 10; do $* >/dev/null; done"; }
rounds=""
k=0
while [ $k -lt "$BENCH_RUNS" ]; do
	p=$(median_ms 1 "$(ten "'$RELGATE' measure --format json '$lib'")")
	s=$(median_ms 1 "$(ten "'$RELGATE' measure --format json --by symbol '$lib'")")
	t=$(median_ms 1 "$(ten "'$RELGATE' measure --format json --by target '$lib'")")
	rounds="$rounds$p $s $t
"
	k=$((k + 1))
done
ref=$(median_ms "$BENCH_RUNS" "'$LLVM_BIN/llvm-readelf' --relocs --dyn-syms '$lib' | wc -l")
echo "bench_attr: $(basename "$lib"), times per run (10-run batches), $BENCH_RUNS alternating rounds"
printf '%s' "$rounds" | awk -v r="$ref" '
function med(a, n,   i, j, x) { # sorts a[1..n], returns its median
	for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
	return a[int((n + 1) / 2)] }
{ n++; if ($1 <= 0) $1 = 1; P[n] = $1 / 10; S[n] = $2 / 10; T[n] = $3 / 10; QS[n] = $2 / $1; QT[n] = $3 / $1 }
END {
	p = med(P, n); s = med(S, n); t = med(T, n); rs = med(QS, n); rt = med(QT, n)
	if (s <= 0) s = 0.1; if (t <= 0) t = 0.1
	printf "measure (plain)       %7.1f ms\n", p
	printf "measure --by symbol   %7.1f ms  %.1fx plain (target <= 3x): %s\n", s, rs, (rs <= 3 ? "met" : "MISSED")
	printf "measure --by target   %7.1f ms  %.1fx plain\n", t, rt
	printf "llvm-readelf --relocs --dyn-syms %7.1f ms: --by symbol %.0fx faster (target >= 10x): %s\n", r, r / s, (r / s >= 10 ? "met" : "MISSED")
	printf "                                          --by target %.0fx faster\n", r / t
	exit (rs <= 3 && r / s >= 10) ? 0 : 1 }'
rc=$?
if [ -n "${RELGATE_BASE:-}" ] && [ -x "$RELGATE_BASE" ]; then
	# Alternate the two builds batch by batch: a shared machine's load
	# then weighs on both alike.
	ours="" theirs="" k=0
	while [ $k -lt $((BENCH_RUNS * 2 + 1)) ]; do
		ours="$ours $(median_ms 1 "$(ten "'$RELGATE' measure --format json '$lib'")")"
		theirs="$theirs $(median_ms 1 "$(ten "'$RELGATE_BASE' measure --format json '$lib'")")"
		k=$((k + 1))
	done
	p=$(echo $ours | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	b=$(echo $theirs | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	awk -v p="$p" -v b="$b" 'BEGIN { p /= 10; b /= 10; if (b <= 0) b = 0.1
		printf "measure (plain) %.1f ms, RELGATE_BASE %.1f ms, alternated: %.2fx\n", p, b, p / b }'
fi
exit $rc
