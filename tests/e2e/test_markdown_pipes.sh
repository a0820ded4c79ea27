#!/bin/sh
# test_markdown_pipes.sh - a '|' in a code span is escaped ("\|") only in a
# table cell, where GitHub's Markdown reads the escape as part of the cell;
# in a paragraph (the "Budgets:" and "Artifacts:" lines) the same "\|"
# would show its backslash. `relgate diff --markdown-out` with a budget
# file, two measurement files and a section named with '|'; cmark-gfm
# (GitHub's CommonMark fork, tables on) renders it, and python3 reads the
# page: each code span and table cell must read exactly as the name was
# written, and every table row keep its cells.
. "$ROOT/tests/lib.sh"

if ! need cmark-gfm python3; then
	skip "markdown pipes" "needs cmark-gfm and python3 (scripts/setup.sh --tests)"; exit 0
fi
cd "$TEST_TMP" || exit 1
python3 - <<'PY'
import json
def doc(m):
    return {"schema_version": 1, "tool": {"name": "relgate", "version": "x"}, "binaries": [
        {"path": "out|dir/a|b", "format": "elf", "arch": "x86_64", "bits": 64, "endian": "little",
         "page_size": 4096, "metrics": m, "segments": [], "sections": [], "notes": []}]}
json.dump(doc({"file.size": 100, "section[x|y].size": 10}), open("ba|se.json", "w"))
json.dump(doc({"file.size": 200, "section[x|y].size": 20}), open("he|ad.json", "w"))
open("bud|gets.yml", "w").write(
    "version: 1\ntargets:\n  app:\n    build: make\n    artifact: out/x\n    budgets:\n"
    "      file.size: { max: 150 }\n      \"section[x|y].size\": { max: 15 }\n")
PY
"$RELGATE" diff --budgets 'bud|gets.yml' --markdown-out out.md 'ba|se.json' 'he|ad.json' \
	>/dev/null 2>err
check_eq "diff with '|' in names: exit 1 (budgets exceeded)" 1 $?
cmark-gfm -e table out.md >out.html || { not_ok "cmark-gfm renders the summary" "exit $?"; exit 0; }
python3 - <<'PY'
from html.parser import HTMLParser

class P(HTMLParser):
    """Paragraphs (their text and code spans) and table rows (their cells,
    and the code spans in them)."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paras, self.rows = [], []
        self.para = self.cell = self.code = None
        self.cells = []
    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self.para = {"text": "", "codes": []}
        elif tag == "tr":
            self.cells = []
        elif tag in ("td", "th"):
            self.cell = {"text": "", "codes": []}
        elif tag == "code":
            self.code = ""
    def handle_endtag(self, tag):
        if tag == "p" and self.para is not None:
            self.paras.append(self.para)
            self.para = None
        elif tag in ("td", "th"):
            self.cells.append(self.cell)
            self.cell = None
        elif tag == "tr":
            self.rows.append(self.cells)
        elif tag == "code":
            for box in (self.para, self.cell):
                if box is not None:
                    box["codes"].append(self.code)
            self.code = None
    def handle_data(self, d):
        if self.code is not None:
            self.code += d
        for box in (self.para, self.cell):
            if box is not None:
                box["text"] += d

p = P()
p.feed(open("out.html", encoding="utf-8").read())

def check(name, good, why):
    print("%s - markdown pipes: %s%s" % ("ok" if good else "not ok", name, "" if good else ": " + why))

# Out of a table.
budgets = [x for x in p.paras if x["text"].startswith("Budgets:")]
check("the Budgets line's code span reads bud|gets.yml",
      len(budgets) == 1 and budgets[0]["codes"] == ["bud|gets.yml"],
      repr(budgets))
arts = [x for x in p.paras if x["text"].startswith("Artifacts:")]
check("the Artifacts line's code spans read ba|se.json and he|ad.json",
      len(arts) == 1 and arts[0]["codes"] == ["ba|se.json", "he|ad.json"],
      repr(arts))
stray = [x["text"] for x in p.paras if "\\|" in x["text"]]
check("no paragraph shows a backslash before '|'", not stray, repr(stray))

# In a table: the rules table has 6 cells a row, the metrics table 5.
metric_rows = [r for r in p.rows if r and r[0]["codes"] == ["section[x|y].size"]]
bad = [[c["text"] for c in r] for r in p.rows if len(r) not in (5, 6)]
check("every table row keeps its cells", p.rows and not bad, repr(bad[:2]))
row = [r for r in p.rows if len(r) == 6 and r[2]["codes"] == ["section[x|y].size"]]
check("the rules table's metric cell reads section[x|y].size, its limit cell bud|gets.yml:8",
      len(row) == 1 and row[0][5]["text"].strip().endswith("(bud|gets.yml:8)"),
      repr([[c["text"] for c in r] for r in p.rows]))
check("the metrics table's cell reads section[x|y].size",
      len([r for r in metric_rows if len(r) == 5]) == 1,
      repr([[c["text"] for c in r] for r in p.rows]))
PY
exit 0
