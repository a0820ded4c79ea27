#!/bin/sh
# tests/e2e/test_diff_render.sh - `relgate diff` prints its report through
# the renderer of check and merge (rg_report_render), so it follows their
# rules: colour on a terminal unless NO_COLOR or TERM=dumb (GITHUB_ACTIONS
# does not matter), annotations after the text form only, a report that
# cannot be written (stdout, $GITHUB_STEP_SUMMARY, $GITHUB_OUTPUT) is an
# error naming what failed, and on GitHub Actions an error that stops the
# command is one "::error title=relgate diff::" annotation.
#
# The inputs are `relgate measure --format json` documents written here by
# hand; the expected verdicts are derived below. Error texts come from the
# C library through python3's os.strerror; a terminal is faked with
# util-linux `script`; workflow commands are parsed by tests/gh_parse.py.
. "$ROOT/tests/lib.sh"
cd "$TEST_TMP" || exit 1
# Each case sets what it needs: a CI's own GitHub or colour settings stay out.
unset GITHUB_ACTIONS GITHUB_STEP_SUMMARY GITHUB_OUTPUT NO_COLOR
# The interpreter itself, not a version-manager shim (~0.5 s a call).
PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) || PY=python3

# Page size 4096 on both sides (no page-size mismatch).
#   relocs.total 10 -> 30: +20; rule max_increase 5 (line 7) -> FAIL by 15
#   file.size 1000 -> 2000: +1000; rule warn_increase 500 (line 8) -> WARN
#   vm.size 500 -> 500: unchanged
# So: exit 1, one ::error at relgate.yml:7, one ::warning at relgate.yml:8.
"$PY" - <<'PY'
import json
def doc(m):
    return {"schema_version": 1, "tool": {"name": "relgate", "version": "x"},
            "binaries": [{"path": "app", "format": "elf", "arch": "x86_64", "bits": 64,
                          "endian": "little", "page_size": 4096, "metrics": m,
                          "segments": [], "sections": [], "notes": []}]}
json.dump(doc({"relocs.total": 10, "file.size": 1000, "vm.size": 500}), open("b.json", "w"))
json.dump(doc({"relocs.total": 30, "file.size": 2000, "vm.size": 500}), open("h.json", "w"))
PY
cat >relgate.yml <<'YML'
version: 1
targets:
  app:
    build: make
    artifact: app
    budgets:
      relocs.total: { max_increase: 5 }
      file.size: { warn_increase: 500 }
YML
# The C library's messages for the errors expected below.
eval "$("$PY" -c 'import errno, os
for e in ("ENOSPC", "ENOENT", "EISDIR"):
    print("%s=\"%s\"" % (e, os.strerror(getattr(errno, e))))')"
SCHEMA=$ROOT/docs/report.schema.json
# diff's JSON report, a part for relgate merge (the other user of the renderer).
"$RELGATE" diff --budgets relgate.yml --json-out part.json b.json h.json >/dev/null 2>&1
check_eq "diff --json-out: the report validates" valid "$("$PY" "$ROOT/tests/schema_check.py" "$SCHEMA" part.json 2>&1)"

# gh FILE: the workflow commands of FILE as "cmd|title|file|line|data" lines.
gh() {
	"$PY" "$ROOT/tests/gh_parse.py" "$1" | "$PY" -c '
import json, sys
for c in json.load(sys.stdin):
    p = c["props"]
    print("|".join([c["cmd"], p.get("title", ""), p.get("file", ""), p.get("line", ""), c["data"]]))'
}

# ---- colour: a terminal faked with script(1) ----
# tty OUT ENV... : runs `relgate diff --budgets relgate.yml b.json h.json`
# on a pseudo-terminal with the given environment; the exit status is
# relgate's (script -e). stdin is /dev/null: script stops when it is closed.
on_tty() {
	out=$1; shift
	env SHELL=/bin/sh "$@" script -qec "'$RELGATE' diff --budgets relgate.yml b.json h.json" /dev/null \
		</dev/null >"$out" 2>&1
}
# colour FILE: "colour" when the overall line is "relgate: <SGR>FAIL<SGR 0>: ..."
# (an ECMA-48 CSI ... m sequence before FAIL and a reset after it), "plain"
# when the file has no ESC byte at all, else "mixed".
colour() {
	"$PY" - "$1" <<'PY'
import re, sys
s = open(sys.argv[1], "rb").read().decode()
if "\x1b" not in s:
    print("plain")
elif re.match(r"relgate: \x1b\[[0-9;]*mFAIL\x1b\[0m: ", s):
    print("colour")
else:
    print("mixed")
PY
}
if ! script -qec true /dev/null </dev/null >/dev/null 2>&1; then
	skip "diff: colour on a terminal" "no util-linux script(1) to fake a terminal"
