/*
 * cmd_report.c - `relgate report BASE..HEAD`: the release sign-off report
 * (docs/integrations.md "Release sign-off", `relgate help report`).
 *
 * Measures every selected commit of the range (gitrevisions(7) A..B: the
 * commits reachable from B and not from A, plus A itself as the starting
 * point; --first-parent follows first parents only, --every N keeps every
 * Nth commit, both ends and every tagged commit) for each target, through
 * the metrics cache `relgate check` fills (gate/cache.h: the same key, so what checks
 * built is reused), then judges the two ends against the budgets and hands
 * the judged range to reports/ (rg_range_render), which writes the text,
 * JSON, Markdown and the HTML page with one SVG chart per metric.
 *
 * A commit is measured by gate/commit_measure.c, as relgate check and
 * bisect measure theirs; rg_commit_range() and rg_side_fill() are shared
 * with cmd_bisect.c (gate/commits.h).
 */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../budgets/budgets.h"
#include "../budgets/judge.h"
#include "budget_file.h"
#include "build.h"
#include "cache.h"
#include "commit_measure.h"
#include "commits.h"
#include "git.h"
#include "../reports/report.h"
#include "../reports/escape.h"

const char rg_help_report[] =
"usage: relgate report BASE..HEAD [--first-parent] [--every N] [--target NAME]\n"
"                      [--format text|json|markdown] [--all] [--html-out FILE]\n"
"                      [--markdown-out FILE] [--json-out FILE] [--config PATH]\n"
"                      [--budgets-from base|head] [--cache-dir DIR] [--no-cache]\n"
"                      [--no-notes]\n"
"\n"
"Release sign-off over a range of commits: measures BASE and each commit of\n"
"BASE..HEAD for every target (through the metrics cache `relgate check`\n"
"fills, so what checks built is not built again), judges HEAD against BASE\n"
"with the budgets, and writes per target the metrics at both ends with\n"
"deltas and verdicts, and the commits that moved each metric most.\n"
"\n"
"  --first-parent      follow only the first parent of merges\n"
"  --every N           measure every Nth commit (both ends and tagged commits\n"
"                      always); a step between measured commits that are\n"
"                      not adjacent is shown as a span, \"between A and B\n"
"                      (25 commits)\", with the relgate bisect command that\n"
"                      finds the commit inside\n"
"  --target NAME       only this target (repeatable)\n"
"  --format text|json|markdown   on stdout (default text)\n"
"  --all               text: every rule and every changed metric\n"
"  --html-out FILE     a self-contained page: the verdicts and an SVG chart\n"
"                      per metric with a rule or a change, one point per\n"
"                      commit, labelled budget lines, the commit that broke\n"
"                      one marked\n"
"  --markdown-out FILE the summary and the top movers, in Markdown\n"
"  --json-out FILE     everything, as JSON (the check report plus series)\n"
"                      (--html, --markdown and --json are the old spellings)\n"
"  --config PATH       the budget file: a file on disk that HEAD does not\n"
"                      track is yours, and every commit is built with its\n"
"                      targets (history that never had a relgate.yml);\n"
"                      otherwise a path inside the commits, read from BASE\n"
"                      as relgate.yml is (see relgate help check)\n"
"  --budgets-from base|head   whose relgate.yml (default base)\n"
"  --cache-dir DIR, --no-cache   as for relgate check\n"
"  --no-notes          do not read published metrics (git notes; a range CI\n"
"                      published with relgate publish builds nothing)\n"
"\n"
"A progress line per commit goes to stderr ([3/12] 3f2a1c0 app: building,\n"
"ETA). A failed build in the middle of the range leaves a gap (noted); at\n"
"either end it stops the report.\n"
"\n"
"Exit: 0 within budget, 1 HEAD breaks a budget against BASE, 2 bad usage or\n"
"configuration, 3 a build or checkout at an end of the range failed.\n";

