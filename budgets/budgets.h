/*
 * budgets.h - the budget file (relgate.yml, docs/budgets.md) as loaded by
 * budgets/config.c with libyaml. docs/budgets.md describes the format and
 * every error message; docs/relgate.schema.json is its JSON Schema.
 *
 *   version: 1
 *   targets:
 *     NAME:
 *       build: SHELL COMMAND        artifact: PATH      arch: NAME
 *       page_size: 16KiB            timeout: 30m        env: [CC, CFLAGS]
 *       submodules: skip|export   toolchain: [cc --version, go version]
 *       budgets:
 *         METRIC: { max: 1MiB, warn_max: .., max_increase: 2%, warn_increase: .. }
 *   notes: refs/notes/relgate       (optional: the notes ref of `relgate publish`)
 *
 * Every rule keeps the file, line and column of its value so verdicts and
 * annotations point at the line that set the limit. Errors are one line,
 * "FILE:LINE:COL: what is wrong", in err->msg (code RG_EINPUT; the CLI
 * prefixes "relgate: " and exits 2).
 */
#ifndef RG_BUDGETS_H
#define RG_BUDGETS_H

#include <stddef.h>
#include <stdint.h>

#include "../parsers/model.h"

/* Rule kinds; the order is the order of the spec and of reports. */
enum {
	RG_RULE_MAX = 0,       /* head value <= limit, else fail */
	RG_RULE_WARN_MAX,      /* head value <= limit, else warn */
	RG_RULE_MAX_INCREASE,  /* head - base <= limit (bytes/count or % of base), else fail */
	RG_RULE_WARN_INCREASE, /* the same, else warn */
	RG_RULE_KIND_COUNT
};

/* "max", "warn_max", "max_increase", "warn_increase" ("?" when out of range). */
const char *rg_rule_kind_name(int kind);
/* 1 for max_increase / warn_increase. */
int rg_rule_is_increase(int kind);

/* Limits on what the loader accepts (hostile files get an error, not a hang). */
#define RG_CONFIG_MAX_BYTES (1u << 20)  /* relgate.yml larger than 1 MiB: error */
#define RG_CONFIG_MAX_DEPTH 32          /* nesting deeper than this: error */
#define RG_CONFIG_MAX_NODES 100000      /* more YAML nodes than this: error */
#define RG_PERCENT_SCALE 10000          /* percentages keep 4 decimals */
#define RG_PERCENT_MAX 1000000.0        /* max_increase above 1000000%: error */

typedef struct rg_rule {
	char metric[160];
	int kind;           /* RG_RULE_* */
	int is_percent;     /* increases only: limit is percent of the base */
	int64_t value;      /* bytes or count (is_percent == 0), >= 0 */
	double percent;     /* is_percent: e.g. 2.5 for "2.5%" */
	int64_t percent_units; /* is_percent: percent * RG_PERCENT_SCALE, exact */
	char file[256];     /* display path of the budget file */
	int line, col;      /* 1-based position of the rule's value */
} rg_rule;

typedef struct rg_target {
	char *name, *build, *artifact, *arch; /* arch NULL when not set */
	uint64_t page_size;  /* 0: per-format default */
	unsigned timeout_s;  /* 0: not set (the gate's default applies) */
	char **env;          /* env var names that affect the build (cache key) */
	size_t nenv;
	int submodules_skip; /* submodules: skip (1) | export (0, default) */
	char **toolchain;    /* toolchain: commands whose output enters the cache key */
	size_t ntoolchain;
	int has_toolchain;   /* toolchain: given (even empty); else the default
	                      * fingerprint of the compilers `build` names */
	rg_rule *rules;      /* in file order */
	size_t nrules;
	int line, col;       /* position of the target's name */
} rg_target;

typedef struct rg_config {
	char *path;          /* display path, as given */
	int version;         /* 1 */
	rg_target *targets;  /* in file order */
	size_t ntargets;
	char *notes_ref;     /* notes: (a ref under refs/notes/), NULL when not set */
} rg_config;

/* Reads and parses a file; display path = path. */
int rg_config_load(const char *path, rg_config **out, rg_err *err);
/* Parses a buffer (e.g. a git blob); display_path is used in messages and
 * in every rule's file field. */
int rg_config_parse(const char *display_path, const char *buf, size_t len,
                    rg_config **out, rg_err *err);
void rg_config_free(rg_config *c);
/* The target called name, or NULL. */
const rg_target *rg_config_target(const rg_config *c, const char *name);

/* The rule's limit as written, normalised: "16 KiB", "2%", "1200". */
const char *rg_rule_limit_str(const rg_rule *r, char *buf, size_t len);
/* 1 when metric counts bytes (so a size unit applies), 0 when it counts things. */
int rg_metric_is_bytes(const char *metric);

/*
 * The absolute increase a percent rule allows over base:
 * floor(max(base, 0) * percent_units / (100 * RG_PERCENT_SCALE)), computed
 * exactly in integers and saturated at INT64_MAX. Rounding down means
 * "2% of 99 bytes" allows 1 byte, never 2 (see docs/budgets.md).
 */
int64_t rg_percent_of(int64_t base, int64_t percent_units);

/* Parsers for the value forms (exposed for tests and the CLI).
 * Return NULL on success or a static description of what is wrong. */
const char *rg_parse_size(const char *s, int allow_units, int64_t *out);
const char *rg_parse_percent(const char *s, int64_t *units, double *percent);
const char *rg_parse_duration(const char *s, unsigned *seconds);

#endif
