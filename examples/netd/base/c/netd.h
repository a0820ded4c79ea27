#ifndef NETD_H
#define NETD_H

struct netd_command {
	const char *name, *help;
	int (*run)(int argc, char **argv);
};

/* Commands of optional modules; returns 2 for an unknown command. */
int netd_extra_command(const char *name, int argc, char **argv);

#endif
