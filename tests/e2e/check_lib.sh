# tests/e2e/check_lib.sh - shared by tests/e2e/test_check_*.sh: real git
# repositories in $TEST_TMP whose targets are small C programs built with
# cc. Source after tests/lib.sh.
#
# Hand derivation behind every verdict these tests expect: gen_c N writes a
# program whose table `ptrs` holds N pointers to distinct strings. Built
# -fPIE -pie, each pointer needs one R_X86_64_RELATIVE (R_AARCH64_RELATIVE
# ...) relocation, so the head's relocs.relative minus the base's is the
# difference of their N - whatever the toolchain. The fail test also counts
# the relocations with readelf as an independent check.

# The environment of a developer's shell, not of the CI running the tests.
unset GITHUB_ACTIONS GITHUB_EVENT_NAME GITHUB_BASE_REF GITHUB_STEP_SUMMARY GITHUB_OUTPUT \
	GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY XDG_CACHE_HOME \
	GIT_CONFIG_GLOBAL GIT_CONFIG_PARAMETERS GIT_CONFIG_COUNT GIT_CEILING_DIRECTORIES
# Go's build cache stays the shared one (HOME and XDG_CACHE_HOME change).
if command -v go >/dev/null 2>&1 && [ -z "${GOCACHE:-}" ]; then
	GOCACHE=$(go env GOCACHE) && export GOCACHE
fi
export HOME="$TEST_TMP/home"
export GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
cat >"$HOME/.gitconfig" <<'EOF'
[user]
	name = relgate test
	email = test@relgate.invalid
[init]
	defaultBranch = main
[commit]
	gpgsign = false
[protocol "file"]
	allow = always
[advice]
	detachedHead = false
EOF
CACHE="$TEST_TMP/cache"

# gen_c N: a C program with N relocated pointers.
gen_c() {
	echo '#include <stdio.h>'
	echo 'static const char *const ptrs[] = {'
	i=0
	while [ "$i" -lt "$1" ]; do
		echo "	\"s$i\","
		i=$((i + 1))
	done
	echo '	0 };'
	echo 'int main(int argc, char **argv) {'
	echo '	const char *s = ptrs[(unsigned)argc % (sizeof ptrs / sizeof *ptrs)];'
	echo '	(void)argv; puts(s ? s : "-"); return 0; }'
}

# write_yml FILE COUNTER [MAX_INCREASE [WARN_INCREASE [EXTRA_TARGET_LINES]]]:
# target `app` builds main.c; each build appends "SIDE" to COUNTER.
write_yml() {
	cat >"$1" <<EOF
version: 1
targets:
  app:
    build: echo "\$RELGATE_SIDE" >> "$2" && cc -O1 -fPIE -pie -o "\$RELGATE_OUT/app" main.c
    artifact: \$RELGATE_OUT/app
${5:-}
    budgets:
      relocs.relative: { max_increase: ${3:-50}, warn_increase: ${4:-16} }
      dirty.relro.pages: { max: 64 }
EOF
}

# new_repo DIR N: a repository whose first commit ("base") on main has a
# program with N pointers; prints nothing.
new_repo() {
	mkdir -p "$1"
	git -C "$1" init -q
	gen_c "$2" >"$1/main.c"
	write_yml "$1/relgate.yml" "$TEST_TMP/counter.$(basename "$1")"
	git -C "$1" add -A
	git -C "$1" commit -q -m "base: $2 pointers"
}

# commit_n DIR N SUBJECT: a commit changing the program to N pointers.
commit_n() {
	gen_c "$2" >"$1/main.c"
	git -C "$1" add main.c
	git -C "$1" commit -q -m "$3"
}

# builds DIR SIDE: how many times SIDE was built for repo DIR so far.
builds() {
	f="$TEST_TMP/counter.$(basename "$1")"
	if [ -f "$f" ]; then grep -c "^$2\$" "$f"; else echo 0; fi
}

# relgate_tmp_left DIR: relgate's temporary directories left in DIR.
relgate_tmp_left() {
	find "$1" -maxdepth 1 -name 'relgate-*' | wc -l | tr -d ' '
}

# snapshot DIR: status, index and a checksum of every file (incl. .git,
# except nothing): a byte-level fingerprint of the user's repository.
snapshot() {
	(cd "$1" && GIT_OPTIONAL_LOCKS=0 git status --porcelain=v1 --untracked-files=all &&
		find . -type f | LC_ALL=C sort | xargs sha256sum &&
		find . | LC_ALL=C sort && git stash list && git show-ref && git symbolic-ref -q HEAD) 2>&1
}

# alive PID: true when PID runs (a zombie left to an init that does not
# reap, as in some containers, is dead).
alive() {
	kill -0 "$1" 2>/dev/null || return 1
	case $(ps -o stat= -p "$1" 2>/dev/null) in Z*|"") return 1 ;; esac
	return 0
}

# counted_yml FILE MAX_INCREASE [CC]: relgate.yml whose target `app` builds
# main.c with CC (default cc), appending "$RELGATE_SIDE" to $COUNTER on
# every build (the build counts of the notes, toolchain and pre-commit
# tests), and allows MAX_INCREASE more relative relocations.
counted_yml() {
	cat >"$1" <<EOF2
version: 1
targets:
  app:
    build: echo "\$RELGATE_SIDE" >>"\$COUNTER" && ${3:-cc} -O1 -fPIE -pie -o "\$RELGATE_OUT/app" main.c
    artifact: \$RELGATE_OUT/app
    budgets:
      relocs.relative: { max_increase: $2 }
EOF2
}
