/*
 * test_report.c - the renderers of reports/report.h: the JSON report parses
 * back into what was judged; GitHub commands are escaped as @actions/core
 * escapes them (escapeData: % CR LF; escapeProperty: also : and ,) and
 * capped at 10 per kind; Markdown stays under its byte cap however many
 * targets and metrics there are; sizes and deltas are worded as format.h
 * says.
 */
#include "unit.h"
#include "../../reports/report.h"
#include "../../reports/escape.h"

#include <stdlib.h>

static char *capture_begin(FILE **f)
{
	*f = tmpfile();
	return NULL;
}

static char *capture_end(FILE *f, size_t *len)
{
	long n;
	char *buf;

	fflush(f);
	n = ftell(f);
	rewind(f);
	buf = calloc((size_t)n + 1, 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n)
		buf[0] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

/* A report with ntargets targets, each with nmetrics changed metrics and
 * nfail failing, nwarn warning max rules. */
static void make_report(rg_report *rep, int ntargets, int nmetrics, int nfail, int nwarn)
{
	int i, j;
	char name[64];

	rg_report_init(rep);
	for (i = 0; i < ntargets; i++) {
		rg_target_result t;
		rg_target_result_init(&t, (snprintf(name, sizeof(name), "target-%d", i), name));
		t.has_base = 1;
		for (j = 0; j < nmetrics; j++) {
			snprintf(name, sizeof(name), "section[.s%d].size", j);
			rg_metric_map_set(&t.base, name, 1000 + j);
			rg_metric_map_set(&t.head, name, 2000 + 3 * j);
		}
		t.verdicts = calloc((size_t)(nfail + nwarn) + 1, sizeof(rg_verdict));
		for (j = 0; j < nfail + nwarn; j++) {
			rg_verdict *v = &t.verdicts[t.nverdicts++];
			snprintf(v->rule.metric, sizeof(v->rule.metric), "section[.s%d].size", j);
			snprintf(v->rule.file, sizeof(v->rule.file), "relgate.yml");
			v->rule.kind = j < nfail ? RG_RULE_MAX : RG_RULE_WARN_MAX;
			v->rule.value = 1500;
			v->rule.line = 10 + j;
			v->rule.col = 7;
			v->status = j < nfail ? RG_STATUS_FAIL : RG_STATUS_WARN;
			v->has_base = v->has_head = 1;
			v->base = 1000 + j;
			v->head = 2000 + 3 * j;
			v->delta = v->head - v->base;
			v->limit = 1500;
			v->margin = 1500 - v->head;
			snprintf(v->message, sizeof(v->message), "100%% sure: line one\nline two, with: colons");
		}
		t.status = nfail ? RG_STATUS_FAIL : nwarn ? RG_STATUS_WARN : RG_STATUS_PASS;
		rg_report_add_target(rep, &t);
	}
}

static void escaping(void)
{
	FILE *f;
	char *s;

	capture_begin(&f);
	rg_gh_escape_data(f, "a%b\r\nc:d,e");
	s = capture_end(f, NULL);
	CHECK("escapeData: % CR LF only", s && !strcmp(s, "a%25b%0D%0Ac:d,e"));
	free(s);
	capture_begin(&f);
	rg_gh_escape_prop(f, "a%b\r\nc:d,e");
	s = capture_end(f, NULL);
	CHECK("escapeProperty: also : and ,", s && !strcmp(s, "a%25b%0D%0Ac%3Ad%2Ce"));
	free(s);
}

static size_t count_lines(const char *s, const char *prefix)
{
	size_t n = 0, l = strlen(prefix);
	const char *p = s;

	while (p && *p) {
		if (!strncmp(p, prefix, l))
			n++;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return n;
}

static void github_cap(void)
{
	rg_report rep;
	FILE *f;
	char *s;

	/* 3 targets x 9 failures = 27 errors -> 9 shown + "and 18 more";
	 * 3 x 2 warnings = 6 -> all 6 shown. */
	make_report(&rep, 3, 12, 9, 2);
	capture_begin(&f);
	rg_report_write_github(f, &rep);
	s = capture_end(f, NULL);
	CHECK_EQ("10 error commands", 10, count_lines(s, "::error "));
	CHECK_EQ("6 warning commands", 6, count_lines(s, "::warning "));
	CHECK("the last error says how many more", s && strstr(s, "::error title=relgate::and 18 more budget failures"));
	CHECK("message escaped (no raw newline inside)", s && strstr(s, "100%25 sure: line one%0Aline two, with: colons"));
	CHECK("properties escaped", s && strstr(s, "title=relgate%3A target-0 section[.s0].size max exceeded::"));
	CHECK("file, line, col", s && strstr(s, "::error file=relgate.yml,line=10,col=7,title="));
	free(s);
	rg_report_free(&rep);
	/* exactly 10 errors: all 10 shown, no "more" line. */
	make_report(&rep, 1, 12, 10, 0);
	capture_begin(&f);
	rg_report_write_github(f, &rep);
	s = capture_end(f, NULL);
	CHECK_EQ("10 errors shown as 10", 10, count_lines(s, "::error "));
	CHECK("no more line at exactly 10", s && !strstr(s, "more budget failures"));
	free(s);
	rg_report_free(&rep);
}

static void markdown_cap(void)
{
	rg_report rep;
	FILE *f;
	char *s;
	size_t len;

	/* 300 targets x 200 changed metrics x 3 failures: megabytes in full. */
	make_report(&rep, 300, 200, 3, 0);
	capture_begin(&f);
	CHECK_EQ("markdown written", 0, rg_report_write_markdown(f, &rep, 0));
	s = capture_end(f, &len);
	CHECK("under 60 KiB", len <= 60 * 1024 && len > 30 * 1024);
	CHECK("the rest summarised", s && strstr(s, "more rows not shown"));
	CHECK("starts with the status", s && !strncmp(s, "## relgate: \xe2\x9d\x8c fail", 20));
	CHECK("no half-open details", s && count_lines(s, "<details>") == count_lines(s, "</details>"));
	free(s);
	/* a small cap still holds */
	capture_begin(&f);
	rg_report_write_markdown(f, &rep, 4096);
	s = capture_end(f, &len);
	CHECK("under a 4 KiB cap", len <= 4096);
	free(s);
	rg_report_free(&rep);
	/* a small report is complete */
	make_report(&rep, 1, 3, 1, 1);
	capture_begin(&f);
	rg_report_write_markdown(f, &rep, 0);
	s = capture_end(f, &len);
	CHECK("small report complete", s && !strstr(s, "not shown") && strstr(s, "`section[.s2].size`"));
	free(s);
	rg_report_free(&rep);
}

static void json_roundtrip(void)
{
	rg_report rep, *back = NULL;
	cJSON *doc;
	rg_err err = { 0 };
	size_t i;
	int same = 1;

	make_report(&rep, 2, 5, 1, 1);
	rep.targets[1].verdicts[0].rule.is_percent = 1;
	rep.targets[1].verdicts[0].rule.kind = RG_RULE_MAX_INCREASE;
	rep.targets[1].verdicts[0].rule.percent_units = 25000;
	rep.targets[1].verdicts[0].rule.value = 0; /* percent rules carry no absolute value */
	rep.targets[1].verdicts[0].has_base = 1;
	rep.targets[1].verdicts[0].head = (int64_t)1 << 52; /* exact in JSON */
	rg_metric_map_set(&rep.targets[0].head, "vm.size", ((int64_t)1 << 53) - 1);
	rg_report_set_str(&rep.base_commit, "1a2b3c");
	rg_report_set_str(&rep.budgets_diff, "-a\n+b");
	rep.budgets_changed = 1;
	rg_report_add_input(&rep, "base", "target-0", "old.json", "json", "arm64", 16384);
	rg_report_note(&rep, "note \"quoted\"");
	/* Through text, as a reader of the file would see it. */
	{
		cJSON *mem = rg_report_to_json(&rep);
		char *txt = mem ? cJSON_Print(mem) : NULL;
		CHECK("to_json", mem != NULL && txt != NULL);
		doc = txt ? cJSON_Parse(txt) : NULL;
		CHECK("printed JSON parses", doc != NULL);
		free(txt);
		/* and the in-memory document (raw numbers) reads back too */
		CHECK_EQ("from in-memory json", RG_OK, rg_report_from_json(mem, &back, &err));
		rg_report_destroy(back);
		back = NULL;
		cJSON_Delete(mem);
	}
	CHECK_EQ("from_json", RG_OK, rg_report_from_json(doc, &back, &err));
	if (!back) {
		printf("not ok - roundtrip: %s\n", err.msg);
		unit_failed++;
		cJSON_Delete(doc);
		rg_report_free(&rep);
		return;
	}
	CHECK_EQ("targets back", rep.ntargets, back->ntargets);
	CHECK_EQ("status back", rep.status, back->status);
	for (i = 0; i < rep.ntargets && i < back->ntargets; i++) {
		const rg_target_result *a = &rep.targets[i], *b = &back->targets[i];
		size_t j;
		same &= !strcmp(a->name, b->name) && a->nverdicts == b->nverdicts &&
		        a->head.n == b->head.n && a->base.n == b->base.n && a->status == b->status;
		for (j = 0; same && j < a->head.n; j++)
			same &= !strcmp(a->head.items[j].name, b->head.items[j].name) &&
			        a->head.items[j].value == b->head.items[j].value;
		for (j = 0; same && j < a->nverdicts; j++) {
			const rg_verdict *x = &a->verdicts[j], *y = &b->verdicts[j];
			same &= x->status == y->status && x->base == y->base && x->head == y->head &&
			        x->delta == y->delta && x->limit == y->limit && x->margin == y->margin &&
			        x->rule.kind == y->rule.kind && x->rule.line == y->rule.line &&
			        x->rule.col == y->rule.col && x->rule.is_percent == y->rule.is_percent &&
			        x->rule.percent_units == y->rule.percent_units && x->rule.value == y->rule.value &&
			        !strcmp(x->rule.metric, y->rule.metric) && !strcmp(x->rule.file, y->rule.file) &&
			        !strcmp(x->message, y->message);
		}
	}
	CHECK("targets, metrics and verdicts equal after a round trip", same);
	CHECK("context back", back->base_commit && !strcmp(back->base_commit, "1a2b3c") &&
	      back->budgets_changed && !strcmp(back->budgets_diff, "-a\n+b") && back->ninputs == 1 &&
	      back->inputs[0].page_size == 16384 && back->nnotes == 1);
	rg_report_destroy(back);
	cJSON_Delete(doc);
	/* Hostile documents: errors, not crashes. */
	{
		static const char *bad[] = {
			"{}", "{\"schema_version\":2,\"targets\":[]}", "{\"schema_version\":1,\"targets\":[{}]}",
			"{\"schema_version\":1,\"targets\":[{\"name\":\"a\",\"status\":\"zz\",\"metrics\":{\"head\":{}}}]}",
			"{\"schema_version\":1,\"targets\":[{\"name\":\"a\",\"status\":\"pass\",\"metrics\":{\"head\":{\"x\":1.5}}}]}",
			"{\"schema_version\":1,\"targets\":[{\"name\":\"a\",\"status\":\"pass\",\"metrics\":{\"head\":{}},\"verdicts\":[{\"metric\":\"x\"}]}]}",
		};
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			cJSON *d = cJSON_Parse(bad[i]);
			rg_report *r = NULL;
			memset(&err, 0, sizeof(err));
			CHECK("hostile report refused", rg_report_from_json(d, &r, &err) == RG_EINPUT && !r && err.msg[0]);
			cJSON_Delete(d);
		}
	}
	rg_report_free(&rep);
}

static void text_order(void)
{
	rg_report rep;
	rg_target_result t;
	FILE *f;
	char *s, *pa, *pb, *pf, *pp;

	/* target "a" passes, target "b" fails one of two rules: b comes first,
	 * and within b the failure comes before the pass. */
	make_report(&rep, 0, 0, 0, 0);
	rg_target_result_init(&t, "a");
	t.has_base = 1;
	rg_report_add_target(&rep, &t);
	rg_target_result_init(&t, "b");
	t.has_base = 1;
	t.verdicts = calloc(2, sizeof(rg_verdict));
	t.nverdicts = 2;
	t.verdicts[0].status = RG_STATUS_PASS;
	snprintf(t.verdicts[0].rule.metric, 160, "file.size");
	snprintf(t.verdicts[0].message, 64, "first-pass");
	t.verdicts[1].status = RG_STATUS_FAIL;
	snprintf(t.verdicts[1].rule.metric, 160, "dirty.bytes");
	snprintf(t.verdicts[1].message, 64, "then-fail");
	t.status = RG_STATUS_FAIL;
	rg_report_add_target(&rep, &t);
	capture_begin(&f);
	rg_report_write_text(f, &rep, RG_TEXT_ALL);
	s = capture_end(f, NULL);
	pa = s ? strstr(s, "\na") : NULL;
	pb = s ? strstr(s, "\nb: FAIL") : NULL;
	pf = s ? strstr(s, "then-fail") : NULL;
	pp = s ? strstr(s, "first-pass") : NULL;
	CHECK("text: overall line", s && !strncmp(s, "relgate: FAIL: 1 budget exceeded, 0 warnings, 1 within budget, 0 skipped", 72));
	CHECK("text: failing target first", pa && pb && pb < pa);
	CHECK("text: failing rule first", pf && pp && pf < pp);
	free(s);
	rg_report_free(&rep);
}

/* reports/format.c: the expected words are worked out by hand (1536 / 1024
 * = 1.5; INT64_MIN = -2^63 = -8 EiB; 3 significant digits). */
static void formats(void)
{
	static const struct { int64_t v; const char *want; } sizes[] = {
		{ 0, "0 B" }, { 1023, "1023 B" }, { -512, "-512 B" }, { 1024, "1.00 KiB" },
		{ 1536, "1.50 KiB" }, { 10 * 1024, "10.0 KiB" }, { 100 * 1024 * 1024, "100 MiB" },
		{ -49152, "-48.0 KiB" }, { INT64_MIN, "-8.00 EiB" }, { INT64_MAX, "8.00 EiB" },
	};
	char buf[48], name[96];
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(name, sizeof(name), "rg_fmt_size(%lld) is %s", (long long)sizes[i].v,
		         sizes[i].want);
		CHECK(name, !strcmp(rg_fmt_size(sizes[i].v, buf, sizeof(buf)), sizes[i].want));
	}
	CHECK("a byte metric's value in units", !strcmp(rg_fmt_value("dirty.bytes", 4096, buf,
	      sizeof(buf)), "4.00 KiB"));
	CHECK("a count stays a count", !strcmp(rg_fmt_value("relocs.total", 4096, buf,
	      sizeof(buf)), "4096"));
	CHECK("growth of bytes: +32.0 KiB", !strcmp(rg_fmt_delta("file.size", 32768, buf,
	      sizeof(buf)), "+32.0 KiB"));
	CHECK("a count that shrank: -3", !strcmp(rg_fmt_delta("relocs.total", -3, buf,
	      sizeof(buf)), "-3"));
	CHECK("no change: 0 B", !strcmp(rg_fmt_delta("vm.size", 0, buf, sizeof(buf)), "0 B"));
	/* a chart's fixed unit: 1473024 / 1024 = 1438.5; 3 MiB / 1 GiB =
	 * 0.0029296875 */
	CHECK("in KiB, 1 decimal: 1438.5 KiB", !strcmp(rg_fmt_size_in(1473024, 1024, 1, buf,
	      sizeof(buf)), "1438.5 KiB"));
	CHECK("in GiB, 2 decimals: 0.00 GiB", !strcmp(rg_fmt_size_in(3 << 20, 1 << 30, 2, buf,
	      sizeof(buf)), "0.00 GiB"));
	CHECK("in B: -7 B", !strcmp(rg_fmt_size_in(-7, 1, 0, buf, sizeof(buf)), "-7 B"));
	CHECK("units: B first, EiB last", !strcmp(rg_fmt_unit(0), "B") &&
	      !strcmp(rg_fmt_unit(6), "EiB") && !rg_fmt_unit(7) && !rg_fmt_unit(-1));
}

