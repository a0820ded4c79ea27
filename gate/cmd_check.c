/*
 * cmd_check.c - `relgate check`, the gate (docs/gate.md): resolve base
 * and head (gate/git.c), read the trusted budgets
 * (the base's relgate.yml unless told otherwise), measure both sides of
 * every target in one batch (gate/commit_measure.c: the cache, the export,
 * the builds side by side with --jobs, the artifacts), then judge
 * (budgets/judge.h) and render the reports (reports/report.h).
 * docs/gate.md is the user's guide; exit codes are those of cli.h.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../budgets/budgets.h"
#include "../budgets/judge.h"
#include "budget_file.h"
#include "buf.h"
#include "build.h"
#include "cache.h"
#include "commit_measure.h"
#include "git.h"
#include "../reports/report.h"
#include "../reports/escape.h"
#include "uncommitted.h"

const char rg_help_check[] =
"usage: relgate check [RANGE] [--base REV] [--head REV] [options]\n"
"\n"
"Judges a change against the budgets of relgate.yml. Exports the base and\n"
"head commits' trees into temporary directories (never touching your\n"
"working tree, index, HEAD, refs or stash), builds each target in each\n"
"with /bin/sh -c BUILD, measures the artifact and compares.\n"
"\n"
"Revisions:\n"
"  --head REV          the change (default HEAD)\n"
"  --head index        the staged tree: what `git commit` would commit now\n"
"  --head worktree     the working tree: tracked files as they are on disk\n"
"                      and untracked files git does not ignore. Neither\n"
"                      writes to .git (no object, no index change); the\n"
"                      default base is that of HEAD\n"
"  --base REV          what it is compared with (default: the merge base of\n"
"                      head and its upstream, else origin/HEAD, origin/main,\n"
"                      origin/master, main, master; on GitHub Actions pull\n"
"                      requests the merge base with origin/$GITHUB_BASE_REF)\n"
"  RANGE               A..B (base A, head B) or A...B (base = merge base)\n"
"\n"
"Budgets and targets:\n"
"  --config PATH       the budget file: a file on disk that HEAD does not\n"
"                      track (outside the repository, or new in the working\n"
"                      tree) is yours, trusted, and both sides are built with\n"
"                      its targets; otherwise PATH is a path inside the\n"
"                      commits (from the root; a monorepo's relgate.yml),\n"
"                      read from the base as relgate.yml is (default\n"
"                      relgate.yml)\n"
"  --budgets-from base|head|worktree\n"
"                      whose relgate.yml sets the limits (default base, so\n"
"                      a change cannot loosen its own budgets)\n"
"  --target NAME       judge only this target (repeatable)\n"
"  --jobs N            builds of one side run side by side (the targets); the\n"
"                      base's are measured before any head build starts\n"
"\n"
"Cache ($XDG_CACHE_HOME/relgate, else ~/.cache/relgate):\n"
"  --cache-dir DIR     use DIR instead\n"
"  --no-cache          build and measure both sides every time\n"
"  --no-notes          do not read published metrics (git notes, below)\n"
"  --keep              keep the exported trees, outputs and logs; print where\n"
"\n"
"Published metrics: a side whose metrics CI wrote into the notes ref\n"
"(refs/notes/relgate, or `notes:` in relgate.yml; see relgate publish) under\n"
"the same cache key (tree, target, build settings, toolchain) is not built.\n"
"\n"
"Reports:\n"
"  --format text|json|github|markdown   on stdout (default text)\n"
"  --all               text: every rule and every changed metric (default:\n"
"                      failed and warned rules, budgeted metrics, top movers)\n"
"  --json-out FILE     also write the JSON report to FILE\n"
"  --markdown-out FILE also write the Markdown summary to FILE\n"
"  With GITHUB_ACTIONS=true, ::error/::warning annotations follow the text\n"
"  report and the summary and outputs go to $GITHUB_STEP_SUMMARY and\n"
"  $GITHUB_OUTPUT.\n"
"\n"
"Builds see RELGATE_SIDE (base|head), RELGATE_COMMIT, RELGATE_TARGET and\n"
"RELGATE_OUT (an empty directory for outputs); `artifact:` may use\n"
"$RELGATE_OUT. A build over its timeout (default 30m, target `timeout:`)\n"
"is killed with its whole process group.\n"
"\n"
"Exit: 0 within budget (warnings allowed), 1 a budget was exceeded,\n"
"2 bad usage or configuration, 3 a build, export or checkout failed\n"
"(shallow clone, missing objects, missing artifact).\n";

typedef struct check_opts {
	const char *base, *head, *budgets_from, *format, *json_out, *markdown_out, *cache_dir;
	const char *config;    /* --config, NULL when not given */
	const char **targets;
	size_t ntargets;
	int jobs, keep, no_cache, no_notes, all;
} check_opts;

