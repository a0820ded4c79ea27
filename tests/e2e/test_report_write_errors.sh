#!/bin/sh
# test_report_write_errors.sh - a report or document that cannot be
# written is exit code 2 and one message that says what could not be
# written: `relgate report`'s JSON (written by the same function as check's
# --json-out) to a missing directory, to /dev/full (ENOSPC on every write)
# and on stdout; `relgate diff --by` and `measure --by` documents on a full
# stdout. The same commands with a writable destination exit as they
# should, so the difference is the write alone.
. "$ROOT/tests/lib.sh"

if [ ! -w /dev/full ] || ! need cc git; then
	skip "report write errors" "needs /dev/full, cc and git"; exit 0
fi
git_test_env
export XDG_CACHE_HOME="$TEST_TMP/xdg"
cd "$TEST_TMP" || exit 1
ptr_app a.c 4 && cc -O2 -fPIE -pie -o bin0 a.c && cp bin0 bin1 ||
	{ not_ok "build the fixture" "cc failed"; exit 0; }
prebuilt_repo 16 || exit 1

# one_error NAME WANT CODE CMD...: CMD exits CODE, and its stderr has one
# "relgate:" line that is not progress, and it matches WANT (grep -E).
one_error() {
	name=$1; want=$2; code=$3; shift 3
	"$@" >"$TEST_TMP/out" 2>"$TEST_TMP/err"
	check_eq "$name: exit $code" "$code" $?
	grep -v -E '^(relgate: report .*: [0-9]+ commits|\[)' "$TEST_TMP/err" >"$TEST_TMP/msg"
	[ "$(wc -l <"$TEST_TMP/msg")" -eq 1 ] && grep -q -E "$want" "$TEST_TMP/msg" && ok "$name: one message, '$want'" ||
		not_ok "$name: one message, '$want'" "$(head -c 300 "$TEST_TMP/msg")"
}
check_exit "report --json-out FILE: exit 0 (within budget)" 0 \
	"$RELGATE" report --json-out "$TEST_TMP/r.json" HEAD~1..HEAD
one_error "report --json-out into a missing directory" \
	"^relgate: report: $TEST_TMP/none/r\\.json: No such file" 2 \
	"$RELGATE" report --json-out "$TEST_TMP/none/r.json" HEAD~1..HEAD
one_error "report --json-out /dev/full" "^relgate: report: /dev/full: cannot write the JSON report" 2 \
	"$RELGATE" report --json-out /dev/full HEAD~1..HEAD
"$RELGATE" report --format json HEAD~1..HEAD >/dev/full 2>"$TEST_TMP/err"
check_eq "report --format json > /dev/full: exit 2" 2 $?
[ "$(grep -c 'cannot write' "$TEST_TMP/err")" -eq 1 ] && grep -q '^relgate: report: cannot write the report: No space left' "$TEST_TMP/err" &&
	ok "report --format json > /dev/full: says so, once" ||
	not_ok "report --format json > /dev/full: says so, once" "$(head -c 300 "$TEST_TMP/err")"

cd "$TEST_TMP" || exit 1
for what in "diff --by section --format json bin0 bin1" "diff --by symbol bin0 bin1" \
	"measure --by section --format json bin1" "measure --format json bin1"; do
	# shellcheck disable=SC2086 # $what is a command line
	check_exit "relgate $what: exit 0" 0 "$RELGATE" $what
	# shellcheck disable=SC2086
	one_error "relgate $what > /dev/full" "^relgate: cannot write the output: No space left" 2 \
		sh -c '"$@" >/dev/full' sh "$RELGATE" $what
done
