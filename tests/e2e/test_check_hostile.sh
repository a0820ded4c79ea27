#!/bin/sh
# A hostile head commit (docs/security.md): each case is a scratch
# repository whose head tries one thing a fork's pull request could.
# Verdicts follow from check_lib.sh's hand derivation (gen_c N: N relative
# relocations); readelf counts the honest base's pointers independently.
#  1. the head's build overwrites the base's artifact ("$RELGATE_OUT"/../*/app),
#     one build at a time and with --jobs 2; the tampered value must neither
#     pass the change nor be cached for a later one;
#  4. a .gitmodules name with ".." components points at another repository;
#  5. GIT_DIR/GIT_INDEX_FILE/GIT_WORK_TREE (as git sets them for hooks) must
#     not reach the build, nor may the build's git find the user's repository;
#  6. a tree nested 2,000 levels deep: exit 3, nothing left behind;
#  7. an artifact that is a FIFO or /dev/zero: exit 2, at once;
# 13. a build leaving a 300-level directory; a relative TMPDIR.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/e2e/check_lib.sh"

export TMPDIR="$TEST_TMP/tmp"
mkdir -p "$TMPDIR"

# yml_build FILE BUILD: target app with build command BUILD (a shell line).
yml_build() {
	cat >"$1" <<EOF
version: 1
targets:
  app:
    build: $2
    artifact: \$RELGATE_OUT/app
    budgets:
      relocs.relative: { max_increase: 50 }
EOF
}
CC_APP='cc -O1 -fPIE -pie -o "$RELGATE_OUT/app" main.c'

# script_repo DIR N: like new_repo, but the trusted (base) relgate.yml runs
# the tree's ./build.sh, which the head is free to change; leaves DIR on a
# branch `feature` with nothing changed yet.
script_repo() {
	mkdir -p "$1" && git -C "$1" init -q
	gen_c "$2" >"$1/main.c"
	echo "$CC_APP" >"$1/build.sh"
	yml_build "$1/relgate.yml" "sh ./build.sh"
	git -C "$1" add -A && git -C "$1" commit -q -m "base: $2 pointers"
	git -C "$1" checkout -q -b feature
}

