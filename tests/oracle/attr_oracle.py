#!/usr/bin/env python3
"""attr_oracle.py - judges `relgate measure --by KEY --top 0` (fixup
attribution, docs/attribution.md) with independent tools.

usage: attr_oracle.py RELGATE NAME FILE [--keys symbol,section,package,target]
                      [--syms nm|dynsym|macho|go|coff] [--page-size N]
       attr_oracle.py --batch LIST RELGATE    (LIST: NAME<TAB>FILE<TAB>OPTIONS)

Prints one TAP-like line per binary and key (tests/lib.sh conventions).

Fixups (address, class, lazy, target) come from the tools the other
oracles read, never from relgate:
  ELF     llvm-readelf --dyn-relocations (RELA addends; for REL and RELR
          the pointer word is read from the file here, through the
          program headers of readelf -lW); symbolic targets are the
          dynamic symbol of r_info, with the library its version needs
          (readelf --dyn-syms -W version suffix joined with readelf -V);
  Mach-O  llvm-objdump --macho --rebase/--bind/--lazy-bind/--weak-bind
          (rebase targets: the pointer word read from the file) or
          --dyld-info (chained: its decoded "symbol/vm address" column);
  PE      llvm-readobj --coff-basereloc --coff-imports.
Symbols come from binutils nm -S (--format=sysv, to skip TLS), nm -D -S
(.dynsym only), llvm-nm -m (Mach-O) or `go tool nm -size` (Go COFF), and
are joined by address here: one symbol per address (a global before a
local, then the larger size, then the smaller name), ELF extents from the
size, others up to the next symbol or the end of the section, never past
the next symbol. Rows are then counted (relocs, relative, symbolic, lazy,
pages, sole pages, size) and compared with relgate's, row by row.
"""
import json
import os
import re
import struct
import subprocess
import sys

LLVM_BIN = os.environ.get("LLVM_BIN", "/usr/lib/llvm-19/bin")


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, errors="replace")
    return p.stdout


# ---- layout: sections and segments -------------------------------------------


def elf_layout(path):
    """(loads, sections): loads [(vaddr, memsz, off, filesz, name)],
    mapped sections [(name, addr, size)] from readelf -lW -SW."""
    text = run(["readelf", "-W", "-l", "-S", path])
    loads, secs, counts = [], [], {}
    for line in text.splitlines():
        m = re.match(r"^\s+LOAD\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x[0-9a-f]+\s+0x([0-9a-f]+)"
                     r"\s+0x([0-9a-f]+)\s+(.{3})", line)
        if m:
            f = m.group(5)
            perm = ("r" if "R" in f else "-") + ("w" if "W" in f else "-") + ("x" if "E" in f else "-")
            counts[perm] = counts.get(perm, 0) + 1
            nm = perm if counts[perm] == 1 else "%s#%d" % (perm, counts[perm])
            loads.append((int(m.group(2), 16), int(m.group(4), 16), int(m.group(1), 16),
                          int(m.group(3), 16), nm))
            continue
        m = re.match(r"^\s*\[\s*(\d+)\]\s+(\S+)\s+(\S+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)"
                     r"\s+[0-9a-f]+\s+([A-Za-z]*)\s+\d+\s+\d+\s+\d+", line)
        if m and m.group(1) != "0" and "A" in m.group(6) and not (
                m.group(3) == "NOBITS" and "T" in m.group(6)):
            secs.append((m.group(2), int(m.group(4), 16), int(m.group(5), 16)))
    return loads, secs


def macho_layout(path, arch):
    """(loads, sections) from llvm-objdump --macho --private-headers."""
    cmd = [LLVM_BIN + "/llvm-objdump", "--macho", "--private-headers"]
    if arch:
        cmd.append("--arch=" + arch)
    text = run(cmd + [path])
    loads, secs, cur, sec = [], [], None, None
    for line in text.splitlines():
        f = line.split()
        if not f:
            continue
        if f[0] == "cmd":
            cur = {} if f[1] in ("LC_SEGMENT", "LC_SEGMENT_64") else None
            if cur is not None:
                loads.append(cur)
            sec = None
        elif line.startswith("Section"):
            sec = {}
            secs.append(sec)
        elif sec is not None and len(f) > 1 and f[0] in ("sectname", "segname", "addr", "size"):
            sec[f[0]] = f[1]
        elif cur is not None and sec is None and len(f) > 1 and f[0] in (
                "segname", "vmaddr", "vmsize", "fileoff", "filesize", "initprot"):
            cur[f[0]] = f[1]
    segs = []
    for s in loads:
        if s["segname"] == "__PAGEZERO" or (s.get("initprot") == "---" and int(s["filesize"], 0) == 0):
            continue
        segs.append((int(s["vmaddr"], 0), int(s["vmsize"], 0), int(s["fileoff"], 0),
                     int(s["filesize"], 0), s["segname"]))
    return segs, [("%s,%s" % (s["segname"], s["sectname"]), int(s["addr"], 0), int(s["size"], 0))
                  for s in secs]


