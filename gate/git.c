/*
 * git.c - revision handling and tree export for `relgate check`, with
 * libgit2 1.5 (https://libgit2.org/libgit2/#v1.5.0).
 *
 * - Repository discovery: $GIT_DIR when set (git sets it in hooks, and in a
 *   linked worktree it names .git/worktrees/NAME, which libgit2 1.5's
 *   GIT_REPOSITORY_OPEN_FROM_ENV does not handle), else upwards from the
 *   current directory (git_repository_open_ext handles ".git" files).
 * - Revisions: git_revparse_single + peel to a commit (annotated tags
 *   included); "A..B" and "A...B" as in gitrevisions(7); the default base
 *   is the merge base of head with the first of: the pull request's base on
 *   GitHub Actions (GITHUB_BASE_REF), head's upstream, origin/HEAD,
 *   origin/main, origin/master, main, master.
 * - Export: each tree written into a fresh directory by walking it and
 *   writing blobs (faster than git_checkout_tree with target_directory on a
 *   20,000-file tree: numbers in docs/gate.md; the checkout path stays
 *   selectable for the benchmark). Exec bits and symlinks are kept; gitlinks
 *   are exported from .git/modules/NAME at the recorded commit.
 *   Blobs are written as committed (no autocrlf/smudge filters), so both
 *   sides build from exactly what the commits contain.
 */
#include "git.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Directories (submodules included) an export descends: far beyond real
 * trees, far within the stack. */
#define RG_EXPORT_MAX_DEPTH 1000

#define FETCH_FIX "fetch the full history (git fetch --unshallow, or on GitHub Actions actions/checkout with fetch-depth: 0)"
#define PARTIAL_FIX "this is a partial clone (objects are fetched on demand, which relgate does not do): clone without --filter (on GitHub Actions actions/checkout with fetch-depth: 0 and no filter)"

/* A partial clone marks its promisor remote (gitrepository-layout(5),
 * partial-clone.txt): remote.NAME.promisor or extensions.partialclone. */
static int is_partial(git_repository *repo)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	int partial = 0;

	if (!repo || git_repository_config_snapshot(&cfg, repo) < 0)
		return 0;
	/* Plain iteration: the glob form goes through libgit2's regex
	 * wrapper, which leaks pcre2 match data on every call. */
	if (git_config_iterator_new(&it, cfg) == 0) {
		while (!partial && git_config_next(&e, it) == 0) {
			size_t n = strlen(e->name);
			if (!strcmp(e->name, "extensions.partialclone"))
				partial = 1;
			else if (!strncmp(e->name, "remote.", 7) && n > 16 &&
			         !strcmp(e->name + n - 9, ".promisor") && e->value &&
			         (!strcasecmp(e->value, "true") || !strcmp(e->value, "1")))
				partial = 1;
		}
		git_config_iterator_free(it);
	}
	git_config_free(cfg);
	return partial;
}

static const char *fetch_fix(git_repository *repo)
{
	return is_partial(repo) ? PARTIAL_FIX : FETCH_FIX;
}

static int export_strategy = RG_EXPORT_WALK;

void rg_git_set_export_strategy(int strategy)
{
	export_strategy = strategy;
}

static const char *git_msg(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown libgit2 error";
}

int rg_git_open(git_repository **out, rg_err *err)
{
	const char *gd = getenv("GIT_DIR"), *wt = getenv("GIT_WORK_TREE");
	int rc;

	if ((rc = rg_git2_load(err)) < 0)
		return rc;
	if (gd && *gd) {
		/* A worktree admin dir has "commondir" and "gitdir" files;
		 * git_repository_open follows both. */
		rc = git_repository_open_ext(out, gd, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
		if (rc == 0 && wt && *wt)
			rc = git_repository_set_workdir(*out, wt, 0);
		if (rc < 0)
			return rg_err_set(err, RG_EINPUT, "GIT_DIR=%s: %s", gd, git_msg());
		return RG_OK;
	}
	rc = git_repository_open_ext(out, ".", 0, NULL);
	if (rc < 0)
		return rg_err_set(err, RG_EINPUT, "not in a git repository (%s)", git_msg());
	return RG_OK;
}

const char *rg_git_workdir(git_repository *repo)
{
	return git_repository_workdir(repo);
}

static int is_hex_id(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!isxdigit((unsigned char)s[n]))
			return 0;
	return n >= 7 && n <= GIT_OID_HEXSZ;
}

