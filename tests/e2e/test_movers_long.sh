#!/bin/sh
# test_movers_long.sh - "moved most" lines when the movers' names are long
# and hostile. The head adds five tables of string pointers to a PIE (20,
# 19, 18, 17 and 16 pointers: one R_X86_64_RELATIVE relocation each, per
# the source; readelf confirms the total), each renamed by objcopy to a
# 300-byte name of backticks, pipes, markup, an ESC, a CR and runs of
# control bytes (relgate keeps a name's first 255 bytes), so that escaped
# they overflow every renderer's line. The failing relocs.relative rule
# must then list whole entries "NAME +K (0 → K)", largest first, and end
# with "… and N more" for the rest (N + shown = 5), never an entry cut
# midway: in the text report, the Markdown summary as cmark-gfm renders
# it, the GitHub annotation as the runner parses it (tests/gh_parse.py)
# and the HTML page of `relgate report` as python's HTML parser reads it.
# Expected entries are written by python3 from the names given here.
. "$ROOT/tests/lib.sh"

if ! need cc objcopy readelf git python3; then
	skip "long movers" "needs cc, objcopy, readelf, git and python3"; exit 0
fi
git_test_env
export XDG_CACHE_HOME="$TEST_TMP/xdg"
cd "$TEST_TMP" || exit 1
ARROW='→'

# bin0: no table; bin1: the five tables, renamed (names.json keeps them).
python3 - <<'PY'
import json
sizes = [20, 19, 18, 17, 16]
names = []
for k, n in enumerate(sizes):
    s = "m%d `|x|` <b>*_[a](b)_ \x1b[31m \r é " % k + "\x01\x1b\x7f" * 60
    s += "z" * (300 - len(s.encode()))
    names.append(s)
json.dump({"names": names, "sizes": sizes}, open("names.json", "w"))
PY
named_tables || exit 0

GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY=$TEST_TMP/sum.md GITHUB_OUTPUT=$TEST_TMP/gh_out \
	"$RELGATE" check --no-cache main..feature >"$TEST_TMP/out" 2>"$TEST_TMP/err"
check_eq "check: relocs.relative over its budget (exit 1)" 1 $?
"$RELGATE" report --no-cache --html-out "$TEST_TMP/page.html" main..feature >/dev/null 2>&1
check_eq "report --html-out: exit 1 (the same breach)" 1 $?
need cmark-gfm && cmark-gfm --unsafe -e table -e autolink -e tagfilter "$TEST_TMP/sum.md" >"$TEST_TMP/sum.html"
python3 "$ROOT/tests/gh_parse.py" "$TEST_TMP/out" >"$TEST_TMP/gh.json"

python3 - "$TEST_TMP" "$ARROW" <<'PY'
import json, os, re, sys, html
T, arrow = sys.argv[1], sys.argv[2]
d = json.load(open(T + "/names.json"))

sys.path.insert(0, os.environ["ROOT"] + "/tests")
from term_form import term

# HTML: control characters (C0 but TAB and LF, DEL) as U+FFFD
def html_form(s, keep=""):
    return re.sub("[\x00-\x08\x0b-\x1f\x7f]", "\ufffd", s)

def entries(form, keep):
    return ["%s +%d (0 %s %d)" % (form(n.encode()[:255].decode(), keep), k, arrow, k)
            for n, k in zip(d["names"], d["sizes"])]

def judge(what, line, keep="", want_cut=None, form=term):
    want = entries(form, keep)
    parts = line.split(", ")
    shown, more = parts, 0
    m = re.fullmatch("\u2026 and (\\d+) more", parts[-1])
    if m:
        shown, more = parts[:-1], int(m.group(1))
    if shown != want[:len(shown)]:
        bad = [i for i, p in enumerate(shown) if i >= len(want) or p != want[i]][0]
        return "%s: entry %d is not whole: %r" % (what, bad, shown[bad][-60:])
    if len(shown) + more != 5:
        return "%s: %d shown and %d more, not 5" % (what, len(shown), more)
    if want_cut is not None and (more > 0) != want_cut:
        return "%s: %d more, wanted %s" % (what, more, "some" if want_cut else "none")
    print("ok - %s: %d whole entries%s" % (what, len(shown), ", then '\u2026 and %d more'" % more if more else ""))
    return None

fails = []
def report(r):
    if r:
        fails.append(r)

# text: "     moved most, by symbol: A, B,\n        C, ..." (wrapped before an entry)
text = open(T + "/out", encoding="utf-8", errors="replace").read()
m = re.search(r"moved most, by symbol:( .*?)\n(?!       )", re.sub(r"\n {7}", "", text), re.S)
if not m:
    fails.append("text: no 'moved most, by symbol' line")
else:
    report(judge("text report", m.group(1)[1:], want_cut=True))

# GitHub: the annotation's message, as the runner reads it
for c in json.load(open(T + "/gh.json")):
    if "moved most, by symbol: " in c["data"]:
        line = c["data"].split("moved most, by symbol: ", 1)[1].split("\n")[0]
        report(judge("GitHub annotation", line, keep="\r"))
        break
else:
    fails.append("GitHub: no annotation names the movers")

# Markdown (cmark-gfm) and HTML: the entries up to the end of their element;
# an element inside (markup of a name) is left as a tag and fails the match.
def after(path, pattern):
    m = re.search(pattern, open(path, encoding="utf-8").read(), re.S)
    return html.unescape(m.group(1)) if m else None
try:
    line = after(T + "/sum.html", r"moved most, by symbol: (.*?)</li>")
    report(judge("Markdown summary (cmark-gfm)", line, want_cut=True) if line is not None
           else "Markdown: no movers item")
except FileNotFoundError:
    print("skip - Markdown summary: cmark-gfm not installed")
line = after(T + "/page.html", r"moved most, by symbol: <code>(.*?)</code>")
report(judge("HTML page", line, form=html_form) if line is not None else "HTML: no movers row")
for f in fails:
    print("not ok - long movers: " + f)
PY
