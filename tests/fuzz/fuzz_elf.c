/*
 * fuzz_elf.c - libFuzzer target for the ELF parser: the input is measured
 * as a file would be (format detection, the ELF parser with its REL/RELA,
 * RELR and APS2 walkers, the pclntab reader, the catalog). Any crash,
 * sanitizer report, leak or hang is a bug; errors are the expected outcome
 * for most inputs. Seeds: tests/fuzz/seed_elf.sh.
 */
#include "../../parsers/model.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rg_view v = { data, size, 0 };
	rg_binary_list list = { 0 };
	rg_err err = { 0 };
	rg_measure_opts opts = RG_MEASURE_OPTS_INIT;

	rg_measure_view("fuzz.elf", &v, &opts, &list, &err);
	rg_binary_list_free(&list);
	/* A second pass with a small forced page size exercises the page
	 * bitmaps differently. */
	opts.page_size = 512;
	err.code = 0;
	rg_measure_view("fuzz.elf", &v, &opts, &list, &err);
	rg_binary_list_free(&list);
	return 0;
}
