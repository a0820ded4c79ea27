#!/bin/sh
# tests/fuzz/seed_pclntab.sh CORPUS_DIR - seeds the pclntab fuzzer with
# small synthetic tables of every layout (Go 1.2, 1.16, 1.18, 1.20, 1.26
# headers, the last with go:func.*, findfunctab and module data;
# little and big endian; 4- and 8-byte pointers), each with three functions
# (names, _func records, pcdata, pc-value tables) and two file names, laid
# out as docs/format-pclntab.md describes. (Real tables are hundreds of
# KiB: too slow to mutate; the oracle tests cover them.)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
corpus=$1
mkdir -p "$corpus"
command -v python3 >/dev/null 2>&1 || exit 0
python3 - "$corpus" <<'PY'
import struct, sys
out = sys.argv[1]
NAMES = [b"main.main", b"net/http.(*Server).Serve.func1", b"type..eq.main.T"]
FILES = [b"/src/main.go", b"/src/x.go"]
PCT = b"\x02\x04\x06\x08\x00"  # value +1 over 4 pcs, +3 over 8 pcs, end

def table(ver, be, p):
    E = ">" if be else "<"
    W = E + ("Q" if p == 8 else "I")
    u32 = lambda v: struct.pack(E + "I", v)
    word = lambda v: struct.pack(W, v)
    v126 = ver == 126  # Go 1.26: the 1.20 layout, textStart 0, module data
    ver = 120 if v126 else ver
    magic = {12: 0xfffffffb, 116: 0xfffffffa, 118: 0xfffffff0, 120: 0xfffffff1}[ver]
    head = u32(magic) + bytes([0, 0, 1, p])
    n = len(NAMES)
    if ver == 12:
        # header, functab (pc, funcoff words) + end pc, u32 filetab offset,
        # then per function: _func, name, pc tables; then the file table.
        fixed = p + 32
        body_off = 8 + p + (2 * n + 1) * p + 4
        body_off = (body_off + p - 1) // p * p
        funcs, offs, pos = b"", [], body_off
        for i, name in enumerate(NAMES):
            offs.append(pos)
            nameoff = pos + fixed + 4
            pct = nameoff + len(name) + 1
            rec = word(0x1000 + 0x40 * i) + u32(nameoff) + u32(0) + u32(0)
            rec += u32(pct) + u32(pct) + u32(pct) + u32(1) + bytes([0, 0, 0, 0])
            rec += u32(pct)  # pcdata[0]
            blob = rec + name + b"\0" + PCT
            funcs += blob
            pos += len(blob)
        filetab = pos
        # nfiletab = files + 1: the count word is slot 0.
        strs, soff = b"", filetab + 4 * (len(FILES) + 1)
        ft = u32(len(FILES) + 1)
        for f in FILES:
            ft += u32(soff + len(strs))
            strs += f + b"\0"
        ftab = b"".join(word(0x1000 + 0x40 * i) + word(offs[i]) for i in range(n))
        ftab += word(0x1000 + 0x40 * n)
        t = head + word(n) + ftab + u32(filetab)
        t += b"\0" * (body_off - len(t))
        return t + funcs + ft + strs
    names = b"".join(x + b"\0" for x in NAMES)
    nameoffs = [sum(len(x) + 1 for x in NAMES[:i]) for i in range(n)]
    cutab = u32(0) + u32(len(FILES[0]) + 1)
    files = b"".join(f + b"\0" for f in FILES)
    pctab = b"\0" + PCT
    nwords = 7 if ver == 116 else 8
    hsize = 8 + nwords * p
    o_name = hsize
    o_cu = o_name + len(names)
    o_file = o_cu + len(cutab)
    o_pc = o_file + len(files)
    o_fn = (o_pc + len(pctab) + p - 1) // p * p
    words = [n, len(FILES)]
    if ver >= 118:
        words.append(0 if v126 else 0x1000)
    words += [o_name, o_cu, o_file, o_pc, o_fn]
    t = head + b"".join(word(w) for w in words) + names + cutab + files + pctab
    t += b"\0" * (o_fn - len(t))
    field = (lambda v: u32(v)) if ver >= 118 else word
    fixed = {116: p + 36, 118: 40, 120: 44}[ver]
    ftsize = (2 * n + 1) * (4 if ver >= 118 else p)
    pos = (ftsize + p - 1) // p * p
    recs, foffs = b"", []
    for i in range(n):
        foffs.append(pos + len(recs))
        entry = u32(0x40 * i) if ver >= 118 else word(0x1000 + 0x40 * i)
        rec = entry + u32(nameoffs[i]) + u32(0) + u32(0) + u32(1) + u32(1) + u32(1)
        rec += u32(1) + u32(0)  # npcdata, cuOffset
        if ver == 120:
            rec += u32(7)  # startLine
        rec += bytes([0, 0, 0, 1]) + u32(1)  # funcID flag pad nfuncdata; pcdata[0]
        rec += u32(0) if ver >= 118 else (b"\0" * ((-len(rec)) % p) + word(0))
        rec += b"\0" * ((-len(rec)) % p)
        recs += rec
    ftab = b"".join(field(0x40 * i if ver >= 118 else 0x1000 + 0x40 * i) + field(foffs[i])
                    for i in range(n))
    ftab += field(0x40 * n if ver >= 118 else 0x1000 + 0x40 * n)
    ftab += b"\0" * (pos - len(ftab))
    t = t + ftab + recs
    if not v126:
        return t
    # go:func.* (one 16-byte object at offset 0, which every record's
    # funcdata[0] names), findfunctab for [0x1000, 0x10c0) (4 + 1 bytes),
    # then runtime.firstmoduledata for the table at 0x100000 (fuzz_pclntab.c
    # maps the input there as one writable segment).
    va, L = 0x100000, len(t)
    t += b"\0" * 21
    t += b"\0" * ((-len(t)) % p)
    md = [va, va + o_name, 0, 0, va + o_cu, 0, 0, va + o_file, 0, 0, va + o_pc, 0, 0,
          va + o_fn, L - o_fn, L - o_fn, va + o_fn, n + 1, n + 1, va + L + 16,
          0x1000, 0x10c0] + [0] * 8 + [va + L]
    return t + b"".join(word(w) for w in md)

for ver in (12, 116, 118, 120, 126):
    for be in (0, 1):
        for p in (4, 8):
            name = "%s/seed-v%d-%s-p%d" % (out, ver, "be" if be else "le", p)
            open(name, "wb").write(table(ver, be, p))
PY
exit 0
