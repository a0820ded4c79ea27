# tests/lib.sh - helpers for shell tests; source it from tests/*/test_*.sh.
# Every assertion prints one "ok - NAME" or "not ok - NAME: why" line
# (see tests/run.sh). Expected values must come from an independent tool
# (readelf, llvm-*, Go's debug/*) or a hand derivation written beside the
# fixture, never from relgate's own output.
set -u
: "${RELGATE:?RELGATE must point at the relgate binary}"
: "${TEST_TMP:=$(mktemp -d)}"
: "${FIXTURES:=$ROOT/build/fixtures}"
: "${LLVM_BIN:=/usr/lib/llvm-19/bin}"

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1: $2"; }
skip() { echo "skip - $1: $2"; }

# check_eq NAME EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "expected '$2', got '$3'"; fi
}

# check_exit NAME EXPECTED_CODE CMD... (stdout/stderr to $TEST_TMP/last.out/.err)
check_exit() {
	name=$1; want=$2; shift 2
	"$@" >"$TEST_TMP/last.out" 2>"$TEST_TMP/last.err"
	rc=$?
	if [ "$rc" = "$want" ]; then ok "$name"; else
		not_ok "$name" "exit $rc, wanted $want; stderr: $(head -c 400 "$TEST_TMP/last.err")"
	fi
}

# need CMD...: true when all commands exist
need() {
	for c in "$@"; do command -v "$c" >/dev/null 2>&1 || return 1; done
}

# metric FILE.json NAME [INDEX]: a metric of binaries[INDEX] (default 0), or "absent"
metric() {
	python3 - "$1" "$2" "${3:-0}" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
m = doc["binaries"][int(sys.argv[3])]["metrics"]
print(m.get(sys.argv[2], "absent"))
PY
}

# git_test_env: git with a fixed identity and no system or user config,
# and none of the developer's GitHub, hook or GIT_DIR variables, for tests
# that make repositories with plain git.
git_test_env() {
	export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
	export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com
	export GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
	unset GIT_DIR GIT_WORK_TREE GITHUB_ACTIONS GITHUB_BASE_REF GITHUB_OUTPUT \
		GITHUB_STEP_SUMMARY RELGATE_SKIP RELGATE_ON_ERROR RELGATE_HOOK_ARGS
}

# prebuilt_budgets FILE SELECTOR MAX_INCREASE [COUNTER]: a budget file whose
# target "app" builds by copying $TEST_TMP/binN, N read from the file
# SELECTOR of the exported tree (cheap builds for tests of history), with
# relocs.relative allowed to grow by MAX_INCREASE; each build appends a
# line to COUNTER when it is given.
prebuilt_budgets() {
	{
		echo "version: 1"
		echo "targets:"
		echo "  app:"
		printf '    build: '
		[ -z "${4:-}" ] || printf 'echo x >>"%s"; ' "$4"
		printf 'cp "%s/bin$(cat %s)" "$RELGATE_OUT/app"\n' "$TEST_TMP" "$2"
		echo '    artifact: $RELGATE_OUT/app'
		echo "    budgets:"
		echo "      relocs.relative: { max_increase: $3 }"
	} >"$1"
}
