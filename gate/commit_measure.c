/*
 * commit_measure.c - the metrics of targets at commits (commit_measure.h):
 * cache lookup, export with libgit2 into a fresh temporary directory, the
 * builds (gate/build.c: /bin/sh -c BUILD, timeout, log, process groups,
 * signals), measurement of the artifact (parsers/measure.c), cache store
 * and removal of the temporary directory. The behaviour is the one
 * docs/gate.md describes for `relgate check` ("Export, never checkout",
 * "Builds", "Cache"); `relgate report` and `relgate bisect` get the same.
 *
 * Layout of the temporary directory $TMPDIR/relgate-XXXXXX (what --keep
 * shows): SIDE/ the exported tree of a commit (one export per commit,
 * whatever the number of targets), SIDE-out-K-TARGET/ its RELGATE_OUT and
 * SIDE-K-TARGET.log its build's log, K the target's position in the batch
 * (SIDE is the short commit id when commits stand alone: opts->solo).
 * A commit's part is removed as soon as its builds are measured (the base's
 * first), before any other commit's build starts; --keep keeps it all.
 */
#include "commit_measure.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "cli.h"
#include "../reports/measure_out.h"
#include "toolchain.h"
#include "uncommitted.h"
#include "../budgets/judge.h"
#include "../parsers/attr.h"

typedef struct exported {
	const rg_side *side;
	char dir[1100];
	char *missing;         /* submodules not in .git/modules, space-separated */
} exported;

typedef struct measure_run {
	git_repository *repo;
	const rg_commit_measure_opts *o;
	rg_commit_job *jobs;
	size_t n;
	exported *exports;     /* at most one per job */
	size_t nexports;
	rg_build *builds;      /* at most one per job */
	size_t nbuilds;
	char root[1024];       /* the temporary directory, "" until needed */
	rg_err *err;
} measure_run;

/* The side as messages name it: "base ", or "" when commits stand alone. */
static const char *role(const measure_run *r, const rg_side *s, char buf[32])
{
	return rg_side_role(s->name, r->o->solo, buf, 32);
}

/* ---- the cache ------------------------------------------------------------ */

/* Keys, cache hits, and jobs that share an earlier job's measurement. */
static int lookup(measure_run *r)
{
	size_t i, k;
	int rc;

	rg_cache none = { "" };
	char ro[32];

	for (i = 0; i < r->n; i++) {
		rg_commit_job *j = &r->jobs[i];
		char fp[RG_CACHE_KEY_HEX];

		if ((rc = rg_toolchain_fingerprint(j->target, r->o->cache ? r->o->cache : &none, fp,
		                                   &j->toolchain, r->err)) < 0 ||
		    (rc = rg_cache_key(j->target, &j->side->tree, fp, j->key, r->err)) < 0)
			return rc;
		for (k = 0; k < i && j->same_as < 0; k++)
			if (r->jobs[k].target == j->target && !strcmp(r->jobs[k].key, j->key))
				j->same_as = (int)k;
		if (j->same_as >= 0) {
			/* Same tree, same settings: one build serves both. */
			const rg_commit_job *s = &r->jobs[j->same_as];

			if (s->binary && !(j->binary = cJSON_Duplicate(s->binary, 1)))
				return rg_err_set(r->err, RG_ENOMEM, "out of memory");
			j->cached = s->cached;
			j->noted = s->noted;
			continue;
		}
		if (r->o->cache && (j->binary = rg_cache_get(r->o->cache, j->key))) {
			j->cached = 1;
			fprintf(stderr, "[%s%s] %s: cached\n", role(r, j->side, ro), j->side->short_id,
			        j->target->name);
		} else if (r->o->notes && r->o->notes->ref[0] && rg_side_is_commit(j->side) &&
		           (j->binary = rg_notes_get(r->repo, r->o->notes, &j->side->commit, j->key))) {
			j->cached = j->noted = 1;
			fprintf(stderr, "[%s%s] %s: from %s\n", role(r, j->side, ro), j->side->short_id,
			        j->target->name, r->o->notes->ref);
		}
	}
	return RG_OK;
}

