/*
 * report_json.c - the JSON form of a report (schema_version 1, described by
 * docs/report.schema.json and docs/budgets.md "JSON report") and its
 * reader, so `relgate merge` and tests can parse a report back into the
 * model that was judged. Integers are written exactly (cJSON raw numbers);
 * reading accepts integers up to 2^53, what a JSON double holds exactly.
 */
#include "report.h"
#include "measure_out.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int add_str(cJSON *o, const char *k, const char *v)
{
	return v ? cJSON_AddStringToObject(o, k, v) != NULL : 1;
}

static cJSON *map_json(const rg_metric_map *m)
{
	cJSON *o = cJSON_CreateObject();
	size_t i;

	for (i = 0; o && i < m->n; i++)
		if (!rg_json_add_int(o, m->items[i].name, m->items[i].value)) {
			cJSON_Delete(o);
			return NULL;
		}
	return o;
}

static cJSON *opt_int(int has, int64_t v)
{
	return has ? rg_json_int(v) : cJSON_CreateNull();
}

static cJSON *verdict_json(const rg_verdict *v)
{
	cJSON *o = cJSON_CreateObject(), *src;
	char lim[48];
	int both = v->has_base && v->has_head, judged = v->status != RG_STATUS_SKIPPED;

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "metric", v->rule.metric);
	cJSON_AddStringToObject(o, "rule", rg_rule_kind_name(v->rule.kind));
	cJSON_AddStringToObject(o, "status", rg_status_name(v->status));
	cJSON_AddStringToObject(o, "budget", rg_rule_limit_str(&v->rule, lim, sizeof(lim)));
	if (v->rule.is_percent)
		cJSON_AddNumberToObject(o, "budget_percent", (double)v->rule.percent_units / RG_PERCENT_SCALE);
	else
		rg_json_add_int(o, "budget_value", v->rule.value);
	cJSON_AddItemToObject(o, "base", opt_int(v->has_base, v->base));
	cJSON_AddItemToObject(o, "head", opt_int(v->has_head, v->head));
	cJSON_AddItemToObject(o, "delta", opt_int(both, v->delta));
	cJSON_AddItemToObject(o, "limit", opt_int(judged, v->limit));
	cJSON_AddItemToObject(o, "margin", opt_int(judged, v->margin));
	cJSON_AddStringToObject(o, "message", v->message);
	if (v->nmovers) {
		cJSON *mv = cJSON_AddArrayToObject(o, "movers");
		size_t i;

		for (i = 0; mv && i < v->nmovers; i++) {
			const rg_fixup_mover *m = &v->movers[i];
			cJSON *x = cJSON_CreateObject();
			if (!x || !cJSON_AddItemToArray(mv, x)) {
				cJSON_Delete(x);
				break;
			}
			cJSON_AddStringToObject(x, "by", m->by);
			cJSON_AddStringToObject(x, "name", m->name);
			rg_json_add_int(x, "base", m->base);
			rg_json_add_int(x, "head", m->head);
			rg_json_add_int(x, "delta", m->delta);
		}
	}
	src = cJSON_AddObjectToObject(o, "source");
	if (!src || !add_str(src, "file", v->rule.file) || !rg_json_add_int(src, "line", v->rule.line) ||
	    !rg_json_add_int(src, "col", v->rule.col)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *strings_json(char **s, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	size_t i;

	for (i = 0; a && i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(s[i]));
	return a;
}

static cJSON *target_json(const rg_target_result *t)
{
	cJSON *o = cJSON_CreateObject(), *m, *d, *arr;
	size_t i;

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "name", t->name);
	cJSON_AddStringToObject(o, "status", rg_status_name(t->status));
	cJSON_AddBoolToObject(o, "has_base", t->has_base);
	m = cJSON_AddObjectToObject(o, "metrics");
	if (!m)
		goto fail;
	cJSON_AddItemToObject(m, "base", t->has_base ? map_json(&t->base) : cJSON_CreateNull());
	cJSON_AddItemToObject(m, "head", map_json(&t->head));
	if (!(d = cJSON_AddObjectToObject(o, "deltas")))
		goto fail;
	for (i = 0; t->has_base && i < t->head.n; i++) {
		int64_t b;
		if (rg_metric_map_get(&t->base, t->head.items[i].name, &b) && b != t->head.items[i].value) {
			int64_t h = t->head.items[i].value, delta = (b < 0 && h > INT64_MAX + b) ? INT64_MAX :
			            (b > 0 && h < INT64_MIN + b) ? INT64_MIN : h - b;
			rg_json_add_int(d, t->head.items[i].name, delta);
		}
	}
	if (!(arr = cJSON_AddArrayToObject(o, "verdicts")))
		goto fail;
	for (i = 0; i < t->nverdicts; i++) {
		cJSON *v = verdict_json(&t->verdicts[i]);
		if (!v || !cJSON_AddItemToArray(arr, v)) {
			cJSON_Delete(v);
			goto fail;
		}
	}
	cJSON_AddItemToObject(o, "notes", strings_json(t->notes, t->nnotes));
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

static cJSON *side_json(const char *commit, const char *subject)
{
	cJSON *o;

	if (!commit && !subject)
		return NULL;
	o = cJSON_CreateObject();
	if (o && (!add_str(o, "commit", commit) || !add_str(o, "subject", subject))) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static int add_context(cJSON *doc, const rg_report *r)
{
	cJSON *x, *arr;
	size_t i;

	if ((x = side_json(r->base_commit, r->base_subject)))
		cJSON_AddItemToObject(doc, "base", x);
	if ((x = side_json(r->head_commit, r->head_subject)))
		cJSON_AddItemToObject(doc, "head", x);
	if (r->budgets_path || r->budgets_source || r->budgets_changed || r->budgets_diff) {
		if (!(x = cJSON_AddObjectToObject(doc, "budgets")) || !add_str(x, "path", r->budgets_path) ||
		    !add_str(x, "source", r->budgets_source) ||
		    !cJSON_AddBoolToObject(x, "changed", r->budgets_changed) ||
		    !add_str(x, "diff", r->budgets_diff))
			return -1;
	}
	if (!(arr = cJSON_AddArrayToObject(doc, "inputs")))
		return -1;
	for (i = 0; i < r->ninputs; i++) {
		const rg_report_input *in = &r->inputs[i];
		cJSON *o = cJSON_CreateObject();
		if (!o || !cJSON_AddItemToArray(arr, o))
			return -1;
		cJSON_AddStringToObject(o, "side", in->side);
		add_str(o, "target", in->target);
		add_str(o, "path", in->path);
		if (in->format[0])
			cJSON_AddStringToObject(o, "format", in->format);
		if (in->arch[0])
			cJSON_AddStringToObject(o, "arch", in->arch);
		if (in->page_size)
			rg_json_add_int(o, "page_size", (int64_t)in->page_size);
	}
	return 0;
}

cJSON *rg_report_to_json(const rg_report *r)
{
	cJSON *doc = cJSON_CreateObject(), *tool, *sum, *arr;
	size_t *o = rg_report_order(r), i;

	if (!doc || !o)
		goto fail;
	rg_json_add_int(doc, "schema_version", RG_REPORT_SCHEMA_VERSION);
	if (!(tool = cJSON_AddObjectToObject(doc, "tool")))
		goto fail;
	cJSON_AddStringToObject(tool, "name", "relgate");
	cJSON_AddStringToObject(tool, "version", RG_VERSION);
	cJSON_AddStringToObject(doc, "status", rg_status_name(r->status));
	rg_json_add_int(doc, "exit_code", rg_report_exit_code(r));
	if (!(sum = cJSON_AddObjectToObject(doc, "summary")))
		goto fail;
	for (i = 0; i <= RG_STATUS_ERROR; i++)
		if (i != RG_STATUS_ERROR)
			rg_json_add_int(sum, rg_status_name((rg_status)i),
			                (int64_t)rg_report_count(r, (rg_status)i));
	if (add_context(doc, r))
		goto fail;
	cJSON_AddItemToObject(doc, "notes", strings_json(r->notes, r->nnotes));
	if (!(arr = cJSON_AddArrayToObject(doc, "targets")))
		goto fail;
	for (i = 0; i < r->ntargets; i++) {
		cJSON *t = target_json(&r->targets[o[i]]);
		if (!t || !cJSON_AddItemToArray(arr, t)) {
			cJSON_Delete(t);
			goto fail;
		}
	}
	free(o);
	return doc;
fail:
	free(o);
	cJSON_Delete(doc);
	return NULL;
}

int rg_report_write_json(FILE *f, const rg_report *r)
{
	cJSON *doc = rg_report_to_json(r);
	int rc = rg_json_put(f, doc);

	cJSON_Delete(doc);
	return rc;
}

int rg_report_write_json_file(const char *path, const rg_report *r, const cJSON *doc,
                              rg_err *err)
{
	cJSON *own = doc ? NULL : rg_report_to_json(r);
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	int rc;

	if (!f) {
		cJSON_Delete(own);
		return rg_err_set(err, RG_EIO, "%s: %s", path, strerror(errno));
	}
	rc = rg_json_put(f, doc ? doc : own);
	cJSON_Delete(own);
	if (f == stdout) /* buffered: a full disk shows at the flush */
		return rc || fflush(f) != 0 || ferror(f) ?
		       rg_err_set(err, RG_EIO, "cannot write the report: %s", strerror(errno)) : RG_OK;
	if (fclose(f))
		rc = -1;
	return rc ? rg_err_set(err, RG_EIO, "%s: cannot write the JSON report", path) : RG_OK;
}

/* ---- reading back ---- */

static const cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static int get_int(const cJSON *o, const char *k, int64_t *v, int *has)
{
	const cJSON *x = get(o, k);

	if (has)
		*has = 0;
	if (!x || cJSON_IsNull(x))
		return has ? 0 : -1;
	if (cJSON_IsRaw(x)) { /* an in-memory document from rg_report_to_json */
		char *end;
		errno = 0;
		*v = strtoll(x->valuestring, &end, 10);
		if (errno || *end)
			return -1;
		if (has)
			*has = 1;
		return 0;
	}
	if (!cJSON_IsNumber(x) || x->valuedouble != floor(x->valuedouble))
		return -1;
	*v = x->valuedouble >= 9223372036854775807.0 ? INT64_MAX :
	     x->valuedouble <= -9223372036854775808.0 ? INT64_MIN : (int64_t)x->valuedouble;
	if (has)
		*has = 1;
	return 0;
}

static const char *get_str(const cJSON *o, const char *k)
{
	const cJSON *x = get(o, k);
	return cJSON_IsString(x) ? x->valuestring : NULL;
}

static int read_verdict(const cJSON *o, rg_verdict *v, rg_err *err)
{
	const cJSON *src = get(o, "source"), *pct = get(o, "budget_percent");
	const char *metric = get_str(o, "metric"), *rule = get_str(o, "rule"),
	           *status = get_str(o, "status"), *msg = get_str(o, "message"), *file;
	int64_t line = 0, col = 0, x;
	int has;

	memset(v, 0, sizeof(*v));
	if (!metric || !rule || !status || !cJSON_IsObject(src) || rg_status_parse(status, &v->status))
		return rg_err_set(err, RG_EINPUT, "a verdict lacks metric, rule, status or source");
	for (v->rule.kind = 0; v->rule.kind < RG_RULE_KIND_COUNT; v->rule.kind++)
		if (!strcmp(rule, rg_rule_kind_name(v->rule.kind)))
			break;
	if (v->rule.kind == RG_RULE_KIND_COUNT)
		return rg_err_set(err, RG_EINPUT, "unknown rule '%.40s' in a verdict", rule);
	snprintf(v->rule.metric, sizeof(v->rule.metric), "%s", metric);
	if ((file = get_str(src, "file")))
		snprintf(v->rule.file, sizeof(v->rule.file), "%s", file);
	if (get_int(src, "line", &line, NULL) || get_int(src, "col", &col, NULL) ||
	    line < 0 || line > INT32_MAX || col < 0 || col > INT32_MAX)
		return rg_err_set(err, RG_EINPUT, "a verdict's source has no line or col");
	v->rule.line = (int)line;
	v->rule.col = (int)col;
	if (cJSON_IsNumber(pct)) {
		v->rule.is_percent = 1;
		v->rule.percent_units = (int64_t)llround(pct->valuedouble * RG_PERCENT_SCALE);
		v->rule.percent = (double)v->rule.percent_units / RG_PERCENT_SCALE;
	} else if (get_int(o, "budget_value", &v->rule.value, NULL)) {
		return rg_err_set(err, RG_EINPUT, "a verdict has no budget_value or budget_percent");
	}
	if (get_int(o, "base", &v->base, &v->has_base) || get_int(o, "head", &v->head, &v->has_head) ||
	    get_int(o, "delta", &v->delta, &has) || get_int(o, "limit", &v->limit, &has) ||
	    get_int(o, "margin", &x, &has))
		return rg_err_set(err, RG_EINPUT, "a verdict of '%.160s' has a non-integer value", metric);
	v->margin = has ? x : 0;
	snprintf(v->message, sizeof(v->message), "%s", msg ? msg : "");
	{
		const cJSON *mv = get(o, "movers"), *it;
		cJSON_ArrayForEach(it, mv) {
			rg_fixup_mover *m = &v->movers[v->nmovers];
			const char *by = get_str(it, "by"), *name = get_str(it, "name");
			if (v->nmovers >= RG_MAX_MOVERS)
				break;
			if (!by || !name || get_int(it, "base", &m->base, NULL) ||
			    get_int(it, "head", &m->head, NULL) || get_int(it, "delta", &m->delta, NULL))
				return rg_err_set(err, RG_EINPUT, "a mover of '%.160s' lacks by, name, base, "
				                  "head or delta", metric);
			snprintf(m->by, sizeof(m->by), "%s", by);
			snprintf(m->name, sizeof(m->name), "%s", name);
			v->nmovers++;
		}
	}
	return RG_OK;
}

static int read_strings(const cJSON *a, rg_report *r, rg_target_result *t)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, a) {
		if (!cJSON_IsString(it))
			continue;
		if (t ? rg_target_result_note(t, "%s", it->valuestring) : rg_report_note(r, "%s", it->valuestring))
			return RG_ENOMEM;
	}
	return RG_OK;
}

