/* Optional modules: UPnP port mapping. */
#include <stdio.h>

#include "netd.h"
#include "upnp.h"

int netd_extra_command(const char *name, int argc, char **argv)
{
	int rc = upnp_command(name, argc, argv);

	if (rc == -1) {
		fprintf(stderr, "netd: unknown command '%s'\n", name);
		return 2;
	}
	return rc;
}
