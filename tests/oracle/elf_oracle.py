#!/usr/bin/env python3
"""elf_oracle.py - judges relgate's ELF numbers with independent tools.

usage: elf_oracle.py NAME FILE RELGATE_JSON [--page-size N] [--no-binutils]
                     [--only-relocs]
       elf_oracle.py --batch LIST RELGATE TMPDIR   (LIST: NAME<TAB>FILE<TAB>OPTIONS
                     lines; one python process for many files)

Prints one TAP-like line per checked number (tests/lib.sh conventions).

Expected values come only from:
  A. LLVM 19 llvm-readelf: --dyn-relocations (REL, RELA, RELR decoded into
     one R_*_RELATIVE row per address, PLT) - the dynamic-section view, as
     the loader sees it. llvm-readelf 19 does not decode Android APS2 tables
     in --dyn-relocations, so their rows come from `llvm-readelf -r` for the
     sections whose type is ANDROID_REL/ANDROID_RELA.
  B. binutils readelf: -lW (PT_LOAD / PT_GNU_RELRO), -SW (section sizes),
     -hW (class, data, machine), -dW (is there a dynamic section), and
     -D -rW (binutils' own decoding of the dynamic relocations: REL, RELA,
     RELR offsets, PLT) as a second opinion on the counts.
From the rows the oracle derives the counts and the dirty pages itself:
a row is a fixup unless its type is R_*_NONE; it is relative when its type
is R_*_RELATIVE (not IRELATIVE) or, on MIPS, R_MIPS_REL32 against symbol 0;
lazy when it comes from the PLT table. A fixup's page is offset // page
size; it lands in the PT_LOAD containing it; inside a PT_GNU_RELRO range it
is relro, else text (r-x or r--) or data (rw-). Segments are named by
permissions with #2, #3 for repeats, as docs/metrics.md defines.
"""
import json
import os
import re
import subprocess
import sys

LLVM_BIN = os.environ.get("LLVM_BIN", "/usr/lib/llvm-19/bin")
ROW = re.compile(r"^([0-9a-f]{8,16})\s+([0-9a-f]{8,16})\s+(R_\S+)")
OFF_ONLY = re.compile(r"^([0-9a-f]{8,16})\s*$")

results = {"fail": 0}


def out(line):
    print(line, flush=True)
    if line.startswith("not ok"):
        results["fail"] += 1


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, errors="replace")
    return p.stdout


READELF = {}


def readelf(path):
    """One binutils readelf run for the header, segments, sections, dynamic."""
    if path not in READELF:
        READELF[path] = run(["readelf", "-W", "-h", "-l", "-S", "-d", path])
    return READELF[path]


def header(path):
    h = {}
    for line in readelf(path).split("Section Headers:")[0].split("Program Headers:")[0].splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            h[k.strip()] = v.strip()
    return h


def program_headers(path):
    loads, relro = [], []
    pat = re.compile(r"^\s+(LOAD|GNU_RELRO)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)"
                     r"\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(.{3})\s+0x")
    for line in readelf(path).splitlines():
        m = pat.match(line)
        if not m:
            continue
        seg = {"off": int(m.group(2), 16), "vaddr": int(m.group(3), 16),
               "filesz": int(m.group(5), 16), "memsz": int(m.group(6), 16),
               "flags": m.group(7)}
        (loads if m.group(1) == "LOAD" else relro).append(seg)
    counts = {}
    for s in loads:
        f = s["flags"]
        perm = ("r" if "R" in f else "-") + ("w" if "W" in f else "-") + ("x" if "E" in f else "-")
        counts[perm] = counts.get(perm, 0) + 1
        s["name"] = perm if counts[perm] == 1 else "%s#%d" % (perm, counts[perm])
        s["perm"] = perm
    for i, s in enumerate(relro):
        s["name"] = "GNU_RELRO" if i == 0 else "GNU_RELRO#%d" % (i + 1)
    return loads, relro


def sections(path):
    sizes = {}
    pat = re.compile(r"^\s*\[\s*(\d+)\]\s+(\S+)\s+(\S+)\s+[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)\s")
    for line in readelf(path).splitlines():
        m = pat.match(line)
        if m and m.group(1) != "0":
            sizes[m.group(2)] = sizes.get(m.group(2), 0) + int(m.group(4), 16)
    return sizes


