#!/bin/sh
# tests/e2e/test_diff.sh - `relgate diff` on `relgate measure --format json`
# documents written here by hand, so every expected verdict is derived in
# the comments below. Reports are checked by parsing them back: the JSON
# against docs/report.schema.json (tests/schema_check.py, a draft-07
# subset validator), GitHub workflow commands by tests/gh_parse.py, a
# parser written from @actions/core's rules (command.ts: "::name
# k=v,k=v::data"; data escapes % CR LF as %25 %0D %0A, property values
# also : and , as %3A %2C). How diff renders like check and merge:
# tests/e2e/test_diff_render.sh.
. "$ROOT/tests/lib.sh"
cd "$TEST_TMP" || exit 1

# Base and head of one target, page size 16 KiB:
#   dirty.relro: 62 pages (1015808 B) -> 65 pages (1064960 B): +49152 B, +3 pages
#   relocs.total 61700 -> 62935: +1235; 2% of 61700 = 1234 -> over by 1
#   file.size 10000000 -> 10100000: +100000
#   pclntab.bytes 500000 -> 510000: +10000
#   vm.size 123 -> 123 (unchanged: not listed)
#   section[.gone].size only in base, section[.new].size only in head
#   section[.sN].size N = 0..14: 1000 -> 2000 (used by the cap test)
python3 - <<'PY'
import json
def doc(binaries):
    return {"schema_version": 1, "tool": {"name": "relgate", "version": "x"}, "binaries": binaries}
def binary(arch, m):
    return {"path": "app", "format": "macho", "arch": arch, "bits": 64, "endian": "little",
            "page_size": 16384, "metrics": m, "segments": [], "sections": [], "notes": []}
base = {"file.size": 10000000, "vm.size": 123, "relocs.total": 61700, "dirty.relro.pages": 62,
        "dirty.relro.bytes": 1015808, "pclntab.bytes": 500000, "section[.gone].size": 5}
head = {"file.size": 10100000, "vm.size": 123, "relocs.total": 62935, "dirty.relro.pages": 65,
        "dirty.relro.bytes": 1064960, "pclntab.bytes": 510000, "section[.new].size": 7}
for i in range(15):
    base["section[.s%d].size" % i] = 1000
    head["section[.s%d].size" % i] = 2000
json.dump(doc([binary("arm64", base)]), open("base.json", "w"))
json.dump(doc([binary("arm64", head)]), open("head.json", "w"))
json.dump(doc([binary("x86_64", base), binary("arm64", base)]), open("fat.json", "w"))
big_b = dict(base); big_h = dict(head)
for i in range(3000):
    big_b["section[.big%d].size" % i] = i
    big_h["section[.big%d].size" % i] = i + 1 + i % 7
json.dump(doc([binary("arm64", big_b)]), open("bigbase.json", "w"))
json.dump(doc([binary("arm64", big_h)]), open("bighead.json", "w"))
PY

cat >relgate.yml <<'YML'
version: 1
targets:
  ios-extension:
    build: make ext
    artifact: out/ext
    page_size: 16KiB
    budgets:
      dirty.relro.bytes:  { max: 1MiB, max_increase: 16KiB }
      relocs.total:       { max_increase: 2% }
      file.size:          { max: 20MiB, warn_increase: 64KiB }
      pclntab.bytes:      { max_increase: 64KiB }
  ok:
    build: make ok
    artifact: out/ok
    budgets:
      relocs.total: { max_increase: 1235 }
      file.size: { warn_increase: 1KiB }
  missing:
    build: make
    artifact: out/x
    budgets:
      pclntab.funcs: { max: 10 }
  many:
    build: make
    artifact: out/x
    budgets:
      section[.s0].size: { max: 1500 }
      section[.s1].size: { max: 1500 }
      section[.s2].size: { max: 1500 }
      section[.s3].size: { max: 1500 }
      section[.s4].size: { max: 1500 }
      section[.s5].size: { max: 1500 }
      section[.s6].size: { max: 1500 }
      section[.s7].size: { max: 1500 }
      section[.s8].size: { max: 1500 }
      section[.s9].size: { max: 1500 }
      section[.s10].size: { max: 1500 }
      section[.s11].size: { max: 1500 }
      section[.s12].size: { max: 1500, warn_max: 1 }
      section[.s13].size: { max: 1500 }
      section[.s14].size: { max: 1500 }
  pages:
    build: make
    artifact: out/x
    page_size: 4KiB
    budgets:
      file.size: { max: 1GiB }
YML

