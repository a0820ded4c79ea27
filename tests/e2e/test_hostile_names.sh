#!/bin/sh
# A hostile head commit (docs/security.md): its subject, its relgate.yml diff
# and a section name its build puts in the binary carry a bare CR, a
# workflow command (::stop-commands::), an OSC escape, backticks, '|' and
# <img>/<h2>. Run as on GitHub Actions, `relgate check` must:
#   - write no CR, ESC or BEL to stdout or stderr, and no line a runner
#     reads as a workflow command (a line whose first non-blank characters
#     are "::") other than its own ::error/::warning annotations;
#   - write a step summary that cmark-gfm (GitHub's Markdown, raw HTML let
#     through) renders with no <img> or <h2> of the head's, the budget diff
#     in one code block, every table row with its header's cell count.
# Then the same with the head's own budgets (--budgets-from head), where a
# rule names the hostile section, so it reaches every verdict path too.
# The judges are python3's byte checks and cmark-gfm, never relgate.
. "$ROOT/tests/lib.sh"

if ! need cc objcopy git python3; then
	skip "hostile names" "needs cc, objcopy, git and python3"; exit 0
fi
git_test_env
export XDG_CACHE_HOME="$TEST_TMP/xdg"
repo=$TEST_TMP/repo
mkdir -p "$repo" && cd "$repo" || exit 1
git init -q -b main . && git config user.email t@example.com && git config user.name t
echo 'int main(void) { return 0; }' >app.c
echo 'cc -O2 -o "$RELGATE_OUT/app" app.c' >build.sh
cat >relgate.yml <<'YML'
version: 1
targets:
  app:
    build: sh build.sh
    artifact: $RELGATE_OUT/app
    budgets:
      file.size: { max: 1MiB }
YML
git add -A && git commit -qm base
git checkout -qb feature
# objcopy splits --add-section at '=', so the name has none.
name=$(printf 'x\r::stop-commands::tok`y`<img src x onerror alert(1)>|z')
printf 'head -c 5000 /dev/zero >"$RELGATE_OUT/blob"\ncc -O2 -o "$RELGATE_OUT/app" app.c\nobjcopy --add-section '"'"'%s'"'"'="$RELGATE_OUT/blob" "$RELGATE_OUT/app"\n' \
	"$name" >build.sh
# The diff: a bare CR then a fence, to close ```diff early, then raw HTML.
printf 'version: 1\ntargets:\n  app:\n    build: sh build.sh\n    artifact: $RELGATE_OUT/app\n    budgets:\n      file.size: { max: 1MiB }\n      # x\r```\n      # <h2>owned</h2><img src=x onerror=alert(1)>\n' >relgate.yml
subject=$(printf 'evil\r::stop-commands::tok \033]0;pwned\007 `x` <img src=x onerror=alert(1)> | pipe')
git add -A && git commit -qm "$subject"
# feature2: a relgate.yml the loader takes (YAML reads a bare CR as a line
# break, so the fence trick above is not valid YAML), with a rule on the
# hostile section: "\r" in a double-quoted YAML string is a CR.
git checkout -qb feature2
printf 'version: 1\ntargets:\n  app:\n    build: sh build.sh\n    artifact: $RELGATE_OUT/app\n    budgets:\n      file.size: { max: 1MiB }\n      "section[%s].size": { max: 1 }\n      # <h2>owned</h2><img src=x onerror=alert(1)>\n' \
	"$(printf '%s' "$name" | sed 's/\r/\\r/')" >relgate.yml
git add -A && git commit -qm "$subject"

# check_out NAME: stdout and stderr of the last run hold no control
# character and no foreign workflow command.
check_out() {
	python3 - "$TEST_TMP/out" "$TEST_TMP/err" >"$TEST_TMP/res" <<'PY'
import re, sys
bad = []
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    for c in (b"\r", b"\x1b", b"\x07"):
        if c in data:
            bad.append("%s has %r" % (path.rsplit("/", 1)[1], c))
    for line in data.split(b"\n"):
        s = line.lstrip()
        if s.startswith(b"::") and not re.match(rb"::(error|warning) (file=[^:]*,)?title=relgate", s):
            bad.append("foreign command: %r" % line[:80])
print("; ".join(bad) or "clean")
PY
	check_eq "$1" clean "$(cat "$TEST_TMP/res")"
}

