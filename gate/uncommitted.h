/*
 * uncommitted.h - `relgate check --head worktree|index`: the state a
 * developer is about to commit, as a side gate/commit_measure.h can build
 * (docs/gate.md "Uncommitted work").
 *
 *   index     the staged tree: every stage-0 entry of the index, its blob
 *             read from the object database (where `git add` put it);
 *   worktree  the working tree: the tracked files as they are on disk
 *             (deleted ones left out) and the untracked files git does not
 *             ignore.
 *
 * Nothing is written into the repository: no object, no index, no lock
 * file. The side's tree id is the one git would give that tree (computed
 * with git_odb_hash over tree objects built in memory), so it keys the
 * cache like a commit's, and a clean working tree has HEAD's tree id.
 */
#ifndef RG_UNCOMMITTED_H
#define RG_UNCOMMITTED_H

#include <signal.h>
#include <stddef.h>

#include "git.h"

/* The kind --head names: RG_SIDE_INDEX, RG_SIDE_WORKTREE, or RG_SIDE_COMMIT
 * for anything else (a revision). */
int rg_uncommitted_kind(const char *head_arg);

/*
 * Fills side (its name already set) with the staged or working tree:
 * commit = HEAD's, tree = the computed id, id "index" or "worktree", a
 * subject naming it, and side->snap. Errors: RG_EINPUT (a bare repository,
 * an index with conflicts, no HEAD commit), RG_EIO (a file that cannot be
 * read).
 */
int rg_uncommitted_side(git_repository *repo, int kind, rg_side *side, rg_err *err);

/* Like rg_git_export for such a side: writes its files into dir. A file of
 * the working tree that changed since rg_uncommitted_side read it is an
 * error (RG_EBUILD: run again). Gitlinks (submodules) are listed in
 * *missing, as rg_git_export does for submodules it cannot export. */
int rg_uncommitted_export(git_repository *repo, const rg_side *side, const char *dir,
                          char **missing, volatile sig_atomic_t *stop, rg_err *err);

/* Like rg_git_read_file: the content of path in the side's tree; 1 when
 * absent. */
int rg_uncommitted_read_file(git_repository *repo, const rg_side *side, const char *path,
                             char **buf, size_t *len, rg_err *err);

/* Frees side->snap (and sets it NULL). */
void rg_uncommitted_free(rg_side *side);

#endif
