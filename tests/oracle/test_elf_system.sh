#!/bin/sh
# test_elf_system.sh - relgate over ELF files found on this machine (up to
# 40 shared objects and executables from /usr/lib/x86_64-linux-gnu and
# /usr/bin, whatever their toolchain), each judged by
# tests/oracle/elf_oracle.py against llvm-readelf and binutils readelf:
# one line per file (every count, every dirty-page figure).
. "$ROOT/tests/oracle/elf_lib.sh"
[ -x "$LLVM_BIN/llvm-readelf" ] || { skip "elf system" "no llvm-readelf in $LLVM_BIN"; exit 0; }
list="$TEST_TMP/files"
# Regular ELF files only, 8 KiB to 3 MiB (the big one is test_elf_libllvm),
# a deterministic spread: sorted, every Nth, up to 20 per directory.
python3 - /usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu /usr/bin >"$list" <<'PY'
import os, sys
for d in sys.argv[1:]:
    if not os.path.isdir(d):
        continue
    cand = []
    for n in sorted(os.listdir(d)):
        p = os.path.join(d, n)
        try:
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            size = os.path.getsize(p)
            if not 8 << 10 < size < 3 << 20:
                continue
            with open(p, "rb") as f:
                if f.read(4) == b"\x7fELF":
                    cand.append(p)
        except OSError:
            pass
    step = max(1, len(cand) // 20)
    for p in cand[step - 1::step][:20]:
        print(p)
PY
if [ ! -s "$list" ]; then skip "elf system" "no ELF files found"; exit 0; fi
while read -r f; do
	judge "system:$f" "$f" --summary
done <"$list"
judge_all
