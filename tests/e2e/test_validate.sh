#!/bin/sh
# tests/e2e/test_validate.sh - `relgate validate` and the relgate.yml loader
# through the CLI. Positions are judged by an independent YAML
# implementation: PyYAML's pure-Python composer (yaml.SafeLoader, not the
# libyaml binding), whose node marks give the line and column of every key
# and value, and whose scanner reports syntax errors at its problem mark.
# The schema docs/relgate.schema.json is checked with a small validator
# written here (draft-07 subset: no pip packages).
. "$ROOT/tests/lib.sh"
cd "$TEST_TMP" || exit 1

if ! python3 -c 'import yaml' 2>/dev/null; then
	skip "validate positions" "python3-yaml is not installed (scripts/setup.sh --tests)"
	exit 0
fi

cat >oracle.py <<'PY'
# oracle.py BATCH: each line "ID CMD FILE ARGS..." (space separated); prints
# "ID L:C" per line. Commands:
#   pos FILE K1 K2 ... [@KEY]   the value at the key path, or the key node @KEY
#   dupkey FILE K1 ... KEY      the second KEY of the mapping
#   syntax FILE                 PyYAML's problem mark
# (one python3 run for every case: python start-up is slow on a busy box)
import sys, yaml
def compose(path):
    return yaml.compose(open(path).read(), Loader=yaml.SafeLoader)
def walk(node, keys):
    for k in keys:
        for kn, vn in node.value:
            if kn.value == k:
                node = vn
                break
        else:
            sys.exit("no key " + k)
    return node
def mark(m):
    return "%d:%d" % (m.line + 1, m.column + 1)
def one(cmd, path, keys):
    if cmd == "pos":
        if keys and keys[-1].startswith("@"):
            node = walk(compose(path), keys[:-1])
            for kn, vn in node.value:
                if kn.value == keys[-1][1:]:
                    return mark(kn.start_mark)
        return mark(walk(compose(path), keys).start_mark)
    if cmd == "dupkey":
        node = walk(compose(path), keys[:-1])
        return mark([kn for kn, vn in node.value if kn.value == keys[-1]][1].start_mark)
    try:
        list(yaml.parse(open(path).read(), Loader=yaml.SafeLoader))
        return "no-error"
    except yaml.MarkedYAMLError as e:
        return mark(e.problem_mark)
for line in open(sys.argv[1]):
    f = line.split()
    print(f[0], one(f[1], f[2], f[3:]))
PY

head='version: 1
targets:
  app:
    build: make
    artifact: out/app
'

# case_err NAME FILE_BODY EXPECTED_MESSAGE ORACLE_CMD ORACLE_ARGS...: records a
# case; run_cases asks the oracle for every position at once, then runs them.
n=0
: >batch
case_err() {
	n=$((n + 1))
	printf '%s' "$2" >"c$n.yml"
	printf '%s\n' "$1" >"c$n.name"
	printf '%s\n' "$3" >"c$n.msg"
	cmd=$4; shift 5
	echo "$n $cmd c$n.yml $*" >>batch
}
run_cases() {
	python3 oracle.py batch >positions
	i=0
	while [ $i -lt $n ]; do
		i=$((i + 1))
		name=$(cat "c$i.name"); msg=$(cat "c$i.msg")
		pos=$(sed -n "s/^$i //p" positions)
		"$RELGATE" validate "c$i.yml" >out 2>err
		rc=$?
		check_eq "validate: $name: exit 2" 2 "$rc"
		check_eq "validate: $name: message at PyYAML's position" "relgate: c$i.yml:$pos: $msg" "$(cat err)"
		check_eq "validate: $name: nothing on stdout" "" "$(cat out)"
	done
}

case_err "unknown rule" "$head    budgets:
      file.size:
        maxx: 1MiB
" "unknown rule 'maxx' (did you mean 'max'?) (expected max, warn_max, max_increase, warn_increase)" \
	pos c.yml targets app budgets file.size @maxx
case_err "duplicate key" "$head    budgets:
      file.size: { max: 1MiB, warn_max: 1, max: 2MiB }
" "duplicate key 'max' (first at line 7)" dupkey c.yml targets app budgets file.size max
case_err "bad unit" "$head    budgets:
      file.size:   { max: 16 kb }
" "bad value '16 kb' for max: bad unit (expected B, KiB, MiB, GiB, KB, MB, GB)" \
	pos c.yml targets app budgets file.size max