static int read_target(const cJSON *o, rg_target_result *t, rg_err *err)
{
	const cJSON *m = get(o, "metrics"), *vs = get(o, "verdicts"), *hb = get(o, "has_base"), *it;
	const char *name = get_str(o, "name"), *status = get_str(o, "status");
	int rc;

	memset(t, 0, sizeof(*t));
	if (!name || !cJSON_IsObject(m) || !status)
		return rg_err_set(err, RG_EINPUT, "a target lacks name, status or metrics");
	if (rg_target_result_init(t, name))
		return rg_err_set(err, RG_ENOMEM, "out of memory");
	if (rg_status_parse(status, &t->status))
		return rg_err_set(err, RG_EINPUT, "target '%.100s': unknown status '%.20s'", name, status);
	t->has_base = cJSON_IsTrue(hb);
	if ((rc = rg_metric_map_from_json(&t->head, get(m, "head"), err)))
		return rc;
	if (t->has_base && (rc = rg_metric_map_from_json(&t->base, get(m, "base"), err)))
		return rc;
	if (vs && !cJSON_IsArray(vs))
		return rg_err_set(err, RG_EINPUT, "target '%.100s': verdicts is not a list", name);
	if (cJSON_GetArraySize(vs) > 0 &&
	    !(t->verdicts = calloc((size_t)cJSON_GetArraySize(vs), sizeof(*t->verdicts))))
		return rg_err_set(err, RG_ENOMEM, "out of memory");
	cJSON_ArrayForEach(it, vs) {
		if ((rc = read_verdict(it, &t->verdicts[t->nverdicts], err)))
			return rc;
		t->nverdicts++;
	}
	return read_strings(get(o, "notes"), NULL, t) ? rg_err_set(err, RG_ENOMEM, "out of memory") : RG_OK;
}