/* ---- export ----------------------------------------------------------------- */

/* $TMPDIR, else /tmp. A relative one is refused: builds run in another
 * directory, and it would put relgate's directories in the user's tree. */
static int tmp_base(char *out, size_t len, rg_err *err)
{
	const char *tmp = getenv("TMPDIR");

	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (*tmp != '/')
		return rg_err_set(err, RG_EINPUT, "TMPDIR=%.200s is a relative path: set it to an "
		                  "absolute directory (or unset it to use /tmp)", tmp);
	if (strlen(tmp) > 900)
		return rg_err_set(err, RG_EBUILD, "TMPDIR is too long (%zu bytes)", strlen(tmp));
	snprintf(out, len, "%s", tmp);
	return RG_OK;
}

int rg_make_tmpdir(const char *prefix, char *out, size_t len, rg_err *err)
{
	char tmp[1024];
	int rc;

	out[0] = '\0';
	if ((rc = tmp_base(tmp, sizeof(tmp), err)) < 0)
		return rc;
	snprintf(out, len, "%.1000s/%.40s-XXXXXX", tmp, prefix);
	if (!mkdtemp(out)) {
		int e = errno;
		out[0] = '\0';
		return rg_err_set(err, RG_EBUILD, "cannot create a temporary directory: %s",
		                  strerror(e));
	}
	return RG_OK;
}

static int make_root(measure_run *r)
{
	return r->root[0] ? RG_OK : rg_make_tmpdir("relgate", r->root, sizeof(r->root), r->err);
}

/* The directory named after the side, unless another commit of the batch
 * took that name (solo: after the commit). */
static void export_dir(const measure_run *r, exported *e)
{
	size_t i;

	snprintf(e->dir, sizeof(e->dir), "%s/%s", r->root,
	         r->o->solo ? e->side->short_id : e->side->name);
	for (i = 0; i < r->nexports; i++)
		if (!strcmp(r->exports[i].dir, e->dir))
			snprintf(e->dir, sizeof(e->dir), "%s/%s-%s", r->root, e->side->name,
			         e->side->short_id);
}

/* Exports job j's commit, once per commit; j->export_index says where. */
static int export_commit(measure_run *r, rg_commit_job *j)
{
	exported *e;
	char *p, ro[32];
	size_t i;
	int rc;

	for (i = 0; i < r->nexports; i++)
		if (!strcmp(r->exports[i].side->id, j->side->id)) {
			j->export_index = (int)i;
			return RG_OK;
		}
	if ((rc = make_root(r)) < 0)
		return rc;
	e = &r->exports[r->nexports];
	e->side = j->side;
	export_dir(r, e);
	j->export_index = (int)r->nexports++;
	if (mkdir(e->dir, 0777) < 0)
		return rg_err_set(r->err, RG_EBUILD, "%s: %s", e->dir, strerror(errno));
	fprintf(stderr, "[%s%s] exporting %s\n", role(r, j->side, ro), j->side->short_id,
	        j->side->spec);
	if (rg_side_is_commit(j->side))
		rc = rg_git_export(r->repo, j->side, e->dir, &e->missing, &rg_interrupted, r->err);
	else
		rc = rg_uncommitted_export(r->repo, j->side, e->dir, &e->missing, &rg_interrupted,
		                           r->err);
	if (rc < 0 && r->err->code != RG_EBUILD && !rg_interrupted)
		r->err->code = RG_EBUILD;
	for (p = e->missing; p && *p; p++)
		if (*p == '\n')
			*p = p[1] ? ' ' : '\0';
	return rc;
}

/* ---- builds ------------------------------------------------------------------ */

