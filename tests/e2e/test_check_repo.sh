#!/bin/sh
# Where relgate check runs from and what it must not touch: a detached
# HEAD, a subdirectory, a linked worktree (also with GIT_DIR set as in a
# hook), a GitHub Actions pull request (base = merge base with
# origin/$GITHUB_BASE_REF), and a dirty working tree with staged, unstaged
# and untracked changes that must be byte-identical afterwards (status,
# every file's checksum including .git/index, refs, stash).
# Verdicts follow the derivation in check_lib.sh: +200 pointers fails
# max_increase 50.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/e2e/check_lib.sh"

r=$TEST_TMP/repo
new_repo "$r" 4
mkdir -p "$r/sub/dir" && echo "notes" >"$r/sub/dir/README" && git -C "$r" add sub && git -C "$r" commit -q -m "docs"
git -C "$r" checkout -q -b feature
commit_n "$r" 204 "two hundred pointers"
cd "$r" || exit 1

check_exit "from a subdirectory" 1 sh -c "cd sub/dir && exec \"$RELGATE\" check --cache-dir \"$CACHE\""

git checkout -q --detach HEAD
check_exit "detached HEAD (base = merge base with main)" 1 "$RELGATE" check --cache-dir "$CACHE"
grep -q "merge-base(main" "$TEST_TMP/last.err" && ok "detached HEAD: base is the merge base with main" ||
	not_ok "detached HEAD: base is the merge base with main" "$(head -c 300 "$TEST_TMP/last.err")"
git checkout -q feature

# A linked worktree on its own branch.
git worktree add -q -b wt-branch "$TEST_TMP/wt" feature
check_exit "from a linked worktree" 1 sh -c "cd \"$TEST_TMP/wt\" && exec \"$RELGATE\" check --cache-dir \"$CACHE\""
# As a hook sees it: GIT_DIR is the worktree's admin dir, cwd its top.
gd=$(git -C "$TEST_TMP/wt" rev-parse --absolute-git-dir)
check_exit "GIT_DIR of a linked worktree (as in a hook)" 1 \
	sh -c "cd \"$TEST_TMP/wt\" && GIT_DIR=\"$gd\" exec \"$RELGATE\" check --cache-dir \"$CACHE\""
check_exit "GIT_DIR=.git (as in a hook of the main worktree)" 1 \
	sh -c "GIT_DIR=.git exec \"$RELGATE\" check --cache-dir \"$CACHE\""
check_exit "--budgets-from worktree in a linked worktree" 1 \
	sh -c "cd \"$TEST_TMP/wt\" && exec \"$RELGATE\" check --budgets-from worktree --cache-dir \"$CACHE\""

# GitHub Actions pull request: a clone whose origin/main is the base.
c=$TEST_TMP/clone
git clone -q "$r" "$c"
(cd "$c" && git checkout -q --detach origin/feature)
check_exit "GitHub Actions pull_request: base is origin/\$GITHUB_BASE_REF" 1 \
	sh -c "cd \"$c\" && GITHUB_EVENT_NAME=pull_request GITHUB_BASE_REF=main exec \"$RELGATE\" check --cache-dir \"$CACHE\""
grep -q "merge-base(origin/main" "$TEST_TMP/last.err" && ok "GitHub Actions: names origin/main" ||
	not_ok "GitHub Actions: names origin/main" "$(head -c 300 "$TEST_TMP/last.err")"
check_exit "GitHub Actions: unfetched base ref: exit 3" 3 \
	sh -c "cd \"$c\" && GITHUB_EVENT_NAME=pull_request GITHUB_BASE_REF=nope exec \"$RELGATE\" check --cache-dir \"$CACHE\""
grep -q "fetch-depth: 0" "$TEST_TMP/last.err" && ok "GitHub Actions: unfetched base names the fix" ||
	not_ok "GitHub Actions: unfetched base names the fix" "$(head -c 300 "$TEST_TMP/last.err")"