case_err "negative" "$head    budgets:
      vm.size:
        warn_max: -1
" "bad value '-1' for warn_max: negative values are not allowed" pos c.yml targets app budgets vm.size warn_max
case_err "overflow" "$head    budgets:
      vm.size: {max: 18446744073709551616}
" "bad value '18446744073709551616' for max: number too large" pos c.yml targets app budgets vm.size max
case_err "unknown metric" "$head    budgets:
      dirty.relro.byte: { max: 1 }
" "unknown metric 'dirty.relro.byte' (did you mean 'dirty.relro.bytes'?) (the catalog: man relgate, or metrics.md in share/doc/relgate)" pos c.yml targets app budgets @dirty.relro.byte
case_err "wrong type" "$head    budgets:
      - file.size
" "budgets must be a mapping, got a list" pos c.yml targets app budgets
case_err "null rule" "$head    budgets:
      file.size:
        max:
" "max must be a value, got nothing" pos c.yml targets app budgets file.size max
case_err "unknown key" "$head    page-size: 4KiB
" "unknown key 'page-size' (did you mean 'page_size'?) in target 'app' (expected build, artifact, arch, page_size, timeout, env, submodules, toolchain, budgets)" \
	pos c.yml targets app @page-size
case_err "percent on max" "$head    budgets:
      relocs.total: {max: 2%}
" "bad value '2%' for max: a percentage is only allowed for max_increase and warn_increase" \
	pos c.yml targets app budgets relocs.total max
case_err "wrong version" "version: 3
targets: {}
" "unsupported version '3' (expected 1)" pos c.yml version
run_cases

# Empty files: position 1:1 by definition (docs/budgets.md).
: >c.yml
"$RELGATE" validate c.yml >out 2>err
check_eq "validate: empty file: exit 2" 2 $?
check_eq "validate: empty file" "relgate: c.yml:1:1: empty file (expected 'version: 1' and 'targets')" "$(cat err)"

# Anchors and aliases: refused where they are written (column by hand:
# "  a: *x" -> line 3, column 6; "version: &v 1" -> line 1, column 10).
printf 'version: 1\ntargets:\n  a: *x\n' >c.yml
"$RELGATE" validate c.yml >out 2>err
check_eq "validate: alias refused" "relgate: c.yml:3:6: aliases ('*x') are not supported" "$(cat err)"
printf 'version: &v 1\ntargets: {}\n' >c.yml
"$RELGATE" validate c.yml >out 2>err
check_eq "validate: anchor refused" "relgate: c.yml:1:10: anchors ('&v') and aliases are not supported" "$(cat err)"
# A billion-laughs document: refused at once, no expansion (a 9-level one
# would be 10^9 nodes).
{
	echo 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
	prev=a
	for l in b c d e f g h i; do
		echo "$l: &$l [*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev]"
		prev=$l
	done
} >c.yml
check_exit "validate: billion laughs refused" 2 "$RELGATE" validate c.yml

