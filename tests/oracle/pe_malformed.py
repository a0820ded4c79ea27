#!/usr/bin/env python3
"""pe_malformed.py - hostile PE input for relgate's PE parser.

    pe_malformed.py RELGATE WORKDIR FIXTURE.exe [FIXTURE2 ...]

For each fixture (a valid PE32/PE32+ image linked at test time), makes:
  - truncations at many offsets (every header field, the section table, the
    data directories' targets, and a stride through the file): each must
    exit 2 with exactly one line "relgate: FILE: ..." on stderr, because every
    truncation cuts something the headers reference;
  - targeted corruptions, each with the message it must produce: SizeOfBlock
    below 8 or past the directory, a HIGHADJ entry without its parameter, a
    base relocation directory outside the file data, a section table past
    the end of the file, a bad optional header magic, an import lookup table
    that runs off the end of its section, import descriptors that all share
    one lookup table (more entries than the file can hold), an unterminated
    delay-load name table;
  - seeded random byte corruptions of the headers and tables: exit 0 or 2
    (with one clear line), never a crash or a sanitizer report (98/99).
The offsets of every structure are read here with struct, from the PE
specification's layouts, independently of relgate.
"""
import concurrent.futures
import os
import random
import re
import struct
import subprocess
import sys

RELGATE, WORK = sys.argv[1], sys.argv[2]
FIXTURES = sys.argv[3:]
failures = 0


def tap(ok, name, why=""):
    global failures
    if ok:
        print("ok - %s" % name)
    else:
        failures += 1
        print("not ok - %s: %s" % (name, why))


def layout(data):
    """Offsets of the PE structures (Microsoft PE format)."""
    L = {}
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    L["pe"] = pe
    L["nsecs_off"] = pe + 6
    nsecs, = struct.unpack_from("<H", data, pe + 6)
    optsize, = struct.unpack_from("<H", data, pe + 20)
    opt = pe + 24
    L["opt"] = opt
    magic, = struct.unpack_from("<H", data, opt)
    pe64 = magic == 0x20B
    L["ptr"] = 8 if pe64 else 4
    L["base"] = struct.unpack_from("<Q" if pe64 else "<I", data, opt + (24 if pe64 else 28))[0]
    dd = opt + (112 if pe64 else 96)
    L["dd"] = dd
    L["dirs"] = [struct.unpack_from("<II", data, dd + 8 * i) for i in range(16)]
    st = opt + optsize
    L["sectab"] = st
    secs = []
    for i in range(nsecs):
        name, vsize, va, raw, rawptr = struct.unpack_from("<8sIIII", data, st + 40 * i)
        chars, = struct.unpack_from("<I", data, st + 40 * i + 36)
        secs.append(dict(hdr=st + 40 * i, name=name.rstrip(b"\0"), vsize=vsize, va=va,
                         raw=raw, rawptr=rawptr, chars=chars))
    L["secs"] = secs
    symptr, nsyms = struct.unpack_from("<II", data, pe + 12)
    L["symend"] = 0
    if symptr:
        L["symend"] = symptr + 18 * nsyms
        if L["symend"] + 4 <= len(data):
            L["symend"] += max(4, struct.unpack_from("<I", data, L["symend"])[0])
    return L


def rva_off(L, rva):
    for s in L["secs"]:
        if s["va"] <= rva < s["va"] + max(s["vsize"], s["raw"]) and rva - s["va"] < s["raw"]:
            return s["rawptr"] + rva - s["va"]
    return None


def sec_of(L, rva):
    for s in L["secs"]:
        if s["va"] <= rva < s["va"] + s["vsize"]:
            return s
    return None


