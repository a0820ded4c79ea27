/*
 * catalog.c - the metric catalog (docs/metrics.md)
 * computed once from the measurement model.
 *
 * Metric names are an interface: budgets, JSON reports and diffs use them.
 * Names that do not apply to a binary are absent, never zero: a binary with
 * no dynamic relocation information (an object file, a static executable)
 * has no relocs.* or dirty.* metrics at all.
 */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Names computed here, in output order. */
static const char *const fixed_names[] = {
	"file.size", "vm.size", "vm.text", "vm.rodata", "vm.relro", "vm.data", "vm.bss",
	"relocs.total", "relocs.relative", "relocs.symbolic", "relocs.lazy",
	"relocs.text", "relocs.relro", "relocs.data",
	"dirty.pages", "dirty.bytes", "dirty.relro.pages", "dirty.relro.bytes",
	"dirty.data.pages", "dirty.data.bytes",
	"pclntab.bytes", "pclntab.funcs", "pclntab.files",
	NULL
};

/*
 * Format-specific metrics that parsers add with rg_binary_add_metric().
 * Each is documented in docs/metrics.md; add new ones here so budgets can
 * name them.
 */
static const char *const extra_names[] = {
	"relocs.weak",          /* Mach-O weak binds */
	"relocs.auth",          /* arm64e authenticated fixups */
	"relocs.auth_relative",
	"relocs.auth_symbolic",
	"relocs.imports",       /* PE import address table entries */
	"relocs.delay_imports", /* PE delay-load IAT entries */
	"relocs.outside",       /* fixups outside every mapped segment */
	NULL
};

/*
 * Sizes come from headers a hostile binary writes: a uint64 above INT64_MAX,
 * sums of many such and page counts times the page size must neither wrap
 * nor overflow (undefined for int64_t). They saturate at INT64_MAX, so a
 * size is never negative and still breaks any budget.
 */
static int64_t sat(uint64_t v)
{
	return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
}

static int64_t sat_add(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	if (b < 0 && a < INT64_MIN - b)
		return INT64_MIN;
	return a + b;
}

static int64_t sat_mul(int64_t a, int64_t b)
{
	if (a < 0 || b < 0)
		return 0; /* counts and page sizes: never negative */
	if (a && b > INT64_MAX / a)
		return INT64_MAX;
	return a * b;
}

static int put(rg_binary *b, const char *name, int64_t v)
{
	rg_metric *m;

	if (b->nmetrics == b->metcap) {
		size_t ncap = b->metcap ? b->metcap * 2 : 64;
		rg_metric *nm = realloc(b->metrics, ncap * sizeof(*nm));
		if (!nm)
			return RG_ENOMEM;
		b->metrics = nm;
		b->metcap = ncap;
	}
	m = &b->metrics[b->nmetrics++];
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->value = v;
	return RG_OK;
}

/*
 * Section metrics may repeat a name (sections sharing a name add up); an
 * open-addressing table of metric indexes keeps that linear even for an
 * ELF with 65,535 sections.
 */
typedef struct name_index {
	size_t *slots; /* metric index + 1; 0 = empty */
	size_t cap;
} name_index;

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int add_to(rg_binary *b, name_index *ix, const char *name, int64_t v)
{
	size_t i;

	for (i = fnv1a(name) & (ix->cap - 1); ix->slots[i]; i = (i + 1) & (ix->cap - 1))
		if (strcmp(b->metrics[ix->slots[i] - 1].name, name) == 0) {
			b->metrics[ix->slots[i] - 1].value = sat_add(b->metrics[ix->slots[i] - 1].value, v);
			return RG_OK;
		}
	if (put(b, name, v) != RG_OK)
		return RG_ENOMEM;
	ix->slots[i] = b->nmetrics;
	return RG_OK;
}

static int role_filter(const rg_region *r, const void *arg)
{
	return r->role == *(const rg_role *)arg;
}

static int seg_filter(const rg_region *r, const void *arg)
{
	int i = *(const int *)arg;
	return r->seg == i || r->overlay == i;
}

/*
 * section[NAME].relocs/.dirty_pages/.dirty_bytes. Regions never straddle a
 * section (rg_binary_seal split them), so a section's fixups are the sum
 * of its regions' and its pages are the pages marked in them. Sections
 * sharing a name form one group: their fixups add up and their pages are
 * counted once. Pages come in ascending order over the sorted regions, so
 * a group has counted a page already exactly when it was its last one.
 * A page shared by two sections counts for both.
 */
typedef struct sec_group {
	const char *name;
	uint64_t relocs, pages, last; /* last: page + 1 of the last counted, 0 none */
} sec_group;

static int count_group_page(uint64_t page, void *arg)
{
	sec_group *g = arg;

	if (g->last != page + 1) {
		g->pages++;
		g->last = page + 1;
	}
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	const rg_section *const *x = a, *const *y = b;
	int c = strcmp((*x)->name, (*y)->name);
	return c ? c : (*x < *y ? -1 : *x > *y);
}

