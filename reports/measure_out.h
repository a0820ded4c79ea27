/*
 * measure_out.h - a measured binary as JSON (the "binaries" items of
 * `relgate measure --format json`, schema_version 1; also what the cache
 * stores) and as a text table; the measure command's whole output.
 */
#ifndef RG_MEASURE_OUT_H
#define RG_MEASURE_OUT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "../parsers/model.h"

#define RG_MEASURE_SCHEMA_VERSION 1

/* {"path":…,"format":…,"arch":…,"bits":…,"endian":…,"page_size":…,
 *  "metrics":{…},"segments":[…],"sections":[…],"notes":[…],"info":{…}} */
cJSON *rg_binary_to_json(const rg_binary *b);
/* {"schema_version":1,"tool":{"name":"relgate","version":…},"binaries":[]} */
cJSON *rg_measure_doc_new(void);
/* An exact integer (cJSON numbers are doubles; raw keeps 64-bit values). */
cJSON *rg_json_int(int64_t v);
cJSON *rg_json_add_int(cJSON *obj, const char *key, int64_t v);
/* doc pretty-printed + newline on f, flushed so that a full disk shows
 * here: 0, or -1 with errno set (ENOMEM: nothing written; or the write's
 * error). */
int rg_json_put(FILE *f, const cJSON *doc);

void rg_binary_print_text(FILE *f, const rg_binary *b, int color, int packages);

/* What `relgate measure` prints for the binaries of l: format "json" (one
 * document) or "text" (a table per binary, a blank line between; colour
 * when color; pclntab by package when packages). 0, or -1 with errno:
 * ENOMEM (nothing written) or the JSON's write error. */
int rg_measure_write(FILE *f, const rg_binary_list *l, const char *format, int color,
                     int packages);

/* Attribution rows (parsers/attr.h): {"by":KEY,"symbols":SRC,"rows":[…]}. */
struct rg_attr_table;
cJSON *rg_attr_table_to_json(const rg_binary *b, const struct rg_attr_table *t);
/* A text table: relocs, relative, symbolic, lazy, pages, sole pages, size, name. */
void rg_attr_print_text(FILE *f, const rg_binary *b, const struct rg_attr_table *t, int color);
/* CSV (sep ',') or TSV (sep '\t'): a header line when header, then one
 * line per row with the binary's path and arch. */
void rg_attr_print_sv(FILE *f, const rg_binary *b, const struct rg_attr_table *t, char sep,
                      int header);
/* `relgate measure --by`: format "json" (the measure document, each binary
 * with its "attribution"), "csv", "tsv" (rows only) or "text" (a row table
 * per binary); tables[k] belongs to l->items[k]. 0, or -1 with errno as
 * rg_measure_write. */
int rg_measure_write_attr(FILE *f, const rg_binary_list *l, const struct rg_attr_table *tables,
                          const char *format, int color);
/* One row of `relgate diff --by`: present on either side or both. */
typedef struct rg_attr_delta {
	const char *name;
	const struct rg_attr_row *base, *head; /* NULL: absent on that side */
	int64_t d_relocs, d_pages;
} rg_attr_delta;
/* `relgate diff --by BY`: the first top of the n changed rows d (sorted),
 * as text or JSON ({"by", "base", "head", "changed_rows", "rows"}). 0, or
 * -1 with errno as rg_measure_write. */
int rg_attr_diff_write(FILE *f, const char *format, const char *by, const char *const files[2],
                       uint64_t base_total, uint64_t head_total, const char *base_arch,
                       const char *head_arch, const rg_attr_delta *d, size_t n, size_t top);

#endif
