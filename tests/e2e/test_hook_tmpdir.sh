#!/bin/sh
# test_hook_tmpdir.sh - the pre-push hook with a missing or read-only
# TMPDIR (issue 12 item 15): RELGATE_SKIP=1 and RELGATE_ON_ERROR=allow are
# honoured (the push reaches the remote: git rev-parse there is the
# oracle), the chained hook still gets git's ref lines on stdin, and the
# stand-in relgate (RELGATE_BIN) is still asked about the right commits.
# (Run as root, the read-only directory is writable: the missing one is
# the case that fails without the fix.)
. "$ROOT/tests/lib.sh"

git_test_env

T=$TEST_TMP
log=$T/fake.log
cat >"$T/fake-relgate" <<'FAKE'
#!/bin/sh
echo "$*" >>"$FAKE_LOG"
exit "${FAKE_RC:-0}"
FAKE
chmod +x "$T/fake-relgate"
export RELGATE_BIN="$T/fake-relgate" FAKE_LOG="$log"

remote=$T/remote.git work=$T/work
git init -q --bare "$remote"
git init -q -b main "$work"
git -C "$work" remote add origin "$remote"
cp "$ROOT/hooks/pre-push" "$work/.git/hooks/pre-push"
chmod +x "$work/.git/hooks/pre-push"
printf 'version: 1\ntargets: {}\n' >"$work/relgate.yml"
git -C "$work" add relgate.yml && git -C "$work" commit -qm one
git -C "$work" push -q --no-verify origin main
ro=$T/readonly && mkdir -p "$ro" && chmod 555 "$ro"
n=0
for tmp in "$T/missing" "$ro"; do
	n=$((n + 1))
	echo "$n" >>"$work/f" && git -C "$work" add f && git -C "$work" commit -qm "change $n"
	TMPDIR=$tmp RELGATE_SKIP=1 git -C "$work" push origin main >"$T/push.out" 2>&1
	check_eq "TMPDIR=$tmp, RELGATE_SKIP=1: the push goes through" \
		"$(git -C "$work" rev-parse main)" "$(git --git-dir="$remote" rev-parse main)"
	grep -q "RELGATE_SKIP is set" "$T/push.out" && ok "TMPDIR=$tmp, RELGATE_SKIP=1: says so" ||
		not_ok "TMPDIR=$tmp, RELGATE_SKIP=1: says so" "$(tr '\n' '|' <"$T/push.out")"

	echo "$n" >>"$work/f" && git -C "$work" commit -qam "change $n b"
	: >"$log"
	TMPDIR=$tmp FAKE_RC=3 RELGATE_ON_ERROR=allow git -C "$work" push origin main >"$T/push.out" 2>&1
	check_eq "TMPDIR=$tmp, RELGATE_ON_ERROR=allow: the push goes through" \
		"$(git -C "$work" rev-parse main)" "$(git --git-dir="$remote" rev-parse main)"
	check_eq "TMPDIR=$tmp: relgate asked about HEAD~1..HEAD" \
		"check --base $(git -C "$work" rev-parse HEAD~1) --head $(git -C "$work" rev-parse HEAD) --format text" "$(cat "$log")"

	echo "$n" >>"$work/f" && git -C "$work" commit -qam "change $n c"
	TMPDIR=$tmp FAKE_RC=1 git -C "$work" push origin main >"$T/push.out" 2>&1
	check_eq "TMPDIR=$tmp, a budget exceeded: the push is blocked" \
		"$(git -C "$work" rev-parse HEAD~1)" "$(git --git-dir="$remote" rev-parse main)"
done

# The chained hook gets git's ref lines, byte for byte.
printf '#!/bin/sh\ncat >"%s"\n' "$T/chained.in" >"$work/.git/hooks/pre-push.local"
chmod +x "$work/.git/hooks/pre-push.local"
echo x >>"$work/f" && git -C "$work" commit -qam "chained"
old=$(git --git-dir="$remote" rev-parse main)
TMPDIR=$ro git -C "$work" push origin main >"$T/push.out" 2>&1
check_eq "the chained hook reads git's ref line on stdin" \
	"refs/heads/main $(git -C "$work" rev-parse main) refs/heads/main $old" "$(cat "$T/chained.in")"
chmod 755 "$ro"
