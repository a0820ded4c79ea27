#!/bin/sh
# test_action_workflow.sh - .github/workflows/action.yml, the workflow that
# runs the action on the demo repository on Linux and macOS. GitHub is not
# reachable from the tests, so this checks what can be checked here: the
# file parses (PyYAML), runs the local action on ubuntu-latest and
# macos-latest, every `run:` script is valid bash (bash -n), and its notes
# round trip script runs for real on the demo repository (examples/
# make-repo.sh) with this relgate: publish main into a bare origin, drop
# and fetch the ref, then check builds only the head (oracle: relgate's
# progress lines, and git for-each-ref on the origin).
. "$ROOT/tests/lib.sh"
git_test_env
T=$TEST_TMP
WF=$ROOT/.github/workflows/action.yml

python3 - "$WF" "$T" >"$T/py.out" 2>&1 <<'PY'
import os, sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
out = sys.argv[2]
job = wf["jobs"]["demo"]
def check(name, cond):
    print(("ok - %s" % name) if cond else ("not ok - %s: no" % name))
check("workflow: matrix runs on ubuntu-latest and macos-latest",
      sorted(job["strategy"]["matrix"]["os"]) == ["macos-latest", "ubuntu-latest"])
check("workflow: runs-on the matrix os", job["runs-on"] == "${{ matrix.os }}")
uses = [s.get("uses", "") for s in job["steps"]]
check("workflow: uses the local action", "./.github/actions/relgate" in uses)
check("workflow: checks out full history", any(s.get("with", {}).get("fetch-depth") == 0 for s in job["steps"]))
check("workflow: triggered by changes to the action", all(
    ".github/actions/relgate/**" in wf[True][ev]["paths"] for ev in ("push", "pull_request")))
for i, s in enumerate(job["steps"]):
    if "run" in s:
        open(os.path.join(out, "run%d.sh" % i), "w").write(s["run"])
        if s.get("name", "").startswith("Notes"):
            open(os.path.join(out, "notes.sh"), "w").write(s["run"])
PY
cat "$T/py.out"
for f in "$T"/run*.sh; do
	bash -n "$f" 2>"$T/bash.err" && ok "workflow: $(basename "$f") is valid bash" ||
		not_ok "workflow: $(basename "$f") is valid bash" "$(cat "$T/bash.err")"
done

need go || { skip "workflow: notes round trip on the demo" "Go not installed"; exit 0; }
export RUNNER_TEMP="$T/runner" HOME="$T/home"
mkdir -p "$RUNNER_TEMP" "$HOME/.cache/relgate-bin"
ln -s "$RELGATE" "$HOME/.cache/relgate-bin/relgate"
"$ROOT/examples/make-repo.sh" "$RUNNER_TEMP/netd" >/dev/null
git clone -q --bare "$RUNNER_TEMP/netd" "$RUNNER_TEMP/netd-origin.git"
git -C "$RUNNER_TEMP/netd" remote add origin "$RUNNER_TEMP/netd-origin.git"
(cd "$RUNNER_TEMP/netd" && bash -eo pipefail "$T/notes.sh") >"$T/notes.out" 2>&1
check_eq "workflow: notes round trip script succeeds on the demo" 0 "$?"
check_eq "workflow: the demo's origin holds refs/notes/relgate" refs/notes/relgate \
	"$(git --git-dir="$RUNNER_TEMP/netd-origin.git" for-each-ref --format='%(refname)' refs/notes)"
# err.log: the check's stderr, kept by the script.
log=$RUNNER_TEMP/netd/err.log
grep -q '\[head [0-9a-f]*\] building netd-linux' "$log" && ! grep -q '\[base [0-9a-f]*\] building' "$log" &&
	ok "workflow: the check after the fetch built only the head" ||
	not_ok "workflow: the check after the fetch built only the head" "$(tail -n 8 "$log")"
