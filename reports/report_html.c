/*
 * report_html.c - the range report as one self-contained HTML page
 * (reports/report.h rg_range_write_html): HTML5 with inline CSS and inline
 * SVG 1.1, no script and no external resource, so it reads offline.
 *
 * The page: the verdict and what needs attention (each failing or warning
 * rule with the first commit of the range that crossed its limit), then per
 * target its verdict table (severity order, as text and Markdown), a chart
 * per metric that moved or has a rule, and every changed metric in a
 * collapsed table. A chart: y ticks at round values in the metric's units
 * with gridlines, x ticks labelled with short commit ids (thinned to fit),
 * the budget lines labelled and styled by kind (max solid, max_increase
 * dashed, warn_* amber), a limit far from the data stated above the plot
 * instead of flattening the series, the commits that crossed a limit
 * marked. Hooks for tests and tools: data-metric/data-target on each
 * <svg>, data-commit/data-value on each point, data-rule/data-limit on each
 * budget line or off-scale note, data-tick on each y tick label.
 * A sampled report (--every N) marks each step between measured commits
 * that are not adjacent in the range: that segment of the series is dashed
 * (class "sampled"), its title "between A and B (N commits)", and the
 * movers table names the span and the bisect command that finds the commit
 * inside instead of crediting B. Tags in the range label the x axis under
 * their commit's point (<text class="tag" data-commit=...>).
 * Every string that came from git, YAML or a binary goes through
 * rg_html_escape (escape.h).
 */
#include "report.h"
#include "escape.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define esc rg_html_escape
#define MAX_LIMITS 16
#define MAX_TICKS 16
#define NONE ((size_t)-1)

/* A budget line of a chart: a rule of the target on the metric, at the
 * absolute value it allows. */
typedef struct chart_limit {
	const rg_rule *rule;
	int64_t at;
	int fail;          /* max/max_increase fail; warn_* warn */
	int shown;         /* on the scale: a line; off it: a note above the plot */
	double label_y;
} chart_limit;

typedef struct chart {
	const rg_range_report *r;
	const rg_series *s;
	const char *m;
	double w, h, left, right, top, bottom;  /* the plot area */
	int64_t lo, hi, step;                   /* y ticks: lo, lo + step, ... hi */
	int64_t unit;                           /* 0: numbers as rg_fmt_value writes them; */
	int decimals;                           /* else in this unit, with these decimals */
	chart_limit lim[MAX_LIMITS];
	size_t nlim, noff;
} chart;

/* ---- values ---------------------------------------------------------------- */

static int64_t sat_add(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	return a + b;
}

/* The absolute value a rule allows: its max, or base plus the increase. */
static int rule_at(const rg_rule *ru, int has_base, int64_t base, int64_t *at)
{
	if (!rg_rule_is_increase(ru->kind)) {
		*at = ru->value;
		return 1;
	}
	if (!has_base)
		return 0;
	*at = sat_add(base, ru->is_percent ? rg_percent_of(base, ru->percent_units) : ru->value);
	return 1;
}

static int is_fail_kind(int kind)
{
	return kind == RG_RULE_MAX || kind == RG_RULE_MAX_INCREASE;
}

/* The first commit of s whose value of m is above at while the measured
 * commit before it was not, or NONE. */
static size_t first_crossing(const rg_range_report *r, const rg_series *s, const char *m,
                             int64_t at)
{
	size_t k;
	int64_t v;
	int prev_within = 0;

	for (k = 0; k < r->ncommits; k++) {
		if (!rg_series_value(s, k, m, &v))
			continue;
		if (v > at && prev_within)
			return k;
		prev_within = v <= at;
	}
	return NONE;
}

static const rg_series *series_of(const rg_range_report *r, const char *target)
{
	size_t i;

	for (i = 0; i < r->nseries; i++)
		if (!strcmp(r->series[i].t->name, target))
			return &r->series[i];
	return NULL;
}

/* A value for people: rg_fmt_value, or a dash when absent. */
static void put_value(FILE *f, const char *m, int has, int64_t v)
{
	char b[48];

	fputs(has ? rg_fmt_value(m, v, b, sizeof(b)) : "\xe2\x80\x94", f);
}

/* ---- the y scale ------------------------------------------------------------- */

/* A round step near raw: a power of two for bytes (so ticks fall on whole
 * KiB and MiB), 1, 2 or 5 times a power of ten for counts. */
static int64_t nice_step(const char *m, double raw)
{
	int64_t s = 1;

	if (rg_metric_is_bytes(m)) {
		while ((double)s < raw && s < INT64_MAX / 4)
			s *= 2;
		return s;
	}
	for (;;) {
		if ((double)s >= raw)
			return s;
		if ((double)s * 2 >= raw)
			return s * 2;
		if ((double)s * 5 >= raw || s > INT64_MAX / 100)
			return s * 5;
		s *= 10;
	}
}

/* The budget lines of the chart's target on its metric. */
static void chart_limits(chart *c)
{
	const rg_target *t = c->s->t;
	int64_t base = 0;
	int has_base = rg_series_value(c->s, 0, c->m, &base);
	size_t i;

	for (i = 0; i < t->nrules && c->nlim < MAX_LIMITS; i++) {
		chart_limit *l = &c->lim[c->nlim];
		if (strcmp(t->rules[i].metric, c->m) || !rule_at(&t->rules[i], has_base, base, &l->at))
			continue;
		l->rule = &t->rules[i];
		l->fail = is_fail_kind(l->rule->kind);
		c->nlim++;
	}
}

/*
 * The y range: the data, plus each limit close enough that the data keeps
 * at least a third of the height (a limit further off would flatten the
 * series: it becomes a note). A flat series gets a band around its value.
 */
