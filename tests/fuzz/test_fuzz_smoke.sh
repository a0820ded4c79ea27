#!/bin/sh
# test_fuzz_smoke.sh - a short smoke run of every libFuzzer target: builds
# `make fuzz-build` (clang -fsanitize=fuzzer,address,undefined) and runs each
# build/fuzz/fuzz_* binary for $FUZZ_SMOKE_SECONDS (default 20) seconds on
# its corpus (seeded by tests/fuzz/seed_NAME.sh when present). The seeds
# include inputs the fuzzers once crashed on (overflow_gen.py's two-.bss
# files), so every run reaches those arithmetic paths in its first second,
# however short the run. One ok/not ok
# line per target; a crash, sanitizer report, leak or timeout is a failure
# and its reproducer is kept under build/fuzz/. Skipped without libFuzzer.
. "$ROOT/tests/lib.sh"
secs=${FUZZ_SMOKE_SECONDS:-20}
cc=${FUZZ_CC:-clang}
if ! need "$cc"; then skip "fuzz smoke" "$cc not installed"; exit 0; fi
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return 0; }\n' >"$TEST_TMP/probe.c"
if ! "$cc" -fsanitize=fuzzer,address,undefined -o "$TEST_TMP/probe" "$TEST_TMP/probe.c" >/dev/null 2>&1; then
	skip "fuzz smoke" "$cc has no libFuzzer runtime (apt-get install libclang-rt-14-dev)"
	exit 0
fi
if ! make -C "$ROOT" -j2 fuzz-build >"$TEST_TMP/build.log" 2>&1; then
	not_ok "fuzz smoke: make fuzz-build" "$(tail -n 5 "$TEST_TMP/build.log" | tr '\n' ' ')"
	exit 0
fi
found=0
for f in "$ROOT"/build/fuzz/fuzz_*; do
	[ -f "$f" ] && [ -x "$f" ] || continue
	case "$f" in *.o|*.log) continue ;; esac
	found=1
	name=$(basename "$f")
	corpus="$ROOT/build/fuzz/corpus/$name"
	mkdir -p "$corpus"
	seed="$ROOT/tests/fuzz/seed_${name#fuzz_}.sh"
	[ -f "$seed" ] && sh "$seed" "$corpus" >/dev/null 2>&1
	log="$ROOT/build/fuzz/$name.smoke.log"
	# ASAN/UBSAN options from tests/run.sh would change exit codes; libFuzzer
	# reports its own findings, so run with its defaults.
	if env -u ASAN_OPTIONS -u UBSAN_OPTIONS "$f" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
		-print_final_stats=1 -artifact_prefix="$ROOT/build/fuzz/$name-" "$corpus" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
		ok "fuzz smoke $name: ${secs}s, ${runs:-?} executions, no finding"
	else
		not_ok "fuzz smoke $name" "finding; see $log: $(grep -m 1 -E 'ERROR|SUMMARY|runtime error' "$log")"
	fi
done
[ "$found" = 1 ] || skip "fuzz smoke" "no fuzz targets in tests/fuzz"