int rg_side_fill(git_repository *repo, const git_oid *id, const char *name, rg_side *s,
                 rg_err *err)
{
	git_commit *c = NULL;
	const char *msg;
	size_t i;

	memset(s, 0, sizeof(*s));
	if (git_commit_lookup(&c, repo, id) < 0)
		return rg_err_set(err, RG_EBUILD, "commit %s: not in the object database; "
		                  "fetch the full history", git_oid_tostr_s(id));
	s->name = name;
	git_oid_cpy(&s->commit, id);
	git_oid_cpy(&s->tree, git_commit_tree_id(c));
	git_oid_tostr(s->id, sizeof(s->id), id);
	snprintf(s->short_id, sizeof(s->short_id), "%.7s", s->id);
	snprintf(s->spec, sizeof(s->spec), "%s", s->id);
	msg = git_commit_summary(c);
	snprintf(s->subject, sizeof(s->subject), "%s", msg ? msg : "");
	for (i = 0; s->subject[i]; i++)
		if (s->subject[i] == '\n' || s->subject[i] == '\r')
			s->subject[i] = ' ';
	git_commit_free(c);
	return RG_OK;
}

/* BASE then the commits of BASE..HEAD, oldest first (topological). */
int rg_commit_range(git_repository *repo, const git_oid *base, const git_oid *head,
                    int first_parent, rg_side **out, size_t *n, rg_err *err)
{
	git_revwalk *w = NULL;
	git_oid id;
	rg_side *v = NULL;
	size_t cap = 0;
	int rc = RG_OK, e;

	*out = NULL;
	*n = 0;
	if (git_revwalk_new(&w, repo) < 0 ||
	    git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0 ||
	    (first_parent && git_revwalk_simplify_first_parent(w) < 0) ||
	    git_revwalk_push(w, head) < 0 || git_revwalk_hide(w, base) < 0) {
		rc = rg_err_set(err, RG_EBUILD, "walking the range: %s",
		                git_error_last() ? git_error_last()->message : "libgit2 error");
		goto done;
	}
	id = *base;
	do {
		if (*n == cap) {
			rg_side *nv = realloc(v, (cap = cap ? cap * 2 : 64) * sizeof(*v));
			if (!nv) {
				rc = rg_err_set(err, RG_ENOMEM, "out of memory");
				goto done;
			}
			v = nv;
		}
		/* BASE (GOOD for bisect) is the base side: its builds see
		 * RELGATE_SIDE=base and its progress lines say [base ...] */
		if ((rc = rg_side_fill(repo, &id, *n ? "head" : "base", &v[*n], err)) < 0)
			goto done;
		(*n)++;
	} while ((e = git_revwalk_next(&id, w)) == 0);
	if (e != GIT_ITEROVER)
		rc = rg_err_set(err, RG_EBUILD, "walking the range: %s",
		                git_error_last() ? git_error_last()->message : "libgit2 error");
done:
	git_revwalk_free(w);
	if (rc < 0) {
		free(v);
		v = NULL;
		*n = 0;
	}
	*out = v;
	return rc;
}

/* ---- the report ---------------------------------------------------------- */

typedef struct report_opts {
	const char *range, *html, *markdown, *json, *cache_dir, *budgets_from, *config, *format;
	const char **targets;
	size_t ntargets;
	int first_parent, every, no_cache, no_notes, all;
} report_opts;

typedef struct report_run {
	report_opts o;
	git_repository *repo;
	rg_side *commits;      /* selected: [0] = BASE, last = HEAD */
	size_t ncommits;
	size_t *pos;           /* per selected commit: its index in the whole range */
	char **tags;           /* per selected commit: its tags, ", "-joined, or NULL */
	size_t ntotal;         /* commits of the whole range, BASE included */
	rg_budget_file bf;     /* --config, or relgate.yml */
	rg_config *cfg;
	char budgets_source[300];
	rg_series *ser;
	size_t nser;
	rg_report report;
	rg_cache cache;
	rg_notes notes;
	rg_err err;
} report_run;

/* The range BASE..HEAD. */
static int take_range(void *ctx, const char *a)
{
	report_opts *o = ctx;

	if (o->range) {
		rg_errorf("report: one range only ('%s' and '%s')", o->range, a);
		return -1;
	}
	o->range = a;
	return 0;
}

