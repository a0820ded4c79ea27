#!/bin/sh
# bench/bench_walk.sh - `relgate measure` on libLLVM.so from LLVM 19 (about
# 334,000 dynamic relocations) against the bare-scan floor: bench/relscan.c,
# which maps the file and counts the RELATIVE entries of .rela.dyn and
# nothing else. Both are whole processes (start and exit included), timed
# alternately by bench/compare.py. Target: relgate at most 1.6x the floor.
# Then the same on a synthetic 4,000,000-entry table, and peak RSS there.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
RELGATE=${RELGATE:-$ROOT/relgate}
SCAN=${RELSCAN:-$ROOT/build/rel/bench/relscan}
. "$ROOT/bench/lib.sh"
lib=$(libllvm)
[ -x "$SCAN" ] || { echo "bench_walk: build $SCAN first (make bench)"; exit 1; }
rc=0
if [ -z "$lib" ]; then echo "bench_walk: libLLVM 19 not installed, its case skipped"; else
cat "$lib" >/dev/null
python3 "$ROOT/bench/compare.py" "${BENCH_WALK_RUNS:-41}" "measure vs bare scan" "$(basename "$lib")" \
	"$RELGATE measure $lib" "relscan (mmap, count RELATIVE)" "$SCAN $lib" 1.6 || rc=1
fi

# Memory: a synthetic 4,000,000-entry RELA table (96 MB, bench/gen_rela.py).
# A mapped table counts in the resident set once read; relgate drops the
# pages behind its walk. Peak RSS from getrusage (ru_maxrss) of one run
# each; target: relgate under 32 MiB. The count is checked against the
# table's DT_RELACOUNT as binutils readelf prints it.
n=${BENCH_RELA_N:-4000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$ROOT/bench/gen_rela.py" "$n" "$tmp/rela.so" || exit 1
cat "$tmp/rela.so" >/dev/null
want=$(readelf -dW "$tmp/rela.so" 2>/dev/null | awk '/RELACOUNT/ {print $NF}')
got=$("$RELGATE" measure --format json "$tmp/rela.so" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["binaries"][0]["metrics"]["relocs.relative"])')
[ "$got" = "$want" ] || { echo "bench_walk: relgate counts $got relative relocations, readelf's RELACOUNT is $want"; exit 1; }
python3 "$ROOT/bench/compare.py" "${BENCH_WALK_RUNS:-11}" "measure vs bare scan" "$n RELA entries (synthetic)" \
	"$RELGATE measure $tmp/rela.so" "relscan (mmap, count RELATIVE)" "$SCAN $tmp/rela.so" 1.6 || rc=1
python3 - "$RELGATE" "$SCAN" "$tmp/rela.so" "$n" <<'PY'
import resource, subprocess, sys
def peak(argv):
    # A fresh child each: RUSAGE_CHILDREN's maximum is over all children so far.
    out = subprocess.run([sys.executable, "-c",
        "import resource,subprocess,sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"] + argv,
        stdout=subprocess.PIPE, text=True).stdout
    return int(out.split()[-1])
rg, scan = peak([sys.argv[1], "measure", sys.argv[3]]), peak([sys.argv[2], sys.argv[3]])
ok = rg < 32768
print("peak RSS, %s RELA entries: relgate %d KiB, relscan %d KiB (target: relgate < 32768 KiB): %s"
      % (sys.argv[4], rg, scan, "met" if ok else "MISSED"))
sys.exit(0 if ok else 1)
PY
[ $? = 0 ] || rc=1
exit $rc