def pe_layout(readobj):
    """(loads, sections) from llvm-readobj --sections: every section is a
    segment (and the headers one more)."""
    base = int(re.search(r"ImageBase: (0x[0-9A-Fa-f]+)", readobj).group(1), 16)
    hdr = int(re.search(r"SizeOfHeaders: (\d+)", readobj).group(1))
    loads = [(base, hdr, 0, hdr, "(headers)")] if hdr else []
    secs = []
    for blk in re.findall(r"Section \{(.*?)\n  \}", readobj, re.S):
        name = re.search(r"Name: (\S+)", blk).group(1)
        va = int(re.search(r"VirtualAddress: (0x[0-9A-Fa-f]+)", blk).group(1), 16)
        vs = int(re.search(r"VirtualSize: (0x[0-9A-Fa-f]+)", blk).group(1), 16)
        raw = int(re.search(r"RawDataSize: (\d+)", blk).group(1))
        ptr = int(re.search(r"PointerToRawData: (0x[0-9A-Fa-f]+)", blk).group(1), 16)
        size = vs or raw
        loads.append((base + va, size, ptr, min(raw, size) if ptr else 0, name))
        secs.append((name, base + va, size))
    return loads, secs, base


def slice_offset(path, arch):
    """File offset of a universal file's slice (llvm-objdump
    --universal-headers), 0 for a thin file."""
    if not arch:
        return 0
    text = run([LLVM_BIN + "/llvm-objdump", "--macho", "--universal-headers", path])
    names = {"arm64": "CPU_TYPE_ARM64", "x86_64": "CPU_TYPE_X86_64", "arm64_32": "CPU_TYPE_ARM64_32",
             "i386": "CPU_TYPE_I386", "arm64e": "CPU_TYPE_ARM64", "armv7": "CPU_TYPE_ARM"}
    cur = None
    for line in text.splitlines():
        f = line.split()
        if len(f) >= 2 and f[0] == "cputype":
            cur = f[1]
        elif len(f) >= 2 and f[0] == "offset" and cur == names.get(arch):
            return int(f[1])
    return 0


def read_word(path, loads, addr, width, big, base=0):
    for va, memsz, off, filesz, _ in loads:
        if va <= addr and addr + width <= va + filesz:
            with open(path, "rb") as f:
                f.seek(base + off + addr - va)
                b = f.read(width)
            return struct.unpack((">" if big else "<") + ("Q" if width == 8 else "I"), b)[0]
    return None


# ---- fixups ----------------------------------------------------------------------


def elf_fixups(path, loads, want_targets):
    hdr = run(["readelf", "-hW", path])
    is64 = "ELF64" in hdr
    big = "big endian" in hdr
    width = 8 if is64 else 4
    dynsyms = {}
    verfile = {}
    if want_targets:
        text = run(["readelf", "-W", "-V", path])
        cur = None
        for line in text.splitlines():
            m = re.search(r"File: (\S+)", line)
            if m:
                cur = m.group(1)
            m = re.search(r"Name: (\S+)\s+Flags: \S+\s+Version: (\d+)", line)
            if m and cur:
                verfile[int(m.group(2))] = cur
        for line in run(["readelf", "-W", "--dyn-syms", path]).splitlines():
            # (readelf prints a size past 99999 in hex: "0x3b252")
            m = re.match(r"^\s*(\d+):\s+[0-9a-f]+\s+(?:0x[0-9a-f]+|\d+)\s+\S+\s+\S+\s+\S+\s+\S+\s+(\S+)(?:\s+\((\d+)\))?", line)
            if m:
                name = m.group(2).split("@")[0]
                ver = int(m.group(3)) if m.group(3) else None
                dynsyms[int(m.group(1))] = (name, verfile.get(ver))
    out = []
    text = run([LLVM_BIN + "/llvm-readelf", "--dyn-relocations", path])
    table = None
    for line in text.splitlines():
        m = re.match(r"^'(\S+)' relocation section", line)
        if m:
            table = m.group(1)
            continue
        m = re.match(r"^([0-9a-f]{8,16})\s+([0-9a-f]{8,16})\s+(R_\S+)\s*(.*)$", line)
        if not m or not table:
            continue
        typ = m.group(3)
        if typ.endswith("_NONE"):
            continue
        addr, info = int(m.group(1), 16), int(m.group(2), 16)
        sym = info >> 32 if is64 else info >> 8
        rel = typ.endswith("_RELATIVE") and not typ.endswith("_IRELATIVE")
        kind = "relative" if rel else "symbolic"
        rest = m.group(4).split()
        target = None
        if want_targets:
            if rel or sym == 0:
                # RELA rows (RELA and a RELA PLT) print the addend; REL
                # and RELR rows print none: the word in place holds it.
                if rest and re.match(r"^[0-9a-f]+$", rest[-1]):
                    target = ("addr", int(rest[-1], 16))
                else:
                    w = read_word(path, loads, addr, width, big)
                    target = ("addr", w) if w is not None else None
            else:
                name, lib = dynsyms.get(sym, (None, None))
                target = ("import", lib, name) if name is not None else None
        out.append((addr, kind, table == "PLT", target))
    return out


