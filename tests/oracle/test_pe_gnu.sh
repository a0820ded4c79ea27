# test_pe_gnu.sh - PE images linked at test time by GNU ld (binutils-mingw-w64,
# x86-64 and i686) from clang-19 --target=*-w64-mingw32 objects, checked
# against llvm-readobj-19 through tests/oracle/pe_oracle.py. A second linker
# with its own layout: a separate uninitialized .bss section (no raw data),
# .idata, .xdata, DWARF sections with long names "/4", a COFF symbol table,
# base relocations with ABSOLUTE padding, imports from a GNU dlltool import
# library (by name and by ordinal).
# GNU dlltool's delay-import library (-y) carries its descriptors in .data
# without filling data directory 13, so neither llvm-readobj nor relgate
# sees delay-load imports in these images: both must say 0.
# Fixtures are cached under $FIXTURES/pe/gnu-KEY (fixture_lib.sh).
. "$ROOT/tests/oracle/fixture_lib.sh"

# binutils-mingw-w64 (x86-64 and i686)
require "pe gnu ld fixtures" clang-19 python3 x86_64-w64-mingw32-ld x86_64-w64-mingw32-dlltool \
	i686-w64-mingw32-ld i686-w64-mingw32-dlltool "$LLVM_BIN/llvm-readobj" || exit 0

build_fixtures() { # into $1
	d=$1
	cat >"$d/app.c" <<'EOF'
#define P4 &x1, &x2, &x3, &x1
#define P16 P4, P4, P4, P4
#define P64 P16, P16, P16, P16
extern int __declspec(dllimport) ext_func(int);
extern int __declspec(dllimport) by_ord(void);
extern int delayed_a(int);
void *__stdcall __delayLoadHelper2(const void *d, void **slot) { (void)d; return *slot; }
static int x1 = 1, x2 = 2, x3 = 3;
int *table[] = { P64, P64, P64, &x2 };
int *const ctable[] = { P64, &x3 };
char bigbss[100000];
int entry(void) { return ext_func(*table[1]) + by_ord() + delayed_a(1) + *ctable[5] + bigbss[5]; }
EOF
	printf 'LIBRARY ext.dll\nEXPORTS\next_func\nby_ord @7 NONAME\n' >"$d/ext.def"
	printf 'LIBRARY del.dll\nEXPORTS\ndelayed_a\n' >"$d/del.def"
	for t in x86_64 i686; do
		U=; e=entry; a=$t
		[ $t = i686 ] && U=-U && e=_entry && a=i386
		clang-19 --target=$t-w64-mingw32 -O1 -g -c "$d/app.c" -o "$d/app_$a.o" &&
		$t-w64-mingw32-dlltool $U -d "$d/ext.def" -l "$d/libext_$a.a" &&
		$t-w64-mingw32-dlltool $U -d "$d/del.def" -y "$d/libdel_$a.a" &&
		$t-w64-mingw32-ld --dynamicbase -e $e -o "$d/gnu_$a.exe" "$d/app_$a.o" \
			"$d/libext_$a.a" "$d/libdel_$a.a" &&
		$t-w64-mingw32-ld --shared --dynamicbase -e $e -o "$d/gnu_$a.dll" "$d/app_$a.o" \
			"$d/libext_$a.a" "$d/libdel_$a.a" &&
		$t-w64-mingw32-ld --disable-dynamicbase -s -e $e -o "$d/gnu_nodyn_$a.exe" "$d/app_$a.o" \
			"$d/libext_$a.a" "$d/libdel_$a.a" || return 1
	done
}
fixtures_cached "pe gnu ld fixtures" pe/gnu build_fixtures || exit 1

for n in gnu_x86_64.exe gnu_i386.exe gnu_x86_64.dll gnu_i386.dll; do
	pe_judge "$FIX/$n" --expect-absolute
done
pe_judge "$FIX/gnu_nodyn_x86_64.exe"
pe_judge "$FIX/gnu_nodyn_i386.exe"
# The fixtures must exercise what this linker adds: a .bss section without
# raw data (zero-fill) and long section names.
if grep -A4 'Name: .bss ' "$TEST_TMP/gnu_x86_64.exe.ro" | grep -q 'RawDataSize: 0$'; then
	ok "gnu_x86_64.exe has an uninitialized .bss section without raw data"
else
	not_ok "gnu_x86_64.exe .bss" "llvm-readobj shows no .bss section with RawDataSize 0"
fi
has_line "gnu_x86_64.exe has long section names" "$TEST_TMP/gnu_x86_64.exe.ro" 'Name: .debug_info (2F'

# Attribution of MinGW images (COFF symbols, imports with their DLLs).
for f in gnu_x86_64.exe gnu_i386.exe; do
	[ -f "$FIX/$f" ] && attr_judge "attr-$f" "$FIX/$f" "--keys symbol,section,target --syms coff"
done
attr_judge_all
