#!/bin/sh
# test_action_steps.sh - the shell steps of .github/actions/relgate run one
# by one with the environment a runner gives them (GITHUB_OUTPUT,
# GITHUB_STEP_SUMMARY, GITHUB_BASE_REF, GITHUB_EVENT_NAME, RUNNER_TEMP and
# the step's env:). Oracles: git (merge-base, rev-parse) for the revisions;
# a stand-in of the GitHub REST API (python http.server, written here from
# the "Issue comments" endpoints) recording what the comment step sends.
. "$ROOT/tests/lib.sh"

git_test_env
T=$TEST_TMP
STEP="$ROOT/.github/actions/relgate/relgate.sh"
export GITHUB_ACTIONS=true RUNNER_TEMP="$T/runner" HOME="$T/home"
mkdir -p "$RUNNER_TEMP" "$HOME"

# step NAME [VAR=VALUE...]: runs one step in a fresh GITHUB_OUTPUT; stdout
# in $T/step.out, exit code in $rc, outputs readable with out NAME.
step() {
	name=$1; shift
	: >"$T/output"; : >"$T/summary"
	env GITHUB_OUTPUT="$T/output" GITHUB_STEP_SUMMARY="$T/summary" "$@" \
		sh "$STEP" "$name" >"$T/step.out" 2>"$T/step.err"
	rc=$?
}
out() { sed -n "s/^$1=//p" "$T/output" | tail -n 1; }

# A repository as actions/checkout leaves it for a pull request: origin has
# main (two commits) and feature (branched at the first), HEAD is the merge.
origin=$T/origin.git work=$T/work
git init -q -b main "$T/seed"
git -C "$T/seed" commit -q --allow-empty -m b0
git -C "$T/seed" checkout -q -b feature
echo f >"$T/seed/f"; git -C "$T/seed" add f; git -C "$T/seed" commit -q -m f1
git -C "$T/seed" checkout -q main
echo m >"$T/seed/m"; git -C "$T/seed" add m; git -C "$T/seed" commit -q -m b1
git clone -q --bare "$T/seed" "$origin"
git clone -q "$origin" "$work"
F=$(git -C "$work" rev-parse origin/feature)
git -C "$work" checkout -q --detach origin/main
git -C "$work" merge -q --no-ff -m merge "$F"
MB=$(git -C "$work" merge-base origin/main "$F")

step revisions WORKDIR="$work" GITHUB_EVENT_NAME=pull_request GITHUB_BASE_REF=main PR_HEAD_SHA="$F"
check_eq "revisions (pull request): exit 0" 0 "$rc"
check_eq "revisions (pull request): head is the PR head, not the merge" "$F" "$(out head)"
check_eq "revisions (pull request): base is the merge base with origin/main" "$MB" "$(out base)"
check_eq "revisions (pull request): base_tree" "$(git -C "$work" rev-parse "$MB^{tree}")" "$(out base_tree)"
[ "$MB" != "$(git -C "$work" rev-parse origin/main)" ] && ok "oracle: the merge base is not the base branch's tip" || not_ok "oracle: the merge base is not the base branch's tip" "fixture"

# The base branch not fetched yet: the step fetches it.
git -C "$work" update-ref -d refs/remotes/origin/main
step revisions WORKDIR="$work" GITHUB_EVENT_NAME=pull_request GITHUB_BASE_REF=main PR_HEAD_SHA="$F"
check_eq "revisions: fetches a missing base branch" "$MB" "$(out base)"

# Push: base is github.event.before; a new branch (zeros) falls back to HEAD^.
B0=$(git -C "$work" rev-parse "$MB")
step revisions WORKDIR="$work" GITHUB_EVENT_NAME=push PUSH_BEFORE="$B0"
check_eq "revisions (push): base is event.before" "$B0" "$(out base)"
check_eq "revisions (push): head is HEAD" "$(git -C "$work" rev-parse HEAD)" "$(out head)"
step revisions WORKDIR="$work" GITHUB_EVENT_NAME=push PUSH_BEFORE=0000000000000000000000000000000000000000
check_eq "revisions (push of a new branch): base is HEAD^" "$(git -C "$work" rev-parse HEAD^)" "$(out base)"
step revisions WORKDIR="$work" INPUT_BASE="$B0" INPUT_HEAD="$F"
check_eq "revisions: explicit inputs win" "$B0 $F" "$(out base) $(out head)"
step revisions WORKDIR="$work" INPUT_BASE=no-such-rev
check_eq "revisions: unknown base exits 3" 3 "$rc"

