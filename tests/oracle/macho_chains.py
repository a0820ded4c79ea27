#!/usr/bin/env python3
"""macho_chains.py - turns a linker's opcode-based Mach-O into one with
LC_DYLD_CHAINED_FIXUPS in a chosen pointer format, for the formats no
toolchain here emits (ARM64E*, 64_OFFSET, the 32-bit and kernel/cache
formats).

usage: macho_chains.py IN LISTING OUT FORMAT [--auth] [--arm64e]
  IN       thin little-endian Mach-O with LC_DYLD_INFO_ONLY (from ld64.lld)
  LISTING  `llvm-objdump --macho --rebase --bind --lazy-bind --weak-bind IN`
  FORMAT   DYLD_CHAINED_PTR_* number (Apple <mach-o/fixup-chains.h>)
  --auth   mark every other fixup authenticated (arm64e formats)
  --arm64e set the header's cpusubtype to arm64e
  FORMAT may also be `threaded` (BIND_OPCODE_THREADED chains) or
  `classic` (LC_DYSYMTAB local/external relocations, 64-bit inputs).
  --split=N  end chains after N links (32-bit formats: START_MULTI pages)
Writes OUT and OUT.expect.json: the fixups this script placed (the hand
derivation the test compares relgate with when llvm-objdump cannot decode
the format). The fixup locations are llvm-objdump's own listing of IN;
a location both rebased and bound keeps the bind (one chain entry per
location). Formats without binds (kernel, cache, firmware) keep rebases only.

Layout written (fixup-chains.h): dyld_chained_fixups_header, starts in
image (one entry per segment), starts in segment (8-aligned, page_start[]
then the START_MULTI overflow lists), imports (DYLD_CHAINED_IMPORT),
symbol names. The LC_DYLD_INFO_ONLY command (48 bytes) is replaced by
LC_DYLD_CHAINED_FIXUPS (16) and a 32-byte LC_RPATH filler; the blob is
appended to __LINKEDIT.
"""
import json
import struct
import sys

from macho_oracle import opcode_rows

# format: (width, stride, next_shift, next_bits, binds, auth, offset_targets, ord_bits)
FORMATS = {
    1: (8, 8, 51, 11, True, True, False, 16),    # ARM64E
    2: (8, 4, 51, 12, True, False, False, 24),   # 64
    3: (4, 4, 26, 5, True, False, False, 20),    # 32
    4: (4, 4, 30, 2, False, False, False, 0),    # 32_CACHE
    5: (4, 4, 26, 6, False, False, False, 0),    # 32_FIRMWARE
    6: (8, 4, 51, 12, True, False, True, 24),    # 64_OFFSET
    7: (8, 4, 51, 11, True, True, True, 16),     # ARM64E_KERNEL
    8: (8, 4, 51, 12, False, True, True, 0),     # 64_KERNEL_CACHE
    9: (8, 8, 51, 11, True, True, True, 16),     # ARM64E_USERLAND
    10: (8, 4, 51, 11, True, True, False, 16),   # ARM64E_FIRMWARE
    11: (8, 1, 51, 12, False, True, True, 0),    # X86_64_KERNEL_CACHE
    12: (8, 8, 51, 11, True, True, True, 24),    # ARM64E_USERLAND24
    13: (8, 8, 52, 11, False, True, True, 0),    # ARM64E_SHARED_CACHE
    14: (8, 4, 51, 12, False, True, True, 0),    # ARM64E_SEGMENTED
}


def parse_listing(text):
    fx = {}
    for table, f in opcode_rows(text):
        addr = int(f[2], 16)
        if table == "rebase":
            fx.setdefault(addr, ("rebase", None, None))
        elif table in ("bind", "lazy"):
            fx[addr] = ("bind", f[-1], f[-2])
        else:
            fx[addr] = ("bind", f[-1], "weak")
    return fx


