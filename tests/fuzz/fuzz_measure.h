/*
 * fuzz_measure.h - the body shared by the ELF and Mach-O fuzz targets: the
 * input is measured as a file would be (format detection, the parser, the
 * pclntab reader, the catalog), then again with a 512-byte page size (the
 * page bitmaps take other paths) and, when arch is set, a slice filter,
 * with fixup attribution on: every record, symbol table and target is
 * resolved and grouped by each key (parsers/attr.h).
 * Any crash, sanitizer report, leak or hang is a bug; errors are the
 * expected outcome for most inputs.
 */
#ifndef RG_FUZZ_MEASURE_H
#define RG_FUZZ_MEASURE_H

#include "../../parsers/model.h"
#include "../../parsers/attr.h"

#include <stddef.h>
#include <stdint.h>

static inline void rg_fuzz_measure(const uint8_t *data, size_t size, const char *name,
                                   const char *arch)
{
	rg_view v = { data, size, 0, 0 };
	rg_binary_list list = { 0 };
	rg_err err = { 0 };
	rg_measure_opts opts = RG_MEASURE_OPTS_INIT;

	rg_measure_view(name, &v, &opts, &list, &err);
	rg_binary_list_free(&list);
	opts.page_size = 512;
	opts.arch = arch;
	opts.attribution = RG_ATTR_LOCATION | RG_ATTR_TARGETS;
	err.code = 0;
	if (rg_measure_view(name, &v, &opts, &list, &err) == RG_OK) {
		size_t i;
		int k;
		for (i = 0; i < list.n; i++)
			for (k = RG_BY_SECTION; k <= RG_BY_TARGET_PACKAGE; k++) {
				rg_attr_table t;
				rg_err e2 = { 0 };
				if (rg_attr_rows(list.items[i], (rg_attr_key)k, (size_t)(k & 1) * 3, &t,
				                 &e2) == RG_OK)
					rg_attr_table_free(&t);
			}
	}
	rg_binary_list_free(&list);
}

#endif
