#!/bin/sh
# test_config_option.sh - `--config PATH` of check, report and bisect: one
# option, two meanings (docs/budgets.md "Where the budgets come from").
#   - a file on disk outside the repository, or new (untracked) in the
#     working tree: the user's file; both sides are built with its targets
#     although no commit holds a relgate.yml;
#   - a path inside the commits (a monorepo's services/app/relgate.yml):
#     read from the base, so a head that loosens it is still judged by the
#     base's limits; named from the root, or as a tracked file from a
#     subdirectory.
# Builds copy one of three binaries made here with cc; readelf counts their
# R_X86_64_RELATIVE-style relocations (the oracle), a build counter counts
# the builds, and Python reads the JSON and Markdown reports back.
. "$ROOT/tests/lib.sh"

git_test_env
T=$TEST_TMP
need cc readelf python3 || { skip "config option" "needs cc, readelf, python3"; exit 0; }

# Three binaries with 10, 20 and 30 more pointers to relocate than none.
for n in 1 2 3; do
	ptr_app "$T/v$n.c" $((n * 10))
	cc -O2 -fPIE -pie -o "$T/bin$n" "$T/v$n.c" || { not_ok "cc" "bin$n"; exit 1; }
	readelf -rW "$T/bin$n" | grep -c '_RELATIVE' >"$T/rel$n"
done
d12=$(( $(cat "$T/rel2") - $(cat "$T/rel1") ))
check_eq "oracle: readelf sees 10 more relative relocations in bin2 than bin1" 10 "$d12"

repo=$T/repo
git init -q -b main "$repo"
echo 1 >"$repo/version"
git -C "$repo" add -A && git -C "$repo" commit -q -m "version 1"
echo 2 >"$repo/version"
git -C "$repo" commit -q -a -m "version 2"
echo notes >"$repo/notes" && git -C "$repo" add notes && git -C "$repo" commit -q -m "notes"

# The user's file, outside the repository: max_increase 5 < 10.
prebuilt_budgets "$T/budgets.yml" version 5 "$T/builds"
: >"$T/builds"
cd "$repo" || exit 1
check_exit "check --config FILE outside the repository: exit 1 (grew by 10 > 5)" 1 \
	"$RELGATE" check --base main~2 --head main --config ../budgets.yml --no-cache \
	--json-out "$T/c.json" --markdown-out "$T/c.md"
check_eq "check --config FILE: both sides built with its targets" 2 "$(wc -l <"$T/builds")"
grep -q "budgets: $T/budgets.yml from the file on disk" "$T/last.out" &&
	ok "text report says the budgets came from the file on disk" ||
	not_ok "text report says the budgets came from the file on disk" "$(grep budgets "$T/last.out")"
python3 - "$T/c.json" "$T/c.md" "$T/budgets.yml" "$(cat "$T/rel1")" "$(cat "$T/rel2")" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
md = open(sys.argv[2]).read()
def check(name, want, got):
    print(("ok - %s" % name) if want == got else ("not ok - %s: expected %r, got %r" % (name, want, got)))
check("json: budgets.path is the file's absolute path", sys.argv[3], doc["budgets"]["path"])
check("json: budgets.source says on disk", "the file on disk (--config)", doc["budgets"]["source"])
v = [x for x in doc["targets"][0]["verdicts"] if x["metric"] == "relocs.relative"][0]
check("json: base value is readelf's count of bin1", int(sys.argv[4]), v["base"])
check("json: head value is readelf's count of bin2", int(sys.argv[5]), v["head"])
check("markdown: names the file and that it is on disk", True,
      ("`%s` from the file on disk" % sys.argv[3]) in md)
PY

# The same file, copied into the working tree untracked: still the user's.
cp "$T/budgets.yml" "$repo/mine.yml"
check_exit "check --config UNTRACKED.yml in the working tree: read from disk" 1 \
	"$RELGATE" check --base main~2 --head main --config mine.yml --no-cache
grep -q "from the file on disk" "$T/last.out" && ok "untracked file: on disk" ||
	not_ok "untracked file: on disk" "$(grep budgets "$T/last.out")"
rm -f "$repo/mine.yml"
check_exit "--config FILE on disk with --budgets-from head: exit 2" 2 \
	"$RELGATE" check --base main~2 --head main --config ../budgets.yml --budgets-from head
