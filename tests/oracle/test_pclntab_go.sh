# test_pclntab_go.sh - the Go pclntab of binaries built at test time by the
# system Go (1.19: the 0xfffffff0 layout) for linux, darwin and windows,
# normal, PIE and stripped, checked against tests/oracle/gosym_oracle.go
# (debug/elf, debug/macho, debug/pe, debug/gosym).
#
# Per fixture: pclntab.funcs = len(gosym Table.Funcs), pclntab.files =
# len(Table.Files), pclntab.bytes = the section size or runtime.epclntab -
# runtime.pclntab, pclntab.offset = where the oracle found the table.
# Stripped binaries (-ldflags=-s -w) are judged by the oracle on their
# unstripped twin: same counts and size, and the table bytes relgate points
# at equal the twin's table bytes (but the textStart word, an address).
# ELF and Mach-O keep their section when stripped, so copies with the
# section name overwritten force the symbol path (unstripped ELF) and the
# magic scan (stripped, where symbol names are overwritten too: Go keeps
# Mach-O symbols under -s), whose size is derived from the header.
# --packages: the function count per package equals the oracle's
# (debug/gosym Sym.PackageName plus the documented adjustments of
# docs/format-pclntab.md, applied by pclntab_pkgs.py), and the package
# bytes add up to at most pclntab.bytes. Both oracles run queued, in one
# python process (fixture_lib.sh, oracle_batch.py).
#
# Fixtures are cached under $FIXTURES/pclntab/<go version>-<FIXVER>-<hash
# of the oracle's source>.
. "$ROOT/tests/oracle/fixture_lib.sh"

if ! need go python3; then
	skip "pclntab go fixtures" "go or python3 missing"
	exit 0
fi
# The real interpreter, once: a version-manager shim costs ~0.5 s a call.
PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) || PY=python3
GOVER=$(go env GOVERSION)
# Bump FIXVER when the matrix, the program or the renaming below change.
FIXVER=v1
HASH=$(cksum <"$ROOT/tests/oracle/gosym_oracle.go" | cut -d' ' -f1)
FIX=$FIXTURES/pclntab/$GOVER-$FIXVER-$HASH
ORACLE=$FIX/gosym_oracle

# name goos goarch build flags
MATRIX='linux-amd64 linux amd64
linux-amd64-pie linux amd64 -buildmode=pie
linux-amd64-s linux amd64 -ldflags=-s -w
linux-arm64 linux arm64
linux-arm64-pie linux arm64 -buildmode=pie
linux-arm64-s linux arm64 -ldflags=-s -w
linux-s390x linux s390x
linux-mips linux mips
linux-mips-s linux mips -ldflags=-s -w
darwin-arm64 darwin arm64
darwin-arm64-s darwin arm64 -ldflags=-s -w
darwin-amd64 darwin amd64
darwin-amd64-s darwin amd64 -ldflags=-s -w
windows-amd64 windows amd64
windows-amd64-pie windows amd64 -buildmode=pie
windows-amd64-s windows amd64 -ldflags=-s -w
windows-386 windows 386
windows-386-s windows 386 -ldflags=-s -w'

build_fixtures() {
	d=$FIX.tmp.$$
	rm -rf "$d" && mkdir -p "$d/src" || return 1
	cat >"$d/src/main.go" <<'EOF'
// A small program whose pclntab holds the symbol shapes the per-package
// breakdown attributes: methods on pointer receivers, closures, generic
// instantiations, compiler-generated equality functions.
package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
)

type key struct {
	name string
	n    int
}

type stack[T any] struct{ items []T }

func (s *stack[T]) push(v T) { s.items = append(s.items, v) }