/* Target names become path components: keep [A-Za-z0-9._-]. */
static void safe_component(const char *in, char *out, size_t len)
{
	size_t i;

	for (i = 0; in[i] && i + 1 < len; i++) {
		char c = in[i];
		out[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		         c == '.' || c == '_' || c == '-' ? c : '_';
	}
	out[i] = '\0';
	if (out[0] == '.')
		out[0] = '_';
}

/* The position of target t among the batch's targets, first seen first. */
static size_t target_position(const measure_run *r, const rg_target *t)
{
	size_t i, k, pos = 0;

	for (i = 0; i < r->n && r->jobs[i].target != t; i++) {
		for (k = 0; k < i && r->jobs[k].target != r->jobs[i].target; k++)
			;
		pos += k == i;
	}
	return pos;
}

static int prepare_build(measure_run *r, rg_commit_job *j)
{
	const rg_side *s = j->side;
	rg_build *b = &r->builds[r->nbuilds];
	const exported *e;
	size_t pos = target_position(r, j->target);
	const char *name;
	char comp[100], ro[32];
	int rc;

	if ((rc = export_commit(r, j)) < 0)
		return rc;
	e = &r->exports[j->export_index];
	if (e->missing && !j->target->submodules_skip)
		return rg_err_set(r->err, RG_EBUILD,
		                  "%s%s: submodule(s) not in .git/modules: %s; run "
		                  "`git submodule update --init --recursive`, or set `submodules: "
		                  "skip` in target %s", role(r, s, ro), s->short_id, e->missing,
		                  j->target->name);
	/* Named after the export (SIDE, or SIDE-ID when two commits of the
	 * batch share a side name), so no two jobs' directories meet. */
	name = e->dir + strlen(r->root) + 1;
	safe_component(j->target->name, comp, sizeof(comp));
	snprintf(j->outdir, sizeof(j->outdir), "%s/%s-out-%zu-%s", r->root, name, pos, comp);
	snprintf(j->log, sizeof(j->log), "%s/%s-%zu-%s.log", r->root, name, pos, comp);
	if (mkdir(j->outdir, 0777) < 0)
		return rg_err_set(r->err, RG_EBUILD, "%s: %s", j->outdir, strerror(errno));
	memset(b, 0, sizeof(*b));
	b->side = s->name;
	b->commit = s->id;
	b->short_id = s->short_id;
	b->target = j->target->name;
	b->command = j->target->build;
	b->srcdir = e->dir;
	b->outdir = j->outdir;
	b->log_path = j->log;
	b->timeout_s = j->target->timeout_s;
	b->solo = r->o->solo;
	j->build_index = (int)r->nbuilds++;
	return RG_OK;
}

/* A failed build's log is moved out of the temporary directory (which is
 * removed) so the path in the message stays valid. */
static void keep_failed_log(measure_run *r)
{
	char tmp[1024];
	rg_err ignored = { 0, "" };
	size_t i;

	if (tmp_base(tmp, sizeof(tmp), &ignored) < 0)
		return;

	for (i = 0; i < r->nbuilds; i++) {
		rg_build *b = &r->builds[i];
		char dst[4300], *p;

		if (!b->done || b->ok || r->o->keep || rg_interrupted)
			continue;
		snprintf(dst, sizeof(dst), "%s/relgate-%s%s%s-XXXXXX", tmp, b->solo ? "" : b->side,
		         b->solo ? "" : "-", b->short_id);
		if (!mkdtemp(dst))
			continue;
		p = strrchr(b->log_path, '/');
		strncat(dst, p ? p : "/build.log", sizeof(dst) - strlen(dst) - 1);
		if (rename(b->log_path, dst) == 0 && (p = strstr(r->err->msg, b->log_path))) {
			/* the message ends with "--- log: PATH" */
			snprintf(p, sizeof(r->err->msg) - (size_t)(p - r->err->msg), "%s", dst);
		}
	}
}

/* ---- measurement ------------------------------------------------------------ */

/* Through text and back, so a fresh measurement is exactly what a cache
 * hit will read (rg_binary_to_json keeps integers as raw text). */
static cJSON *as_cached(const rg_binary *b)
{
	cJSON *fresh = rg_binary_to_json(b), *out;
	char *text = fresh ? cJSON_PrintUnformatted(fresh) : NULL;

	out = text ? cJSON_Parse(text) : NULL;
	cJSON_free(text);
	cJSON_Delete(fresh);
	return out;
}

/* True when a rule of t is on a fixup metric: its verdicts name movers. */
static int explains(const rg_target *t)
{
	size_t i;

	for (i = 0; i < t->nrules; i++)
		if (rg_metric_is_fixup(t->rules[i].metric))
			return 1;
	return 0;
}

static int measure_job(measure_run *r, rg_commit_job *j)
{
	rg_measure_opts mo = RG_MEASURE_OPTS_INIT;
	rg_binary_list list = { 0 };
	const char **groups = NULL;
	long ngroups = 0;
	const rg_side *s = j->side;
	const rg_target *t = j->target;
	char path[4096], full[8300], ro[32];
	struct stat st;
	int rc;

	rg_expand_artifact(t->artifact, j->outdir, s->name, s->id, t->name, path, sizeof(path));
	if (path[0] == '/')
		snprintf(full, sizeof(full), "%s", path);
	else
		snprintf(full, sizeof(full), "%s/%s", r->exports[j->export_index].dir, path);
	if (stat(full, &st) < 0)
		return rg_err_set(r->err, RG_EBUILD,
		                  "the %sbuild of %s (%s) succeeded but its artifact %s (%s) is "
		                  "missing or unreadable: %s", role(r, s, ro), t->name, s->short_id,
		                  t->artifact, full, strerror(errno));
	/* Never opened otherwise: a FIFO would block, /dev/zero never end. */
	if (!S_ISREG(st.st_mode))
		return rg_err_set(r->err, RG_EINPUT, "the %sartifact of %s (%s) is not a regular "
		                  "file", role(r, s, ro), t->name, full);
	mo.page_size = t->page_size;
	mo.arch = t->arch;
	if ((ngroups = rg_target_group_metrics(t, &groups)) < 0) {
		rc = rg_err_set(r->err, RG_ENOMEM, "out of memory");
		goto done;
	}
	if (ngroups || explains(t))
		mo.attribution = RG_ATTR_LOCATION;
	if ((rc = rg_measure_file(full, &mo, &list, r->err)) < 0) {
		char msg[sizeof(r->err->msg)];
		snprintf(msg, sizeof(msg), "%s", r->err->msg);
		snprintf(r->err->msg, sizeof(r->err->msg), "%sartifact of %.60s: %.200s: %.200s",
		         role(r, s, ro), t->name, full, msg);
		goto done;
	}
	if (list.n != 1) {
		rc = rg_err_set(r->err, RG_EINPUT, "%sartifact of %s holds %zu images; set "
		                "`arch:` in the target to pick one", role(r, s, ro), t->name, list.n);
		goto done;
	}
	/* Only the groups the budgets name (package[..], symbol[..]). */
	if (ngroups && (rc = rg_attr_group_metrics(list.items[0], groups, (size_t)ngroups,
	                                           r->err)) < 0)
		goto done;
	if (!(j->binary = as_cached(list.items[0]))) {
		rc = rg_err_set(r->err, RG_ENOMEM, "out of memory");
		goto done;
	}
	/* The rows that explain a fixup rule's verdict, kept (bounded) with
	 * the metrics, so a cached side still explains. */
	if (explains(t) && (rc = rg_mover_rows_to_json(j->binary, list.items[0], r->err)) < 0)
		goto done;
	if (r->o->cache && rg_cache_put(r->o->cache, j->key, t->name, j->binary, r->err) < 0) {
		rg_errorf("warning: %s (continuing without caching)", r->err->msg);
		memset(r->err, 0, sizeof(*r->err));
	}
	rc = RG_OK;
done:
	free((void *)groups);
	rg_binary_list_free(&list);
	return rc;
}

/* Removes what a commit's builds made (its tree, outputs and logs) once
 * they are measured, so no later build can see or change them. */
static void remove_phase(measure_run *r, const char *id)
{
	size_t i;

	if (r->o->keep)
		return;
	for (i = 0; i < r->n; i++) {
		rg_commit_job *j = &r->jobs[i];

		if (j->build_index < 0 || strcmp(j->side->id, id))
			continue;
		rg_rmtree(j->outdir);
		unlink(j->log);
	}
	for (i = 0; i < r->nexports; i++)
		if (!strcmp(r->exports[i].side->id, id))
			rg_rmtree(r->exports[i].dir);
}

/* Exports, builds and measures the uncached jobs of one commit. */
static int run_phase(measure_run *r, const char *id)
{
	size_t i, first = r->nbuilds;
	int rc;

	for (i = 0; i < r->n && !rg_interrupted; i++) {
		rg_commit_job *j = &r->jobs[i];
		if (!j->binary && j->same_as < 0 && !strcmp(j->side->id, id) &&
		    (rc = prepare_build(r, j)) < 0)
			return rc;
	}
	if (rg_interrupted)
		return rg_err_set(r->err, RG_EINPUT, "interrupted");
	rc = r->nbuilds > first ?
	     rg_builds_run(r->builds + first, r->nbuilds - first, r->o->jobs, r->err) : RG_OK;
	for (i = 0; i < r->n; i++)
		if (r->jobs[i].build_index >= (int)first)
			r->jobs[i].built = r->builds[r->jobs[i].build_index].started;
	if (rc < 0) {
		keep_failed_log(r);
		return rc;
	}
	for (i = 0; i < r->n; i++) {
		rg_commit_job *j = &r->jobs[i];

		if (j->build_index >= (int)first && (rc = measure_job(r, j)) < 0)
			return rc;
	}
	remove_phase(r, id);
	return RG_OK;
}

/*
 * One commit at a time, the base's first: every build of a commit is
 * measured (and cached) before the next commit's builds start, and its
 * tree and outputs are removed, so a head build can neither see nor change
 * what a base build made, and no stored value was exposed to a later
 * build. --jobs runs the builds of one commit (its targets) side by side.
 */
static int build_and_measure(measure_run *r)
{
	size_t i;
	int pass, rc;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < r->n; i++) {
			const rg_side *s = r->jobs[i].side;

			/* build_index >= 0: its commit's phase has run */
			if (r->jobs[i].binary || r->jobs[i].same_as >= 0 ||
			    r->jobs[i].build_index >= 0 || (pass == 0) != !strcmp(s->name, "base"))
				continue;
			if ((rc = run_phase(r, s->id)) < 0)
				return rc;
		}
	for (i = 0; i < r->n; i++) {
		rg_commit_job *j = &r->jobs[i];

		if (!j->binary && j->same_as >= 0 &&
		    !(j->binary = cJSON_Duplicate(r->jobs[j->same_as].binary, 1)))
			return rg_err_set(r->err, RG_ENOMEM, "out of memory");
	}
	return RG_OK;
}