/* Where a selected target's sides are in check_run.jobs. */
typedef struct target_jobs {
	int base, head;        /* base -1: a new target, no base side */
} target_jobs;

typedef struct check_run {
	check_opts o;
	git_repository *repo;
	rg_side sides[2];      /* base, head */
	rg_budget_file bf;     /* where the budgets are: --config or relgate.yml */
	rg_config *cfg;
	rg_config *base_cfg;   /* the base's own relgate.yml when budgets come from elsewhere */
	char *base_yml, *head_yml;
	size_t base_len, head_len;
	int have_base_yml, have_head_yml;
	char budgets_source[300];
	const rg_target **sel;
	size_t nsel;
	target_jobs *tj;       /* one per selected target */
	rg_commit_job *jobs;   /* what gate/commit_measure.c measures */
	size_t njobs;
	rg_cache cache;
	rg_notes notes;
	rg_report report;
	rg_err err;
} check_run;

/* ---- hints -------------------------------------------------------------- */

/* What to do when a build failed because of this machine rather than the
 * change, recognised in the failure's log tail; NULL when nothing is. */
const char *rg_build_hint(const char *msg)
{
	static const struct {
		const char *needle, *hint;
	} hints[] = {
		{ "cannot find runtime/cgo", "Go for GOOS=ios (or with cgo for another OS) links with "
		  "Apple's clang: build this target on a Mac, or measure the same code as "
		  "CGO_ENABLED=0 GOOS=darwin GOARCH=arm64 (see the example in budgets.md)" },
		{ "xcrun", "this build needs Xcode's tools: run relgate on a Mac, or skip the target "
		  "here with --target" },
		{ "command not found", "a command of the build is not installed on this machine: "
		  "install it, or judge the other targets with --target" },
		{ ": not found", "a command of the build is not installed on this machine: install "
		  "it, or judge the other targets with --target" },
	};
	size_t i;

	for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strstr(msg, hints[i].needle))
			return hints[i].hint;
	return NULL;
}

/* ---- arguments ---------------------------------------------------------- */

/* A range A..B or A...B, in place of --base/--head. */
static int take_range(void *ctx, const char *a)
{
	check_opts *o = ctx;

	if (o->base && strstr(a, "..")) {
		rg_errorf("check: give one range or --base, not both");
		return -1;
	}
	if (!strstr(a, "..")) {
		rg_errorf("check: '%s' is not a range A..B or A...B; use --base/--head", a);
		return -1;
	}
	o->base = a;
	return 0;
}

