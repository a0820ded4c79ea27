#!/bin/sh
# test_hook_install.sh - `relgate hook install|uninstall|path|show` on real
# repositories made here: the default hooks directory, core.hooksPath
# (absolute and relative to the worktree root), a linked worktree (hooks of
# the common directory), a foreign hook refused, --force, --chain and its
# undoing, the embedded script equal to hooks/pre-push byte for byte.
# Oracle: git itself (`git rev-parse --git-path hooks` resolves
# core.hooksPath the way git runs hooks), cmp, and the files on disk.
. "$ROOT/tests/lib.sh"

git_test_env

T=$TEST_TMP
"$RELGATE" hook show >"$T/shown" 2>"$T/err"
if cmp -s "$T/shown" "$ROOT/hooks/pre-push"; then ok "hook show: embedded script equals hooks/pre-push"
else not_ok "hook show: embedded script equals hooks/pre-push" "differs: run sh hooks/embed.sh"; fi

# The installed hook is hooks/pre-push with the absolute path of the relgate
# that installed it on its installed_relgate line (realpath(1) resolves it).
self=$(realpath "$RELGATE")
sed "s|^installed_relgate=''\$|installed_relgate='$self'|" "$ROOT/hooks/pre-push" >"$T/installed"
check_eq "the expected installed hook differs from the source by one line" 1 \
	"$(diff "$ROOT/hooks/pre-push" "$T/installed" | grep -c '^>')"

repo=$T/repo
git init -q -b main "$repo" && git -C "$repo" commit -q --allow-empty -m one
# git's own answer to "where are the hooks", absolute.
git_hooks() { (cd "$1" && cd "$(git rev-parse --git-path hooks)" && pwd -P); }
real() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd -P)" "$(basename "$1")"); }

# Default directory.
got=$(cd "$repo" && "$RELGATE" hook path)
check_eq "hook path: default is git's hooks directory" "$(git_hooks "$repo")/pre-push" "$(real "$got")"
check_exit "hook install: fresh repository" 0 sh -c "cd '$repo' && '$RELGATE' hook install"
hook=$(git_hooks "$repo")/pre-push
if [ -x "$hook" ] && cmp -s "$hook" "$T/installed"; then ok "hook install: executable copy of hooks/pre-push naming this relgate"
else not_ok "hook install: executable copy of hooks/pre-push naming this relgate" "$(ls -l "$hook" 2>&1; diff "$T/installed" "$hook" | head -5)"; fi
grep -q "the hook runs $self " "$TEST_TMP/last.out" && ok "hook install: says which relgate the hook runs" ||
	not_ok "hook install: says which relgate the hook runs" "$(cat "$TEST_TMP/last.out")"
check_exit "hook install: again updates our own hook" 0 sh -c "cd '$repo' && '$RELGATE' hook install"
grep -q '^updated ' "$TEST_TMP/last.out" && ok "hook install: says updated" || not_ok "hook install: says updated" "$(cat "$TEST_TMP/last.out")"
check_exit "hook install: from a subdirectory" 0 sh -c "mkdir -p '$repo/a/b' && cd '$repo/a/b' && '$RELGATE' hook install"
check_exit "hook uninstall: removes ours" 0 sh -c "cd '$repo' && '$RELGATE' hook uninstall"
[ ! -e "$hook" ] && ok "hook uninstall: file gone" || not_ok "hook uninstall: file gone" "still there"
check_exit "hook uninstall: nothing installed is fine" 0 sh -c "cd '$repo' && '$RELGATE' hook uninstall"

