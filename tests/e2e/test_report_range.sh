#!/bin/sh
# test_report_range.sh - `relgate report BASE..HEAD` and `relgate bisect` on
# a repository of 13 commits made here: a C program whose every commit adds
# one string pointer, except the planted 7th which adds 64. relgate.yml
# allows 16 more relative relocations. Oracles: binutils readelf counts
# *_RELATIVE relocations of each commit built here with cc (the series, the
# top mover, the budget line), Python's html.parser reads the HTML back
# (one SVG per metric, one point per commit), git rev-list names the commits,
# and a build counter shows what the cache saved and that bisect built at
# most ceil(log2 n) + 1 commits.
. "$ROOT/tests/lib.sh"

git_test_env
T=$TEST_TMP
repo=$T/repo
git init -q -b main "$repo"
cat >"$repo/relgate.yml" <<YML
version: 1
targets:
  app:
    build: echo x >>"$T/builds"; cc -O2 -fPIE -pie -o "\$RELGATE_OUT/app" app.c
    artifact: \$RELGATE_OUT/app
    budgets:
      relocs.relative: { max_increase: 16 }
      file.size: { warn_max: 1MiB }
YML
nptr=4
write_app() {
	{
		echo '#include <stdio.h>'
		printf 'static const char *t[] = { "z",'
		i=0; while [ "$i" -lt "$nptr" ]; do printf ' "s%d",' "$i"; i=$((i + 1)); done
		echo ' };'
		echo "int main(int c, char **v) { (void)v; puts(t[c % $((nptr + 1))]); return 0; }"
	} >"$repo/app.c"
}
: >"$T/oracle"
commit() { # SUBJECT: commits, builds it here and records readelf's count
	write_app
	git -C "$repo" add -A && git -C "$repo" commit -q -m "$1"
	cc -O2 -fPIE -pie -o "$T/o.bin" "$repo/app.c"
	echo "$(git -C "$repo" rev-parse HEAD) $(readelf -rW "$T/o.bin" | grep -c _RELATIVE)" >>"$T/oracle"
}
commit base
n=1
while [ $n -le 12 ]; do
	if [ $n -eq 7 ]; then nptr=$((nptr + 64)); commit "add the UPnP tables"
	else nptr=$((nptr + 1)); commit "step $n"; fi
	n=$((n + 1))
done
BASE=$(git -C "$repo" rev-parse main~12) PLANTED=$(git -C "$repo" rev-parse main~5)
check_eq "oracle: git sees 12 commits in the range" 12 "$(git -C "$repo" rev-list --count "$BASE..main")"

: >"$T/builds"
(cd "$repo" && "$RELGATE" report main~12..main --cache-dir "$T/cache" --html "$T/r.html" \
	--markdown "$T/r.md" --json "$T/r.json") >"$T/out" 2>"$T/err"
rc=$?
if grep -q 'not available in this build' "$T/err"; then
	skip "report" "$(head -n 1 "$T/err")"; exit 0
fi
check_eq "report: exit 1 (HEAD breaks the budget against BASE)" 1 "$rc"
check_eq "report: 13 builds, one per commit" 13 "$(wc -l <"$T/builds")"
grep -q '^\[1/13\] ' "$T/err" && grep -q '^\[13/13\] .*ETA' "$T/err" && ok "report: progress with ETA on stderr" || not_ok "report: progress with ETA on stderr" "$(head -n 5 "$T/err")"

python3 - "$T/r.json" "$T/r.html" "$T/oracle" "$PLANTED" >"$T/py.out" 2>&1 <<'PY'
import json, sys
from html.parser import HTMLParser
doc = json.load(open(sys.argv[1]))
oracle = [l.split() for l in open(sys.argv[3])]
planted = sys.argv[4]
def check(name, want, got):
    print(("ok - %s" % name) if want == got else ("not ok - %s: expected %r, got %r" % (name, want, got)))
check("json: commits are base + the 12 of the range, oldest first",
      [c for c, _ in oracle], [c["commit"] for c in doc["commits"]])
ser = doc["series"][0]
check("json: relocs.relative of every commit equals readelf's count",
      [int(n) for _, n in oracle], ser["values"]["relocs.relative"])
top = ser["movers"]["relocs.relative"][0]
i = [c for c, _ in oracle].index(planted)
check("json: the planted commit moved relocs.relative most", planted, top["commit"])
check("json: by readelf's delta", int(oracle[i][1]) - int(oracle[i - 1][1]), top["delta"])
check("json: status fail (the check report inside)", "fail", doc["status"])
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.svgs = []; self.cur = None; self.text = False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg":
            self.cur = {"metric": a.get("data-metric"), "points": [], "budgets": [], "labels": []}
            self.svgs.append(self.cur)
        elif tag == "circle" and self.cur is not None:
            self.cur["points"].append((a["data-commit"], int(a["data-value"])))
        elif tag == "line" and self.cur is not None and "budget" in a.get("class", ""):
            self.cur["budgets"].append((a["data-rule"], int(a["data-limit"])))
        self.text = tag == "text" and self.cur is not None
    def handle_data(self, data):
        if self.text: self.cur["labels"].append(data)
    def handle_endtag(self, tag):
        self.text = False
        if tag == "svg": self.cur = None
