/*
 * test_budgets_judge.c - rule arithmetic at the edges (budgets/judge.c):
 * the exact limit, a zero base, percent rounding (floor, docs/budgets.md),
 * 64-bit sizes and saturation, missing metrics, new targets, and the
 * wording of a verdict. Every expected number is derived in the comment
 * beside it.
 */
#include "unit.h"
#include "../../budgets/judge.h"

static rg_rule rule(const char *metric, int kind, int64_t value, int64_t pu)
{
	rg_rule r;

	memset(&r, 0, sizeof(r));
	snprintf(r.metric, sizeof(r.metric), "%s", metric);
	snprintf(r.file, sizeof(r.file), "relgate.yml");
	r.kind = kind;
	r.value = value;
	r.is_percent = pu >= 0;
	r.percent_units = pu >= 0 ? pu : 0;
	r.percent = (double)r.percent_units / RG_PERCENT_SCALE;
	r.line = 9;
	r.col = 27;
	return r;
}

/* Judges one rule on base/head values of one metric; returns the status. */
static rg_status judge1(const char *metric, int kind, int64_t value, int64_t pu, int64_t base,
                        int64_t head, rg_verdict *v)
{
	rg_metric_map b = RG_METRIC_MAP_INIT, h = RG_METRIC_MAP_INIT;
	rg_rule r = rule(metric, kind, value, pu);
	rg_err err = { 0 };
	rg_verdict tmp;

	if (!v)
		v = &tmp;
	rg_metric_map_set(&b, metric, base);
	rg_metric_map_set(&h, metric, head);
	if (rg_judge_rule(&r, &b, &h, v, &err))
		v->status = RG_STATUS_ERROR;
	rg_metric_map_free(&b);
	rg_metric_map_free(&h);
	return v->status;
}

static void max_rules(void)
{
	rg_verdict v;

	CHECK_EQ("max: head = limit passes", RG_STATUS_PASS, judge1("file.size", RG_RULE_MAX, 1000, -1, 0, 1000, &v));
	CHECK_EQ("max: margin 0 at the limit", 0, v.margin);
	CHECK_EQ("max: limit+1 fails", RG_STATUS_FAIL, judge1("file.size", RG_RULE_MAX, 1000, -1, 0, 1001, &v));
	CHECK_EQ("max: over by 1", -1, v.margin);
	CHECK_EQ("max: limit is the max", 1000, v.limit);
	CHECK_EQ("warn_max over warns", RG_STATUS_WARN, judge1("file.size", RG_RULE_WARN_MAX, 10, -1, 0, 11, NULL));
	CHECK_EQ("max 0 with head 0 passes", RG_STATUS_PASS, judge1("relocs.text", RG_RULE_MAX, 0, -1, 5, 0, NULL));
	CHECK_EQ("max 0 with head 1 fails", RG_STATUS_FAIL, judge1("relocs.text", RG_RULE_MAX, 0, -1, 0, 1, NULL));
	/* 64-bit: the largest limit, and a head above 2^62. */
	CHECK_EQ("max INT64_MAX passes INT64_MAX", RG_STATUS_PASS,
	         judge1("vm.size", RG_RULE_MAX, INT64_MAX, -1, 0, INT64_MAX, &v));
	CHECK_EQ("max 2^62 fails 2^62+1", RG_STATUS_FAIL,
	         judge1("vm.size", RG_RULE_MAX, (int64_t)1 << 62, -1, 0, ((int64_t)1 << 62) + 1, &v));
	CHECK_EQ("max 2^62: over by exactly 1", -1, v.margin);
	/* head INT64_MAX against limit 0: margin 0 - INT64_MAX = -INT64_MAX, exact. */
	CHECK_EQ("margin at the 64-bit edge", RG_STATUS_FAIL,
	         judge1("vm.size", RG_RULE_MAX, 0, -1, 0, INT64_MAX, &v));
	CHECK_EQ("margin -INT64_MAX", -INT64_MAX, v.margin);
}