def macho_fixups(path, arch, loads, want_targets):
    cmd = [LLVM_BIN + "/llvm-objdump", "--macho"]
    if arch:
        cmd.append("--arch=" + arch)
    hdr = run(cmd + ["--private-headers", path])
    out = []
    big = False
    width = 4 if "LC_SEGMENT_64" not in hdr else 8
    if "LC_DYLD_CHAINED_FIXUPS" in hdr:
        for line in run(cmd + ["--dyld-info", path]).splitlines():
            f = line.split()
            if len(f) >= 5 and f[2].startswith("0x") and f[3].startswith("0x"):
                addr = int(f[2], 16)
                if "bind" in f[4]:
                    out.append((addr, "symbolic", False, ("import", f[6], f[7]) if len(f) > 7 else None))
                else:
                    out.append((addr, "relative", False, ("addr", int(f[-1], 16))))
        return out
    base = slice_offset(path, arch)
    if "LC_DYLD_INFO" not in hdr:
        # no dyld info: the symbol pointers of the indirect symbol table
        # (macho_oracle.indirect_pointers reads llvm-objdump --indirect-symbols)
        import macho_oracle
        types = {}
        for sec in re.findall(r"Section\n(.*?)(?=\nSection\n|\nLoad command|\Z)", hdr, re.S):
            kv = dict(l.split(None, 1) for l in sec.splitlines() if len(l.split(None, 1)) == 2)
            if "sectname" in kv and "segname" in kv:
                types[(kv["segname"].strip(), kv["sectname"].strip())] = kv.get("type", "").strip()
        text = run(cmd + ["--indirect-symbols", path])
        names = {}
        for line in text.splitlines():
            f = line.split()
            if len(f) >= 3 and re.match(r"^0x[0-9A-Fa-f]+$", f[0]):
                names[int(f[0], 16)] = f[2]
        for addr, cls, _ in macho_oracle.indirect_pointers(text, types):
            if cls == "rebase":
                w = read_word(path, loads, addr, width, big) if want_targets else None
                out.append((addr, "relative", False, ("addr", w) if w is not None else None))
            else:  # the library is not in this listing: any one will do
                out.append((addr, "symbolic", cls == "lazy", ("import", "?", names.get(addr))))
        return out
    heads = {"Rebase table:": "rebase", "Bind table:": "bind",
             "Lazy bind table:": "lazy", "Weak bind table:": "weak"}
    table = None
    for line in run(cmd + ["--rebase", "--bind", "--lazy-bind", "--weak-bind", path]).splitlines():
        s = line.strip()
        if s in heads:
            table = heads[s]
            continue
        f = s.split()
        if f and f[-1] == "(weak_import)":
            f = f[:-1]
        if not table or len(f) < 3 or not re.match(r"^0x[0-9A-Fa-f]+$", f[2]):
            continue
        addr = int(f[2], 16)
        if table == "rebase":
            t = None
            if want_targets:
                w = read_word(path, loads, addr, width, big, base)
                t = ("addr", w) if w is not None else None
            out.append((addr, "relative", False, t))
        else:
            # bind: ... type addend dylib symbol; lazy: ... index dylib
            # symbol; weak: ... type addend symbol (no library column)
            lib = None if table == "weak" else f[-2]
            out.append((addr, "symbolic", table == "lazy", ("import", lib, f[-1])))
    return out


def pe_fixups(path, readobj, loads, base, is64, want_targets):
    out = []
    width = 8 if is64 else 4
    for t, a in re.findall(r"Entry \{\s*Type: (\w+)\s*Address: (0x[0-9A-Fa-f]+)", readobj):
        if t == "ABSOLUTE":
            continue
        addr = base + int(a, 16)
        tgt = None
        if want_targets and t in ("HIGHLOW", "DIR64"):
            w = read_word(path, loads, addr, width, False)
            tgt = ("addr", w) if w is not None else None
        out.append((addr, "relative", False, tgt))
    for kind, blk in re.findall(r"\n(Import|DelayImport) \{(.*?)\n\}", readobj, re.S):
        dll = re.search(r"Name: (\S+)", blk).group(1)
        key = "ImportAddressTableRVA" if kind == "Import" else "ImportAddressTable"
        iat = int(re.search(key + r": (0x[0-9A-Fa-f]+)", blk).group(1), 16)
        if kind == "DelayImport" and iat >= base:
            iat -= base
        for i, (name, num) in enumerate(re.findall(r"Symbol: (\S*) \((\d+)\)", blk)):
            # an import by ordinal has no name: llvm-readobj prints the ordinal
            out.append((base + iat + i * width, "symbolic", kind == "DelayImport",
                        ("import", dll, name or "#" + num)))
    return out


# ---- symbols ------------------------------------------------------------------------


