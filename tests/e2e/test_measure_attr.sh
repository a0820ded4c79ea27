#!/bin/sh
# tests/e2e/test_measure_attr.sh - the contract of `relgate measure --by`:
# usage errors (exit 2, nothing on stdout), the JSON shape against
# docs/measure.schema.json (tests/schema_check.py), rows that add up to the
# catalog's counts with a top-N cut and an [other] row, and hostile symbol
# names (made with clang-19 asm labels) escaped for a terminal, CSV (read
# back with Python's csv module) and TSV. The numbers themselves are judged
# by tests/oracle/attr_oracle.py in the oracle tests.
. "$ROOT/tests/lib.sh"
cd "$TEST_TMP"
if ! need clang-19 ld.lld-19 python3; then skip "measure --by" "clang-19, ld.lld-19 or python3 missing"; exit 0; fi
cat > hostile.c <<'SRC'
static int a, b, c;
int *p1[] __asm__("comma,\"quote\"") = { &a, &b };
int *p2[] __asm__("=HYPERLINK(1)") = { &c };
int *p3[] __asm__("\033[31mred\ttab\\x") = { &a, &b, &c };
int *p6[] __asm__("rtl\xe2\x80\xae" "evil\xc2\x9b" "csi") = { &a };
int *p4[] = { &a, &b, &c, &a, &b, &c, &a };
int main(void) { return *p1[0] + *p2[0] + *p3[0] + *p4[1] + *p6[0]; }
SRC
if ! clang-19 -O1 -fPIE -pie -fuse-ld=lld -o hostile hostile.c 2>build.log; then
	not_ok "hostile fixture" "$(head -c 300 build.log)"; exit 0
fi

check_exit "--by bogus" 2 "$RELGATE" measure --by bogus hostile
check_eq "--by bogus: stdout empty" "" "$(cat "$TEST_TMP/last.out")"
check_exit "--top -1" 2 "$RELGATE" measure --by symbol --top -1 hostile
check_exit "--top abc" 2 "$RELGATE" measure --by symbol --top abc hostile
check_exit "--by without value" 2 "$RELGATE" measure hostile --by
check_exit "csv without --by" 2 "$RELGATE" measure --format csv hostile
check_exit "--by package on a C binary" 2 "$RELGATE" measure --by package --format json hostile
check_eq "--by package: nothing on stdout" "" "$(cat "$TEST_TMP/last.out")"
grep -q "needs a Go binary" "$TEST_TMP/last.err" && ok "--by package: says why" ||
	not_ok "--by package: says why" "$(cat "$TEST_TMP/last.err")"
check_exit "--by target-package on a C binary" 2 "$RELGATE" measure --by target-package hostile

for k in section symbol target; do
	for top in 0 2; do
		"$RELGATE" measure --format json --by $k --top $top hostile >"$k$top.json" 2>err.txt ||
			not_ok "--by $k --top $top" "$(cat err.txt)"
		check_eq "--by $k --top $top: schema" "valid" \
			"$(python3 "$ROOT/tests/schema_check.py" "$ROOT/docs/measure.schema.json" "$k$top.json")"
		check_eq "--by $k --top $top: rows add up to the catalog" "ok" "$(python3 - "$k$top.json" "$top" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))["binaries"][0]
m, rows, top = b["metrics"], b["attribution"]["rows"], int(sys.argv[2])
bad = []
for col, met in (("relocs", "relocs.total"), ("relative", "relocs.relative"),
                 ("symbolic", "relocs.symbolic"), ("lazy", "relocs.lazy")):
    if sum(r[col] for r in rows) != m[met]:
        bad.append("%s sums to %d, %s is %d" % (col, sum(r[col] for r in rows), met, m[met]))
keys = [(-r["relocs"], r["name"]) for r in rows if r["name"] != "[other]"]
if keys != sorted(keys):
    bad.append("rows not sorted by relocs, then name")
if top and len(rows) != top + 1:
    bad.append("%d rows with --top %d (expected the top and [other])" % (len(rows), top))
