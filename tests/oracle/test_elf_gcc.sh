#!/bin/sh
# test_elf_gcc.sh - gcc + GNU ld fixtures: PIE, non-PIE, shared library,
# static-pie (PT_DYNAMIC present: measured), static (no PT_DYNAMIC: no
# relocs.*/dirty.*), and an ET_REL object (no relocs.*), each judged by
# tests/oracle/elf_oracle.py (llvm-readelf + binutils readelf).
. "$ROOT/tests/oracle/elf_lib.sh"
if ! need gcc readelf python3; then skip "elf gcc" "gcc/readelf/python3 missing"; exit 0; fi

build_and_judge gcc-pie 'gcc -O1 -fPIE -pie -o "$OUT" prog.c'
build_and_judge gcc-nopie 'gcc -O1 -fno-PIE -no-pie -o "$OUT" prog.c'
build_and_judge gcc-shared 'gcc -O1 -fPIC -shared -Wl,-z,lazy -o "$OUT" prog.c'
build_and_judge gcc-now 'gcc -O1 -fPIE -pie -Wl,-z,now,-z,relro -o "$OUT" prog.c'
build_and_judge gcc-static-pie 'gcc -O1 -fPIE -static-pie -o "$OUT" prog.c'
build_and_judge gcc-static 'gcc -O1 -static -o "$OUT" prog.c'
build_and_judge gcc-object 'gcc -O1 -fPIC -c -o "$OUT" prog.c'
build_and_judge gcc-stripped 'gcc -O1 -fPIE -pie -o "$OUT.tmp" prog.c && strip -o "$OUT" "$OUT.tmp" && rm "$OUT.tmp"'
# Fixups in text (DT_TEXTREL): pointers inside a function's extent, one
# relative and one symbolic. Attribution skips the symbols of read-only
# segments at first; finding fixups there, it must measure again with
# them all, so the rows name the function.
if [ "$(uname -m)" = x86_64 ]; then
	build_and_judge gcc-textrel 'printf "%s\n" ".text" ".globl tfunc" ".type tfunc,@function" \
		"tfunc: ret" ".p2align 3" ".quad tdata" ".quad tlocal" ".size tfunc, .-tfunc" \
		".data" ".globl tdata" ".type tdata,@object" "tdata: .quad 0" ".size tdata, 8" \
		"tlocal: .quad 0" >textrel.s &&
		gcc -shared -nostdlib -Wl,-z,notext -o "$OUT" textrel.s'
fi

# No section header table at all (e_shoff = 0, as sstrip leaves a file):
# the relocation counts must not change, since tables come from PT_DYNAMIC.
if fixture gcc-noshdr 'gcc -O1 -fPIE -pie -o "$OUT" prog.c && python3 -c "
import sys
p = sys.argv[1]; d = bytearray(open(p, \"rb\").read())
d[0x28:0x30] = bytes(8); d[0x3c:0x40] = bytes(4)   # e_shoff, e_shnum, e_shstrndx
open(p, \"wb\").write(d)" "$OUT"'; then
	judge gcc-noshdr "$ELF_FIX/gcc-noshdr" --only-relocs
	judge_all
	check_eq "gcc-noshdr: no sections" "0" \
		"$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["binaries"][0]["sections"]))' "$TEST_TMP/gcc-noshdr.json")"
fi

judge_all
# Static and object files: the note says why relocs are absent.
for n in gcc-static gcc-object; do
	[ -f "$TEST_TMP/$n.json" ] || continue
	if grep -q '"notes":\[[^]]*no load-time relocations' "$TEST_TMP/$n.json" ||
	   python3 -c 'import json,sys; n=json.load(open(sys.argv[1]))["binaries"][0]["notes"]; sys.exit(0 if any("no load-time relocations" in x for x in n) else 1)' "$TEST_TMP/$n.json"; then
		ok "$n: note explains the absent relocs"
	else
		not_ok "$n: note" "no note about absent relocations"
	fi
done

# Attribution (attr_oracle.py): symbols from binutils nm -S (.symtab), and
# from nm -D -S for the stripped PIE (.dynsym only); targets from
# llvm-readelf's RELA addends and readelf's versioned dynamic symbols.
attr_judge gcc-pie "$ELF_FIX/gcc-pie" "--keys symbol,section,target"
attr_judge gcc-shared "$ELF_FIX/gcc-shared" "--keys symbol,section,target"
attr_judge gcc-stripped "$ELF_FIX/gcc-stripped" "--keys symbol,section,target --syms dynsym"
if [ -f "$ELF_FIX/gcc-textrel" ]; then
	attr_judge gcc-textrel "$ELF_FIX/gcc-textrel" "--keys symbol,section,target"
	# The oracle's rows must hold the function (not only its section).
	check_eq "gcc-textrel: fixups in tfunc" "2" "$("$RELGATE" measure --by symbol --format csv \
		"$ELF_FIX/gcc-textrel" | awk -F, '$4 == "tfunc" { print $5 }')"
fi
attr_judge_all
