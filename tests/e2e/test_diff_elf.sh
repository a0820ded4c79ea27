#!/bin/sh
# tests/e2e/test_diff_elf.sh - `relgate diff` on real base/head binaries: two
# versions of a fixture program built here with gcc, where the head links a
# pointer-rich module (1500 string pointers and 1500 function pointers in
# const tables, which -fPIE puts in .data.rel.ro under GNU_RELRO, each
# needing an R_X86_64_RELATIVE relocation). The expected growth comes from
# binutils readelf: relocation entries (-rW), the GNU_RELRO range (-lW),
# the distinct 4 KiB pages the relocations land on, and the file sizes.
. "$ROOT/tests/lib.sh"
cd "$TEST_TMP" || exit 1

if ! need gcc readelf python3; then
	skip "diff on ELF binaries" "gcc, readelf or python3 missing"
	exit 0
fi

src=$TEST_TMP/src
mkdir -p "$src"
cat >"$src/main.c" <<'C'
#include <stdio.h>
extern int extra(int);
int main(int argc, char **argv) { (void)argv; printf("%d\n", extra(argc)); return 0; }
C
cat >"$src/base_mod.c" <<'C'
int extra(int x) { return x + 1; }
C
python3 - "$src/head_mod.c" <<'PY'
import sys
n = 1500
with open(sys.argv[1], "w") as f:
    f.write("/* pointer-rich: %d pointers in const tables -> .data.rel.ro */\n" % (2 * n))
    f.write("static const char *const names[%d] = {\n" % n)
    f.write("".join('  "n%d",\n' % i for i in range(n)))
    f.write("};\nstatic int id(int x) { return x; }\n")
    f.write("static int (*const fns[%d])(int) = {\n" % n)
    f.write("  id,\n" * n)
    f.write("};\nint extra(int x) { return x + (int)names[x %% %d][0] + fns[x %% %d](x); }\n" % (n, n))
PY

