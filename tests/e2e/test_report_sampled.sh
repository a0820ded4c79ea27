#!/bin/sh
# test_report_sampled.sh - `relgate report --every N` over a history that
# never held a relgate.yml, with a budget file of the user's (--config):
# 302 commits made here with git fast-import, most of them "update
# Changelog.txt"; four planted commits switch the binary the build copies
# (one of four made here with cc), and three tags mark releases.
#
# What is checked, and against what:
#   - the commits measured: every 10th, both ends and every tagged commit
#     (git rev-list gives each one's position, git tag --points-at its tags);
#   - each measured value: readelf's count of relative relocations of the
#     binary the planted history selects at that commit;
#   - every step between measured commits that are not adjacent is a span
#     "between A and B (N commits)": N is git rev-list --count A..B, and the
#     commit that really changed the metric (known from the generation) lies
#     inside (git merge-base --is-ancestor), in JSON, Markdown, text and
#     HTML; an adjacent step is not called a span;
#   - the bisect command offered for a span, run as given, names the planted
#     commit;
#   - tags label the x axis of the charts (Python's html.parser reads the
#     SVG back: a <text class="tag"> at the x of the tagged commit's point),
#     and the HTML marks sampled segments;
#   - one build per measured commit (a build counter).
. "$ROOT/tests/lib.sh"

git_test_env
T=$TEST_TMP
need cc readelf python3 || { skip "sampled report" "needs cc, readelf, python3"; exit 0; }

# Four binaries: 10, 20, 40 and 70 string pointers to relocate.
for n in 0 1 2 3; do
	cnt=$(( n == 0 ? 10 : n == 1 ? 20 : n == 2 ? 40 : 70 ))
	ptr_app "$T/v$n.c" "$cnt"
	cc -O2 -fPIE -pie -o "$T/bin$n" "$T/v$n.c" || { not_ok "cc" "bin$n"; exit 1; }
	readelf -rW "$T/bin$n" | grep -c '_RELATIVE' >"$T/rel$n"
done

# The history: commit i (0..301) writes Changelog.txt; the planted ones
# change `variant` too. Tags: v1.0 at 100, v1.1 at 205, v1.1.1 at 210
# (next to it on the chart), v2.0 at 301.
planted="37:1 152:2 233:3 301:0"
python3 - "$T/stream" "$planted" <<'PY'
import sys
out = open(sys.argv[1], "w")
plant = dict((int(a), b) for a, b in (p.split(":") for p in sys.argv[2].split()))
variant = "0"
for i in range(302):
    files = {"Changelog.txt": "entry %d\n" % i}
    if i == 0:
        files["variant"] = "0\n"
        subject = "initial import"
    elif i in plant:
        variant = plant[i]
        files["variant"] = variant + "\n"
        subject = "switch to variant %s" % variant
    else:
        subject = "update Changelog.txt"
    out.write("commit refs/heads/main\nmark :%d\n" % (i + 1))
    out.write("committer t <t@example.com> %d +0000\n" % (1700000000 + i * 60))
    out.write("data %d\n%s\n" % (len(subject), subject))
    if i > 0:
        out.write("from :%d\n" % i)
    for name, body in files.items():
        out.write("M 100644 inline %s\ndata %d\n%s\n" % (name, len(body), body))
    out.write("\n")
for tag, i in (("v1.0", 100), ("v1.1", 205), ("v1.1.1", 210), ("v2.0", 301)):
    out.write("reset refs/tags/%s\nfrom :%d\n\n" % (tag, i + 1))
PY
repo=$T/repo
git init -q -b main "$repo"
git -C "$repo" fast-import --quiet <"$T/stream" || { not_ok "fast-import" "failed"; exit 1; }
git -C "$repo" checkout -q main
check_eq "oracle: git sees 301 commits after the root" 301 "$(git -C "$repo" rev-list --count main~301..main)"
check_eq "oracle: no relgate.yml in any commit" "" \
	"$(git -C "$repo" log --all --format=%H -- relgate.yml | head -n 1)"

# A name a shell must quote: the offered bisect commands are run as given.
# A long cache directory: they are printed whole, however long.
yml="my budget's.yml"
prebuilt_budgets "$T/$yml" variant 100 "$T/builds"
: >"$T/builds"
cache=$T/cache-$(printf '%0200d' 0)
(cd "$repo" && "$RELGATE" report main~301..main --config "../$yml" --every 10 \
	--cache-dir "$cache" --json "$T/r.json" --markdown "$T/r.md" --html "$T/r.html") \
	>"$T/out" 2>"$T/err"
