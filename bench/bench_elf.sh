#!/bin/sh
# bench/bench_elf.sh - relgate measure against binutils `readelf -rW` and
# LLVM 19 `llvm-readelf --dyn-relocations` (each piped to wc -l, so every
# tool decodes every relocation) on libLLVM.so from LLVM 19 (about 129 MB,
# about 334,000 dynamic relocations). Medians of $BENCH_RUNS runs, the
# ratio, and relgate's peak RSS. Targets (issue 2): at least 20x faster
# than readelf -rW, peak RSS under 32 MB. Use the release build (./relgate).
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
. "$ROOT/bench/lib.sh"
libllvm_setup bench_elf
relocs=$("$RELGATE" measure --format json "$lib" | python3 -c 'import json,sys; print(json.load(sys.stdin)["binaries"][0]["metrics"]["relocs.total"])')
echo "bench_elf: $lib ($(wc -c <"$lib") bytes, $relocs relocations), $BENCH_RUNS runs each"
ours=$(median_ms "$BENCH_RUNS" "'$RELGATE' measure --format json '$lib'")
# Sub-millisecond resolution matters for a tool this fast: time 10 runs.
ours10=$(median_ms "$BENCH_RUNS" "for i in 1 2 3 4 5 6 7 8 9 10; do '$RELGATE' measure --format json '$lib' >/dev/null; done")
ref=$(median_ms "$BENCH_RUNS" "readelf -rW '$lib' | wc -l")
report "elf relocs (vs readelf -rW)" "$(basename "$lib")" "$ours" "readelf -rW | wc -l" "$ref"
if [ -x "$LLVM_BIN/llvm-readelf" ]; then
	lref=$(median_ms "$BENCH_RUNS" "'$LLVM_BIN/llvm-readelf' --dyn-relocations '$lib' | wc -l")
	report "elf relocs (vs llvm-readelf)" "$(basename "$lib")" "$ours" "llvm-readelf --dyn-relocations" "$lref"
fi
rss=$(peak_rss_kb "'$RELGATE' measure --format json '$lib'")
awk -v o10="$ours10" -v r="$ref" -v rss="$rss" 'BEGIN {
	per = o10 / 10.0; if (per <= 0) per = 0.1
	ratio = r / per
	printf "relgate: %.1f ms per run (10-run batches); %.0fx faster than readelf -rW (target >= 20x): %s\n", per, ratio, (ratio >= 20 ? "met" : "MISSED")
	printf "relgate peak RSS: %d KiB (target < 32768 KiB): %s\n", rss, (rss < 32768 ? "met" : "MISSED")
	bad = 1; if (ratio >= 20 && rss < 32768) bad = 0
	exit bad }'
