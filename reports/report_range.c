/*
 * report_range.c - the range report of `relgate report` (reports/report.h
 * rg_range_render): the text report of its two ends on stdout, and as
 * files the JSON (the check report of docs/report.schema.json plus kind,
 * range, first_parent, every, commits and series: per target the values
 * of each charted metric, one per commit or null for a gap, and its top
 * movers) and the Markdown (the check summary, then per target a table of
 * the commits that moved each metric most). The HTML page is
 * report_html.c's.
 *
 * With --every N two measured commits in a row need not be adjacent: the
 * step between them is then a span of the range (rg_mover_commits), and
 * every form says "between A and B (N commits)" where it would name a
 * commit, with the `relgate bisect --changed` command that finds it
 * (rg_mover_bisect): a sampled commit is never credited with the span.
 */
#include "report.h"
#include "measure_out.h"
#include "escape.h"
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

size_t rg_mover_commits(const rg_range_report *r, const rg_mover *mv)
{
	size_t a = r->commits[mv->at].position, b = r->commits[mv->from].position;

	return a > b ? a - b : mv->at - mv->from;
}

/* Appends word to the buffer, single-quoted for a POSIX shell unless it
 * is made of characters no shell treats specially. */
static void sh_word(char *buf, size_t len, const char *word)
{
	size_t n = strlen(buf), i;
	int plain = *word != '\0';

	for (i = 0; word[i]; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/=+:,",
		            word[i]))
			plain = 0;
	if (n + 2 >= len)
		return;
	buf[n++] = ' ';
	if (!plain)
		buf[n++] = '\'';
	for (i = 0; word[i] && n + 6 < len; i++) {
		if (!plain && word[i] == '\'') {
			memcpy(buf + n, "'\\''", 4);
			n += 4;
		} else {
			buf[n++] = word[i];
		}
	}
	if (!plain)
		buf[n++] = '\'';
	buf[n] = '\0';
}

char *rg_mover_bisect(const rg_range_report *r, const rg_series *s, const char *m,
                      const rg_mover *mv)
{
	size_t len = 200 + strlen(s->t->name) + strlen(m) + (r->config ? strlen(r->config) : 0) +
	             (r->cache_dir ? strlen(r->cache_dir) : 0);
	char *cmd = malloc(len * 4 + 2 * strlen(r->commits[mv->at].id) + 8);

	if (!cmd)
		return NULL;
	len = len * 4 + 2 * strlen(r->commits[mv->at].id) + 8;
	snprintf(cmd, len, "relgate bisect --changed --target");
	sh_word(cmd, len, s->t->name);
	strncat(cmd, " --metric", len - strlen(cmd) - 1);
	sh_word(cmd, len, m);
	if (r->config) {
		strncat(cmd, " --config", len - strlen(cmd) - 1);
		sh_word(cmd, len, r->config);
	}
	if (r->cache_dir) {
		strncat(cmd, " --cache-dir", len - strlen(cmd) - 1);
		sh_word(cmd, len, r->cache_dir);
	}
	if (r->no_notes)
		strncat(cmd, " --no-notes", len - strlen(cmd) - 1);
	sh_word(cmd, len, r->commits[mv->from].id);
	sh_word(cmd, len, r->commits[mv->at].id);
	return cmd;
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
			rg_json_add_int(x, "commits", (int64_t)rg_mover_commits(r, &top[k]));
			cJSON_AddBoolToObject(x, "sampled", rg_mover_commits(r, &top[k]) > 1);
			if (rg_mover_commits(r, &top[k]) > 1) {
				char *cmd = rg_mover_bisect(r, s, s->metrics[i], &top[k]);
				if (cmd)
					cJSON_AddStringToObject(x, "bisect", cmd);
				free(cmd);
			}
			cJSON_AddItemToArray(ma, x);
		}
	}
	return o;
}

/* The report's JSON document plus kind, range, commits and series, to
 * path ("-": stdout). RG_OK, or an error with err set. */
