/*
 * report_html.c - the range report as one self-contained HTML page
 * (reports/report.h rg_range_write_html): HTML5 with inline CSS and inline
 * SVG 1.1, no script and no external resource, so it reads offline. Per
 * target a verdict table, then per charted metric an SVG line chart (x:
 * commit index, y: value; data-commit/data-value on each point, data-rule/
 * data-limit on each budget line) and its top movers.
 *
 * A sampled report (--every N) marks each step between measured commits
 * that are not adjacent: a dashed <line class="step sampled"> over the
 * series, its title "between A and B (N commits)", and the movers table
 * names the span and the bisect command instead of crediting B. Tags in
 * the range label the x axis under their commit's point (<text
 * class="tag" data-commit=...>).
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void html_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* The absolute limits a target's rules put on metric m (head values). */
static size_t limits(const rg_series *s, const char *m, int64_t base, int has_base,
                     int64_t *lim, const rg_rule **rule, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < s->t->nrules && n < max; i++) {
		const rg_rule *ru = &s->t->rules[i];
		int64_t inc;
		if (strcmp(ru->metric, m))
			continue;
		if (!rg_rule_is_increase(ru->kind)) {
			lim[n] = ru->value;
		} else {
			if (!has_base)
				continue;
			inc = ru->is_percent ? rg_percent_of(base, ru->percent_units) : ru->value;
			lim[n] = inc > INT64_MAX - base ? INT64_MAX : base + inc;
		}
		rule[n++] = ru;
	}
	return n;
}