# Syntax errors: relgate reports libyaml's problem mark; PyYAML's scanner
# (a separate implementation of the same spec) must agree.
syn=0
: >batch
for body in 'a: b: c' 'version: 1
targets: {app: [1, 2}' 'version: 1
  targets: x
 bad' '"unterminated' 'version: 1
targets:
	tab: 1'; do
	syn=$((syn + 1))
	printf '%s\n' "$body" >"s$syn.yml"
	echo "$syn syntax s$syn.yml" >>batch
done
python3 oracle.py batch >positions
i=0
while [ $i -lt $syn ]; do
	i=$((i + 1))
	pos=$(sed -n "s/^$i //p" positions)
	"$RELGATE" validate "s$i.yml" >out 2>err
	rc=$?
	got=$(sed -n "s/^relgate: s$i\.yml:\([0-9]*:[0-9]*\): YAML syntax error: .*/\1/p" err)
	check_eq "validate: syntax error $i: exit 2" 2 "$rc"
	check_eq "validate: syntax error $i: libyaml position = PyYAML's" "$pos" "$got"
done

# Unreadable input.
check_exit "validate: missing file" 2 "$RELGATE" validate nope.yml
check_eq "validate: missing file message" "relgate: nope.yml: No such file or directory" "$(cat "$TEST_TMP/last.err")"
check_exit "validate: two files is usage error" 2 "$RELGATE" validate a.yml b.yml
# Too large to be a budget file: refused while it is read, whatever it holds.
head -c 2097152 /dev/zero | tr '\0' '#' >big.yml
check_exit "validate: 2 MiB file refused" 2 "$RELGATE" validate big.yml
check_eq "validate: 2 MiB file message" "relgate: big.yml: larger than 1048576 bytes; not a budget file" "$(cat "$TEST_TMP/last.err")"
mkdir -p adir.yml
check_exit "validate: a directory refused" 2 "$RELGATE" validate adir.yml
check_eq "validate: a directory: one line naming it" 1 "$(grep -c '^relgate: adir.yml: ' "$TEST_TMP/last.err")"

# A valid file: what it understood, with every rule's position equal to
# PyYAML's mark of the rule's value.
cat >relgate.yml <<'YML'
# yaml-language-server: $schema=../docs/relgate.schema.json
version: 1
targets:
  ios-extension:
    build: GOOS=ios GOARCH=arm64 go build -o "$RELGATE_OUT/ext" ./cmd/ext
    artifact: $RELGATE_OUT/ext
    arch: arm64                 # slice of a universal binary (optional)
    page_size: 16KiB            # optional
    timeout: 90s
    env: [CGO_ENABLED, GOFLAGS]
    budgets:
      dirty.relro.bytes:  { max: 1MiB, max_increase: 16KiB }
      relocs.total:       { max_increase: 2% }
      file.size:          { max: 20MiB, warn_increase: 64KiB }
      pclntab.bytes:      { max_increase: 64KiB }
      "segment[__DATA_CONST].vmsize": { max: 2MiB }
  linux:
    build: make
    artifact: build/app
    submodules: skip
    budgets:
      dirty.bytes:
        max: 256 KiB
        warn_increase: 4096
YML
check_exit "validate: default ./relgate.yml" 0 "$RELGATE" validate
grep -q '^relgate.yml: valid, version 1, 2 targets, 9 rules$' "$TEST_TMP/last.out" &&
	ok "validate: summary line" || not_ok "validate: summary line" "$(head -1 "$TEST_TMP/last.out")"
# The linux target sets no timeout: the line says the default, which the
# help of check gives in minutes.
mins=$("$RELGATE" help check | sed -n 's/.*over its timeout (default \([0-9]*\)m,.*/\1/p' | head -n 1)
check_eq "validate: an unset timeout says the default (check --help: ${mins}m)" \
	"  timeout:    $((mins * 60)) s (the default)" "$(grep '^  timeout:' "$TEST_TMP/last.out" | tail -n 1)"
"$RELGATE" validate --format json relgate.yml >v.json 2>err
check_eq "validate --format json: exit 0" 0 $?
check_eq "validate --format json: validates against docs/validate.schema.json" valid \
	"$(python3 "$ROOT/tests/schema_check.py" "$ROOT/docs/validate.schema.json" v.json 2>&1)"
python3 - <<'PY' >res
import json, yaml
doc = json.load(open("v.json"))
root = yaml.compose(open("relgate.yml").read(), Loader=yaml.SafeLoader)
def child(n, k):
    for kn, vn in n.value:
        if kn.value == k:
            return kn, vn
targets = child(root, "targets")[1]
bad = []
n = 0
for t in doc["targets"]:
    kn, tn = child(targets, t["name"])
    if (t["line"], t["col"]) != (kn.start_mark.line + 1, kn.start_mark.column + 1):
        bad.append("target " + t["name"])
    budgets = child(tn, "budgets")[1]
    for r in t["rules"]:
        n += 1
        vn = child(child(budgets, r["metric"])[1], r["rule"])[1]
        if (r["line"], r["col"]) != (vn.start_mark.line + 1, vn.start_mark.column + 1):
            bad.append("%s %s at %d:%d, PyYAML %d:%d" % (r["metric"], r["rule"], r["line"], r["col"],
                       vn.start_mark.line + 1, vn.start_mark.column + 1))
print("rules=%d bad=%s" % (n, ";".join(bad) or "none"))
PY
check_eq "validate: every rule and target at PyYAML's position" "rules=9 bad=none" "$(cat res)"
# Values: hand-derived (16KiB = 16384, 256 KiB = 262144, 90s = 90).
python3 - <<'PY' >res
import json
d = json.load(open("v.json"))
t0, t1 = d["targets"]
r = {(x["metric"], x["rule"]): x for t in d["targets"] for x in t["rules"]}
print(t0["page_size"], t0["timeout"], ",".join(t0["env"]), t1["submodules"],
      r[("dirty.relro.bytes", "max_increase")]["value"], r[("relocs.total", "max_increase")]["percent"],
      r[("dirty.bytes", "max")]["value"], r[("file.size", "max")]["value"])
PY
check_eq "validate: values understood" "16384 90 CGO_ENABLED,GOFLAGS skip 16384 2 262144 20971520" "$(cat res)"

# docs/relgate.schema.json agrees: the valid file validates, broken ones do not.
check_eq "relgate.schema.json: accepts the valid file" "valid" "$(python3 "$ROOT/tests/schema_check.py" "$ROOT/docs/relgate.schema.json" relgate.yml)"
sed 's/max_increase: 2%/maxx: 2%/' relgate.yml >bad1.yml
case $(python3 "$ROOT/tests/schema_check.py" "$ROOT/docs/relgate.schema.json" bad1.yml) in
invalid*) ok "relgate.schema.json: rejects an unknown rule" ;;
*) not_ok "relgate.schema.json: rejects an unknown rule" "accepted" ;;
esac
check_exit "validate: rejects the same unknown rule" 2 "$RELGATE" validate bad1.yml
sed 's/relocs.total:/relocs.totl:/' relgate.yml >bad2.yml
case $(python3 "$ROOT/tests/schema_check.py" "$ROOT/docs/relgate.schema.json" bad2.yml) in
invalid*) ok "relgate.schema.json: rejects an unknown metric" ;;
*) not_ok "relgate.schema.json: rejects an unknown metric" "accepted" ;;
esac
check_exit "validate: rejects the same unknown metric" 2 "$RELGATE" validate bad2.yml
check_exit "validate --help" 0 "$RELGATE" validate --help