static void increase_rules(void)
{
	rg_verdict v;

	/* Absolute: 16 KiB allowed. */
	CHECK_EQ("increase = limit passes", RG_STATUS_PASS,
	         judge1("dirty.bytes", RG_RULE_MAX_INCREASE, 16384, -1, 4096, 4096 + 16384, &v));
	CHECK_EQ("increase margin 0", 0, v.margin);
	CHECK_EQ("increase limit+1 fails", RG_STATUS_FAIL,
	         judge1("dirty.bytes", RG_RULE_MAX_INCREASE, 16384, -1, 4096, 4096 + 16385, &v));
	CHECK_EQ("delta", 16385, v.delta);
	CHECK_EQ("warn_increase warns", RG_STATUS_WARN,
	         judge1("dirty.bytes", RG_RULE_WARN_INCREASE, 0, -1, 10, 11, NULL));
	CHECK_EQ("a decrease passes a 0 increase budget", RG_STATUS_PASS,
	         judge1("dirty.bytes", RG_RULE_MAX_INCREASE, 0, -1, 8192, 4096, &v));
	CHECK_EQ("decrease margin = 0 - (-4096)", 4096, v.margin);
	/* Zero base: an absolute budget still allows its bytes... */
	CHECK_EQ("zero base, absolute", RG_STATUS_PASS,
	         judge1("dirty.bytes", RG_RULE_MAX_INCREASE, 4096, -1, 0, 4096, NULL));
	/* ...a percentage of 0 allows nothing: 10% of 0 = 0. */
	CHECK_EQ("zero base, 10%, no growth", RG_STATUS_PASS,
	         judge1("relocs.total", RG_RULE_MAX_INCREASE, 0, 100000, 0, 0, &v));
	CHECK_EQ("zero base, 10% allows 0", 0, v.limit);
	CHECK_EQ("zero base, 10%, +1 fails", RG_STATUS_FAIL,
	         judge1("relocs.total", RG_RULE_MAX_INCREASE, 0, 100000, 0, 1, NULL));
}

static void percent_rounding(void)
{
	rg_verdict v;

	/* 2% of 99 = 1.98, rounded down to 1: +1 passes, +2 fails. */
	CHECK_EQ("2% of 99 = 1", 1, rg_percent_of(99, 20000));
	CHECK_EQ("2% of 99: +1 passes", RG_STATUS_PASS,
	         judge1("relocs.total", RG_RULE_MAX_INCREASE, 0, 20000, 99, 100, &v));
	CHECK_EQ("2% of 99: +2 fails", RG_STATUS_FAIL,
	         judge1("relocs.total", RG_RULE_MAX_INCREASE, 0, 20000, 99, 101, &v));
	/* 2% of 50 = exactly 1. */
	CHECK_EQ("2% of 50 = 1", 1, rg_percent_of(50, 20000));
	/* 2% of 61700 = 1234 exactly: +1234 passes, +1235 fails by 1. */
	CHECK_EQ("2% of 61700: +1234 passes", RG_STATUS_PASS,
	         judge1("relocs.total", RG_RULE_MAX_INCREASE, 0, 20000, 61700, 62934, NULL));
	CHECK_EQ("2% of 61700: +1235 fails", RG_STATUS_FAIL,
	         judge1("relocs.total", RG_RULE_MAX_INCREASE, 0, 20000, 61700, 62935, &v));
	CHECK_EQ("2% of 61700: over by 1", -1, v.margin);
	/* 0.0001% (1 unit) of 10^6 = 1; of 999999 = 0.999999 -> 0. */
	CHECK_EQ("0.0001% of 10^6", 1, rg_percent_of(1000000, 1));
	CHECK_EQ("0.0001% of 999999", 0, rg_percent_of(999999, 1));
	/* 2.5% of 1001 = 25.025 -> 25. */
	CHECK_EQ("2.5% of 1001", 25, rg_percent_of(1001, 25000));
	/* 100% of INT64_MAX = INT64_MAX exactly (split arithmetic, no overflow). */
	CHECK_EQ("100% of INT64_MAX", INT64_MAX, rg_percent_of(INT64_MAX, 1000000));
	/* 33.3333% of 2^62 = floor(4611686018427387904 * 333333 / 10^6)
	 * = 1537227135580456492 (python3: 2**62*333333//10**6). */
	CHECK_EQ("33.3333% of 2^62", 1537227135580456492LL, rg_percent_of((int64_t)1 << 62, 333333));
	/* 200% of 2^62 = 2^63 does not fit: saturates. */
	CHECK_EQ("200% of 2^62 saturates", INT64_MAX, rg_percent_of((int64_t)1 << 62, 2000000));
	CHECK_EQ("1000000% of INT64_MAX saturates", INT64_MAX, rg_percent_of(INT64_MAX, 10000000000LL));
	CHECK_EQ("negative base counts as 0", 0, rg_percent_of(-5000, 1000000));
	/* Saturated delta: base INT64_MIN+1 is hostile JSON; delta saturates. */
	CHECK_EQ("delta saturates", RG_STATUS_FAIL,
	         judge1("relocs.total", RG_RULE_MAX_INCREASE, 0, -1, -INT64_MAX, INT64_MAX, &v));
	CHECK_EQ("saturated delta value", INT64_MAX, v.delta);
}

