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

void rg_binary_print_text(FILE *f, const rg_binary *b, int color, int packages);

/* What `relgate measure` prints for the binaries of l: format "json" (one
 * document) or "text" (a table per binary, a blank line between; colour
 * when color; pclntab by package when packages). 0, or -1 when out of
 * memory (nothing written). */
int rg_measure_write(FILE *f, const rg_binary_list *l, const char *format, int color,
                     int packages);

#endif
