/*
 * report_common.c - what every renderer of reports/report.h shares: metric
 * rows sorted by importance, delta percentages, display orders; and the
 * one place where check, merge and diff choose, write and fail a report
 * (formats, colour, GitHub Actions extras, error lines), so the commands
 * cannot drift apart.
 */
#include "report.h"
#include "../gate/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rg_metric_rank(const char *n)
{
	static const char *const ordered[] = {
		"dirty.bytes", "dirty.relro.bytes", "dirty.data.bytes",
		"relocs.total", "relocs.relative", "relocs.symbolic", "relocs.lazy",
		"relocs.text", "relocs.relro", "relocs.data",
		"dirty.pages", "dirty.relro.pages", "dirty.data.pages",
		"file.size", "vm.size",
		NULL
	};
	int i;

	for (i = 0; ordered[i]; i++)
		if (!strcmp(n, ordered[i]))
			return i;
	if (!strncmp(n, "relocs.", 7))
		return 20;
	if (!strncmp(n, "vm.", 3))
		return 21;
	if (!strncmp(n, "pclntab.", 8))
		return 22;
	if (!strncmp(n, "segment[", 8)) {
		size_t l = strlen(n);
		return l > 12 && !strcmp(n + l - 12, ".dirty_bytes") ? 23 : 24;
	}
	if (!strncmp(n, "section[", 8))
		return 25;
	return 26;
}

static uint64_t mag(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

static int row_cmp(const void *a, const void *b)
{
	const rg_metric_row *x = a, *y = b;
	uint64_t dx = x->has_base && x->has_head ? mag(x->delta) : UINT64_MAX;
	uint64_t dy = y->has_base && y->has_head ? mag(y->delta) : UINT64_MAX;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->rank >= 20 && dx != dy)
		return dx > dy ? -1 : 1;
	return strcmp(x->name, y->name);
}

int rg_metric_rows(const rg_target_result *t, int all, rg_metric_row **rows, size_t *n)
{
	size_t i, k = 0, cap = t->base.n + t->head.n;
	rg_metric_row *r;

	*rows = NULL;
	*n = 0;
	if (!cap)
		return RG_OK;
	if (!(r = calloc(cap, sizeof(*r))))
		return RG_ENOMEM;
	for (i = 0; i < t->head.n; i++) {
		rg_metric_row *x = &r[k];
		x->name = t->head.items[i].name;
		x->has_head = 1;
		x->head = t->head.items[i].value;
		x->has_base = t->has_base && rg_metric_map_get(&t->base, x->name, &x->base);
		if (x->has_base)
			x->delta = rg_sat_sub(x->head, x->base);
		if (all || !t->has_base || !x->has_base || x->delta)
			k++;
	}
	for (i = 0; t->has_base && i < t->base.n; i++) {
		if (rg_metric_map_get(&t->head, t->base.items[i].name, NULL))
			continue;
		r[k].name = t->base.items[i].name;
		r[k].has_base = 1;
		r[k].base = t->base.items[i].value;
		k++;
	}
	for (i = 0; i < k; i++)
		r[i].rank = rg_metric_rank(r[i].name);
	qsort(r, k, sizeof(*r), row_cmp);
	*rows = r;
	*n = k;
	return RG_OK;
}

const char *rg_delta_percent(const rg_metric_row *row, char *buf, size_t len)
{
	if (!row->has_base)
		snprintf(buf, len, "new");
	else if (!row->has_head)
		snprintf(buf, len, "gone");
	else if (row->delta == 0)
		snprintf(buf, len, "0.0%%");
	else if (row->base == 0)
		snprintf(buf, len, "new");
	else
		snprintf(buf, len, "%+.1f%%", (double)row->delta * 100.0 / (double)row->base);
	return buf;
}

size_t *rg_report_order(const rg_report *r)
{
	size_t *o = malloc((r->ntargets ? r->ntargets : 1) * sizeof(size_t)), i, k = 0;
	int s;

	if (!o)
		return NULL;
	for (s = RG_STATUS_ERROR; s >= RG_STATUS_SKIPPED; s--)
		for (i = 0; i < r->ntargets; i++)
			if ((int)r->targets[i].status == s)
				o[k++] = i;
	for (i = 0; i < r->ntargets && k < r->ntargets; i++) /* out-of-range statuses */
		if ((int)r->targets[i].status > RG_STATUS_ERROR || (int)r->targets[i].status < 0)
			o[k++] = i;
	return o;
}

size_t *rg_verdict_order(const rg_target_result *t)
{
	static const rg_status order[] = { RG_STATUS_FAIL, RG_STATUS_WARN, RG_STATUS_PASS,
	                                   RG_STATUS_SKIPPED, RG_STATUS_ERROR };
	size_t *o = malloc((t->nverdicts ? t->nverdicts : 1) * sizeof(size_t)), i, k = 0, j;

	if (!o)
		return NULL;
	for (j = 0; j < sizeof(order) / sizeof(order[0]); j++)
		for (i = 0; i < t->nverdicts; i++)
			if (t->verdicts[i].status == order[j])
				o[k++] = i;
	for (i = 0; i < t->nverdicts && k < t->nverdicts; i++)
		if ((int)t->verdicts[i].status > RG_STATUS_ERROR || (int)t->verdicts[i].status < 0)
			o[k++] = i;
	return o;
}

int rg_report_head_budgets_used(const rg_report *r)
{
	return r->budgets_source && !strncmp(r->budgets_source, "head ", 5);
}

