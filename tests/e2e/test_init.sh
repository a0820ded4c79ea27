#!/bin/sh
# test_init.sh - `relgate init` on a C Makefile project and a Go module made
# here: the file it writes passes `relgate validate`, and `relgate check`
# then passes (before the file is committed, with --config, and after, on a
# change). Oracles: the Makefile's own product (a shared library and an
# executable linked to it: the library is the product to gate), readelf's
# relocation count and stat's size of that library built by make in a copy
# of the tree (the budgets must hold them with room to spare), git status
# (nothing but relgate.yml appears in the working tree), cmp (an existing
# file is not overwritten without --force).
. "$ROOT/tests/lib.sh"

git_test_env
T=$TEST_TMP
need cc make readelf || { skip "init" "needs cc, make, readelf"; exit 0; }

# yml_limit FILE METRIC KEY: a limit as written, in bytes or a count.
yml_limit() {
	python3 - "$@" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"^\s+%s:\s*\{([^}]*)\}" % re.escape(sys.argv[2]), text, re.M)
if not m:
    print("absent"); sys.exit()
v = re.search(r"\b%s:\s*([0-9]+)(KiB)?" % sys.argv[3], m.group(1))
print(int(v.group(1)) * (1024 if v.group(2) else 1) if v else "absent")
PY
}

cdir=$T/cproj
git init -q -b main "$cdir"
cat >"$cdir/demo.c" <<'EOF'
const char *names[] = { "a", "b", "c", "d" };
const char *demo_name(int i) { return names[i & 3]; }
EOF
cat >"$cdir/main.c" <<'EOF'
#include <stdio.h>
const char *demo_name(int i);
int main(int c, char **v) { (void)v; puts(demo_name(c)); return 0; }
EOF
printf 'all: libdemo.so demo\nlibdemo.so: demo.c\n\t$(CC) -O2 -fPIC -shared -o $@ demo.c\ndemo: main.c libdemo.so\n\t$(CC) -O2 -o $@ main.c -L. -ldemo\n' >"$cdir/Makefile"
git -C "$cdir" add -A && git -C "$cdir" commit -q -m "a library and a tool"
# The oracle's own build, in a copy.
cp -r "$cdir" "$T/copy" && make -s -C "$T/copy" >/dev/null 2>&1
rel=$(readelf -rW "$T/copy/libdemo.so" | grep -c '^[0-9a-f]\{8,\} ')
size=$(stat -c %s "$T/copy/libdemo.so")

cd "$cdir" || exit 1
check_exit "init on a C Makefile project: exit 0" 0 "$RELGATE" init
cp "$T/last.out" "$T/init.out"
[ -f relgate.yml ] && ok "init: relgate.yml written at the root" || not_ok "init: relgate.yml written at the root" "missing"
check_eq "init: the working tree gains relgate.yml only (the build ran elsewhere)" "?? relgate.yml" "$(git status --porcelain)"
grep -q "^    build: 'make'$" relgate.yml && ok "init: build line is make" || not_ok "init: build line is make" "$(grep build: relgate.yml)"
grep -q "^    artifact: 'libdemo.so'$" relgate.yml && ok "init: the artifact is the shared library the Makefile makes" ||
	not_ok "init: the artifact is the shared library the Makefile makes" "$(grep artifact: relgate.yml)"
grep -q "also made: demo" "$T/init.out" && ok "init: names the other binary it found" ||
	not_ok "init: names the other binary it found" "$(cat "$T/init.out")"
grep -q "relgate check --config relgate.yml" "$T/init.out" && ok "init: prints the next step" ||
	not_ok "init: prints the next step" "$(cat "$T/init.out")"
lim=$(yml_limit relgate.yml relocs.total max)
[ "$lim" != absent ] && [ "$lim" -gt "$rel" ] && ok "init: relocs.total max ($lim) above readelf's $rel" ||
	not_ok "init: relocs.total max above readelf's count" "max $lim, readelf $rel"
lim=$(yml_limit relgate.yml file.size max)
[ "$lim" != absent ] && [ "$lim" -gt "$size" ] && ok "init: file.size max ($lim) above stat's $size" ||
	not_ok "init: file.size max above stat's size" "max $lim, stat $size"
