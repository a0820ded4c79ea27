#!/usr/bin/env python3
"""bench/gen_rela.py - writes a synthetic x86-64 ELF shared object whose
DT_RELA table holds N R_X86_64_RELATIVE entries, one per 8-byte word of a
writable PT_LOAD (a sparse file: the data bytes are holes).

    gen_rela.py N OUT

Layout: ELF header, 3 program headers (PT_LOAD r--, PT_LOAD rw-,
PT_DYNAMIC), the dynamic section (DT_RELA, DT_RELASZ, DT_RELAENT,
DT_RELACOUNT, DT_NULL), the table; then the rw- segment at the next 64 KiB
boundary; then section headers (.dynamic, .rela.dyn, .data, .shstrtab), as
a linker writes them (a file without them would be scanned whole for a Go
pclntab). `readelf -d` shows DT_RELACOUNT = N; bench/bench_walk.sh prints
relgate's relocs.relative beside N.
"""
import struct
import sys
from array import array


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    ehsize, phsize, nph = 64, 56, 3
    dyn_off = ehsize + phsize * nph
    dyn = [(7, 0), (8, 24 * n), (9, 24), (0x6ffffff9, n), (0, 0)]  # RELA, RELASZ, RELAENT, RELACOUNT, NULL
    rela_off = dyn_off + 16 * len(dyn)
    rela_end = rela_off + 24 * n
    data_off = (rela_end + 0xffff) & ~0xffff
    data_vaddr = data_off  # vaddr == offset
    dyn = [(t, rela_off if t == 7 else v) for t, v in dyn]
    names = b"\0.dynamic\0.rela.dyn\0.data\0.shstrtab\0"
    str_off = data_off + 8 * n
    sh_off = (str_off + len(names) + 7) & ~7
    def sh(name, typ, flags, addr, off, size, link=0, info=0, align=8, entsize=0):
        return struct.pack("<IIQQQQIIQQ", names.index(name), typ, flags, addr, off, size,
                           link, info, align, entsize)
    shdrs = (b"\0" * 64 + sh(b".dynamic\0", 6, 2, dyn_off, dyn_off, 16 * len(dyn), entsize=16)
             + sh(b".rela.dyn\0", 4, 2, rela_off, rela_off, 24 * n, entsize=24)
             + sh(b".data\0", 1, 3, data_vaddr, data_off, 8 * n)
             + sh(b".shstrtab\0", 3, 0, 0, str_off, len(names), align=1))
    eh = struct.pack("<4sBBBBB7sHHIQQQIHHHHHH", b"\x7fELF", 2, 1, 1, 0, 0, b"\0" * 7,
                     3, 62, 1, 0, ehsize, sh_off, 0, ehsize, phsize, nph, 64, 5, 4)
    ph = struct.pack("<IIQQQQQQ", 1, 4, 0, 0, 0, rela_end, rela_end, 0x10000)
    ph += struct.pack("<IIQQQQQQ", 1, 6, data_off, data_vaddr, data_vaddr, 8 * n, 8 * n, 0x10000)
    ph += struct.pack("<IIQQQQQQ", 2, 4, dyn_off, dyn_off, dyn_off, 16 * len(dyn), 16 * len(dyn), 8)
    table = array("Q", bytes(24 * n))
    table[0::3] = array("Q", range(data_vaddr, data_vaddr + 8 * n, 8))
    table[1::3] = array("Q", [8]) * n  # R_X86_64_RELATIVE, symbol 0
    if sys.byteorder != "little":
        table.byteswap()
    with open(out, "wb") as f:
        f.write(eh + ph + b"".join(struct.pack("<qQ", t, v) for t, v in dyn))
        f.write(table.tobytes())
        f.truncate(str_off)
        f.seek(str_off)
        f.write(names + b"\0" * (sh_off - str_off - len(names)) + shdrs)


if __name__ == "__main__":
    main()