def elf_symbols(path, dynsym_only):
    """[(addr, size, global, name)]: sized, defined, non-TLS, non-absolute."""
    cmd = ["nm", "-S", "--defined-only", "--format=sysv", "--without-symbol-versions"]
    if dynsym_only:
        cmd.append("-D")
    out = []
    for line in run(cmd + [path]).splitlines():
        f = [x.strip() for x in line.split("|")]
        if len(f) < 7 or not f[1] or not f[4]:
            continue
        cls, typ, sec = f[2], f[3], f[6]
        if typ == "TLS" or cls in ("a", "A") or sec in ("*ABS*", "") or typ in ("SECTION", "FILE"):
            continue
        size = int(f[4], 16)
        if size == 0:
            continue
        out.append((int(f[1], 16), size, cls.isupper() or cls in ("w", "v", "u"), f[0]))
    return out


def macho_symbols(path, arch):
    cmd = [LLVM_BIN + "/llvm-nm", "-m", "--defined-only"]
    if arch:
        cmd.append("--arch=" + arch)
    out = []
    for line in run(cmd + [path]).splitlines():
        m = re.match(r"^([0-9a-f]+) \((\S+?)\) ((?:\[referenced dynamically\] )?(?:weak )?"
                     r"(?:private )?(?:non-external|external)(?: \(was a private external\))?"
                     r"(?: automatically hidden)?) (.*)$", line)
        if m and m.group(2) != "absolute" and not m.group(2).startswith("?"):
            attrs = m.group(3)
            glob = "external" in attrs and "non-external" not in attrs
            out.append((int(m.group(1), 16), None, glob, m.group(4)))
    return out


def go_symbols(path):
    """go tool nm -size: addr size type name (T/D/B/R external-ish)."""
    out = []
    for line in run(["go", "tool", "nm", "-size", path]).splitlines():
        f = line.split(None, 3)
        if len(f) == 4 and f[2] in "TtDdBbRr" and len(f[2]) == 1:
            out.append((int(f[0], 16), None, f[2].isupper(), f[3]))
    return out


def coff_symbols(path):
    """llvm-nm on a PE image: addresses as loaded (ImageBase + RVA);
    upper case for external symbols, lower case for static ones."""
    out = []
    for line in run([LLVM_BIN + "/llvm-nm", "--defined-only", path]).splitlines():
        f = line.split(None, 2)
        if len(f) == 3 and len(f[1]) == 1 and f[1] in "TtDdBbRrI":
            out.append((int(f[0], 16), None, f[1].isupper(), f[2]))
    return out


def pe_pclntab_at(sibling):
    """-at OFFSET -size N of a stripped PE's pclntab, from the unstripped
    build of the same program (same sections): its runtime.pclntab and
    runtime.epclntab symbols (llvm-nm) mapped through llvm-readobj."""
    syms = {}
    for line in run([LLVM_BIN + "/llvm-nm", sibling]).splitlines():
        f = line.split()
        if len(f) == 3:
            syms[f[2]] = int(f[0], 16)
    ro = run([LLVM_BIN + "/llvm-readobj", "--file-headers", "--sections", sibling])
    _, secs, base = pe_layout(ro)
    a, e = syms["runtime.pclntab"], syms["runtime.epclntab"]
    for blk in re.findall(r"Section \{(.*?)\n  \}", ro, re.S):
        va = base + int(re.search(r"VirtualAddress: (0x[0-9A-Fa-f]+)", blk).group(1), 16)
        vs = int(re.search(r"VirtualSize: (0x[0-9A-Fa-f]+)", blk).group(1), 16)
        ptr = int(re.search(r"PointerToRawData: (0x[0-9A-Fa-f]+)", blk).group(1), 16)
        if va <= a < va + vs:
            return ["-at", str(ptr + a - va), "-size", str(e - a)]
    return []


def gosym_symbols(oracle, path, sibling=None):
    """The pclntab's functions as Go's debug/gosym reads them (stripped
    binaries): each at its entry pc, extending to the next."""
    out = []
    extra = pe_pclntab_at(sibling) if sibling else []
    for line in run([oracle, "-entries"] + extra + [path]).splitlines():
        if line.startswith("entry "):
            addr, name = line[6:].split("\t", 1)
            out.append((int(addr, 16), None, True, name))
    return out


def extents(syms, secs):
    """[(start, end, name, size)] disjoint, sorted, by the documented rules."""
    best = {}
    for addr, size, glob, name in syms:
        key = (0 if glob else 1, -(size or 0), name)
        if addr not in best or key < best[addr][0]:
            best[addr] = (key, size, name)
    addrs = sorted(best)
    out = []
    for i, a in enumerate(addrs):
        _, size, name = best[a]
        nxt = addrs[i + 1] if i + 1 < len(addrs) else 1 << 64
        if size is not None:
            end = a + size
        else:
            end = next((sa + sz for _, sa, sz in secs if sa <= a < sa + sz), a)
        end = min(end, nxt)
        if end > a:
            out.append((a, end, name, size is not None))
    return out


def find(ext, addr):
    lo, hi = 0, len(ext)
    while lo < hi:
        mid = (lo + hi) // 2
        if addr < ext[mid][0]:
            hi = mid
        else:
            lo = mid + 1
    if lo and addr < ext[lo - 1][1]:
        return ext[lo - 1]
    return None


# ---- Go's unnamed data (docs/attribution.md) ------------------------------------------