/* A commit's tree must be readable: a partial clone or a damaged odb
 * shows up here rather than halfway through an export. */
static int check_tree(git_repository *repo, git_commit *c, const char *spec, git_oid *tree_id,
                      rg_err *err)
{
	git_tree *t = NULL;

	if (git_commit_tree(&t, c) < 0)
		return rg_err_set(err, RG_EBUILD,
		                  "the tree of %s (%s) is not in the object database "
		                  "(partial or shallow clone?): %s", spec,
		                  git_oid_tostr_s(git_commit_id(c)), fetch_fix(repo));
	git_oid_cpy(tree_id, git_tree_id(t));
	git_tree_free(t);
	(void)repo;
	return RG_OK;
}

static int lookup_commit(git_repository *repo, const char *spec, git_oid *out, rg_err *err)
{
	git_object *obj = NULL, *peeled = NULL;
	int rc = git_revparse_single(&obj, repo, spec);

	if (rc < 0) {
		if (is_hex_id(spec))
			return rg_err_set(err, RG_EBUILD,
			                  "commit %s is not in the object database: %s "
			                  "or fetch that commit", spec, fetch_fix(repo));
		return rg_err_set(err, RG_EINPUT, "unknown revision '%s': %s", spec, git_msg());
	}
	rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0)
		return rg_err_set(err, RG_EINPUT, "'%s' does not name a commit", spec);
	git_oid_cpy(out, git_object_id(peeled));
	git_object_free(peeled);
	return RG_OK;
}

static int fill_side(git_repository *repo, rg_side *s, const git_oid *id, const char *spec,
                     rg_err *err)
{
	git_commit *c = NULL;
	const char *summary;
	int rc;

	if (git_commit_lookup(&c, repo, id) < 0)
		return rg_err_set(err, RG_EBUILD, "commit %s (%s) is not in the object database: %s",
		                  git_oid_tostr_s(id), spec, fetch_fix(repo));
	git_oid_cpy(&s->commit, id);
	git_oid_tostr(s->id, sizeof(s->id), id);
	memcpy(s->short_id, s->id, 7);
	s->short_id[7] = '\0';
	snprintf(s->spec, sizeof(s->spec), "%s", spec);
	summary = git_commit_summary(c);
	snprintf(s->subject, sizeof(s->subject), "%s", summary ? summary : "");
	rc = check_tree(repo, c, spec, &s->tree, err);
	git_commit_free(c);
	return rc;
}

static int merge_base(git_repository *repo, const git_oid *a, const char *aname,
                      const git_oid *b, const char *bname, git_oid *out, rg_err *err)
{
	if (git_merge_base(out, repo, a, b) == 0)
		return RG_OK;
	if (git_repository_is_shallow(repo))
		return rg_err_set(err, RG_EBUILD, "no merge base of %s and %s in this shallow clone: %s",
		                  aname, bname, fetch_fix(repo));
	return rg_err_set(err, RG_EINPUT, "%s and %s have no common ancestor; pass --base", aname,
	                  bname);
}

/* The upstream of the branch head names (or of the current branch), from
 * branch.NAME.remote and branch.NAME.merge (git-config(1)). Read directly:
 * git_branch_upstream goes through libgit2's regex wrapper, which leaks
 * pcre2 match data on every call. */
