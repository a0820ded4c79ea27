"""pclntab_npm.py RELGATE ORACLE LISTING PKGS_PY TMP

The checks of test_pclntab_npm.sh (see there for the corpus). LISTING has
one "PACKAGE BINARY MEASURE_JSON" line per downloaded esbuild; MEASURE_JSON
is `relgate measure --format json --packages BINARY`. Prints TAP-like
ok / not ok lines.

Judges, per binary:
  - found by section (ELF, Mach-O): gosym_oracle (debug/elf, debug/macho)
    gives the section's offset and size; debug/gosym the function and file
    counts where Go 1.19 reads the layout (Go 1.2-1.19), else the header
    words decoded here by hand (nfunc, nfiles).
  - stripped PE (no section, no symbols): the table is located by the scan
    below; its size is, for Go <= 1.25, the end of .rdata (Go's linker puts
    runtime.pclntab..epclntab last in .rdata); for Go 1.26, which puts more
    after it, the end that module_data_end() below reads from
    runtime.firstmoduledata (written from Go's cmd/link symtab.go and
    pcln.go, not from relgate). That reading is itself checked against the
    section size of every binary that has one, in the same run.
  - derived sizes: a copy of every ELF binary with its section headers
    removed (e_shoff, e_shnum, e_shstrndx zeroed) and of every Mach-O with
    the __gopclntab section and the runtime.pclntab/epclntab symbols
    renamed must be measured by scan with the size of the original's
    section, read from the module data (derived_from moduledata), as
    must every stripped PE. The esbuild 0.6/0.7 copies and PE i386 are
    what test the Go 1.2-1.15 module-data layout (pclntable, ftab).
  - go_version: from the magic, and for 0xfffffff1 from the Go release
    that built the binary (runtime.buildVersion, the "go1.N.M" string in
    the file): go1.26+ from Go 1.26 on, else go1.20-1.25.
"""
import json
import os
import re
import struct
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pclntab_pkgs  # noqa: E402  (its check(): one TAP line)

relgate, oracle, listing, pkgs_py, tmp = sys.argv[1:6]
VERSIONS = {0xfffffffb: "go1.2-1.15", 0xfffffffa: "go1.16-1.17",
            0xfffffff0: "go1.18-1.19", 0xfffffff1: "go1.20+"}


def check(name, what, want, got):
    pclntab_pkgs.check("pclntab npm " + name, what, want, got)


def run_oracle(args):
    r = subprocess.run([oracle] + args, capture_output=True, text=True)
    if r.returncode != 0:
        return None, None
    o = {}
    for line in r.stdout.splitlines():
        k, _, v = line.partition(" ")
        if k != "func":
            o[k] = v
    return o, r.stdout


def measure(path):
    r = subprocess.run([relgate, "measure", "--format", "json", path], capture_output=True, text=True)
    if r.returncode != 0:
        return None
    return json.loads(r.stdout)["binaries"][0]


def magic_of(b):
    le, be = struct.unpack_from("<I", b)[0], struct.unpack_from(">I", b)[0]
    return (le, "<") if le in VERSIONS else (be, ">")


def go_minor(data):
    """Minor version of the Go release that built the binary (0: unknown)."""
    m = [int(x) for x in re.findall(rb"go1\.(\d+)\.\d+", data)]
    return max(m) if m else 0


def layout(magic, minor):
    if magic != 0xfffffff1:
        return VERSIONS.get(magic)
    return "go1.26+" if minor >= 26 else "go1.20-1.25"


def pe_sections(data):
    pe = struct.unpack_from("<I", data, 0x3c)[0]
    nsec, optsz = struct.unpack_from("<H", data, pe + 6)[0], struct.unpack_from("<H", data, pe + 20)[0]
    magic = struct.unpack_from("<H", data, pe + 24)[0]
    base = struct.unpack_from("<Q", data, pe + 48)[0] if magic == 0x20b else \
        struct.unpack_from("<I", data, pe + 52)[0]
    secs = []
    for i in range(nsec):
        name, vsize, va, rsize, roff = struct.unpack_from("<8sIIII", data, pe + 24 + optsz + 40 * i)
        secs.append((name.rstrip(b"\0"), vsize, va, rsize, roff))
    return base, secs


def pe_table(data):
    """Independent location of a stripped PE's table: first 4-aligned
    offset with a magic, zero pad, quantum 1/2/4, pointer size 4/8; and the
    end of .rdata."""
    _, secs = pe_sections(data)
    end = None
    for name, vsize, va, rsize, roff in secs:
        if name == b".rdata":
            end = roff + vsize
    for off in range(0, len(data) - 16, 4):
        if data[off + 1] != 0xff or data[off + 2] != 0xff:
            continue
        m, _ = magic_of(data[off:off + 4])
        if m in VERSIONS and data[off + 4] == 0 and data[off + 5] == 0 and \
                data[off + 6] in (1, 2, 4) and data[off + 7] in (4, 8):
            return off, end - off
    return None, None