static void chart_scale(chart *c)
{
	int64_t v, dlo = INT64_MAX, dhi = INT64_MIN;
	double pad, core, vlo, vhi;
	size_t k, i;

	for (k = 0; k < c->r->ncommits; k++)
		if (rg_series_value(c->s, k, c->m, &v)) {
			dlo = v < dlo ? v : dlo;
			dhi = v > dhi ? v : dhi;
		}
	if (dlo > dhi)
		dlo = dhi = 0;
	pad = dlo == dhi ? fmax(1, fabs((double)dhi) / 10) : 0;
	core = (double)dhi - (double)dlo + 2 * pad;
	vlo = (double)dlo - pad;
	vhi = (double)dhi + pad;
	for (i = 0; i < c->nlim; i++) {
		double at = (double)c->lim[i].at;
		c->lim[i].shown = at >= (double)dlo - 2 * core && at <= (double)dhi + 2 * core;
		if (c->lim[i].shown) {
			vlo = fmin(vlo, at);
			vhi = fmax(vhi, at);
		} else {
			c->noff++;
		}
	}
	if (dlo >= 0 && vlo < 0)
		vlo = 0;
	c->step = nice_step(c->m, (vhi - vlo) / 5);
	c->lo = (int64_t)floor(vlo / (double)c->step) * c->step;
	c->hi = (int64_t)ceil(vhi / (double)c->step) * c->step;
	if (c->hi <= c->lo)
		c->hi = c->lo + c->step;
}

static double chart_x(const chart *c, size_t k)
{
	if (c->r->ncommits < 2)
		return (c->left + c->right) / 2;
	return c->left + (c->right - c->left) * (double)k / (double)(c->r->ncommits - 1);
}

static double chart_y(const chart *c, int64_t v)
{
	return c->bottom - (c->bottom - c->top) * ((double)v - (double)c->lo) /
	                   ((double)c->hi - (double)c->lo);
}

/* "16.0 KiB" back to 16384 (what a reader takes a label to mean). */
static double label_bytes(const char *s)
{
	char *end;
	double d = strtod(s, &end), mul = 1;
	int k;

	while (*end == ' ')
		end++;
	for (k = 0; rg_fmt_unit(k); k++, mul *= 1024)
		if (!strcmp(end, rg_fmt_unit(k)))
			return d * mul;
	return d;
}

/* A number of the chart in the axis's format (see axis_format). */
static const char *chart_fmt(const chart *c, int64_t v, char *buf, size_t len)
{
	if (!c->unit)
		return rg_fmt_value(c->m, v, buf, len);
	return rg_fmt_size_in(v, c->unit, c->decimals, buf, len);
}

/*
 * How the chart writes numbers: as rg_fmt_value does in the tables when
 * each y tick then reads as its value and no two ticks read alike;
 * otherwise (a small step on a large size: "1.40 MiB" five times) in one
 * unit with the decimals the step needs ("1438.5 KiB"), the axis, the
 * budget values and the two ends alike.
 */
static void axis_format(chart *c)
{
	char a[48], b[48] = "";
	int64_t v, top, u = 1;

	if (!rg_metric_is_bytes(c->m))
		return;
	for (v = c->lo; v <= c->hi; v += c->step) {
		rg_fmt_value(c->m, v, a, sizeof(a));
		if (fabs(label_bytes(a) - (double)v) > (double)c->step / 100 || !strcmp(a, b))
			break;
		memcpy(b, a, sizeof(b));
	}
	if (v > c->hi)
		return;
	top = llabs(c->lo) > llabs(c->hi) ? llabs(c->lo) : llabs(c->hi);
	while (u < INT64_MAX / 1024 && top / 1024 >= u)
		u *= 1024;
	while (u > 1 && c->step < u / 4)
		u /= 1024;
	c->unit = u;
	c->decimals = c->step % u == 0 ? 0 : (c->step * 2) % u == 0 ? 1 : 2;
}

/* ---- the chart --------------------------------------------------------------- */

/* Gridlines and the y tick labels, right-aligned left of the plot. */
static void svg_y_axis(FILE *f, const chart *c)
{
	char lab[48];
	size_t n = (size_t)((c->hi - c->lo) / c->step) + 1, i;

	if (n > MAX_TICKS)
		n = MAX_TICKS;
	for (i = 0; i < n; i++) {
		int64_t v = c->lo + (int64_t)i * c->step;
		double y = chart_y(c, v);
		fprintf(f, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
		        "<text class=\"ytick\" data-tick=\"%lld\" x=\"%.1f\" y=\"%.1f\">%s</text>\n",
		        c->left, y, c->right, y, (long long)v, c->left - 8, y + 4,
		        chart_fmt(c, v, lab, sizeof(lab)));
	}
}

/*
 * The x axis under the plot: a tick per point and, where they fit, its
 * label (labels[k]; NULL for none). The first and last labels are always
 * drawn, the others left to right when they clear the last one drawn and
 * the final one, so nothing overlaps however many points and however long
 * a label (short ids, tags).
 */
static void svg_x_axis(FILE *f, const chart *c, size_t n, const char *const *labels)
{
	const double cw = 8, gap = 10;   /* a 13px monospace character (narrow screens); space */
	double last_end = -1e9, final_start = 1e9, x, half;
	size_t k;

	fprintf(f, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
	        c->left, c->bottom, c->right, c->bottom);
	if (n > 1 && labels[n - 1])
		final_start = chart_x(c, n - 1) - (double)strlen(labels[n - 1]) * cw / 2 - gap;
	for (k = 0; k < n; k++) {
		x = chart_x(c, k);
		if (n <= (size_t)((c->right - c->left) / 4))
			fprintf(f, "<line class=\"xtickmark\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			        "y2=\"%.1f\"/>", x, c->bottom, x, c->bottom + 4);
		if (!labels[k])
			continue;
		half = (double)strlen(labels[k]) * cw / 2;
		if (k && k + 1 < n && (x - half < last_end || x + half > final_start))
			continue;
		fputs("<text class=\"xtick\" x=\"", f);
		fprintf(f, "%.1f\" y=\"%.1f\">", x, c->bottom + 20);
		esc(f, labels[k]);
		fputs("</text>\n", f);
		last_end = x + half + gap;
	}
}

