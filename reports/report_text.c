/*
 * report_text.c - the terminal form of a report (reports/report.h), plain
 * text with ANSI SGR colours when colour is on: an overall line, then per
 * target (failures first) its verdicts in words and a table of the metrics
 * that changed, most important first; after it, when the head changed
 * relgate.yml, that change as a unified diff. Also what `relgate bisect`
 * prints: the first bad commit, its failing verdicts, the builds it took.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

static const char *status_label(rg_status s)
{
	switch (s) {
	case RG_STATUS_FAIL: return "FAIL";
	case RG_STATUS_WARN: return "WARN";
	case RG_STATUS_PASS: return "pass";
	case RG_STATUS_SKIPPED: return "skip";
	case RG_STATUS_ERROR: return "ERROR";
	}
	return "?";
}

static const char *status_color(rg_status s, int color)
{
	if (!color)
		return "";
	switch (s) {
	case RG_STATUS_FAIL:
	case RG_STATUS_ERROR: return "\033[1;31m";
	case RG_STATUS_WARN: return "\033[1;33m";
	case RG_STATUS_PASS: return "\033[32m";
	default: return "\033[2m";
	}
}

static void write_summary(FILE *f, const rg_report *r, int color)
{
	size_t nf = rg_report_count(r, RG_STATUS_FAIL), nw = rg_report_count(r, RG_STATUS_WARN),
	       np = rg_report_count(r, RG_STATUS_PASS), ns = rg_report_count(r, RG_STATUS_SKIPPED);

	fprintf(f, "relgate: %s%s%s: %zu budget%s exceeded, %zu warning%s, %zu within budget, "
	        "%zu skipped\n", status_color(r->status, color), status_label(r->status),
	        color ? "\033[0m" : "", nf, nf == 1 ? "" : "s", nw, nw == 1 ? "" : "s", np, ns);
}

static void write_context(FILE *f, const rg_report *r)
{
	size_t i;

	if (r->base_commit || r->head_commit)
		fprintf(f, "base %s%s%s -> head %s%s%s\n", r->base_commit ? r->base_commit : "(none)",
		        r->base_subject ? " " : "", r->base_subject ? r->base_subject : "",
		        r->head_commit ? r->head_commit : "(working tree)",
		        r->head_subject ? " " : "", r->head_subject ? r->head_subject : "");
	if (r->budgets_path || r->budgets_source)
		fprintf(f, "budgets: %s%s%s%s\n", r->budgets_path ? r->budgets_path : "",
		        r->budgets_source ? " from " : "", r->budgets_source ? r->budgets_source : "",
		        r->budgets_changed ? " (the head side changes it; its new limits are not used)" : "");
	for (i = 0; i < r->ninputs; i++) {
		const rg_report_input *in = &r->inputs[i];
		fprintf(f, "%s: %s", in->side, in->path ? in->path : "(built)");
		if (in->format[0])
			fprintf(f, " (%s%s%s)", in->format, in->arch[0] ? " " : "", in->arch);
		fputc('\n', f);
	}
	for (i = 0; i < r->nnotes; i++)
		fprintf(f, "note: %s\n", r->notes[i]);
}

static void write_verdicts(FILE *f, const rg_target_result *t, int color)
{
	size_t *o = rg_verdict_order(t), i;
	const char *reset = color ? "\033[0m" : "";

	if (!o)
		return;
	for (i = 0; i < t->nverdicts; i++) {
		const rg_verdict *v = &t->verdicts[o[i]];
		fprintf(f, "  %s%-5s%s %s %s: %s\n", status_color(v->status, color),
		        status_label(v->status), reset, v->rule.metric,
		        rg_rule_kind_name(v->rule.kind), v->message);
	}
	free(o);
}

static void write_metrics(FILE *f, const rg_target_result *t)
{
	rg_metric_row *rows;
	size_t n, i, w = 6;
	char b[48], h[48], p[32], hd[48];

	if (rg_metric_rows(t, 0, &rows, &n) != RG_OK)
		return;
	if (!n) {
		fprintf(f, "  no metric changed\n");
		free(rows);
		return;
	}
	for (i = 0; i < n; i++)
		if (strlen(rows[i].name) > w)
			w = strlen(rows[i].name);
	fprintf(f, "  %-*s %14s %14s %14s %9s\n", (int)w, t->has_base ? "metric" : "metric (no base)",
	        "base", "head", "delta", "delta %");
	for (i = 0; i < n; i++) {
		const rg_metric_row *x = &rows[i];
		snprintf(b, sizeof(b), x->has_base ? "%lld" : "-", (long long)x->base);
		snprintf(h, sizeof(h), x->has_head ? "%lld" : "-", (long long)x->head);
		fprintf(f, "  %-*s %14s %14s ", (int)w, x->name, b, h);
		if (x->has_base && x->has_head)
			fprintf(f, "%+14lld", (long long)x->delta);
		else
			fprintf(f, "%14s", "");
		fprintf(f, " %9s", rg_delta_percent(x, p, sizeof(p)));
		if (x->has_base && x->has_head && rg_metric_is_bytes(x->name) &&
		    (x->delta >= 1024 || x->delta <= -1024))
			fprintf(f, "  (%s)", rg_fmt_delta(x->name, x->delta, hd, sizeof(hd)));
		fputc('\n', f);
	}
	free(rows);
}

int rg_report_write_text(FILE *f, const rg_report *r, int color)
{
	size_t *o = rg_report_order(r), i, j, nv = 0;

	if (!o)
		return -1;
	for (i = 0; i < r->ntargets; i++)
		nv += r->targets[i].nverdicts;
	if (nv || r->status == RG_STATUS_ERROR)
		write_summary(f, r, color);
	write_context(f, r);
	for (i = 0; i < r->ntargets; i++) {
		const rg_target_result *t = &r->targets[o[i]];
		fputc('\n', f);
		if (!t->nverdicts && t->status == RG_STATUS_PASS) /* a plain diff: nothing judged */
			fprintf(f, "target %s%s\n", t->name, t->has_base ? "" : " (no base side: a new target)");
		else
			fprintf(f, "target %s: %s%s%s%s\n", t->name, status_color(t->status, color),
			        status_label(t->status), color ? "\033[0m" : "",
			        t->has_base ? "" : " (no base side: a new target)");
		write_verdicts(f, t, color);
		for (j = 0; j < t->nnotes; j++)
			fprintf(f, "  note: %s\n", t->notes[j]);
		write_metrics(f, t);
	}
	free(o);
	return ferror(f) ? -1 : 0;
}