# Every fixed metric name of the catalog (parsers/catalog.c fixed_names and
# extra_names) is accepted by the loader and by the schema's name pattern.
python3 - "$ROOT/parsers/catalog.c" "$ROOT/docs/relgate.schema.json" <<'PY' >names.out
import json, re, sys
src = open(sys.argv[1]).read()
names = []
for arr in ("fixed_names", "extra_names"):
    body = re.search(arr + r"\[\] = \{(.*?)NULL", src, re.S).group(1)
    names += re.findall(r'"([^"]+)"', body)
names += ["segment[__DATA_CONST].dirty_bytes", "section[.data.rel.ro].size"]
pat = json.load(open(sys.argv[2]))["definitions"]["target"]["properties"]["budgets"]["propertyNames"]["pattern"]
bad = [n for n in names if not re.search(pat, n)]
with open("allnames.yml", "w") as f:
    f.write("version: 1\ntargets:\n  t:\n    build: x\n    artifact: y\n    budgets:\n")
    for n in names:
        f.write('      "%s": { max: 1 }\n' % n)
print(len(names), "schema-rejects:", ",".join(bad) or "none")
PY
case $(cat names.out) in
*"schema-rejects: none") ok "relgate.schema.json: every catalog name matches" ;;
*) not_ok "relgate.schema.json: every catalog name matches" "$(cat names.out)" ;;
esac
check_exit "validate: every catalog name accepted" 0 "$RELGATE" validate allnames.yml

# Every mistake of a file at once, each at PyYAML's position of it.
cat >many.yml <<'YML'
version: 1
targets:
  app:
    build: make
    artifact: out/app
    budgets:
      dirty.relro.byte: { max: 1 }
      file.size: { max: lots }
  two:
    build: make
    artifact: out/two
    timeout: 30x
YML
"$RELGATE" validate many.yml >/dev/null 2>err
check_eq "validate: several mistakes: exit 2" 2 $?
# PyYAML's positions of the three mistakes (oracle.py above)
printf '1 pos many.yml targets app budgets @dirty.relro.byte\n2 pos many.yml targets app budgets file.size max\n3 pos many.yml targets two timeout\n' >many.batch
python3 oracle.py many.batch | while read -r id lc; do
	case $id in
	1) echo "many.yml:$lc: unknown metric 'dirty.relro.byte'" ;;
	2) echo "many.yml:$lc: bad value 'lots' for max" ;;
	3) echo "many.yml:$lc: bad value '30x' for timeout" ;;
	esac
