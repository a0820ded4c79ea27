/*
 * measure_out.c - what `relgate measure` prints, and the JSON form of a
 * measured binary that the cache and the range report keep: one JSON
 * document (schema_version 1, the shape documented in docs/metrics.md) or
 * a text table per binary (metric, value, and the size in KiB/MiB for
 * byte metrics from 1 KiB up, worded by format.h).
 */
#include "measure_out.h"
#include "format.h"
#include "escape.h"
#include "../budgets/budgets.h"
#include "../gate/cli.h"
#include "../parsers/attr.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

cJSON *rg_json_int(int64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRId64, v);
	return cJSON_CreateRaw(buf);
}

cJSON *rg_json_add_int(cJSON *obj, const char *key, int64_t v)
{
	cJSON *n = rg_json_int(v);

	if (n && !cJSON_AddItemToObject(obj, key, n)) {
		cJSON_Delete(n);
		return NULL;
	}
	return n;
}

cJSON *rg_measure_doc_new(void)
{
	cJSON *doc = cJSON_CreateObject(), *tool;

	if (!doc)
		return NULL;
	rg_json_add_int(doc, "schema_version", RG_MEASURE_SCHEMA_VERSION);
	tool = cJSON_AddObjectToObject(doc, "tool");
	if (!tool || !cJSON_AddStringToObject(tool, "name", "relgate") ||
	    !cJSON_AddStringToObject(tool, "version", RG_VERSION) ||
	    !cJSON_AddArrayToObject(doc, "binaries")) {
		cJSON_Delete(doc);
		return NULL;
	}
	return doc;
}

static const char *perm_str(unsigned p, char buf[4])
{
	buf[0] = p & RG_PERM_R ? 'r' : '-';
	buf[1] = p & RG_PERM_W ? 'w' : '-';
	buf[2] = p & RG_PERM_X ? 'x' : '-';
	buf[3] = '\0';
	return buf;
}

static int add_segments(cJSON *arr, const rg_binary *b)
{
	size_t i;
	char pb[4];

	for (i = 0; i < b->nsegs; i++) {
		const rg_segment *s = &b->segs[i];
		cJSON *o = cJSON_CreateObject();

		if (!o || !cJSON_AddItemToArray(arr, o))
			return -1;
		cJSON_AddStringToObject(o, "name", s->name);
		cJSON_AddStringToObject(o, "role", s->unmapped ? "none" : s->overlay ? "relro" : rg_role_name(s->role));
		cJSON_AddStringToObject(o, "perms", perm_str(s->perms, pb));
		rg_json_add_int(o, "vmaddr", (int64_t)s->vmaddr);
		rg_json_add_int(o, "vmsize", (int64_t)s->vmsize);
		rg_json_add_int(o, "fileoff", (int64_t)s->fileoff);
		rg_json_add_int(o, "filesize", (int64_t)s->filesize);
		if (s->overlay)
			cJSON_AddBoolToObject(o, "overlay", 1);
		if (s->unmapped)
			cJSON_AddBoolToObject(o, "unmapped", 1);
		if (b->has_fixups && !s->unmapped) {
			rg_json_add_int(o, "relocs", (int64_t)s->relocs);
			rg_json_add_int(o, "dirty_pages", (int64_t)s->dirty_pages);
		}
	}
	return 0;
}

static int add_sections(cJSON *arr, const rg_binary *b)
{
	size_t i;

	for (i = 0; i < b->nsecs; i++) {
		const rg_section *s = &b->secs[i];
		cJSON *o = cJSON_CreateObject();

		if (!o || !cJSON_AddItemToArray(arr, o))
			return -1;
		cJSON_AddStringToObject(o, "name", s->name);
		rg_json_add_int(o, "addr", (int64_t)s->addr);
		rg_json_add_int(o, "size", (int64_t)s->size);
		rg_json_add_int(o, "fileoff", (int64_t)s->fileoff);
		if (s->zerofill)
			cJSON_AddBoolToObject(o, "zerofill", 1);
	}
	return 0;
}

