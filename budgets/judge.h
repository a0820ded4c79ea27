/*
 * judge.h - judging measurements against a target's budget rules, and the
 * report model every renderer (reports/report.h) draws from.
 *
 * A measurement is an rg_metric_map: metric name -> int64, insertion
 * ordered, built from a measured rg_binary or from one "binaries" object of
 * `relgate measure --format json`. rg_judge_target() turns a target's
 * rules plus a base and a head map into verdicts; an rg_report collects
 * the targets of a run with optional context the gate fills in.
 *
 * Rule arithmetic (docs/budgets.md "How rules are judged"):
 *   max / warn_max            head <= limit passes (the exact limit passes)
 *   max_increase / warn_incr. head - base <= limit passes; a percentage
 *                             limit is rg_percent_of(base, percent) (rounded
 *                             down); with no base side the rule is skipped.
 * A rule whose metric is absent from a side it needs is an error (RG_EINPUT)
 * naming the metric and the side, never a silent pass.
 */
#ifndef RG_JUDGE_H
#define RG_JUDGE_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "budgets.h"

/* ---- metric maps ---- */

typedef struct rg_metric_map {
	rg_metric *items;  /* rg_metric from parsers/model.h: name[160], value */
	size_t n, cap;
} rg_metric_map;

#define RG_METRIC_MAP_INIT { NULL, 0, 0 }

/* Sets (adds or replaces) name = value. RG_OK or RG_ENOMEM. */
int rg_metric_map_set(rg_metric_map *m, const char *name, int64_t value);
/* 1 and *value when present, 0 when absent. */
int rg_metric_map_get(const rg_metric_map *m, const char *name, int64_t *value);
void rg_metric_map_free(rg_metric_map *m);
int rg_metric_map_copy(rg_metric_map *dst, const rg_metric_map *src);
/* From a measured binary (b->metrics, after rg_catalog_compute). */
int rg_metric_map_from_binary(rg_metric_map *m, const rg_binary *b);
/* From a JSON object {"name": integer, ...}: either the "metrics" object
 * itself or a "binaries" item holding one. Values must be exact integers
 * (|v| < 2^53, the range a JSON double holds exactly). */
int rg_metric_map_from_json(rg_metric_map *m, const cJSON *obj, rg_err *err);

/*
 * The group metrics (package[PATH].relocs/.dirty_pages, symbol[NAME].relocs)
 * t's rules name, in *names (malloc'd, pointing into t; free it). Returns
 * how many (0: *names is NULL), or -1 out of memory. Measurements compute
 * these groups, and only these (parsers/attr.h rg_attr_group_metrics).
 */
long rg_target_group_metrics(const rg_target *t, const char ***names);

/*
 * True for the metrics fixup attribution explains: relocs.*, dirty.*,
 * and the relocs/dirty_pages/dirty_bytes of segment[..] and section[..].
 */
int rg_metric_is_fixup(const char *name);

/*
 * Bounded attribution rows kept with a measured binary (its cache entry):
 * "attribution_cache": {"symbol": [{"name","relocs","dirty_pages"}, ...],
 * "package": [...]}, the RG_MOVER_ROWS rows with most fixups per key
 * (package only for Go). b must have been measured with attribution.
 */
#define RG_MOVER_ROWS 256
int rg_mover_rows_to_json(cJSON *bin, const rg_binary *b, rg_err *err);

/* ---- verdicts ---- */

/* Ordered by severity: a target's and a report's status is the maximum. */
typedef enum rg_status {
	RG_STATUS_SKIPPED = 0, /* not judged (an increase rule with no base) */
	RG_STATUS_PASS,
	RG_STATUS_WARN,
	RG_STATUS_FAIL,
	RG_STATUS_ERROR,       /* the gate could not measure a target (build failed) */
} rg_status;

const char *rg_status_name(rg_status s);   /* "skipped","pass","warn","fail","error" */
int rg_status_parse(const char *s, rg_status *out); /* 0 ok, -1 unknown */

/* A row whose fixups moved between base and head (docs/attribution.md):
 * what explains a failing or warning rule on a fixup metric. */
typedef struct rg_fixup_mover {
	char by[8];            /* "symbol" or "package" */
	char name[256];        /* raw symbol or package name (truncated) */
	int64_t base, head, delta;
} rg_fixup_mover;

#define RG_MAX_MOVERS 10   /* 5 by symbol, 5 by package */