static void missing_and_new(void)
{
	rg_metric_map b = RG_METRIC_MAP_INIT, h = RG_METRIC_MAP_INIT;
	rg_target t;
	rg_rule rules[3];
	rg_target_result res;
	rg_err err = { 0 };

	rules[0] = rule("file.size", RG_RULE_MAX, 100, -1);
	rules[1] = rule("pclntab.bytes", RG_RULE_MAX_INCREASE, 10, -1);
	rules[2] = rule("file.size", RG_RULE_WARN_INCREASE, 10, -1);
	memset(&t, 0, sizeof(t));
	t.name = "app";
	t.rules = rules;
	t.nrules = 3;
	rg_metric_map_set(&b, "file.size", 50);
	rg_metric_map_set(&h, "file.size", 70);
	rg_metric_map_set(&h, "pclntab.bytes", 7);
	/* base lacks pclntab.bytes that max_increase needs. */
	CHECK_EQ("missing base metric is an input error", RG_EINPUT, rg_judge_target(&t, &b, &h, &res, &err));
	CHECK("error names metric, rule, side and position",
	      !strcmp(err.msg, "relgate.yml:9:27: metric 'pclntab.bytes' (needed by max_increase) is "
	              "absent from the base measurement"));
	rg_target_result_free(&res);
	/* head lacks it. */
	memset(&err, 0, sizeof(err));
	CHECK_EQ("missing head metric is an input error", RG_EINPUT, rg_judge_target(&t, &h, &b, &res, &err));
	CHECK("error names the head side", strstr(err.msg, "absent from the head measurement") != NULL);
	rg_target_result_free(&res);
	/* A new target: no base -> increase rules skipped, max judged. */
	memset(&err, 0, sizeof(err));
	CHECK_EQ("new target judged", RG_OK, rg_judge_target(&t, NULL, &h, &res, &err));
	CHECK("max judged on a new target", res.nverdicts == 3 && res.verdicts[0].status == RG_STATUS_PASS);
	CHECK("increase skipped on a new target", res.verdicts[1].status == RG_STATUS_SKIPPED &&
	      res.verdicts[2].status == RG_STATUS_SKIPPED);
	CHECK("skipped says why", strstr(res.verdicts[1].message, "no base measurement (new target)") != NULL);
	CHECK_EQ("target status pass", RG_STATUS_PASS, res.status);
	CHECK_EQ("has_base 0", 0, res.has_base);
	rg_target_result_free(&res);
	/* Only increase rules on a new target: all skipped. */
	t.rules = &rules[1];
	t.nrules = 1;
	CHECK_EQ("all skipped judged", RG_OK, rg_judge_target(&t, NULL, &h, &res, &err));
	CHECK_EQ("all skipped -> skipped", RG_STATUS_SKIPPED, res.status);
	rg_target_result_free(&res);
	rg_metric_map_free(&b);
	rg_metric_map_free(&h);
}

