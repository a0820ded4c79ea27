# tests/oracle/elf_lib.sh - shared by tests/oracle/test_elf_*.sh (sourced,
# not a test itself). Fixtures are built at test time by real toolchains and
# cached under $FIXTURES/elf, keyed by the exact build command (a changed
# command rebuilds); every expectation comes from tests/oracle/elf_oracle.py,
# which reads llvm-readelf and binutils readelf, never relgate.
. "$ROOT/tests/lib.sh"
ELF_FIX="$FIXTURES/elf"
mkdir -p "$ELF_FIX"

# elf_src NAME: writes the fixture sources into $ELF_FIX (idempotent).
elf_src() {
	case $1 in
	prog.c) cat >"$ELF_FIX/prog.c.new" <<'SRC'
/* Fixture: every kind of load-time fixup a C program makes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
extern char **environ;                       /* symbolic data reference */
static int counters[64];
int *ptrs[] = { &counters[0], &counters[1], &counters[63] };   /* relative */
const char *const names[] = { "alpha", "beta", "gamma", "delta" }; /* relro */
static const int *const cptrs[] = { &counters[2], &counters[3] };
int (*const fns[])(const char *) = { puts };  /* symbolic, relro */
char **envp = (char **)&environ;
static int impl_a(void) { return 1; }
static int impl_b(void) { return 2; }
static int (*resolve(void))(void) { return getenv("X") ? impl_a : impl_b; }
int chosen(void) __attribute__((ifunc("resolve")));   /* IRELATIVE */
int main(int argc, char **argv)
{
	printf("%s %d %p\n", names[argc & 3], *cptrs[argc & 1], (void *)ptrs[0]);
	fns[0](argv[0]);
	return chosen() + (int)strlen(argv[0]) + (envp != NULL) + abs(argc);
}
SRC
	;;
	lib.c) cat >"$ELF_FIX/lib.c.new" <<'SRC'
/* Fixture: a freestanding shared library (no libc) with relative pointers
 * in relro and data, symbolic data references and a PLT call. */
extern int ext_var;
extern int ext_func(int);
static int table[200];
int *wptrs[] = { &table[0], &table[1], &table[2], &table[3], &table[4],
                 &table[5], &table[6], &table[7], &table[100], &table[199] };
const char *const strs[] = { "a", "b", "c", "d", "e", "f", "g", "h" };
int *const ext_ref = &ext_var;
int (*const fptr)(int) = ext_func;
int api(int x) { return ext_func(x) + *wptrs[x & 7] + strs[x & 7][0] + *ext_ref; }
SRC
	;;
	esac
	if ! cmp -s "$ELF_FIX/$1.new" "$ELF_FIX/$1" 2>/dev/null; then
		mv "$ELF_FIX/$1.new" "$ELF_FIX/$1"
	else
		rm -f "$ELF_FIX/$1.new"
	fi
}

# fixture NAME 'BUILD COMMAND' - builds $ELF_FIX/NAME (the command writes
# "$OUT" from within $ELF_FIX) unless it exists with the same command and
# sources. Returns non-zero (and shows the log) when the build fails.
fixture() {
	fx_name=$1 fx_cmd=$2
	fx_key=$(printf '%s\n' "$fx_cmd" | cat - "$ELF_FIX/prog.c" "$ELF_FIX/lib.c" 2>/dev/null | cksum)
	if [ -f "$ELF_FIX/$fx_name" ] && [ "$(cat "$ELF_FIX/$fx_name.key" 2>/dev/null)" = "$fx_key" ]; then
		return 0
	fi
	rm -f "$ELF_FIX/$fx_name" "$ELF_FIX/$fx_name.key"
	if (cd "$ELF_FIX" && OUT="$ELF_FIX/$fx_name" sh -c "$fx_cmd") >"$TEST_TMP/$fx_name.log" 2>&1 &&
	   [ -f "$ELF_FIX/$fx_name" ]; then
		printf '%s\n' "$fx_key" >"$ELF_FIX/$fx_name.key"
		return 0
	fi
	echo "# build of $fx_name failed:"; sed 's/^/#   /' "$TEST_TMP/$fx_name.log" | tail -n 15
	return 1
}

# judge NAME FILE [oracle options]: queues FILE; judge_all measures every
# queued file with relgate (JSON kept as $TEST_TMP/NAME.json) and judges it
# in one python process (python's start-up is the slow part of a test).
: >"$TEST_TMP/judge.list"
judge() {
	jd_name=$1 jd_file=$2; shift 2
	printf '%s\t%s\t%s\n' "$jd_name" "$jd_file" "$*" >>"$TEST_TMP/judge.list"
}
judge_all() {
	[ -s "$TEST_TMP/judge.list" ] || return 0
	python3 "$ROOT/tests/oracle/elf_oracle.py" --batch "$TEST_TMP/judge.list" "$RELGATE" "$TEST_TMP"
	: >"$TEST_TMP/judge.list"
}

# build_and_judge NAME 'BUILD COMMAND' [oracle options]
build_and_judge() {
	bj_name=$1 bj_cmd=$2; shift 2
	if fixture "$bj_name" "$bj_cmd"; then
		judge "$bj_name" "$ELF_FIX/$bj_name" "$@"
	else
		not_ok "$bj_name: build" "the fixture could not be built"
	fi
}
elf_src prog.c
elf_src lib.c
