#!/bin/sh
# test_publish_failures.sh - `relgate publish` of a commit whose build fails
# (exit 3) or whose relgate.yml does not parse (exit 2): one error line
# naming the commit (git rev-parse --short) or the file and the line and
# column PyYAML's pure-Python parser finds the error at, and no note
# written: `git notes --ref=relgate list` and the ref's commit are what an
# earlier good publish left. The work tree and HEAD are left alone.
. "$ROOT/tests/lib.sh"
cd "$TEST_TMP"
if ! need cc git python3; then skip "publish failures" "cc, git or python3 missing"; exit 0; fi
git_test_env
export XDG_CACHE_HOME=$TEST_TMP/xdg
unset GITHUB_EVENT_NAME GITHUB_ACTIONS
mkdir repo && cd repo && git init -q -b main .
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
git add -A && git commit -qm good

# A note to keep: the good commit, published.
check_exit "publish: the good commit" 0 "$RELGATE" publish --no-cache HEAD
notes_before=$(git notes --ref=relgate list)
ref_before=$(git rev-parse -q --verify refs/notes/relgate)
[ -n "$notes_before" ] && ok "publish: the good commit has a note" ||
	not_ok "publish: the good commit has a note" "git notes --ref=relgate list is empty"

# pyyaml_where FILE: LINE:COLUMN where PyYAML's parser finds FILE's error.
pyyaml_where() {
	python3 -c '
import sys, yaml
try:
    yaml.load(open(sys.argv[1]), Loader=yaml.SafeLoader)
except yaml.YAMLError as e:
    print("%d:%d" % (e.problem_mark.line + 1, e.problem_mark.column + 1))
' "$1" 2>/dev/null
}
# yaml_error_said NAME PREFIX: the last run said "relgate: publish:
# PREFIXrelgate.yml:LINE:COLUMN: YAML syntax error", where PyYAML finds it.
yaml_error_said() {
	where=$(pyyaml_where relgate.yml)
	if [ -z "$where" ]; then
		not_ok "$1" "PyYAML accepted relgate.yml, or python3 yaml is missing"
	elif grep -q "^relgate: publish: $2relgate.yml:$where: YAML syntax error" "$TEST_TMP/last.err"; then
		ok "$1 (${2}relgate.yml:$where)"
	else
		not_ok "$1 (${2}relgate.yml:$where)" "$(cat "$TEST_TMP/last.err")"
	fi
}
# errors FILE: the lines of FILE that are relgate's own (not its progress).
errors() { grep -c '^relgate: publish: ' "$1"; }
unchanged() { # NAME: no note written, the repository as it was
	check_eq "$1: notes list unchanged" "$notes_before" "$(git notes --ref=relgate list)"
	check_eq "$1: notes ref unchanged" "$ref_before" "$(git rev-parse -q --verify refs/notes/relgate)"
	check_eq "$1: work tree clean" "" "$(git status --porcelain)"
	check_eq "$1: HEAD unchanged" "$2" "$(git rev-parse HEAD)"
}

# 1. The build fails.
sed -i 's|app.c$|app.c \&\& echo broken on purpose >\&2 \&\& exit 1|' relgate.yml
git commit -qam "build fails"
head=$(git rev-parse HEAD) short=$(git rev-parse --short HEAD)
check_exit "publish: a failing build exits 3" 3 "$RELGATE" publish --no-cache HEAD
check_eq "publish: a failing build, one error line" 1 "$(errors "$TEST_TMP/last.err")"
grep '^relgate: publish: ' "$TEST_TMP/last.err" | grep -q "build of app ($short) failed" &&
	ok "publish: a failing build names the target and commit" ||
	not_ok "publish: a failing build names the target and commit" "$(cat "$TEST_TMP/last.err")"
# A published commit serves as a base later, but it is built on its own:
# no "base" (nor "head") in what the user reads.
grep '^relgate: publish: ' "$TEST_TMP/last.err" | grep -q "^relgate: publish: the build of app ($short) failed with exit status 1$" &&
	ok "publish: a failing build is \"the build of app ($short)\", no side named" ||
	not_ok "publish: a failing build is \"the build of app ($short)\", no side named" "$(grep '^relgate: publish: ' "$TEST_TMP/last.err")"