check_exit "validate accepts the written file" 0 "$RELGATE" validate relgate.yml
cp relgate.yml "$T/first.yml"
echo "# mine" >>relgate.yml
check_exit "init again: exit 2 (the file exists)" 2 "$RELGATE" init
grep -q "exists.*--force" "$T/last.err" && ok "init again: says --force" || not_ok "init again: says --force" "$(cat "$T/last.err")"
tail -n 1 relgate.yml | grep -q "# mine" && ok "init again: the file is untouched" || not_ok "init again: the file is untouched" "changed"
check_exit "init --force: exit 0" 0 "$RELGATE" init --force
grep -q "# mine" relgate.yml && not_ok "init --force: rewritten" "old content kept" || ok "init --force: rewritten"
check_exit "check --config relgate.yml before committing it: pass" 0 \
	"$RELGATE" check --config relgate.yml --base HEAD --head HEAD --no-cache
git add relgate.yml && git commit -q -m "relgate budgets"
sed -i 's/"d" }/"d", "e", "f" }/; s/i & 3/i % 6/' demo.c
git commit -q -a -m "two more names"
check_exit "check on the next change, with the committed file: pass" 0 \
	"$RELGATE" check --base HEAD~1 --head HEAD --no-cache --json-out "$T/c.json"
python3 - "$T/c.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
n = sum(len(t["verdicts"]) for t in doc["targets"])
print(("ok - %s" % "check judged the init budgets") if n >= 4 else "not ok - check judged the init budgets: %d verdicts" % n)
PY

# Failures: no build system; a build that fails; a bare directory.
e=$T/empty
git init -q -b main "$e" && echo hi >"$e/README" && git -C "$e" add -A && git -C "$e" commit -q -m readme
check_exit "init with no build system: exit 2" 2 sh -c "cd \"$e\" && exec \"$RELGATE\" init"
grep -q "no go.mod, Cargo.toml, Makefile or CMakeLists.txt.*--build" "$T/last.err" &&
	ok "no build system: says what it looked for" || not_ok "no build system: says what it looked for" "$(cat "$T/last.err")"
check_exit "init --build false: exit 3" 3 sh -c "cd \"$e\" && exec \"$RELGATE\" init --build false"
[ ! -e "$e/relgate.yml" ] && ok "failed build: nothing written" || not_ok "failed build: nothing written" "relgate.yml exists"
check_exit "init --build 'echo': no binary: exit 2" 2 sh -c "cd \"$e\" && exec \"$RELGATE\" init --build echo"
grep -q "made no ELF, Mach-O or PE binary.*--artifact" "$T/last.err" &&
	ok "no binary: names --artifact" || not_ok "no binary: names --artifact" "$(cat "$T/last.err")"
check_exit "init with a relative TMPDIR: exit 2 (as check)" 2 \
	sh -c "cd \"$e\" && TMPDIR=tmp exec \"$RELGATE\" init --build true"
grep -q "TMPDIR=tmp is a relative path" "$T/last.err" && [ ! -e "$e/tmp" ] &&
	ok "relative TMPDIR: refused, nothing made in the tree" ||
	not_ok "relative TMPDIR: refused, nothing made in the tree" "$(cat "$T/last.err")"
check_eq "no leftover temporary directory" "" "$(ls -d "${TMPDIR:-/tmp}"/relgate-init-* 2>/dev/null | head -n 1)"

# A file that only starts like a PE image ("MZ"), and is the largest the
# build makes: passed over (and said) for the binary relgate can measure.
z=$T/mz
mkdir -p "$z" && cp "$cdir/main.c" "$z/main.c"
sed -i 's/puts(demo_name(c))/puts(v[0] + c)/; /demo_name/d' "$z/main.c"
printf 'all:\n\t$(CC) -O2 -o tool main.c\n\t{ printf MZ; head -c 200000 /dev/zero; } >zz.exe\n' >"$z/Makefile"
git init -q -b main "$z" && git -C "$z" add -A && git -C "$z" commit -q -m mz
check_exit "init passes over a file that only looks like a binary: exit 0" 0 sh -c "cd \"$z\" && exec \"$RELGATE\" init"
grep -q "^    artifact: 'tool'$" "$z/relgate.yml" && ok "init: the artifact is the real executable" ||
	not_ok "init: the artifact is the real executable" "$(grep artifact: "$z/relgate.yml" 2>&1)"