static int upstream_of(git_repository *repo, const char *head_arg, char *name, size_t len)
{
	git_reference *br = NULL;
	git_config *cfg = NULL;
	git_buf remote = GIT_BUF_INIT, merge = GIT_BUF_INIT;
	char key[600];
	const char *b;
	int found = 0;

	if (head_arg) {
		if (git_branch_lookup(&br, repo, head_arg, GIT_BRANCH_LOCAL) < 0)
			return 0;
	} else if (git_repository_head(&br, repo) < 0 || !git_reference_is_branch(br)) {
		git_reference_free(br);
		return 0;
	}
	b = git_reference_shorthand(br);
	if (git_repository_config_snapshot(&cfg, repo) < 0)
		goto done;
	snprintf(key, sizeof(key), "branch.%.500s.remote", b);
	if (git_config_get_string_buf(&remote, cfg, key) < 0)
		goto done;
	snprintf(key, sizeof(key), "branch.%.500s.merge", b);
	if (git_config_get_string_buf(&merge, cfg, key) < 0 ||
	    strncmp(merge.ptr, "refs/heads/", 11) != 0)
		goto done;
	if (!strcmp(remote.ptr, "."))
		snprintf(name, len, "%s", merge.ptr + 11);
	else
		snprintf(name, len, "%s/%s", remote.ptr, merge.ptr + 11);
	found = 1;
done:
	git_buf_dispose(&remote);
	git_buf_dispose(&merge);
	git_config_free(cfg);
	git_reference_free(br);
	return found;
}

/*
 * The first candidate - head's upstream, then the usual default branches -
 * whose merge base with head is not head itself (a branch already pushed
 * has nothing new against its upstream: then main is the useful base).
 * When every candidate is head (on main itself), the first one is used.
 */
static int candidate_base(git_repository *repo, const char *head_arg, const git_oid *head,
                          git_oid *out, char *spec, size_t speclen, rg_err *err)
{
	static const char *const fallbacks[] = { "origin/HEAD", "origin/main", "origin/master",
	                                         "main", "master" };
	char names[6][300];
	size_t i, n = 0;
	int found = 0;

	if (upstream_of(repo, head_arg, names[0], sizeof(names[0])))
		n++;
	for (i = 0; i < sizeof(fallbacks) / sizeof(fallbacks[0]); i++)
		snprintf(names[n++], sizeof(names[0]), "%s", fallbacks[i]);
	for (i = 0; i < n; i++) {
		git_object *o = NULL, *c = NULL;
		git_oid mb;
		int ok = git_revparse_single(&o, repo, names[i]) == 0 &&
		         git_object_peel(&c, o, GIT_OBJECT_COMMIT) == 0 &&
		         git_merge_base(&mb, repo, git_object_id(c), head) == 0;

		git_object_free(c);
		git_object_free(o);
		if (!ok || (found && git_oid_equal(&mb, head)))
			continue;
		git_oid_cpy(out, &mb);
		snprintf(spec, speclen, "merge-base(%.250s, %.250s)", names[i],
		         head_arg ? head_arg : "HEAD");
		found = 1;
		if (!git_oid_equal(&mb, head))
			return RG_OK;
	}
	if (found)
		return RG_OK;
	return rg_err_set(err, RG_EINPUT, "no base revision: no upstream branch, origin/HEAD, "
	                  "origin/main, origin/master, main or master with history in common; "
	                  "pass --base REV");
}

