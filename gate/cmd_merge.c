/*
 * cmd_merge.c - placeholder for `relgate merge` (see the open issue that
 * delivers it). It says so and exits 2 rather than pretending to work.
 */
#include "cli.h"

const char rg_help_merge[] =
"usage: relgate merge ...\n"
"\n"
"Not available in this build yet.\n";

int rg_cmd_merge(int argc, char **argv)
{
	(void)argc; (void)argv;
	rg_errorf("'merge' is not available in this build yet");
	return RG_EXIT_USAGE;
}