/* "max_increase +48 (60) · relgate.yml:21" */
static void limit_words(FILE *f, const chart *c, const chart_limit *l)
{
	char a[48], b[48];

	fprintf(f, "%s %s%s", rg_rule_kind_name(l->rule->kind),
	        rg_rule_is_increase(l->rule->kind) ? "+" : "",
	        rg_rule_limit_str(l->rule, a, sizeof(a)));
	if (rg_rule_is_increase(l->rule->kind))
		fprintf(f, " (%s)", chart_fmt(c, l->at, b, sizeof(b)));
	fputs(" \xc2\xb7 ", f);
	esc(f, l->rule->file);
	fprintf(f, ":%d", l->rule->line);
}

static int cmp_label_y(const void *a, const void *b)
{
	const chart_limit *x = *(const chart_limit *const *)a, *y = *(const chart_limit *const *)b;

	return (x->label_y > y->label_y) - (x->label_y < y->label_y);
}

/* The limits on the scale: a line each, styled by kind, and its value in
 * the gutter right of the plot (tags kept apart when lines are close). */
static void svg_budget_lines(FILE *f, chart *c)
{
	chart_limit *on[MAX_LIMITS];
	size_t i, n = 0;
	char b[48];

	for (i = 0; i < c->nlim; i++)
		if (c->lim[i].shown) {
			c->lim[i].label_y = chart_y(c, c->lim[i].at) + 4;
			on[n++] = &c->lim[i];
		}
	qsort(on, n, sizeof(on[0]), cmp_label_y);
	for (i = 1; i < n; i++)
		if (on[i]->label_y - on[i - 1]->label_y < 12)
			on[i]->label_y = on[i - 1]->label_y + 12;
	for (i = 0; i < n; i++) {
		double y = chart_y(c, on[i]->at);
		fprintf(f, "<line class=\"budget %s %s\" data-rule=\"%s\" data-limit=\"%lld\" "
		        "x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
		        "<text class=\"btag %s\" x=\"%.1f\" y=\"%.1f\">%s</text>\n",
		        on[i]->fail ? "fail" : "warn", rg_rule_kind_name(on[i]->rule->kind),
		        rg_rule_kind_name(on[i]->rule->kind), (long long)on[i]->at, c->left, y,
		        c->right, y, on[i]->fail ? "fail" : "warn", c->right + 5, on[i]->label_y,
		        chart_fmt(c, on[i]->at, b, sizeof(b)));
	}
}

/* A legend row per limit above the plot: a sample of its line, then
 * "max_increase +48 (60) · relgate.yml:21"; for a limit off the scale
 * "▲ max 1 MiB · relgate.yml:23 is off the chart: 998 KiB above the head". */
static void svg_legend(FILE *f, const chart *c)
{
	size_t i, last = c->r->ncommits;
	int64_t head = 0, v;
	char b[48];

	while (last > 0 && !rg_series_value(c->s, last - 1, c->m, &head))
		last--;
	for (i = 0; i < c->nlim; i++) {
		const chart_limit *l = &c->lim[i];
		const char *cls = l->fail ? "fail" : "warn", *kind = rg_rule_kind_name(l->rule->kind);
		double y = 14 + 15 * (double)i;
		int above = l->at > head;

		fprintf(f, "<g class=\"legend%s\" data-rule=\"%s\" data-limit=\"%lld\">"
		        "<line class=\"budget %s %s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		        "y2=\"%.1f\"/><text class=\"blabel %s\" x=\"%.1f\" y=\"%.1f\">",
		        l->shown ? "" : " offscale", kind, (long long)l->at, cls, kind, 6.0,
		        y - 4, 30.0, y - 4, cls, 36.0, y);
		if (!l->shown)
			fputs(above ? "\xe2\x96\xb2 " : "\xe2\x96\xbc ", f);
		limit_words(f, c, l);
		if (!l->shown) {
			v = above ? l->at - head : head - l->at;
			fprintf(f, ", off the chart: %s %s the head", rg_fmt_value(c->m, v, b, sizeof(b)),
			        above ? "above" : "below");
		}
		fputs("</text></g>\n", f);
	}
}

/* The mark of commit k crossing a limit of kind (row: its label's line). */
static void svg_crossing(FILE *f, const chart *c, size_t k, size_t row, int fail, int kind)
{
	double x = chart_x(c, k);
	int right_half = x > (c->left + c->right) / 2;

	fprintf(f, "<g class=\"crossing %s\" data-commit=\"", fail ? "fail" : "warn");
	esc(f, c->r->commits[k].id);
	fprintf(f, "\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/><text x=\"%.1f\" "
	        "y=\"%.1f\" text-anchor=\"%s\">", x, c->top, x, c->bottom, x + (right_half ? -5 : 5),
	        c->top + 12 + 13 * (double)row, right_half ? "end" : "start");
	esc(f, c->r->commits[k].short_id);
	fprintf(f, " %s %s</text></g>\n", fail ? "breaks" : "crosses", rg_rule_kind_name(kind));
}

/* A vertical mark at each commit that took the metric over a limit (the
 * failing limits, then the warning ones where no failing one crossed). */
static void svg_crossings(FILE *f, const chart *c)
{
	size_t at[MAX_LIMITS], n = 0, i, j, k;
	int fail;

	for (fail = 1; fail >= 0; fail--)
		for (i = 0; i < c->nlim; i++) {
			if (c->lim[i].fail != fail ||
			    (k = first_crossing(c->r, c->s, c->m, c->lim[i].at)) == NONE)
				continue;
			for (j = 0; j < n && at[j] != k; j++)
				;
			if (j < n)
				continue;
			svg_crossing(f, c, k, n, fail, c->lim[i].rule->kind);
			at[n++] = k;
		}
}

