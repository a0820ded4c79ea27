#!/bin/sh
# What the export writes: executable bits and symlinks as committed (the
# build runs ./build.sh and compiles through a symlink), submodules at
# their recorded commit from .git/modules, a clear exit 3 when a
# submodule's objects are absent, and `submodules: skip` to build without.
# Checked by --keep: the kept tree is compared with `git ls-tree` (mode and
# blob ids via `git hash-object`) of the same commit.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/e2e/check_lib.sh"

lib=$TEST_TMP/lib
mkdir -p "$lib" && git -C "$lib" init -q
echo 'const char *lib_name(void) { return "lib v1"; }' >"$lib/lib.c"
git -C "$lib" add lib.c && git -C "$lib" commit -q -m "lib v1"
v1=$(git -C "$lib" rev-parse HEAD)
echo 'const char *lib_name(void) { return "lib v2"; }' >"$lib/lib.c"
git -C "$lib" commit -q -am "lib v2"

r=$TEST_TMP/exp
mkdir -p "$r" && cd "$r" && git init -q
gen_c 4 >main.c
ln -s main.c link.c
printf '#!/bin/sh\nexec cc -O1 -fPIE -pie -o "$RELGATE_OUT/app" link.c vendor/lib/lib.c\n' >build.sh
chmod +x build.sh
git submodule -q add "file://$lib" vendor/lib 2>/dev/null || git submodule add "file://$lib" vendor/lib
git -C vendor/lib checkout -q "$v1"
cat >relgate.yml <<'YML'
version: 1
targets:
  app:
    build: ./build.sh
    artifact: $RELGATE_OUT/app
    budgets:
      relocs.relative: { max_increase: 50 }
YML
git add -A && git commit -q -m "app with a submodule at lib v1"
git checkout -q -b feature
gen_c 10 >main.c && git commit -q -am "six more pointers"

check_exit "exec bit, symlink and submodule exported: the build works" 0 \
	"$RELGATE" check --no-cache --keep
kept=$(sed -n 's/^relgate: kept the exported trees, outputs and logs in //p' "$TEST_TMP/last.err")
if [ -d "$kept/head" ]; then
	bad=$(git ls-tree -r HEAD | while read -r mode type id path; do
		case $type in
		blob)
			if [ "$mode" = 120000 ]; then
				[ -L "$kept/head/$path" ] && [ "$(readlink "$kept/head/$path")" = "$(git cat-file blob "$id")" ] || echo "$path"
			else
				[ "$(git hash-object "$kept/head/$path")" = "$id" ] || echo "$path"
				if [ "$mode" = 100755 ]; then [ -x "$kept/head/$path" ] || echo "$path:mode"
				else [ ! -x "$kept/head/$path" ] || echo "$path:mode"; fi
			fi ;;
		commit)
			[ "$(git hash-object "$kept/head/$path/lib.c")" = "$(git -C vendor/lib rev-parse "$id:lib.c")" ] || echo "$path" ;;
		esac
	done)
	check_eq "kept head tree matches git ls-tree (modes, blobs, symlink, submodule)" "" "$bad"
	grep -q "lib v1" "$kept/head/vendor/lib/lib.c" && ok "submodule at its recorded commit (v1, not the newer v2)" ||
		not_ok "submodule at its recorded commit" "$(cat "$kept/head/vendor/lib/lib.c")"
	[ ! -e "$kept/head/.git" ] && ok "no .git in the export" || not_ok "no .git in the export" "found"
	rm -rf "$kept"
else
	not_ok "--keep prints the kept directory" "$(cat "$TEST_TMP/last.err")"
fi

# A clone without its submodules: their objects are not in .git/modules.
c=$TEST_TMP/nosub
git clone -q "$r" "$c" && git -C "$c" checkout -q feature
(cd "$c" && check_exit "submodule objects absent: exit 3" 3 "$RELGATE" check --base origin/main --no-cache)
grep -q "vendor/lib" "$TEST_TMP/last.err" && grep -q "submodule update" "$TEST_TMP/last.err" &&
	ok "submodule absent: names it and the fix" || not_ok "submodule absent: names it and the fix" "$(cat "$TEST_TMP/last.err")"
cat >"$c/relgate.yml" <<'YML'
version: 1
targets:
  app:
    build: cc -O1 -fPIE -pie -o "$RELGATE_OUT/app" main.c
    artifact: $RELGATE_OUT/app
    submodules: skip
    budgets:
      relocs.relative: { max_increase: 50 }
YML
(cd "$c" && check_exit "submodules: skip builds without them" 0 "$RELGATE" check --base origin/main --budgets-from worktree --no-cache)