else
	on_tty t_plain.txt TERM=xterm
	check_eq "terminal: exit 1 through script" 1 $?
	check_eq "terminal: colour" colour "$(colour t_plain.txt)"
	on_tty t_gha.txt TERM=xterm GITHUB_ACTIONS=true
	check_eq "terminal + GITHUB_ACTIONS=true: colour, as check and merge (old diff: none)" colour "$(colour t_gha.txt)"
	check_eq "terminal + GITHUB_ACTIONS=true: annotations after the text, at the rules" \
		"error|relgate: app relocs.total max_increase exceeded|relgate.yml|7
warning|relgate: app file.size warn_increase warning|relgate.yml|8" "$(gh t_gha.txt | cut -d'|' -f1-4)"
	case $(gh t_gha.txt | head -n 1) in
	*"|target app, relocs.total: "*"exceeded by 15") ok "terminal + GITHUB_ACTIONS=true: the failure in words (20 - 5 = 15 over)" ;;
	*) not_ok "terminal + GITHUB_ACTIONS=true: the failure in words" "$(gh t_gha.txt | head -n 1)" ;;
	esac
	on_tty t_nocolor.txt TERM=xterm GITHUB_ACTIONS=true NO_COLOR=1
	check_eq "terminal + NO_COLOR=1: no colour" plain "$(colour t_nocolor.txt)"
	on_tty t_dumb.txt TERM=dumb
	check_eq "terminal + TERM=dumb: no colour" plain "$(colour t_dumb.txt)"
	# One renderer: merge prints the same report read back from diff's
	# JSON in the same bytes.
	env SHELL=/bin/sh TERM=xterm GITHUB_ACTIONS=true script -qec "'$RELGATE' merge part.json" /dev/null \
		</dev/null >t_merge.txt 2>&1
	cmp -s t_gha.txt t_merge.txt && ok "terminal + GITHUB_ACTIONS=true: diff prints what merge prints" ||
		not_ok "terminal + GITHUB_ACTIONS=true: diff prints what merge prints" "$(diff t_gha.txt t_merge.txt | head -5)"
fi
TERM=xterm "$RELGATE" diff --budgets relgate.yml b.json h.json >pipe.txt 2>&1
check_eq "not a terminal: no colour" plain "$(colour pipe.txt)"

# ---- GitHub Actions: annotations only after the text form ----
: >out_gha; : >sum_gha
GITHUB_ACTIONS=true GITHUB_OUTPUT=$TEST_TMP/out_gha GITHUB_STEP_SUMMARY=$TEST_TMP/sum_gha \
	"$RELGATE" diff --budgets relgate.yml --format json b.json h.json >gha.json 2>err
check_eq "GITHUB_ACTIONS=true --format json: exit 1" 1 $?
check_eq "GITHUB_ACTIONS=true --format json: stdout is one valid report" valid \
	"$("$PY" "$ROOT/tests/schema_check.py" "$SCHEMA" gha.json 2>&1)"
"$PY" - <<'PY' >res
import json, re
s = open("out_gha").read()
m = re.search(r"^report<<(\S+)\n(.*)\n\1$", s, re.M | re.S)
json.dump(json.loads(m.group(2)), open("out_gha.json", "w"))
print(re.findall(r"^(?:status|failed|warned)=.*$", s, re.M))
PY
check_eq "GITHUB_OUTPUT: status, failed, warned" "['status=fail', 'failed=1', 'warned=1']" "$(cat res)"
check_eq "GITHUB_OUTPUT: the report validates" valid "$("$PY" "$ROOT/tests/schema_check.py" "$SCHEMA" out_gha.json 2>&1)"
GITHUB_ACTIONS=true "$RELGATE" diff --budgets relgate.yml --format markdown b.json h.json >gha.md 2>err
check_eq "GITHUB_ACTIONS=true --format markdown: no annotation in the Markdown" "" "$(gh gha.md)"
GITHUB_ACTIONS=true "$RELGATE" diff --budgets relgate.yml --format github b.json h.json >gha_gh.txt 2>err
check_eq "GITHUB_ACTIONS=true --format github: each annotation once" "error warning" \
	"$(gh gha_gh.txt | cut -d'|' -f1 | tr '\n' ' ' | sed 's/ $//')"
