/*
 * report_github.c - GitHub Actions output of a report:
 *   - workflow commands "::error file=F,line=L,col=C,title=T::MESSAGE"
 *     (https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions),
 *     escaped exactly as @actions/core's command.ts does: the message
 *     (escapeData) turns % CR LF into %25 %0D %0A; property values
 *     (escapeProperty) additionally turn : and , into %3A and %2C;
 *   - GitHub shows at most 10 error and 10 warning annotations per step, so
 *     at most RG_GITHUB_MAX_ANNOTATIONS of each kind are written, the last
 *     one saying how many more there are;
 *   - the Markdown summary appended to $GITHUB_STEP_SUMMARY and the step
 *     outputs status, failed, warned and report written to $GITHUB_OUTPUT
 *     (the multi-line "NAME<<DELIMITER" form for the JSON report).
 */
#include "report.h"
#include "escape.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * The escaping of @actions/core: message data escapes %, CR and LF;
 * properties (file=, title=) also escape ':' and ','. Before it, every
 * other control character is put in terminal form (escape.h): a name from
 * the head cannot carry an ESC or a bidirectional override into the log.
 */
static void gh_escape(FILE *f, const char *str, int prop)
{
	char *safe = rg_esc_term_dup(str, RG_ESC_KEEP_LF | RG_ESC_KEEP_CR);
	const char *s = safe ? safe : "(out of memory)";

	for (; *s; s++) {
		if (*s == '%')
			fputs("%25", f);
		else if (*s == '\r')
			fputs("%0D", f);
		else if (*s == '\n')
			fputs("%0A", f);
		else if (prop && *s == ':')
			fputs("%3A", f);
		else if (prop && *s == ',')
			fputs("%2C", f);
		else
			fputc(*s, f);
	}
	free(safe);
}

void rg_gh_escape_data(FILE *f, const char *s)
{
	gh_escape(f, s, 0);
}

void rg_gh_escape_prop(FILE *f, const char *s)
{
	gh_escape(f, s, 1);
}

static void annotate(FILE *f, const char *cmd, const rg_target_result *t, const rg_verdict *v)
{
	char title[400];

	fprintf(f, "::%s ", cmd);
	if (v && v->rule.file[0]) {
		fputs("file=", f);
		rg_gh_escape_prop(f, v->rule.file);
		fprintf(f, ",line=%d,col=%d,", v->rule.line, v->rule.col);
	}
	if (v)
		snprintf(title, sizeof(title), "relgate: %s %s %s %s", t->name, v->rule.metric,
		         rg_rule_kind_name(v->rule.kind), v->status == RG_STATUS_FAIL ? "exceeded" :
		         "warning");
	else
		snprintf(title, sizeof(title), "relgate: %s could not be measured", t->name);
	fputs("title=", f);
	rg_gh_escape_prop(f, title);
	fputs("::", f);
	if (v)
		snprintf(title, sizeof(title), "target %s, %s: ", t->name, v->rule.metric);
	else
		snprintf(title, sizeof(title), "target %s: ", t->name);
	rg_gh_escape_data(f, title);
	rg_gh_escape_data(f, v ? v->message : t->nnotes ? t->notes[t->nnotes - 1] :
	                  "the build or checkout failed");
	if (v) {
		char line[1600];
		const char *const keys[2] = { "symbol", "package" };
		int k;
		for (k = 0; k < 2; k++)
			if (*rg_movers_line(v, keys[k], NULL, line, sizeof(line))) {
				fprintf(f, "%%0Amoved most, by %s: ", keys[k]);
				rg_gh_escape_data(f, line);
			}
	}
	fputc('\n', f);
}

/* Writes the annotations of one kind (errors: failed rules and targets in
 * error; warnings: warned rules), capped with a final "N more" line. */
static void write_kind(FILE *f, const rg_report *r, const size_t *order, int errors)
{
	size_t total = 0, shown = 0, i, j, cap = RG_GITHUB_MAX_ANNOTATIONS;
	const char *cmd = errors ? "error" : "warning";
	rg_status want = errors ? RG_STATUS_FAIL : RG_STATUS_WARN;

	for (i = 0; i < r->ntargets; i++) {
		const rg_target_result *t = &r->targets[i];
		total += errors && t->status == RG_STATUS_ERROR;
		for (j = 0; j < t->nverdicts; j++)
			total += t->verdicts[j].status == want;
	}
	if (total > cap)
		cap--; /* keep one slot for the "more" line */
	for (i = 0; i < r->ntargets && shown < cap; i++) {
		const rg_target_result *t = &r->targets[order[i]];
		if (errors && t->status == RG_STATUS_ERROR && shown < cap) {
			annotate(f, cmd, t, NULL);
			shown++;
		}
		for (j = 0; j < t->nverdicts && shown < cap; j++)
			if (t->verdicts[j].status == want) {
				annotate(f, cmd, t, &t->verdicts[j]);
				shown++;
			}
	}
	if (total > shown)
		fprintf(f, "::%s title=relgate::and %zu more %s not shown here (see the job summary "
		        "or the JSON report)\n", cmd, total - shown,
		        errors ? "budget failures" : "budget warnings");
}

int rg_report_write_github(FILE *f, const rg_report *r)
{
	size_t *o = rg_report_order(r);

	if (!o)
		return -1;
	write_kind(f, r, o, 1);
	write_kind(f, r, o, 0);
	free(o);
	return ferror(f) ? -1 : 0;
}

static int write_outputs(FILE *f, const rg_report *r)
{
	cJSON *doc = rg_report_to_json(r);
	char *json = doc ? cJSON_PrintUnformatted(doc) : NULL;
	char delim[64];

	cJSON_Delete(doc);
	if (!json) {
		errno = ENOMEM;
		return -1;
	}
	/* Compact JSON has no newline, so no line of it can equal the delimiter. */
	snprintf(delim, sizeof(delim), "relgate_EOF_%lx_%ld", (unsigned long)time(NULL), (long)getpid());
	fprintf(f, "status=%s\n", rg_status_name(r->status));
	fprintf(f, "failed=%zu\n", rg_report_count(r, RG_STATUS_FAIL));
	fprintf(f, "warned=%zu\n", rg_report_count(r, RG_STATUS_WARN));
	fprintf(f, "report<<%s\n%s\n%s\n", delim, json, delim);
	free(json);
	return ferror(f) ? -1 : 0;
}

/* Appends to the file named by $NAME; unset or empty: nothing to do. The
 * error names the variable and its path, so a runner whose files moved
 * is told which one. */
static int append_env_file(const char *name, const rg_report *r,
                           int (*put)(FILE *, const rg_report *), rg_err *err)
{
	const char *path = getenv(name);
	FILE *f;
	int rc;

	if (!path || !*path)
		return RG_OK;
	if (!(f = fopen(path, "a")))
		return rg_err_set(err, RG_EIO, "cannot write $%s (%s): %s", name, path, strerror(errno));
	rc = put(f, r);
	if (fclose(f) || rc)
		return rg_err_set(err, RG_EIO, "cannot write $%s (%s): %s", name, path, strerror(errno));
	return RG_OK;
}

static int write_summary(FILE *f, const rg_report *r)
{
	return rg_report_write_markdown(f, r, 0);
}

int rg_report_github_env(const rg_report *r, rg_err *err)
{
	int rc = append_env_file("GITHUB_STEP_SUMMARY", r, write_summary, err);

	if (rc == RG_OK)
		rc = append_env_file("GITHUB_OUTPUT", r, write_outputs, err);
	return rc;
}
