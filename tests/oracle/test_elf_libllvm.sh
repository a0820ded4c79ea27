#!/bin/sh
# test_elf_libllvm.sh - a large real library from a Debian package: LLVM
# 19's libLLVM.so (about 129 MB, about 334,000 dynamic relocations), judged
# by tests/oracle/elf_oracle.py (llvm-readelf --dyn-relocations for every
# row and page, binutils readelf -D -r for the counts).
. "$ROOT/tests/oracle/elf_lib.sh"
lib=""
for c in /usr/lib/llvm-19/lib/libLLVM.so.19.1 /usr/lib/x86_64-linux-gnu/libLLVM.so.19.1 \
         /usr/lib/llvm-19/lib/libLLVM-19.so "$(ls /usr/lib/*/libLLVM*.so.19* 2>/dev/null | head -n 1)"; do
	[ -n "$c" ] && [ -f "$c" ] && { lib=$(readlink -f "$c"); break; }
done
if [ -z "$lib" ]; then skip "libLLVM" "libLLVM 19 is not installed (apt-get install llvm-19)"; exit 0; fi
judge libLLVM "$lib"
judge_all
# Attribution on a large C++ library with .dynsym only (nm -D -S); its
# packages (llvm, std, polly, ...) judged on c++filt's demangling, and
# its 334,000 targets (RELA addends, versioned dynamic symbols).
attr_judge libLLVM "$lib" "--keys symbol,section,package,target,target-package --syms dynsym"
attr_judge_all
