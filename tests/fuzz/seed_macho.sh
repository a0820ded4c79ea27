#!/bin/sh
# tests/fuzz/seed_macho.sh CORPUS_DIR - seeds the Mach-O fuzzer with
#  - tiny hand-built images (under 2 KiB, so mutations are fast): 64- and
#    32-bit, both byte orders, dyld info streams (rebase, bind, weak, lazy,
#    threaded), chained fixups in several pointer formats with a multi-start
#    page, classic relocations, universal files (FAT_MAGIC, FAT_MAGIC_64);
#  - the Mach-O fixtures the oracle tests built under $FIXTURES/macho (make
#    check builds them), when under 256 KiB.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
corpus=$1
mkdir -p "$corpus"
# Inputs the fuzzer once crashed on (issue 12 item 8: same-named sections
# whose sizes add up past INT64_MAX), so every run starts from them.
python3 "$ROOT/tests/oracle/overflow_gen.py" "$corpus/seed-overflow-two-bss.macho" 0x4000000000000000 macho
python3 - "$corpus" <<'PY'
import os, struct, sys
out = sys.argv[1]

def image(be=False, is64=True, info=None, chained=None, classic=False, cpu=0x0100000c, sub=0):
    e = ">" if be else "<"
    W = "Q" if is64 else "I"
    hdr = 32 if is64 else 28
    segsz = 72 if is64 else 56
    secsz = 80 if is64 else 68
    cmds = []
    def seg(name, va, vs, fo, fs, prot, flags=0, sects=()):
        b = struct.pack(e + "2I16s4" + W + "4I", 0x19 if is64 else 0x1,
                        segsz + secsz * len(sects), name, va, vs, fo, fs, prot, prot,
                        len(sects), flags)
        for sn, sa, ss, so in sects:
            b += struct.pack(e + "16s16s2" + W + "8I" if is64 else e + "16s16s2I7I",
                             sn, name, sa, ss, so, 3, 0, 0, 0, 0, 0, *((0,) if is64 else ()))
        return b
    linkedit = bytearray()
    le_off = 0x600
    cmds.append(seg(b"__PAGEZERO", 0, 0x1000, 0, 0, 0))
    cmds.append(seg(b"__TEXT", 0x1000, 0x1000, 0, 0x400, 5, 0, [(b"__text", 0x13c0, 0x40, 0x3c0)]))
    cmds.append(seg(b"__DATA_CONST", 0x2000, 0x1000, 0x400, 0x80, 3, 0x10, [(b"__got", 0x2000, 0x40, 0x400)]))
    cmds.append(seg(b"__DATA", 0x3000, 0x2000, 0x480, 0x80, 3, 0, [(b"__data", 0x3000, 0x80, 0x480)]))
    body = bytearray(0x600)
    ps = 8 if is64 else 4
    if info:
        offs = []
        for stream in info:
            offs += [le_off + len(linkedit), len(stream)]
            linkedit += stream
        while len(offs) < 10:
            offs += [0, 0]
        cmds.append(struct.pack(e + "12I", 0x80000022, 48, *offs))
    if chained:
        fmt, starts = chained
        hdrc = struct.pack(e + "7I", 0, 28, 0, 0, 1, 1, 0)
        sii = struct.pack(e + "5I", 4, 0, 0, 24, 0)
        npages = 2
        sis = struct.pack(e + "IHHQIH", 22 + 2 * (npages + len(starts) - 1), 0x1000, fmt,
                          0x1000, 0, npages) + struct.pack(e + "%dH" % (npages + len(starts) - 1),
                          *([starts[0]] + [0xffff] + list(starts[1:])))
        blob = hdrc + sii.ljust(24, b"\0") + sis
        blob = blob.ljust((len(blob) + 7) & ~7, b"\0")
        imp = len(blob)
        blob += struct.pack(e + "I", 0xfe | (1 << 9)) + b"\0_x\0"
        blob = bytearray(blob)
        struct.pack_into(e + "I", blob, 8, imp)
        struct.pack_into(e + "I", blob, 12, imp + 4)
        cmds.append(struct.pack(e + "4I", 0x80000034, 16, le_off + len(linkedit), len(blob)))
        linkedit += blob
        # a chain of three pointers in __DATA_CONST (format 2 layout)
        for i, nxt in enumerate((2, 2, 0)):
            v = (nxt << 51) | (0x3000 + i)
            if i == 1:
                v = (1 << 63) | (nxt << 51)
            struct.pack_into(e + "Q", body, 0x400 + 8 * i, v)
    if classic:
        rel = struct.pack(e + "iI", 0x10, (3 << 25)) + struct.pack(e + "iI", 0x18, (3 << 25) | (1 << 27))
        dys = [0] * 18
        dys[14], dys[15] = le_off + len(linkedit) + 8, 1
        dys[16], dys[17] = le_off + len(linkedit), 1
        linkedit += rel
        cmds.append(struct.pack(e + "20I", 0xb, 80, *dys))
    cmds.append(seg(b"__LINKEDIT", 0x5000, 0x1000, le_off, len(linkedit), 1))
    lc = b"".join(cmds)
    h = struct.pack(e + "7I", 0xfeedfacf if is64 else 0xfeedface, cpu, sub, 2, len(cmds), len(lc), 0)
    if is64:
        h += b"\0" * 4
    img = bytearray(h + lc)
    assert len(img) <= 0x3c0
    img += body[len(img):]
    return bytes(img[:0x600] + linkedit)

