/*
 * build.c - runs a target's build command (docs/gate.md "Builds"): /bin/sh
 * -c BUILD in the exported tree with RELGATE_SIDE, RELGATE_COMMIT and
 * RELGATE_OUT set, under a timeout, its output captured to a log, progress
 * and elapsed time on stderr.
 *
 * Each build is the leader of its own process group (setpgid, POSIX), so a
 * timeout or an interrupt can stop the shell and everything it started
 * with one kill(-pgid): SIGTERM, then SIGKILL after a grace period. After a
 * build ends its group is killed as well, so a stray background process
 * cannot outlive the run (and keep the temporary tree busy). On Linux the
 * group leader is a keeper process (see keeper() below) that also catches
 * what leaves the group (setsid) and dies with relgate.
 *
 * The wait for builds never polls: a SIGCHLD handler writes a byte to a
 * self-pipe and the loop sleeps in poll() on it, with the nearest timeout
 * or kill grace as poll's deadline. A self-pipe rather than a pidfd: it
 * works the same on macOS, the BSDs and Linux, and one pipe serves any
 * number of builds.
 */
#include "build.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define GRACE_S 2.0
#define MAX_RUNNING 16

volatile sig_atomic_t rg_interrupted;
static volatile pid_t running[MAX_RUNNING];
static volatile int wake_fd = -1; /* the self-pipe's write end while builds run */
static volatile pid_t wake_pid;   /* the process whose loop it wakes */

/* From a signal handler: wakes the wait loop (async-signal-safe). A
 * forked child (the keeper) inherits the handler: it must not wake us. */
static void wake(void)
{
	int saved = errno;

	if (wake_fd >= 0 && getpid() == wake_pid) {
		ssize_t w = write(wake_fd, "", 1); /* full pipe: a wake-up is pending anyway */
		(void)w;
	}
	errno = saved;
}

static void on_signal(int sig)
{
	int i;

	rg_interrupted = sig;
	wake();
	for (i = 0; i < MAX_RUNNING; i++)
		if (running[i] > 0)
			kill(-running[i], SIGTERM);
}

void rg_signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

