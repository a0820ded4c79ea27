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

require "pe go fixtures" go python3 "$LLVM_BIN/llvm-readobj" "$LLVM_BIN/llvm-nm" || exit 0

build_fixtures() { # into $1
	d=$1
	mkdir -p "$d/src" &&
	printf '%s\n' "$GO_MAIN" >"$d/src/main.go" || return 1
	for a in amd64 386 arm64; do
		(cd "$d/src" && GOOS=windows GOARCH=$a CGO_ENABLED=0 GO111MODULE=off \
			go build -o "$d/go_$a.exe" main.go &&
		 GOOS=windows GOARCH=$a CGO_ENABLED=0 GO111MODULE=off \
			go build -ldflags='-s -w' -o "$d/go_${a}_stripped.exe" main.go) || return 1
	done
	rm -rf "$d/src"
}
fixtures_cached "pe go fixtures" pe/go build_fixtures "$(go version)" "$GO_MAIN" || exit 1

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

# Attribution (attr_oracle.py): COFF symbols by llvm-nm, base relocations
# and imports by llvm-readobj, pointer words read from the file.
for a in amd64 386 arm64; do
	[ -f "$FIX/go_$a.exe" ] && attr_judge "attr-go_$a.exe" "$FIX/go_$a.exe" \
		"--keys symbol,section,package,target,target-package --syms coff"
done
attr_judge_all
