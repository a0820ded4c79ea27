#!/bin/sh
# relgate check on a real repository: pass, warn, fail, revision forms
# (annotated tag, A..B, A...B, default base), the cache (a second run does
# not build the base again), --no-cache, --jobs 2, --target, --format json,
# and budgets loosened by the head (still judged by the base's).
# Expected verdicts: see the derivation in check_lib.sh (one relative
# relocation per pointer); the failing delta is also counted with readelf.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/e2e/check_lib.sh"

r=$TEST_TMP/verdicts
new_repo "$r" 4
git -C "$r" tag -a v0 -m "release 0"
git -C "$r" checkout -q -b feature
commit_n "$r" 6 "two more pointers"       # +2: pass
c1=$(git -C "$r" rev-parse HEAD)
commit_n "$r" 34 "thirty more pointers"   # +30: over warn_increase 16, under max_increase 50
c2=$(git -C "$r" rev-parse HEAD)
commit_n "$r" 204 "two hundred more"      # +200: over max_increase 50
c3=$(git -C "$r" rev-parse HEAD)
cd "$r" || exit 1

check_exit "pass: +2 relocations within budget (annotated tag as base)" 0 \
	"$RELGATE" check --base v0 --head "$c1" --cache-dir "$CACHE"
check_eq "first run builds the base once" 1 "$(builds "$r" base)"
grep -q "$(git rev-parse --short=7 "$c1")" "$TEST_TMP/last.err" &&
	ok "progress names the head commit" || not_ok "progress names the head commit" "$(cat "$TEST_TMP/last.err")"

check_exit "warn: +30 is a warning, exit 0 (range A..B)" 0 \
	"$RELGATE" check "v0..$c2" --cache-dir "$CACHE"
grep -qi "warn" "$TEST_TMP/last.out" && ok "warn: the report says so" ||
	not_ok "warn: the report says so" "$(head -c 600 "$TEST_TMP/last.out")"
check_eq "cache hit: the base was not built again" 1 "$(builds "$r" base)"

check_exit "fail: +200 breaks max_increase 50 (default base)" 1 \
	"$RELGATE" check --cache-dir "$CACHE" --json-out "$TEST_TMP/fail.json" --markdown-out "$TEST_TMP/fail.md"
check_eq "cache hit again: base still built once" 1 "$(builds "$r" base)"
# The summary names each side by its own commit, as git does.
grep -q "→ head \`$(git rev-parse "$c3")\`" "$TEST_TMP/fail.md" &&
	ok "markdown summary names the head commit" ||
	not_ok "markdown summary names the head commit" "$(grep -m1 'head' "$TEST_TMP/fail.md")"
grep -q "^Base \`$(git merge-base main "$c3")\`" "$TEST_TMP/fail.md" &&
	ok "markdown summary names the base commit" ||
	not_ok "markdown summary names the base commit" "$(grep -m1 'Base' "$TEST_TMP/fail.md")"

# Independent count: build both sides as the target does and ask readelf.
git show "main:main.c" >"$TEST_TMP/b.c" && git show "$c3:main.c" >"$TEST_TMP/h.c"
cc -O1 -fPIE -pie -o "$TEST_TMP/b.bin" "$TEST_TMP/b.c" && cc -O1 -fPIE -pie -o "$TEST_TMP/h.bin" "$TEST_TMP/h.c"
nb=$(readelf -rW "$TEST_TMP/b.bin" | grep -c '_RELATIVE ')
nh=$(readelf -rW "$TEST_TMP/h.bin" | grep -c '_RELATIVE ')
check_eq "readelf: the head adds 200 relative relocations" 200 "$((nh - nb))"
got=$(python3 - "$TEST_TMP/fail.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
found = []
def walk(o):
    if isinstance(o, dict):
        if o.get("metric") == "relocs.relative" and o.get("kind", o.get("rule", "")) in ("max_increase", "") and "delta" in o:
            found.append(o)
        for v in o.values(): walk(v)
    elif isinstance(o, list):
        for v in o: walk(v)
walk(doc)
print(" ".join(sorted({"%s/%s/%s" % (f.get("base"), f.get("head"), f.get("delta")) for f in found})) or "none")
PY
)
check_eq "JSON report: base/head/delta of relocs.relative match readelf" "$nb/$nh/$((nh - nb))" "$got"
grep -q "$c3" "$TEST_TMP/fail.json" && grep -q "two hundred more" "$TEST_TMP/fail.json" &&
	ok "JSON report: head commit id and subject" || not_ok "JSON report: head commit id and subject" "missing"
grep -q "$(git rev-parse main)" "$TEST_TMP/fail.json" &&
	ok "JSON report: base commit id" || not_ok "JSON report: base commit id" "missing"

check_exit "fail: A...B (merge base) form" 1 "$RELGATE" check "main...$c3" --cache-dir "$CACHE"