if top and rows[-1]["name"] != "[other]":
    bad.append("last row is not [other]")
if any(r["sole_pages"] > r["dirty_pages"] for r in rows):
    bad.append("sole_pages above dirty_pages")
if any(r["dirty_pages"] > m["dirty.pages"] for r in rows):
    bad.append("a row dirties more pages than the binary")
print("; ".join(bad) or "ok")
PY
)"
	done
done

# Hostile names: the raw name in JSON, escaped everywhere a terminal or a
# spreadsheet reads it.
check_eq "json keeps the raw name" "ok" "$(python3 -c '
import json, sys
rows = json.load(open("symbol0.json"))["binaries"][0]["attribution"]["rows"]
names = [r["name"] for r in rows]
print("ok" if "\033[31mred\ttab\\x" in names and "comma,\"quote\"" in names else names)')"
"$RELGATE" measure --by symbol --top 0 hostile >text.out
if python3 -c 'import sys; d=open("text.out","rb").read(); sys.exit(1 if (b"\x1b" in d or b"\t" in d) else 0)'; then
	ok "text: no raw escape or tab byte"
else
	not_ok "text: no raw escape or tab byte" "$(cat -v text.out | head -5)"
fi
grep -q 'x1b\[31mred\\ttab\\\\x' text.out && ok "text: control bytes as \\xNN or \\t, backslash doubled" ||
	not_ok "text: escapes" "$(cat -v text.out)"
# A bidi override (U+202E) and a C1 control (U+009B, CSI) are escaped too.
grep -q 'rtl\\u202eevil\\u009bcsi' text.out && ok "text: bidi override and C1 control as \\uXXXX" ||
	not_ok "text: bidi/C1 escapes" "$(cat -v text.out)"
"$RELGATE" measure --by symbol --top 0 --format csv hostile >rows.csv
check_eq "csv: read back" "ok" "$(python3 - <<'PY'
import csv
rows = list(csv.DictReader(open("rows.csv", newline="")))
names = {r["name"]: r for r in rows}
bad = []
if "comma,\"quote\"" not in names: bad.append("comma/quote name lost")
if "'=HYPERLINK(1)" not in names: bad.append("formula not defused")
if "\\x1b[31mred\\ttab\\\\x" not in names: bad.append("control bytes not escaped: %r" % list(names))
if "rtl\\u202eevil\\u009bcsi" not in names: bad.append("bidi/C1 not escaped: %r" % list(names))
if names.get("comma,\"quote\"", {}).get("relocs") != "2": bad.append("relocs column")
print("; ".join(bad) or "ok")
PY
)"
"$RELGATE" measure --by symbol --top 0 --format tsv hostile >rows.tsv
check_eq "tsv: every line has 11 fields" "ok" "$(python3 -c '
lines = open("rows.tsv", "rb").read().split(b"\n")[:-1]
bad = [l for l in lines if len(l.split(b"\t")) != 11 or b"\x1b" in l or b"\xe2\x80\xae" in l]
print("ok" if lines and not bad else bad)')"