static int read_context(const cJSON *doc, rg_report *r)
{
	const cJSON *b = get(doc, "base"), *h = get(doc, "head"), *bu = get(doc, "budgets"), *it;
	int rc = 0;

	rc |= rg_report_set_str(&r->base_commit, get_str(b, "commit"));
	rc |= rg_report_set_str(&r->base_subject, get_str(b, "subject"));
	rc |= rg_report_set_str(&r->head_commit, get_str(h, "commit"));
	rc |= rg_report_set_str(&r->head_subject, get_str(h, "subject"));
	rc |= rg_report_set_str(&r->budgets_path, get_str(bu, "path"));
	rc |= rg_report_set_str(&r->budgets_source, get_str(bu, "source"));
	rc |= rg_report_set_str(&r->budgets_diff, get_str(bu, "diff"));
	r->budgets_changed = cJSON_IsTrue(get(bu, "changed"));
	cJSON_ArrayForEach(it, get(doc, "inputs")) {
		const cJSON *ps = get(it, "page_size");
		rc |= rg_report_add_input(r, get_str(it, "side"), get_str(it, "target"), get_str(it, "path"),
		                          get_str(it, "format"), get_str(it, "arch"),
		                          cJSON_IsNumber(ps) && ps->valuedouble > 0 ?
		                          (uint64_t)ps->valuedouble : 0);
	}
	rc |= read_strings(get(doc, "notes"), r, NULL);
	return rc ? RG_ENOMEM : RG_OK;
}

