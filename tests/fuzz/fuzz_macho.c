/*
 * fuzz_macho.c - libFuzzer target for the Mach-O parser: the input is
 * measured as a file would be (format detection, universal headers, load
 * commands, dyld info opcode streams, fixup chains of every pointer format,
 * classic relocations, the pclntab reader, the catalog). Any crash,
 * sanitizer report, leak or hang is a bug; errors are the expected outcome
 * for most inputs. Seeds: tests/fuzz/seed_macho.sh.
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

	rg_measure_view("fuzz.macho", &v, &opts, &list, &err);
	rg_binary_list_free(&list);
	/* Slice selection and a small page size take other paths. */
	opts.page_size = 512;
	opts.arch = "arm64";
	err.code = 0;
	rg_measure_view("fuzz.macho", &v, &opts, &list, &err);
	rg_binary_list_free(&list);
	return 0;
}