# ---- 1. the head's build overwrites the base's output -----------------------
r=$TEST_TMP/tamper
script_repo "$r" 4
cd "$r" || exit 1
gen_c 64 >main.c
# Copies its own artifact over every sibling output, now and for 3 s.
cat >build.sh <<'EOF'
cc -O1 -fPIE -pie -o "$RELGATE_OUT/app" main.c || exit 1
i=0
while [ $i -lt 30 ]; do
	for f in "$RELGATE_OUT"/../*/app; do
		[ "$f" = "$RELGATE_OUT/../$(basename "$RELGATE_OUT")/app" ] || cp "$RELGATE_OUT/app" "$f" 2>/dev/null
	done
	sleep 0.1
	i=$((i + 1))
done
EOF
git add -A && git commit -q -m "60 more pointers, and a build that overwrites the base's"
check_exit "1: head build overwriting the base's artifact: still exit 1 (+60 > 50)" 1 \
	"$RELGATE" check --cache-dir "$CACHE"
check_exit "1: the same with --jobs 2: exit 1" 1 "$RELGATE" check --no-cache --jobs 2
# The cached base must be the honest one: an honest +60 change against it fails.
git checkout -q main && git checkout -q -b honest
gen_c 64 >main.c && git commit -q -am "60 more pointers, honestly"
check_exit "1: an honest +60 change against the cached base: exit 1" 1 \
	"$RELGATE" check --cache-dir "$CACHE" --format json
grep -q "cached" "$TEST_TMP/last.err" && ok "1: that run used the cached base" ||
	not_ok "1: that run used the cached base" "$(head -c 300 "$TEST_TMP/last.err")"
git checkout -q main
cc -O1 -fPIE -pie -o "$TEST_TMP/base4" main.c
want=$(readelf -rW "$TEST_TMP/base4" | grep -c '_RELATIVE ')
got=$(python3 - "$TEST_TMP/last.out" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for t in doc.get("targets", []):
    for v in t.get("verdicts", []):
        if v.get("metric") == "relocs.relative" and "base" in v:
            print(v["base"]); sys.exit(0)
print("none")
PY
)
check_eq "1: the cached base's relocs.relative is readelf's count of the honest base" "$want" "$got"

# ---- 5. repository-locating GIT_* variables ---------------------------------
r=$TEST_TMP/gitenv
script_repo "$r" 4
cd "$r" || exit 1
mkdir -p "$r/scratch" && echo scratch/ >"$r/.git/info/exclude"
gen_c 6 >main.c
cat >build.sh <<EOF
env | grep '^GIT_' | sort > $TEST_TMP/env.\$RELGATE_SIDE
(git rev-parse --absolute-git-dir; git status --porcelain) > $TEST_TMP/git.\$RELGATE_SIDE 2>/dev/null
$CC_APP
EOF
git add -A && git commit -q -m "a build that asks git where it is"
idx=$(sha256sum .git/index)
# As git runs a pre-push hook (from a linked worktree GIT_DIR names it),
# with the temporary directory inside the working tree.
check_exit "5: check with GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE set: exit 0" 0 \
	env LSAN_OPTIONS="suppressions=$ROOT/tests/e2e/check_lsan.supp" \
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:fast_unwind_on_malloc=0" GIT_DIR="$r/.git" GIT_WORK_TREE="$r" GIT_INDEX_FILE="$r/.git/index" \
	GIT_OBJECT_DIRECTORY="$r/.git/objects" GIT_PREFIX=x TMPDIR="$r/scratch" \
	"$RELGATE" check --no-cache
check_eq "5: no repository-locating GIT_* variable reaches the build" "" \
	"$(grep -E '^GIT_(DIR|WORK_TREE|INDEX_FILE|OBJECT_DIRECTORY|PREFIX)=' "$TEST_TMP/env.head" 2>&1)"
check_eq "5: the build's git finds no repository (not the user's)" "" "$(cat "$TEST_TMP/git.head" 2>&1)"
check_eq "5: the user's index is untouched" "$idx" "$(sha256sum .git/index)"

# ---- 4. submodule names that escape .git/modules ----------------------------
v=$TEST_TMP/victim
mkdir -p "$v" && git -C "$v" init -q && echo "secret" >"$v/secret.txt"
git -C "$v" add -A && git -C "$v" commit -q -m secret
r=$TEST_TMP/subesc
script_repo "$r" 4
cd "$r" || exit 1
# .git/modules/../../../victim/.git is $TEST_TMP/victim/.git (.git/modules
# exists in any repository that has had a submodule)
mkdir -p .git/modules
printf '[submodule "../../../victim/.git"]\n\tpath = sub\n\turl = ./nowhere\n' >.gitmodules
git update-index --add --cacheinfo "160000,$(git -C "$v" rev-parse HEAD),sub"
echo "cat sub/secret.txt > $TEST_TMP/leak 2>/dev/null; $CC_APP" >build.sh
git add .gitmodules build.sh && git commit -q -m "a submodule named ../../../victim/.git"
check_exit "4: submodule name with '..' components: exit 3" 3 "$RELGATE" check --no-cache
grep -q 'refusing submodule sub' "$TEST_TMP/last.err" && grep -q '\.\./\.\./\.\./victim/\.git' "$TEST_TMP/last.err" &&
	ok "4: the message names the entry and its name" || not_ok "4: the message names the entry and its name" "$(head -c 400 "$TEST_TMP/last.err")"
[ ! -s "$TEST_TMP/leak" ] && ok "4: the other repository's files never reach a build" ||
	not_ok "4: the other repository's files never reach a build" "$(cat "$TEST_TMP/leak")"

# ---- 6. a tree nested 2,000 levels deep -------------------------------------
r=$TEST_TMP/deep
new_repo "$r" 4
cd "$r" || exit 1
git checkout -q -b feature
deep=$(python3 -c 'print("/".join(["d"] * 2000) + "/f")')
{
	echo "commit refs/heads/feature"
	echo "committer t <t@example.com> 1700000000 +0000"
	echo "data 5"; echo "deep"
	echo "from refs/heads/feature^0"
	echo "M 100644 inline $deep"
	echo "data 2"; echo "x"
} | git fast-import --quiet
git reset -q --hard feature
rm -rf "$TMPDIR" && mkdir -p "$TMPDIR"
check_exit "6: a tree 2,000 levels deep: exit 3" 3 "$RELGATE" check --no-cache
grep -q "nests deeper than" "$TEST_TMP/last.err" && ok "6: the message says the tree is too deep" ||
	not_ok "6: the message says the tree is too deep" "$(head -c 300 "$TEST_TMP/last.err")"
check_eq "6: no temporary directory left" 0 "$(relgate_tmp_left "$TMPDIR")"

# ---- 13. a 300-level directory in the output; a relative TMPDIR -------------
r=$TEST_TMP/deepout
script_repo "$r" 4
cd "$r" || exit 1
echo "$CC_APP"' && mkdir -p "$RELGATE_OUT/$(python3 -c "print(\"/\".join([\"d\"] * 300))")"' >build.sh
git add -A && git commit -q -m "a build that leaves a 300-level directory"
rm -rf "$TMPDIR" && mkdir -p "$TMPDIR"
check_exit "13: a 300-level directory in the output: exit 0" 0 "$RELGATE" check --no-cache
check_eq "13: no temporary directory left" 0 "$(relgate_tmp_left "$TMPDIR")"
check_exit "13: a relative TMPDIR: exit 2" 2 env TMPDIR=reltmp "$RELGATE" check --no-cache
grep -q "TMPDIR=reltmp is a relative path" "$TEST_TMP/last.err" && ok "13: the message names TMPDIR" ||
	not_ok "13: the message names TMPDIR" "$(head -c 300 "$TEST_TMP/last.err")"
check_eq "13: nothing made in the working tree" "" "$(git status --porcelain --ignored)"

# ---- 7. an artifact that is not a regular file -------------------------------
r=$TEST_TMP/fifo
script_repo "$r" 4
cd "$r" || exit 1
echo 'mkfifo "$RELGATE_OUT/app"' >build.sh
git add -A && git commit -q -m "a FIFO for an artifact"
check_exit "7: a FIFO artifact: exit 2" 2 timeout 60 "$RELGATE" check --no-cache
grep -q "not a regular file" "$TEST_TMP/last.err" && ok "7: FIFO: says it is not a regular file" ||
	not_ok "7: FIFO: says it is not a regular file" "$(head -c 300 "$TEST_TMP/last.err")"
echo 'ln -s /dev/zero "$RELGATE_OUT/app"' >build.sh
git commit -q -am "/dev/zero for an artifact"
check_exit "7: /dev/zero (through a symlink) as the artifact: exit 2" 2 timeout 60 "$RELGATE" check --no-cache
grep -q "not a regular file" "$TEST_TMP/last.err" && ok "7: /dev/zero: says it is not a regular file" ||
	not_ok "7: /dev/zero: says it is not a regular file" "$(head -c 300 "$TEST_TMP/last.err")"
cd "$TEST_TMP" || exit 1
mkfifo "$TEST_TMP/fifo.bin"
check_exit "7: relgate measure FIFO: exit 2 at once" 2 timeout 20 "$RELGATE" measure "$TEST_TMP/fifo.bin"
grep -q "fifo.bin.*not a regular file" "$TEST_TMP/last.err" && ok "7: measure FIFO: names the file" ||
	not_ok "7: measure FIFO: names the file" "$(head -c 300 "$TEST_TMP/last.err")"
check_exit "7: relgate measure /dev/zero: exit 2 at once" 2 timeout 5 "$RELGATE" measure /dev/zero

# ---- 14. a build's daemon; relgate killed with SIGKILL ----------------------
if [ "$(uname -s)" != Linux ]; then
	skip "14: builds tied to relgate's life" "Linux only (PR_SET_CHILD_SUBREAPER, PR_SET_PDEATHSIG); docs/security.md"
	exit 0
fi
# gone PIDFILE: true when the pid in PIDFILE is dead within 5 s
gone() {
	p=$(cat "$1" 2>/dev/null) || return 1
	i=0
	while alive "$p" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	! alive "$p"
}
r=$TEST_TMP/daemon
script_repo "$r" 4
cd "$r" || exit 1
cat >build.sh <<BUILD
$CC_APP || exit 1
setsid sleep 300 </dev/null >/dev/null 2>&1 &
echo \$! > "$TEST_TMP/daemon.\$RELGATE_SIDE"
BUILD
git add -A && git commit -q -m "a build that leaves a setsid daemon"
check_exit "14: a build leaving a setsid daemon: exit 0" 0 "$RELGATE" check --no-cache
gone "$TEST_TMP/daemon.head" && ok "14: the head build's setsid daemon does not outlive relgate" ||
	{ not_ok "14: the head build's setsid daemon does not outlive relgate" "pid $(cat "$TEST_TMP/daemon.head" 2>&1) alive"; kill -9 "$(cat "$TEST_TMP/daemon.head")" 2>/dev/null; }

cat >build.sh <<BUILD
sleep 300 &
echo \$! > "$TEST_TMP/child.\$RELGATE_SIDE"
setsid sleep 300 </dev/null >/dev/null 2>&1 &
echo \$! > "$TEST_TMP/detached.\$RELGATE_SIDE"
wait
BUILD
git commit -q -am "a build that waits"
rm -f "$TEST_TMP"/child.* "$TEST_TMP"/detached.*
"$RELGATE" check --no-cache >/dev/null 2>&1 &
rg=$!
i=0
while [ ! -s "$TEST_TMP/detached.head" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
kill -9 "$rg"
wait "$rg" 2>/dev/null
for f in child.head detached.head; do
	gone "$TEST_TMP/$f" && ok "14: after kill -9 of relgate, the build's $f process is gone" ||
		{ not_ok "14: after kill -9 of relgate, the build's $f process is gone" "pid $(cat "$TEST_TMP/$f" 2>&1) alive"; kill -9 "$(cat "$TEST_TMP/$f")" 2>/dev/null; }
done