/* The series: a line through the measured commits, dotted across a commit
 * that could not be measured (a gap), and a point per commit (red over a
 * failing limit, amber over a warning one). */
/*
 * The segment from point prev to point k: plain between neighbours, "gap"
 * over commits that could not be measured, "sampled" (dashed, with the
 * span in its title) where a sampled report skipped the commits between.
 */
static void svg_step(FILE *f, const chart *c, size_t prev, int64_t pv, size_t k, int64_t v)
{
	rg_mover step = { k, prev, v - pv };
	/* Commits of the range between the two that the walk skipped (not
	 * those it tried and could not measure: they are the gap). */
	size_t span = rg_mover_commits(c->r, &step);
	int sampled = span > k - prev;

	fprintf(f, "<line class=\"series%s%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\">",
	        prev + 1 == k ? "" : " gap", sampled ? " sampled" : "", chart_x(c, prev),
	        chart_y(c, pv), chart_x(c, k), chart_y(c, v));
	if (sampled) {
		fputs("<title>sampled: between ", f);
		esc(f, c->r->commits[prev].short_id);
		fputs(" and ", f);
		esc(f, c->r->commits[k].short_id);
		fprintf(f, " (%zu commits)</title>", span);
	}
	fputs("</line>", f);
}

/* Tags under the x axis, each under its commit's point; a label closer
 * than 60 px to the one before it goes one row lower. */
static void svg_tags(FILE *f, const chart *c)
{
	double last_x = -1e9, x;
	int row = 0;
	size_t k;

	for (k = 0; k < c->r->ncommits; k++) {
		if (!c->r->commits[k].tags)
			continue;
		x = chart_x(c, k);
		row = x - last_x < 60 ? !row : 0;
		last_x = x;
		fprintf(f, "<line class=\"tagmark\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
		        x, c->top, x, c->bottom + 4);
		fputs("<text class=\"tag\" data-commit=\"", f);
		esc(f, c->r->commits[k].id);
		fprintf(f, "\" x=\"%.1f\" y=\"%.1f\">", x, c->bottom + 36 + 12.0 * row);
		esc(f, c->r->commits[k].tags);
		fputs("</text>\n", f);
	}
}

static void svg_series(FILE *f, const chart *c)
{
	size_t k, i, prev = NONE;
	int64_t v, pv = 0;
	int over;
	char b[48];

	for (k = 0; k < c->r->ncommits; k++) {
		if (!rg_series_value(c->s, k, c->m, &v))
			continue;
		if (prev != NONE)
			svg_step(f, c, prev, pv, k, v);
		prev = k;
		pv = v;
	}
	fputc('\n', f);
	for (k = 0; k < c->r->ncommits; k++) {
		if (!rg_series_value(c->s, k, c->m, &v))
			continue;
		for (i = 0, over = 0; i < c->nlim; i++)
			if (v > c->lim[i].at)
				over = c->lim[i].fail ? 2 : over > 1 ? over : 1;
		fprintf(f, "<circle class=\"point%s\" data-commit=\"", over == 2 ? " over-fail" :
		        over ? " over-warn" : "");
		esc(f, c->r->commits[k].id);
		fprintf(f, "\" data-value=\"%lld\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"><title>",
		        (long long)v, chart_x(c, k), chart_y(c, v),
		        c->r->ncommits > 60 ? 2.0 : c->r->ncommits > 30 ? 3.0 : 4.0);
		esc(f, c->r->commits[k].short_id);
		fputc(' ', f);
		esc(f, c->r->commits[k].subject);
		fprintf(f, ": %s</title></circle>\n", chart_fmt(c, v, b, sizeof(b)));
	}
}

/* The chart of metric m of s: its limits, scale, number format, geometry. */
static void chart_init(chart *c, const rg_range_report *r, const rg_series *s, const char *m)
{
	memset(c, 0, sizeof(*c));
	c->r = r;
	c->s = s;
	c->m = m;
	chart_limits(c);
	chart_scale(c);
	axis_format(c);
	c->w = 600;
	c->left = 84;
	c->right = c->w - (c->nlim > c->noff ? 66 : 34);
	c->top = 12 + 15 * (double)c->nlim;
	c->bottom = c->top + 200;
	c->h = c->bottom + 28;
	for (size_t k = 0; k < r->ncommits; k++)
		if (r->commits[k].tags) {
			c->h = c->bottom + 54;  /* two rows of tags under the ids */
			break;
		}
}

/* One chart: x = the commits in order, y = the metric's value. */
static void svg_chart(FILE *f, chart *c)
{
	const char **labels = calloc(c->r->ncommits ? c->r->ncommits : 1, sizeof(*labels));
	size_t k;

	fputs("<svg class=\"chart\" data-target=\"", f);
	esc(f, c->s->t->name);
	fputs("\" data-metric=\"", f);
	esc(f, c->m);
	fprintf(f, "\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" role=\"img\">"
	        "\n<title>", c->w, c->h);
	esc(f, c->m);
	fputs(" over the range</title>\n", f);
	svg_y_axis(f, c);
	for (k = 0; labels && k < c->r->ncommits; k++)
		labels[k] = c->r->commits[k].short_id;
	if (labels)
		svg_x_axis(f, c, c->r->ncommits, labels);
	svg_tags(f, c);
	svg_legend(f, c);
	svg_budget_lines(f, c);
	svg_crossings(f, c);
	svg_series(f, c);
	fputs("</svg>\n", f);
	free(labels);
}

/* ---- the page ---------------------------------------------------------------- */

