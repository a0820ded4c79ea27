#!/usr/bin/env python3
"""pe_oracle.py - compares `relgate measure --format json` on a PE image with
what LLVM's llvm-readobj says about the same file.

    pe_oracle.py NAME READOBJ.txt RELGATE.json [--expect-absolute] [--expect-delay]

READOBJ.txt is the output of
    llvm-readobj --file-headers --sections --coff-basereloc --coff-imports FILE
Every expected number is derived here from that listing alone:
  - base relocations: every BaseReloc entry except ABSOLUTE (padding) is one
    relative fixup at ImageBase + Address;
  - imports: the n-th Symbol of an Import block is a symbolic fixup at
    ImageBase + ImportAddressTableRVA + n * pointer size; DelayImport blocks
    likewise at ImportAddressTable, lazily;
  - dirty pages: distinct (address // 4096) over the fixups that land in a
    section (VirtualAddress .. + VirtualSize) or the headers, per section,
    overall and for writable sections;
  - vm.*: section VirtualSize (RawDataSize when 0) by role, executable ->
    text, writable -> data (file-backed part, min(RawDataSize, size)) and
    bss (the rest), otherwise rodata; plus SizeOfHeaders (docs/format-pe.md).
Prints one TAP-like line per check (tests/lib.sh conventions).
"""
import json
import re
import sys

PAGE = 4096
SCN_EXEC, SCN_READ, SCN_WRITE = 0x20000000, 0x40000000, 0x80000000


def parse_readobj(text):
    o = {"sections": [], "relocs": [], "imports": [], "delay": [], "chars": set(),
         "dllchars": set()}
    lines = text.splitlines()
    sec = None
    block = None      # "Import", "DelayImport" (top level), "BaseReloc"
    entry_type = None
    in_file_chars = in_dll_chars = False
    for raw in lines:
        line = raw.strip()
        indent = len(raw) - len(raw.lstrip())
        m = re.match(r"(\w+): (.*)$", line)
        if raw.startswith("Import {"):
            block = "Import"
            o["imports"].append({"iat": None, "n": 0})
            continue
        if raw.startswith("DelayImport {"):
            block = "DelayImport"
            o["delay"].append({"iat": None, "n": 0, "attrs": 0})
            continue
        if raw.startswith("BaseReloc ["):
            block = "BaseReloc"
            continue
        if raw.startswith("Sections ["):
            block = "Sections"
            continue
        if indent == 0 and raw.startswith(("ImageFileHeader", "ImageOptionalHeader", "DOSHeader")):
            block = raw.split()[0]
            continue
        if block == "ImageFileHeader":
            if line.startswith("Machine:"):
                o["machine"] = int(re.search(r"\((0x[0-9A-Fa-f]+)\)", line).group(1), 16)
            if line.startswith("Characteristics ["):
                in_file_chars = True
            elif in_file_chars and line.startswith("IMAGE_"):
                o["chars"].add(line.split()[0])
            elif line == "]":
                in_file_chars = False
        elif block == "ImageOptionalHeader":
            if m and m.group(1) in ("ImageBase", "SizeOfHeaders", "SizeOfImage", "Magic"):
                o[m.group(1)] = int(m.group(2), 0)
            if line.startswith("Characteristics ["):
                in_dll_chars = True
            elif in_dll_chars and line.startswith("IMAGE_"):
                o["dllchars"].add(line.split()[0])
            elif line == "]":
                in_dll_chars = False
        elif block == "Sections":
            if line == "Section {":
                sec = {"chars": 0}
                o["sections"].append(sec)
            elif m and sec is not None:
                k, v = m.group(1), m.group(2)
                if k == "Name":
                    sec["name"] = v.rsplit(" (", 1)[0]
                elif k in ("VirtualSize", "VirtualAddress", "RawDataSize", "PointerToRawData"):
                    sec[k] = int(v, 0)
            elif sec is not None and line.startswith("Characteristics ["):
                sec["chars"] = int(re.search(r"\((0x[0-9A-Fa-f]+)\)", line).group(1), 16)
        elif block == "Import":
            if m and m.group(1) == "ImportAddressTableRVA":
                o["imports"][-1]["iat"] = int(m.group(2), 0)
            elif line.startswith("Symbol:"):
                o["imports"][-1]["n"] += 1
        elif block == "DelayImport":
            if m and m.group(1) == "ImportAddressTable":
                o["delay"][-1]["iat"] = int(m.group(2), 0)
            elif m and m.group(1) == "Attributes":
                o["delay"][-1]["attrs"] = int(m.group(2), 0)
            elif line.startswith("Symbol:"):
                o["delay"][-1]["n"] += 1
        elif block == "BaseReloc":
            if m and m.group(1) == "Type":
                entry_type = m.group(2)
            elif m and m.group(1) == "Address":
                o["relocs"].append((entry_type, int(m.group(2), 0)))
    return o


