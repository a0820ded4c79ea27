/*
 * measure_out.h - a measured binary as JSON (the "binaries" items of
 * `relgate measure --format json`, schema_version 1) and as a text table.
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

void rg_binary_print_text(FILE *f, const rg_binary *b, int color, int packages);

/* Attribution rows (parsers/attr.h): {"by":KEY,"symbols":SRC,"rows":[…]}. */
struct rg_attr_table;
cJSON *rg_attr_table_to_json(const rg_binary *b, const struct rg_attr_table *t);
/* A text table: relocs, relative, symbolic, lazy, pages, sole pages, size, name. */
void rg_attr_print_text(FILE *f, const rg_binary *b, const struct rg_attr_table *t, int color);
/* CSV (sep ',') or TSV (sep '\t'): a header line when header, then one
 * line per row with the binary's path and arch. */
void rg_attr_print_sv(FILE *f, const rg_binary *b, const struct rg_attr_table *t, char sep,
                      int header);
/* Writes s for a terminal: control bytes and DEL as \xNN, backslash doubled. */
void rg_put_term(FILE *f, const char *s);

#endif
