/*
 * report_text.c - the terminal form of a report (reports/report.h), plain
 * text with ANSI SGR colours when colour is on, made to keep the verdict on
 * screen: the overall line; the commits, budgets and inputs (one line per
 * target); each failed or warned rule on one line of at most 100 columns;
 * then per target (failures first) the metrics with budgets and the top
 * movers, "N more changed (--all)"; the overall line again when the report
 * ran long. With RG_TEXT_ALL: every rule in words and every changed
 * metric. After it, when the head changed relgate.yml, that change as a
 * unified diff. Every name from git, YAML or a binary is in terminal form
 * (escape.h). Also what `relgate bisect` prints: the first bad commit, its
 * failing verdicts, the builds it took.
 */
#include "report.h"
#include "measure_out.h"

#include "escape.h"

#include <stdarg.h>
#include <stdint.h>
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

/* Output that counts its lines, so a long report can end with its verdict
 * again (the first line has scrolled away by then). */
typedef struct tout {
	FILE *f;
	int color, all;
	size_t lines;
} tout;

static void tp(tout *o, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static void tp(tout *o, const char *fmt, ...)
{
	va_list ap;
	const char *p;

	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
	for (p = fmt; (p = strchr(p, '\n')); p++)
		o->lines++;
}

/* A name from YAML, git or a binary, for a terminal (escape.h), and cut in
 * the middle to max columns so a rule stays on one line. */
static const char *nm(const char *s, char *buf, size_t len, size_t max)
{
	char t[512];
	size_t l, head, tail;

	rg_esc_term(s, t, sizeof(t));
	l = strlen(t);
	if (!max || l <= max || max < 8)
		max = l;
	head = max / 2 - 1;
	tail = max - max / 2;
	if (max == l || head + tail + 4 > len) {
		rg_esc_term(s, buf, len);
		return buf;
	}
	/* "…" is 3 bytes; a cut inside a UTF-8 sequence only moves the cut */
	while (head && ((unsigned char)t[head] & 0xc0) == 0x80)
		head--;
	while (tail && ((unsigned char)t[l - tail] & 0xc0) == 0x80)
		tail--;
	memcpy(buf, t, head);
	memcpy(buf + head, "\xe2\x80\xa6", 3);
	memcpy(buf + head + 3, t + l - tail, tail + 1);
	return buf;
}

static void write_summary(tout *o, const rg_report *r)
{
	size_t nf = rg_report_count(r, RG_STATUS_FAIL), nw = rg_report_count(r, RG_STATUS_WARN),
	       np = rg_report_count(r, RG_STATUS_PASS), ns = rg_report_count(r, RG_STATUS_SKIPPED);

	tp(o, "relgate: %s%s%s: %zu budget%s exceeded, %zu warning%s, %zu within budget, "
	   "%zu skipped\n", status_color(r->status, o->color), status_label(r->status),
	   o->color ? "\033[0m" : "", nf, nf == 1 ? "" : "s", nw, nw == 1 ? "" : "s", np, ns);
}

/* One line per target: "netd-linux: <out>/netd (elf x86_64)", the
 * side named only when base and head differ. */
static void write_inputs(tout *o, const rg_report *r)
{
	char tn[200], pa[300];
	size_t i;
	int sided;

	for (i = 0; i < r->ninputs; i++) {
		const rg_report_input *in = &r->inputs[i];
		if (!rg_report_input_shown(r, i, &sided))
			continue; /* said on the base's line */
		if (in->target)
			tp(o, "%s", nm(in->target, tn, sizeof(tn), 40));
		if (sided)
			tp(o, "%s%s", in->target ? " " : "", in->side);
		/* one file for both sides, no target: the path alone */
		tp(o, "%s%s", in->target || sided ? ": " : "",
		   in->path ? nm(in->path, pa, sizeof(pa), 0) : "(built)");
		if (in->format[0])
			tp(o, " (%s%s%s)", in->format, in->arch[0] ? " " : "", nm(in->arch, tn, sizeof(tn), 32));
		tp(o, "\n");
	}
}

static void write_context(tout *o, const rg_report *r)
{
	char id[16], sub[300], src[300];
	size_t i;

	if (r->base_commit)
		tp(o, "base %.7s %s\n", r->base_commit,
		   nm(r->base_subject ? r->base_subject : "", sub, sizeof(sub), 90));
	if (r->head_commit || r->base_commit)
		tp(o, "head %s %s\n", r->head_commit ? (snprintf(id, sizeof(id), "%.7s", r->head_commit), id) :
		   "(working tree)", nm(r->head_subject ? r->head_subject : "", sub, sizeof(sub), 90));
	if (r->budgets_path || r->budgets_source)
		tp(o, "budgets: %s%s%s%s\n", nm(r->budgets_path ? r->budgets_path : "", sub, sizeof(sub), 0),
		   r->budgets_source ? " from " : "",
		   nm(r->budgets_source ? r->budgets_source : "", src, sizeof(src), 0),
		   !r->budgets_changed ? "" : rg_report_head_budgets_used(r) ?
		   " (the head's own, changed by it)" : " (the head changes it; its new limits are not used)");
	write_inputs(o, r);
	for (i = 0; i < r->nnotes; i++)
		tp(o, "note: %s\n", nm(r->notes[i], sub, sizeof(sub), 0));
}

/* Columns of the first len bytes of s: one per UTF-8 character. */
static size_t cols_of(const char *s, size_t len)
{
	size_t n = 0, i;

	for (i = 0; i < len && s[i]; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

/* Columns of a UTF-8 string. */
static size_t cols(const char *s)
{
	return cols_of(s, SIZE_MAX);
}

#define RULE_COLS 100

/* "FAIL netd-linux relocs.relative 176 (+164), max_increase 48 over by 116,
 * relgate.yml:21": one rule on one line of at most RULE_COLS columns (the
 * base value is in the metric table below); long target and metric names
 * are cut in the middle to make room. */
static void write_rule(tout *o, const rg_target_result *t, const rg_verdict *v)
{
	char tn[200], m[200], hv[48], dv[48], lim[48], over[48], fl[160], tail[400];
	size_t used, room, tmax, mmax;
	int n;

	if (v->has_base && v->has_head)
		n = snprintf(tail, sizeof(tail), "%s (%s)", rg_fmt_value(v->rule.metric, v->head, hv, sizeof(hv)),
		             rg_fmt_delta(v->rule.metric, v->delta, dv, sizeof(dv)));
	else
		n = snprintf(tail, sizeof(tail), "%s",
		             v->has_head ? rg_fmt_value(v->rule.metric, v->head, hv, sizeof(hv)) : "-");
	n += snprintf(tail + n, sizeof(tail) - (size_t)n, ", %s %s", rg_rule_kind_name(v->rule.kind),
	              rg_rule_limit_str(&v->rule, lim, sizeof(lim)));
	if (v->status >= RG_STATUS_WARN && v->margin < 0)
		n += snprintf(tail + n, sizeof(tail) - (size_t)n, " over by %s",
		              rg_fmt_value(v->rule.metric, v->margin == INT64_MIN ? INT64_MAX : -v->margin,
		                           over, sizeof(over)));
	else if (v->status == RG_STATUS_SKIPPED)
		n += snprintf(tail + n, sizeof(tail) - (size_t)n, ", skipped (no base)");
	snprintf(tail + n, sizeof(tail) - (size_t)n, ", %s:%d", nm(v->rule.file, fl, sizeof(fl), 24),
	         v->rule.line);
	/* "FAIL " + target + " " + metric + " " + tail */
	used = 5 + 2 + cols(tail);
	room = used < RULE_COLS ? RULE_COLS - used : 0;
	nm(t->name, tn, sizeof(tn), 0);
	nm(v->rule.metric, m, sizeof(m), 0);
	tmax = cols(tn), mmax = cols(m);
	if (tmax + mmax > room) {
		/* the metric keeps up to room - 8 columns (12 at least), the
		 * target what is left (8 at least) */
		size_t mfit = room > 20 ? room - 8 : 12;
		mmax = mmax < mfit ? mmax : mfit;
		tmax = room > mmax + 8 ? room - mmax : 8;
	}
	tp(o, "%s%-4s%s %s %s %s\n", status_color(v->status, o->color), status_label(v->status),
	   o->color ? "\033[0m" : "", nm(t->name, tn, sizeof(tn), tmax),
	   nm(v->rule.metric, m, sizeof(m), mmax), tail);
}

/* Under a failed or warned rule on a fixup metric: what moved it most, by
 * symbol and by Go package ("moved most, by symbol: upnp_actions +56 ..."),
 * wrapped between entries (never inside one) so no line passes RULE_COLS
 * columns. */
static void write_movers(tout *o, const rg_verdict *v)
{
	static const char *const keys[2] = { "symbol", "package" };
	char e[2400];
	size_t col, w, c;
	const char *p, *q;
	int k;

	for (k = 0; k < 2; k++) {
		/* entries apart at LF (escaped as "\\n" in a name), so a name
		 * holding ", " (C++ templates) is never wrapped in its middle */
		if (!*rg_movers_join(v, keys[k], rg_esc_term, "\n", e, sizeof(e)))
			continue;
		tp(o, "     moved most, by %s:", keys[k]);
		col = 5 + 18 + strlen(keys[k]);
		for (p = e; *p; p = *q ? q + 1 : q) {
			q = strchr(p, '\n');
			if (!q)
				q = p + strlen(p);
			w = (size_t)(q - p);
			c = cols_of(p, w);
			if (col + 1 + c > RULE_COLS && col > 8) {
				tp(o, "\n       ");
				col = 7;
			}
			fprintf(o->f, " %.*s%s", (int)w, p, *q ? "," : "");
			col += 1 + c + (*q != 0);
		}
		tp(o, "\n");
	}
}

/* With --all: every rule of t in words, failures first. */
static void write_words(tout *o, const rg_target_result *t)
{
	size_t *vo = rg_verdict_order(t), i;
	char m[200], msg[600];

	for (i = 0; vo && i < t->nverdicts; i++) {
		const rg_verdict *v = &t->verdicts[vo[i]];
		tp(o, "  %s%-5s%s %s %s: %s\n", status_color(v->status, o->color), status_label(v->status),
		   o->color ? "\033[0m" : "", nm(v->rule.metric, m, sizeof(m), 0),
		   rg_rule_kind_name(v->rule.kind), nm(v->message, msg, sizeof(msg), 0));
	}
	free(vo);
}

/* 1 when a rule of t judges metric. */
static int budgeted(const rg_target_result *t, const char *metric)
{
	size_t i;

	for (i = 0; i < t->nverdicts; i++)
		if (!strcmp(t->verdicts[i].rule.metric, metric))
			return 1;
	return 0;
}

#define TOP_MOVERS 5

/* The metrics that matter: those with budgets, then the top movers; with
 * all, every metric that changed. */
static void write_metrics(tout *o, const rg_target_result *t)
{
	rg_metric_row *rows;
	size_t n, i, w = 6, shown = 0, movers = 0;
	char b[48], h[48], p[32], d[48], m[200];
	int pass;

	if (rg_metric_rows(t, 1, &rows, &n) != RG_OK)
		return;
	/* rows holds every metric; keep the changed ones and the budgeted */
	for (i = 0; i < n; i++) {
		rg_metric_row *x = &rows[i];
		int changed = !x->has_base || !x->has_head || x->delta || !t->has_base;
		if (!changed && !budgeted(t, x->name))
			x->name = NULL;
	}
	for (i = 0; i < n; i++)
		if (rows[i].name && strlen(nm(rows[i].name, m, sizeof(m), 48)) > w)
			w = strlen(m);
	if (w > 48)
		w = 48;
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			const rg_metric_row *x = &rows[i];
			int b1 = x->name && budgeted(t, x->name);
			if (!x->name || (pass == 0) != b1)
				continue;
			if (pass == 1 && !o->all && movers++ >= TOP_MOVERS)
				continue;
			if (!shown++)
				tp(o, "  %-*s %10s %10s %11s %9s\n", (int)w, t->has_base ? "metric" : "metric (no base)",
				   "base", "head", "change", "%");
			tp(o, "  %-*s %10s %10s %11s %9s%s\n", (int)w, nm(x->name, m, sizeof(m), 48),
			   x->has_base ? rg_fmt_value(x->name, x->base, b, sizeof(b)) : "-",
			   x->has_head ? rg_fmt_value(x->name, x->head, h, sizeof(h)) : "-",
			   x->has_base && x->has_head ? rg_fmt_delta(x->name, x->delta, d, sizeof(d)) : "",
			   rg_delta_percent(x, p, sizeof(p)), b1 ? "  budget" : "");
		}
	}
	if (!shown)
		tp(o, "  no metric changed\n");
	else if (!o->all && movers > TOP_MOVERS)
		tp(o, "  %zu more changed (--all)\n", movers - TOP_MOVERS);
	free(rows);
}

int rg_report_write_text(FILE *f, const rg_report *r, int flags)
{
	tout o = { f, !!(flags & RG_TEXT_COLOR), !!(flags & RG_TEXT_ALL), 0 };
	size_t *order = rg_report_order(r), i, j, nv = 0, shown = 0;
	char tn[200], note[600];

	if (!order)
		return -1;
	for (i = 0; i < r->ntargets; i++)
		nv += r->targets[i].nverdicts;
	if (nv || r->status == RG_STATUS_ERROR)
		write_summary(&o, r);
	write_context(&o, r);
	/* the rules that failed or warned, one line each, before any table */
	for (i = 0; i < r->ntargets; i++) {
		const rg_target_result *t = &r->targets[order[i]];
		size_t *vo = rg_verdict_order(t);
		if (!vo)
			break;
		if (t->status == RG_STATUS_ERROR) {
			if (!shown++)
				tp(&o, "\n");
			tp(&o, "%sERROR%s  %s could not be measured%s%s\n", status_color(RG_STATUS_ERROR, o.color),
			   o.color ? "\033[0m" : "", nm(t->name, tn, sizeof(tn), 40), t->nnotes ? ": " : "",
			   t->nnotes ? nm(t->notes[t->nnotes - 1], note, sizeof(note), 0) : "");
		}
		for (j = 0; j < t->nverdicts; j++) {
			const rg_verdict *v = &t->verdicts[vo[j]];
			if (v->status < RG_STATUS_WARN)
				continue;
			if (!shown++)
				tp(&o, "\n");
			write_rule(&o, t, v);
			write_movers(&o, v);
		}
		free(vo);
	}
	for (i = 0; i < r->ntargets; i++) {
		const rg_target_result *t = &r->targets[order[i]];
		tp(&o, "\n");
		if (!t->nverdicts && t->status == RG_STATUS_PASS) /* a plain diff: nothing judged */
			tp(&o, "%s%s\n", nm(t->name, tn, sizeof(tn), 0),
			   t->has_base ? "" : " (no base side: a new target)");
		else
			tp(&o, "%s: %s%s%s%s\n", nm(t->name, tn, sizeof(tn), 0), status_color(t->status, o.color),
			   status_label(t->status), o.color ? "\033[0m" : "",
			   t->has_base ? "" : " (no base side: a new target)");
		if (o.all)
			write_words(&o, t);
		/* a target's notes say where its numbers came from (the cache, a
		 * shared build): for --all, or when it could not be measured */
		for (j = 0; (o.all || t->status == RG_STATUS_ERROR) && j < t->nnotes; j++)
			tp(&o, "  note: %s\n", nm(t->notes[j], note, sizeof(note), 0));
		write_metrics(&o, t);
	}
	if (o.lines > RG_TEXT_REPEAT_LINES && (nv || r->status == RG_STATUS_ERROR)) {
		tp(&o, "\n");
		write_summary(&o, r);
	}
	free(order);
	return ferror(f) ? -1 : 0;
}

int rg_report_budgets_tail(const rg_report *r, int used, char **out)
{
	const char *u = used ? "used for this check" : "not used for this check", *path;
	char *diff, p[300];
	size_t len;

	*out = NULL;
	if (!r->budgets_changed || !r->budgets_diff)
		return RG_OK;
	path = rg_esc_term(r->budgets_path ? r->budgets_path : "relgate.yml", p, sizeof(p));
	if (!(diff = rg_esc_term_dup(r->budgets_diff, RG_ESC_KEEP_LF)))
		return RG_ENOMEM;
	len = strlen(diff) + strlen(u) + strlen(path) + 64;
	if ((*out = malloc(len)))
		snprintf(*out, len, "\n%s as changed by the head (%s):\n%s", path, u, diff);
	free(diff);
	return *out ? RG_OK : RG_ENOMEM;
}

void rg_bisect_write_text(FILE *f, const rg_bisect_found *b)
{
	char sub[300], tn[200], m[200], msg[600];
	size_t i;

	rg_esc_term(b->target, tn, sizeof(tn));
	rg_esc_term(b->metric, m, sizeof(m));
	rg_esc_term(b->subject, sub, sizeof(sub));
	if (b->changed) {
		fprintf(f, "first commit that changed %s: %s %s\n", m, b->id, sub);
		if (!b->res)
			fprintf(f, "  (BAD, assumed to change %s %s: every commit before it has GOOD's "
			        "value %lld)\n", tn, m, (long long)b->good_value);
		else if (b->found_has)
			fprintf(f, "  %s %s: %lld \xe2\x86\x92 %lld (%+lld)\n", tn, m,
			        (long long)b->good_value, (long long)b->found_value,
			        (long long)(b->found_value - b->good_value));
		else
			fprintf(f, "  %s %s: %lld \xe2\x86\x92 absent\n", tn, m, (long long)b->good_value);
		fprintf(f, "built %d of %zu commits\n", b->builds, b->ncommits);
		return;
	}
	fprintf(f, "first bad commit: %s %s\n", b->id, sub);
	for (i = 0; b->res && i < b->res->nverdicts; i++)
		if (b->res->verdicts[i].status == RG_STATUS_FAIL)
			fprintf(f, "  %s %s: %s\n", tn, m, rg_esc_term(b->res->verdicts[i].message, msg, sizeof(msg)));
	if (!b->res)
		fprintf(f, "  (BAD, assumed to break %s %s: every commit before it is within budget)\n", tn, m);
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
