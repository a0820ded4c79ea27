#!/bin/sh
# test_check_uncommitted.sh - `relgate check --head worktree|index` on a
# real repository: what is built (tracked files as on disk, deleted ones
# gone, untracked files in, ignored ones out; the index's staged blobs),
# that the computed tree id is git's own (oracle: a copy of the repository
# where git commits the same state; checking that commit hits the cache
# entry the uncommitted run stored, so no build), the measured number
# (oracle: readelf on the same source built here), and that .git stays
# byte-identical, objects included (sha256 of every file, and the file
# list, before and after).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/e2e/check_lib.sh"

T=$TEST_TMP
repo=$T/repo
export COUNTER="$T/builds"
: >"$COUNTER"
git init -q -b main "$repo"
# Names that test git's tree order: "a-b" < "a.c" < "a/" < "a0".
mkdir -p "$repo/a/deep"
echo 1 >"$repo/a-b"; echo 2 >"$repo/a.c"; echo 3 >"$repo/a/deep/x"; echo 4 >"$repo/a0"
ln -s a.c "$repo/link"
printf '#!/bin/sh\necho hi\n' >"$repo/tool.sh" && chmod +x "$repo/tool.sh"
echo 'ignored.txt' >"$repo/.gitignore"
echo gone >"$repo/deleted.txt"
gen_c 4 >"$repo/main.c"
echo '#define EXTRA 0' >"$repo/extra.h"
cat >"$repo/relgate.yml" <<'EOF'
version: 1
targets:
  app:
    build: >-
      echo "$RELGATE_SIDE" >>"$COUNTER" && test ! -e ignored.txt && test ! -e deleted.txt &&
      test -x tool.sh && test -L link &&
      cc -O1 -fPIE -pie -include extra.h -o "$RELGATE_OUT/app" main.c
    artifact: $RELGATE_OUT/app
    budgets:
      relocs.relative: { max_increase: 50 }
EOF
git -C "$repo" add -A && git -C "$repo" commit -q -m base
git -C "$repo" rm -q --cached deleted.txt && git -C "$repo" commit -q -m "untrack deleted.txt"
rm "$repo/deleted.txt"; echo ignored >"$repo/ignored.txt"
base_count=$(readelf -rW "$(cc -O1 -fPIE -pie -o "$T/b.bin" "$repo/main.c" && echo "$T/b.bin")" | grep -c _RELATIVE)

# The developer stages 7 pointers, then edits on to 11 without staging,
# and adds an untracked header the build needs.
gen_c 7 >"$repo/main.c" && git -C "$repo" add main.c
gen_c 11 >"$repo/main.c"
mkdir -p "$repo/new/dir" && echo '#define NEW 1' >"$repo/new/dir/n.h"
echo '#include "new/dir/n.h"' >"$repo/extra.h"
rm "$repo/a0"

snapshot "$repo" >"$T/before"
relgate_check() { (cd "$repo" && "$RELGATE" check --cache-dir "$T/cache" --format json "$@") >"$T/out.json" 2>"$T/err"; }
head_value() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["targets"][0]["metrics"]["head"]["relocs.relative"])' "$T/out.json"; }

relgate_check --head worktree
check_eq "--head worktree: exit 0" 0 "$?"
snapshot "$repo" >"$T/after"
if cmp -s "$T/before" "$T/after"; then ok "--head worktree: .git and the working tree byte-identical (objects included)"
else not_ok "--head worktree: .git and the working tree byte-identical (objects included)" "$(diff "$T/before" "$T/after" | head -5)"; fi
cc -O1 -fPIE -pie -include "$repo/extra.h" -I"$repo" -o "$T/w.bin" "$repo/main.c"
check_eq "--head worktree: relocs.relative of the working tree's main.c (readelf)" \
	"$(readelf -rW "$T/w.bin" | grep -c _RELATIVE)" "$(head_value)"
check_eq "--head worktree: base (HEAD) and head built" "base head" "$(tr '\n' ' ' <"$COUNTER" | sed 's/ $//')"

relgate_check --head index
check_eq "--head index: exit 0" 0 "$?"
snapshot "$repo" >"$T/after"
if cmp -s "$T/before" "$T/after"; then ok "--head index: .git and the working tree byte-identical (objects included)"
else not_ok "--head index: .git and the working tree byte-identical (objects included)" "$(diff "$T/before" "$T/after" | head -5)"; fi
git -C "$repo" show :main.c >"$T/staged.c"
git -C "$repo" show :extra.h >"$T/extra.h"
cc -O1 -fPIE -pie -include "$T/extra.h" -o "$T/i.bin" "$T/staged.c"
check_eq "--head index: relocs.relative of the staged main.c (readelf)" \
	"$(readelf -rW "$T/i.bin" | grep -c _RELATIVE)" "$(head_value)"
check_eq "--head index: base from the cache, head built" "base head head" "$(tr '\n' ' ' <"$COUNTER" | sed 's/ $//')"
check_eq "the base is HEAD's tree: relocs.relative as readelf counts it" "$base_count" \
	"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["targets"][0]["metrics"]["base"]["relocs.relative"])' "$T/out.json")"

# The tree ids are git's: commit the same states in copies, check those
# commits with the same cache: hits, no build.
cp -a "$repo" "$T/wcopy" && git -C "$T/wcopy" add -A && git -C "$T/wcopy" commit -q -m wt
cp -a "$repo" "$T/icopy" && git -C "$T/icopy" commit -q -m staged
: >"$COUNTER"
(cd "$T/wcopy" && "$RELGATE" check --cache-dir "$T/cache") >/dev/null 2>"$T/err"
check_eq "git's commit of the working tree: same tree id (cache hit, nothing built)" "" "$(cat "$COUNTER")"
(cd "$T/icopy" && "$RELGATE" check --cache-dir "$T/cache") >/dev/null 2>"$T/err"
check_eq "git's commit of the index: same tree id (cache hit, nothing built)" "" "$(cat "$COUNTER")"

# Refusals: a range with --head worktree; a bare repository.
relgate_check main~1..main --head worktree
check_eq "--head worktree with a range: exit 2" 2 "$?"
git clone -q --bare "$repo" "$T/bare.git" 2>/dev/null
(cd "$T/bare.git" && "$RELGATE" check --head index --base main) >/dev/null 2>"$T/err"
check_eq "--head index in a bare repository: exit 2" 2 "$?"
grep -q "bare repository" "$T/err" && ok "bare repository: says so" || not_ok "bare repository: says so" "$(cat "$T/err")"