grep -Eq '\b(base|head)\b' "$TEST_TMP/last.err" &&
	not_ok "publish: no progress or error line says base or head" "$(cat "$TEST_TMP/last.err")" ||
	ok "publish: no progress or error line says base or head"
grep -q "published" "$TEST_TMP/last.err" &&
	not_ok "publish: a failing build says nothing was published" "$(cat "$TEST_TMP/last.err")" ||
	ok "publish: a failing build says nothing was published"
unchanged "publish: a failing build" "$head"

# 2. relgate.yml does not parse (an unclosed flow mapping).
cat >relgate.yml <<'YML'
version: 1
targets:
  app:
    build: cc -o "$RELGATE_OUT/app" app.c
    artifact: $RELGATE_OUT/app
    budgets: { file.size: { max: 1MiB }
  tool:
    build: cc -o "$RELGATE_OUT/tool" app.c
YML
git commit -qam "yaml broken"
head=$(git rev-parse HEAD)
check_exit "publish: an unparsable relgate.yml exits 2" 2 "$RELGATE" publish --no-cache HEAD
check_eq "publish: an unparsable relgate.yml, one line" 1 "$(wc -l <"$TEST_TMP/last.err" | tr -d ' ')"
yaml_error_said "publish: names relgate.yml and where PyYAML sees the error" ""
unchanged "publish: an unparsable relgate.yml" "$head"

# 3. relgate.yml parses but is wrong (a misspelt key).
printf 'version: 1\ntargets:\n  app:\n    biuld: cc -o "$RELGATE_OUT/app" app.c\n    artifact: $RELGATE_OUT/app\n' >relgate.yml
git commit -qam "yaml typo"
head=$(git rev-parse HEAD)
check_exit "publish: a misspelt key exits 2" 2 "$RELGATE" publish --no-cache HEAD
check_eq "publish: a misspelt key, one line" 1 "$(wc -l <"$TEST_TMP/last.err" | tr -d ' ')"
grep -q "^relgate: publish: relgate.yml:4:.*biuld" "$TEST_TMP/last.err" &&
	ok "publish: a misspelt key names relgate.yml, its line and the key" ||
	not_ok "publish: a misspelt key names relgate.yml, its line and the key" "$(cat "$TEST_TMP/last.err")"
unchanged "publish: a misspelt key" "$head"

# 4. A range: a good commit, then one whose relgate.yml does not parse. The
# error names the commit as git names a file of it (SHORT:relgate.yml),
# at the line and column PyYAML finds; the good commit is published, the
# broken one gets no note.
printf 'version: 1\ntargets:\n  app:\n    build: cc -o "$RELGATE_OUT/app" app.c\n    artifact: $RELGATE_OUT/app\n' >relgate.yml
git commit -qam "yaml fixed"
good=$(git rev-parse HEAD)
printf 'version: 1\ntargets:\n  app:\n    build: [cc -o app\n    artifact: $RELGATE_OUT/app\n' >relgate.yml
git commit -qam "yaml broken in a range"
head=$(git rev-parse HEAD) short=$(git rev-parse --short HEAD)
check_exit "publish: a range with an unparsable relgate.yml exits 2" 2 "$RELGATE" publish --no-cache HEAD~2..HEAD
check_eq "publish: a range, one error line" 1 "$(errors "$TEST_TMP/last.err")"
yaml_error_said "publish: a range names the commit, relgate.yml and where PyYAML sees the error" "$short:"
git notes --ref=relgate list "$good" >/dev/null 2>&1 &&
	ok "publish: a range publishes the good commit before the broken one" ||
	not_ok "publish: a range publishes the good commit before the broken one" "no note on $good"
git notes --ref=relgate list "$head" >/dev/null 2>&1 &&
	not_ok "publish: a range writes no note for the broken commit" "$(git notes --ref=relgate show "$head")" ||
	ok "publish: a range writes no note for the broken commit"
check_eq "publish: a range, work tree clean" "" "$(git status --porcelain)"
exit 0
