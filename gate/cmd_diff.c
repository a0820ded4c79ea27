/*
 * cmd_diff.c - `relgate diff OLD NEW`: two measurements side by side, and
 * with a budget file the verdicts of one target's rules (docs/budgets.md).
 * OLD and NEW are binaries (measured here) or `relgate measure --format
 * json` documents. The report is rendered by rg_report_render, the
 * renderer of check and merge (reports/report.h), so every form, the colour
 * rules and the GitHub Actions extras are theirs; exit 0 within budget, 1 a
 * budget exceeded, 2 bad usage, configuration or input.
 */
#include "cli.h"
#include "../reports/report.h"
#include "../budgets/judge.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_JSON_INPUT (256u << 20)

const char rg_help_diff[] =
"usage: relgate diff [--budgets FILE] [--target NAME] [--format FORMAT]\n"
"                    [--json-out FILE] [--markdown-out FILE] [--arch NAME]\n"
"                    [--page-size N] OLD NEW\n"
"\n"
"Compares two measurements. OLD and NEW are binaries (ELF, Mach-O, PE) or\n"
"documents written by 'relgate measure --format json'. Prints every metric\n"
"that changed: base, head, delta and delta %, most important first (dirty\n"
"bytes and relocations, then dirty pages, sizes, pclntab, segments, sections).\n"
"\n"
"With --budgets, judges the rules of one target of the budget file and says,\n"
"for each, pass, warn, fail or skipped, with the limit, the margin and the\n"
"line that set it. A metric a rule needs but a side lacks is an error.\n"
"\n"
"  --budgets FILE      budget file (relgate.yml; man relgate, BUDGETS)\n"
"  --target NAME       the target whose rules apply (needed when the file has\n"
"                      several; alone it reads ./relgate.yml)\n"
"  --format F          text (default), json, github (workflow-command\n"
"                      annotations) or markdown, on stdout\n"
"  --all               text: every rule and every changed metric\n"
"  --json-out FILE     also write the JSON report to FILE\n"
"  --markdown-out FILE also write the Markdown summary to FILE\n"
"  --arch NAME         the slice of a universal Mach-O (or of a JSON document\n"
"                      with several binaries); default: the target's arch\n"
"  --page-size N       page size for dirty-page counts of binaries (default:\n"
"                      the target's page_size, else per format)\n"
"\n"
"When GITHUB_ACTIONS is true, text output is followed by ::error/::warning\n"
"annotations, the Markdown summary is appended to $GITHUB_STEP_SUMMARY and\n"
"status, failed, warned and report are written to $GITHUB_OUTPUT; an error\n"
"that stops diff (exit 2) is also printed as one ::error annotation.\n"
"\n"
"Exits 0 within budget (warnings allowed), 1 when a budget was exceeded, 2 on\n"
"bad usage, a bad budget file or an unreadable input.\n";

typedef struct diff_opts {
	const char *budgets, *target, *format, *json_out, *md_out, *arch;
	uint64_t page_size;
	const char *files[2];
	int all;
} diff_opts;

typedef struct side {
	rg_metric_map m;
	char format[8], arch[32];
	uint64_t page_size;
} side;

