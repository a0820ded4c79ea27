/*
 * report_markdown.c - the Markdown summary of a report (GitHub Flavored
 * Markdown: pipe tables, <details> blocks): a status line, one table of
 * every judged rule (failures first), then per target the metrics that
 * changed. It is built in memory and never exceeds max_bytes (GitHub
 * caps a job summary at 1 MiB and a comment at 65536 characters; the
 * default cap is 60 KiB): rows that do not fit are counted and summarised
 * in a last line pointing at the JSON report.
 */
#include "report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define RESERVE 512 /* room kept for closing tags and the "not shown" line */

typedef struct sb {
	char *p;
	size_t len, cap, max;
	size_t dropped;   /* rows that did not fit */
	int oom;
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
	int n;

	if (b->oom)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (b->len + (size_t)n + 1 > b->cap) {
		size_t ncap = (b->len + (size_t)n + 1) * 2;
		char *np = realloc(b->p, ncap);
		if (!np) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = ncap;
	}
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Appends a row only when it fits under max - RESERVE; else counts it. */
static int sb_row(sb *b, const char *row)
{
	size_t l = strlen(row);

	if (b->dropped || b->len + l + RESERVE > b->max) {
		b->dropped++;
		return 0;
	}
	sb_add(b, "%s", row);
	return 1;
}

/* A table cell: no pipes, newlines or backticks to break the table. */
static const char *cell(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	for (; *s && o + 3 < len; s++) {
		if (*s == '|') {
			buf[o++] = '\\';
			buf[o++] = '|';
		} else if (*s == '\n' || *s == '\r') {
			buf[o++] = ' ';
		} else if (*s == '`') {
			buf[o++] = '\'';
		} else if (*s == '<') {
			if (o + 5 >= len)
				break;
			memcpy(buf + o, "&lt;", 4);
			o += 4;
		} else {
			buf[o++] = *s;
		}
	}
	buf[o] = '\0';
	return buf;
}

/* A verdict's message, then its movers (docs/attribution.md), with the
 * characters Markdown would take for emphasis or links escaped in the
 * names; cell() then makes it fit a table cell. */
static const char *movers_detail(const rg_verdict *v, char *buf, size_t len)
{
	const char *const keys[2] = { "symbol", "package" };
	char line[1600];
	size_t o;
	int k;

	snprintf(buf, len, "%s", v->message);
	o = strlen(buf);
	for (k = 0; k < 2; k++) {
		const char *p;
		if (!*rg_movers_line(v, keys[k], line, sizeof(line)))
			continue;
		o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "; moved most, by %s: ", keys[k]);
		for (p = line; *p && o + 3 < len; p++) {
			if (strchr("*_[]~\\", *p))
				buf[o++] = '\\';
			buf[o++] = *p;
		}
		if (o < len)
			buf[o] = '\0';
	}
	return buf;
}

static const char *icon(rg_status s)
{
	switch (s) {
	case RG_STATUS_FAIL: return ":x:";
	case RG_STATUS_WARN: return ":warning:";
	case RG_STATUS_PASS: return ":white_check_mark:";
	case RG_STATUS_ERROR: return ":boom:";
	default: return ":fast_forward:";
	}
}

static void header(sb *b, const rg_report *r)
{
	/* One buffer per cell of a line: cell() returns its buffer. */
	char c1[300], c2[300], c3[300], c4[300];

	sb_add(b, "## relgate: %s %s\n\n", icon(r->status), rg_status_name(r->status));
	sb_add(b, "%zu budget%s exceeded, %zu warning%s, %zu within budget, %zu skipped.\n\n",
	       rg_report_count(r, RG_STATUS_FAIL), rg_report_count(r, RG_STATUS_FAIL) == 1 ? "" : "s",
	       rg_report_count(r, RG_STATUS_WARN), rg_report_count(r, RG_STATUS_WARN) == 1 ? "" : "s",
	       rg_report_count(r, RG_STATUS_PASS), rg_report_count(r, RG_STATUS_SKIPPED));
	if (r->base_commit || r->head_commit)
		sb_add(b, "Base `%s` %s → head `%s` %s\n\n",
		       cell(r->base_commit ? r->base_commit : "none", c1, 64),
		       cell(r->base_subject ? r->base_subject : "", c2, 200),
		       r->head_commit ? cell(r->head_commit, c3, 64) : "working tree",
		       r->head_subject ? cell(r->head_subject, c4, 200) : "");
	if (r->budgets_path || r->budgets_source)
		sb_add(b, "Budgets: `%s`%s%s.%s\n\n", r->budgets_path ? cell(r->budgets_path, c1, 200) : "",
		       r->budgets_source ? " from " : "",
		       r->budgets_source ? cell(r->budgets_source, c2, 200) : "",
		       r->budgets_changed ? " **The head side changes the budget file; its new "
		       "limits are not used for this change.**" : "");
}