# ---- a plain diff: changed metrics, most important first ----
check_exit "diff: json inputs" 0 "$RELGATE" diff --all base.json head.json
order=$(awk '$1 ~ /^(dirty|relocs|file|pclntab|vm|section)/ {print $1}' "$TEST_TMP/last.out" | head -n 5 | tr '\n' ' ')
check_eq "diff: dirty bytes, relocations, dirty pages, size, pclntab first" \
	"dirty.relro.bytes relocs.total dirty.relro.pages file.size pclntab.bytes " "$order"
# 1015808 B = 992 KiB, 1064960 B = 1.015625 MiB, 49152 B = 48 KiB
row=$(awk '$1 == "dirty.relro.bytes" {print $2, $3, $4, $5, $6, $7, $8}' "$TEST_TMP/last.out")
check_eq "diff: base, head, delta, delta % (49152/1015808 = 4.8%)" "992 KiB 1.02 MiB +48.0 KiB +4.8%" "$row"
grep -q '^  vm.size ' "$TEST_TMP/last.out" && not_ok "diff: unchanged metric hidden" "vm.size listed" ||
	ok "diff: unchanged metric hidden"
check_eq "diff: metric only in head" "new" "$(awk '$1 == "section[.new].size" {print $NF}' "$TEST_TMP/last.out")"
check_eq "diff: metric only in base" "gone" "$(awk '$1 == "section[.gone].size" {print $NF}' "$TEST_TMP/last.out")"

# Nothing judged: no verdict words, and the comparison is named after NEW.
"$RELGATE" diff --format markdown base.json head.json >plain.md 2>/dev/null
check_eq "diff --format markdown without budgets: no pass/within-budget words" "## relgate: metrics compared|0" \
	"$(head -n 1 plain.md)|$(grep -c 'within budget\|pass' plain.md)"
"$RELGATE" diff base.json head.json >plain.txt 2>/dev/null
grep -qx 'head.json' plain.txt && ! grep -q 'target diff\|^diff$' plain.txt &&
	ok "diff without budgets: named after NEW, not 'target diff'" ||
	not_ok "diff without budgets: named after NEW, not 'target diff'" "$(head -n 5 plain.txt)"

# ---- judged: exit codes ----
check_exit "diff --budgets: a failed budget exits 1" 1 "$RELGATE" diff --all --budgets relgate.yml --target ios-extension base.json head.json
grep -q 'dirty relro memory grew by 48.0 KiB (+3 pages) to 1.02 MiB; budget max_increase 16 KiB set at relgate.yml:8, exceeded by 32.0 KiB' \
	"$TEST_TMP/last.out" && ok "diff: failure in words" || not_ok "diff: failure in words" "$(grep FAIL "$TEST_TMP/last.out" | head -3)"
first=$(grep -E '^(  )?(FAIL|WARN|pass|skip) ' "$TEST_TMP/last.out" | head -1 | awk '{print $1}')
check_eq "diff: failures listed first" "FAIL" "$first"
check_exit "diff --budgets: within budget (a warning) exits 0" 0 "$RELGATE" diff --budgets relgate.yml --target ok base.json head.json
grep -q '^WARN ok file.size 9.63 MiB (+97.7 KiB), warn_increase 1 KiB over by 96.7 KiB, relgate.yml:17$' "$TEST_TMP/last.out" && ok "diff: the warning is shown" ||
	not_ok "diff: the warning is shown" "$(cat "$TEST_TMP/last.out" | head -5)"
# "      pclntab.funcs: { max: 10 }": the value "10" is at column 29 of line 22.
check_exit "diff --budgets: a metric a rule needs but a side lacks exits 2" 2 \
	"$RELGATE" diff --budgets relgate.yml --target missing base.json head.json
check_eq "diff: the missing metric error names metric and sides" \
	"relgate: relgate.yml:22:29: metric 'pclntab.funcs' (needed by max) is absent from the head measurement (base: base.json, head: head.json)" \
	"$(cat "$TEST_TMP/last.err")"