static int parse_args(int argc, char **argv, diff_opts *o)
{
	int i, nfiles = 0, missing;
	const char *v;

	for (i = 1; i < argc; i++) {
		missing = 0;
		if ((v = rg_opt_value(argc, argv, &i, "--budgets", &missing)))
			o->budgets = v;
		else if ((v = rg_opt_value(argc, argv, &i, "--target", &missing)))
			o->target = v;
		else if ((v = rg_opt_value(argc, argv, &i, "--format", &missing)))
			o->format = v;
		else if ((v = rg_opt_value(argc, argv, &i, "--json-out", &missing)))
			o->json_out = v;
		else if ((v = rg_opt_value(argc, argv, &i, "--markdown-out", &missing)))
			o->md_out = v;
		else if ((v = rg_opt_value(argc, argv, &i, "--arch", &missing)))
			o->arch = v;
		else if ((v = rg_opt_value(argc, argv, &i, "--page-size", &missing))) {
			if (rg_parse_size_arg(v, &o->page_size) || o->page_size < 512 ||
			    o->page_size > (1u << 20) || (o->page_size & (o->page_size - 1))) {
				rg_errorf("--page-size: '%s' is not a power of two from 512 B to 1 MiB", v);
				return -1;
			}
		} else if (!strcmp(argv[i], "--all")) {
			o->all = 1;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(rg_help_diff, stdout);
			return 1;
		} else if (missing) {
			rg_errorf("diff: %s needs a value", argv[i]);
			return -1;
		} else if (argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--")) {
			rg_errorf("diff: unknown option '%s' (see 'relgate help diff')", argv[i]);
			return -1;
		} else {
			if (!strcmp(argv[i], "--") && ++i >= argc)
				break;
			if (nfiles == 2) {
				rg_errorf("diff: expected two files, OLD and NEW (see 'relgate help diff')");
				return -1;
			}
			o->files[nfiles++] = argv[i];
		}
	}
	if (nfiles != 2) {
		rg_errorf("diff: expected two files, OLD and NEW (see 'relgate help diff')");
		return -1;
	}
	if (!rg_report_format_ok("diff", o->format))
		return -1;
	return 0;
}