/* One chart: x = commit index, y = value; a circle per measured commit. */
static void svg_chart(FILE *f, const rg_range_report *r, const rg_series *s, const char *m)
{
	const double W = 720, H = 250, L = 70, R = 20, T = 20, B = 40;
	int64_t v, lo = INT64_MAX, hi = INT64_MIN, base = 0, lim[16];
	const rg_rule *rule[16];
	size_t k, nl, i, prev = 0;
	int has_base = rg_series_value(s, 0, m, &base), first = 1;
	char buf[32], buf2[32];
	double span, xs, last_x = -1e9;
	int row = 0;

	nl = limits(s, m, base, has_base, lim, rule, 16);
	for (k = 0; k < r->ncommits; k++)
		if (rg_series_value(s, k, m, &v)) {
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
	for (i = 0; i < nl; i++) {
		lo = lim[i] < lo ? lim[i] : lo;
		hi = lim[i] > hi ? lim[i] : hi;
	}
	if (lo > hi)
		lo = hi = 0;
	span = hi > lo ? (double)hi - (double)lo : 1;
	xs = r->ncommits > 1 ? (W - L - R) / (double)(r->ncommits - 1) : 0;
#define X(k) (L + xs * (double)(k))
#define Y(val) (T + (H - T - B) * (1 - ((double)(val) - (double)lo) / span))
	fprintf(f, "<svg class=\"chart\" data-target=\"");
	html_text(f, s->t->name);
	fprintf(f, "\" data-metric=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
	        "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n", m, W, H, W, H);
	fprintf(f, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
	        L, H - B, W - R, H - B);
	fprintf(f, "<text x=\"4\" y=\"%.1f\">%s</text>\n<text x=\"4\" y=\"%.1f\">%s</text>\n",
	        Y(hi) + 4, rg_fmt_value(m, hi, buf, sizeof(buf)), Y(lo) + 4,
	        rg_fmt_value(m, lo, buf2, sizeof(buf2)));
	for (i = 0; i < nl; i++) {
		int warn = rule[i]->kind == RG_RULE_WARN_MAX || rule[i]->kind == RG_RULE_WARN_INCREASE;
		fprintf(f, "<line class=\"budget %s\" data-rule=\"%s\" data-limit=\"%lld\" x1=\"%.1f\" "
		        "y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"><title>%s %s (relgate.yml:%d)</title></line>\n",
		        warn ? "warn" : "fail", rg_rule_kind_name(rule[i]->kind), (long long)lim[i],
		        L, Y(lim[i]), W - R, Y(lim[i]), rg_rule_kind_name(rule[i]->kind),
		        rg_rule_limit_str(rule[i], buf, sizeof(buf)), rule[i]->line);
	}
	fputs("<polyline class=\"series\" points=\"", f);
	for (k = 0; k < r->ncommits; k++)
		if (rg_series_value(s, k, m, &v)) {
			fprintf(f, "%s%.1f,%.1f", first ? "" : " ", X(k), Y(v));
			first = 0;
		}
	fputs("\"/>\n", f);
	/* Sampled steps: the line between two measured commits that are not
	 * adjacent stands for every commit in between. */
	for (k = 0, first = 1; k < r->ncommits; k++) {
		int64_t pv;
		if (!rg_series_value(s, k, m, &v))
			continue;
		if (!first && rg_series_value(s, prev, m, &pv)) {
			rg_mover step = { k, prev, v - pv };
			size_t n = rg_mover_commits(r, &step);
			if (n > 1)
				fprintf(f, "<line class=\"step sampled\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
				        "y2=\"%.1f\"><title>sampled: between %s and %s (%zu commits)</title>"
				        "</line>\n", X(prev), Y(pv), X(k), Y(v), r->commits[prev].short_id,
				        r->commits[k].short_id, n);
		}
		prev = k;
		first = 0;
	}
	/* Tags on the x axis, under their commit; a label close to the one
	 * before it goes one row lower so the two stay readable. */
	for (k = 0; k < r->ncommits; k++) {
		if (!r->commits[k].tags)
			continue;
		row = X(k) - last_x < 60 ? !row : 0;
		last_x = X(k);
		fprintf(f, "<line class=\"tagmark\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
		        X(k), T, X(k), H - B + 4);
		fprintf(f, "<text class=\"tag\" data-commit=\"%s\" x=\"%.1f\" y=\"%.1f\" "
		        "text-anchor=\"middle\">", r->commits[k].id, X(k), H - B + 16 + 12.0 * row);
		html_text(f, r->commits[k].tags);
		fputs("</text>\n", f);
	}
	for (k = 0; k < r->ncommits; k++)
		if (rg_series_value(s, k, m, &v)) {
			fprintf(f, "<circle class=\"point\" data-commit=\"%s\" data-value=\"%lld\" "
			        "cx=\"%.1f\" cy=\"%.1f\" r=\"3\"><title>%s ", r->commits[k].id,
			        (long long)v, X(k), Y(v), r->commits[k].short_id);
			html_text(f, r->commits[k].subject);
			fprintf(f, ": %lld</title></circle>\n", (long long)v);
		}
	fputs("</svg>\n", f);
#undef X
#undef Y
}

int rg_range_write_html(const rg_range_report *r, const char *path)
{
	FILE *f = fopen(path, "w");
	size_t i, j, k;
	char hb[32];

	if (!f)
		return -1;
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>relgate "
	      "release report ", f);
	html_text(f, r->range);
	fputs("</title>\n<style>body{font:14px sans-serif;margin:2em;max-width:60em}"
	      "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}"
	      ".fail{color:#b00}.warn{color:#a60}.pass{color:#070}"
	      "svg .series{fill:none;stroke:#36c;stroke-width:2}svg .point{fill:#36c}"
	      "svg .axis{stroke:#888}svg .budget{stroke-dasharray:6 4;stroke-width:1.5}"
	      "svg .budget.fail{stroke:#b00}svg .budget.warn{stroke:#d80}svg text{font-size:11px}"
	      "svg .sampled{stroke:#fff;stroke-width:2;stroke-dasharray:3 3}"
	      "svg .tagmark{stroke:#999;stroke-dasharray:1 3}svg .tag{fill:#333;font-weight:bold}"
	      ".bisect code{font-size:12px}"
	      "</style></head><body>\n<h1>relgate release report: <code>", f);
	html_text(f, r->range);
	fprintf(f, "</code></h1>\n<p>Overall: <b class=\"%s\">%s</b>. %zu commits measured, from "
	        "<code>%s</code> ", rg_status_name(r->report->status), rg_status_name(r->report->status),
	        r->ncommits, r->commits[0].short_id);
	html_text(f, r->commits[0].subject);
	fprintf(f, " to <code>%s</code> ", r->commits[r->ncommits - 1].short_id);
	html_text(f, r->commits[r->ncommits - 1].subject);
	fputs(". Budgets: ", f);
	if (r->report->budgets_path) {
		fputs("<code>", f);
		html_text(f, r->report->budgets_path);
		fputs("</code> from ", f);
	}
	html_text(f, r->budgets_source);
	fputs(".</p>\n", f);
	if (r->range_commits > r->ncommits)
		fprintf(f, "<p class=\"sample\">A sample: %zu of the range's %zu commits measured (one in "
		        "%d, both ends and every tagged commit). A dashed step on a chart stands for "
		        "the commits between two measured ones; the movers tables name those spans and "
		        "the <code>relgate bisect</code> command that finds the commit inside.</p>\n",
		        r->ncommits, r->range_commits, r->every);
	for (i = 0; i < r->report->ntargets; i++) {
		const rg_target_result *t = &r->report->targets[i];
		const rg_series *s = NULL;
		for (j = 0; j < r->nseries; j++)
			if (!strcmp(r->series[j].t->name, t->name))
				s = &r->series[j];
		fputs("<h2>", f);
		html_text(f, t->name);
		fprintf(f, " <span class=\"%s\">%s</span></h2>\n<table class=\"verdicts\"><tr><th>"
		        "status</th><th>metric</th><th>rule</th><th>base</th><th>head</th><th>delta"
		        "</th><th>details</th></tr>\n", rg_status_name(t->status), rg_status_name(t->status));
		for (k = 0; k < t->nverdicts; k++) {
			const rg_verdict *v = &t->verdicts[k];
			fprintf(f, "<tr class=\"%s\"><td>%s</td><td><code>%s</code></td><td>%s %s</td>"
			        "<td>%lld</td><td>%lld</td><td>%+lld</td><td>", rg_status_name(v->status),
			        rg_status_name(v->status), v->rule.metric, rg_rule_kind_name(v->rule.kind),
			        rg_rule_limit_str(&v->rule, hb, sizeof(hb)), (long long)v->base,
			        (long long)v->head, (long long)v->delta);
			html_text(f, v->message);
			fputs("</td></tr>\n", f);
		}
		fputs("</table>\n", f);
		for (j = 0; s && j < s->nmetrics; j++) {
			rg_mover top[RG_TOP_MOVERS];
			size_t n = rg_series_movers(s, r->ncommits, s->metrics[j], top);
			fprintf(f, "<h3><code>%s</code></h3>\n", s->metrics[j]);
			svg_chart(f, r, s, s->metrics[j]);
			if (n)
				fputs("<table class=\"movers\"><tr><th>commit</th><th>subject</th><th>delta"
				      "</th></tr>\n", f);
			for (k = 0; k < n; k++) {
				size_t span = rg_mover_commits(r, &top[k]);
				char *cmd = span > 1 ? rg_mover_bisect(r, s, s->metrics[j], &top[k]) : NULL;
				if (span > 1) {
					fprintf(f, "<tr class=\"sampled\"><td>between <code>%s</code> and <code>%s"
					        "</code> (%zu commits)</td><td class=\"bisect\">one of them; find it "
					        "with <code>", r->commits[top[k].from].short_id,
					        r->commits[top[k].at].short_id, span);
					html_text(f, cmd ? cmd : "relgate bisect --changed");
					fputs("</code>", f);
				} else {
					fprintf(f, "<tr><td><code>%s</code></td><td>", r->commits[top[k].at].short_id);
					html_text(f, r->commits[top[k].at].subject);
				}
				fprintf(f, "</td><td>%+lld</td></tr>\n", (long long)top[k].delta);
				free(cmd);
			}
			if (n)
				fputs("</table>\n", f);
		}
	}
	if (r->report->nnotes) {
		fputs("<h2>Notes</h2><ul>\n", f);
		for (i = 0; i < r->report->nnotes; i++) {
			fputs("<li>", f);
			html_text(f, r->report->notes[i]);
			fputs("</li>\n", f);
		}
		fputs("</ul>\n", f);
	}
	fputs("</body></html>\n", f);
	return fclose(f) == 0 ? 0 : -1;
}