static int write_json(const rg_range_report *r, const char *path, rg_err *err)
{
	cJSON *doc = rg_report_to_json(r->report), *cs, *ss;
	size_t i;
	int rc;

	if (!doc)
		return rg_err_set(err, RG_ENOMEM, "out of memory");
	cJSON_AddStringToObject(doc, "kind", "release-report");
	cJSON_AddStringToObject(doc, "range", r->range);
	cJSON_AddBoolToObject(doc, "first_parent", r->first_parent);
	rg_json_add_int(doc, "every", r->every);
	rg_json_add_int(doc, "range_commits", (int64_t)r->range_commits);
	cs = cJSON_AddArrayToObject(doc, "commits");
	for (i = 0; cs && i < r->ncommits; i++) {
		cJSON *c = cJSON_CreateObject(), *tags;
		const char *t = r->commits[i].tags;
		if (!c)
			break;
		cJSON_AddStringToObject(c, "commit", r->commits[i].id);
		cJSON_AddStringToObject(c, "subject", r->commits[i].subject);
		rg_json_add_int(c, "position", (int64_t)r->commits[i].position);
		/* ", "-joined: a ref name holds no space (git-check-ref-format(1)). */
		tags = cJSON_AddArrayToObject(c, "tags");
		while (tags && t && *t) {
			size_t n = strcspn(t, ",");
			char name[256];
			snprintf(name, sizeof(name), "%.*s", (int)(n < 255 ? n : 255), t);
			cJSON_AddItemToArray(tags, cJSON_CreateString(name));
			t += n;
			t += strspn(t, ", ");
		}
		cJSON_AddItemToArray(cs, c);
	}
	ss = cJSON_AddArrayToObject(doc, "series");
	for (i = 0; ss && i < r->nseries; i++)
		cJSON_AddItemToArray(ss, series_json(r, &r->series[i]));
	rc = rg_report_write_json_file(path, r->report, doc, err);
	cJSON_Delete(doc);
	return rc;
}

/* Under a target's movers table: the command that finds the commit inside
 * each sampled span of it. */
static void write_markdown_bisects(FILE *f, const rg_range_report *r, const rg_series *s)
{
	rg_mover top[RG_TOP_MOVERS];
	size_t j, k, n, shown = 0;
	char hb[32], c1[400];

	for (j = 0; j < s->nmetrics; j++) {
		n = rg_series_movers(s, r->ncommits, s->metrics[j], top);
		for (k = 0; k < n; k++) {
			size_t span = rg_mover_commits(r, &top[k]), cl;
			char *cmd, *c2;
			if (span < 2 || !(cmd = rg_mover_bisect(r, s, s->metrics[j], &top[k])))
				continue;
			/* room for the whole span (a cut command cannot be pasted):
			 * 6 bytes a byte in terminal form, '|' doubled, the fences */
			cl = 24 * strlen(cmd) + 64;
			if (!(c2 = malloc(cl))) {
				free(cmd);
				continue;
			}
			if (!shown++)
				fputs("\nSampled spans: the commit that moved the metric is one of those in "
				      "between; this finds it:\n\n", f);
			fprintf(f, "- %s %s between `%s` and `%s` (%zu commits): %s\n",
			        rg_esc_md_code_text(s->metrics[j], c1, sizeof(c1)),
			        rg_fmt_delta(s->metrics[j], top[k].delta, hb, sizeof(hb)),
			        r->commits[top[k].from].short_id, r->commits[top[k].at].short_id, span,
			        rg_esc_md_code_text(cmd, c2, cl));
			free(c2);
			free(cmd);
		}
	}
}

static int write_markdown(const rg_range_report *r, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	size_t i, j, k, n;
	rg_mover top[RG_TOP_MOVERS];
	char hb[32], c1[400], c2[400];
	int rc;

	if (!f)
		return -1;
	fprintf(f, "# relgate release report: %s", rg_esc_md_code_text(r->range, c1, sizeof(c1)));
	if (r->range_commits > r->ncommits)
		fprintf(f, "\n\n%zu of the range's %zu commits measured (one in %d, both ends and "
		        "every tagged commit)%s: a step between two of them is the sum of the commits "
		        "in between, and is named as such.\n\n", r->ncommits, r->range_commits,
		        r->every, r->first_parent ? ", first parents only" : "");
	else
		fprintf(f, "\n\n%zu commits measured%s.\n\n", r->ncommits,
		        r->first_parent ? ", first parents only" : "");
	rc = rg_report_write_markdown(f, r->report, 0);
	fputs("\n## Commits that moved each metric most\n", f);
	for (i = 0; i < r->nseries; i++) {
		const rg_series *s = &r->series[i];
		fprintf(f, "\n### %s\n\n| metric | commit | subject | delta |\n|---|---|---|--:|\n",
		        rg_esc_md(s->t->name, c1, sizeof(c1)));
		for (j = 0; j < s->nmetrics; j++) {
			n = rg_series_movers(s, r->ncommits, s->metrics[j], top);
			for (k = 0; k < n; k++) {
				size_t span = rg_mover_commits(r, &top[k]);
				fprintf(f, "| %s | ", rg_esc_md_code(s->metrics[j], c1, sizeof(c1)));
				if (span > 1)
					fprintf(f, "between `%s` and `%s` (%zu commits) | sampled: one of these %zu "
					        "commits (bisect below)", r->commits[top[k].from].short_id,
					        r->commits[top[k].at].short_id, span, span);
				else
					fprintf(f, "`%s` | %s", r->commits[top[k].at].short_id,
					        rg_esc_md(r->commits[top[k].at].subject, c2, 160));
				fprintf(f, " | %s |\n", rg_fmt_delta(s->metrics[j], top[k].delta, hb, sizeof(hb)));
			}
		}
		write_markdown_bisects(f, r, s);
	}
	/* ferror first: fclose and fflush do not report an earlier failed write. */
	if (ferror(f))
		rc = -1;
	return (f == stdout ? fflush(f) : fclose(f)) == 0 ? rc : -1;
}

