#!/bin/sh
# test_elf_fastpath.sh - the ELF walk's fast path (64-bit little-endian
# RELA and RELR, parsers/elf_relocs.c) on tables made to hit its edges,
# judged by tests/oracle/elf_oracle.py (llvm-readelf rows, binutils counts):
# pointers at irregular gaps (1 to 80 words) so RELR bitmaps have holes,
# straddle page boundaries and leave pages whose only fixups come from a
# bitmap that started on the page before; relro and data pointers on both
# sides of the relro end, with 64 KiB pages so that one page holds both
# regions (a run must stop at a region's end, not at its page's); symbolic
# references in between. x86-64 and AArch64, lld (plain RELA and
# -z pack-relative-relocs) and GNU ld; pages of 512 B, 4 KiB and 64 KiB.
. "$ROOT/tests/oracle/elf_lib.sh"
if ! need clang-19 ld.lld-19 python3; then skip "elf fast path" "clang-19/ld.lld-19 missing"; exit 0; fi
[ -x "$LLVM_BIN/llvm-readelf" ] || { skip "elf fast path" "no llvm-readelf in $LLVM_BIN"; exit 0; }

GEN='python3 -c "
import random
r = random.Random(16)
print(\"extern int e1, e2; static int t[4096];\")
for name, const in ((\"ro\", \"const \"), (\"rw\", \"\")):
    items = []
    for i in range(1500):
        gap = r.choice((0, 0, 0, 1, 2, 5, 30, 62, 63, 64, 80))
        items.append(\"&t[%d]\" % r.randrange(4096) if r.random() > 0.05 else \"&e%d\" % (1 + i % 2))
        items.extend([\"0\"] * gap)
    print(\"int *%s%s_tab[] = {%s};\" % (const, name, \",\".join(items)))
print(\"int *get(int i) { return ro_tab[i] + (long)rw_tab[i]; }\")
" > fp.c'
for arch in x86_64 aarch64; do
	CC="$GEN && clang-19 --target=$arch-linux-gnu -O1 -fPIC -c -o fp-$arch.o fp.c"
	build_and_judge "fp-lld-$arch" "$CC && ld.lld-19 -shared -o \"\$OUT\" fp-$arch.o"
	build_and_judge "fp-lld-relr-$arch" "$CC && ld.lld-19 -shared -z pack-relative-relocs -o \"\$OUT\" fp-$arch.o"
	for n in "fp-lld-$arch" "fp-lld-relr-$arch"; do
		[ -f "$ELF_FIX/$n" ] || continue
		judge "$n@512" "$ELF_FIX/$n" --page-size 512
		judge "$n@65536" "$ELF_FIX/$n" --page-size 65536
	done
done
if need gcc; then
	build_and_judge fp-gcc "$GEN && gcc -O1 -fPIC -shared -nostdlib -o \"\$OUT\" fp.c"
	[ -f "$ELF_FIX/fp-gcc" ] && judge "fp-gcc@65536" "$ELF_FIX/fp-gcc" --page-size 65536
fi
judge_all