def module_data_end(data, off, va):
    """Go 1.26 table at file offset off, address va: runtime.firstmoduledata
    is the pointer-aligned place whose first word is va and whose second
    is va + the header's funcnametab offset. Its words 19-21 are
    findfunctab, minpc and maxpc; findfunctab (4 bytes per 4096-byte bucket
    of [minpc, maxpc) plus one per 256-byte sub-bucket) ends the table."""
    magic, order = magic_of(data[off:off + 4])
    p = data[off + 7]
    f = order + ("Q" if p == 8 else "I")
    funcname = struct.unpack_from(f, data, off + 8 + 3 * p)[0]
    pat = struct.pack(f, va) + struct.pack(f, va + funcname)
    i = data.find(pat)
    while i >= 0 and i % p:
        i = data.find(pat, i + 1)
    if i < 0:
        return None
    ff, lo, hi = struct.unpack_from(order + 3 * f[1], data, i + 19 * p)
    r = hi - lo
    return ff - va + 4 * ((r + 4095) // 4096) + (r + 255) // 256


def elf_table_va(data, off):
    """Address of file offset off through the ELF program headers."""
    cls, order = data[4], "<" if data[5] == 1 else ">"
    if cls == 2:
        phoff, = struct.unpack_from(order + "Q", data, 0x20)
        phentsize, phnum = struct.unpack_from(order + "HH", data, 0x36)
        fmt = order + "IIQQQQ"
    else:
        phoff, = struct.unpack_from(order + "I", data, 0x1c)
        phentsize, phnum = struct.unpack_from(order + "HH", data, 0x2a)
        fmt = order + "IIIII"
    for k in range(phnum):
        e = struct.unpack_from(fmt, data, phoff + k * phentsize)
        if cls == 2:
            ptype, _, poff, pva, _, pfilesz = e
        else:
            ptype, poff, pva, _, pfilesz = e
        if ptype == 1 and poff <= off < poff + pfilesz:
            return pva + off - poff
    return None


def macho_table_va(data, off):
    """Address of file offset off through the LC_SEGMENT_64 commands."""
    ncmds, = struct.unpack_from("<I", data, 16)
    at = 32
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<II", data, at)
        if cmd == 0x19:
            vmaddr, vmsize, fileoff, filesize = struct.unpack_from("<QQQQ", data, at + 24)
            if fileoff <= off < fileoff + filesize:
                return vmaddr + off - fileoff
        at += size
    return None


def stripped_copy(data, path):
    """A copy without the section that names the table; None if not ELF or
    Mach-O."""
    d = bytearray(data)
    if d[:4] == b"\x7fELF":
        o = "<" if d[5] == 1 else ">"
        if d[4] == 2:
            struct.pack_into(o + "Q", d, 0x28, 0)
            struct.pack_into(o + "HHH", d, 0x3a, 0, 0, 0)
        else:
            struct.pack_into(o + "I", d, 0x20, 0)
            struct.pack_into(o + "HHH", d, 0x2e, 0, 0, 0)
    elif d[:4] in (b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe"):
        sizeofcmds, = struct.unpack_from("<I", d, 20)
        head = bytes(d[:32 + sizeofcmds])
        if b"__gopclntab\0" not in head:
            return None
        d[:32 + sizeofcmds] = head.replace(b"__gopclntab\0", b"__gopclnXXX\0")
        # and the symbols that would bound it (older esbuilds keep them).
        d = bytearray(bytes(d).replace(b"runtime.pclntab\0", b"runtime.pclnXXX\0")
                      .replace(b"runtime.epclntab\0", b"runtime.epclnXXX\0"))
    else:
        return None
    open(path, "wb").write(bytes(d))
    return path


for line in open(listing):
    pkg, path, mjson = line.split()
    b = json.load(open(mjson))["binaries"][0]
    m, info = b["metrics"], b.get("info", {})
    data = open(path, "rb").read()
    minor = go_minor(data)
    o, out = run_oracle(["-funcs", path])
    if o is None:  # stripped PE: no section, no symbols
        off, size = pe_table(data)
        if off is None:
            check(pkg, "table located by the test's scan", "found", "none")
            continue
        if minor >= 26:
            base, secs = pe_sections(data)
            va = next(base + s[2] + off - s[4] for s in secs if s[4] <= off < s[4] + s[3])
            size = module_data_end(data, off, va)
        o, out = run_oracle(["-funcs", "-at", str(off), "-size", str(size), path])
        found = "magic-scan"
    else:
        found = o["found"]
    off, size = int(o["offset"]), int(o["size"])
    magic, order = magic_of(data[off:off + 4])
    check(pkg, "offset", off, info.get("pclntab.offset"))
    check(pkg, "bytes", size, m.get("pclntab.bytes"))
    check(pkg, "found_by", found, info.get("pclntab.found_by"))
    check(pkg, "size_source", "derived" if found == "magic-scan" else "section",
          info.get("pclntab.size_source"))
    check(pkg, "go_version (go%s)" % ("1.%d" % minor if minor else "?"),
          layout(magic, minor), info.get("pclntab.go_version"))
    if o.get("funcs", "unknown") != "unknown":
        check(pkg, "funcs (debug/gosym)", o["funcs"], m.get("pclntab.funcs"))
        check(pkg, "files (debug/gosym)", o["files"], m.get("pclntab.files"))
        open(tmp + "/oracle.txt", "w").write(out)
        r = subprocess.run([sys.executable, pkgs_py, "pclntab npm " + pkg, tmp + "/oracle.txt", mjson],
                           capture_output=True, text=True)
        sys.stdout.write(r.stdout)
    else:
        # Hand decoding of a Go 1.20+ header: magic, pad, quantum, ptrsize,
        # then pointer-sized nfunc and nfiles words.
        p = data[off + 7]
        fmt = order + ("Q" if p == 8 else "I")
        nfunc = struct.unpack_from(fmt, data, off + 8)[0]
        nfiles = struct.unpack_from(fmt, data, off + 8 + p)[0]
        check(pkg, "funcs (header decoded by hand)", nfunc, m.get("pclntab.funcs"))
        check(pkg, "files (header decoded by hand)", nfiles, m.get("pclntab.files"))
        pk = b.get("pclntab_packages", [])
        check(pkg, "package funcs add up", nfunc, sum(x["funcs"] for x in pk))
        # Go 1.26 keeps the funcdata in the table: attributed, the packages
        # cover about as much of it as of older tables (80-100%, as
        # pclntab_pkgs.py asks where debug/gosym reads the table).
        share = sum(x["bytes"] for x in pk) / float(size)
        check(pkg, "package bytes are 80-100%% of the table (%.1f%%)" % (100 * share),
              True, 0.8 <= share <= 1.0)
    if found == "magic-scan":
        # A stripped PE's table is bounded by the module data (Go's linker
        # writes runtime.firstmoduledata into .data with link-time
        # addresses); esbuild 0.7's PE i386 has the Go 1.2-1.15 layout.
        check(pkg, "derived_from", "moduledata", info.get("pclntab.derived_from"))
        continue
    # The test's reading of the module data against the section it knows.
    if minor >= 26:
        va = elf_table_va(data, off) if data[:4] == b"\x7fELF" else macho_table_va(data, off)
        check(pkg, "module data reading of the test = section size", size,
              module_data_end(data, off, va) if va is not None else None)
    # Without the section: found by scan, the size derived, the same.
    cp = stripped_copy(data, tmp + "/stripped.bin")
    if cp is None and found.startswith("section"):
        # An ELF or Mach-O table found by its section: a copy can always
        # be made, so not making one is the test's own failure.
        check(pkg, "copy without the section made", "made", "none")
        continue
    if cp is None:
        # Only ELF and Mach-O copies are made here (a PE or a table found
        # by symbols alone has no section to take away): said, and counted.
        print("skip - pclntab npm %s: copy without the section: none made for a table "
              "found by %s" % (pkg, found))
        continue
    s = measure(cp)
    if s is None:
        check(pkg, "stripped copy measured", "exit 0", "failure")
        continue
    si = s.get("info", {})
    what = "section headers removed" if data[:4] == b"\x7fELF" else "section renamed"
    check(pkg, what + ": bytes derived = section size", size, s["metrics"].get("pclntab.bytes"))
    check(pkg, what + ": found_by, size_source, derived_from",
          "magic-scan derived moduledata", "%s %s %s" % (
              si.get("pclntab.found_by"), si.get("pclntab.size_source"),
              si.get("pclntab.derived_from")))
    if minor < 26 or data[:4] != b"\x7fELF":
        continue
    # A Go 1.26 table carried as data before the real one (its header and
    # function table copied to file offset 4096, inside the code): both
    # validate, and Go 1.26 has no textStart to tell them apart; the real
    # one (at the section's offset, with the section's size) must win.
    d = bytearray(open(cp, "rb").read())
    p = data[off + 7]
    ftab = struct.unpack_from(order + ("Q" if p == 8 else "I"), data, off + 8 + 7 * p)[0]
    n = ftab + 8 * 40
    d[4096:4096 + n] = data[off:off + n]
    open(cp, "wb").write(bytes(d))
    s = measure(cp)
    got = s and (s.get("info", {}).get("pclntab.offset"), s["metrics"].get("pclntab.bytes"),
                 [x for x in s.get("notes", []) if "2 candidate tables" in x] != [])
    check(pkg, "a table carried as data before the real one: offset, bytes, note",
          (str(off), size, True), got)