done >want
# each line of err starts with the wanted line (after the "relgate: " prefix)
got=$(python3 -c 'import sys, re
e = [re.sub(r"^relgate: *", "", l) for l in open("err").read().splitlines()]
w = open("want").read().splitlines()
print("ok" if len(e) == len(w) and all(a.startswith(b) for a, b in zip(e, w)) else "\n".join(e))')
check_eq "validate: several mistakes: every one, in order, at its position" ok "$got"

# A percentage that allows nothing at the current base: 5% of 6 relative
# relocations is 0. The base is measured by a check (the cache); the count
# is readelf's on the same build.
if need cc readelf git; then
	git_test_env
	p=$TEST_TMP/pct
	mkdir -p "$p" && cd "$p" && git init -q -b main .
	cat >app.c <<'C'
#include <stdio.h>
static const char *names[] = { "a", "b", "c" };
int main(int argc, char **argv) { puts(names[argc % 3]); return 0; }
C
	cat >relgate.yml <<'YML'
version: 1
targets:
  app:
    build: cc -O2 -fPIE -pie -o "$RELGATE_OUT/app" app.c
    artifact: $RELGATE_OUT/app
    budgets:
      relocs.relative: { max_increase: 5% }
      file.size: { max_increase: 5% }
YML
	git add -A && git commit -qm a && git commit -q --allow-empty -m b
	export XDG_CACHE_HOME=$p/xdg
	"$RELGATE" validate >/dev/null 2>err
	check_eq "validate: nothing measured yet: no percentage warning" "" "$(cat err)"
	"$RELGATE" check HEAD~1..HEAD >/dev/null 2>&1
	entries=$(find "$XDG_CACHE_HOME/relgate" -name '*.json' -path '*/v1/*' | sort)
	check_eq "the cache entries check wrote validate against docs/cache.schema.json" "valid" \
		"$(python3 "$ROOT/tests/schema_check.py" "$ROOT/docs/cache.schema.json" $entries 2>&1 |
		   sed 's/^.* //' | sort -u | tr '\n' ' ' | sed 's/ $//')"
	cc -O2 -fPIE -pie -o a.out app.c
	n=$(readelf -rW a.out | grep -c R_X86_64_RELATIVE)
	"$RELGATE" validate >/dev/null 2>err
	check_eq "validate: exit 0 with a warning" 0 $?
	if [ "$n" -lt 20 ]; then
		check_eq "validate: 5% of $n relative relocations (readelf) allows 0: warned, at the rule" \
			"relgate: relgate.yml:7:40: warning: max_increase 5% of relocs.relative allows an increase of 0 at the base $(git rev-parse --short=7 HEAD) ($n): write an absolute limit (max_increase: 1) or a larger percentage" \
			"$(cat err)"
	else
		skip "validate: a percentage that allows 0" "this compiler made $n relative relocations"
	fi
fi

# What validate says about the toolchain fingerprint (docs/gate.md): the
# listed commands, or the compilers the build command names.
cat >"$TEST_TMP/tc.yml" <<'YML'
version: 1
notes: refs/notes/ci
targets:
  a:
    build: CC=clang-19 make && go build ./x
    artifact: out/a
  b:
    build: ./build.sh
    artifact: out/b
    toolchain: [xcodebuild -version, swift --version]
YML
"$RELGATE" validate "$TEST_TMP/tc.yml" >"$TEST_TMP/tc.out" 2>&1
grep -q '^  toolchain:  (default: the version output of clang-19 go)$' "$TEST_TMP/tc.out" &&
	ok "validate: default toolchain names the compilers of the build" ||
	not_ok "validate: default toolchain names the compilers of the build" "$(grep toolchain "$TEST_TMP/tc.out")"
grep -q '^notes: refs/notes/ci$' "$TEST_TMP/tc.out" && ok "validate: names the notes ref" ||
	not_ok "validate: names the notes ref" "$(head -n 3 "$TEST_TMP/tc.out")"
grep -q '^  toolchain:  xcodebuild -version; swift --version$' "$TEST_TMP/tc.out" &&
	ok "validate: listed toolchain commands" ||
	not_ok "validate: listed toolchain commands" "$(grep toolchain "$TEST_TMP/tc.out")"

