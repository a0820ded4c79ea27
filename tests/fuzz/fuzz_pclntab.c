/*
 * fuzz_pclntab.c - libFuzzer target for the Go pclntab reader
 * (parsers/pclntab.c). The input is a table's bytes, read three ways:
 *   1. as the contents of a ".gopclntab" section covering the whole input
 *      (the section path: header checks, the function walk, pc tables,
 *      the per-package breakdown);
 *   2. with no section at all, a 64-bit binary: the magic scan;
 *   3. the same for a 32-bit binary (pointer-size filter of the scan);
 *   4. a 64-bit binary mapping the input as one writable segment at
 *      0x100000: the scan, then the search for runtime.firstmoduledata
 *      (derived size, Go 1.26 funcdata).
 * The first byte also chooses the byte order the fake binary claims.
 * Any crash, sanitizer report, leak or hang is a bug. Seeds:
 * tests/fuzz/seed_pclntab.sh (synthetic tables of every layout).
 */
#include "../../parsers/formats.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const rg_view *v, int section, int bits, int segment)
{
	rg_segment seg = { "rw-", RG_ROLE_DATA, RG_PERM_R | RG_PERM_W, 0x100000, 0, 0, 0,
	                   0, 0, 0, 0 };
	rg_measure_opts opts = RG_MEASURE_OPTS_INIT;
	rg_binary *b = rg_binary_new("fuzz", 0);
	rg_err err = { 0 };

	if (!b)
		return;
	opts.packages = 1;
	b->bits = bits;
	b->big_endian = v->size && (v->data[0] & 1);
	b->slice_size = v->size;
	rg_binary_set_page_size(b, 4096);
	if (section)
		rg_binary_add_section(b, ".gopclntab", 0x1000, v->size, 0, 0);
	seg.vmsize = seg.filesize = v->size;
	if (segment && v->size && rg_binary_add_segment(b, &seg) < 0) {
		rg_binary_free(b);
		return;
	}
	if (rg_binary_seal(b, &err) == RG_OK) {
		rg_pclntab_measure(b, v, &opts);
		rg_catalog_compute(b);
	}
	rg_binary_free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rg_view v = { data, size, 0, 0 };

	one(&v, 1, 64, 0);
	one(&v, 0, 64, 0);
	one(&v, 0, 32, 0);
	one(&v, 0, 64, 1);
	return 0;
}
