/*
 * cli.h - the relgate command line: one function per subcommand, the
 * shared exit codes (docs/gate.md, man/relgate.1 "EXIT STATUS") and small helpers for output.
 */
#ifndef RG_CLI_H
#define RG_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "../parsers/model.h"

enum {
	RG_EXIT_OK = 0,      /* within budget (warnings allowed) */
	RG_EXIT_BREACH = 1,  /* a budget was exceeded */
	RG_EXIT_USAGE = 2,   /* bad usage, bad configuration, unreadable input */
	RG_EXIT_BUILD = 3,   /* a build or checkout failed */
};

/* Subcommands: argv[0] is the subcommand name. Each returns an exit code. */
int rg_cmd_measure(int argc, char **argv);
int rg_cmd_diff(int argc, char **argv);
int rg_cmd_validate(int argc, char **argv);
int rg_cmd_check(int argc, char **argv);
int rg_cmd_report(int argc, char **argv);
int rg_cmd_merge(int argc, char **argv);
int rg_cmd_bisect(int argc, char **argv);
int rg_cmd_hook(int argc, char **argv);
int rg_cmd_init(int argc, char **argv);
int rg_cmd_publish(int argc, char **argv);

/* Help text of each subcommand, defined beside it in gate/cmd_*.c. */
extern const char rg_help_measure[], rg_help_diff[], rg_help_validate[],
	rg_help_check[], rg_help_report[], rg_help_merge[], rg_help_bisect[],
	rg_help_hook[], rg_help_init[], rg_help_publish[];

/* Prints "relgate: " + message + newline to stderr. */
void rg_errorf(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;
/* Exit code for an RG_E* error code. */
int rg_exit_for(int rg_code);

/* True when colour may be written to f (a terminal, NO_COLOR unset). */
int rg_use_color(FILE *f);
/* Parses "16384", "16KiB", "4k" ... into bytes; -1 on error. */
int rg_parse_size_arg(const char *s, uint64_t *out);
/* The values of measure's and diff's --page-size (a power of two from
 * 512 B to 1 MiB) and --top (rows, 0: all): 0, or -1 after a message
 * (prefix: "diff: " or ""). */
int rg_page_size_arg(const char *v, uint64_t *out);
int rg_top_arg(const char *prefix, const char *v, uint64_t *out);

/*
 * One option of a command, in a table ended by { NULL }: a flag (flag set
 * to 1), a value (the last one given), a repeatable value (appended to
 * list, *count of them) or a whole number in [min, max]. alias is an old
 * spelling that still works, or NULL.
 */
typedef struct rg_opt {
	const char *name, *alias;
	int *flag;
	const char **value;
	const char ***list;
	size_t *count;
	int *number, min, max;
} rg_opt;
#define RG_OPT_FLAG(nm, p) { .name = (nm), .flag = (p) }
#define RG_OPT_VALUE(nm, old, p) { .name = (nm), .alias = (old), .value = (p) }
#define RG_OPT_LIST(nm, p, n) { .name = (nm), .list = (p), .count = (n) }
#define RG_OPT_NUMBER(nm, p, lo, hi) { .name = (nm), .number = (p), .min = (lo), .max = (hi) }
#define RG_OPT_END { .name = NULL }

/*
 * Parses argv[1..] of command cmd against opts: "--opt VALUE" or
 * "--opt=VALUE"; "--help"/"-h" prints help; a word that is not an option
 * ("-" alone, and every word after "--") goes to positional (which says
 * what is wrong and returns -1 to refuse it). 0, 1 after --help, or -1
 * after an error message.
 */
int rg_opts_parse(const char *cmd, const char *help, int argc, char **argv, const rg_opt *opts,
                  int (*positional)(void *ctx, const char *word), void *ctx);

/* What to do about a build failure that the machine caused (a missing
 * tool, Go for iOS off a Mac), from its message; NULL if none applies. */
const char *rg_build_hint(const char *msg);

/* argv[0] of relgate itself (set by main). */
extern const char *rg_argv0;
/* The absolute path of the running relgate: argv[0] made absolute or found
 * on PATH, symbolic links kept (a package manager's stable link outlives
 * the versioned file behind it); /proc/self/exe as a fallback; or -1. */
int rg_self_path(char *out, size_t len);

/* The help text of a subcommand (NULL: overall usage). */
void rg_print_help(FILE *f, const char *cmd);

#endif
