#!/usr/bin/env python3
"""overflow_gen.py OUT SIZE elf|macho - a minimal binary holding two
same-named zero-fill sections (.bss; __DATA,__bss) of SIZE bytes each, so
their sum overflows int64 when SIZE >= 2**62. The ELF and Mach-O fuzz
targets found this (issue 12 item 8); the fuzz seeds and
tests/oracle/test_catalog_overflow.sh use it.

ELF64 little-endian x86-64 EXEC: header, no program headers, section
headers [null, .bss NOBITS WA @0x1000, .bss NOBITS WA @0x2000, .shstrtab].
Mach-O 64 x86_64 MH_EXECUTE: one LC_SEGMENT_64 __DATA (vmsize 0x1000,
filesize 0) with two S_ZEROFILL sections __bss."""
import struct
import sys


def elf_two_bss(size):
    shstr = b"\0.bss\0.shstrtab\0"
    ehsize = 64
    shoff = (ehsize + len(shstr) + 7) & ~7
    eh = b"\x7fELF" + bytes([2, 1, 1, 0]) + b"\0" * 8
    eh += struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, 0, 0, shoff, 0, ehsize, 56, 0, 64, 4, 3)
    body = eh + shstr
    body += b"\0" * (shoff - len(body))

    def sh(name, typ, flags, addr, off, sz, align=8):
        return struct.pack("<IIQQQQIIQQ", name, typ, flags, addr, off, sz, 0, 0, align, 0)
    body += sh(0, 0, 0, 0, 0, 0, 0)
    body += sh(1, 8, 3, 0x1000, 0, size)
    body += sh(1, 8, 3, 0x2000, 0, size)
    body += sh(6, 3, 0, 0, ehsize, len(shstr), 1)
    return body


def macho_two_bss(size):
    nsect = 2
    segsize = 72 + 80 * nsect
    hdr = struct.pack("<IiiIIIII", 0xfeedfacf, 0x01000007, 3, 2, 1, segsize, 0, 0)
    seg = struct.pack("<II16sQQQQiiII", 0x19, segsize, b"__DATA", 0x100000000, 0x1000, 0, 0,
                      3, 3, nsect, 0)
    for i in range(nsect):
        seg += struct.pack("<16s16sQQIIIIIIII", b"__bss", b"__DATA", 0x100000000 + i * 0x800,
                           size, 0, 3, 0, 0, 1, 0, 0, 0)
    return hdr + seg


if __name__ == "__main__":
    make = {"elf": elf_two_bss, "macho": macho_two_bss}[sys.argv[3]]
    with open(sys.argv[1], "wb") as f:
        f.write(make(int(sys.argv[2], 0)))
