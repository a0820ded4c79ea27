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
#include "../reports/measure_out.h"
#include "../reports/report.h"
#include "../budgets/judge.h"
#include "../parsers/attr.h"
#include "buf.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_JSON_INPUT (256u << 20)

const char rg_help_diff[] =
"usage: relgate diff [--budgets FILE] [--target NAME] [--format FORMAT]\n"
"                    [--json-out FILE] [--markdown-out FILE] [--arch NAME]\n"
"                    [--page-size N] OLD NEW\n"
"       relgate diff --by KEY [--top N] [--format text|json] [--arch NAME]\n"
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
"  --by KEY            compare fixup attribution rows instead (KEY: section,\n"
"                      symbol, package, target, target-package; see 'relgate\n"
"                      help measure'): rows whose fixups or dirty pages changed,\n"
"                      new and removed ones included, with base, head and\n"
"                      delta, largest change first. A JSON input must hold\n"
"                      the same key measured with --top 0\n"
"  --top N             show the N largest changes (default: 20 in text, all\n"
"                      in JSON; 0: all)\n"
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
	int nfiles, all;
	int by_set;
	rg_attr_key by;
	uint64_t top;
} diff_opts;

typedef struct side {
	rg_metric_map m;
	char format[8], arch[32];
	uint64_t page_size;
} side;

static int take_file(void *ctx, const char *word)
{
	diff_opts *o = ctx;

	if (o->nfiles == 2) {
		rg_errorf("diff: expected two files, OLD and NEW (see 'relgate help diff')");
		return -1;
	}
	o->files[o->nfiles++] = word;
	return 0;
}