static int is_gha(void)
{
	const char *gha = getenv("GITHUB_ACTIONS");

	return gha && !strcmp(gha, "true");
}

int rg_report_format_ok(const char *command, const char *format)
{
	if (!strcmp(format, "text") || !strcmp(format, "json") || !strcmp(format, "github") ||
	    !strcmp(format, "markdown"))
		return 1;
	rg_errorf("%s: --format wants text, json, github or markdown, not '%s'", command, format);
	return 0;
}

/* stdout is buffered: its errors (a full disk, a closed pipe reader that
 * ignored SIGPIPE) show only when it is flushed. */
static int flush_stdout(rg_err *err)
{
	if (fflush(stdout) == EOF || ferror(stdout))
		return rg_err_set(err, RG_EIO, "cannot write the report: %s", strerror(errno));
	return RG_OK;
}

int rg_report_render(const rg_report *r, const char *format, int all, const char *text_tail,
                     const char *json_out, const char *markdown_out, rg_err *err)
{
	int io, rc;

	if (!strcmp(format, "json"))
		io = rg_report_write_json(stdout, r);
	else if (!strcmp(format, "github"))
		io = rg_report_write_github(stdout, r);
	else if (!strcmp(format, "markdown"))
		io = rg_report_write_markdown(stdout, r, 0);
	else {
		io = rg_report_write_text(stdout, r, (rg_use_color(stdout) ? RG_TEXT_COLOR : 0) |
		                          (all ? RG_TEXT_ALL : 0));
		if (io == 0 && text_tail)
			io = fputs(text_tail, stdout) < 0 ? -1 : 0;
	}
	if (io < 0)
		return rg_err_set(err, RG_EIO, "cannot write the report: %s", strerror(errno));
	if ((rc = flush_stdout(err)) < 0)
		return rc;
	if (json_out && (rc = rg_report_write_json_file(json_out, r, NULL, err)) < 0)
		return rc;
	if (markdown_out && (rc = rg_report_write_markdown_file(markdown_out, r, err)) < 0)
		return rc;
	if (is_gha()) {
		/* After the text form only (docs/budgets.md "Reports"): JSON or
		 * Markdown on stdout stays one clean document, and --format
		 * github already printed them. */
		if (!strcmp(format, "text") && rg_report_write_github(stdout, r) < 0)
			return rg_err_set(err, RG_EIO, "cannot write annotations");
		if ((rc = rg_report_github_env(r, err)) < 0)
			return rc;
	}
	return flush_stdout(err);
}

void rg_report_fail(const char *command, const char *msg)
{
	rg_errorf("%s", msg);
	if (is_gha()) {
		printf("::error title=relgate %s::", command);
		rg_gh_escape_data(stdout, msg);
		fputc('\n', stdout);
		fflush(stdout);
	}
}

/* Equal strings, or both NULL. */
static int same(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

int rg_report_input_shown(const rg_report *r, size_t i, int *sided)
{
	const rg_report_input *in = &r->inputs[i];
	size_t j;

	*sided = 1;
	for (j = 0; j < r->ninputs; j++) {
		const rg_report_input *x = &r->inputs[j];
		if (j != i && strcmp(x->side, in->side) && same(x->target, in->target) &&
		    same(x->path, in->path) && !strcmp(x->format, in->format) &&
		    !strcmp(x->arch, in->arch))
			*sided = 0;
	}
	return *sided || strcmp(in->side, "head");
}

/* How many movers of v are by `by`. */
static size_t movers_by(const rg_verdict *v, const char *by)
{
	size_t i, n = 0;

	for (i = 0; i < v->nmovers; i++)
		n += !strcmp(v->movers[i].by, by);
	return n;
}

const char *rg_movers_join(const rg_verdict *v, const char *by, rg_esc_fn esc, const char *sep,
                           char *buf, size_t len)
{
	/* a name is at most 255 bytes, each escaped to at most 5 ("\\x1b" in
	 * Markdown): an entry always fits in e */
	char raw[400], e[2048], more[48];
	size_t i, at = 0, left = movers_by(v, by), el, ml, sl = strlen(sep);

	if (!len)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < v->nmovers; i++) {
		const rg_fixup_mover *m = &v->movers[i];
		if (strcmp(m->by, by))
			continue;
		/* the separator is not escaped: it stays what the caller split at */
		snprintf(raw, sizeof(raw), "%s %+lld (%lld \xe2\x86\x92 %lld)", m->name,
		         (long long)m->delta, (long long)m->base, (long long)m->head);
		if (esc)
			esc(raw, e, sizeof(e));
		else
			snprintf(e, sizeof(e), "%s", raw);
		el = strlen(e);
		/* the entry, and room for SEP "… and N more" when more follow */
		snprintf(more, sizeof(more), "\xe2\x80\xa6 and %zu more", left - 1);
		ml = left > 1 ? sl + strlen(more) : 0;
		if (at + (at ? sl : 0) + el + ml >= len)
			break;
		if (at) {
			memcpy(buf + at, sep, sl);
			at += sl;
		}
		memcpy(buf + at, e, el + 1);
		at += el;
		left--;
	}
	if (left) {
		snprintf(more, sizeof(more), "%s\xe2\x80\xa6 and %zu more", at ? sep : "", left);
		if (at + strlen(more) < len)
			memcpy(buf + at, more, strlen(more) + 1);
	}
	return buf;
}

const char *rg_movers_line(const rg_verdict *v, const char *by, rg_esc_fn esc, char *buf,
                           size_t len)
{
	return rg_movers_join(v, by, esc, ", ", buf, len);
}
