/*
 * commits.h - the commits of a range, as sides gate/commit_measure.h can
 * measure; shared by `relgate report` and `relgate bisect` (defined in
 * cmd_report.c).
 */
#ifndef RG_COMMITS_H
#define RG_COMMITS_H

#include "git2_load.h"

#include "../parsers/model.h"
#include "git.h"

/* The commits of base..head (oldest first), as sides with id and subject. */
int rg_commit_range(git_repository *repo, const git_oid *base, const git_oid *head,
                    int first_parent, rg_side **out, size_t *n, rg_err *err);
/* Fills s with the id and subject of commit id, under the side name. */
int rg_side_fill(git_repository *repo, const git_oid *id, const char *name, rg_side *s,
                 rg_err *err);

#endif