int rg_report_from_json(const cJSON *doc, rg_report **out, rg_err *err)
{
	const cJSON *ts = get(doc, "targets"), *it;
	rg_report *r;
	int64_t sv = 0;
	int rc;

	*out = NULL;
	if (!cJSON_IsObject(doc) || get_int(doc, "schema_version", &sv, NULL) || !cJSON_IsArray(ts))
		return rg_err_set(err, RG_EINPUT, "not a relgate report (no schema_version or targets)");
	if (sv != RG_REPORT_SCHEMA_VERSION)
		return rg_err_set(err, RG_EINPUT, "report schema_version %lld is not supported "
		                  "(expected %d)", (long long)sv, RG_REPORT_SCHEMA_VERSION);
	if (!(r = malloc(sizeof(*r))))
		return rg_err_set(err, RG_ENOMEM, "out of memory");
	rg_report_init(r);
	if ((rc = read_context(doc, r))) {
		rg_err_set(err, rc, "out of memory");
		goto fail;
	}
	cJSON_ArrayForEach(it, ts) {
		rg_target_result t;
		if ((rc = read_target(it, &t, err))) {
			rg_target_result_free(&t);
			goto fail;
		}
		if ((rc = rg_report_add_target(r, &t))) {
			rg_target_result_free(&t);
			rg_err_set(err, rc, "out of memory");
			goto fail;
		}
	}
	*out = r;
	return RG_OK;
fail:
	rg_report_destroy(r);
	return rc;
}

