#!/bin/sh
# test_merge_matrix.sh - `relgate merge` of per-target parts equals one
# `relgate check` over every target: the same JSON report (but for the
# temporary paths of the measured files), text, Markdown, GitHub annotations,
# step summary, outputs and exit status. The repository has three C
# targets, listed in relgate.yml as zeta, app, tool (not alphabetical): zeta
# passes, app breaks relocs.relative (64 pointers added; readelf confirms),
# tool warns (4 pointers added against warn_increase 2). The parts are
# given to merge in another order. Also: inconsistent parts are refused.
. "$ROOT/tests/lib.sh"

git_test_env
T=$TEST_TMP
repo=$T/repo
git init -q -b main "$repo"
cat >"$repo/relgate.yml" <<'YML'
version: 1
targets:
  zeta:
    build: cc -O2 -fPIE -pie -o "$RELGATE_OUT/zeta" zeta.c
    artifact: $RELGATE_OUT/zeta
    budgets:
      relocs.relative: { max_increase: 16 }
  app:
    build: cc -O2 -fPIE -pie -o "$RELGATE_OUT/app" app.c
    artifact: $RELGATE_OUT/app
    budgets:
      file.size: { max: 1MiB }
      relocs.relative: { max_increase: 16 }
  mid:
    build: cc -O2 -fPIE -pie -o "$RELGATE_OUT/mid" mid.c
    artifact: $RELGATE_OUT/mid
    budgets:
      relocs.relative: { max_increase: 16 }
  tool:
    build: cc -O2 -fPIE -pie -o "$RELGATE_OUT/tool" tool.c
    artifact: $RELGATE_OUT/tool
    budgets:
      relocs.relative: { max_increase: 16, warn_increase: 2 }
YML
# prog FILE NPTRS: a program with a table of NPTRS + 1 string pointers.
prog() { ptr_app "$repo/$1" "$2"; }
prog zeta.c 4; prog app.c 4; prog mid.c 4; prog tool.c 4
git -C "$repo" add -A && git -C "$repo" commit -qm base
prog app.c 68; prog tool.c 8
git -C "$repo" commit -qam head
for n in 4 8 68; do prog "o$n.c" "$n"; cc -O2 -fPIE -pie -o "$T/o$n" "$repo/o$n.c"; rm "$repo/o$n.c"; done
r4=$(readelf -rW "$T/o4" | grep -c _RELATIVE) r8=$(readelf -rW "$T/o8" | grep -c _RELATIVE) r68=$(readelf -rW "$T/o68" | grep -c _RELATIVE)
if [ $((r68 - r4)) -gt 16 ] && [ $((r8 - r4)) -gt 2 ] && [ $((r8 - r4)) -le 16 ]; then
	ok "oracle: readelf: app +$((r68 - r4)) (breach), tool +$((r8 - r4)) (warning)"
else
	not_ok "oracle: fixture as designed" "4:$r4 8:$r8 68:$r68"
fi

# run NAME ARGS...: relgate in the repo as on GitHub Actions; stdout, step
# summary and outputs kept under $T/NAME.*
run() {
	name=$1; shift
	: >"$T/$name.summary"; : >"$T/$name.output"
	(cd "$repo" && GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY="$T/$name.summary" \
		GITHUB_OUTPUT="$T/$name.output" "$RELGATE" "$@") >"$T/$name.out" 2>"$T/$name.err"
	echo $? >"$T/$name.rc"
}
run full check --base main~1 --head main --no-cache --json-out "$T/full.json" --markdown-out "$T/full.md"
if grep -q -e 'not available in this build' -e 'not supported by this build' "$T/full.err"; then
	skip "merge equals the single run" "$(head -n 1 "$T/full.err")"
	exit 0
fi
check_eq "single run: exit 1 (app breaks its budget)" 1 "$(cat "$T/full.rc")"
for t in zeta app mid tool; do
	run "part-$t" check --base main~1 --head main --no-cache --target "$t" --json-out "$T/part-$t.json"
done
run merged merge "$T/part-tool.json" "$T/part-app.json" "$T/part-mid.json" "$T/part-zeta.json" \
	--json-out "$T/merged.json" --markdown-out "$T/merged.md"
check_eq "merge: same exit status" "$(cat "$T/full.rc")" "$(cat "$T/merged.rc")"