static int parse_args(int argc, char **argv, report_opts *o)
{
	const rg_opt opts[] = {
		RG_OPT_FLAG("--first-parent", &o->first_parent),
		RG_OPT_FLAG("--no-cache", &o->no_cache),
		RG_OPT_FLAG("--all", &o->all),
		RG_OPT_FLAG("--no-notes", &o->no_notes),
		RG_OPT_VALUE("--html-out", "--html", &o->html),
		RG_OPT_VALUE("--markdown-out", "--markdown", &o->markdown),
		RG_OPT_VALUE("--json-out", "--json", &o->json),
		RG_OPT_VALUE("--format", NULL, &o->format),
		RG_OPT_VALUE("--cache-dir", NULL, &o->cache_dir),
		RG_OPT_VALUE("--budgets-from", NULL, &o->budgets_from),
		RG_OPT_VALUE("--config", NULL, &o->config),
		RG_OPT_NUMBER("--every", &o->every, 1, 1000000),
		RG_OPT_LIST("--target", &o->targets, &o->ntargets),
		RG_OPT_END,
	};
	int rc;

	o->every = 1;
	if ((rc = rg_opts_parse("report", rg_help_report, argc, argv, opts, take_range, o)) != 0)
		return rc;
	if (!o->range || !strstr(o->range, "..")) {
		rg_errorf("report: give a range BASE..HEAD (see 'relgate help report')");
		return -1;
	}
	if (!o->budgets_from)
		o->budgets_from = "base";
	else if (strcmp(o->budgets_from, "base") && strcmp(o->budgets_from, "head")) {
		rg_errorf("report: --budgets-from wants base or head, not '%s'", o->budgets_from);
		return -1;
	}
	if (o->format && strcmp(o->format, "text") && strcmp(o->format, "json") &&
	    strcmp(o->format, "markdown")) {
		rg_errorf("report: --format wants text, json or markdown, not '%s'", o->format);
		return -1;
	}
	return 0;
}

static int load_budgets(report_run *r)
{
	const rg_side *b = &r->commits[0], *h = &r->commits[r->ncommits - 1];
	const rg_side *from = strcmp(r->o.budgets_from, "head") ? b : h;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	if ((rc = rg_budget_file_resolve(r->repo, r->o.config, &r->bf, &r->err)) < 0)
		return rc;
	if (r->bf.on_disk && from == h)
		return rg_err_set(&r->err, RG_EINPUT, "--budgets-from head: --config %s is a file "
		                  "on disk, not read from a commit", r->bf.arg);
	if (r->bf.on_disk)
		return rg_budget_file_load(r->repo, &r->bf, NULL, NULL, &r->cfg, r->budgets_source,
		                           sizeof(r->budgets_source), &r->err);
	/* BASE's file, else (a range that adopts relgate) HEAD's. */
	rc = rg_budget_file_read(r->repo, &r->bf, from, &buf, &len, &r->err);
	free(buf);
	if (rc == 1 && from == b)
		from = h;
	if (rc < 0)
		return rc;
	return rg_budget_file_load(r->repo, &r->bf, from, from == b ? "base" : "head", &r->cfg,
	                           r->budgets_source, sizeof(r->budgets_source), &r->err);
}

/* ---- tags: the x axis of a release manager -------------------------------- */

typedef struct tag_ref {
	char *name;            /* without refs/tags/ */
	git_oid commit;        /* what it peels to */
} tag_ref;

typedef struct tag_list {
	git_repository *repo;
	tag_ref *v;
	size_t n, cap;
	int oom;
} tag_list;

static int tag_cb(const char *name, git_oid *oid, void *payload)
{
	tag_list *l = payload;
	git_object *o = NULL, *c = NULL;

	(void)oid;
	/* Tags of trees or blobs label no commit. */
	if (git_revparse_single(&o, l->repo, name) == 0 &&
	    git_object_peel(&c, o, GIT_OBJECT_COMMIT) == 0) {
		if (l->n == l->cap) {
			size_t cap = l->cap ? l->cap * 2 : 16;
			tag_ref *v = realloc(l->v, cap * sizeof(*v));
			if (!v)
				l->oom = 1;
			else
				l->v = v, l->cap = cap;
		}
		if (!l->oom && !(l->v[l->n].name = strdup(strncmp(name, "refs/tags/", 10) ? name
		                                                                         : name + 10)))
			l->oom = 1;
		if (!l->oom)
			git_oid_cpy(&l->v[l->n++].commit, git_object_id(c));
	}
	git_object_free(c);
	git_object_free(o);
	git_error_clear();
	return l->oom ? -1 : 0;
}

static int cmp_tag(const void *a, const void *b)
{
	const tag_ref *x = a, *y = b;
	int c = memcmp(x->commit.id, y->commit.id, sizeof(x->commit.id));

	return c ? c : strcmp(x->name, y->name);
}