static const char css[] =
	"*{box-sizing:border-box}"
	"body{margin:0;background:#f6f8fa;color:#1f2328;font:15px/1.5 system-ui,-apple-system,"
	"'Segoe UI',Roboto,'DejaVu Sans',sans-serif}"
	"main{max-width:1280px;margin:0 auto;padding:24px 20px 48px}"
	"h1{font-size:24px;margin:0 0 4px}h2{font-size:20px;margin:36px 0 12px}"
	"h3{font-size:15px;margin:0;font-weight:600;word-break:break-all}"
	"code{font:13px ui-monospace,SFMono-Regular,Menlo,'DejaVu Sans Mono',monospace}"
	".meta{color:#59636e;margin:0 0 16px}"
	".card{background:#fff;border:1px solid #d1d9e0;border-radius:8px;padding:14px 16px;"
	"margin:0 0 16px}"
	".verdict{display:flex;flex-wrap:wrap;align-items:center;gap:8px 16px;font-size:17px}"
	".verdict.fail{border-left:6px solid #cf222e}.verdict.warn{border-left:6px solid #bf8700}"
	".verdict.pass{border-left:6px solid #1a7f37}.verdict.error{border-left:6px solid #cf222e}"
	".badge{display:inline-block;padding:0 9px;border-radius:999px;font-size:12px;"
	"font-weight:700;letter-spacing:.04em;text-transform:uppercase;border:1px solid;"
	"white-space:nowrap;vertical-align:2px}"
	".badge.fail,.badge.error{color:#cf222e;background:#ffebe9;border-color:#ffcecb}"
	".badge.warn{color:#9a6700;background:#fff8c5;border-color:#f5e0a0}"
	".badge.pass{color:#1a7f37;background:#dafbe1;border-color:#aceebb}"
	".badge.skipped{color:#59636e;background:#f6f8fa;border-color:#d1d9e0}"
	"ul.attention{margin:8px 0 0;padding-left:20px}ul.attention li{margin:4px 0}"
	".dim{color:#59636e}"
	".scroll{overflow-x:auto;margin-bottom:16px}"
	"table{border-collapse:collapse;width:100%}"
	"th,td{padding:6px 10px;border-bottom:1px solid #e6eaef;text-align:left;vertical-align:top}"
	"th{font-size:12px;color:#59636e;font-weight:600;text-transform:uppercase;"
	"letter-spacing:.04em}"
	"td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
	"tr.fail td{background:#fff5f5}tr.warn td{background:#fffbea}"
	"td.over{color:#cf222e;font-weight:600}"
	".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,540px),1fr));"
	"gap:16px}"
	".charts .card{margin:0;min-width:0}"
	".chartbox{overflow-x:auto}"
	".sub{color:#59636e;font-size:13px;margin:2px 0 6px}"
	"svg.chart{display:block;width:100%;height:auto}"
	"svg text{font:11px system-ui,-apple-system,'Segoe UI','DejaVu Sans',sans-serif;"
	"fill:#59636e}"
	"svg .grid{stroke:#eef1f4}svg .axis{stroke:#8c959f}svg .xtickmark{stroke:#8c959f}"
	"svg .ytick{text-anchor:end;font-variant-numeric:tabular-nums}"
	"svg .xtick{text-anchor:middle;font-family:ui-monospace,Menlo,'DejaVu Sans Mono',monospace}"
	"svg .series{fill:none;stroke:#0969da;stroke-width:2.5;stroke-linecap:round}"
	"svg .series.gap{stroke-width:1.5;stroke-dasharray:2 4}"
	"svg .series.sampled{stroke-dasharray:6 4}"
	"svg .tagmark{stroke:#8c959f;stroke-dasharray:1 3}"
	"svg .tag{text-anchor:middle;font-weight:600;fill:#1f2328}"
	"td.movers-of{border-top:0;padding-top:0;color:#59636e;font-size:13px}"
	"tr.sampled td{color:#59636e}tr.sampled td:first-child{white-space:nowrap}td.bisect code{font-size:12px;word-break:break-all}"
	"svg .point{fill:#0969da;stroke:#fff;stroke-width:1.5}"
	"svg .point.over-warn{fill:#bf8700}svg .point.over-fail{fill:#cf222e}"
	"svg .budget{fill:none;stroke-width:1.75}"
	"svg .budget.fail{stroke:#cf222e}svg .budget.warn{stroke:#bf8700}"
	"svg .budget.max_increase{stroke-dasharray:9 5}"
	"svg .budget.warn_max{stroke-dasharray:2 3}"
	"svg .budget.warn_increase{stroke-dasharray:9 3 2 3}"
	"svg .blabel{font-weight:600;paint-order:stroke;stroke:#fff;stroke-width:4px;"
	"stroke-linejoin:round}"
	"svg .blabel.fail,svg .btag.fail{fill:#cf222e}svg .blabel.warn,svg .btag.warn{fill:#9a6700}"
	"svg .btag{font-weight:600;font-variant-numeric:tabular-nums}"
	"svg .crossing line{stroke-width:1.5;stroke-dasharray:3 3}"
	"svg .crossing.fail line{stroke:#cf222e}svg .crossing.warn line{stroke:#bf8700}"
	"svg .crossing text{font-weight:700;paint-order:stroke;stroke:#fff;stroke-width:4px}"
	"svg .crossing.fail text{fill:#cf222e}svg .crossing.warn text{fill:#9a6700}"
	"table.movers{margin-top:6px;font-size:13px}table.movers td{padding:3px 6px}"
	"table.movers td.subj{max-width:0;width:100%;overflow:hidden;text-overflow:ellipsis;"
	"white-space:nowrap}"
	"details{margin:12px 0}summary{cursor:pointer;color:#0969da}"
	"pre{background:#f6f8fa;padding:10px;overflow-x:auto;font-size:13px}"
	"footer{margin-top:32px;font-size:13px}"
	"@media print{body{background:#fff}.card{break-inside:avoid}}"
	"@media (max-width:700px){main{padding:12px 10px}th,td{padding:4px 6px}"
	"h1{font-size:20px}svg .ytick,svg .xtick,svg .btag{font-size:13px}"
	"svg .blabel,svg .crossing text{font-size:12px}}";

