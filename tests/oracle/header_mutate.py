#!/usr/bin/env python3
"""header_mutate.py FILE OUTDIR COUNT SEED - mutants of a real binary, each
with one header field rewritten, for tests/oracle/test_header_mutate.sh.

The fields are found by walking the file's own headers:
  ELF64 LE   e_phoff/e_phnum/e_shoff/e_shnum/e_shstrndx; every program
             header's type, offset, vaddr, filesz, memsz, align; every
             PT_DYNAMIC entry's tag and value;
  Mach-O 64  ncmds, sizeofcmds; every load command's cmd and cmdsize;
             LC_SEGMENT_64 vmaddr/vmsize/fileoff/filesize/nsects and each
             section's addr/size/offset; the linkedit offsets and sizes of
             LC_DYLD_INFO(_ONLY), LC_SYMTAB, LC_DYSYMTAB,
             LC_DYLD_CHAINED_FIXUPS; inside the chained fixups: the header's
             starts/imports/symbols offsets and imports count and format,
             starts_in_image's seg_count and seg_info_offset[], and each
             starts_in_segment's size, page_size, pointer_format,
             segment_offset, max_valid_pointer, page_count, page_start[];
  PE32(+)    e_lfanew, NumberOfSections, SizeOfOptionalHeader,
             SectionAlignment, FileAlignment, SizeOfImage,
             NumberOfRvaAndSizes; every data directory's RVA and size;
             every section's VirtualSize, VirtualAddress, SizeOfRawData,
             PointerToRawData.
Each field gets the values 0, 1, all ones, the sign bit, the original
+-1, the original with bit 7 flipped, the file size and twice the
original plus a page. COUNT mutants are drawn from that list with
random.Random(SEED), so a run is reproducible; each file is named
FORMAT-FIELD-VALUE. Prints the number written.
"""
import os
import random
import struct
import sys


