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
"                        package         the package of that symbol: Go's,\n"
"                                        or the C++ namespace or Rust crate\n"
"                                        its mangled name starts with\n"
"                        target          what it points to (a symbol, or an\n"
"                                        import with its library)\n"
"                        target-package  the package (or library) of that\n"
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

typedef struct measure_args {
	const char *format, *page_size, *by, *top;
	const char **files;
	size_t nfiles;
} measure_args;

static int take_file(void *ctx, const char *word)
{
	measure_args *m = ctx;

	m->files[m->nfiles++] = word;
	return 0;
}

int rg_cmd_measure(int argc, char **argv)
{
	rg_measure_opts opts = RG_MEASURE_OPTS_INIT;
	rg_binary_list list = { 0 };
	measure_args m = { "text", NULL, NULL, NULL, NULL, 0 };
	const char *format;
	int rc = RG_EXIT_OK, by_set;
	rg_attr_key by = RG_BY_SECTION;
	uint64_t top = 20;
	rg_attr_table *tables = NULL;
	size_t i, k;
	const rg_opt table[] = {
		RG_OPT_VALUE("--format", NULL, &m.format),
		RG_OPT_VALUE("--page-size", NULL, &m.page_size),
		RG_OPT_VALUE("--arch", NULL, &opts.arch),
		RG_OPT_VALUE("--by", NULL, &m.by),
		RG_OPT_VALUE("--top", NULL, &m.top),
		RG_OPT_FLAG("--packages", &opts.packages),
		RG_OPT_END
	};

	if (!(m.files = calloc((size_t)argc, sizeof(*m.files))))
		return RG_EXIT_USAGE;
	if ((rc = rg_opts_parse("measure", rg_help_measure, argc, argv, table, take_file, &m)) != 0) {
		rc = rc > 0 ? RG_EXIT_OK : RG_EXIT_USAGE;
		goto done;
	}
	format = m.format;
	if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "csv") &&
	    strcmp(format, "tsv")) {
		rg_errorf("--format: expected text, json, csv or tsv, got '%s'", format);
		rc = RG_EXIT_USAGE;
		goto done;
	}
	if ((m.page_size && rg_page_size_arg(m.page_size, &opts.page_size) < 0) ||
	    (m.top && rg_top_arg("", m.top, &top) < 0)) {
		rc = RG_EXIT_USAGE;
		goto done;
	}
	if ((by_set = m.by != NULL) && rg_attr_key_parse(m.by, &by) != 0) {
		rg_errorf("--by: expected section, symbol, package, target or target-package, got '%s'",
		          m.by);
		rc = RG_EXIT_USAGE;
		goto done;
	}
	if (m.nfiles == 0) {
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
	for (i = 0; i < m.nfiles; i++) {
		rg_err err = { 0 };
		if (rg_measure_file(m.files[i], &opts, &list, &err) != RG_OK) {
			rg_errorf("%s: %s", m.files[i], err.msg);
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
	free(m.files);
	return rc;
}
