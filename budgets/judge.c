/*
 * judge.c - metric maps, rule arithmetic, verdict wording and the report
 * model (judge.h; docs/budgets.md "How rules are judged").
 *
 * All arithmetic is on int64 and saturates rather than wraps, so 64-bit
 * sizes and hostile JSON values give a verdict, never undefined behaviour.
 */
#include "judge.h"
#include "../parsers/attr.h"
#include "../reports/format.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- metric maps ---- */

int rg_metric_map_set(rg_metric_map *m, const char *name, int64_t value)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->items[i].name, name)) {
			m->items[i].value = value;
			return RG_OK;
		}
	if (m->n == m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 64;
		rg_metric *ni = realloc(m->items, ncap * sizeof(*ni));
		if (!ni)
			return RG_ENOMEM;
		m->items = ni;
		m->cap = ncap;
	}
	snprintf(m->items[m->n].name, sizeof(m->items[m->n].name), "%s", name);
	m->items[m->n++].value = value;
	return RG_OK;
}

int rg_metric_map_get(const rg_metric_map *m, const char *name, int64_t *value)
{
	size_t i;

	for (i = 0; m && i < m->n; i++)
		if (!strcmp(m->items[i].name, name)) {
			if (value)
				*value = m->items[i].value;
			return 1;
		}
	return 0;
}

void rg_metric_map_free(rg_metric_map *m)
{
	free(m->items);
	m->items = NULL;
	m->n = m->cap = 0;
}

int rg_metric_map_copy(rg_metric_map *dst, const rg_metric_map *src)
{
	size_t i;

	for (i = 0; src && i < src->n; i++)
		if (rg_metric_map_set(dst, src->items[i].name, src->items[i].value))
			return RG_ENOMEM;
	return RG_OK;
}

long rg_target_group_metrics(const rg_target *t, const char ***names)
{
	size_t i, n = 0;

	*names = NULL;
	for (i = 0; t && i < t->nrules; i++)
		n += rg_metric_is_group(t->rules[i].metric) != 0;
	if (!n)
		return 0;
	if (!(*names = malloc(n * sizeof(**names))))
		return -1;
	for (i = 0, n = 0; i < t->nrules; i++)
		if (rg_metric_is_group(t->rules[i].metric))
			(*names)[n++] = t->rules[i].metric;
	return (long)n;
}

int rg_metric_map_from_binary(rg_metric_map *m, const rg_binary *b)
{
	size_t i;

	for (i = 0; i < b->nmetrics; i++)
		if (rg_metric_map_set(m, b->metrics[i].name, b->metrics[i].value))
			return RG_ENOMEM;
	return RG_OK;
}

int rg_metric_map_from_json(rg_metric_map *m, const cJSON *obj, rg_err *err)
{
	const cJSON *metrics = obj, *it;

	if (cJSON_IsObject(obj) && cJSON_GetObjectItemCaseSensitive(obj, "metrics"))
		metrics = cJSON_GetObjectItemCaseSensitive(obj, "metrics");
	if (!cJSON_IsObject(metrics))
		return rg_err_set(err, RG_EINPUT, "expected an object of metrics");
	cJSON_ArrayForEach(it, metrics) {
		double d = it->valuedouble;
		if (!it->string || strlen(it->string) >= sizeof(m->items[0].name))
			return rg_err_set(err, RG_EINPUT, "a metric name is missing or too long");
		if (cJSON_IsRaw(it)) { /* exact integers of an in-memory document */
			char *end;
			long long v;
			errno = 0;
			v = strtoll(it->valuestring, &end, 10);
			if (errno || *end)
				return rg_err_set(err, RG_EINPUT, "metric '%.160s' is not an integer", it->string);
			if (rg_metric_map_set(m, it->string, (int64_t)v))
				return rg_err_set(err, RG_ENOMEM, "out of memory");
			continue;
		}
		if (!cJSON_IsNumber(it) || d != floor(d) || fabs(d) >= 9007199254740992.0)
			return rg_err_set(err, RG_EINPUT, "metric '%.160s' is not an exact integer",
			                  it->string);
		if (rg_metric_map_set(m, it->string, (int64_t)d))
			return rg_err_set(err, RG_ENOMEM, "out of memory");
	}
	return RG_OK;
}