static int parse_args(int argc, char **argv, check_opts *o)
{
	const rg_opt opts[] = {
		RG_OPT_FLAG("--keep", &o->keep),
		RG_OPT_FLAG("--no-cache", &o->no_cache),
		RG_OPT_FLAG("--all", &o->all),
		RG_OPT_FLAG("--no-notes", &o->no_notes),
		RG_OPT_VALUE("--base", NULL, &o->base),
		RG_OPT_VALUE("--head", NULL, &o->head),
		RG_OPT_VALUE("--budgets-from", NULL, &o->budgets_from),
		RG_OPT_VALUE("--config", NULL, &o->config),
		RG_OPT_VALUE("--format", NULL, &o->format),
		RG_OPT_VALUE("--json-out", NULL, &o->json_out),
		RG_OPT_VALUE("--markdown-out", NULL, &o->markdown_out),
		RG_OPT_VALUE("--cache-dir", NULL, &o->cache_dir),
		RG_OPT_LIST("--target", &o->targets, &o->ntargets),
		RG_OPT_NUMBER("--jobs", &o->jobs, 1, 16),
		RG_OPT_END,
	};
	int rc;

	o->format = "text";
	o->jobs = 1;
	if ((rc = rg_opts_parse("check", rg_help_check, argc, argv, opts, take_range, o)) != 0)
		return rc;
	if (!o->budgets_from) {
		o->budgets_from = "base";
	} else if (strcmp(o->budgets_from, "base") && strcmp(o->budgets_from, "head") &&
	           strcmp(o->budgets_from, "worktree")) {
		rg_errorf("check: --budgets-from wants base, head or worktree, not '%s'",
		          o->budgets_from);
		return -1;
	}
	if (!rg_report_format_ok("check", o->format))
		return -1;
	return 0;
}

/* ---- budgets ------------------------------------------------------------ */

static int diff_line(const git_diff_delta *delta, const git_diff_hunk *hunk,
                     const git_diff_line *line, void *payload)
{
	rg_buf *d = payload;
	char c = line->origin;

	(void)delta;
	if (c == GIT_DIFF_LINE_FILE_HDR || c == GIT_DIFF_LINE_HUNK_HDR) {
		rg_buf_add(d, line->content, line->content_len);
		return 0;
	}
	if (c == '+' || c == '-' || c == ' ')
		rg_buf_add(d, &c, 1);
	rg_buf_add(d, line->content, line->content_len);
	if (line->content_len == 0 || line->content[line->content_len - 1] != '\n')
		rg_buf_add(d, "\n", 1);
	(void)hunk;
	return 0;
}

static int diff_hunk(const git_diff_delta *delta, const git_diff_hunk *hunk, void *payload)
{
	rg_buf *d = payload;

	if (d->n == 0)
		rg_buf_printf(d, "--- %s (base)\n+++ %s (head)\n", delta->old_file.path,
		              delta->new_file.path);
	rg_buf_add(d, hunk->header, hunk->header_len);
	return 0;
}

/* A unified diff of relgate.yml from base to head (malloc'd). */
static char *budgets_diff(const check_run *r)
{
	git_diff_options o;
	rg_buf d = RG_BUF_INIT;
	char a[4200], b[4200];

	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.context_lines = 2;
	snprintf(a, sizeof(a), "a/%s", r->bf.path);
	snprintf(b, sizeof(b), "b/%s", r->bf.path);
	git_diff_buffers(r->have_base_yml ? r->base_yml : NULL, r->base_len, a,
	                 r->have_head_yml ? r->head_yml : NULL, r->head_len, b, &o,
	                 NULL, NULL, diff_hunk, diff_line, &d);
	if (d.oom) { /* no diff rather than a cut one */
		free(d.p);
		return NULL;
	}
	return d.p;
}

