#!/usr/bin/env python3
"""fixup_spread.py elf|macho IN OUT N STEP - rewrites a linker's output so
that it carries N relative fixups STEP bytes apart, at the start of its
last writable segment, whose memory size grows to hold them (N * STEP
bytes: terabytes for the hostile cases of test_fixup_spread.sh).

Why: relgate records dirty pages in bitmaps allocated in 4 KiB chunks of
32768 pages (parsers/model.c) and refuses a binary whose bitmaps would
pass RG_MAX_BITMAP_BYTES (128 MiB, parsers/model.h), i.e. whose fixups
touch more than ~32768 distinct chunks. With STEP = one chunk's span
(32768 pages: 128 MiB at 4 KiB pages, 512 MiB at 16 KiB) every fixup needs
a chunk of its own, so N decides which side of the cap a file falls on;
with STEP = one page the same N fixups make a dense file.

elf (ELF64 little-endian, from ld.lld -z pack-relative-relocs): the last
PT_LOAD is made to map the file up to its new end, where a DT_RELR table of
N address entries (even words: one relocation each, no bitmaps) is
appended; DT_RELR/DT_RELRSZ point at it and p_memsz becomes large enough
for the last address. The old RELR table is dropped (its relocations are
replaced, llvm-readelf decodes whatever the table holds).

macho (64-bit little-endian, from ld64.lld -no_fixup_chains): the rebase
opcode stream becomes SET_TYPE_IMM(POINTER), SET_SEGMENT_AND_OFFSET_ULEB(
__DATA, offset of its last section), DO_REBASE_ULEB_TIMES_SKIPPING_ULEB(N,
STEP - 8), DONE: a few bytes for any N. That section (usually the zero-fill
__bss or __common) and __DATA grow to hold the N fixups (llvm-objdump wants
every rebase inside a section), and __LINKEDIT's vmaddr moves past __DATA
so that segments do not overlap.

Prints the fixups' first and last addresses, as a check of the layout.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from macho_chains import uleb  # noqa: E402


def elf(d, n, step):
    phoff, = struct.unpack_from("<Q", d, 32)
    phnum, = struct.unpack_from("<H", d, 56)
    loads, dyn = [], None
    for i in range(phnum):
        o = phoff + 56 * i
        t, = struct.unpack_from("<I", d, o)
        if t == 1:
            loads.append(o)
        elif t == 2:
            dyn = struct.unpack_from("<QQ", d, o + 8)[0], struct.unpack_from("<Q", d, o + 32)[0]
    last = max(loads, key=lambda o: struct.unpack_from("<Q", d, o + 16)[0])
    off, va = struct.unpack_from("<QQ", d, last + 8)
    first = (va + 7) & ~7
    table_off = (len(d) + 7) & ~7
    d += b"\0" * (table_off - len(d))
    for k in range(n):
        d += struct.pack("<Q", first + k * step)
    filesz = len(d) - off
    memsz = max(filesz, first - va + (n - 1) * step + 8)
    struct.pack_into("<QQ", d, last + 32, filesz, memsz)
    table_va = va + (table_off - off)
    seen = set()
    for o in range(dyn[0], dyn[0] + dyn[1], 16):
        tag, = struct.unpack_from("<q", d, o)
        if tag == 36:    # DT_RELR
            struct.pack_into("<Q", d, o + 8, table_va)
        elif tag == 35:  # DT_RELRSZ
            struct.pack_into("<Q", d, o + 8, 8 * n)
        seen.add(tag)
    if not {35, 36} <= seen:
        raise SystemExit("fixup_spread.py: no DT_RELR in the input (link with -z pack-relative-relocs)")
    return first, first + (n - 1) * step


def macho(d, n, step):
    magic, _, _, _, ncmds, _ = struct.unpack_from("<6I", d, 0)
    if magic != 0xfeedfacf:
        raise SystemExit("fixup_spread.py: not a 64-bit little-endian Mach-O")
    off, segs, info = 32, [], None
    for _ in range(ncmds):
        c, s = struct.unpack_from("<2I", d, off)
        if c == 0x19:  # LC_SEGMENT_64
            segs.append((off, d[off + 8:off + 24].rstrip(b"\0").decode()))
        elif c in (0x22, 0x80000022):  # LC_DYLD_INFO(_ONLY)
            info = off
        off += s
    names = [s[1] for s in segs]
    idx = names.index("__DATA")
    data = segs[idx][0]
    vmaddr, = struct.unpack_from("<Q", d, data + 24)
    nsects, = struct.unpack_from("<I", d, data + 64)
    last = data + 72 + 80 * (nsects - 1)  # its last section_64
    first = (struct.unpack_from("<Q", d, last + 32)[0] + 7) & ~7
    end = first + (n - 1) * step + 8
    vmsize = (max(end - vmaddr, struct.unpack_from("<Q", d, data + 32)[0]) + 0x3fff) & ~0x3fff
    struct.pack_into("<Q", d, data + 32, vmsize)
    struct.pack_into("<Q", d, last + 40, vmaddr + vmsize - struct.unpack_from("<Q", d, last + 32)[0])
    link = segs[names.index("__LINKEDIT")][0]
    struct.pack_into("<Q", d, link + 24, vmaddr + vmsize)
    roff, rsize = struct.unpack_from("<2I", d, info + 8)
    stream = (bytes([0x11, 0x20 | idx]) + uleb(first - vmaddr) + b"\x80" + uleb(n) +
              uleb(step - 8) + b"\0")
    if len(stream) > rsize:
        raise SystemExit("fixup_spread.py: the input's rebase stream is too short to hold %d bytes"
                         % len(stream))
    d[roff:roff + rsize] = stream + b"\0" * (rsize - len(stream))
    struct.pack_into("<I", d, info + 12, len(stream))
    return first, first + (n - 1) * step


def main():
    kind, src, dst, n, step = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    d = bytearray(open(src, "rb").read())
    lo, hi = (elf if kind == "elf" else macho)(d, n, step)
    open(dst, "wb").write(bytes(d))
    print("%s: %d fixups from 0x%x to 0x%x" % (dst, n, lo, hi))
    return 0


if __name__ == "__main__":
    sys.exit(main())