def alloc_sections(path):
    """[(name, addr, size)] of the sections the loader maps, from readelf
    -SW: flag A, and not a TLS NOBITS template (.tbss overlaps the sections
    after it)."""
    secs = []
    pat = re.compile(r"^\s*\[\s*(\d+)\]\s+(\S+)\s+(\S+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)"
                     r"\s+[0-9a-f]+\s+([A-Za-z]*)\s+\d+\s+\d+\s+\d+")
    for line in readelf(path).splitlines():
        m = pat.match(line)
        if not m or m.group(1) == "0" or "A" not in m.group(6):
            continue
        if m.group(3) == "NOBITS" and "T" in m.group(6):
            continue
        secs.append((m.group(2), int(m.group(4), 16), int(m.group(5), 16)))
    return secs


def section_expected(rows, loads, sections_, ps):
    """section[NAME].relocs/.dirty_pages/.dirty_bytes: each fixup inside a
    PT_LOAD joined with the mapped section whose range holds it."""
    hits = []
    for off, _, _ in rows:
        if not any(s["vaddr"] <= off < s["vaddr"] + s["memsz"] for s in loads):
            continue
        sec = next((n for n, a, z in sections_ if a <= off < a + z), None)
        if sec is not None:
            hits.append((sec, off))
    return section_tally(hits, ps)


