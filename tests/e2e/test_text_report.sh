#!/bin/sh
# The terminal report as a reader sees it: a diff judged by budgets where
# 2 rules fail, 1 warns and 40 metrics changed, run in a 100x30 tmux pane.
#   - the first line is the verdict; each failed or warned rule is one line
#     of at most 100 columns (python3 counts the characters);
#   - the budgeted metrics and the 5 top movers are shown, and "N more
#     changed (--all)" counts the rest (python3 counts from the inputs);
#   - the report is longer than the pane (20 more passing rules), and the
#     verdict is repeated last, so it is on screen when the run ends (tmux
#     capture-pane of the 30-line pane);
#   - --all lists every changed metric.
. "$ROOT/tests/lib.sh"

cd "$TEST_TMP" || exit 1
python3 - <<'PY'
import json
def doc(m):
    return {"schema_version": 1, "tool": {"name": "relgate", "version": "x"}, "binaries": [
        {"path": "app", "format": "elf", "arch": "x86_64", "bits": 64, "endian": "little",
         "page_size": 4096, "metrics": m, "segments": [], "sections": [], "notes": []}]}
base = {"file.size": 1000000, "relocs.relative": 5000, "dirty.relro.bytes": 65536,
        "vm.size": 900000, "relocs.total": 5200}
head = {"file.size": 1100000, "relocs.relative": 5600, "dirty.relro.bytes": 65536,
        "vm.size": 990000, "relocs.total": 5800}
for i in range(36):
    base["section[.text.very_long_function_name_%02d].size" % i] = 1000
    head["section[.text.very_long_function_name_%02d].size" % i] = 1000 + 10 * (i + 1)
json.dump(doc(base), open("base.json", "w"))
json.dump(doc(head), open("head.json", "w"))
changed = [k for k in base if base[k] != head[k]]
budgeted = {"relocs.relative", "dirty.relro.bytes", "file.size"} | {"section[.text.very_long_function_name_%02d].size" % i for i in range(20)}
open("expect", "w").write("%d\n" % (len([k for k in changed if k not in budgeted]) - 5))
open("changed", "w").write("\n".join(changed) + "\n")
PY
cat >relgate.yml <<'YML'
version: 1
targets:
  a-rather-long-target-name-for-the-ios-notification-extension:
    build: make
    artifact: out/app
    budgets:
      relocs.relative: { max_increase: 100 }
      dirty.relro.bytes: { max: 64KiB, max_increase: 0 }
      file.size: { max: 1MB, warn_increase: 1KiB }
YML
# twenty passing rules on sections: a report longer than a screen
i=0
while [ $i -lt 20 ]; do
	printf '      section[.text.very_long_function_name_%02d].size: { max: 4KiB }\n' $i >>relgate.yml
	i=$((i + 1))
done
"$RELGATE" diff --budgets relgate.yml base.json head.json >out.txt 2>err
check_eq "diff: exit 1" 1 $?
python3 - <<'PY' >res
lines = open("out.txt", encoding="utf-8").read().splitlines()
bad = []
if not lines[0].startswith("relgate: FAIL: 2 budgets exceeded, 1 warning,"):
    bad.append("first line: %r" % lines[0])
rules = [l for l in lines if l.startswith(("FAIL ", "WARN "))]
if len(rules) != 3:
    bad.append("%d rule lines" % len(rules))
bad += ["%d columns: %r" % (len(l), l) for l in rules if len(l) > 100]
if len(lines) <= 30 or lines[-1] != lines[0]:
    bad.append("%d lines, the last %r: not a long report ending with its verdict" % (len(lines), lines[-1]))
n = int(open("expect").read())
if "  %d more changed (--all)" % n not in lines:
    bad.append("no '%d more changed (--all)'" % n)
print("; ".join(bad) or "ok")
PY
check_eq "text: verdict first and last, one line of <= 100 columns per failed/warned rule, N more (--all)" ok "$(cat res)"

"$RELGATE" diff --all --budgets relgate.yml base.json head.json >all.txt 2>/dev/null
missing=$(while read -r m; do grep -qF -- "$m" all.txt || echo "$m"; done <changed)
check_eq "text --all: every changed metric is listed" "" "$missing"