static void badge(FILE *f, rg_status st)
{
	fprintf(f, "<span class=\"badge %s\">%s</span>", rg_status_name(st), rg_status_name(st));
}

/* "<code>3f2a1c0</code> subject" */
static void commit_ref(FILE *f, const rg_range_commit *c)
{
	fputs("<code>", f);
	esc(f, c->short_id);
	fputs("</code> ", f);
	esc(f, c->subject);
}

static void page_head(FILE *f, const rg_range_report *r)
{
	const rg_report *rep = r->report;

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
	      "<title>relgate release report ", f);
	esc(f, r->range);
	fprintf(f, "</title>\n<style>%s</style></head><body><main>\n<h1>Release report "
	        "<code>", css);
	esc(f, r->range);
	fprintf(f, "</code></h1>\n<p class=\"meta\">%zu commits measured%s%s, from ", r->ncommits,
	        r->first_parent ? " (first parents)" : "", r->every > 1 ? " (a sample)" : "");
	commit_ref(f, &r->commits[0]);
	fputs(" to ", f);
	commit_ref(f, &r->commits[r->ncommits - 1]);
	fputs(". Budgets: ", f);
	if (rep->budgets_path) {
		fputs("<code>", f);
		esc(f, rep->budgets_path);
		fputs("</code> from ", f);
	}
	esc(f, rep->budgets_source ? rep->budgets_source : r->budgets_source);
	fputs(".</p>\n", f);
	if (r->range_commits > r->ncommits)
		fprintf(f, "<p class=\"meta sample\">A sample: %zu of the range's %zu commits measured "
		        "(one in %d, both ends and every tagged commit). A dashed step on a chart stands "
		        "for the commits between two measured ones; the movers tables name those spans "
		        "and the <code>relgate bisect</code> command that finds the commit inside.</p>\n",
		        r->ncommits, r->range_commits, r->every);
}

/* "over by 116" / "3 to spare" / a dash */
static void put_margin(FILE *f, const rg_verdict *v)
{
	char b[48];
	int64_t mg = v->margin == INT64_MIN ? INT64_MAX : v->margin;

	if (v->status == RG_STATUS_SKIPPED)
		fputs("\xe2\x80\x94", f);
	else if (mg < 0)
		fprintf(f, "over by %s", rg_fmt_value(v->rule.metric, -mg, b, sizeof(b)));
	else
		fprintf(f, "%s to spare", rg_fmt_value(v->rule.metric, mg, b, sizeof(b)));
}

/* "WARN app file.size warn_increase 4 KiB: 16.0 KiB -> 25.6 KiB, over by
 * 5.58 KiB. First over at 747444b SUBJECT" */
static void attention_item(FILE *f, const rg_range_report *r, const rg_target_result *t,
                           const rg_verdict *v)
{
	const rg_series *s = series_of(r, t->name);
	int64_t at;
	size_t k;
	char b[48];

	fputs("<li>", f);
	badge(f, v->status);
	fputs(" <b>", f);
	esc(f, t->name);
	fputs("</b> <code>", f);
	esc(f, v->rule.metric);
	fprintf(f, "</code> %s %s: ", rg_rule_kind_name(v->rule.kind),
	        rg_rule_limit_str(&v->rule, b, sizeof(b)));
	put_value(f, v->rule.metric, v->has_base, v->base);
	fputs(" \xe2\x86\x92 ", f);
	put_value(f, v->rule.metric, v->has_head, v->head);
	fputs(", ", f);
	put_margin(f, v);
	if (s && rule_at(&v->rule, v->has_base, v->base, &at)) {
		if ((k = first_crossing(r, s, v->rule.metric, at)) != NONE) {
			fputs(". First over at ", f);
			commit_ref(f, &r->commits[k]);
		} else if (v->has_base && v->base > at) {
			fputs(". Already over at the base", f);
		}
	}
	fputs("</li>\n", f);
}

/* The verdict, its counts, and each failing or warning rule with the commit
 * that first took its metric over the limit. */
static void page_verdict(FILE *f, const rg_range_report *r)
{
	const rg_report *rep = r->report;
	size_t nfail = rg_report_count(rep, RG_STATUS_FAIL), nwarn = rg_report_count(rep,
	       RG_STATUS_WARN), *order, i, j;

	fprintf(f, "<section class=\"card verdict %s\">", rg_status_name(rep->status));
	badge(f, rep->status);
	fprintf(f, "<span>%zu budget%s exceeded, %zu warning%s, %zu within budget%s</span>"
	        "</section>\n", nfail, nfail == 1 ? "" : "s", nwarn, nwarn == 1 ? "" : "s",
	        rg_report_count(rep, RG_STATUS_PASS),
	        rg_report_count(rep, RG_STATUS_SKIPPED) ? ", some skipped" : "");
	if (nfail + nwarn == 0)
		return;
	order = rg_report_order(rep);
	fputs("<section class=\"card\"><b>Needs attention</b><ul class=\"attention\">\n", f);
	for (i = 0; i < rep->ntargets; i++) {
		const rg_target_result *t = &rep->targets[order ? order[i] : i];
		size_t *vo = rg_verdict_order(t);
		for (j = 0; j < t->nverdicts; j++) {
			const rg_verdict *v = &t->verdicts[vo ? vo[j] : j];
			if (v->status == RG_STATUS_FAIL || v->status == RG_STATUS_WARN)
				attention_item(f, r, t, v);
		}
		free(vo);
	}
	fputs("</ul></section>\n", f);
	free(order);
}