# A shallow clone: exit 3 and an ::error naming fetch-depth: 0.
git clone -q --depth 1 "file://$origin" "$T/shallow" 2>/dev/null
step revisions WORKDIR="$T/shallow" GITHUB_EVENT_NAME=pull_request GITHUB_BASE_REF=main
check_eq "revisions (shallow clone): exit 3" 3 "$rc"
grep -q '^::error .*fetch-depth: 0' "$T/step.out" && ok "revisions (shallow clone): ::error names fetch-depth: 0" || not_ok "revisions (shallow clone): ::error names fetch-depth: 0" "$(cat "$T/step.out")"

# check with a relgate that fails (exit 3 and a message): an ::error with
# relgate's last line, the summary says it could not judge, exit-code=3,
# and the step itself succeeds so the artifact/comment steps still run.
cat >"$T/failing-relgate" <<'FAKE'
#!/bin/sh
echo "[base 1234567] building app" >&2
echo "relgate: build of app failed on the head side; log: /tmp/x.log" >&2
exit 3
FAKE
chmod +x "$T/failing-relgate"
step check RELGATE="$T/failing-relgate" WORKDIR="$work" BASE="$B0" HEAD_COMMIT="$F"
check_eq "check (relgate exit 3): the step succeeds" 0 "$rc"
check_eq "check (relgate exit 3): exit-code output" 3 "$(out exit-code)"
grep -q '^::error title=relgate::relgate check failed (exit 3): relgate: build of app failed' "$T/step.out" && ok "check (relgate exit 3): ::error carries relgate's message" || not_ok "check (relgate exit 3): ::error carries relgate's message" "$(cat "$T/step.out")"
grep -q 'could not judge (exit 3)' "$T/summary" && ok "check (relgate exit 3): job summary says so" || not_ok "check (relgate exit 3): job summary says so" "$(cat "$T/summary")"
grep -q 'building app' "$T/step.err" && ok "check: relgate's progress stays in the log" || not_ok "check: relgate's progress stays in the log" "$(cat "$T/step.err")"

# The arguments the check step passes (a stand-in that prints them).
cat >"$T/args-relgate" <<'FAKE'
#!/bin/sh
printf '%s\n' "$*" >"$RUNNER_TEMP/args"
exit 1
FAKE
chmod +x "$T/args-relgate"
step check RELGATE="$T/args-relgate" WORKDIR="$work" BASE="$B0" HEAD_COMMIT="$F" INPUT_TARGETS="app lib" INPUT_ARGS="--jobs 2"
J=$RUNNER_TEMP/relgate-report.json M=$RUNNER_TEMP/relgate-summary.md
check_eq "check: arguments" "check --cache-dir $HOME/.cache/relgate --json-out $J --markdown-out $M --head $F --base $B0 --target app --target lib --jobs 2" "$(cat "$RUNNER_TEMP/args")"
check_eq "check (relgate exit 1): exit-code output" 1 "$(out exit-code)"
mkdir -p "$T/parts"; echo '{}' >"$T/parts/a.json"; echo '{}' >"$T/parts/b.json"
step check RELGATE="$T/args-relgate" INPUT_MERGE="$T/parts/*.json"
check_eq "check (merge mode): relgate merge of the expanded glob" "merge --json-out $J --markdown-out $M $T/parts/a.json $T/parts/b.json" "$(cat "$RUNNER_TEMP/args")"

# verdict: 0 passes, 1 fails unless fail-on-breach is false, 2/3 fail.
for c in "0 true 0" "1 true 1" "1 false 0" "2 false 2" "3 true 3" "_ true 2"; do
	set -- $c
	code=$1; [ "$code" = _ ] && code=""
	step verdict EXIT_CODE="$code" FAIL_ON_BREACH="$2"
	check_eq "verdict: exit-code '$code', fail-on-breach $2" "$3" "$rc"
