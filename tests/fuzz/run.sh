#!/bin/sh
# tests/fuzz/run.sh SECONDS FUZZER... - runs each libFuzzer target for
# SECONDS on its corpus build/fuzz/corpus/NAME, seeded first by
# tests/fuzz/seed_NAME.sh CORPUS_DIR when that script exists.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
secs=$1; shift
rc=0
for f in "$@"; do
	name=$(basename "$f")
	corpus="$ROOT/build/fuzz/corpus/$name"
	mkdir -p "$corpus"
	seed="$ROOT/tests/fuzz/seed_${name#fuzz_}.sh"
	[ -f "$seed" ] && sh "$seed" "$corpus"
	echo "fuzz: $name for ${secs}s on $(ls "$corpus" | wc -l) seeds"
	if ! "$f" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=0 \
		"$corpus" >"$ROOT/build/fuzz/$name.log" 2>&1; then
		echo "fuzz: $name FAILED; see build/fuzz/$name.log"
		tail -n 30 "$ROOT/build/fuzz/$name.log"
		rc=1
	fi
done
exit $rc
