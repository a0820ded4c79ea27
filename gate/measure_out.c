/*
 * measure_out.c - JSON and text forms of a measured binary (see
 * measure_out.h; the JSON shape is documented in docs/metrics.md).
 */
#include "measure_out.h"
#include "cli.h"
#include "../parsers/attr.h"

#include <inttypes.h>
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

/* Metrics whose value is a byte count get a human-readable column. */
static int is_bytes_metric(const char *name)
{
	size_t n = strlen(name);
	static const char *const suffixes[] = { ".size", ".vmsize", ".filesize", ".bytes",
	                                        ".dirty_bytes", NULL };
	const char *const *s;

	if (!strncmp(name, "vm.", 3))
		return 1;
	for (s = suffixes; *s; s++) {
		size_t l = strlen(*s);
		if (n >= l && !strcmp(name + n - l, *s))
			return 1;
	}
	return 0;
}

void rg_binary_print_text(FILE *f, const rg_binary *b, int color, int packages)
{
	const char *bold = color ? "\033[1m" : "", *dim = color ? "\033[2m" : "",
	           *reset = color ? "\033[0m" : "";
	size_t i, w = 6;
	char hb[32];

	fprintf(f, "%s%s%s  %s %s, %d-bit %s-endian, page size %llu\n", bold, b->path, reset,
	        b->format, b->arch, b->bits, b->big_endian ? "big" : "little",
	        (unsigned long long)b->page_size);
	for (i = 0; i < b->nmetrics; i++)
		if (strlen(b->metrics[i].name) > w)
			w = strlen(b->metrics[i].name);
	for (i = 0; i < b->nmetrics; i++) {
		const rg_metric *m = &b->metrics[i];
		fprintf(f, "  %-*s %14lld", (int)w, m->name, (long long)m->value);
		if (is_bytes_metric(m->name) && m->value >= 1024)
			fprintf(f, "  %s%s%s", dim, rg_human_bytes(m->value, hb, sizeof(hb)), reset);
		fputc('\n', f);
	}
	for (i = 0; i < b->ninfo; i++)
		fprintf(f, "  %s%s: %s%s\n", dim, b->info[i].key, b->info[i].value, reset);
	for (i = 0; i < b->nnotes; i++)
		fprintf(f, "  note: %s\n", b->notes[i]);
	if (packages && b->npkgs) {
		fprintf(f, "  %-40s %8s %12s\n", "pclntab by package", "funcs", "bytes");
		for (i = 0; i < b->npkgs; i++)
			fprintf(f, "  %-40s %8llu %12llu\n", b->pkgs[i].name,
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

void rg_put_term(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else if (c == '\\')
			fputs("\\\\", f);
		else
			fputc(c, f);
	}
}

void rg_attr_print_text(FILE *f, const rg_binary *b, const rg_attr_table *t, int color)
{
	const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";
	size_t i;
	char sz[32];

	fputs(bold, f);
	rg_put_term(f, b->path);
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
		rg_put_term(f, r->name);
		fputc('\n', f);
	}
	fprintf(f, "  %10llu total\n", (unsigned long long)t->total);
	for (i = 0; i < b->nnotes; i++) {
		fputs("  note: ", f);
		rg_put_term(f, b->notes[i]);
		fputc('\n', f);
	}
}

/*
 * One CSV field (RFC 4180: quoted when it holds a comma, quote or line
 * break; quotes doubled; a leading = + - @ gets a ' so a spreadsheet does
 * not run it as a formula) or TSV field (tab, line breaks written as \t
 * \n \r). In both, other control bytes are written \xNN and a backslash
 * is doubled, so no byte of a hostile name reaches a terminal raw.
 */
static void put_field(FILE *f, const char *s, char sep)
{
	int quote = sep == ',' && (strpbrk(s, ",\"\r\n") || (s[0] && strchr("=+-@", s[0])));

	if (quote) {
		fputc('"', f);
		if (s[0] && strchr("=+-@", s[0]))
			fputc('\'', f);
	}
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (sep == '\t' && c == '\t')
			fputs("\\t", f);
		else if (sep == '\t' && c == '\n')
			fputs("\\n", f);
		else if (sep == '\t' && c == '\r')
			fputs("\\r", f);
		else if (c == '"' && quote)
			fputs("\"\"", f);
		else if (c == '\\')
			fputs("\\\\", f);
		else if ((c < 0x20 && !(quote && (c == '\n' || c == '\r'))) || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	if (quote)
		fputc('"', f);
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
