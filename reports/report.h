/*
 * report.h - renderers of the report model (budgets/judge.h), all from the
 * same rg_report so every form says the same thing:
 *   text      a table per target, failures first, in words (report_text.c)
 *   JSON      schema_version 1, docs/report.schema.json (report_json.c)
 *   GitHub    ::error/::warning workflow commands escaped as @actions/core
 *             escapes them, $GITHUB_STEP_SUMMARY and $GITHUB_OUTPUT
 *             (report_github.c)
 *   Markdown  a summary under a byte cap (report_markdown.c)
 * and the range report of `relgate report` from the same rg_report plus its
 * series: JSON and Markdown (report_range.c), HTML with SVG charts
 * (report_html.c). Sizes and deltas are worded by format.h.
 */
#ifndef RG_REPORT_H
#define RG_REPORT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "../budgets/judge.h"
#include "escape.h"
#include "format.h"

#define RG_REPORT_SCHEMA_VERSION 1
#define RG_MARKDOWN_MAX_BYTES (60u * 1024u)  /* GitHub comment/summary safe size */
#define RG_GITHUB_MAX_ANNOTATIONS 10         /* per kind, incl. the "N more" line */

#define RG_TEXT_COLOR 1         /* ANSI colours */
#define RG_TEXT_ALL 2           /* every rule and every changed metric (--all) */
#define RG_TEXT_REPEAT_LINES 24 /* longer: the overall line is repeated last */
/* Text for a terminal (flags: RG_TEXT_*). Returns 0 or -1 (I/O). */
int rg_report_write_text(FILE *f, const rg_report *r, int flags);

/* What the text form of check prints after the report when the head
 * changed relgate.yml: the diff, and whether those rules judged this check
 * (used). *out is a heap string (caller frees) or NULL when relgate.yml did
 * not change. RG_OK or RG_ENOMEM. */
int rg_report_budgets_tail(const rg_report *r, int used, char **out);

/* What `relgate bisect` found: the first commit that breaks target's
 * rules on metric, judged against GOOD. */
typedef struct rg_bisect_found {
	const char *id, *subject;       /* the commit */
	const char *target, *metric;
	const rg_target_result *res;    /* its verdicts; NULL: BAD, assumed (not built) */
	int builds;                     /* commits built by the search */
	size_t ncommits;                /* commits in the range */
	int changed;                    /* bisect --changed: the first commit whose
	                                 * metric differs from GOOD's good_value */
	int64_t good_value, found_value;
	int found_has;                  /* the found commit has the metric */
} rg_bisect_found;

/* "first bad commit: ID SUBJECT", each failing verdict, "built N of M
 * commits"; with changed, "first commit that changed METRIC: ID SUBJECT"
 * and the value before and after. */
void rg_bisect_write_text(FILE *f, const rg_bisect_found *b);
/* The same as one JSON document (docs/bisect.schema.json). 0 or -1. */
int rg_bisect_write_json(FILE *f, const rg_bisect_found *b);

/* What `relgate init` wrote: one budget of the starter file. */
typedef struct rg_init_budget {
	const char *metric;
	int bytes;                      /* the metric counts bytes */
	int64_t now, max, increase;     /* measured; max and max_increase written */
} rg_init_budget;

/* What `relgate init` did, for rg_init_write_text. */
typedef struct rg_init_result {
	const char *path;               /* the file written */
	const char *named;              /* how the user names it (next steps) */
	const char *target, *head;      /* the target; HEAD's short id */
	const char *build, *found_by;   /* the build line; how it was found */
	const char *artifact, *format, *arch;
	int64_t artifact_size;
	const rg_init_budget *budgets;
	size_t nbudgets;
	const char *const *others;      /* other binaries the build made */
	size_t nothers;
} rg_init_result;

/* "wrote FILE: target T, ...", the build and artifact, a table of the
 * budgets (now, max, max_increase), the other binaries (at most 8), and
 * the next steps. */
void rg_init_write_text(FILE *f, const rg_init_result *r);

/* The JSON document (caller deletes), or NULL when out of memory. */
cJSON *rg_report_to_json(const rg_report *r);
/* Pretty-printed JSON + newline. Returns 0 or -1. */
int rg_report_write_json(FILE *f, const rg_report *r);
/* Writes the JSON of r to path ("-": stdout), or doc when it is given (r's
 * document with more in it: the range report's). RG_OK or RG_EIO with err
 * naming path. */
int rg_report_write_json_file(const char *path, const rg_report *r, const cJSON *doc,
                              rg_err *err);