static int load_budgets(check_run *r)
{
	const char *from = r->o.budgets_from;
	const char *yml = r->bf.path;
	char what[100];
	int rc;

	if (r->bf.on_disk) {
		/* The user's own file: trusted, the same for both sides. */
		if (strcmp(from, "base"))
			return rg_err_set(&r->err, RG_EINPUT, "--budgets-from %s: --config %s is a file "
			                  "on disk, not read from a commit", from, r->bf.arg);
		return rg_budget_file_load(r->repo, &r->bf, &r->sides[0], "base", &r->cfg,
		                           r->budgets_source, sizeof(r->budgets_source), &r->err);
	}
	rc = rg_budget_file_read(r->repo, &r->bf, &r->sides[0], &r->base_yml, &r->base_len,
	                         &r->err);
	if (rc < 0)
		return rc;
	r->have_base_yml = rc == 0;
	if (rg_side_is_commit(&r->sides[1]))
		rc = rg_budget_file_read(r->repo, &r->bf, &r->sides[1], &r->head_yml, &r->head_len,
		                         &r->err);
	else
		rc = rg_uncommitted_read_file(r->repo, &r->sides[1], r->bf.path, &r->head_yml,
		                              &r->head_len, &r->err);
	if (rc < 0)
		return rc;
	r->have_head_yml = rc == 0;

	if (!strcmp(from, "worktree")) {
		const char *wd = rg_git_workdir(r->repo);
		char path[4200];

		if (!wd)
			return rg_err_set(&r->err, RG_EINPUT, "--budgets-from worktree: a bare repository "
			                  "has no working tree");
		snprintf(path, sizeof(path), "%s%s", wd, yml);
		snprintf(r->budgets_source, sizeof(r->budgets_source), "working tree");
		return rg_config_load(path, &r->cfg, &r->err);
	}
	if (!strcmp(from, "head") || !r->have_base_yml) {
		if (!r->have_head_yml) {
			const char *wd = rg_git_workdir(r->repo);
			char path[4200];

			if (!strcmp(from, "head"))
				snprintf(what, sizeof(what), "head %s", r->sides[1].short_id);
			else
				snprintf(what, sizeof(what), "base %s or head %s", r->sides[0].short_id,
				         r->sides[1].short_id);
			/* The first run: the file is often written but not committed. */
			if (!r->bf.arg && wd &&
			    (snprintf(path, sizeof(path), "%s%s", wd, yml), access(path, R_OK) == 0))
				return rg_err_set(&r->err, RG_EINPUT, "no %s in %s; the one in your working "
				                  "tree is not committed: commit it (git add %s && git "
				                  "commit), or judge with it as it is with --budgets-from "
				                  "worktree", yml, what, yml);
			return rg_budget_file_missing(&r->bf, what, &r->err);
		}
		snprintf(r->budgets_source, sizeof(r->budgets_source), "head %s%s%s%.200s%s",
		         rg_side_is_commit(&r->sides[1]) ? "commit " : "", r->sides[1].short_id,
		         strcmp(from, "head") ? " (the base has no " : "",
		         strcmp(from, "head") ? yml : "", strcmp(from, "head") ? ")" : "");
		return rg_config_parse(yml, r->head_yml, r->head_len, &r->cfg, &r->err);
	}
	snprintf(r->budgets_source, sizeof(r->budgets_source), "base commit %s",
	         r->sides[0].short_id);
	rc = rg_config_parse(yml, r->base_yml, r->base_len, &r->cfg, &r->err);
	if (rc < 0) {
		/* The file on disk may differ: say which copy is wrong. */
		size_t n = strlen(r->err.msg);
		snprintf(r->err.msg + n, sizeof(r->err.msg) - n,
		         " (%s of the base commit %s; --budgets-from head reads the head's)",
		         yml, r->sides[0].short_id);
	}
	return rc;
}

static int select_targets(check_run *r)
{
	size_t i;

	if (!(r->sel = calloc(r->cfg->ntargets + r->o.ntargets + 1, sizeof(*r->sel))))
		return rg_err_set(&r->err, RG_ENOMEM, "out of memory");
	if (!r->o.ntargets) {
		for (i = 0; i < r->cfg->ntargets; i++)
			r->sel[r->nsel++] = &r->cfg->targets[i];
		return RG_OK;
	}
	for (i = 0; i < r->o.ntargets; i++) {
		const rg_target *t = rg_config_target(r->cfg, r->o.targets[i]);
		if (!t)
			return rg_err_set(&r->err, RG_EINPUT, "no target '%s' in %s (%s)",
			                  r->o.targets[i], r->bf.path, r->budgets_source);
		r->sel[r->nsel++] = t;
	}
	return RG_OK;
}