grep -q "is a file on disk" "$T/last.err" && ok "--budgets-from head: says why" ||
	not_ok "--budgets-from head: says why" "$(cat "$T/last.err")"

# Neither on disk nor in the commits: the message names both.
check_exit "--config missing.yml: exit 2" 2 "$RELGATE" check --base main~2 --head main --config missing.yml
grep -q "no such file on disk, and no missing.yml in base .* or head" "$T/last.err" &&
	ok "--config missing.yml: names the disk and the commits" ||
	not_ok "--config missing.yml: names the disk and the commits" "$(cat "$T/last.err")"
check_exit "no --config, no relgate.yml: exit 2" 2 "$RELGATE" check --base main~2 --head main
grep -q "no relgate.yml in base .*--config FILE" "$T/last.err" &&
	ok "no relgate.yml: points at --config and init" ||
	not_ok "no relgate.yml: points at --config and init" "$(cat "$T/last.err")"
check_exit "--config a directory: exit 2" 2 "$RELGATE" check --config "$T" --base main~2 --head main
check_exit "--config ../outside that does not exist: exit 2" 2 \
	"$RELGATE" check --config ../nope/relgate.yml --base main~2 --head main
grep -q "not a path inside the repository" "$T/last.err" && ok "--config ..: says why" ||
	not_ok "--config ..: says why" "$(cat "$T/last.err")"

# A monorepo: services/app/relgate.yml in the commits. The head loosens it
# (max_increase 50) while growing by 10; the base's limit (5) judges.
mkdir -p "$repo/services/app"
sed 's/max_increase: 5/max_increase: 5 /' "$T/budgets.yml" >"$repo/services/app/relgate.yml"
echo 1 >"$repo/version"
git -C "$repo" add -A && git -C "$repo" commit -q -m "app budgets, version 1"
mono_base=$(git -C "$repo" rev-parse HEAD)
echo 2 >"$repo/version"
sed -i 's/max_increase: 5 /max_increase: 50/' "$repo/services/app/relgate.yml"
git -C "$repo" commit -q -a -m "version 2, looser budget"
: >"$T/builds"
check_exit "--config services/app/relgate.yml (in the commits): the base's limit judges: exit 1" 1 \
	"$RELGATE" check --base "$mono_base" --head main --config services/app/relgate.yml --no-cache \
	--json-out "$T/m.json"
python3 - "$T/m.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
def check(name, want, got):
    print(("ok - %s" % name) if want == got else ("not ok - %s: expected %r, got %r" % (name, want, got)))
check("monorepo json: budgets.path is the path in the commits", "services/app/relgate.yml", doc["budgets"]["path"])
check("monorepo json: budgets from the base commit", True, doc["budgets"]["source"].startswith("base commit "))
check("monorepo json: the head's change to the file is reported", True, doc["budgets"]["changed"])
v = doc["targets"][0]["verdicts"][0]
check("monorepo json: the rule's file is the path in the commits", "services/app/relgate.yml", v["source"]["file"])
PY
check_exit "--config relgate.yml from services/app (a tracked file): the same, exit 1" 1 \
	sh -c "cd services/app && exec \"$RELGATE\" check --base $mono_base --head main --config relgate.yml --no-cache"
grep -q "budgets: services/app/relgate.yml from base commit" "$T/last.out" &&
	ok "tracked file from a subdirectory: read from the base commit" ||
	not_ok "tracked file from a subdirectory: read from the base commit" "$(grep budgets "$T/last.out")"
check_exit "--config services/app/relgate.yml --budgets-from head: the head's looser limit: exit 0" 0 \
	"$RELGATE" check --base "$mono_base" --head main --config services/app/relgate.yml \
	--budgets-from head --no-cache
# The working tree as the head (uncommitted): the file is read from it.
sed -i 's/max_increase: 50/max_increase: 1/' services/app/relgate.yml
check_exit "--head worktree --config services/app/relgate.yml --budgets-from head: its edit judges: exit 1" 1 \
	"$RELGATE" check --base "$mono_base" --head worktree --config services/app/relgate.yml \
	--budgets-from head --no-cache
grep -q "^budgets: services/app/relgate.yml from head worktree" "$T/last.out" &&
	ok "--head worktree: the budgets are the working tree's" ||
	not_ok "--head worktree: the budgets are the working tree's" "$(grep budgets "$T/last.out")"