/* Parses a report document back (what rg_report_to_json wrote). *out is
 * heap-allocated: release it with rg_report_destroy(). */
int rg_report_from_json(const cJSON *doc, rg_report **out, rg_err *err);
/* rg_report_free(r) and free(r). */
void rg_report_destroy(rg_report *r);

/* GitHub workflow commands: one ::error per failed rule, ::warning per
 * warned rule, at most RG_GITHUB_MAX_ANNOTATIONS of each kind (the last
 * says how many more). Returns 0 or -1. */
int rg_report_write_github(FILE *f, const rg_report *r);
/* Escaping of @actions/core: data escapes % CR LF; properties also : , */
void rg_gh_escape_data(FILE *f, const char *s);
void rg_gh_escape_prop(FILE *f, const char *s);

/* Markdown summary, never more than max_bytes (0: RG_MARKDOWN_MAX_BYTES);
 * what does not fit is summarised in a last line. Returns 0 or -1. */
int rg_report_write_markdown(FILE *f, const rg_report *r, size_t max_bytes);
int rg_report_write_markdown_file(const char *path, const rg_report *r, rg_err *err);

/* On GitHub Actions: appends the Markdown summary to $GITHUB_STEP_SUMMARY
 * and writes status=, failed= (number of failed rules), warned=, and
 * report= (compact JSON, heredoc form) to $GITHUB_OUTPUT. Unset variables
 * are skipped. Returns RG_OK, or RG_EIO with err naming the variable and
 * its path. */
int rg_report_github_env(const rg_report *r, rg_err *err);

/* ---- the range report of `relgate report` (report_range.c, report_html.c) ---- */

/* One measured commit of the range. */
typedef struct rg_range_commit {
	const char *id, *short_id, *subject;
	size_t position;       /* its index in the whole range (BASE = 0): with
	                        * --every N, measured commits need not be adjacent */
	const char *tags;      /* the tags on it, ", "-joined; NULL: none */
} rg_range_commit;

/* One target over the range: its measurement per commit, and what is drawn. */
typedef struct rg_series {
	const rg_target *t;    /* its rules give the budget lines */
	cJSON **points;        /* per commit: the measured binary (rg_binary_to_json
	                        * shape), or NULL for a gap */
	char **metrics;        /* the metrics charted, in order */
	size_t nmetrics;
} rg_series;

/* A judged range: the report of its two ends and the series between. */
typedef struct rg_range_report {
	const rg_report *report;          /* BASE judged against HEAD */
	const char *range;                /* "BASE..HEAD" as the user gave it */
	const char *budgets_source;       /* "base commit 3f2a1c0" */
	int first_parent, every;
	const rg_range_commit *commits;   /* [0] = BASE ... last = HEAD */
	size_t ncommits;
	size_t range_commits;             /* commits of the whole range, BASE included */
	const rg_series *series;
	size_t nseries;
	/* What `relgate bisect` needs to measure as this report did, for the
	 * command a sampled step offers: */
	const char *config;               /* --config PATH, NULL: none */
	const char *cache_dir;            /* --cache-dir DIR, NULL: the default */
	int no_notes;                     /* --no-notes */
	const char *format;               /* on stdout: text (NULL), json, markdown */
	int all;                          /* text: RG_TEXT_ALL */
} rg_range_report;

/*
 * Renders a judged range: on stdout the text report (rg_report_write_text),
 * or with format "json"/"markdown" that document; and each file whose path
 * is set ("-": stdout): JSON (the report's document plus kind,
 * range, first_parent, every, commits and series), Markdown (the summary
 * and the commits that moved each metric most), the HTML page with its
 * SVG charts. RG_OK, or RG_EIO with err set.
 */
int rg_range_render(const rg_range_report *r, const char *json_path, const char *md_path,
                    const char *html_path, rg_err *err);

/* 1 and *v when commit k of s was measured and has metric m. */
int rg_series_value(const rg_series *s, size_t k, const char *m, int64_t *v);

/* A step of a series that moved a metric: commit at against from. */
typedef struct rg_mover {
	size_t at;             /* commit index whose step moved the metric */
	size_t from;           /* previous measured index */
	int64_t delta;
} rg_mover;

#define RG_TOP_MOVERS 5

/* The RG_TOP_MOVERS largest |delta| steps of metric m, into top (count). */
size_t rg_series_movers(const rg_series *s, size_t ncommits, const char *m, rg_mover *top);