/* ---- measure ----------------------------------------------------------- */

/* A target the base's relgate.yml does not have (or the base has no
 * relgate.yml: the change adopts relgate) is new: its base side is not
 * built (the build command may not even work there) and the judge skips
 * its increase rules. */
static int is_new_target(check_run *r, const rg_target *t)
{
	rg_err ignored = { 0, "" };

	if (r->bf.on_disk)
		return 0; /* the user's file: every commit is built with its targets */
	if (!r->have_base_yml)
		return 1;
	if (r->cfg && !strcmp(r->o.budgets_from, "base"))
		return 0;
	if (!r->base_cfg &&
	    rg_config_parse(r->bf.path, r->base_yml, r->base_len, &r->base_cfg, &ignored) < 0)
		return 0; /* unreadable at the base: build it and see */
	return rg_config_target(r->base_cfg, t->name) == NULL;
}

static int add_job(check_run *r, const rg_target *t, const rg_side *side)
{
	rg_commit_job init = RG_COMMIT_JOB_INIT;

	r->jobs[r->njobs] = init;
	r->jobs[r->njobs].target = t;
	r->jobs[r->njobs].side = side;
	return (int)r->njobs++;
}

/* Both sides of every selected target, base first, through the cache. */
static int measure(check_run *r)
{
	rg_commit_measure_opts mo = RG_COMMIT_MEASURE_OPTS_INIT;
	size_t i;

	if (!(r->tj = calloc(r->nsel + 1, sizeof(*r->tj))) ||
	    !(r->jobs = calloc(r->nsel * 2 + 1, sizeof(*r->jobs))))
		return rg_err_set(&r->err, RG_ENOMEM, "out of memory");
	rg_cache_init(&r->cache, r->o.cache_dir, r->o.no_cache);
	rg_notes_init(&r->notes, r->cfg->notes_ref, r->o.no_notes);
	for (i = 0; i < r->nsel; i++) {
		const rg_target *t = r->sel[i];

		r->tj[i].base = -1;
		if (is_new_target(r, t))
			fprintf(stderr, "[base %s] %s: not in the base's relgate.yml, a new target\n",
			        r->sides[0].short_id, t->name);
		else
			r->tj[i].base = add_job(r, t, &r->sides[0]);
		r->tj[i].head = add_job(r, t, &r->sides[1]);
	}
	mo.cache = &r->cache;
	mo.notes = &r->notes;
	mo.jobs = r->o.jobs;
	mo.keep = r->o.keep;
	return rg_commit_measure(r->repo, r->jobs, r->njobs, &mo, &r->err);
}

/* ---- judge and report --------------------------------------------------- */

static int add_input(check_run *r, const rg_commit_job *j)
{
	const cJSON *b = j->binary;
	const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(b, "format");
	const cJSON *arch = cJSON_GetObjectItemCaseSensitive(b, "arch");
	const cJSON *ps = cJSON_GetObjectItemCaseSensitive(b, "page_size");

	char path[4200];

	/* The artifact as the build saw it, its variables expanded, but
	 * $RELGATE_OUT as "<out>": that was a temporary directory, gone by now
	 * (and, for a cache hit, never made). A path in the tree stays as the
	 * user wrote it (build/out/netd). */
	rg_expand_artifact(j->target->artifact, "<out>", j->side->name, j->side->id,
	                   j->target->name, path, sizeof(path));
	return rg_report_add_input(&r->report, j->side->name, j->target->name, path,
	                           cJSON_IsString(fmt) ? fmt->valuestring : "",
	                           cJSON_IsString(arch) ? arch->valuestring : "",
	                           cJSON_IsNumber(ps) ? (uint64_t)ps->valuedouble : 0);
}