/* The verdicts of a target in severity order, every number in units. */
/* Under a failed or warned rule on a fixup metric: what moved it most by
 * symbol and by Go package (docs/attribution.md), one row spanning the
 * table. */
static void verdict_movers(FILE *f, const rg_verdict *v)
{
	static const char *const keys[2] = { "symbol", "package" };
	char line[1600];
	int k;

	for (k = 0; k < 2; k++) {
		if (!*rg_movers_line(v, keys[k], NULL, line, sizeof(line)))
			continue;
		fprintf(f, "<tr><td></td><td class=\"movers-of\" colspan=\"6\">moved most, by %s: "
		        "<code>", keys[k]);
		esc(f, line);
		fputs("</code></td></tr>\n", f);
	}
}

static void target_verdicts(FILE *f, const rg_target_result *t)
{
	size_t *vo = rg_verdict_order(t), j;
	char b[48];

	if (!t->nverdicts)
		return;
	fputs("<div class=\"scroll\"><table class=\"verdicts\"><tr><th>status</th><th>metric</th>"
	      "<th>budget</th><th class=\"num\">base</th><th class=\"num\">head</th>"
	      "<th class=\"num\">change</th><th class=\"num\">margin</th></tr>\n", f);
	for (j = 0; j < t->nverdicts; j++) {
		const rg_verdict *v = &t->verdicts[vo ? vo[j] : j];
		rg_metric_row row;
		char pb[32];
		memset(&row, 0, sizeof(row));
		row.has_base = v->has_base;
		row.has_head = v->has_head;
		row.base = v->base;
		row.head = v->head;
		row.delta = v->delta;
		fprintf(f, "<tr class=\"%s\"><td>", rg_status_name(v->status));
		badge(f, v->status);
		fputs("</td><td><code>", f);
		esc(f, v->rule.metric);
		fprintf(f, "</code></td><td>%s %s <span class=\"dim\">", rg_rule_kind_name(v->rule.kind),
		        rg_rule_limit_str(&v->rule, b, sizeof(b)));
		esc(f, v->rule.file);
		fprintf(f, ":%d</span></td><td class=\"num\">", v->rule.line);
		put_value(f, v->rule.metric, v->has_base, v->base);
		fputs("</td><td class=\"num\">", f);
		put_value(f, v->rule.metric, v->has_head, v->head);
		fputs("</td><td class=\"num\">", f);
		if (v->has_base && v->has_head)
			fprintf(f, "%s <span class=\"dim\">%s</span>", rg_fmt_delta(v->rule.metric,
			        v->delta, b, sizeof(b)), rg_delta_percent(&row, pb, sizeof(pb)));
		fprintf(f, "</td><td class=\"num%s\">", v->status == RG_STATUS_FAIL ? " over" : "");
		put_margin(f, v);
		fputs("</td></tr>\n", f);
		verdict_movers(f, v);
	}
	fputs("</table></div>\n", f);
	free(vo);
}

/* The worst verdict of t on metric m, or -1 when no rule is on it. */
static int metric_status(const rg_target_result *t, const char *m)
{
	size_t j;
	int st = -1;

	for (j = 0; j < t->nverdicts; j++)
		if (!strcmp(t->verdicts[j].rule.metric, m) && (int)t->verdicts[j].status > st)
			st = (int)t->verdicts[j].status;
	return st;
}

/* 1 when m has no rule and the same value at every measured commit. */
static int flat_unjudged(const rg_range_report *r, const rg_series *s, const char *m)
{
	size_t i, k;
	int64_t v, first = 0;
	int have = 0;

	for (i = 0; i < s->t->nrules; i++)
		if (!strcmp(s->t->rules[i].metric, m))
			return 0;
	for (k = 0; k < r->ncommits; k++)
		if (rg_series_value(s, k, m, &v)) {
			if (have && v != first)
				return 0;
			first = v;
			have = 1;
		}
	return 1;
}

/* A movers row for a sampled step: the span and the command that finds the
 * commit inside it, not the later commit's subject. */
static void mover_span(FILE *f, const rg_range_report *r, const rg_series *s, const char *m,
                       const rg_mover *mv)
{
	char *cmd = rg_mover_bisect(r, s, m, mv);
	char b[48];

	fputs("<tr class=\"sampled\"><td>between <code>", f);
	esc(f, r->commits[mv->from].short_id);
	fputs("</code> and <code>", f);
	esc(f, r->commits[mv->at].short_id);
	fprintf(f, "</code><br>(%zu commits)</td><td class=\"bisect\">one of them; find it with <code>",
	        rg_mover_commits(r, mv));
	esc(f, cmd ? cmd : "relgate bisect --changed");
	fprintf(f, "</code></td><td class=\"num\">%s</td></tr>\n",
	        rg_fmt_delta(m, mv->delta, b, sizeof(b)));
	free(cmd);
}