# A foreign hook: refused, then --chain, then uninstall restores it.
printf '#!/bin/sh\necho foreign >&2\n' >"$hook"; chmod +x "$hook"
cp "$hook" "$T/foreign"
check_exit "hook install: refuses a foreign hook" 2 sh -c "cd '$repo' && '$RELGATE' hook install"
grep -q -- '--chain' "$TEST_TMP/last.err" && ok "hook install: refusal names --chain/--force" || not_ok "hook install: refusal names --chain/--force" "$(cat "$TEST_TMP/last.err")"
cmp -s "$hook" "$T/foreign" && ok "hook install: foreign hook untouched" || not_ok "hook install: foreign hook untouched" "changed"
check_exit "hook uninstall: refuses a foreign hook" 2 sh -c "cd '$repo' && '$RELGATE' hook uninstall"
cmp -s "$hook" "$T/foreign" && ok "hook uninstall: foreign hook untouched" || not_ok "hook uninstall: foreign hook untouched" "changed"
check_exit "hook install --chain" 0 sh -c "cd '$repo' && '$RELGATE' hook install --chain"
if cmp -s "$hook.local" "$T/foreign" && cmp -s "$hook" "$T/installed"; then ok "hook install --chain: foreign kept as pre-push.local"
else not_ok "hook install --chain: foreign kept as pre-push.local" "$(ls "$(dirname "$hook")")"; fi
check_exit "hook install --chain: twice is an update" 0 sh -c "cd '$repo' && '$RELGATE' hook install --chain"
cmp -s "$hook.local" "$T/foreign" && ok "hook install --chain twice: pre-push.local kept" || not_ok "hook install --chain twice: pre-push.local kept" "changed"
check_exit "hook uninstall: after --chain" 0 sh -c "cd '$repo' && '$RELGATE' hook uninstall"
if cmp -s "$hook" "$T/foreign" && [ ! -e "$hook.local" ]; then ok "hook uninstall: chained hook restored"
else not_ok "hook uninstall: chained hook restored" "$(ls "$(dirname "$hook")")"; fi
check_exit "hook install --force" 0 sh -c "cd '$repo' && '$RELGATE' hook install --force"
cmp -s "$hook" "$T/installed" && ok "hook install --force: replaced" || not_ok "hook install --force: replaced" "not ours"
rm -f "$hook"

# core.hooksPath, relative: to the worktree root, even from a subdirectory.
git -C "$repo" config core.hooksPath .githooks
check_exit "hook install: relative core.hooksPath" 0 sh -c "cd '$repo/a/b' && '$RELGATE' hook install"
want=$(git_hooks "$repo")
case $want in */.githooks) ok "oracle: git resolves core.hooksPath to .githooks" ;;
*) not_ok "oracle: git resolves core.hooksPath to .githooks" "$want" ;; esac
[ -x "$want/pre-push" ] && [ ! -e "$repo/a/b/.githooks" ] && ok "hook install: into \$worktree/.githooks" || not_ok "hook install: into \$worktree/.githooks" "$(ls -a "$repo" "$repo/a/b")"
# Absolute core.hooksPath (a directory that does not exist yet).
git -C "$repo" config core.hooksPath "$T/shared-hooks/deep"
check_exit "hook install: absolute core.hooksPath" 0 sh -c "cd '$repo' && '$RELGATE' hook install"
[ -x "$T/shared-hooks/deep/pre-push" ] && ok "hook install: into the absolute hooksPath" || not_ok "hook install: into the absolute hooksPath" "missing"
git -C "$repo" config --unset core.hooksPath

# A linked worktree shares the main repository's hooks directory.
git -C "$repo" worktree add -q "$T/wt" -b side 2>/dev/null
got=$(cd "$T/wt" && "$RELGATE" hook path)
check_eq "hook path: linked worktree uses the common hooks" "$(git_hooks "$T/wt")/pre-push" "$(real "$got")"
check_eq "oracle: common hooks are the main repository's" "$(git_hooks "$repo")" "$(git_hooks "$T/wt")"

# Usage errors.
check_exit "hook: no subcommand" 2 "$RELGATE" hook
check_exit "hook: unknown subcommand" 2 "$RELGATE" hook frobnicate
check_exit "hook install: unknown option" 2 sh -c "cd '$repo' && '$RELGATE' hook install --bogus"
check_exit "hook install: outside a repository" 2 sh -c "cd '$T' && GIT_CEILING_DIRECTORIES='$T' '$RELGATE' hook install"

# '--' ends the options, as for every command (the shared rg_opts_parse):
# accepted after the options, and a word after it is refused as a word.
dd=$T/dashrepo
git init -q -b main "$dd" && git -C "$dd" commit -q --allow-empty -m one
check_exit "hook path --: the end of options" 0 sh -c "cd '$dd' && '$RELGATE' hook path --"
check_eq "hook path --: git's hooks directory" "$(git_hooks "$dd")/pre-push" "$(real "$(cat "$TEST_TMP/last.out")")"
check_exit "hook install --force --: installs" 0 sh -c "cd '$dd' && '$RELGATE' hook install --force --"
cmp -s "$(git_hooks "$dd")/pre-push" "$T/installed" && ok "hook install --force --: the hook written" ||
	not_ok "hook install --force --: the hook written" "$(ls -l "$(git_hooks "$dd")" 2>&1)"