/* ---- statuses ---- */

static const char *const status_names[] = { "skipped", "pass", "warn", "fail", "error" };

const char *rg_status_name(rg_status s)
{
	return (unsigned)s <= RG_STATUS_ERROR ? status_names[s] : "?";
}

int rg_status_parse(const char *s, rg_status *out)
{
	int i;

	for (i = 0; s && i <= RG_STATUS_ERROR; i++)
		if (!strcmp(s, status_names[i])) {
			*out = (rg_status)i;
			return 0;
		}
	return -1;
}

/* ---- wording ---- */

static const struct {
	const char *metric, *words;
} words[] = {
	{ "file.size", "file size" }, { "vm.size", "mapped size" },
	{ "vm.text", "executable code" }, { "vm.rodata", "read-only data" },
	{ "vm.relro", "read-only-after-relocation data" }, { "vm.data", "writable data" },
	{ "vm.bss", "zero-fill data" },
	{ "relocs.total", "relocations" }, { "relocs.relative", "relative relocations" },
	{ "relocs.symbolic", "symbolic relocations" }, { "relocs.lazy", "lazy relocations" },
	{ "relocs.text", "text relocations" }, { "relocs.relro", "relocations in relro" },
	{ "relocs.data", "relocations in writable data" },
	{ "dirty.pages", "dirty pages" }, { "dirty.bytes", "dirty memory" },
	{ "dirty.relro.pages", "dirty relro pages" }, { "dirty.relro.bytes", "dirty relro memory" },
	{ "dirty.data.pages", "dirty data pages" }, { "dirty.data.bytes", "dirty data memory" },
	{ "pclntab.bytes", "Go pclntab" }, { "pclntab.funcs", "Go pclntab functions" },
	{ "pclntab.files", "Go pclntab files" },
};

const char *rg_metric_words(const char *metric)
{
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(words[i].metric, metric))
			return words[i].words;
	return NULL;
}

int64_t rg_sat_sub(int64_t a, int64_t b)
{
	if (b < 0 && a > INT64_MAX + b)
		return INT64_MAX;
	if (b > 0 && a < INT64_MIN + b)
		return INT64_MIN;
	return a - b;
}

/* The pages metric that goes with a bytes metric, e.g. dirty.relro.pages. */
static int pages_of(const char *metric, char *buf, size_t len)
{
	size_t n = strlen(metric);

	if (!strncmp(metric, "dirty.", 6) && n > 6 && !strcmp(metric + n - 6, ".bytes")) {
		snprintf(buf, len, "%.*s.pages", (int)(n - 6), metric);
		return 1;
	}
	if (n > 12 && !strcmp(metric + n - 12, ".dirty_bytes")) {
		snprintf(buf, len, "%.*s.dirty_pages", (int)(n - 12), metric);
		return 1;
	}
	return 0;
}

