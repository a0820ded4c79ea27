#!/usr/bin/env python3
# tests/gh_parse.py FILE - parses the GitHub workflow commands in FILE the
# way the runner does and prints them as a JSON list of
# {"cmd", "props", "data"}: a command is a line "::" NAME [" " PROPS] "::"
# DATA, PROPS "k=v" separated by ","; values are unescaped per
# @actions/core's command.ts (data: %25 %0D %0A; properties also %3A %2C).
# Other lines are ignored; a trailing CR (a terminal's CRLF) is dropped.
# An unescaped ':' or CR inside a property, or a CR in data, is an error.
import sys, json
def unesc_data(s):
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")
def unesc_prop(s):
    return (s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":")
             .replace("%2C", ",").replace("%25", "%"))
out = []
for line in open(sys.argv[1], newline="\n"):
    line = line.rstrip("\n")
    if line.endswith("\r"):
        line = line[:-1]
    if not line.startswith("::"):
        continue
    rest = line[2:]
    end = rest.index("::")
    head, data = rest[:end], rest[end + 2:]
    name, _, props = head.partition(" ")
    p = {}
    if props:
        for kv in props.split(","):
            k, _, v = kv.partition("=")
            assert ":" not in v and "\r" not in v, "unescaped property " + kv
            p[k] = unesc_prop(v)
    assert "\r" not in data
    out.append({"cmd": name, "props": p, "data": unesc_data(data)})
json.dump(out, sys.stdout)
