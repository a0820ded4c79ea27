/*
 * report_markdown.c - the Markdown summary of a report (GitHub Flavored
 * Markdown: pipe tables, <details> blocks), made to fit an 880 px PR
 * comment: a status line, the failed and warned rules in a compact table
 * (target, metric, base -> head, change, limit and its relgate.yml:LINE),
 * the rules within budget collapsed, then per target the metrics that
 * changed, collapsed (open when no budget judged them). Every string from
 * git, YAML or a binary goes through escape.h. It is built in memory and
 * never exceeds max_bytes (GitHub
 * caps a job summary at 1 MiB and a comment at 65536 characters; the
 * default cap is 60 KiB): rows that do not fit are counted and summarised
 * in a last line pointing at the JSON report.
 */
#include "report.h"
#include "escape.h"
#include "../gate/buf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define RESERVE 512 /* room kept for closing tags and the "not shown" line */

typedef struct sb {
	rg_buf b;
	size_t max;
	size_t dropped;   /* rows that did not fit */
} sb;

/* Appends unconditionally (the caller checked the room). */
static void sb_add(sb *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static void sb_add(sb *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rg_buf_vprintf(&b->b, fmt, ap);
	va_end(ap);
}

/* Appends a row only when it fits under max - RESERVE; else counts it. */
static int sb_row(sb *b, const char *row)
{
	size_t l = strlen(row);

	if (b->dropped || b->b.n + l + RESERVE > b->max) {
		b->dropped++;
		return 0;
	}
	sb_add(b, "%s", row);
	return 1;
}

static const char *icon(rg_status s)
{
	switch (s) {
	case RG_STATUS_FAIL: return "\xe2\x9d\x8c";            /* U+274C cross mark */
	case RG_STATUS_WARN: return "\xe2\x9a\xa0\xef\xb8\x8f"; /* U+26A0 warning sign */
	case RG_STATUS_PASS: return "\xe2\x9c\x85";            /* U+2705 check mark */
	case RG_STATUS_ERROR: return "\xf0\x9f\x92\xa5";       /* U+1F4A5 collision */
	default: return "\xe2\x8f\xad\xef\xb8\x8f";            /* U+23ED skip */
	}
}

/* A short commit id as code: its first 7 characters (a merged part's JSON
 * may say anything, so it is escaped like any other string). */
static const char *short_id(const char *id, char *buf, size_t len)
{
	char s[8];

	snprintf(s, sizeof(s), "%s", id);
	return rg_esc_md_code_text(s, buf, len);
}

/* A metric name in a table cell: a code span, the middle of a name longer
 * than 56 characters left out, so a long section name cannot widen the
 * table past a comment's width (the JSON report keeps the name whole). */
static const char *metric_cell(const char *name, char *buf, size_t len)
{
	char mid[64];
	size_t l = strlen(name);

	if (l <= 56)
		return rg_esc_md_code(name, buf, len);
	snprintf(mid, sizeof(mid), "%.27s\xe2\x80\xa6%s", name, name + l - 27);
	return rg_esc_md_code(mid, buf, len);
}

#define MAX_INPUTS 12 /* artifacts named in the header; the JSON has them all */

/* "Artifacts: netd-linux `<out>/netd` (elf x86_64), ...": each target's
 * file once, the side named only when base and head differ (as in the
 * text report). */
static void inputs_line(sb *b, const rg_report *r)
{
	char tn[200], pa[300], ar[64];
	size_t i, shown = 0, more = 0;
	int sided;

	for (i = 0; i < r->ninputs; i++) {
		const rg_report_input *in = &r->inputs[i];
		if (!rg_report_input_shown(r, i, &sided) || !in->path)
			continue;
		if (shown == MAX_INPUTS) {
			more++;
			continue;
		}
		sb_add(b, "%s%s%s%s%s%s", shown++ ? ", " : "Artifacts: ",
		       in->target ? rg_esc_md(in->target, tn, 120) : "", in->target ? " " : "",
		       sided ? in->side : "", sided ? " " : "", rg_esc_md_code_text(in->path, pa, 200));
		if (in->format[0])
			sb_add(b, " (%s%s%s)", in->format, in->arch[0] ? " " : "",
			       rg_esc_md(in->arch, ar, sizeof(ar)));
	}
	if (more)
		sb_add(b, " and %zu more", more);
	if (shown)
		sb_add(b, ".\n\n");
}

static void header(sb *b, const rg_report *r, size_t nverdicts)
{
	char c1[300], c2[300], c3[64], c4[64];
	size_t nf = rg_report_count(r, RG_STATUS_FAIL), nw = rg_report_count(r, RG_STATUS_WARN);

	if (!nverdicts && r->status != RG_STATUS_ERROR)
		sb_add(b, "## relgate: metrics compared\n\nNo budgets judged this comparison.\n\n");
	else
		sb_add(b, "## relgate: %s %s\n\n%s%zu budget%s exceeded%s, %zu warning%s, %zu within "
		       "budget, %zu skipped.\n\n", icon(r->status), rg_status_name(r->status),
		       nf ? "**" : "", nf, nf == 1 ? "" : "s", nf ? "**" : "", nw, nw == 1 ? "" : "s",
		       rg_report_count(r, RG_STATUS_PASS), rg_report_count(r, RG_STATUS_SKIPPED));
	if (r->base_commit || r->head_commit) {
		sb_add(b, "Base %s %s", r->base_commit ? short_id(r->base_commit, c3, sizeof(c3)) : "none",
		       rg_esc_md(r->base_subject ? r->base_subject : "", c1, 160));
		sb_add(b, " \xe2\x86\x92 head %s %s\n\n",
		       r->head_commit ? short_id(r->head_commit, c4, sizeof(c4)) : "working tree",
		       rg_esc_md(r->head_subject ? r->head_subject : "", c2, 160));
	}
	if (r->budgets_path || r->budgets_source) {
		sb_add(b, "Budgets: %s",
		       r->budgets_path ? rg_esc_md_code_text(r->budgets_path, c1, 200) : "");
		sb_add(b, "%s%s.", r->budgets_source ? " from " : "",
		       r->budgets_source ? rg_esc_md(r->budgets_source, c2, 200) : "");
		if (r->budgets_changed)
			sb_add(b, " **The head changes the budget file; %s**",
			       rg_report_head_budgets_used(r) ? "its new limits judged this change "
			       "(`--budgets-from head`)." : "its new limits are not used for this change.");
		sb_add(b, "\n\n");
	}
	inputs_line(b, r);
}

/* A value for a table cell, its unit kept on the number's line ("16.0 KiB"
 * with a no-break space). Returns buf. */
static const char *keep(const char *v, char *buf, size_t len)
{
	size_t o = 0;

	for (; *v && o + 3 < len; v++) {
		if (*v == ' ') {
			buf[o++] = '\xc2';
			buf[o++] = '\xa0';
		} else {
			buf[o++] = *v;
		}
	}
	buf[o] = '\0';
	return buf;
}

/* One row of a rules table: | icon | target | metric | base → head | change | limit |. */
static void rule_row(sb *b, const rg_target_result *t, const rg_verdict *v)
{
	char row[1400], m[400], tn[200], lim[48], v1[48], v2[48], bv[64], hv[64], dv[64], fl[200];

	const char *metric = v->rule.metric, *none = "\xe2\x80\x93"; /* en dash */

	snprintf(row, sizeof(row), "| %s | %s | %s | %s \xe2\x86\x92 %s | %s | %s %s (%s:%d) |\n",
	         icon(v->status), rg_esc_md(t->name, tn, sizeof(tn)), metric_cell(metric, m, sizeof(m)),
	         v->has_base ? keep(rg_fmt_value(metric, v->base, v1, sizeof(v1)), bv, sizeof(bv)) : none,
	         v->has_head ? keep(rg_fmt_value(metric, v->head, v2, sizeof(v2)), hv, sizeof(hv)) : none,
	         v->has_base && v->has_head ?
	         keep(rg_fmt_delta(metric, v->delta, v1, sizeof(v1)), dv, sizeof(dv)) : "",
	         rg_rule_kind_name(v->rule.kind),
	         keep(rg_rule_limit_str(&v->rule, v2, sizeof(v2)), lim, sizeof(lim)),
	         rg_esc_md(v->rule.file, fl, sizeof(fl)), v->rule.line);
	sb_row(b, row);
}

#define RULES_HEAD "| | target | metric | base \xe2\x86\x92 head | change | limit |\n" \
                   "|---|---|---|---|--:|---|\n"

/* The rules of every target whose status is in [lo, hi], failures first. */
static size_t rules_table(sb *b, const rg_report *r, const size_t *order, rg_status lo,
                          rg_status hi, const char *open)
{
	size_t i, j, n = 0;

	for (i = 0; i < r->ntargets; i++)
		for (j = 0; j < r->targets[i].nverdicts; j++)
			n += r->targets[i].verdicts[j].status >= lo && r->targets[i].verdicts[j].status <= hi;
	if (!n)
		return 0;
	if (open)
		sb_add(b, open, n, n == 1 ? "" : "s");
	sb_add(b, RULES_HEAD);
	for (i = 0; i < r->ntargets; i++) {
		const rg_target_result *t = &r->targets[order[i]];
		size_t *vo = rg_verdict_order(t);
		if (!vo) {
			b->b.oom = 1;
			return n;
		}
		for (j = 0; j < t->nverdicts; j++)
			if (t->verdicts[vo[j]].status >= lo && t->verdicts[vo[j]].status <= hi)
				rule_row(b, t, &t->verdicts[vo[j]]);
		free(vo);
	}
	sb_add(b, open ? "\n</details>\n\n" : "\n");
	return n;
}

/*
 * Under the failed and warned rules: for each one on a fixup metric, what
 * moved it most by symbol and by Go package (docs/attribution.md), as a
 * list that wraps in a narrow comment instead of widening the table.
 */
static void movers_list(sb *b, const rg_report *r, const size_t *order)
{
	static const char *const keys[2] = { "symbol", "package" };
	char row[4096], tn[200], m[400], e[3000];
	size_t i, j, shown = 0;
	int k;

	for (i = 0; i < r->ntargets; i++) {
		const rg_target_result *t = &r->targets[order[i]];
		for (j = 0; j < t->nverdicts; j++) {
			const rg_verdict *v = &t->verdicts[j];
			if (v->status < RG_STATUS_WARN || !v->nmovers)
				continue;
			for (k = 0; k < 2; k++) {
				if (!*rg_movers_line(v, keys[k], rg_esc_md, e, sizeof(e)))
					continue;
				if (!shown++)
					sb_add(b, "\n");
				snprintf(row, sizeof(row), "- %s %s moved most, by %s: %s\n", rg_esc_md(t->name, tn, sizeof(tn)),
				         metric_cell(v->rule.metric, m, sizeof(m)), keys[k], e);
				sb_row(b, row);
			}
		}
	}
	if (shown)
		sb_add(b, "\n");
}

/* Targets that could not be measured, with the last line of their notes. */
static void error_list(sb *b, const rg_report *r, const size_t *order)
{
	char row[800], tn[200], msg[600];
	size_t i;

	for (i = 0; i < r->ntargets; i++) {
		const rg_target_result *t = &r->targets[order[i]];
		if (t->status != RG_STATUS_ERROR)
			continue;
		snprintf(row, sizeof(row), "- %s **%s** could not be measured: %s\n", icon(t->status),
		         rg_esc_md(t->name, tn, sizeof(tn)),
		         rg_esc_md(t->nnotes ? t->notes[t->nnotes - 1] : "the build or checkout failed",
		                   msg, sizeof(msg)));
		sb_row(b, row);
	}
}

static void metric_tables(sb *b, const rg_report *r, const size_t *order, int open)
{
	char row[1024], m[400], tn[200], bv[48], hv[48], dv[48], pc[32];
	size_t i, j;

	for (i = 0; i < r->ntargets; i++) {
		const rg_target_result *t = &r->targets[order[i]];
		rg_metric_row *rows;
		size_t n;

		if (rg_metric_rows(t, 0, &rows, &n)) {
			b->b.oom = 1;
			return;
		}
		snprintf(row, sizeof(row), "<details%s><summary>%s: %zu metric%s changed%s</summary>\n\n"
		         "| metric | base | head | change | %% |\n|---|--:|--:|--:|--:|\n",
		         open ? " open" : "", rg_esc_md_html(t->name, tn, sizeof(tn)), n, n == 1 ? "" : "s",
		         t->has_base ? "" : " (a new target: no base side)");
		if (n && sb_row(b, row)) {
			for (j = 0; j < n; j++) {
				const rg_metric_row *x = &rows[j];
				snprintf(row, sizeof(row), "| %s | %s | %s | %s | %s |\n",
				         metric_cell(x->name, m, sizeof(m)),
				         x->has_base ? rg_fmt_value(x->name, x->base, bv, sizeof(bv)) : "\xe2\x80\x93",
				         x->has_head ? rg_fmt_value(x->name, x->head, hv, sizeof(hv)) : "\xe2\x80\x93",
				         x->has_base && x->has_head ? rg_fmt_delta(x->name, x->delta, dv, sizeof(dv)) : "",
				         rg_delta_percent(x, pc, sizeof(pc)));
				sb_row(b, row);
			}
			sb_add(b, "\n</details>\n\n");
		} else if (n) {
			b->dropped += n - 1; /* sb_row counted the table header as one */
		} else {
			snprintf(row, sizeof(row), "%s: no metric changed.\n\n", rg_esc_md(t->name, tn, sizeof(tn)));
			sb_row(b, row);
		}
		free(rows);
	}
}

int rg_report_write_markdown(FILE *f, const rg_report *r, size_t max_bytes)
{
	sb b = { RG_BUF_INIT, max_bytes ? max_bytes : RG_MARKDOWN_MAX_BYTES, 0 };
	size_t *o = rg_report_order(r), i, nv = 0;
	char *block = NULL;
	int rc = -1;

	if (!o || b.max < 2 * RESERVE)
		goto done;
	for (i = 0; i < r->ntargets; i++)
		nv += r->targets[i].nverdicts;
	header(&b, r, nv);
	error_list(&b, r, o);
	rules_table(&b, r, o, RG_STATUS_WARN, RG_STATUS_FAIL, NULL);
	movers_list(&b, r, o);
	rules_table(&b, r, o, RG_STATUS_SKIPPED, RG_STATUS_PASS,
	            "<details><summary>%zu rule%s within budget or skipped</summary>\n\n");
	metric_tables(&b, r, o, nv == 0);
	if (b.dropped)
		sb_add(&b, "\n_%zu more row%s not shown to keep this summary under %zu KiB; the JSON "
		       "report (`--json-out`) has everything._\n", b.dropped, b.dropped == 1 ? "" : "s",
		       b.max / 1024);
	if (r->budgets_diff && (block = rg_esc_md_block("diff", r->budgets_diff)) &&
	    b.b.n + strlen(block) + 200 < b.max)
		sb_add(&b, "\n<details><summary>budget file changes</summary>\n\n%s\n</details>\n", block);
	if (b.b.oom)
		goto done;
	if (b.b.n > b.max) /* cannot happen: rows are checked against max - RESERVE */
		b.b.n = b.max;
	if (b.b.p)
		fwrite(b.b.p, 1, b.b.n, f);
	rc = ferror(f) ? -1 : 0;
done:
	free(block);
	free(o);
	free(b.b.p);
	return rc;
}

int rg_report_write_markdown_file(const char *path, const rg_report *r, rg_err *err)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	int rc;

	if (!f)
		return rg_err_set(err, RG_EIO, "%s: cannot open for writing", path);
	rc = rg_report_write_markdown(f, r, 0);
	if (f != stdout && fclose(f))
		rc = -1;
	return rc ? rg_err_set(err, RG_EIO, "%s: cannot write the Markdown report", path) : RG_OK;
}