check_exit "diff: several targets need --target" 2 "$RELGATE" diff --budgets relgate.yml base.json head.json
check_exit "diff: unknown target" 2 "$RELGATE" diff --budgets relgate.yml --target nope base.json head.json
check_eq "diff: unknown target message" "relgate: relgate.yml has no target 'nope' (it has: ios-extension, ok, missing, many, pages)" "$(cat "$TEST_TMP/last.err")"
check_exit "diff: page size differs from the measurement" 2 "$RELGATE" diff --budgets relgate.yml --target pages base.json head.json
check_exit "diff: bad budget file" 2 "$RELGATE" diff --budgets nope.yml --target x base.json head.json
check_exit "diff: one file" 2 "$RELGATE" diff base.json
check_exit "diff: bad format" 2 "$RELGATE" diff --format xml base.json head.json
printf '{"binaries": [' >broken.json
check_exit "diff: broken JSON" 2 "$RELGATE" diff broken.json head.json
case $(cat "$TEST_TMP/last.err") in "relgate: broken.json: not valid JSON"*) ok "diff: broken JSON message" ;;
*) not_ok "diff: broken JSON message" "$(cat "$TEST_TMP/last.err")" ;; esac
check_exit "diff: missing input" 2 "$RELGATE" diff nope.json head.json
printf 'not a binary at all' >junk.bin
check_exit "diff: junk input" 2 "$RELGATE" diff junk.bin head.json
check_eq "diff: one line on stderr" 1 "$(wc -l <"$TEST_TMP/last.err" | tr -d ' ')"

# ---- multi-slice inputs ----
check_exit "diff: two slices need --arch" 2 "$RELGATE" diff fat.json head.json
check_eq "diff: slices named" "relgate: fat.json: 2 binaries (x86_64, arm64); pick one with --arch" "$(cat "$TEST_TMP/last.err")"
check_exit "diff --arch arm64" 0 "$RELGATE" diff --arch arm64 fat.json head.json
check_exit "diff --arch that is absent" 2 "$RELGATE" diff --arch ppc fat.json head.json

# ---- JSON report: schema, and parsed back ----
"$RELGATE" diff --budgets relgate.yml --target ios-extension --format json --json-out out2.json \
	--markdown-out out.md base.json head.json >out1.json 2>err
check_eq "diff --format json: exit 1" 1 $?
cmp -s out1.json out2.json && ok "diff: --json-out equals --format json" || not_ok "diff: --json-out equals --format json" "differ"
"$RELGATE" diff --format json base.json head.json >plain.json
check_eq "report.schema.json: reports validate" "out1.json valid
plain.json valid" "$(python3 "$ROOT/tests/schema_check.py" "$ROOT/docs/report.schema.json" out1.json plain.json)"
python3 - <<'PY' >res
import json
d = json.load(open("out1.json"))
t = d["targets"][0]
v = {(x["metric"], x["rule"]): x for x in t["verdicts"]}
def show(m, r):
    x = v[(m, r)]
    return "%s/%s=%s,%s,%s,%d:%d" % (m, r, x["status"], x["limit"], x["margin"], x["source"]["line"], x["source"]["col"])
print(d["status"], d["exit_code"], d["summary"]["fail"], d["summary"]["warn"], d["summary"]["pass"])
print(show("dirty.relro.bytes", "max"), show("dirty.relro.bytes", "max_increase"))
print(show("relocs.total", "max_increase"), show("file.size", "warn_increase"), show("pclntab.bytes", "max_increase"))
print(t["deltas"]["dirty.relro.bytes"], t["metrics"]["base"]["relocs.total"], t["metrics"]["head"]["relocs.total"],
      "vm.size" in t["deltas"], [i["side"] + ":" + i["path"] for i in d["inputs"]])
PY
# Hand derivation (see the top): max 1 MiB = 1048576 -> margin 1048576-1064960 = -16384;
# max_increase 16384 -> margin 16384-49152 = -32768; 2% of 61700 = 1234 -> -1;
# warn_increase 65536 -> 65536-100000 = -34464; pclntab 65536-10000 = 55536.
# Positions: line 8 "      dirty.relro.bytes:  { max: 1MiB, max_increase: 16KiB }"
# puts "1MiB" at column 34 and "16KiB" at column 54; line 9 "2%" at 43;
# line 10 "64KiB" at 56; line 11 "64KiB" at 43.
check_eq "diff: JSON verdicts parsed back" "fail 1 3 1 2
dirty.relro.bytes/max=fail,1048576,-16384,8:34 dirty.relro.bytes/max_increase=fail,16384,-32768,8:54
relocs.total/max_increase=fail,1234,-1,9:43 file.size/warn_increase=warn,65536,-34464,10:56 pclntab.bytes/max_increase=pass,65536,55536,11:43
49152 61700 62935 False ['base:base.json', 'head:head.json']" "$(cat res)"

