/*
 * uncommitted.c - the staged or working tree as a side (uncommitted.h).
 *
 * A snapshot is the sorted list of (path, mode, blob id) the tree would
 * hold. The tree id is git's: each directory is serialized as a tree
 * object ("MODE NAME\0" + raw id per entry, entries in git's order: names
 * compared bytewise, a directory as if its name ended in '/') and hashed
 * with git_odb_hash, which hashes without storing. Working-tree files are
 * hashed as they are on disk (no clean/smudge filters); the export
 * re-hashes what it copies, so a file edited while relgate runs is an
 * error, not a build of something the key does not describe.
 */
#include "uncommitted.h"
#include "buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct snap_entry {
	char *path;
	unsigned mode;         /* 0100644, 0100755, 0120000, 0160000 */
	git_oid id;
} snap_entry;

struct rg_snapshot {
	int kind;
	char *workdir;         /* worktree: the root, ending in '/' */
	snap_entry *e;
	size_t n, cap;
};

int rg_uncommitted_kind(const char *head_arg)
{
	if (head_arg && !strcmp(head_arg, "index"))
		return RG_SIDE_INDEX;
	if (head_arg && !strcmp(head_arg, "worktree"))
		return RG_SIDE_WORKTREE;
	return RG_SIDE_COMMIT;
}

static const char *git_msg(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "libgit2 error";
}

static int push(struct rg_snapshot *s, const char *path, unsigned mode, const git_oid *id)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		snap_entry *e = realloc(s->e, cap * sizeof(*e));
		if (!e)
			return -1;
		s->e = e;
		s->cap = cap;
	}
	if (!(s->e[s->n].path = strdup(path)))
		return -1;
	s->e[s->n].mode = mode;
	git_oid_cpy(&s->e[s->n].id, id);
	s->n++;
	return 0;
}

/* ---- reading contents --------------------------------------------------------- */

static int read_link(const char *path, char **buf, size_t *len)
{
	char tmp[4097];
	ssize_t n = readlink(path, tmp, sizeof(tmp) - 1);

	if (n < 0 || !(*buf = malloc((size_t)n + 1)))
		return -1;
	memcpy(*buf, tmp, (size_t)n);
	(*buf)[n] = '\0';
	*len = (size_t)n;
	return 0;
}

/* The content of entry e (a blob of the index, or the file on disk). */
static int content(git_repository *repo, const struct rg_snapshot *s, const snap_entry *e,
                   char **buf, size_t *len, rg_err *err)
{
	char full[8192];
	rg_err re = { 0 };
	int rc;

	*buf = NULL;
	if (s->kind == RG_SIDE_INDEX) {
		git_blob *b = NULL;
		size_t n;

		if (git_blob_lookup(&b, repo, &e->id) < 0)
			return rg_err_set(err, RG_EBUILD, "%s: staged blob %s is not in the object "
			                  "database: %s", e->path, git_oid_tostr_s(&e->id), git_msg());
		n = (size_t)git_blob_rawsize(b);
		if ((*buf = malloc(n + 1)))
			memcpy(*buf, git_blob_rawcontent(b), n);
		git_blob_free(b);
		if (!*buf)
			return rg_err_set(err, RG_ENOMEM, "out of memory");
		(*buf)[n] = '\0';
		*len = n;
		return RG_OK;
	}
	snprintf(full, sizeof(full), "%s%s", s->workdir, e->path);
	if (e->mode == 0120000) {
		if (read_link(full, buf, len) < 0)
			return rg_err_set(err, RG_EIO, "%s: %s", full, strerror(errno));
		return RG_OK;
	}
	if ((rc = rg_read_file(full, SIZE_MAX, buf, len, &re)) != RG_OK)
		return rg_err_set(err, rc, "%s: %s", full, re.msg);
	return RG_OK;
}

/* ---- the snapshot ---------------------------------------------------------------- */

/* A path of the working tree as git would record it now; absent (deleted)
 * or not a file: nothing. index_mode/index_id: its index entry, if any. */
