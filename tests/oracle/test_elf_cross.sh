#!/bin/sh
# test_elf_cross.sh - `-nostdlib -shared` libraries for other machines, built
# with clang-19 --target= and ld.lld-19: ELF32 and ELF64, both byte orders,
# each machine's relative type (i386, AArch64, ARM, RISC-V, PowerPC64 big
# and little endian, MIPS including the ELF64 little-endian r_info layout,
# s390x), plus RELR in 32-bit words and APS2 on AArch64.
. "$ROOT/tests/oracle/elf_lib.sh"
if ! need clang-19 ld.lld-19 python3; then skip "elf cross" "clang-19/ld.lld-19 missing"; exit 0; fi
[ -x "$LLVM_BIN/llvm-readelf" ] || { skip "elf cross" "no llvm-readelf in $LLVM_BIN"; exit 0; }

cross() { # NAME TRIPLE 'LD FLAGS' [oracle options]
	cr_name=$1 cr_triple=$2 cr_ld=$3; shift 3
	build_and_judge "$cr_name" "clang-19 --target=$cr_triple -O1 -fPIC -nostdlib -c -o lib.$cr_name.o lib.c && ld.lld-19 -shared $cr_ld -o \"\$OUT\" lib.$cr_name.o" "$@"
}
cross x-i386 i386-linux-gnu ''
cross x-i386-relr i386-linux-gnu '-z pack-relative-relocs'
cross x-aarch64 aarch64-linux-gnu ''
cross x-aarch64-relr aarch64-linux-gnu '-z pack-relative-relocs'
cross x-aarch64-android aarch64-linux-android '--pack-dyn-relocs=android+relr' --no-binutils
cross x-arm armv7a-linux-gnueabihf ''
cross x-arm-relr armv7a-linux-gnueabihf '-z pack-relative-relocs'
cross x-riscv64 riscv64-linux-gnu ''
cross x-riscv32 riscv32-linux-gnu ''
cross x-ppc64 powerpc64-linux-gnu ''
cross x-ppc64le powerpc64le-linux-gnu ''
cross x-s390x s390x-linux-gnu ''
# MIPS: binutils prints MIPS64 r_info as three types on separate lines, so
# only llvm-readelf judges these.
cross x-mips mips-linux-gnu '' --no-binutils
cross x-mipsel mipsel-linux-gnu '' --no-binutils
cross x-mips64 mips64-linux-gnuabi64 '' --no-binutils
cross x-mips64el mips64el-linux-gnuabi64 '' --no-binutils
# Fine pages (512 B) catch a fixup address off by a word.
for n in x-i386-relr x-arm-relr x-aarch64-android x-mips64el x-ppc64; do
	[ -f "$ELF_FIX/$n" ] && judge "$n@512" "$ELF_FIX/$n" --page-size 512 --only-relocs --no-binutils
done
judge_all

# Attribution across machines (REL and RELR: targets are the words in place).
for f in x-i386 x-i386-relr x-arm-relr x-aarch64-relr x-ppc64; do
	[ -f "$ELF_FIX/$f" ] && attr_judge "$f" "$ELF_FIX/$f" "--keys symbol,section,target"
done
attr_judge_all
