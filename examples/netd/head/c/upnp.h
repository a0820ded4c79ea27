#ifndef UPNP_H
#define UPNP_H

/* Runs a UPnP IGD action by name ("AddPortMapping" ...); -1 if unknown. */
int upnp_command(const char *name, int argc, char **argv);

#endif
