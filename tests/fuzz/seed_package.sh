#!/bin/sh
# tests/fuzz/seed_package.sh CORPUS_DIR - seeds the mangled-name fuzzer
# with names of every form rg_attr_native_package reads (docs/attribution.md):
# C++ nested, std, special and local names, Rust legacy and v0.
set -eu
dir=$1
mkdir -p "$dir"
i=0
for n in _ZN4llvm2cl3optIbLb0ENS0_6parserIbEEED0Ev _ZNKSt6vectorIiSaIiEE4sizeEv _ZSt4cout \
	_ZTVN4llvm4PassE _ZTIPKN3geo5ShapeE _ZTCN4llvm1BE0_NS_1AE _ZThn8_N3geo6Square4areaEv \
	_ZTv0_n24_N3geo6SquareD1Ev _ZGVZN3geo5labelEiE1l _ZZ4mainENKUliE_clEi \
	_ZN12_GLOBAL__N_16Hidden1fEv _Znwm _ZTIFN4llvm5ErrorEvE _ZTIMN4llvm4json6ObjectEFivE \
	_ZGTtN4llvm3fooEv _ZTHN3geo1xE _ZN4core3fmt5write17h0123456789abcdefE \
	'_ZN60_$LT$foo..Bar$u20$as$u20$core..fmt..Debug$GT$3fmt17h0123456789abcdefE' \
	_RNvCs1234_7mycrate3foo _RNvNtCs56HGsqMBDvY_4prog6shapes5NAMES \
	_RINvNtC4core3ptr13drop_in_placeNtC5alloc6StringEB4_ _RNvMNtCs1_4core3fmtNtB2_9Formatter3pad \
	_RNvYhNtNtC4core3fmt5Debug3fmtB2_ _RNvMs_NtC4core3stre4trim _RNvXNCNCNvC1a1f00NtC1a1TNtC1b5Trait1m \
	'_ZN42_$LT$$RF$T$u20$as$u20$core..fmt..Debug$GT$3fmt17h0123456789abcdefE' \
	_R0NvC1a1b _RNvB_3foo; do
	printf '%s' "$n" >"$dir/seed$i"
	i=$((i + 1))
done
