#!/bin/sh
# bench/bench_walk.sh - `relgate measure` on libLLVM.so from LLVM 19 (about
# 334,000 dynamic relocations) against the bare-scan floor: bench/relscan.c,
# which maps the file and counts the RELATIVE entries of .rela.dyn and
# nothing else. Both are whole processes (start and exit included), timed
# alternately by bench/compare.py. Target: relgate at most 1.6x the floor.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
RELGATE=${RELGATE:-$ROOT/relgate}
SCAN=${RELSCAN:-$ROOT/build/rel/bench/relscan}
lib=""
for c in /usr/lib/llvm-19/lib/libLLVM.so.19.1 /usr/lib/x86_64-linux-gnu/libLLVM.so.19.1; do
	[ -f "$c" ] && { lib=$(readlink -f "$c"); break; }
done
if [ -z "$lib" ]; then echo "bench_walk: libLLVM 19 not installed, skipped"; exit 0; fi
[ -x "$SCAN" ] || { echo "bench_walk: build $SCAN first (make bench)"; exit 1; }
cat "$lib" >/dev/null
python3 "$ROOT/bench/compare.py" "${BENCH_WALK_RUNS:-41}" "measure vs bare scan" "$(basename "$lib")" \
	"$RELGATE measure $lib" "relscan (mmap, count RELATIVE)" "$SCAN $lib" 1.6
