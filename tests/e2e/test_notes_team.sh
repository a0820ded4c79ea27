#!/bin/sh
# test_notes_team.sh - metrics shared through git notes (docs/notes.md),
# with real git: a bare "origin"; a CI clone that runs `relgate publish`
# for main and pushes refs/notes/relgate; a developer's clone whose check,
# pre-push hook (fetching the notes itself) and report build only what was
# not published. Build counts come from the build command itself (each
# build appends its side to $COUNTER). Oracles: binutils readelf counts
# the base's relative relocations on a binary built here with cc, `git
# notes` reads the note, `git for-each-ref` shows which refs exist, and the
# hand derivation of check_lib.sh (gen_c N has N relocated pointers, so
# relocs.relative moves by the difference of N between two commits).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/e2e/check_lib.sh"

T=$TEST_TMP
origin=$T/origin.git ci=$T/ci dev=$T/dev
export COUNTER="$T/builds"
: >"$COUNTER"
nbuilds() { wc -l <"$COUNTER" | tr -d ' '; }

git init -q --bare -b main "$origin"
git clone -q "$origin" "$ci" 2>/dev/null
gen_c 10 >"$ci/main.c"
counted_yml "$ci/relgate.yml" 50
git -C "$ci" add -A && git -C "$ci" commit -q -m "base: 10 pointers"
git -C "$ci" push -q origin main 2>/dev/null

# A pull-request run never publishes.
(cd "$ci" && GITHUB_EVENT_NAME=pull_request "$RELGATE" publish --cache-dir "$T/ci-cache") \
	>"$T/out" 2>"$T/err"
check_eq "publish in a pull-request run: refused (exit 2)" 2 "$?"
check_eq "publish in a pull-request run: no notes ref written" "" \
	"$(git -C "$ci" for-each-ref refs/notes)"
check_eq "publish in a pull-request run: nothing built" 0 "$(nbuilds)"

# CI on main: publish and push the notes.
(cd "$ci" && GITHUB_EVENT_NAME=push "$RELGATE" publish --cache-dir "$T/ci-cache") \
	>"$T/out" 2>"$T/err"
check_eq "publish: exit 0" 0 "$?"
check_eq "publish: built main once" 1 "$(nbuilds)"
git -C "$ci" notes --ref relgate show main >"$T/note" 2>&1
python3 - "$T/note" >"$T/py" 2>&1 <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ok = len(lines) == 1 and lines[0]["target"] == "app" and len(lines[0]["key"]) == 40 \
    and "relocs.relative" in lines[0]["binary"]["metrics"]
print("ok" if ok else "bad %r" % lines)
PY
check_eq "publish: git notes shows one JSON line for target app" ok "$(cat "$T/py")"
(cd "$ci" && "$RELGATE" publish --cache-dir "$T/ci-cache") >"$T/out" 2>"$T/err"
check_eq "publish again: from the cache, nothing built" 1 "$(nbuilds)"
check_eq "publish again: still one entry (same key replaced)" 1 \
	"$(git -C "$ci" notes --ref relgate show main | grep -c .)"
git -C "$ci" push -q origin refs/notes/relgate 2>/dev/null
check_eq "origin has refs/notes/relgate" refs/notes/relgate \
	"$(git --git-dir="$origin" for-each-ref --format='%(refname)' refs/notes)"

# The developer: a fresh clone, a change, a fresh cache.
git clone -q "$origin" "$dev" 2>/dev/null
git -C "$dev" fetch -q origin refs/notes/relgate:refs/notes/relgate
git -C "$dev" checkout -q -b feature
gen_c 14 >"$dev/main.c"
git -C "$dev" commit -q -am "head: 14 pointers"
: >"$COUNTER"
(cd "$dev" && "$RELGATE" check --cache-dir "$T/dev-cache" --format json) >"$T/check.json" 2>"$T/err"
check_eq "check: exit 0" 0 "$?"
check_eq "check: only the head was built" head "$(cat "$COUNTER")"
grep -q "app: from refs/notes/relgate" "$T/err" && ok "check: says the base came from the notes" ||
	not_ok "check: says the base came from the notes" "$(head -c 400 "$T/err")"
