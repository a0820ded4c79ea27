#!/bin/sh
# relgate check when it cannot judge: a build failing on the head or on the
# base side, a missing artifact, a build over its timeout, a base commit
# not in the object database (unknown id, deleted object), a shallow clone,
# no relgate.yml. Each must exit 3 (2 for configuration) with a message
# that says what to do, and leave no temporary directory behind.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/e2e/check_lib.sh"

export TMPDIR="$TEST_TMP/tmp"
mkdir -p "$TMPDIR"

r=$TEST_TMP/fails
new_repo "$r" 4
git -C "$r" checkout -q -b feature
cd "$r" || exit 1

# --- head does not compile
echo 'this is not C;' >>main.c
git commit -q -am "break the build"
check_exit "head build fails: exit 3" 3 "$RELGATE" check --cache-dir "$CACHE"
grep -q "head build of app" "$TEST_TMP/last.err" && ok "head build fails: names the side and target" ||
	not_ok "head build fails: names the side and target" "$(head -c 500 "$TEST_TMP/last.err")"
grep -q "error" "$TEST_TMP/last.err" && ok "head build fails: shows the log's tail" ||
	not_ok "head build fails: shows the log's tail" "$(head -c 500 "$TEST_TMP/last.err")"
log=$(sed -n 's/.*--- log: //p' "$TEST_TMP/last.err" | tail -n 1)
[ -n "$log" ] && [ -f "$log" ] && grep -q "this is not C" "$log" && ok "head build fails: the log path exists and holds the compiler's error" ||
	not_ok "head build fails: the log path exists and holds the compiler's error" "log='$log'"
[ -n "$log" ] && rm -rf "$(dirname "$log")"
check_eq "head build fails: no temporary directory left" 0 "$(relgate_tmp_left "$TMPDIR")"
git reset -q --hard HEAD~1

# --- base does not compile (the head fixes it)
git checkout -q -b broken-base main
echo 'int broken(' >>main.c
git commit -q -am "broken base"
git checkout -q -b fix
commit_n "$r" 4 "fix"
check_exit "base build fails: exit 3" 3 "$RELGATE" check --base broken-base --cache-dir "$CACHE"
grep -q "base build of app" "$TEST_TMP/last.err" && ok "base build fails: names the side" ||
	not_ok "base build fails: names the side" "$(head -c 500 "$TEST_TMP/last.err")"
log=$(sed -n 's/.*--- log: //p' "$TEST_TMP/last.err" | tail -n 1)
[ -n "$log" ] && [ -f "$log" ] && ok "base build fails: log kept" || not_ok "base build fails: log kept" "log='$log'"
[ -n "$log" ] && rm -rf "$(dirname "$log")"
check_eq "base build fails: no temporary directory left" 0 "$(relgate_tmp_left "$TMPDIR")"
git checkout -q feature

# --- the build succeeds but the artifact is not where relgate.yml says
m=$TEST_TMP/missing
new_repo "$m" 4
sed 's|artifact: .*|artifact: $RELGATE_OUT/not-there|' "$m/relgate.yml" >"$m/y" && mv "$m/y" "$m/relgate.yml"
git -C "$m" commit -q -am "wrong artifact"
(cd "$m" && check_exit "missing artifact: exit 3" 3 "$RELGATE" check --base HEAD~1 --budgets-from head --no-cache)
grep -q "not-there" "$TEST_TMP/last.err" && ok "missing artifact: names the path" ||
	not_ok "missing artifact: names the path" "$(head -c 400 "$TEST_TMP/last.err")"

# --- timeout: the whole process group is killed
t=$TEST_TMP/timeout
new_repo "$t" 4
write_yml "$t/relgate.yml" "$TEST_TMP/counter.timeout" 50 16 "    timeout: 1s"
sed 's|build: |build: sh -c "sleep 60; echo done" \& echo $! > "'"$TEST_TMP"'/sleeper.pid"; wait; |' \
	"$t/relgate.yml" >"$t/y" && mv "$t/y" "$t/relgate.yml"
git -C "$t" commit -q -am "slow build"
start=$(date +%s)
(cd "$t" && check_exit "timeout: exit 3" 3 "$RELGATE" check --base HEAD --no-cache)
grep -q "timed out" "$TEST_TMP/last.err" && ok "timeout: says so" || not_ok "timeout: says so" "$(head -c 400 "$TEST_TMP/last.err")"
[ $(($(date +%s) - start)) -lt 30 ] && ok "timeout: did not wait for the build" || not_ok "timeout: did not wait for the build" "took $(($(date +%s) - start)) s"
sleep 0.5
pid=$(cat "$TEST_TMP/sleeper.pid" 2>/dev/null)
if [ -n "$pid" ] && alive "$pid"; then
	not_ok "timeout: the build's children were killed" "pid $pid alive"; kill "$pid"
else ok "timeout: the build's children were killed"; fi
for l in "$TMPDIR"/relgate-*; do [ -d "$l" ] && rm -rf "$l"; done

# --- a base that is not in the object database
check_exit "unknown commit id: exit 3" 3 "$RELGATE" check --base 0123456789abcdef0123456789abcdef01234567 --cache-dir "$CACHE"
grep -q "fetch" "$TEST_TMP/last.err" && ok "unknown commit id: says to fetch" || not_ok "unknown commit id: says to fetch" "$(cat "$TEST_TMP/last.err")"
d=$TEST_TMP/damaged
git clone -q "$r" "$d"
(cd "$d" && git checkout -q -b side origin/feature && commit_n "$d" 8 "more")
tree=$(git -C "$d" rev-parse "origin/main^{tree}")
rm -f "$d/.git/objects/$(echo "$tree" | cut -c1-2)/$(echo "$tree" | cut -c3-)"
(cd "$d" && check_exit "base tree missing from the odb: exit 3" 3 "$RELGATE" check --base origin/main --cache-dir "$TEST_TMP/cache-damaged")
grep -qi "object database" "$TEST_TMP/last.err" && ok "base tree missing: says so" || not_ok "base tree missing: says so" "$(cat "$TEST_TMP/last.err")"