done

# comment: a stand-in REST API. It keeps comments in memory, logs
# "METHOD PATH" lines, and answers 403 to writes when FORK is in its argv.
cat >"$T/api.py" <<'PY'
import json, sys, threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse
log, fork = open(sys.argv[1], "a"), len(sys.argv) > 3
comments = [{"id": 1, "body": "an unrelated comment"}]
class H(BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def reply(self, code, obj):
        data = json.dumps(obj).encode()
        self.send_response(code); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data))); self.end_headers(); self.wfile.write(data)
    def body(self):
        return json.loads(self.rfile.read(int(self.headers["Content-Length"])))
    def do_GET(self):
        log.write("GET %s %s\n" % (self.path, self.headers.get("Authorization"))); log.flush()
        q = parse_qs(urlparse(self.path).query)
        page = int(q.get("page", ["1"])[0])
        self.reply(200, comments if page == 1 else [])
    def do_POST(self):
        b = self.body(); log.write("POST %s\n" % self.path); log.flush()
        if fork: return self.reply(403, {"message": "Resource not accessible by integration"})
        c = {"id": 100 + len(comments), "body": b["body"]}; comments.append(c); self.reply(201, c)
    def do_PATCH(self):
        b = self.body(); log.write("PATCH %s\n" % self.path); log.flush()
        cid = int(self.path.rsplit("/", 1)[1])
        for c in comments:
            if c["id"] == cid: c["body"] = b["body"]; return self.reply(200, c)
        self.reply(404, {})
srv = HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[2], "w").write(str(srv.server_port))
srv.serve_forever()
PY
start_api() { # LOG [fork]
	rm -f "$T/port"
	python3 "$T/api.py" "$1" "$T/port" ${2:-} &
	api_pid=$!
	i=0; while [ ! -s "$T/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	GITHUB_API_URL="http://127.0.0.1:$(cat "$T/port")"
	export GITHUB_API_URL GITHUB_REPOSITORY=octo/repo
}
printf '## relgate\n\n| target | status |\n| --- | --- |\n| app | fail |\n' >"$T/summary.md"
if need curl; then
	start_api "$T/api.log"
	step comment GH_TOKEN=tok PR_NUMBER=7 MARKDOWN="$T/summary.md"
	check_eq "comment: first run succeeds" 0 "$rc"
	check_eq "comment: first run creates it" "POST /repos/octo/repo/issues/7/comments" "$(grep -v '^GET' "$T/api.log")"
	grep -q '^GET /repos/octo/repo/issues/7/comments?per_page=100&page=1 Bearer tok$' "$T/api.log" && ok "comment: lists with the token" || not_ok "comment: lists with the token" "$(cat "$T/api.log")"
	first=$(out comment-id)
	: >"$T/api.log"
	step comment GH_TOKEN=tok PR_NUMBER=7 MARKDOWN="$T/summary.md"
	check_eq "comment: second run updates the same comment" "PATCH /repos/octo/repo/issues/comments/$first" "$(grep -v '^GET' "$T/api.log")"
	check_eq "comment: same id" "$first" "$(out comment-id)"
	kill "$api_pid" 2>/dev/null; wait "$api_pid" 2>/dev/null
	start_api "$T/api-fork.log" fork
	step comment GH_TOKEN=readonly PR_NUMBER=8 MARKDOWN="$T/summary.md"
	check_eq "comment (fork, read-only token): the step succeeds" 0 "$rc"
	grep -q '^::notice title=relgate::the token cannot comment.*HTTP 403' "$T/step.out" && ok "comment (fork): a notice, not a failure" || not_ok "comment (fork): a notice, not a failure" "$(cat "$T/step.out")"
	kill "$api_pid" 2>/dev/null; wait "$api_pid" 2>/dev/null
else
	skip "comment against a stand-in API" "curl missing"
fi
step comment GH_TOKEN= PR_NUMBER=7 MARKDOWN="$T/summary.md"
check_eq "comment: no token, no failure" 0 "$rc"
step comment GH_TOKEN=tok PR_NUMBER= MARKDOWN="$T/summary.md"
grep -q 'not a pull request' "$T/step.out" && ok "comment: not a pull request, says so" || not_ok "comment: not a pull request, says so" "$(cat "$T/step.out")"

# source-key: stable, and changes with the sources.
step source-key
k1=$(out key)
step source-key
check_eq "source-key: stable" "$k1" "$(out key)"
[ -n "$k1" ] && ok "source-key: not empty ($k1)" || not_ok "source-key: not empty" "empty"
check_exit "unknown step: exit 2" 2 sh "$STEP" frobnicate

# setup installs only what relgate needs. macOS (uname and brew stand-ins:
# pkg-config and libyaml present, libgit2 and cjson missing): one brew
# install of the two missing formulae, and no Go.
mkdir -p "$T/mac-bin" "$T/deb-bin"
cat >"$T/mac-bin/uname" <<'SH'
#!/bin/sh
echo Darwin
SH
cat >"$T/mac-bin/brew" <<'SH'
#!/bin/sh
echo "brew $*" >>"$BREW_LOG"
case "$1 $3" in
"list pkg-config" | "list libyaml") echo "$3 1.0"; exit 0 ;;
list*) exit 1 ;;
esac
exit 0
SH
chmod +x "$T/mac-bin/uname" "$T/mac-bin/brew"
: >"$T/brew.log"
step setup PATH="$T/mac-bin:$PATH" BREW_LOG="$T/brew.log"
check_eq "setup (macOS): exit 0" 0 "$rc"
check_eq "setup (macOS): brew installs only the missing relgate dependencies" "brew install libgit2 cjson" \
	"$(grep -v '^brew list' "$T/brew.log")"
