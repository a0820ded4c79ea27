#!/bin/sh
# test_makefile.sh - make rebuilds a binary whose objects are gone (`rm -rf
# build/rel` then `make` must rebuild ./relgate, not say "nothing to be
# done"), keeps the fuzz build's objects (no `rm` of intermediates), and has
# nothing to do when everything is built. Judged by GNU make itself (-q:
# exit 0 up to date, 1 not) on a copy of the sources whose build products
# are stand-in files with ordered times (sources, then objects, archives,
# binaries): nothing is compiled.
. "$ROOT/tests/lib.sh"

if ! need make; then skip "makefile rebuilds" "make missing"; exit 0; fi
T=$TEST_TMP/tree
mkdir -p "$T/tests" || exit 1
cp -R "$ROOT/Makefile" "$ROOT/parsers" "$ROOT/budgets" "$ROOT/reports" "$ROOT/gate" \
	"$ROOT/bench" "$T/" &&
	cp -R "$ROOT/tests/unit" "$ROOT/tests/fuzz" "$T/tests/" ||
	{ not_ok "copy the sources" "cp failed"; exit 0; }
cd "$T" || exit 1
rm -rf build relgate
find . -type f -exec touch -d '2020-01-01 00:00:00' {} +

# What make would build, by target, in the copy: stand-ins at time TIME.
products() { # TIME PATH...
	t=$1; shift
	for f in "$@"; do mkdir -p "$(dirname "$f")" && : >"$f" && touch -d "$t" "$f"; done
}
vars() { make -s --no-print-directory -f Makefile -f - print <<'MK'
print:
	@echo $(OBJS) build/rel/gate/main.o
	@echo $(SAN_OBJS) build/asan/gate/main.o
	@echo $(FUZZ_OBJS)
	@echo $(UNIT_BINS)
	@echo $(FUZZ_BINS)
MK
}
vars >vars.txt 2>vars.err || { not_ok "read the Makefile's lists" "$(cat vars.err)"; exit 0; }
rel_objs=$(sed -n 1p vars.txt) san_objs=$(sed -n 2p vars.txt) fuzz_objs=$(sed -n 3p vars.txt)
unit_bins=$(sed -n 4p vars.txt) fuzz_bins=$(sed -n 5p vars.txt)
[ -n "$rel_objs" ] && [ -n "$fuzz_bins" ] && ok "the Makefile lists objects and fuzz targets" ||
	not_ok "the Makefile lists objects and fuzz targets" "$(cat vars.txt)"

built() { # everything, in order
	products '2021-01-01 00:00:00' $rel_objs $san_objs $fuzz_objs
	products '2021-01-02 00:00:00' build/rel/librelgate.a build/asan/librelgate.a
	products '2021-01-03 00:00:00' relgate build/asan/relgate $unit_bins $fuzz_bins
}
# uptodate NAME WANT TARGET: make -q TARGET exits WANT (0 up to date, 1 not).
uptodate() {
	make -q "$3" >/dev/null 2>&1
	check_eq "$1" "$2" "$?"
}

built
uptodate "all built: ./relgate is up to date" 0 relgate
uptodate "all built: build/asan/relgate is up to date" 0 build/asan/relgate
uptodate "all built: the fuzz targets are up to date" 0 fuzz-build

rm -rf build/rel
uptodate "rm -rf build/rel: make rebuilds ./relgate" 1 relgate
uptodate "rm -rf build/rel: build/asan/relgate still up to date" 0 build/asan/relgate

built
rm -rf build/asan/parsers build/asan/budgets build/asan/reports build/asan/gate \
	build/asan/librelgate.a
uptodate "the asan objects gone: make rebuilds build/asan/relgate" 1 build/asan/relgate
uptodate "the asan objects gone: make rebuilds the unit tests" 1 "$(echo $unit_bins | cut -d' ' -f1)"
uptodate "the asan objects gone: ./relgate still up to date" 0 relgate

built
rm -f build/fuzz/parsers/elf.o
uptodate "a fuzz object gone: make rebuilds the fuzz targets" 1 fuzz-build

# The fuzz build's objects are kept: a build from nothing removes none.
rm -rf build relgate
make -n fuzz-build >plan.txt 2>&1
grep -q '^rm ' plan.txt &&
	not_ok "make fuzz-build keeps its objects" "$(grep '^rm ' plan.txt | head -c 300)" ||
	ok "make fuzz-build keeps its objects"
grep -q 'fuzz_elf' plan.txt && ok "make -n fuzz-build plans the fuzz targets" ||
	not_ok "make -n fuzz-build plans the fuzz targets" "$(head -c 300 plan.txt)"
exit 0
