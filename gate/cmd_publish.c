/*
 * cmd_publish.c - `relgate publish [REV | A..B]...`: measures commits (or
 * takes their metrics from the cache) and writes them, per target and
 * keyed as the cache is, into the notes ref (gate/notes.h), so that every
 * clone that fetches the ref gets a base without building it
 * (docs/notes.md). Each commit is measured with the targets of its own
 * relgate.yml: publish runs on the default branch, whose files are
 * trusted. A pull-request run (GITHUB_EVENT_NAME pull_request*) never
 * publishes: its head is untrusted.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../budgets/budgets.h"
#include "build.h"
#include "cache.h"
#include "commit_measure.h"
#include "commits.h"
#include "git.h"
#include "notes.h"

const char rg_help_publish[] =
"usage: relgate publish [REV | BASE..HEAD]... [--target NAME] [--cache-dir DIR]\n"
"                       [--no-cache] [--jobs N]\n"
"\n"
"Measures each commit (default HEAD; a range publishes every commit of\n"
"BASE..HEAD on the first-parent line) for every target of that commit's\n"
"relgate.yml - from the cache when it holds them, else by exporting and\n"
"building it as `relgate check` does - and writes the metrics into the git\n"
"notes ref refs/notes/relgate (or the `notes:` ref of relgate.yml), one\n"
"entry per target under the cache key (tree, target, build settings,\n"
"toolchain, relgate version). Entries of other keys (another runner's\n"
"toolchain) are kept. Push the ref so clones can read it:\n"
"  git push origin refs/notes/relgate\n"
"Clones fetch it with\n"
"  git fetch origin refs/notes/relgate:refs/notes/relgate\n"
"and then check, report, bisect and the hook take published metrics\n"
"instead of building (notes.md in share/doc/relgate). Refuses to run in a\n"
"GitHub Actions pull-request run: only the default branch publishes.\n"
"Progress and errors name each commit (\"the build of app (3f2a1c0)\"); builds\n"
"see RELGATE_SIDE=base. Publishing more than one commit, an error in a\n"
"commit's relgate.yml names it: 3f2a1c0:relgate.yml:LINE:COL.\n"
"\n"
"Exit: 0 published, 2 bad usage or configuration (no relgate.yml),\n"
"3 a build or checkout failed (nothing is published for that commit).\n";

typedef struct publish_opts {
	const char **revs, **targets, *cache_dir;
	size_t nrevs, ntargets;
	int no_cache, jobs;
} publish_opts;

/* A revision to publish. */
static int take_rev(void *ctx, const char *a)
{
	publish_opts *o = ctx;
	const char **p = realloc(o->revs, (o->nrevs + 1) * sizeof(*p));

	if (!p)
		return -1;
	p[o->nrevs++] = a;
	o->revs = p;
	return 0;
}

static int parse_args(int argc, char **argv, publish_opts *o)
{
	const rg_opt opts[] = {
		RG_OPT_FLAG("--no-cache", &o->no_cache),
		RG_OPT_VALUE("--cache-dir", NULL, &o->cache_dir),
		RG_OPT_LIST("--target", &o->targets, &o->ntargets),
		RG_OPT_NUMBER("--jobs", &o->jobs, 1, 16),
		RG_OPT_END,
	};

	o->jobs = 1;
	return rg_opts_parse("publish", rg_help_publish, argc, argv, opts, take_rev, o);
}

/* A pull-request run must not write what every clone will trust. */
static int pull_request_run(void)
{
	const char *ev = getenv("GITHUB_EVENT_NAME");

	return ev && !strncmp(ev, "pull_request", 12);
}

typedef struct publish_run {
	publish_opts o;
	git_repository *repo;
	rg_cache cache;
	size_t published, skipped;
	int name_commits;      /* more than one commit: errors in relgate.yml say whose */
	rg_err err;
} publish_run;

