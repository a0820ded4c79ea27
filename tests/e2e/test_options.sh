#!/bin/sh
# One option scheme for check, report and publish (gate/util.c's
# rg_opts_parse): "--opt VALUE" and "--opt=VALUE" alike, report's old
# spellings (--json, --markdown, --html) as aliases, and the same words for
# an unknown option, a missing value and a number out of range, each exit 2.
# What a file option wrote is read back with python3's json module.
. "$ROOT/tests/lib.sh"
cd "$TEST_TMP"
if ! need cc git python3; then skip "options" "cc, git or python3 missing"; exit 0; fi
git_test_env
export XDG_CACHE_HOME=$TEST_TMP/xdg
mkdir -p repo && cd repo && git init -q -b main .
echo 'int main(void) { return 0; }' >app.c
cat >relgate.yml <<'YML'
version: 1
targets:
  app:
    build: cc -o "$RELGATE_OUT/app" app.c
    artifact: $RELGATE_OUT/app
    budgets:
      file.size: { max: 1MiB }
YML
git add -A && git commit -qm a && git commit -q --allow-empty -m b

for cmd in check report publish; do
	check_exit "$cmd: unknown option" 2 "$RELGATE" $cmd --bogus
	check_eq "$cmd: unknown option, said" \
		"relgate: $cmd: unknown option '--bogus' (see 'relgate help $cmd')" "$(cat "$TEST_TMP/last.err")"
	check_exit "$cmd: --cache-dir without a value" 2 "$RELGATE" $cmd --cache-dir
	check_eq "$cmd: missing value, said" "relgate: $cmd: --cache-dir needs a value" \
		"$(cat "$TEST_TMP/last.err")"
done
# init and validate parse with the same rg_opts_parse: the same words, exit 2.
check_exit "init: unknown option" 2 "$RELGATE" init --bogus
check_eq "init: unknown option, said" \
	"relgate: init: unknown option '--bogus' (see 'relgate help init')" "$(cat "$TEST_TMP/last.err")"
check_exit "init: a word" 2 "$RELGATE" init foo
check_eq "init: a word, said" "relgate: init: unknown argument 'foo' (see 'relgate help init')" \
	"$(cat "$TEST_TMP/last.err")"
check_exit "init: --output without a value" 2 "$RELGATE" init --output
check_eq "init: missing value, said" "relgate: init: --output needs a value" \
	"$(cat "$TEST_TMP/last.err")"
check_exit "validate: --format without a value" 2 "$RELGATE" validate --format
check_exit "validate: --format=xml" 2 "$RELGATE" validate --format=xml
check_eq "validate: --format=xml, said" "relgate: --format: expected text or json" \
	"$(cat "$TEST_TMP/last.err")"
check_exit "validate: --format=json" 0 "$RELGATE" validate --format=json
check_eq "validate: --format=json wrote JSON" 1 \
	"$(python3 -c 'import json, sys; print(int(isinstance(json.load(sys.stdin), dict)))' <"$TEST_TMP/last.out")"
check_exit "validate: --formatx" 2 "$RELGATE" validate --formatx
check_exit "check: --jobs=0" 2 "$RELGATE" check --jobs=0 HEAD~1..HEAD
check_eq "check: --jobs=0, said" "relgate: check: --jobs wants a whole number from 1 to 16, not '0'" \
	"$(cat "$TEST_TMP/last.err")"
check_exit "publish: --jobs 17" 2 "$RELGATE" publish --jobs 17 HEAD
check_exit "report: --every=0" 2 "$RELGATE" report --every=0 HEAD~1..HEAD
check_exit "report: --every x" 2 "$RELGATE" report --every x HEAD~1..HEAD

json_status() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["status"])' "$1"; }
check_exit "check: --json-out=FILE --jobs=2" 0 "$RELGATE" check --jobs=2 --json-out=c.json HEAD~1..HEAD
check_eq "check: --json-out=FILE written" pass "$(json_status c.json)"
check_exit "report: --json=FILE (the old spelling, = form)" 0 "$RELGATE" report --json=r.json HEAD~1..HEAD
check_eq "report: --json=FILE written" 2 \
	"$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["commits"]))' r.json)"
check_exit "report: --json-out FILE --every 1" 0 "$RELGATE" report --json-out r2.json --every 1 HEAD~1..HEAD
check_eq "report: --json-out FILE written" 2 \
	"$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["commits"]))' r2.json)"

