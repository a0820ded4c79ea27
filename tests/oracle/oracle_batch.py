#!/usr/bin/env python3
"""oracle_batch.py QUEUE - runs many oracle calls in one python process.

Starting python costs about half a second on the test machine, more than
judging a fixture, so the oracle tests queue their calls (fixture_lib.sh's
oracle_queue) and run them here at the end: one process per test script
instead of one per fixture.

Each QUEUE line is tab-separated words:
  SCRIPT ARG...          calls main() of tests/oracle/SCRIPT (pe_oracle.py,
                         macho_oracle.py, ...) with sys.argv = [SCRIPT, ARG...],
                         exactly as `python3 SCRIPT ARG...` would;
  json NAME FILE EXPR WANT
                         evaluates the python expression EXPR over the JSON
                         document in FILE (`doc`; `b` is doc["binaries"][0]
                         when there is one) and prints `ok - NAME` when
                         str() of it equals WANT, as tests/lib.sh's check_eq.
A script that raises or exits non-zero prints a `not ok` line, so a broken
oracle can never pass silently, and makes the exit status 1 (so a fixture
build can run its generators, e.g. macho_chains.py, through here too).
"""
import importlib.util
import json
import os
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
modules = {}


def load(script):
    if script not in modules:
        spec = importlib.util.spec_from_file_location(
            "oracle_" + script.replace(".", "_"), os.path.join(HERE, script))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        modules[script] = mod
    return modules[script]


def json_check(name, path, expr, want):
    try:
        doc = json.load(open(path))
        b = doc["binaries"][0] if isinstance(doc, dict) and doc.get("binaries") else None
        got = eval(expr, {"doc": doc, "b": b})
    except Exception as e:  # a missing key is a failed check, not a crash
        print("not ok - %s: %s on %s: %s: %s" % (name, expr, path, type(e).__name__, e))
        return
    if str(got) == want:
        print("ok - %s" % name)
    else:
        print("not ok - %s: expected '%s', got '%s'" % (name, want, got))


def call(script, args):
    what = " ".join([script] + args)[:200]
    saved = sys.argv
    sys.argv = [os.path.join(HERE, script)] + args
    try:
        rc = load(script).main()
    except SystemExit as e:
        rc = e.code
    except Exception:
        print("not ok - oracle %s: %s" % (what, traceback.format_exc().splitlines()[-1]))
        return False
    finally:
        sys.argv = saved
        sys.stdout.flush()
    if isinstance(rc, str):  # raise SystemExit("not ok - ...") style
        print(rc if rc.startswith("not ok - ") else "not ok - oracle %s: %s" % (what, rc))
        return False
    if rc:
        print("not ok - oracle %s: exited %s" % (what, rc))
        return False
    return True


def main():
    failed = 0
    lines = open(sys.argv[1]).readlines()
    if not lines:  # the queue's writer failed: nothing was judged
        print("not ok - oracle_batch: %s is empty" % sys.argv[1])
        return 1
    for line in lines:
        words = line.rstrip("\n").split("\t")
        if not words[0]:
            continue
        if words[0] == "json":
            if len(words) != 5:
                print("not ok - oracle_batch: bad json line: %r" % line)
                continue
            json_check(*words[1:])
        elif not call(words[0], words[1:]):
            failed += 1
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
