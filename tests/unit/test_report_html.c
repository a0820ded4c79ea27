/*
 * test_report_html.c - the HTML page of the range report (report_html.c)
 * and its escaping (rg_html_escape, escape.c), on range reports made here:
 *   - rg_html_escape writes the five characters HTML gives meaning to as
 *     the references of the HTML standard, and no control character;
 *   - markup in every string a page shows (commit subjects, metric and
 *     section names, the relgate.yml file name, notes, the head's
 *     relgate.yml diff) reaches the file only escaped;
 *   - the y axis of a series that moves 2 KiB on 1.4 MiB (where three
 *     significant digits print "1.40 MiB" on every tick) has labels that
 *     read, as a person reads "1438.5 KiB", as evenly spaced values around
 *     the data, all distinct;
 *   - a commit not measured leaves no point and a dotted line across.
 * What Chromium makes of a whole page is tests/e2e/test_report_html.sh's.
 */
#include "unit.h"
#include "../../reports/report.h"
#include "../../reports/escape.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_LABELS 32

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	if (n >= 0 && (buf = calloc((size_t)n + 1, 1)) && fread(buf, 1, (size_t)n, f) != (size_t)n)
		buf[0] = '\0';
	fclose(f);
	return buf;
}

static void escape(void)
{
	FILE *f = tmpfile();
	char buf[256] = "";
	size_t n;

	rg_html_escape(f, "<svg onload=\"a('x')\">&\r\x01\x7f\tok \xc3\xa9");
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	CHECK("escape: < > & \" ' as references, controls as U+FFFD, UTF-8 kept",
	      !strcmp(buf, "&lt;svg onload=&quot;a(&#39;x&#39;)&quot;&gt;&amp;"
	                   "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\tok \xc3\xa9"));
}

#define EVIL "<script>alert(1)</script>"

static const char *metric_evil = "section[" EVIL "].size";

/* A target "app" over ncommits commits whose metric takes vals[k]. */
typedef struct fixture {
	rg_report rep;
	rg_target tgt;
	rg_rule rules[2];
	rg_series ser;
	cJSON *points[8];
	char *metrics[1];
	rg_range_commit commits[8];
	rg_range_report rr;
} fixture;

static void fixture_make(fixture *x, const char *metric, const int64_t *vals, size_t n)
{
	rg_target_result t;
	size_t k;

	memset(x, 0, sizeof(*x));
	rg_report_init(&x->rep);
	rg_target_result_init(&t, "app");
	t.has_base = 1;
	rg_metric_map_set(&t.base, metric, vals[0]);
	rg_metric_map_set(&t.head, metric, vals[n - 1]);
	t.verdicts = calloc(1, sizeof(rg_verdict));
	t.nverdicts = 1;
	snprintf(t.verdicts[0].rule.metric, sizeof(t.verdicts[0].rule.metric), "%s", metric);
	snprintf(t.verdicts[0].rule.file, sizeof(t.verdicts[0].rule.file), "%s", EVIL ".yml");
	t.verdicts[0].rule.kind = RG_RULE_MAX_INCREASE;
	t.verdicts[0].rule.value = 1;
	t.verdicts[0].rule.line = 7;
	t.verdicts[0].status = RG_STATUS_FAIL;
	t.verdicts[0].has_base = t.verdicts[0].has_head = 1;
	t.verdicts[0].base = vals[0];
	t.verdicts[0].head = vals[n - 1];
	t.verdicts[0].delta = vals[n - 1] - vals[0];
	t.verdicts[0].limit = 1;
	t.verdicts[0].margin = 1 - t.verdicts[0].delta;
	snprintf(t.verdicts[0].message, sizeof(t.verdicts[0].message), "%s grew", EVIL);
	t.status = RG_STATUS_FAIL;
	rg_target_result_note(&t, "note " EVIL);
	rg_report_add_target(&x->rep, &t);
	rg_report_note(&x->rep, "report note " EVIL);
	rg_report_set_str(&x->rep.budgets_source, "base commit " EVIL);
	x->rep.budgets_changed = 1;
	rg_report_set_str(&x->rep.budgets_diff, "+      \"" EVIL "\": { max: 1 }\n");
	x->tgt.name = "app";
	x->tgt.rules = x->rules;
	x->tgt.nrules = 1;
	x->rules[0] = x->rep.targets[0].verdicts[0].rule;
	x->metrics[0] = (char *)metric;
	x->ser.t = &x->tgt;
	x->ser.points = x->points;
	x->ser.metrics = x->metrics;
	x->ser.nmetrics = 1;
	for (k = 0; k < n; k++) {
		cJSON *m = cJSON_CreateObject();
		x->points[k] = cJSON_CreateObject();
		cJSON_AddNumberToObject(m, metric, (double)vals[k]);
		cJSON_AddItemToObject(x->points[k], "metrics", m);
		x->commits[k].id = "0123456789abcdef0123456789abcdef01234567";
		x->commits[k].short_id = "0123456";
		x->commits[k].subject = k == n - 1 ? "subject " EVIL " & \"q\"" : "step";
	}
	x->rr.report = &x->rep;
	x->rr.range = "v1.." EVIL;
	x->rr.budgets_source = "base commit " EVIL;
	x->rr.every = 1;
	x->rr.commits = x->commits;
	x->rr.ncommits = n;
	x->rr.series = &x->ser;
	x->rr.nseries = 1;
}

static void fixture_free(fixture *x)
{
	size_t k;

	for (k = 0; k < x->rr.ncommits; k++)
		cJSON_Delete(x->points[k]);
	rg_report_free(&x->rep);
}

