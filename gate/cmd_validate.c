/*
 * cmd_validate.c - `relgate validate [FILE]`: loads a budget file
 * (budgets/config.c, docs/budgets.md) and prints what it understood, as
 * text or JSON. A malformed file gets one "relgate: FILE:LINE:COL: ..."
 * line and exit 2.
 */
#include "cli.h"
#include "../reports/measure_out.h"
#include "notes.h"
#include "toolchain.h"
#include "../budgets/budgets.h"
#include "../reports/escape.h"
#include "build.h"
#include "cache.h"
#include "toolchain.h"
#include "git.h"
#include "../budgets/judge.h"

#include <stdlib.h>
#include <string.h>

const char rg_help_validate[] =
"usage: relgate validate [--format text|json] [FILE]\n"
"\n"
"Checks a budget file (default ./relgate.yml) and prints what it understood:\n"
"each target's build command, artifact, arch, page size, timeout, env and\n"
"submodules settings, and every rule with its limit and the line:column that\n"
"set it. The format: man relgate (BUDGETS), and budgets.md in the docs\n"
"(share/doc/relgate). Every mistake of the file is reported, each at its\n"
"FILE:LINE:COLUMN, with 'did you mean' for a near metric, rule or key.\n"
"In a repository whose base (as check picks it) is in the metrics cache, it\n"
"warns about a percentage that allows an increase of 0 at that base (5% of\n"
"13 is 0).\n"
"\n"
"  --format text|json  a readable listing (default) or one JSON document\n"
"\n"
"Exits 0 when the file is valid, 2 when it is not: one line says where\n"
"(FILE:LINE:COLUMN) and what is wrong.\n";

/* The text of a budget file is the head's when a change brings it: every
 * string from it is printed in terminal form (escape.h). */
static void print_text(const rg_config *c)
{
	size_t i, j, nrules = 0, w;
	char lim[48], e1[600], e2[600];

	for (i = 0; i < c->ntargets; i++)
		nrules += c->targets[i].nrules;
	printf("%s: valid, version %d, %zu target%s, %zu rule%s\n",
	       rg_esc_term(c->path, e1, sizeof(e1)), c->version,
	       c->ntargets, c->ntargets == 1 ? "" : "s", nrules, nrules == 1 ? "" : "s");
	printf("notes: %s%s\n", c->notes_ref ? c->notes_ref : RG_NOTES_DEFAULT_REF,
	       c->notes_ref ? "" : " (default)");
	for (i = 0; i < c->ntargets; i++) {
		const rg_target *t = &c->targets[i];
		printf("\ntarget %s (%s:%d)\n", rg_esc_term(t->name, e1, sizeof(e1)),
		       rg_esc_term(c->path, e2, sizeof(e2)), t->line);
		printf("  build:      %s\n", rg_esc_term(t->build, e1, sizeof(e1)));
		printf("  artifact:   %s\n", rg_esc_term(t->artifact, e1, sizeof(e1)));
		printf("  arch:       %s\n", t->arch ? rg_esc_term(t->arch, e1, sizeof(e1)) : "(every slice)");
		if (t->page_size)
			printf("  page_size:  %llu bytes\n", (unsigned long long)t->page_size);
		else
			printf("  page_size:  (default: 16 KiB for arm64 Mach-O, 4 KiB elsewhere)\n");
		if (t->timeout_s)
			printf("  timeout:    %u s\n", t->timeout_s);
		else
			printf("  timeout:    %u s (the default)\n", RG_BUILD_DEFAULT_TIMEOUT);
		printf("  env:        ");
		for (j = 0; j < t->nenv; j++)
			printf("%s%s", j ? ", " : "", rg_esc_term(t->env[j], e1, sizeof(e1)));
		printf("%s\n", t->nenv ? "" : "(none)");
		printf("  submodules: %s\n", t->submodules_skip ? "skip" : "export");
		if (t->has_toolchain) {
			printf("  toolchain:  ");
			for (j = 0; j < t->ntoolchain; j++)
				printf("%s%s", j ? "; " : "", t->toolchain[j]);
			printf("%s\n", t->ntoolchain ? "" : "(none: not part of the cache key)");
		} else {
			char names[512];
			rg_toolchain_compilers(t->build, names, sizeof(names));
			printf("  toolchain:  (default: the version output of %s)\n",
			       names[0] ? names : "no compiler the build names");
		}
		printf("  budgets:%s\n", t->nrules ? "" : " (none)");
		for (w = 6, j = 0; j < t->nrules; j++)
			if (strlen(rg_esc_term(t->rules[j].metric, e1, sizeof(e1))) > w)
				w = strlen(e1);
		for (j = 0; j < t->nrules; j++) {
			const rg_rule *r = &t->rules[j];
			printf("    %-*s %-13s %-12s", (int)w, rg_esc_term(r->metric, e1, sizeof(e1)),
			       rg_rule_kind_name(r->kind),
			       rg_rule_limit_str(r, lim, sizeof(lim)));
			if (r->is_percent)
				printf(" of the base");
			else if (rg_metric_is_bytes(r->metric))
				printf(" (%lld byte%s)", (long long)r->value, r->value == 1 ? "" : "s");
			printf("  at %s:%d:%d\n", rg_esc_term(r->file, e2, sizeof(e2)), r->line, r->col);
		}
	}
}

