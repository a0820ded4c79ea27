#!/bin/sh
# test_toolchain_key.sh - the toolchain fingerprint in the cache key
# (docs/gate.md "Cache"): a compiler upgrade rebuilds, an unchanged
# compiler costs no process per run (its version output is remembered per
# path, size, mtime and inode), `toolchain:` commands replace the default,
# and a failing one is an error naming it. The compiler is a wrapper in
# front of the real gcc that logs each `--version` call; builds are counted
# by the build command itself.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/e2e/check_lib.sh"

T=$TEST_TMP
repo=$T/repo
export COUNTER="$T/builds" VLOG="$T/versions"
: >"$COUNTER"; : >"$VLOG"
mkdir -p "$T/bin"
real_gcc=$(command -v gcc)
cat >"$T/bin/gcc" <<EOF
#!/bin/sh
if [ "\$1" = --version ]; then echo call >>"\$VLOG"; [ -n "\${FAKE_VERSION:-}" ] && { echo "\$FAKE_VERSION"; exit 0; }; fi
exec "$real_gcc" "\$@"
EOF
chmod +x "$T/bin/gcc"
export PATH="$T/bin:$PATH"

git init -q -b main "$repo"
gen_c 3 >"$repo/main.c"
counted_yml "$repo/relgate.yml" 50 gcc
git -C "$repo" add -A && git -C "$repo" commit -q -m base
gen_c 5 >"$repo/main.c" && git -C "$repo" commit -q -am head
run() { (cd "$repo" && "$RELGATE" check HEAD~1..HEAD --cache-dir "$T/cache" "$@") >"$T/out" 2>"$T/err"; }
lines() { wc -l <"$1" | tr -d ' '; }

run
check_eq "first run: base and head built" 2 "$(lines "$COUNTER")"
check_eq "first run: gcc --version ran once" 1 "$(lines "$VLOG")"
run
check_eq "second run: nothing built" 2 "$(lines "$COUNTER")"
check_eq "second run: gcc --version not run again (remembered by path and mtime)" 1 "$(lines "$VLOG")"
touch -d '2001-01-01 00:00:00' "$T/bin/gcc"
run
check_eq "compiler touched: gcc --version runs again" 2 "$(lines "$VLOG")"
check_eq "compiler touched, same version output: still nothing built" 2 "$(lines "$COUNTER")"
# The upgrade: another version output, and a new mtime.
sleep 1; touch "$T/bin/gcc"
FAKE_VERSION="gcc (Fake) 99.0.0" run
check_eq "compiler upgraded: base and head rebuilt" 4 "$(lines "$COUNTER")"
run --no-cache
check_eq "--no-cache: builds both" 6 "$(lines "$COUNTER")"

# toolchain: commands replace the default fingerprint.
echo 1.0 >"$T/tcver"
sed -i "s|^    budgets:|    toolchain: [cat $T/tcver]\n    budgets:|" "$repo/relgate.yml"
git -C "$repo" commit -q -am "toolchain: listed" && git -C "$repo" commit -q --allow-empty -m empty
: >"$COUNTER"; : >"$VLOG"
run
check_eq "toolchain: listed: the base built once (head shares its tree)" base "$(cat "$COUNTER")"
check_eq "toolchain: listed: gcc --version not run" 0 "$(lines "$VLOG")"
run
check_eq "toolchain: same output, nothing built" 1 "$(lines "$COUNTER")"
echo 2.0 >"$T/tcver"
run
check_eq "toolchain: another output, rebuilt" 2 "$(lines "$COUNTER")"
sed -i "s|cat $T/tcver|false|" "$repo/relgate.yml"
git -C "$repo" commit -q -am "toolchain: fails" && git -C "$repo" commit -q --allow-empty -m empty2
run
check_eq "a failing toolchain command: exit 3" 3 "$?"
grep -q "target app: toolchain command 'false' failed (exit 1)" "$T/err" &&
	ok "a failing toolchain command: named in the error" ||
	not_ok "a failing toolchain command: named in the error" "$(cat "$T/err")"

# The same compiler installed elsewhere (a CI runner's tool cache) keys the
# same: the key holds its name and version output, not its path.
sed -i "s|false|echo same|" "$repo/relgate.yml"
sed -i "s|    toolchain: \[echo same\]||" "$repo/relgate.yml"
gen_c 6 >"$repo/main.c"
git -C "$repo" commit -q -am "default fingerprint again" && git -C "$repo" commit -q --allow-empty -m empty3
: >"$COUNTER"
sleep 1; touch "$T/bin/gcc" # back from the fake upgrade: the real version again
run
check_eq "default fingerprint: first run builds the base (head shares its tree)" 1 "$(lines "$COUNTER")"
mkdir -p "$T/elsewhere"
cp -p "$T/bin/gcc" "$T/elsewhere/gcc"
PATH="$T/elsewhere:$PATH" run
check_eq "the same gcc at another path: nothing rebuilt" 1 "$(lines "$COUNTER")"

# A selector a shim obeys (here GOTOOLCHAIN; DEVELOPER_DIR, RUSTUP_TOOLCHAIN
# and xcode-select's link alike) runs the version command again though the
# file did not change; the same selector again does not.
v0=$(lines "$VLOG")
GOTOOLCHAIN=go1.99 run
check_eq "a new GOTOOLCHAIN: gcc --version runs again" $((v0 + 1)) "$(lines "$VLOG")"
GOTOOLCHAIN=go1.99 run
check_eq "the same GOTOOLCHAIN: remembered" $((v0 + 1)) "$(lines "$VLOG")"
