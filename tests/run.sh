#!/bin/sh
# tests/run.sh - runs every test of `make check` and prints one closing line
# "N passed, N failed".
#
# A test is either a unit binary in $UNIT_DIR (tests/unit/test_*.c) or a
# shell script tests/*/test_*.sh. Both print TAP-like lines:
#   ok - NAME
#   not ok - NAME: what differed
#   skip - NAME: why            (counted apart, never as passed)
# A test program that exits non-zero without printing "not ok" counts as
# one failure, so a crash (a sanitizer report) can never pass.
# TESTS=pattern runs only the scripts whose path contains pattern.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export ROOT
: "${RELGATE:=$ROOT/build/asan/relgate}"
: "${UNIT_DIR:=$ROOT/build/asan/tests}"
export RELGATE
export FIXTURES="${FIXTURES:-$ROOT/build/fixtures}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=99}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=98}"
export LLVM_BIN="${LLVM_BIN:-$(llvm-config-19 --bindir 2>/dev/null || echo /usr/lib/llvm-19/bin)}"
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"
export GO111MODULE=off
mkdir -p "$FIXTURES"
results=$(mktemp)
trap 'rm -f "$results"' EXIT INT TERM

run_one() { # NAME CMD...
	name=$1; shift
	out=$(mktemp)
	start=$(date +%s)
	"$@" >"$out" 2>&1
	rc=$?
	grep -E '^(ok|not ok|skip) - ' "$out" >>"$results"
	if [ $rc -ne 0 ] && ! grep -q '^not ok - ' "$out"; then
		echo "not ok - $name: exited $rc" >>"$results"
	fi
	if [ $rc -ne 0 ] || grep -q '^not ok - ' "$out"; then
		echo "--- $name (exit $rc)"
		grep -v -E '^(ok|skip) - ' "$out" | tail -n 40
	fi
	p=$(grep -c '^ok - ' "$out"); f=$(grep -c '^not ok - ' "$out"); s=$(grep -c '^skip - ' "$out")
	echo "$name: $p ok, $f not ok, $s skipped ($(( $(date +%s) - start )) s)"
	rm -f "$out"
}

pattern=${TESTS:-}
if [ -d "$UNIT_DIR" ]; then
	for t in "$UNIT_DIR"/test_*; do
		[ -x "$t" ] || continue
		case "$(basename "$t")" in *"$pattern"*) ;; *) continue ;; esac
		run_one "unit/$(basename "$t")" "$t"
	done
fi
for t in "$ROOT"/tests/*/test_*.sh; do
	[ -f "$t" ] || continue
	rel=${t#"$ROOT"/tests/}
	case "$rel" in *"$pattern"*) ;; *) continue ;; esac
	tmp=$(mktemp -d)
	run_one "$rel" env TEST_TMP="$tmp" sh "$t"
	rm -rf "$tmp"
done

passed=$(grep -c '^ok - ' "$results")
failed=$(grep -c '^not ok - ' "$results")
skipped=$(grep -c '^skip - ' "$results")
if [ "$failed" -ne 0 ]; then
	echo "failures:"
	grep '^not ok - ' "$results" | head -n 50
fi
[ "$skipped" -ne 0 ] && grep '^skip - ' "$results" | head -n 20
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
