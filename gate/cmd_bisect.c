/*
 * cmd_bisect.c - `relgate bisect --target NAME --metric M GOOD BAD`: the
 * first commit of GOOD..BAD (first parents, oldest first) whose metric M
 * breaks a rule of the target, judged against GOOD as the base, with the
 * budgets of GOOD's relgate.yml (trusted, as in relgate check) or of
 * --config (gate/budget_file.h: the user's file on disk, or a path inside
 * the commits read from GOOD).
 *
 * Binary search, as git-bisect(1) does, over the n commits of the range:
 * GOOD is measured (increase rules need it), BAD is taken as bad without
 * building it (unless its metrics are cached; then it is verified), so at
 * most ceil(log2 n) commits in between are built: ceil(log2 n) + 1 builds
 * in all. Cached measurements (what checks and reports built) cost none.
 * The predicate is assumed monotone (once broken, it stays broken), as
 * bisection always does.
 *
 * With --changed the predicate is "M differs from GOOD's value" instead,
 * no rule needed: what `relgate report --every N` offers for a sampled
 * span, where it saw M move between two measured commits and the commit
 * that moved it is one of those in between.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "../budgets/budgets.h"
#include "../budgets/judge.h"
#include "budget_file.h"
#include "build.h"
#include "cache.h"
#include "commit_measure.h"
#include "commits.h"
#include "git.h"
#include "../reports/escape.h"
#include "../reports/report.h"

const char rg_help_bisect[] =
"usage: relgate bisect --target NAME --metric M [--changed] [--config PATH]\n"
"                      [--format text|json]\n"
"                      [--cache-dir DIR] [--no-cache] [--no-notes] GOOD BAD\n"
"\n"
"Finds the first commit between GOOD and BAD (following first parents)\n"
"whose metric M breaks a rule of target NAME in GOOD's relgate.yml, judged\n"
"against GOOD as the base. Builds at most ceil(log2 n) + 1 of the n commits\n"
"(GOOD, then a binary search; BAD is assumed bad unless its metrics are\n"
"cached). Prints the commit, the verdict and how many builds it took;\n"
"--format json prints them as one JSON document (bisect.schema.json).\n"
"Metrics published in git notes (relgate publish) count as cached;\n"
"--no-notes ignores them.\n"
"\n"
"  --changed           find the first commit whose M differs from GOOD's\n"
"                      value instead (no rule needed): the commit inside a\n"
"                      span of a sampled relgate report\n"
"  --config PATH       the budget file: a file on disk that HEAD does not\n"
"                      track is yours, and every commit is built with its\n"
"                      targets; otherwise a path inside the commits, read\n"
"                      from GOOD (see relgate help check)\n"
"\n"
"Exit: 0 found, 2 bad usage (no such target or rule, GOOD already broken,\n"
"BAD not broken or, with --changed, not changed; no commit between),\n"
"3 a build or checkout failed.\n";

typedef struct bisect_run {
	const char *target, *metric, *good, *bad, *cache_dir, *config, *format;
	int no_cache, no_notes;
	int changed;           /* --changed: the predicate is "M differs from GOOD's" */
	int64_t good_value;    /* GOOD's M, with --changed */
	int64_t last_value;    /* the last commit judged with --changed: its M */
	int last_has;          /* (present) */
	int64_t found_value;   /* the same, of the first commit found so far */
	int found_has;
	git_repository *repo;
	rg_budget_file bf;
	rg_config *cfg;
	rg_target t;           /* the target, with only the rules on metric */
	rg_rule *rules;
	rg_side *commits;      /* [0] GOOD, then GOOD..BAD oldest first */
	size_t ncommits;
	rg_metric_map base;
	rg_cache cache;
	rg_notes notes;
	int builds;
	rg_err err;
} bisect_run;

static int take_rev(void *ctx, const char *word)
{
	bisect_run *b = ctx;

	if (b->good && b->bad) {
		rg_errorf("bisect: unexpected argument '%s'", word);
		return -1;
	}
	*(b->good ? &b->bad : &b->good) = word;
	return 0;
}