def encode(fmt, kind, auth, target, ordinal):
    """The chain entry's value without its `next` field."""
    if fmt in (1, 7, 9, 10, 12):
        if kind == "bind":
            ob = 24 if fmt == 12 else 16
            v = ordinal | (1 << 62)
            if auth:
                v |= 1 << 63  # diversity 0, key IA
            return v | (0 if ob == 24 else 0)
        if auth:
            return (target & 0xffffffff) | (1 << 63)
        return target & ((1 << 43) - 1)
    if fmt in (2, 6):
        return (ordinal | (1 << 63)) if kind == "bind" else (target & ((1 << 36) - 1))
    if fmt == 3:
        return (ordinal | (1 << 31)) if kind == "bind" else (target & ((1 << 26) - 1))
    if fmt == 4:
        return target & ((1 << 30) - 1)
    if fmt == 5:
        return target & ((1 << 26) - 1)
    if fmt in (8, 11):
        return (target & ((1 << 30) - 1)) | ((1 << 63) if auth else 0)
    if fmt == 13:
        return (target & ((1 << 34) - 1)) | ((1 << 63) if auth else 0)
    if fmt == 14:  # target is (segment index << 28 | offset in segment)
        return (target & ((1 << 32) - 1)) | ((1 << 63) if auth else 0)
    raise SystemExit("format %d not supported" % fmt)


def uleb(v):
    b = bytearray()
    while True:
        c = v & 0x7f
        v >>= 7
        b.append(c | (0x80 if v else 0))
        if not v:
            return bytes(b)


def grow_linkedit(data, linkedit, psize, blob):
    while len(data) % 8:
        data += b"\0"
    off = len(data)
    data += blob
    linkedit["fs"] = len(data) - linkedit["fo"]
    linkedit["vs"] = (linkedit["fs"] + psize - 1) // psize * psize
    c = linkedit["cmd"]
    struct.pack_into("<2Q", data, c + 32, linkedit["vs"], linkedit["fo"])
    struct.pack_into("<Q", data, c + 48, linkedit["fs"])
    return off


def write_threaded(data, out, segs, starts, imports, info_at, linkedit, psize, expect):
    """dyld info with an empty rebase stream and a bind stream of
    BIND_OPCODE_THREADED: the ordinal table, then one
    SET_SEGMENT_AND_OFFSET_ULEB + THREADED_APPLY per chain start."""
    ops = bytearray([0xd0]) + uleb(len(imports))
    for sym, dylib in imports:
        ops += b"\x40" + sym.encode() + b"\0"
        ops += bytes([{"flat-namespace": 0x3e, "weak": 0x3d}.get(dylib, 0x11)])
        ops += b"\x90"
    for si, (s, ps_, ov) in sorted(starts.items()):
        for p, st in enumerate(ps_):
            if st != 0xffff:
                ops += bytes([0x70 | si]) + uleb(p * psize + st) + b"\xd1"
    ops += b"\0"
    off = grow_linkedit(data, linkedit, psize, bytes(ops))
    # rebase_size = 0; bind = ops; weak and lazy streams dropped
    struct.pack_into("<8I", data, info_at + 8, 0, 0, off, len(ops), 0, 0, 0, 0)
    struct.pack_into("<I", data, 8, 0x80000002)  # arm64e
    open(out, "wb").write(data)
    for e in expect:
        e[3] = False
    json.dump({"format": "threaded", "page_size": psize, "fixups": expect},
              open(out + ".expect.json", "w"))


