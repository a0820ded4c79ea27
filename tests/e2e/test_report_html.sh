#!/bin/sh
# test_report_html.sh - the HTML page of `relgate report --html` as a reader
# sees it, rendered by headless Chromium (Debian's chromium; setup.sh
# --tests installs it). A C program over 25 commits, each adding one string
# pointer but the planted 17th, which adds 64; relgate.yml puts a
# max_increase, a warn_increase, a far-off warn_max and a max on it.
# Oracles: readelf counts each commit's R_X86_64_RELATIVE relocations; git
# names the commits; Chromium lays the page out (--dump-dom of a copy with
# a probe script appended reads back what it drew: text, boxes, computed
# styles) and takes the screenshot. Then a repository whose commit subject,
# target name and metric names carry markup: Chromium's DOM of the page has
# no element or attribute the page did not write, and the names read back
# literally.
. "$ROOT/tests/lib.sh"

CHROMIUM=${CHROMIUM:-chromium}
if ! need "$CHROMIUM" readelf cc python3; then
	skip "report html" "needs $CHROMIUM, readelf, cc and python3 (./scripts/setup.sh --tests installs chromium)"
	exit 0
fi
git_test_env
T=$TEST_TMP
chrome() { # WIDTH ARGS... (a private profile; no sandbox, as root in CI; a page
	# that opens a dialog, as injected script would, hangs it: 90 s at most)
	w=$1; shift
	HOME=$T timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$T/chrome" --window-size="$w,2400" "$@" 2>>"$T/chrome.err"
}
chrome 1300 --dump-dom "data:text/html,<p>up</p>" >"$T/up.html"
if ! grep -q '<p>up</p>' "$T/up.html"; then
	skip "report html" "$CHROMIUM does not run here: $(tail -n 2 "$T/chrome.err" | tr '\n' ' ')"
	exit 0
fi

repo=$T/repo
git init -q -b main "$repo"
cat >"$repo/relgate.yml" <<'YML'
version: 1
targets:
  app:
    build: cc -O2 -fPIE -pie -o "$RELGATE_OUT/app" app.c
    artifact: $RELGATE_OUT/app
    budgets:
      relocs.relative: { max_increase: 16, warn_increase: 8 }
      file.size: { warn_max: 1MiB }
      dirty.relro.pages: { max: 4 }
YML
nptr=4
write_app() { ptr_app "$repo/app.c" "$nptr"; }
: >"$T/oracle"
commit() { # SUBJECT: commits, builds it here, records readelf's count
	write_app
	git -C "$repo" add -A && git -C "$repo" commit -q -m "$1"
	cc -O2 -fPIE -pie -o "$T/o.bin" "$repo/app.c"
	echo "$(git -C "$repo" rev-parse HEAD) $(git -C "$repo" rev-parse --short=7 HEAD)" \
		"$(readelf -rW "$T/o.bin" | grep -c _RELATIVE)" >>"$T/oracle"
}
commit base
n=1
while [ $n -le 24 ]; do
	if [ $n -eq 17 ]; then nptr=$((nptr + 64)); commit "add the UPnP tables"
	else nptr=$((nptr + 1)); commit "step $n"; fi
	n=$((n + 1))
done
PLANTED=$(git -C "$repo" rev-parse main~7)
(cd "$repo" && "$RELGATE" report main~24..main --cache-dir "$T/cache" --html "$T/r.html") \
	>"$T/out" 2>"$T/err"
rc=$?
if grep -q 'not available in this build' "$T/err"; then
	skip "report html" "$(head -n 1 "$T/err")"; exit 0
fi
check_eq "report: exit 1 (the planted commit breaks max_increase)" 1 "$rc"
grep -n 'max_increase: 16' "$repo/relgate.yml" | cut -d: -f1 >"$T/rule_line"