static int default_base(git_repository *repo, const char *head_arg, const git_oid *head,
                        git_oid *out, char *spec, size_t speclen, rg_err *err)
{
	const char *ev = getenv("GITHUB_EVENT_NAME"), *ref = getenv("GITHUB_BASE_REF");
	char name[300];
	git_oid other;
	int rc;

	if (ref && *ref && ev && !strncmp(ev, "pull_request", 12)) {
		snprintf(name, sizeof(name), "origin/%s", ref);
		if (lookup_commit(repo, name, &other, err) < 0) {
			err->code = 0;
			return rg_err_set(err, RG_EBUILD, "the pull request's base %s is not fetched: "
			                  "use actions/checkout with fetch-depth: 0", name);
		}
	} else if (git_repository_is_shallow(repo)) {
		return rg_err_set(err, RG_EBUILD, "this is a shallow clone, so the merge base "
		                  "cannot be found: %s", fetch_fix(repo));
	} else {
		return candidate_base(repo, head_arg, head, out, spec, speclen, err);
	}
	if ((rc = lookup_commit(repo, name, &other, err)) < 0)
		return rc;
	if ((rc = merge_base(repo, &other, name, head, head_arg ? head_arg : "HEAD", out, err)) < 0)
		return rc;
	snprintf(spec, speclen, "merge-base(%s, %s)", name, head_arg ? head_arg : "HEAD");
	return RG_OK;
}

int rg_git_resolve(git_repository *repo, const char *base_arg, const char *head_arg,
                   rg_side *base, rg_side *head, rg_err *err)
{
	char a[256] = "", b[256] = "", spec[600];
	const char *dots;
	int three = 0, rc;
	git_oid hid, bid, aid;

	if (base_arg && (dots = strstr(base_arg, ".."))) {
		three = dots[2] == '.';
		snprintf(a, sizeof(a), "%.*s", (int)(dots - base_arg), base_arg);
		snprintf(b, sizeof(b), "%s", dots + (three ? 3 : 2));
		if (head_arg)
			return rg_err_set(err, RG_EINPUT, "give either a range or --head, not both");
		head_arg = *b ? b : NULL;
		base_arg = *a ? a : "HEAD";
	}
	base->name = "base";
	head->name = "head";
	if ((rc = lookup_commit(repo, head_arg ? head_arg : "HEAD", &hid, err)) < 0)
		return rc;
	if ((rc = fill_side(repo, head, &hid, head_arg ? head_arg : "HEAD", err)) < 0)
		return rc;
	if (!base_arg) {
		rc = default_base(repo, head_arg, &hid, &bid, spec, sizeof(spec), err);
	} else if (three) {
		if ((rc = lookup_commit(repo, base_arg, &aid, err)) == 0)
			rc = merge_base(repo, &aid, base_arg, &hid, head_arg ? head_arg : "HEAD", &bid, err);
		snprintf(spec, sizeof(spec), "merge-base(%s, %s)", base_arg, head_arg ? head_arg : "HEAD");
	} else {
		rc = lookup_commit(repo, base_arg, &bid, err);
		snprintf(spec, sizeof(spec), "%s", base_arg);
	}
	if (rc < 0)
		return rc;
	return fill_side(repo, base, &bid, spec, err);
}

int rg_git_read_file(git_repository *repo, const git_oid *commit, const char *path,
                     char **buf, size_t *len, rg_err *err)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	int rc = 1;

	*buf = NULL;
	*len = 0;
	if (git_commit_lookup(&c, repo, commit) < 0 || git_commit_tree(&t, c) < 0) {
		rc = rg_err_set(err, RG_EBUILD, "cannot read commit %s: %s", git_oid_tostr_s(commit),
		                fetch_fix(repo));
		goto done;
	}
	if (git_tree_entry_bypath(&e, t, path) < 0 || git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		goto done; /* absent */
	if (git_blob_lookup(&blob, repo, git_tree_entry_id(e)) < 0) {
		rc = rg_err_set(err, RG_EBUILD, "%s in %s is not in the object database: %s", path,
		                git_oid_tostr_s(commit), fetch_fix(repo));
		goto done;
	}
	*len = (size_t)git_blob_rawsize(blob);
	if (!(*buf = malloc(*len + 1))) {
		rc = rg_err_set(err, RG_ENOMEM, "out of memory");
		goto done;
	}
	memcpy(*buf, git_blob_rawcontent(blob), *len);
	(*buf)[*len] = '\0';
	rc = RG_OK;
done:
	git_blob_free(blob);
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
	return rc;
}