check_eq "report --config ../FILE --every 10: exit 0" 0 $?
# 0, 10, ..., 300 (31), the tag at 205, HEAD at 301.
check_eq "one build per measured commit (33)" 33 "$(wc -l <"$T/builds")"

# The oracle file: per commit of the range, position, id, variant, tags.
git -C "$repo" rev-list --reverse main~301..main >"$T/ids.tmp"
{ git -C "$repo" rev-parse main~301; cat "$T/ids.tmp"; } >"$T/ids"
: >"$T/oracle"
i=0
while read -r id; do
	v=$(git -C "$repo" show "$id:variant")
	tags=$(git -C "$repo" tag --points-at "$id" | tr '\n' ',' | sed 's/,$//')
	echo "$i $id $(cat "$T/rel$v") ${tags:--}" >>"$T/oracle"
	i=$((i + 1))
done <"$T/ids"
for p in $planted; do echo "${p%%:*}"; done >"$T/planted"

python3 - "$T" "$repo" <<'PY'
import json, os, re, subprocess, sys
from html.parser import HTMLParser
T, repo = sys.argv[1], sys.argv[2]
oracle = [l.split() for l in open(os.path.join(T, "oracle"))]
ids = [o[1] for o in oracle]
planted = [ids[int(l)] for l in open(os.path.join(T, "planted"))]
doc = json.load(open(os.path.join(T, "r.json")))
md = open(os.path.join(T, "r.md")).read()
text = open(os.path.join(T, "out")).read()
def check(name, want, got):
    print(("ok - %s" % name) if want == got else ("not ok - %s: expected %r, got %r" % (name, want, got)))
def git(*a):
    return subprocess.run(["git", "-C", repo] + list(a), capture_output=True, text=True)

yml = os.path.join(T, "my budget's.yml")
html = open(os.path.join(T, "r.html")).read()
check("json: the budgets came from the file on disk", [yml, "the file on disk (--config)"],
      [doc["budgets"]["path"], doc["budgets"]["source"]])
check("text: names the budget file on disk", True, ("budgets: %s from the file on disk" % yml) in text)
check("markdown: names the budget file on disk", True, ("`%s` from the file on disk" % yml) in md)
check("html: names the budget file on disk (escaped)", True,
      ("<code>%s</code> from the file on disk" % yml.replace("'", "&#39;")) in html)
want_pos = [i for i, o in enumerate(oracle) if i % 10 == 0 or i == len(oracle) - 1 or o[3] != "-"]
check("json: the commits measured are every 10th, the tagged ones and both ends",
      [ids[i] for i in want_pos], [c["commit"] for c in doc["commits"]])
check("json: each commit's position in the range is git rev-list's",
      want_pos, [c.get("position") for c in doc["commits"]])
check("json: each commit's tags are git tag --points-at's",
      [oracle[i][3] if oracle[i][3] != "-" else "" for i in want_pos],
      [",".join(c.get("tags", [])) for c in doc["commits"]])
check("json: total commits of the range", len(oracle), doc.get("range_commits"))
ser = doc["series"][0]
check("json: every value is readelf's count of the binary the history selects",
      [int(oracle[i][2]) for i in want_pos], ser["values"]["relocs.relative"])

movers = ser["movers"]["relocs.relative"]
check("json: four steps moved relocs.relative", 4, len(movers))
spans = 0
for m in movers:
    since, at = m["since"], m["commit"]
    n = int(git("rev-list", "--count", "%s..%s" % (since, at)).stdout)
    check("json: mover %s: commits from since to commit = git rev-list --count" % at[:7], n, m.get("commits"))
    inside = [p for p in planted if git("merge-base", "--is-ancestor", since, p).returncode == 0
              and git("merge-base", "--is-ancestor", p, at).returncode == 0 and p != since]
    check("json: mover %s: the commit that changed it lies in (since, commit]" % at[:7], 1, len(inside))
    if n > 1:
        spans += 1
        check("json: span %s: sampled" % at[:7], True, m.get("sampled"))
        cmd = m.get("bisect", "")
        check("json: span %s: a bisect --changed command between its ends" % at[:7], True,
              cmd.startswith("relgate bisect --changed ") and cmd.endswith(" %s %s" % (since, at)))
        check("text: span %s: the bisect command whole" % at[:7], True, ("find it: %s\n" % cmd) in text)
        check("markdown: span %s: the bisect command whole" % at[:7], True, ("`%s`" % cmd) in md)
        phrase = "between `%s` and `%s` (%d commits)" % (since[:7], at[:7], n)
        check("markdown: names span %s as %r" % (at[:7], phrase), True, phrase in md)
        check("markdown: offers the bisect command of span %s" % at[:7], True, cmd in md)
        tphrase = "between %s and %s (%d commits)" % (since[:7], at[:7], n)
        check("text: names span %s" % at[:7], True, tphrase in text)
        m["_inside"] = inside[0]
    else:
        check("json: adjacent step %s is not a span" % at[:7], False, m.get("sampled", False))
        check("json: adjacent step %s credits the commit that changed it" % at[:7], inside[0], at)