# The published number is what a build of the base gives: readelf's count.
git -C "$dev" show main:main.c >"$T/base.c"
cc -O1 -fPIE -pie -o "$T/base.bin" "$T/base.c"
python3 - "$T/check.json" >"$T/vals" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
m = d["targets"][0]["metrics"]
print(m["base"]["relocs.relative"], m["head"]["relocs.relative"])
PY
want_base=$(readelf -rW "$T/base.bin" | grep -c _RELATIVE)
check_eq "check: the base value from the note equals readelf's count" "$want_base" "$(cut -d' ' -f1 "$T/vals")"
check_eq "check: head - base is 14 - 10 pointers" 4 "$(( $(cut -d' ' -f2 "$T/vals") - $(cut -d' ' -f1 "$T/vals") ))"

: >"$COUNTER"
(cd "$dev" && "$RELGATE" check --cache-dir "$T/dev-cache2" --no-notes) >"$T/out" 2>"$T/err"
check_eq "check --no-notes: builds base and head" "base head" "$(tr '\n' ' ' <"$COUNTER" | sed 's/ $//')"

# Another toolchain: cc is clang here, so the published key does not apply.
if need clang; then
	mkdir -p "$T/clangbin" && ln -sf "$(command -v clang)" "$T/clangbin/cc"
	: >"$COUNTER"
	(cd "$dev" && PATH="$T/clangbin:$PATH" "$RELGATE" check --cache-dir "$T/dev-cache3") \
		>"$T/out" 2>"$T/err"
	check_eq "another toolchain (cc = clang): the note is ignored, base built" "base head" \
		"$(tr '\n' ' ' <"$COUNTER" | sed 's/ $//')"
	grep -q "from refs/notes" "$T/err" && not_ok "another toolchain: no note used" "$(cat "$T/err")" ||
		ok "another toolchain: no note used"
else
	skip "another toolchain" "clang not installed"
fi

# A forged entry under another key is ignored too (a note applies only
# under the cache key): rewrite the key of the published line.
git -C "$dev" notes --ref relgate show main | sed 's/"key":"[0-9a-f]*"/"key":"0000000000000000000000000000000000000000"/' >"$T/forged"
git -C "$dev" notes --ref relgate add -f -F "$T/forged" main
: >"$COUNTER"
(cd "$dev" && "$RELGATE" check --cache-dir "$T/dev-cache4") >"$T/out" 2>"$T/err"
check_eq "an entry under another key: ignored, base built" "base head" \
	"$(tr '\n' ' ' <"$COUNTER" | sed 's/ $//')"

# A malformed entry under the right key (a metric that is not an integer,
# a format relgate never writes): ignored with a warning, the base built,
# the gate still judges (exit 0), nothing of it reaches the report.
git -C "$ci" notes --ref relgate show main >"$T/good"
python3 - "$T/good" >"$T/bad" <<'PY'
import json, sys
e = json.loads(open(sys.argv[1]).readline())
e["binary"]["metrics"]["relocs.relative"] = "lots"
print(json.dumps(e))
e["binary"]["metrics"]["relocs.relative"] = 1
e["binary"]["format"] = "<script>"
print(json.dumps(e))
PY
git -C "$dev" notes --ref relgate add -f -F "$T/bad" main
: >"$COUNTER"
(cd "$dev" && "$RELGATE" check --cache-dir "$T/dev-cache5" --format json) >"$T/out" 2>"$T/err"
check_eq "malformed entries: the gate still judges (exit 0)" 0 "$?"
check_eq "malformed entries: ignored, base built" "base head" "$(tr '\n' ' ' <"$COUNTER" | sed 's/ $//')"
grep -q "ignoring a malformed entry" "$T/err" && ok "malformed entries: a warning says so" ||
	not_ok "malformed entries: a warning says so" "$(head -c 300 "$T/err")"
grep -q '<script>' "$T/out" && not_ok "malformed entries: nothing of them in the report" "found" ||
	ok "malformed entries: nothing of them in the report"