# The probe: appended to a copy, it reads what Chromium laid out into <pre id=probe>.
cat >"$T/probe.js" <<'JS'
(function () {
  function box(e) { var r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }
  var out = { width: innerWidth, scrollWidth: document.scrollingElement.scrollWidth, charts: [], rows: [] };
  out.attention = Array.prototype.map.call(document.querySelectorAll("ul.attention li"),
                                           function (li) { return li.textContent; });
  document.querySelectorAll("table.verdicts tr").forEach(function (tr) {
    if (tr.className) out.rows.push(tr.className);
  });
  document.querySelectorAll("svg.chart").forEach(function (svg) {
    var c = { metric: svg.getAttribute("data-metric"), svg: box(svg), texts: [], yticks: [],
              xticks: [], points: [], lines: [], legend: [], crossings: [] };
    svg.querySelectorAll("text").forEach(function (t) {
      if (getComputedStyle(t).display !== "none") c.texts.push({ text: t.textContent, box: box(t) });
    });
    svg.querySelectorAll("text.ytick").forEach(function (t) {
      var b = box(t); c.yticks.push({ text: t.textContent, y: (b[1] + b[3]) / 2 });
    });
    svg.querySelectorAll("text.xtick").forEach(function (t) { c.xticks.push(t.textContent); });
    svg.querySelectorAll("circle.point").forEach(function (p) {
      var b = box(p);
      c.points.push({ commit: p.getAttribute("data-commit"), y: (b[1] + b[3]) / 2,
                      cls: p.getAttribute("class") });
    });
    svg.querySelectorAll("line.budget[data-rule]").forEach(function (l) {
      var b = box(l), s = getComputedStyle(l);
      c.lines.push({ rule: l.getAttribute("data-rule"), y: (b[1] + b[3]) / 2,
                     style: s.stroke + " " + s.strokeDasharray });
    });
    svg.querySelectorAll("g.legend").forEach(function (g) {
      c.legend.push({ rule: g.getAttribute("data-rule"), off: g.classList.contains("offscale"),
                      text: g.textContent });
    });
    svg.querySelectorAll("g.crossing").forEach(function (g) {
      c.crossings.push({ commit: g.getAttribute("data-commit"), cls: g.getAttribute("class"),
                         text: g.textContent });
    });
    out.charts.push(c);
  });
  var pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
JS
{ cat "$T/r.html"; echo '<script>'; cat "$T/probe.js"; echo '</script>'; } >"$T/probe.html"
chrome 1300 --dump-dom "file://$T/probe.html" >"$T/dom1300.html"
chrome 500 --dump-dom "file://$T/probe.html" >"$T/dom500.html"
chrome 1300 --screenshot="$T/shot.png" "file://$T/r.html" >/dev/null

python3 - "$T/dom1300.html" "$T/dom500.html" "$T/oracle" "$PLANTED" "$(cat "$T/rule_line")" \
	"$T/shot.png" <<'PY' || not_ok "the page as Chromium drew it: the checks ran" "python exited $?"
import html, json, re, struct, sys
oracle = [l.split() for l in open(sys.argv[3])]
ids = [o[0] for o in oracle]; short = [o[1] for o in oracle]; rel = [int(o[2]) for o in oracle]
planted, rule_line = sys.argv[4], sys.argv[5]
def check(name, cond, why=""):
    print(("ok - %s" % name) if cond else ("not ok - %s: %s" % (name, why)))
def probe(path):
    m = re.search(r'<pre id="probe">(.*?)</pre>', open(path).read(), re.S)
    return json.loads(html.unescape(m.group(1)))
UNITS = {"B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}
def value(label):  # what a reader takes "16.0 KiB" or "120" to mean
    m = re.fullmatch(r"\s*(-?[\d.]+)\s*(B|KiB|MiB|GiB)?\s*", label)
    return float(m.group(1)) * UNITS[m.group(2) or "B"] if m else None
def overlaps(texts):
    bad = []
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            a, b = texts[i]["box"], texts[j]["box"]
            if a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1:
                bad.append((texts[i]["text"], texts[j]["text"]))
    return bad

for width, path in (("1300", sys.argv[1]), ("500 (Chromium's narrowest)", sys.argv[2])):
    p = probe(path)
    check("at %s px: the page has no horizontal overflow" % width, p["scrollWidth"] <= p["width"],
          "%s > %s" % (p["scrollWidth"], p["width"]))
    for c in p["charts"]:
        bad = overlaps(c["texts"])
        check("at %s px, %s: no two labels overlap" % (width, c["metric"]), not bad, bad[:3])

p = probe(sys.argv[1])
charts = {c["metric"]: c for c in p["charts"]}
rr = charts.get("relocs.relative")
check("a chart of relocs.relative", rr is not None, list(charts))
ticks = [(value(t["text"]), t["y"]) for t in rr["yticks"]]
labels = [t["text"] for t in rr["yticks"]]
check("y axis: every label reads as a number", all(v is not None for v, _ in ticks), labels)
check("y axis: at least 3 labels, all distinct", len(labels) >= 3 and len(set(labels)) == len(labels), labels)
vals = [v for v, _ in ticks]
check("y axis: the labels span readelf's counts (%d..%d)" % (min(rel), max(rel)),
      min(vals) <= min(rel) and max(vals) >= max(rel), labels)
# The value at a height, read off the labels as a reader would.
(v0, y0), (v1, y1) = ticks[0], ticks[-1]
at = lambda y: v0 + (y - y0) * (v1 - v0) / (y1 - y0)
span = max(vals) - min(vals)
pts = {q["commit"]: q for q in rr["points"]}
check("one point per commit", ids, [q["commit"] for q in rr["points"]])
bad = [(s, n, round(at(pts[i]["y"]), 1)) for i, s, n in zip(ids, short, rel)
       if abs(at(pts[i]["y"]) - n) > span * 0.02]
check("each point sits at readelf's count on the labelled axis", not bad, bad[:5])
x = rr["xticks"]
check("x axis: labelled with short commit ids, first the base, last the head",
      len(x) >= 3 and x[0] == short[0] and x[-1] == short[-1], x)
check("x axis: labels in commit order, thinned to fit (%d of %d)" % (len(x), len(short)),
      [s for s in short if s in x] == x and len(x) < len(short), x)
lines = {l["rule"]: l for l in rr["lines"]}
limit = rel[0] + 16
check("the max_increase line at readelf's base + 16 = %d" % limit,
      "max_increase" in lines and abs(at(lines["max_increase"]["y"]) - limit) <= span * 0.02,
      lines.get("max_increase"))
check("max_increase and warn_increase lines look different",
      "warn_increase" in lines and lines["max_increase"]["style"] != lines["warn_increase"]["style"],
      [l["style"] for l in rr["lines"]])
leg = {l["rule"]: l["text"] for l in rr["legend"]}
check("the max_increase line is labelled with its limit and relgate.yml:%s" % rule_line,
      "+16" in leg.get("max_increase", "") and "relgate.yml:%s" % rule_line in leg.get("max_increase", ""), leg)
cr = [c for c in rr["crossings"] if "fail" in c["cls"]]
check("the planted commit is marked as the one that breaks max_increase",
      [planted] == [c["commit"] for c in cr] and short[ids.index(planted)] in cr[0]["text"], rr["crossings"])
att = [a for a in p["attention"] if "max_increase" in a and "FAIL" in a.upper()]
check("needs attention: max_increase broken, first over at the planted commit",
      len(att) == 1 and ("%s add the UPnP tables" % short[ids.index(planted)]) in att[0], p["attention"])
over = [q["commit"] for q in rr["points"] if "over-fail" in (q["cls"] or "")]
check("points over the failing limit are marked: exactly those above %d" % limit,
      [i for i, n in zip(ids, rel) if n > limit], over)
fs = charts.get("file.size")
off = [l for l in (fs or {}).get("legend", []) if l["rule"] == "warn_max"]
check("file.size: warn_max 1 MiB far above the data is a note, not a line",
      off and off[0]["off"] and "1 MiB" in off[0]["text"] and not fs["lines"], fs and fs["legend"])
fticks = [value(t["text"]) for t in fs["yticks"]]
check("file.size: the scale stays near the data (top label under 1 MiB)", max(fticks) < (1 << 20), fticks)
sev = {"fail": 3, "warn": 2, "pass": 1, "skipped": 0}
rows = [sev[r] for r in p["rows"]]
check("verdict rows in severity order", rows == sorted(rows, reverse=True) and len(rows) == 4, p["rows"])
png = open(sys.argv[6], "rb").read(24)
check("screenshot: a PNG 1300 px wide", png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">I", png[16:20])[0] == 1300, png[:24])
PY
grep -q 'xmlns="http://www.w3.org/2000/svg"' "$T/r.html" && ! grep -v 'xmlns="http://www.w3.org/2000/svg"' "$T/r.html" | grep -q -E 'https?://|src=|<script' \
	&& ok "html: self-contained, no script" || not_ok "html: self-contained, no script" "$(grep -n -E 'https?://|src=|<script' "$T/r.html" | head -3)"

# Hostile names: a commit subject and a section (so a metric name) carrying
# markup; relgate.yml puts a rule on that metric. (Target names are limited
# to letters, digits, '.', '_' and '-' by the budget loader.)
h=$T/hostile
git init -q -b main "$h"
SUBJ='<img src=x onerror=alert(1)> & "q" '"'"'s'"'"' </td></table><h1>x</h1>'
SEC='<svg onload=alert(3)>'
cat >"$h/relgate.yml" <<YML
version: 1
targets:
  app:
    build: cc -O2 -o "\$RELGATE_OUT/app" app.c
    artifact: \$RELGATE_OUT/app
    budgets:
      "section[$SEC].size": { max_increase: 1 }
YML
hs() { # N: a section of N bytes
	printf '__asm__(".section \\"%s\\",\\"a\\"\\n.fill %d,1,7\\n.previous");\nint main(void) { return 0; }\n' \
		"$SEC" "$1" >"$h/app.c"
}
hs 3; git -C "$h" add -A; git -C "$h" commit -q -m base
hs 40; git -C "$h" add -A; git -C "$h" commit -q -m "$SUBJ"
cc -O2 -o "$T/h.bin" "$h/app.c"
check_eq "oracle: readelf sees the hostile section" 1 "$(readelf -SW "$T/h.bin" | grep -c -F "$SEC")"
(cd "$h" && "$RELGATE" report main~1..main --cache-dir "$T/hcache" --html "$T/h.html") >"$T/hout" 2>"$T/herr"
check_eq "hostile report: exit 1 (the section grew by 37)" 1 "$?"
chrome 1300 --dump-dom "file://$T/h.html" >"$T/hdom.html"
check_eq "hostile: Chromium renders the page without a dialog (no script ran)" 0 "$?"
python3 - "$T/hdom.html" "$SUBJ" "section[$SEC].size" <<'PY' || not_ok "hostile: the checks ran" "python exited $?"
import sys
from html.parser import HTMLParser
ALLOWED = {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "p", "code",
           "section", "span", "b", "ul", "li", "div", "table", "tbody", "tr", "th", "td", "details",
           "summary", "pre", "footer", "svg", "line", "text", "polyline", "circle", "g"}
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.tags = set(); self.on = []; self.text = []
    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.on += [(tag, k) for k, _ in attrs if k.startswith("on") or k in ("src", "href")]
        self.text += [v for _, v in attrs if v]
    def handle_data(self, d):
        self.text.append(d)
p = P(); p.feed(open(sys.argv[1]).read())
def check(name, cond, why=""):
    print(("ok - %s" % name) if cond else ("not ok - %s: %s" % (name, why)))
check("hostile: no element the page did not write", p.tags <= ALLOWED, sorted(p.tags - ALLOWED))
check("hostile: no event handler or src attribute", not p.on, p.on[:5])
text = "".join(p.text)
for what, s in (("commit subject", sys.argv[2]), ("metric name", sys.argv[3])):
    check("hostile: the %s reads back literally" % what, s in text, s)
PY