void rg_signals_reraise(void)
{
	int sig = rg_interrupted;

	if (!sig)
		return;
	signal(sig, SIG_DFL);
	raise(sig);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void track(pid_t pid, int add)
{
	int i;

	for (i = 0; i < MAX_RUNNING; i++) {
		if (add && running[i] == 0) {
			running[i] = pid;
			return;
		}
		if (!add && running[i] == pid) {
			running[i] = 0;
			return;
		}
	}
}

/*
 * The variables that point git at a repository (`git rev-parse
 * --local-env-vars`, plus the configuration and quarantine ones): git sets
 * GIT_DIR for hooks, and a build's `git describe` must not find the user's
 * repository, index or objects through them.
 */
static const char *const git_repo_vars[] = {
	"GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS",
	"GIT_CONFIG_COUNT", "GIT_OBJECT_DIRECTORY", "GIT_DIR", "GIT_WORK_TREE",
	"GIT_IMPLICIT_WORK_TREE", "GIT_GRAFT_FILE", "GIT_INDEX_FILE", "GIT_NO_REPLACE_OBJECTS",
	"GIT_REPLACE_REF_BASE", "GIT_PREFIX", "GIT_INTERNAL_SUPER_PREFIX", "GIT_SHALLOW_FILE",
	"GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_QUARANTINE_PATH", "GIT_DISCOVERY_ACROSS_FILESYSTEM",
	NULL
};

extern char **environ;

static int git_repo_var(const char *entry)
{
	size_t i, n = strcspn(entry, "=");

	if (!strncmp(entry, "GIT_CONFIG_KEY_", 15) || !strncmp(entry, "GIT_CONFIG_VALUE_", 17))
		return 1;
	for (i = 0; git_repo_vars[i]; i++)
		if (strlen(git_repo_vars[i]) == n && !strncmp(entry, git_repo_vars[i], n))
			return 1;
	return 0;
}

/* In the child: drops git_repo_vars and stops git's repository discovery
 * at the exported tree (its parent is relgate's temporary directory). */
static void scrub_git_env(const char *srcdir)
{
	char name[256], parent[4096], *slash;
	size_t i = 0;

	while (environ[i]) {
		size_t n = strcspn(environ[i], "=");

		if (n < sizeof(name) && git_repo_var(environ[i])) {
			memcpy(name, environ[i], n);
			name[n] = '\0';
			unsetenv(name);
			i = 0; /* unsetenv reshuffles environ */
			continue;
		}
		i++;
	}
	snprintf(parent, sizeof(parent), "%s", srcdir);
	if ((slash = strrchr(parent, '/')) && slash != parent) {
		*slash = '\0';
		setenv("GIT_CEILING_DIRECTORIES", parent, 1);
	}
}

/* In the child: never returns. */
#ifdef __linux__
/*
 * The keeper (Linux): the group leader stays a small relgate process that
 * runs the shell as its child and is a child subreaper
 * (PR_SET_CHILD_SUBREAPER), so whatever the build leaves running - in its
 * group, or detached with setsid(1) - is re-parented to it, never to init.
 * When the shell ends, the keeper kills every process left below it, so
 * no daemon outlives the build. PR_SET_PDEATHSIG sends it SIGUSR1 when
 * relgate dies (even by SIGKILL): it kills the whole tree the same way.
 * Elsewhere (macOS) the shell leads the group itself and a build's
 * setsid(1) daemon, or its whole group after a SIGKILL of relgate, can
 * outlive the run (docs/security.md).
 */
static volatile sig_atomic_t keeper_orphaned;

static void keeper_on_usr1(int sig)
{
	(void)sig;
	keeper_orphaned = 1;
}

/* SIGKILLs the children of this process (from /proc/PID/stat's ppid
 * field). */
static void kill_children(void)
{
	pid_t self = getpid();
	struct dirent *de;
	DIR *d = opendir("/proc");

	if (!d)
		return;
	while ((de = readdir(d))) {
		char path[64], buf[512], *rp;
		long ppid = 0, pid;
		FILE *f;
		size_t n;

		if ((pid = strtol(de->d_name, &rp, 10)) <= 0 || *rp || pid == self)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
		if (!(f = fopen(path, "r")))
			continue;
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = '\0';
		/* "PID (COMM) STATE PPID ...": COMM may hold anything, even ')' */
		if ((rp = strrchr(buf, ')')) && sscanf(rp + 1, " %*c %ld", &ppid) == 1 &&
		    ppid == (long)self)
			kill((pid_t)pid, SIGKILL);
	}
	closedir(d);
}

/* Kills and reaps every descendant: each round kills the children; their
 * own children are then re-parented here for the next round. */
static void sweep(void)
{
	int rounds;

	/* Bounded: a process stuck in the kernel (an NFS wait) may take long
	 * to die; after ~10 s the keeper leaves it. */
	for (rounds = 0; rounds < 1000; rounds++) {
		int reaped = 0;
		pid_t r;

		kill_children();
		while ((r = waitpid(-1, NULL, WNOHANG)) > 0)
			reaped = 1;
		if (r < 0 && errno == ECHILD)
			return;
		if (!reaped)
			usleep(10000);
	}
}

static void keeper(pid_t relgate, pid_t shell)
{
	struct sigaction sa;
	int status = 0, have = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = keeper_on_usr1;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	if (getppid() != relgate)
		keeper_orphaned = 1; /* relgate died before PDEATHSIG was set */
	while (!keeper_orphaned) {
		pid_t r = waitpid(-1, &status, 0);

		if (r == shell) {
			have = 1;
			break;
		}
		if (r < 0 && errno == ECHILD)
			break;
	}
	if (keeper_orphaned) {
		kill(shell, SIGKILL);
		sweep();
		_exit(128 + SIGKILL);
	}
	sweep();
	if (have && WIFSIGNALED(status)) {
		signal(WTERMSIG(status), SIG_DFL);
		raise(WTERMSIG(status));
		_exit(128 + WTERMSIG(status));
	}
	_exit(have && WIFEXITED(status) ? WEXITSTATUS(status) : 127);
}
#endif

/* In the child: never returns. */
static void child(const rg_build *b)
{
	int fd;

	setpgid(0, 0);
#ifdef __linux__
	{
		pid_t relgate = getppid(), shell;

		/* SIGTERM and SIGINT to the group are for the shell; the keeper
		 * waits for it and then sweeps. */
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		if (prctl(PR_SET_CHILD_SUBREAPER, 1) == 0 && prctl(PR_SET_PDEATHSIG, SIGUSR1) == 0 &&
		    (shell = fork()) > 0)
			keeper(relgate, shell);
		/* the shell (or, without a keeper, the leader itself) */
	}
#endif
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, 0);
#endif
	if ((fd = open("/dev/null", O_RDONLY)) >= 0) {
		dup2(fd, 0);
		close(fd);
	}
	fd = open(b->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0666);
	if (fd < 0 || chdir(b->srcdir) < 0)
		_exit(126);
	dup2(fd, 1);
	dup2(fd, 2);
	close(fd);
	setenv("RELGATE_SIDE", b->side, 1);
	setenv("RELGATE_COMMIT", b->commit, 1);
	setenv("RELGATE_TARGET", b->target, 1);
	setenv("RELGATE_OUT", b->outdir, 1);
	setenv("PWD", b->srcdir, 1);
	scrub_git_env(b->srcdir);
	execl("/bin/sh", "sh", "-c", b->command, (char *)NULL);
	_exit(127);
}

