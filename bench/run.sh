#!/bin/sh
# bench/run.sh - `make bench`: runs every bench/bench_*.sh. Each case times
# relgate and a reference tool on the same file in the same run and prints
# the medians and their ratio (bench/lib.sh). Speed is claimed only here,
# never in a timed test.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export ROOT RELGATE="${RELGATE:-$ROOT/relgate}"
export LLVM_BIN="${LLVM_BIN:-$(llvm-config-19 --bindir 2>/dev/null || echo /usr/lib/llvm-19/bin)}"
rc=0
for b in "$ROOT"/bench/bench_*.sh; do
	[ -f "$b" ] || continue
	sh "$b" || rc=1
done
exit $rc
