#!/bin/sh
# test_precommit_manifest.sh - .pre-commit-hooks.yaml under the pre-commit
# framework itself (Debian 12 ships 3.0.4, which rejects the stage names
# pre-commit 3.2 introduced): pre-commit try-repo loads the manifest from a
# git repository holding it and runs both hooks on a repository made here.
# Oracles: pre-commit's own verdict and exit code, and the build counter
# (what relgate built: the pushed range's base and head, then the staged
# tree).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/e2e/check_lib.sh"

need pre-commit || { skip "pre-commit manifest" "pre-commit not installed (scripts/setup.sh --tests)"; exit 0; }
T=$TEST_TMP
export PRE_COMMIT_HOME="$T/pre-commit-home" COUNTER="$T/builds"
: >"$COUNTER"
mkdir -p "$T/hookrepo" "$T/bin"
cp -R "$ROOT/hooks" "$ROOT/.pre-commit-hooks.yaml" "$T/hookrepo/"
git init -q -b main "$T/hookrepo"
git -C "$T/hookrepo" add -A && git -C "$T/hookrepo" commit -q -m manifest
ln -s "$RELGATE" "$T/bin/relgate"
export PATH="$T/bin:$PATH"
unset RELGATE_BIN

repo=$T/repo
git init -q -b main "$repo"
gen_c 4 >"$repo/main.c"
counted_yml "$repo/relgate.yml" 10
git -C "$repo" add -A && git -C "$repo" commit -q -m base
A=$(git -C "$repo" rev-parse HEAD)
gen_c 6 >"$repo/main.c" && git -C "$repo" commit -q -am "two more"
B=$(git -C "$repo" rev-parse HEAD)

(cd "$repo" && pre-commit try-repo "$T/hookrepo" relgate --hook-stage push \
	--from-ref "$A" --to-ref "$B") >"$T/out" 2>&1
rc=$?
if grep -q InvalidManifestError "$T/out"; then not_ok "pre-commit $(pre-commit --version | cut -d' ' -f2) accepts the manifest" "$(grep -A4 InvalidManifestError "$T/out")"
else ok "pre-commit $(pre-commit --version | cut -d' ' -f2) accepts the manifest"; fi
check_eq "relgate (push stage): +2 relocations within the budget of 10: pre-commit passes" 0 "$rc"
check_eq "relgate (push stage): built base and head" "base head" "$(tr '\n' ' ' <"$COUNTER" | sed 's/ $//')"

# relgate-staged: the staged tree, 20 more pointers than HEAD: over budget.
: >"$COUNTER"
gen_c 26 >"$repo/main.c" && git -C "$repo" add main.c
(cd "$repo" && pre-commit try-repo "$T/hookrepo" relgate-staged) >"$T/out" 2>&1
check_eq "relgate-staged: +20 staged relocations over the budget of 10: pre-commit fails" 1 "$?"
grep -q "Failed" "$T/out" && ok "relgate-staged: pre-commit says Failed" || not_ok "relgate-staged: pre-commit says Failed" "$(tail -5 "$T/out")"
check_eq "relgate-staged: built only the staged tree (its base, HEAD, was the push stage's head: cached)" "head" "$(tr '\n' ' ' <"$COUNTER" | sed 's/ $//')"
git -C "$repo" reset -q --hard
: >"$COUNTER"
gen_c 8 >"$repo/main.c" && git -C "$repo" add main.c
(cd "$repo" && pre-commit try-repo "$T/hookrepo" relgate-staged) >"$T/out" 2>&1
check_eq "relgate-staged: +2 staged relocations: pre-commit passes" 0 "$?"
