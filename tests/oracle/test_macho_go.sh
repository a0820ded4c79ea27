#!/bin/sh
# tests/oracle/test_macho_go.sh - Go's own Mach-O linker: darwin/arm64
# (PIE: thousands of rebases, 16 KiB pages) and darwin/amd64, built at test
# time with CGO_ENABLED=0, compared with llvm-objdump-19 (macho_oracle.py).
# The runtime.pclntab/runtime.epclntab symbols (llvm-nm) bound the pclntab
# that pclntab.bytes reports when the pclntab reader is present. Fixtures
# are cached under $FIXTURES/macho/go-KEY (fixture_lib.sh).
. "$ROOT/tests/oracle/fixture_lib.sh"
require macho-go go python3 "$OBJDUMP" "$LLVM_BIN/llvm-nm" || exit 0

build() { # into $1
	d=$1
	mkdir -p "$d/src" &&
	printf '%s\n' "$GO_MAIN" >"$d/src/main.go" || return 1
	for arch in arm64 amd64; do
		(cd "$d/src" && GOOS=darwin GOARCH=$arch CGO_ENABLED=0 go build -o "../go_$arch" main.go) ||
			return 1
	done
}
fixtures_cached "macho-go fixtures" macho/go build "$(go version)" "$GO_MAIN" || exit 1
dir=$FIX

for arch in arm64 amd64; do
	f="$dir/go_$arch"
	macho_judge "macho-go-$arch" "$f" || continue
	m="$TEST_TMP/macho-go-$arch.json"
	# pclntab.bytes = runtime.epclntab - runtime.pclntab, by llvm-nm
	# (the pclntab reader is part of relgate: absent is a failure).
	set -- $("$LLVM_BIN/llvm-nm" "$f" | awk '$3 == "_runtime.pclntab" { p = $1 }
		$3 == "_runtime.epclntab" { e = $1 } END { if (p != "" && e != "") print p, e }')
	if [ $# -ne 2 ]; then
		skip "macho-go-$arch-pclntab" "llvm-nm found no runtime.pclntab symbols"
	else
		json_eq "macho-go-$arch-pclntab.bytes" "$TEST_TMP/macho-go-$arch.json" \
			'b["metrics"].get("pclntab.bytes", "absent")' $((0x$2 - 0x$1))
	fi
	# Attribution of Go darwin (opcode streams): symbols, packages, targets.
	m=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["binaries"][0]["metrics"].get("relocs.total", 0))' "$TEST_TMP/macho-go-$arch.json")
	# Go darwin binaries call libSystem through binds (and arm64 PIE
	# rebases thousands of pointers; macho_judge checks the counts against
	# llvm-objdump): no fixup at all means nothing would be judged here.
	if [ "$m" -gt 0 ]; then
		attr_judge "attr-macho-go-$arch" "$f" \
			"--keys symbol,section,package,target,target-package --syms macho"
	else
		not_ok "attr-macho-go-$arch" "relocs.total is $m: no fixups to attribute"
	fi
done
attr_judge_all
exit 0