def run(path):
    p = subprocess.run([RELGATE, "measure", "--format", "json", path],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return p.returncode, p.stderr.decode("utf-8", "replace")


def one_line(err, path):
    lines = err.splitlines()
    return len(lines) == 1 and lines[0].startswith("relgate: %s: " % path)


JOBS = []  # (kind, name, path, pattern): run later, two at a time


def expect_error(name, path, pattern=None):
    JOBS.append(("error", name, path, pattern))


def finish():
    """Runs the queued cases on two workers; reports in queue order."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda j: run(j[2]), JOBS))
    random_bad = {}
    for (kind, name, path, pattern), (rc, err) in zip(JOBS, results):
        if kind == "error":
            good = rc == 2 and one_line(err, path) and (pattern is None or re.search(pattern, err))
            tap(good, name, "exit %d, stderr %r (wanted exit 2, one line%s)" %
                (rc, err[:300], ", matching /%s/" % pattern if pattern else ""))
        else:
            bad = random_bad.setdefault(name, [])
            if not (rc == 0 or (rc == 2 and one_line(err, path))):
                bad.append("%s: exit %d %r" % (path, rc, err[:200]))
    for name, bad in random_bad.items():
        tap(not bad, name, "; ".join(bad[:3]))


def write(name, data):
    path = os.path.join(WORK, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def truncations(tag, data, L):
    offs = {0, 1, 0x3C, 0x40, L["pe"], L["pe"] + 4, L["pe"] + 22, L["opt"] + 2, L["opt"] + 70,
            L["dd"] + 40, L["sectab"], L["sectab"] + 39, L["sectab"] + 40 * len(L["secs"]) - 1,
            len(data) - 1}
    for s in L["secs"]:
        if s["raw"]:
            offs.add(s["rawptr"] + s["raw"] // 2)
            offs.add(s["rawptr"] + s["raw"] - 1)
    for i in (1, 5, 13):
        rva, size = L["dirs"][i]
        o = rva_off(L, rva) if rva else None
        if o is not None:
            offs.update({o, o + 4, o + size // 2})
    step = max(1, len(data) // 12)
    offs.update(range(0, len(data), step))
    # Bytes past everything the headers reference (file alignment padding)
    # may be cut without harm; every cut before that end must be caught.
    end = max([s["rawptr"] + s["raw"] for s in L["secs"] if s["rawptr"]] + [L["symend"]])
    for o in sorted(x for x in offs if 0 <= x < end):
        path = write("%s.trunc%d" % (tag, o), data[:o])
        expect_error("%s truncated at %d" % (tag, o), path)


def corruptions(tag, data, L):
    ptr = L["ptr"]
    rrva, rsize = L["dirs"][5]
    roff = rva_off(L, rrva) if rrva else None
    if roff is not None:
        d = bytearray(data)
        struct.pack_into("<I", d, roff + 4, 4)
        expect_error("%s SizeOfBlock 4" % tag, write(tag + ".sob4", d), r"SizeOfBlock 4 is smaller")
        d = bytearray(data)
        struct.pack_into("<I", d, roff + 4, rsize + 8)
        expect_error("%s SizeOfBlock past the directory" % tag, write(tag + ".sobbig", d),
                     r"runs past the directory")
        d = bytearray(data)
        sob, = struct.unpack_from("<I", d, roff + 4)
        last = roff + sob - 2
        struct.pack_into("<H", d, last, 0x4000 | 0x10)  # HIGHADJ in the last slot
        expect_error("%s HIGHADJ without parameter" % tag, write(tag + ".highadj", d), r"HIGHADJ")
        d = bytearray(data)
        struct.pack_into("<I", d, L["dd"] + 8 * 5, 0x7FFF0000)
        expect_error("%s base relocation directory outside the image" % tag, write(tag + ".relocrva", d),
                     r"base relocation directory")
        d = bytearray(data)
        struct.pack_into("<I", d, L["dd"] + 8 * 5 + 4, 0x10000000)
        expect_error("%s base relocation directory too large" % tag, write(tag + ".relocsize", d),
                     r"base relocation directory")
    past = (len(data) - L["sectab"]) // 40 + 1
    if past <= 1024:
        d = bytearray(data)
        struct.pack_into("<H", d, L["nsecs_off"], past)
        expect_error("%s section table past EOF" % tag, write(tag + ".nsecs", d), r"section table")
    d = bytearray(data)
    struct.pack_into("<H", d, L["nsecs_off"], 0xFFFF)
    expect_error("%s 65535 sections" % tag, write(tag + ".nsecs2", d), r"section count|section table")
    if len(L["secs"]) >= 2:
        # A newline in a section name must not split the one-line message.
        d = bytearray(data)
        d[L["secs"][0]["hdr"] + 1] = 0x0A
        struct.pack_into("<I", d, L["secs"][1]["hdr"] + 12, L["secs"][0]["va"])
        expect_error("%s overlapping sections, newline in a name" % tag, write(tag + ".overlap_nl", d),
                     r"sections .* overlap")
    d = bytearray(data)
    struct.pack_into("<H", d, L["opt"], 0x1234)
    expect_error("%s bad optional header magic" % tag, write(tag + ".magic", d), r"magic")
    d = bytearray(data)
    struct.pack_into("<H", d, L["pe"] + 20, 8)
    expect_error("%s optional header too small" % tag, write(tag + ".optsize", d), r"optional header")
    d = bytearray(data)
    struct.pack_into("<I", d, L["pe"] + 12, 0x7FFFFFF0)
    struct.pack_into("<I", d, L["pe"] + 16, 10)
    expect_error("%s symbol table past EOF" % tag, write(tag + ".symptr", d), r"symbol table")
    d = bytearray(data)
    struct.pack_into("<I", d, L["secs"][0]["hdr"] + 20, len(data) - 16)
    expect_error("%s section raw data past EOF" % tag, write(tag + ".rawptr", d), r"raw data")

    irva, _ = L["dirs"][1]
    ioff = rva_off(L, irva) if irva else None
    text = next((s for s in L["secs"] if s["chars"] & 0x20000000 and s["raw"] >= s["vsize"] >= 64), None)
    if ioff is not None and text is not None:
        # The first descriptor's lookup table: the last 16 bytes of .text, all 0xff.
        d = bytearray(data)
        end = text["rawptr"] + text["vsize"]
        d[end - 16:end] = b"\xff" * 16
        struct.pack_into("<I", d, ioff, text["va"] + text["vsize"] - 16)
        expect_error("%s unterminated import lookup table" % tag, write(tag + ".ilt", d),
                     r"import lookup table .* not terminated")
        d = bytearray(data)
        struct.pack_into("<I", d, L["dd"] + 8, 0x7FFF0000)
        expect_error("%s import directory outside the image" % tag, write(tag + ".imprva", d),
                     r"import directory")
    # Descriptors that all share one lookup table: more entries than the
    # file can hold (the walk is bounded, not quadratic).
    data_sec = next((s for s in L["secs"] if s["chars"] & 0x80000000 and min(s["raw"], s["vsize"]) >= 4096), None)
    if irva and data_sec is not None:
        budget = len(data) // 4 + 16
        m = 256
        n = budget // m + 2
        if m * ptr + ptr + 20 * (n + 1) <= min(data_sec["raw"], data_sec["vsize"]):
            d = bytearray(data)
            base = data_sec["rawptr"]
            for i in range(m):
                struct.pack_into("<Q" if ptr == 8 else "<I", d, base + i * ptr, 0x1000 + i)
            struct.pack_into("<Q" if ptr == 8 else "<I", d, base + m * ptr, 0)
            desc = base + (m + 1) * ptr
            for i in range(n):
                struct.pack_into("<IIIII", d, desc + 20 * i, data_sec["va"], 0, 0, data_sec["va"], data_sec["va"])
            struct.pack_into("<IIIII", d, desc + 20 * n, 0, 0, 0, 0, 0)
            struct.pack_into("<II", d, L["dd"] + 8, data_sec["va"] + (m + 1) * ptr, 20 * (n + 1))
            expect_error("%s import descriptors sharing one table" % tag, write(tag + ".overlap", d),
                         r"more entries than the file")
    drva, _ = L["dirs"][13]
    doff = rva_off(L, drva) if drva else None
    if doff is not None and text is not None:
        d = bytearray(data)
        end = text["rawptr"] + text["vsize"]
        d[end - 16:end] = b"\xff" * 16
        struct.pack_into("<I", d, doff + 16, text["va"] + text["vsize"] - 16)
        expect_error("%s unterminated delay-load name table" % tag, write(tag + ".delay", d),
                     r"delay-load import lookup table .* not terminated")


def random_corruptions(tag, data, L, count, seed):
    rnd = random.Random(seed)
    hot = list(range(0, min(len(data), L["sectab"] + 40 * len(L["secs"]))))
    for i in (1, 5, 13):
        rva, size = L["dirs"][i]
        o = rva_off(L, rva) if rva else None
        if o is not None:
            hot.extend(range(o, min(len(data), o + min(size, 512))))
    name = "%s %d random corruptions: exit 0 or 2 with one line" % (tag, count)
    for k in range(count):
        d = bytearray(data)
        for _ in range(rnd.randint(1, 8)):
            o = rnd.choice(hot)
            d[o] = rnd.choice((0, 0xFF, rnd.randrange(256), d[o] ^ (1 << rnd.randrange(8))))
        JOBS.append(("random", name, write("%s.rand%d" % (tag, k), d), None))


for fx in FIXTURES:
    with open(fx, "rb") as f:
        data = f.read()
    tag = os.path.basename(fx)
    L = layout(data)
    truncations(tag, data, L)
    corruptions(tag, data, L)
    random_corruptions(tag, data, L, int(os.environ.get("PE_RANDOM_CASES", "20")), tag)
finish()
sys.exit(1 if failures else 0)