# check_md NAME FILE [FENCE]: the Markdown as GitHub renders it; with FENCE,
# the budget diff must hold the head's fence and HTML as text.
check_md() {
	if ! need cmark-gfm; then
		skip "$1" "cmark-gfm not installed (scripts/setup.sh --tests)"; return
	fi
	cmark-gfm --unsafe -e table -e autolink -e tagfilter "$2" >"$TEST_TMP/md.html"
	python3 - "$TEST_TMP/md.html" "${3:-}" >"$TEST_TMP/res" <<'PY'
import sys
from html.parser import HTMLParser
ALLOWED = {"h1", "h2", "h3", "p", "strong", "em", "code", "pre", "details", "summary",
           "table", "thead", "tbody", "tr", "th", "td", "ul", "li"}
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.bad, self.h2, self.pre, self.in_pre, self.rows, self.cur = [], 0, [], 0, [], None
    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED or any(k.startswith("on") or k == "src" for k, _ in attrs):
            self.bad.append("<%s %s>" % (tag, attrs))
        self.h2 += tag == "h2"
        if tag == "pre":
            self.in_pre = 1
            self.pre.append("")
        if tag == "tr":
            self.cur = 0
        if tag in ("td", "th") and self.cur is not None:
            self.cur += 1
    def handle_endtag(self, tag):
        if tag == "pre":
            self.in_pre = 0
        if tag == "tr":
            self.rows.append(self.cur)
        if tag == "table":
            self.rows.append("|")
    def handle_data(self, d):
        if self.in_pre:
            self.pre[-1] += d
p = P()
p.feed(open(sys.argv[1]).read())
out = []
if p.bad:
    out.append("foreign HTML: " + " ".join(p.bad[:3]))
if p.h2 != 1:
    out.append("%d <h2>" % p.h2)
if len(p.pre) != 1 or "<h2>owned</h2>" not in p.pre[0] or (sys.argv[2] and "```" not in p.pre[0]):
    out.append("diff block: %r" % p.pre)
for table in " ".join(map(str, p.rows)).split("|"):
    cells = table.split()
    if len(set(cells)) > 1:
        out.append("rows of unequal cells: %s" % cells)
print("; ".join(out) or "clean")
PY
	check_eq "$1" clean "$(cat "$TEST_TMP/res")"
}

GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY=$TEST_TMP/sum.md GITHUB_OUTPUT=$TEST_TMP/gh_out \
	"$RELGATE" check main..feature >"$TEST_TMP/out" 2>"$TEST_TMP/err"
check_eq "hostile head, base budgets: exit 0 (file.size within 1 MiB)" 0 $?
grep -q 'section\[x\\r::stop-comm' "$TEST_TMP/out" && ok "the section name is shown, its CR escaped" ||
	not_ok "the section name is shown, its CR escaped" "$(grep -a section "$TEST_TMP/out" | head -3)"
check_out "base budgets: stdout and stderr carry no CR, ESC, BEL or foreign command"
check_md "base budgets: the step summary renders with no injected HTML" "$TEST_TMP/sum.md" fence

"$RELGATE" check --format markdown main..feature >"$TEST_TMP/out.md" 2>/dev/null
check_md "check --format markdown: no injected HTML" "$TEST_TMP/out.md" fence

: >"$TEST_TMP/sum.md"
GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY=$TEST_TMP/sum.md GITHUB_OUTPUT=$TEST_TMP/gh_out \
	"$RELGATE" check --all --budgets-from head main..feature2 >"$TEST_TMP/out" 2>"$TEST_TMP/err"
check_eq "head budgets: the hostile section breaks its max: 1 (exit 1)" 1 $?
# @actions/core's escapes: CR is %0D, and in a property ':' is %3A
grep -q '^::error file=relgate.yml,line=8,.*title=relgate%3A app section\[x%0D%3A%3Astop-commands' "$TEST_TMP/out" &&
	ok "head budgets: the annotation names the section, escaped" ||
	not_ok "head budgets: the annotation names the section, escaped" "$(grep -a '^::error' "$TEST_TMP/out" | head -2)"
check_out "head budgets (--all): stdout and stderr carry no CR, ESC, BEL or foreign command"
# The head's own budgets judged: the words must not say they were not used.
grep -q "^budgets: relgate.yml from head commit .* (the head's own, changed by it)$" "$TEST_TMP/out" &&
	! grep -q "not used" "$TEST_TMP/out" && ok "head budgets: the text says the head's limits judged" ||
	not_ok "head budgets: the text says the head's limits judged" "$(grep -a 'budgets' "$TEST_TMP/out" | head -3)"
grep -q "its new limits judged this change" "$TEST_TMP/sum.md" && ! grep -q "not used" "$TEST_TMP/sum.md" &&
	ok "head budgets: the summary says the head's limits judged" ||
	not_ok "head budgets: the summary says the head's limits judged" "$(grep -a 'Budgets' "$TEST_TMP/sum.md")"
check_md "head budgets: the step summary renders with no injected HTML" "$TEST_TMP/sum.md"

"$RELGATE" validate relgate.yml >"$TEST_TMP/out" 2>"$TEST_TMP/err"
check_out "validate: the head's relgate.yml is printed without its CR"

# measure prints section names read from the binary
mkdir -p "$TEST_TMP/m" && RELGATE_OUT=$TEST_TMP/m sh build.sh
"$RELGATE" measure "$TEST_TMP/m/app" >"$TEST_TMP/out" 2>"$TEST_TMP/err"
grep -q 'section\[x\\r::stop-commands' "$TEST_TMP/out" && ok "measure: the section is listed, its CR escaped" ||
	not_ok "measure: the section is listed, its CR escaped" "$(grep -a section "$TEST_TMP/out" | head -3)"
check_out "measure: stdout and stderr carry no CR, ESC, BEL or foreign command"