static void wording(void)
{
	/* The example: dirty relro 992 KiB (62 pages of 16 KiB) grows to
	 * 1040 KiB (65 pages): +48 KiB = 49152 B, +3 pages; 1040/1024 = 1.0156
	 * MiB, printed "1.02 MiB"; budget max_increase 16 KiB -> over by 32 KiB. */
	rg_metric_map b = RG_METRIC_MAP_INIT, h = RG_METRIC_MAP_INIT;
	rg_rule r = rule("dirty.relro.bytes", RG_RULE_MAX_INCREASE, 16384, -1);
	rg_verdict v;
	rg_err err = { 0 };
	rg_report rep;
	rg_target_result res;

	rg_metric_map_set(&b, "dirty.relro.bytes", 62 * 16384);
	rg_metric_map_set(&b, "dirty.relro.pages", 62);
	rg_metric_map_set(&h, "dirty.relro.bytes", 65 * 16384);
	rg_metric_map_set(&h, "dirty.relro.pages", 65);
	CHECK_EQ("judged", RG_OK, rg_judge_rule(&r, &b, &h, &v, &err));
	CHECK("message in words", !strcmp(v.message, "dirty relro memory grew by 48.0 KiB (+3 pages) to "
	      "1.02 MiB; budget max_increase 16 KiB set at relgate.yml:9, exceeded by 32.0 KiB"));
	r = rule("relocs.total", RG_RULE_MAX_INCREASE, 0, 20000);
	rg_metric_map_set(&b, "relocs.total", 61700);
	rg_metric_map_set(&h, "relocs.total", 61000);
	CHECK_EQ("judged shrink", RG_OK, rg_judge_rule(&r, &b, &h, &v, &err));
	CHECK("shrink wording", !strcmp(v.message, "relocations shrank by 700 to 61000; budget "
	      "max_increase 2% (1234 of base 61700) set at relgate.yml:9, with 1934 to spare"));
	rg_metric_map_set(&h, "relocs.total", 61700);
	CHECK_EQ("judged unchanged", RG_OK, rg_judge_rule(&r, &b, &h, &v, &err));
	CHECK("a plural count agrees", !strncmp(v.message, "relocations are unchanged at 61700;", 35));
	r = rule("file.size", RG_RULE_MAX, 0, 20000);
	rg_metric_map_set(&b, "file.size", 100);
	rg_metric_map_set(&h, "file.size", 100);
	CHECK_EQ("judged size", RG_OK, rg_judge_rule(&r, &b, &h, &v, &err));
	CHECK("a singular agrees", !strncmp(v.message, "file size is unchanged at 100 B;", 32));

	/* Report status and exit codes. */
	rg_report_init(&rep);
	CHECK_EQ("empty report exits 0", 0, rg_report_exit_code(&rep));
	rg_target_result_init(&res, "a");
	res.status = RG_STATUS_WARN;
	rg_report_add_target(&rep, &res);
	CHECK_EQ("warn exits 0", 0, rg_report_exit_code(&rep));
	rg_target_result_init(&res, "b");
	res.status = RG_STATUS_FAIL;
	rg_report_add_target(&rep, &res);
	CHECK_EQ("fail exits 1", 1, rg_report_exit_code(&rep));
	CHECK_EQ("report status fail", RG_STATUS_FAIL, rep.status);
	rg_target_result_init(&res, "c");
	res.status = RG_STATUS_ERROR;
	rg_report_add_target(&rep, &res);
	CHECK_EQ("error exits 3", 3, rg_report_exit_code(&rep));
	rg_report_free(&rep);
	rg_metric_map_free(&b);
	rg_metric_map_free(&h);
}

int main(void)
{
	max_rules();
	increase_rules();
	percent_rounding();
	missing_and_new();
	wording();
	UNIT_DONE();
}