def elf_fields(d):
    f = []
    phoff, shoff = struct.unpack_from("<QQ", d, 0x20)
    phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from("<HHHHH", d, 0x36)
    f += [("e_phoff", 0x20, 8), ("e_shoff", 0x28, 8), ("e_phnum", 0x38, 2),
          ("e_shnum", 0x3c, 2), ("e_shstrndx", 0x3e, 2)]
    for i in range(phnum):
        o = phoff + i * phentsize
        if o + 56 > len(d):
            break
        for name, off, w in (("type", 0, 4), ("offset", 8, 8), ("vaddr", 16, 8),
                             ("filesz", 32, 8), ("memsz", 40, 8), ("align", 48, 8)):
            f.append(("ph%d.%s" % (i, name), o + off, w))
        ptype, = struct.unpack_from("<I", d, o)
        if ptype == 2:  # PT_DYNAMIC
            doff, = struct.unpack_from("<Q", d, o + 8)
            dsz, = struct.unpack_from("<Q", d, o + 32)
            for k in range(min(dsz // 16, 64)):
                e = doff + 16 * k
                if e + 16 > len(d):
                    break
                tag, = struct.unpack_from("<q", d, e)
                f.append(("dyn%d.tag" % k, e, 8))
                f.append(("dyn%d.val" % k, e + 8, 8))
                if tag == 0:
                    break
    return f


def macho_fields(d):
    f = [("ncmds", 16, 4), ("sizeofcmds", 20, 4)]
    ncmds, = struct.unpack_from("<I", d, 16)
    off = 32
    for i in range(ncmds):
        if off + 8 > len(d):
            break
        cmd, size = struct.unpack_from("<II", d, off)
        f += [("lc%d.cmd" % i, off, 4), ("lc%d.cmdsize" % i, off + 4, 4)]
        if cmd == 0x19:  # LC_SEGMENT_64
            f += [("lc%d.vmaddr" % i, off + 24, 8), ("lc%d.vmsize" % i, off + 32, 8),
                  ("lc%d.fileoff" % i, off + 40, 8), ("lc%d.filesize" % i, off + 48, 8),
                  ("lc%d.nsects" % i, off + 64, 4)]
            nsects, = struct.unpack_from("<I", d, off + 64)
            for s in range(min(nsects, 16)):
                so = off + 72 + 80 * s
                f += [("lc%d.sect%d.addr" % (i, s), so + 32, 8),
                      ("lc%d.sect%d.size" % (i, s), so + 40, 8),
                      ("lc%d.sect%d.offset" % (i, s), so + 48, 4)]
        elif cmd in (0x22, 0x80000022):  # LC_DYLD_INFO(_ONLY): 5 (off, size)
            for k in range(10):
                f.append(("lc%d.dyldinfo%d" % (i, k), off + 8 + 4 * k, 4))
        elif cmd == 0x2:  # LC_SYMTAB
            for k in range(4):
                f.append(("lc%d.symtab%d" % (i, k), off + 8 + 4 * k, 4))
        elif cmd == 0xb:  # LC_DYSYMTAB: indirect symbol table offset, count
            f += [("lc%d.indirectsymoff" % i, off + 56, 4), ("lc%d.nindirectsyms" % i, off + 60, 4)]
        elif cmd == 0x80000034:  # LC_DYLD_CHAINED_FIXUPS
            f += [("lc%d.dataoff" % i, off + 8, 4), ("lc%d.datasize" % i, off + 12, 4)]
            f += chained_fields(d, struct.unpack_from("<I", d, off + 8)[0])
        off += size
    return f


def chained_fields(d, base):
    f = []
    if base + 28 > len(d):
        return f
    f += [("cf.starts_offset", base + 4, 4), ("cf.imports_offset", base + 8, 4),
          ("cf.symbols_offset", base + 12, 4), ("cf.imports_count", base + 16, 4),
          ("cf.imports_format", base + 20, 4)]
    starts = base + struct.unpack_from("<I", d, base + 4)[0]
    if starts + 4 > len(d):
        return f
    nseg, = struct.unpack_from("<I", d, starts)
    f.append(("cf.seg_count", starts, 4))
    for s in range(min(nseg, 16)):
        if starts + 4 + 4 * s + 4 > len(d):
            break
        f.append(("cf.seg_info_offset%d" % s, starts + 4 + 4 * s, 4))
        so, = struct.unpack_from("<I", d, starts + 4 + 4 * s)
        if not so or starts + so + 22 > len(d):
            continue
        seg = starts + so
        f += [("cf.seg%d.size" % s, seg, 4), ("cf.seg%d.page_size" % s, seg + 4, 2),
              ("cf.seg%d.pointer_format" % s, seg + 6, 2),
              ("cf.seg%d.segment_offset" % s, seg + 8, 8),
              ("cf.seg%d.max_valid_pointer" % s, seg + 16, 4),
              ("cf.seg%d.page_count" % s, seg + 20, 2)]
        pages, = struct.unpack_from("<H", d, seg + 20)
        for p in range(min(pages, 8)):
            if seg + 22 + 2 * p + 2 <= len(d):
                f.append(("cf.seg%d.page_start%d" % (s, p), seg + 22 + 2 * p, 2))
    return f


def pe_fields(d):
    lfanew, = struct.unpack_from("<I", d, 0x3c)
    coff = lfanew + 4
    nsec, = struct.unpack_from("<H", d, coff + 2)
    optsz, = struct.unpack_from("<H", d, coff + 16)
    opt = coff + 20
    magic, = struct.unpack_from("<H", d, opt)
    plus = magic == 0x20b
    f = [("e_lfanew", 0x3c, 4), ("NumberOfSections", coff + 2, 2),
         ("SizeOfOptionalHeader", coff + 16, 2), ("SectionAlignment", opt + 32, 4),
         ("FileAlignment", opt + 36, 4), ("SizeOfImage", opt + 56, 4)]
    nrva_off = opt + (108 if plus else 92)
    f.append(("NumberOfRvaAndSizes", nrva_off, 4))
    nrva, = struct.unpack_from("<I", d, nrva_off)
    for k in range(min(nrva, 16)):
        f += [("dir%d.rva" % k, nrva_off + 4 + 8 * k, 4), ("dir%d.size" % k, nrva_off + 8 + 8 * k, 4)]
    sec = opt + optsz
    for s in range(min(nsec, 16)):
        o = sec + 40 * s
        f += [("sec%d.VirtualSize" % s, o + 8, 4), ("sec%d.VirtualAddress" % s, o + 12, 4),
              ("sec%d.SizeOfRawData" % s, o + 16, 4), ("sec%d.PointerToRawData" % s, o + 20, 4)]
    return f


def values(orig, w, size):
    mask = (1 << (8 * w)) - 1
    vs = [0, 1, mask, 1 << (8 * w - 1), orig + 1, orig - 1, orig ^ 0x80, size, orig * 2 + 0x1000]
    out = []
    for v in vs:
        v &= mask
        if v != orig and v not in out:
            out.append(v)
    return out


def main():
    path, outdir, count, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    d = open(path, "rb").read()
    if d[:4] == b"\x7fELF":
        fmt, fields = "elf", elf_fields(d)
    elif d[:4] == b"\xcf\xfa\xed\xfe":
        fmt, fields = "macho", macho_fields(d)
    elif d[:2] == b"MZ":
        fmt, fields = "pe", pe_fields(d)
    else:
        sys.exit("header_mutate.py: %s: not an ELF64, Mach-O 64 or PE file" % path)
    muts = []
    for name, off, w in fields:
        if off + w > len(d):
            continue
        orig = int.from_bytes(d[off:off + w], "little")
        for v in values(orig, w, len(d)):
            muts.append((name, off, w, v))
    rnd = random.Random(seed)
    rnd.shuffle(muts)
    os.makedirs(outdir, exist_ok=True)
    for name, off, w, v in muts[:count]:
        b = bytearray(d)
        b[off:off + w] = v.to_bytes(w, "little")
        with open(os.path.join(outdir, "%s-%s-%x" % (fmt, name, v)), "wb") as f:
            f.write(b)
    print(min(count, len(muts)))


if __name__ == "__main__":
    main()