static int section_fixup_metrics(rg_binary *b)
{
	const rg_section **order = NULL;
	sec_group *groups = NULL;
	int *group_of = NULL;
	size_t i, n = 0, ng = 0;
	int64_t ps = (int64_t)b->page_size;
	char name[200];
	int rc = RG_OK;

	for (i = 0; i < b->nsecs; i++)
		b->secs[i].relocs = 0;
	for (i = 0; i < b->nregs; i++)
		if (b->regs[i].sec >= 0)
			b->secs[b->regs[i].sec].relocs += b->regs[i].relocs;
	for (i = 0; i < b->nsecs; i++)
		n += b->secs[i].relocs != 0;
	if (!n)
		return RG_OK;
	order = malloc(n * sizeof(*order));
	groups = calloc(n, sizeof(*groups));
	group_of = malloc(b->nsecs * sizeof(*group_of));
	if (!order || !groups || !group_of) {
		rc = RG_ENOMEM;
		goto done;
	}
	for (i = 0, n = 0; i < b->nsecs; i++) {
		group_of[i] = -1;
		if (b->secs[i].relocs)
			order[n++] = &b->secs[i];
	}
	qsort(order, n, sizeof(*order), name_cmp);
	for (i = 0; i < n; i++) {
		if (!ng || strcmp(groups[ng - 1].name, order[i]->name) != 0)
			groups[ng++].name = order[i]->name;
		groups[ng - 1].relocs += order[i]->relocs;
		group_of[order[i] - b->secs] = (int)(ng - 1);
	}
	for (i = 0; i < b->nregs; i++) {
		const rg_region *r = &b->regs[i];

		if (r->sec >= 0 && group_of[r->sec] >= 0 && r->chunks)
			rg_region_each_page(r, count_group_page, &groups[group_of[r->sec]]);
	}
	/* In the order the sections are listed (the first of each name). */
	for (i = 0; i < b->nsecs && rc == RG_OK; i++) {
		sec_group *g;

		if (group_of[i] < 0 || !(g = &groups[group_of[i]])->name)
			continue;
		snprintf(name, sizeof(name), "section[%s].relocs", g->name);
		rc |= put(b, name, (int64_t)g->relocs);
		snprintf(name, sizeof(name), "section[%s].dirty_pages", g->name);
		rc |= put(b, name, (int64_t)g->pages);
		snprintf(name, sizeof(name), "section[%s].dirty_bytes", g->name);
		rc |= put(b, name, (int64_t)g->pages * ps);
		g->name = NULL; /* emitted */
	}
done:
	free(order);
	free(groups);
	free(group_of);
	return rc ? RG_ENOMEM : RG_OK;
}