check("json: three of the steps are sampled spans", 3, spans)
open(os.path.join(T, "bisect.cmds"), "w").write(
    "".join("%s\t%s\n" % (m["_inside"], m["bisect"]) for m in movers if "_inside" in m))

# HTML: tags on the x axis at their commit's point; sampled segments marked.
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.svg = None; self.charts = []; self.intext = None
    def handle_starttag(self, tag, a):
        a = dict(a)
        if tag == "svg":
            self.svg = {"metric": a.get("data-metric"), "points": {}, "tags": [], "sampled": []}
            self.charts.append(self.svg)
        elif self.svg is not None and tag == "circle":
            self.svg["points"][a.get("data-commit")] = float(a["cx"])
        elif self.svg is not None and tag == "text" and "tag" in (a.get("class") or "").split():
            self.intext = {"x": float(a["x"]), "y": float(a["y"]), "commit": a.get("data-commit"), "label": ""}
            self.svg["tags"].append(self.intext)
        elif self.svg is not None and "sampled" in (a.get("class") or "").split():
            self.svg["sampled"].append(a)
    def handle_data(self, d):
        if self.intext is not None:
            self.intext["label"] += d
    def handle_endtag(self, tag):
        if tag == "text":
            self.intext = None
        if tag == "svg":
            self.svg = None
p = P(); p.feed(open(os.path.join(T, "r.html")).read())
chart = [c for c in p.charts if c["metric"] == "relocs.relative"][0]
want_tags = sorted((oracle[i][3], ids[i]) for i in want_pos if oracle[i][3] != "-")
check("html: the x axis carries each tag at its commit",
      want_tags, sorted((t["label"], t["commit"]) for t in chart["tags"]))
check("html: each tag label sits at its commit's point",
      [True] * len(chart["tags"]), [abs(t["x"] - chart["points"][t["commit"]]) < 0.6 for t in chart["tags"]])
tl = chart["tags"]
check("html: tag labels closer than 60 px sit on different rows", [],
      [(a["label"], b["label"]) for a in tl for b in tl
       if a is not b and abs(a["x"] - b["x"]) < 60 and a["y"] == b["y"]])
# Every step between non-adjacent measured commits is marked, and no other.
want_sampled = sum(1 for a, b in zip(want_pos, want_pos[1:]) if b - a > 1)
check("html: every step between non-adjacent measured commits is marked sampled",
      want_sampled, len(chart["sampled"]))
PY
[ $? -eq 0 ] || not_ok "sampled report: the Python checks ran to the end" "an exception (above)"

# Run the offered bisect commands: each names the planted commit inside.
while IFS="$(printf '\t')" read -r inside cmd; do
	out=$(cd "$repo" && eval "\"\$RELGATE\" ${cmd#relgate }" 2>/dev/null)
	check_eq "the offered '${cmd%% main*}...' finds the planted commit ${inside%${inside#???????}}" \
		"$inside" "$(echo "$out" | sed -n 's/^first commit that changed [^:]*: \([0-9a-f]*\) .*/\1/p')"
done <"$T/bisect.cmds"
[ -s "$T/bisect.cmds" ] || not_ok "sampled report: bisect commands offered" "none"

# bisect with the budget file over the whole range: relocs.relative grows
# by more than 20 from the root first at the variant-2 commit (152).
prebuilt_budgets "$T/strict.yml" variant 20
check_exit "bisect --config ../strict.yml: exit 0" 0 sh -c "cd \"$repo\" && exec \"$RELGATE\" bisect \
	--config ../strict.yml --target app --metric relocs.relative --cache-dir \"$T/cache2\" main~301 main~1"
check_eq "bisect --config: the first commit over the budget is the planted variant 2" \
	"$(sed -n '153p' "$T/ids")" "$(sed -n 's/^first bad commit: \([0-9a-f]*\) .*/\1/p' "$T/last.out")"
