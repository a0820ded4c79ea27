#!/usr/bin/env python3
"""macho_swap.py IN OUT - rewrites a little-endian 64-bit Mach-O that uses
LC_DYLD_INFO(_ONLY) as its big-endian twin (MH_CIGAM_64 on disk): the
header, every load command's integer fields (segments and sections with
their 64-bit fields, symtab, dysymtab, dyld info, linkedit_data, main,
versions), the nlist entries and the indirect symbol table. Opcode streams,
the export trie and string tables are byte streams and stay as they are;
section contents are not touched (dyld-info fixups never read them), so
the fixups of the twin are exactly those of IN, which llvm-objdump-19
(byte-order aware) lists for the test.
"""
import struct
import sys


def sw(b, off, fmt):
    vals = struct.unpack_from("<" + fmt, b, off)
    struct.pack_into(">" + fmt, b, off, *vals)


def main():
    b = bytearray(open(sys.argv[1], "rb").read())
    magic, cpu, sub, ft, ncmds, size, flags, res = struct.unpack_from("<8I", b, 0)
    assert magic == 0xfeedfacf
    sw(b, 0, "8I")
    off = 32
    symtab = dysym = None
    for _ in range(ncmds):
        cmd, cs = struct.unpack_from("<2I", b, off)
        sw(b, off, "2I")
        body = off + 8
        if cmd == 0x19:  # LC_SEGMENT_64: name, 4 u64, 4 u32, then sections
            sw(b, body + 16, "4Q4I")
            nsects = struct.unpack_from(">I", b, body + 56)[0]
            for i in range(nsects):
                s = off + 72 + 80 * i
                sw(b, s + 32, "2Q8I")
        elif cmd in (0xc, 0xd, 0xe, 0x8000001c, 0x80000018, 0x1f):  # dylibs, dylinker, rpath
            sw(b, body, "I")
            if cmd in (0xc, 0xd, 0x80000018, 0x1f):
                sw(b, body + 4, "3I")
        elif cmd == 0x1b:  # LC_UUID: bytes
            pass
        elif cmd in (0x80000028, 0x2a):  # LC_MAIN, LC_SOURCE_VERSION: u64s
            sw(b, body, "%dQ" % ((cs - 8) // 8))
        else:  # everything else is u32 words
            if cmd == 0x2:
                symtab = struct.unpack_from("<4I", b, body)
            if cmd == 0xb:
                dysym = struct.unpack_from("<18I", b, body)
            sw(b, body, "%dI" % ((cs - 8) // 4))
        off += cs
    if symtab:
        symoff, nsyms = symtab[0], symtab[1]
        for i in range(nsyms):
            e = symoff + 16 * i
            sw(b, e, "I")
            sw(b, e + 6, "H")
            sw(b, e + 8, "Q")
    if dysym:
        ind, nind = dysym[12], dysym[13]
        for i in range(nind):
            sw(b, ind + 4 * i, "I")
    open(sys.argv[2], "wb").write(b)


if __name__ == "__main__":
    main()
