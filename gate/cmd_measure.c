/*
 * cmd_measure.c - `relgate measure FILE...`: the metric catalog of built
 * binaries, as text tables or one JSON document (schema_version 1).
 * Output is complete or absent: JSON is printed only after every file was
 * measured, so an error never leaves half a document on stdout.
 */
#include "cli.h"
#include "../reports/measure_out.h"
#include "../parsers/attr.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char rg_help_measure[] =
"usage: relgate measure [--format text|json|csv|tsv] [--page-size N] [--arch NAME]\n"
"                       [--packages] [--by KEY [--top N]] FILE...\n"
"\n"
"Measures each FILE (ELF, Mach-O thin or universal, PE) and prints the metric\n"
"catalog of docs/metrics.md: file and segment sizes, fixup counts by class and\n"
"by role, the pages those fixups dirty, and Go pclntab bytes.\n"
"\n"
"  --format FORMAT     text tables (default) or one JSON document; csv and tsv\n"
"                      (with --by) print the attribution rows only\n"
"  --by KEY            attribute every fixup (docs/attribution.md), KEY one of:\n"
"                        section         the section holding it\n"
"                        symbol          the symbol whose extent holds it\n"
"                        package         the Go package of that symbol\n"
"                        target          what it points to (a symbol, or an\n"
"                                        import with its library)\n"
"                        target-package  the Go package (or library) of that\n"
"                      rows: relocs, relative, symbolic, lazy, dirty pages,\n"
"                      sole pages (dirtied by that row alone), size, name\n"
"  --top N             the N rows with most fixups and one [other] row for the\n"
"                      rest (default 20; 0: every row)\n"
"  --page-size N       page size for dirty-page counts (bytes, or 4KiB/16KiB);\n"
"                      default 16 KiB for arm64(e)/arm64_32 Mach-O, 4 KiB else\n"
"  --arch NAME         measure only this slice of a universal Mach-O\n"
"  --packages          the Go pclntab per package (text table; JSON\n"
"                      \"pclntab_packages\"), see docs/format-pclntab.md\n"
"\n"
"Exits 0 when every file was measured, 2 when a file is unreadable or\n"
"malformed: one line names the file and what is wrong, and no JSON is printed.\n";

/* Takes the value of --opt VALUE or --opt=VALUE; NULL when argv[*i] is not opt. */
int rg_cmd_measure(int argc, char **argv)
{
	rg_measure_opts opts = RG_MEASURE_OPTS_INIT;
	rg_binary_list list = { 0 };
	const char *format = "text", *v;
	int i, nfiles = 0, rc = RG_EXIT_OK, missing, by_set = 0;
	rg_attr_key by = RG_BY_SECTION;
	uint64_t top = 20;
	char *endp;
	rg_attr_table *tables = NULL;
	size_t k;
	char **files = calloc((size_t)argc, sizeof(char *));

	if (!files)
		return RG_EXIT_USAGE;
	for (i = 1; i < argc; i++) {
		missing = 0;
		if ((v = rg_opt_value(argc, argv, &i, "--format", &missing))) {
			if (strcmp(v, "text") && strcmp(v, "json") && strcmp(v, "csv") && strcmp(v, "tsv")) {
				rg_errorf("--format: expected text, json, csv or tsv, got '%s'", v);
				rc = RG_EXIT_USAGE;
				goto done;
			}
			format = v;
		} else if ((v = rg_opt_value(argc, argv, &i, "--page-size", &missing))) {
			if (rg_parse_size_arg(v, &opts.page_size) || opts.page_size < 512 ||
			    opts.page_size > (1u << 20) || (opts.page_size & (opts.page_size - 1))) {
				rg_errorf("--page-size: '%s' is not a power of two from 512 B to 1 MiB", v);
				rc = RG_EXIT_USAGE;
				goto done;
			}
		} else if ((v = rg_opt_value(argc, argv, &i, "--arch", &missing))) {
			opts.arch = v;
		} else if ((v = rg_opt_value(argc, argv, &i, "--by", &missing))) {
			if (rg_attr_key_parse(v, &by) != 0) {
				rg_errorf("--by: expected section, symbol, package, target or "
				          "target-package, got '%s'", v);
				rc = RG_EXIT_USAGE;
				goto done;
			}
			by_set = 1;
		} else if ((v = rg_opt_value(argc, argv, &i, "--top", &missing))) {
			top = strtoull(v, &endp, 10);
			if (!*v || *endp || v[0] == '-' || top > 1000000000) {
				rg_errorf("--top: '%s' is not a number of rows (0: all)", v);
				rc = RG_EXIT_USAGE;
				goto done;
			}
		} else if (!strcmp(argv[i], "--packages")) {
			opts.packages = 1;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(rg_help_measure, stdout);
			goto done;
		} else if (missing) {
			rg_errorf("%s needs a value", argv[i]);
			rc = RG_EXIT_USAGE;
			goto done;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0' && strcmp(argv[i], "--") != 0) {
			rg_errorf("measure: unknown option '%s' (see 'relgate help measure')", argv[i]);
			rc = RG_EXIT_USAGE;
			goto done;
		} else {
			if (!strcmp(argv[i], "--") && ++i >= argc)
				break;
			files[nfiles++] = argv[i];
		}
	}
	if (nfiles == 0) {
		rg_errorf("measure: no FILE given (see 'relgate help measure')");
		rc = RG_EXIT_USAGE;
		goto done;
	}
	if (!by_set && (!strcmp(format, "csv") || !strcmp(format, "tsv"))) {
		rg_errorf("--format %s needs --by KEY (the rows it prints)", format);
		rc = RG_EXIT_USAGE;
		goto done;
	}
	if (by_set)
		opts.attribution = RG_ATTR_LOCATION |
		                   (by == RG_BY_TARGET || by == RG_BY_TARGET_PACKAGE ? RG_ATTR_TARGETS : 0);
	for (i = 0; i < nfiles; i++) {
		rg_err err = { 0 };
		if (rg_measure_file(files[i], &opts, &list, &err) != RG_OK) {
			rg_errorf("%s: %s", files[i], err.msg);
			rc = rg_exit_for(err.code);
			goto done;
		}
	}
	if (by_set) {
		/* Every table first: an error leaves no partial output. */
		if (!(tables = calloc(list.n + 1, sizeof(*tables)))) {
			rg_errorf("out of memory");
			rc = RG_EXIT_USAGE;
			goto done;
		}
		for (k = 0; k < list.n; k++) {
			rg_err err = { 0 };
			if (rg_attr_rows(list.items[k], by, (size_t)top, &tables[k], &err) != RG_OK) {
				rg_errorf("%s", err.msg);
				rc = rg_exit_for(err.code);
				goto done;
			}
		}
	}
	if ((tables ? rg_measure_write_attr(stdout, &list, tables, format, rg_use_color(stdout))
	            : rg_measure_write(stdout, &list, format, rg_use_color(stdout), opts.packages)) < 0) {
		rg_errorf("cannot write the output: %s", strerror(errno));
		rc = RG_EXIT_USAGE;
	}
done:
	for (k = 0; tables && k < list.n; k++)
		rg_attr_table_free(&tables[k]);
	free(tables);
	rg_binary_list_free(&list);
	free(files);
	return rc;
}
