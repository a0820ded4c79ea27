#!/usr/bin/env python3
"""macho_oracle.py - compares `relgate measure --format json` on a Mach-O
with what llvm-objdump-19 lists for the same file.

The expected numbers come only from llvm-objdump's output:
  --private-headers          segments (name, vmaddr, vmsize, filesize,
                             initprot, flags) and sections;
  --rebase --bind --lazy-bind --weak-bind   (opcode fixups), or
  --dyld-info                (chained fixups, decoded link by link), or
  -r --indirect-symbols      (images without either: LC_DYSYMTAB
                             relocations and the symbol pointers bound
                             through the indirect symbol table)
and are turned into counts by class and dirty pages per segment here,
following docs/metrics.md's definitions (a page is dirty when any fixup lands in
it; relro = __DATA_CONST, __AUTH_CONST or SG_READ_ONLY segments).

usage: macho_oracle.py OBJDUMP FILE RELGATE_JSON INDEX NAME (INDEX -1: by --arch) [--arch A]
       [--page-size N] [--mode auto|opcode|chained|classic|object]
Prints one `ok - NAME: metric` / `not ok - ...` line per comparison.
"""
import argparse
import hashlib
import json
import os
import re
import subprocess
import sys

from elf_oracle import section_tally


def run(objdump, args, path, arch):
    """llvm-objdump's output; kept beside a cached fixture (newer than the
    fixture, keyed by the arguments) so re-runs of make check skip it."""
    cmd = [objdump, "--macho"] + args
    if arch:
        cmd.append("--arch=" + arch)
    cmd.append(path)
    cache = None
    if os.environ.get("FIXTURES") and os.path.abspath(path).startswith(
            os.path.abspath(os.environ["FIXTURES"])):
        key = hashlib.sha1(" ".join(cmd[:-1]).encode()).hexdigest()[:12]
        cache = path + ".objdump-" + key
        try:
            if os.path.getmtime(cache) >= os.path.getmtime(path):
                return open(cache).read()
        except OSError:
            pass
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise SystemExit("not ok - oracle: %s failed: %s" % (" ".join(cmd), r.stderr[:300]))
    if cache:
        try:
            with open(cache + ".tmp", "w") as f:
                f.write(r.stdout)
            os.replace(cache + ".tmp", cache)
        except OSError:
            pass
    return r.stdout


def segments(text):
    """LC_SEGMENT(_64) load commands in file order, with sections."""
    segs, secs, cur, sec = [], [], None, None
    for line in text.splitlines():
        f = line.split()
        if not f:
            continue
        if f[0] == "cmd":
            cur = {"cmd": f[1]} if f[1] in ("LC_SEGMENT", "LC_SEGMENT_64") else None
            if cur:
                segs.append(cur)
            sec = None
        elif line.startswith("Section"):
            sec = {}
            secs.append(sec)
        elif sec is not None and f[0] in ("sectname", "segname", "size", "type", "addr") and len(f) > 1:
            sec[f[0]] = f[1]
        elif cur is not None and sec is None and len(f) >= 2:
            key = f[0]
            if key in ("segname", "initprot", "maxprot"):
                cur[key] = f[1]
            elif key in ("vmaddr", "vmsize", "fileoff", "filesize"):
                cur[key] = int(f[1], 0)
            elif key == "flags":
                cur["flags"] = " ".join(f[1:])
    return segs, secs


def role(seg):
    name, prot = seg["segname"], seg.get("initprot", "---")
    flags = seg.get("flags", "")
    if name in ("__DATA_CONST", "__AUTH_CONST") or "READ_ONLY" in flags or \
            re.search(r"0x\w*1\w$", flags or ""):
        return "relro"
    if "x" in prot:
        return "text"
    if "w" in prot:
        return "data"
    return "rodata"


HEX = re.compile(r"^0x[0-9a-fA-F]+$")


def opcode_rows(text):
    """(table, fields) of every data row of llvm-objdump's four opcode
    tables; table is rebase, bind, lazy or weak. Data rows are
    `segment section address ...`; "strong" rows of the weak table
    (non-weak definitions) carry no address and are no fixups."""
    table = None
    heads = {"Rebase table:": "rebase", "Bind table:": "bind",
             "Lazy bind table:": "lazy", "Weak bind table:": "weak"}
    for line in text.splitlines():
        s = line.strip()
        if s in heads:
            table = heads[s]
            continue
        f = s.split()
        if table and len(f) >= 3 and HEX.match(f[2]):
            yield table, f


def opcode_fixups(text):
    """(address, class, "", section) from the four opcode tables; the
    section is llvm-objdump's own `segment section` columns."""
    return [(int(f[2], 16), table, "", f[0] + "," + f[1]) for table, f in opcode_rows(text)]