/* rg_movers_line with five 255-byte names and 64-bit extremes: each entry
 * is over 300 bytes, so the fifth does not fit a 1600-byte line (the
 * renderers' buffer). What is shown must be whole entries, each its name
 * then " +D (B → H)" (checked from the fields set here), then the marker
 * "… and N more" with N the entries left out; a short buffer likewise. */
static void movers_cut(void)
{
	rg_verdict v;
	char line[1600], want[400], name[480], *p, *q;
	size_t lens[2] = { sizeof(line), 700 }, i, l, shown;
	int k;

	memset(&v, 0, sizeof(v));
	for (i = 0; i < 5; i++) {
		rg_fixup_mover *m = &v.movers[v.nmovers++];
		snprintf(m->by, sizeof(m->by), "symbol");
		memset(m->name, 'a' + (int)i, 255);
		m->base = INT64_MIN + 1;
		m->head = INT64_MAX - (int64_t)i;
		m->delta = INT64_MAX;
	}
	for (k = 0; k < 2; k++) {
		rg_movers_line(&v, "symbol", NULL, line, lens[k]);
		l = strlen(line);
		snprintf(name, sizeof(name), "movers in %zu bytes: within the buffer", lens[k]);
		CHECK(name, l < lens[k]);
		for (p = line, shown = 0; shown < 5 && *p && p[0] != '\xe2'; shown++) {
			const rg_fixup_mover *m = &v.movers[shown];
			snprintf(want, sizeof(want), "%s +%lld (%lld \xe2\x86\x92 %lld)", m->name,
			         (long long)m->delta, (long long)m->base, (long long)m->head);
			snprintf(name, sizeof(name), "movers in %zu bytes: entry %zu whole", lens[k],
			         shown);
			CHECK(name, !strncmp(p, want, strlen(want)) &&
			      (!p[strlen(want)] || !strncmp(p + strlen(want), ", ", 2)));
			q = p + strlen(want);
			p = *q ? q + 2 : q;
		}
		snprintf(want, sizeof(want), "\xe2\x80\xa6 and %zu more", 5 - shown);
		snprintf(name, sizeof(name), "movers in %zu bytes: %zu shown, then '%s'", lens[k],
		         shown, want);
		CHECK(name, shown >= 1 && shown < 5 && !strcmp(p, want));
	}
	rg_movers_line(&v, "package", NULL, line, sizeof(line));
	CHECK("no movers by package: an empty line", !line[0]);
	v.nmovers = 1;
	rg_movers_line(&v, "symbol", NULL, line, sizeof(line));
	CHECK("one mover: no marker", !strstr(line, "more") && strlen(line) > 255);
}