void rg_report_destroy(rg_report *r)
{
	rg_report_free(r);
	free(r);
}

int rg_bisect_write_json(FILE *f, const rg_bisect_found *b)
{
	cJSON *doc = cJSON_CreateObject(), *tool, *fb, *vs;
	char *text = NULL;
	size_t i;
	int rc = -1;

	if (!doc || !rg_json_add_int(doc, "schema_version", RG_REPORT_SCHEMA_VERSION) ||
	    !(tool = cJSON_AddObjectToObject(doc, "tool")) ||
	    !cJSON_AddStringToObject(tool, "name", "relgate") ||
	    !cJSON_AddStringToObject(tool, "version", RG_VERSION) ||
	    !cJSON_AddStringToObject(doc, "target", b->target) ||
	    !cJSON_AddStringToObject(doc, "metric", b->metric) ||
	    !(fb = cJSON_AddObjectToObject(doc, "first_bad")) ||
	    !cJSON_AddStringToObject(fb, "commit", b->id) ||
	    !cJSON_AddStringToObject(fb, "subject", b->subject) ||
	    !cJSON_AddBoolToObject(fb, "assumed", b->res == NULL) ||
	    !(vs = cJSON_AddArrayToObject(doc, "verdicts")) ||
	    !rg_json_add_int(doc, "builds", b->builds) ||
	    !rg_json_add_int(doc, "commits", (int64_t)b->ncommits))
		goto done;
	for (i = 0; b->res && i < b->res->nverdicts; i++) {
		const rg_verdict *v = &b->res->verdicts[i];
		cJSON *o;
		if (v->status != RG_STATUS_FAIL)
			continue;
		if (!(o = cJSON_CreateObject()) || !cJSON_AddItemToArray(vs, o) ||
		    !cJSON_AddStringToObject(o, "rule", rg_rule_kind_name(v->rule.kind)) ||
		    !cJSON_AddStringToObject(o, "message", v->message))
			goto done;
	}
	if ((text = cJSON_Print(doc)))
		rc = fputs(text, f) < 0 || fputc('\n', f) < 0 ? -1 : 0;
done:
	cJSON_free(text);
	cJSON_Delete(doc);
	return rc;
}
