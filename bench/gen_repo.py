#!/usr/bin/env python3
"""bench/gen_repo.py - the working tree of a generated benchmark repository.

    gen_repo.py DIR DIRS FILES MAX_REPEAT BUILD BUDGET

Writes DIRS x FILES small C files, src/dNNN/subK/fNNN.c (K = NNN mod 7),
each a line repeated 1 to MAX_REPEAT times (a fixed seed: the same tree
every run), and a relgate.yml whose one target `t` runs BUILD, has the
artifact $RELGATE_OUT/t and the one budget line BUDGET (file.size: {...}).
"""
import os
import random
import sys


def main():
    root, dirs, files, rep, build, budget = sys.argv[1:7]
    r = random.Random(10)
    for d in range(int(dirs)):
        p = os.path.join(root, "src", "d%03d" % d, "sub%d" % (d % 7))
        os.makedirs(p)
        for f in range(int(files)):
            with open(os.path.join(p, "f%03d.c" % f), "w") as fh:
                fh.write(("/* file %d/%d */\nint f_%d_%d(void) { return %d; }\n" % (d, f, d, f, f))
                         * r.randint(1, int(rep)))
    with open(os.path.join(root, "relgate.yml"), "w") as fh:
        fh.write("version: 1\ntargets:\n  t:\n    build: '%s'\n"
                 "    artifact: $RELGATE_OUT/t\n    budgets:\n      %s\n" % (build, budget))


if __name__ == "__main__":
    main()