/*
 * A percentage rule can allow nothing: 5% of a base of 13 is 0 (rounded
 * down). Inside a repository whose default base (as `relgate check` picks
 * it) is in the metrics cache, warns on stderr for each percentage that
 * allows an increase of 0 at that base. Silent when there is no repository,
 * libgit2 or cached measurement: validate needs none of them.
 */
static void warn_percent(const rg_config *c)
{
	git_repository *repo = NULL;
	rg_side base, head;
	rg_cache cache;
	rg_err err = { 0 };
	size_t i, j;
	char key[RG_CACHE_KEY_HEX], fp[RG_CACHE_KEY_HEX], m[300], f[300];
	const char *summary;

	if (rg_git_open(&repo, &err) < 0 || rg_git_resolve(repo, NULL, NULL, &base, &head, &err) < 0)
		goto done;
	rg_cache_init(&cache, NULL, 0);
	for (i = 0; i < c->ntargets; i++) {
		const rg_target *t = &c->targets[i];
		rg_metric_map mm = RG_METRIC_MAP_INIT;
		cJSON *bin = NULL;
		int64_t v;

		for (j = 0; j < t->nrules && !t->rules[j].is_percent; j++)
			;
		/* the key needs the toolchain fingerprint: the default one runs the
		 * build's compilers with --version, as check does; a `toolchain:`
		 * list is arbitrary commands, which validate never runs */
		if (j == t->nrules || (t->has_toolchain && t->ntoolchain) ||
		    rg_toolchain_fingerprint(t, &cache, fp, &summary, &err) < 0 ||
		    rg_cache_key(t, &base.tree, fp, key, &err) < 0 ||
		    !(bin = rg_cache_get(&cache, key)) || rg_metric_map_from_json(&mm, bin, &err) < 0) {
			cJSON_Delete(bin);
			continue;
		}
		for (j = 0; j < t->nrules; j++) {
			const rg_rule *r = &t->rules[j];
			if (r->is_percent && rg_metric_map_get(&mm, r->metric, &v) &&
			    rg_percent_of(v, r->percent_units) == 0)
				rg_errorf("%s:%d:%d: warning: %s %g%% of %s allows an increase of 0 at the base "
				          "%s (%lld): write an absolute limit (%s: 1) or a larger percentage",
				          rg_esc_term(r->file, f, sizeof(f)), r->line, r->col,
				          rg_rule_kind_name(r->kind), r->percent, rg_esc_term(r->metric, m, sizeof(m)),
				          base.short_id, (long long)v, rg_rule_kind_name(r->kind));
		}
		rg_metric_map_free(&mm);
		cJSON_Delete(bin);
	}
done:
	if (repo)
		git_repository_free(repo);
	rg_git2_unload();
}

