/*
 * build.h - running a target's build command for one side of `relgate
 * check` (docs/gate.md "Builds"), interrupt handling
 * and temporary directory removal.
 */
#ifndef RG_BUILD_H
#define RG_BUILD_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

#include "../parsers/model.h"

#define RG_BUILD_DEFAULT_TIMEOUT (30 * 60)

typedef struct rg_build {
	/* inputs */
	const char *side;      /* "base" or "head" (RELGATE_SIDE) */
	const char *commit;    /* full id (RELGATE_COMMIT) */
	const char *short_id;  /* for progress lines */
	const char *target;    /* RELGATE_TARGET */
	const char *command;   /* run as /bin/sh -c COMMAND */
	const char *srcdir;    /* the exported tree: the working directory */
	const char *outdir;    /* RELGATE_OUT, an existing empty directory */
	const char *log_path;  /* stdout and stderr go here */
	unsigned timeout_s;    /* 0: RG_BUILD_DEFAULT_TIMEOUT */
	int solo;              /* a commit built on its own (publish), not a side of a
	                        * comparison: messages say "the build of T", not
	                        * "the base build of T" (RELGATE_SIDE is still side) */
	/* results */
	double elapsed;        /* seconds */
	int exit_status;       /* shell's exit status, or 128+signal */
	int timed_out;
	int ok;
	/* private */
	pid_t pid;
	double start, kill_at;
	int started, done, killed;
} rg_build;

/* The signal number that interrupted the run (SIGINT/SIGTERM), else 0. */
extern volatile sig_atomic_t rg_interrupted;

/* SIGINT/SIGTERM/SIGHUP handlers: set rg_interrupted and terminate the
 * running builds' process groups. The caller cleans up, then calls
 * rg_signals_reraise() so the exit status shows the signal. */
void rg_signals_install(void);
void rg_signals_reraise(void);

/*
 * Runs the builds, at most `jobs` at a time, each in its own process group,
 * printing progress on stderr. Returns RG_OK when every build exited 0;
 * RG_EBUILD with a message naming the first failed side and target, its
 * log's last lines and the log's path; RG_EINPUT when interrupted.
 */
int rg_builds_run(rg_build *b, size_t n, int jobs, rg_err *err);

/* How messages name a side: "base " (its name and a space), or "" when solo,
 * written into buf. Returns buf ("" when len is 0). */
const char *rg_side_role(const char *side, int solo, char *buf, size_t len);

/* The last `lines` lines of a file, malloc'd ("" if unreadable). */
char *rg_file_tail(const char *path, int lines);

/* rm -rf path (making read-only directories writable first). */
int rg_rmtree(const char *path);

/*
 * Expands $NAME and ${NAME} in a target's artifact path the way its build
 * saw them: RELGATE_OUT, RELGATE_SIDE, RELGATE_COMMIT and RELGATE_TARGET of
 * this build, then the environment; unknown names expand to nothing, as in
 * the shell. The result is cut to fit len.
 */
void rg_expand_artifact(const char *in, const char *outdir, const char *side,
                        const char *commit, const char *target, char *out, size_t len);

#endif
