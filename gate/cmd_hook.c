/*
 * cmd_hook.c - placeholder for `relgate hook` (see the open issue that
 * delivers it). It says so and exits 2 rather than pretending to work.
 */
#include "cli.h"

const char rg_help_hook[] =
"usage: relgate hook ...\n"
"\n"
"Not available in this build yet.\n";

int rg_cmd_hook(int argc, char **argv)
{
	(void)argc; (void)argv;
	rg_errorf("'hook' is not available in this build yet");
	return RG_EXIT_USAGE;
}