# The measured files live in per-run temporary directories: drop the path.
norm_json() {
	python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for i in d.get("inputs", []):
    i.pop("path", None)
print(json.dumps(d, indent=1, sort_keys=False))
PY
}
norm_json "$T/full.json" >"$T/full.norm"; norm_json "$T/merged.json" >"$T/merged.norm"
if cmp -s "$T/full.norm" "$T/merged.norm"; then ok "merge: JSON report equals the single run's"
else not_ok "merge: JSON report equals the single run's" "$(diff "$T/full.norm" "$T/merged.norm" | head -n 20 | tr '\n' '|')"; fi
check_eq "merge: failures first, then relgate.yml order" "app tool zeta mid" "$(python3 -c 'import json,sys; print(" ".join(t["name"] for t in json.load(open(sys.argv[1]))["targets"]))' "$T/merged.json")"
norm_paths() { sed -E 's#[^ "]*/relgate-[A-Za-z0-9]+/(base|head)-out-[0-9]+-#TMP/#g' "$1"; }
for f in out md summary; do
	if [ "$(norm_paths "$T/full.$f")" = "$(norm_paths "$T/merged.$f")" ]; then
		ok "merge: same $f"
	else
		not_ok "merge: same $f" "$(diff "$T/full.$f" "$T/merged.$f" | head -n 10 | tr '\n' '|')"
	fi
done
# Outputs: status, failed, warned the same; report= is the JSON (paths aside).
check_eq "merge: same GITHUB_OUTPUT status/failed/warned" \
	"$(grep -E '^(status|failed|warned)=' "$T/full.output")" "$(grep -E '^(status|failed|warned)=' "$T/merged.output")"
check_eq "merge: one ::error for app" 1 "$(grep -c '^::error file=relgate.yml' "$T/merged.out")"
check_eq "merge: one ::warning for tool" 1 "$(grep -c '^::warning file=relgate.yml' "$T/merged.out")"

# Without GITHUB_ACTIONS: text only, same exit.
(cd "$repo" && "$RELGATE" merge "$T/part-mid.json" "$T/part-app.json" "$T/part-zeta.json" --format json) >"$T/two.json" 2>"$T/two.err"
check_eq "merge of three parts: exit 1" 1 "$?"
check_eq "merge of three parts: three targets" "app zeta mid" "$(python3 -c 'import json,sys; print(" ".join(t["name"] for t in json.load(open(sys.argv[1]))["targets"]))' "$T/two.json")"
(cd "$repo" && "$RELGATE" merge "$T/part-zeta.json") >/dev/null 2>&1
check_eq "merge of the passing part alone: exit 0" 0 "$?"

# Refusals: the same target twice, parts of other commits, not a report.
check_exit "merge: a target in two parts is refused" 2 "$RELGATE" merge "$T/part-app.json" "$T/full.json"
grep -q "target 'app' is also in" "$TEST_TMP/last.err" && ok "merge: says which target" || not_ok "merge: says which target" "$(cat "$TEST_TMP/last.err")"
python3 - "$T/part-app.json" "$T/other.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["base"]["commit"] = "0" * 40
d["targets"][0]["name"] = "other"
json.dump(d, open(sys.argv[2], "w"))
PY
check_exit "merge: parts of different base commits are refused" 2 "$RELGATE" merge "$T/part-zeta.json" "$T/other.json"
grep -q 'base commit' "$TEST_TMP/last.err" && ok "merge: says the base differs" || not_ok "merge: says the base differs" "$(cat "$TEST_TMP/last.err")"
# A part that judged no target (issue 12 item 12) would pass silently.
python3 - "$T/part-app.json" "$T/empty.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["targets"] = []
json.dump(d, open(sys.argv[2], "w"))
PY
check_exit 'merge: a part with "targets": [] is refused' 2 "$RELGATE" merge "$T/empty.json"
grep -q "$T/empty.json: the part has no targets" "$TEST_TMP/last.err" && ok "merge: names the empty part" ||
	not_ok "merge: names the empty part" "$(cat "$TEST_TMP/last.err")"
check_exit 'merge: an empty part beside a real one is refused' 2 "$RELGATE" merge "$T/part-app.json" "$T/empty.json"
echo '{"schema_version": 1}' >"$T/bad.json"; echo 'not json' >"$T/bad2.json"
check_exit "merge: not a report" 2 "$RELGATE" merge "$T/bad.json"
grep -q "^relgate: $T/bad.json: " "$TEST_TMP/last.err" && ok "merge: names the bad file" || not_ok "merge: names the bad file" "$(cat "$TEST_TMP/last.err")"
check_exit "merge: not JSON" 2 "$RELGATE" merge "$T/bad2.json"
check_exit "merge: missing file" 2 "$RELGATE" merge "$T/nonexistent.json"
[ "$(cat "$TEST_TMP/last.err")" = "relgate: $T/nonexistent.json: No such file or directory" ] &&
	ok "merge: one line names the missing file" || not_ok "merge: one line names the missing file" "$(cat "$TEST_TMP/last.err")"
mkdir "$T/dir.json"
check_exit "merge: a directory" 2 "$RELGATE" merge "$T/dir.json"
[ "$(wc -l <"$TEST_TMP/last.err")" = 1 ] && grep -q "^relgate: $T/dir.json: read error" "$TEST_TMP/last.err" &&
	ok "merge: one line names the unreadable file" || not_ok "merge: one line names the unreadable file" "$(cat "$TEST_TMP/last.err")"
check_exit "merge: no parts" 2 "$RELGATE" merge
check_exit "merge: bad format" 2 "$RELGATE" merge --format xml "$T/part-app.json"