const char *rg_side_role(const char *side, int solo, char *buf, size_t len)
{
	if (len)
		snprintf(buf, len, "%s%s", solo ? "" : side, solo ? "" : " ");
	return len ? buf : "";
}

static int start(rg_build *b, int inline_progress, rg_err *err)
{
	char role[32];
	pid_t pid;

	fprintf(stderr, "[%s%s] building %s \xe2\x80\xa6%s",
	        rg_side_role(b->side, b->solo, role, sizeof(role)), b->short_id, b->target,
	        inline_progress ? "" : "\n");
	fflush(stderr);
	b->start = now_s();
	pid = fork();
	if (pid < 0)
		return rg_err_set(err, RG_EBUILD, "cannot start the %sbuild of %s: %s", role,
		                  b->target, strerror(errno));
	if (pid == 0)
		child(b);
	setpgid(pid, pid); /* also here: no window where the group is unset */
	b->pid = pid;
	b->started = 1;
	track(pid, 1);
	return RG_OK;
}

static void finish(rg_build *b, int status, int inline_progress)
{
	const char *how;
	char role[32];

	b->elapsed = now_s() - b->start;
	b->done = 1;
	kill(-b->pid, SIGKILL); /* leftovers of the group, if any */
	track(b->pid, 0);
	if (WIFEXITED(status))
		b->exit_status = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		b->exit_status = 128 + WTERMSIG(status);
	b->ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && !b->timed_out;
	how = b->ok ? "" : rg_interrupted ? " (interrupted)" : b->timed_out ? " (timed out)"
	                                                                  : " (failed)";
	if (inline_progress)
		fprintf(stderr, " %.1f s%s\n", b->elapsed, how);
	else
		fprintf(stderr, "[%s%s] building %s \xe2\x80\xa6 %.1f s%s\n",
		        rg_side_role(b->side, b->solo, role, sizeof(role)), b->short_id, b->target,
		        b->elapsed, how);
}

/* Timeouts and interrupts: SIGTERM the group, SIGKILL after GRACE_S. */
static void police(rg_build *b, double t)
{
	unsigned limit = b->timeout_s ? b->timeout_s : RG_BUILD_DEFAULT_TIMEOUT;

	if (!b->timed_out && !rg_interrupted && t - b->start > (double)limit) {
		b->timed_out = 1;
	}
	if ((b->timed_out || rg_interrupted) && b->killed == 0) {
		kill(-b->pid, SIGTERM);
		b->killed = 1;
		b->kill_at = t;
	} else if (b->killed == 1 && t - b->kill_at > GRACE_S) {
		kill(-b->pid, SIGKILL);
		b->killed = 2;
	}
}