/* 1 when a rule of s's target is on metric m. */
static int has_rule(const rg_series *s, const char *m)
{
	size_t i;

	for (i = 0; i < s->t->nrules; i++)
		if (!strcmp(s->t->rules[i].metric, m))
			return 1;
	return 0;
}

/* After the verdicts on stdout: per target, for the metrics its rules
 * name (all charted ones when none; the files have every metric), the
 * steps that moved each most, spans named as spans with their bisect
 * command. */
static int write_text_movers(FILE *f, const rg_range_report *r)
{
	rg_mover top[RG_TOP_MOVERS];
	size_t i, j, k, n;
	char hb[32], sub[300], mn[200];

	for (i = 0; i < r->nseries; i++) {
		const rg_series *s = &r->series[i];
		int head = 0;
		for (j = 0; j < s->nmetrics; j++) {
			if (s->t->nrules && !has_rule(s, s->metrics[j]))
				continue;
			n = rg_series_movers(s, r->ncommits, s->metrics[j], top);
			for (k = 0; k < n; k++) {
				size_t span = rg_mover_commits(r, &top[k]);
				if (!head++)
					fprintf(f, "\ncommits that moved %s most%s:\n", s->t->name, /* a YAML key */
					        r->range_commits > r->ncommits ? " (a sample: spans are "
					        "between measured commits)" : "");
				fprintf(f, "  %-22s %12s  ", rg_esc_term(s->metrics[j], mn, sizeof(mn)),
				        rg_fmt_delta(s->metrics[j], top[k].delta, hb, sizeof(hb)));
				if (span > 1) {
					char *cmd = rg_mover_bisect(r, s, s->metrics[j], &top[k]);
					fprintf(f, "between %s and %s (%zu commits)\n", r->commits[top[k].from].short_id,
					        r->commits[top[k].at].short_id, span);
					if (cmd) { /* whole: a cut command cannot be pasted */
						fprintf(f, "  %-22s %12s  find it: ", "", "");
						rg_esc_term_put(f, cmd, 0);
						fputc('\n', f);
					}
					free(cmd);
				} else {
					fprintf(f, "%s %s\n", r->commits[top[k].at].short_id,
					        rg_esc_term(r->commits[top[k].at].subject, sub, sizeof(sub)));
				}
			}
		}
	}
	return ferror(f) ? -1 : 0;
}

int rg_range_render(const rg_range_report *r, const char *json_path, const char *md_path,
                    const char *html_path, rg_err *err)
{
	const char *fmt = r->format ? r->format : "text";
	int flags = (rg_use_color(stdout) ? RG_TEXT_COLOR : 0) | (r->all ? RG_TEXT_ALL : 0);
	int rc = RG_OK, io = 0;

	if (!strcmp(fmt, "json"))
		rc = write_json(r, "-", err);
	else
		io = !strcmp(fmt, "markdown") ? write_markdown(r, "-") :
		     rg_report_write_text(stdout, r->report, flags) < 0 ? -1 :
		     write_text_movers(stdout, r);
	if (rc == RG_OK && io == 0 && json_path)
		rc = write_json(r, json_path, err);
	if (rc == RG_OK && io == 0)
		io = (md_path && write_markdown(r, md_path) < 0) ||
		     (html_path && rg_range_write_html(r, html_path) < 0) ? -1 : 0;
	if (io < 0)
		return rg_err_set(err, RG_EIO, "writing the report: %s", strerror(errno));
	return rc;
}
