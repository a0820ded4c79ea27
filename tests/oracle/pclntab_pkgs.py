"""pclntab_pkgs.py NAME ORACLE_TXT MEASURE_JSON

Checks relgate's per-package pclntab breakdown (measure --packages JSON)
against the function list printed by `gosym_oracle -funcs`: the function
count of every package must equal what debug/gosym's Sym.PackageName gives,
adjusted by the rules of docs/format-pclntab.md (applied below, written
from the doc, not from relgate's C): %xx unescaped, vendored copies under
their own path, type..eq./type..hash. functions under their type's package,
other compiler-generated ones under "go:" / "type:", the rest "(none)".
Also: the package bytes add up to 80-100% of pclntab.bytes, and packages
are sorted by bytes. Prints TAP-like ok / not ok lines.
"""
import json
import re
import sys


def check(name, what, want, got):
    if str(want) == str(got):
        print("ok - %s: %s" % (name, what))
    else:
        print("not ok - %s: %s: expected %s, got %s" % (name, what, want, got))


def unescape(s):
    return re.sub(r"%([0-9a-fA-F]{2})", lambda x: chr(int(x.group(1), 16)), s)


def gosym_pkg(n):
    i, j = n.find("["), n.rfind("]")
    if i >= 0 and j > i:
        n = n[:i] + n[j + 1:]
    end = max(n.rfind("/"), 0)
    k = n.find(".", end)
    return n[:k] if k > 0 else ""


def path_ok(p):
    return p and re.fullmatch(r"[A-Za-z0-9_.~/%+-]+", p)


def read_oracle(otxt):
    """gosym_oracle -funcs output: ({key: value}, [[package, function]...])."""
    o, funcs = {}, []
    for line in open(otxt):
        k, _, v = line.rstrip("\n").partition(" ")
        if k == "func":
            funcs.append(v.split("\t", 1))
        else:
            o[k] = v
    return o, funcs


def main():
    name, otxt, mjson = sys.argv[1:4]
    o, funcs = read_oracle(otxt)
    b = json.load(open(mjson))["binaries"][0]

    want = {}
    for pkg, fn in funcs:
        if not pkg:
            if fn.startswith("type.."):
                rest = re.sub(r"^type\.\.(eq\.|hash\.)?", "", fn).lstrip("*")
                p = gosym_pkg(rest)
                pkg = p if path_ok(p) else "type:"
            elif fn.startswith("go."):
                pkg = "go:"
            else:
                pkg = "(none)"
        if pkg not in ("type:", "go:", "(none)"):
            pkg = unescape(pkg)
            pkg = re.sub(r"^(.*/)?vendor/", "", pkg)
        want[pkg] = want.get(pkg, 0) + 1
    got = {p["package"]: p["funcs"] for p in b.get("pclntab_packages", [])}
    bad = sorted(p for p in set(want) | set(got) if want.get(p) != got.get(p))
    check(name, "funcs per package (%d packages)" % len(want), [],
          ["%s: want %s got %s" % (p, want.get(p), got.get(p)) for p in bad[:5]])
    total = sum(p["bytes"] for p in b.get("pclntab_packages", []))
    size = int(b["metrics"].get("pclntab.bytes", 0))
    ratio = total / max(size, 1)
    check(name, "package bytes %.3f of pclntab.bytes" % ratio, True, 0.8 <= ratio <= 1.0)
    order = [p["bytes"] for p in b.get("pclntab_packages", [])]
    check(name, "packages sorted by bytes", True, order == sorted(order, reverse=True))
    check(name, "main package present", True, "main" in got)
    return 0


if __name__ == "__main__":
    sys.exit(main())
