#!/bin/sh
# test_elf_malformed.sh - hostile and broken ELF files: truncated at many
# offsets, tables past the end of the file, absurd counts and sizes, a RELR
# bitmap with no base address, broken APS2 streams. Each must give exit 2
# and exactly one line "relgate: FILE: what is wrong" naming the problem,
# never a crash or a sanitizer report (those exit 98/99, see tests/run.sh).
# The damaged files are derived at test time from lld-built fixtures; the
# comment beside each case says which field is damaged and how.
. "$ROOT/tests/oracle/elf_lib.sh"
if ! need clang-19 ld.lld-19 python3; then skip "elf malformed" "clang-19/ld.lld-19 missing"; exit 0; fi
CC='clang-19 --target=x86_64-linux-gnu -O1 -fPIC -c -o lib.x86_64.o lib.c'
fixture lld-plain "$CC && ld.lld-19 -shared -o \"\$OUT\" lib.x86_64.o" || { not_ok "malformed: fixture" "build failed"; exit 0; }
fixture lld-relr "$CC && ld.lld-19 -shared -z pack-relative-relocs -o \"\$OUT\" lib.x86_64.o" || exit 0
fixture lld-android "$CC && ld.lld-19 -shared --pack-dyn-relocs=android -o \"\$OUT\" lib.x86_64.o" || exit 0

fixture x-arm "clang-19 --target=armv7a-linux-gnueabihf -O1 -fPIC -nostdlib -c -o lib.x-arm.o lib.c && ld.lld-19 -shared -o \"\$OUT\" lib.x-arm.o" || exit 0

mkdir -p "$TEST_TMP/bad"
python3 - "$ELF_FIX" "$TEST_TMP/bad" >"$TEST_TMP/manifest" <<'PY'
import struct, sys
fix, out = sys.argv[1], sys.argv[2]

def load(name):
    return bytearray(open("%s/%s" % (fix, name), "rb").read())

def save(name, data, want):
    open("%s/%s" % (out, name), "wb").write(data)
    print("%s|%s" % (name, want))

def phdrs(d):
    """(index, file offset of the entry, type, p_offset, p_vaddr, p_filesz) of an ELF64 LE file."""
    phoff, = struct.unpack_from("<Q", d, 32)
    n, = struct.unpack_from("<H", d, 56)
    for i in range(n):
        o = phoff + 56 * i
        t, = struct.unpack_from("<I", d, o)
        off, va, _, fs = struct.unpack_from("<QQQQ", d, o + 8)
        yield i, o, t, off, va, fs

def dyn_entry(d, tag):
    """File offset of the value of the first dynamic entry with tag."""
    for _, _, t, off, _, fs in phdrs(d):
        if t == 2:
            for o in range(off, off + fs, 16):
                tg, = struct.unpack_from("<q", d, o)
                if tg == tag:
                    return o + 8
    raise SystemExit("no tag %x" % tag)

def vaddr_to_off(d, va):
    for _, _, t, off, pva, fs in phdrs(d):
        if t == 1 and pva <= va < pva + fs:
            return off + va - pva

def set_dyn(d, tag, val):
    struct.pack_into("<Q", d, dyn_entry(d, tag), val)

