#!/bin/sh
# tests/e2e/test_check_cache_targets.sh - two targets whose build settings
# are the same text and differ only through $RELGATE_TARGET (the variable
# relgate sets for every build, docs/gate.md "Builds") must not share a cache
# entry: each is judged on its own binary, on the first run and on the
# cached second run. Hand derivation: small.c has 10 relocated pointers,
# big.c 400 (gen_c, check_lib.sh), so big's relocs.relative exceeds
# small's by 390 whatever the toolchain; readelf counts both.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/e2e/check_lib.sh"
need git cc readelf python3 || { skip "cache per target" "git, cc, readelf or python3 missing"; exit 0; }
r="$TEST_TMP/repo"
mkdir -p "$r" && cd "$r" && git init -q
gen_c 10 > small.c
gen_c 400 > big.c
cat > relgate.yml <<'YML'
version: 1
targets:
  small:
    build: cc -O1 -fPIE -pie -o "$RELGATE_OUT/prog" "$RELGATE_TARGET.c"
    artifact: $RELGATE_OUT/prog
    budgets:
      relocs.relative: { max_increase: 0 }
  big:
    build: cc -O1 -fPIE -pie -o "$RELGATE_OUT/prog" "$RELGATE_TARGET.c"
    artifact: $RELGATE_OUT/prog
    budgets:
      relocs.relative: { max_increase: 0 }
YML
git add . && git commit -qm base && echo '/* head */' >> small.c && git commit -qam head
cc -O1 -fPIE -pie -o "$TEST_TMP/small" small.c && cc -O1 -fPIE -pie -o "$TEST_TMP/big" big.c
want_small=$(readelf -rW "$TEST_TMP/small" | grep -c '_RELATIVE')
want_big=$(readelf -rW "$TEST_TMP/big" | grep -c '_RELATIVE')
for run in first second; do
	check_exit "$run run: check exits 0" 0 "$RELGATE" check --base HEAD~1 --cache-dir "$CACHE" --format json
	got=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
out = {t["name"]: t["metrics"]["head"].get("relocs.relative") for t in d["targets"]}
print(out.get("small"), out.get("big"))' "$TEST_TMP/last.out")
	check_eq "$run run: each target measured on its own binary (readelf)" "$want_small $want_big" "$got"
done
