#!/bin/sh
# tests/fuzz/seed_macho.sh CORPUS_DIR - seeds the Mach-O fuzzer with the
# small Mach-O fixtures the oracle tests built under $FIXTURES/macho (make
# check builds them): lld arm64/x86_64/arm64_32 images with opcode streams
# and chained fixups, every rewritten pointer format, threaded binds,
# classic relocations, a universal file. Only files under 256 KiB are
# copied, so the fuzzer's mutations stay fast.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
corpus=$1
fix="${FIXTURES:-$ROOT/build/fixtures}/macho"
mkdir -p "$corpus"
[ -d "$fix" ] || exit 0
find "$fix" -type f -size -256k | while read -r f; do
	case "$f" in *.c|*.o|*.go|*.json|*.lst|*.tbd|*.log|*.name|*/done) continue ;; esac
	magic=$(od -An -tx1 -N4 "$f" 2>/dev/null | tr -d ' ')
	case "$magic" in
	cffaedfe|cefaedfe|feedfacf|feedface|cafebabe|cafebabf) ;;
	*) continue ;;
	esac
	cp "$f" "$corpus/seed-$(echo "$f" | cksum | cut -d' ' -f1)-$(basename "$f")"
done
exit 0
