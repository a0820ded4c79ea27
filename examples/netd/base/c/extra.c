/* No optional modules in this build. */
#include <stdio.h>

#include "netd.h"

int netd_extra_command(const char *name, int argc, char **argv)
{
	(void)argc; (void)argv;
	fprintf(stderr, "netd: unknown command '%s'\n", name);
	return 2;
}