static int add_worktree_path(struct rg_snapshot *s, const char *path, unsigned index_mode,
                             const git_oid *index_id, rg_err *err)
{
	char full[8192];
	struct stat st;
	git_oid id;
	unsigned mode;

	snprintf(full, sizeof(full), "%s%s", s->workdir, path);
	if (lstat(full, &st) < 0)
		return errno == ENOENT || errno == ENOTDIR ? RG_OK
		       : rg_err_set(err, RG_EIO, "%s: %s", full, strerror(errno));
	if (S_ISDIR(st.st_mode) && index_mode == 0160000) {
		mode = 0160000; /* a submodule: its recorded commit */
		git_oid_cpy(&id, index_id);
	} else if (S_ISLNK(st.st_mode)) {
		char *buf;
		size_t len;
		if (read_link(full, &buf, &len) < 0)
			return rg_err_set(err, RG_EIO, "%s: %s", full, strerror(errno));
		git_odb_hash(&id, buf, len, GIT_OBJECT_BLOB);
		free(buf);
		mode = 0120000;
	} else if (S_ISREG(st.st_mode)) {
		if (git_odb_hashfile(&id, full, GIT_OBJECT_BLOB) < 0)
			return rg_err_set(err, RG_EIO, "%s: %s", full, git_msg());
		mode = st.st_mode & 0111 ? 0100755 : 0100644;
	} else {
		return RG_OK;
	}
	return push(s, path, mode, &id) < 0 ? rg_err_set(err, RG_ENOMEM, "out of memory") : RG_OK;
}

static int from_index(git_repository *repo, struct rg_snapshot *s, rg_err *err)
{
	git_index *idx = NULL;
	const char *prev = NULL;
	size_t i, n;
	int rc = RG_OK;

	if (git_repository_index(&idx, repo) < 0)
		return rg_err_set(err, RG_EINPUT, "cannot read the index: %s", git_msg());
	if (s->kind == RG_SIDE_INDEX && git_index_has_conflicts(idx)) {
		rc = rg_err_set(err, RG_EINPUT, "--head index: the index has unresolved conflicts; "
		                "resolve them (git add) first");
		goto done;
	}
	n = git_index_entrycount(idx);
	for (i = 0; i < n && rc == RG_OK; i++) {
		const git_index_entry *e = git_index_get_byindex(idx, i);

		if (!e || (prev && !strcmp(prev, e->path)))
			continue; /* the other stages of a conflicted path */
		prev = e->path;
		if (s->kind == RG_SIDE_WORKTREE)
			rc = add_worktree_path(s, e->path, e->mode, &e->id, err);
		else if (GIT_INDEX_ENTRY_STAGE(e) == 0 &&
		         !(e->flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD) &&
		         push(s, e->path, e->mode, &e->id) < 0)
			rc = rg_err_set(err, RG_ENOMEM, "out of memory");
	}
done:
	git_index_free(idx);
	return rc;
}

/* Untracked files git does not ignore (git status --untracked-files=all). */
static int untracked(git_repository *repo, struct rg_snapshot *s, rg_err *err)
{
	git_status_options o;
	git_status_list *list = NULL;
	size_t i, n;
	int rc = RG_OK;

	git_status_options_init(&o, GIT_STATUS_OPTIONS_VERSION);
	o.show = GIT_STATUS_SHOW_WORKDIR_ONLY;
	/* No GIT_STATUS_OPT_UPDATE_INDEX: the index is never written. */
	o.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
	          GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&list, repo, &o) < 0)
		return rg_err_set(err, RG_EIO, "cannot list untracked files: %s", git_msg());
	n = git_status_list_entrycount(list);
	for (i = 0; i < n && rc == RG_OK; i++) {
		const git_status_entry *e = git_status_byindex(list, i);
		git_oid zero;

		memset(&zero, 0, sizeof(zero));
		if (e && (e->status & GIT_STATUS_WT_NEW) && e->index_to_workdir)
			rc = add_worktree_path(s, e->index_to_workdir->new_file.path, 0, &zero, err);
	}
	git_status_list_free(list);
	return rc;
}

