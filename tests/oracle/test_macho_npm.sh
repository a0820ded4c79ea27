#!/bin/sh
# tests/oracle/test_macho_npm.sh - real Mach-O binaries built on Apple
# machines, as shipped on the npm registry: esbuild (Go's linker, arm64),
# fsevents (Apple ld, universal x86_64+arm64 bundle), sharp and rollup
# (Apple ld, arm64 bundles with C++/Rust). Each slice is compared with
# llvm-objdump-19 (macho_oracle.py). Packages are fetched once with
# `npm pack` into $FIXTURES/macho/npm; without npm or the registry the
# test says skip.
. "$ROOT/tests/lib.sh"
ORACLE="$ROOT/tests/oracle/macho_oracle.py"
OBJDUMP="$LLVM_BIN/llvm-objdump"
if ! need npm tar python3 || [ ! -x "$OBJDUMP" ]; then
	skip macho-npm "npm, tar or llvm-objdump missing"
	exit 0
fi
dir="$FIXTURES/macho/npm"
mkdir -p "$dir"
# package  file inside the package
while read -r pkg file; do
	base=$(echo "$pkg" | sed 's/^@//; s/\//-/; s/@/-/')
	if [ ! -f "$dir/$base/$file" ]; then
		rm -rf "$dir/$base" "$dir/$base.tgz"
		if ! (cd "$dir" && timeout 120 npm pack --silent "$pkg" >"$base.name" 2>/dev/null) ||
			[ ! -s "$dir/$(cat "$dir/$base.name")" ]; then
			skip "macho-npm-$base" "npm pack $pkg failed (registry unreachable?)"
			continue
		fi
		mkdir -p "$dir/$base" && tar xzf "$dir/$(cat "$dir/$base.name")" -C "$dir/$base" &&
			rm -f "$dir/$(cat "$dir/$base.name")"
	fi
	f="$dir/$base/$file"
	if ! "$RELGATE" measure --format json "$f" >"$TEST_TMP/m.json" 2>"$TEST_TMP/m.err"; then
		not_ok "macho-npm-$base" "relgate failed: $(head -c 300 "$TEST_TMP/m.err")"
		continue
	fi
	for a in $(python3 -c 'import json,sys; print(" ".join(b["arch"] for b in json.load(open(sys.argv[1]))["binaries"]))' "$TEST_TMP/m.json"); do
		python3 "$ORACLE" "$OBJDUMP" "$f" "$TEST_TMP/m.json" -1 "macho-npm-$base-$a" --arch "$a"
	done
done <<'PKGS'
@esbuild/darwin-arm64@0.20.0 package/bin/esbuild
fsevents@2.3.3 package/fsevents.node
@img/sharp-darwin-arm64@0.33.5 package/lib/sharp-darwin-arm64.node
@rollup/rollup-darwin-arm64@4.24.0 package/rollup.darwin-arm64.node
PKGS
exit 0