static void word_verdict(rg_verdict *v, const rg_metric_map *base, const rg_metric_map *head)
{
	const rg_rule *r = &v->rule;
	const char *w = rg_metric_words(r->metric);
	char hv[48], dv[48], lim[48], lv[48], bv[48], extra[96] = "", pg[96] = "", pname[200];
	int64_t pb, ph;
	size_t o;
	const char *verb;

	if (!w)
		w = r->metric;
	/* "relocations are", "Go pclntab is": the words of a count are plural */
	verb = w != r->metric && w[strlen(w) - 1] == 's' ? "are" : "is";
	rg_rule_limit_str(r, lim, sizeof(lim));
	if (r->is_percent && v->status != RG_STATUS_SKIPPED)
		snprintf(extra, sizeof(extra), " (%s of base %s)", rg_fmt_value(r->metric, v->limit, lv, sizeof(lv)),
		         rg_fmt_value(r->metric, v->base, bv, sizeof(bv)));
	rg_fmt_value(r->metric, v->head, hv, sizeof(hv));
	if (v->has_base && pages_of(r->metric, pname, sizeof(pname)) &&
	    rg_metric_map_get(base, pname, &pb) && rg_metric_map_get(head, pname, &ph) && pb != ph)
		snprintf(pg, sizeof(pg), " (%+lld page%s)", (long long)rg_sat_sub(ph, pb),
		         (ph - pb == 1 || pb - ph == 1) ? "" : "s");
	if (!v->has_base)
		o = (size_t)snprintf(v->message, sizeof(v->message), "%s %s %s", w, verb, hv);
	else if (v->delta > 0)
		o = (size_t)snprintf(v->message, sizeof(v->message), "%s grew by %s%s to %s", w,
		                     rg_fmt_value(r->metric, v->delta, dv, sizeof(dv)), pg, hv);
	else if (v->delta < 0)
		o = (size_t)snprintf(v->message, sizeof(v->message), "%s shrank by %s%s to %s", w,
		                     rg_fmt_value(r->metric, rg_sat_sub(0, v->delta), dv, sizeof(dv)), pg, hv);
	else
		o = (size_t)snprintf(v->message, sizeof(v->message), "%s %s unchanged at %s", w, verb, hv);
	if (o >= sizeof(v->message))
		return;
	if (v->status == RG_STATUS_SKIPPED) {
		snprintf(v->message + o, sizeof(v->message) - o, "; no base measurement (new "
		         "target), so budget %s %s set at %s:%d was not judged",
		         rg_rule_kind_name(r->kind), lim, r->file, r->line);
		return;
	}
	snprintf(v->message + o, sizeof(v->message) - o, "; budget %s %s%s set at %s:%d, %s %s",
	         rg_rule_kind_name(r->kind), lim, extra, r->file, r->line,
	         v->margin < 0 ? "exceeded by" : "with",
	         rg_fmt_value(r->metric, v->margin < 0 ? rg_sat_sub(0, v->margin) : v->margin, dv, sizeof(dv)));
	if (v->margin >= 0) {
		o = strlen(v->message);
		snprintf(v->message + o, sizeof(v->message) - o, " to spare");
	}
}

/* ---- judging ---- */

int rg_judge_rule(const rg_rule *r, const rg_metric_map *base, const rg_metric_map *head,
                  rg_verdict *v, rg_err *err)
{
	int inc = rg_rule_is_increase(r->kind);
	int64_t judged;

	memset(v, 0, sizeof(*v));
	v->rule = *r;
	v->has_head = rg_metric_map_get(head, r->metric, &v->head);
	v->has_base = base && rg_metric_map_get(base, r->metric, &v->base);
	if (!v->has_head)
		return rg_err_set(err, RG_EINPUT, "%s:%d:%d: metric '%s' (needed by %s) is absent "
		                  "from the head measurement", r->file, r->line, r->col, r->metric,
		                  rg_rule_kind_name(r->kind));
	if (base && inc && !v->has_base)
		return rg_err_set(err, RG_EINPUT, "%s:%d:%d: metric '%s' (needed by %s) is absent "
		                  "from the base measurement", r->file, r->line, r->col, r->metric,
		                  rg_rule_kind_name(r->kind));
	if (v->has_base)
		v->delta = rg_sat_sub(v->head, v->base);
	if (inc && !v->has_base) {
		v->status = RG_STATUS_SKIPPED;
		v->limit = r->is_percent ? 0 : r->value;
		word_verdict(v, base, head);
		return RG_OK;
	}
	v->limit = !inc ? r->value : r->is_percent ? rg_percent_of(v->base, r->percent_units) : r->value;
	judged = inc ? v->delta : v->head;
	v->margin = rg_sat_sub(v->limit, judged);
	if (judged <= v->limit)
		v->status = RG_STATUS_PASS;
	else
		v->status = r->kind == RG_RULE_MAX || r->kind == RG_RULE_MAX_INCREASE ?
		            RG_STATUS_FAIL : RG_STATUS_WARN;
	word_verdict(v, base, head);
	return RG_OK;
}

int rg_target_result_init(rg_target_result *t, const char *name)
{
	memset(t, 0, sizeof(*t));
	t->status = RG_STATUS_PASS;
	t->name = strdup(name ? name : "");
	return t->name ? RG_OK : RG_ENOMEM;
}