# Linux: dpkg-query and apt-get stand-ins; everything relgate needs is
# there, Go is not: nothing is installed (Go is the project's business).
cat >"$T/deb-bin/dpkg-query" <<'SH'
#!/bin/sh
for a; do p=$a; done
[ "$p" = golang-go ] && exit 1
echo "install ok installed"
SH
cat >"$T/deb-bin/apt-get" <<'SH'
#!/bin/sh
echo "apt-get $*" >>"$APT_LOG"
SH
chmod +x "$T/deb-bin/dpkg-query" "$T/deb-bin/apt-get"
: >"$T/apt.log"
step setup PATH="$T/deb-bin:$PATH" APT_LOG="$T/apt.log"
check_eq "setup (Linux): exit 0" 0 "$rc"
check_eq "setup (Linux): nothing installed when relgate's packages are there (Go absent)" "" "$(cat "$T/apt.log")"

# source-key: the relgate binary's cache key names the libgit2 built against.
step source-key
check_eq "source-key: ends with the libgit2 version pkg-config reports" \
	"libgit2-$(pkg-config --modversion libgit2)" "$(out key | sed 's/.*-\(libgit2-\)/\1/')"

# revisions: only a run on the default branch that is not a pull request is trusted.
step revisions WORKDIR="$work" GITHUB_EVENT_NAME=push GITHUB_REF=refs/heads/main DEFAULT_BRANCH=main PUSH_BEFORE="$B0"
check_eq "revisions: push to the default branch" true "$(out trusted)"
step revisions WORKDIR="$work" GITHUB_EVENT_NAME=push GITHUB_REF=refs/heads/feature DEFAULT_BRANCH=main PUSH_BEFORE="$B0"
check_eq "revisions: push to another branch" false "$(out trusted)"
step revisions WORKDIR="$work" GITHUB_EVENT_NAME=pull_request GITHUB_REF=refs/heads/main DEFAULT_BRANCH=main GITHUB_BASE_REF=main PR_HEAD_SHA="$F"
check_eq "revisions: a pull request is never trusted" false "$(out trusted)"

# publish refuses in a pull-request event whatever calls it.
step publish WORKDIR="$work" GITHUB_EVENT_NAME=pull_request_target RELGATE="$RELGATE" HEAD_COMMIT="$F"
check_eq "publish step in a pull_request_target event: fails" 2 "$rc"
check_eq "publish step in a pull_request_target event: no notes written" "" "$(git -C "$work" for-each-ref refs/notes)"