def go_unnamed(ext, fixups, loads, secs, strip_us):
    """Splits ext at the addresses fixups point to inside a Go package's
    symbol of unknown size (not at its start) in a section holding
    fixups, in bytes the file holds, and names each piece by what points to it (followed through
    other pieces to named symbols). Returns extents (start, end, name,
    package or None)."""
    def bare(nm):
        return nm[1:] if strip_us and nm.startswith("_") else nm
    fx_secs = set()
    for addr, _, _, _ in fixups:
        fx_secs.update((a, z) for _, a, z in secs if a <= addr < a + z)
    cuts = set()
    for _, _, _, t in fixups:
        if t is None or t[0] != "addr":
            continue
        s = find(ext, t[1])
        if s is not None and t[1] != s[0] and not s[3] and \
                any(a <= s[0] < a + z for a, z in fx_secs) and \
                any(va <= t[1] < va + fz for va, _, _, fz, _ in loads) and \
                not go_package(bare(s[2])).startswith("["):
            cuts.add(t[1])
    cuts = sorted(cuts)
    out = []  # [start, end, name, unnamed, the named symbol it was cut from]
    j = 0
    for a, e, nm, _ in ext:
        while j < len(cuts) and cuts[j] <= a:
            j += 1
        named = len(out)
        out.append([a, min(e, cuts[j]) if j < len(cuts) else e, nm, False, None])
        while j < len(cuts) and cuts[j] < e:
            nxt = cuts[j + 1] if j + 1 < len(cuts) and cuts[j + 1] < e else e
            out.append([cuts[j], nxt, None, True, named])
            j += 1
    ext2 = [(o[0], o[1], i) for i, o in enumerate(out)]
    refs = []  # (referrer index or None, anon index)
    for addr, _, _, t in fixups:
        if t is None or t[0] != "addr":
            continue
        ts = find(ext2, t[1])
        if ts is None or not out[ts[2]][3]:
            continue
        ls = find(ext2, addr)
        if ls is not None and ls[2] == ts[2]:
            continue
        refs.append((ls[2] if ls else None, ts[2]))
    root, pkg = {}, {}
    MIXED = object()
    changed = True
    while changed:
        changed = False
        for l, t in refs:
            if pkg.get(t) is MIXED:
                continue
            if l is None:
                r, p = -2, MIXED
            elif not out[l][3]:
                r, p = l, go_package(bare(out[l][2]))
            elif l in pkg:
                r, p = (root[l] if root[l] >= 0 else -2), pkg[l]
            else:
                continue
            if t not in pkg:
                root[t], pkg[t] = r, p
                changed = True
                continue
            if root[t] >= 0 and root[t] != r:
                root[t] = -2
                changed = True
            if p is MIXED or p != pkg[t]:
                pkg[t] = MIXED
                changed = True
    res = []
    for i, o in enumerate(out):
        if not o[3]:
            res.append((o[0], o[1], o[2], None))
        elif i in pkg and pkg[i] is not MIXED:
            who = out[root[i]][2] if root[i] >= 0 else pkg[i]
            res.append((o[0], o[1], "[data of %s]" % who, pkg[i]))
        else:
            res.append((o[0], o[1], "[unnamed data after %s]" % out[o[4]][2], "[unnamed data]"))
    return res


# ---- Go packages ----------------------------------------------------------------------

PCLN = {"runtime.pclntab", "runtime.epclntab", "runtime.pcheader", "runtime.funcnametab",
        "runtime.cutab", "runtime.filetab", "runtime.pctab", "runtime.functab",
        "runtime.findfunctab"}