/* ---- export ---------------------------------------------------------- */

typedef struct export_ctx {
	git_repository *repo;   /* the repository (or submodule) being exported */
	const char *commondir;  /* where modules/NAME live */
	char path[4096];        /* current directory being written */
	size_t plen;
	size_t rel_off;         /* x->path[rel_off] starts this repository's paths */
	char *gitmodules;       /* .gitmodules of this tree, for path -> name */
	char **missing;
	size_t missing_len;
	volatile sig_atomic_t *stop;
	rg_err *err;
} export_ctx;

/* Hostile trees could hold "..", "/" or ".git" entries: never follow them. */
static int safe_name(const char *n)
{
	return *n && strcmp(n, ".") && strcmp(n, "..") && !strchr(n, '/') &&
	       strcasecmp(n, ".git") != 0;
}

static int push_path(export_ctx *x, const char *name, size_t *saved)
{
	size_t n = strlen(name);

	*saved = x->plen;
	if (x->plen + 1 + n + 1 > sizeof(x->path))
		return rg_err_set(x->err, RG_EBUILD, "path too long while exporting: %s/%s", x->path,
		                  name);
	x->path[x->plen++] = '/';
	memcpy(x->path + x->plen, name, n + 1);
	x->plen += n;
	return RG_OK;
}

static void pop_path(export_ctx *x, size_t saved)
{
	x->plen = saved;
	x->path[saved] = '\0';
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int write_blob(export_ctx *x, const git_tree_entry *e, git_filemode_t mode)
{
	git_blob *blob = NULL;
	int fd, rc = RG_OK;

	if (git_blob_lookup(&blob, x->repo, git_tree_entry_id(e)) < 0)
		return rg_err_set(x->err, RG_EBUILD, "blob of %s is not in the object database: %s",
		                  x->path, fetch_fix(x->repo));
	if (mode == GIT_FILEMODE_LINK) {
		char target[4096];
		size_t n = (size_t)git_blob_rawsize(blob);

		if (n >= sizeof(target))
			n = sizeof(target) - 1;
		memcpy(target, git_blob_rawcontent(blob), n);
		target[n] = '\0';
		if (symlink(target, x->path) < 0)
			rc = rg_err_set(x->err, RG_EBUILD, "%s: %s", x->path, strerror(errno));
		goto done;
	}
	fd = open(x->path, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC,
	          mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0777 : 0666);
	if (fd < 0 || write_all(fd, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob)) < 0)
		rc = rg_err_set(x->err, RG_EBUILD, "%s: %s", x->path, strerror(errno));
	if (fd >= 0 && close(fd) < 0 && rc == RG_OK)
		rc = rg_err_set(x->err, RG_EBUILD, "%s: %s", x->path, strerror(errno));
done:
	git_blob_free(blob);
	return rc;
}

/* The submodule name recorded for path in .gitmodules (name defaults to
 * the path, as git does when creating one). Minimal parser: the
 * `[submodule "NAME"]` headers and `path = P` keys are all we need. */
static void submodule_name(const char *gitmodules, const char *path, char *name, size_t len)
{
	const char *p = gitmodules;
	char cur[512] = "";

	snprintf(name, len, "%.*s", (int)(len - 1), path);
	while (p && *p) {
		const char *eol = strchr(p, '\n'), *q = p;
		size_t n = eol ? (size_t)(eol - p) : strlen(p);

		while (q < p + n && isspace((unsigned char)*q))
			q++;
		if (!strncmp(q, "[submodule \"", 12)) {
			size_t rest = n - (size_t)(q - p);
			const char *end = rest > 12 ? memchr(q + 12, '"', rest - 12) : NULL;
			if (end)
				snprintf(cur, sizeof(cur), "%.*s", (int)(end - q - 12), q + 12);
		} else if (!strncmp(q, "path", 4)) {
			const char *v = q + 4;
			while (v < p + n && (isspace((unsigned char)*v) || *v == '='))
				v++;
			size_t vl = (size_t)(p + n - v);
			while (vl && isspace((unsigned char)v[vl - 1]))
				vl--;
			if (vl == strlen(path) && !strncmp(v, path, vl) && *cur) {
				snprintf(name, len, "%s", cur);
				return;
			}
		}
		p = eol ? eol + 1 : NULL;
	}
}

