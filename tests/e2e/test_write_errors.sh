#!/bin/sh
# Write errors (issue 12 item 9): a command whose output cannot be written
# - stdout is /dev/full (ENOSPC on every write) or closed - exits 2 with a
# message, never 0 with the output lost (`relgate hook show > hook` on a
# full disk used to leave an empty hook and succeed). The same commands
# with a writable stdout exit 0, so the difference is the write alone.
. "$ROOT/tests/lib.sh"
cd "$TEST_TMP" || exit 1
if [ ! -w /dev/full ]; then skip "write errors" "no /dev/full"; exit 0; fi

cat >ok.yml <<'YML'
version: 1
targets:
  app:
    build: cc -o "$RELGATE_OUT/app" main.c
    artifact: $RELGATE_OUT/app
    budgets:
      file.size: { max: 100000000 }
YML
if ! cc -o app.bin -x c - <<'C' 2>cc.err; then
int main(void) { return 0; }
C
	not_ok "write errors: fixture app.bin built by cc" "$(head -c 300 cc.err)"
	exit 0
fi
"$RELGATE" measure --format json app.bin >a.json 2>/dev/null

while read -r what; do
	# shellcheck disable=SC2086 # $what is a command line
	"$RELGATE" $what >/dev/null 2>"$TEST_TMP/ok.err"
	check_eq "relgate $what, writable stdout: exit 0" 0 "$?"
	"$RELGATE" $what >/dev/full 2>"$TEST_TMP/full.err"
	check_eq "relgate $what > /dev/full: exit 2" 2 "$?"
	grep -q -E "^relgate: cannot write the (output|report)" "$TEST_TMP/full.err" && [ "$(wc -l <"$TEST_TMP/full.err")" -eq 1 ] && ok "relgate $what > /dev/full: says so, in one line" ||
		not_ok "relgate $what > /dev/full: says so, in one line" "$(head -c 200 "$TEST_TMP/full.err")"
	"$RELGATE" $what >&- 2>"$TEST_TMP/closed.err"
	check_eq "relgate $what with stdout closed: exit 2" 2 "$?"
done <<'CMDS'
measure app.bin
measure --format json app.bin
validate ok.yml
hook show
help
help check
--help
--version
diff a.json a.json
CMDS