def go_package(name):
    if name in PCLN:
        return "[go:pclntab]"
    if name.startswith("type:") or name.startswith("type."):
        return "[go:type]"
    if name.startswith("go:") or (name.startswith("go.") and
                                  not re.match(r"^[A-Za-z0-9.-]+/", name)):
        rest = re.split(r"[.*\"]", name[3:])[0]
        return "[go:%s]" % rest if 0 < len(rest) <= 32 else "[go:other]"
    base = re.sub(r"\[.*\]", "", name)
    slash = base.rfind("/")
    dot = base.find(".", slash + 1)
    if dot <= 0:
        return "[no package]"
    pkg = base[:dot]
    if not re.match(r"^[A-Za-z0-9_\-.~/%+]+$", pkg):
        return "[no package]"
    i = pkg.rfind("vendor/")
    if i == 0 or (i > 0 and pkg[i - 1] == "/"):
        pkg = pkg[i + 7:]
    return re.sub(r"%([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), pkg)


# ---- C++ and Rust packages ------------------------------------------------------------
# Judged on binutils c++filt's demangling of each name, read as text: the
# entity after a special-name prefix ("vtable for X"), its qualified name
# after any return type, cut before a parameter list or an operator; the
# package is the text before the first top-level "::" (template arguments
# and Rust v0's "[hash]" dropped), else [global]. Names no demangler
# reads: [C], or [unparsed] when they look mangled.

SPECIAL = ("vtable for ", "VTT for ", "typeinfo for ", "typeinfo name for ",
           "construction vtable for ")
PREFIXES = ("guard variable for ", "non-virtual thunk to ", "virtual thunk to ",
            "covariant return thunk to ", "TLS init function for ",
            "TLS wrapper function for ", "transaction clone for ",
            "non-transaction clone for ", "hidden alias for ")


def top_level(s):
    """Indexes of s's characters outside <> () [] {} (openers included);
    inside parentheses < and > are operators ("(12)>=(16)"), and the > of
    "->" closes nothing (Rust's "fn(i64) -> i64")."""
    stack, out = [], []
    for i, c in enumerate(s):
        if c in "([{" or (c == "<" and (not stack or stack[-1] == "<")):
            if not stack:
                out.append(i)
            stack.append(c)
        elif c in ")]}" or (c == ">" and stack and stack[-1] == "<" and s[i - 1:i] != "-"):
            if stack:
                stack.pop()
        elif not stack:
            out.append(i)
    return out


def rust_impl_crate(dem):
    """An item of an impl, "<Self as Trait>::f" or "<Self>::f": the crate
    of Self's path (past &, &mut, *const, *mut, dyn, a lifetime, [ and
    the ( of a tuple), else the trait's, else [Rust impl]."""
    p = dem[1:]
    while True:
        m = re.match(r"&|\*const |\*mut |mut |dyn |\[|\(|'\w+ ", p)
        if not m:
            break
        p = p[m.end():]
    m = re.match(r"(\w+)::", p)
    if m:
        return m.group(1)
    depth = 1
    for i in range(1, len(dem)):
        c = dem[i]
        if dem.startswith("->", i - 1):
            continue  # "fn(T) -> U": an arrow, not a bracket
        if c in "<([":
            depth += 1
        elif c in ">)]":
            depth -= 1
            if depth == 0:
                break
        elif depth == 1 and dem.startswith(" as ", i):
            m = re.match(r"(\w+)::", dem[i + 4:])
            if m:
                return m.group(1)
    return "[Rust impl]"


def demangled_package(name, dem):
    if not (name.startswith("_Z") or name.startswith("_R")):
        return "[C]"
    if dem == name:
        return "[unparsed]"
    rust = name.startswith("_R") or re.search(r"::h[0-9a-f]{16}$", dem)
    typ, again = False, True
    while again:
        again = False
        for p in SPECIAL + PREFIXES:
            if dem.startswith(p):
                dem, typ, again = dem[len(p):], p in SPECIAL, True
                if p == "construction vtable for ":  # "A-in-B": B's
                    dem = dem.split("-in-", 1)[1]
        m = re.match(r"^reference temporary #\d+ for ", dem)
        if m:
            dem, again = dem[m.end():], True
    if rust:
        dem = re.sub(r"(?<=\w)\[[0-9a-f]+\](?=::)", "", dem)  # v0's crate hashes
    if rust and dem.startswith("<"):
        return rust_impl_crate(dem)
    inner = [i for i in top_level(dem) if dem[i] == "("]  # "(A::*)": one level down
    mp = [i for i in inner if re.match(r"\([^()]*::\*\)", dem[i:])] + \
        [i for i in top_level(dem) if dem.startswith("::*", i)]
    if typ and mp:  # a pointer to member ("int (A::*)()", "int A::*"): A's
        j = dem.index("::*", mp[0])
        i, depth = j, 0
        while i > 0 and (depth or dem[i - 1] not in " ("):
            i -= 1
            depth += dem[i] == ">"
            depth -= dem[i] == "<"
        dem, typ = dem[i:j], False
    dem = dem.replace("(anonymous namespace)", "\x01")
    top = top_level(dem)
    cut = len(dem)
    for i in top:
        if (dem[i] == "(" and not dem[:i].rstrip().endswith("decltype")) or (
                dem.startswith("operator", i) and
                             (i == 0 or not re.match(r"\w", dem[i - 1])) and
                             not re.match(r"\w", dem[i + 8:i + 9])):
            cut = i
            break
    spaces = [i for i in top if i < cut and dem[i] == " "]
    if typ:  # a type: its name comes first ("llvm::Foo const*")
        q = dem[:spaces[0]] if spaces else dem[:cut]
    else:    # a function's name may follow its return type
        q = dem[spaces[-1] + 1:cut] if spaces else dem[:cut]
    colons = [i for i in top_level(q) if q.startswith("::", i)]
    if not colons:
        return "[global]"
    head = q[:colons[0]]
    pkg = "".join(head[i] for i in top_level(head) if head[i] not in "<([{")
    return pkg.replace("\x01", "(anonymous namespace)")


def demangle(tool, names):
    p = subprocess.run(tool, input="\n".join(names) + "\n", stdout=subprocess.PIPE,
                       universal_newlines=True, errors="replace")
    dem = p.stdout.split("\n")
    if p.returncode != 0 or len(dem) < len(names):
        sys.exit("attr_oracle: %s failed" % tool[0])
    return dict(zip(names, dem))


def native_packages(names):
    """{name: package} for every name: c++filt's demangling, or LLVM's
    llvm-cxxfilt's for the names binutils 2.40 does not read (C++20
    constrained template parameters, "Tn")."""
    names = sorted(set(names))
    # Mach-O's thread-local variables: "X$tlv$init" holds X's first value
    stem = {n: n[:-9] if n.endswith("$tlv$init") else n for n in names}
    stems = sorted(set(stem.values()))
    dem = demangle(["c++filt"], stems)
    left = [n for n in stems if dem[n] == n and n[:2] in ("_Z", "_R")]
    if left:
        dem.update(demangle([LLVM_BIN + "/llvm-cxxfilt"], left))
    return {n: demangled_package(stem[n], dem[stem[n]]) for n in names}

# ---- rows --------------------------------------------------------------------------------


def place(addr, loads, secs, bare=False):
    seg = next((n for va, sz, _, _, n in loads if va <= addr < va + sz), None)
    if seg is None:
        return "[outside]", False
    sec = next((n for n, a, z in secs if a <= addr < a + z), None)
    if sec is not None:
        return (sec if bare else "[section %s]" % sec), True
    return "[segment %s]" % seg, True


def rows_for(key, fixups, loads, secs, ext, ps, strip_us, macho, package=None):
    package = package or go_package
    groups = {}
    pages = {}
    sizes = {}

    def group_at(addr, by_symbol):
        """ADDR's symbol (by_symbol) or its symbol's package; its segment
        or section when no symbol holds it."""
        s = find(ext, addr)
        if s is None:
            return place(addr, loads, secs)[0]
        if by_symbol:
            if not isinstance(s[3], str):  # unnamed data: a group
                sizes.setdefault(s[2], s[1] - s[0])
            return s[2]
        if isinstance(s[3], str):
            return s[3]
        nm = s[2][1:] if strip_us and s[2].startswith("_") else s[2]
        return package(nm)

    for addr, kind, lazy, target in fixups:
        inside = any(va <= addr < va + sz for va, sz, _, _, _ in loads)
        if key == "section":
            g, _ = place(addr, loads, secs, bare=True)
            if g in [n for n, _, _ in secs]:
                sizes[g] = sum(z for n, _, z in secs if n == g)
        elif key in ("symbol", "package"):
            g = group_at(addr, key == "symbol")
        else:  # target, target-package
            if target is None:
                g = "[unknown target]"
            elif target[0] == "import":
                lib, name = target[1], target[2]
                g = (lib, name) if key == "target" else ("lib", lib)
            else:
                g = group_at(target[1], key == "target")
        r = groups.setdefault(g, [0, 0, 0, 0, 0, 0])
        r[0] += 1
        r[1] += kind == "relative"
        r[2] += kind == "symbolic"
        r[3] += bool(lazy)
        if inside:
            pages.setdefault(addr // ps, set()).add(g)
    for p, gs in pages.items():
        for g in gs:
            groups[g][4] += 1
        if len(gs) == 1:
            groups[next(iter(gs))][5] += 1
    return groups, sizes


def elf_package_rows(path, native, ps=4096):
    """{package: [relocs, relative, symbolic, lazy, pages, sole pages]} of
    an ELF file's fixups by .symtab symbol: Go's packages, or with native
    the C++/Rust packages of c++filt's demangling (for tests' budgets)."""
    loads, secs = elf_layout(path)
    fx = elf_fixups(path, loads, False)
    ext = extents(elf_symbols(path, False), secs)
    pk = native_packages([e[2] for e in ext]).__getitem__ if native else None
    return rows_for("package", fx, loads, secs, ext, ps, False, False, pk)[0]


def compare(name, key, groups, sizes, got_rows, total):
    bad = []
    got = {}
    for r in got_rows:
        got[r["name"]] = r
    # Imports: the oracle's (library, symbol) against relgate's lib:sym.
    exp = {}
    for g, v in groups.items():
        if isinstance(g, tuple) and g[0] == "lib":
            # objdump names "libSystem" for libSystem.B.dylib
            lib = g[1]
            special = lib is None or lib in ("flat-namespace", "weak", "this-image",
                                             "main-executable")
            if lib == "?":  # a listing without libraries: the one row of imports
                cand = [n for n in got if n == "[import]" or n.endswith(".dylib")]
            else:
                cand = [n for n in got if (special and n == "[import]") or
                        (not special and n.lower().startswith(lib.lower()))]
            g = cand[0] if len(cand) == 1 else "[library %s]" % lib
        elif isinstance(g, tuple):
            lib, sym = g
            if lib is None:  # a weak-bind row names no library
                cand = [n for n in got if n == sym]
            elif lib == "?":  # a listing without libraries
                cand = [n for n in got if n == sym or n.endswith(":" + sym)]
            elif lib in ("flat-namespace", "weak", "this-image", "main-executable"):
                cand = [n for n in got if n == sym]
            else:
                cand = [n for n in got if n.endswith(":" + sym) and
                        n.split(":")[0].lower().startswith(lib.lower())]
            g = cand[0] if len(cand) == 1 else "%s:%s" % (lib, sym)
            if g in exp:
                ev = exp[g]
                exp[g] = [a + b for a, b in zip(ev, v)]
                continue
        exp[g] = v
    if sum(r["relocs"] for r in got_rows) != total:
        bad.append("rows sum to %d, relocs.total is %d" % (sum(r["relocs"] for r in got_rows), total))
    for g, v in exp.items():
        r = got.get(g)
        want = {"relocs": v[0], "relative": v[1], "symbolic": v[2], "lazy": v[3]}
        if not isinstance(g, tuple) and g not in ("[unknown target]",):
            want["dirty_pages"] = v[4]
            want["sole_pages"] = v[5]
        if g in sizes:
            want["size"] = sizes[g]
        if r is None:
            bad.append("%s: missing (expected %s)" % (g, want))
            continue
        for k, w in want.items():
            if k in ("dirty_pages", "sole_pages") and key == "target":
                continue  # import rows merge by name here: pages are not comparable
            if r.get(k) != w:
                bad.append("%s.%s: expected %s, got %s" % (g, k, w, r.get(k)))
    for g in got:
        if g not in exp:
            bad.append("%s: unexpected row (%d relocs)" % (g, got[g]["relocs"]))
    n = len(exp)
    if bad:
        print("not ok - %s: --by %s: %d of %d rows differ: %s" % (name, key, len(bad), n,
                                                                    " | ".join(bad[:4])))
    else:
        print("ok - %s: --by %s: %d rows agree (%d fixups)" % (name, key, n, total))
    return not bad


def judge(relgate, name, path, opts):
    keys = ["symbol", "section"]
    if "--keys" in opts:
        keys = opts[opts.index("--keys") + 1].split(",")
    syms_src = opts[opts.index("--syms") + 1] if "--syms" in opts else "nm"
    arch = opts[opts.index("--arch") + 1] if "--arch" in opts else None
    head = open(path, "rb").read(4)
    fmt = "elf" if head == b"\x7fELF" else "pe" if head[:2] == b"MZ" else "macho"
    want_t = any(k.startswith("target") for k in keys)
    docs = {}
    go = False
    for k in keys:
        cmd = [relgate, "measure", "--format", "json", "--by", k, "--top", "0"]
        if arch:
            cmd += ["--arch", arch]
        p = subprocess.run(cmd + [path], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True)
        if p.returncode != 0:
            print("not ok - %s: --by %s: relgate exited %d: %s" % (name, k, p.returncode, p.stderr[:200]))
            return
        doc = json.loads(p.stdout)
        b = doc["binaries"][0] if not arch else [x for x in doc["binaries"] if x["arch"] == arch][0]
        docs[k] = b
        go = go or "pclntab.funcs" in b["metrics"]
    b = docs[keys[0]]
    # Go: the targets find the unnamed data (see go_unnamed).
    unnamed = go and syms_src in ("nm", "dynsym", "macho", "go", "coff")
    want_t = want_t or unnamed
    ps = int(opts[opts.index("--page-size") + 1]) if "--page-size" in opts else b["page_size"]
    strip_us = False
    if fmt == "elf":
        loads, secs = elf_layout(path)
        fx = elf_fixups(path, loads, want_t)
    elif fmt == "macho":
        loads, secs = macho_layout(path, arch)
        fx = macho_fixups(path, arch, loads, want_t)
        strip_us = True
    else:
        readobj = run([LLVM_BIN + "/llvm-readobj", "--file-headers", "--sections",
                       "--coff-basereloc", "--coff-imports", path])
        loads, secs, base = pe_layout(readobj)
        fx = pe_fixups(path, readobj, loads, base, re.search(r"Magic: 0x20B", readobj) is not None,
                       want_t)
    if syms_src == "nm":
        syms = elf_symbols(path, False)
    elif syms_src == "dynsym":
        syms = elf_symbols(path, True)
    elif syms_src == "macho":
        syms = macho_symbols(path, arch)
    elif syms_src == "go":
        syms = go_symbols(path)
    elif syms_src == "coff":
        syms = coff_symbols(path)
    elif syms_src.startswith("gosym:"):
        parts = syms_src.split(":")
        syms = gosym_symbols(parts[1], path, parts[2] if len(parts) > 2 else None)
    else:
        syms = []
    ext = extents(syms, secs)
    if unnamed and ext:
        ext = go_unnamed(ext, fx, loads, secs, strip_us)
    total = b["metrics"].get("relocs.total", 0)
    if len(fx) != total:
        print("not ok - %s: the oracle lists %d fixups, relgate %d" % (name, len(fx), total))
        return
    if not fx:
        print("not ok - %s: no fixups: the fixture proves nothing" % name)
        return
    package = None
    if not go and any(k in ("package", "target-package") for k in keys):
        names = [e[2][1:] if strip_us and e[2].startswith("_") else e[2] for e in ext]
        package = native_packages(names).__getitem__
    for k in keys:
        groups, sizes = rows_for(k, fx, loads, secs, ext, ps, strip_us, fmt == "macho", package)
        compare(name, k, groups, sizes, docs[k]["attribution"]["rows"], total)


def main():
    if sys.argv[1] == "--batch":
        relgate = sys.argv[3]
        for line in open(sys.argv[2]):
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2:
                judge(relgate, parts[0], parts[1], parts[2].split() if len(parts) > 2 else [])
        return
    judge(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])


if __name__ == "__main__":
    main()
