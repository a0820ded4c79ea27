/*
 * cmd_merge.c - `relgate merge PART.json...`: joins the JSON reports of a CI
 * matrix split by target (`relgate check --target NAME --json-out PART`)
 * into the report one `relgate check` over all targets would have made,
 * and renders it the same way (text/json/github/markdown, --json-out,
 * --markdown-out, GitHub annotations, summary and outputs) with the same
 * exit status (docs/github-action.md "Many machines").
 *
 * The parts are read back with rg_report_from_json (report schema 1,
 * docs/report.schema.json). They must judge the same base and head commits
 * with the same budgets, and name each target once. A single run lists
 * targets in relgate.yml order; the parts do not carry that order, but every
 * verdict carries the relgate.yml line of its rule and a target's rules sit
 * together under it, so targets are ordered by their first rule's line
 * (targets without rules keep the order of the command line, after them).
 */
#include "cli.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../reports/report.h"
#include "buf.h"

const char rg_help_merge[] =
"usage: relgate merge [options] PART.json...\n"
"\n"
"Merges the JSON reports of `relgate check --target NAME --json-out PART`\n"
"run on the jobs of a CI matrix into one report, with the annotations,\n"
"summary and exit status a single `relgate check` over every target gives.\n"
"The parts must judge the same base and head commits with the same budgets;\n"
"each target may appear in one part only.\n"
"\n"
"  --format text|json|github|markdown   on stdout (default text)\n"
"  --all               text: every rule and every changed metric\n"
"  --json-out FILE     also write the merged JSON report to FILE\n"
"  --markdown-out FILE also write the Markdown summary to FILE\n"
"  With GITHUB_ACTIONS=true, ::error/::warning annotations follow the text\n"
"  report and the summary and outputs go to $GITHUB_STEP_SUMMARY and\n"
"  $GITHUB_OUTPUT.\n"
"\n"
"Exit: 0 within budget (warnings allowed), 1 a budget was exceeded,\n"
"2 bad usage or an unreadable or inconsistent part.\n";

typedef struct merge_opts {
	const char *format, *json_out, *markdown_out;
	const char **parts;
	int nparts, all;
} merge_opts;

static int take_part(void *ctx, const char *word)
{
	merge_opts *o = ctx;

	o->parts[o->nparts++] = word;
	return 0;
}

static int parse_args(int argc, char **argv, merge_opts *o)
{
	const rg_opt opts[] = {
		RG_OPT_FLAG("--all", &o->all),
		RG_OPT_VALUE("--format", NULL, &o->format),
		RG_OPT_VALUE("--json-out", NULL, &o->json_out),
		RG_OPT_VALUE("--markdown-out", NULL, &o->markdown_out),
		RG_OPT_END
	};
	int rc;

	o->format = "text";
	o->parts = calloc((size_t)argc, sizeof(*o->parts));
	if (!o->parts)
		return -1;
	if ((rc = rg_opts_parse("merge", rg_help_merge, argc, argv, opts, take_part, o)) != 0)
		return rc;
	if (!rg_report_format_ok("merge", o->format))
		return -1;
	if (o->nparts == 0) {
		rg_errorf("merge: no PART.json given (see 'relgate help merge')");
		return -1;
	}
	return 0;
}