rebase = bytes([0x11, 0x23, 0x00, 0x54, 0x72, 0x08, 0x81, 0x02, 0x08, 0x00])
bind = bytes([0x11, 0x40]) + b"_x\0" + bytes([0x51, 0x72, 0x40, 0x90, 0xa0, 0x08, 0xb1, 0xc2, 0x02, 0x08, 0x00])
weak = bytes([0x40]) + b"_w\0" + bytes([0x51, 0x72, 0x00, 0x90, 0x48]) + b"_s\0" + b"\0"
lazy = bytes([0x72, 0x08, 0x11, 0x40]) + b"_l\0" + bytes([0x90, 0x00, 0x72, 0x10, 0x11, 0x40]) + b"_m\0" + bytes([0x90, 0x00])
threaded = bytes([0xd0, 0x01, 0x40]) + b"_t\0" + bytes([0x11, 0x90, 0x72, 0x00, 0xd1, 0x00])
seeds = {
    "info64": image(info=[rebase, bind, weak, lazy]),
    "info64be": image(be=True, info=[rebase, bind, weak, lazy]),
    "info32": image(is64=False, info=[rebase, bind, weak, lazy], cpu=12, sub=9),
    "threaded": image(info=[b"", threaded], sub=2),
    "chained64": image(chained=(2, [0])),
    "chained-arm64e": image(chained=(1, [0]), sub=2),
    "chained-offset": image(chained=(6, [0])),
    "chained32multi": image(is64=False, chained=(3, [0x8002, 0x0, 0x8010]), cpu=12, sub=9),
    "classic": image(classic=True, cpu=0x01000007, sub=3),
}
for n, b in seeds.items():
    open(os.path.join(out, "mini-" + n), "wb").write(b)
a, c = seeds["info64"], seeds["info32"]
fat = struct.pack(">2I", 0xcafebabe, 2) + struct.pack(">5I", 0x0100000c, 0, 0x1000, len(a), 12) + \
    struct.pack(">5I", 12, 9, 0x2000, len(c), 12)
fat = fat.ljust(0x1000, b"\0") + a
fat = fat.ljust(0x2000, b"\0") + c
open(os.path.join(out, "mini-fat"), "wb").write(fat)
fat64 = struct.pack(">2I", 0xcafebabf, 1) + struct.pack(">2I2Q2I", 0x0100000c, 0, 0x100, len(a), 8, 0)
open(os.path.join(out, "mini-fat64"), "wb").write(fat64.ljust(0x100, b"\0") + a)
PY
fix="${FIXTURES:-$ROOT/build/fixtures}/macho"
[ -d "$fix" ] || exit 0
find "$fix" -type f -size -256k | while read -r f; do
	case "$f" in *.c|*.o|*.go|*.json|*.lst|*.tbd|*.log|*.name|*/done|*.objdump-*) continue ;; esac
	magic=$(od -An -tx1 -N4 "$f" 2>/dev/null | tr -d ' ')
	case "$magic" in
	cffaedfe|cefaedfe|feedfacf|feedface|cafebabe|cafebabf) ;;
	*) continue ;;
	esac
	cp "$f" "$corpus/seed-$(echo "$f" | cksum | cut -d' ' -f1)-$(basename "$f")"
done
exit 0