int rg_report_budgets_tail(const rg_report *r, int used, char **out)
{
	const char *u = used ? "used for this check" : "not used for this check", *path;
	size_t len;

	*out = NULL;
	if (!r->budgets_changed || !r->budgets_diff)
		return RG_OK;
	path = r->budgets_path ? r->budgets_path : "relgate.yml";
	len = strlen(r->budgets_diff) + strlen(u) + strlen(path) + 64;
	if (!(*out = malloc(len)))
		return RG_ENOMEM;
	snprintf(*out, len, "\n%s as changed by the head (%s):\n%s", path, u, r->budgets_diff);
	return RG_OK;
}

void rg_bisect_write_text(FILE *f, const rg_bisect_found *b)
{
	size_t i;

	if (b->changed) {
		fprintf(f, "first commit that changed %s: %s %s\n", b->metric, b->id, b->subject);
		if (!b->res)
			fprintf(f, "  (BAD, assumed to change %s %s: every commit before it has GOOD's "
			        "value %lld)\n", b->target, b->metric, (long long)b->good_value);
		else if (b->found_has)
			fprintf(f, "  %s %s: %lld -> %lld (%+lld)\n", b->target, b->metric,
			        (long long)b->good_value, (long long)b->found_value,
			        (long long)(b->found_value - b->good_value));
		else
			fprintf(f, "  %s %s: %lld -> absent\n", b->target, b->metric,
			        (long long)b->good_value);
		fprintf(f, "built %d of %zu commits\n", b->builds, b->ncommits);
		return;
	}
	fprintf(f, "first bad commit: %s %s\n", b->id, b->subject);
	for (i = 0; b->res && i < b->res->nverdicts; i++)
		if (b->res->verdicts[i].status == RG_STATUS_FAIL)
			fprintf(f, "  %s %s: %s\n", b->target, b->metric, b->res->verdicts[i].message);
	if (!b->res)
		fprintf(f, "  (BAD, assumed to break %s %s: every commit before it is within budget)\n",
		        b->target, b->metric);
	fprintf(f, "built %d of %zu commits\n", b->builds, b->ncommits);
}

void rg_init_write_text(FILE *f, const rg_init_result *r)
{
	char a[32], b[32], c[32];
	size_t i;

	fprintf(f, "wrote %s: target %s, built and measured at HEAD %s\n", r->path, r->target,
	        r->head);
	fprintf(f, "  build:    %s   (%s)\n", r->build, r->found_by);
	fprintf(f, "  artifact: %s   (%s %s, %s)\n", r->artifact, r->format, r->arch,
	        rg_fmt_size(r->artifact_size, a, sizeof(a)));
	fprintf(f, "  %-15s %12s %12s %14s\n", "budget", "now", "max", "max_increase");
	for (i = 0; i < r->nbudgets; i++) {
		const rg_init_budget *x = &r->budgets[i];
		fprintf(f, "  %-15s %12s %12s %14s\n", x->metric,
		        rg_fmt_value(x->metric, x->now, a, sizeof(a)),
		        rg_fmt_value(x->metric, x->max, b, sizeof(b)),
		        rg_fmt_value(x->metric, x->increase, c, sizeof(c)));
	}
	for (i = 0; i < r->nothers && i < 8; i++)
		fprintf(f, "%s%s", i ? ", " : "  the build also made: ", r->others[i]);
	if (r->nothers > 8)
		fprintf(f, " and %zu more", r->nothers - 8);
	if (r->nothers)
		fprintf(f, "\n  (to gate another one: relgate init --force --artifact PATH)\n");
	fprintf(f, "next:\n"
	        "  relgate validate %s\n"
	        "  relgate check --config %s    # try it before committing it\n"
	        "  git add %s && git commit -m 'relgate budgets'\n"
	        "  relgate hook install    # gate every push\n", r->named, r->named, r->named);
}
