#!/bin/sh
# tests/e2e/test_git2_load.sh - libgit2 is loaded at run time, only by the
# commands that read git (gate/git2_load.c): the binary does not depend on
# it (readelf), measure/diff/validate run when it cannot be found, and the
# git commands refuse a missing library, a library that is not libgit2 and
# a libgit2 of another version with one line and exit 3.
. "$ROOT/tests/lib.sh"
git_test_env
cd "$TEST_TMP"

if need readelf; then
	needed=$(readelf -dW "$RELGATE" | awk '/NEEDED/ { print $NF }' | tr -d '[]' | tr '\n' ' ')
	case "$needed" in
	*libgit2*) not_ok "binary does not link libgit2" "DT_NEEDED: $needed" ;;
	*libyaml*) ok "binary does not link libgit2" ;;
	*) not_ok "binary does not link libgit2" "unexpected DT_NEEDED: $needed" ;;
	esac
else
	skip "binary does not link libgit2" "readelf missing"
fi

# A binary and a budget file to run the git-free commands on.
printf 'int main(void) { return 0; }\n' > m.c
cc -o m m.c || { not_ok "fixture" "cc failed"; exit 0; }
cat > relgate.yml <<'EOF'
version: 1
targets:
  m:
    build: cc -o m m.c
    artifact: m
    budgets:
      vm.size: { max: 10MB }
EOF

RELGATE_LIBGIT2=/nonexistent/libgit2.so
export RELGATE_LIBGIT2
check_exit "measure runs without libgit2" 0 "$RELGATE" measure --format json m
check_exit "diff runs without libgit2" 0 "$RELGATE" diff m m
check_exit "validate runs without libgit2" 0 "$RELGATE" validate relgate.yml

git init -q repo && cp m.c relgate.yml repo/ &&
	(cd repo && git add . && git commit -qm one) ||
	{ not_ok "repository fixture" "git failed"; exit 0; }
cd repo
check_exit "check: missing libgit2 exits 3" 3 "$RELGATE" check --base HEAD --head HEAD
check_eq "check: one line" "1" "$(wc -l < "$TEST_TMP/last.err" | tr -d ' ')"
case "$(cat "$TEST_TMP/last.err")" in
*"cannot load libgit2"*"/nonexistent/libgit2.so"*"RELGATE_LIBGIT2"*) ok "check: message names the path and the fix" ;;
*) not_ok "check: message names the path and the fix" "$(cat "$TEST_TMP/last.err")" ;;
esac
check_eq "check: nothing on stdout" "" "$(cat "$TEST_TMP/last.out")"
check_exit "report: missing libgit2 exits 3" 3 "$RELGATE" report HEAD..HEAD
check_exit "hook: missing libgit2 exits 3" 3 "$RELGATE" hook path

# A shared library that is not libgit2.
printf 'int rg_not_git(void) { return 1; }\n' > ../notgit.c
cc -shared -fPIC -o ../notgit.so ../notgit.c
RELGATE_LIBGIT2=$TEST_TMP/notgit.so check_exit "check: not libgit2 exits 3" 3 "$RELGATE" check --base HEAD --head HEAD
case "$(cat "$TEST_TMP/last.err")" in
*"notgit.so: not libgit2"*) ok "check: names the library that is not libgit2" ;;
*) not_ok "check: names the library that is not libgit2" "$(cat "$TEST_TMP/last.err")" ;;
esac

# A library with every function relgate calls but another version: the
# names come from gate/git2_load.h's list, the version from the headers.
names=$(sed -n 's/^[[:space:]]*X(\(git_[a-z0-9_]*\)).*/\1/p' "$ROOT/gate/git2_load.h")
{
	for n in $names; do
		[ "$n" = git_libgit2_version ] || echo "int $n(void) { return -1; }"
	done
	echo 'int git_libgit2_version(int *a, int *b, int *c) { *a = 0; *b = 27; *c = 3; return 0; }'
} > ../oldgit.c
cc -shared -fPIC -o ../oldgit.so ../oldgit.c
RELGATE_LIBGIT2=$TEST_TMP/oldgit.so check_exit "check: other libgit2 version exits 3" 3 "$RELGATE" check --base HEAD --head HEAD
built=$(sed -n 's/^#define LIBGIT2_VERSION *"\(.*\)"/\1/p' "$(pkg-config --variable=includedir libgit2)/git2/version.h")
mm=${built%.*}
check_eq "check: one line naming the version found and the range accepted" \
	"relgate: $TEST_TMP/oldgit.so is libgit2 0.27.3, outside the range relgate accepts: libgit2 $mm.0 to $mm.x (relgate was built against $built); install it, point RELGATE_LIBGIT2 at it, or rebuild relgate against the libgit2 you have (make STATIC_LIBGIT2=1 links it in)" \
	"$(cat "$TEST_TMP/last.err")"
# The next minor version (its ABI may differ) is refused too.
sed "s/\*a = 0; \*b = 27; \*c = 3;/*a = ${mm%%.*}; *b = $((${mm#*.} + 1)); *c = 0;/" ../oldgit.c >../nextgit.c
cc -shared -fPIC -o ../nextgit.so ../nextgit.c
RELGATE_LIBGIT2=$TEST_TMP/nextgit.so check_exit "check: libgit2 ${mm%%.*}.$((${mm#*.} + 1)).0 exits 3" 3 "$RELGATE" check --base HEAD --head HEAD
case "$(cat "$TEST_TMP/last.err")" in
*"is libgit2 ${mm%%.*}.$((${mm#*.} + 1)).0, outside the range relgate accepts: libgit2 $mm.0 to $mm.x"*) ok "check: the next minor version is named and refused" ;;
*) not_ok "check: the next minor version is named and refused" "$(cat "$TEST_TMP/last.err")" ;;
esac

# And the library relgate was built for loads: check runs to a verdict.
unset RELGATE_LIBGIT2
check_exit "check: libgit2 found without RELGATE_LIBGIT2" 0 "$RELGATE" check --base HEAD --head HEAD

# libgit2 linked in (make relgate-static): no library is looked up, so a
# RELGATE_LIBGIT2 that names nothing does not matter.
STATIC=$(dirname "$RELGATE")/relgate-static
if [ -x "$STATIC" ]; then
	if need readelf; then
		case "$(readelf -dW "$STATIC" | awk '/NEEDED/ { print $NF }')" in
		*libgit2*) not_ok "relgate-static: no libgit2 to load" "DT_NEEDED has libgit2" ;;
		*) ok "relgate-static: no libgit2 to load (readelf: not in DT_NEEDED)" ;;
		esac
	fi
	RELGATE_LIBGIT2=/nonexistent/libgit2.so check_exit "relgate-static: check runs with RELGATE_LIBGIT2 naming nothing" 0 "$STATIC" check --base HEAD --head HEAD
else
	skip "relgate-static" "not built (no libgit2.a)"
fi