void rg_target_result_free(rg_target_result *t)
{
	size_t i;

	if (!t)
		return;
	free(t->name);
	rg_metric_map_free(&t->base);
	rg_metric_map_free(&t->head);
	free(t->verdicts);
	for (i = 0; i < t->nnotes; i++)
		free(t->notes[i]);
	free(t->notes);
	memset(t, 0, sizeof(*t));
}

static int push_str(char ***arr, size_t *n, const char *fmt, va_list ap)
{
	char buf[1024], **na, *s;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (!(s = strdup(buf)))
		return RG_ENOMEM;
	if (!(na = realloc(*arr, (*n + 1) * sizeof(char *)))) {
		free(s);
		return RG_ENOMEM;
	}
	*arr = na;
	na[(*n)++] = s;
	return RG_OK;
}

int rg_target_result_note(rg_target_result *t, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = push_str(&t->notes, &t->nnotes, fmt, ap);
	va_end(ap);
	return rc;
}

static rg_status worst(const rg_target_result *t)
{
	rg_status s = t->nverdicts ? RG_STATUS_SKIPPED : RG_STATUS_PASS;
	size_t i;

	for (i = 0; i < t->nverdicts; i++)
		if (t->verdicts[i].status > s)
			s = t->verdicts[i].status;
	return s;
}

int rg_judge_target(const rg_target *t, const rg_metric_map *base, const rg_metric_map *head,
                    rg_target_result *out, rg_err *err)
{
	size_t i;
	int rc;

	if ((rc = rg_target_result_init(out, t->name)))
		return rg_err_set(err, rc, "out of memory");
	out->has_base = base != NULL;
	if (rg_metric_map_copy(&out->head, head) || (base && rg_metric_map_copy(&out->base, base)) ||
	    (t->nrules && !(out->verdicts = calloc(t->nrules, sizeof(*out->verdicts)))))
		return rg_err_set(err, RG_ENOMEM, "out of memory");
	for (i = 0; i < t->nrules; i++) {
		if ((rc = rg_judge_rule(&t->rules[i], base, head, &out->verdicts[i], err)))
			return rc;
		out->nverdicts++;
	}
	out->status = worst(out);
	return RG_OK;
}

/* ---- the report ---- */

void rg_report_init(rg_report *r)
{
	memset(r, 0, sizeof(*r));
	r->status = RG_STATUS_PASS;
}

void rg_report_free(rg_report *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->ntargets; i++)
		rg_target_result_free(&r->targets[i]);
	free(r->targets);
	for (i = 0; i < r->ninputs; i++) {
		free(r->inputs[i].target);
		free(r->inputs[i].path);
	}
	free(r->inputs);
	for (i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	free(r->base_commit);
	free(r->base_subject);
	free(r->head_commit);
	free(r->head_subject);
	free(r->budgets_path);
	free(r->budgets_source);
	free(r->budgets_diff);
	memset(r, 0, sizeof(*r));
}

void rg_report_update_status(rg_report *r)
{
	size_t i;

	r->status = RG_STATUS_PASS;
	for (i = 0; i < r->ntargets; i++) {
		rg_target_result *t = &r->targets[i];
		if (t->status != RG_STATUS_ERROR)
			t->status = worst(t);
		if (t->status > r->status)
			r->status = t->status;
	}
}

int rg_report_add_target(rg_report *r, rg_target_result *t)
{
	if (r->ntargets == r->targetcap) {
		size_t ncap = r->targetcap ? r->targetcap * 2 : 4;
		rg_target_result *nt = realloc(r->targets, ncap * sizeof(*nt));
		if (!nt)
			return RG_ENOMEM;
		r->targets = nt;
		r->targetcap = ncap;
	}
	r->targets[r->ntargets++] = *t;
	memset(t, 0, sizeof(*t));
	if (r->targets[r->ntargets - 1].status > r->status)
		r->status = r->targets[r->ntargets - 1].status;
	return RG_OK;
}

static int dup_or_null(char **dst, const char *s)
{
	*dst = NULL;
	return s && !(*dst = strdup(s)) ? RG_ENOMEM : RG_OK;
}

