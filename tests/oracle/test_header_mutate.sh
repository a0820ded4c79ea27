#!/bin/sh
# Header mutation (issue 12, "Keep proving it"): real binaries linked here
# (an ELF PIE by cc, an arm64 Mach-O with chained fixups by ld64.lld-19, a
# PE by lld-link-19) get one header field rewritten per mutant
# (tests/oracle/header_mutate.py lists the fields: program headers,
# dynamic entries, load commands, chained-fixup starts, PE data
# directories, section headers). For every mutant relgate measure must
# exit 0 or 2, print at most one stderr line and only one naming the file,
# trip no sanitizer, end within 20 s and stay under 1 GiB of RSS
# (ASan's hard_rss_limit_mb). MUTANTS (default 250) per format are drawn
# with a fixed seed; MUTANTS=100000 runs them all.
. "$ROOT/tests/lib.sh"
n=${MUTANTS:-250}
cd "$TEST_TMP" || exit 1
cat >e.c <<'C'
#include <stdio.h>
static const char *strs[] = {"a", "b", "c"};
int main(int c, char **v) { (void)v; puts(strs[c % 3]); return 0; }
C
cat >m.c <<'C'
extern int printf(const char *, ...);
extern int ext_var;
const char *strs[] = {"a", "b", "c"};
int *pv = &ext_var;
int main(void) { printf("%s %d\n", strs[0], *pv); return 0; }
C
cat >w.c <<'C'
static const char *strs[] = {"a", "b", "c", "d"};
int mainCRTStartup(void) { return strs[1][0]; }
C
bins=""
if need cc; then cc -O1 -fPIE -pie -o e.elf e.c && bins="$bins e.elf"; fi
if need clang-19 ld64.lld-19; then
	clang-19 --target=arm64-apple-ios15.0 -c m.c -o m.o &&
		ld64.lld-19 -arch arm64 -platform_version ios 15.0 15.0 -undefined dynamic_lookup \
			-fixup_chains m.o -o m.macho && bins="$bins m.macho"
fi
if need clang-19 lld-link-19; then
	clang-19 --target=x86_64-pc-windows-msvc -O1 -c w.c -o w.obj &&
		lld-link-19 /nodefaultlib /entry:mainCRTStartup /subsystem:console /dynamicbase \
			w.obj /out:w.exe >/dev/null && bins="$bins w.exe"
fi
[ -n "$bins" ] || { skip "header mutation" "no toolchain"; exit 0; }
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:hard_rss_limit_mb=1024"
for b in $bins; do
	d=$TEST_TMP/mut-$b
	made=$(python3 "$ROOT/tests/oracle/header_mutate.py" "$b" "$d" "$n" 12) || {
		not_ok "header mutation $b" "header_mutate.py failed"; continue; }
	[ "$made" -gt 0 ] || { not_ok "header mutation $b" "header_mutate.py made no mutant"; continue; }
	bad=0
	for m in "$d"/*; do
		timeout 20 "$RELGATE" measure "$m" >/dev/null 2>err
		rc=$?
		lines=$(wc -l <err)
		why=""
		if [ $rc -ne 0 ] && [ $rc -ne 2 ]; then why="exit $rc"
		elif grep -q -E 'Sanitizer|runtime error' err; then why="sanitizer report"
		elif [ "$lines" -gt 1 ]; then why="$lines stderr lines"
		elif [ "$lines" -eq 1 ] && ! grep -q "^relgate: $m: " err; then why="message does not name the file"
		elif [ $rc -eq 2 ] && [ "$lines" -ne 1 ]; then why="exit 2 without a message"
		fi
		if [ -n "$why" ]; then
			bad=$((bad + 1))
			[ $bad -le 10 ] && not_ok "header mutant $(basename "$m")" "$why: $(head -c 300 err)"
		fi
	done
	[ $bad -eq 0 ] && ok "header mutation $b: $made mutants, each exit 0 or 2 with at most one line naming the file" ||
		not_ok "header mutation $b" "$bad of $made mutants failed"
done