# ---- GitHub annotations, parsed by the toolkit's rules ----
"$RELGATE" diff --budgets relgate.yml --target ios-extension --format github base.json head.json >gh.txt 2>err
check_eq "diff --format github: exit 1" 1 $?
python3 "$ROOT/tests/gh_parse.py" gh.txt >gh.json && ok "github: commands parse" || not_ok "github: commands parse" "$(head -c 300 gh.txt)"
python3 - <<'PY' >res
import json
a = json.load(open("gh.json"))
errs = [x for x in a if x["cmd"] == "error"]; warns = [x for x in a if x["cmd"] == "warning"]
print(len(errs), len(warns))
e = [x for x in errs if "max_increase" in x["props"]["title"] and "dirty.relro.bytes" in x["props"]["title"]][0]
print(e["props"]["file"], e["props"]["line"], e["props"]["col"], e["props"]["title"])
print(e["data"])
PY
check_eq "github: one annotation per failed/warned rule, at the rule" "3 1
relgate.yml 8 54 relgate: ios-extension dirty.relro.bytes max_increase exceeded
target ios-extension, dirty.relro.bytes: dirty relro memory grew by 48.0 KiB (+3 pages) to 1.02 MiB; budget max_increase 16 KiB set at relgate.yml:8, exceeded by 32.0 KiB" "$(cat res)"
"$RELGATE" diff --budgets relgate.yml --target many --format github base.json head.json >gh2.txt 2>err
python3 "$ROOT/tests/gh_parse.py" gh2.txt >gh2.json
python3 - <<'PY' >res
import json
a = json.load(open("gh2.json"))
errs = [x for x in a if x["cmd"] == "error"]; warns = [x for x in a if x["cmd"] == "warning"]
print(len(errs), len(warns), errs[-1]["data"].split(" not shown")[0])
PY
# 15 failing max rules: 9 annotations + "and 6 more"; one warn_max.
check_eq "github: at most 10 errors, the last says how many more" "10 1 and 6 more budget failures" "$(cat res)"

# ---- GitHub Actions environment ----
: >gh_out; : >gh_sum
GITHUB_ACTIONS=true GITHUB_OUTPUT=$TEST_TMP/gh_out GITHUB_STEP_SUMMARY=$TEST_TMP/gh_sum \
	"$RELGATE" diff --budgets relgate.yml --target ios-extension base.json head.json >gha.txt 2>err
check_eq "GITHUB_ACTIONS: exit 1" 1 $?
grep -q '^relgate: FAIL: 3 budgets exceeded' gha.txt && ok "GITHUB_ACTIONS: text report" || not_ok "GITHUB_ACTIONS: text report" "$(head -2 gha.txt)"
check_eq "GITHUB_ACTIONS: annotations too" 4 "$(grep -c '^::' gha.txt)"
python3 - <<'PY' >res
import json, re
s = open("gh_out").read()
kv = dict(re.findall(r"^(status|failed|warned)=(.*)$", s, re.M))
m = re.search(r"^report<<(\S+)\n(.*)\n\1$", s, re.M | re.S)
rep = json.loads(m.group(2))
json.dump(rep, open("gh_report.json", "w"))
print(kv["status"], kv["failed"], kv["warned"], rep["status"], len(rep["targets"][0]["verdicts"]))
PY
check_eq "GITHUB_OUTPUT: status, failed, warned, report" "fail 3 1 fail 6" "$(cat res)"
check_eq "GITHUB_OUTPUT: the report validates" "valid" "$(python3 "$ROOT/tests/schema_check.py" "$ROOT/docs/report.schema.json" gh_report.json)"
case $(head -1 gh_sum) in "## relgate: ❌ fail") ok "GITHUB_STEP_SUMMARY: summary appended" ;;
*) not_ok "GITHUB_STEP_SUMMARY: summary appended" "$(head -1 gh_sum)" ;; esac

# ---- Markdown: under 60 KiB however big ----
grep -qF '| ❌ | ios-extension | `relocs.total` | 61700 → 62935 | +1235 | max_increase 2% (relgate\.yml:9) |' out.md &&
	ok "markdown: the verdict table" || not_ok "markdown: the verdict table" "$(head -c 400 out.md)"
"$RELGATE" diff --markdown-out big.md bigbase.json bighead.json >/dev/null 2>err
check_eq "markdown: big diff exit 0" 0 $?
size=$(wc -c <big.md | tr -d ' ')
[ "$size" -le 61440 ] && [ "$size" -gt 40000 ] && ok "markdown: big diff under 60 KiB ($size B)" ||
	not_ok "markdown: big diff under 60 KiB" "$size bytes"
grep -q 'more rows not shown' big.md && ok "markdown: the rest summarised" || not_ok "markdown: the rest summarised" "no summary line"
check_exit "diff --help" 0 "$RELGATE" diff --help
