#!/bin/sh
# test_elf_lld.sh - clang-19 + ld.lld-19 x86-64 shared libraries with packed
# relocations: DT_RELR (-z pack-relative-relocs), Android APS2
# (--pack-dyn-relocs=android) and both (android+relr); plus a plain one.
# APS2 rows come from `llvm-readelf -r` (binutils cannot decode APS2, so its
# second opinion is skipped there).
. "$ROOT/tests/oracle/elf_lib.sh"
if ! need clang-19 ld.lld-19 python3; then skip "elf lld" "clang-19/ld.lld-19 missing"; exit 0; fi
[ -x "$LLVM_BIN/llvm-readelf" ] || { skip "elf lld" "no llvm-readelf in $LLVM_BIN"; exit 0; }

CC='clang-19 --target=x86_64-linux-gnu -O1 -fPIC -c -o lib.x86_64.o lib.c'
build_and_judge lld-plain "$CC && ld.lld-19 -shared -o \"\$OUT\" lib.x86_64.o"
build_and_judge lld-relr "$CC && ld.lld-19 -shared -z pack-relative-relocs -o \"\$OUT\" lib.x86_64.o"
build_and_judge lld-android "$CC && ld.lld-19 -shared --pack-dyn-relocs=android -o \"\$OUT\" lib.x86_64.o" --no-binutils
build_and_judge lld-android-relr "$CC && ld.lld-19 -shared --pack-dyn-relocs=android+relr -o \"\$OUT\" lib.x86_64.o" --no-binutils
# DT_ANDROID_RELR tags instead of DT_RELR.
build_and_judge lld-android-relr-tags "$CC && ld.lld-19 -shared --pack-dyn-relocs=relr --use-android-relr-tags -o \"\$OUT\" lib.x86_64.o" --no-binutils
# A big table: thousands of relative relocations, so RELR bitmaps fill and
# APS2 groups form; pages span several segments' worth.
BIG='python3 -c "
n = 5000
print(\"static int t[%d];\" % n)
print(\"int *big[] = {\" + \",\".join(\"&t[%d]\" % (i * 7 % n) for i in range(n)) + \"};\")
print(\"extern int e1, e2; int *const sym[] = {\" + \",\".join(\"&e%d\" % (1 + i % 2) for i in range(300)) + \"};\")
" > big.c && clang-19 --target=x86_64-linux-gnu -O1 -fPIC -c -o big.o big.c'
build_and_judge lld-big-relr "$BIG && ld.lld-19 -shared -z pack-relative-relocs -o \"\$OUT\" big.o"
build_and_judge lld-big-android "$BIG && ld.lld-19 -shared --pack-dyn-relocs=android -o \"\$OUT\" big.o" --no-binutils
build_and_judge lld-big-android-relr "$BIG && ld.lld-19 -shared --pack-dyn-relocs=android+relr -o \"\$OUT\" big.o" --no-binutils
# The same big tables with 512-byte pages: a fixup address off by a word
# (a RELR bitmap stride, an APS2 delta) then moves it to another page.
for n in lld-big-relr lld-big-android lld-big-android-relr lld-relr lld-android; do
	[ -f "$ELF_FIX/$n" ] && judge "$n@512" "$ELF_FIX/$n" --page-size 512 --only-relocs --no-binutils
done
judge_all
