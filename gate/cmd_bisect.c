/*
 * cmd_bisect.c - placeholder for `relgate bisect` (see the open issue that
 * delivers it). It says so and exits 2 rather than pretending to work.
 */
#include "cli.h"

const char rg_help_bisect[] =
"usage: relgate bisect ...\n"
"\n"
"Not available in this build yet.\n";

int rg_cmd_bisect(int argc, char **argv)
{
	(void)argc; (void)argv;
	rg_errorf("'bisect' is not available in this build yet");
	return RG_EXIT_USAGE;
}
