#!/bin/sh
# test_hook_push.sh - the pre-push hook (installed with `relgate hook
# install`) under real `git push` to a bare remote made here. relgate check
# is replaced by a stand-in (RELGATE_BIN) that logs its arguments and exits
# with the code the test asks for, so this checks the hook's own job: which
# base and head it asks about (oracle: git rev-parse / git merge-base), that
# exit 1 and 2/3 block the push (oracle: the remote's refs afterwards), that
# deletions, RELGATE_SKIP=1 and --no-verify skip, chaining, SHA-256 ids,
# the pre-commit framework's PRE_COMMIT_FROM_REF/TO_REF, and a missing
# TMPDIR.
# test_hook_e2e.sh runs the same hook with the real relgate check.
. "$ROOT/tests/lib.sh"

git_test_env

T=$TEST_TMP
log=$T/fake.log
cat >"$T/fake-relgate" <<'FAKE'
#!/bin/sh
echo "$*" >>"$FAKE_LOG"
echo "FAKE REPORT for $*"
exit "${FAKE_RC:-0}"
FAKE
chmod +x "$T/fake-relgate"
export RELGATE_BIN="$T/fake-relgate" FAKE_LOG="$log"

# push NAME_OF_LOG ARGS...: git push in $work, output in $T/push.out
push() { : >"$log"; git -C "$work" push "$@" >"$T/push.out" 2>&1; }
remote_oid() { git --git-dir="$remote" rev-parse -q --verify "$1" 2>/dev/null || echo none; }
commit() { echo "$1" >>"$work/f" && git -C "$work" add f && git -C "$work" commit -qm "$1"; }
said() { # NAME PATTERN: the push output contains PATTERN
	if grep -q -- "$2" "$T/push.out"; then ok "$1"; else not_ok "$1" "no '$2' in: $(tr '\n' '|' <"$T/push.out" | head -c 600)"; fi
}
logged() { # NAME EXPECTED_ARGS
	check_eq "$1" "$2" "$(cat "$log")"
}

setup() { # FORMAT [DIR]
	remote=$T/${2:-$1}/remote.git work=$T/${2:-$1}/work
	git init -q --bare --object-format="$1" "$remote"
	git init -q -b main --object-format="$1" "$work"
	git -C "$work" remote add origin "$remote"
	# libgit2 1.5 cannot open SHA-256 repositories: copy the hook there.
	if [ "$1" = sha1 ]; then
		(cd "$work" && "$RELGATE" hook install >/dev/null) || not_ok "hook install ($1)" "failed"
	else
		cp "$ROOT/hooks/pre-push" "$work/.git/hooks/pre-push"
	fi
}

# A repository without relgate.yml: nothing to gate, whatever relgate says.
setup sha1 nobudgets
commit one
git -C "$work" push -q --no-verify origin main 2>/dev/null
commit two
FAKE_RC=1 push origin main
check_eq "no relgate.yml: push goes through" "$(git -C "$work" rev-parse main)" "$(remote_oid main)"
said "no relgate.yml: says so" "no relgate.yml in"
check_eq "no relgate.yml: relgate not run" "" "$(cat "$log")"

setup sha1
echo 'version: 1' >"$work/relgate.yml"; git -C "$work" add relgate.yml
commit one
push origin main
check_eq "first push to an empty remote goes through" "$(git -C "$work" rev-parse main)" "$(remote_oid main)"
said "first push: nothing to compare with" "no new commits against heads/main"
check_eq "first push: relgate not run" "" "$(cat "$log")"
git -C "$work" fetch -q origin

A=$(git -C "$work" rev-parse main)
commit two; B=$(git -C "$work" rev-parse main)
FAKE_RC=0 push origin main
check_eq "pass: push goes through" "$B" "$(remote_oid main)"
logged "pass: base is the remote oid, head the local oid" "check --base $A --head $B --format text"

commit three; C=$(git -C "$work" rev-parse main)
FAKE_RC=1 push origin main
check_eq "breach: push blocked (remote unchanged)" "$B" "$(remote_oid main)"
said "breach: the report is shown" "FAKE REPORT for check --base $B --head $C"
said "breach: says blocked" "a budget was exceeded, push blocked"
said "breach: names the escape hatch" "RELGATE_SKIP=1"