func mapKeys[K comparable, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func main() {
	seen := map[key]int{}
	for i, a := range os.Args {
		seen[key{a, i}]++
	}
	var s stack[string]
	for _, k := range mapKeys(seen) {
		s.push(strings.ToUpper(k.name))
	}
	sort.Slice(s.items, func(i, j int) bool { return s.items[i] < s.items[j] })
	fmt.Println(s.items, key{"a", 1} == key{"a", len(os.Args)})
}
EOF
	go build -o "$d/gosym_oracle" "$ROOT/tests/oracle/gosym_oracle.go" || return 1
	echo "$MATRIX" | while read -r name goos goarch flags; do
		# shellcheck disable=SC2086 # flags are words
		(cd "$d/src" && CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch \
			go build ${flags:+"$flags"} -o "../$name" main.go) || exit 1
	done || return 1
	# Copies whose pclntab section name is overwritten (same length).
	"$PY" -I - "$d" <<'PY' || return 1
import sys, os
d = sys.argv[1]
for name in os.listdir(d):
    if not (name.startswith("linux-") or name.startswith("darwin-")) or "." in name:
        continue
    data = bytearray(open(os.path.join(d, name), "rb").read())
    old = b".gopclntab\0" if name.startswith("linux-") else b"__gopclntab\0"
    if old not in data:
        sys.exit("no section name in " + name)
    data = data.replace(old, old[:-4] + b"XXX\0")
    if name.endswith("-s"):  # Mach-O keeps its symbols when stripped
        for sym in (b"runtime.pclntab\0", b"runtime.epclntab\0"):
            data = data.replace(sym, sym[:-4] + b"XXX\0")
    open(os.path.join(d, name + ".renamed"), "wb").write(bytes(data))
PY
	rm -rf "$FIX" && mv "$d" "$FIX"
}

if [ ! -x "$ORACLE" ]; then
	mkdir -p "$FIXTURES/pclntab"
	if ! build_fixtures >"$TEST_TMP/build.log" 2>&1; then
		not_ok "pclntab go fixtures build" "$(tail -n 5 "$TEST_TMP/build.log")"
		exit 0
	fi
fi

# compare NAME FILE TWIN EXPECT_FOUND: relgate on FILE, the oracle on TWIN.
compare() {
	name=$1 file=$2 twin=$3 found=$4
	# The oracle's answer for a cached fixture never changes: cache it.
	if [ ! -s "$twin.oracle" ]; then
		if ! "$ORACLE" -funcs "$twin" >"$twin.oracle.$$" 2>"$TEST_TMP/oracle.err"; then
			not_ok "pclntab $name: oracle" "$(head -c 300 "$TEST_TMP/oracle.err")"
			rm -f "$twin.oracle.$$"
			return
		fi
		mv "$twin.oracle.$$" "$twin.oracle"
	fi
	n=$((n + 1))
	"$RELGATE" measure --format json --packages "$file" >"$TEST_TMP/m$n.json" 2>"$TEST_TMP/m.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		not_ok "pclntab $name: relgate" "exit $rc: $(head -c 300 "$TEST_TMP/m.err")"
		return
	fi
	oracle_queue pclntab_pkgs.py "pclntab $name" "$twin.oracle" "$TEST_TMP/m$n.json"
	oracle_queue pclntab_check.py "$name" "$twin.oracle" "$TEST_TMP/m$n.json" "$file" "$twin" "$found"
}
n=0

echo "$MATRIX" | while read -r name goos goarch flags; do
	f=$FIX/$name
	case $name in
	*-s) twin=$FIX/${name%-s} ;;
	*) twin=$f ;;
	esac
	case $name in
	windows-*-s) found=magic-scan ;;
	windows-*) found=symbols ;;
	*) found=oracle ;;
	esac
	compare "$name" "$f" "$twin" "$found"
	[ -f "$f.renamed" ] || continue
	case $name in
	*-s) found=magic-scan ;;
	*) found=symbols ;;
	esac
	compare "$name (section renamed)" "$f.renamed" "$twin" "$found"
done

# Text output: --packages prints the table, without it there is none.
f=$FIX/linux-amd64
"$RELGATE" measure --packages "$f" >"$TEST_TMP/text.out" 2>&1
"$RELGATE" measure "$f" >"$TEST_TMP/plain.out" 2>&1
# main's function count as the JSON reports it (checked against debug/gosym
# by pclntab_pkgs.py above).
"$RELGATE" measure --format json --packages "$f" | "$PY" -I -c '
import json, sys
b = json.load(sys.stdin)["binaries"][0]
print([p["funcs"] for p in b["pclntab_packages"] if p["package"] == "main"][0])' >"$TEST_TMP/main.n"
if grep -q '^  pclntab by package ' "$TEST_TMP/text.out" &&
	grep -Eq "^  main +$(cat "$TEST_TMP/main.n") +[0-9]+$" "$TEST_TMP/text.out"; then
	ok "pclntab text --packages: table with main's $(cat "$TEST_TMP/main.n") functions"
else
	not_ok "pclntab text --packages" "$(grep -A3 'pclntab by package' "$TEST_TMP/text.out" | head -c 300)"
fi
if grep -q 'pclntab by package' "$TEST_TMP/plain.out"; then
	not_ok "pclntab text without --packages" "prints the package table"
else
	ok "pclntab text without --packages: no package table"
fi