# A malformed symbol table is a note, and attribution falls back to
# sections: st_name of one .symtab entry (located with readelf -SW) is
# pointed past its string table.
cp hostile badsym
python3 - badsym <<'PY'
import re, struct, subprocess, sys
p = sys.argv[1]
out = subprocess.run(["readelf", "-SW", p], stdout=subprocess.PIPE, universal_newlines=True).stdout
m = re.search(r"\]\s+\.symtab\s+SYMTAB\s+[0-9a-f]+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)", out)
off, size, ent = (int(x, 16) for x in m.groups())
d = bytearray(open(p, "rb").read())
d[off + ent * (size // ent - 1):off + ent * (size // ent - 1) + 4] = struct.pack("<I", 0x7fffffff)
open(p, "wb").write(d)
PY
check_exit "malformed symbol table: still measured" 0 "$RELGATE" measure --by symbol --top 0 --format json badsym
check_eq "malformed symbol table: a note, section rows only, nothing else" "note sections" "$(python3 -c '
import json, sys
b = json.load(open(sys.argv[1]))["binaries"][0]
note = any("attribution" in n and "sections only" in n for n in b["notes"])
rows = b["attribution"]["rows"]
ok = all(r["name"].startswith("[") for r in rows) and sum(r["relocs"] for r in rows) == b["metrics"]["relocs.total"]
print(("note" if note else "no-note") + " " + ("sections" if ok else repr([r["name"] for r in rows])))' "$TEST_TMP/last.out")"

# diff --by symbol: the head adds two pointers to p4, adds p5 (two
# pointers) and drops p2 (one pointer); counts derived from the sources.
# p5 and p4 both change by 2 fixups: p5 first, its pages changed too (0 -> 1).
sed -e 's/^int \*p2\[\].*$//' -e 's/\*p2\[0\] + //' \
	-e 's/int \*p4\[\] = { &a, &b, &c, &a, &b, &c, &a };/int *p4[] = { \&a, \&b, \&c, \&a, \&b, \&c, \&a, \&b, \&c };\nint *p5[] = { \&a, \&b };/' \
	-e 's/\*p6\[0\]; }/*p6[0] + *p5[1]; }/' hostile.c >head.c
if clang-19 -O1 -fPIE -pie -fuse-ld=lld -o head head.c 2>build.log; then
	"$RELGATE" diff --by symbol --format json hostile head >d.json 2>err.txt ||
		not_ok "diff --by symbol" "$(cat err.txt)"
	check_eq "diff --by symbol: rows, status and deltas" \
		"p5 new - 2 2|p4 changed 7 9 2|=HYPERLINK(1) removed 1 - -1" "$(python3 -c '
import json
d = json.load(open("d.json"))
out = []
for r in d["rows"]:
    if r["name"].startswith("["):
        continue
    b = r["base"]["relocs"] if r["base"] else "-"
    h = r["head"]["relocs"] if r["head"] else "-"
    out.append("%s %s %s %s %s" % (r["name"], r["status"], b, h, r["delta"]["relocs"]))
print("|".join(out))')"
	"$RELGATE" measure --by symbol --top 0 --format json hostile >b.json
	"$RELGATE" diff --by symbol --format json b.json head >d2.json 2>err.txt
	check_eq "diff --by: a measure document as OLD gives the same rows" "same" \
		"$(python3 -c 'import json; a=json.load(open("d.json"))["rows"]; b=json.load(open("d2.json"))["rows"]; print("same" if a == b else "differ")')"
	check_exit "diff --by: a document measured with --top" 2 "$RELGATE" diff --by symbol symbol2.json head
	grep -q -- "--top 0" "$TEST_TMP/last.err" && ok "diff --by: says to measure with --top 0" ||
		not_ok "diff --by --top message" "$(cat "$TEST_TMP/last.err")"
	check_exit "diff --by: a document of another key" 2 "$RELGATE" diff --by section b.json head
	printf '{"binaries": [' >cut.json
	check_exit "diff --by: a cut measure document" 2 "$RELGATE" diff --by symbol cut.json head
	case $(cat "$TEST_TMP/last.err") in "relgate: cut.json: not valid JSON (near byte "*)
		ok "diff --by: cut document message" ;;
	*) not_ok "diff --by: cut document message" "$(cat "$TEST_TMP/last.err")" ;; esac
	check_exit "diff --by with --budgets" 2 "$RELGATE" diff --by symbol --budgets x.yml hostile head
	"$RELGATE" diff --by symbol hostile head >d.txt
	if python3 -c 'import sys; sys.exit(1 if b"\x1b" in open("d.txt","rb").read() else 0)'; then
		ok "diff --by text: no raw escape byte"
	else
		not_ok "diff --by text: no raw escape byte" "$(cat -v d.txt)"
	fi
else
	not_ok "diff fixture" "$(head -c 300 build.log)"
fi
exit 0
