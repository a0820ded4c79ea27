# test_pe_go.sh - Go windows/amd64, windows/386 and windows/arm64 builds
# (CGO_ENABLED=0), normal and stripped (-ldflags='-s -w'), made at test time
# by the installed Go and checked against llvm-readobj-19 through
# tests/oracle/pe_oracle.py: sections (Go's DWARF sections have long names
# "/4" from the COFF string table), base relocations (Go writes blocks whose
# SizeOfBlock is not a multiple of 4 and no ABSOLUTE padding), imports.
# The runtime.pclntab symbol that the PE parser hands to the pclntab reader
# is checked against llvm-nm when the pclntab reader is in the build.
# Fixtures are cached under $FIXTURES/pe/go-<go version>.
. "$ROOT/tests/lib.sh"

if ! need go python3 || [ ! -x "$LLVM_BIN/llvm-readobj" ]; then
	skip "pe go fixtures" "go, python3 or llvm-readobj missing"
	exit 0
fi
GOVER=$(go env GOVERSION 2>/dev/null || go version | awk '{print $3}')
FIX=$FIXTURES/pe/go-$GOVER-v1
ORACLE=$ROOT/tests/oracle/pe_oracle.py

build_fixtures() {
	d=$FIX.tmp.$$
	rm -rf "$d" && mkdir -p "$d/src" || return 1
	cat >"$d/src/main.go" <<'EOF'
package main

import (
	"fmt"
	"os"
	"sort"
)

type shape interface{ area() float64 }
type sq struct{ s float64 }

func (q sq) area() float64 { return q.s * q.s }

var table = []*int{new(int), new(int), new(int)}
var shapes = map[string]shape{"a": sq{1}, "b": sq{2}}

func main() {
	keys := make([]string, 0, len(shapes))
	for k := range shapes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Println(keys, len(os.Args), len(table))
}
EOF
	for a in amd64 386 arm64; do
		(cd "$d/src" && GOOS=windows GOARCH=$a CGO_ENABLED=0 GO111MODULE=off \
			go build -o "$d/go_$a.exe" main.go &&
		 GOOS=windows GOARCH=$a CGO_ENABLED=0 GO111MODULE=off \
			go build -ldflags='-s -w' -o "$d/go_${a}_stripped.exe" main.go) || return 1
	done
	rm -rf "$d/src" "$FIX" && mv "$d" "$FIX"
}

if [ ! -f "$FIX/go_arm64_stripped.exe" ]; then
	mkdir -p "$FIXTURES/pe"
	if ! build_fixtures >"$TEST_TMP/build.log" 2>&1; then
		not_ok "pe go fixtures build" "$(tail -n 5 "$TEST_TMP/build.log")"
		exit 1
	fi
fi
ok "pe go fixtures built ($GOVER)"

for a in amd64 386 arm64; do
	for v in "" _stripped; do
		n=go_$a$v.exe
		f=$FIX/$n
		"$LLVM_BIN/llvm-readobj" --file-headers --sections --coff-basereloc --coff-imports "$f" \
			>"$TEST_TMP/$n.ro" 2>&1 || { not_ok "$n readobj" "llvm-readobj failed"; continue; }
		if ! "$RELGATE" measure --format json "$f" >"$TEST_TMP/$n.json" 2>"$TEST_TMP/$n.err"; then
			not_ok "$n measure" "$(head -c 300 "$TEST_TMP/$n.err")"
			continue
		fi
		python3 "$ORACLE" "$n" "$TEST_TMP/$n.ro" "$TEST_TMP/$n.json"
		[ -n "$v" ] && continue
		# Unstripped Go images keep long DWARF section names.
		if grep -q 'Name: .zdebug_info (2F\|Name: .debug_info (2F' "$TEST_TMP/$n.ro"; then
			ok "$n: has long section names resolved through the string table"
		else
			not_ok "$n: long section names" "llvm-readobj shows no /N section name"
		fi
		# runtime.pclntab from the COFF symbol table, as llvm-nm sees it.
		addr=$("$LLVM_BIN/llvm-nm" "$f" 2>/dev/null | awk '$3 == "runtime.pclntab" { print $1 }')
		found=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["binaries"][0].get("info",{}).get("pclntab.found_by",""))' "$TEST_TMP/$n.json")
		if [ -z "$addr" ]; then
			not_ok "$n: runtime.pclntab" "llvm-nm lists no runtime.pclntab"
		elif [ -z "$found" ]; then
			skip "$n: pclntab found by symbol" "the pclntab reader is not in this build"
		else
			case $found in
			*symbol*) ok "$n: pclntab found by the runtime.pclntab symbol ($found; llvm-nm: 0x$addr)" ;;
			*) not_ok "$n: pclntab found by symbol" "found_by is '$found' (llvm-nm: runtime.pclntab at 0x$addr)" ;;
			esac
			# Its file offset and size, from llvm-nm's addresses and
			# llvm-readobj's section table.
			eaddr=$("$LLVM_BIN/llvm-nm" "$f" 2>/dev/null | awk '$3 == "runtime.epclntab" { print $1 }')
			python3 - "$TEST_TMP/$n.ro" "$TEST_TMP/$n.json" "$addr" "$eaddr" "$n" <<'PY'
import json, re, sys
ro, js, addr, eaddr, name = sys.argv[1], sys.argv[2], int(sys.argv[3], 16), int(sys.argv[4], 16), sys.argv[5]
text = open(ro).read()
base = int(re.search(r"ImageBase: (0x[0-9A-Fa-f]+)", text).group(1), 16)
want = None
for blk in text.split("Section {")[1:]:
    va = int(re.search(r"VirtualAddress: (0x[0-9A-Fa-f]+)", blk).group(1), 16)
    vs = int(re.search(r"VirtualSize: (0x[0-9A-Fa-f]+)", blk).group(1), 16)
    ptr = int(re.search(r"PointerToRawData: (0x[0-9A-Fa-f]+)", blk).group(1), 16)
    if va <= addr - base < va + vs:
        want = ptr + (addr - base - va)
b = json.load(open(js))["binaries"][0]
got = b.get("info", {}).get("pclntab.offset")
for what, w, g in (("pclntab file offset", want, int(got) if got else None),
                   ("pclntab.bytes = epclntab - pclntab", eaddr - addr, b["metrics"].get("pclntab.bytes"))):
    print(("ok - %s: %s = %s" % (name, what, g)) if w == g else
          ("not ok - %s: %s: expected %s (llvm-nm/llvm-readobj), got %s" % (name, what, w, g)))
PY
		fi
	done
done
