/*
 * cmd_report.c - placeholder for `relgate report` (see the open issue that
 * delivers it). It says so and exits 2 rather than pretending to work.
 */
#include "cli.h"

const char rg_help_report[] =
"usage: relgate report ...\n"
"\n"
"Not available in this build yet.\n";

int rg_cmd_report(int argc, char **argv)
{
	(void)argc; (void)argv;
	rg_errorf("'report' is not available in this build yet");
	return RG_EXIT_USAGE;
}
