/*
 * cmd_validate.c - placeholder for `relgate validate` (see the open issue that
 * delivers it). It says so and exits 2 rather than pretending to work.
 */
#include "cli.h"

const char rg_help_validate[] =
"usage: relgate validate ...\n"
"\n"
"Not available in this build yet.\n";

int rg_cmd_validate(int argc, char **argv)
{
	(void)argc; (void)argv;
	rg_errorf("'validate' is not available in this build yet");
	return RG_EXIT_USAGE;
}
