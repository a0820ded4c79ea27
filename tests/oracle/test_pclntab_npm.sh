# test_pclntab_npm.sh - the Go pclntab of real binaries built by other Go
# releases: esbuild's platform packages from the npm registry, one per
# header layout, Go release bucket and architecture that matters:
#   esbuild-*@0.6/0.7    Go 1.14-1.15  0xfffffffb  (ELF amd64, Mach-O amd64,
#                                                  PE i386 stripped)
#   esbuild-*@0.11-0.14  Go 1.16-1.17  0xfffffffa  (ELF amd64, ELF i386,
#                                                  ELF s390x big-endian,
#                                                  PE amd64 stripped)
#   @esbuild/*@0.20.2    Go 1.20       0xfffffff1  (ELF amd64/i386/s390x,
#                                                  Mach-O arm64, PE amd64)
#   @esbuild/*@0.27.7    Go 1.25       0xfffffff1  (PE amd64 stripped)
#   @esbuild/*@0.28.2    Go 1.26       0xfffffff1, funcdata and findfunctab
#                                      inside the table (ELF amd64, i386,
#                                      s390x, arm64 PIE (Android); Mach-O
#                                      arm64; PE arm64 stripped)
# (Go 1.18-1.19's 0xfffffff0 is built locally by test_pclntab_go.sh.)
# Every ELF is also measured with its section headers removed and every
# Mach-O with its __gopclntab renamed: the size relgate derives must equal
# the section's. tests/oracle/pclntab_npm.py does the checks and says how
# each expectation is derived (gosym_oracle.go: debug/elf, debug/macho,
# debug/gosym from the installed Go; section headers; for stripped PE the
# end of .rdata, or for Go 1.26 the module data as the test reads it,
# itself checked against the section sizes).
# Packages are cached under $FIXTURES/pclntab/npm; without the registry
# each missing package is a skip.
. "$ROOT/tests/lib.sh"

if ! need npm go python3 timeout; then
	skip "pclntab npm fixtures" "npm, go, timeout or python3 missing"
	exit 0
fi
# The real interpreter, once: a version-manager shim costs ~0.5 s a call.
PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) || PY=python3
FIX=$FIXTURES/pclntab/npm
mkdir -p "$FIX"
HASH=$(cksum <"$ROOT/tests/oracle/gosym_oracle.go" | cut -d' ' -f1)
ORACLE=$FIX/gosym_oracle-$(go env GOVERSION)-$HASH
if [ ! -x "$ORACLE" ] && ! go build -o "$ORACLE" "$ROOT/tests/oracle/gosym_oracle.go" \
	>"$TEST_TMP/go.log" 2>&1; then
	not_ok "pclntab npm: oracle build" "$(tail -n 3 "$TEST_TMP/go.log")"
	exit 0
fi

PKGS='esbuild-linux-64@0.7.22
esbuild-darwin-64@0.6.31
esbuild-windows-32@0.7.20
esbuild-linux-64@0.11.23
esbuild-linux-32@0.13.0
esbuild-linux-s390x@0.14.8
esbuild-windows-64@0.14.0
@esbuild/linux-x64@0.20.2
@esbuild/linux-ia32@0.20.2
@esbuild/linux-s390x@0.20.2
@esbuild/darwin-arm64@0.20.2
@esbuild/win32-x64@0.20.2
@esbuild/win32-x64@0.27.7
@esbuild/linux-x64@0.28.2
@esbuild/linux-ia32@0.28.2
@esbuild/linux-s390x@0.28.2
@esbuild/darwin-arm64@0.28.2
@esbuild/android-arm64@0.28.2
@esbuild/win32-arm64@0.28.2'

: >"$TEST_TMP/list"
for p in $PKGS; do
	key=$(echo "$p" | tr '/@' '__')
	bin=$FIX/$key.bin
	if [ ! -f "$bin" ]; then
		rm -rf "$TEST_TMP/pack" && mkdir -p "$TEST_TMP/pack"
		if ! (cd "$TEST_TMP/pack" && timeout 120 npm pack --silent "$p") \
			>"$TEST_TMP/npm.log" 2>&1; then
			skip "pclntab npm $p" "npm pack failed (registry unreachable?): $(tail -n 1 "$TEST_TMP/npm.log")"
			continue
		fi
		tar -xzf "$TEST_TMP"/pack/*.tgz -C "$TEST_TMP/pack" &&
			f=$(find "$TEST_TMP/pack/package" -type f \( -name esbuild -o -name esbuild.exe \) | head -n 1) &&
			[ -n "$f" ] && cp "$f" "$bin.tmp" && mv "$bin.tmp" "$bin" || {
			not_ok "pclntab npm $p" "no esbuild binary in the package"
			continue
		}
	fi
	"$RELGATE" measure --format json --packages "$bin" >"$bin.$$.json" 2>"$TEST_TMP/m.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		not_ok "pclntab npm $p: relgate" "exit $rc: $(head -c 300 "$TEST_TMP/m.err")"
		rm -f "$bin.$$.json"
		continue
	fi
	mv "$bin.$$.json" "$TEST_TMP/$key.json"
	echo "$p $bin $TEST_TMP/$key.json" >>"$TEST_TMP/list"
done

"$PY" -I "$ROOT/tests/oracle/pclntab_npm.py" "$RELGATE" "$ORACLE" "$TEST_TMP/list" \
	"$ROOT/tests/oracle/pclntab_pkgs.py" "$TEST_TMP"
