# test_pe_go.sh - Go windows/amd64, windows/386 and windows/arm64 builds
# (CGO_ENABLED=0), normal and stripped (-ldflags='-s -w'), made at test time
# by the installed Go and checked against llvm-readobj-19 through
# tests/oracle/pe_oracle.py: sections (Go's DWARF sections have long names
# "/4" from the COFF string table), base relocations (Go writes blocks whose
# SizeOfBlock is not a multiple of 4 and no ABSOLUTE padding), imports.
# The runtime.pclntab symbol that the PE parser hands to the pclntab reader
# is checked against llvm-nm when the pclntab reader is in the build.
# Fixtures are cached under $FIXTURES/pe/go-KEY (fixture_lib.sh), keyed on
# `go version` too.
. "$ROOT/tests/oracle/fixture_lib.sh"

if ! need go python3 || [ ! -x "$LLVM_BIN/llvm-readobj" ]; then
	skip "pe go fixtures" "go, python3 or llvm-readobj missing"
	exit 0
fi
GOVER=$(go env GOVERSION 2>/dev/null || go version | awk '{print $3}')

build_fixtures() { # into $1
	d=$1
	mkdir -p "$d/src" || return 1
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
	rm -rf "$d/src"
}
fixtures_cached "pe go fixtures" pe/go build_fixtures "$GOVER" || exit 1

for a in amd64 386 arm64; do
	for v in "" _stripped; do
		n=go_$a$v.exe
		f=$FIX/$n
		pe_judge "$f" || continue
		[ -n "$v" ] && continue
		# Unstripped Go images keep long DWARF section names.
		has_line "$n: has long section names resolved through the string table" \
			"$TEST_TMP/$n.ro" 'Name: .zdebug_info (2F\|Name: .debug_info (2F'
		# runtime.pclntab from the COFF symbol table, as llvm-nm sees it.
		"$LLVM_BIN/llvm-nm" "$f" >"$TEST_TMP/$n.nm" 2>&1
		oracle_queue pe_pclntab.py "$n" "$TEST_TMP/$n.ro" "$TEST_TMP/$n.json" "$TEST_TMP/$n.nm"
	done
done
