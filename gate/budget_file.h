/*
 * budget_file.h - where `relgate check`, `report` and `bisect` read their
 * budgets and targets from (docs/gate.md "--config PATH").
 * One option, two meanings:
 *
 *   (no --config)    relgate.yml at the root of the trusted commit (the
 *                    base, or GOOD for bisect);
 *   --config PATH    a file that exists on disk and is not a file HEAD
 *                    tracks (outside the repository, or new in the working
 *                    tree) is the user's own file: trusted, read once, and
 *                    every commit is built with its targets, whether or not
 *                    the commit ever held a relgate.yml;
 *                    otherwise PATH is a path inside the commits (a
 *                    relgate.yml below the root of a monorepo), read from
 *                    the trusted commit exactly as relgate.yml is.
 *
 * A path in the commits is given from the repository's root, or as a path
 * on disk to a tracked file (from a subdirectory: its own relgate.yml).
 */
#ifndef RG_BUDGET_FILE_H
#define RG_BUDGET_FILE_H

#include "../budgets/budgets.h"
#include "git.h"

typedef struct rg_budget_file {
	const char *arg;        /* --config as given; NULL when not given */
	int on_disk;            /* 1: path is the user's file on disk (absolute) */
	int tracked;            /* arg is a file on disk that HEAD tracks: read from commits */
	char path[4096];        /* on disk: its absolute path; else the path in the commits */
} rg_budget_file;

/* Decides what --config arg (NULL: not given) names. RG_EINPUT for a path
 * that cannot name either (a directory, an absolute path not on disk, a
 * ".." component). */
int rg_budget_file_resolve(git_repository *repo, const char *arg, rg_budget_file *bf,
                           rg_err *err);

/*
 * Reads the budget file as commit side holds it (bf not on disk):
 * RG_OK with a malloc'd buffer, 1 when the commit has no file at that
 * path, or an error.
 */
int rg_budget_file_read(git_repository *repo, const rg_budget_file *bf, const rg_side *side,
                        char **buf, size_t *len, rg_err *err);

/*
 * Loads the budgets: the file on disk, or the file of commit side, parsed
 * under its path. source (len bytes) says where they came from, for the
 * reports ("the file on disk (--config)", "base commit 1a2b3c4"); which
 * names the side ("base", "GOOD"). A missing file is RG_EINPUT naming what
 * was looked for: with --config, both the file on disk and the path in
 * the commit.
 */
int rg_budget_file_load(git_repository *repo, const rg_budget_file *bf, const rg_side *side,
                        const char *which, rg_config **cfg, char *source, size_t len,
                        rg_err *err);

/* Sets err to the message for a budget file absent from the commits
 * named by what ("base or head 1a2b3c4"). Returns RG_EINPUT. */
int rg_budget_file_missing(const rg_budget_file *bf, const char *what, rg_err *err);

#endif