static int parse_args(int argc, char **argv, diff_opts *o)
{
	const char *by = NULL, *top = NULL, *page_size = NULL;
	const rg_opt opts[] = {
		RG_OPT_VALUE("--budgets", NULL, &o->budgets),
		RG_OPT_VALUE("--target", NULL, &o->target),
		RG_OPT_VALUE("--format", NULL, &o->format),
		RG_OPT_VALUE("--json-out", NULL, &o->json_out),
		RG_OPT_VALUE("--markdown-out", NULL, &o->md_out),
		RG_OPT_VALUE("--arch", NULL, &o->arch),
		RG_OPT_VALUE("--by", NULL, &by),
		RG_OPT_VALUE("--top", NULL, &top),
		RG_OPT_VALUE("--page-size", NULL, &page_size),
		RG_OPT_FLAG("--all", &o->all),
		RG_OPT_END
	};
	int rc;

	if ((rc = rg_opts_parse("diff", rg_help_diff, argc, argv, opts, take_file, o)) != 0)
		return rc;
	if ((o->by_set = by != NULL) && rg_attr_key_parse(by, &o->by) != 0) {
		rg_errorf("diff: --by: expected section, symbol, package, target or "
		          "target-package, got '%s'", by);
		return -1;
	}
	if ((top && rg_top_arg("diff: ", top, &o->top) < 0) ||
	    (page_size && rg_page_size_arg(page_size, &o->page_size) < 0))
		return -1;
	if (o->nfiles != 2) {
		rg_errorf("diff: expected two files, OLD and NEW (see 'relgate help diff')");
		return -1;
	}
	if (o->by_set) {
		if (strcmp(o->format, "text") && strcmp(o->format, "json")) {
			rg_errorf("diff: --by prints text or json, not '%s'", o->format);
			return -1;
		}
		if (o->budgets || o->target || o->json_out || o->md_out) {
			rg_errorf("diff: --by compares attribution rows; it takes no --budgets, "
			          "--target, --json-out or --markdown-out");
			return -1;
		}
		return 0;
	}
	if (!rg_report_format_ok("diff", o->format))
		return -1;
	return 0;
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

/* Reads a measure document and picks its one binary for arch (NULL: the
 * only one). *doc to cJSON_Delete and *buf to free, whatever it returns. */
static int json_binary(const char *path, const char *arch, char **buf, cJSON **doc,
                       cJSON **pick, rg_err *err)
{
	size_t len, n = 0;
	char archs[256] = "";
	cJSON *bins, *it;

	*doc = *pick = NULL;
	*buf = NULL;
	if (rg_read_file(path, MAX_JSON_INPUT, buf, &len, err) != RG_OK)
		return err->code;
	if (!(*doc = cJSON_ParseWithLength(*buf, len))) {
		const char *at = cJSON_GetErrorPtr();
		return rg_err_set(err, RG_EINPUT, "not valid JSON (near byte %ld)",
		                  at && at >= *buf && at <= *buf + len ? (long)(at - *buf) : -1L);
	}
	bins = cJSON_GetObjectItemCaseSensitive(*doc, "binaries");
	if (!cJSON_IsArray(bins))
		return rg_err_set(err, RG_EINPUT, "a JSON input must be 'relgate measure --format "
		                  "json' output (no \"binaries\" list)");
	cJSON_ArrayForEach(it, bins) {
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(it, "arch");
		const char *an = cJSON_IsString(a) ? a->valuestring : "?";
		size_t l = strlen(archs);
		snprintf(archs + l, sizeof(archs) - l, "%s%s", l ? ", " : "", an);
		if (!arch || !strcmp(arch, an)) {
			*pick = it;
			n++;
		}
	}
	if (n != 1)
		return pick_slice_error("binaries", n, archs, arch, err);
	return RG_OK;
}

static int load_json_side(const char *path, const char *arch, uint64_t want_ps, side *s, rg_err *err)
{
	char *buf;
	cJSON *doc, *pick;
	int rc = RG_EINPUT;

	if (json_binary(path, arch, &buf, &doc, &pick, err) != RG_OK) {
		rc = err->code;
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

static int load_side(const char *path, const char *arch, uint64_t page_size,
                     const rg_target *t, side *s, rg_err *err)
{
	rg_measure_opts opts = RG_MEASURE_OPTS_INIT;
	rg_binary_list list = { 0 };
	char archs[256] = "";
	const char **groups = NULL;
	long ngroups;
	size_t i;
	int rc;

	if (looks_like_json(path))
		return load_json_side(path, arch, page_size, s, err);
	opts.arch = arch;
	opts.page_size = page_size;
	if ((ngroups = rg_target_group_metrics(t, &groups)) < 0)
		return rg_err_set(err, RG_ENOMEM, "out of memory");
	if (ngroups)
		opts.attribution = RG_ATTR_LOCATION;
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
	if (ngroups && (rc = rg_attr_group_metrics(list.items[0], groups, (size_t)ngroups, err)))
		goto done;
	if (rg_metric_map_from_binary(&s->m, list.items[0]))
		rc = rg_err_set(err, RG_ENOMEM, "out of memory");
done:
	free((void *)groups);
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
		if ((rc = load_side(o->files[i], arch, ps, t, &sides[i], err)) < 0) {
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

/* ---- diff --by KEY ------------------------------------------------------------ */

/* One side's attribution rows (all of them) and where they came from. */
typedef struct attr_side {
	rg_attr_table t;
	char arch[32];
	uint64_t total;
} attr_side;

static int attr_from_json(const char *path, const diff_opts *o, attr_side *s, rg_err *err)
{
	size_t n, i;
	char *buf;
	cJSON *doc, *pick, *at, *rows, *r;
	const cJSON *by, *m, *tot, *a;
	int rc = RG_EINPUT;

	if (json_binary(path, o->arch, &buf, &doc, &pick, err) != RG_OK) {
		rc = err->code;
		goto done;
	}
	a = cJSON_GetObjectItemCaseSensitive(pick, "arch");
	snprintf(s->arch, sizeof(s->arch), "%s", cJSON_IsString(a) ? a->valuestring : "");
	at = cJSON_GetObjectItemCaseSensitive(pick, "attribution");
	by = cJSON_GetObjectItemCaseSensitive(at, "by");
	rows = cJSON_GetObjectItemCaseSensitive(at, "rows");
	if (!cJSON_IsString(by) || strcmp(by->valuestring, rg_attr_key_name(o->by)) ||
	    !cJSON_IsArray(rows)) {
		rg_err_set(err, RG_EINPUT, "holds no attribution by %s (measure it with --by %s "
		           "--top 0 --format json)", rg_attr_key_name(o->by), rg_attr_key_name(o->by));
		goto done;
	}
	m = cJSON_GetObjectItemCaseSensitive(pick, "metrics");
	tot = cJSON_GetObjectItemCaseSensitive(m, "relocs.total");
	s->total = cJSON_IsNumber(tot) && tot->valuedouble > 0 ? (uint64_t)tot->valuedouble : 0;
	n = (size_t)cJSON_GetArraySize(rows);
	if (!(s->t.rows = calloc(n + 1, sizeof(*s->t.rows)))) {
		rc = rg_err_set(err, RG_ENOMEM, "out of memory");
		goto done;
	}
	i = 0;
	cJSON_ArrayForEach(r, rows) {
		const cJSON *nm = cJSON_GetObjectItemCaseSensitive(r, "name");
		const char *cols[] = { "relocs", "relative", "symbolic", "lazy", "dirty_pages",
		                       "sole_pages" };
		uint64_t *dst[6];
		size_t c;
		rg_attr_row *row = &s->t.rows[i];

		if (!cJSON_IsString(nm)) {
			rg_err_set(err, RG_EINPUT, "attribution row %zu has no name", i);
			goto done;
		}
		if (!strcmp(nm->valuestring, "[other]")) {
			rg_err_set(err, RG_EINPUT, "was measured with --top: its [other] row hides rows "
			           "(measure it with --top 0)");
			goto done;
		}
		if (!(row->name = strdup(nm->valuestring))) {
			rc = rg_err_set(err, RG_ENOMEM, "out of memory");
			goto done;
		}
		s->t.n = ++i;
		dst[0] = &row->relocs, dst[1] = &row->relative, dst[2] = &row->symbolic;
		dst[3] = &row->lazy, dst[4] = &row->dirty_pages, dst[5] = &row->sole_pages;
		for (c = 0; c < 6; c++) {
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, cols[c]);
			if (!cJSON_IsNumber(v) || v->valuedouble < 0) {
				rg_err_set(err, RG_EINPUT, "attribution row '%s' has no %s", row->name, cols[c]);
				goto done;
			}
			*dst[c] = (uint64_t)v->valuedouble;
		}
		row->size = -1;
	}
	rc = RG_OK;
done:
	cJSON_Delete(doc);
	free(buf);
	return rc;
}

static int attr_load(const char *path, const diff_opts *o, attr_side *s, rg_err *err)
{
	rg_measure_opts opts = RG_MEASURE_OPTS_INIT;
	rg_binary_list list = { 0 };
	int rc;

	if (looks_like_json(path))
		return attr_from_json(path, o, s, err);
	opts.arch = o->arch;
	opts.page_size = o->page_size;
	opts.attribution = RG_ATTR_LOCATION |
	                   (o->by == RG_BY_TARGET || o->by == RG_BY_TARGET_PACKAGE ? RG_ATTR_TARGETS : 0);
	if ((rc = rg_measure_file(path, &opts, &list, err)))
		goto done;
	if (list.n != 1) {
		rc = rg_err_set(err, RG_EINPUT, "%zu slices; pick one with --arch", list.n);
		goto done;
	}
	snprintf(s->arch, sizeof(s->arch), "%s", list.items[0]->arch);
	s->total = list.items[0]->n_total;
	rc = rg_attr_rows(list.items[0], o->by, 0, &s->t, err);
done:
	rg_binary_list_free(&list);
	return rc;
}

typedef rg_attr_delta attr_delta;

static int name_cmp_row(const void *x, const void *y)
{
	return strcmp(((const rg_attr_row *)x)->name, ((const rg_attr_row *)y)->name);
}

static uint64_t mag64(int64_t v)
{
	return v < 0 ? (uint64_t)-v : (uint64_t)v;
}

/* Largest change of fixups first, then of pages, then by name. */
static int delta_cmp(const void *x, const void *y)
{
	const attr_delta *p = x, *q = y;

	if (mag64(p->d_relocs) != mag64(q->d_relocs))
		return mag64(p->d_relocs) > mag64(q->d_relocs) ? -1 : 1;
	if (mag64(p->d_pages) != mag64(q->d_pages))
		return mag64(p->d_pages) > mag64(q->d_pages) ? -1 : 1;
	return strcmp(p->name, q->name);
}

/* The rows that changed, by merging the two sides sorted by name. */
static attr_delta *attr_merge(attr_side *s, size_t *n)
{
	size_t i = 0, j = 0, k = 0;
	attr_delta *d = calloc(s[0].t.n + s[1].t.n + 1, sizeof(*d));

	if (!d)
		return NULL;
	if (s[0].t.n)
		qsort(s[0].t.rows, s[0].t.n, sizeof(rg_attr_row), name_cmp_row);
	if (s[1].t.n)
		qsort(s[1].t.rows, s[1].t.n, sizeof(rg_attr_row), name_cmp_row);
	while (i < s[0].t.n || j < s[1].t.n) {
		const rg_attr_row *b = i < s[0].t.n ? &s[0].t.rows[i] : NULL;
		const rg_attr_row *h = j < s[1].t.n ? &s[1].t.rows[j] : NULL;
		int c = !b ? 1 : !h ? -1 : strcmp(b->name, h->name);
		attr_delta *e = &d[k];

		e->base = c <= 0 ? b : NULL;
		e->head = c >= 0 ? h : NULL;
		i += c <= 0;
		j += c >= 0;
		e->name = e->base ? e->base->name : e->head->name;
		e->d_relocs = (int64_t)(e->head ? e->head->relocs : 0) -
		              (int64_t)(e->base ? e->base->relocs : 0);
		e->d_pages = (int64_t)(e->head ? e->head->dirty_pages : 0) -
		             (int64_t)(e->base ? e->base->dirty_pages : 0);
		if (e->d_relocs || e->d_pages || !e->base || !e->head)
			k++;
	}
	if (k)
		qsort(d, k, sizeof(*d), delta_cmp);
	*n = k;
	return d;
}

static int attr_diff(diff_opts *o)
{
	attr_side s[2];
	attr_delta *d = NULL;
	rg_err err = { 0 };
	size_t n = 0;
	int i, code = RG_EXIT_OK;
	char ctx[1100];

	memset(s, 0, sizeof(s));
	if (o->top == UINT64_MAX) /* not given: 20 rows of text, every row of JSON */
		o->top = strcmp(o->format, "text") ? 0 : 20;
	for (i = 0; i < 2; i++)
		if (attr_load(o->files[i], o, &s[i], &err) != RG_OK) {
			snprintf(ctx, sizeof(ctx), "%s: ", o->files[i]);
			err_wrap(&err, ctx, "");
			rg_errorf("%s", err.msg);
			code = rg_exit_for(err.code);
			goto done;
		}
	if (!(d = attr_merge(s, &n)) ||
	    rg_attr_diff_write(stdout, o->format, rg_attr_key_name(o->by), o->files, s[0].total,
	                       s[1].total, s[0].arch, s[1].arch, d, n, (size_t)o->top) != 0 ||
	    fflush(stdout) != 0) {
		rg_errorf("cannot write the output: %s", strerror(errno));
		code = RG_EXIT_USAGE;
	}
done:
	free(d);
	for (i = 0; i < 2; i++)
		rg_attr_table_free(&s[i].t);
	return code;
}

int rg_cmd_diff(int argc, char **argv)
{
	diff_opts o = { NULL, NULL, "text", NULL, NULL, NULL, 0, { NULL, NULL }, 0, 0, 0, RG_BY_SECTION,
	                UINT64_MAX };
	side sides[2];
	rg_target_result res;
	rg_report rep;
	rg_err err = { 0 };
	int code, i, a;

	memset(sides, 0, sizeof(sides));
	memset(&res, 0, sizeof(res));
	if ((a = parse_args(argc, argv, &o)))
		return a > 0 ? RG_EXIT_OK : RG_EXIT_USAGE;
	if (o.by_set)
		return attr_diff(&o);
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
