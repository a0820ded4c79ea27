# test_pclntab_corrupt.sh - corrupted Go pclntab headers and tables give a
# note (or exit 2 when the container itself is broken), never a crash or a
# sanitizer report (ASan/UBSan exit 99/98 fail the test).
#
# Fixture: a Go program built at test time for linux/amd64 (Go 1.19,
# 0xfffffff0 layout), and a stripped copy whose .gopclntab section name is
# overwritten so the table is only found by the magic scan. Each case
# patches a copy at the table's offset (from readelf -S, parsed below):
# header words are at 8 + 8*i (nfunc, nfiles, textStart, funcnametab,
# cutab, filetab, pctab, pclntab offsets), see docs/format-pclntab.md.
# Hand-derived expectations: found by section, a header that fails
# validation leaves a note and no pclntab.funcs, while pclntab.bytes is
# still the section size; found by scan, a broken header is simply not a
# table (no pclntab metrics, no crash).
. "$ROOT/tests/lib.sh"

if ! need go python3 readelf; then
	skip "pclntab corrupt" "go, python3 or readelf missing"
	exit 0
fi
# The real interpreter, once: a version-manager shim costs ~0.5 s a call.
PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) || PY=python3
FIX=$FIXTURES/pclntab/corrupt-$(go env GOVERSION)-v1
if [ ! -f "$FIX/hello.renamed" ]; then
	d=$FIX.tmp.$$
	rm -rf "$d" && mkdir -p "$d" &&
		printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello") }\n' >"$d/main.go" &&
		(cd "$d" && CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -o hello main.go &&
			CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -ldflags='-s -w' -o hello_s main.go) \
			>"$TEST_TMP/build.log" 2>&1 &&
		"$PY" -I -c '
import sys
d = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(d.replace(b".gopclntab\0", b".gopclnXXX\0"))
' "$d/hello_s" "$d/hello.renamed" && rm -rf "$FIX" && mv "$d" "$FIX" || {
		not_ok "pclntab corrupt: fixture build" "$(tail -n 3 "$TEST_TMP/build.log")"
		exit 0
	}
fi
# Offset and size of .gopclntab in the stripped build (same bytes as the
# renamed copy).
set -- $(readelf -SW "$FIX/hello_s" | awk '$2 == ".gopclntab" { print $4, $5, $6 } $3 == ".gopclntab" { print $5, $6, $7 }')
ADDR=$((0x$1)) OFF=$((0x$2)) SIZE=$((0x$3))

# Every corrupted copy is written at once by python3, patching the table
# at offset OFF: $TEST_TMP/c.KIND from hello_s (found by section) and
# $TEST_TMP/c.scan-KIND from hello.renamed (found by scan).
KINDS="magic pad quantum ptrsize nfunc nfunc0 nfiles funcname pclnoff pclnshift funcoff funcoff-nomd npcdata pctab names garbage truncate"
"$PY" -I - "$FIX" "$TEST_TMP" "$OFF" "$SIZE" "$ADDR" $KINDS <<'PY'
import struct, sys
fix, tmp, off, size, addr, kinds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6:]
def make(src, out, kind):
    d = bytearray(open(src, "rb").read())
    def word(i, v):
        struct.pack_into("<Q", d, off + 8 + 8 * i, v)
    def rd(i):
        return struct.unpack_from("<Q", d, off + 8 + 8 * i)[0]
    if kind == "magic":      d[off] = 0x00
    elif kind == "pad":      d[off + 4] = 1
    elif kind == "quantum":  d[off + 6] = 3
    elif kind == "ptrsize":  d[off + 7] = 5
    elif kind == "nfunc":    word(0, 1 << 62)
    elif kind == "nfunc0":   word(0, 0)
    elif kind == "nfiles":   word(1, 1 << 40)
    elif kind == "funcname": word(3, 1 << 40)
    elif kind == "pclnoff":  word(7, size + 8)
    elif kind == "pclnshift": word(7, rd(7) + 4)
    elif kind == "funcoff":
        # functab entry 100 (u32 entryoff, u32 funcoff): past the first 32
        # entries the header check reads, so the walk meets it.
        struct.pack_into("<I", d, off + rd(7) + 8 * 100 + 4, 0xfffffff0)
    elif kind == "funcoff-nomd":
        # The same, and runtime.firstmoduledata's pointer to the table (its
        # first word; the table's address is found in the data after the
        # table) zeroed: nothing names the table's end any more.
        struct.pack_into("<I", d, off + rd(7) + 8 * 100 + 4, 0xfffffff0)
        i = d.find(struct.pack("<Q", addr), off + size)
        if i >= 0:
            d[i:i + 8] = bytes(8)
    elif kind == "npcdata":
        # npcdata (field 7 of the _func) of function 200 made huge.
        fo = struct.unpack_from("<I", d, off + rd(7) + 8 * 200 + 4)[0]
        struct.pack_into("<I", d, off + rd(7) + fo + 4 + 6 * 4, 0x7fffffff)
    elif kind == "pctab":
        # pc tables made of endless varint continuation bytes.
        start, end = off + rd(6), off + rd(7)
        d[start:end] = b"\x80" * (end - start)
    elif kind == "names":
        # function names without terminators.
        start, end = off + rd(3), off + rd(4)
        d[start:end] = b"A" * (end - start)
    elif kind == "garbage":
        d[off + 8:off + 8 + 64] = bytes((i * 37 + 11) & 0xff for i in range(64))
    elif kind == "truncate":
        d = d[:off + size // 2]
    open(out, "wb").write(bytes(d))
for k in kinds:
    make(fix + "/hello_s", tmp + "/c." + k, k)
    make(fix + "/hello.renamed", tmp + "/c.scan-" + k, k)
PY

# run NAME FILE: relgate must exit 0 or 2, never crash.
run() {
	"$RELGATE" measure --format json --packages "$2" >"$TEST_TMP/out.json" 2>"$TEST_TMP/err"
	rc=$?
	case $rc in
	0 | 2) ok "pclntab corrupt $1: exit $rc" ;;
	*) not_ok "pclntab corrupt $1" "exit $rc: $(head -c 400 "$TEST_TMP/err")" ;;
	esac
	return $rc
}