p = P(); p.feed(open(sys.argv[2]).read())
metrics = list(ser["values"].keys())
check("html: one SVG per metric", sorted(metrics), sorted(s["metric"] for s in p.svgs))
check("html: metrics with rules are charted", True, {"relocs.relative", "file.size"} <= set(metrics))
check("html: one point per commit in every chart", [13] * len(p.svgs), [len(s["points"]) for s in p.svgs])
rr = [s for s in p.svgs if s["metric"] == "relocs.relative"][0]
check("html: points carry readelf's values", [(c, int(n)) for c, n in oracle], rr["points"])
check("html: the max_increase budget line at base + 16", [("max_increase", int(oracle[0][1]) + 16)], rr["budgets"])
vals = [int(n) for _, n in oracle] + [int(oracle[0][1]) + 16]
check("html: the y axis is labelled with the top and the bottom of the chart (readelf's counts and the limit)",
      [str(max(vals)), str(min(vals))], rr["labels"])
fs = [s for s in p.svgs if s["metric"] == "file.size"][0]
check("html: the warn_max line at 1 MiB", [("warn_max", 1048576)], fs["budgets"])
html = open(sys.argv[2]).read()
check("html: self-contained (no external resource)", [], [w for w in ("http://", "https://", "src=") if w in html.replace('xmlns="http://www.w3.org/2000/svg"', "")])
PY
cat "$T/py.out"
grep -q 'add the UPnP tables' "$T/r.md" && grep -q 'relocs.relative' "$T/r.md" && ok "markdown: names the top mover" || not_ok "markdown: names the top mover" "$(head -c 300 "$T/r.md")"

# Again: everything comes from the cache.
: >"$T/builds"
(cd "$repo" && "$RELGATE" report main~12..main --cache-dir "$T/cache" --json "$T/r2.json") >/dev/null 2>&1
check_eq "report again: no build (the cache)" 0 "$(wc -l <"$T/builds")"
(cd "$repo" && "$RELGATE" report main~12..main --every 4 --cache-dir "$T/cache" --json "$T/r3.json") >/dev/null 2>&1
check_eq "report --every 4: base, 4, 8, 12" "$(git -C "$repo" rev-parse main~12 main~8 main~4 main | tr '\n' ' ')" \
	"$(python3 -c 'import json,sys; print(" ".join(c["commit"] for c in json.load(open(sys.argv[1]))["commits"]), end=" ")' "$T/r3.json")"
(cd "$repo" && "$RELGATE" report main~12..main~6 --cache-dir "$T/cache") >/dev/null 2>&1
check_eq "report before the planted commit: exit 0" 0 "$?"

# bisect, cold: at most ceil(log2 12) + 1 = 5 builds.
: >"$T/builds"
(cd "$repo" && "$RELGATE" bisect --target app --metric relocs.relative --cache-dir "$T/cold" main~12 main) >"$T/b.out" 2>"$T/b.err"
check_eq "bisect: exit 0" 0 "$?"
check_eq "bisect: finds the planted commit" "first bad commit: $PLANTED add the UPnP tables" "$(head -n 1 "$T/b.out")"
nb=$(wc -l <"$T/builds")
[ "$nb" -le 5 ] && ok "bisect: $nb builds <= ceil(log2 12) + 1 = 5" || not_ok "bisect: at most 5 builds" "$nb"
grep -q 'relative relocations grew' "$T/b.out" && ok "bisect: prints the verdict" || not_ok "bisect: prints the verdict" "$(cat "$T/b.out")"
: >"$T/builds"
(cd "$repo" && "$RELGATE" bisect --target app --metric relocs.relative --cache-dir "$T/cache" main~12 main) >"$T/b2.out" 2>/dev/null
check_eq "bisect from the report's cache: no build" 0 "$(wc -l <"$T/builds")"
check_eq "bisect from the cache: same commit" "first bad commit: $PLANTED add the UPnP tables" "$(head -n 1 "$T/b2.out")"
check_exit "bisect: BAD within budget is refused" 2 sh -c "cd '$repo' && '$RELGATE' bisect --target app --metric relocs.relative --cache-dir '$T/cache' main~12 main~6"
check_exit "bisect: unknown target" 2 sh -c "cd '$repo' && '$RELGATE' bisect --target nope --metric relocs.relative --cache-dir '$T/cache' main~12 main"
check_exit "bisect: a metric without a rule" 2 sh -c "cd '$repo' && '$RELGATE' bisect --target app --metric vm.size --cache-dir '$T/cache' main~12 main"
check_exit "bisect: no commit between" 2 sh -c "cd '$repo' && '$RELGATE' bisect --target app --metric relocs.relative main main"
check_exit "report: not a range" 2 sh -c "cd '$repo' && '$RELGATE' report main"
check_exit "report: bad --every" 2 sh -c "cd '$repo' && '$RELGATE' report main~2..main --every 0"

# --first-parent: a side branch of two commits merged with --no-ff.
git -C "$repo" checkout -q -b side
nptr=$((nptr + 1)); commit "side 1"
nptr=$((nptr + 1)); commit "side 2"
git -C "$repo" checkout -q main
git -C "$repo" merge -q --no-ff -m "merge side" side
(cd "$repo" && "$RELGATE" report main~1..main --cache-dir "$T/cache" --json "$T/fp.json") >/dev/null 2>&1
(cd "$repo" && "$RELGATE" report main~1..main --first-parent --cache-dir "$T/cache" --json "$T/fp1.json") >/dev/null 2>&1
ncommits() { python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["commits"]))' "$1"; }
check_eq "report: every commit of the range (git rev-list + base)" "$(( $(git -C "$repo" rev-list --count main~1..main) + 1 ))" "$(ncommits "$T/fp.json")"
check_eq "report --first-parent: first parents only (git rev-list --first-parent + base)" "$(( $(git -C "$repo" rev-list --first-parent --count main~1..main) + 1 ))" "$(ncommits "$T/fp1.json")"
