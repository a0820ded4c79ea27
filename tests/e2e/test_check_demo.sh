#!/bin/sh
# The embedded example (examples/make-repo.sh, examples/demo.sh): the head
# commit's UPnP module breaks the budgets of both targets, and the deltas
# relgate reports are those of independent tools on the very binaries it
# built (kept with --keep): readelf counts the ELF target's relative
# relocations, llvm-objdump --macho the Go darwin/arm64 target's rebases
# and binds. demo.sh itself must exit 0 (the breach is the expected outcome).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/e2e/check_lib.sh"

if ! need go cc readelf || [ ! -x "$LLVM_BIN/llvm-objdump" ]; then
	skip "examples demo" "needs go, cc, readelf and llvm-objdump"; exit 0
fi
export XDG_CACHE_HOME="$TEST_TMP/xdg"
d=$TEST_TMP/netd
sh "$ROOT/examples/make-repo.sh" "$d" || { not_ok "make-repo.sh" "failed"; exit 0; }
ok "make-repo.sh makes the example repository"
cd "$d" || exit 1
check_exit "example: relgate check finds the breach (exit 1)" 1 \
	"$RELGATE" check --no-cache --keep --json-out "$TEST_TMP/demo.json"
kept=$(sed -n 's/^relgate: kept the exported trees, outputs and logs in //p' "$TEST_TMP/last.err")

delta() { # TARGET METRIC: head - base from the JSON report's verdicts
	python3 - "$TEST_TMP/demo.json" "$1" "$2" <<'PY'
import json, sys
doc, target, metric = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
for t in doc.get("targets", []):
    if t.get("name") == target:
        for v in t.get("verdicts", []):
            if v.get("metric") == metric and "delta" in v:
                print(v["delta"]); sys.exit(0)
print("none")
PY
}
count_elf() { readelf -rW "$1" | grep -c '_RELATIVE '; }
count_macho() { "$LLVM_BIN/llvm-objdump" --macho --rebase --bind "$1" | grep -c 'pointer'; }
if [ -d "$kept" ]; then
	e=$(( $(count_elf "$kept"/head-out-0-netd-linux/netd) - $(count_elf "$kept"/base-out-0-netd-linux/netd) ))
	check_eq "netd-linux: relocs.relative delta = readelf's" "$e" "$(delta netd-linux relocs.relative)"
	m=$(( $(count_macho "$kept"/head-out-1-netd-ios/netd) - $(count_macho "$kept"/base-out-1-netd-ios/netd) ))
	check_eq "netd-ios: relocs.total delta = llvm-objdump's rebases + binds" "$m" "$(delta netd-ios relocs.total)"
	[ "$e" -gt 48 ] && [ "$m" -gt 64 ] && ok "both deltas exceed the budgets (48, 64) per the oracles" ||
		not_ok "both deltas exceed the budgets" "elf +$e, macho +$m"
	rm -rf "$kept"
else
	not_ok "--keep printed the kept directory" "$(tail -n 3 "$TEST_TMP/last.err")"
fi
# movers TARGET METRIC FORMAT BY:N...: the first N movers of each kind BY
# on TARGET's METRIC verdict in demo.json, each printed with FORMAT (a
# python %-format over the mover's fields), joined with |.
movers() {
	python3 - "$TEST_TMP/demo.json" "$@" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
t = [t for t in doc["targets"] if t["name"] == sys.argv[2]][0]
v = [v for v in t["verdicts"] if v["metric"] == sys.argv[3]][0]
m = []
for spec in sys.argv[5:]:
    by, n = spec.split(":")
    m += [x for x in v.get("movers", []) if x["by"] == by][:int(n)]
print("|".join(sys.argv[4] % x for x in m))
PY
}
# The gate explains its verdicts (docs/attribution.md): the failing rules
# on fixup metrics name their movers. netd-linux: upnp.c's tables, whose
# pointer counts follow from the source: state_vars 20 x 3 = 60, actions
# 14 x 4 = 56, errors 15. netd-ios: the upnp package among the packages.
check_eq "netd-linux FAIL: movers by symbol are upnp.c's tables" \
	"state_vars +60 (0 -> 60)|actions +56 (0 -> 56)|errors +15 (0 -> 15)" "$(movers netd-linux relocs.relative '%(name)s %(delta)+d (%(base)d -> %(head)d)' symbol:3)"