/* Reads and parses one part; every message starts with its file. */
static int read_part(const char *path, rg_report **out, rg_err *err)
{
	rg_err e = { 0 };
	char *buf = NULL;
	size_t n;
	cJSON *doc = NULL;
	int rc;

	if ((rc = rg_read_file(path, SIZE_MAX, &buf, &n, &e)) == RG_OK) {
		if (!(doc = cJSON_ParseWithLength(buf, n)))
			rc = rg_err_set(&e, RG_EINPUT, "not JSON");
		else
			rc = rg_report_from_json(doc, out, &e);
	}
	free(buf);
	cJSON_Delete(doc);
	return rc ? rg_err_set(err, rc, "%s: %s", path, e.msg) : RG_OK;
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* A part must judge what the first part judged. */
static int consistent(const rg_report *first, const char *first_path, const rg_report *p,
                      const char *path, rg_err *err)
{
	static const char *const what[] = { "base commit", "head commit", "budget source" };
	const char *a[3] = { first->base_commit, first->head_commit, first->budgets_source };
	const char *b[3] = { p->base_commit, p->head_commit, p->budgets_source };
	size_t i;

	for (i = 0; i < 3; i++)
		if (!same_str(a[i], b[i]))
			return rg_err_set(err, RG_EINPUT, "%s: %s %s differs from %s's %s", path, what[i],
			                  b[i] ? b[i] : "(none)", first_path, a[i] ? a[i] : "(none)");
	return RG_OK;
}

typedef struct slot {
	rg_target_result *t;
	int part, line;        /* line: first rule's relgate.yml line, INT_MAX-ish if none */
	size_t seq;
} slot;

static int slot_cmp(const void *pa, const void *pb)
{
	const slot *a = pa, *b = pb;

	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int first_line(const rg_target_result *t)
{
	int line = 0x7fffffff;
	size_t i;

	for (i = 0; i < t->nverdicts; i++)
		if (t->verdicts[i].rule.line > 0 && t->verdicts[i].rule.line < line)
			line = t->verdicts[i].rule.line;
	return line;
}

/* Copies the context of the first part, then moves every target into m in
 * relgate.yml order, with its inputs; notes are kept once each. */
static int join(rg_report **parts, int nparts, rg_report *m, rg_err *err)
{
	slot *slots = NULL;
	size_t nslots = 0, total = 0, i, j;
	int p, rc = RG_OK;
	const rg_report *f = parts[0];

	if (rg_report_set_str(&m->base_commit, f->base_commit) ||
	    rg_report_set_str(&m->base_subject, f->base_subject) ||
	    rg_report_set_str(&m->head_commit, f->head_commit) ||
	    rg_report_set_str(&m->head_subject, f->head_subject) ||
	    rg_report_set_str(&m->budgets_path, f->budgets_path) ||
	    rg_report_set_str(&m->budgets_source, f->budgets_source))
		return rg_err_set(err, RG_ENOMEM, "out of memory");
	for (p = 0; p < nparts; p++) {
		total += parts[p]->ntargets;
		if (parts[p]->budgets_changed && !m->budgets_changed) {
			m->budgets_changed = 1;
			if (rg_report_set_str(&m->budgets_diff, parts[p]->budgets_diff))
				return rg_err_set(err, RG_ENOMEM, "out of memory");
		}
		for (i = 0; i < parts[p]->nnotes; i++) {
			for (j = 0; j < m->nnotes && strcmp(m->notes[j], parts[p]->notes[i]); j++)
				;
			if (j == m->nnotes && rg_report_note(m, "%s", parts[p]->notes[i]))
				return rg_err_set(err, RG_ENOMEM, "out of memory");
		}
	}
	if (total && !(slots = calloc(total, sizeof(*slots))))
		return rg_err_set(err, RG_ENOMEM, "out of memory");
	for (p = 0; p < nparts; p++)
		for (i = 0; i < parts[p]->ntargets; i++) {
			slot s = { &parts[p]->targets[i], p, first_line(&parts[p]->targets[i]), nslots };
			slots[nslots++] = s;
		}
	if (nslots)
		qsort(slots, nslots, sizeof(*slots), slot_cmp);
	for (i = 0; i < nslots && rc == RG_OK; i++) {
		const rg_report *src = parts[slots[i].part];
		char *name = slots[i].t->name ? strdup(slots[i].t->name) : NULL;

		if (!name) {
			rc = rg_err_set(err, RG_ENOMEM, "out of memory");
			break;
		}
		if ((rc = rg_report_add_target(m, slots[i].t)) != RG_OK)
			rg_err_set(err, rc, "out of memory");
		for (j = 0; rc == RG_OK && j < src->ninputs; j++) {
			const rg_report_input *in = &src->inputs[j];
			if (in->target && !strcmp(in->target, name) &&
			    rg_report_add_input(m, in->side, in->target, in->path, in->format,
			                        in->arch, in->page_size))
				rc = rg_err_set(err, RG_ENOMEM, "out of memory");
		}
		free(name);
	}
	free(slots);
	if (rc == RG_OK)
		rg_report_update_status(m);
	return rc;
}

/* Each target once across the parts. */
static int unique_targets(rg_report **parts, const char **paths, int nparts, rg_err *err)
{
	int p, q;
	size_t i, j;

	for (p = 0; p < nparts; p++)
		for (i = 0; i < parts[p]->ntargets; i++)
			for (q = 0; q <= p; q++)
				for (j = 0; j < (q == p ? i : parts[q]->ntargets); j++)
					if (!strcmp(parts[p]->targets[i].name, parts[q]->targets[j].name))
						return rg_err_set(err, RG_EINPUT,
						                  "%s: target '%s' is also in %s",
						                  paths[p], parts[p]->targets[i].name, paths[q]);
	return RG_OK;
}

int rg_cmd_merge(int argc, char **argv)
{
	merge_opts o;
	rg_report **parts = NULL, merged;
	rg_err err;
	int i, rc = RG_OK, code, nread = 0;

	memset(&o, 0, sizeof(o));
	memset(&err, 0, sizeof(err));
	rg_report_init(&merged);
	if ((rc = parse_args(argc, argv, &o)) != 0) {
		free(o.parts);
		return rc > 0 ? RG_EXIT_OK : RG_EXIT_USAGE;
	}
	if (!(parts = calloc((size_t)o.nparts, sizeof(*parts)))) {
		rc = rg_err_set(&err, RG_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < o.nparts && rc == RG_OK; i++) {
		rc = read_part(o.parts[i], &parts[i], &err);
		if (rc == RG_OK) {
			nread++;
			/* A part that judged nothing would pass silently. */
			if (!parts[i]->ntargets)
				rc = rg_err_set(&err, RG_EINPUT, "%s: the part has no targets", o.parts[i]);
			else
				rc = consistent(parts[0], o.parts[0], parts[i], o.parts[i], &err);
		}
	}
	if (rc == RG_OK)
		rc = unique_targets(parts, o.parts, o.nparts, &err);
	if (rc == RG_OK)
		rc = join(parts, o.nparts, &merged, &err);
	if (rc == RG_OK)
		rc = rg_report_render(&merged, o.format, o.all, NULL, o.json_out, o.markdown_out, &err);
done:
	if (rc != RG_OK) {
		rg_report_fail("merge", err.msg);
		code = rg_exit_for(err.code ? err.code : rc);
	} else {
		code = rg_report_exit_code(&merged);
	}
	for (i = 0; i < nread; i++)
		rg_report_destroy(parts[i]);
	free(parts);
	free(o.parts);
	rg_report_free(&merged);
	return code;
}
