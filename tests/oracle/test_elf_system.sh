#!/bin/sh
# test_elf_system.sh - relgate over ELF files found on this machine (up to
# 40 shared objects and executables from /usr/lib/x86_64-linux-gnu and
# /usr/bin, whatever their toolchain), each judged by
# tests/oracle/elf_oracle.py against llvm-readelf and binutils readelf:
# one line per file (every count, every dirty-page figure).
. "$ROOT/tests/oracle/elf_lib.sh"
[ -x "$LLVM_BIN/llvm-readelf" ] || { skip "elf system" "no llvm-readelf in $LLVM_BIN"; exit 0; }
list="$TEST_TMP/files"
: >"$list"
for d in /usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu /usr/bin; do
	[ -d "$d" ] || continue
	# Regular files only, small to medium (the big one is test_elf_libllvm),
	# a deterministic spread (sorted, every Nth).
	find "$d" -maxdepth 1 -type f -size -20000k -size +8k 2>/dev/null | LC_ALL=C sort |
	while read -r f; do
		head -c 4 "$f" 2>/dev/null | grep -q 'ELF' && echo "$f"
	done >"$TEST_TMP/cand"
	n=$(wc -l <"$TEST_TMP/cand")
	[ "$n" -gt 0 ] || continue
	step=$(( n / 20 )); [ "$step" -ge 1 ] || step=1
	awk -v s="$step" 'NR % s == 0' "$TEST_TMP/cand" | head -n 20 >>"$list"
done
if [ ! -s "$list" ]; then skip "elf system" "no ELF files found"; exit 0; fi
while read -r f; do
	name="system:$f"
	if ! "$RELGATE" measure --format json "$f" >"$TEST_TMP/sys.json" 2>"$TEST_TMP/sys.err"; then
		not_ok "$name" "relgate failed: $(head -c 300 "$TEST_TMP/sys.err")"
		continue
	fi
	python3 "$ROOT/tests/oracle/elf_oracle.py" "$name" "$f" "$TEST_TMP/sys.json" >"$TEST_TMP/sys.out" 2>&1
	bad=$(grep -c '^not ok' "$TEST_TMP/sys.out")
	good=$(grep -c '^ok' "$TEST_TMP/sys.out")
	if [ "$bad" -eq 0 ] && [ "$good" -gt 0 ]; then
		ok "$name: $good numbers agree with llvm-readelf/readelf"
	else
		not_ok "$name" "$bad of $((bad + good)) numbers differ: $(grep '^not ok' "$TEST_TMP/sys.out" | head -n 3 | tr '\n' ' ')$(grep -v -E '^(ok|not ok)' "$TEST_TMP/sys.out" | head -n 3)"
	fi
done <"$list"