int rg_report_add_input(rg_report *r, const char *side, const char *target, const char *path,
                        const char *format, const char *arch, uint64_t page_size)
{
	rg_report_input *in;

	if (r->ninputs == r->inputcap) {
		size_t ncap = r->inputcap ? r->inputcap * 2 : 4;
		rg_report_input *ni = realloc(r->inputs, ncap * sizeof(*ni));
		if (!ni)
			return RG_ENOMEM;
		r->inputs = ni;
		r->inputcap = ncap;
	}
	in = &r->inputs[r->ninputs];
	memset(in, 0, sizeof(*in));
	snprintf(in->side, sizeof(in->side), "%s", side ? side : "");
	snprintf(in->format, sizeof(in->format), "%s", format ? format : "");
	snprintf(in->arch, sizeof(in->arch), "%s", arch ? arch : "");
	in->page_size = page_size;
	if (dup_or_null(&in->target, target) || dup_or_null(&in->path, path)) {
		free(in->target);
		free(in->path);
		return RG_ENOMEM;
	}
	r->ninputs++;
	return RG_OK;
}

int rg_report_note(rg_report *r, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = push_str(&r->notes, &r->nnotes, fmt, ap);
	va_end(ap);
	return rc;
}

int rg_report_set_str(char **field, const char *value)
{
	char *n = NULL;

	if (value && !(n = strdup(value)))
		return RG_ENOMEM;
	free(*field);
	*field = n;
	return RG_OK;
}

int rg_report_exit_code(const rg_report *r)
{
	size_t i;
	int fail = 0;

	for (i = 0; i < r->ntargets; i++) {
		if (r->targets[i].status == RG_STATUS_ERROR)
			return 3;
		if (r->targets[i].status == RG_STATUS_FAIL)
			fail = 1;
	}
	return fail || r->status == RG_STATUS_FAIL ? 1 : r->status == RG_STATUS_ERROR ? 3 : 0;
}

size_t rg_report_count(const rg_report *r, rg_status s)
{
	size_t i, j, n = 0;

	for (i = 0; i < r->ntargets; i++)
		for (j = 0; j < r->targets[i].nverdicts; j++)
			n += r->targets[i].verdicts[j].status == s;
	return n;
}

/* ---- movers: what explains a rule on a fixup metric ------------------------ */

int rg_metric_is_fixup(const char *name)
{
	const char *close;

	if (!strncmp(name, "relocs.", 7) || !strncmp(name, "dirty.", 6))
		return 1;
	if (strncmp(name, "segment[", 8) && strncmp(name, "section[", 8))
		return 0;
	close = strrchr(name, ']');
	return close && (!strcmp(close, "].relocs") || !strcmp(close, "].dirty_pages") ||
	                 !strcmp(close, "].dirty_bytes"));
}

int rg_mover_rows_to_json(cJSON *bin, const rg_binary *b, rg_err *err)
{
	static const rg_attr_key keys[2] = { RG_BY_SYMBOL, RG_BY_PACKAGE };
	cJSON *o = cJSON_AddObjectToObject(bin, "attribution_cache");
	size_t k, i;

	if (!o)
		return rg_err_set(err, RG_ENOMEM, "out of memory");
	for (k = 0; k < 2; k++) {
		rg_attr_table t;
		rg_err e2 = { 0 };
		cJSON *arr;

		if (keys[k] == RG_BY_PACKAGE && !rg_attr_has_packages(b))
			continue;
		if (rg_attr_rows(b, keys[k], RG_MOVER_ROWS, &t, &e2) != RG_OK)
			return rg_err_set(err, e2.code ? e2.code : RG_ENOMEM, "%s", e2.msg);
		if (!(arr = cJSON_AddArrayToObject(o, rg_attr_key_name(keys[k])))) {
			rg_attr_table_free(&t);
			return rg_err_set(err, RG_ENOMEM, "out of memory");
		}
		for (i = 0; i < t.n; i++) {
			cJSON *r;
			if (!strcmp(t.rows[i].name, "[other]"))
				continue;
			if (!(r = cJSON_CreateObject()) || !cJSON_AddItemToArray(arr, r) ||
			    !cJSON_AddStringToObject(r, "name", t.rows[i].name) ||
			    !cJSON_AddNumberToObject(r, "relocs", (double)t.rows[i].relocs) ||
			    !cJSON_AddNumberToObject(r, "dirty_pages", (double)t.rows[i].dirty_pages)) {
				rg_attr_table_free(&t);
				return rg_err_set(err, RG_ENOMEM, "out of memory");
			}
		}
		rg_attr_table_free(&t);
	}
	return RG_OK;
}