if need tmux; then
	s=relgate-text-$$
	tmux new-session -d -s "$s" -x 100 -y 30 "sh -c '\"$RELGATE\" diff --budgets relgate.yml base.json head.json; sleep 30'" &&
	sleep 2 &&
	tmux capture-pane -t "$s" -p >pane.txt
	tmux kill-session -t "$s" 2>/dev/null
	grep -q '^relgate: FAIL: 2 budgets exceeded' pane.txt && ! grep -q '^FAIL ' pane.txt &&
		ok "tmux 100x30: the rules scrolled away, the verdict is on screen when the run ends" ||
		not_ok "tmux 100x30: the rules scrolled away, the verdict is on screen when the run ends" "$(cat pane.txt)"
else
	skip "tmux 100x30" "tmux not installed (scripts/setup.sh --tests)"
fi

# check: one input line per target, the artifact with its variables
# expanded; $RELGATE_OUT (a temporary directory, gone after the run) as
# <out>, a path in the tree as written in relgate.yml. The JSON and the
# Markdown (rendered by cmark-gfm) say the same, and none names the
# temporary directory.
if need cc git python3; then
	git_test_env
	export XDG_CACHE_HOME=$TEST_TMP/xdg
	g=$TEST_TMP/inputs
	mkdir -p "$g" && cd "$g" && git init -q -b main .
	echo 'int main(void) { return 0; }' >app.c
	cat >relgate.yml <<'YML'
version: 1
targets:
  tool:
    build: cc -o "$RELGATE_OUT/$RELGATE_TARGET.bin" app.c
    artifact: ${RELGATE_OUT}/${RELGATE_TARGET}.bin
  intree:
    build: mkdir -p build/out && cc -o build/out/$RELGATE_TARGET app.c
    artifact: build/out/$RELGATE_TARGET
YML
	git add -A && git commit -qm a && git commit -q --allow-empty -m b
	TMPDIR=$TEST_TMP/tmp; mkdir -p "$TMPDIR"; export TMPDIR
	"$RELGATE" check --json-out out.json HEAD~1..HEAD >out.txt 2>err.txt
	check_eq "check: exit 0" 0 $?
	unset TMPDIR
	check_eq "check: one input line for the target, \$RELGATE_OUT as <out>" \
		"tool: <out>/tool.bin (elf" "$(grep '^tool: ' out.txt | cut -d' ' -f1-3)"
	check_eq "check: an artifact in the tree as written" \
		"intree: build/out/intree (elf" "$(grep '^intree: ' out.txt | cut -d' ' -f1-3)"
	check_eq "check: json inputs say the same paths, on both sides" \
		"base intree build/out/intree|base tool <out>/tool.bin|head intree build/out/intree|head tool <out>/tool.bin" \
		"$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print("|".join(sorted("%s %s %s" % (i["side"], i["target"], i["path"]) for i in d["inputs"])))' out.json)"
	check_eq "check: json inputs validate" "valid" \
		"$(python3 "$ROOT/tests/schema_check.py" "$ROOT/docs/report.schema.json" out.json)"
	"$RELGATE" check --format markdown HEAD~1..HEAD >out.md 2>/dev/null
	if need cmark-gfm; then
		check_eq "check: markdown names the same artifacts (as cmark-gfm renders it)" \
			"intree build/out/intree (elf)|tool <out>/tool.bin (elf)" "$(cmark-gfm out.md | python3 -c '
import html, re, sys
p = [l for l in sys.stdin.read().split("\n") if l.startswith("<p>Artifacts: ")]
t = html.unescape(re.sub(r"<[^>]+>", "", p[0] if p else ""))[len("Artifacts: "):].rstrip(".")
print("|".join(sorted(re.sub(r"\(elf [^)]*\)", "(elf)", x) for x in t.split(", "))))')"
	else
		skip "check: markdown artifacts" "cmark-gfm not installed (scripts/setup.sh --tests)"
	fi
	if grep -q -e "$TEST_TMP/tmp" -e 'RELGATE_OUT' out.txt out.json out.md; then
		not_ok "check: no temporary directory or \$RELGATE_OUT in the reports" "$(grep -e "$TEST_TMP/tmp" -e RELGATE_OUT out.txt out.json out.md | head -3)"
	else
		ok "check: no temporary directory or \$RELGATE_OUT in the reports"
	fi
else
	skip "check: input lines" "cc, git or python3 missing"
fi

# One file as both sides, no target: its line is the path, not ": path".
cd "$TEST_TMP" || exit 1
"$RELGATE" diff base.json base.json >same.txt 2>&1
check_eq "diff of a file with itself: the input line names the file" "base.json (json x86_64)" "$(head -1 same.txt)"