typedef struct rg_verdict {
	rg_rule rule;          /* a copy: metric, kind, limit, file:line:col */
	rg_status status;
	int has_base, has_head;
	int64_t base, head;    /* valid when has_base / has_head */
	int64_t delta;         /* head - base (saturated), when both present */
	int64_t limit;         /* the absolute limit judged against: the max for
	                          max rules, the allowed increase (percent
	                          resolved against base) for increase rules */
	int64_t margin;        /* limit - judged value: >= 0 within budget,
	                          < 0 over by -margin (saturated); 0 if skipped */
	rg_fixup_mover movers[RG_MAX_MOVERS]; /* failing/warning fixup rules only */
	size_t nmovers;
	char message[512];     /* human wording, e.g. "dirty relro memory grew by
	                          48.0 KiB (+3 pages) to 1.02 MiB; budget
	                          max_increase 16 KiB set at relgate.yml:9" */
} rg_verdict;

typedef struct rg_target_result {
	char *name;
	rg_metric_map base, head;
	int has_base;          /* 0: a new target (no base side) */
	rg_verdict *verdicts;  /* in rule order */
	size_t nverdicts;
	rg_status status;      /* max over verdicts; PASS when none */
	char **notes;          /* free-form lines (build log tail, cache hits, ...) */
	size_t nnotes;
} rg_target_result;

/* Zeroes t and sets its name (status PASS). RG_OK or RG_ENOMEM. */
int rg_target_result_init(rg_target_result *t, const char *name);
void rg_target_result_free(rg_target_result *t);
int rg_target_result_note(rg_target_result *t, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/*
 * Judges every rule of t. base NULL means a new target (increase rules are
 * skipped). The maps are copied into out (out is initialised here; free it
 * with rg_target_result_free even on error). Returns RG_OK, RG_ENOMEM, or
 * RG_EINPUT when a rule's metric is absent from a side it needs, e.g.
 * "relgate.yml:9:27: metric 'pclntab.bytes' (max_increase) is absent from
 * the head measurement".
 */
int rg_judge_target(const rg_target *t, const rg_metric_map *base,
                    const rg_metric_map *head, rg_target_result *out, rg_err *err);

/* Judges one rule (used by rg_judge_target; exposed for tests). */
int rg_judge_rule(const rg_rule *r, const rg_metric_map *base,
                  const rg_metric_map *head, rg_verdict *v, rg_err *err);

/* ---- the report ---- */

typedef struct rg_report_input {
	char side[8];          /* "base" or "head" */
	char *target;          /* target name, or NULL for all */
	char *path;            /* file measured (binary or JSON), or NULL */
	char format[8];        /* "elf", "macho", "pe", "json" or "" */
	char arch[32];
	uint64_t page_size;
} rg_report_input;

typedef struct rg_report {
	rg_target_result *targets;
	size_t ntargets, targetcap;
	rg_status status;      /* max over targets; PASS when none */
	/* Optional context (NULL/0 when unknown), filled by the gate: */
	char *base_commit, *base_subject;
	char *head_commit, *head_subject;
	char *budgets_path;    /* display path of the budget file, e.g. "relgate.yml" */
	char *budgets_source;  /* where budgets came from, e.g. "base commit 1a2b3c4" */
	int budgets_changed;   /* head changes relgate.yml */
	char *budgets_diff;    /* unified diff of relgate.yml base -> head, or NULL */
	rg_report_input *inputs;
	size_t ninputs, inputcap;
	char **notes;
	size_t nnotes;
} rg_report;

void rg_report_init(rg_report *r);
void rg_report_free(rg_report *r);
/* Moves *t into the report (t is zeroed) and updates r->status. */
int rg_report_add_target(rg_report *r, rg_target_result *t);
int rg_report_add_input(rg_report *r, const char *side, const char *target,
                        const char *path, const char *format, const char *arch,
                        uint64_t page_size);
int rg_report_note(rg_report *r, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* Replaces a string field (free old, strdup new; NULL clears). */
int rg_report_set_str(char **field, const char *value);
/* Recomputes target and report statuses from the verdicts. */
void rg_report_update_status(rg_report *r);
/* 0 pass/warn/skipped, 1 fail, 3 error (a target could not be measured). */
/* a - b, saturated at the int64 limits (deltas of 64-bit sizes). */
int64_t rg_sat_sub(int64_t a, int64_t b);

int rg_report_exit_code(const rg_report *r);

/* Counts of verdicts with status s over all targets. */
size_t rg_report_count(const rg_report *r, rg_status s);

/* Words for a metric ("dirty relro memory", "relocations"), or NULL. */
const char *rg_metric_words(const char *metric);

/*
 * Fills the movers of every failing or warning verdict on a fixup metric
 * from the two sides' cached rows (either may be NULL or lack rows: then
 * no movers): the 5 rows by symbol and 5 by package whose relocs (for
 * dirty.* and *.dirty_* metrics: dirty pages) changed most.
 */
void rg_target_result_movers(rg_target_result *res, const cJSON *base_bin,
                             const cJSON *head_bin);

#endif