typedef struct mover_ent {
	const char *name;
	int64_t base, head;
} mover_ent;

static int64_t mag(int64_t v)
{
	return v < 0 ? -v : v;
}

static int mover_cmp(const void *x, const void *y)
{
	const mover_ent *p = x, *q = y;
	int64_t dp = mag(p->head - p->base), dq = mag(q->head - q->base);

	if (dp != dq)
		return dp > dq ? -1 : 1;
	return strcmp(p->name, q->name);
}

static const cJSON *cached_rows(const cJSON *bin, const char *by)
{
	const cJSON *c = bin ? cJSON_GetObjectItemCaseSensitive(bin, "attribution_cache") : NULL;
	return c ? cJSON_GetObjectItemCaseSensitive(c, by) : NULL;
}

/* Up to 5 movers of one key into v, from base and head rows (col: the
 * column compared). */
static void movers_by(rg_verdict *v, const char *by, const cJSON *base, const cJSON *head,
                      const char *col)
{
	size_t nb = (size_t)cJSON_GetArraySize(base), nh = (size_t)cJSON_GetArraySize(head), n = 0, i, j;
	mover_ent *e = calloc(nb + nh + 1, sizeof(*e));
	const cJSON *it;

	if (!e)
		return;
	cJSON_ArrayForEach(it, base) {
		const cJSON *nm = cJSON_GetObjectItemCaseSensitive(it, "name"),
		            *c = cJSON_GetObjectItemCaseSensitive(it, col);
		if (cJSON_IsString(nm) && cJSON_IsNumber(c)) {
			e[n].name = nm->valuestring;
			e[n++].base = (int64_t)c->valuedouble;
		}
	}
	nb = n;
	cJSON_ArrayForEach(it, head) {
		const cJSON *nm = cJSON_GetObjectItemCaseSensitive(it, "name"),
		            *c = cJSON_GetObjectItemCaseSensitive(it, col);
		if (!cJSON_IsString(nm) || !cJSON_IsNumber(c))
			continue;
		for (j = 0; j < nb && strcmp(e[j].name, nm->valuestring); j++)
			;
		if (j == nb) {
			e[n].name = nm->valuestring;
			j = n++;
		}
		e[j].head = (int64_t)c->valuedouble;
	}
	if (n)
		qsort(e, n, sizeof(*e), mover_cmp);
	for (i = 0; i < n && i < 5 && v->nmovers < RG_MAX_MOVERS; i++) {
		rg_fixup_mover *m = &v->movers[v->nmovers];
		if (e[i].head == e[i].base)
			break;
		snprintf(m->by, sizeof(m->by), "%s", by);
		snprintf(m->name, sizeof(m->name), "%s", e[i].name);
		m->base = e[i].base;
		m->head = e[i].head;
		m->delta = e[i].head - e[i].base;
		v->nmovers++;
	}
	free(e);
}

void rg_target_result_movers(rg_target_result *res, const cJSON *base_bin, const cJSON *head_bin)
{
	size_t i;

	for (i = 0; i < res->nverdicts; i++) {
		rg_verdict *v = &res->verdicts[i];
		const char *m = v->rule.metric, *col;

		v->nmovers = 0;
		if ((v->status != RG_STATUS_FAIL && v->status != RG_STATUS_WARN) ||
		    !rg_metric_is_fixup(m) || !cached_rows(head_bin, "symbol"))
			continue;
		col = !strncmp(m, "dirty.", 6) || strstr(m, "].dirty_") ? "dirty_pages" : "relocs";
		movers_by(v, "symbol", cached_rows(base_bin, "symbol"), cached_rows(head_bin, "symbol"),
		          col);
		movers_by(v, "package", cached_rows(base_bin, "package"),
		          cached_rows(head_bin, "package"), col);
	}
}