# The unpatched fixtures are measured (sanity for what follows).
run "unpatched section" "$FIX/hello_s" &&
	check_eq "pclntab corrupt: unpatched bytes" "$SIZE" "$(metric "$TEST_TMP/out.json" pclntab.bytes)"
run "unpatched scan" "$FIX/hello.renamed" &&
	check_eq "pclntab corrupt: unpatched scan bytes" "$SIZE" "$(metric "$TEST_TMP/out.json" pclntab.bytes)"

# Header corruptions found by section: a note, no funcs, bytes = section.
for kind in magic pad quantum ptrsize nfunc nfunc0 nfiles funcname pclnoff garbage; do
	run "$kind (section)" "$TEST_TMP/c.$kind" || continue
	"$PY" -I - "$TEST_TMP/out.json" "$kind" "$SIZE" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))["binaries"][0]
kind, size = sys.argv[2], sys.argv[3]
notes = [n for n in b["notes"] if "pclntab" in n]
def check(what, cond, why):
    print(("ok - pclntab corrupt %s (section): %s" if cond else
           "not ok - pclntab corrupt %s (section): %s: " + why) % (kind, what))
check("a note", bool(notes), "notes: %s" % b["notes"])
check("no pclntab.funcs", "pclntab.funcs" not in b["metrics"], str(b["metrics"].get("pclntab.funcs")))
check("bytes = section size", str(b["metrics"].get("pclntab.bytes")) == size,
      str(b["metrics"].get("pclntab.bytes")))
PY
done

# The same found by scan: not a table any more (no metrics), no crash.
for kind in magic pad quantum ptrsize nfunc nfunc0 funcname pclnoff; do
	run "$kind (scan)" "$TEST_TMP/c.scan-$kind" &&
		check_eq "pclntab corrupt $kind (scan): no pclntab.bytes" absent \
			"$(metric "$TEST_TMP/out.json" pclntab.bytes)"
done

# Damage past the header: the header still validates (funcs reported), the
# walk notes what it could not read; nothing crashes.
for kind in npcdata pctab names pclnshift nfiles truncate scan-nfiles scan-garbage \
	scan-npcdata scan-pctab scan-names scan-pclnshift scan-truncate; do
	run "$kind" "$TEST_TMP/c.$kind"
done
if run "funcoff (section)" "$TEST_TMP/c.funcoff"; then
	if grep -q 'function 100 of' "$TEST_TMP/out.json"; then
		ok "pclntab corrupt funcoff: note names function 100"
	else
		not_ok "pclntab corrupt funcoff: note names function 100" "$(head -c 600 "$TEST_TMP/out.json")"
	fi
fi
# Found by scan, the size comes from runtime.firstmoduledata, which a bad
# record does not touch: still the section size.
if run "funcoff (scan)" "$TEST_TMP/c.scan-funcoff"; then
	check_eq "pclntab corrupt funcoff (scan): bytes from the module data" "$SIZE" \
		"$(metric "$TEST_TMP/out.json" pclntab.bytes)"
fi
# With the module data's pointer gone too, only the records could say
# where the table ends, and one of them is bad: no derived bytes.
if run "funcoff-nomd (scan)" "$TEST_TMP/c.scan-funcoff-nomd"; then
	check_eq "pclntab corrupt funcoff-nomd (scan): no derived bytes" absent \
		"$(metric "$TEST_TMP/out.json" pclntab.bytes)"
fi
