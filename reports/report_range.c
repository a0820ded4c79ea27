/*
 * report_range.c - the range report of `relgate report` (reports/report.h
 * rg_range_render): the text report of its two ends on stdout, and as
 * files the JSON (the check report of docs/report.schema.json plus kind,
 * range, first_parent, every, commits and series: per target the values
 * of each charted metric, one per commit or null for a gap, and its top
 * movers) and the Markdown (the check summary, then per target a table of
 * the commits that moved each metric most). The HTML page is
 * report_html.c's.
 */
#include "report.h"
#include "measure_out.h"
#include "../gate/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int rg_series_value(const rg_series *s, size_t k, const char *m, int64_t *v)
{
	const cJSON *x;

	if (!s->points[k])
		return 0;
	x = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(s->points[k],
	                                     "metrics"), m);
	if (!cJSON_IsNumber(x))
		return 0;
	*v = (int64_t)x->valuedouble;
	return 1;
}

size_t rg_series_movers(const rg_series *s, size_t ncommits, const char *m, rg_mover *top)
{
	size_t k, n = 0, j, prev = 0;
	int have_prev = 0;
	int64_t v, pv = 0;

	for (k = 0; k < ncommits; k++) {
		if (!rg_series_value(s, k, m, &v))
			continue;
		if (have_prev && v != pv) {
			rg_mover x = { k, prev, v - pv };
			uint64_t ax = x.delta < 0 ? 0 - (uint64_t)x.delta : (uint64_t)x.delta;
			for (j = n; j > 0; j--) {
				int64_t d = top[j - 1].delta;
				uint64_t ad = d < 0 ? 0 - (uint64_t)d : (uint64_t)d;
				if (ad >= ax)
					break;
				if (j < RG_TOP_MOVERS)
					top[j] = top[j - 1];
			}
			if (j < RG_TOP_MOVERS) {
				top[j] = x;
				if (n < RG_TOP_MOVERS)
					n++;
			}
		}
		pv = v;
		prev = k;
		have_prev = 1;
	}
	return n;
}

static cJSON *series_json(const rg_range_report *r, const rg_series *s)
{
	cJSON *o = cJSON_CreateObject(), *vals, *mv;
	size_t i, k, n;
	rg_mover top[RG_TOP_MOVERS];
	int64_t v;

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "target", s->t->name);
	vals = cJSON_AddObjectToObject(o, "values");
	mv = cJSON_AddObjectToObject(o, "movers");
	for (i = 0; vals && mv && i < s->nmetrics; i++) {
		cJSON *a = cJSON_AddArrayToObject(vals, s->metrics[i]);
		cJSON *ma = cJSON_AddArrayToObject(mv, s->metrics[i]);
		for (k = 0; a && k < r->ncommits; k++)
			cJSON_AddItemToArray(a, rg_series_value(s, k, s->metrics[i], &v) ? rg_json_int(v)
			                                                            : cJSON_CreateNull());
		n = rg_series_movers(s, r->ncommits, s->metrics[i], top);
		for (k = 0; ma && k < n; k++) {
			cJSON *x = cJSON_CreateObject();
			if (!x)
				break;
			cJSON_AddStringToObject(x, "commit", r->commits[top[k].at].id);
			cJSON_AddStringToObject(x, "subject", r->commits[top[k].at].subject);
			cJSON_AddStringToObject(x, "since", r->commits[top[k].from].id);
			rg_json_add_int(x, "delta", top[k].delta);
			cJSON_AddItemToArray(ma, x);
		}
	}
	return o;
}

static int write_json(const rg_range_report *r, const char *path)
{
	cJSON *doc = rg_report_to_json(r->report), *cs, *ss;
	char *text = NULL;
	FILE *f = NULL;
	size_t i;
	int rc = -1;

	if (!doc)
		return -1;
	cJSON_AddStringToObject(doc, "kind", "release-report");
	cJSON_AddStringToObject(doc, "range", r->range);
	cJSON_AddBoolToObject(doc, "first_parent", r->first_parent);
	rg_json_add_int(doc, "every", r->every);
	cs = cJSON_AddArrayToObject(doc, "commits");
	for (i = 0; cs && i < r->ncommits; i++) {
		cJSON *c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "commit", r->commits[i].id);
		cJSON_AddStringToObject(c, "subject", r->commits[i].subject);
		cJSON_AddItemToArray(cs, c);
	}
	ss = cJSON_AddArrayToObject(doc, "series");
	for (i = 0; ss && i < r->nseries; i++)
		cJSON_AddItemToArray(ss, series_json(r, &r->series[i]));
	if (!(text = cJSON_Print(doc)) || !(f = fopen(path, "w")))
		goto done;
	rc = fputs(text, f) < 0 || fputc('\n', f) < 0 ? -1 : 0;
done:
	if (f && fclose(f) != 0)
		rc = -1;
	cJSON_free(text);
	cJSON_Delete(doc);
	return rc;
}

static void md_cell(FILE *f, const char *s)
{
	for (; *s; s++)
		fputs(*s == '|' ? "\\|" : *s == '<' ? "&lt;" : (char[2]){ *s, 0 }, f);
}

static int write_markdown(const rg_range_report *r, const char *path)
{
	FILE *f = fopen(path, "w");
	size_t i, j, k, n;
	rg_mover top[RG_TOP_MOVERS];
	char hb[32];

	if (!f)
		return -1;
	fprintf(f, "# relgate release report: `%s`\n\n%zu commits measured%s%s.\n\n",
	        r->range, r->ncommits, r->first_parent ? ", first parents only" : "",
	        r->every > 1 ? ", a sample" : "");
	rg_report_write_markdown(f, r->report, 0);
	fputs("\n## Commits that moved each metric most\n", f);
	for (i = 0; i < r->nseries; i++) {
		const rg_series *s = &r->series[i];
		fprintf(f, "\n### %s\n\n| metric | commit | subject | delta |\n|---|---|---|---:|\n",
		        s->t->name);
		for (j = 0; j < s->nmetrics; j++) {
			n = rg_series_movers(s, r->ncommits, s->metrics[j], top);
			for (k = 0; k < n; k++) {
				fprintf(f, "| `%s` | `%s` | ", s->metrics[j], r->commits[top[k].at].short_id);
				md_cell(f, r->commits[top[k].at].subject);
				fprintf(f, " | %s |\n", rg_fmt_delta(s->metrics[j], top[k].delta, hb, sizeof(hb)));
			}
		}
	}
	return fclose(f) == 0 ? 0 : -1;
}

int rg_range_render(const rg_range_report *r, const char *json_path, const char *md_path,
                    const char *html_path, rg_err *err)
{
	if (rg_report_write_text(stdout, r->report, rg_use_color(stdout)) < 0 ||
	    (json_path && write_json(r, json_path) < 0) ||
	    (md_path && write_markdown(r, md_path) < 0) ||
	    (html_path && rg_range_write_html(r, html_path) < 0))
		return rg_err_set(err, RG_EIO, "writing the report: %s", strerror(errno));
	return RG_OK;
}