static int judge(check_run *r)
{
	size_t i;
	int rc = RG_OK;
	rg_report *rep = &r->report;

	rg_report_set_str(&rep->base_commit, r->sides[0].id);
	rg_report_set_str(&rep->base_subject, r->sides[0].subject);
	rg_report_set_str(&rep->head_commit, r->sides[1].id);
	rg_report_set_str(&rep->head_subject, r->sides[1].subject);
	rg_report_set_str(&rep->budgets_path, r->bf.path);
	rg_report_set_str(&rep->budgets_source, r->budgets_source);
	if (!r->bf.on_disk && (r->have_base_yml != r->have_head_yml || r->base_len != r->head_len ||
	    (r->have_base_yml && memcmp(r->base_yml, r->head_yml, r->base_len)))) {
		char *d = budgets_diff(r);
		rep->budgets_changed = 1;
		rg_report_set_str(&rep->budgets_diff, d);
		free(d);
	}
	for (i = 0; i < r->nsel && rc == RG_OK; i++) {
		const rg_commit_job *jb = r->tj[i].base < 0 ? NULL : &r->jobs[r->tj[i].base];
		const rg_commit_job *jh = &r->jobs[r->tj[i].head];
		rg_metric_map base = RG_METRIC_MAP_INIT, head = RG_METRIC_MAP_INIT;
		rg_target_result res;

		memset(&res, 0, sizeof(res));
		if (jb)
			rc = rg_metric_map_from_json(&base, cJSON_GetObjectItemCaseSensitive(jb->binary,
			                             "metrics"), &r->err);
		if (rc == RG_OK)
			rc = rg_metric_map_from_json(&head, cJSON_GetObjectItemCaseSensitive(jh->binary,
			                             "metrics"), &r->err);
		if (rc == RG_OK)
			rc = rg_judge_target(r->sel[i], jb ? &base : NULL, &head, &res, &r->err);
		if (rc == RG_OK)
			rg_target_result_movers(&res, jb ? jb->binary : NULL, jh->binary);
		if (rc == RG_OK && !jb)
			rc = rg_target_result_note(&res, "new target: not in the base's relgate.yml, so "
			                           "the base was not built and increase rules are skipped");
		if (rc == RG_OK && jb && jb->cached)
			rc = rg_target_result_note(&res, "base %s: metrics from %s",
			                           r->sides[0].short_id,
			                           jb->noted ? r->notes.ref : "the cache");
		if (rc == RG_OK && jb && jh->same_as == r->tj[i].base)
			rc = rg_target_result_note(&res, "head %s has the base's tree: built and "
			                           "measured once", r->sides[1].short_id);
		else if (rc == RG_OK && jh->cached)
			rc = rg_target_result_note(&res, "head %s: metrics from %s",
			                           r->sides[1].short_id,
			                           jh->noted ? r->notes.ref : "the cache");
		if (rc == RG_OK)
			rc = rg_report_add_target(rep, &res);
		if (rc == RG_OK && jb)
			rc = add_input(r, jb);
		if (rc == RG_OK)
			rc = add_input(r, jh);
		rg_target_result_free(&res);
		rg_metric_map_free(&base);
		rg_metric_map_free(&head);
	}
	rg_report_update_status(rep);
	return rc;
}

static int render(check_run *r)
{
	rg_report *rep = &r->report;
	char *tail = NULL;
	int rc;

	/* The text renderer names the change; the rules' diff is shown after
	 * it, as the JSON and Markdown forms carry it. */
	if (rg_report_budgets_tail(rep, !strcmp(r->o.budgets_from, "head"), &tail) < 0)
		return rg_err_set(&r->err, RG_ENOMEM, "out of memory");
	rc = rg_report_render(rep, r->o.format, r->o.all, tail, r->o.json_out, r->o.markdown_out, &r->err);
	free(tail);
	return rc;
}