cJSON *rg_binary_to_json(const rg_binary *b)
{
	cJSON *o = cJSON_CreateObject(), *m, *arr, *info;
	size_t i;

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "path", b->path);
	cJSON_AddStringToObject(o, "format", b->format);
	cJSON_AddStringToObject(o, "arch", b->arch);
	rg_json_add_int(o, "bits", b->bits);
	cJSON_AddStringToObject(o, "endian", b->big_endian ? "big" : "little");
	rg_json_add_int(o, "page_size", (int64_t)b->page_size);
	m = cJSON_AddObjectToObject(o, "metrics");
	for (i = 0; m && i < b->nmetrics; i++)
		rg_json_add_int(m, b->metrics[i].name, b->metrics[i].value);
	if (!m || !(arr = cJSON_AddArrayToObject(o, "segments")) || add_segments(arr, b) ||
	    !(arr = cJSON_AddArrayToObject(o, "sections")) || add_sections(arr, b) ||
	    !(arr = cJSON_AddArrayToObject(o, "notes")))
		goto fail;
	for (i = 0; i < b->nnotes; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(b->notes[i]));
	if (b->ninfo) {
		if (!(info = cJSON_AddObjectToObject(o, "info")))
			goto fail;
		for (i = 0; i < b->ninfo; i++)
			cJSON_AddStringToObject(info, b->info[i].key, b->info[i].value);
	}
	if (b->npkgs) {
		if (!(arr = cJSON_AddArrayToObject(o, "pclntab_packages")))
			goto fail;
		for (i = 0; i < b->npkgs; i++) {
			cJSON *p = cJSON_CreateObject();
			if (!p || !cJSON_AddItemToArray(arr, p))
				goto fail;
			cJSON_AddStringToObject(p, "package", b->pkgs[i].name);
			rg_json_add_int(p, "funcs", (int64_t)b->pkgs[i].funcs);
			rg_json_add_int(p, "bytes", (int64_t)b->pkgs[i].bytes);
		}
	}
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

void rg_binary_print_text(FILE *f, const rg_binary *b, int color, int packages)
{
	const char *bold = color ? "\033[1m" : "", *dim = color ? "\033[2m" : "",
	           *reset = color ? "\033[0m" : "";
	size_t i, w = 6;
	char hb[32], nm[400], v[400];

	fprintf(f, "%s%s%s  %s %s, %d-bit %s-endian, page size %llu\n", bold,
	        rg_esc_term(b->path, nm, sizeof(nm)), reset, b->format,
	        rg_esc_term(b->arch, v, sizeof(v)), b->bits, b->big_endian ? "big" : "little",
	        (unsigned long long)b->page_size);
	for (i = 0; i < b->nmetrics; i++)
		if (strlen(b->metrics[i].name) > w)
			w = strlen(b->metrics[i].name);
	for (i = 0; i < b->nmetrics; i++) {
		const rg_metric *m = &b->metrics[i];
		fprintf(f, "  %-*s %14lld", (int)w, rg_esc_term(m->name, nm, sizeof(nm)), (long long)m->value);
		if (rg_metric_is_bytes(m->name) && m->value >= 1024)
			fprintf(f, "  %s%s%s", dim, rg_fmt_size(m->value, hb, sizeof(hb)), reset);
		fputc('\n', f);
	}
	for (i = 0; i < b->ninfo; i++)
		fprintf(f, "  %s%s: %s%s\n", dim, rg_esc_term(b->info[i].key, nm, sizeof(nm)),
		        rg_esc_term(b->info[i].value, v, sizeof(v)), reset);
	for (i = 0; i < b->nnotes; i++)
		fprintf(f, "  note: %s\n", rg_esc_term(b->notes[i], v, sizeof(v)));
	if (packages && b->npkgs) {
		fprintf(f, "  %-40s %8s %12s\n", "pclntab by package", "funcs", "bytes");
		for (i = 0; i < b->npkgs; i++)
			fprintf(f, "  %-40s %8llu %12llu\n", rg_esc_term(b->pkgs[i].name, nm, sizeof(nm)),
			        (unsigned long long)b->pkgs[i].funcs,
			        (unsigned long long)b->pkgs[i].bytes);
	}
}

/* ---- attribution rows ------------------------------------------------------ */