def expected(o):
    base = o["ImageBase"]
    ptr = 8 if o["Magic"] == 0x20B else 4
    segs = []
    if o["SizeOfHeaders"]:
        segs.append({"name": "(headers)", "start": base, "size": o["SizeOfHeaders"],
                     "filesize": o["SizeOfHeaders"], "role": "rodata"})
    seen = {}
    for s in o["sections"]:
        size = s["VirtualSize"] or s["RawDataSize"]
        fs = min(s["RawDataSize"], size) if s["PointerToRawData"] else 0
        role = "text" if s["chars"] & SCN_EXEC else "data" if s["chars"] & SCN_WRITE else "rodata"
        seen[s["name"]] = seen.get(s["name"], 0) + 1
        name = s["name"] if seen[s["name"]] == 1 else "%s#%d" % (s["name"], seen[s["name"]])
        segs.append({"name": name, "start": base + s["VirtualAddress"], "size": size,
                     "filesize": fs, "role": role})
    fixups = []  # (addr, kind, lazy)
    for t, a in o["relocs"]:
        if t != "ABSOLUTE":
            fixups.append((base + a, "relative", 0))
    for imp in o["imports"]:
        for i in range(imp["n"]):
            fixups.append((base + imp["iat"] + i * ptr, "symbolic", 0))
    for d in o["delay"]:
        iat = d["iat"] if d["attrs"] & 1 else d["iat"] - base
        for i in range(d["n"]):
            fixups.append((base + iat + i * ptr, "symbolic", 1))

    e = {}
    for s in segs:
        s["relocs"], s["pages"] = 0, set()
    by_role = {"text": 0, "rodata": 0, "data": 0}
    pages, data_pages, outside = set(), set(), 0
    for addr, kind, lazy in fixups:
        hit = [s for s in segs if s["start"] <= addr < s["start"] + s["size"]]
        if not hit:
            outside += 1
            continue
        s = hit[0]
        s["relocs"] += 1
        s["pages"].add(addr // PAGE)
        pages.add(addr // PAGE)
        by_role[s["role"]] += 1
        if s["role"] == "data":
            data_pages.add(addr // PAGE)
    e["relocs.relative"] = sum(1 for f in fixups if f[1] == "relative")
    e["relocs.imports"] = sum(i["n"] for i in o["imports"])
    e["relocs.delay_imports"] = sum(d["n"] for d in o["delay"])
    e["relocs.symbolic"] = e["relocs.imports"] + e["relocs.delay_imports"]
    e["relocs.lazy"] = e["relocs.delay_imports"]
    e["relocs.total"] = len(fixups)
    e["relocs.text"] = by_role["text"] + by_role["rodata"]
    e["relocs.data"] = by_role["data"]
    e["relocs.relro"] = 0
    e["dirty.pages"] = len(pages)
    e["dirty.bytes"] = len(pages) * PAGE
    e["dirty.data.pages"] = len(data_pages)
    if outside:
        e["relocs.outside"] = outside
    e["vm.size"] = sum(s["size"] for s in segs)
    e["vm.text"] = sum(s["size"] for s in segs if s["role"] == "text")
    e["vm.rodata"] = sum(s["size"] for s in segs if s["role"] == "rodata")
    e["vm.data"] = sum(s["filesize"] for s in segs if s["role"] == "data")
    e["vm.bss"] = sum(s["size"] - s["filesize"] for s in segs if s["role"] == "data")
    for s in segs:
        e["segment[%s].vmsize" % s["name"]] = s["size"]
        e["segment[%s].filesize" % s["name"]] = s["filesize"]
        e["segment[%s].relocs" % s["name"]] = s["relocs"]
        e["segment[%s].dirty_pages" % s["name"]] = len(s["pages"])
    # section[NAME].*: the fixups of the sections (not the headers), by
    # the section's own name; same-named sections pool their pages.
    spages = {}
    for seg, sec in zip(segs[1:] if o["SizeOfHeaders"] else segs, o["sections"]):
        for addr, _, _ in fixups:
            if seg["start"] <= addr < seg["start"] + seg["size"]:
                k = "section[%s].relocs" % sec["name"]
                e[k] = e.get(k, 0) + 1
                spages.setdefault(sec["name"], set()).add(addr // PAGE)
    for n, p in spages.items():
        e["section[%s].dirty_pages" % n] = len(p)
        e["section[%s].dirty_bytes" % n] = len(p) * PAGE
    secsize = {}
    for s in o["sections"]:
        secsize[s["name"]] = secsize.get(s["name"], 0) + (s["VirtualSize"] or s["RawDataSize"])
    for n, v in secsize.items():
        e["section[%s].size" % n] = v
    return e, segs


ARCH = {0x14C: ("i386", 32), 0x8664: ("x86_64", 64), 0xAA64: ("arm64", 64), 0x1C4: ("arm", 32)}


def main():
    name, ro_path, js_path = sys.argv[1:4]
    flags = set(sys.argv[4:])
    o = parse_readobj(open(ro_path).read())
    doc = json.load(open(js_path))
    b = doc["binaries"][0]
    m = b["metrics"]
    e, segs = expected(o)
    bad = 0

    def check(what, want, got):
        nonlocal bad
        if want == got:
            print("ok - %s: %s = %s" % (name, what, got))
        else:
            bad += 1
            print("not ok - %s: %s: expected %r (llvm-readobj), got %r" % (name, what, want, got))

    arch, bits = ARCH.get(o["machine"], ("0x%04x" % o["machine"], None))
    check("arch", arch, b["arch"])
    check("bits", 64 if o["Magic"] == 0x20B else 32, b["bits"])
    check("format", "pe", b["format"])
    check("segment names and order", [s["name"] for s in segs], [s["name"] for s in b["segments"]])
    for k in sorted(e):
        check(k, e[k], m.get(k, "absent"))
    check("section fixup metrics present",
          sorted(k for k in e if k.startswith("section[") and not k.endswith("].size")),
          sorted(k for k in m if k.startswith("section[") and not k.endswith("].size")))
    if "relocs.outside" not in e:
        check("relocs.outside absent", "absent", m.get("relocs.outside", "absent"))
    # The histogram of base relocation types, for the types LLVM names alike.
    info = b.get("info", {}).get("pe.base_relocs", "")
    got_types = dict((t, int(n)) for t, n in re.findall(r"(\w+)(?: \(padding\))? (\d+)", info))
    for t in ("HIGHLOW", "DIR64"):
        want = sum(1 for r in o["relocs"] if r[0] == t)
        check("base relocation type %s" % t, want, got_types.get(t, 0))
    absolute = sum(1 for r in o["relocs"] if r[0] == "ABSOLUTE")
    if "--expect-absolute" in flags:
        check("fixture has ABSOLUTE padding entries", True, absolute > 0)
    check("ABSOLUTE padding count", absolute, got_types.get("ABSOLUTE", 0))
    if "--expect-delay" in flags:
        check("fixture has delay-load imports", True, e["relocs.delay_imports"] > 0)
    notes = " ".join(b.get("notes", []))
    dyn = "IMAGE_DLL_CHARACTERISTICS_DYNAMIC_BASE" in o["dllchars"]
    check("note on missing DYNAMIC_BASE", not dyn, "no IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE" in notes)
    stripped = "IMAGE_FILE_RELOCS_STRIPPED" in o["chars"]
    check("note on RELOCS_STRIPPED", stripped, "RELOCS_STRIPPED" in notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