# The pre-push hook fetches the notes itself when configured to, and
# builds only the head. The local notes ref is gone first.
git -C "$dev" update-ref -d refs/notes/relgate
git -C "$dev" config relgate.fetchNotes true
(cd "$dev" && "$RELGATE" hook install >/dev/null)
: >"$COUNTER"
XDG_CACHE_HOME="$T/hook-cache" git -C "$dev" push origin feature >"$T/push.out" 2>&1
check_eq "hook: the push went through" "$(git -C "$dev" rev-parse feature)" \
	"$(git --git-dir="$origin" rev-parse -q --verify feature)"
check_eq "hook: only the head was built" head "$(cat "$COUNTER")"
check_eq "hook: fetched refs/notes/relgate" refs/notes/relgate \
	"$(git -C "$dev" for-each-ref --format='%(refname)' refs/notes)"

# report over 50 commits CI published: nothing built.
# (gen_c uses $i itself: the loop counts in $step.)
n=10 step=0
while [ $step -lt 50 ]; do
	n=$((n + 1 + step % 3)); step=$((step + 1))
	gen_c "$n" >"$ci/main.c"
	echo "$n" >>"$T/ns"
	git -C "$ci" commit -q -am "step $step: $n pointers"
done
git -C "$ci" push -q origin main 2>/dev/null
: >"$COUNTER"
(cd "$ci" && "$RELGATE" publish main~50..main --cache-dir "$T/ci-cache") >"$T/out" 2>"$T/err"
check_eq "publish main~50..main: exit 0" 0 "$?"
check_eq "publish main~50..main: 50 builds (the base was published before)" 50 "$(nbuilds)"
git -C "$ci" push -q origin refs/notes/relgate 2>/dev/null
git -C "$dev" fetch -q origin main:refs/remotes/origin/main "+refs/notes/relgate:refs/notes/relgate"
: >"$COUNTER"
(cd "$dev" && "$RELGATE" report origin/main~50..origin/main --cache-dir "$T/dev-report" \
	--json "$T/report.json") >"$T/out" 2>"$T/err"
rc=$?
# relocs.relative grows by n - 10 over the range; the budget allows 50.
check_eq "report over 50 published commits: exit $([ $((n - 10)) -gt 50 ] && echo 1 || echo 0) (+$((n - 10)) relocations, 50 allowed)" \
	"$([ $((n - 10)) -gt 50 ] && echo 1 || echo 0)" "$rc"
check_eq "report over 50 published commits: zero builds" 0 "$(nbuilds)"
python3 - "$T/report.json" "$T/ns" >"$T/py" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ns = [10] + [int(l) for l in open(sys.argv[2])]
vals = d["series"][0]["values"]["relocs.relative"]
diffs = [b - a for a, b in zip(vals, vals[1:])]
want = [b - a for a, b in zip(ns, ns[1:])]
print("ok" if len(vals) == 51 and diffs == want else "bad %r vs %r" % (diffs, want))
PY
check_eq "report: 51 points whose steps equal the pointer counts' steps" ok "$(cat "$T/py")"

# bisect over the same published range: the first commit whose pointers
# exceed the base's 10 by more than 50 (hand derivation from $T/ns, the
# pointer count of each step), found with zero builds.
if [ $((n - 10)) -gt 50 ]; then
	k=$(awk '$1 - 10 > 50 { print NR; exit }' "$T/ns")
	want=$(git -C "$dev" rev-parse "origin/main~$((50 - k))")
	: >"$COUNTER"
	(cd "$dev" && "$RELGATE" bisect --target app --metric relocs.relative \
		--cache-dir "$T/dev-bisect" origin/main~50 origin/main) >"$T/b.out" 2>"$T/b.err"
	check_eq "bisect over published commits: exit 0" 0 "$?"
	check_eq "bisect over published commits: the first commit over +50" \
		"$want" "$(sed -n 's/^first bad commit: \([0-9a-f]*\) .*/\1/p' "$T/b.out")"
	check_eq "bisect over published commits: zero builds" 0 "$(nbuilds)"
fi
: >"$COUNTER"
(cd "$dev" && "$RELGATE" report origin/main~50..origin/main --cache-dir "$T/dev-report2" \
	--no-notes --every 25) >"$T/out" 2>"$T/err"
check_eq "report --no-notes: builds (3 points with --every 25)" 3 "$(nbuilds)"