check_exit "hook install -- --force: a word after --" 2 sh -c "cd '$dd' && '$RELGATE' hook install -- --force"
check_eq "hook install -- --force: said" "relgate: hook install: unexpected argument '--force'" \
	"$(cat "$TEST_TMP/last.err")"
check_exit "hook uninstall --force: install's option" 2 sh -c "cd '$dd' && '$RELGATE' hook uninstall --force"
check_eq "hook uninstall --force: said" "relgate: hook uninstall: unexpected argument '--force'" \
	"$(cat "$TEST_TMP/last.err")"
check_exit "hook install --bogus: said as every command says it" 2 sh -c "cd '$dd' && '$RELGATE' hook install --bogus"
check_eq "hook install --bogus: one line" \
	"relgate: hook install: unknown option '--bogus' (see 'relgate help hook install')" \
	"$(cat "$TEST_TMP/last.err")"
check_exit "hook uninstall --: removes the hook" 0 sh -c "cd '$dd' && '$RELGATE' hook uninstall --"
[ ! -e "$(git_hooks "$dd")/pre-push" ] && ok "hook uninstall --: no pre-push left" ||
	not_ok "hook uninstall --: no pre-push left" "$(ls -l "$(git_hooks "$dd")")"
check_exit "hook install --help: the help, exit 0" 0 "$RELGATE" hook install --help
grep -q '^usage: relgate hook install' "$TEST_TMP/last.out" && ok "hook install --help: prints the usage" ||
	not_ok "hook install --help: prints the usage" "$(head -3 "$TEST_TMP/last.out")"

# relgate not on PATH: the hook runs the relgate that installed it.
pushrepo=$T/pushrepo
git init -q -b main "$pushrepo" && git init -q --bare "$T/pushremote.git"
git -C "$pushrepo" remote add origin "$T/pushremote.git"
mkdir -p "$T/elsewhere" && cp "$RELGATE" "$T/elsewhere/relgate"
(cd "$pushrepo" && env -u RELGATE_BIN "$T/elsewhere/relgate" hook install) >"$T/inst.out" 2>&1
grep -q "the hook runs $(realpath "$T/elsewhere/relgate") " "$T/inst.out" &&
	ok "hook install (relgate not on PATH): names the relgate it records" ||
	not_ok "hook install (relgate not on PATH): names the relgate it records" "$(cat "$T/inst.out")"
echo 'version: 1' >"$pushrepo/relgate.yml"
git -C "$pushrepo" add relgate.yml && git -C "$pushrepo" commit -qm one
git -C "$pushrepo" push -q --no-verify origin main 2>/dev/null
git -C "$pushrepo" commit -q --allow-empty -m two
command -v relgate >/dev/null 2>&1 && skip "hook without relgate on PATH" "a relgate is on PATH" || {
	env -u RELGATE_BIN git -C "$pushrepo" push origin main >"$T/push.out" 2>&1
	# relgate.yml lacks 'targets': relgate itself ran and said so (exit 2).
	grep -q "could not judge the change (exit 2)" "$T/push.out" &&
		ok "hook: runs the recorded relgate when none is on PATH" ||
		not_ok "hook: runs the recorded relgate when none is on PATH" "$(cat "$T/push.out")"
	rm -f "$T/elsewhere/relgate"
	env -u RELGATE_BIN git -C "$pushrepo" push origin main >"$T/push.out" 2>&1
	grep -q "relgate not found (not at $(realpath "$T/elsewhere")/relgate" "$T/push.out" &&
		ok "hook: a recorded relgate that is gone is named in the error" ||
		not_ok "hook: a recorded relgate that is gone is named in the error" "$(cat "$T/push.out")"
}

# Installed through a symbolic link (a package manager's bin/relgate): the
# link is recorded, not the versioned file behind it, which an upgrade
# removes.
mkdir -p "$T/linkbin" && ln -s "$RELGATE" "$T/linkbin/relgate"
(cd "$pushrepo" && "$T/linkbin/relgate" hook install) >"$T/inst.out" 2>&1
check_eq "hook install through a symlink: records the link" "installed_relgate='$T/linkbin/relgate'" \
	"$(grep '^installed_relgate=' "$(git_hooks "$pushrepo")/pre-push")"