def section_tally(hits, ps):
    """section[NAME].relocs/.dirty_pages/.dirty_bytes from (NAME, address)
    pairs, one per fixup (macho_oracle.py shares it)."""
    e, pages = {}, {}
    for sec, addr in hits:
        key = "section[%s].relocs" % sec
        e[key] = e.get(key, 0) + 1
        pages.setdefault(sec, set()).add(addr // ps)
    for sec, p in pages.items():
        e["section[%s].dirty_pages" % sec] = len(p)
        e["section[%s].dirty_bytes" % sec] = len(p) * ps
    return e


def classify(typ, info, is64, mips):
    """None for R_*_NONE, else 'relative' or 'symbolic'."""
    first = typ.split("/")[0]
    if first.endswith("_NONE"):
        return None
    sym = info >> 32 if is64 else info >> 8
    if mips == "mips64el":
        # llvm-readelf prints a little-endian MIPS64 r_info as read: the
        # symbol index is then the low 32 bits, the types the high bytes.
        sym = info & 0xffffffff
    if mips:
        return "relative" if first == "R_MIPS_REL32" and sym == 0 else "symbolic"
    if first.endswith("_RELATIVE") and not first.endswith("_IRELATIVE"):
        return "relative"
    return "symbolic"


def table_rows(text, header):
    """(table, line, ROW match or None) for every line below a relocation
    section heading; `header` matches a heading and captures its name."""
    table = None
    for line in text.splitlines():
        m = re.match(header, line)
        if m:
            table = m.group(1)
        elif table:
            yield table, line, ROW.match(line)


def llvm_rows(path, is64, mips):
    """[(offset, kind, lazy)] from llvm-readelf (oracle A)."""
    rows = []
    text = run([LLVM_BIN + "/llvm-readelf", "-d", "--dyn-relocations", path])
    for table, _, m in table_rows(text, r"^'(\S+)' relocation section at offset"):
        k = m and classify(m.group(3), int(m.group(2), 16), is64, mips)
        if k:
            rows.append((int(m.group(1), 16), k, table == "PLT"))
    if "(ANDROID_REL)" in text or "(ANDROID_RELA)" in text:
        packed = set()
        for line in run([LLVM_BIN + "/llvm-readelf", "-SW", path]).splitlines():
            m = re.match(r"^\s*\[\s*\d+\]\s+(\S+)\s+(ANDROID_RELA?)\s", line)
            if m:
                packed.add(m.group(1))
        listing = run([LLVM_BIN + "/llvm-readelf", "-r", path])
        for table, _, m in table_rows(listing, r"^Relocation section '(\S+)' at offset"):
            k = m and table in packed and classify(m.group(3), int(m.group(2), 16), is64, mips)
            if k:
                rows.append((int(m.group(1), 16), k, False))
    return rows


def binutils_counts(path, is64, mips):
    """(total, relative, symbolic, lazy) from binutils readelf -D -rW (oracle B)."""
    tot = rel = sym = lazy = 0
    listing = run(["readelf", "-D", "-rW", path])
    for table, line, m in table_rows(listing, r"^\s*'(\S+)' relocation section at offset"):
        if m:
            k = classify(m.group(3), int(m.group(2), 16), is64, mips)
            if not k:
                continue
            tot += 1
            rel += k == "relative"
            sym += k == "symbolic"
            lazy += table == "PLT"
        elif table == "RELR" and OFF_ONLY.match(line):
            tot += 1
            rel += 1
    return tot, rel, sym, lazy


def expected(rows, loads, relro, ps):
    e = {"relocs.total": len(rows),
         "relocs.relative": sum(1 for r in rows if r[1] == "relative"),
         "relocs.symbolic": sum(1 for r in rows if r[1] == "symbolic"),
         "relocs.lazy": sum(1 for r in rows if r[2])}
    by_role = {"text": 0, "relro": 0, "data": 0}
    pages = {"all": set(), "relro": set(), "data": set()}
    seg = {s["name"]: {"relocs": 0, "pages": set()} for s in loads + relro}
    outside = 0
    for off, _, _ in rows:
        load = next((s for s in loads if s["vaddr"] <= off < s["vaddr"] + s["memsz"]), None)
        if load is None:
            outside += 1
            continue
        page = off // ps
        pages["all"].add(page)
        seg[load["name"]]["relocs"] += 1
        seg[load["name"]]["pages"].add(page)
        rr = next((s for s in relro if s["vaddr"] <= off < s["vaddr"] + s["memsz"]), None)
        if rr is not None:
            role = "relro"
            seg[rr["name"]]["relocs"] += 1
            seg[rr["name"]]["pages"].add(page)
        elif "x" in load["perm"] or "w" not in load["perm"]:
            role = "text"
        else:
            role = "data"
        by_role[role] += 1
        if role in pages:
            pages[role].add(page)
    for r in ("text", "relro", "data"):
        e["relocs." + r] = by_role[r]
    e["dirty.pages"] = len(pages["all"])
    e["dirty.bytes"] = len(pages["all"]) * ps
    e["dirty.relro.pages"] = len(pages["relro"])
    e["dirty.relro.bytes"] = len(pages["relro"]) * ps
    e["dirty.data.pages"] = len(pages["data"])
    e["dirty.data.bytes"] = len(pages["data"]) * ps
    e["relocs.outside"] = outside if outside else "absent"
    for name, v in seg.items():
        e["segment[%s].relocs" % name] = v["relocs"]
        e["segment[%s].dirty_pages" % name] = len(v["pages"])
        e["segment[%s].dirty_bytes" % name] = len(v["pages"]) * ps
    return e


def vm_roles(loads, relro):
    """vm.* from the program headers: the parts of each PT_LOAD inside a
    PT_GNU_RELRO range are relro; the rest is text (executable), rodata
    (read-only), or data (writable: file-backed bytes) plus bss (the
    zero-fill tail)."""
    v = {"vm.text": 0, "vm.rodata": 0, "vm.relro": 0, "vm.data": 0, "vm.bss": 0}
    for s in loads:
        start, end, fend = s["vaddr"], s["vaddr"] + s["memsz"], s["vaddr"] + s["filesz"]
        cuts = sorted((max(r["vaddr"], start), min(r["vaddr"] + r["memsz"], end)) for r in relro)
        pieces, cur = [], start
        for a, b in cuts:
            a = max(a, cur)
            if a >= b:
                continue
            pieces.append((cur, a, False))
            pieces.append((a, b, True))
            cur = b
        pieces.append((cur, end, False))
        for a, b, in_relro in pieces:
            if a >= b:
                continue
            if in_relro:
                v["vm.relro"] += b - a
            elif "x" in s["perm"]:
                v["vm.text"] += b - a
            elif "w" in s["perm"]:
                f = max(0, min(b, fend) - a)
                v["vm.data"] += f
                v["vm.bss"] += b - a - f
            else:
                v["vm.rodata"] += b - a
    return v


ARCH = {"Advanced Micro Devices X86-64": ("x86_64", "x32"), "Intel 80386": ("i386", "i386"),
        "AArch64": ("aarch64", "aarch64_ilp32"), "ARM": ("arm", "arm"),
        "RISC-V": ("riscv64", "riscv32"), "PowerPC64": ("ppc64", "ppc64"),
        "PowerPC": ("ppc", "ppc"), "IBM S/390": ("s390x", "s390"),
        "MIPS R3000": ("mips64", "mips")}


def judge(name, path, doc, opts, ps=4096):
    """Checks binaries[0] of relgate's JSON doc for path against the oracle."""
    b = doc["binaries"][0]
    m = b["metrics"]

    def check(key, want, got=None):
        got = m.get(key, "absent") if got is None else got
        if want == got:
            out("ok - %s: %s = %s" % (name, key, want))
        else:
            out("not ok - %s: %s: expected %s (oracle), got %s" % (name, key, want, got))

    h = header(path)
    is64 = h.get("Class") == "ELF64"
    be = "big endian" in h.get("Data", "")
    mach = h.get("Machine", "")
    mips = mach.startswith("MIPS")
    if mips and is64 and not be:
        mips = "mips64el"
    if "--only-relocs" not in opts:
        check("bits", 64 if is64 else 32, b["bits"])
        check("endian", "big" if be else "little", b["endian"])
        if mach in ARCH:
            want = ARCH[mach][0 if is64 else 1]
            if mach == "PowerPC64" and not be:
                want = "ppc64le"
            if mips:
                want = want + ("" if be else "el")
            if mach == "AArch64" and be:
                want = "aarch64_be"
            check("arch", want, b["arch"])
    loads, relro = program_headers(path)
    check("vm.size", sum(s["memsz"] for s in loads))
    for key, val in sorted(vm_roles(loads, relro).items()):
        check(key, val)
    if "--only-relocs" not in opts:
        for s in loads + relro:
            check("segment[%s].vmsize" % s["name"], s["memsz"])
            check("segment[%s].filesize" % s["name"], s["filesz"])
        for sec, size in sections(path).items():
            check("section[%s].size" % sec, size)
    has_dyn = "There is no dynamic section" not in readelf(path)
    et = h.get("Type", "")
    if not has_dyn or et.startswith("REL ") or et.startswith("CORE"):
        check("relocs.total", "absent")
        check("dirty.pages", "absent")
        return
    rows = llvm_rows(path, is64, mips)
    e = expected(rows, loads, relro, ps)
    for key in sorted(e):
        check(key, e[key])
    se = section_expected(rows, loads, alloc_sections(path), ps)
    for key in sorted(se):
        check(key, se[key])
    got = sorted(k for k in m if k.startswith("section[") and not k.endswith("].size"))
    check("section fixup metrics present", sorted(se), got)
    if "--no-binutils" not in opts:
        tot, rel, sym, lazy = binutils_counts(path, is64, mips)
        check("relocs.total (binutils readelf -D -r)", tot, m.get("relocs.total"))
        check("relocs.relative (binutils readelf -D -r)", rel, m.get("relocs.relative"))
        check("relocs.symbolic (binutils readelf -D -r)", sym, m.get("relocs.symbolic"))
        check("relocs.lazy (binutils readelf -D -r)", lazy, m.get("relocs.lazy"))
    if not rows:
        out("not ok - %s: the oracle found no dynamic relocations; the fixture proves nothing"
            % name)


def batch(listfile, relgate, tmp):
    """Each line: NAME<TAB>FILE[<TAB>OPTIONS]. Runs relgate on FILE (its JSON
    kept as tmp/NAME.json) and judges it; with --summary in OPTIONS prints
    one line for the file instead of one per number."""
    for line in open(listfile):
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 2:
            continue
        name, path = parts[0], parts[1]
        opts = parts[2].split() if len(parts) > 2 else []
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
        ps = 4096
        extra = []
        if "--page-size" in opts:
            ps = int(opts[opts.index("--page-size") + 1])
            extra = ["--page-size", str(ps)]
        p = subprocess.run([relgate, "measure", "--format", "json"] + extra + [path],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, errors="replace")
        if p.returncode != 0:
            out("not ok - %s: measure: relgate exited %d: %s" % (name, p.returncode, p.stderr[:300]))
            continue
        with open(os.path.join(tmp, safe + ".json"), "w") as f:
            f.write(p.stdout)
        doc = json.loads(p.stdout)
        if "--summary" not in opts:
            judge(name, path, doc, opts, ps)
            continue
        lines = []
        saved = globals()["out"]
        globals()["out"] = lines.append
        try:
            judge(name, path, doc, opts, ps)
        finally:
            globals()["out"] = saved
        bad = [l for l in lines if l.startswith("not ok")]
        good = [l for l in lines if l.startswith("ok")]
        if bad or not good:
            out("not ok - %s: %d of %d numbers differ: %s" % (name, len(bad), len(lines),
                                                              " | ".join(bad[:3])))
        else:
            out("ok - %s: %d numbers agree with llvm-readelf/readelf" % (name, len(good)))


def main():
    if sys.argv[1] == "--batch":
        batch(sys.argv[2], sys.argv[3], sys.argv[4])
        return
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    name, path, jpath = args[:3]
    ps = 4096
    if "--page-size" in sys.argv:
        ps = int(sys.argv[sys.argv.index("--page-size") + 1])
    judge(name, path, json.load(open(jpath)), sys.argv[4:], ps)


if __name__ == "__main__":
    main()
