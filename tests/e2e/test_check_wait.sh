#!/bin/sh
# relgate waits for its builds without polling: once builds are running and
# none can start, it sleeps in poll() on a SIGCHLD self-pipe until a child
# ends (or a timeout's deadline comes), and never sleeps once nothing runs.
# Judged with strace (the system calls the relgate process made), not with
# timings: the process must make no nanosleep/clock_nanosleep call at all,
# and few poll calls (at most 3 per build: a wake-up per SIGCHLD, with room
# for a spurious one). A build over its timeout is still stopped (the
# deadline is poll's timeout), see test_check_failures.sh.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/e2e/check_lib.sh"

if ! need strace cc git; then skip "wait without polling" "strace, cc or git missing"; exit 0; fi
# LeakSanitizer cannot run under a tracer (it uses ptrace itself).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
r=$TEST_TMP/wait
new_repo "$r" 4
commit_n "$r" 6 "head: 6 pointers"
cd "$r" || exit 1
for jobs in 1 2; do
	tr=$TEST_TMP/trace.$jobs
	strace -f -qq -o "$tr" -e trace=execve,nanosleep,clock_nanosleep,poll,ppoll,select,pselect6 \
		"$RELGATE" check --base HEAD~1 --no-cache --jobs "$jobs" >"$TEST_TMP/out" 2>"$TEST_TMP/err"
	rc=$?
	check_eq "--jobs $jobs: check passes (4 -> 6 relative relocations)" 0 "$rc"
	# The relgate process is the traced command: the pid of the first line.
	pid=$(head -n 1 "$tr" | awk '{print $1}')
	sleeps=$(awk -v p="$pid" '$1 == p && $2 ~ /^(clock_)?nanosleep\(/' "$tr" | wc -l | tr -d ' ')
	check_eq "--jobs $jobs: relgate never sleeps while waiting for builds" 0 "$sleeps"
	polls=$(awk -v p="$pid" '$1 == p && $2 ~ /^(p?poll|p?select6?)\(/' "$tr" | wc -l | tr -d ' ')
	if [ "$polls" -ge 1 ] && [ "$polls" -le 6 ]; then ok "--jobs $jobs: one wait per build ($polls)"
	else not_ok "--jobs $jobs: one wait per build" "$polls waits for 2 builds"; fi
done