static int parse_args(int argc, char **argv, bisect_run *b)
{
	const rg_opt opts[] = {
		RG_OPT_FLAG("--no-cache", &b->no_cache),
		RG_OPT_FLAG("--changed", &b->changed),
		RG_OPT_FLAG("--no-notes", &b->no_notes),
		RG_OPT_VALUE("--target", NULL, &b->target),
		RG_OPT_VALUE("--metric", NULL, &b->metric),
		RG_OPT_VALUE("--cache-dir", NULL, &b->cache_dir),
		RG_OPT_VALUE("--config", NULL, &b->config),
		RG_OPT_VALUE("--format", NULL, &b->format),
		RG_OPT_END
	};
	int rc;

	if ((rc = rg_opts_parse("bisect", rg_help_bisect, argc, argv, opts, take_rev, b)) != 0)
		return rc;
	if (b->format && strcmp(b->format, "text") && strcmp(b->format, "json")) {
		rg_errorf("bisect: --format wants text or json, not '%s'", b->format);
		return -1;
	}
	if (!b->target || !b->metric || !b->good || !b->bad) {
		rg_errorf("bisect: needs --target, --metric, GOOD and BAD (see 'relgate help bisect')");
		return -1;
	}
	return 0;
}

static int load_target(bisect_run *b)
{
	const rg_target *t;
	char source[300];
	size_t i;
	int rc;

	if ((rc = rg_budget_file_resolve(b->repo, b->config, &b->bf, &b->err)) < 0 ||
	    (rc = rg_budget_file_load(b->repo, &b->bf, &b->commits[0], "GOOD", &b->cfg, source,
	                              sizeof(source), &b->err)) < 0)
		return rc;
	if (!(t = rg_config_target(b->cfg, b->target)))
		return rg_err_set(&b->err, RG_EINPUT, "no target '%s' in %s (%s)", b->target,
		                  b->bf.path, source);
	b->t = *t;
	if (!(b->rules = calloc(t->nrules + 1, sizeof(*b->rules))))
		return rg_err_set(&b->err, RG_ENOMEM, "out of memory");
	b->t.rules = b->rules;
	b->t.nrules = 0;
	for (i = 0; i < t->nrules; i++)
		if (!strcmp(t->rules[i].metric, b->metric))
			b->rules[b->t.nrules++] = t->rules[i];
	if (!b->t.nrules && !b->changed)
		return rg_err_set(&b->err, RG_EINPUT, "target '%s' has no rule on '%s' (--changed "
		                  "finds the commit that changed it)", b->target, b->metric);
	return RG_OK;
}

/* Measures commit k into *metrics; with cache_only, only from the cache:
 * 1 (and *metrics untouched) when it is not there. */
static int measure(bisect_run *b, size_t k, int cache_only, rg_metric_map *metrics)
{
	rg_commit_measure_opts mo = RG_COMMIT_MEASURE_OPTS_INIT;
	rg_commit_job j = RG_COMMIT_JOB_INIT;
	int rc;

	mo.cache = &b->cache;
	mo.notes = &b->notes;
	mo.cache_only = cache_only;
	j.target = &b->t;
	j.side = &b->commits[k];
	rc = rg_commit_measure(b->repo, &j, 1, &mo, &b->err);
	b->builds += j.built;
	if (rc == RG_OK && !j.binary)
		rc = 1;
	else if (rc == RG_OK)
		rc = rg_metric_map_from_json(metrics, cJSON_GetObjectItemCaseSensitive(j.binary,
		                             "metrics"), &b->err);
	rg_commit_jobs_free(&j, 1);
	return rc;
}

/* Judges head against GOOD: 1 broken (with --changed: M differs from
 * GOOD's), 0 not, < 0 error; res the verdicts. */
static int judge(bisect_run *b, const rg_metric_map *head, rg_target_result *res)
{
	int rc;

	if (b->changed) {
		b->last_has = rg_metric_map_get(head, b->metric, &b->last_value);
		return !b->last_has || b->last_value != b->good_value;
	}
	rc = rg_judge_target(&b->t, &b->base, head, res, &b->err);
	return rc < 0 ? rc : res->status == RG_STATUS_FAIL;
}

/* Measures commit k and judges it. */
static int broken(bisect_run *b, size_t k, rg_target_result *res)
{
	rg_metric_map head = RG_METRIC_MAP_INIT;
	int rc;

	char sub[300];

	fprintf(stderr, "relgate: bisect: testing %s %s\n", b->commits[k].short_id,
	        rg_esc_term(b->commits[k].subject, sub, sizeof(sub)));
	if ((rc = measure(b, k, 0, &head)) == RG_OK)
		rc = judge(b, &head, res);
	rg_metric_map_free(&head);
	return rc;
}

