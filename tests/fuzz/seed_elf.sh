#!/bin/sh
# tests/fuzz/seed_elf.sh CORPUS_DIR - seeds the ELF fuzzer with the small
# ELF fixtures the oracle tests built under $FIXTURES/elf (make check builds
# them), or small system ELF files: ELF32/ELF64, both byte orders, REL/RELA/RELR/APS2, Go. Only files
# under 256 KiB are copied, so the fuzzer's mutations stay fast.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
corpus=$1
fix="${FIXTURES:-$ROOT/build/fixtures}/elf"
mkdir -p "$corpus"
# Inputs the fuzzer once crashed on (issue 12 item 8: same-named sections
# whose sizes add up past INT64_MAX), so every run starts from them.
python3 "$ROOT/tests/oracle/overflow_gen.py" "$corpus/seed-overflow-two-bss.elf" 0x4000000000000000 elf
# Before the oracle tests ran (a clean tree), small system ELF files seed it.
for f in /bin/true /usr/bin/true /usr/lib/x86_64-linux-gnu/libdl.so.2 /lib/x86_64-linux-gnu/libdl.so.2; do
	[ -f "$f" ] && [ "$(wc -c <"$f")" -lt 262144 ] && cp "$f" "$corpus/seed-sys-$(basename "$f")"
done
[ -d "$fix" ] || exit 0
for f in "$fix"/*; do
	[ -f "$f" ] || continue
	case "$f" in *.key|*.c|*.o|*.go|*.new|*.log) continue ;; esac
	head -c 4 "$f" 2>/dev/null | grep -q ELF || continue
	[ "$(wc -c <"$f")" -lt 262144 ] || continue
	cp "$f" "$corpus/seed-$(basename "$f")"
done
exit 0