static cJSON *config_json(const rg_config *c)
{
	cJSON *doc = cJSON_CreateObject(), *ts, *t, *arr, *o;
	size_t i, j;
	char lim[48];

	if (!doc)
		return NULL;
	cJSON_AddStringToObject(doc, "path", c->path);
	rg_json_add_int(doc, "version", c->version);
	ts = cJSON_AddArrayToObject(doc, "targets");
	for (i = 0; ts && i < c->ntargets; i++) {
		const rg_target *tg = &c->targets[i];
		if (!(t = cJSON_CreateObject()) || !cJSON_AddItemToArray(ts, t))
			goto fail;
		cJSON_AddStringToObject(t, "name", tg->name);
		rg_json_add_int(t, "line", tg->line);
		rg_json_add_int(t, "col", tg->col);
		cJSON_AddStringToObject(t, "build", tg->build);
		cJSON_AddStringToObject(t, "artifact", tg->artifact);
		if (tg->arch)
			cJSON_AddStringToObject(t, "arch", tg->arch);
		if (tg->page_size)
			rg_json_add_int(t, "page_size", (int64_t)tg->page_size);
		if (tg->timeout_s)
			rg_json_add_int(t, "timeout", tg->timeout_s);
		cJSON_AddStringToObject(t, "submodules", tg->submodules_skip ? "skip" : "export");
		if (!(arr = cJSON_AddArrayToObject(t, "env")))
			goto fail;
		for (j = 0; j < tg->nenv; j++)
			cJSON_AddItemToArray(arr, cJSON_CreateString(tg->env[j]));
		if (!(arr = cJSON_AddArrayToObject(t, "rules")))
			goto fail;
		for (j = 0; j < tg->nrules; j++) {
			const rg_rule *r = &tg->rules[j];
			if (!(o = cJSON_CreateObject()) || !cJSON_AddItemToArray(arr, o))
				goto fail;
			cJSON_AddStringToObject(o, "metric", r->metric);
			cJSON_AddStringToObject(o, "rule", rg_rule_kind_name(r->kind));
			cJSON_AddStringToObject(o, "budget", rg_rule_limit_str(r, lim, sizeof(lim)));
			if (r->is_percent)
				cJSON_AddNumberToObject(o, "percent", (double)r->percent_units / RG_PERCENT_SCALE);
			else
				rg_json_add_int(o, "value", r->value);
			cJSON_AddStringToObject(o, "file", r->file);
			rg_json_add_int(o, "line", r->line);
			rg_json_add_int(o, "col", r->col);
		}
	}
	if (ts)
		return doc;
fail:
	cJSON_Delete(doc);
	return NULL;
}

static int take_path(void *ctx, const char *word)
{
	const char **path = ctx;

	if (*path) {
		rg_errorf("validate: one FILE at most (see 'relgate help validate')");
		return -1;
	}
	*path = word;
	return 0;
}

int rg_cmd_validate(int argc, char **argv)
{
	const char *path = NULL, *format = "text";
	rg_config *cfg = NULL;
	rg_err err = { 0 };
	int rc = RG_EXIT_OK;
	const rg_opt opts[] = { RG_OPT_VALUE("--format", NULL, &format), RG_OPT_END };

	if ((rc = rg_opts_parse("validate", rg_help_validate, argc, argv, opts, take_path, &path)) != 0)
		return rc > 0 ? RG_EXIT_OK : RG_EXIT_USAGE;
	if (strcmp(format, "text") && strcmp(format, "json")) {
		rg_errorf("--format: expected text or json");
		return RG_EXIT_USAGE;
	}
	if (rg_config_load(path ? path : "relgate.yml", &cfg, &err)) {
		rg_errorf("%s", err.msg);
		return rg_exit_for(err.code);
	}
	warn_percent(cfg);
	if (!strcmp(format, "json")) {
		cJSON *doc = config_json(cfg);
		char *s = doc ? cJSON_Print(doc) : NULL;
		if (s)
			printf("%s\n", s);
		else
			rc = RG_EXIT_USAGE;
		free(s);
		cJSON_Delete(doc);
	} else {
		print_text(cfg);
	}
	rg_config_free(cfg);
	return rc;
}