static int export_tree(export_ctx *x, git_tree *tree, int depth);

/* x->path inside the repository being exported (for submodule names and
 * messages); "" at its root. */
static const char *rel_path(const export_ctx *x)
{
	return x->plen > x->rel_off ? x->path + x->rel_off + 1 : "";
}

/*
 * git's check_submodule_name (submodule.c): a name is a path below
 * .git/modules, so an empty name, an absolute one or one with a ".."
 * component (either slash counts, on every platform) could read another
 * repository on disk into the build tree.
 */
static int submodule_name_ok(const char *name)
{
	const char *p = name;

	if (!*name || *name == '/' || *name == '\\')
		return 0;
	for (;;) {
		if (p[0] == '.' && p[1] == '.' && (!p[2] || p[2] == '/' || p[2] == '\\'))
			return 0;
		p += strcspn(p, "/\\");
		if (!*p++)
			return 1;
	}
}

static void add_missing(export_ctx *x, const char *relpath)
{
	size_t n = strlen(relpath);
	char *m = realloc(*x->missing, x->missing_len + n + 2);

	if (!m)
		return;
	memcpy(m + x->missing_len, relpath, n);
	m[x->missing_len + n] = '\n';
	m[x->missing_len + n + 1] = '\0';
	x->missing_len += n + 1;
	*x->missing = m;
}

static int export_submodule(export_ctx *x, const git_tree_entry *e, int depth)
{
	const char *relpath = rel_path(x);
	char name[512], dir[4096];
	git_repository *sub = NULL;
	git_commit *c = NULL;
	git_tree *t = NULL;
	export_ctx y;
	int rc = RG_OK;

	submodule_name(x->gitmodules, relpath, name, sizeof(name));
	if (!submodule_name_ok(name))
		return rg_err_set(x->err, RG_EBUILD,
		                  "refusing submodule %s: .gitmodules names it \"%s\", which git "
		                  "refuses too (empty, absolute or with a '..' component)", relpath,
		                  name);
	snprintf(dir, sizeof(dir), "%smodules/%s", x->commondir, name);
	if (git_repository_open_bare(&sub, dir) < 0 ||
	    git_commit_lookup(&c, sub, git_tree_entry_id(e)) < 0 || git_commit_tree(&t, c) < 0) {
		add_missing(x, relpath);
		goto done;
	}
	y = *x;
	y.repo = sub;
	y.commondir = git_repository_commondir(sub);
	y.gitmodules = NULL;
	y.rel_off = x->plen;
	rc = export_tree(&y, t, depth);
	x->missing_len = y.missing_len;
done:
	git_tree_free(t);
	git_commit_free(c);
	git_repository_free(sub);
	return rc;
}

static char *read_gitmodules(git_repository *repo, git_tree *tree)
{
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	char *s = NULL;

	if (git_tree_entry_bypath(&e, tree, ".gitmodules") == 0 &&
	    git_blob_lookup(&blob, repo, git_tree_entry_id(e)) == 0) {
		size_t n = (size_t)git_blob_rawsize(blob);
		if ((s = malloc(n + 1))) {
			memcpy(s, git_blob_rawcontent(blob), n);
			s[n] = '\0';
		}
	}
	git_blob_free(blob);
	git_tree_entry_free(e);
	return s;
}

/* Writes tree into x->path, `depth` directories (submodules included)
 * below the exported tree: a hostile tree nests thousands of levels, and
 * each level is a stack frame here. With the checkout strategy only
 * gitlinks are handled here. */