/* ---- the tree id ------------------------------------------------------------------- */

typedef struct tree_item {
	const char *name;
	size_t len;
	unsigned mode;
	git_oid id;
} tree_item;

static int cmp_path(const void *a, const void *b)
{
	return strcmp(((const snap_entry *)a)->path, ((const snap_entry *)b)->path);
}

/* git's tree order: a directory compares as if its name ended in '/'. */
static int cmp_item(const void *a, const void *b)
{
	const tree_item *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->name, y->name, n);
	unsigned char cx, cy;

	if (c)
		return c;
	cx = x->len > n ? (unsigned char)x->name[n] : x->mode == 040000 ? '/' : 0;
	cy = y->len > n ? (unsigned char)y->name[n] : y->mode == 040000 ? '/' : 0;
	return (int)cx - (int)cy;
}

/* The id of the tree of entries [lo, hi), all under a prefix of plen bytes. */
static int hash_dir(const snap_entry *e, size_t lo, size_t hi, size_t plen, git_oid *out)
{
	tree_item *items = calloc(hi - lo + 1, sizeof(*items));
	size_t n = 0, i = lo, k, size = 0;
	char *buf = NULL, *p;
	int rc = -1;

	if (!items)
		return -1;
	while (i < hi) {
		const char *rest = e[i].path + plen, *slash = strchr(rest, '/');
		tree_item *it = &items[n++];

		it->name = rest;
		if (!slash) {
			it->len = strlen(rest);
			it->mode = e[i].mode;
			git_oid_cpy(&it->id, &e[i].id);
			i++;
			continue;
		}
		it->len = (size_t)(slash - rest);
		it->mode = 040000;
		for (k = i; k < hi && !strncmp(e[k].path + plen, rest, it->len + 1); k++)
			;
		if (hash_dir(e, i, k, plen + it->len + 1, &it->id) < 0)
			goto done;
		i = k;
	}
	qsort(items, n, sizeof(*items), cmp_item);
	for (k = 0; k < n; k++)
		size += 8 + items[k].len + 1 + GIT_OID_RAWSZ;
	if (!(buf = malloc(size + 1)))
		goto done;
	for (p = buf, k = 0; k < n; k++) {
		p += sprintf(p, "%o ", items[k].mode);
		memcpy(p, items[k].name, items[k].len);
		p += items[k].len;
		*p++ = '\0';
		memcpy(p, items[k].id.id, GIT_OID_RAWSZ);
		p += GIT_OID_RAWSZ;
	}
	rc = git_odb_hash(out, buf, (size_t)(p - buf), GIT_OBJECT_TREE) < 0 ? -1 : 0;
done:
	free(buf);
	free(items);
	return rc;
}

/* ---- the side ------------------------------------------------------------------------ */

static void snap_free(struct rg_snapshot *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		free(s->e[i].path);
	free(s->e);
	free(s->workdir);
	free(s);
}

void rg_uncommitted_free(rg_side *side)
{
	snap_free(side->snap);
	side->snap = NULL;
}

