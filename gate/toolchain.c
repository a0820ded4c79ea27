/*
 * toolchain.c - the toolchain fingerprint of a target (toolchain.h).
 *
 * What is hashed (SHA-1 via git_odb_hash, length-prefixed like the cache
 * key): for `toolchain: [CMD...]`, each command and its output (stdout and
 * stderr); otherwise, for each compiler the build command names, its name
 * and its version output (`--version`, `go version`, `xcodebuild
 * -version`) under LC_ALL=C, not its path (the same compiler installed
 * elsewhere, as in a CI runner's tool cache, keys the same). A build that
 * names no compiler (`make`, a script) gets the fingerprint of "no compiler":
 * such a target should list its `toolchain:`.
 *
 * The disk memory of version outputs: DIR/toolchain/v1/HASH.txt, HASH the
 * SHA-1 of the binary's path, holding "PATH\nSIZE MTIME INODE SELECTORS\n"
 * and the output. A compiler that changed (upgrade, `update-alternatives`)
 * has another size, mtime or inode, and a shim that now dispatches
 * elsewhere (xcode-select, DEVELOPER_DIR, GOTOOLCHAIN, RUSTUP_TOOLCHAIN)
 * other selectors: either is run again. A selector this does not see
 * (rustup's rust-toolchain.toml in the tree) wants `toolchain:`.
 */
#include "toolchain.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"

#define MAX_OUTPUT (64u << 10)

/* "NAME=LEN:VALUE\n", as the cache key writes its fields. */
static void key_field(rg_buf *b, const char *name, const char *value, size_t len)
{
	char head[96];

	snprintf(head, sizeof(head), "%s=%zu:", name, len);
	rg_buf_str(b, head);
	rg_buf_add(b, value, len);
	rg_buf_str(b, "\n");
}

/* Runs argv (argv[0] a path) or, with shell set, /bin/sh -c argv[0]; its
 * stdout and stderr, at most MAX_OUTPUT bytes, go to out. Returns the exit
 * status (as waitpid's), -1 when it could not run. */