/*
 * A step between measured commits that are not adjacent (a sample) is a
 * span: the change is one of the commits after `from` up to `at`, not
 * `at`'s own. rg_mover_commits: how many commits that is (1: adjacent,
 * the step is at's). rg_mover_bisect: the command that finds the one
 * that moved metric m, "relgate bisect --changed --target T --metric M
 * [options of this report] FROM AT" (shell-quoted; caller frees; NULL
 * when out of memory).
 */
size_t rg_mover_commits(const rg_range_report *r, const rg_mover *mv);
char *rg_mover_bisect(const rg_range_report *r, const rg_series *s, const char *m,
                      const rg_mover *mv);
/* The HTML page (report_html.c). 0, or -1 with errno set. */
int rg_range_write_html(const rg_range_report *r, const char *path);

/* ---- shared by the renderers (report_common.c) ---- */

/* One metric of a target side by side. */
typedef struct rg_metric_row {
	const char *name;
	int has_base, has_head;
	int64_t base, head, delta; /* delta valid when both present */
	int rank;                  /* importance: lower comes first */
} rg_metric_row;

/* The metrics of t that differ between base and head (or, with all, every
 * metric), sorted by importance: dirty bytes, relocations, dirty pages,
 * file and mapped sizes, pclntab, segments, sections; within a rank by
 * |delta| descending, then by name. Caller frees *rows. RG_OK/RG_ENOMEM. */
int rg_metric_rows(const rg_target_result *t, int all, rg_metric_row **rows, size_t *n);
/* Importance rank of a metric name (0 = most important). */
int rg_metric_rank(const char *name);
/* "+4.8%", "-100.0%", "new" (no base or base 0 with growth), "" unchanged. */
const char *rg_delta_percent(const rg_metric_row *row, char *buf, size_t len);
/* Targets in display order: failures first (status descending, stable). */
size_t *rg_report_order(const rg_report *r);
/* Verdict indexes of t in display order (fail, warn, pass, skipped). */
size_t *rg_verdict_order(const rg_target_result *t);
/* 1 when the budgets that judged r are the head's own (--budgets-from
 * head, or a base without relgate.yml): r->budgets_source says "head ...". */
int rg_report_head_budgets_used(const rg_report *r);
/* The movers of v by `by` ("symbol", "package") as one line, each entry
 * escaped by esc for the renderer's output (NULL: unescaped, for a
 * renderer that escapes as it writes): "upnp_actions +56 (0 → 56),
 * upnp_errors +15 (0 → 15)"; "" when none. Only whole entries: when the
 * rest does not fit len, the line ends with ", … and N more". */
const char *rg_movers_line(const rg_verdict *v, const char *by, rg_esc_fn esc, char *buf,
                           size_t len);
/* The same with sep between entries (rg_movers_line: ", "), unescaped: a
 * renderer that wraps the line splits at a sep no escaped entry holds
 * ("\n" for the terminal form), never inside a name such as
 * "std::map<int, int>". */
const char *rg_movers_join(const rg_verdict *v, const char *by, rg_esc_fn esc, const char *sep,
                           char *buf, size_t len);
/* Whether r->inputs[i] is named: not a head measured from the same file
 * as its base (said once, for both). *sided: name its side, since base
 * and head differ (or one is missing). */
int rg_report_input_shown(const rg_report *r, size_t i, int *sided);

/* ---- what check, merge and diff print (report_common.c) ---- */

/*
 * 1 when format is one rg_report_render writes (text, json, github,
 * markdown); otherwise says "relgate: COMMAND: --format wants ..." on
 * stderr and returns 0.
 */
int rg_report_format_ok(const char *command, const char *format);

/*
 * Renders a judged report: FORMAT to stdout (text in colour when
 * rg_use_color allows; all: RG_TEXT_ALL), text_tail (may be NULL) after the text form, the
 * JSON and Markdown files when their paths are set, and on GitHub Actions
 * (GITHUB_ACTIONS=true) the annotations after the text form, the step
 * summary and the outputs.
 * RG_OK, or RG_EIO/RG_ENOMEM with err set (stdout included: a report that
 * could not be written is an error, not a silent exit 0).
 */
int rg_report_render(const rg_report *r, const char *format, int all, const char *text_tail,
                     const char *json_out, const char *markdown_out, rg_err *err);

/*
 * Says why COMMAND stopped without a report: "relgate: MSG" on stderr and,
 * on GitHub Actions, one "::error title=relgate COMMAND::MSG" on stdout so
 * the failure shows on the run (docs/gate.md "Reports").
 */
void rg_report_fail(const char *command, const char *msg);

#endif
