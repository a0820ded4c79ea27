#!/bin/sh
# relgate check interrupted by SIGTERM or SIGINT while a build runs: the
# build's whole process group is stopped, the temporary directories are
# removed, the user's repository is untouched, and relgate dies of the
# signal it received (exit status 128+N, as a shell reports it).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/e2e/check_lib.sh"

export TMPDIR="$TEST_TMP/tmp"
mkdir -p "$TMPDIR"
r=$TEST_TMP/sig
new_repo "$r" 4
sed 's|build: |build: echo $$ > "'"$TEST_TMP"'/shell.pid"; sleep 60 \& echo $! > "'"$TEST_TMP"'/sleeper.pid"; wait; |' \
	"$r/relgate.yml" >"$r/y" && mv "$r/y" "$r/relgate.yml"
git -C "$r" commit -q -am "slow build"
echo "untracked" >"$r/untracked.txt" && echo "/* unstaged */" >>"$r/main.c"
cd "$r" || exit 1

for sig in TERM INT; do
	rm -f "$TEST_TMP/shell.pid" "$TEST_TMP/sleeper.pid"
	before=$(snapshot "$r")
	"$RELGATE" check --base HEAD --no-cache >"$TEST_TMP/sig.out" 2>"$TEST_TMP/sig.err" &
	rpid=$!
	i=0
	while [ ! -s "$TEST_TMP/sleeper.pid" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	if [ ! -s "$TEST_TMP/sleeper.pid" ]; then
		not_ok "SIG$sig: the build started" "no pid after 30 s: $(cat "$TEST_TMP/sig.err")"
		kill "$rpid"; continue
	fi
	kill -s "$sig" "$rpid"
	wait "$rpid"
	rc=$?
	n=$(kill -l "$sig" 2>/dev/null || echo 0)
	[ "$sig" = TERM ] && n=15
	[ "$sig" = INT ] && n=2
	check_eq "SIG$sig: relgate dies of the signal" "$((128 + n))" "$rc"
	sleep 0.3
	for p in shell sleeper; do
		pid=$(cat "$TEST_TMP/$p.pid")
		if alive "$pid"; then not_ok "SIG$sig: the build's $p is gone" "pid $pid alive"; kill -9 "$pid"
		else ok "SIG$sig: the build's $p is gone"; fi
	done
	check_eq "SIG$sig: no temporary directory left" 0 "$(relgate_tmp_left "$TMPDIR")"
	after=$(snapshot "$r")
	[ "$before" = "$after" ] && ok "SIG$sig: the repository is byte-identical" ||
		not_ok "SIG$sig: the repository is byte-identical" "changed"
done
