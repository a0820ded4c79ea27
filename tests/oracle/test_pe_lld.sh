# test_pe_lld.sh - PE images linked at test time by lld-link-19 from
# clang-19 objects (x86-64, i386, ARM64, ARMNT), checked against
# llvm-readobj-19 (--file-headers --sections --coff-basereloc --coff-imports)
# through tests/oracle/pe_oracle.py.
#
# Fixtures (cached under $FIXTURES/pe/lld-KEY, see fixture_lib.sh):
#   app_<arch>.exe   pointer tables in .data and .rdata (base relocations,
#                    with ABSOLUTE padding entries), imports by name and by
#                    ordinal from an llvm-dlltool import library, a data
#                    import, and a delay-loaded DLL (/delayload:)
#   lib_x86_64.dll   a DLL with DWARF (/debug:dwarf), so long section names
#                    "/4" resolve through the COFF string table; imports
#                    from an import library made by `lld-link /def:`
#   nodyn_x86_64.exe /DYNAMICBASE:NO (a note says so)
#   fixed_i386.exe   /FIXED: IMAGE_FILE_RELOCS_STRIPPED, no .reloc (a note)
#   app_arm.exe      ARMNT (thumbv7): ARM_MOV32(T) base relocations
. "$ROOT/tests/oracle/fixture_lib.sh"

require "pe lld fixtures" clang-19 lld-link-19 python3 "$LLVM_BIN/llvm-readobj" \
	"$LLVM_BIN/llvm-dlltool" || exit 0

build_fixtures() { # into $1
	d=$1
	# 4 pointers per P4; P256 = 256 pointers: several pages of DIR64/HIGHLOW.
	cat >"$d/app.c" <<'EOF'
#define P4 &x1, &x2, &x3, &x1
#define P16 P4, P4, P4, P4
#define P64 P16, P16, P16, P16
#define P256 P64, P64, P64, P64
extern int __declspec(dllimport) ext_func(int);
extern int __declspec(dllimport) ext_data;
extern int __declspec(dllimport) by_ordinal(void);
extern int delayed_a(int);
extern int delayed_b(int);
void *__stdcall __delayLoadHelper2(const void *desc, void **slot) { (void)desc; return *slot; }
static int x1 = 1, x2 = 2, x3 = 3;
int *table[] = { P256, P256, P256 };           /* .data */
int *const ctable[] = { P256, P64, &x3 };      /* .rdata */
const char *strs[] = { "a", "bb", "ccc" };
char bigbss[100000];                           /* zero-fill tail of .data */
int __cdecl entry(void)
{
	return ext_func(*table[1]) + ext_data + by_ordinal() + delayed_a(2) + delayed_b(3) +
	       *ctable[5] + strs[2][0] + bigbss[5];
}
EOF
	cat >"$d/ext.def" <<'EOF'
LIBRARY ext.dll
EXPORTS
ext_func
ext_data DATA
by_ordinal @7 NONAME
EOF
	cat >"$d/del.def" <<'EOF'
LIBRARY del.dll
EXPORTS
delayed_a
delayed_b
EOF
	cat >"$d/lib.c" <<'EOF'
extern int __declspec(dllimport) ext_func(int);
static int y = 5;
int *ptrs[] = { &y, &y, &y, &y, &y };
__declspec(dllexport) int lib_entry(void) { return *ptrs[1] + ext_func(1); }
EOF
	cat >"$d/t.c" <<'EOF'
static int x1 = 1, x2 = 2;
int *table[] = { &x1, &x2, &x1 };
const int *const ctab[] = { &x1, &x2 };
int __cdecl entry(void) { return *table[1] + *ctab[0]; }
EOF
	for t in x86_64:x64:i386:x86-64 i686:x86:i386 aarch64:arm64:arm64; do
		triple=${t%%:*}; rest=${t#*:}; machine=${rest%%:*}; dl=${rest#*:}
		arch=$triple; [ "$triple" = i686 ] && arch=i386
		clang-19 --target="$triple-pc-windows-msvc" -O1 -c "$d/app.c" -o "$d/app_$arch.obj" &&
		"$LLVM_BIN/llvm-dlltool" -m "$dl" -d "$d/ext.def" -l "$d/ext_$arch.lib" &&
		"$LLVM_BIN/llvm-dlltool" -m "$dl" -d "$d/del.def" -l "$d/del_$arch.lib" &&
		lld-link-19 /nologo /machine:"$machine" /nodefaultlib /entry:entry /subsystem:console \
			"$d/app_$arch.obj" "$d/ext_$arch.lib" "$d/del_$arch.lib" /delayload:del.dll \
			/out:"$d/app_$arch.exe" || return 1
	done
	[ -f "$d/app_aarch64.exe" ] && mv "$d/app_aarch64.exe" "$d/app_arm64.exe"
	# An import library produced by lld-link itself from a .def file.
	lld-link-19 /nologo /machine:x64 /def:"$d/ext.def" /out:"$d/ext_lld.lib" >/dev/null 2>&1 ||
		lld-link-19 /nologo /lib /machine:x64 /def:"$d/ext.def" /out:"$d/ext_lld.lib" || return 1
	clang-19 --target=x86_64-pc-windows-msvc -O1 -g -gdwarf -c "$d/lib.c" -o "$d/lib.obj" &&
	lld-link-19 /nologo /machine:x64 /nodefaultlib /noentry /dll /debug:dwarf "$d/lib.obj" \
		"$d/ext_lld.lib" /out:"$d/lib_x86_64.dll" &&
	lld-link-19 /nologo /machine:x64 /nodefaultlib /entry:entry /subsystem:console /dynamicbase:no \
		"$d/app_x86_64.obj" "$d/ext_x86_64.lib" "$d/del_x86_64.lib" /delayload:del.dll \
		/out:"$d/nodyn_x86_64.exe" &&
	lld-link-19 /nologo /machine:x86 /nodefaultlib /entry:entry /subsystem:console /fixed \
		"$d/app_i386.obj" "$d/ext_i386.lib" "$d/del_i386.lib" /delayload:del.dll \
		/out:"$d/fixed_i386.exe" &&
	clang-19 --target=thumbv7-pc-windows-msvc -O1 -c "$d/t.c" -o "$d/t_arm.obj" &&
	lld-link-19 /nologo /machine:arm /nodefaultlib /entry:entry /subsystem:console \
		"$d/t_arm.obj" /out:"$d/app_arm.exe" || return 1
}
fixtures_cached "pe lld fixtures" pe/lld build_fixtures || exit 1

pe_judge "$FIX/app_x86_64.exe" --expect-absolute --expect-delay
pe_judge "$FIX/app_i386.exe" --expect-absolute --expect-delay
pe_judge "$FIX/app_arm64.exe" --expect-absolute --expect-delay
pe_judge "$FIX/app_arm.exe" --expect-absolute
pe_judge "$FIX/lib_x86_64.dll"
pe_judge "$FIX/nodyn_x86_64.exe" --expect-delay
pe_judge "$FIX/fixed_i386.exe" --expect-delay

# The DLL's DWARF sections have long names: the oracle resolved them
# through the string table too; make sure the fixture really has one.
has_line "lib_x86_64.dll has a long section name (/N) resolved by llvm-readobj" \
	"$TEST_TMP/lib_x86_64.dll.ro" 'Name: .debug_info (2F'
