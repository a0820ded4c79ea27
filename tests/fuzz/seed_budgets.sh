#!/bin/sh
# tests/fuzz/seed_budgets.sh CORPUS_DIR - seeds the budget-loader fuzzer
# with valid relgate.yml files (block and flow style, every key and rule
# form) and a few broken ones (aliases, deep nesting, bad units).
set -eu
dir=$1
mkdir -p "$dir"
cat >"$dir/spec.yml" <<'YML'
version: 1
targets:
  ios-extension:
    build: GOOS=ios GOARCH=arm64 go build -o "$RELGATE_OUT/ext" ./cmd/ext
    artifact: $RELGATE_OUT/ext
    arch: arm64
    page_size: 16KiB
    timeout: 30m
    env: [CC, GOFLAGS]
    submodules: skip
    budgets:
      dirty.relro.bytes:  { max: 1MiB, max_increase: 16KiB }
      relocs.total:       { max_increase: 2% }
      file.size:          { max: 20MiB, warn_increase: 64KiB }
      pclntab.bytes:      { max_increase: 64KiB }
      "segment[__DATA_CONST].vmsize": { max: 2MiB }
YML
cat >"$dir/block.yml" <<'YML'
version: 1
targets:
  linux:
    build: make
    artifact: build/app
    timeout: 90
    budgets:
      dirty.bytes:
        max: 256 KiB
        warn_max: 200KB
        warn_increase: 0.5%
      section[.data.rel.ro].size:
        max_increase: 1.5 MiB
YML
printf 'version: 1\ntargets: {a: {build: x, artifact: y, budgets: {vm.size: {max: 9223372036854775807}}}}\n' >"$dir/flow.yml"
printf 'a: &a [1,2]\nb: [*a,*a]\n' >"$dir/alias.yml"
printf 'version: 1\ntargets: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n' >"$dir/deep.yml"
printf 'version: 1\ntargets:\n  a:\n    build: x\n    artifact: y\n    budgets:\n      file.size: {max: 16Kb}\n' >"$dir/unit.yml"