# Encoding errors (issue 12 item 16) at the offending byte, not at 1:1:
# Python finds the byte (a UTF-8 decode error's start, the NUL) and counts
# its line and column (characters, as libyaml's marks do).
printf 'version: 1\ntargets:\n  a\377: { build: x, artifact: y }\n' >enc-utf8.yml
printf 'version: \0001\n' >enc-nul.yml
for f in enc-utf8.yml enc-nul.yml; do
	pos=$(python3 - "$f" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
try:
    b.decode("utf-8"); off = b.index(b"\0")
except UnicodeDecodeError as e:
    off = e.start
line = b[:off].count(b"\n") + 1
col = len(b[b[:off].rfind(b"\n") + 1:off].decode("utf-8")) + 1
print("%d:%d" % (line, col))
PY
)
	check_exit "validate: $f is an encoding error" 2 "$RELGATE" validate "$f"
	got=$(sed -n "s/^relgate: $f:\([0-9]*:[0-9]*\): .*/\1/p" "$TEST_TMP/last.err")
	check_eq "validate: $f's encoding error at the offending byte" "$pos" "$got"
done

# 99,000 env names and 49,000 mapping keys (issue 12 item 11): repeats
# are found in n log n; quadratic, this took 43 s. The repeat comes last,
# so the whole list is searched; the bound is 60 s under ASan. Flow style
# keeps the files under the 1 MiB limit; Python writes down where the
# repeat and its first occurrence are.
python3 - <<'PY'
n = 99000
def flow(path, head, items, rep, tail):
    text, first = head, None
    for i, it in enumerate(items):
        if i == 17:
            first = (text.count("\n") + 1, len(text) - text.rfind("\n"))
        text += it + ", "
    at = (text.count("\n") + 1, len(text) - text.rfind("\n"))
    text += rep + tail
    open(path, "w").write(text)
    open(path + ".pos", "w").write("%d:%d %d\n" % (at[0], at[1], first[0]))
flow("env-many.yml", "version: 1\ntargets:\n  app:\n    build: x\n    artifact: y\n    env: [",
     ["V%d" % i for i in range(n)], "V17", "]\n    budgets: { file.size: { max: 1 } }\n")
# (a mapping's key and value are two of the 100,000 nodes allowed)
flow("keys-many.yml", "version: 1\nextra: {", ["k%d" % i for i in range(49000)], "k17", "}\n")
PY
check_exit "validate: 99,001 env names, one repeated: exit 2 within 60 s" 2 timeout 60 "$RELGATE" validate env-many.yml
p=$(cut -d' ' -f1 env-many.yml.pos)
grep -q "env-many.yml:$p: 'V17' is listed twice" "$TEST_TMP/last.err" && ok "validate: the repeated env name, at its position" ||
	not_ok "validate: the repeated env name, at its position ($p)" "$(head -c 300 "$TEST_TMP/last.err")"
check_exit "validate: 49,001 mapping keys, one repeated: exit 2 within 60 s" 2 timeout 60 "$RELGATE" validate keys-many.yml
p=$(cut -d' ' -f1 keys-many.yml.pos); l=$(cut -d' ' -f2 keys-many.yml.pos)
grep -q "keys-many.yml:$p: duplicate key 'k17' (first at line $l)" "$TEST_TMP/last.err" &&
	ok "validate: the repeated key, at its position, and its first line" ||
	not_ok "validate: the repeated key, at its position ($p), and its first line" "$(head -c 300 "$TEST_TMP/last.err")"

# "Did you mean" on a hostile metric name (found by the budgets fuzz target:
# 58 s for one key): a section field of 90 characters gets no two-edit
# search, so validate answers at once; the bound is the fuzz target's own
# 10 s timeout. A near miss still gets its suggestion.
{
	echo 'version: 1'
	echo 'targets:'
	echo '  a:'
	echo '    build: make'
	echo '    artifact: out/a'
	echo '    budgets:'
	printf '      "section[.data.rel.ro].sizetarSSSS   max_increa%s": { max: 1 }\n' \
		"$(printf '1%.0s' $(seq 1 60))"
	echo '      "section[.data.rel.ro].relcos": { max: 1 }'
} >dym-long.yml
check_exit "validate: a 90-character section field: exit 2 within 10 s" 2 timeout 10 "$RELGATE" validate dym-long.yml
grep -q "did you mean 'section\[.data.rel.ro\].relocs'" "$TEST_TMP/last.err" &&
	ok "validate: the near miss beside it still gets its suggestion" ||
	not_ok "validate: the near miss beside it still gets its suggestion" "$(head -c 400 "$TEST_TMP/last.err")"