static void print_found(const bisect_run *b, size_t k, const rg_target_result *res)
{
	rg_bisect_found f;

	f.id = b->commits[k].id;
	f.subject = b->commits[k].subject;
	f.target = b->target;
	f.metric = b->metric;
	f.res = res;
	f.builds = b->builds;
	f.ncommits = b->ncommits;
	f.changed = b->changed;
	f.good_value = b->good_value;
	f.found_value = b->found_value;
	f.found_has = b->found_has;
	if (b->format && !strcmp(b->format, "json"))
		rg_bisect_write_json(stdout, &f);
	else
		rg_bisect_write_text(stdout, &f);
}

static int search(bisect_run *b)
{
	size_t lo = 0, hi = b->ncommits - 1, mid;  /* lo good, hi bad */
	rg_target_result res, found;
	rg_metric_map probe = RG_METRIC_MAP_INIT;
	int rc, have_found = 0;

	memset(&found, 0, sizeof(found));
	if ((rc = measure(b, 0, 0, &b->base)) < 0)
		return rc;
	if (b->changed && !rg_metric_map_get(&b->base, b->metric, &b->good_value))
		return rg_err_set(&b->err, RG_EINPUT, "GOOD %s has no metric %s",
		                  b->commits[0].short_id, b->metric);
	memset(&res, 0, sizeof(res));
	rc = judge(b, &b->base, &res);
	rg_target_result_free(&res);
	if (rc != 0)
		return rc < 0 ? rc : rg_err_set(&b->err, RG_EINPUT, "GOOD %s already breaks %s's "
		                                "rule on %s", b->commits[0].short_id, b->target,
		                                b->metric);
	/* BAD is verified only when that costs no build. */
	rc = measure(b, hi, 1, &probe);
	rg_metric_map_free(&probe);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		have_found = 1;
		memset(&res, 0, sizeof(res));
		rc = broken(b, hi, &res);
		if (rc == 1) {
			rg_target_result_free(&found);
			found = res;
			b->found_value = b->last_value;
			b->found_has = b->last_has;
		} else {
			rg_target_result_free(&res);
		}
		if (rc == 0)
			return rg_err_set(&b->err, RG_EINPUT, "BAD %s does not %s %s's %s%s",
			                  b->commits[hi].short_id, b->changed ? "change" : "break",
			                  b->target, b->changed ? "" : "rule on ", b->metric);
		if (rc < 0)
			return rc;
	}
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		memset(&res, 0, sizeof(res));
		rc = broken(b, mid, &res);
		if (rc < 0) {
			rg_target_result_free(&res);
			rg_target_result_free(&found);
			return rc;
		}
		if (rc) {
			hi = mid;
			rg_target_result_free(&found);
			found = res;
			b->found_value = b->last_value;
			b->found_has = b->last_has;
			have_found = 1;
		} else {
			lo = mid;
			rg_target_result_free(&res);
		}
	}
	print_found(b, hi, have_found ? &found : NULL);
	rg_target_result_free(&found);
	return RG_OK;
}

int rg_cmd_bisect(int argc, char **argv)
{
	bisect_run b;
	rg_side good, bad;
	char range[600];
	int rc, code;

	memset(&b, 0, sizeof(b));
	if ((rc = parse_args(argc, argv, &b)) != 0)
		return rc > 0 ? RG_EXIT_OK : RG_EXIT_USAGE;
	rg_signals_install();
	snprintf(range, sizeof(range), "%s..%s", b.good, b.bad);
	if ((rc = rg_git_open(&b.repo, &b.err)) < 0 ||
	    (rc = rg_git_resolve(b.repo, range, NULL, &good, &bad, &b.err)) < 0 ||
	    (rc = rg_commit_range(b.repo, &good.commit, &bad.commit, 1, &b.commits, &b.ncommits,
	                          &b.err)) < 0)
		goto done;
	if (b.ncommits < 2) {
		rc = rg_err_set(&b.err, RG_EINPUT, "no commit between %s and %s", b.good, b.bad);
		goto done;
	}
	if ((rc = load_target(&b)) < 0)
		goto done;
	rg_cache_init(&b.cache, b.cache_dir, b.no_cache);
	rg_notes_init(&b.notes, b.cfg->notes_ref, b.no_notes);
	rc = search(&b);
done:
	if (rc < 0) {
		rg_errorf("bisect: %s", rg_interrupted ? "interrupted" : b.err.msg);
		code = rg_interrupted ? RG_EXIT_BUILD : rg_exit_for(b.err.code ? b.err.code : rc);
	} else {
		code = RG_EXIT_OK;
	}
	rg_metric_map_free(&b.base);
	free(b.rules);
	free(b.commits);
	rg_config_free(b.cfg);
	if (b.repo)
		git_repository_free(b.repo);
	rg_git2_unload();
	rg_signals_reraise();
	return code;
}