/* r->tags[i]: the tags of commit i of the whole range, ", "-joined. */
static int label_tags(report_run *r)
{
	tag_list l = { r->repo, NULL, 0, 0, 0 };
	size_t i, k;
	int rc = RG_OK;

	if (!(r->tags = calloc(r->ncommits + 1, sizeof(*r->tags))))
		return rg_err_set(&r->err, RG_ENOMEM, "out of memory");
	if (git_tag_foreach(r->repo, tag_cb, &l) < 0 && l.oom) {
		rc = rg_err_set(&r->err, RG_ENOMEM, "out of memory");
		goto done;
	}
	git_error_clear();
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), cmp_tag);
	for (i = 0; l.n && i < r->ncommits; i++) {
		const unsigned char *id = r->commits[i].commit.id;
		const size_t idlen = sizeof(r->commits[i].commit.id);
		size_t lo = 0, hi = l.n, len = 0;
		const tag_ref *t;

		while (lo < hi) {      /* the first tag at or after the commit */
			size_t mid = lo + (hi - lo) / 2;
			if (memcmp(l.v[mid].commit.id, id, idlen) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (k = lo, t = &l.v[k]; k < l.n && !memcmp(t->commit.id, id, idlen); k++, t++) {
			char *p = realloc(r->tags[i], len + strlen(t->name) + 3);
			if (!p) {
				rc = rg_err_set(&r->err, RG_ENOMEM, "out of memory");
				goto done;
			}
			r->tags[i] = p;
			len += (size_t)sprintf(p + len, "%s%s", len ? ", " : "", t->name);
		}
	}
done:
	for (i = 0; i < l.n; i++)
		free(l.v[i].name);
	free(l.v);
	return rc;
}

/* Keeps BASE, every Nth commit after it, every tagged commit and HEAD;
 * r->pos remembers where each one was in the whole range. */
static int thin(report_run *r)
{
	size_t i, k = 0;

	if (!(r->pos = calloc(r->ncommits + 1, sizeof(*r->pos))))
		return rg_err_set(&r->err, RG_ENOMEM, "out of memory");
	r->ntotal = r->ncommits;
	for (i = 0; i < r->ncommits; i++)
		if (i % (size_t)r->o.every == 0 || i + 1 == r->ncommits || r->tags[i]) {
			r->commits[k] = r->commits[i];
			r->tags[k] = r->tags[i];
			r->pos[k++] = i;
		} else {
			free(r->tags[i]);
		}
	for (i = k; i < r->ncommits; i++)
		r->tags[i] = NULL;
	r->ncommits = k;
	return RG_OK;
}

static int add_metric(rg_series *s, const char *name)
{
	size_t i;
	char **nm;

	for (i = 0; i < s->nmetrics; i++)
		if (!strcmp(s->metrics[i], name))
			return RG_OK;
	if (!(nm = realloc(s->metrics, (s->nmetrics + 1) * sizeof(*nm))) ||
	    !(nm[s->nmetrics] = strdup(name))) {
		if (nm)
			s->metrics = nm;
		return RG_ENOMEM;
	}
	s->metrics = nm;
	s->nmetrics++;
	return RG_OK;
}

/* Metrics drawn: those with rules, then the headline ones present. */
static int choose_metrics(rg_series *s, size_t ncommits)
{
	static const char *const headline[] = { "file.size", "vm.size", "relocs.total",
		"relocs.relative", "relocs.symbolic", "dirty.bytes", "dirty.relro.bytes",
		"dirty.data.bytes", "pclntab.bytes", NULL };
	size_t i, k;
	int64_t v;

	for (i = 0; i < s->t->nrules; i++)
		if (add_metric(s, s->t->rules[i].metric))
			return RG_ENOMEM;
	for (i = 0; headline[i]; i++)
		for (k = 0; k < ncommits; k++)
			if (rg_series_value(s, k, headline[i], &v)) {
				if (add_metric(s, headline[i]))
					return RG_ENOMEM;
				break;
			}
	return RG_OK;
}

static void fmt_duration(double s, char *buf, size_t len)
{
	if (s < 60)
		snprintf(buf, len, "%.0fs", s);
	else
		snprintf(buf, len, "%dm%02ds", (int)(s / 60), (int)fmod(s, 60));
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int measure_all(report_run *r)
{
	size_t total = r->nser * r->ncommits, done = 0, i, k, nbuilt = 0;
	double spent = 0;
	rg_commit_measure_opts mo = RG_COMMIT_MEASURE_OPTS_INIT;
	int rc;

	mo.cache = &r->cache;
	mo.notes = &r->notes;
	for (i = 0; i < r->nser; i++) {
		rg_series *s = &r->ser[i];
		for (k = 0; k < r->ncommits && !rg_interrupted; k++) {
			const rg_side *c = &r->commits[k];
			rg_commit_job j = RG_COMMIT_JOB_INIT;
			char eta[32] = "";
			double t0 = now();

			if (nbuilt)
				fmt_duration(spent / (double)nbuilt * (double)(total - done), eta, sizeof(eta));
			char tn[200];

			fprintf(stderr, "[%zu/%zu] %s %s: measuring%s%s\n", done + 1, total, c->short_id,
			        rg_esc_term(s->t->name, tn, sizeof(tn)), eta[0] ? ", ETA " : "", eta);
			j.target = s->t;
			j.side = c;
			rc = rg_commit_measure(r->repo, &j, 1, &mo, &r->err);
			s->points[k] = j.binary;
			done++;
			if (j.built) {
				spent += now() - t0;
				nbuilt++;
			}
			if (rc < 0 && (k == 0 || k + 1 == r->ncommits || rg_interrupted))
				return rc;
			if (rc < 0) {
				rg_errorf("%s: %s (a gap in the series)", c->short_id, r->err.msg);
				if (rg_report_note(&r->report, "%s %s: not measured: %s", s->t->name,
				                   c->short_id, r->err.msg))
					return rg_err_set(&r->err, RG_ENOMEM, "out of memory");
				memset(&r->err, 0, sizeof(r->err));
			}
		}
		if ((rc = choose_metrics(s, r->ncommits)) != RG_OK)
			return rg_err_set(&r->err, RG_ENOMEM, "out of memory");
	}
	return rg_interrupted ? rg_err_set(&r->err, RG_EINPUT, "interrupted") : RG_OK;
}

static int judge(report_run *r)
{
	const rg_side *b = &r->commits[0], *h = &r->commits[r->ncommits - 1];
	size_t i;
	int rc = RG_OK;

	if (rg_report_set_str(&r->report.base_commit, b->id) ||
	    rg_report_set_str(&r->report.base_subject, b->subject) ||
	    rg_report_set_str(&r->report.head_commit, h->id) ||
	    rg_report_set_str(&r->report.head_subject, h->subject) ||
	    rg_report_set_str(&r->report.budgets_path, r->bf.path) ||
	    rg_report_set_str(&r->report.budgets_source, r->budgets_source))
		return rg_err_set(&r->err, RG_ENOMEM, "out of memory");
	for (i = 0; i < r->nser && rc == RG_OK; i++) {
		rg_series *s = &r->ser[i];
		rg_metric_map bm = RG_METRIC_MAP_INIT, hm = RG_METRIC_MAP_INIT;
		rg_target_result res;

		memset(&res, 0, sizeof(res));
		rc = rg_metric_map_from_json(&bm, cJSON_GetObjectItemCaseSensitive(s->points[0],
		                             "metrics"), &r->err);
		if (rc == RG_OK)
			rc = rg_metric_map_from_json(&hm, cJSON_GetObjectItemCaseSensitive(
			                             s->points[r->ncommits - 1], "metrics"), &r->err);
		if (rc == RG_OK)
			rc = rg_judge_target(s->t, &bm, &hm, &res, &r->err);
		if (rc == RG_OK)
			rg_target_result_movers(&res, s->points[0], s->points[r->ncommits - 1]);
		if (rc == RG_OK)
			rc = rg_report_add_target(&r->report, &res);
		rg_target_result_free(&res);
		rg_metric_map_free(&bm);
		rg_metric_map_free(&hm);
	}
	rg_report_update_status(&r->report);
	return rc;
}

/* ---- the command ---------------------------------------------------------- */

/* Hands the judged range to reports/ (rg_range_render). */
static int render(report_run *r)
{
	rg_range_report rr;
	rg_range_commit *cs = calloc(r->ncommits, sizeof(*cs));
	size_t i;
	int rc;

	if (!cs)
		return rg_err_set(&r->err, RG_ENOMEM, "out of memory");
	for (i = 0; i < r->ncommits; i++) {
		cs[i].id = r->commits[i].id;
		cs[i].short_id = r->commits[i].short_id;
		cs[i].subject = r->commits[i].subject;
		cs[i].position = r->pos[i];
		cs[i].tags = r->tags[i];
	}
	memset(&rr, 0, sizeof(rr));
	rr.report = &r->report;
	rr.range = r->o.range;
	rr.budgets_source = r->budgets_source;
	rr.first_parent = r->o.first_parent;
	rr.every = r->o.every;
	rr.commits = cs;
	rr.ncommits = r->ncommits;
	rr.range_commits = r->ntotal;
	rr.config = r->o.config ? r->bf.path : NULL;
	rr.cache_dir = r->o.cache_dir;
	rr.no_notes = r->o.no_notes;
	rr.series = r->ser;
	rr.nseries = r->nser;
	rr.format = r->o.format;
	rr.all = r->o.all;
	rc = rg_range_render(&rr, r->o.json, r->o.markdown, r->o.html, &r->err);
	free(cs);
	return rc;
}

static int run(report_run *r)
{
	rg_side base, head;
	size_t i;
	int rc;

	if ((rc = rg_git_open(&r->repo, &r->err)) < 0 ||
	    (rc = rg_git_resolve(r->repo, r->o.range, NULL, &base, &head, &r->err)) < 0 ||
	    (rc = rg_commit_range(r->repo, &base.commit, &head.commit, r->o.first_parent,
	                          &r->commits, &r->ncommits, &r->err)) < 0)
		return rc;
	if (r->ncommits < 2)
		return rg_err_set(&r->err, RG_EINPUT, "%s holds no commit", r->o.range);
	if ((rc = label_tags(r)) < 0 || (rc = thin(r)) < 0 || (rc = load_budgets(r)) < 0)
		return rc;
	r->nser = r->o.ntargets ? r->o.ntargets : r->cfg->ntargets;
	if (!(r->ser = calloc(r->nser + 1, sizeof(*r->ser))))
		return rg_err_set(&r->err, RG_ENOMEM, "out of memory");
	for (i = 0; i < r->nser; i++) {
		r->ser[i].t = r->o.ntargets ? rg_config_target(r->cfg, r->o.targets[i])
		                            : &r->cfg->targets[i];
		if (!r->ser[i].t)
			return rg_err_set(&r->err, RG_EINPUT, "no target '%s' in %s (%s)",
			                  r->o.targets[i], r->bf.path, r->budgets_source);
		if (!(r->ser[i].points = calloc(r->ncommits, sizeof(cJSON *))))
			return rg_err_set(&r->err, RG_ENOMEM, "out of memory");
	}
	rg_cache_init(&r->cache, r->o.cache_dir, r->o.no_cache);
	rg_notes_init(&r->notes, r->cfg->notes_ref, r->o.no_notes);
	fprintf(stderr, "relgate: report %s: %zu commits x %zu targets\n", r->o.range, r->ncommits,
	        r->nser);
	if ((rc = measure_all(r)) < 0 || (rc = judge(r)) < 0)
		return rc;
	return render(r);
}

int rg_cmd_report(int argc, char **argv)
{
	report_run r;
	size_t i, k;
	int rc, code;

	memset(&r, 0, sizeof(r));
	rg_report_init(&r.report);
	if ((rc = parse_args(argc, argv, &r.o)) != 0) {
		free((void *)r.o.targets);
		return rc > 0 ? RG_EXIT_OK : RG_EXIT_USAGE;
	}
	rg_signals_install();
	rc = run(&r);
	if (rc < 0) {
		rg_errorf("report: %s", rg_interrupted ? "interrupted" : r.err.msg);
		code = rg_interrupted ? RG_EXIT_BUILD : rg_exit_for(r.err.code ? r.err.code : rc);
	} else {
		code = rg_report_exit_code(&r.report);
	}
	for (i = 0; i < r.nser; i++) {
		for (k = 0; r.ser[i].points && k < r.ncommits; k++)
			cJSON_Delete(r.ser[i].points[k]);
		for (k = 0; k < r.ser[i].nmetrics; k++)
			free(r.ser[i].metrics[k]);
		free(r.ser[i].metrics);
		free(r.ser[i].points);
	}
	free(r.ser);
	for (i = 0; r.tags && i < r.ncommits; i++)
		free(r.tags[i]);
	free(r.tags);
	free(r.pos);
	free(r.commits);
	rg_config_free(r.cfg);
	rg_report_free(&r.report);
	if (r.repo)
		git_repository_free(r.repo);
	free((void *)r.o.targets);
	rg_git2_unload();
	rg_signals_reraise();
	return code;
}