# measure, diff, merge, bisect and validate parse with rg_opts_parse too:
# one error of each, its words and exit 2.
check_exit "measure: --format without a value" 2 "$RELGATE" measure --format
check_eq "measure: missing value, said" "relgate: measure: --format needs a value" "$(cat "$TEST_TMP/last.err")"
check_exit "diff: --top x" 2 "$RELGATE" diff --top x a b
check_eq "diff: --top x, said" "relgate: diff: --top: 'x' is not a number of rows (0: all)" \
	"$(cat "$TEST_TMP/last.err")"
check_exit "merge: unknown option" 2 "$RELGATE" merge --bogus p.json
check_eq "merge: unknown option, said" \
	"relgate: merge: unknown option '--bogus' (see 'relgate help merge')" "$(cat "$TEST_TMP/last.err")"
check_exit "bisect: --metric without a value" 2 "$RELGATE" bisect --target app --metric
check_eq "bisect: missing value, said" "relgate: bisect: --metric needs a value" "$(cat "$TEST_TMP/last.err")"
check_exit "validate: two files" 2 "$RELGATE" validate a.yml b.yml
check_eq "validate: two files, said" "relgate: validate: one FILE at most (see 'relgate help validate')" \
	"$(cat "$TEST_TMP/last.err")"

# "--" ends the options: files named like options are measured, compared,
# validated; a revision after it is a revision. Sizes: wc -c.
cc -o ./-x app.c && cc -O2 -o ./--y app.c || not_ok "--: build the binaries" "cc failed"
check_exit "measure -- -x --y" 0 "$RELGATE" measure --format json -- -x --y
check_eq "measure -- -x --y: both files, their sizes" "$(wc -c <./-x | tr -d ' ') $(wc -c <./--y | tr -d ' ')" \
	"$(python3 -c 'import json, sys; print(" ".join(str(b["metrics"]["file.size"]) for b in json.load(sys.stdin)["binaries"]))' <"$TEST_TMP/last.out")"
check_exit "diff -- -x --y" 0 "$RELGATE" diff --format json -- -x --y
cp relgate.yml ./-c.yml
check_exit "validate -- -c.yml" 0 "$RELGATE" validate -- -c.yml
check_exit "validate -- --help (a file, not the help)" 2 "$RELGATE" validate -- --help
grep -q "^relgate: --help: " "$TEST_TMP/last.err" && ok "validate -- --help: names the file" ||
	not_ok "validate -- --help: names the file" "$(cat "$TEST_TMP/last.err")"
check_exit "publish -- -x: a revision" 2 env -u GITHUB_EVENT_NAME "$RELGATE" publish --no-cache -- -x
grep -q "^relgate: publish: unknown revision '-x'" "$TEST_TMP/last.err" && ok "publish -- -x: names the revision" ||
	not_ok "publish -- -x: names the revision" "$(cat "$TEST_TMP/last.err")"
rm -f ./-x ./--y ./-c.yml

# publish's paths that write nothing: an unknown revision (exit 2), a
# --target no relgate.yml names, a commit with no relgate.yml (exit 0,
# said). No notes ref may appear; git for-each-ref is the judge.
notes_refs() { git for-each-ref --format='%(refname)' refs/notes; }
check_exit "publish: an unknown revision" 2 env -u GITHUB_EVENT_NAME "$RELGATE" publish --no-cache nosuch
check_eq "publish: an unknown revision, said" \
	"relgate: publish: unknown revision 'nosuch': revspec 'nosuch' not found" "$(cat "$TEST_TMP/last.err")"
check_exit "publish: --target nope" 0 env -u GITHUB_EVENT_NAME "$RELGATE" publish --no-cache --target nope HEAD
grep -q "no selected target in its relgate.yml" "$TEST_TMP/last.err" &&
	ok "publish: --target nope, said" || not_ok "publish: --target nope, said" "$(cat "$TEST_TMP/last.err")"
git rm -q relgate.yml && git commit -qm "no budgets"
check_exit "publish: a commit with no relgate.yml" 0 env -u GITHUB_EVENT_NAME "$RELGATE" publish --no-cache HEAD
grep -q "no relgate.yml: nothing to publish" "$TEST_TMP/last.err" &&
	ok "publish: no relgate.yml, said" || not_ok "publish: no relgate.yml, said" "$(cat "$TEST_TMP/last.err")"
check_eq "publish: none of these wrote a notes ref" "" "$(notes_refs)"
exit 0
