/*
 * cmd_check.c - placeholder for `relgate check` (see the open issue that
 * delivers it). It says so and exits 2 rather than pretending to work.
 */
#include "cli.h"

const char rg_help_check[] =
"usage: relgate check ...\n"
"\n"
"Not available in this build yet.\n";

int rg_cmd_check(int argc, char **argv)
{
	(void)argc; (void)argv;
	rg_errorf("'check' is not available in this build yet");
	return RG_EXIT_USAGE;
}
