/*
 * model.c - the measurement model (model.h): segments, role regions,
 * sections and the fixup stream with its page bitmaps.
 *
 * Pages are tracked per region in a two-level bitmap whose 4 KiB chunks are
 * allocated only where a fixup lands, so a hostile segment claiming a
 * terabyte of address space costs nothing until fixups point into it, and a
 * real binary costs one bit per page. Regions never overlap and are kept
 * sorted, so counting distinct pages over any set of regions is one ordered
 * walk: a page shared by two adjacent regions (a segment boundary inside a
 * page) is counted once.
 */
#include "model.h"
#include "attr.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RG_MAX_PAGES (1ULL << 34) /* 64 TiB of 4 KiB pages per region */

int rg_err_set(rg_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->code != 0)
		return err ? err->code : code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

const char *rg_role_name(rg_role r)
{
	static const char *names[] = { "text", "rodata", "relro", "data", "none" };
	return r < RG_ROLE_COUNT ? names[r] : "none";
}

int rg_grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	size_t ncap;
	void *na;

	if (n < *cap)
		return RG_OK;
	ncap = *cap ? *cap * 2 : 8;
	if (ncap < *cap || ncap > SIZE_MAX / elem)
		return RG_ENOMEM;
	na = realloc(*arr, ncap * elem);
	if (!na)
		return RG_ENOMEM;
	*arr = na;
	*cap = ncap;
	return RG_OK;
}

rg_binary *rg_binary_new(const char *path, uint64_t forced_page_size)
{
	rg_binary *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->path = strdup(path ? path : "");
	if (!b->path) {
		free(b);
		return NULL;
	}
	b->page_size = forced_page_size ? forced_page_size : 4096;
	b->page_size_forced = forced_page_size != 0;
	return b;
}

void rg_binary_free(rg_binary *b)
{
	size_t i, j;

	if (!b)
		return;
	for (i = 0; i < b->nregs; i++) {
		for (j = 0; j < b->regs[i].nchunks; j++)
			free(b->regs[i].chunks[j]);
		free(b->regs[i].chunks);
	}
	for (i = 0; i < b->nnotes; i++)
		free(b->notes[i]);
	for (i = 0; i < b->npkgs; i++)
		free(b->pkgs[i].name);
	free(b->path);
	free(b->segs);
	free(b->secs);
	free(b->regs);
	free(b->extra);
	free(b->notes);
	free(b->info);
	free(b->pkgs);
	free(b->metrics);
	rg_attr_free(b->attr);
	free(b);
}

int rg_binary_list_push(rg_binary_list *l, rg_binary *b)
{
	if (rg_grow((void **)&l->items, &l->cap, l->n, sizeof(*l->items)) != RG_OK)
		return RG_ENOMEM;
	l->items[l->n++] = b;
	return RG_OK;
}

