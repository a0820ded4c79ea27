#!/usr/bin/env python3
"""macho_mutate.py OPCODE_FILE CHAINED_FILE OUTDIR - writes malformed
Mach-O files, one per way of lying, each derived from a valid lld output
by a single edit described here (the test expects exit 2 and one line):

  truncated-cmds     file cut in the middle of its load commands
  bad-cmdsize        first load command's cmdsize = 4
  sizeofcmds-huge    sizeofcmds larger than the file
  rebase-runoff      rebase stream ends inside a ULEB (0x22 0x80 0x80)
  rebase-badseg      rebase stream: SET_SEGMENT_AND_OFFSET seg 15, DO_REBASE
  rebase-badoff      rebase stream: seg 2, offset 2^40, DO_REBASE
  rebase-hugecount   rebase stream: seg 2, DO_REBASE_ULEB_TIMES 2^62
  bind-runoff        bind stream's symbol name has no terminating NUL
  threaded-too-many  the first 64 words of a __DATA* segment made one
                     arm64e chain (next = 1); a bind stream appended to
                     the file applies it with BIND_OPCODE_THREADED as many
                     times as it takes to claim more fixups than
                     size + 65536, relgate's cap for a file
  chain-leaves-page  last link of a chain gets next = 0xfff (past the page)
  chain-badformat    pointer_format 99
  chain-badsegcount  starts_in_image lists 200 segments
  fat-lies           universal header whose slice lies past the end
  fat-truncated      universal header claiming 20 slices in 28 bytes
  java-class         a Java class file (0xcafebabe, version 52)
"""
import os
import struct
import sys


def cmds(data):
    magic, cpu, sub, ft, n, size = struct.unpack_from("<6I", data, 0)
    off = 32 if magic == 0xfeedfacf else 28
    for _ in range(n):
        c, s = struct.unpack_from("<2I", data, off)
        yield off, c, s
        off += s


def dyld_info(data):
    for off, c, s in cmds(data):
        if c == 0x80000022:
            return off, struct.unpack_from("<10I", data, off + 8)


def chained(data):
    for off, c, s in cmds(data):
        if c == 0x80000034:
            return struct.unpack_from("<2I", data, off + 8)


def main():
    op = bytearray(open(sys.argv[1], "rb").read())
    ch = bytearray(open(sys.argv[2], "rb").read())
    out = sys.argv[3]
    w = lambda name, b: open(os.path.join(out, name), "wb").write(bytes(b))

    w("truncated-cmds", op[:200])
    b = bytearray(op)
    struct.pack_into("<I", b, 32 + 4, 4)
    w("bad-cmdsize", b)
    b = bytearray(op)
    struct.pack_into("<I", b, 20, len(op) + 100)
    w("sizeofcmds-huge", b)

    at, f = dyld_info(op)
    roff, rsize = f[0], f[1]

    def rebase(name, stream):
        b = bytearray(op)
        b[roff:roff + rsize] = b"\0" * rsize
        b[roff:roff + len(stream)] = stream
        struct.pack_into("<I", b, at + 12, len(stream))
        w(name, b)
    rebase("rebase-runoff", b"\x22\x80\x80")
    rebase("rebase-badseg", b"\x2f\x00\x51\x00")
    rebase("rebase-badoff", b"\x22\x80\x80\x80\x80\x80\x20\x51\x00")
    rebase("rebase-hugecount", b"\x22\x00\x60" + b"\x80" * 8 + b"\x40\x00")
    boff, bsize = f[2], f[3]
    b = bytearray(op)
    b[boff:boff + bsize] = b"\x40" + b"x" * (bsize - 1)
    w("bind-runoff", b)

    b = bytearray(op)
    segs = [(o, c, s) for o, c, s in cmds(op) if c == 0x19]
    for idx, (o, _, _) in enumerate(segs):
        name = op[o + 8:o + 24].rstrip(b"\0")
        sfo, sfs = struct.unpack_from("<QQ", op, o + 40)
        if name.startswith(b"__DATA") and sfs >= 64 * 8:
            break
    for j in range(64):
        struct.pack_into("<Q", b, sfo + 8 * j, (1 << 51) if j < 63 else 0)
    need = (len(op) + 65536) // 64 + 1000  # applies: 64 links each
    stream = (b"\xd0\x00" + bytes([0x70 | idx]) + b"\x00" + b"\xd1" * need + b"\x00")
    struct.pack_into("<2I", b, at + 16, len(b), len(stream))
    w("threaded-too-many", b + stream)

    # chained: find the first segment with starts and its first chain
    doff, dsize = chained(ch)
    hdr = struct.unpack_from("<7I", ch, doff)
    sii = doff + hdr[1]
    nseg = struct.unpack_from("<I", ch, sii)[0]
    segs = [(o, c, s) for o, c, s in cmds(ch) if c == 0x19]
    for i in range(nseg):
        so = struct.unpack_from("<I", ch, sii + 4 + 4 * i)[0]
        if so:
            break
    sis = sii + so
    size, psize, fmt, segoff, maxp, npages = struct.unpack_from("<IHHQIH", ch, sis)
    segcmd = segs[i][0]
    fileoff = struct.unpack_from("<Q", ch, segcmd + 40)[0]
    start = struct.unpack_from("<H", ch, sis + 22)[0]
    loc = fileoff + start
    while True:  # walk the DYLD_CHAINED_PTR_64 chain to its last link
        v = struct.unpack_from("<Q", ch, loc)[0]
        nxt = (v >> 51) & 0xfff
        if not nxt:
            break
        loc += nxt * 4
    b = bytearray(ch)
    struct.pack_into("<Q", b, loc, v | (0xfff << 51))
    w("chain-leaves-page", b)
    b = bytearray(ch)
    struct.pack_into("<H", b, sis + 6, 99)
    w("chain-badformat", b)
    b = bytearray(ch)
    struct.pack_into("<I", b, sii, 200)
    w("chain-badsegcount", b)

    fat = struct.pack(">2I", 0xcafebabe, 1) + struct.pack(">5I", 0x0100000c, 0, 4096,
                                                          len(op) + 1, 14)
    w("fat-lies", fat + b"\0" * (4096 - len(fat)) + op)
    w("fat-truncated", struct.pack(">2I", 0xcafebabe, 20) + b"\0" * 20)
    w("java-class", struct.pack(">IHH", 0xcafebabe, 0, 52) + b"\0" * 64)


if __name__ == "__main__":
    main()