/* A chart card: the metric, its two ends, the chart, its top movers. */
static void chart_card(FILE *f, const rg_range_report *r, const rg_target_result *t,
                       const rg_series *s, const char *m)
{
	rg_mover top[RG_TOP_MOVERS];
	size_t n = rg_series_movers(s, r->ncommits, m, top), k, last = r->ncommits;
	int64_t a = 0, z = 0;
	int st = metric_status(t, m), ha = rg_series_value(s, 0, m, &a), hz = 0;
	char b[48];
	chart c;

	chart_init(&c, r, s, m);
	while (last > 0 && !(hz = rg_series_value(s, last - 1, m, &z)))
		last--;
	fputs("<div class=\"card\"><h3><code>", f);
	esc(f, m);
	fputs("</code> ", f);
	if (st >= 0)
		badge(f, (rg_status)st);
	fputs("</h3><div class=\"sub\">", f);
	fputs(ha ? chart_fmt(&c, a, b, sizeof(b)) : "\xe2\x80\x94", f);
	fputs(" \xe2\x86\x92 ", f);
	fputs(hz ? chart_fmt(&c, z, b, sizeof(b)) : "\xe2\x80\x94", f);
	if (ha && hz)
		fprintf(f, " (%s)", rg_fmt_delta(m, z - a, b, sizeof(b)));
	fputs("</div><div class=\"chartbox\">\n", f);
	svg_chart(f, &c);
	fputs("</div>\n", f);
	if (n)
		fputs("<table class=\"movers\"><tr><th colspan=\"2\">moved it most</th>"
		      "<th class=\"num\">change</th></tr>\n", f);
	for (k = 0; k < n; k++) {
		const rg_range_commit *mc = &r->commits[top[k].at];
		if (rg_mover_commits(r, &top[k]) > 1) {
			mover_span(f, r, s, m, &top[k]);
			continue;
		}
		fputs("<tr><td><code>", f);
		esc(f, mc->short_id);
		fputs("</code></td><td class=\"subj\" title=\"", f);
		esc(f, mc->subject);
		fputs("\">", f);
		esc(f, mc->subject);
		fprintf(f, "</td><td class=\"num\">%s</td></tr>\n",
		        rg_fmt_delta(m, top[k].delta, b, sizeof(b)));
	}
	if (n)
		fputs("</table>\n", f);
	fputs("</div>\n", f);
}

/* Every metric of t that changed between the ends, collapsed. */
static void target_metrics(FILE *f, const rg_target_result *t)
{
	rg_metric_row *rows = NULL;
	size_t n = 0, i;
	char b[48], pb[32];

	if (rg_metric_rows(t, 0, &rows, &n) != RG_OK || !n) {
		free(rows);
		return;
	}
	fprintf(f, "<details><summary>%zu metric%s changed between the ends</summary>"
	        "<div class=\"scroll\"><table class=\"metrics\"><tr><th>metric</th>"
	        "<th class=\"num\">base</th><th class=\"num\">head</th><th class=\"num\">change"
	        "</th><th class=\"num\"></th></tr>\n", n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		fputs("<tr><td><code>", f);
		esc(f, rows[i].name);
		fputs("</code></td><td class=\"num\">", f);
		put_value(f, rows[i].name, rows[i].has_base, rows[i].base);
		fputs("</td><td class=\"num\">", f);
		put_value(f, rows[i].name, rows[i].has_head, rows[i].head);
		fputs("</td><td class=\"num\">", f);
		if (rows[i].has_base && rows[i].has_head)
			fputs(rg_fmt_delta(rows[i].name, rows[i].delta, b, sizeof(b)), f);
		fprintf(f, "</td><td class=\"num dim\">%s</td></tr>\n",
		        rg_delta_percent(&rows[i], pb, sizeof(pb)));
	}
	fputs("</table></div></details>\n", f);
	free(rows);
}

static void page_target(FILE *f, const rg_range_report *r, const rg_target_result *t)
{
	const rg_series *s = series_of(r, t->name);
	size_t j, nflat = 0;

	fputs("<section class=\"target\"><h2>", f);
	esc(f, t->name);
	fputc(' ', f);
	badge(f, t->status);
	fputs("</h2>\n", f);
	target_verdicts(f, t);
	fputs("<div class=\"charts\">\n", f);
	for (j = 0; s && j < s->nmetrics; j++)
		if (!flat_unjudged(r, s, s->metrics[j]))
			chart_card(f, r, t, s, s->metrics[j]);
	fputs("</div>\n", f);
	for (j = 0; s && j < s->nmetrics; j++) {
		if (!flat_unjudged(r, s, s->metrics[j]))
			continue;
		fputs(nflat++ ? ", " : "<p class=\"dim\">Unchanged over the range: ", f);
		fputs("<code>", f);
		esc(f, s->metrics[j]);
		fputs("</code>", f);
	}
	if (nflat)
		fputs(".</p>\n", f);
	target_metrics(f, t);
	for (j = 0; j < t->nnotes; j++) {
		fputs("<p class=\"dim\">", f);
		esc(f, t->notes[j]);
		fputs("</p>\n", f);
	}
	fputs("</section>\n", f);
}

static void page_tail(FILE *f, const rg_report *rep)
{
	size_t i;

	if (rep->nnotes) {
		fputs("<h2>Notes</h2><ul>\n", f);
		for (i = 0; i < rep->nnotes; i++) {
			fputs("<li>", f);
			esc(f, rep->notes[i]);
			fputs("</li>\n", f);
		}
		fputs("</ul>\n", f);
	}
	if (rep->budgets_changed && rep->budgets_diff) {
		fputs("<details><summary>relgate.yml as changed by the head</summary><pre>", f);
		esc(f, rep->budgets_diff);
		fputs("</pre></details>\n", f);
	}
	fputs("<footer class=\"dim\">Made by relgate " RG_VERSION ": sizes in binary units "
	      "(1 KiB = 1024 bytes).</footer>\n</main></body></html>\n", f);
}

int rg_range_write_html(const rg_range_report *r, const char *path)
{
	FILE *f = fopen(path, "w");
	size_t *order, i;
	int rc;

	if (!f)
		return -1;
	if (!r->ncommits) {
		fclose(f);
		errno = EINVAL;
		return -1;
	}
	order = rg_report_order(r->report);
	page_head(f, r);
	page_verdict(f, r);
	for (i = 0; i < r->report->ntargets; i++)
		page_target(f, r, &r->report->targets[order ? order[i] : i]);
	page_tail(f, r->report);
	free(order);
	rc = ferror(f) ? -1 : 0;
	return fclose(f) == 0 ? rc : -1;
}