# Cache the two builds under $FIXTURES, keyed by the sources and the compiler.
key=$(cat "$src"/*.c; gcc --version | head -1)
key=$(printf '%s' "$key" | cksum | cut -d' ' -f1)
fx=$FIXTURES/budgets_diff_$key
if [ ! -f "$fx/head" ]; then
	mkdir -p "$fx.tmp"
	gcc -O1 -fPIE -pie -o "$fx.tmp/base" "$src/main.c" "$src/base_mod.c" &&
		gcc -O1 -fPIE -pie -o "$fx.tmp/head" "$src/main.c" "$src/head_mod.c" &&
		rm -rf "$fx" && mv "$fx.tmp" "$fx" || { not_ok "diff elf: fixtures build" "gcc failed"; exit 0; }
fi
cp "$fx/base" "$fx/head" .

# The oracle: readelf's view of each binary.
oracle() { # FILE -> "total relative relro_pages all_pages file_size"
	readelf -rW "$1" >"$1.r" && readelf -lW "$1" >"$1.l" || return 1
	python3 - "$1" <<'PY'
import os, re, sys
f = sys.argv[1]
rel = open(f + ".r").read()
if ".relr.dyn" in rel:
    print("relr"); sys.exit()
total = sum(int(n) for n in re.findall(r"contains (\d+) entr", rel))
relative = len(re.findall(r"^\s*[0-9a-f]+\s+[0-9a-f]+\s+R_X86_64_RELATIVE\b", rel, re.M))
offs = [int(m, 16) for m in re.findall(r"^\s*([0-9a-f]{8,16})\s+[0-9a-f]+\s+R_X86_64_", rel, re.M)]
relro = [l.split() for l in open(f + ".l") if l.split()[:1] == ["GNU_RELRO"]][0]
lo = int(relro[2], 16); hi = lo + int(relro[5], 16)
page = 4096
print(total, relative, len({o // page for o in offs if lo <= o < hi}), len({o // page for o in offs}),
      os.path.getsize(f))
PY
}
ob=$(oracle base); oh=$(oracle head)
if [ "$ob" = relr ] || [ "$oh" = relr ]; then
	skip "diff on ELF binaries" "the toolchain packs relative relocations (DT_RELR)"
	exit 0
fi
set -- $ob; b_total=$1 b_rel=$2 b_rp=$3 b_ap=$4 b_size=$5
set -- $oh; h_total=$1 h_rel=$2 h_rp=$3 h_ap=$4 h_size=$5
d_total=$((h_total - b_total)); d_rel=$((h_rel - b_rel)); d_rp=$((h_rp - b_rp))
d_ap=$((h_ap - b_ap)); d_size=$((h_size - b_size))
# The module adds 3000 relative relocations (one per pointer).
check_eq "oracle: readelf sees the 3000 new relative relocations" 3000 "$d_rel"

check_exit "diff elf: binaries" 0 "$RELGATE" diff --format json base head
cp "$TEST_TMP/last.out" d.json
python3 - <<'PY' >res
import json
t = json.load(open("d.json"))["targets"][0]
d = t["deltas"]
print(d.get("relocs.total", 0), d.get("relocs.relative", 0), d.get("dirty.relro.pages", 0),
      d.get("dirty.relro.bytes", 0), d.get("dirty.pages", 0), d.get("file.size", 0))
PY
check_eq "diff elf: deltas equal readelf's (relocs, relative, relro pages/bytes, pages, size)" \
	"$d_total $d_rel $d_rp $((d_rp * 4096)) $d_ap $d_size" "$(cat res)"

# The text report in words, with the page count from the oracle.
check_exit "diff elf: text" 0 "$RELGATE" diff base head
row=$(awk '$1 == "relocs.relative" {print $2, $3, $4}' "$TEST_TMP/last.out")
check_eq "diff elf: relocs.relative row" "$b_rel $h_rel +$d_rel" "$row"

# Budgets at the exact edge, from the oracle: relocs.relative may grow by
# exactly d_rel (passes with margin 0); dirty.relro.bytes by one byte less
# than it did (fails by 1).
cat >relgate.yml <<YML
version: 1
targets:
  app:
    build: make
    artifact: app
    budgets:
      relocs.relative: { max_increase: $d_rel }
      dirty.relro.bytes: { max_increase: $((d_rp * 4096 - 1))B }
      relocs.total: { warn_max: $h_total }
YML
check_exit "diff elf: a budget exceeded by one byte exits 1" 1 "$RELGATE" diff --all --budgets relgate.yml --json-out v.json base head
python3 - <<'PY' >res
import json
v = {x["metric"]: x for x in json.load(open("v.json"))["targets"][0]["verdicts"]}
print(v["relocs.relative"]["status"], v["relocs.relative"]["margin"],
      v["dirty.relro.bytes"]["status"], v["dirty.relro.bytes"]["margin"],
      v["relocs.total"]["status"], v["relocs.total"]["margin"])
PY
check_eq "diff elf: exact limit passes, one byte over fails" "pass 0 fail -1 pass 0" "$(cat res)"
check_eq "diff elf: the JSON reports validate against report.schema.json" "d.json valid
v.json valid" "$(python3 "$ROOT/tests/schema_check.py" "$ROOT/docs/report.schema.json" d.json v.json 2>&1)"
pages=$(awk -v p="$d_rp" 'BEGIN { print (p == 1) ? "+1 page" : "+" p " pages" }')
grep -q "dirty relro memory grew by .* ($pages) to .*; budget max_increase .* set at relgate.yml:8, exceeded by 1 B" \
	"$TEST_TMP/last.out" && ok "diff elf: the failure in words" ||
	not_ok "diff elf: the failure in words" "$(grep FAIL "$TEST_TMP/last.out")"

# A measure JSON on one side and a binary on the other give the same deltas.
"$RELGATE" measure --format json base >base.json
check_exit "diff elf: JSON base, binary head" 0 "$RELGATE" diff --format json base.json head
python3 - "$TEST_TMP/last.out" <<'PY' >res2
import json, sys
print(json.dumps(json.load(open(sys.argv[1]))["targets"][0]["deltas"], sort_keys=True))
PY
python3 - d.json <<'PY' >res1
import json, sys
print(json.dumps(json.load(open(sys.argv[1]))["targets"][0]["deltas"], sort_keys=True))
PY
cmp -s res1 res2 && ok "diff elf: JSON side equals binary side" || not_ok "diff elf: JSON side equals binary side" "$(head -c 200 res2)"
# --page-size changes the binary's page counts but a JSON side cannot be re-measured.
check_exit "diff elf: JSON measured at another page size" 2 "$RELGATE" diff --page-size 16KiB base.json head