FAKE_RC=3 push origin main
check_eq "relgate error (3): push blocked" "$B" "$(remote_oid main)"
said "relgate error: says it could not judge" "could not judge the change (exit 3)"
FAKE_RC=2 RELGATE_ON_ERROR=allow push origin main
check_eq "relgate error with RELGATE_ON_ERROR=allow: push goes through" "$C" "$(remote_oid main)"
git -C "$work" fetch -q origin

commit four; D=$(git -C "$work" rev-parse main)
FAKE_RC=1 RELGATE_SKIP=1 push origin main
check_eq "RELGATE_SKIP=1: push goes through" "$D" "$(remote_oid main)"
said "RELGATE_SKIP=1: says so" "RELGATE_SKIP is set"
check_eq "RELGATE_SKIP=1: relgate not run" "" "$(cat "$log")"

commit five
FAKE_RC=1 push --no-verify origin main
check_eq "--no-verify: push goes through" "$(git -C "$work" rev-parse main)" "$(remote_oid main)"
check_eq "--no-verify: relgate not run" "" "$(cat "$log")"
git -C "$work" fetch -q origin

# A new branch: judged against the merge base with origin's default branch.
git -C "$work" remote set-head origin main
git -C "$work" checkout -q -b feature HEAD~2
commit f1; F=$(git -C "$work" rev-parse feature)
MB=$(git -C "$work" merge-base origin/HEAD feature)
FAKE_RC=0 push origin feature
check_eq "new branch: pushed" "$F" "$(remote_oid feature)"
logged "new branch: base is the merge base with origin/HEAD" "check --base $MB --head $F --format text"
# A new branch with nothing new: nothing to judge.
git -C "$work" branch -q --no-track same origin/main
FAKE_RC=1 push origin same
check_eq "new branch at the default tip: pushed unjudged" "$(git -C "$work" rev-parse same)" "$(remote_oid same)"
said "new branch at the default tip: says no new commits" "no new commits"

# A deletion is never judged (and never blocked).
FAKE_RC=1 push origin :feature
check_eq "deletion: remote branch gone" "none" "$(remote_oid feature)"
said "deletion: says skipped" "deletion, skipped"
check_eq "deletion: relgate not run" "" "$(cat "$log")"

# Two refs in one push: both judged; one breach blocks the push.
git -C "$work" checkout -q main
commit six; M=$(git -C "$work" rev-parse main)
git -C "$work" checkout -q -b other origin/main; commit o1; O=$(git -C "$work" rev-parse other)
OM=$(git -C "$work" rev-parse origin/main)
FAKE_RC=0 push origin main other
check_eq "two refs: both judged" "check --base $OM --head $M --format text|check --base $OM --head $O --format text" "$(tr '\n' '|' <"$log" | sed 's/|$//')"

# Chaining: pre-push.local runs first with the same stdin; its failure blocks.
hookdir=$(cd "$work" && dirname "$("$RELGATE" hook path)")
(cd "$work" && "$RELGATE" hook uninstall >/dev/null)
cat >"$hookdir/pre-push" <<LOCAL
#!/bin/sh
cat >"$T/local.stdin"
echo "local hook \$1" >&2
exit \${LOCAL_RC:-0}
LOCAL
chmod +x "$hookdir/pre-push"
(cd "$work" && "$RELGATE" hook install --chain >/dev/null)
git -C "$work" checkout -q main
commit seven; S=$(git -C "$work" rev-parse main)
LOCAL_RC=1 FAKE_RC=0 push origin main
check_eq "chained hook fails: push blocked" "$M" "$(remote_oid main)"
check_eq "chained hook fails: relgate not run" "" "$(cat "$log")"
check_eq "chained hook: got git's stdin line" "refs/heads/main $S refs/heads/main $M" "$(cat "$T/local.stdin")"
LOCAL_RC=0 FAKE_RC=0 push origin main
said "chained hook: ran with the remote's name" "local hook origin"
check_eq "chained hook passes: push goes through" "$S" "$(remote_oid main)"
logged "chained hook passes: relgate judged" "check --base $M --head $S --format text"