/* ---- the sequence ------------------------------------------------------------ */

static void cleanup(measure_run *r, int rc)
{
	size_t i;

	if (r->root[0]) {
		if (r->o->keep && !rg_interrupted)
			rg_errorf("kept the exported trees, outputs and logs in %s", r->root);
		else if (rg_rmtree(r->root) < 0)
			rg_errorf("warning: could not remove %s", r->root);
	}
	for (i = 0; i < r->nexports; i++)
		free(r->exports[i].missing);
	free(r->exports);
	free(r->builds);
	if (rc < 0)
		rg_commit_jobs_free(r->jobs, r->n);
}

int rg_commit_measure(git_repository *repo, rg_commit_job *jobs, size_t n,
                      const rg_commit_measure_opts *opts, rg_err *err)
{
	rg_commit_measure_opts defaults = RG_COMMIT_MEASURE_OPTS_INIT;
	measure_run r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.repo = repo;
	r.o = opts ? opts : &defaults;
	r.jobs = jobs;
	r.n = n;
	r.err = err;
	if (!(r.exports = calloc(n + 1, sizeof(*r.exports))) ||
	    !(r.builds = calloc(n + 1, sizeof(*r.builds)))) {
		rc = rg_err_set(err, RG_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = lookup(&r)) < 0 || r.o->cache_only)
		goto done;
	rc = build_and_measure(&r);
done:
	cleanup(&r, rc);
	return rc;
}

void rg_commit_jobs_free(rg_commit_job *jobs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		cJSON_Delete(jobs[i].binary);
		jobs[i].binary = NULL;
	}
}