cJSON *rg_attr_table_to_json(const rg_binary *b, const rg_attr_table *t)
{
	cJSON *o = cJSON_CreateObject(), *rows;
	size_t i;

	if (!o)
		return NULL;
	if (!cJSON_AddStringToObject(o, "by", rg_attr_key_name(t->by)) ||
	    !cJSON_AddStringToObject(o, "symbols", b->attr && b->attr->symsrc[0] ? b->attr->symsrc
	                                                                     : "none") ||
	    !(rows = cJSON_AddArrayToObject(o, "rows")))
		goto fail;
	for (i = 0; i < t->n; i++) {
		const rg_attr_row *r = &t->rows[i];
		cJSON *ro = cJSON_CreateObject();

		if (!ro || !cJSON_AddItemToArray(rows, ro)) {
			cJSON_Delete(ro);
			goto fail;
		}
		if (!cJSON_AddStringToObject(ro, "name", r->name) ||
		    !rg_json_add_int(ro, "relocs", (int64_t)r->relocs) ||
		    !rg_json_add_int(ro, "relative", (int64_t)r->relative) ||
		    !rg_json_add_int(ro, "symbolic", (int64_t)r->symbolic) ||
		    !rg_json_add_int(ro, "lazy", (int64_t)r->lazy) ||
		    !rg_json_add_int(ro, "dirty_pages", (int64_t)r->dirty_pages) ||
		    !rg_json_add_int(ro, "sole_pages", (int64_t)r->sole_pages) ||
		    (r->size >= 0 && !rg_json_add_int(ro, "size", r->size)))
			goto fail;
	}
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

void rg_attr_print_text(FILE *f, const rg_binary *b, const rg_attr_table *t, int color)
{
	const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";
	size_t i;
	char sz[32];

	fputs(bold, f);
	rg_esc_term_put(f, b->path, RG_ESC_BACKSLASH);
	fprintf(f, "%s  %s %s, fixups by %s (symbols: %s)\n", reset, b->format, b->arch,
	        rg_attr_key_name(t->by), b->attr && b->attr->symsrc[0] ? b->attr->symsrc : "none");
	fprintf(f, "  %10s %10s %10s %8s %7s %7s %10s  %s\n", "relocs", "relative", "symbolic",
	        "lazy", "pages", "sole", "size", "name");
	for (i = 0; i < t->n; i++) {
		const rg_attr_row *r = &t->rows[i];
		if (r->size >= 0)
			snprintf(sz, sizeof(sz), "%lld", (long long)r->size);
		else
			snprintf(sz, sizeof(sz), "-");
		fprintf(f, "  %10llu %10llu %10llu %8llu %7llu %7llu %10s  ",
		        (unsigned long long)r->relocs, (unsigned long long)r->relative,
		        (unsigned long long)r->symbolic, (unsigned long long)r->lazy,
		        (unsigned long long)r->dirty_pages, (unsigned long long)r->sole_pages, sz);
		rg_esc_term_put(f, r->name, RG_ESC_BACKSLASH);
		fputc('\n', f);
	}
	fprintf(f, "  %10llu total\n", (unsigned long long)t->total);
	for (i = 0; i < b->nnotes; i++) {
		fputs("  note: ", f);
		rg_esc_term_put(f, b->notes[i], RG_ESC_BACKSLASH);
		fputc('\n', f);
	}
}

/*
 * One CSV field (RFC 4180: quoted when it holds a comma or a quote; quotes
 * doubled; a leading = + - @ gets a ' so a spreadsheet does not run it as
 * a formula) or TSV field. Both hold the terminal form of s (escape.h,
 * backslashes doubled): no control byte, line break or tab of a hostile
 * name reaches a terminal or splits a row.
 */
static void put_field(FILE *f, const char *s, char sep)
{
	char *e = rg_esc_term_dup(s, RG_ESC_BACKSLASH);
	const char *p = e ? e : "?";
	int formula = p[0] && strchr("=+-@", p[0]);
	int quote = sep == ',' && (formula || strpbrk(p, ",\""));

	if (quote)
		fputs(formula ? "\"'" : "\"", f);
	for (; *p; p++) {
		if (*p == '"' && quote)
			fputc('"', f);
		fputc(*p, f);
	}
	if (quote)
		fputc('"', f);
	free(e);
}

void rg_attr_print_sv(FILE *f, const rg_binary *b, const rg_attr_table *t, char sep, int header)
{
	size_t i;

	if (header)
		fprintf(f, "path%carch%cby%cname%crelocs%crelative%csymbolic%clazy%cdirty_pages%c"
		        "sole_pages%csize\n", sep, sep, sep, sep, sep, sep, sep, sep, sep, sep);
	for (i = 0; i < t->n; i++) {
		const rg_attr_row *r = &t->rows[i];
		put_field(f, b->path, sep);
		fputc(sep, f);
		put_field(f, b->arch, sep);
		fprintf(f, "%c%s%c", sep, rg_attr_key_name(t->by), sep);
		put_field(f, r->name, sep);
		fprintf(f, "%c%llu%c%llu%c%llu%c%llu%c%llu%c%llu%c", sep, (unsigned long long)r->relocs,
		        sep, (unsigned long long)r->relative, sep, (unsigned long long)r->symbolic, sep,
		        (unsigned long long)r->lazy, sep, (unsigned long long)r->dirty_pages, sep,
		        (unsigned long long)r->sole_pages, sep);
		if (r->size >= 0)
			fprintf(f, "%lld", (long long)r->size);
		fputc('\n', f);
	}
}

int rg_json_put(FILE *f, const cJSON *doc)
{
	char *out = doc ? cJSON_Print(doc) : NULL;
	int rc = 0;

	if (!out) {
		errno = ENOMEM;
		return -1;
	}
	errno = 0;
	if (fputs(out, f) == EOF || fputc('\n', f) == EOF || fflush(f) != 0 || ferror(f)) {
		if (!errno)
			errno = EIO;
		rc = -1;
	}
	free(out);
	return rc;
}

/* rg_json_put, and frees doc (NULL: out of memory). */
static int print_doc(FILE *f, cJSON *doc)
{
	int rc = rg_json_put(f, doc), e = errno;

	cJSON_Delete(doc);
	errno = e;
	return rc;
}

/* The measure document of l, each binary with its attribution when
 * tables is set; complete or not written at all. */
static int write_doc(FILE *f, const rg_binary_list *l, const rg_attr_table *tables)
{
	cJSON *doc = rg_measure_doc_new(), *arr = cJSON_GetObjectItem(doc, "binaries");
	size_t k;

	for (k = 0; doc && k < l->n; k++) {
		cJSON *bj = rg_binary_to_json(l->items[k]), *aj = NULL;
		if (!bj || (tables && (!(aj = rg_attr_table_to_json(l->items[k], &tables[k])) ||
		                       !cJSON_AddItemToObject(bj, "attribution", aj))) ||
		    !cJSON_AddItemToArray(arr, bj)) {
			if (!cJSON_GetObjectItem(bj, "attribution"))
				cJSON_Delete(aj);
			cJSON_Delete(bj);
			break;
		}
	}
	if (k != l->n) {
		cJSON_Delete(doc);
		errno = ENOMEM;
		return -1;
	}
	return print_doc(f, doc);
}

int rg_measure_write_attr(FILE *f, const rg_binary_list *l, const rg_attr_table *tables,
                          const char *format, int color)
{
	size_t k;

	if (!strcmp(format, "csv") || !strcmp(format, "tsv")) {
		for (k = 0; k < l->n; k++)
			rg_attr_print_sv(f, l->items[k], &tables[k], format[0] == 'c' ? ',' : '\t', k == 0);
		return 0;
	}
	if (strcmp(format, "json")) {
		for (k = 0; k < l->n; k++) {
			if (k)
				fputc('\n', f);
			rg_attr_print_text(f, l->items[k], &tables[k], color);
		}
		return 0;
	}
	return write_doc(f, l, tables);
}

int rg_measure_write(FILE *f, const rg_binary_list *l, const char *format, int color,
                     int packages)
{
	size_t k;

	if (strcmp(format, "json")) {
		for (k = 0; k < l->n; k++) {
			if (k)
				fputc('\n', f);
			rg_binary_print_text(f, l->items[k], color, packages);
		}
		return 0;
	}
	return write_doc(f, l, NULL);
}

/* ---- relgate diff --by ------------------------------------------------------ */

static void put_side_json(cJSON *o, const char *key, const rg_attr_row *r)
{
	cJSON *x;

	if (!r) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	x = cJSON_AddObjectToObject(o, key);
	rg_json_add_int(x, "relocs", (int64_t)r->relocs);
	rg_json_add_int(x, "relative", (int64_t)r->relative);
	rg_json_add_int(x, "symbolic", (int64_t)r->symbolic);
	rg_json_add_int(x, "lazy", (int64_t)r->lazy);
	rg_json_add_int(x, "dirty_pages", (int64_t)r->dirty_pages);
	rg_json_add_int(x, "sole_pages", (int64_t)r->sole_pages);
}

int rg_attr_diff_write(FILE *f, const char *format, const char *by, const char *const files[2],
                       uint64_t base_total, uint64_t head_total, const char *base_arch,
                       const char *head_arch, const rg_attr_delta *d, size_t n, size_t top)
{
	size_t shown = top && top < n ? top : n, i;
	const char *archs[2] = { base_arch, head_arch };
	uint64_t totals[2] = { base_total, head_total };

	if (!strcmp(format, "json")) {
		cJSON *doc = rg_measure_doc_new(), *rows, *sj;
		int k;

		if (!doc) {
			errno = ENOMEM;
			return -1;
		}
		cJSON_DeleteItemFromObject(doc, "binaries");
		cJSON_AddStringToObject(doc, "by", by);
		for (k = 0; k < 2; k++) {
			sj = cJSON_AddObjectToObject(doc, k ? "head" : "base");
			cJSON_AddStringToObject(sj, "path", files[k]);
			cJSON_AddStringToObject(sj, "arch", archs[k]);
			rg_json_add_int(sj, "relocs_total", (int64_t)totals[k]);
		}
		rg_json_add_int(doc, "changed_rows", (int64_t)n);
		rows = cJSON_AddArrayToObject(doc, "rows");
		for (i = 0; rows && i < shown; i++) {
			cJSON *r = cJSON_CreateObject(), *dl;
			if (!r || !cJSON_AddItemToArray(rows, r)) {
				cJSON_Delete(r);
				break;
			}
			cJSON_AddStringToObject(r, "name", d[i].name);
			cJSON_AddStringToObject(r, "status", !d[i].base ? "new" : !d[i].head ? "removed"
			                                                                   : "changed");
			put_side_json(r, "base", d[i].base);
			put_side_json(r, "head", d[i].head);
			dl = cJSON_AddObjectToObject(r, "delta");
			rg_json_add_int(dl, "relocs", d[i].d_relocs);
			rg_json_add_int(dl, "dirty_pages", d[i].d_pages);
		}
		return print_doc(f, doc);
	}
	fputs("fixups by ", f);
	fputs(by, f);
	fputs(": ", f);
	rg_esc_term_put(f, files[0], RG_ESC_BACKSLASH);
	fputs(" \xe2\x86\x92 ", f);
	rg_esc_term_put(f, files[1], RG_ESC_BACKSLASH);
	fprintf(f, "\n  relocs.total %llu \xe2\x86\x92 %llu (%+lld); %zu row(s) changed%s\n",
	       (unsigned long long)base_total, (unsigned long long)head_total,
	       (long long)((int64_t)head_total - (int64_t)base_total), n,
	       shown < n ? ", largest shown (--top 0: all)" : "");
	if (!n)
		return 0;
	/* "→" is one column in three bytes: written, not padded by printf */
	fprintf(f, "  %10s %10s %10s  %6s      \xe2\x86\x92 %6s  %s\n", "base", "head", "delta", "pages",
	       "delta", "name");
	for (i = 0; i < shown; i++) {
		const rg_attr_delta *e = &d[i];
		fprintf(f, "  %10llu %10llu %+10lld  %6llu %6llu %+6lld  ",
		       (unsigned long long)(e->base ? e->base->relocs : 0),
		       (unsigned long long)(e->head ? e->head->relocs : 0), (long long)e->d_relocs,
		       (unsigned long long)(e->base ? e->base->dirty_pages : 0),
		       (unsigned long long)(e->head ? e->head->dirty_pages : 0), (long long)e->d_pages);
		rg_esc_term_put(f, e->name, RG_ESC_BACKSLASH);
		fputs(!e->base ? " (new)" : !e->head ? " (removed)" : "", f);
		fputc('\n', f);
	}
	return 0;
}