static int run_capture(char *const argv[], int shell, int c_locale, rg_buf *out)
{
	int fds[2], status = 0;
	pid_t pid;
	char chunk[4096];
	ssize_t r;

	if (pipe(fds) < 0)
		return -1;
	fflush(NULL);
	if ((pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		if (null >= 0)
			dup2(null, 0);
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		if (c_locale)
			setenv("LC_ALL", "C", 1);
		if (shell)
			execl("/bin/sh", "sh", "-c", argv[0], (char *)NULL);
		else
			execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	while ((r = read(fds[0], chunk, sizeof(chunk))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (out->n + (size_t)r <= MAX_OUTPUT)
			rg_buf_add(out, chunk, (size_t)r);
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

/* ---- which compilers the build command names ------------------------------ */

static const char *const compilers[] = { "cc", "c++", "gcc", "g++", "clang", "clang++", "go",
                                         "rustc", "cargo", "swift", "swiftc", "xcodebuild",
                                         NULL };

/* The compiler a word names: "gcc", "gcc-12", "clang-19",
 * "aarch64-linux-gnu-gcc" (a cross compiler) all count. */
static const char *compiler_of(const char *w, size_t n)
{
	const char *const *c;

	for (c = compilers; *c; c++) {
		size_t k = strlen(*c), i;

		if (n < k)
			continue;
		if (!strncmp(w, *c, k) && (n == k || w[k] == '-')) {
			for (i = k + 1; i < n && ((w[i] >= '0' && w[i] <= '9') || w[i] == '.'); i++)
				;
			if (n == k || (i == n && n > k + 1))
				return *c;
		}
		if (n > k + 1 && w[n - k - 1] == '-' && !strncmp(w + n - k, *c, k) &&
		    strcmp(*c, "go") && strcmp(*c, "cargo"))
			return *c;
	}
	return NULL;
}

#define WORD_SEPARATORS " \t\n;&|()<>`\"'={}:"

/* Calls fn for every word of the shell command that names a compiler: a
 * word is split at blanks, shell operators, quotes, '=' and ':', so
 * `CC=clang make`, `"gcc"` and `${CC:-cc}` count; a word with a '/' counts
 * when absolute; `$CC` / `${CC...}` count as the variable's value when it
 * is set (one level deep). */
static void each_compiler_at(const char *build, int depth,
                             void (*fn)(const char *word, size_t n, const char *name,
                                        void *arg),
                             void *arg)
{
	const char *p = build, *w;

	while (*p) {
		while (*p && strchr(WORD_SEPARATORS, *p))
			p++;
		for (w = p; *p && !strchr(WORD_SEPARATORS, *p); p++)
			;
		if (w > build && w[-1] == ':')
			while (w < p && *w == '-')
				w++; /* ${VAR:-default} */
		if (p > w && *w == '$') {
			char var[128];
			const char *v = w + 1, *val;
			size_t k = 0;

			while (v < p && (*v == '{' || *v == '$'))
				v++;
			while (v < p && k + 1 < sizeof(var) &&
			       ((*v >= 'A' && *v <= 'Z') || (*v >= 'a' && *v <= 'z') ||
			        (*v >= '0' && *v <= '9') || *v == '_'))
				var[k++] = *v++;
			var[k] = '\0';
			if (k && !depth && (val = getenv(var)) && *val)
				each_compiler_at(val, depth + 1, fn, arg);
			continue;
		}
		if (p > w) {
			const char *base = w, *q, *name;
			for (q = w; q < p; q++)
				if (*q == '/')
					base = q + 1;
			if (base != w && *w != '/')
				continue; /* relative path: a file of the tree, not a compiler */
			if ((name = compiler_of(base, (size_t)(p - base))))
				fn(w, (size_t)(p - w), name, arg);
		}
	}
}

static void each_compiler(const char *build, void (*fn)(const char *word, size_t n,
                                                       const char *name, void *arg),
                          void *arg)
{
	each_compiler_at(build, 0, fn, arg);
}

static void add_name(const char *word, size_t n, const char *name, void *arg)
{
	rg_buf *b = arg;
	char needle[300];

	(void)name;
	if (n >= sizeof(needle) - 2)
		return;
	snprintf(needle, sizeof(needle), " %.*s ", (int)n, word);
	if (!b->p || !strstr(b->p, needle))
		rg_buf_str(b, needle + 1); /* the buffer starts and ends with a blank */
}

void rg_toolchain_compilers(const char *build, char *out, size_t len)
{
	rg_buf b = RG_BUF_INIT;

	rg_buf_str(&b, " ");
	each_compiler(build, add_name, &b);
	if (b.p && b.n > 1)
		b.p[b.n - 1] = '\0';
	snprintf(out, len, "%s", b.p && b.n > 1 ? b.p + 1 : "");
	free(b.p);
}

/* ---- version outputs, remembered per binary --------------------------------- */

/* The executable PATH finds for name (or name itself when absolute). */
static int find_in_path(const char *name, char *out, size_t len)
{
	const char *path = getenv("PATH"), *p, *e;

	if (name[0] == '/') {
		snprintf(out, len, "%s", name);
		return access(out, X_OK) == 0 ? 0 : -1;
	}
	for (p = path ? path : "/usr/bin:/bin"; ; p = e + 1) {
		e = strchr(p, ':');
		if (!e)
			e = p + strlen(p);
		snprintf(out, len, "%.*s/%s", (int)(e - p), e > p ? p : ".", name);
		if (access(out, X_OK) == 0)
			return 0;
		if (!*e)
			return -1;
	}
}

static void memo_path(const rg_cache *cache, const char *bin, char *out, size_t len)
{
	git_oid id;

	git_odb_hash(&id, bin, strlen(bin), GIT_OBJECT_BLOB);
	snprintf(out, len, "%s/toolchain/v1/%s.txt", cache->dir, git_oid_tostr_s(&id));
}

/* The remembered output of bin when its stamp still matches, else NULL. */
static char *memo_get(const char *file, const char *head)
{
	FILE *f = fopen(file, "rb");
	rg_buf b = RG_BUF_INIT;
	char chunk[4096];
	size_t r;

	if (!f)
		return NULL;
	while ((r = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.n <= MAX_OUTPUT + 8192)
		rg_buf_add(&b, chunk, r);
	fclose(f);
	if (b.oom || !b.p || strncmp(b.p, head, strlen(head))) {
		free(b.p);
		return NULL;
	}
	memmove(b.p, b.p + strlen(head), b.n - strlen(head) + 1);
	return b.p;
}

static void memo_put(const char *file, const char *head, const char *out)
{
	char dir[4500], tmp[4600], *slash;
	FILE *f;
	int fd;

	snprintf(dir, sizeof(dir), "%s", file);
	for (slash = dir + 1; (slash = strchr(slash, '/')); slash++) {
		*slash = '\0';
		mkdir(dir, 0777);
		*slash = '/';
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", file);
	if ((fd = mkstemp(tmp)) < 0)
		return;
	if (!(f = fdopen(fd, "wb"))) {
		close(fd);
		unlink(tmp);
		return;
	}
	if (fputs(head, f) == EOF || fputs(out, f) == EOF || fclose(f) != 0 ||
	    rename(tmp, file) < 0)
		unlink(tmp);
}

/* What picks the real compiler behind a shim without changing the shim's
 * file: the selected Xcode (xcode-select's link, DEVELOPER_DIR), Go's
 * GOTOOLCHAIN, rustup's RUSTUP_TOOLCHAIN. Part of the memory's stamp, so
 * switching them runs the version command again. */
static const char *selector(char *out, size_t len)
{
	static const char *const vars[] = { "DEVELOPER_DIR", "GOTOOLCHAIN", "RUSTUP_TOOLCHAIN" };
	char link[1024];
	ssize_t n = readlink("/var/db/xcode_select_link", link, sizeof(link) - 1);
	size_t i, used;

	link[n > 0 ? n : 0] = '\0';
	used = (size_t)snprintf(out, len, "xcode=%s", link);
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]) && used < len; i++)
		used += (size_t)snprintf(out + used, len - used, " %s=%s", vars[i],
		                         getenv(vars[i]) ? getenv(vars[i]) : "");
	return out;
}

typedef struct default_fp {
	const rg_cache *cache;
	rg_buf *key, *summary;
	char seen[2048];
} default_fp;

static void first_line(rg_buf *summary, const char *text)
{
	size_t n = strcspn(text, "\n");
	rg_buf_add(summary, text, n > 120 ? 120 : n);
}

static void fingerprint_compiler(const char *word, size_t n, const char *name, void *arg)
{
	default_fp *d = arg;
	char w[1024], bin[4096], head[6500], memo[4400], mark[1100], sel[2048];
	char *out = NULL;
	struct stat st;

	if (n >= sizeof(w))
		return;
	snprintf(w, sizeof(w), "%.*s", (int)n, word);
	snprintf(mark, sizeof(mark), "\n%s\n", w);
	if (strstr(d->seen, mark) || strlen(d->seen) + strlen(mark) >= sizeof(d->seen))
		return;
	strcat(d->seen, mark + 1);
	if (find_in_path(w, bin, sizeof(bin)) < 0 || stat(bin, &st) < 0) {
		key_field(d->key, "compiler", w, strlen(w));
		key_field(d->key, "missing", "", 0);
		return;
	}
	snprintf(head, sizeof(head), "%s\n%lld %lld %llu %s\n", bin, (long long)st.st_size,
	         (long long)st.st_mtime, (unsigned long long)st.st_ino, selector(sel, sizeof(sel)));
	if (d->cache->dir[0]) {
		memo_path(d->cache, bin, memo, sizeof(memo));
		out = memo_get(memo, head);
	}
	if (!out) {
		rg_buf o = RG_BUF_INIT;
		const char *arg1 = !strcmp(name, "go") ? "version" :
		                   !strcmp(name, "xcodebuild") ? "-version" : "--version";
		char *argv[3];

		argv[0] = bin;
		argv[1] = (char *)arg1;
		argv[2] = NULL;
		rg_buf_str(&o, "");
		if (run_capture(argv, 0, 1, &o) < 0)
			rg_buf_str(&o, "(did not run)");
		out = o.p;
		if (out && d->cache->dir[0])
			memo_put(memo, head, out);
	}
	if (!out)
		return;
	/* The name and what it says it is, not where it lives: the same
	 * compiler installed elsewhere (a CI runner's tool cache) keys the
	 * same, so its published notes apply. */
	key_field(d->key, "compiler", w, strlen(w));
	key_field(d->key, "version", out, strlen(out));
	if (d->summary->n)
		rg_buf_str(d->summary, "; ");
	rg_buf_str(d->summary, w);
	rg_buf_str(d->summary, ": ");
	first_line(d->summary, out);
	free(out);
}

/* ---- the fingerprint, once per target and process ----------------------------- */

typedef struct memo_entry {
	char *id;              /* name, build and toolchain commands */
	char hex[RG_CACHE_KEY_HEX];
	char *summary;
} memo_entry;

static memo_entry *memo;
static size_t nmemo;

static int explicit_fp(const rg_target *t, rg_buf *key, rg_buf *summary, rg_err *err)
{
	size_t i;

	for (i = 0; i < t->ntoolchain; i++) {
		rg_buf o = RG_BUF_INIT;
		char *argv[2];
		int st;

		argv[0] = t->toolchain[i];
		argv[1] = NULL;
		rg_buf_str(&o, "");
		st = run_capture(argv, 1, 0, &o);
		if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			int rc = rg_err_set(err, RG_EBUILD, "target %s: toolchain command '%s' failed "
			                    "(%s %d): %.200s", t->name, t->toolchain[i],
			                    st >= 0 && WIFEXITED(st) ? "exit" : "status",
			                    st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : st,
			                    o.p ? o.p : "");
			free(o.p);
			return rc;
		}
		key_field(key, "command", t->toolchain[i], strlen(t->toolchain[i]));
		key_field(key, "output", o.p ? o.p : "", o.n);
		if (summary->n)
			rg_buf_str(summary, "; ");
		first_line(summary, o.p ? o.p : "");
		free(o.p);
	}
	return RG_OK;
}

int rg_toolchain_fingerprint(const rg_target *t, const rg_cache *cache,
                             char hex[RG_CACHE_KEY_HEX], const char **summary, rg_err *err)
{
	rg_buf id = RG_BUF_INIT, key = RG_BUF_INIT, sum = RG_BUF_INIT;
	memo_entry *m;
	git_oid oid;
	size_t i;
	int rc = RG_OK;

	key_field(&id, "target", t->name, strlen(t->name));
	key_field(&id, "build", t->build, strlen(t->build));
	for (i = 0; i < t->ntoolchain; i++)
		key_field(&id, "toolchain", t->toolchain[i], strlen(t->toolchain[i]));
	key_field(&id, "explicit", t->has_toolchain ? "1" : "0", 1);
	if (id.oom) {
		free(id.p);
		return rg_err_set(err, RG_ENOMEM, "out of memory");
	}
	for (i = 0; i < nmemo; i++)
		if (!strcmp(memo[i].id, id.p)) {
			free(id.p);
			memcpy(hex, memo[i].hex, RG_CACHE_KEY_HEX);
			*summary = memo[i].summary;
			return RG_OK;
		}
	rg_buf_str(&key, "");
	rg_buf_str(&sum, "");
	if (t->has_toolchain) {
		rc = explicit_fp(t, &key, &sum, err);
	} else {
		default_fp d;
		d.cache = cache;
		d.key = &key;
		d.summary = &sum;
		snprintf(d.seen, sizeof(d.seen), "\n");
		each_compiler(t->build, fingerprint_compiler, &d);
		if (!key.n)
			key_field(&key, "compiler", "", 0);
	}
	if (rc == RG_OK && (key.oom || sum.oom || !(m = realloc(memo, (nmemo + 1) * sizeof(*m)))))
		rc = rg_err_set(err, RG_ENOMEM, "out of memory");
	if (rc < 0) {
		free(id.p);
		free(key.p);
		free(sum.p);
		return rc;
	}
	memo = m;
	m = &memo[nmemo++];
	m->id = id.p;
	m->summary = sum.p;
	if (t->has_toolchain && !t->ntoolchain)
		m->hex[0] = '\0';
	else if (git_odb_hash(&oid, key.p, key.n, GIT_OBJECT_BLOB) < 0)
		m->hex[0] = '\0';
	else
		git_oid_tostr(m->hex, RG_CACHE_KEY_HEX, &oid);
	free(key.p);
	memcpy(hex, m->hex, RG_CACHE_KEY_HEX);
	*summary = m->summary;
	return RG_OK;
}