/* rg_esc_md_code cut to fit: read back as CommonMark reads a code span in
 * a GFM table cell (the fence, one space each side when both are there,
 * "\|" as "|"), what is left must be the start of s, then "…". */
static void md_code_cut(void)
{
	static const struct { const char *s; size_t len; } cases[] = {
		{ "||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||", 64 },
		{ "``a`|||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||", 48 },
		{ "|\xc3\xa9|\xc3\xa9|\xc3\xa9|\xc3\xa9|\xc3\xa9|\xc3\xa9|\xc3\xa9|\xc3\xa9|\xc3\xa9|\xc3\xa9|\xc3\xa9|\xc3\xa9|\xc3\xa9|\xc3\xa9|\xc3\xa9", 30 },
	};
	char buf[128], text[128], name[96];
	size_t i, k, n, l, o;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		rg_esc_md_code(cases[k].s, buf, cases[k].len);
		l = strlen(buf);
		for (n = 0; buf[n] == '`'; n++)
			;
		snprintf(name, sizeof(name), "code span cut %zu: fits, fenced alike", k);
		CHECK(name, l < cases[k].len && n && l > 2 * n && !strncmp(buf + l - n, buf, n) &&
		      buf[l - n - 1] != '`');
		i = n, l -= n;
		if (buf[i] == ' ' && buf[l - 1] == ' ')
			i++, l--;
		for (o = 0; i < l && o + 1 < sizeof(text); i++)
			if (!(buf[i] == '\\' && buf[i + 1] == '|'))
				text[o++] = buf[i];
		text[o] = '\0';
		snprintf(name, sizeof(name), "code span cut %zu: the start of s, then \xe2\x80\xa6", k);
		CHECK(name, o > 3 && !strcmp(text + o - 3, "\xe2\x80\xa6") &&
		      !strncmp(text, cases[k].s, o - 3));
		/* outside a table: no "\|" (GitHub would show the backslash), the
		 * span's text itself the start of s, then "…" */
		rg_esc_md_code_text(cases[k].s, buf, cases[k].len);
		l = strlen(buf);
		for (n = 0; buf[n] == '`'; n++)
			;
		i = n, l -= n;
		if (buf[i] == ' ' && buf[l - 1] == ' ')
			i++, l--;
		snprintf(name, sizeof(name), "code span cut %zu, not in a table: no \\|, the start "
		         "of s, then \xe2\x80\xa6", k);
		CHECK(name, strlen(buf) < cases[k].len && !strchr(buf, '\\') && l - i > 3 &&
		      !memcmp(buf + l - 3, "\xe2\x80\xa6", 3) && !strncmp(buf + i, cases[k].s, l - i - 3));
	}
}

int main(void)
{
	md_code_cut();
	movers_cut();
	formats();
	text_order();
	escaping();
	github_cap();
	markdown_cap();
	json_roundtrip();
	UNIT_DONE();
}
