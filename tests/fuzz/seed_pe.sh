#!/bin/sh
# seed_pe.sh CORPUS_DIR - seeds the PE fuzzer with small PE images: the
# lld-link fixtures of tests/oracle/test_pe_lld.sh when they have been built
# (build/fixtures/pe/lld), else fresh ones linked here by lld-link-19
# when clang-19 is installed. Go images (megabytes) are left out: libFuzzer
# works best on small inputs.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
corpus=$1
mkdir -p "$corpus"
fix=${FIXTURES:-$ROOT/build/fixtures}/pe/lld
if [ ! -d "$fix" ] && command -v clang-19 >/dev/null 2>&1 && command -v lld-link-19 >/dev/null 2>&1; then
	tmp=$(mktemp -d)
	RELGATE=/bin/true ROOT=$ROOT FIXTURES=${FIXTURES:-$ROOT/build/fixtures} TEST_TMP=$tmp \
		LLVM_BIN=${LLVM_BIN:-/usr/lib/llvm-19/bin} sh "$ROOT/tests/oracle/test_pe_lld.sh" >/dev/null 2>&1
	rm -rf "$tmp"
fi
for f in "$fix"/*.exe "$fix"/*.dll; do
	[ -f "$f" ] || continue
	cp "$f" "$corpus/seed_$(basename "$f")"
done
exit 0
