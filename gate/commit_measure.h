/*
 * commit_measure.h - the metrics of a target at a commit, the one sequence
 * `relgate check`, `report`, `bisect` and `publish` share (docs/gate.md
 * "Export", "Builds", "Cache"): look up the metrics cache, then the
 * published notes (gate/notes.h), export the commit's tree
 * with libgit2 into a fresh temporary directory, run the target's build
 * (timeout, log, signals), measure the artifact, store it in the cache and
 * remove the temporary directory.
 *
 * A call takes a batch of (target, commit) jobs so that check can run its
 * base and head builds side by side (--jobs) and export each commit once
 * for all targets; report and bisect pass one job at a time.
 */
#ifndef RG_COMMIT_MEASURE_H
#define RG_COMMIT_MEASURE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "../budgets/budgets.h"
#include "cache.h"
#include "git.h"
#include "notes.h"

typedef struct rg_commit_job {
	/* inputs */
	const rg_target *target;
	const rg_side *side;   /* its name is RELGATE_SIDE and names the directories */
	/* results */
	cJSON *binary;         /* the measured binary (rg_binary_to_json shape);
	                        * NULL when not measured (cache_only miss) */
	char key[RG_CACHE_KEY_HEX]; /* the cache key */
	int cached;            /* the metrics came from the cache or a note */
	int noted;             /* ... from a note (notes layer) */
	const char *toolchain; /* the toolchain summary (gate/toolchain.h) */
	int built;             /* this call ran its build (even one that failed) */
	int same_as;           /* index of an earlier job of the batch with the same
	                        * target and key whose measurement it shares, or -1 */
	/* private to commit_measure.c */
	int build_index, export_index;
	char outdir[1300], log[1300];
} rg_commit_job;

#define RG_COMMIT_JOB_INIT { NULL, NULL, NULL, "", 0, 0, NULL, 0, -1, -1, -1, "", "" }

typedef struct rg_commit_measure_opts {
	const rg_cache *cache; /* NULL: no cache */
	const rg_notes *notes; /* NULL: no notes layer */
	int jobs;              /* builds run at once (check --jobs) */
	int keep;              /* keep the exported trees, outputs and logs, and say where */
	int cache_only;        /* only look in the cache: a miss leaves binary NULL */
	int solo;              /* each commit stands on its own (publish): progress
	                        * and messages name it, not its side ("the build
	                        * of T (ID)", not "the base build of T (ID)") */
} rg_commit_measure_opts;

#define RG_COMMIT_MEASURE_OPTS_INIT { NULL, NULL, 1, 0, 0, 0 }

/*
 * Measures every job of the batch (inputs set, results as from
 * RG_COMMIT_JOB_INIT). Progress goes to stderr: "[SIDE ID] TARGET:
 * cached", "[SIDE ID] TARGET: from REF", "[SIDE ID] exporting SPEC", then
 * the builds' lines. Errors, in
 * the words of docs/gate.md: RG_EBUILD for an export, a submodule whose
 * objects are absent, a build (its log moved out of the temporary
 * directory so the path in the message stays valid) or a missing
 * artifact; RG_EINPUT for an artifact relgate cannot read as a binary, or
 * an interrupt (rg_interrupted). On error no job holds a binary. The
 * temporary directory ($TMPDIR/relgate-XXXXXX, made only when something is
 * built) is removed before returning, unless opts->keep.
 */
int rg_commit_measure(git_repository *repo, rg_commit_job *jobs, size_t n,
                      const rg_commit_measure_opts *opts, rg_err *err);

/* Creates $TMPDIR/PREFIX-XXXXXX (TMPDIR unset: /tmp; a relative TMPDIR is
 * refused, RG_EINPUT) into out, len at least 1100. RG_OK, or an error with
 * out "". */
int rg_make_tmpdir(const char *prefix, char *out, size_t len, rg_err *err);

/* Deletes the jobs' binaries. */
void rg_commit_jobs_free(rg_commit_job *jobs, size_t n);

#endif
