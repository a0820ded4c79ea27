/*
 * build.c - runs a target's build command (SPEC.md "The gate": "Builds run
 * /bin/sh -c BUILD in the exported tree with RELGATE_SIDE, RELGATE_COMMIT,
 * RELGATE_OUT set, a timeout, output captured to a log, progress and
 * elapsed time on stderr").
 *
 * Each build is the leader of its own process group (setpgid, POSIX), so a
 * timeout or an interrupt can stop the shell and everything it started
 * with one kill(-pgid): SIGTERM, then SIGKILL after a grace period. After a
 * build ends its group is killed as well, so a stray background process
 * cannot outlive the run (and keep the temporary tree busy).
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

#define GRACE_S 2.0
#define MAX_RUNNING 16

volatile sig_atomic_t rg_interrupted;
static volatile pid_t running[MAX_RUNNING];
static volatile int wake_fd = -1; /* the self-pipe's write end while builds run */

/* From a signal handler: wakes the wait loop (async-signal-safe). */
static void wake(void)
{
	int saved = errno;

	if (wake_fd >= 0) {
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

/* In the child: never returns. */
static void child(const rg_build *b)
{
	int fd;

	setpgid(0, 0);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
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
	execl("/bin/sh", "sh", "-c", b->command, (char *)NULL);
	_exit(127);
}

static int start(rg_build *b, int inline_progress, rg_err *err)
{
	pid_t pid;

	fprintf(stderr, "[%s %s] building %s \xe2\x80\xa6%s", b->side, b->short_id, b->target,
	        inline_progress ? "" : "\n");
	fflush(stderr);
	b->start = now_s();
	pid = fork();
	if (pid < 0)
		return rg_err_set(err, RG_EBUILD, "cannot start the %s build of %s: %s", b->side,
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
		fprintf(stderr, "[%s %s] building %s \xe2\x80\xa6 %.1f s%s\n", b->side, b->short_id,
		        b->target, b->elapsed, how);
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
	char *tail = rg_file_tail(b->log_path, 15);
	int rc;

	if (b->timed_out)
		rc = rg_err_set(err, RG_EBUILD,
		                "the %s build of %s (%s) timed out after %u s and was killed\n"
		                "%s--- log: %s", b->side, b->target, b->short_id,
		                b->timeout_s ? b->timeout_s : RG_BUILD_DEFAULT_TIMEOUT, tail,
		                b->log_path);
	else
		rc = rg_err_set(err, RG_EBUILD,
		                "the %s build of %s (%s) failed with exit status %d\n"
		                "%s--- log: %s", b->side, b->target, b->short_id, b->exit_status, tail,
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

/* Depth-first removal without following symlinks; directories are made
 * writable first (Go's module cache, for one, makes them read-only). */
static void remove_tree(const char *path, int depth)
{
	struct stat st;
	DIR *d;
	struct dirent *de;

	if (lstat(path, &st) < 0)
		return;
	if (!S_ISDIR(st.st_mode) || depth > 256) {
		unlink(path);
		return;
	}
	chmod(path, (st.st_mode & 07777) | S_IRWXU);
	if ((d = opendir(path))) {
		while ((de = readdir(d))) {
			char *child_path;
			size_t n;

			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			n = strlen(path) + strlen(de->d_name) + 2;
			if (!(child_path = malloc(n)))
				continue;
			snprintf(child_path, n, "%s/%s", path, de->d_name);
			remove_tree(child_path, depth + 1);
			free(child_path);
		}
		closedir(d);
	}
	rmdir(path);
}

int rg_rmtree(const char *path)
{
	struct stat st;

	remove_tree(path, 0);
	return lstat(path, &st) == 0 ? -1 : 0;
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