int rg_uncommitted_side(git_repository *repo, int kind, rg_side *side, rg_err *err)
{
	struct rg_snapshot *s = calloc(1, sizeof(*s));
	const char *wd = git_repository_workdir(repo);
	const char *what = kind == RG_SIDE_INDEX ? "index" : "worktree";
	git_object *head = NULL;
	int rc = RG_OK;

	if (!s)
		return rg_err_set(err, RG_ENOMEM, "out of memory");
	s->kind = kind;
	if (!wd) {
		rc = rg_err_set(err, RG_EINPUT, "--head %s: a bare repository has no %s", what,
		                kind == RG_SIDE_INDEX ? "index to gate" : "working tree");
		goto done;
	}
	if (git_revparse_single(&head, repo, "HEAD^{commit}") < 0) {
		rc = rg_err_set(err, RG_EINPUT, "--head %s: HEAD is not a commit yet (%s); commit "
		                "once, then gate what follows", what, git_msg());
		goto done;
	}
	if (!(s->workdir = strdup(wd))) {
		rc = rg_err_set(err, RG_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = from_index(repo, s, err)) < 0 ||
	    (kind == RG_SIDE_WORKTREE && (rc = untracked(repo, s, err)) < 0))
		goto done;
	if (s->n)
		qsort(s->e, s->n, sizeof(*s->e), cmp_path);
	if (hash_dir(s->e, 0, s->n, 0, &side->tree) < 0) {
		rc = rg_err_set(err, RG_ENOMEM, "cannot hash the %s's tree", what);
		goto done;
	}
	side->kind = kind;
	git_oid_cpy(&side->commit, git_object_id(head));
	snprintf(side->id, sizeof(side->id), "%s", what);
	snprintf(side->short_id, sizeof(side->short_id), "%s", what);
	snprintf(side->spec, sizeof(side->spec), "%s", kind == RG_SIDE_INDEX ?
	         "the index (staged changes)" : "the working tree");
	snprintf(side->subject, sizeof(side->subject), "%s on %.7s",
	         kind == RG_SIDE_INDEX ? "staged changes" : "uncommitted changes",
	         git_oid_tostr_s(git_object_id(head)));
	side->snap = s;
	s = NULL;
done:
	git_object_free(head);
	snap_free(s);
	return rc;
}

/* ---- export --------------------------------------------------------------------------- */

static int make_parents(char *path)
{
	char *p;

	for (p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(path, 0777) < 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

static int write_file(const char *path, const char *buf, size_t len, int exec)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, exec ? 0777 : 0666);
	size_t off = 0;

	if (fd < 0)
		return -1;
	while (off < len) {
		ssize_t w = write(fd, buf + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	return close(fd);
}

static int add_missing(char **missing, const char *path)
{
	size_t old = *missing ? strlen(*missing) : 0;
	char *p = realloc(*missing, old + strlen(path) + 2);

	if (!p)
		return -1;
	snprintf(p + old, strlen(path) + 2, "%s\n", path);
	*missing = p;
	return 0;
}

int rg_uncommitted_export(git_repository *repo, const rg_side *side, const char *dir,
                          char **missing, volatile sig_atomic_t *stop, rg_err *err)
{
	const struct rg_snapshot *s = side->snap;
	size_t i;
	int rc = RG_OK;

	*missing = NULL;
	for (i = 0; s && i < s->n && rc == RG_OK; i++) {
		const snap_entry *e = &s->e[i];
		char out[8192], *buf = NULL;
		size_t len = 0;
		git_oid now;

		if (stop && *stop)
			return rg_err_set(err, RG_EINPUT, "interrupted");
		if (e->mode == 0160000) {
			if (add_missing(missing, e->path) < 0)
				rc = rg_err_set(err, RG_ENOMEM, "out of memory");
			continue;
		}
		snprintf(out, sizeof(out), "%s/%s", dir, e->path);
		if ((rc = content(repo, s, e, &buf, &len, err)) < 0)
			break;
		if (s->kind == RG_SIDE_WORKTREE &&
		    (git_odb_hash(&now, buf, len, GIT_OBJECT_BLOB) < 0 || !git_oid_equal(&now, &e->id)))
			rc = rg_err_set(err, RG_EBUILD, "%s changed while relgate was reading the working "
			                "tree; run again", e->path);
		else if (make_parents(out) < 0 ||
		         (e->mode == 0120000 ? symlink(buf, out) : write_file(out, buf, len,
		                                                              e->mode == 0100755)) < 0)
			rc = rg_err_set(err, RG_EBUILD, "%s: %s", out, strerror(errno));
		free(buf);
	}
	return rc;
}

int rg_uncommitted_read_file(git_repository *repo, const rg_side *side, const char *path,
                             char **buf, size_t *len, rg_err *err)
{
	const struct rg_snapshot *s = side->snap;
	size_t i;

	*buf = NULL;
	*len = 0;
	for (i = 0; s && i < s->n; i++)
		if (!strcmp(s->e[i].path, path) && (s->e[i].mode & 0170000) == 0100000)
			return content(repo, s, &s->e[i], buf, len, err);
	return 1;
}