static int export_tree(export_ctx *x, git_tree *tree, int depth)
{
	size_t i, n = git_tree_entrycount(tree), saved;
	char *own_modules = NULL;
	int rc = RG_OK;

	if (depth > RG_EXPORT_MAX_DEPTH)
		return rg_err_set(x->err, RG_EBUILD, "the tree nests deeper than %d directories "
		                  "(at %.200s...): refusing to export it", RG_EXPORT_MAX_DEPTH,
		                  rel_path(x));
	if (x->plen == x->rel_off && !x->gitmodules)
		x->gitmodules = own_modules = read_gitmodules(x->repo, tree);
	for (i = 0; i < n && rc == RG_OK; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(e);
		git_filemode_t mode = git_tree_entry_filemode(e);

		if (*x->stop) {
			rc = rg_err_set(x->err, RG_EINPUT, "interrupted");
			break;
		}
		if (!safe_name(name))
			continue;
		if ((rc = push_path(x, name, &saved)) < 0)
			break;
		if (mode == GIT_FILEMODE_TREE) {
			git_tree *sub = NULL;
			if (git_tree_lookup(&sub, x->repo, git_tree_entry_id(e)) < 0) {
				rc = rg_err_set(x->err, RG_EBUILD, "tree %s is not in the object database: %s",
				                rel_path(x), fetch_fix(x->repo));
			} else if (export_strategy == RG_EXPORT_WALK && mkdir(x->path, 0777) < 0) {
				rc = rg_err_set(x->err, RG_EBUILD, "%s: %s", x->path, strerror(errno));
			} else {
				rc = export_tree(x, sub, depth + 1);
			}
			git_tree_free(sub);
		} else if (mode == GIT_FILEMODE_COMMIT) {
			if (mkdir(x->path, 0777) < 0 && errno != EEXIST)
				rc = rg_err_set(x->err, RG_EBUILD, "%s: %s", x->path, strerror(errno));
			else
				rc = export_submodule(x, e, depth + 1);
		} else if (export_strategy == RG_EXPORT_WALK) {
			rc = write_blob(x, e, mode);
		}
		pop_path(x, saved);
	}
	if (own_modules) {
		free(own_modules);
		x->gitmodules = NULL;
	}
	return rc;
}

static int checkout_into(git_repository *repo, git_tree *tree, const char *dir, rg_err *err)
{
	git_checkout_options o;

	git_checkout_options_init(&o, GIT_CHECKOUT_OPTIONS_VERSION);
	o.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_DONT_UPDATE_INDEX |
	                      GIT_CHECKOUT_DONT_WRITE_INDEX;
	o.target_directory = dir;
	o.baseline = tree;
	if (git_checkout_tree(repo, (const git_object *)tree, &o) < 0)
		return rg_err_set(err, RG_EBUILD, "exporting into %s: %s", dir, git_msg());
	return RG_OK;
}

int rg_git_export(git_repository *repo, const rg_side *side, const char *dir, char **missing,
                  volatile sig_atomic_t *stop, rg_err *err)
{
	git_tree *tree = NULL;
	export_ctx x;
	int rc;

	*missing = NULL;
	if (git_tree_lookup(&tree, repo, &side->tree) < 0)
		return rg_err_set(err, RG_EBUILD, "the tree of %s %s is not in the object database: %s",
		                  side->name, side->short_id, fetch_fix(repo));
	memset(&x, 0, sizeof(x));
	x.repo = repo;
	x.commondir = git_repository_commondir(repo);
	x.missing = missing;
	x.stop = stop;
	x.err = err;
	snprintf(x.path, sizeof(x.path), "%s", dir);
	x.plen = x.rel_off = strlen(x.path);
	rc = RG_OK;
	if (export_strategy == RG_EXPORT_CHECKOUT)
		rc = checkout_into(repo, tree, dir, err);
	if (rc == RG_OK)
		rc = export_tree(&x, tree, 0);
	git_tree_free(tree);
	return rc;
}
