/*
 * main.c - relgate's entry point: dispatches to the subcommands of
 * SPEC.md "Shape". Every subcommand lives in its own gate/cmd_*.c file.
 */
#include "cli.h"

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
	{ "publish", rg_cmd_publish },
};

int main(int argc, char **argv)
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