def chained_fixups(text):
    out = []
    for line in text.splitlines():
        f = line.split()
        if len(f) >= 5 and HEX.match(f[2]) and HEX.match(f[3]):
            kind = f[4]
            dylib = f[6] if kind.endswith("bind") and len(f) > 6 else ""
            out.append((int(f[2], 16), "bind" if "bind" in kind else "rebase",
                        ("auth " if "auth" in kind else "") + dylib, f[0] + "," + f[1]))
    return out


def classic_relocs(text, base):
    out, kind = [], None
    for line in text.splitlines():
        if line.startswith("External relocation"):
            kind = "bind"
        elif line.startswith("Local relocation"):
            kind = "rebase"
        f = line.split()
        if kind and f and re.match(r"^[0-9a-fA-F]{8}$", f[0]) and "PAIR" not in line:
            out.append((base + int(f[0], 16), kind, ""))
    return out


def indirect_pointers(text, sections):
    """(address, class) of the symbol pointers dyld binds through the
    indirect symbol table (`--indirect-symbols`) in images without dyld
    info: rows of non-lazy pointer sections naming a symbol are binds,
    of lazy pointer sections lazy binds, LOCAL rows rebases, ABSOLUTE
    rows nothing. Symbol stub sections (code) are not pointers."""
    out, kind = [], None
    for line in text.splitlines():
        m = re.match(r"^Indirect symbols for \((\S+),(\S+)\)", line)
        if m:
            t = sections.get((m.group(1), m.group(2)), "")
            kind = {"S_NON_LAZY_SYMBOL_POINTERS": "bind",
                    "S_LAZY_SYMBOL_POINTERS": "lazy"}.get(t)
            continue
        f = line.split()
        if kind and len(f) >= 2 and HEX.match(f[0]):
            if "ABSOLUTE" in f[1:]:
                continue
            out.append((int(f[0], 16), "rebase" if f[1] == "LOCAL" else kind, ""))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("objdump")
    ap.add_argument("file")
    ap.add_argument("json")
    ap.add_argument("index", type=int)
    ap.add_argument("name")
    ap.add_argument("--arch")
    ap.add_argument("--page-size", type=int)
    ap.add_argument("--mode", default="auto")
    ap.add_argument("--expect", help="fixups placed by macho_chains.py (formats "
                    "llvm-objdump cannot decode) instead of llvm-objdump's listing")
    a = ap.parse_args()

    doc = json.load(open(a.json))
    if a.index < 0:  # pick the slice by its architecture name
        b = [x for x in doc["binaries"] if x["arch"] == a.arch][0]
    else:
        b = doc["binaries"][a.index]
    m = b["metrics"]
    hdr = run(a.objdump, ["--private-headers"], a.file, a.arch)
    segs, secs = segments(hdr)
    mode = a.mode
    if mode == "auto":
        mode = "chained" if "LC_DYLD_CHAINED_FIXUPS" in hdr else "opcode"
        if mode == "opcode" and "LC_DYLD_INFO" not in hdr and "LC_DYSYMTAB" in hdr:
            mode = "classic"
    if mode == "object":  # sizes only: no relocs.* or dirty.* at all
        exp = {"relocs.total": "absent", "dirty.pages": "absent"}
        for s in secs:
            k = "section[%s,%s].size" % (s.get("segname"), s.get("sectname"))
            exp[k] = exp.get(k, 0) + int(s.get("size", "0"), 0)
        return compare(a.name, m, exp, "object file")
    auth_fmt = b["arch"] == "arm64e"
    if a.expect:
        e = json.load(open(a.expect))
        mode = "chained"
        fx = [(x[0], x[1], ("auth " if x[2] else "") + ("weak" if x[3] else ""))
              for x in e["fixups"]]
        auth_fmt = auth_fmt or e["format"] in (1, 7, 8, 9, 10, 11, 12, 13, 14, "threaded")
    elif mode == "classic":
        # r_address counts from dyld's getRelocBase(): the first writable
        # segment in 64-bit images, the first segment otherwise
        wr = [s for s in segs if "w" in s.get("initprot", "")]
        base = wr[0]["vmaddr"] if b["bits"] == 64 and wr else segs[0]["vmaddr"]
        fx = classic_relocs(run(a.objdump, ["-r"], a.file, a.arch), base)
        types = {(s.get("segname"), s.get("sectname")): s.get("type", "") for s in secs}
        fx += indirect_pointers(run(a.objdump, ["--indirect-symbols"], a.file, a.arch), types)
    elif mode == "chained":
        fx = chained_fixups(run(a.objdump, ["--dyld-info"], a.file, a.arch))
    else:
        fx = opcode_fixups(run(a.objdump, ["--rebase", "--bind", "--lazy-bind",
                                           "--weak-bind"], a.file, a.arch))
    ps = a.page_size or b["page_size"]

    exp = {}
    cls = lambda c: sum(1 for x in fx if x[1] == c)
    exp["relocs.total"] = len(fx)
    exp["relocs.relative"] = cls("rebase")
    exp["relocs.symbolic"] = len(fx) - cls("rebase")
    exp["relocs.lazy"] = cls("lazy")
    if mode == "chained":
        exp["relocs.weak"] = sum(1 for x in fx if x[1] == "bind" and x[2].endswith("weak"))
        exp["relocs.lazy"] = 0
        if auth_fmt:
            exp["relocs.auth"] = sum(1 for x in fx if x[2].startswith("auth"))
            exp["relocs.auth_relative"] = sum(1 for x in fx if x[2].startswith("auth")
                                              and x[1] == "rebase")
            exp["relocs.auth_symbolic"] = exp["relocs.auth"] - exp["relocs.auth_relative"]
        else:
            exp["relocs.auth"] = "absent"
    else:
        exp["relocs.weak"] = cls("weak")

    mapped = [s for s in segs if s["segname"] != "__PAGEZERO" and
              not (s.get("initprot") == "---" and s.get("filesize", 0) == 0)]
    pages, by_role, role_pages = set(), {}, {}
    for s in mapped:
        r = role(s)
        sp = set()
        n = 0
        for addr in (x[0] for x in fx):
            if s["vmaddr"] <= addr < s["vmaddr"] + s["vmsize"]:
                n += 1
                sp.add(addr // ps)
        pages |= sp
        by_role[r] = by_role.get(r, 0) + n
        role_pages.setdefault(r, set()).update(sp)
        nm = s["segname"]
        exp["segment[%s].vmsize" % nm] = s["vmsize"]
        exp["segment[%s].filesize" % nm] = s["filesize"]
        exp["segment[%s].relocs" % nm] = n
        exp["segment[%s].dirty_pages" % nm] = len(sp)
    exp["relocs.relro"] = by_role.get("relro", 0)
    exp["relocs.data"] = by_role.get("data", 0)
    exp["relocs.text"] = by_role.get("text", 0) + by_role.get("rodata", 0)
    exp["dirty.pages"] = len(pages)
    exp["dirty.bytes"] = len(pages) * ps
    exp["dirty.relro.pages"] = len(role_pages.get("relro", ()))
    exp["dirty.data.pages"] = len(role_pages.get("data", ()))
    exp["vm.size"] = sum(s["vmsize"] for s in mapped)
    sizes = {}
    for s in secs:
        k = "section[%s,%s].size" % (s.get("segname"), s.get("sectname"))
        sizes[k] = sizes.get(k, 0) + int(s.get("size", "0"), 0)
    exp.update(sizes)
    exp.update(section_expected(fx, mapped, secs, ps))

    return compare(a.name, m, exp, "%d fixups, %d dirty pages" % (len(fx), len(pages)),
                   "macho_chains.py" if a.expect else "llvm-objdump")


def section_expected(fx, mapped, secs, ps):
    """section[SEG,SECT].relocs/.dirty_pages/.dirty_bytes from the section
    column llvm-objdump prints beside each fixup (rows of formats it cannot
    list, and classic relocations, are joined with the section headers by
    address here). Only fixups inside a mapped segment count."""
    ranges = [("%s,%s" % (s.get("segname"), s.get("sectname")), int(s.get("addr", "0"), 0),
               int(s.get("size", "0"), 0)) for s in secs]
    hits = []
    for x in fx:
        addr = x[0]
        if not any(s["vmaddr"] <= addr < s["vmaddr"] + s["vmsize"] for s in mapped):
            continue
        sec = x[3] if len(x) > 3 else next((n for n, a, z in ranges if a <= addr < a + z), None)
        if sec is not None:
            hits.append((sec, addr))
    return section_tally(hits, ps)


def compare(name, m, exp, what, src="llvm-objdump"):
    bad = 0
    extra = sorted(k for k in m if k.startswith("section[") and not k.endswith("].size")
                   and k not in exp)
    if "relocs.total" in exp and exp["relocs.total"] != "absent" and extra:
        bad += 1
        print("not ok - %s: section fixup metrics %s not expected (%s)" % (name, extra[:5], src))
    for k in sorted(exp):
        got = m.get(k, "absent")
        if got == exp[k]:
            continue
        bad += 1
        print("not ok - %s: %s expected %s (%s), got %s" % (name, k, exp[k], src, got))
    if not bad:
        print("ok - %s: %d metrics match %s (%s)" % (name, len(exp), src, what))
    return 0


if __name__ == "__main__":
    sys.exit(main())
