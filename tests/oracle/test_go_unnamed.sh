#!/bin/sh
# test_go_unnamed.sh - Go's unnamed data (docs/attribution.md, "Go's
# unnamed data"): the backing arrays of slice literals have no symbol, and
# relgate attributes their fixups to what points to them. Judged on the
# example's UPnP package (examples/netd, head commit) built for
# darwin/arm64 and windows/amd64, by two sources relgate does not read:
#   - the compiler's own listing (go build -gcflags=PKG=-S): every
#     pointer in the upnp package's data symbols, its static temps
#     ("..stmp_N") included, is an R_ADDR relocation (t=1), and becomes
#     one rebase (Mach-O) or base relocation (PE): their count is the
#     package's row;
#   - the DWARF (tests/oracle/go_dwarf_vars.go, debug/dwarf): no symbol
#     row is shorter than its variable (an unnamed object is never cut
#     out of a real one), and runtime.sigtable, which swallowed the UPnP
#     tables before, ends where its type says.
# attr_oracle.py then judges every row of every key on the same binaries
# (llvm-objdump's fixups, llvm-nm's symbols, the rule modelled there).
. "$ROOT/tests/oracle/fixture_lib.sh"

require "go unnamed data" go python3 "$OBJDUMP" || exit 0

build() {
	sh "$ROOT/examples/make-repo.sh" "$1/netd" >/dev/null || return 1
	go build -o "$1/go_dwarf_vars" "$ROOT/tests/oracle/go_dwarf_vars.go" || return 1
	for t in darwin-arm64 windows-amd64; do
		(cd "$1/netd/go" && CGO_ENABLED=0 GOOS=${t%-*} GOARCH=${t#*-} GO111MODULE=on \
			go build -trimpath -gcflags='example.com/netd/upnp=-S' -o "$1/netd-$t" . \
			2>"$1/upnp-$t.S") || return 1
	done
	rm -rf "$1/netd"
}
fixtures_cached "netd upnp (Go darwin, windows)" go-unnamed build "$(go version)" \
	"$ROOT/tests/oracle/go_dwarf_vars.go" "$ROOT/examples/netd/head/go/upnp/upnp.go" \
	"$ROOT/examples/make-repo.sh" || exit 0

attr_q=""
for t in darwin-arm64 windows-amd64; do
	f=$FIX/netd-$t
	# Pointers in the upnp package's data (its variables and static temps),
	# as the compiler listed them.
	want=$(awk '/^[^ \t]/ { cur = ($0 ~ /^example\.com\/netd\/upnp\.[^ ]* S(NOPTR)?DATA /) }
		cur && /^\trel [0-9]+\+[0-9]+ t=1 / { n++ } END { print n + 0 }' "$FIX/upnp-$t.S")
	if [ "$want" -lt 100 ]; then
		not_ok "$t: the compiler listing" "only $want R_ADDR relocations in upnp's data"
		continue
	fi
	"$RELGATE" measure --by package --top 0 --format json "$f" >"$TEST_TMP/pkg.json" 2>"$TEST_TMP/err"
	check_eq "$t: package example.com/netd/upnp = the compiler's R_ADDR relocations" "$want" \
		"$(python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))["binaries"][0]["attribution"]["rows"]
print(sum(r["relocs"] for r in rows if r["name"] == "example.com/netd/upnp"))' "$TEST_TMP/pkg.json")"
	# Symbol and target rows against the DWARF's variables.
	"$RELGATE" measure --by symbol --top 0 --format json "$f" >"$TEST_TMP/sym.json" 2>>"$TEST_TMP/err"
	"$RELGATE" measure --by target --top 0 --format json "$f" >"$TEST_TMP/tgt.json" 2>>"$TEST_TMP/err"
	"$FIX/go_dwarf_vars" "$f" >"$TEST_TMP/vars" || { not_ok "$t: go_dwarf_vars" "failed"; continue; }
	res=$(python3 - "$TEST_TMP/sym.json" "$TEST_TMP/tgt.json" "$TEST_TMP/vars" "$t" <<'PY'
import json, sys
size = {}
for p in sys.argv[1:3]:
    for r in json.load(open(p))["binaries"][0]["attribution"]["rows"]:
        if "size" in r:
            size[r["name"]] = r["size"]
pre = "_" if sys.argv[4].startswith("darwin") else ""
short, n, sig = [], 0, None
for line in open(sys.argv[3]):
    addr, sz, name = line.rstrip("\n").split("\t")
    got = size.get(pre + name)
    if got is None:
        continue
    n += 1
    if got < int(sz):
        short.append("%s %s < %s" % (name, got, sz))
    if name == "runtime.sigtable":
        sig = "%s of %s" % (got, sz)
print("short: %s; %d compared; sigtable: %s" % (short[:3], n, sig))
PY
)
	case $res in
	"short: []; 0 compared"*) not_ok "$t: symbol rows against the DWARF" "no symbol row matched a DWARF variable: $res" ;;
	"short: []; "*) ok "$t: no symbol row is shorter than its DWARF variable (${res#*; })" ;;
	*) not_ok "$t: symbol rows against the DWARF" "$res" ;;
	esac
	sig=${res##*sigtable: }
	set -- $sig
	# darwin: the UPnP tables follow runtime.sigtable (windows has none).
	if [ "$t" = darwin-arm64 ]; then
		[ "$#" -eq 3 ] && [ "$1" = "$3" ] && ok "$t: runtime.sigtable ends where its DWARF type does ($1 bytes)" ||
			not_ok "$t: runtime.sigtable ends where its DWARF type does" "$sig"
	fi
	syms=macho; [ "$t" = windows-amd64 ] && syms=coff
	attr_q="$attr_q$t	$f	--keys symbol,package,target,target-package --syms $syms
"
done
printf '%s' "$attr_q" >"$TEST_TMP/attr.list"
python3 "$ROOT/tests/oracle/attr_oracle.py" --batch "$TEST_TMP/attr.list" "$RELGATE"
