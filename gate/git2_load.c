/*
 * git2_load.c - finds libgit2 at run time and fills the call table of
 * git2_load.h (dlopen/dlsym, POSIX.1-2008; in libc on glibc >= 2.34,
 * macOS and the BSDs, in libdl on older glibc).
 *
 * Which file: the library's versioned name is fixed by the headers we were
 * compiled against (LIBGIT2_SOVERSION: "libgit2.so.1.5" on ELF systems,
 * "libgit2.1.5.dylib" on macOS), since libgit2 changes its ABI with every
 * minor version. It is looked for in the directory pkg-config named at
 * build time, on macOS in Homebrew's and MacPorts' lib directories (not on
 * dlopen's default path there), then on the dynamic linker's own path.
 * $RELGATE_LIBGIT2 names the file outright. Whatever is loaded must report the headers' major.minor.
 *
 * The accepted range is that major.minor, any patch release: libgit2 keeps
 * its ABI within a minor version and changes it between them (option
 * structs grow, functions change), so a library outside the range is
 * refused with one line naming the version found and the range accepted.
 * When no library of the range is found, the unversioned name
 * (libgit2.so, libgit2.dylib) is opened only to say which version is
 * there. Built with `make STATIC_LIBGIT2=1` (RG_GIT2_STATIC), relgate
 * links libgit2 in and the table is filled at start, with no lookup.
 */
#define RG_GIT2_LOAD_IMPL
#include "git2_load.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

rg_git2_api rg_git2;
static int loaded;

#define RG_STR_(x) #x
#define RG_STR(x) RG_STR_(x)
#ifdef LIBGIT2_SOVERSION
#define RG_GIT2_SOVERSION LIBGIT2_SOVERSION
#else
#define RG_GIT2_SOVERSION RG_STR(LIBGIT2_VER_MAJOR) "." RG_STR(LIBGIT2_VER_MINOR)
#endif
#ifdef __APPLE__
#define RG_GIT2_NAME "libgit2." RG_GIT2_SOVERSION ".dylib"
#define RG_GIT2_ANY "libgit2.dylib"
#else
#define RG_GIT2_NAME "libgit2.so." RG_GIT2_SOVERSION
#define RG_GIT2_ANY "libgit2.so"
#endif

/* "libgit2 1.5.0 to 1.5.x (relgate was built against 1.5.1)" */
#define RG_GIT2_RANGE "libgit2 " RG_STR(LIBGIT2_VER_MAJOR) "." RG_STR(LIBGIT2_VER_MINOR) \
	".0 to " RG_STR(LIBGIT2_VER_MAJOR) "." RG_STR(LIBGIT2_VER_MINOR) ".x (relgate was " \
	"built against " LIBGIT2_VERSION ")"
#define RG_GIT2_FIX "install it, point RELGATE_LIBGIT2 at it, or rebuild relgate against " \
	"the libgit2 you have (make STATIC_LIBGIT2=1 links it in)"

const char *rg_git2_range(void)
{
	return RG_GIT2_RANGE;
}

#ifdef RG_GIT2_STATIC
/* Linked in: the table points at the library's own functions. */
int rg_git2_load(rg_err *err)
{
	(void)err;
	if (loaded)
		return RG_OK;
#define RG_GIT2_BIND(name) rg_git2.name = name;
	RG_GIT2_FUNCTIONS(RG_GIT2_BIND)
#undef RG_GIT2_BIND
	git_libgit2_init();
	loaded = 1;
	return RG_OK;
}
#else

/* Tries one candidate: appends it to tried, and on success keeps its name
 * in used. */
static void *try_open(const char *path, char *tried, size_t n, char *used, size_t un)
{
	void *h;
	size_t len = strlen(tried);

	snprintf(tried + len, n - len, "%s%s", len ? ", " : "", path);
	if ((h = dlopen(path, RTLD_NOW | RTLD_LOCAL)) != NULL)
		snprintf(used, un, "%s", path);
	return h;
}

/* Opens the first candidate named name that loads; tried lists them all,
 * for the error, and used names the one that loaded. */
