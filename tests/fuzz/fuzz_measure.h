/*
 * fuzz_measure.h - the body shared by the ELF and Mach-O fuzz targets: the
 * input is measured as a file would be (format detection, the parser, the
 * pclntab reader, the catalog), then again with a 512-byte page size (the
 * page bitmaps take other paths) and, when arch is set, a slice filter.
 * Any crash, sanitizer report, leak or hang is a bug; errors are the
 * expected outcome for most inputs.
 */
#ifndef RG_FUZZ_MEASURE_H
#define RG_FUZZ_MEASURE_H

#include "../../parsers/model.h"

#include <stddef.h>
#include <stdint.h>

static inline void rg_fuzz_measure(const uint8_t *data, size_t size, const char *name,
                                   const char *arch)
{
	rg_view v = { data, size, 0 };
	rg_binary_list list = { 0 };
	rg_err err = { 0 };
	rg_measure_opts opts = RG_MEASURE_OPTS_INIT;

	rg_measure_view(name, &v, &opts, &list, &err);
	rg_binary_list_free(&list);
	opts.page_size = 512;
	opts.arch = arch;
	err.code = 0;
	rg_measure_view(name, &v, &opts, &list, &err);
	rg_binary_list_free(&list);
}

#endif