# pre-commit framework: no stdin, PRE_COMMIT_FROM_REF/TO_REF name the range.
: >"$log"
(cd "$work" && PRE_COMMIT_FROM_REF=$M PRE_COMMIT_TO_REF=$S FAKE_RC=1 sh "$ROOT/hooks/pre-push" origin "$remote" </dev/null) >"$T/push.out" 2>&1
check_eq "pre-commit: breach exits 1" "1" "$?"
logged "pre-commit: judges FROM_REF..TO_REF" "check --base $M --head $S --format text"
# relgate hook run (husky, lefthook) takes git's stdin.
: >"$log"
(cd "$work" && printf 'refs/heads/main %s refs/heads/main %s\n' "$S" "$M" | FAKE_RC=0 "$RELGATE" hook run origin "$remote") >"$T/push.out" 2>&1
check_eq "hook run: pass exits 0" "0" "$?"
logged "hook run: judged the stdin line" "check --base $M --head $S --format text"

# relgate missing: blocked, with the fix named.
commit eight
RELGATE_BIN=$T/nonexistent push origin main
check_eq "relgate missing: push blocked" "$S" "$(remote_oid main)"
said "relgate missing: says so" "relgate not found"

# A missing or read-only TMPDIR (issue 12 item 15) must not block the push
# before RELGATE_SKIP or RELGATE_ON_ERROR are read, nor keep git's ref
# lines from the chained hook or the check. (Run as root, the read-only
# directory is writable: the missing one is the case that failed before.)
setup sha1 tmpdir
echo 'version: 1' >"$work/relgate.yml"; git -C "$work" add relgate.yml
commit one; git -C "$work" push -q --no-verify origin main
ro=$T/readonly && mkdir -p "$ro" && chmod 555 "$ro"
for tmp in "$T/missing" "$ro"; do
	commit "skip $tmp"
	TMPDIR=$tmp RELGATE_SKIP=1 push origin main
	check_eq "TMPDIR=$tmp, RELGATE_SKIP=1: the push goes through" "$(git -C "$work" rev-parse main)" "$(remote_oid main)"
	said "TMPDIR=$tmp, RELGATE_SKIP=1: says so" "RELGATE_SKIP is set"
	commit "allow $tmp"
	TMPDIR=$tmp FAKE_RC=3 RELGATE_ON_ERROR=allow push origin main
	check_eq "TMPDIR=$tmp, RELGATE_ON_ERROR=allow: the push goes through" "$(git -C "$work" rev-parse main)" "$(remote_oid main)"
	logged "TMPDIR=$tmp: relgate judged HEAD~1..HEAD" \
		"check --base $(git -C "$work" rev-parse HEAD~1) --head $(git -C "$work" rev-parse HEAD) --format text"
	commit "block $tmp"
	TMPDIR=$tmp FAKE_RC=1 push origin main
	check_eq "TMPDIR=$tmp, a budget exceeded: the push is blocked" "$(git -C "$work" rev-parse HEAD~1)" "$(remote_oid main)"
done
printf '#!/bin/sh\ncat >"%s"\n' "$T/chained.in" >"$work/.git/hooks/pre-push.local"
chmod +x "$work/.git/hooks/pre-push.local"
old=$(remote_oid main)
commit chained
TMPDIR=$T/missing FAKE_RC=0 push origin main
check_eq "TMPDIR missing: the chained hook reads git's ref line on stdin" \
	"refs/heads/main $(git -C "$work" rev-parse main) refs/heads/main $old" "$(cat "$T/chained.in")"
chmod 755 "$ro"

# SHA-256 repositories: 64-digit ids, all-zero ids of that length.
if git init -q --bare --object-format=sha256 "$T/probe.git" 2>/dev/null; then
	setup sha256
	echo 'version: 1' >"$work/relgate.yml"; git -C "$work" add relgate.yml
	commit one; push origin main; git -C "$work" fetch -q origin
	A=$(git -C "$work" rev-parse main); commit two; B=$(git -C "$work" rev-parse main)
	check_eq "sha256: ids are 64 digits" 64 "${#B}"
	FAKE_RC=0 push origin main
	logged "sha256: base and head" "check --base $A --head $B --format text"
	git -C "$work" checkout -q -b feat; commit f; F=$(git -C "$work" rev-parse feat)
	FAKE_RC=0 push origin feat
	logged "sha256: new branch against the merge base" "check --base $B --head $F --format text"
	FAKE_RC=1 push origin :feat
	check_eq "sha256: deletion goes through" none "$(remote_oid feat)"
	check_eq "sha256: deletion not judged" "" "$(cat "$log")"
else
	skip "sha256 repositories" "this git cannot make them"
fi
