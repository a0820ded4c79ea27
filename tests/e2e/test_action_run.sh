#!/bin/sh
# test_action_run.sh - the whole composite action (.github/actions/relgate/
# action.yml) run on a pull request by local-runner.py, the way a runner
# would: expressions, step outputs, `if:` conditions, actions/cache and
# upload-artifact emulated. The repository is a C program whose PR head
# adds 64 string pointers against a budget of 16 more relative relocations.
# Oracles: git merge-base for the base; binutils readelf for the growth; the
# annotation lines parsed with the toolkit's grammar (::level props::msg);
# the uploaded JSON read back. While relgate check is not available in this
# build, the run must fail cleanly (exit 2 annotated), and the real-check
# assertions are skipped.
. "$ROOT/tests/lib.sh"

git_test_env
T=$TEST_TMP
ACTION=$ROOT/.github/actions/relgate
export HOME="$T/home"
mkdir -p "$HOME"

# The project: base commit, a PR branch with the bloat, main moved on.
seed=$T/seed
git init -q -b main "$seed"
cat >"$seed/relgate.yml" <<YML
version: 1
targets:
  app:
    build: echo \$RELGATE_SIDE >>"$T/builds"; cc -O2 -fPIE -pie -o "\$RELGATE_OUT/app" app.c
    artifact: \$RELGATE_OUT/app
    budgets:
      relocs.relative: { max_increase: 16 }
YML
rule_line=$(grep -n 'relocs.relative' "$seed/relgate.yml" | cut -d: -f1)
write_app() {
	{
		echo '#include <stdio.h>'
		echo 'static const char *names[] = { "a", "b", "c", "d" };'
		[ "$1" = bloat ] && {
			printf 'static const char *extra[] = {'
			i=0; while [ $i -lt 64 ]; do printf ' "x%d",' $i; i=$((i + 1)); done
			echo ' };'
		}
		echo 'int main(int argc, char **argv) { (void)argv; puts(names[argc & 3]);'
		[ "$1" = bloat ] && echo '  puts(extra[argc & 63]);'
		echo '  return 0; }'
	} >"$seed/app.c"
}
write_app base; git -C "$seed" add -A; git -C "$seed" commit -q -m base
cc -O2 -fPIE -pie -o "$T/app.base" "$seed/app.c"
git -C "$seed" checkout -q -b feature
write_app bloat; git -C "$seed" commit -q -am "add a table"
cc -O2 -fPIE -pie -o "$T/app.bloat" "$seed/app.c"
git -C "$seed" checkout -q main
echo docs >"$seed/README"; git -C "$seed" add README; git -C "$seed" commit -q -m docs
rb=$(readelf -rW "$T/app.base" | grep -c _RELATIVE) rx=$(readelf -rW "$T/app.bloat" | grep -c _RELATIVE)
[ $((rx - rb)) -gt 16 ] && ok "oracle: readelf sees +$((rx - rb)) relative relocations (> 16)" || not_ok "oracle: fixture over budget" "$rb -> $rx"
git clone -q --bare "$seed" "$T/origin.git"
work=$T/work
git clone -q "$T/origin.git" "$work"
F=$(git -C "$work" rev-parse origin/feature)
git -C "$work" checkout -q --detach origin/main
git -C "$work" merge -q --no-ff -m "Merge feature" "$F"   # refs/pull/7/merge
MB=$(git -C "$work" merge-base origin/main "$F")

# The relgate binary comes from the action's binary cache (seeded here with
# the binary under test, under the key the source-key step computes).
GITHUB_OUTPUT=$T/key.out sh "$ACTION/relgate.sh" source-key
key=$(sed -n 's/^key=//p' "$T/key.out")
mkdir -p "$T/store/relgate-bin-Linux-X64-$key"
cp "$RELGATE" "$T/store/relgate-bin-Linux-X64-$key/relgate"

run_action() { # RESULT_NAME: a pull request's run
	cat >"$T/config.json" <<JSON
{"inputs": {"artifact-name": "relgate-report", "publish": "true"},
 "github": {"event_name": "pull_request", "token": "", "ref": "refs/pull/7/merge",
            "event": {"pull_request": {"number": 7, "head": {"sha": "$F"}},
                      "repository": {"default_branch": "main"}}},
 "env": {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_BASE_REF": "main",
         "GITHUB_REF": "refs/pull/7/merge", "GITHUB_REPOSITORY": "octo/repo"},
 "runner": {"os": "Linux", "arch": "X64", "temp": "$T/runner-$1"},
 "cache_store": "$T/store", "artifacts": "$T/artifacts-$1",
 "workdir": "$work", "result": "$T/$1.json"}
JSON
	python3 "$ACTION/local-runner.py" "$ACTION/action.yml" "$T/config.json" >"$T/$1.log" 2>&1
}
# q RESULT PYTHON_EXPR: evaluates an expression over the result JSON (r).
q() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$T/$1.json" "$2"; }

run_action first
[ -f "$T/first.json" ] || { not_ok "action ran" "$(tail -n 30 "$T/first.log")"; exit 0; }
step_of() { echo "[s for s in r['steps'] if s['id']=='$1'][0]"; }
check_eq "setup step succeeded" success "$(q first "$(step_of __step0)['outcome']")"
check_eq "relgate binary restored from the cache" true "$(q first "$(step_of bincache)['outputs']['cache-hit']")"
check_eq "build step skipped on a cache hit" skipped "$(q first "$(step_of __step3)['outcome']")"
check_eq "base: merge base of origin/main and the PR head" "$MB" "$(q first "r['outputs']['base']")"
check_eq "head: the PR head commit" "$F" "$(q first "r['outputs']['head']")"

