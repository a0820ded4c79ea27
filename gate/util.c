/*
 * util.c - helpers shared by the subcommands: error lines, exit codes,
 * colour detection (sizes for people: reports/format.c).
 */
#include "cli.h"
#include "../reports/escape.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <limits.h>
#include <unistd.h>

/* Error lines carry names from git, YAML and binaries (commit subjects,
 * targets, sections) and build log tails: the message is put in terminal
 * form (escape.h), its own line breaks kept, and every line starts with
 * "relgate: " so none can start a workflow command (a runner reads one
 * after leading spaces too). */
void rg_errorf(const char *fmt, ...)
{
	va_list ap;
	char msg[4096], *safe, *line, *nl;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!(safe = rg_esc_term_dup(msg, RG_ESC_KEEP_LF))) {
		fputs("relgate: out of memory\n", stderr);
		return;
	}
	for (line = safe; line; line = nl) {
		if ((nl = strchr(line, '\n')))
			*nl++ = '\0';
		fprintf(stderr, "relgate: %s%s\n", line == safe ? "" : "  ", line);
	}
	free(safe);
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

int rg_page_size_arg(const char *v, uint64_t *out)
{
	if (rg_parse_size_arg(v, out) || *out < 512 || *out > (1u << 20) || (*out & (*out - 1))) {
		rg_errorf("--page-size: '%s' is not a power of two from 512 B to 1 MiB", v);
		return -1;
	}
	return 0;
}

int rg_top_arg(const char *prefix, const char *v, uint64_t *out)
{
	char *end;

	*out = strtoull(v, &end, 10);
	if (!*v || *end || v[0] == '-' || *out > 1000000000) {
		rg_errorf("%s--top: '%s' is not a number of rows (0: all)", prefix, v);
		return -1;
	}
	return 0;
}

/* Reads "--opt VALUE" or "--opt=VALUE" at argv[*i] (advancing *i past a
 * separate value). NULL when argv[*i] is another option; sets *missing
 * when the option is last and has no value. */
static const char *opt_value(int argc, char **argv, int *i, const char *opt, int *missing)
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

/* Stores the value v of option o (named a on the command line). */
static int opt_store(const char *cmd, const rg_opt *o, const char *a, const char *v)
{
	if (o->value) {
		*o->value = v;
	} else if (o->list) {
		const char **p = realloc(*o->list, (*o->count + 1) * sizeof(*p));
		if (!p) {
			rg_errorf("%s: out of memory", cmd);
			return -1;
		}
		p[(*o->count)++] = v;
		*o->list = p;
	} else {
		char *end;
		long n = strtol(v, &end, 10);
		if (!*v || *end || n < o->min || n > o->max) {
			rg_errorf("%s: %s wants a whole number from %d to %d, not '%s'", cmd, o->name, o->min,
			          o->max, v);
			return -1;
		}
		*o->number = (int)n;
	}
	return 0;
}

int rg_opts_parse(const char *cmd, const char *help, int argc, char **argv, const rg_opt *opts,
                  int (*positional)(void *ctx, const char *word), void *ctx)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		const rg_opt *o;
		int missing = 0;

		if (!strcmp(a, "--")) { /* the end of options: a file named -x */
			while (++i < argc)
				if (positional(ctx, argv[i]) < 0)
					return -1;
			break;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(help, stdout);
			return 1;
		}
		for (o = opts; o->name; o++) {
			if (o->flag && (!strcmp(a, o->name) || (o->alias && !strcmp(a, o->alias)))) {
				*o->flag = 1;
				break;
			}
			if (!o->flag && ((v = opt_value(argc, argv, &i, o->name, &missing)) ||
			                 (!missing && o->alias &&
			                  (v = opt_value(argc, argv, &i, o->alias, &missing)))))
				break;
			if (missing) {
				rg_errorf("%s: %s needs a value", cmd, a);
				return -1;
			}
		}
		if (o->name) {
			if (!o->flag && opt_store(cmd, o, a, v) < 0)
				return -1;
		} else if (a[0] == '-' && a[1]) { /* "-" alone is a word */
			rg_errorf("%s: unknown option '%s' (see 'relgate help %s')", cmd, a, cmd);
			return -1;
		} else if (positional(ctx, a) < 0) {
			return -1;
		}
	}
	return 0;
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
