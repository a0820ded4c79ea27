#!/usr/bin/env python3
"""pe_pclntab.py NAME READOBJ_OUT RELGATE_JSON NM_OUT - where a Go PE image's
pclntab is, by its runtime.pclntab / runtime.epclntab symbols.

The expected values come from llvm-nm (NM_OUT: the symbols' addresses) and
llvm-readobj (READOBJ_OUT: ImageBase and each section's VirtualAddress,
VirtualSize and PointerToRawData), never from relgate:
  - relgate found the pclntab by the runtime.pclntab symbol (info
    pclntab.found_by), skipped when the pclntab reader is not in the build;
  - its file offset: PointerToRawData + (address - ImageBase - VirtualAddress)
    of the section holding runtime.pclntab;
  - pclntab.bytes = runtime.epclntab - runtime.pclntab.
Run through oracle_batch.py (test_pe_go.sh).
"""
import json
import re
import sys


def main():
    name, ro, js, nm = sys.argv[1:5]
    syms = {}
    for line in open(nm):
        f = line.split()
        if len(f) == 3:
            syms[f[2]] = int(f[0], 16)
    addr, eaddr = syms.get("runtime.pclntab"), syms.get("runtime.epclntab")
    b = json.load(open(js))["binaries"][0]
    found = b.get("info", {}).get("pclntab.found_by", "")
    if addr is None:
        print("not ok - %s: runtime.pclntab: llvm-nm lists no runtime.pclntab" % name)
        return 0
    if not found:
        print("skip - %s: pclntab found by symbol: the pclntab reader is not in this build" % name)
        return 0
    if "symbol" in found:
        print("ok - %s: pclntab found by the runtime.pclntab symbol (%s; llvm-nm: 0x%x)"
              % (name, found, addr))
    else:
        print("not ok - %s: pclntab found by symbol: found_by is '%s' (llvm-nm: "
              "runtime.pclntab at 0x%x)" % (name, found, addr))
    text = open(ro).read()
    base = int(re.search(r"ImageBase: (0x[0-9A-Fa-f]+)", text).group(1), 16)
    want = None
    for blk in text.split("Section {")[1:]:
        va = int(re.search(r"VirtualAddress: (0x[0-9A-Fa-f]+)", blk).group(1), 16)
        vs = int(re.search(r"VirtualSize: (0x[0-9A-Fa-f]+)", blk).group(1), 16)
        ptr = int(re.search(r"PointerToRawData: (0x[0-9A-Fa-f]+)", blk).group(1), 16)
        if va <= addr - base < va + vs:
            want = ptr + (addr - base - va)
    got = b.get("info", {}).get("pclntab.offset")
    size = eaddr - addr if eaddr is not None else "no runtime.epclntab"
    for what, w, g in (("pclntab file offset", want, int(got) if got else None),
                       ("pclntab.bytes = epclntab - pclntab", size,
                        b["metrics"].get("pclntab.bytes"))):
        print(("ok - %s: %s = %s" % (name, what, g)) if w == g else
              ("not ok - %s: %s: expected %s (llvm-nm/llvm-readobj), got %s" % (name, what, w, g)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
