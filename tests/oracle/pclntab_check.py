#!/usr/bin/env python3
"""pclntab_check.py NAME ORACLE_TXT MEASURE_JSON FILE TWIN FOUND - relgate's
pclntab numbers for FILE against `gosym_oracle -funcs` run on TWIN (FILE
itself, or its unstripped twin when FILE is stripped), for
test_pclntab_go.sh (through oracle_batch.py).

pclntab.funcs = len(Table.Funcs), pclntab.files = len(Table.Files),
pclntab.bytes = the table's size, info pclntab.found_by = FOUND (or the
oracle's own answer when FOUND is "oracle"), pclntab.go_version for Go 1.19's
0xfffffff0 magic, pclntab.size_source following found_by
(docs/format-pclntab.md). The offset is the oracle's when FILE is TWIN;
otherwise the bytes relgate points at in FILE must equal the twin's table
but for the textStart word (header word 2, an address).
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pclntab_pkgs import read_oracle  # noqa: E402


def main():
    name, otxt, mjson, path, twin, found = sys.argv[1:7]
    o, _ = read_oracle(otxt)
    b = json.load(open(mjson))["binaries"][0]
    m, info = b["metrics"], b.get("info", {})

    def check(what, want, got):
        if str(want) == str(got):
            print("ok - pclntab %s: %s" % (name, what))
        else:
            print("not ok - pclntab %s: %s: expected %s, got %s" % (name, what, want, got))
    check("funcs", o["funcs"], m.get("pclntab.funcs"))
    check("files", o["files"], m.get("pclntab.files"))
    check("bytes", o["size"], m.get("pclntab.bytes"))
    check("found_by", found if found != "oracle" else o["found"], info.get("pclntab.found_by"))
    check("go_version", "go1.18-1.19", info.get("pclntab.go_version"))
    want_src = {"section": "section", "symbols": "symbols", "magic-scan": "derived"}
    check("size_source", want_src[info.get("pclntab.found_by", "x").split(" ")[0]]
          if info.get("pclntab.found_by") else "?", info.get("pclntab.size_source"))
    if path == twin:
        check("offset", o["offset"], info.get("pclntab.offset"))
    else:
        size, off = int(o["size"]), int(info.get("pclntab.offset", -1))
        a = open(twin, "rb").read()[int(o["offset"]):int(o["offset"]) + size]
        c = open(path, "rb").read()[off:off + size] if off >= 0 else b""
        p = a[7] if len(a) > 8 else 8
        same = len(a) == len(c) and a[:8 + 2 * p] == c[:8 + 2 * p] and a[8 + 3 * p:] == c[8 + 3 * p:]
        check("table bytes at offset %d" % off, True, same)
    return 0


if __name__ == "__main__":
    sys.exit(main())