static char *render(fixture *x)
{
	char path[] = "/tmp/rg-html-XXXXXX";
	int fd = mkstemp(path);
	char *s;

	if (fd < 0)
		return NULL;
	close(fd);
	s = rg_range_write_html(&x->rr, path) == 0 ? slurp(path) : NULL;
	remove(path);
	return s;
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;

	while (s && (s = strstr(s, needle))) {
		n++;
		s += strlen(needle);
	}
	return n;
}

static void hostile_strings(void)
{
	static const int64_t vals[] = { 3, 3, 40 };
	fixture x;
	char *s;

	fixture_make(&x, metric_evil, vals, 3);
	s = render(&x);
	CHECK("hostile: the page is written", s != NULL);
	CHECK_EQ("hostile: no raw <script", 0, count(s, "<script"));
	/* range x2 (title, h1), metric: verdict table, attention list, chart
	 * title, data-metric, svg title; subject: meta line, attention, point
	 * title, mover (text and title); relgate.yml name, notes, diff. */
	CHECK("hostile: each string shown escaped", count(s, "&lt;script&gt;alert(1)&lt;/script&gt;") >= 12);
	CHECK("hostile: the head's relgate.yml diff shown, escaped",
	      s && strstr(s, "+      &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;: { max: 1 }"));
	CHECK("hostile: attribute values escaped",
	      s && strstr(s, "data-metric=\"section[&lt;script&gt;alert(1)&lt;/script&gt;].size\""));
	CHECK("hostile: quotes in a subject escaped", s && strstr(s, " &amp; &quot;q&quot;"));
	free(s);
	fixture_free(&x);
}

/* "1438.5 KiB" -> 1473024, as a person reads it. */
static double read_label(const char *s)
{
	char *end;
	double d = strtod(s, &end);

	if (!strncmp(end, " KiB", 4))
		return d * 1024;
	if (!strncmp(end, " MiB", 4))
		return d * 1024 * 1024;
	return !strncmp(end, " B", 2) ? d : -1;
}

static void y_labels(void)
{
	static const int64_t vals[] = { 1472962, 1473200, 1475074 };
	fixture x;
	char *s, lab[MAX_LABELS][32];
	const char *p;
	double v[MAX_LABELS];
	size_t n = 0, i;
	int even = 1, distinct = 1;

	fixture_make(&x, "file.size", vals, 3);
	s = render(&x);
	for (p = s; p && (p = strstr(p, "class=\"ytick\"")) && n < MAX_LABELS; p++) {
		const char *a = strchr(p, '>'), *b = a ? strchr(a, '<') : NULL;
		if (!b || b - a - 1 >= 32)
			break;
		snprintf(lab[n], sizeof(lab[n]), "%.*s", (int)(b - a - 1), a + 1);
		v[n] = read_label(lab[n]);
		n++;
	}
	CHECK("1.4 MiB axis: at least 3 labels", n >= 3);
	for (i = 1; i < n; i++) {
		distinct &= strcmp(lab[i], lab[i - 1]) != 0;
		even &= v[i] - v[i - 1] > 0 && fabs((v[i] - v[i - 1]) - (v[1] - v[0])) < 1;
	}
	CHECK("1.4 MiB axis: labels all distinct", distinct);
	CHECK("1.4 MiB axis: labels read as evenly spaced values", even && v[0] > 0);
	CHECK("1.4 MiB axis: labels span the data (1472962..1475074)",
	      n && v[0] <= 1472962 && v[n - 1] >= 1475074);
	CHECK("1.4 MiB axis: within 4 KiB of it (not stretched to zero)",
	      n && v[0] > 1472962 - 4096 && v[n - 1] < 1475074 + 4096);
	if (!even || !distinct)
		for (i = 0; i < n; i++)
			printf("# label %s\n", lab[i]);
	free(s);
	fixture_free(&x);
}

/* A commit in the middle not measured: no point there, and the line
 * across it dotted, not drawn as if measured. */
static void gap(void)
{
	static const int64_t vals[] = { 10, 20, 30, 40 };
	fixture x;
	char *s;

	fixture_make(&x, "relocs.relative", vals, 4);
	cJSON_Delete(x.points[2]);
	x.points[2] = NULL;
	s = render(&x);
	CHECK_EQ("gap: a point per measured commit", 3, count(s, "<circle class=\"point"));
	CHECK_EQ("gap: one solid segment (commits 0-1)", 1, count(s, "<line class=\"series\""));
	CHECK_EQ("gap: one dotted segment across the gap (1-3)", 1, count(s, "<line class=\"series gap\""));
	free(s);
	fixture_free(&x);
}

/* A max already broken at the base: no commit is blamed for it. */
static void over_at_base(void)
{
	static const int64_t vals[] = { 50, 60, 70 };
	fixture x;
	char *s;

	fixture_make(&x, "relocs.relative", vals, 3);
	x.rep.targets[0].verdicts[0].rule.kind = RG_RULE_MAX;
	x.rep.targets[0].verdicts[0].rule.value = 20;
	x.rules[0] = x.rep.targets[0].verdicts[0].rule;
	s = render(&x);
	CHECK("over at the base: said so", s && strstr(s, "Already over at the base"));
	CHECK_EQ("over at the base: no commit marked as breaking it", 0, count(s, "class=\"crossing"));
	CHECK_EQ("over at the base: every point over the limit", 3, count(s, "point over-fail"));
	free(s);
	fixture_free(&x);
}

int main(void)
{
	over_at_base();
	escape();
	hostile_strings();
	y_labels();
	gap();
	UNIT_DONE();
}
