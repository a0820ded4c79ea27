#!/bin/sh
# tests/e2e/test_budgets_groups.sh - budgets on fixup groups (issue 11):
# package[PATH].relocs, package[PATH].dirty_pages and symbol[NAME].relocs
# in relgate.yml, judged by `relgate diff --budgets`. Symbol counts are
# derived from the fixture's source (pointers in each table); the Go
# package's count comes from tests/oracle/attr_oracle.py (binutils nm -S
# joined with llvm-readelf's relocations), never from relgate.
. "$ROOT/tests/lib.sh"
cd "$TEST_TMP"
if ! need clang-19 ld.lld-19 python3; then skip "group budgets" "clang-19/ld.lld-19/python3 missing"; exit 0; fi

# Loader: the three group forms are metrics; other fields are not.
cat > ok.yml <<'YML'
version: 1
targets:
  t:
    build: "true"
    artifact: x
    budgets:
      "package[example.com/netd/upnp].relocs": { max: 300 }
      "package[example.com/netd/upnp].dirty_pages": { max_increase: 2 }
      "symbol[upnp_actions].relocs": { max: 60 }
YML
check_exit "validate: group metrics accepted" 0 "$RELGATE" validate ok.yml
for bad in "package[x].size" "symbol[x].dirty_pages" "package[].relocs"; do
	printf 'version: 1\ntargets:\n  t:\n    build: "true"\n    artifact: x\n    budgets:\n      "%s": { max: 1 }\n' "$bad" > bad.yml
	check_exit "validate: $bad rejected" 2 "$RELGATE" validate bad.yml
	grep -q "bad.yml:7:" "$TEST_TMP/last.err" && ok "validate: $bad: points at its line" ||
		not_ok "validate: $bad: position" "$(cat "$TEST_TMP/last.err")"
done

# Symbols: base p4 has 7 pointers, head 9 (one R_X86_64_RELATIVE each).
gen() { # N pointers in p4
	{
		echo 'static int a, b, c;'
		printf 'int *p4[] = {'; i=0; while [ $i -lt "$1" ]; do printf ' &a,'; i=$((i + 1)); done; echo ' };'
		echo 'int *other[] = { &b, &c };'
		echo 'int main(void) { return *p4[0] + *other[1]; }'
	} > "p$1.c"
	clang-19 -O1 -fPIE -pie -fuse-ld=lld -o "p$1" "p$1.c"
}
if ! gen 7 || ! gen 9; then not_ok "symbol fixtures" "clang-19 failed"; exit 0; fi
yml() { printf 'version: 1\ntargets:\n  t:\n    build: "true"\n    artifact: x\n    budgets:\n%s\n' "$1" > g.yml; }
yml '      "symbol[p4].relocs": { max: 8 }'
check_exit "symbol[p4].relocs 9 > max 8: fails" 1 "$RELGATE" diff --budgets g.yml p7 p9
yml '      "symbol[p4].relocs": { max_increase: 2 }'
check_exit "symbol[p4].relocs +2 within max_increase 2" 0 "$RELGATE" diff --budgets g.yml p7 p9
"$RELGATE" diff --budgets g.yml --format json p7 p9 > r.json
check_eq "symbol[p4].relocs base and head (7 -> 9)" "7 9" "$(python3 -c '
import json
t = json.load(open("r.json"))["targets"][0]
v = [x for x in t["verdicts"] if x["metric"] == "symbol[p4].relocs"][0]
print(v["base"], v["head"])' 2>&1)"
yml '      "symbol[no_such_table].relocs": { max: 0 }'
check_exit "a symbol without fixups is 0" 0 "$RELGATE" diff --budgets g.yml p7 p9
yml '      "package[main].relocs": { max: 100 }'
check_exit "package[] on a C binary: absent, an error" 2 "$RELGATE" diff --budgets g.yml p7 p9
grep -q "package\[main\].relocs" "$TEST_TMP/last.err" && ok "package[] on C: names the metric" ||
	not_ok "package[] on C: message" "$(cat "$TEST_TMP/last.err")"

# package_budget BINARY PACKAGE NATIVE: package[PACKAGE] budgets on BINARY
# against attr_oracle.py's count of its fixups (symbols of binutils nm -S
# joined with llvm-readelf's relocations; packages by Go's rules, or with
# NATIVE 1 from c++filt's demangling); pb_relocs: the oracle's count.
package_budget() {
	pb_want=$(python3 - "$ROOT/tests/oracle" "$1" "$2" "$3" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import attr_oracle as a
g = a.elf_package_rows(sys.argv[2], sys.argv[4] == "1").get(sys.argv[3], [0] * 6)
print(g[0], g[4])
PY
)
	set -- "$1" "$2" $pb_want
	pb_relocs=${3:-0}
	yml "      \"package[$2].relocs\": { max: $(( pb_relocs - 1 )) }
      \"package[$2].dirty_pages\": { max: ${4:-0} }"
	check_exit "package[$2].relocs over its max fails" 1 "$RELGATE" diff --budgets g.yml --format json "$1" "$1"
	check_eq "package[$2] relocs, dirty_pages (oracle: $3, $4)" "$3 $4" "$(python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))["targets"][0]
v = {x["metric"]: x["head"] for x in t["verdicts"]}
print(v["package[%s].relocs" % sys.argv[2]], v["package[%s].dirty_pages" % sys.argv[2]])' "$TEST_TMP/last.out" "$2" 2>&1)"
}

# A C++ namespace: its count from attr_oracle.py (c++filt's demangling of
# each symbol joined with llvm-readelf's relocations), never from relgate.
cat > ns.cc <<'SRC'
namespace tables {
int a, b, c;
int *ptrs[] = { &a, &b, &c, &a, &b };
struct Shape { virtual int area() const { return 1; } virtual ~Shape() {} };
}
int *other[] = { &tables::a };
int main() { tables::Shape s; return *tables::ptrs[1] + *other[0] + s.area(); }
SRC
if clang++-19 -O0 -fPIE -pie -fuse-ld=lld -o ns ns.cc 2>cxx.log; then
	package_budget ns tables 1
	[ "$pb_relocs" -gt 5 ] && ok "the C++ fixture's namespace holds its fixups" ||
		not_ok "C++ fixture" "tables holds $pb_relocs fixups"
else
	not_ok "C++ fixture" "$(head -c 300 cxx.log)"
fi

# A Go package: its count from attr_oracle.py's independent join.
if need go; then
	mkdir -p gomod/tables && cd gomod
	printf 'module example.com/gm\n\ngo 1.16\n' > go.mod
	cat > tables/tables.go <<'SRC'
package tables

var Names = []string{"alpha", "beta", "gamma", "delta", "epsilon"}
var Funcs = []func() int{one, two, one, two}

func one() int { return 1 }
func two() int { return 2 }
SRC
	cat > main.go <<'SRC'
package main

import (
	"fmt"

	"example.com/gm/tables"
)

func main() { fmt.Println(len(tables.Names), tables.Funcs[1]()) }
SRC
	if GO111MODULE=on CGO_ENABLED=0 GOOS=linux GOARCH=amd64 GOFLAGS=-buildvcs=false \
		go build -buildmode=pie -o ../gm . 2>../go.log; then
		cd ..
		package_budget gm example.com/gm/tables 0
		[ "$pb_relocs" -gt 0 ] && ok "the Go fixture's package holds fixups" || not_ok "Go fixture" "no fixups in the package"
	else
		cd ..
		not_ok "go fixture" "$(head -c 300 go.log)"
	fi
else
	skip "group budgets: go" "go missing"
fi
exit 0