: >"$TEST_TMP/summary.md"; : >"$TEST_TMP/output.txt"
check_exit "GITHUB_ACTIONS=true: annotations on stdout" 1 \
	sh -c "cd \"$c\" && GITHUB_ACTIONS=true GITHUB_EVENT_NAME=pull_request GITHUB_BASE_REF=main GITHUB_STEP_SUMMARY=\"$TEST_TMP/summary.md\" GITHUB_OUTPUT=\"$TEST_TMP/output.txt\" exec \"$RELGATE\" check --cache-dir \"$CACHE\""
grep -q "^::error" "$TEST_TMP/last.out" && ok "GITHUB_ACTIONS=true: an ::error annotation" ||
	not_ok "GITHUB_ACTIONS=true: an ::error annotation" "$(head -c 300 "$TEST_TMP/last.out")"
[ -s "$TEST_TMP/summary.md" ] && ok "GITHUB_ACTIONS=true: a step summary" || not_ok "GITHUB_ACTIONS=true: a step summary" "empty"

# Upstream: a branch tracking origin/feature with one unpushed commit is
# compared with its upstream (+2 pointers: pass); once everything is pushed
# (upstream = HEAD) the base falls through: origin/HEAD is origin/feature
# here (the clone was made with feature checked out), also HEAD, so
# origin/main it is (+200: fail).
(cd "$c" && git checkout -q -b topic --track origin/feature && commit_n "$c" 206 "two more on top")
check_exit "upstream: an unpushed commit is judged against its upstream" 0 \
	sh -c "cd \"$c\" && exec \"$RELGATE\" check --cache-dir \"$CACHE\""
grep -q "merge-base(origin/feature" "$TEST_TMP/last.err" && ok "upstream: named as the base" ||
	not_ok "upstream: named as the base" "$(head -c 300 "$TEST_TMP/last.err")"
(cd "$c" && git checkout -q -b pushed --track origin/feature)
check_exit "upstream = HEAD: the base falls through to origin/main" 1 \
	sh -c "cd \"$c\" && exec \"$RELGATE\" check --cache-dir \"$CACHE\""
grep -q "merge-base(origin/main" "$TEST_TMP/last.err" && ok "upstream = HEAD: origin/main named" ||
	not_ok "upstream = HEAD: origin/main named" "$(head -c 300 "$TEST_TMP/last.err")"
cd "$r" || exit 1

# A dirty working tree: staged, unstaged, untracked, a stash.
echo "/* staged */" >>main.c && git add main.c
echo "unstaged" >>sub/dir/README
echo "untracked" >untracked.txt
mkdir -p newdir && echo "x" >newdir/file
echo "stashed" >stash.txt && git add stash.txt && git stash -q && echo "/* staged */" >>main.c && git add main.c
echo "/* staged again */" >>main.c && git add main.c
before=$(snapshot "$r")
check_exit "dirty working tree: judged (HEAD, not the working tree)" 1 "$RELGATE" check --cache-dir "$CACHE" --no-cache
after=$(snapshot "$r")
if [ "$before" = "$after" ]; then ok "dirty working tree: byte-identical after a failing run (status, files, index, refs, stash)"
else not_ok "dirty working tree: byte-identical after a failing run" "$(printf '%s\n' "$before" >"$TEST_TMP/a"; printf '%s\n' "$after" >"$TEST_TMP/b"; diff "$TEST_TMP/a" "$TEST_TMP/b" | head -5)"; fi
check_exit "dirty working tree: a passing run" 0 "$RELGATE" check --base HEAD --cache-dir "$CACHE"
after=$(snapshot "$r")
[ "$before" = "$after" ] && ok "dirty working tree: byte-identical after a passing run" ||
	not_ok "dirty working tree: byte-identical after a passing run" "changed"
check_exit "dirty working tree: an erroring run" 2 "$RELGATE" check --base nothing-here --cache-dir "$CACHE"
after=$(snapshot "$r")
[ "$before" = "$after" ] && ok "dirty working tree: byte-identical after an erroring run" ||
	not_ok "dirty working tree: byte-identical after an erroring run" "changed"
