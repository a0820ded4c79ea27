/*
 * git.h - the revisions `relgate check` compares and how their trees reach
 * the disk, with libgit2 (https://libgit2.org/libgit2/#v1.5.0).
 *
 * Nothing here writes to the user's repository: revisions are resolved
 * read-only, trees are exported into fresh directories (never checked out
 * into the working tree), the index is never written. See docs/gate.md.
 */
#ifndef RG_GIT_H
#define RG_GIT_H

#include "git2_load.h"
#include <signal.h>
#include <stddef.h>

#include "../parsers/model.h"

/* What a side is: a commit, or work not committed yet (gate/uncommitted.h). */
enum { RG_SIDE_COMMIT = 0, RG_SIDE_INDEX, RG_SIDE_WORKTREE };

struct rg_snapshot;

/* One side of the comparison. */
typedef struct rg_side {
	const char *name;     /* "base" or "head" */
	int kind;             /* RG_SIDE_*; for INDEX and WORKTREE, commit is HEAD's
	                       * and tree is the id the staged or working tree would
	                       * have, computed without writing an object */
	struct rg_snapshot *snap; /* INDEX and WORKTREE: the files to export */
	char spec[256];       /* how it was named ("HEAD", "merge-base(HEAD, origin/main)") */
	git_oid commit;
	git_oid tree;
	char id[GIT_OID_HEXSZ + 1];
	char short_id[16];    /* 7 digits, or "index" / "worktree" */
	char subject[256];    /* first line of the message */
} rg_side;

/*
 * Opens the repository the user is in: $GIT_DIR when set (as in hooks,
 * including a linked worktree's admin dir), else discovery upwards from the
 * current directory. Errors are RG_EINPUT (not a repository).
 */
int rg_git_open(git_repository **out, rg_err *err);

/*
 * Resolves base and head. head_arg NULL means HEAD; base_arg NULL means
 * the default base (GitHub pull request base, upstream, origin/HEAD,
 * origin/main, origin/master, main, master - merge base with head). A
 * base_arg containing ".." or "..." is a range naming both sides.
 * Unknown names: RG_EINPUT. Objects that are missing (shallow or partial
 * clone, unfetched commit): RG_EBUILD with the fix in the message.
 */
int rg_git_resolve(git_repository *repo, const char *base_arg, const char *head_arg,
                   rg_side *base, rg_side *head, rg_err *err);

/*
 * Reads the blob at path in commit's tree into a malloc'd buffer
 * (NUL-terminated). Returns RG_OK, 1 when the path is absent, or an error.
 */
int rg_git_read_file(git_repository *repo, const git_oid *commit, const char *path,
                     char **buf, size_t *len, rg_err *err);

/*
 * Writes the tree of side into dir (an existing empty directory), with exec
 * bits and symlinks, and submodules at their recorded commits when their
 * objects are in .git/modules. Missing submodules are listed in
 * *missing (malloc'd, newline-separated, NULL when none) instead of
 * failing, so each target can decide (`submodules: skip`). Returns
 * RG_EBUILD on missing objects or I/O errors; RG_EINPUT if *stop becomes
 * non-zero (an interrupt) during the export.
 */
int rg_git_export(git_repository *repo, const rg_side *side, const char *dir,
                  char **missing, volatile sig_atomic_t *stop, rg_err *err);

/* Export strategies, for the benchmark in docs/gate.md. */
enum { RG_EXPORT_WALK = 0, RG_EXPORT_CHECKOUT = 1 };
void rg_git_set_export_strategy(int strategy);

/* True for a side that is a commit (notes apply to commits only). */
static inline int rg_side_is_commit(const rg_side *s)
{
	return s->kind == RG_SIDE_COMMIT;
}

/* The working tree root, or NULL for a bare repository. */
const char *rg_git_workdir(git_repository *repo);

#endif