grep -q "passing over zz.exe" "$T/last.err" && ok "init: says what it passed over" ||
	not_ok "init: says what it passed over" "$(cat "$T/last.err")"

# A CMake project: the library it builds, not CMake's compiler probes.
if need cmake; then
	m=$T/cmake
	mkdir -p "$m" && cp "$cdir/demo.c" "$cdir/main.c" "$m/"
	printf 'cmake_minimum_required(VERSION 3.10)\nproject(demo C)\nadd_library(demo SHARED demo.c)\nadd_executable(tool main.c)\ntarget_link_libraries(tool demo)\n' >"$m/CMakeLists.txt"
	git init -q -b main "$m" && git -C "$m" add -A && git -C "$m" commit -q -m cmake
	check_exit "init on a CMake project: exit 0" 0 sh -c "cd \"$m\" && exec \"$RELGATE\" init"
	grep -q "^    artifact: 'build/libdemo.so'$" "$m/relgate.yml" && ok "cmake: the artifact is build/libdemo.so" ||
		not_ok "cmake: the artifact is build/libdemo.so" "$(grep artifact: "$m/relgate.yml")"
	grep -q CMakeFiles "$T/last.out" && not_ok "cmake: CMake's probes are not offered" "$(grep 'also made' "$T/last.out")" ||
		ok "cmake: CMake's probes are not offered"
	check_exit "cmake: validate accepts it" 0 "$RELGATE" validate "$m/relgate.yml"
else
	skip "init on a CMake project" "cmake not installed"
fi

# A Go module with its main package under cmd/.
if ! need go; then skip "init on a Go module" "go not installed"; exit 0; fi
g=$T/goproj
mkdir -p "$g/cmd/hello"
printf 'module example.com/greeter\n\ngo 1.19\n' >"$g/go.mod"
printf 'package main\n\nimport "fmt"\n\nvar names = []string{"a", "b"}\n\nfunc main() { fmt.Println(names) }\n' >"$g/cmd/hello/main.go"
printf 'package greeter\n' >"$g/greeter.go"
git init -q -b main "$g" && git -C "$g" add -A && git -C "$g" commit -q -m "greeter"
cd "$g" || exit 1
export GO111MODULE=on GOFLAGS=-mod=mod GOPROXY=off
check_exit "init on a Go module: exit 0" 0 "$RELGATE" init
grep -q "^    build: 'go build -trimpath -o \"\$RELGATE_OUT/hello\" ./cmd/hello'$" relgate.yml &&
	ok "go: builds ./cmd/hello into \$RELGATE_OUT" || not_ok "go: builds ./cmd/hello into \$RELGATE_OUT" "$(grep build: relgate.yml)"
grep -q "^  hello:$" relgate.yml && ok "go: the target is named after the command" ||
	not_ok "go: the target is named after the command" "$(sed -n 6,8p relgate.yml)"
go build -trimpath -o "$T/hello" ./cmd/hello
gosize=$(stat -c %s "$T/hello")
lim=$(yml_limit relgate.yml file.size max)
[ "$lim" != absent ] && [ "$lim" -gt "$gosize" ] && ok "go: file.size max ($lim) above stat's $gosize" ||
	not_ok "go: file.size max above stat's size" "max $lim, stat $gosize"
[ "$(yml_limit relgate.yml pclntab.bytes max)" != absent ] && ok "go: a pclntab budget" ||
	not_ok "go: a pclntab budget" "$(cat relgate.yml)"
check_exit "go: validate accepts it" 0 "$RELGATE" validate relgate.yml
git add relgate.yml && git commit -q -m "relgate budgets"
sed -i 's/"a", "b"/"a", "b", "c"/' cmd/hello/main.go && git commit -q -a -m "one more name"
check_exit "go: check on the next change: pass" 0 "$RELGATE" check --base HEAD~1 --head HEAD --no-cache