static void *open_named(const char *name, char *tried, size_t n, char *used, size_t un)
{
	/* The build's libdir first. On macOS a Homebrew libdir is a Cellar
	 * path that a patch upgrade removes, and dlopen's default path lacks
	 * Homebrew's and MacPorts' prefixes, so their stable lib directories
	 * follow. */
	static const char *const dirs[] = {
#ifdef RG_LIBGIT2_LIBDIR
		RG_LIBGIT2_LIBDIR,
#endif
#ifdef __APPLE__
		"/opt/homebrew/lib", "/usr/local/lib", "/opt/local/lib",
#endif
		"",
	};
	void *h = NULL;
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char path[4096];

		if (!dirs[i][0])
			continue;
		snprintf(path, sizeof(path), "%s/%s", dirs[i], name);
		if ((h = try_open(path, tried, n, used, un)) != NULL)
			return h;
	}
	return try_open(name, tried, n, used, un);
}

static void *open_library(char *tried, size_t n, char *used, size_t un)
{
	const char *env = getenv("RELGATE_LIBGIT2");

	tried[0] = '\0';
	if (env && *env)
		return try_open(env, tried, n, used, un);
	return open_named(RG_GIT2_NAME, tried, n, used, un);
}

/* No library of the range: which libgit2 is there, if any ("" if none). */
static void other_version(char *out, size_t len)
{
	char tried[4200], used[4096];
	void *h, *sym;
	int major = 0, minor = 0, rev = 0;

	out[0] = '\0';
	tried[0] = '\0';
	if (getenv("RELGATE_LIBGIT2") && *getenv("RELGATE_LIBGIT2"))
		return;
	if (!(h = open_named(RG_GIT2_ANY, tried, sizeof(tried), used, sizeof(used))))
		return;
	if ((sym = dlsym(h, "git_libgit2_version")) != NULL) {
		int (*version)(int *, int *, int *);
		memcpy(&version, &sym, sizeof(version));
		if (version(&major, &minor, &rev) == 0)
			snprintf(out, len, "; found libgit2 %d.%d.%d (%s) instead", major, minor, rev,
			         used);
	}
	dlclose(h);
}

/* dlsym returns an object pointer; POSIX guarantees it converts to the
 * function pointer it names. memcpy keeps the conversion free of
 * compiler-specific casts. */
static int resolve(void *h, const char *name, void *slot, size_t size)
{
	void *sym = dlsym(h, name);

	if (!sym || size != sizeof(sym))
		return -1;
	memcpy(slot, &sym, size);
	return 0;
}

int rg_git2_load(rg_err *err)
{
	char tried[4200], used[4096];
	const char *why;
	void *h;
	int major = 0, minor = 0, rev = 0, rc = RG_OK;

	if (loaded)
		return RG_OK;
	if ((h = open_library(tried, sizeof(tried), used, sizeof(used))) == NULL) {
		char why_copy[300], found[4400];

		why = dlerror();
		snprintf(why_copy, sizeof(why_copy), "%s", why ? why : "not found");
		other_version(found, sizeof(found)); /* dlopen again: why is copied first */
		return rg_err_set(err, RG_EBUILD,
		                  "cannot load libgit2 %s (tried %s): %s%s; relgate accepts %s: "
		                  "install it (apt install libgit2-%s, brew install libgit2) or set "
		                  "RELGATE_LIBGIT2 to its path", RG_GIT2_SOVERSION, tried, why_copy,
		                  found, RG_GIT2_RANGE, RG_GIT2_SOVERSION);
	}
#define RG_GIT2_RESOLVE(name) \
	if (resolve(h, #name, &rg_git2.name, sizeof(rg_git2.name)) < 0) { \
		rc = rg_err_set(err, RG_EBUILD, "%s: not libgit2 %s (it has no %s)", used, \
		                RG_GIT2_SOVERSION, #name); \
		goto done; \
	}
	RG_GIT2_FUNCTIONS(RG_GIT2_RESOLVE)
#undef RG_GIT2_RESOLVE
	if (rg_git2.git_libgit2_version(&major, &minor, &rev) < 0 ||
	    major != LIBGIT2_VER_MAJOR || minor != LIBGIT2_VER_MINOR) {
		rc = rg_err_set(err, RG_EBUILD, "%s is libgit2 %d.%d.%d, outside the range relgate "
		                "accepts: %s; %s", used, major, minor, rev, RG_GIT2_RANGE, RG_GIT2_FIX);
		goto done;
	}
	rg_git2.git_libgit2_init();
	loaded = 1;
done:
	if (rc < 0) {
		memset(&rg_git2, 0, sizeof(rg_git2));
		dlclose(h);
	}
	return rc;
}
#endif /* RG_GIT2_STATIC */

void rg_git2_unload(void)
{
	if (!loaded)
		return;
	rg_git2.git_libgit2_shutdown();
	loaded = 0;
}
