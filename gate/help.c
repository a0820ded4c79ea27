/*
 * help.c - `relgate --help` and `relgate help COMMAND`. Keep in step with
 * README.md and man/relgate.1.
 */
#include "cli.h"

#include <string.h>

static const char usage[] =
"usage: relgate COMMAND [OPTIONS] [ARGS]\n"
"\n"
"Gate changes on binary size and load-time dirty memory.\n"
"\n"
"commands:\n"
"  measure FILE...        metrics of built binaries (ELF, Mach-O, PE); --by KEY:\n"
"                         which sections, symbols, packages hold the fixups\n"
"  diff OLD NEW           two measurements side by side, judged with --budgets;\n"
"                         --by KEY: what gained or lost fixups\n"
"  validate [FILE]        check a relgate.yml and print what it understood\n"
"  check                  the gate: build base and head, measure, judge budgets\n"
"  report RANGE           release sign-off over a range of commits\n"
"  merge PART.json...     merge per-target reports of a CI matrix\n"
"  bisect                 find the commit that broke a budget\n"
"  publish [REV]          write a commit's metrics into git notes (CI)\n"
"  hook install|uninstall the pre-push hook\n"
"  init                   write a starter relgate.yml for this project\n"
"  help COMMAND           help for one command\n"
"\n"
"options: --opt VALUE or --opt=VALUE; -- ends the options (every word after\n"
"it is a file or revision, even one that starts with -).\n"
"\n"
"exit codes: 0 within budget, 1 a budget was exceeded, 2 bad usage,\n"
"configuration or input, 3 a build or checkout failed.\n"
"\n"
"check, report, bisect, publish, hook and init load libgit2 when they start\n"
"(the version relgate was built for; RELGATE_LIBGIT2=PATH names another copy of\n"
"it); measure, diff, validate and merge never load it. See 'man relgate'.\n";

static const struct {
	const char *cmd, *text;
} helps[] = {
	{ "measure", rg_help_measure },
	{ "diff", rg_help_diff },
	{ "validate", rg_help_validate },
	{ "check", rg_help_check },
	{ "report", rg_help_report },
	{ "merge", rg_help_merge },
	{ "bisect", rg_help_bisect },
	{ "hook", rg_help_hook },
	{ "init", rg_help_init },
	{ "publish", rg_help_publish },
};

void rg_print_help(FILE *f, const char *cmd)
{
	size_t i;

	if (cmd)
		for (i = 0; i < sizeof(helps) / sizeof(helps[0]); i++)
			if (!strcmp(helps[i].cmd, cmd)) {
				fputs(helps[i].text, f);
				return;
			}
	fputs(usage, f);
}