# merge renders the same way (it appended annotations to its JSON before).
GITHUB_ACTIONS=true "$RELGATE" merge --format json part.json >merge_gha.json 2>err
check_eq "merge, GITHUB_ACTIONS=true --format json: stdout is one valid report" valid \
	"$("$PY" "$ROOT/tests/schema_check.py" "$SCHEMA" merge_gha.json 2>&1)"

# ---- a report that cannot be written is an error (exit 2), not exit 0/1 ----
if [ -w /dev/full ]; then
	"$RELGATE" diff b.json h.json >/dev/full 2>err
	check_eq "stdout full: exit 2" 2 $?
	check_eq "stdout full: says so" "relgate: cannot write the report: $ENOSPC" "$(cat err)"
	"$RELGATE" diff --budgets relgate.yml --format json b.json h.json >/dev/full 2>err
	check_eq "stdout full, --format json: exit 2" 2 $?
	"$RELGATE" merge part.json >/dev/full 2>err
	rc=$?
	check_eq "merge, stdout full: exit 2 and the same line" "2 relgate: cannot write the report: $ENOSPC" \
		"$rc $(cat err)"
else
	skip "diff: stdout full" "no /dev/full"
fi
GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY=$TEST_TMP/no/such/dir/sum \
	"$RELGATE" diff --budgets relgate.yml b.json h.json >gha_sum.txt 2>err
check_eq "GITHUB_STEP_SUMMARY unwritable: exit 2" 2 $?
msg="cannot write \$GITHUB_STEP_SUMMARY ($TEST_TMP/no/such/dir/sum): $ENOENT"
check_eq "GITHUB_STEP_SUMMARY unwritable: names the variable and path" "relgate: $msg" "$(cat err)"
check_eq "GITHUB_STEP_SUMMARY unwritable: the report's annotations, then the failure's" \
	"error|relgate.yml|7
warning|relgate.yml|8
error||" "$(gh gha_sum.txt | cut -d'|' -f1,3,4)"
check_eq "GITHUB_STEP_SUMMARY unwritable: the failure's annotation" "error|relgate diff|||$msg" \
	"$(gh gha_sum.txt | tail -n 1)"
mkdir -p outdir
GITHUB_ACTIONS=true GITHUB_OUTPUT=$TEST_TMP/outdir "$RELGATE" diff b.json h.json >/dev/null 2>err
rc=$?
check_eq "GITHUB_OUTPUT a directory: exit 2, named" \
	"2 relgate: cannot write \$GITHUB_OUTPUT ($TEST_TMP/outdir): $EISDIR" "$rc $(cat err)"

# ---- on GitHub Actions an error is one ::error annotation, as in check ----
GITHUB_ACTIONS=true "$RELGATE" diff nope.json h.json >fail.txt 2>err
check_eq "GITHUB_ACTIONS=true, missing input: exit 2" 2 $?
check_eq "GITHUB_ACTIONS=true, missing input: one line on stderr" "relgate: nope.json: $ENOENT" "$(cat err)"
check_eq "GITHUB_ACTIONS=true, missing input: one ::error annotation" \
	"error|relgate diff|||nope.json: $ENOENT" "$(gh fail.txt)"
check_eq "GITHUB_ACTIONS=true, missing input: nothing else on stdout" 1 "$(wc -l <fail.txt | tr -d ' ')"
"$RELGATE" diff nope.json h.json >fail2.txt 2>err
check_eq "no GITHUB_ACTIONS, missing input: nothing on stdout" "0" "$(wc -c <fail2.txt | tr -d ' ')"
GITHUB_ACTIONS=true "$RELGATE" diff --budgets relgate.yml --target nope b.json h.json >fail3.txt 2>err
rc=$?
check_eq "GITHUB_ACTIONS=true, unknown target: the annotation carries the message" \
	"2 error|relgate diff|||relgate.yml has no target 'nope' (it has: app)" "$rc $(gh fail3.txt)"
# Bad usage is not annotated (as check): the step's log has the line.
GITHUB_ACTIONS=true "$RELGATE" diff --format xml b.json h.json >usage.txt 2>err
rc=$?
check_eq "bad --format: exit 2, check's wording" \
	"2 relgate: diff: --format wants text, json, github or markdown, not 'xml'" "$rc $(cat err)"
check_eq "bad --format: no annotation" "0" "$(wc -c <usage.txt | tr -d ' ')"
"$RELGATE" diff b.json h.json --format >/dev/null 2>err
check_eq "--format without a value" "relgate: diff: --format needs a value" "$(cat err)"