git checkout -q services/app/relgate.yml
check_exit "--config services/app/relgate.yml, base without it: the head's (adopting), exit 0" 0 \
	"$RELGATE" check --base main~3 --head main --config services/app/relgate.yml --no-cache
check_exit "a tracked --config absent from both commits: exit 2" 2 \
	"$RELGATE" check --base main~4 --head main~2 --config services/app/relgate.yml
grep -q "a file HEAD tracks, so it is read from the commits" "$T/last.err" &&
	ok "tracked but absent in the commits: says both" ||
	not_ok "tracked but absent in the commits: says both" "$(cat "$T/last.err")"

# report and bisect over the history without relgate.yml (main~4..main~2).
: >"$T/builds"
check_exit "report --config FILE over commits without relgate.yml: exit 1" 1 \
	"$RELGATE" report main~4..main~2 --config "$T/budgets.yml" --cache-dir "$T/cache" --json "$T/r.json"
check_eq "report --config FILE: every commit built (3)" 3 "$(wc -l <"$T/builds")"
python3 - "$T/r.json" "$T/budgets.yml" "$(cat "$T/rel1")" "$(cat "$T/rel2")" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
def check(name, want, got):
    print(("ok - %s" % name) if want == got else ("not ok - %s: expected %r, got %r" % (name, want, got)))
check("report json: budgets from the file on disk", [sys.argv[2], "the file on disk (--config)"],
      [doc["budgets"]["path"], doc["budgets"]["source"]])
check("report json: the series is readelf's counts", [int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[4])],
      doc["series"][0]["values"]["relocs.relative"])
PY
check_exit "bisect --config FILE: exit 0" 0 \
	"$RELGATE" bisect --target app --metric relocs.relative --config "$T/budgets.yml" \
	--cache-dir "$T/cache" main~4 main~2
check_eq "bisect --config FILE: finds the commit that switched to bin2" \
	"$(git rev-parse main~3)" "$(sed -n 's/^first bad commit: \([0-9a-f]*\) .*/\1/p' "$T/last.out")"
check_exit "bisect without --config over history without relgate.yml: exit 2" 2 \
	"$RELGATE" bisect --target app --metric relocs.relative main~4 main~2
grep -q "no relgate.yml in GOOD" "$T/last.err" && ok "bisect: names GOOD" ||
	not_ok "bisect: names GOOD" "$(cat "$T/last.err")"

# The pre-push hook passes --config through RELGATE_HOOK_ARGS and then
# checks a push whose commits hold no relgate.yml (it skips them otherwise).
hk=$T/hook
git init -q --bare "$hk/remote.git"
git clone -q "$hk/remote.git" "$hk/work" 2>/dev/null
git -C "$hk/work" checkout -q -b main
echo 1 >"$hk/work/version" && git -C "$hk/work" add version && git -C "$hk/work" commit -q -m one
git -C "$hk/work" push -q origin main
(cd "$hk/work" && "$RELGATE" hook install >/dev/null 2>&1) || not_ok "hook install" "failed"
echo 2 >"$hk/work/version" && git -C "$hk/work" commit -q -a -m two
(cd "$hk/work" && RELGATE_BIN=$RELGATE git push origin main) >"$T/push1.out" 2>&1
check_eq "hook without --config: no relgate.yml, the push goes through" \
	"$(git -C "$hk/work" rev-parse main)" "$(git --git-dir="$hk/remote.git" rev-parse main)"
git --git-dir="$hk/remote.git" update-ref refs/heads/main "$(git -C "$hk/work" rev-parse main~1)"
git -C "$hk/work" fetch -q origin
(cd "$hk/work" && RELGATE_BIN=$RELGATE RELGATE_HOOK_ARGS="--config $T/budgets.yml --no-cache" \
	git push origin main) >"$T/push2.out" 2>&1
check_eq "hook with RELGATE_HOOK_ARGS=--config FILE: +10 relocations > 5, push blocked" \
	"$(git -C "$hk/work" rev-parse main~1)" "$(git --git-dir="$hk/remote.git" rev-parse main)"
grep -q "budgets: $T/budgets.yml from the file on disk" "$T/push2.out" &&
	ok "hook with --config: the report names the file" ||
	not_ok "hook with --config: the report names the file" "$(tail -n 5 "$T/push2.out")"
