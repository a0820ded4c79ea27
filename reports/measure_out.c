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

int rg_measure_write(FILE *f, const rg_binary_list *l, const char *format, int color,
                     int packages)
{
	cJSON *doc, *arr;
	char *out = NULL;
	size_t k;

	if (strcmp(format, "json")) {
		for (k = 0; k < l->n; k++) {
			if (k)
				fputc('\n', f);
			rg_binary_print_text(f, l->items[k], color, packages);
		}
		return 0;
	}
	doc = rg_measure_doc_new();
	arr = cJSON_GetObjectItem(doc, "binaries");
	for (k = 0; doc && k < l->n; k++) {
		cJSON *bj = rg_binary_to_json(l->items[k]);
		if (!bj || !cJSON_AddItemToArray(arr, bj)) {
			cJSON_Delete(bj);
			break;
		}
	}
	if (doc && k == l->n)
		out = cJSON_Print(doc);
	cJSON_Delete(doc);
	if (!out)
		return -1;
	fputs(out, f);
	fputc('\n', f);
	free(out);
	return 0;
}
