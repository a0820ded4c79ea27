#!/usr/bin/env python3
"""macho_gen.py N - writes a pointer-rich C file for the Mach-O fixtures.

N entries in each of: a table of string pointers (read-only after fixups:
__DATA_CONST), a table of function pointers (writable: __DATA). Also
pointers to imported data, imported functions called lazily, weak
definitions, a strong definition of a symbol a library defines weakly
(`weakover`, a non-weak-definition record in the weak-bind table), and a
zero-fill array (vm.bss).
"""
import sys

n = int(sys.argv[1])
o = ["#include <stddef.h>",
     "extern int printf(const char *, ...);",
     "extern void *malloc(size_t);",
     "extern void free(void *);",
     "extern int puts(const char *);",
     "extern int ext_var;",
     "extern int ext_arr[];"]
o += ["int fn%d(int x){return x+%d;}" % (i, i) for i in range(64)]
o.append("typedef int (*fp)(int);")
o.append("const char *const strtab[%d] = {%s};"
         % (n, ",".join('"s%d"' % i for i in range(n))))
o.append("fp fntab[%d] = {%s};" % (n, ",".join("fn%d" % (i % 64) for i in range(n))))
o.append("int *const imptab[] = {&ext_var, &ext_arr[1], &ext_arr[2]};")
o.append("void *mixed[] = {(void*)printf, (void*)malloc, (void*)&strtab, (void*)fn3};")
o.append("__attribute__((weak)) int weak1(void){return 1;}")
o.append("__attribute__((weak)) int weak2(void){return 2;}")
o.append("int weakover(void){return 4;}")
o.append("int (*weakp[])(void) = {weak1, weak2, weakover};")
o.append("static char bss[100000];")
o.append("int main(int c, char **v){ void *p = malloc(3); free(p); puts(strtab[c]);"
         " printf(\"%d %d %p\\n\", fntab[c](c), weak1()+weak2()+*imptab[c], bss);"
         " return 0; }")
print("\n".join(o))