int rg_catalog_compute(rg_binary *b)
{
	int64_t vm_size = 0, by_role[RG_ROLE_COUNT] = { 0 }, bss = 0;
	int64_t ps = sat(b->page_size);
	char name[200];
	name_index ix = { NULL, 0 };
	size_t i;
	int rc = RG_OK;

	b->nmetrics = 0;
	for (i = 0; i < b->nsegs; i++)
		if (!b->segs[i].overlay && !b->segs[i].unmapped)
			vm_size = sat_add(vm_size, sat(b->segs[i].vmsize));
	for (i = 0; i < b->nregs; i++) {
		const rg_region *r = &b->regs[i];
		uint64_t len = r->end > r->start ? r->end - r->start : 0;
		if (r->role == RG_ROLE_DATA) {
			uint64_t file = r->filesize < len ? r->filesize : len;
			by_role[RG_ROLE_DATA] = sat_add(by_role[RG_ROLE_DATA], sat(file));
			bss = sat_add(bss, sat(len - file));
		} else {
			by_role[r->role] = sat_add(by_role[r->role], sat(len));
		}
	}
	rc |= put(b, "file.size", sat(b->slice_size));
	rc |= put(b, "vm.size", vm_size);
	rc |= put(b, "vm.text", by_role[RG_ROLE_TEXT]);
	rc |= put(b, "vm.rodata", by_role[RG_ROLE_RODATA]);
	rc |= put(b, "vm.relro", by_role[RG_ROLE_RELRO]);
	rc |= put(b, "vm.data", by_role[RG_ROLE_DATA]);
	rc |= put(b, "vm.bss", bss);

	if (b->has_fixups) {
		rg_role relro = RG_ROLE_RELRO, data = RG_ROLE_DATA;
		int64_t all = sat(rg_binary_count_pages(b, NULL, NULL));
		int64_t rp = sat(rg_binary_count_pages(b, role_filter, &relro));
		int64_t dp = sat(rg_binary_count_pages(b, role_filter, &data));

		rc |= put(b, "relocs.total", sat(b->n_total));
		rc |= put(b, "relocs.relative", sat(b->n_relative));
		rc |= put(b, "relocs.symbolic", sat(b->n_symbolic));
		rc |= put(b, "relocs.lazy", sat(b->n_lazy));
		rc |= put(b, "relocs.text", sat_add(sat(b->n_by_role[RG_ROLE_TEXT]),
		                                        sat(b->n_by_role[RG_ROLE_RODATA])));
		rc |= put(b, "relocs.relro", sat(b->n_by_role[RG_ROLE_RELRO]));
		rc |= put(b, "relocs.data", sat(b->n_by_role[RG_ROLE_DATA]));
		rc |= put(b, "dirty.pages", all);
		rc |= put(b, "dirty.bytes", sat_mul(all, ps));
		rc |= put(b, "dirty.relro.pages", rp);
		rc |= put(b, "dirty.relro.bytes", sat_mul(rp, ps));
		rc |= put(b, "dirty.data.pages", dp);
		rc |= put(b, "dirty.data.bytes", sat_mul(dp, ps));
		if (b->n_outside)
			rc |= put(b, "relocs.outside", sat(b->n_outside));
	}
	for (i = 0; i < b->nextra; i++)
		rc |= put(b, b->extra[i].name, b->extra[i].value);

	for (i = 0; i < b->nsegs; i++) {
		rg_segment *s = &b->segs[i];
		int idx = (int)i;
		size_t j;

		if (s->unmapped)
			continue;
		s->relocs = 0;
		for (j = 0; j < b->nregs; j++)
			if (b->regs[j].seg == idx || b->regs[j].overlay == idx)
				s->relocs += b->regs[j].relocs;
		s->dirty_pages = rg_binary_count_pages(b, seg_filter, &idx);
		snprintf(name, sizeof(name), "segment[%s].vmsize", s->name);
		rc |= put(b, name, sat(s->vmsize));
		snprintf(name, sizeof(name), "segment[%s].filesize", s->name);
		rc |= put(b, name, sat(s->filesize));
		if (b->has_fixups) {
			snprintf(name, sizeof(name), "segment[%s].relocs", s->name);
			rc |= put(b, name, sat(s->relocs));
			snprintf(name, sizeof(name), "segment[%s].dirty_pages", s->name);
			rc |= put(b, name, sat(s->dirty_pages));
			snprintf(name, sizeof(name), "segment[%s].dirty_bytes", s->name);
			rc |= put(b, name, sat_mul(sat(s->dirty_pages), ps));
		}
	}
	for (ix.cap = 16; ix.cap < 2 * b->nsecs; ix.cap *= 2)
		;
	if (!(ix.slots = calloc(ix.cap, sizeof(*ix.slots))))
		return RG_ENOMEM;
	for (i = 0; i < b->nsecs; i++) {
		snprintf(name, sizeof(name), "section[%s].size", b->secs[i].name);
		rc |= add_to(b, &ix, name, sat(b->secs[i].size));
	}
	free(ix.slots);
	if (b->has_fixups)
		rc |= section_fixup_metrics(b);
	if (b->oom)
		rc = RG_ENOMEM;
	return rc ? RG_ENOMEM : RG_OK;
}

int rg_metric_lookup(const rg_binary *b, const char *name, int64_t *value)
{
	size_t i;

	for (i = 0; i < b->nmetrics; i++)
		if (strcmp(b->metrics[i].name, name) == 0) {
			*value = b->metrics[i].value;
			return 1;
		}
	return 0;
}

static int in_list(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (strcmp(*list, name) == 0)
			return 1;
	return 0;
}

/* "PREFIX[NAME].FIELD" with a non-empty NAME and FIELD in fields. */
static int bracket_form(const char *name, const char *prefix, const char *const *fields)
{
	size_t pl = strlen(prefix);
	const char *close;

	if (strncmp(name, prefix, pl) != 0 || name[pl] != '[')
		return 0;
	close = strrchr(name, ']');
	if (!close || close == name + pl + 1 || close[1] != '.')
		return 0;
	return in_list(fields, close + 2);
}

/* Group metrics: computed from fixup attribution only when a budget
 * names them (docs/attribution.md). */
int rg_metric_is_group(const char *name)
{
	static const char *const pkg_fields[] = { "relocs", "dirty_pages", NULL };
	static const char *const sym_fields[] = { "relocs", NULL };

	return bracket_form(name, "package", pkg_fields) || bracket_form(name, "symbol", sym_fields);
}

int rg_metric_name_valid(const char *name)
{
	static const char *const seg_fields[] = { "vmsize", "filesize", "relocs",
	                                           "dirty_pages", "dirty_bytes", NULL };
	static const char *const sec_fields[] = { "size", "relocs", "dirty_pages", "dirty_bytes",
	                                           NULL };

	return in_list(fixed_names, name) || in_list(extra_names, name) ||
	       bracket_form(name, "segment", seg_fields) ||
	       bracket_form(name, "section", sec_fields) || rg_metric_is_group(name);
}

int rg_catalog_add(rg_binary *b, const char *name, int64_t value)
{
	return put(b, name, value);
}