/* ---- the command -------------------------------------------------------- */

static void cleanup(check_run *r)
{
	rg_commit_jobs_free(r->jobs, r->njobs);
	free(r->jobs);
	free(r->tj);
	free(r->sel);
	free(r->base_yml);
	free(r->head_yml);
	rg_config_free(r->cfg);
	rg_config_free(r->base_cfg);
	rg_report_free(&r->report);
	rg_uncommitted_free(&r->sides[1]);
	if (r->repo)
		git_repository_free(r->repo);
	free((void *)r->o.targets);
}

static int run(check_run *r)
{
	int rc;

	int kind = rg_uncommitted_kind(r->o.head);

	if (kind != RG_SIDE_COMMIT && r->o.base && strstr(r->o.base, ".."))
		return rg_err_set(&r->err, RG_EINPUT, "--head %s names the head: give --base REV, "
		                  "not a range", r->o.head);
	/* Uncommitted work: the base is HEAD's, then the head is replaced. */
	if ((rc = rg_git_open(&r->repo, &r->err)) < 0 ||
	    (rc = rg_git_resolve(r->repo, r->o.base, kind == RG_SIDE_COMMIT ? r->o.head : NULL,
	                         &r->sides[0], &r->sides[1], &r->err)) < 0 ||
	    (kind != RG_SIDE_COMMIT &&
	     (rc = rg_uncommitted_side(r->repo, kind, &r->sides[1], &r->err)) < 0))
		return rc;
	{
		char s0[300], s1[300], p0[300], p1[300];
		fprintf(stderr, "relgate: base %s (%s) %s\nrelgate: head %s (%s) %s\n",
		        r->sides[0].short_id, rg_esc_term(r->sides[0].spec, p0, sizeof(p0)),
		        rg_esc_term(r->sides[0].subject, s0, sizeof(s0)), r->sides[1].short_id,
		        rg_esc_term(r->sides[1].spec, p1, sizeof(p1)),
		        rg_esc_term(r->sides[1].subject, s1, sizeof(s1)));
	}
	if ((rc = rg_budget_file_resolve(r->repo, r->o.config, &r->bf, &r->err)) < 0 ||
	    (rc = load_budgets(r)) < 0 || (rc = select_targets(r)) < 0 || (rc = measure(r)) < 0 ||
	    (rc = judge(r)) < 0 || (rc = render(r)) < 0)
		return rc;
	return RG_OK;
}

int rg_cmd_check(int argc, char **argv)
{
	check_run r;
	int rc, code;

	memset(&r, 0, sizeof(r));
	rg_report_init(&r.report);
	if ((rc = parse_args(argc, argv, &r.o)) != 0) {
		free((void *)r.o.targets);
		rg_report_free(&r.report);
		return rc > 0 ? RG_EXIT_OK : RG_EXIT_USAGE;
	}
	rg_signals_install();
	/* The export strategy is fixed by measurement (docs/gate.md); the
	 * variable exists for bench/bench_export.sh to repeat it. */
	if (getenv("RELGATE_EXPORT") && !strcmp(getenv("RELGATE_EXPORT"), "checkout"))
		rg_git_set_export_strategy(RG_EXPORT_CHECKOUT);
	rc = run(&r);
	if (rg_interrupted) {
		rg_errorf("interrupted; removing temporary files");
		code = RG_EXIT_BUILD;
	} else if (rc < 0) {
		const char *hint = r.err.code == RG_EBUILD ? rg_build_hint(r.err.msg) : NULL;
		rg_report_fail("check", r.err.msg);
		if (hint)
			rg_errorf("hint: %s", hint);
		code = rg_exit_for(r.err.code ? r.err.code : rc);
	} else {
		code = rg_report_exit_code(&r.report);
	}
	cleanup(&r);
	rg_git2_unload();
	rg_signals_reraise();
	return code;
}