void rg_binary_list_free(rg_binary_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		rg_binary_free(l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

void rg_binary_set_page_size(rg_binary *b, uint64_t default_page_size)
{
	if (!b->page_size_forced && default_page_size)
		b->page_size = default_page_size;
}

int rg_binary_add_segment(rg_binary *b, const rg_segment *s)
{
	rg_segment *d;

	if (b->sealed)
		return RG_EINPUT;
	if (rg_grow((void **)&b->segs, &b->segcap, b->nsegs, sizeof(*b->segs)) != RG_OK)
		return RG_ENOMEM;
	d = &b->segs[b->nsegs];
	*d = *s;
	d->name[sizeof(d->name) - 1] = '\0';
	d->relocs = d->dirty_pages = 0;
	return (int)b->nsegs++;
}

int rg_binary_add_region(rg_binary *b, int seg, int overlay, rg_role role,
                         uint64_t start, uint64_t end, uint64_t filesize)
{
	rg_region *r;

	if (b->sealed || seg < 0 || (size_t)seg >= b->nsegs || end < start)
		return RG_EINPUT;
	if (end == start)
		return RG_OK;
	if (rg_grow((void **)&b->regs, &b->regcap, b->nregs, sizeof(*b->regs)) != RG_OK)
		return RG_ENOMEM;
	r = &b->regs[b->nregs++];
	memset(r, 0, sizeof(*r));
	r->start = start;
	r->end = end;
	r->filesize = filesize < end - start ? filesize : end - start;
	r->role = role;
	r->seg = seg;
	r->overlay = overlay;
	r->sec = -1;
	return RG_OK;
}

int rg_binary_add_section(rg_binary *b, const char *name, uint64_t addr,
                          uint64_t size, uint64_t fileoff, int zerofill)
{
	rg_section *s;

	if (rg_grow((void **)&b->secs, &b->seccap, b->nsecs, sizeof(*b->secs)) != RG_OK)
		return RG_ENOMEM;
	s = &b->secs[b->nsecs++];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->addr = addr;
	s->size = size;
	s->fileoff = fileoff;
	s->zerofill = zerofill;
	return RG_OK;
}

int rg_binary_add_metric(rg_binary *b, const char *name, int64_t value)
{
	rg_metric *m;
	size_t i;

	for (i = 0; i < b->nextra; i++)
		if (strcmp(b->extra[i].name, name) == 0) {
			b->extra[i].value = value;
			return RG_OK;
		}
	if (rg_grow((void **)&b->extra, &b->extracap, b->nextra, sizeof(*b->extra)) != RG_OK)
		return RG_ENOMEM;
	m = &b->extra[b->nextra++];
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->value = value;
	return RG_OK;
}

int rg_binary_add_note(rg_binary *b, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	char *s;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (rg_grow((void **)&b->notes, &b->notecap, b->nnotes, sizeof(*b->notes)) != RG_OK)
		return RG_ENOMEM;
	if (!(s = strdup(buf)))
		return RG_ENOMEM;
	b->notes[b->nnotes++] = s;
	return RG_OK;
}

int rg_binary_set_info(rg_binary *b, const char *key, const char *fmt, ...)
{
	rg_info *in = NULL;
	va_list ap;
	size_t i;

	for (i = 0; i < b->ninfo; i++)
		if (strcmp(b->info[i].key, key) == 0)
			in = &b->info[i];
	if (!in) {
		if (rg_grow((void **)&b->info, &b->infocap, b->ninfo, sizeof(*b->info)) != RG_OK)
			return RG_ENOMEM;
		in = &b->info[b->ninfo++];
		snprintf(in->key, sizeof(in->key), "%s", key);
	}
	va_start(ap, fmt);
	vsnprintf(in->value, sizeof(in->value), fmt, ap);
	va_end(ap);
	return RG_OK;
}

int rg_binary_add_symbol_hint(rg_binary *b, const char *name, uint64_t addr)
{
	if (b->nsyms >= sizeof(b->syms) / sizeof(b->syms[0]))
		return RG_OK;
	snprintf(b->syms[b->nsyms].name, sizeof(b->syms[0].name), "%s", name);
	b->syms[b->nsyms++].addr = addr;
	return RG_OK;
}

int rg_binary_find_symbol_hint(const rg_binary *b, const char *name, uint64_t *addr)
{
	size_t i;

	for (i = 0; i < b->nsyms; i++)
		if (strcmp(b->syms[i].name, name) == 0) {
			*addr = b->syms[i].addr;
			return 1;
		}
	return 0;
}

int rg_binary_add_pkg(rg_binary *b, const char *name, uint64_t funcs, uint64_t bytes)
{
	rg_pkg_stat *p;

	if (rg_grow((void **)&b->pkgs, &b->pkgcap, b->npkgs, sizeof(*b->pkgs)) != RG_OK)
		return RG_ENOMEM;
	p = &b->pkgs[b->npkgs];
	if (!(p->name = strdup(name)))
		return RG_ENOMEM;
	p->funcs = funcs;
	p->bytes = bytes;
	b->npkgs++;
	return RG_OK;
}

static int region_cmp(const void *a, const void *b)
{
	const rg_region *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}


/* A mapped section's range, for splitting regions. */
typedef struct sec_iv {
	uint64_t start, end;
	int sec;
} sec_iv;

static int iv_cmp(const void *a, const void *b)
{
	const sec_iv *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->sec < y->sec ? -1 : x->sec > y->sec;
}

/* Appends [start, end) of region r as a new region of section sec. */
static void put_piece(rg_region *out, size_t *n, const rg_region *r, uint64_t start,
                      uint64_t end, int sec)
{
	rg_region *p = &out[(*n)++];
	uint64_t fend = r->start + r->filesize;

	*p = *r;
	p->start = start;
	p->end = end;
	p->filesize = fend <= start ? 0 : fend >= end ? end - start : fend - start;
	p->sec = sec;
}

/*
 * Splits the (sorted, disjoint) regions at the boundaries of the mapped
 * sections, so that each region lies inside one section or in no section.
 * Overlapping sections are clipped: the one starting first (then the one
 * listed first) keeps the shared bytes.
 */
static int split_by_sections(rg_binary *b)
{
	sec_iv *iv;
	rg_region *out;
	size_t niv = 0, n = 0, i, j = 0, k, cap;

	if (!b->nsecs || !b->nregs)
		return RG_OK;
	if (!(iv = malloc(b->nsecs * sizeof(*iv))))
		return RG_ENOMEM;
	for (i = 0; i < b->nsecs; i++) {
		const rg_section *s = &b->secs[i];
		if (s->unmapped || s->size == 0 || s->addr + s->size < s->addr)
			continue;
		iv[niv].start = s->addr;
		iv[niv].end = s->addr + s->size;
		iv[niv++].sec = (int)i;
	}
	qsort(iv, niv, sizeof(*iv), iv_cmp);
	for (i = 0, k = 0; i < niv; i++) {
		if (k && iv[i].start < iv[k - 1].end)
			iv[i].start = iv[k - 1].end;
		if (iv[i].start < iv[i].end)
			iv[k++] = iv[i];
	}
	niv = k;
	cap = b->nregs + 2 * niv;
	if (!niv || !(out = malloc(cap * sizeof(*out)))) {
		free(iv);
		return niv ? RG_ENOMEM : RG_OK;
	}
	for (i = 0; i < b->nregs; i++) {
		const rg_region *r = &b->regs[i];
		uint64_t pos = r->start;

		while (j < niv && iv[j].end <= r->start)
			j++;
		for (; j < niv && iv[j].start < r->end; j++) {
			uint64_t s = iv[j].start > pos ? iv[j].start : pos;
			uint64_t e = iv[j].end < r->end ? iv[j].end : r->end;
			if (s > pos)
				put_piece(out, &n, r, pos, s, -1);
			put_piece(out, &n, r, s, e, iv[j].sec);
			pos = e;
			if (iv[j].end > r->end)
				break; /* the section goes on into the next region */
		}
		if (pos < r->end)
			put_piece(out, &n, r, pos, r->end, -1);
	}
	free(iv);
	free(b->regs);
	b->regs = out;
	b->nregs = n;
	b->regcap = cap;
	return RG_OK;
}

int rg_binary_seal(rg_binary *b, rg_err *err)
{
	size_t i, j, k;

	if (b->sealed)
		return RG_OK;
	if (b->page_size < 512 || (b->page_size & (b->page_size - 1)))
		return rg_err_set(err, RG_EINPUT, "page size %llu is not a power of two >= 512",
		                  (unsigned long long)b->page_size);
	for (b->page_shift = 0; (1ull << b->page_shift) < b->page_size; b->page_shift++)
		;
	b->last_page = UINT64_MAX;
	b->last_reg = (size_t)-1;
	b->cur_start = b->cur_len = 0;
	/* Segments without explicit regions get one covering them. */
	for (i = 0; i < b->nsegs; i++) {
		const rg_segment *s = &b->segs[i];
		int has = 0;

		if (s->overlay || s->unmapped || s->vmsize == 0)
			continue;
		for (j = 0; j < b->nregs; j++)
			if (b->regs[j].seg == (int)i)
				has = 1;
		if (has)
			continue;
		if (s->vmaddr + s->vmsize < s->vmaddr)
			return rg_err_set(err, RG_EINPUT, "segment %s wraps around the address space",
			                  s->name);
		if (rg_binary_add_region(b, (int)i, -1, s->role, s->vmaddr,
		                         s->vmaddr + s->vmsize, s->filesize) != RG_OK)
			return rg_err_set(err, RG_ENOMEM, "out of memory");
	}
	if (b->nregs)
		qsort(b->regs, b->nregs, sizeof(*b->regs), region_cmp);
	/* Clip overlaps so every address belongs to at most one region. */
	for (i = 1, k = b->nregs ? 1 : 0; i < b->nregs; i++) {
		rg_region r = b->regs[i];
		const rg_region *prev = &b->regs[k - 1];

		if (r.start < prev->end)
			r.start = prev->end;
		if (r.start >= r.end)
			continue;
		b->regs[k++] = r;
	}
	if (b->nregs && k != b->nregs)
		rg_binary_add_note(b, "overlapping segments: %zu region(s) clipped", b->nregs - k);
	b->nregs = k;
	if (split_by_sections(b) != RG_OK)
		return rg_err_set(err, RG_ENOMEM, "out of memory");
	for (i = 0; i < b->nregs; i++) {
		rg_region *r = &b->regs[i];

		r->first_page = r->start / b->page_size;
		r->npages = (r->end - 1) / b->page_size - r->first_page + 1;
		if (r->npages > RG_MAX_PAGES)
			return rg_err_set(err, RG_EINPUT, "segment %s claims an absurd size (%llu bytes)",
			                  b->segs[r->seg].name,
			                  (unsigned long long)(r->end - r->start));
	}
	b->sealed = 1;
	return RG_OK;
}

/* The index of the region holding addr, or (not found) of the first
 * region after addr, nregs when none; *hit says which. */
static size_t region_search(const rg_binary *b, uint64_t addr, int *hit)
{
	size_t lo = 0, hi = b->nregs;

	*hit = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (addr < b->regs[mid].start)
			hi = mid;
		else if (addr >= b->regs[mid].end)
			lo = mid + 1;
		else {
			*hit = 1;
			return mid;
		}
	}
	return lo;
}

static size_t find_region(const rg_binary *b, uint64_t addr)
{
	int hit;
	size_t i = region_search(b, addr, &hit);

	return hit ? i : (size_t)-1;
}

/* Words of chunk c of r: a small region (one section) needs few. */
static size_t chunk_words(const rg_region *r, size_t c)
{
	uint64_t left = r->npages - (uint64_t)c * RG_CHUNK_PAGES;

	if (left > RG_CHUNK_PAGES)
		left = RG_CHUNK_PAGES;
	return (size_t)((left + 63) / 64);
}

static void set_page(rg_binary *b, rg_region *r, uint64_t abs_page)
{
	uint64_t page = abs_page - r->first_page;
	size_t ci = (size_t)(page / RG_CHUNK_PAGES);
	uint64_t bit = page % RG_CHUNK_PAGES;

	if (!r->chunks) {
		size_t n = (size_t)((r->npages + RG_CHUNK_PAGES - 1) / RG_CHUNK_PAGES);
		if (b->bitmap_bytes + n * sizeof(*r->chunks) > RG_MAX_BITMAP_BYTES) {
			b->too_sparse = 1;
			return;
		}
		b->bitmap_bytes += n * sizeof(*r->chunks);
		r->nchunks = n;
		r->chunks = calloc(r->nchunks, sizeof(*r->chunks));
		if (!r->chunks) {
			r->nchunks = 0;
			b->oom = 1;
			return;
		}
	}
	if (!r->chunks[ci]) {
		size_t words = chunk_words(r, ci);
		if (b->bitmap_bytes + words * 8 > RG_MAX_BITMAP_BYTES) {
			b->too_sparse = 1;
			return;
		}
		b->bitmap_bytes += words * 8;
		r->chunks[ci] = calloc(words, sizeof(uint64_t));
		if (!r->chunks[ci]) {
			b->oom = 1;
			return;
		}
	}
	r->chunks[ci][bit / 64] |= 1ULL << (bit % 64);
	b->last_page = abs_page;
}

void rg_fixup_slow(rg_binary *b, uint64_t addr, rg_fixup_kind kind, int lazy)
{
	size_t i = b->last_reg;
	uint64_t page = addr >> b->page_shift;
	rg_region *r;

	if (i >= b->nregs || addr < b->regs[i].start || addr >= b->regs[i].end) {
		i = find_region(b, addr);
		if (i == (size_t)-1) {
			rg_fixup_count(b, NULL, kind, lazy, 1);
			return;
		}
		b->last_reg = i;
		b->cur_start = b->regs[i].start;
		b->cur_len = b->regs[i].end - b->regs[i].start;
		b->last_page = UINT64_MAX;
	}
	r = &b->regs[i];
	rg_fixup_count(b, r, kind, lazy, 1);
	/* Fixups come in address order more often than not (tables, chains
	 * within a page): the page of the last one is already marked. */
	if (page != b->last_page)
		set_page(b, r, page);
}

void rg_fixup_run(rg_binary *b, uint64_t addr, uint64_t stride, uint64_t count,
                  rg_fixup_kind kind, int lazy)
{
	while (count) {
		rg_region *r;
		uint64_t k, last, page;

		/* The first fixup goes the ordinary way: it finds (and caches)
		 * the region, or counts as outside. */
		rg_fixup(b, addr, kind, lazy);
		count--;
		if (b->last_reg >= b->nregs || addr < b->regs[b->last_reg].start ||
		    addr >= b->regs[b->last_reg].end) {
			addr += stride;
			continue;
		}
		r = &b->regs[b->last_reg];
		/* k more fixups lie in this region, the last at `last`. */
		k = (r->end - 1 - addr) / stride;
		if (k > count)
			k = count;
		if (k == 0) {
			addr += stride;
			continue;
		}
		last = addr + k * stride;
		rg_fixup_count(b, r, kind, lazy, k);
		if (stride < b->page_size) {
			/* Consecutive fixups are less than a page apart: every
			 * page from the first to the last holds one. */
			for (page = (addr >> b->page_shift) + 1; page <= last >> b->page_shift; page++)
				set_page(b, r, page);
		} else {
			uint64_t a = addr, j;

			for (j = 0; j < k; j++) {
				a += stride;
				set_page(b, r, a >> b->page_shift);
			}
		}
		count -= k;
		addr = last + stride;
	}
}

long rg_binary_region_at(const rg_binary *b, uint64_t addr)
{
	size_t i = find_region(b, addr);
	return i == (size_t)-1 ? -1 : (long)i;
}

uint64_t rg_binary_span_end(const rg_binary *b, uint64_t addr)
{
	int hit;
	size_t i = region_search(b, addr, &hit);

	if (hit)
		return b->regs[i].end - 1;
	/* In a gap: it ends where the next region starts. */
	return i < b->nregs ? b->regs[i].start - 1 : UINT64_MAX;
}

int rg_binary_segment_at(const rg_binary *b, uint64_t addr)
{
	size_t i;

	if (b->sealed) {
		i = find_region(b, addr);
		return i == (size_t)-1 ? -1 : b->regs[i].seg;
	}
	for (i = 0; i < b->nsegs; i++) {
		const rg_segment *s = &b->segs[i];
		if (!s->overlay && !s->unmapped && addr >= s->vmaddr && addr - s->vmaddr < s->vmsize)
			return (int)i;
	}
	return -1;
}

/* x, an address (or a file offset when from_file), through the first
 * mapped segment whose file bytes hold it; -1 when none does. */
static int seg_translate(const rg_binary *b, uint64_t x, int from_file, uint64_t *out)
{
	size_t i;

	for (i = 0; i < b->nsegs; i++) {
		const rg_segment *s = &b->segs[i];
		uint64_t from = from_file ? s->fileoff : s->vmaddr;
		if (s->overlay || s->unmapped || x < from)
			continue;
		if (x - from < s->filesize && x - from < s->vmsize) {
			*out = (from_file ? s->vmaddr : s->fileoff) + (x - from);
			return 0;
		}
	}
	return -1;
}

int rg_binary_vaddr_to_off(const rg_binary *b, uint64_t addr, uint64_t *off)
{
	return seg_translate(b, addr, 0, off);
}

int rg_binary_off_to_vaddr(const rg_binary *b, uint64_t off, uint64_t *addr)
{
	return seg_translate(b, off, 1, addr);
}

/* Index of the highest set bit of a non-zero word. */
static int highbit64(uint64_t x)
{
#if defined(__GNUC__)
	return 63 - __builtin_clzll(x);
#else
	int n = 0;
	while (x >>= 1)
		n++;
	return n;
#endif
}

/* Calls fn for every non-zero word of r's page bitmap, with the page of
 * its bit 0, in page order; stops at the first non-zero return. */
static int each_word(const rg_region *r, int (*fn)(uint64_t word, uint64_t base, void *arg),
                     void *arg)
{
	size_t c, w;

	for (c = 0; c < r->nchunks; c++) {
		const uint64_t *bits = r->chunks[c];
		size_t nw = chunk_words(r, c);
		if (!bits)
			continue;
		for (w = 0; w < nw; w++)
			if (bits[w] && fn(bits[w], r->first_page + (uint64_t)c * RG_CHUNK_PAGES +
			                               (uint64_t)w * 64, arg))
				return 1;
	}
	return 0;
}

typedef struct page_count {
	uint64_t count, last;
	int have_last;
} page_count;

static int count_word(uint64_t word, uint64_t base, void *arg)
{
	page_count *pc = arg;

	/* Only the lowest page of a region can equal the last page counted
	 * for the previous region. */
	if (pc->have_last && base <= pc->last) {
		uint64_t bit = pc->last - base;
		if (bit < 64 && (word >> bit) & 1)
			word &= ~(1ULL << bit);
		if (!word)
			return 0;
	}
	pc->count += (uint64_t)rg_popcount64(word);
	pc->last = base + (uint64_t)highbit64(word);
	pc->have_last = 1;
	return 0;
}

uint64_t rg_binary_count_pages(const rg_binary *b, rg_region_filter f, const void *arg)
{
	page_count pc = { 0, 0, 0 };
	size_t i;

	for (i = 0; i < b->nregs; i++) {
		const rg_region *r = &b->regs[i];

		if (r->chunks && (!f || f(r, arg)))
			each_word(r, count_word, &pc);
	}
	return pc.count;
}

typedef struct page_call {
	int (*fn)(uint64_t page, void *arg);
	void *arg;
} page_call;

static int call_pages(uint64_t word, uint64_t base, void *arg)
{
	page_call *pc = arg;

	for (; word; word &= word - 1)
		if (pc->fn(base + (uint64_t)rg_ctz64(word), pc->arg))
			return 1;
	return 0;
}

int rg_region_each_page(const rg_region *r, int (*fn)(uint64_t page, void *arg), void *arg)
{
	page_call pc = { fn, arg };

	return each_word(r, call_pages, &pc);
}
