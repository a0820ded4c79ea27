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

# attr_judge NAME FILE [OPTIONS]: queues a check of `relgate measure --by
# KEY` rows against tests/oracle/attr_oracle.py (OPTIONS: --keys K,K
# --syms nm|dynsym|macho|coff|gosym:ORACLE --arch A); attr_judge_all runs
# the queue in one python process.
attr_judge() {
	printf '%s\t%s\t%s\n' "$1" "$2" "${3:-}" >>"$TEST_TMP/attr.list"
}
attr_judge_all() {
	[ -s "$TEST_TMP/attr.list" ] || return 0
	python3 "$ROOT/tests/oracle/attr_oracle.py" --batch "$TEST_TMP/attr.list" "$RELGATE" ||
		not_ok "attribution oracle" "attr_oracle.py exited $?"
	rm -f "$TEST_TMP/attr.list"
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

# named_tables: in $TEST_TMP, from names.json ({"names": [...], "sizes":
# [...]}): bin0, a PIE with no table, and bin1, one with a table of sizes[k]
# string pointers (one R_*_RELATIVE relocation each, per the source) that
# objcopy renames to names[k]; readelf must count the added relocations.
# Then the repository $TEST_TMP/repo (the working directory after the
# call): main builds bin0, feature bin1, relocs.relative may grow by 16.
# Returns 1 after a "not ok" line when the fixture cannot be made.
named_tables() {
	cd "$TEST_TMP" || return 1
	echo 'int main(void) { return 0; }' >base.c
	python3 - <<'PY'
import json
d = json.load(open("names.json"))
with open("head.c", "w") as f:
    for k, n in enumerate(d["sizes"]):
        f.write("__attribute__((used)) static const char *tab%d[] = { %s };\n"
                % (k, ", ".join('"s%d_%d"' % (k, i) for i in range(n))))
    f.write("int main(void) { return 0; }\n")
PY
	cc -O2 -fPIE -pie -o bin0 base.c && cc -O2 -fPIE -pie -o bin1.tmp head.c &&
		python3 - <<'PY'
import json, subprocess
d = json.load(open("names.json"))
args = ["objcopy"]
for k, n in enumerate(d["names"]):
    args.append("--redefine-sym=tab%d=%s" % (k, n))
subprocess.check_call(args + ["bin1.tmp", "bin1"])
PY
	[ $? -eq 0 ] && [ -f bin1 ] || { not_ok "build the fixture" "cc or objcopy failed"; return 1; }
	set -- $(python3 -c 'import json; d = json.load(open("names.json")); print(sum(d["sizes"]), len(d["sizes"]))')
	check_eq "oracle: readelf sees the $1 pointers of the $2 tables" "$1" \
		$(( $(readelf -rW bin1 | grep -c '_RELATIVE ') - $(readelf -rW bin0 | grep -c '_RELATIVE ') ))
	prebuilt_repo 16 || { not_ok "make the repository" "git failed"; return 1; }
}

# prebuilt_repo MAX_INCREASE: the repository $TEST_TMP/repo (the working
# directory after the call) over prebuilt_budgets: main builds
# $TEST_TMP/bin0, the branch feature (checked out) $TEST_TMP/bin1.
prebuilt_repo() {
	mkdir -p "$TEST_TMP/repo" && cd "$TEST_TMP/repo" && git init -q -b main . &&
		prebuilt_budgets relgate.yml sel "$1" &&
		echo 0 >sel && git add -A && git commit -qm base && git checkout -qb feature &&
		echo 1 >sel && git commit -qam head
}

# ptr_app FILE N: writes a C program whose table holds N + 1 string
# pointers (each one R_*_RELATIVE relocation in a PIE) to FILE.
ptr_app() {
	{
		echo '#include <stdio.h>'
		printf 'static const char *t[] = { "z",'
		i=0; while [ "$i" -lt "$2" ]; do printf ' "s%d",' "$i"; i=$((i + 1)); done
		echo ' };'
		echo "int main(int c, char **v) { (void)v; puts(t[c % $(($2 + 1))]); return 0; }"
	} >"$1"
}