static void verdict_table(sb *b, const rg_report *r, const size_t *order)
{
	char row[6144], m[200], msg[2400], msg2[2400], lim[48], bv[48], hv[48], dv[48], tn[160];
	size_t i, j, nv = 0;

	for (i = 0; i < r->ntargets; i++)
		nv += r->targets[i].nverdicts + (r->targets[i].status == RG_STATUS_ERROR);
	if (!nv)
		return;
	sb_add(b, "| | target | metric | budget | base | head | change | details |\n"
	          "|---|---|---|---|---|---|---|---|\n");
	for (i = 0; i < r->ntargets; i++) {
		const rg_target_result *t = &r->targets[order[i]];
		size_t *vo = rg_verdict_order(t);
		if (!vo) {
			b->oom = 1;
			return;
		}
		if (t->status == RG_STATUS_ERROR) {
			snprintf(row, sizeof(row), "| %s | %s | | | | | | %s |\n", icon(t->status),
			         cell(t->name, tn, sizeof(tn)),
			         cell(t->nnotes ? t->notes[t->nnotes - 1] : "could not be measured", msg, sizeof(msg)));
			sb_row(b, row);
		}
		for (j = 0; j < t->nverdicts; j++) {
			const rg_verdict *v = &t->verdicts[vo[j]];
			snprintf(row, sizeof(row), "| %s | %s | `%s` | %s %s (%s:%d) | %s | %s | %s | %s |\n",
			         icon(v->status), cell(t->name, tn, sizeof(tn)), cell(v->rule.metric, m, sizeof(m)),
			         rg_rule_kind_name(v->rule.kind), rg_rule_limit_str(&v->rule, lim, sizeof(lim)),
			         v->rule.file, v->rule.line,
			         v->has_base ? rg_fmt_value(v->rule.metric, v->base, bv, sizeof(bv)) : "–",
			         v->has_head ? rg_fmt_value(v->rule.metric, v->head, hv, sizeof(hv)) : "–",
			         v->has_base && v->has_head ? rg_fmt_delta(v->rule.metric, v->delta, dv, sizeof(dv)) : "",
			         cell(movers_detail(v, msg2, sizeof(msg2)), msg, sizeof(msg)));
			sb_row(b, row);
		}
		free(vo);
	}
	sb_add(b, "\n");
}

static void metric_tables(sb *b, const rg_report *r, const size_t *order)
{
	char row[1024], m[200], tn[160], bv[48], hv[48], pc[32];
	size_t i, j;

	for (i = 0; i < r->ntargets; i++) {
		const rg_target_result *t = &r->targets[order[i]];
		rg_metric_row *rows;
		size_t n;

		if (rg_metric_rows(t, 0, &rows, &n)) {
			b->oom = 1;
			return;
		}
		snprintf(row, sizeof(row), "<details><summary>%s: %zu metric%s changed</summary>\n\n"
		         "| metric | base | head | delta | delta %% |\n|---|---:|---:|---:|---:|\n",
		         cell(t->name, tn, sizeof(tn)), n, n == 1 ? "" : "s");
		if (n && sb_row(b, row)) {
			for (j = 0; j < n; j++) {
				const rg_metric_row *x = &rows[j];
				snprintf(row, sizeof(row), "| `%s` | %s | %s | %+lld | %s |\n", cell(x->name, m, sizeof(m)),
				         x->has_base ? rg_fmt_value(x->name, x->base, bv, sizeof(bv)) : "–",
				         x->has_head ? rg_fmt_value(x->name, x->head, hv, sizeof(hv)) : "–",
				         (long long)(x->has_base && x->has_head ? x->delta : 0),
				         rg_delta_percent(x, pc, sizeof(pc)));
				sb_row(b, row);
			}
			sb_add(b, "\n</details>\n\n");
		} else if (n) {
			b->dropped += n - 1; /* sb_row counted the table header as one */
		}
		free(rows);
	}
}

int rg_report_write_markdown(FILE *f, const rg_report *r, size_t max_bytes)
{
	sb b = { NULL, 0, 0, max_bytes ? max_bytes : RG_MARKDOWN_MAX_BYTES, 0, 0 };
	size_t *o = rg_report_order(r);
	int rc = -1;

	if (!o || b.max < 2 * RESERVE)
		goto done;
	header(&b, r);
	verdict_table(&b, r, o);
	metric_tables(&b, r, o);
	if (b.dropped)
		sb_add(&b, "\n_%zu more row%s not shown to keep this summary under %zu KiB; the JSON "
		       "report (`--json-out`) has everything._\n", b.dropped, b.dropped == 1 ? "" : "s",
		       b.max / 1024);
	if (r->budgets_diff && b.len + strlen(r->budgets_diff) + 200 < b.max)
		sb_add(&b, "\n<details><summary>budget file changes</summary>\n\n```diff\n%s\n```\n\n"
		       "</details>\n", r->budgets_diff);
	if (b.oom)
		goto done;
	if (b.len > b.max) /* cannot happen: rows are checked against max - RESERVE */
		b.len = b.max;
	if (b.p)
		fwrite(b.p, 1, b.len, f);
	rc = ferror(f) ? -1 : 0;
done:
	free(o);
	free(b.p);
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