base = load("lld-plain")
# Truncated at many offsets: inside the ELF header, the program headers,
# the dynamic section, the tables, and the section header table at the end.
n = len(base)
cuts = sorted(set([0, 1, 3, 4, 5, 16, 17, 40, 63, 64, 65, 100, 119, 120, 200, 300, 400, 511,
                   512, 800, 1000, 1500, 2000, n // 3, n // 2, n - 200, n - 64, n - 1]))
for c in cuts:
    if 0 <= c < n:
        save("trunc-%d" % c, base[:c], "")

# Unknown class / data encoding in e_ident.
d = load("lld-plain"); d[4] = 7; save("bad-class", d, "unknown ELF class 7")
d = load("lld-plain"); d[5] = 9; save("bad-data", d, "unknown ELF data encoding 9")
# e_phnum absurd: 0xfffe program headers cannot fit in the file.
d = load("lld-plain"); struct.pack_into("<H", d, 56, 0xfffe)
save("phnum-absurd", d, "program header table (65534 entries) lies past the end of the file")
# e_phentsize wrong.
d = load("lld-plain"); struct.pack_into("<H", d, 54, 48)
save("phentsize", d, "program header entry size is 48, expected 56")
# e_shoff past the end of the file.
d = load("lld-plain"); struct.pack_into("<Q", d, 40, len(d) + 4096)
save("shoff-past-eof", d, "section header table lies past the end of the file")
# e_shnum absurd.
d = load("lld-plain"); struct.pack_into("<H", d, 60, 0xfff0)
save("shnum-absurd", d, "section header table (65520 entries) lies past the end of the file")
# PT_DYNAMIC's p_offset past the end of the file.
d = load("lld-plain")
for i, o, t, off, va, fs in phdrs(d):
    if t == 2:
        struct.pack_into("<Q", d, o + 8, len(d) + 100)
save("dynamic-past-eof", d, "dynamic section lies past the end of the file")
# A PT_LOAD whose file part runs past the end of the file.
d = load("lld-plain")
for i, o, t, off, va, fs in phdrs(d):
    if t == 1:
        struct.pack_into("<QQ", d, o + 32, len(d) * 2, len(d) * 2)  # p_filesz, p_memsz
        break
save("load-past-eof", d, "lies past the end of the file")
# A PT_LOAD with p_filesz > p_memsz.
d = load("lld-plain")
for i, o, t, off, va, fs in phdrs(d):
    if t == 1:
        struct.pack_into("<Q", d, o + 40, 1)  # p_memsz
        break
save("filesz-gt-memsz", d, "larger than its memory size")
# A PT_LOAD that wraps around the address space.
d = load("lld-plain")
for i, o, t, off, va, fs in phdrs(d):
    if t == 1:
        struct.pack_into("<QQ", d, o + 16, 0xfffffffffffff000, 0xfffffffffffff000)
        struct.pack_into("<Q", d, o + 40, 0x10000)
        break
save("load-wraps", d, "wraps around the address space")
# DT_RELASZ absurd (2^62): the table lies past the end of the file.
d = load("lld-plain"); set_dyn(d, 8, 24 << 56)
save("relasz-absurd", d, "DT_RELA table")
# DT_RELA pointing past every segment.
d = load("lld-plain"); set_dyn(d, 7, 0x7fff00000000)
save("rela-unmapped", d, "DT_RELA address 0x7fff00000000 is not inside any PT_LOAD")
# DT_RELASZ not a multiple of 24.
d = load("lld-plain"); v, = struct.unpack_from("<Q", d, dyn_entry(d, 8)); set_dyn(d, 8, v - 5)
save("relasz-odd", d, "is not a multiple of its entry size 24")
# DT_RELAENT wrong.
d = load("lld-plain"); set_dyn(d, 9, 16)
save("relaent", d, "DT_RELA entry size is 16, expected 24")
# DT_PLTRELSZ absurd.
d = load("lld-plain"); set_dyn(d, 2, (1 << 40) * 24)
save("pltrelsz-absurd", d, "DT_JMPREL table")
# DT_PLTREL neither DT_REL nor DT_RELA.
d = load("lld-plain"); set_dyn(d, 20, 99)
save("pltrel-bad", d, "DT_PLTREL is 99")
# RELR: the first entry made a bitmap (odd) -> no base address.
d = load("lld-relr")
relr = vaddr_to_off(d, struct.unpack_from("<Q", d, dyn_entry(d, 36))[0])
struct.pack_into("<Q", d, relr, 0xff)
save("relr-no-base", d, "DT_RELR table with no base address entry")
# RELR: DT_RELRSZ absurd.
d = load("lld-relr"); set_dyn(d, 35, 1 << 50)
save("relrsz-absurd", d, "DT_RELR table")
# RELR: DT_RELRENT wrong.
d = load("lld-relr"); set_dyn(d, 37, 4)
save("relrent", d, "DT_RELR entry size is 4, expected 8")
# APS2: the stream cut to 6 bytes (magic, then the count's SLEB runs out).
d = load("lld-android"); set_dyn(d, 0x60000012, 5)
save("aps2-truncated", d, "APS2 stream truncated")
# APS2: bad magic.
d = load("lld-android")
aps = vaddr_to_off(d, struct.unpack_from("<Q", d, dyn_entry(d, 0x60000011))[0])
d[aps:aps + 4] = b"APS3"
save("aps2-magic", d, "does not start with the APS2 magic")
# APS2: an absurd relocation count (SLEB 2^40) in a stream that follows.
d = load("lld-android")
d[aps + 4:aps + 10] = bytes([0x80, 0x80, 0x80, 0x80, 0x80, 0x20])
save("aps2-count", d, "is absurd")
# APS2: every byte after the header an unterminated SLEB continuation.
d = load("lld-android")
sz, = struct.unpack_from("<Q", d, dyn_entry(d, 0x60000012))
d[aps + 6:aps + sz] = b"\x80" * (sz - 6)
save("aps2-unterminated", d, "APS2 stream truncated")
# ELF32 (ARM) truncated: header, program headers, section headers.
arm = load("x-arm")
for c in (30, 52, 60, 200, len(arm) - 1):
    save("arm-trunc-%d" % c, arm[:c], "")
# A file that is only an ELF identification.
save("ident-only", load("lld-plain")[:16], "ELF header truncated")
PY
if [ ! -s "$TEST_TMP/manifest" ]; then not_ok "malformed: generator" "no cases"; exit 0; fi

while IFS='|' read -r name want; do
	f="$TEST_TMP/bad/$name"
	"$RELGATE" measure --format json "$f" >"$TEST_TMP/m.out" 2>"$TEST_TMP/m.err"
	rc=$?
	lines=$(wc -l <"$TEST_TMP/m.err")
	first=$(head -n 1 "$TEST_TMP/m.err")
	if [ "$rc" -ne 2 ]; then
		not_ok "malformed $name: exit 2" "exit $rc; stderr: $(head -c 300 "$TEST_TMP/m.err")"
	elif [ "$lines" -ne 1 ] || [ -s "$TEST_TMP/m.out" ]; then
		not_ok "malformed $name: one line, no output" "$lines stderr lines, $(wc -c <"$TEST_TMP/m.out") stdout bytes"
	else
		case "$first" in
		"relgate: $f: "*"$want"*) ok "malformed $name: $first" ;;
		*) not_ok "malformed $name: message" "wanted 'relgate: $f: ...$want...', got '$first'" ;;
		esac
	fi
done <"$TEST_TMP/manifest"
