#!/usr/bin/env python3
"""bench/compare.py - times two commands on the same input in one run.

    compare.py RUNS NAME DETAIL OURS_CMD REF_NAME REF_CMD [TARGET]

Each command is a shell-quoted string, split with shlex and started
directly (no shell in between, stdout to /dev/null), so the spawn cost of
a shell does not fall on the faster tool. The runs alternate (ours,
reference, ours, ...) after one unmeasured warm-up of each, so that a
shared machine's load and the page cache weigh on both alike. Wall time
comes from a monotonic clock around spawn and wait; CPU time (user + sys)
from the child's own rusage (os.wait4). Prints the medians and both
ratios (reference / ours) on one line, then the CPU line indented.

When valgrind is installed (and BENCH_INSTRUCTIONS is not 0), each command
also runs once under callgrind, which counts the instructions executed in
user space (the dynamic loader's included, the kernel's not): a count that
does not move with the machine's load, printed as a third line.

With TARGET (a number), the case is one where relgate should take at most
TARGET times the reference (the gate against the same steps by hand, a
parse against the bare-scan floor): a last line prints relgate/reference
for wall and CPU time beside the target. Wall time decides it (it is what
users wait for); CPU time and instructions are the figures that a shared
machine's load does not move.
"""
import os
import re
import shlex
import shutil
import subprocess
import statistics
import sys
import time


def run_once(argv):
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        t0 = time.perf_counter()
        pid = os.posix_spawnp(argv[0], argv, os.environ,
                              file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1),
                                            (os.POSIX_SPAWN_DUP2, devnull, 2)])
        _, status, ru = os.wait4(pid, 0)
        wall = time.perf_counter() - t0
    finally:
        os.close(devnull)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # relgate exits 1 on a breach; neither happens here
        sys.exit("compare.py: %s exited %d" % (argv[0], code))
    return wall * 1000, (ru.ru_utime + ru.ru_stime) * 1000


def instructions(argv):
    """Instructions executed by argv, from callgrind's summary line."""
    r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + argv,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    m = re.search(r"Collected : (\d+)", r.stderr)
    return int(m.group(1)) if m else None


def main():
    if len(sys.argv) not in (7, 8):
        sys.exit(__doc__)
    target = float(sys.argv[7]) if len(sys.argv) == 8 else None
    runs = max(1, int(sys.argv[1]))
    name, detail, ours, ref_name, ref = sys.argv[2:7]
    instr = shutil.which("valgrind") and os.environ.get("BENCH_INSTRUCTIONS", "1") != "0"
    a, b = shlex.split(ours), shlex.split(ref)
    run_once(a)
    run_once(b)
    wa, ca, wb, cb = [], [], [], []
    for _ in range(runs):
        w, c = run_once(a)
        wa.append(w)
        ca.append(c)
        w, c = run_once(b)
        wb.append(w)
        cb.append(c)
    ow, rw = statistics.median(wa), statistics.median(wb)
    oc, rc = statistics.median(ca), statistics.median(cb)
    print("%-28s %-40s relgate %8.1f ms   %-28s %8.1f ms   ratio %.1fx"
          % (name, detail, ow, ref_name, rw, rw / ow if ow else 0))
    print("  cpu time (median of %d): relgate %.1f ms, reference %.1f ms, ratio %.1fx"
          % (runs, oc, rc, rc / oc if oc else 0))
    if instr:
        ia, ib = instructions(a), instructions(b)
        if ia and ib:
            print("  instructions (callgrind): relgate %d, reference %d, ratio %.1fx"
                  % (ia, ib, ib / ia))
    if target is not None:
        slow = ow / rw if rw else 0
        print("  relgate/reference: wall %.2fx, cpu %.2fx (target <= %.1fx): %s"
              % (slow, oc / rc if rc else 0, target, "met" if slow <= target else "MISSED"))
    return 0 if target is None or ow <= target * rw else 1


if __name__ == "__main__":
    sys.exit(main())
