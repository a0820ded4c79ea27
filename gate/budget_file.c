/*
 * budget_file.c - the budget file of check, report and bisect
 * (budget_file.h): --config PATH on disk or in the commits.
 *
 * "On disk" is decided once, before any commit is read: PATH exists as a
 * regular file and is not a file that HEAD tracks. A tracked file keeps
 * the trust rule of relgate.yml (read from the trusted commit, never from
 * the working tree where a change could loosen it), so the user's working
 * copy of it is deliberately ignored: --budgets-from worktree reads it.
 */
#include "budget_file.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* 1 when HEAD's tree has a blob at rel (a path from the root). */
static int head_tracks(git_repository *repo, const char *rel)
{
	git_object *o = NULL, *c = NULL;
	rg_err ignored = { 0, "" };
	char *buf = NULL;
	size_t len;
	int rc = 0;

	if (git_revparse_single(&o, repo, "HEAD") == 0 &&
	    git_object_peel(&c, o, GIT_OBJECT_COMMIT) == 0)
		rc = rg_git_read_file(repo, git_object_id(c), rel, &buf, &len, &ignored) == RG_OK;
	free(buf);
	git_object_free(c);
	git_object_free(o);
	git_error_clear();
	return rc;
}

/* A path in the commits: relative, no "." or ".." component, no "//". */
static int commit_path(const char *arg, rg_budget_file *bf, rg_err *err)
{
	const char *p = arg, *seg;

	while (p[0] == '.' && p[1] == '/')
		p += 2;
	if (*p == '/' || !*p)
		return rg_err_set(err, RG_EINPUT, "--config %s: no such file on disk%s", arg,
		                  *p ? "" : ", and not a path to a file in the repository");
	for (seg = p; *seg;) {
		size_t n = strcspn(seg, "/");
		if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && !strncmp(seg, "..", 2)))
			return rg_err_set(err, RG_EINPUT, "--config %s: no such file on disk, and not "
			                  "a path inside the repository (from its root, without . or ..)",
			                  arg);
		seg += n + (seg[n] == '/');
	}
	if (strlen(p) >= sizeof(bf->path))
		return rg_err_set(err, RG_EINPUT, "--config: path too long");
	snprintf(bf->path, sizeof(bf->path), "%s", p);
	return RG_OK;
}

int rg_budget_file_resolve(git_repository *repo, const char *arg, rg_budget_file *bf,
                           rg_err *err)
{
	const char *wd = repo ? git_repository_workdir(repo) : NULL;
	char abs[PATH_MAX], root[PATH_MAX];
	struct stat st;
	size_t n;

	memset(bf, 0, sizeof(*bf));
	bf->arg = arg;
	if (!arg) {
		snprintf(bf->path, sizeof(bf->path), "relgate.yml");
		return RG_OK;
	}
	if (!*arg)
		return rg_err_set(err, RG_EINPUT, "--config needs a path");
	if (stat(arg, &st) < 0)
		return commit_path(arg, bf, err);
	if (!S_ISREG(st.st_mode))
		return rg_err_set(err, RG_EINPUT, "--config %s: not a regular file", arg);
	if (!realpath(arg, abs))
		return rg_err_set(err, RG_EINPUT, "--config %s: %s", arg, strerror(errno));
	/* Inside the working tree and tracked by HEAD: a path in the commits. */
	if (wd && realpath(wd, root) && (n = strlen(root)) > 0 && !strncmp(abs, root, n) &&
	    (abs[n] == '/' || root[n - 1] == '/') && head_tracks(repo, abs + n + (abs[n] == '/'))) {
		snprintf(bf->path, sizeof(bf->path), "%s", abs + n + (abs[n] == '/'));
		bf->tracked = 1;
		return RG_OK;
	}
	bf->on_disk = 1;
	snprintf(bf->path, sizeof(bf->path), "%s", abs);
	return RG_OK;
}

int rg_budget_file_read(git_repository *repo, const rg_budget_file *bf, const rg_side *side,
                        char **buf, size_t *len, rg_err *err)
{
	return rg_git_read_file(repo, &side->commit, bf->path, buf, len, err);
}

int rg_budget_file_missing(const rg_budget_file *bf, const char *what, rg_err *err)
{
	if (!bf->arg)
		return rg_err_set(err, RG_EINPUT, "no relgate.yml in %s (write one with `relgate "
		                  "init`, or name a budget file on disk with --config FILE; see "
		                  "docs/budgets.md)", what);
	if (bf->tracked)
		return rg_err_set(err, RG_EINPUT, "--config %s: a file HEAD tracks, so it is read "
		                  "from the commits, and %s has no %s", bf->arg, what, bf->path);
	return rg_err_set(err, RG_EINPUT, "--config %s: no such file on disk, and no %s in %s",
	                  bf->arg, bf->path, what);
}

int rg_budget_file_load(git_repository *repo, const rg_budget_file *bf, const rg_side *side,
                        const char *which, rg_config **cfg, char *source, size_t len,
                        rg_err *err)
{
	char *buf = NULL, what[300];
	size_t n = 0;
	int rc;

	if (bf->on_disk) {
		snprintf(source, len, "the file on disk (--config)");
		return rg_config_load(bf->path, cfg, err);
	}
	snprintf(what, sizeof(what), "%s %s", which, side->short_id);
	if ((rc = rg_budget_file_read(repo, bf, side, &buf, &n, err)) == 1)
		return rg_budget_file_missing(bf, what, err);
	if (rc < 0)
		return rc;
	snprintf(source, len, "%s commit %s", which, side->short_id);
	rc = rg_config_parse(bf->path, buf, n, cfg, err);
	free(buf);
	return rc;
}
