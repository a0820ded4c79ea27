/*
 * cmd_diff.c - placeholder for `relgate diff` (see the open issue that
 * delivers it). It says so and exits 2 rather than pretending to work.
 */
#include "cli.h"

const char rg_help_diff[] =
"usage: relgate diff ...\n"
"\n"
"Not available in this build yet.\n";

int rg_cmd_diff(int argc, char **argv)
{
	(void)argc; (void)argv;
	rg_errorf("'diff' is not available in this build yet");
	return RG_EXIT_USAGE;
}
