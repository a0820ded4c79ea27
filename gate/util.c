/*
 * util.c - helpers shared by the subcommands: error lines, exit codes,
 * colour detection (sizes for people: reports/format.c).
 */
#include "cli.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <limits.h>
#include <unistd.h>

void rg_errorf(const char *fmt, ...)
{
	va_list ap;

	fputs("relgate: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int rg_exit_for(int rg_code)
{
	switch (rg_code) {
	case RG_OK:
		return RG_EXIT_OK;
	case RG_EBUILD:
		return RG_EXIT_BUILD;
	default:
		return RG_EXIT_USAGE;
	}
}

int rg_use_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (nc && *nc)
		return 0;
	if (term && strcmp(term, "dumb") == 0)
		return 0;
	return isatty(fileno(f));
}

int rg_parse_size_arg(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	uint64_t mul = 1;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	v = strtoull(s, &end, 10);
	if (*end) {
		if (!strcasecmp(end, "k") || !strcasecmp(end, "kib") || !strcasecmp(end, "kb"))
			mul = 1024;
		else if (!strcasecmp(end, "m") || !strcasecmp(end, "mib") || !strcasecmp(end, "mb"))
			mul = 1024 * 1024;
		else if (strcmp(end, "B") && strcmp(end, "b"))
			return -1;
	}
	if (v > UINT64_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}

const char *rg_opt_value(int argc, char **argv, int *i, const char *opt, int *missing)
{
	size_t l = strlen(opt);

	if (strncmp(argv[*i], opt, l) != 0)
		return NULL;
	if (argv[*i][l] == '=')
		return argv[*i] + l + 1;
	if (argv[*i][l] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = 1;
		return NULL;
	}
	return argv[++*i];
}

const char *rg_argv0;

int rg_self_path(char *out, size_t len)
{
	const char *path = getenv("PATH"), *p, *e;
	char cand[2 * PATH_MAX + 2], cwd[PATH_MAX + 1];

	cand[0] = '\0';
	if (rg_argv0 && rg_argv0[0] == '/') {
		snprintf(cand, sizeof(cand), "%s", rg_argv0);
	} else if (rg_argv0 && strchr(rg_argv0, '/')) {
		/* ../bin/relgate: its directory made absolute, its name kept */
		const char *slash = strrchr(rg_argv0, '/');
		char dir[PATH_MAX + 1];

		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - rg_argv0), rg_argv0);
		if (realpath(dir, cwd))
			snprintf(cand, sizeof(cand), "%s%s", cwd, slash);
	} else if (rg_argv0 && *rg_argv0) {
		for (p = path ? path : ""; *p; p = *e ? e + 1 : e) {
			e = strchr(p, ':');
			if (!e)
				e = p + strlen(p);
			if (*p == '/') {
				snprintf(cand, sizeof(cand), "%.*s/%s", (int)(e - p), p, rg_argv0);
				if (access(cand, X_OK) == 0)
					break;
			}
			cand[0] = '\0';
		}
	}
	/* Symbolic links are kept: /opt/homebrew/bin/relgate outlives the
	 * Cellar path it points to today. */
	if ((!cand[0] || access(cand, X_OK) != 0) && !realpath("/proc/self/exe", cand))
		return -1;
	if (strlen(cand) + 1 > len)
		return -1;
	memcpy(out, cand, strlen(cand) + 1);
	return 0;
}