# netd-ios: Go's static temps (the slice literals' arrays) have no symbol;
# the compiler's listing of the upnp package (-gcflags=-S) says how many
# pointers its data holds (R_ADDR relocations) and which static temps each
# variable reaches: the package's mover and the "[data of X]" movers.
(cd "$d/go" && GOFLAGS=-buildvcs=false CGO_ENABLED=0 GOOS=darwin GOARCH=arm64 GO111MODULE=on go build -trimpath \
	-gcflags='example.com/netd/upnp=-S' -o "$TEST_TMP/netd-ios" . 2>"$TEST_TMP/upnp.S")
want=$(python3 - "$TEST_TMP/upnp.S" <<'PY'
import re, sys
rels, cur = {}, None
for line in open(sys.argv[1]):
    m = re.match(r"^(example\.com/netd/upnp\.\S+) S(NOPTR)?DATA ", line)
    if m or not line.startswith("\t"):
        cur = m.group(1) if m else None
        if cur:
            rels[cur] = []
    elif cur:
        r = re.match(r"^\trel \d+\+\d+ t=1 (.*)\+-?\d+$", line)
        if r:
            rels[cur].append(r.group(1))
def reach(sym, seen):  # the static temps sym points to, and theirs
    for t in rels.get(sym, []):
        if "..stmp_" in t and t not in seen:
            seen.add(t)
            reach(t, seen)
    return seen
out = ["example.com/netd/upnp +%d" % sum(len(v) for v in rels.values())]
movers = []
for v in ("Actions", "StateVars", "Errors"):
    n = sum(len(rels.get(t, [])) for t in reach("example.com/netd/upnp." + v, set()))
    movers.append((-n, "[data of _example.com/netd/upnp.%s] +%d" % (v, n)))
print("|".join(out + [m[1] for m in sorted(movers)]))
PY
)
check_eq "netd-ios FAIL: movers name the upnp package and its tables, per the compiler's listing" \
	"$want" "$(movers netd-ios relocs.total '%(name)s %(delta)+d' package:1 symbol:3)"
check_eq "netd-ios FAIL: runtime.sigtable did not move (it held the UPnP tables before)" "none" \
	"$(python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
t = [t for t in doc["targets"] if t["name"] == "netd-ios"][0]
print(" ".join("%s %+d" % (x["name"], x["delta"]) for v in t["verdicts"] for x in v.get("movers", [])
               if "sigtable" in x["name"]) or "none")' "$TEST_TMP/demo.json")"
check_eq "passing rules carry no movers" "0" "$(python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
print(sum(len(v.get("movers", [])) for t in doc["targets"] for v in t["verdicts"] if v["status"] == "pass"))' "$TEST_TMP/demo.json")"
check_eq "the report with movers validates (docs/report.schema.json)" "valid" \
	"$(python3 "$ROOT/tests/schema_check.py" "$ROOT/docs/report.schema.json" "$TEST_TMP/demo.json")"
# Every form names them; merge reads them back from the JSON report.
for fmt in text markdown github; do
	"$RELGATE" merge --format $fmt "$TEST_TMP/demo.json" >"$TEST_TMP/demo.$fmt" 2>/dev/null
	grep -Eq 'moved most, by symbol: state(\\)?_vars \+60' "$TEST_TMP/demo.$fmt" &&
		grep -Eq 'example(\\)?\.com/netd/upnp' "$TEST_TMP/demo.$fmt" &&
		ok "merge --format $fmt: names the movers" ||
		not_ok "merge --format $fmt: names the movers" "$(grep -i moved "$TEST_TMP/demo.$fmt" | head -c 400)"
done
# A cached base still explains: the rows are kept with the cached metrics.
check_exit "example: relgate check with the cache (filled)" 1 "$RELGATE" check --json-out "$TEST_TMP/c1.json"
check_exit "example: relgate check from the cache" 1 "$RELGATE" check --json-out "$TEST_TMP/c2.json"
check_eq "cached run: the same movers" "same" "$(python3 -c '
import json, sys
m = lambda p: [v.get("movers") for t in json.load(open(p))["targets"] for v in t["verdicts"]]
print("same" if m(sys.argv[1]) == m(sys.argv[2]) and any(m(sys.argv[2])) else "differ")' "$TEST_TMP/c1.json" "$TEST_TMP/c2.json")"
check_exit "examples/demo.sh exits 0 (the breach is the expected outcome)" 0 \
	env RELGATE="$RELGATE" sh "$ROOT/examples/demo.sh"
grep -q "expected" "$TEST_TMP/last.err" && ok "demo.sh says the breach was expected" ||
	not_ok "demo.sh says the breach was expected" "$(tail -n 3 "$TEST_TMP/last.err")"
