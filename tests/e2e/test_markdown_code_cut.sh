#!/bin/sh
# test_markdown_code_cut.sh - a code span too long for its place is cut
# with "…", on a whole character (reports/escape.c rg_esc_md_code). A
# merge part (the JSON of a real `relgate check`) whose artifact path a
# hostile job rewrote: long backtick runs, which lengthen the span's fence,
# then two-byte characters. `relgate merge --format markdown` names the
# path in a code span; cmark-gfm (GitHub's Markdown) renders it, and the
# span's text must be the start of the path, whole characters only, then
# "…"; a short path comes out whole.
. "$ROOT/tests/lib.sh"

if ! need cc git python3 cmark-gfm; then
	skip "markdown code cut" "needs cc, git, python3 and cmark-gfm (scripts/setup.sh --tests)"; exit 0
fi
git_test_env
export XDG_CACHE_HOME="$TEST_TMP/xdg"
cd "$TEST_TMP" || exit 1
echo 'int main(void) { return 0; }' >a.c
cc -o bin0 a.c && cp bin0 bin1 || { not_ok "build the fixture" "cc failed"; exit 0; }
prebuilt_repo 16 || exit 1
"$RELGATE" check --no-cache --json-out "$TEST_TMP/part.json" HEAD~1..HEAD >/dev/null 2>&1
check_eq "check writes the part (exit 0)" 0 $?
cd "$TEST_TMP" || exit 1

for path in "$(printf '%060d' 0 | tr 0 '`')$(printf '%040d' 0 | sed 's/0/é/g')" \
	"$(printf '%050d' 0 | tr 0 '`')$(printf '%060d' 0 | sed 's/0/ж/g')" \
	'``a``é'; do
	python3 - "$path" <<'PY'
import json, sys
d = json.load(open("part.json"))
for i in d["inputs"]:
    i["path"] = sys.argv[1]
json.dump(d, open("hostile.json", "w"))
PY
	"$RELGATE" merge --format markdown hostile.json >out.md 2>err
	check_eq "merge of the rewritten part: exit 0" 0 $?
	cmark-gfm out.md >out.html
	python3 - "$path" <<'PY' || not_ok "code span of the path $path" "the python3 judge exited $?"
import html, re, sys
path = sys.argv[1]
page = open("out.html", encoding="utf-8", errors="replace").read()
m = re.search(r"Artifacts: app <code>(.*?)</code>", page, re.S)
if not m:
    print("not ok - code span of %d characters: no Artifacts span: %r" % (len(path), page[:300]))
    sys.exit(0)
code = html.unescape(m.group(1))
if code == path:
    ok = len(path) < 20
    why = "whole" if ok else "whole, yet longer than its place"
elif code.endswith("\u2026") and path.startswith(code[:-1]) and len(code) > 1:
    ok, why = True, "cut after %d of %d characters, then '\u2026'" % (len(code) - 1, len(path))
else:
    ok, why = False, "not a start of the path then '\u2026': %r" % code[-20:]
print("%s - code span of %d characters: %s" % ("ok" if ok else "not ok", len(path), why))
PY
done