/* Publishes one commit: its relgate.yml's targets, measured in one batch. */
static int publish_one(publish_run *p, rg_side *side)
{
	rg_commit_measure_opts mo = RG_COMMIT_MEASURE_OPTS_INIT;
	rg_config *cfg = NULL;
	rg_commit_job *jobs = NULL;
	rg_note_entry *entries = NULL;
	rg_notes notes;
	char *yml = NULL, file[64];
	size_t len = 0, i, n = 0;
	int rc;

	rc = rg_git_read_file(p->repo, &side->commit, "relgate.yml", &yml, &len, &p->err);
	if (rc == 1) {
		fprintf(stderr, "[%s] no relgate.yml: nothing to publish\n", side->short_id);
		p->skipped++;
		rc = RG_OK;
		goto done;
	}
	/* "abc1234:relgate.yml:7:3: ..." as git names a file of a commit */
	snprintf(file, sizeof(file), "%s%srelgate.yml", p->name_commits ? side->short_id : "",
	         p->name_commits ? ":" : "");
	if (rc < 0 || (rc = rg_config_parse(file, yml, len, &cfg, &p->err)) < 0)
		goto done;
	rg_notes_init(&notes, cfg->notes_ref, 0);
	if (!(jobs = calloc(cfg->ntargets + 1, sizeof(*jobs))) ||
	    !(entries = calloc(cfg->ntargets + 1, sizeof(*entries)))) {
		rc = rg_err_set(&p->err, RG_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < cfg->ntargets; i++) {
		rg_commit_job init = RG_COMMIT_JOB_INIT;
		const rg_target *t = &cfg->targets[i];

		if (p->o.ntargets) {
			size_t k;
			for (k = 0; k < p->o.ntargets && strcmp(p->o.targets[k], t->name); k++)
				;
			if (k == p->o.ntargets)
				continue;
		}
		jobs[n] = init;
		jobs[n].target = t;
		jobs[n].side = side;
		n++;
	}
	if (!n) {
		fprintf(stderr, "[%s] no selected target in its relgate.yml\n", side->short_id);
		p->skipped++;
		goto done;
	}
	/* The cache, not the notes: what is written is what this machine's
	 * toolchain measures (the key says so either way). */
	mo.cache = &p->cache;
	mo.jobs = p->o.jobs;
	mo.solo = 1; /* not a base of anything yet: "the build of app (ID)" */
	if ((rc = rg_commit_measure(p->repo, jobs, n, &mo, &p->err)) < 0)
		goto done;
	for (i = 0; i < n; i++) {
		entries[i].key = jobs[i].key;
		entries[i].target = jobs[i].target->name;
		entries[i].toolchain = jobs[i].toolchain;
		entries[i].binary = jobs[i].binary;
	}
	if ((rc = rg_notes_put(p->repo, &notes, &side->commit, entries, n, &p->err)) < 0)
		goto done;
	fprintf(stderr, "[%s] published %zu target(s) into %s\n", side->short_id, n, notes.ref);
	p->published++;
done:
	rg_commit_jobs_free(jobs, n);
	free(jobs);
	free(entries);
	free(yml);
	rg_config_free(cfg);
	return rc;
}

/* The commits a REV or BASE..HEAD argument names. */
static int commits_of(publish_run *p, const char *arg, rg_side **out, size_t *n)
{
	rg_side base, head;
	int rc;

	*out = NULL;
	*n = 0;
	if (strstr(arg, "..")) {
		if ((rc = rg_git_resolve(p->repo, arg, NULL, &base, &head, &p->err)) < 0 ||
		    (rc = rg_commit_range(p->repo, &base.commit, &head.commit, 1, out, n,
		                          &p->err)) < 0)
			return rc;
		/* [0] is BASE itself: the range is what follows it. */
		memmove(*out, *out + 1, (*n - 1) * sizeof(**out));
		(*n)--;
		return RG_OK;
	}
	if ((rc = rg_git_resolve(p->repo, arg, arg, &base, &head, &p->err)) < 0)
		return rc;
	if (!(*out = calloc(1, sizeof(**out))))
		return rg_err_set(&p->err, RG_ENOMEM, "out of memory");
	**out = head;
	*n = 1;
	return RG_OK;
}

static int run(publish_run *p)
{
	static const char *const head[] = { "HEAD" };
	const char *const *revs = p->o.nrevs ? p->o.revs : head;
	size_t nrevs = p->o.nrevs ? p->o.nrevs : 1, i, k;
	int rc = RG_OK;

	if ((rc = rg_git_open(&p->repo, &p->err)) < 0)
		return rc;
	rg_cache_init(&p->cache, p->o.cache_dir, p->o.no_cache);
	p->name_commits = nrevs > 1 || strstr(revs[0], "..") != NULL;
	for (i = 0; i < nrevs && rc == RG_OK; i++) {
		rg_side *sides = NULL;
		size_t n = 0;

		rc = commits_of(p, revs[i], &sides, &n);
		for (k = 0; k < n && rc == RG_OK && !rg_interrupted; k++) {
			sides[k].name = "base"; /* what a published commit serves as */
			rc = publish_one(p, &sides[k]);
		}
		free(sides);
	}
	if (rc == RG_OK && rg_interrupted)
		rc = rg_err_set(&p->err, RG_EINPUT, "interrupted");
	return rc;
}

int rg_cmd_publish(int argc, char **argv)
{
	publish_run p;
	int rc, code = RG_EXIT_OK;

	memset(&p, 0, sizeof(p));
	if ((rc = parse_args(argc, argv, &p.o)) != 0) {
		code = rc > 0 ? RG_EXIT_OK : RG_EXIT_USAGE;
		goto done;
	}
	if (pull_request_run()) {
		rg_errorf("publish: refusing to publish from a pull-request run "
		          "(GITHUB_EVENT_NAME=%s): only the default branch's CI writes notes",
		          getenv("GITHUB_EVENT_NAME"));
		code = RG_EXIT_USAGE;
		goto done;
	}
	rg_signals_install();
	rc = run(&p);
	if (rc < 0) {
		rg_errorf("publish: %s", p.err.msg);
		code = rg_interrupted ? RG_EXIT_BUILD : rg_exit_for(p.err.code ? p.err.code : rc);
	} else {
		fprintf(stderr, "relgate: published %zu commit(s)%s; push the notes ref to share "
		        "them\n", p.published, p.skipped ? " (some had nothing to publish)" : "");
	}
	if (p.repo)
		git_repository_free(p.repo);
	rg_git2_unload();
	rg_signals_reraise();
done:
	free((void *)p.o.revs);
	free((void *)p.o.targets);
	return code;
}
