/*
 * main.c - relgate's entry point: dispatches to the subcommands
 * (gate/help.c, man/relgate.1). Every subcommand lives in its own gate/cmd_*.c file.
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	int (*fn)(int, char **);
} commands[] = {
	{ "measure", rg_cmd_measure },
	{ "diff", rg_cmd_diff },
	{ "validate", rg_cmd_validate },
	{ "check", rg_cmd_check },
	{ "report", rg_cmd_report },
	{ "merge", rg_cmd_merge },
	{ "bisect", rg_cmd_bisect },
	{ "hook", rg_cmd_hook },
	{ "init", rg_cmd_init },
	{ "publish", rg_cmd_publish },
};

/*
 * Everything a command printed must have reached stdout: `relgate hook show
 * > .husky/pre-push` on a full disk must not leave an empty hook and exit
 * 0. stdio errors are sticky, so one check of the stream at the end (and of
 * its final flush and close) catches every earlier failed write.
 */
static int close_stdout(int code)
{
	int failed = 0, e = 0;

	errno = 0;
	if (fflush(stdout) != 0)
		failed = 1, e = errno;
	else if (ferror(stdout))
		failed = 1; /* an earlier write failed; its errno is gone */
	errno = 0;
	if (fclose(stdout) != 0 && !failed)
		failed = 1, e = errno;
	/* A command that failed has said why (a renderer names its own write
	 * error): one message, its code. */
	if (!failed || (code != RG_EXIT_OK && code != RG_EXIT_BREACH))
		return code;
	rg_errorf("cannot write the output%s%s", e ? ": " : "", e ? strerror(e) : "");
	return RG_EXIT_USAGE;
}

static int run(int argc, char **argv)
{
	size_t i;

	rg_argv0 = argv[0];
	if (argc < 2) {
		rg_print_help(stderr, NULL);
		return RG_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		rg_print_help(stdout, NULL);
		return RG_EXIT_OK;
	}
	if (!strcmp(argv[1], "help")) {
		rg_print_help(stdout, argc > 2 ? argv[2] : NULL);
		return RG_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("relgate %s\n", RG_VERSION);
		return RG_EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	rg_errorf("unknown command '%s' (see 'relgate --help')", argv[1]);
	return RG_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	return close_stdout(run(argc, argv));
}