/* Reads a whole file (JSON inputs). */
static char *slurp(const char *path, size_t *len, rg_err *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, *nb;
	size_t cap = 0, n;

	*len = 0;
	if (!f) {
		rg_err_set(err, RG_EIO, "%s", strerror(errno));
		return NULL;
	}
	for (;;) {
		if (*len + 1 >= cap) {
			if (cap > MAX_JSON_INPUT) {
				rg_err_set(err, RG_EINPUT, "JSON document larger than %u MiB", MAX_JSON_INPUT >> 20);
				goto fail;
			}
			cap = cap ? cap * 2 : 65536;
			if (!(nb = realloc(buf, cap))) {
				rg_err_set(err, RG_ENOMEM, "out of memory");
				goto fail;
			}
			buf = nb;
		}
		n = fread(buf + *len, 1, cap - *len - 1, f);
		*len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		rg_err_set(err, RG_EIO, "read error");
		goto fail;
	}
	fclose(f);
	buf[*len] = '\0';
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

/* 1 when the file starts (after blanks) with '{': a measure document. */
static int looks_like_json(const char *path)
{
	FILE *f = fopen(path, "rb");
	int c;

	if (!f)
		return 0;
	while ((c = fgetc(f)) != EOF && isspace(c))
		;
	fclose(f);
	return c == '{';
}

/* what: "binaries" or "slices". */
static int pick_slice_error(const char *what, size_t n, const char *archs, const char *arch,
                            rg_err *err)
{
	if (n == 0 && (!arch || !archs[0]))
		return rg_err_set(err, RG_EINPUT, "no %s in it", what);
	if (n == 0)
		return rg_err_set(err, RG_EINPUT, "nothing for arch '%s' (it has: %s)", arch, archs);
	return rg_err_set(err, RG_EINPUT, "%zu %s (%s); pick one with --arch", n, what, archs);
}

static int load_json_side(const char *path, const char *arch, uint64_t want_ps, side *s, rg_err *err)
{
	size_t len, n = 0;
	char *buf = slurp(path, &len, err), archs[256] = "";
	cJSON *doc = NULL, *bins, *it, *pick = NULL;
	int rc = RG_EINPUT;

	if (!buf)
		return err->code;
	if (!(doc = cJSON_ParseWithLength(buf, len))) {
		const char *at = cJSON_GetErrorPtr();
		rg_err_set(err, RG_EINPUT, "not valid JSON (near byte %ld)",
		           at && at >= buf && at <= buf + len ? (long)(at - buf) : -1L);
		goto done;
	}
	bins = cJSON_GetObjectItemCaseSensitive(doc, "binaries");
	if (!cJSON_IsArray(bins)) {
		rg_err_set(err, RG_EINPUT, "a JSON input must be 'relgate measure --format json' output "
		           "(no \"binaries\" list)");
		goto done;
	}
	cJSON_ArrayForEach(it, bins) {
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(it, "arch");
		const char *an = cJSON_IsString(a) ? a->valuestring : "?";
		size_t l = strlen(archs);
		snprintf(archs + l, sizeof(archs) - l, "%s%s", l ? ", " : "", an);
		if (!arch || !strcmp(arch, an)) {
			pick = it;
			n++;
		}
	}
	if (n != 1) {
		pick_slice_error("binaries", n, archs, arch, err);
		goto done;
	}
	{
		const cJSON *f = cJSON_GetObjectItemCaseSensitive(pick, "arch"),
		            *ps = cJSON_GetObjectItemCaseSensitive(pick, "page_size");
		snprintf(s->format, sizeof(s->format), "json");
		snprintf(s->arch, sizeof(s->arch), "%s", cJSON_IsString(f) ? f->valuestring : "");
		s->page_size = cJSON_IsNumber(ps) && ps->valuedouble > 0 ? (uint64_t)ps->valuedouble : 0;
	}
	if (want_ps && s->page_size && want_ps != s->page_size) {
		rg_err_set(err, RG_EINPUT, "measured with page size %llu, but %llu is asked for "
		           "(measure it again with --page-size)", (unsigned long long)s->page_size,
		           (unsigned long long)want_ps);
		goto done;
	}
	rc = rg_metric_map_from_json(&s->m, pick, err);
done:
	cJSON_Delete(doc);
	free(buf);
	return rc;
}

static int load_side(const char *path, const char *arch, uint64_t page_size, side *s, rg_err *err)
{
	rg_measure_opts opts = RG_MEASURE_OPTS_INIT;
	rg_binary_list list = { 0 };
	char archs[256] = "";
	size_t i;
	int rc;

	if (looks_like_json(path))
		return load_json_side(path, arch, page_size, s, err);
	opts.arch = arch;
	opts.page_size = page_size;
	if ((rc = rg_measure_file(path, &opts, &list, err)))
		goto done;
	for (i = 0; i < list.n; i++) {
		size_t l = strlen(archs);
		snprintf(archs + l, sizeof(archs) - l, "%s%s", l ? ", " : "", list.items[i]->arch);
	}
	if (list.n != 1) {
		rc = pick_slice_error("slices", list.n, archs, arch, err);
		goto done;
	}
	snprintf(s->format, sizeof(s->format), "%s", list.items[0]->format);
	snprintf(s->arch, sizeof(s->arch), "%s", list.items[0]->arch);
	s->page_size = list.items[0]->page_size;
	if (rg_metric_map_from_binary(&s->m, list.items[0]))
		rc = rg_err_set(err, RG_ENOMEM, "out of memory");
done:
	rg_binary_list_free(&list);
	return rc;
}

/* Loads the budget file and picks the target (NULL t: no budgets). */
static int load_target(const diff_opts *o, rg_config **cfg, const rg_target **t, rg_err *err)
{
	const char *path = o->budgets ? o->budgets : "relgate.yml";
	char names[400] = "";
	size_t i;
	int rc;

	*t = NULL;
	if (!o->budgets && !o->target)
		return RG_OK;
	if ((rc = rg_config_load(path, cfg, err)) < 0)
		return rc;
	if (!o->target) {
		if ((*cfg)->ntargets != 1)
			return rg_err_set(err, RG_EINPUT, "%s has %zu targets; pick one with --target NAME",
			                  path, (*cfg)->ntargets);
		*t = &(*cfg)->targets[0];
		return RG_OK;
	}
	if ((*t = rg_config_target(*cfg, o->target)))
		return RG_OK;
	for (i = 0; i < (*cfg)->ntargets; i++) {
		size_t l = strlen(names);
		snprintf(names + l, sizeof(names) - l, "%s%s", i ? ", " : "", (*cfg)->targets[i].name);
	}
	return rg_err_set(err, RG_EINPUT, "%s has no target '%s' (it has: %s)", path, o->target, names);
}

/* Puts what err is about around its message ("FILE: ..." or "... (base:
 * OLD, head: NEW)"), keeping its code (rg_err_set keeps a first error, so
 * the code is cleared for the rewrite). */
static int err_wrap(rg_err *err, const char *before, const char *after)
{
	char msg[sizeof(err->msg)];
	int code = err->code ? err->code : RG_EINPUT;

	snprintf(msg, sizeof(msg), "%s", err->msg);
	err->code = 0;
	return rg_err_set(err, code, "%s%s%s", before, msg, after);
}

/* Measures or reads both sides and judges them into rep. */
static int build_report(const diff_opts *o, side *sides, rg_target_result *res, rg_report *rep,
                        rg_err *err)
{
	rg_config *cfg = NULL;
	const rg_target *t = NULL;
	const char *arch;
	char ctx[1200];
	uint64_t ps;
	int rc, i;

	if ((rc = load_target(o, &cfg, &t, err)) < 0)
		goto done;
	arch = o->arch ? o->arch : t ? t->arch : NULL;
	ps = o->page_size ? o->page_size : t ? t->page_size : 0;
	for (i = 0; i < 2; i++) {
		if ((rc = load_side(o->files[i], arch, ps, &sides[i], err)) < 0) {
			snprintf(ctx, sizeof(ctx), "%s: ", o->files[i]);
			rc = err_wrap(err, ctx, "");
			goto done;
		}
		if (rg_report_add_input(rep, i ? "head" : "base", t ? t->name : NULL, o->files[i],
		                        sides[i].format, sides[i].arch, sides[i].page_size))
			goto oom;
	}
	if (t) {
		if ((rc = rg_judge_target(t, &sides[0].m, &sides[1].m, res, err)) < 0) {
			snprintf(ctx, sizeof(ctx), " (base: %s, head: %s)", o->files[0], o->files[1]);
			rc = err_wrap(err, "", ctx);
			goto done;
		}
		if (rg_report_set_str(&rep->budgets_path, cfg->path))
			goto oom;
	} else {
		/* no target: the comparison is named after NEW ("netd", not a
		 * made-up "target diff") */
		const char *slash = strrchr(o->files[1], '/');
		if (rg_target_result_init(res, slash && slash[1] ? slash + 1 : o->files[1]) ||
		    rg_metric_map_copy(&res->base, &sides[0].m) ||
		    rg_metric_map_copy(&res->head, &sides[1].m))
			goto oom;
		res->has_base = 1;
	}
	if (rg_report_add_target(rep, res))
		goto oom;
	rc = RG_OK;
	goto done;
oom:
	rc = rg_err_set(err, RG_ENOMEM, "out of memory");
done:
	rg_config_free(cfg);
	return rc;
}

int rg_cmd_diff(int argc, char **argv)
{
	diff_opts o = { NULL, NULL, "text", NULL, NULL, NULL, 0, { NULL, NULL }, 0 };
	side sides[2];
	rg_target_result res;
	rg_report rep;
	rg_err err = { 0 };
	int code, i, a;

	memset(sides, 0, sizeof(sides));
	memset(&res, 0, sizeof(res));
	if ((a = parse_args(argc, argv, &o)))
		return a > 0 ? RG_EXIT_OK : RG_EXIT_USAGE;
	rg_report_init(&rep);
	if (build_report(&o, sides, &res, &rep, &err) < 0 ||
	    rg_report_render(&rep, o.format, o.all, NULL, o.json_out, o.md_out, &err) < 0) {
		rg_report_fail("diff", err.msg);
		code = rg_exit_for(err.code ? err.code : RG_EINPUT);
	} else {
		code = rg_report_exit_code(&rep);
	}
	rg_target_result_free(&res);
	rg_report_free(&rep);
	for (i = 0; i < 2; i++)
		rg_metric_map_free(&sides[i].m);
	return code;
}
