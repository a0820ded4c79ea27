/*
 * commits.h - measuring one commit of a range through the metrics cache;
 * shared by `relgate report` and `relgate bisect` (defined in cmd_report.c).
 */
#ifndef RG_COMMITS_H
#define RG_COMMITS_H

#include <cjson/cJSON.h>
#include "git2_load.h"

#include "../budgets/budgets.h"
#include "cache.h"
#include "git.h"

/* Measures target t at commit s: from the cache, else exported and built
 * under root; *built says which. *binary is the measured JSON. */
int rg_commit_measure(git_repository *repo, const rg_target *t, const rg_side *s,
                      const rg_cache *cache, const char *root, int *built, cJSON **binary,
                      rg_err *err);
/* The commits of base..head (oldest first), as sides with id and subject. */
int rg_commit_range(git_repository *repo, const git_oid *base, const git_oid *head,
                    int first_parent, rg_side **out, size_t *n, rg_err *err);
/* Fills s with the id and subject of commit id, under the side name. */
int rg_side_fill(git_repository *repo, const git_oid *id, const char *name, rg_side *s,
                 rg_err *err);

#endif
