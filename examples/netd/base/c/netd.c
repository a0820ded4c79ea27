/*
 * netd - a tiny network daemon front end (the relgate example program).
 * The command table holds pointers: in a position-independent executable
 * each one is a relative relocation the loader applies at start-up, on a
 * page of .data.rel.ro that becomes private and dirty.
 */
#include <stdio.h>
#include <string.h>

#include "netd.h"

static int cmd_status(int argc, char **argv)
{
	(void)argc; (void)argv;
	puts("netd: up");
	return 0;
}

static int cmd_version(int argc, char **argv)
{
	(void)argc; (void)argv;
	puts("netd 1.0");
	return 0;
}

static int cmd_help(int argc, char **argv);

static const struct netd_command commands[] = {
	{ "status", "show whether the daemon runs", cmd_status },
	{ "version", "print the version", cmd_version },
	{ "help", "list the commands", cmd_help },
};

static int cmd_help(int argc, char **argv)
{
	size_t i;

	(void)argc; (void)argv;
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("  %-10s %s\n", commands[i].name, commands[i].help);
	return 0;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "status";
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return commands[i].run(argc - 1, argv + 1);
	return netd_extra_command(name, argc - 1, argv + 1);
}