static int failure(const rg_build *b, rg_err *err)
{
	char *tail = rg_file_tail(b->log_path, 15), role[32];
	int rc;

	rg_side_role(b->side, b->solo, role, sizeof(role));
	if (b->timed_out)
		rc = rg_err_set(err, RG_EBUILD,
		                "the %sbuild of %s (%s) timed out after %u s and was killed\n"
		                "%s--- log: %s", role, b->target, b->short_id,
		                b->timeout_s ? b->timeout_s : RG_BUILD_DEFAULT_TIMEOUT, tail,
		                b->log_path);
	else
		rc = rg_err_set(err, RG_EBUILD,
		                "the %sbuild of %s (%s) failed with exit status %d\n"
		                "%s--- log: %s", role, b->target, b->short_id, b->exit_status, tail,
		                b->log_path);
	free(tail);
	return rc;
}

static void on_child(int sig)
{
	wake();
}

/* The self-pipe and the SIGCHLD handler that feeds it, for one run. */
typedef struct waker {
	int fd[2];
	struct sigaction old;
	int installed;
} waker;

static void waker_open(waker *w)
{
	struct sigaction sa;
	int i;

	w->installed = 0;
	if (pipe(w->fd) < 0) {
		w->fd[0] = w->fd[1] = -1;
		return; /* waker_wait falls back to short sleeps */
	}
	for (i = 0; i < 2; i++) {
		fcntl(w->fd[i], F_SETFD, FD_CLOEXEC);
		fcntl(w->fd[i], F_SETFL, fcntl(w->fd[i], F_GETFL) | O_NONBLOCK);
	}
	wake_pid = getpid();
	wake_fd = w->fd[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_child;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigemptyset(&sa.sa_mask);
	w->installed = sigaction(SIGCHLD, &sa, &w->old) == 0;
}

static void waker_close(waker *w)
{
	if (w->installed)
		sigaction(SIGCHLD, &w->old, NULL);
	wake_fd = -1;
	if (w->fd[0] >= 0) {
		close(w->fd[0]);
		close(w->fd[1]);
	}
}

/* Sleeps until a child changes state, a signal arrives or `deadline`
 * (monotonic seconds; < 0: none) passes. */
static void waker_wait(waker *w, double deadline)
{
	struct pollfd pfd;
	char drain[64];
	int ms = -1;

	if (deadline >= 0) {
		double left = (deadline - now_s()) * 1000.0 + 1.0; /* round up: no busy loop */
		ms = left <= 0 ? 0 : left >= (double)INT_MAX ? INT_MAX : (int)left;
	}
	if (w->fd[0] < 0 || !w->installed) { /* no pipe: poll the children */
		poll(NULL, 0, ms < 0 || ms > 20 ? 20 : ms);
		return;
	}
	pfd.fd = w->fd[0];
	pfd.events = POLLIN;
	if (poll(&pfd, 1, ms) > 0)
		while (read(w->fd[0], drain, sizeof(drain)) > 0)
			;
}

/* When police() next has something to do for a running build, or -1. */
static double next_deadline(const rg_build *b, size_t n)
{
	double d = -1, t;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!b[i].started || b[i].done || b[i].killed == 2)
			continue;
		if (b[i].killed == 1)
			t = b[i].kill_at + GRACE_S;
		else
			t = b[i].start + (double)(b[i].timeout_s ? b[i].timeout_s : RG_BUILD_DEFAULT_TIMEOUT);
		if (d < 0 || t < d)
			d = t;
	}
	return d;
}