# --- shallow clone
s=$TEST_TMP/shallow
git clone -q --depth 1 --branch feature "file://$r" "$s"
(cd "$s" && check_exit "shallow clone: exit 3" 3 "$RELGATE" check --cache-dir "$CACHE")
grep -q "fetch-depth: 0" "$TEST_TMP/last.err" && grep -q "unshallow" "$TEST_TMP/last.err" &&
	ok "shallow clone: names the fix" || not_ok "shallow clone: names the fix" "$(cat "$TEST_TMP/last.err")"

# --- partial clone: blobs are not local
git -C "$r" config uploadpack.allowFilter true
p=$TEST_TMP/partial
git clone -q --filter=blob:none --no-checkout --branch feature "file://$r" "$p"
# (libgit2 leaks pcre2 match data opening a format-1 repository: suppressed)
(cd "$p" && check_exit "partial clone: exit 3" 3 env LSAN_OPTIONS="suppressions=$ROOT/tests/e2e/check_lsan.supp" \
	"$RELGATE" check --base origin/main --cache-dir "$CACHE")
grep -q "partial clone" "$TEST_TMP/last.err" && grep -q "filter" "$TEST_TMP/last.err" &&
	ok "partial clone: names the fix" || not_ok "partial clone: names the fix" "$(cat "$TEST_TMP/last.err")"

# --- on GitHub Actions a tool failure is also an ::error annotation
(cd "$s" && check_exit "GitHub Actions: shallow clone still exit 3" 3 env GITHUB_ACTIONS=true "$RELGATE" check --cache-dir "$CACHE")
grep -q "^::error title=relgate check::.*fetch-depth: 0" "$TEST_TMP/last.out" && ok "GitHub Actions: the failure is an ::error annotation" ||
	not_ok "GitHub Actions: the failure is an ::error annotation" "$(cat "$TEST_TMP/last.out")"

# --- no budgets at all
n=$TEST_TMP/nobudgets
mkdir -p "$n" && git -C "$n" init -q && echo x >"$n/f" && git -C "$n" add f && git -C "$n" commit -q -m x
(cd "$n" && check_exit "no relgate.yml: exit 2" 2 "$RELGATE" check --base HEAD)
grep -q "no relgate.yml in base [0-9a-f]* or head [0-9a-f]* (write one with .relgate init., or name a budget file on disk with --config FILE" "$TEST_TMP/last.err" &&
	ok "no relgate.yml: says what to do" || not_ok "no relgate.yml: says what to do" "$(cat "$TEST_TMP/last.err")"
# The first run: written, not yet committed.
printf 'version: 1\n' >"$n/relgate.yml"
(cd "$n" && check_exit "relgate.yml not committed: exit 2" 2 "$RELGATE" check --base HEAD)
grep -q "the one in your working tree is not committed: commit it .* --budgets-from worktree" "$TEST_TMP/last.err" &&
	ok "relgate.yml not committed: says commit it or --budgets-from worktree" ||
	not_ok "relgate.yml not committed: says commit it or --budgets-from worktree" "$(cat "$TEST_TMP/last.err")"
(cd "$TEST_TMP" && check_exit "not a repository: exit 2" 2 "$RELGATE" check)

# --- builds this machine cannot run: the failure says what to do
m=$TEST_TMP/machine
mkdir -p "$m/go" && git -C "$m" init -q
printf 'package main\n\nfunc main() {}\n' >"$m/go/main.go"
printf 'module example.com/m\n\ngo 1.19\n' >"$m/go/go.mod"
cat >"$m/relgate.yml" <<'YML'
version: 1
targets:
  tool:
    build: relgate-no-such-tool-here -o "$RELGATE_OUT/app"
    artifact: $RELGATE_OUT/app
  ios:
    build: cd go && GOOS=ios GOARCH=arm64 go build -o "$RELGATE_OUT/app" .
    artifact: $RELGATE_OUT/app
YML
git -C "$m" add -A && git -C "$m" commit -q -m base && git -C "$m" commit -q --allow-empty -m head
(cd "$m" && check_exit "a missing build tool: exit 3" 3 "$RELGATE" check --no-cache --target tool HEAD~1..HEAD)
grep -q "^relgate: hint: a command of the build is not installed on this machine" "$TEST_TMP/last.err" &&
	ok "a missing build tool: the hint says so" || not_ok "a missing build tool: the hint says so" "$(cat "$TEST_TMP/last.err")"
if need go; then
	(cd "$m" && check_exit "GOOS=ios off a Mac: exit 3" 3 "$RELGATE" check --no-cache --target ios HEAD~1..HEAD)
	grep -q "^relgate: hint: Go for GOOS=ios .*build this target on a Mac, or .*CGO_ENABLED=0 GOOS=darwin GOARCH=arm64" \
		"$TEST_TMP/last.err" && ok "GOOS=ios off a Mac: the hint names the darwin build" ||
		not_ok "GOOS=ios off a Mac: the hint names the darwin build" "$(cat "$TEST_TMP/last.err")"
fi
find "$TMPDIR" -maxdepth 1 \( -name "relgate-head-*" -o -name "relgate-base-*" \) -exec rm -rf {} + 2>/dev/null

check_eq "no temporary directory left by any failure" 0 "$(relgate_tmp_left "$TMPDIR")"