if grep -q -e 'not available in this build' -e 'not supported by this build' "$T/first.log"; then
	check_eq "check unavailable: exit-code 2" 2 "$(q first "r['outputs']['exit-code']")"
	check_eq "check unavailable: job fails" failure "$(q first "r['status']")"
	check_eq "check unavailable: one error annotation" 1 "$(q first "len([a for a in r['annotations'] if a['level']=='error'])")"
	skip "action with the real relgate check" "$(grep -m1 -e 'not available in this build' -e 'not supported by this build' "$T/first.log")"
	exit 0
fi

check_eq "breach: exit-code 1" 1 "$(q first "r['outputs']['exit-code']")"
check_eq "breach: status output" fail "$(q first "r['outputs']['status']")"
check_eq "breach: the job fails (verdict step)" failure "$(q first "r['status']")"
check_eq "breach: ::error annotation at relgate.yml:$rule_line" "relgate.yml $rule_line" \
	"$(q first "' '.join(next((a['props'].get('file','?'), a['props'].get('line','?')) for a in r['annotations'] if a['level']=='error'))")"
check_eq "breach: the annotation names the metric" True "$(q first "any('relocs.relative' in a['message'] or 'relocation' in a['message'] for a in r['annotations'] if a['level']=='error')")"
check_eq "breach: job summary written" True "$(q first "'relocs.relative' in r['summary']")"
art=$T/artifacts-first/relgate-report/relgate-report.json
check_eq "breach: JSON report uploaded, status fail" fail "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["status"])' "$art" 2>&1)"
check_eq "pull request: the metrics cache is not saved" "" "$(ls "$T/store" | grep relgate-metrics)"
check_eq "pull request: trusted output false" false "$(q first "$(step_of rev)['outputs']['trusted']")"
check_eq "pull request: publish skipped (input publish: true)" skipped "$(q first "$(step_of publish)['outcome']")"
check_eq "pull request: no notes pushed to origin" "" "$(git --git-dir="$T/origin.git" for-each-ref refs/notes)"
check_eq "pull request: base and head built" "base head" "$(tr '\n' ' ' <"$T/builds" | sed 's/ $//')"
check_eq "binary cache key names the libgit2 built against" "libgit2-$(pkg-config --modversion libgit2)" "$(echo "$key" | sed 's/.*-\(libgit2-\)/\1/')"

# A push to the default branch (a fresh runner: empty ~/.cache/relgate):
# saves the metrics cache under its head's tree and publishes notes.
main_work=$T/main-work
git clone -q "$T/origin.git" "$main_work"
M=$(git -C "$main_work" rev-parse HEAD)
before=$(git -C "$main_work" rev-parse HEAD^)
rm -rf "$HOME/.cache/relgate"
cat >"$T/config.json" <<JSON
{"inputs": {"artifact-name": "", "publish": "true"},
 "github": {"event_name": "push", "token": "", "ref": "refs/heads/main",
            "event": {"before": "$before", "repository": {"default_branch": "main"}}},
 "env": {"GITHUB_EVENT_NAME": "push", "GITHUB_REF": "refs/heads/main",
         "GITHUB_REPOSITORY": "octo/repo"},
 "runner": {"os": "Linux", "arch": "X64", "temp": "$T/runner-push"},
 "cache_store": "$T/store", "artifacts": "$T/artifacts-push",
 "workdir": "$main_work", "result": "$T/push.json"}
JSON
python3 "$ACTION/local-runner.py" "$ACTION/action.yml" "$T/config.json" >"$T/push.log" 2>&1
check_eq "push to main: passes" 0 "$(q push "r['outputs']['exit-code']")"
check_eq "push to the default branch: trusted" true "$(q push "$(step_of rev)['outputs']['trusted']")"
check_eq "push to main: metrics cache saved under the head's tree" \
	"relgate-metrics-Linux-$(git -C "$main_work" rev-parse "HEAD^{tree}")-" "$(ls "$T/store" | grep relgate-metrics)"
check_eq "push to main: publish ran" success "$(q push "$(step_of publish)['outcome']")"
check_eq "push to main: origin has refs/notes/relgate" refs/notes/relgate \
	"$(git --git-dir="$T/origin.git" for-each-ref --format='%(refname)' refs/notes)"
check_eq "push to main: the note is on the pushed commit, one line for target app" 1 \
	"$(git --git-dir="$T/origin.git" notes --ref relgate show "$M" 2>/dev/null | grep -c '"target":"app"')"

# The pull request again on a fresh runner: restores the cache the push
# saved (its base's metrics among them) and fetches the notes; builds only
# its head; saves nothing.
rm -rf "$HOME/.cache/relgate"
: >"$T/builds"
run_action second
check_eq "second run: metrics cache restored from the default branch's save" \
	"relgate-metrics-Linux-$(git -C "$main_work" rev-parse "HEAD^{tree}")-" "$(q second "$(step_of metrics)['outputs']['cache-matched-key']")"
check_eq "second run: notes fetched" "$(git --git-dir="$T/origin.git" rev-parse refs/notes/relgate)" "$(q second "$(step_of notes)['outputs']['notes']")"
check_eq "second run: only the head built" head "$(tr '\n' ' ' <"$T/builds" | sed 's/ $//')"
check_eq "second run: same verdict" 1 "$(q second "r['outputs']['exit-code']")"
check_eq "second run: still one metrics cache entry (a pull request saves nothing)" 1 "$(ls "$T/store" | grep -c relgate-metrics)"