def write_classic(data, out, segs, fx, info_at, linkedit, psize, is64, cpu):
    """No dyld info: rebases become local relocations (r_extern 0), binds
    external ones (r_extern 1), as in images linked before dyld info. The
    r_address base is dyld's getRelocBase(): the first writable segment for
    x86_64, the first segment otherwise."""
    if (cpu & 0xffffff) == 7 and is64:
        base = [s for s in segs if s["name"] not in ("__PAGEZERO", "__TEXT")][0]["va"]
    else:
        base = segs[0]["va"]
    length = 3 if is64 else 2
    loc, ext, expect = b"", b"", []
    for a in sorted(fx):
        k = fx[a][0]
        info = (1 << 0) | (length << 25) | ((1 << 27) if k == "bind" else 0)
        e = struct.pack("<iI", a - base, info)
        if k == "bind":
            ext += e
        else:
            loc += e
        expect.append([a, k, False, False])
    off = grow_linkedit(data, linkedit, psize, loc + ext) if is64 else None
    if off is None:
        raise SystemExit("classic: 64-bit inputs only")
    # LC_DYLD_INFO_ONLY -> a 48-byte LC_RPATH filler
    data[info_at:info_at + 48] = struct.pack("<3I", 0x8000001c, 48, 12) + \
        b"@loader_path/x".ljust(36, b"\0")
    # LC_DYSYMTAB: extreloff/nextrel, locreloff/nlocrel. The symbol pointer
    # sections (__got, __la_symbol_ptr: S_NON_LAZY/S_LAZY_SYMBOL_POINTERS)
    # become S_REGULAR: here their binds are the relocations, whereas a
    # real classic image binds them through the indirect symbol table
    # (test_macho_npm.sh measures one).
    magic, _, _, _, ncmds, _ = struct.unpack_from("<6I", data, 0)
    o = 32
    for _ in range(ncmds):
        c, sz = struct.unpack_from("<2I", data, o)
        if c == 0xb:
            struct.pack_into("<4I", data, o + 64, off + len(loc), len(ext) // 8,
                             off, len(loc) // 8)
        if c == 0x19:
            for k in range(struct.unpack_from("<I", data, o + 64)[0]):
                fo = o + 72 + 80 * k + 64
                flags = struct.unpack_from("<I", data, fo)[0]
                if flags & 0xff in (6, 7):
                    struct.pack_into("<I", data, fo, flags & ~0xff)
        o += sz
    open(out, "wb").write(data)
    json.dump({"format": "classic", "page_size": psize, "base": base, "fixups": expect},
              open(out + ".expect.json", "w"))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    auth_on = "--auth" in sys.argv
    split = 1 << 30  # --split=N: at most N links per chain (multi-start pages)
    for a in sys.argv:
        if a.startswith("--split="):
            split = int(a[8:])
    src, listing, out = args[0], args[1], args[2]
    threaded = args[3] == "threaded"  # BIND_OPCODE_THREADED, arm64e layout
    classic = args[3] == "classic"    # LC_DYSYMTAB relocation entries
    fmt = 2 if classic else 1 if threaded else int(args[3])
    width, stride, nshift, nbits, binds_ok, auth_ok, offset_targets, _ = FORMATS[fmt]
    data = bytearray(open(src, "rb").read())
    magic, cpu, sub, ftype, ncmds, sizeofcmds = struct.unpack_from("<6I", data, 0)
    is64 = magic == 0xfeedfacf
    off = 32 if is64 else 28
    segs, info_at, linkedit = [], None, None
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<2I", data, off)
        if cmd in (0x1, 0x19):
            name = data[off + 8:off + 24].rstrip(b"\0").decode()
            if cmd == 0x19:
                va, vs, fo, fs = struct.unpack_from("<4Q", data, off + 24)
            else:
                va, vs, fo, fs = struct.unpack_from("<4I", data, off + 24)
            segs.append({"name": name, "va": va, "vs": vs, "fo": fo, "fs": fs, "cmd": off})
            if name == "__LINKEDIT":
                linkedit = segs[-1]
        if cmd == 0x80000022:
            info_at = off
        off += size
    base = [s for s in segs if s["fo"] == 0 and s["fs"]][0]["va"]
    fx = parse_listing(open(listing).read())
    if not binds_ok:
        fx = {a: v for a, v in fx.items() if v[0] == "rebase"}
    arm = (cpu & 0xffffff) == 12
    psize = 0x4000 if arm else 0x1000

    # imports
    imports, ords = [], {}
    for a in sorted(fx):
        k, sym, dylib = fx[a]
        if k == "bind" and (sym, dylib) not in ords:
            ords[(sym, dylib)] = len(imports)
            imports.append((sym, dylib))

    expect = []
    multi = 0
    starts = {}
    auth_flip = 0
    for si, s in enumerate(segs):
        locs = sorted(a for a in fx if s["va"] <= a < s["va"] + s["vs"])
        if not locs:
            continue
        pages = {}
        for a in locs:
            pages.setdefault((a - s["va"]) // psize, []).append(a)
        npages = (s["vs"] + psize - 1) // psize
        page_start, overflow = [0xffff] * npages, []
        for p, al in sorted(pages.items()):
            chains, cur = [], [al[0]]
            for a in al[1:]:
                d = a - cur[-1]
                if d % stride == 0 and d // stride < (1 << nbits) and len(cur) < split:
                    cur.append(a)
                else:
                    chains.append(cur)
                    cur = [a]
            chains.append(cur)
            first = [c[0] - s["va"] - p * psize for c in chains]
            if len(chains) == 1:
                page_start[p] = first[0]
            else:
                if width == 8:
                    raise SystemExit("multi-start page in a 64-bit format")
                page_start[p] = 0x8000 | (npages + len(overflow))
                multi += 1
                overflow += first[:-1] + [first[-1] | 0x8000]
            for c in chains:
                for i, a in enumerate(c):
                    k, sym, dylib = fx[a]
                    foff = s["fo"] + a - s["va"]
                    if width == 8:
                        orig = struct.unpack_from("<Q", data, foff)[0]
                    else:
                        orig = struct.unpack_from("<I", data, foff)[0]
                    auth = False
                    if auth_on and auth_ok:
                        auth_flip ^= 1
                        auth = bool(auth_flip)
                    target = orig - base if (offset_targets or auth) else orig
                    if fmt == 14:
                        ti = [j for j, t in enumerate(segs) if t["va"] <= orig < t["va"] + t["vs"]]
                        target = (ti[0] << 28 | (orig - segs[ti[0]]["va"])) if ti else 0
                    v = encode(fmt, k, auth, target, ords.get((sym, dylib), 0))
                    if i + 1 < len(c):
                        v |= ((c[i + 1] - a) // stride) << nshift
                    struct.pack_into("<Q" if width == 8 else "<I", data, foff, v)
                    expect.append([a, k, auth, dylib == "weak"])
        starts[si] = (s, page_start, overflow)

    if classic:
        return write_classic(data, out, segs, fx, info_at, linkedit, psize, is64, cpu)
    if threaded:
        return write_threaded(data, out, segs, starts, imports, info_at, linkedit, psize,
                              expect)

    # the blob
    nsegs = len(segs)
    hdr_size = 28
    sii = hdr_size
    sii_size = 4 + 4 * nsegs
    cur = (sii + sii_size + 7) & ~7
    seg_blobs = {}
    for si, (s, ps_, ov) in sorted(starts.items()):
        entries = ps_ + ov
        size = 22 + 2 * len(entries)
        b = struct.pack("<IHHQIH", size, psize, fmt, s["va"] - base,
                        0x2000000 if width == 4 else 0, len(ps_))
        b += struct.pack("<%dH" % len(entries), *entries)
        seg_blobs[si] = (cur - sii, b)
        cur = (cur + len(b) + 7) & ~7
    imports_off = cur
    names = b"\0"
    imp = b""
    for sym, dylib in imports:
        lib = {"flat-namespace": 0xfe, "weak": 0xfd, "this-image": 0}.get(dylib, 1)
        imp += struct.pack("<I", lib | (len(names) << 9))
        names += sym.encode() + b"\0"
    symbols_off = imports_off + len(imp)
    blob = bytearray(struct.pack("<7I", 0, sii, imports_off, symbols_off, len(imports), 1, 0))
    blob += struct.pack("<I", nsegs)
    for si in range(nsegs):
        blob += struct.pack("<I", seg_blobs[si][0] if si in seg_blobs else 0)
    for si, (rel, b) in sorted(seg_blobs.items()):
        blob += b"\0" * (sii + rel - len(blob)) + b
    blob += b"\0" * (imports_off - len(blob)) + imp + names
    blob += b"\0" * (-len(blob) % 8)

    # append to __LINKEDIT, swap the load command
    while len(data) % 8:
        data += b"\0"
    dataoff = len(data)
    data += blob
    linkedit["fs"] = len(data) - linkedit["fo"]
    linkedit["vs"] = (linkedit["fs"] + psize - 1) // psize * psize
    c = linkedit["cmd"]
    if is64:
        struct.pack_into("<2Q", data, c + 32, linkedit["vs"], linkedit["fo"])
        struct.pack_into("<Q", data, c + 48, linkedit["fs"])
    else:
        struct.pack_into("<I", data, c + 28, linkedit["vs"])
        struct.pack_into("<I", data, c + 36, linkedit["fs"])
    struct.pack_into("<4I", data, info_at, 0x80000034, 16, dataoff, len(blob))
    rpath = struct.pack("<3I", 0x8000001c, 32, 12) + b"@loader_path/x".ljust(20, b"\0")
    data[info_at + 16:info_at + 48] = rpath
    struct.pack_into("<I", data, 16, ncmds + 1)
    if "--arm64e" in sys.argv:
        struct.pack_into("<I", data, 8, 0x80000002)
    open(out, "wb").write(data)
    json.dump({"format": fmt, "page_size": psize, "multi_start_pages": multi,
               "fixups": expect}, open(out + ".expect.json", "w"))


if __name__ == "__main__":
    main()