int rg_builds_run(rg_build *b, size_t n, int jobs, rg_err *err)
{
	size_t i, next = 0, active = 0;
	int inline_progress = jobs <= 1 && isatty(2), rc = RG_OK;
	waker w;

	if (jobs < 1)
		jobs = 1;
	if (jobs > MAX_RUNNING)
		jobs = MAX_RUNNING;
	waker_open(&w); /* before the first fork: no SIGCHLD is missed */
	for (;;) {
		while (!rg_interrupted && rc == RG_OK && next < n && active < (size_t)jobs) {
			if ((rc = start(&b[next++], inline_progress, err)) == RG_OK)
				active++;
		}
		if (active == 0)
			break;
		for (i = 0; i < n; i++) {
			int status;
			pid_t r;

			if (!b[i].started || b[i].done)
				continue;
			r = waitpid(b[i].pid, &status, WNOHANG);
			if (r == b[i].pid) {
				finish(&b[i], status, inline_progress);
				active--;
				if (!b[i].ok && rc == RG_OK && !rg_interrupted)
					rc = failure(&b[i], err);
			} else {
				police(&b[i], now_s());
			}
		}
		/* A failure stops the others: their result no longer matters. */
		if (rc != RG_OK)
			for (i = 0; i < n; i++)
				if (b[i].started && !b[i].done && !b[i].killed) {
					kill(-b[i].pid, SIGTERM);
					b[i].killed = 1;
					b[i].kill_at = now_s();
				}
		/* Sleep only while something runs and nothing can start. */
		if (active > 0 && (rg_interrupted || rc != RG_OK || next == n || active >= (size_t)jobs))
			waker_wait(&w, next_deadline(b, n));
	}
	waker_close(&w);
	if (rg_interrupted)
		return rg_err_set(err, RG_EINPUT, "interrupted");
	return rc;
}

char *rg_file_tail(const char *path, int lines)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(4097), *p;
	long size, from;
	size_t n = 0;
	int seen = 0;

	if (!buf) {
		if (f)
			fclose(f);
		return NULL;
	}
	buf[0] = '\0';
	if (!f)
		return buf;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	from = size > 4096 ? size - 4096 : 0;
	fseek(f, from, SEEK_SET);
	n = fread(buf, 1, 4096, f);
	fclose(f);
	buf[n] = '\0';
	if (n && buf[n - 1] != '\n' && n < 4096) {
		buf[n++] = '\n';
		buf[n] = '\0';
	}
	for (p = buf + n; p > buf; p--) {
		if (p[-1] == '\n' && p != buf + n && ++seen == lines)
			break;
	}
	memmove(buf, p, strlen(p) + 1);
	return buf;
}

/*
 * rm -rf without recursion, path length limits or following symlinks: a
 * build may leave a directory nested deeper than PATH_MAX or the stack
 * allows. One directory is open at a time (openat/unlinkat, POSIX.1-2008);
 * the way back up is "..", checked against the device and inode recorded
 * on the way down, so a directory moved meanwhile stops the removal rather
 * than redirecting it. Directories are made writable first (Go's module
 * cache, for one, makes them read-only). An entry that cannot be removed
 * is skipped (the result is then -1), never retried forever.
 */
typedef struct rm_level {
	dev_t dev;
	ino_t ino;
	char *child;     /* the entry descended into */
	ino_t *skip;     /* children that could not be removed */
	size_t nskip;
} rm_level;

static void skip_add(rm_level *l, int dirfd, const char *name)
{
	struct stat st;
	ino_t *ns;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return; /* gone: nothing to skip */
	if (!(ns = realloc(l->skip, (l->nskip + 1) * sizeof(*ns))))
		return;
	l->skip = ns;
	l->skip[l->nskip++] = st.st_ino;
}

static int skipped(const rm_level *l, ino_t ino)
{
	size_t i;

	for (i = 0; i < l->nskip; i++)
		if (l->skip[i] == ino)
			return 1;
	return 0;
}

static int open_dir_at(int dirfd, const char *name)
{
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);

	if (fd < 0 && errno == EACCES && fchmodat(dirfd, name, S_IRWXU, 0) == 0)
		fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	return fd;
}

/* Removes what it can of the directory open as fd (level l); *down gets
 * the name of a non-empty subdirectory to descend into, or NULL. */
static int empty_dir(int fd, const rm_level *l, char **down)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int dfd, rc = 0;

	*down = NULL;
	if (fstat(fd, &st) == 0)
		fchmod(fd, (st.st_mode & 07777) | S_IRWXU);
	if ((dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY)) < 0)
		return -1;
	if (!(d = fdopendir(dfd))) {
		close(dfd);
		return -1;
	}
	while ((de = readdir(d))) {
		const char *n = de->d_name;

		if (!strcmp(n, ".") || !strcmp(n, "..") ||
		    fstatat(fd, n, &st, AT_SYMLINK_NOFOLLOW) < 0 || skipped(l, st.st_ino))
			continue;
		if (!S_ISDIR(st.st_mode)) {
			if (unlinkat(fd, n, 0) < 0)
				rc = -1;
			continue;
		}
		if (unlinkat(fd, n, AT_REMOVEDIR) == 0)
			continue;
		if (!(*down = strdup(n)))
			rc = -1;
		break;
	}
	closedir(d);
	return rc;
}