before=$(builds "$r" base)
check_exit "--no-cache --jobs 2 builds both sides side by side" 1 \
	"$RELGATE" check --no-cache --jobs 2 --cache-dir "$CACHE"
check_eq "--no-cache built the base again" "$((before + 1))" "$(builds "$r" base)"

nb=$(builds "$r" base); nh=$(builds "$r" head)
check_exit "base = head: exit 0" 0 "$RELGATE" check --base HEAD --no-cache
check_eq "base = head: one build serves both sides" "$((nb + 1))/$nh" "$(builds "$r" base)/$(builds "$r" head)"

check_exit "--target app" 1 "$RELGATE" check --target app --cache-dir "$CACHE"
check_exit "--target unknown: exit 2" 2 "$RELGATE" check --target nope --cache-dir "$CACHE"
grep -q "nope" "$TEST_TMP/last.err" && ok "--target unknown names it" || not_ok "--target unknown names it" "$(cat "$TEST_TMP/last.err")"
check_exit "--format json" 1 "$RELGATE" check --format json --cache-dir "$CACHE"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d.get("schema_version") == 1' \
	"$TEST_TMP/last.out" 2>/dev/null && ok "--format json: a JSON document with schema_version 1" ||
	not_ok "--format json: a JSON document with schema_version 1" "$(head -c 300 "$TEST_TMP/last.out")"
check_exit "bad option: exit 2" 2 "$RELGATE" check --frobnicate
check_exit "unknown revision: exit 2" 2 "$RELGATE" check --base no-such-branch --cache-dir "$CACHE"

# The head loosens its own budget: still judged by the base's relgate.yml.
write_yml relgate.yml "$TEST_TMP/counter.verdicts" 100000 100000
git commit -q -am "loosen the budget"
check_exit "head loosens relgate.yml: still fails (base budgets)" 1 \
	"$RELGATE" check --cache-dir "$CACHE" --json-out "$TEST_TMP/loose.json"
grep -q '^+ *relocs.relative: { max_increase: 100000' "$TEST_TMP/last.out" && ok "the text report shows the rule diff" ||
	not_ok "the text report shows the rule diff" "$(tail -n 8 "$TEST_TMP/last.out")"
grep -q '^relgate.yml as changed by the head (not used for this check):$' "$TEST_TMP/last.out" &&
	ok "the text report says the head's rules did not judge it" ||
	not_ok "the text report says the head's rules did not judge it" "$(tail -n 8 "$TEST_TMP/last.out")"
grep -q '100000' "$TEST_TMP/loose.json" && ok "the report shows the rule diff" ||
	not_ok "the report shows the rule diff" "no 100000 in the JSON report"
python3 - "$TEST_TMP/loose.json" <<'PY' && ok "the report says relgate.yml changed" || not_ok "the report says relgate.yml changed" "budgets_changed not true"
import json, sys
doc = json.load(open(sys.argv[1]))
def walk(o):
    if isinstance(o, dict):
        if o.get("budgets_changed") is True or o.get("changed") is True: return True
        return any(walk(v) for v in o.values())
    if isinstance(o, list): return any(walk(v) for v in o)
    return False
sys.exit(0 if walk(doc) else 1)
PY
check_exit "--budgets-from head uses the loosened budget" 0 \
	"$RELGATE" check --budgets-from head --cache-dir "$CACHE"
grep -q '^relgate.yml as changed by the head (used for this check):$' "$TEST_TMP/last.out" &&
	ok "--budgets-from head: the text report says the head's rules judged it" ||
	not_ok "--budgets-from head: the text report says the head's rules judged it" "$(tail -n 8 "$TEST_TMP/last.out")"

# Adoption: the head adds relgate.yml. The target is new: the base is not
# built, increase rules are skipped, max rules judge the head.
a=$TEST_TMP/adopt
mkdir -p "$a" && git -C "$a" init -q && gen_c 4 >"$a/main.c" && git -C "$a" add main.c && git -C "$a" commit -q -m "no budgets yet"
git -C "$a" checkout -q -b add-budgets
gen_c 204 >"$a/main.c"
write_yml "$a/relgate.yml" "$TEST_TMP/counter.adopt"
git -C "$a" add -A && git -C "$a" commit -q -m "add relgate.yml"
(cd "$a" && check_exit "head adds relgate.yml: judged by max rules only (exit 0)" 0 "$RELGATE" check --cache-dir "$CACHE" --json-out "$TEST_TMP/adopt.json")
check_eq "head adds relgate.yml: the base is not built" 0 "$(builds "$a" base)"
check_eq "head adds relgate.yml: the head is built" 1 "$(builds "$a" head)"
grep -q "new target" "$TEST_TMP/adopt.json" && ok "head adds relgate.yml: the report says the target is new" ||
	not_ok "head adds relgate.yml: the report says the target is new" "no note"
