#!/bin/sh
# Markdown escaping as a property, judged by cmark-gfm (GitHub's renderer):
# 300 random section names and a random target name made of the characters
# that mean something to Markdown, HTML or a terminal (backticks, pipes,
# <, &, *, _, [, ], \, :, @, $, CR, LF, TAB, ESC, C1 and bidi controls)
# go through `relgate diff --format markdown`; once rendered, every metric
# cell must read exactly as python3 writes the name in terminal form
# (control characters as \r, \x1b, \u009b), every row must have its five
# cells, and no element but relgate's own may appear.
. "$ROOT/tests/lib.sh"

if ! need cmark-gfm python3; then
	skip "markdown escaping" "cmark-gfm not installed (scripts/setup.sh --tests)"; exit 0
fi
cd "$TEST_TMP" || exit 1
python3 - <<'PY'
import json, random
random.seed(12)
ALPHA = list("`|<>&*_[]\\:@$#!~()'\"=/. ab") + ["\r", "\n", "\t", "\x1b", "\x7f", "\u009b", "\u202e", "é", "\u2028"]
def name():
    return "".join(random.choice(ALPHA) for _ in range(random.randint(1, 24)))
names = sorted({name() for _ in range(300)})
def doc(m):
    return {"schema_version": 1, "tool": {"name": "relgate", "version": "x"}, "binaries": [
        {"path": "app", "format": "elf", "arch": "x86_64", "bits": 64, "endian": "little",
         "page_size": 4096, "metrics": m, "segments": [], "sections": [], "notes": []}]}
base = {"section[%s].size" % n: 100 for n in names}
head = {"section[%s].size" % n: 100 + i + 1 for i, n in enumerate(names)}
json.dump(doc(base), open("base.json", "w"))
json.dump(doc(head), open("head.json", "w"))
json.dump(names, open("names.json", "w"))
PY
"$RELGATE" diff --format markdown base.json head.json >out.md 2>err
check_eq "diff --format markdown: exit 0" 0 $?
cmark-gfm --unsafe -e table -e autolink -e tagfilter out.md >out.html
python3 - <<'PY' >res
import json, os, sys, unicodedata
from html.parser import HTMLParser
names = json.load(open("names.json"))
sys.path.insert(0, os.environ["ROOT"] + "/tests")
from term_form import term
want = {"section[%s].size" % term(n) for n in names}
ALLOWED = {"h2", "p", "strong", "em", "code", "details", "summary", "table", "thead", "tbody", "tr", "th", "td"}
class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows, self.cell, self.cells, self.bad, self.in_td = [], None, None, [], False
    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED or (attrs and tag not in ("td", "th", "details")):
            self.bad.append(tag)
        if tag == "tr":
            self.cells = []
        if tag in ("td", "th"):
            self.cell = ""
    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.cells.append(self.cell)
            self.cell = None
        if tag == "tr":
            self.rows.append(self.cells)
    def handle_data(self, d):
        if self.cell is not None:
            self.cell += d
p = P()
p.feed(open("out.html").read())
got = {r[0] for r in p.rows if r and r[0].startswith("section[")}
out = []
if p.bad:
    out.append("foreign elements: %s" % sorted(set(p.bad)))
bad_rows = [r for r in p.rows if len(r) != 5]
if bad_rows:
    out.append("%d rows without 5 cells, e.g. %r" % (len(bad_rows), bad_rows[0]))
if got != want:
    miss = sorted(want - got)[:2]
    extra = sorted(got - want)[:2]
    out.append("cells differ: %d wanted not found, e.g. %r; %d found not wanted, e.g. %r" % (len(want - got), miss, len(got - want), extra))
print("; ".join(out) or "all %d names exact" % len(want))
PY
case $(cat res) in
"all "*" names exact") ok "markdown: $(cat res) after cmark-gfm, rows whole, no foreign HTML" ;;
*) not_ok "markdown: every name reads as itself after cmark-gfm" "$(cat res)" ;;
esac
