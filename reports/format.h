/*
 * format.h - the one place that turns sizes, metric values and deltas into
 * words for people, shared by every form (text, Markdown, GitHub, HTML)
 * and by the judge's messages: binary units (B, KiB, MiB ... EiB, IEC
 * 80000-13), three significant digits, the sign kept.
 */
#ifndef RG_FORMAT_H
#define RG_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* A byte count: "512 B", "12.3 KiB", "1.02 MiB", "-48.0 KiB". Exact for
 * every int64_t, INT64_MIN included. Returns buf. */
const char *rg_fmt_size(int64_t bytes, char *buf, size_t len);
/* The binary unit of 1024^k bytes: "B", "KiB" ... "EiB"; NULL past EiB. */
const char *rg_fmt_unit(int k);
/* v bytes in one fixed unit (unit: a power of 1024, 1 to 1 EiB) with
 * decimals digits: "1438.5 KiB" (a chart's axis, whose ticks share a
 * unit). Returns buf. */
const char *rg_fmt_size_in(int64_t v, int64_t unit, int decimals, char *buf, size_t len);
/* A value of metric: rg_fmt_size for byte metrics (rg_metric_is_bytes),
 * the plain count otherwise ("1200"). Returns buf. */
const char *rg_fmt_value(const char *metric, int64_t v, char *buf, size_t len);
/* A change of metric: rg_fmt_value with a '+' on growth ("+32.0 KiB",
 * "-3", "0"). Returns buf. */
const char *rg_fmt_delta(const char *metric, int64_t delta, char *buf, size_t len);

#endif