static int level_init(rm_level *l, int fd)
{
	struct stat st;

	memset(l, 0, sizeof(*l));
	if (fstat(fd, &st) < 0)
		return -1;
	l->dev = st.st_dev;
	l->ino = st.st_ino;
	return 0;
}

int rg_rmtree(const char *path)
{
	rm_level *stack = NULL;
	size_t depth = 0, cap = 64, i;
	struct stat st;
	int fd, rc = 0;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	if ((fd = open_dir_at(AT_FDCWD, path)) < 0 || !(stack = malloc(cap * sizeof(*stack))) ||
	    level_init(&stack[0], fd) < 0) {
		if (fd >= 0)
			close(fd);
		free(stack);
		return -1;
	}
	for (;;) {
		rm_level *l = &stack[depth], *p;
		char *down;
		int next;

		if (empty_dir(fd, l, &down) < 0)
			rc = -1;
		if (down) {
			if (depth + 1 == cap) {
				rm_level *ns = realloc(stack, cap * 2 * sizeof(*ns));
				if (!ns) {
					free(down);
					rc = -1;
					break;
				}
				stack = ns;
				cap *= 2;
				l = &stack[depth];
			}
			if ((next = open_dir_at(fd, down)) >= 0 && level_init(&stack[depth + 1], next) == 0) {
				l->child = down;
				close(fd);
				fd = next;
				depth++;
				continue;
			}
			if (next >= 0)
				close(next);
			skip_add(l, fd, down); /* cannot go in: leave it */
			free(down);
			rc = -1;
			continue;
		}
		if (depth == 0)
			break;
		/* This level is as empty as it gets: back up, remove it. */
		p = &stack[depth - 1];
		next = openat(fd, "..", O_RDONLY | O_DIRECTORY);
		free(l->skip);
		close(fd);
		fd = next;
		depth--;
		if (fd < 0 || fstat(fd, &st) < 0 || st.st_dev != p->dev || st.st_ino != p->ino) {
			rc = -1; /* moved under us: stop here */
			break;
		}
		if (unlinkat(fd, p->child, AT_REMOVEDIR) < 0) {
			skip_add(p, fd, p->child);
			rc = -1;
		}
		free(p->child);
		p->child = NULL;
	}
	for (i = 0; i <= depth; i++) {
		free(stack[i].skip);
		free(stack[i].child);
	}
	free(stack);
	if (fd >= 0)
		close(fd);
	if (rc == 0 && rmdir(path) < 0)
		rc = -1;
	return rc == 0 || lstat(path, &st) < 0 ? 0 : -1;
}

void rg_expand_artifact(const char *in, const char *outdir, const char *side,
                        const char *commit, const char *target, char *out, size_t len)
{
	size_t o = 0;

	while (*in && o + 1 < len) {
		char name[128];
		const char *val;
		size_t n = 0;
		int brace;

		if (*in != '$') {
			out[o++] = *in++;
			continue;
		}
		brace = in[1] == '{';
		in += 1 + brace;
		while (n + 1 < sizeof(name) && (*in == '_' || (*in >= 'A' && *in <= 'Z') ||
		       (*in >= 'a' && *in <= 'z') || (*in >= '0' && *in <= '9')))
			name[n++] = *in++;
		name[n] = '\0';
		if (brace && *in == '}')
			in++;
		if (!strcmp(name, "RELGATE_OUT"))
			val = outdir;
		else if (!strcmp(name, "RELGATE_SIDE"))
			val = side;
		else if (!strcmp(name, "RELGATE_COMMIT"))
			val = commit;
		else if (!strcmp(name, "RELGATE_TARGET"))
			val = target;
		else
			val = n ? getenv(name) : "$";
		while (val && *val && o + 1 < len)
			out[o++] = *val++;
	}
	out[o] = '\0';
}
