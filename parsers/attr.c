/*
 * attr.c - fixup attribution (attr.h, docs/attribution.md).
 *
 * Cells: counts of the fixups of one place (symbol or gap, region) on one
 * page. The ELF fast path adds them as it walks, once the symbols are
 * sealed; the other walks append records, one per fixup (parallel
 * arrays), which rg_attr_finish() places by one merge walk in address
 * order and turns into cells. Symbols: one table per binary (ELF .symtab else
 * .dynsym, Mach-O LC_SYMTAB, PE COFF, else the Go pclntab's functions),
 * sorted by address; several names at one address resolve to one by a
 * fixed rule (a global before a local, then the larger table size, then the
 * smaller name in byte order); each symbol ends where its size says (ELF)
 * or at the next symbol or the end of its section (Mach-O, PE, pclntab),
 * and never past the start of the next symbol.
 *
 * Rows: cells are mapped to group ids through per-symbol, per-region
 * and per-import caches, so the names of a key are built once per symbol,
 * not once per fixup; pages are counted over the cells in page order (a
 * radix sort), where a group's page repeats only as its last one.
 */
#include "attr.h"
#include "pclntab.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NAME 1024           /* longer names are truncated */
#define MAX_POOL (1u << 30)     /* string pool cap: offsets are 32-bit */

int rg_attr_enable(rg_binary *b, unsigned want)
{
	rg_attr *a;

	if (!want || b->attr)
		return RG_OK;
	if (!(a = calloc(1, sizeof(*a))) || !(a->pool = malloc(4096))) {
		free(a);
		return RG_ENOMEM;
	}
	a->want = want;
	a->pool[0] = '\0';
	a->poollen = 1;
	a->poolcap = 4096;
	b->attr = a;
	return RG_OK;
}

void rg_attr_free(rg_attr *a)
{
	if (!a)
		return;
	free(a->addr);
	free(a->flags);
	free(a->target);
	free(a->pool);
	free(a->imps);
	free(a->imp_hash);
	free(a->syms);
	free(a->sym_bucket);
	free(a->sym_hash);
	if (a->keep_free)
		a->keep_free(a->keep);
	free(a->cells);
	free(a->cell_order);
	free(a->tcells);
	free(a);
}

/* Grows the record arrays to hold cap records. */
static int recs_grow(rg_binary *b, size_t cap)
{
	rg_attr *a = b->attr;
	uint64_t *na, *nt = NULL;
	uint8_t *nf;

	if (cap <= a->reccap)
		return RG_OK;
	if (cap > SIZE_MAX / sizeof(uint64_t))
		return RG_ENOMEM;
	if (!(na = realloc(a->addr, cap * sizeof(*na))))
		return RG_ENOMEM;
	a->addr = na;
	if (!(nf = realloc(a->flags, cap)))
		return RG_ENOMEM;
	a->flags = nf;
	/* Targets are kept without RG_ATTR_TARGETS too, but in ELF: Go's
	 * unnamed data is found through the fixups that point to it, in the
	 * formats whose symbols have no size (go_cut). */
	if (a->target || (a->want & RG_ATTR_TARGETS) || strcmp(b->format, "elf")) {
		if (!(nt = realloc(a->target, cap * sizeof(*nt))))
			return RG_ENOMEM;
		a->target = nt;
	}
	a->reccap = cap;
	return RG_OK;
}

void rg_attr_reserve(rg_binary *b, size_t n)
{
	rg_attr *a = b->attr;

	if (a && n <= SIZE_MAX / 16 - a->nrecs && recs_grow(b, a->nrecs + n) != RG_OK)
		b->oom = 1;
}

/* Reservations stop here: past it, arrays grow as they fill. */
#define MAX_RESERVE ((size_t)1 << 20)

/* Room in *arr (cap entries of elem bytes, have used) for n more, or for
 * MAX_RESERVE more when n is larger. */
static void reserve(rg_binary *b, void **arr, size_t *cap, size_t have, size_t n, size_t elem)
{
	void *na;

	if (n > MAX_RESERVE)
		n = MAX_RESERVE;
	if (have + n <= *cap)
		return;
	if (have + n > SIZE_MAX / elem || !(na = realloc(*arr, (have + n) * elem))) {
		b->oom = 1;
		return;
	}
	*arr = na;
	*cap = have + n;
}

void rg_attr_reserve_cells(rg_binary *b, size_t n)
{
	rg_attr *a = b->attr;

	if (a)
		reserve(b, (void **)&a->cells, &a->cellcap, a->ncells, n, sizeof(*a->cells));
}

void rg_attr_reserve_syms(rg_binary *b, size_t n)
{
	rg_attr *a = b->attr;

	if (a)
		reserve(b, (void **)&a->syms, &a->symcap, a->nsyms, n, sizeof(*a->syms));
}

void rg_attr_fix_grow(rg_binary *b, uint64_t addr, unsigned flags, uint64_t target)
{
	rg_attr *a = b->attr;

	if (a->nrecs == a->reccap &&
	    recs_grow(b, a->reccap ? a->reccap * 2 : 4096) != RG_OK) {
		b->oom = 1;
		return;
	}
	rg_attr_put(a, addr, flags, target);
}

void rg_attr_fix_run(rg_binary *b, uint64_t addr, uint64_t stride, uint64_t count,
                     rg_fixup_kind kind, int lazy, int tgt, uint64_t target)
{
	for (; b->attr && count && !b->oom; count--, addr += stride)
		rg_attr_fix(b, addr, kind, lazy, tgt, target);
}

/* Room for n more bytes in the pool (RG_ENOMEM past its cap). */
static int pool_reserve(rg_attr *a, size_t n)
{
	size_t cap = a->poolcap;
	char *np;

	if (n > MAX_POOL || a->poollen + n > MAX_POOL)
		return RG_ENOMEM;
	while (a->poollen + n > cap)
		cap *= 2;
	if (cap == a->poolcap)
		return RG_OK;
	if (!(np = realloc(a->pool, cap)))
		return RG_ENOMEM;
	a->pool = np;
	a->poolcap = cap;
	return RG_OK;
}

/* Appends s[0..len) to the pool; its offset, or 0 when out of room. */
static uint32_t pool_add(rg_attr *a, const char *s, size_t len)
{
	uint32_t at;

	if (len > MAX_NAME)
		len = MAX_NAME;
	if (pool_reserve(a, len + 1) != RG_OK)
		return 0;
	at = (uint32_t)a->poollen;
	memcpy(a->pool + at, s, len);
	a->pool[at + len] = '\0';
	a->poollen += len + 1;
	return at;
}

static uint64_t fnv(const char *s, size_t n, uint64_t h)
{
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

/* A hash of s[0..n), eight bytes a step. */
static uint64_t name_hash(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 29);
}

static int imp_rehash(rg_attr *a)
{
	size_t ncap = a->imp_hcap ? a->imp_hcap * 2 : 256, i;
	uint32_t *nh = calloc(ncap, sizeof(*nh));

	if (!nh)
		return RG_ENOMEM;
	for (i = 0; i < a->nimps; i++) {
		const rg_import *im = &a->imps[i];
		const char *l = a->pool + im->lib, *n = a->pool + im->name;
		uint64_t h = fnv(n, strlen(n), fnv(l, strlen(l) + 1, 1469598103934665603ULL));
		size_t j = h & (ncap - 1);
		while (nh[j])
			j = (j + 1) & (ncap - 1);
		nh[j] = (uint32_t)i + 1;
	}
	free(a->imp_hash);
	a->imp_hash = nh;
	a->imp_hcap = ncap;
	return RG_OK;
}

uint32_t rg_attr_import(rg_binary *b, const char *lib, const char *name, size_t namelen)
{
	rg_attr *a = b->attr;
	size_t llen, j;
	uint64_t h;
	rg_import *im;

	if (!a)
		return UINT32_MAX;
	if (!lib)
		lib = "";
	if (namelen > MAX_NAME)
		namelen = MAX_NAME;
	llen = strlen(lib);
	if ((a->nimps + 1) * 2 > a->imp_hcap && imp_rehash(a) != RG_OK)
		goto oom;
	h = fnv(name, namelen, fnv(lib, llen + 1, 1469598103934665603ULL));
	for (j = h & (a->imp_hcap - 1); a->imp_hash[j]; j = (j + 1) & (a->imp_hcap - 1)) {
		im = &a->imps[a->imp_hash[j] - 1];
		if (!strcmp(a->pool + im->lib, lib) && !strncmp(a->pool + im->name, name, namelen) &&
		    a->pool[im->name + namelen] == '\0')
			return a->imp_hash[j] - 1;
	}
	if (rg_grow((void **)&a->imps, &a->impcap, a->nimps, sizeof(*a->imps)) != RG_OK)
		goto oom;
	im = &a->imps[a->nimps];
	im->lib = llen ? pool_add(a, lib, llen) : 0;
	im->name = pool_add(a, name, namelen);
	if ((llen && !im->lib) || (namelen && !im->name))
		goto oom;
	a->imp_hash[j] = (uint32_t)++a->nimps;
	return (uint32_t)(a->nimps - 1);
oom:
	b->oom = 1;
	return UINT32_MAX;
}

/* One more symbol, named by name (an offset into the pool, or into the
 * file's string table when in_file); RG_ENOMEM when it cannot grow. */
static int new_sym(rg_binary *b, uint64_t name, int in_file, uint64_t addr, uint64_t size,
                   int global, int sized)
{
	rg_attr *a = b->attr;
	rg_asym *s;

	if (rg_grow((void **)&a->syms, &a->symcap, a->nsyms, sizeof(*a->syms)) != RG_OK)
		return RG_ENOMEM;
	s = &a->syms[a->nsyms++];
	a->nsyms_loaded++;
	s->addr = addr;
	s->end = size;
	s->global = (uint8_t)(global != 0);
	s->sized = (uint8_t)(sized != 0);
	s->in_file = (uint8_t)(in_file != 0);
	s->anon = 0;
	s->pkg = 0;
	s->name = name;
	return RG_OK;
}

int rg_attr_add_sym(rg_binary *b, const char *name, size_t len, uint64_t addr, uint64_t size,
                    int global, int sized)
{
	uint32_t at;

	if (!b->attr)
		return RG_OK;
	if (!(at = pool_add(b->attr, name, len)) && len)
		return RG_ENOMEM;
	return new_sym(b, at, 0, addr, size, global, sized);
}

int rg_attr_add_sym_at(rg_binary *b, uint64_t name_off, uint64_t addr, uint64_t size,
                       int global, int sized)
{
	return b->attr ? new_sym(b, name_off, 1, addr, size, global, sized) : RG_OK;
}

void rg_attr_drop_syms(rg_binary *b, const char *why)
{
	if (!b->attr)
		return;
	rg_attr_clear_syms(b);
	b->attr->symsrc[0] = '\0';
	rg_binary_add_note(b, "attribution: %s; fixups are attributed to sections only", why);
}

void rg_attr_clear_syms(rg_binary *b)
{
	rg_attr *a = b->attr;

	if (!a)
		return;
	a->nsyms = a->nsyms_loaded = 0;
	a->syms_sealed = 0;
	if (a->ncells)
		a->cells_stale = 1; /* their symbol indexes meant the old table */
}

/* ---- finishing: symbols -------------------------------------------------- */

static const char *pool_str(const rg_attr *a, uint32_t off)
{
	return a->pool + off;
}

/* A symbol's name while finishing: in the pool, or in the binary. */
static const char *sym_name(const rg_attr *a, const rg_view *slice, const rg_asym *s)
{
	if (!s->in_file)
		return a->pool + s->name;
	return s->name < slice->size ? (const char *)slice->data + s->name : "";
}

/* Which of two symbols at one address names it: a global before a local,
 * then the larger table size, then the smaller name in byte order. */
static int sym_better(const rg_attr *a, const rg_view *slice, const rg_asym *p, const rg_asym *q)
{
	uint64_t ps = p->sized ? p->end : 0, qs = q->sized ? q->end : 0;

	if (p->global != q->global)
		return p->global;
	if (ps != qs)
		return ps > qs;
	return strcmp(sym_name(a, slice, p), sym_name(a, slice, q)) < 0;
}

/* End of the section holding addr, or addr when none. */
static uint64_t container_end(const rg_binary *b, uint64_t addr)
{
	long r = rg_binary_region_at(b, addr);
	const rg_region *reg;

	if (r < 0)
		return addr;
	reg = &b->regs[r];
	if (reg->sec >= 0)
		return b->secs[reg->sec].addr + b->secs[reg->sec].size;
	return addr; /* in no section: an empty extent */
}

static int radix_sort(uint32_t *idx, const uint64_t *key, size_t n);

/* Sorts the symbols by address, keeps one per address, gives each its
 * extent and copies the names kept into the pool. */
static int finish_syms(rg_binary *b, const rg_view *slice)
{
	rg_attr *a = b->attr;
	uint32_t *idx;
	uint64_t *key;
	size_t i, j, k, n = a->nsyms;

	if (!n)
		return RG_OK;
	idx = malloc(n * sizeof(*idx));
	key = malloc(n * sizeof(*key));
	if (!idx || !key || n > UINT32_MAX)
		goto oom;
	for (i = 0; i < n; i++) {
		idx[i] = (uint32_t)i;
		key[i] = a->syms[i].addr;
	}
	if (radix_sort(idx, key, n) != RG_OK)
		goto oom;
	/* In place: syms[i] becomes the old syms[idx[i]], cycle by cycle. */
	for (i = 0; i < n; i++) {
		rg_asym first;
		if (idx[i] == i)
			continue;
		first = a->syms[i];
		for (j = i; idx[j] != i; j = k) {
			k = idx[j];
			a->syms[j] = a->syms[k];
			idx[j] = (uint32_t)j;
		}
		a->syms[j] = first;
		idx[j] = (uint32_t)j;
	}
	for (i = 0, k = 0; i < n; i++) {
		const rg_asym s = a->syms[i];
		if (k && a->syms[k - 1].addr == s.addr) {
			if (sym_better(a, slice, &s, &a->syms[k - 1]))
				a->syms[k - 1] = s;
			continue;
		}
		a->syms[k++] = s;
	}
	for (i = 0, n = k, k = 0; i < n; i++) {
		rg_asym s = a->syms[i];
		uint64_t next = i + 1 < n ? a->syms[i + 1].addr : UINT64_MAX, end;

		if (s.sized)
			end = s.end > UINT64_MAX - s.addr ? UINT64_MAX : s.addr + s.end;
		else
			end = container_end(b, s.addr);
		if (end > next)
			end = next;
		if (end <= s.addr)
			continue; /* an empty extent holds nothing */
		s.end = end;
		a->syms[k++] = s;
	}
	a->nsyms = k;
	free(idx);
	free(key);
	return RG_OK;
oom:
	free(idx);
	free(key);
	return RG_ENOMEM;
}

/*
 * The index of the symbols' starts: bucket b of addresses [base + (b <<
 * shift), base + ((b + 1) << shift)) holds the starts sym_bucket[b] to
 * sym_bucket[b + 1] - 1, with about two buckets a symbol; a search then
 * looks at a bucket's few symbols, not at all of them.
 */
static int index_syms(rg_attr *a)
{
	uint64_t span;
	size_t i, b, nb;
	unsigned shift = 0;

	free(a->sym_bucket);
	a->sym_bucket = NULL;
	if (!a->nsyms)
		return RG_OK;
	a->sym_base = a->syms[0].addr;
	span = a->syms[a->nsyms - 1].addr - a->sym_base;
	while (shift < 63 && (span >> shift) >= 2 * (uint64_t)a->nsyms)
		shift++;
	nb = (size_t)(span >> shift) + 1;
	if (!(a->sym_bucket = malloc((nb + 1) * sizeof(*a->sym_bucket))))
		return RG_ENOMEM;
	for (b = 0, i = 0; b < nb; b++) {
		while (i < a->nsyms && ((a->syms[i].addr - a->sym_base) >> shift) < b)
			i++;
		a->sym_bucket[b] = (uint32_t)i;
	}
	a->sym_bucket[nb] = (uint32_t)a->nsyms;
	a->sym_shift = shift;
	a->nbuckets = nb;
	return RG_OK;
}

int rg_attr_seal_syms(rg_binary *b, const rg_view *slice)
{
	rg_attr *a = b->attr;

	if (!a || a->syms_sealed)
		return RG_OK;
	if (finish_syms(b, slice) != RG_OK)
		return RG_ENOMEM;
	if (index_syms(a) != RG_OK)
		return RG_ENOMEM;
	a->syms_sealed = 1;
	return RG_OK;
}

/* The index of the first symbol starting after addr (nsyms when none
 * does), searched in addr's bucket of the index of starts. */
static size_t sym_after(const rg_attr *a, uint64_t addr)
{
	size_t l = 0, h = 0;

	if (a->nsyms && addr >= a->sym_base) {
		uint64_t bk = (addr - a->sym_base) >> a->sym_shift;
		if (bk >= a->nbuckets) {
			l = h = a->nsyms;
		} else {
			l = a->sym_bucket[bk];
			h = a->sym_bucket[bk + 1];
		}
	}
	while (l < h) { /* the first symbol starting after addr */
		size_t mid = l + (h - l) / 2;
		if (addr < a->syms[mid].addr)
			h = mid;
		else
			l = mid + 1;
	}
	return l;
}

int32_t rg_attr_sym_span(rg_attr *a, uint64_t addr, uint64_t *lo, uint64_t *hi)
{
	size_t l;

	if (a->nunloaded && rg_attr_unloaded_at(a, addr))
		a->cells_stale = 1;
	l = sym_after(a, addr);
	/* syms[l - 1] starts at or before addr, syms[l] after it. */
	*hi = l < a->nsyms ? a->syms[l].addr : UINT64_MAX;
	*lo = 0;
	if (!l)
		return -1;
	if (addr < a->syms[l - 1].end) {
		*lo = a->syms[l - 1].addr;
		*hi = a->syms[l - 1].end;
		return (int32_t)(l - 1);
	}
	*lo = a->syms[l - 1].end;
	return -1;
}

/* Adds fixups (all lazy, or none) to the last cell of *cells when it has
 * this key and room in its 32-bit counters, else to new cells. */
static int cell_add(rg_acell **cells, size_t *n, size_t *cap, const rg_acell *key,
                    uint64_t relative, uint64_t symbolic, int lazy)
{
	const uint64_t most = (uint64_t)1 << 30; /* added to a cell at once */

	while (relative || symbolic) {
		uint64_t r = relative < most ? relative : most;
		uint64_t y = symbolic < most - r ? symbolic : most - r;
		rg_acell *c = *n ? &(*cells)[*n - 1] : NULL;

		if (!c || c->page != key->page || c->sym != key->sym || c->reg != key->reg ||
		    c->kind != key->kind || c->paged != key->paged ||
		    (uint64_t)c->relative + c->symbolic + r + y > UINT32_MAX) {
			if (rg_grow((void **)cells, cap, *n, sizeof(**cells)) != RG_OK)
				return RG_ENOMEM;
			c = &(*cells)[(*n)++];
			*c = *key;
			c->relative = c->symbolic = c->lazy = 0;
		}
		c->relative += (uint32_t)r;
		c->symbolic += (uint32_t)y;
		if (lazy)
			c->lazy += (uint32_t)(r + y);
		relative -= r;
		symbolic -= y;
	}
	return RG_OK;
}

void rg_attr_cell(rg_binary *b, uint64_t page, int32_t sym, int32_t reg, uint64_t relative,
                  uint64_t symbolic, int lazy)
{
	rg_attr *a = b->attr;
	rg_acell key, *c = a->ncells ? &a->cells[a->ncells - 1] : NULL;

	if (c && a->ncells < a->cellcap && relative + symbolic < ((uint64_t)1 << 30)) {
		/* The common cases, inline: a new cell with room for it, or
		 * more fixups in the last one. */
		if (c->page == page && c->sym == sym && c->reg == reg && c->kind == RG_CELL_PLACE &&
		    (uint64_t)c->relative + c->symbolic + relative + symbolic <= UINT32_MAX) {
			c->relative += (uint32_t)relative;
			c->symbolic += (uint32_t)symbolic;
			c->lazy += lazy ? (uint32_t)(relative + symbolic) : 0;
			return;
		}
		c++;
		a->ncells++;
		c->page = page;
		c->sym = sym;
		c->reg = reg;
		c->relative = (uint32_t)relative;
		c->symbolic = (uint32_t)symbolic;
		c->lazy = lazy ? (uint32_t)(relative + symbolic) : 0;
		c->kind = RG_CELL_PLACE;
		c->paged = reg >= 0;
		return;
	}
	memset(&key, 0, sizeof(key));
	key.page = page;
	key.sym = sym;
	key.reg = reg;
	key.kind = RG_CELL_PLACE;
	key.paged = reg >= 0;
	if (cell_add(&a->cells, &a->ncells, &a->cellcap, &key, relative, symbolic, lazy) != RG_OK)
		b->oom = 1;
}

/* The symbol whose extent holds addr, or -1; hint: the last hit. Only
 * once the symbols are sealed (their index built). */
static int32_t sym_at(const rg_attr *a, uint64_t addr, int32_t *hint)
{
	size_t lo;

	if (*hint >= 0 && addr >= a->syms[*hint].addr && addr < a->syms[*hint].end)
		return *hint;
	lo = sym_after(a, addr);
	if (lo == 0 || addr >= a->syms[lo - 1].end)
		return -1;
	*hint = (int32_t)(lo - 1);
	return *hint;
}

/* ---- finishing: records -------------------------------------------------- */

/* LSD radix sort of idx[0..n) by key[], 11 bits a pass, skipping digits
 * that never vary; tmp holds n entries. Stable. */
static int radix(uint32_t *idx, uint32_t *tmp, const uint64_t *key, size_t n)
{
	size_t *cnt = malloc(2048 * sizeof(*cnt)), i;
	uint64_t all_or = 0, all_and = UINT64_MAX;
	uint32_t *src = idx, *dst = tmp;
	unsigned shift;

	if (!cnt)
		return RG_ENOMEM;
	for (i = 0; i < n; i++) {
		all_or |= key[idx[i]];
		all_and &= key[idx[i]];
	}
	for (shift = 0; shift < 64; shift += 11) {
		size_t sum = 0, c;
		uint32_t *t;

		if ((((all_or ^ all_and) >> shift) & 0x7ff) == 0)
			continue;
		memset(cnt, 0, 2048 * sizeof(*cnt));
		for (i = 0; i < n; i++)
			cnt[(key[src[i]] >> shift) & 0x7ff]++;
		for (c = 0; c < 2048; c++) {
			size_t t2 = cnt[c];
			cnt[c] = sum;
			sum += t2;
		}
		for (i = 0; i < n; i++)
			dst[cnt[(key[src[i]] >> shift) & 0x7ff]++] = src[i];
		t = src, src = dst, dst = t;
	}
	if (src != idx)
		memcpy(idx, src, n * sizeof(*idx));
	free(cnt);
	return RG_OK;
}

/*
 * Sorts idx[0..n) by key[], stably. Relocation tables come mostly in
 * address order (a table of relative relocations sorted by address, then
 * symbolic ones in symbol order): one pass keeps the longest ordered
 * subsequence it meets greedily, the rest (usually small) is radix
 * sorted, and the two are merged.
 */
static int radix_sort(uint32_t *idx, const uint64_t *key, size_t n)
{
	uint32_t *main_ = malloc(n * sizeof(*main_) + 1), *rest = malloc(n * sizeof(*rest) + 1);
	size_t nm = 0, nr = 0, i, j, o;
	int rc = RG_ENOMEM;

	if (!main_ || !rest)
		goto done;
	for (i = 0; i < n; i++) {
		if (!nm || key[idx[i]] >= key[main_[nm - 1]])
			main_[nm++] = idx[i];
		else
			rest[nr++] = idx[i];
	}
	if (nr) {
		/* idx is free now: the radix sort's scratch space. */
		if (radix(rest, idx, key, nr) != RG_OK)
			goto done;
		for (i = 0, j = 0, o = 0; i < nm || j < nr;)
			idx[o++] = j >= nr || (i < nm && key[main_[i]] <= key[rest[j]]) ? main_[i++]
			                                                                 : rest[j++];
	} else {
		memcpy(idx, main_, n * sizeof(*idx));
	}
	rc = RG_OK;
done:
	free(main_);
	free(rest);
	return rc;
}

#define RG_SORTED 1 /* order_records: the records are in order already */

/*
 * The records' address order, when one contiguous ascending run holds at
 * least half of them (ELF: the table of relative relocations, sorted by
 * the linker): the others are radix sorted and inserted into the run by
 * binary search, the run's indexes written in sequence between them.
 * Else radix_sort(). order holds n entries. RG_SORTED when the run is
 * all of them (order is then not written).
 */
static int order_records(uint32_t *order, const uint64_t *key, size_t n)
{
	size_t s = 0, e = 0, i, j, o, nr = 0, lo, hi, at;
	uint32_t *rest;

	for (i = 0; i < n;) { /* the longest ascending run [s, e) */
		for (j = i + 1; j < n && key[j] >= key[j - 1]; j++)
			;
		if (j - i > e - s)
			s = i, e = j;
		i = j;
	}
	if (e - s == n)
		return RG_SORTED;
	if ((e - s) * 2 < n) {
		for (i = 0; i < n; i++)
			order[i] = (uint32_t)i;
		return radix_sort(order, key, n);
	}
	if (!(rest = malloc((n - (e - s)) * sizeof(*rest) + 1)))
		return RG_ENOMEM;
	for (i = 0; i < s; i++)
		rest[nr++] = (uint32_t)i;
	for (i = e; i < n; i++)
		rest[nr++] = (uint32_t)i;
	if (nr && radix_sort(rest, key, nr) != RG_OK) {
		free(rest);
		return RG_ENOMEM;
	}
	/* Stable: a run entry equal to a rest entry comes first when its
	 * index is smaller (as a stable sort of the indexes would put it). */
	for (j = 0, o = 0, at = s; j < nr; j++) {
		uint64_t k = key[rest[j]];
		size_t step = 1;
		/* Galloping from the last position: the rest is sorted too. */
		for (lo = at, hi = at; hi < e && (key[hi] < k || (key[hi] == k && hi < rest[j]));
		     step *= 2) {
			lo = hi + 1;
			hi = e - hi > step ? hi + step : e;
		}
		for (; lo < hi;) {
			size_t mid = lo + (hi - lo) / 2;
			if (key[mid] < k || (key[mid] == k && mid < rest[j]))
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; at < lo; at++)
			order[o++] = (uint32_t)at;
		order[o++] = rest[j];
	}
	for (; at < e; at++)
		order[o++] = (uint32_t)at;
	free(rest);
	return RG_OK;
}

static int word_at(const rg_binary *b, const rg_view *slice, uint64_t addr, uint64_t *out)
{
	uint64_t off;
	rg_view v = *slice;

	if (rg_binary_vaddr_to_off(b, addr, &off) != 0)
		return -1;
	v.big_endian = b->big_endian;
	return rg_view_word(&v, off, b->bits == 64 ? 8 : 4, out);
}

/*
 * The names of the symbols some cell uses (the others are never shown):
 * their lengths (cut at MAX_NAME bytes) and hashes, for the rows; copied
 * into the pool unless the binary's bytes outlive the attribution
 * (RG_ATTR_BORROW) and the name is whole. The others are forgotten.
 */
static int keep_names(rg_attr *a, const rg_view *slice)
{
	uint8_t *used = calloc(a->nsyms + 1, 1);
	const int borrow = (a->want & RG_ATTR_BORROW) != 0;
	size_t i, need = 0;

	if (!used || !(a->sym_hash = malloc(a->nsyms * sizeof(*a->sym_hash) + 1))) {
		free(used);
		return RG_ENOMEM;
	}
	for (i = 0; i < a->ncells; i++)
		if (a->cells[i].sym >= 0)
			used[a->cells[i].sym] = 1;
	for (i = 0; i < a->ntcells; i++)
		if (a->tcells[i].kind == RG_CELL_PLACE && a->tcells[i].sym >= 0)
			used[a->tcells[i].sym] = 1;
	for (i = 0; i < a->nsyms; i++) {
		rg_asym *s = &a->syms[i];
		const char *nm;
		size_t len;

		if (!used[i]) {
			if (s->in_file) {
				s->in_file = 0;
				s->name = 0;
			}
			continue;
		}
		nm = sym_name(a, slice, s);
		len = strnlen(nm, MAX_NAME + 1);
		s->namelen = (uint32_t)(len > MAX_NAME ? MAX_NAME : len);
		a->sym_hash[i] = name_hash(nm, s->namelen);
		if (s->in_file && (!borrow || len > MAX_NAME)) {
			used[i] = 2; /* to copy, cut where it is too long */
			need += s->namelen + 1;
		}
	}
	if (pool_reserve(a, need) != RG_OK) {
		free(used);
		return RG_ENOMEM;
	}
	for (i = 0; i < a->nsyms; i++) {
		rg_asym *s = &a->syms[i];
		if (used[i] != 2)
			continue;
		s->name = pool_add(a, sym_name(a, slice, s), s->namelen);
		s->in_file = 0;
		if (!s->name && s->namelen) {
			free(used);
			return RG_ENOMEM;
		}
	}
	a->names = borrow ? (const char *)slice->data : NULL;
	free(used);
	return RG_OK;
}

/* The name of a finished symbol some cell uses. */
static const char *final_name(const rg_attr *a, const rg_asym *s)
{
	return s->in_file ? a->names + s->name : a->pool + s->name;
}

/* ---- Go's unnamed data ------------------------------------------------------ */

/*
 * Go's linker gives no symbol to data the compiler makes without a name:
 * the backing arrays of package-level slice literals ("..stmp_N") and the
 * like. In Mach-O and PE, where a symbol extends to the next one, such
 * data lands in the symbol before it (the demo's UPnP tables in
 * runtime.sigtable). What does tell where it starts and whose it is are
 * the fixups pointing to it: a slice variable's header points to its
 * array, an array of slices to theirs. So, in a Go binary, every address
 * a fixup points to inside a Go package's symbol of unknown size (not at
 * its start), in a section holding fixups and in bytes the file holds
 * (a pointer into zero-filled data finds a field, &runtime.debug.x, not
 * an object with fixups), starts an unnamed object, which ends at the next such
 * address or symbol. Its owner is what points to it, followed through
 * other unnamed objects to named symbols: one symbol, or several of one
 * package, own it; else nothing is claimed ("[unnamed data after X]").
 * ELF gaps between sized symbols are left to their section: Go's ELF
 * symbol tables leave its type descriptors in gaps too, and what points
 * to a type descriptor does not own it.
 */

#define PKG_MIXED UINT64_MAX

/* Whether s (of unknown size) may hold unnamed data: a Go package's
 * symbol, not a group the linker makes (type.*, go:string.*, ...), in a
 * section holding fixups. */
static int go_cuttable(const rg_binary *b, const rg_view *slice, const rg_asym *s)
{
	const rg_attr *a = b->attr;
	char pkg[MAX_NAME + 8];
	const char *nm = sym_name(a, slice, s);
	long r = rg_binary_region_at(b, s->addr);

	if (s->sized || s->anon || r < 0 || b->regs[r].sec < 0 || !b->secs[b->regs[r].sec].relocs)
		return 0;
	if (a->strip_underscore && nm[0] == '_')
		nm++;
	rg_attr_go_package(nm, pkg, sizeof(pkg));
	return pkg[0] != '[';
}

static int u64_cmp(const void *x, const void *y)
{
	uint64_t p = *(const uint64_t *)x, q = *(const uint64_t *)y;

	return p < q ? -1 : p > q;
}

/* Appends an unnamed object [start, end) to out; after: the index in out
 * of the symbol it was cut from, kept in name until go_owners() names it. */
static void add_anon(rg_asym *out, size_t *k, uint64_t start, uint64_t end, size_t after)
{
	rg_asym *s = &out[(*k)++];

	memset(s, 0, sizeof(*s));
	s->addr = start;
	s->end = end;
	s->anon = RG_ANON_AFTER;
	s->name = after;
}

/* Splits the (finished) symbols at the addresses fixups point to. */
static int go_cut(rg_binary *b, const rg_view *slice)
{
	rg_attr *a = b->attr;
	uint64_t *cuts = NULL;
	uint8_t *ok = NULL;       /* per symbol: 0 not asked, 1 cuttable, 2 not */
	rg_asym *out = NULL;
	size_t i, j, nc = 0, k = 0;
	int32_t hint = -1;
	int rc = RG_ENOMEM;

	if (!(ok = calloc(a->nsyms + 1, 1)) || !(cuts = malloc(a->nrecs * sizeof(*cuts) + 1)))
		goto done;
	for (i = 0; i < a->nrecs; i++) {
		uint64_t t = a->target[i], off;
		int32_t s;

		if ((a->flags[i] >> RG_REC_TGT_SHIFT) != RG_TGT_ADDR)
			continue;
		if ((s = sym_at(a, t, &hint)) < 0 || t == a->syms[s].addr ||
		    rg_binary_vaddr_to_off(b, t, &off) != 0)
			continue; /* zero-filled: a field (&runtime.debug.x), no fixups */
		if (!ok[s])
			ok[s] = go_cuttable(b, slice, &a->syms[s]) ? 1 : 2;
		if (ok[s] == 1)
			cuts[nc++] = t;
	}
	rc = RG_OK;
	if (!nc)
		goto done;
	qsort(cuts, nc, sizeof(*cuts), u64_cmp);
	for (i = 1, j = 1; i < nc; i++)
		if (cuts[i] != cuts[j - 1])
			cuts[j++] = cuts[i];
	nc = j;
	rc = RG_ENOMEM;
	if (a->nsyms + nc > INT32_MAX || !(out = malloc((a->nsyms + nc) * sizeof(*out))))
		goto done;
	for (i = 0, j = 0; i < a->nsyms; i++) {
		uint64_t oend;
		size_t after = k;

		while (j < nc && cuts[j] <= a->syms[i].addr)
			j++; /* cuts lie inside symbols: none is before this one */
		out[k] = a->syms[i];
		oend = out[k].end;
		if (j < nc && cuts[j] < oend)
			out[k].end = cuts[j];
		k++;
		for (; j < nc && cuts[j] < oend; j++)
			add_anon(out, &k, cuts[j], j + 1 < nc && cuts[j + 1] < oend ? cuts[j + 1] : oend,
			         after);
	}
	free(a->syms);
	a->syms = out;
	a->symcap = a->nsyms + nc; /* what out holds: k may be less */
	a->nsyms = k;
	out = NULL;
	rc = index_syms(a); /* the starts moved: rg_attr_sym_span reads them */
done:
	free(ok);
	free(cuts);
	free(out);
	return rc;
}

/* The package label of named symbol s, in the pool (cached in pk[s]). */
static uint64_t named_pkg(rg_attr *a, const rg_view *slice, uint64_t *pk, int32_t s)
{
	char buf[MAX_NAME + 8];
	const char *nm;

	if (pk[s])
		return pk[s];
	nm = sym_name(a, slice, &a->syms[s]);
	if (a->strip_underscore && nm[0] == '_')
		nm++;
	rg_attr_go_package(nm, buf, sizeof(buf));
	return pk[s] = pool_add(a, buf, strlen(buf));
}

/* Names the unnamed objects after their owners; rec_sym: the symbol
 * holding each record. */
static int go_owners(rg_binary *b, const rg_view *slice, const int32_t *rec_sym)
{
	rg_attr *a = b->attr;
	int32_t *tsym = NULL, *root = NULL, hint = -1;
	uint64_t *pk = NULL;      /* named symbols: package label; unnamed: owner's */
	char buf[2 * MAX_NAME + 32];
	size_t i, n = a->nrecs, round;
	int changed = 1, rc = RG_ENOMEM;

	if (!(tsym = malloc(n * sizeof(*tsym) + 1)) ||
	    !(root = malloc(a->nsyms * sizeof(*root) + 1)) ||
	    !(pk = calloc(a->nsyms + 1, sizeof(*pk))))
		goto done;
	for (i = 0; i < a->nsyms; i++)
		root[i] = -1; /* -1: no owner seen yet; -2: several symbols */
	for (i = 0; i < n; i++) {
		tsym[i] = -1;
		if ((a->flags[i] >> RG_REC_TGT_SHIFT) == RG_TGT_ADDR) {
			int32_t s = sym_at(a, a->target[i], &hint);
			if (s >= 0 && a->syms[s].anon && s != rec_sym[i])
				tsym[i] = s;
		}
	}
	/* Owners only ever go from none to one to several: a fixed point. */
	for (round = 0; changed && round < 64; round++) {
		changed = 0;
		for (i = 0; i < n; i++) {
			int32_t t = tsym[i], l = rec_sym[i], r;
			uint64_t p;

			if (t < 0 || pk[t] == PKG_MIXED)
				continue;
			if (l < 0) {
				r = -2, p = PKG_MIXED; /* pointed to from no symbol */
			} else if (!a->syms[l].anon) {
				r = l;
				if (!(p = named_pkg(a, slice, pk, l)))
					goto done;
			} else if (pk[l]) {
				r = root[l] >= 0 ? root[l] : -2;
				p = pk[l];
			} else {
				continue; /* its owner is not known yet */
			}
			if (!pk[t]) {
				root[t] = r;
				pk[t] = p;
				changed = 1;
				continue;
			}
			if (root[t] >= 0 && root[t] != r) {
				root[t] = -2;
				changed = 1;
			}
			if (p == PKG_MIXED || strcmp(a->pool + p, a->pool + pk[t])) {
				pk[t] = PKG_MIXED;
				changed = 1;
			}
		}
	}
	for (i = 0; i < a->nsyms; i++) {
		rg_asym *s = &a->syms[i];
		const char *label = "[unnamed data]";

		if (!s->anon)
			continue;
		if (pk[i] && pk[i] != PKG_MIXED) {
			s->anon = RG_ANON_OWNED;
			s->pkg = pk[i];
			snprintf(buf, sizeof(buf), "[data of %s]",
			         root[i] >= 0 ? sym_name(a, slice, &a->syms[root[i]]) : a->pool + pk[i]);
		} else {
			snprintf(buf, sizeof(buf), "[unnamed data after %s]",
			         sym_name(a, slice, &a->syms[s->name]));
			if (!(s->pkg = pool_add(a, label, strlen(label))))
				goto done;
		}
		if (!(s->name = pool_add(a, buf, strlen(buf))))
			goto done;
	}
	rc = RG_OK;
done:
	free(tsym);
	free(root);
	free(pk);
	return rc;
}

/* Reads the targets held in the data (RG_TGT_WORD records). */
static void resolve_words(rg_binary *b, const rg_view *slice)
{
	rg_attr *a = b->attr;
	uint64_t w = 0;
	size_t i;

	for (i = 0; i < a->nrecs; i++)
		if ((unsigned)a->flags[i] >> RG_REC_TGT_SHIFT == RG_TGT_WORD) {
			unsigned tgt = word_at(b, slice, a->addr[i], &w) == 0 ? RG_TGT_ADDR : RG_TGT_NONE;
			a->target[i] = w;
			a->flags[i] = (uint8_t)((a->flags[i] & 3u) | tgt << RG_REC_TGT_SHIFT);
		}
}

/* The location cells of the records, in the address order of places. */
static int record_cells(rg_attr *a, const int32_t *rec_reg, const int32_t *rec_sym,
                        const uint32_t *order, unsigned page_shift)
{
	size_t i;

	for (i = 0; i < a->nrecs; i++) {
		uint32_t r = order ? order[i] : (uint32_t)i;
		unsigned fl = a->flags[r];
		rg_acell key;

		memset(&key, 0, sizeof(key));
		key.page = a->addr[r] >> page_shift;
		key.sym = rec_sym[r];
		key.reg = rec_reg[r];
		key.paged = rec_reg[r] >= 0;
		if (cell_add(&a->cells, &a->ncells, &a->cellcap, &key, !(fl & RG_REC_SYMBOLIC),
		             (fl & RG_REC_SYMBOLIC) != 0, (fl & RG_REC_LAZY) != 0) != RG_OK)
			return RG_ENOMEM;
	}
	return RG_OK;
}

/* The target cells of the records: where each fixup points, on the page
 * of its location. */
static int target_cells(rg_binary *b, const int32_t *rec_reg, const uint32_t *order)
{
	rg_attr *a = b->attr;
	int32_t hint = -1;
	size_t i;

	for (i = 0; i < a->nrecs; i++) {
		uint32_t r = order ? order[i] : (uint32_t)i;
		unsigned fl = a->flags[r], tgt = fl >> RG_REC_TGT_SHIFT;
		rg_acell key;

		memset(&key, 0, sizeof(key));
		key.page = a->addr[r] >> b->page_shift;
		key.paged = rec_reg[r] >= 0;
		key.sym = key.reg = -1;
		key.kind = RG_CELL_UNKNOWN;
		if (tgt == RG_TGT_IMPORT && a->target[r] < a->nimps) {
			key.kind = RG_CELL_IMPORT;
			key.sym = (int32_t)a->target[r];
		} else if (tgt == RG_TGT_ADDR) {
			key.kind = RG_CELL_PLACE;
			key.reg = (int32_t)rg_binary_region_at(b, a->target[r]);
			key.sym = sym_at(a, a->target[r], &hint);
		}
		if (cell_add(&a->tcells, &a->ntcells, &a->tcellcap, &key, !(fl & RG_REC_SYMBOLIC),
		             (fl & RG_REC_SYMBOLIC) != 0, (fl & RG_REC_LAZY) != 0) != RG_OK)
			return RG_ENOMEM;
	}
	return RG_OK;
}

/* The page order of the location cells (streamed cells come in the
 * order of the tables, records' cells after them): cell_order, or NULL
 * when they are in it already. Pages spanning a few times as many as
 * there are cells take one counting pass; others a radix sort. */
static int order_cells(rg_attr *a)
{
	uint64_t lo = UINT64_MAX, hi = 0, *page;
	size_t i, n = a->ncells, sorted = 1, span;
	uint32_t *cnt;
	int rc;

	free(a->cell_order);
	a->cell_order = NULL;
	for (i = 0; i < n; i++) {
		uint64_t p = a->cells[i].page;
		lo = p < lo ? p : lo;
		hi = p > hi ? p : hi;
		sorted &= !i || p >= a->cells[i - 1].page;
	}
	if (sorted)
		return RG_OK;
	if (!(a->cell_order = malloc(n * sizeof(*a->cell_order) + 1)))
		return RG_ENOMEM;
	if (hi - lo < 4 * (uint64_t)n + 4096) {
		span = (size_t)(hi - lo) + 1;
		if (!(cnt = calloc(span + 1, sizeof(*cnt))))
			return RG_ENOMEM;
		for (i = 0; i < n; i++)
			cnt[a->cells[i].page - lo + 1]++;
		for (i = 1; i <= span; i++)
			cnt[i] += cnt[i - 1];
		for (i = 0; i < n; i++) /* stable */
			a->cell_order[cnt[a->cells[i].page - lo]++] = (uint32_t)i;
		free(cnt);
		return RG_OK;
	}
	if (!(page = malloc(n * sizeof(*page) + 1)))
		return RG_ENOMEM;
	for (i = 0; i < n; i++)
		page[i] = a->cells[i].page;
	rc = order_records(a->cell_order, page, n);
	free(page);
	if (rc == RG_SORTED) { /* not reached: checked above */
		free(a->cell_order);
		a->cell_order = NULL;
		rc = RG_OK;
	}
	return rc;
}

/* Frees the records: the cells hold what the rows need. */
static void drop_records(rg_attr *a)
{
	free(a->addr);
	free(a->flags);
	free(a->target);
	a->addr = a->target = NULL;
	a->flags = NULL;
	a->nrecs = a->reccap = 0;
}

/*
 * Places the records: one merge walk in address order over regions and
 * symbols (both sorted and disjoint) gives each its region and symbol;
 * Go's unnamed data is named; the records become cells.
 */
static int place_records(rg_binary *b, const rg_view *slice, int anon)
{
	rg_attr *a = b->attr;
	size_t i, n = a->nrecs, reg = 0, sym = 0;
	int32_t *rec_reg = malloc(n * sizeof(int32_t) + 1), *rec_sym = malloc(n * sizeof(int32_t) + 1);
	uint32_t *order = malloc(n * sizeof(uint32_t) + 1);
	int rc = RG_ENOMEM;

	if (!rec_reg || !rec_sym || !order)
		goto done;
	if ((rc = order_records(order, a->addr, n)) != RG_OK) {
		if (rc != RG_SORTED)
			goto done;
		free(order); /* in address order already */
		order = NULL;
	}
	for (i = 0; i < n; i++) {
		uint32_t r = order ? order[i] : (uint32_t)i;
		uint64_t addr = a->addr[r];

		if (a->nunloaded && rg_attr_unloaded_at(a, addr))
			a->cells_stale = 1; /* its symbol was not loaded */
		while (reg < b->nregs && b->regs[reg].end <= addr)
			reg++;
		rec_reg[r] = reg < b->nregs && b->regs[reg].start <= addr ? (int32_t)reg : -1;
		while (sym < a->nsyms && a->syms[sym].end <= addr)
			sym++;
		rec_sym[r] = sym < a->nsyms && a->syms[sym].addr <= addr ? (int32_t)sym : -1;
	}
	rc = RG_ENOMEM;
	if ((anon && go_owners(b, slice, rec_sym) != RG_OK) ||
	    record_cells(a, rec_reg, rec_sym, order, b->page_shift) != RG_OK ||
	    ((a->want & RG_ATTR_TARGETS) && target_cells(b, rec_reg, order) != RG_OK))
		goto done;
	rc = RG_OK;
done:
	free(rec_reg);
	free(rec_sym);
	free(order);
	return rc;
}

int rg_attr_finish(rg_binary *b, const rg_view *slice)
{
	rg_attr *a = b->attr;
	uint64_t total = 0;
	size_t i;
	int64_t v;
	int anon;

	if (!a || a->finished)
		return RG_OK;
	a->go = rg_metric_lookup(b, "pclntab.funcs", &v);
	a->strip_underscore = !strcmp(b->format, "macho");
	if (rg_attr_seal_syms(b, slice) != RG_OK)
		return RG_ENOMEM;
	if (a->nrecs && !a->target && !(a->target = calloc(a->nrecs + 1, sizeof(uint64_t))))
		return RG_ENOMEM; /* ELF without RG_ATTR_TARGETS: none will need it */
	anon = a->go && a->nsyms && strcmp(a->symsrc, "pclntab") && strcmp(b->format, "elf");
	if (anon || (a->want & RG_ATTR_TARGETS))
		resolve_words(b, slice);
	if (anon && go_cut(b, slice) != RG_OK)
		return RG_ENOMEM;
	if (a->nrecs && place_records(b, slice, anon) != RG_OK)
		return RG_ENOMEM;
	drop_records(a);
	if (order_cells(a) != RG_OK || keep_names(a, slice) != RG_OK)
		return RG_ENOMEM;
	a->finished = 1;
	for (i = 0; i < a->ncells; i++)
		total += (uint64_t)a->cells[i].relative + a->cells[i].symbolic;
	if (total != b->n_total)
		rg_binary_add_note(b, "attribution: %llu fixup records for %llu fixups",
		                   (unsigned long long)total, (unsigned long long)b->n_total);
	return RG_OK;
}

/* ---- keys and Go packages -------------------------------------------------- */

static const char *const key_names[] = { "section", "symbol", "package", "target",
                                         "target-package" };

int rg_attr_key_parse(const char *s, rg_attr_key *key)
{
	size_t i;

	for (i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
		if (!strcmp(s, key_names[i])) {
			*key = (rg_attr_key)i;
			return 0;
		}
	return -1;
}

const char *rg_attr_key_name(rg_attr_key key)
{
	return (size_t)key < sizeof(key_names) / sizeof(key_names[0]) ? key_names[key] : "?";
}

/* "go.x" is a linker symbol unless it starts a module path whose first
 * element is a domain ("go.uber.org/zap.New"). */
static int linker_go(const char *s)
{
	const char *p;

	if (!strncmp(s, "go:", 3))
		return 1;
	if (strncmp(s, "go.", 3))
		return 0;
	for (p = s; (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	            (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'; p++)
		;
	return *p != '/';
}

void rg_attr_go_package(const char *name, char *out, size_t outlen)
{
	static const char *const pcln[] = {
		"runtime.pclntab", "runtime.epclntab", "runtime.pcheader", "runtime.funcnametab",
		"runtime.cutab", "runtime.filetab", "runtime.pctab", "runtime.functab",
		"runtime.findfunctab", NULL
	};
	const char *const *p;

	for (p = pcln; *p; p++)
		if (!strcmp(name, *p)) {
			snprintf(out, outlen, "[go:pclntab]");
			return;
		}
	if (linker_go(name)) {
		/* go:itab.*, go.string."x", go:buildinfo -> [go:itab] ... */
		const char *rest = name + 3;
		size_t n = strcspn(rest, ".*\"");
		if (n == 0 || n > 32)
			snprintf(out, outlen, "[go:other]");
		else
			snprintf(out, outlen, "[go:%.*s]", (int)n, rest);
		return;
	}
	if (!strncmp(name, "type:", 5) || !strncmp(name, "type.", 5)) {
		snprintf(out, outlen, "[go:type]");
		return;
	}
	rg_pclntab_pkg_of(name, 118, out, outlen);
	if (!strcmp(out, "(none)"))
		snprintf(out, outlen, "[no package]");
}

/* ---- C++ and Rust packages ------------------------------------------------- */

/*
 * The package of a C++ or Rust symbol, read from its mangled name: only
 * the prefix that names the first scope, never a whole demangling. Itanium
 * C++ (_Z...; Rust's legacy mangling is Itanium's nested name ending in
 * 17h<hash>E): the first component of the entity's qualified name ("llvm"
 * of llvm::cl::opt<...>::~opt(), "std" of St / NSt / Ss...), through the
 * special names (vtable, typeinfo, thunks, guard variables) to the class
 * or function they belong to, and through local names to the enclosing
 * function. Rust v0 (_R...): the crate of the path. Every read is bounded
 * by the name's NUL and by a depth limit.
 */
typedef struct mname {
	const char *s;     /* the name, NUL-terminated */
	size_t i;          /* the read position */
	int depth;         /* encodings, types and backrefs followed */
	int nest;          /* nesting of what a Rust v0 skip is inside */
	int impl;          /* a Rust v0 path led to an impl */
	char *out;
	size_t outlen;
} mname;

#define MNAME_DEPTH 16
#define PKG_UNPARSED 0
#define PKG_FOUND 1

static int mn_set(mname *m, const char *pkg, size_t len)
{
	snprintf(m->out, m->outlen, "%.*s", (int)len, pkg);
	return PKG_FOUND;
}

/* Whether len bytes from the read position hold no NUL (the name goes on). */
static int mn_has(const mname *m, size_t len)
{
	size_t j;

	for (j = 0; j < len; j++)
		if (!m->s[m->i + j])
			return 0;
	return 1;
}

/* A <number>: decimal digits, at most 9 of them; none after a leading 0
 * (Rust v0's empty identifiers: "00" is two of them). */
static int mn_number(mname *m, size_t *v)
{
	size_t n = 0, k = 0;

	*v = 0;
	if (m->s[m->i] == '0') {
		m->i++;
		return 1;
	}
	while (m->s[m->i] >= '0' && m->s[m->i] <= '9' && k < 9)
		n = n * 10 + (size_t)(m->s[m->i++] - '0'), k++;
	*v = n;
	return k > 0 && !(m->s[m->i] >= '0' && m->s[m->i] <= '9');
}

/* The length of the identifier at p ([A-Za-z0-9_]). */
static size_t mn_ident_len(const char *p)
{
	size_t n = 0;

	while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
	       (p[n] >= '0' && p[n] <= '9') || p[n] == '_')
		n++;
	return n;
}

/* The crate of the path at p ("foo::Bar": foo), or 0. */
static size_t mn_text_crate(const char *p)
{
	size_t n = mn_ident_len(p);

	return n && p[n] == ':' && p[n + 1] == ':' ? n : 0;
}

/*
 * An impl as a demangler prints it, "<Self as Trait>" or "<Self>": the
 * crate of Self's path (under &, &mut, *const, *mut, dyn, a lifetime, a
 * slice, array or tuple), else of the trait's; else [Rust impl].
 */
static int mn_impl_text(mname *m, const char *t)
{
	static const char *const skip[] = { "&", "*const ", "*mut ", "mut ", "dyn ", "[", "(" };
	const char *p = t + 1;
	size_t k, n;
	int depth = 1, again = 1;

	while (again) {
		again = 0;
		for (k = 0; k < sizeof(skip) / sizeof(skip[0]); k++)
			if (!strncmp(p, skip[k], strlen(skip[k])))
				p += strlen(skip[k]), again = 1;
		if (*p == '\'' && (n = mn_ident_len(p + 1)) && p[1 + n] == ' ')
			p += n + 2, again = 1;
	}
	if ((n = mn_text_crate(p)))
		return mn_set(m, p, n);
	for (p = t + 1; *p && depth > 0; p++) {
		if (p[0] == '-' && p[1] == '>')
			p++; /* "fn(T) -> U": an arrow, not a bracket */
		else if (*p == '<' || *p == '(' || *p == '[')
			depth++;
		else if (*p == '>' || *p == ')' || *p == ']')
			depth--;
		else if (depth == 1 && !strncmp(p, " as ", 4) && (n = mn_text_crate(p + 4)))
			return mn_set(m, p + 4, n);
	}
	return mn_set(m, "[Rust impl]", 11);
}

/* A Rust legacy component holding an impl ("_$LT$foo..Bar$u20$as$u20$...$GT$"),
 * its escapes decoded, read by mn_impl_text. */
static int mn_legacy_impl(mname *m, const char *id, size_t len)
{
	static const char *const esc[][2] = { { "$LT$", "<" }, { "$GT$", ">" }, { "$RF$", "&" },
	                                      { "$BP$", "*" }, { "$C$", "," }, { "$SP$", "@" },
	                                      { "$LP$", "(" }, { "$RP$", ")" } };
	char t[MAX_NAME + 1];
	size_t i = id[0] == '_', o = 0, k;

	while (i < len && o < sizeof(t) - 3) {
		for (k = 0; k < sizeof(esc) / sizeof(esc[0]); k++)
			if (len - i >= strlen(esc[k][0]) && !strncmp(id + i, esc[k][0], strlen(esc[k][0])))
				break;
		if (k < sizeof(esc) / sizeof(esc[0])) {
			t[o++] = esc[k][1][0];
			i += strlen(esc[k][0]);
		} else if (len - i >= 5 && id[i] == '$' && id[i + 1] == 'u' && id[i + 4] == '$' &&
		           isxdigit((unsigned char)id[i + 2]) && isxdigit((unsigned char)id[i + 3])) {
			char hex[3] = { id[i + 2], id[i + 3], 0 };
			t[o++] = (char)strtol(hex, NULL, 16);
			i += 5;
		} else if (len - i >= 2 && id[i] == '.' && id[i + 1] == '.') {
			t[o++] = ':';
			t[o++] = ':';
			i += 2;
		} else {
			t[o++] = id[i++];
		}
	}
	t[o] = 0;
	return t[0] == '<' ? mn_impl_text(m, t) : mn_set(m, "[Rust impl]", 11);
}

/* A <source-name> (length, then the identifier): its package. */
static int mn_source(mname *m)
{
	size_t len;
	const char *id;

	if (!mn_number(m, &len) || len == 0 || !mn_has(m, len))
		return PKG_UNPARSED;
	id = m->s + m->i;
	if (len >= 10 && !strncmp(id, "_GLOBAL__N", 10))
		return mn_set(m, "(anonymous namespace)", 21);
	if (id[0] == '$' || (id[0] == '_' && id[1] == '$'))
		return mn_legacy_impl(m, id, len); /* Rust legacy <T as Trait> */
	return mn_set(m, id, len);
}

/* St, Sa, Sb, Ss, Si, So, Sd: the standard library. */
static int mn_std(mname *m)
{
	if (m->s[m->i] == 'S' && m->s[m->i + 1] && strchr("tabsiod", m->s[m->i + 1]))
		return mn_set(m, "std", 3);
	return PKG_UNPARSED;
}

static int mn_encoding(mname *m);

/* N [CV-qualifiers] [ref-qualifier] <first component> ...: its package. */
static int mn_nested(mname *m)
{
	m->i++;
	while (m->s[m->i] && strchr("rVKRO", m->s[m->i]))
		m->i++;
	if (m->s[m->i] == 'L')
		m->i++;
	if (m->s[m->i] >= '1' && m->s[m->i] <= '9')
		return mn_source(m);
	return mn_std(m);
}

/* Z <function encoding> E <entity>: the enclosing function's package;
 * but a function whose name is not mangled (main: "Z4mainE...") names
 * its own group, as demanglers print it ("main::{lambda()#1}"). */
static int mn_local(mname *m)
{
	size_t at, len;

	at = ++m->i;
	if (mn_number(m, &len) && len && mn_has(m, len) && m->s[m->i + len] == 'E')
		return mn_set(m, m->s + m->i, len);
	m->i = at;
	return mn_encoding(m);
}

/* A <name>: nested, local, in std, or in the global namespace. */
static int mn_name(mname *m)
{
	char c = m->s[m->i];

	if (c == 'N')
		return mn_nested(m);
	if (c == 'Z')
		return mn_local(m);
	if (c == 'S')
		return mn_std(m);
	if (c == 'L')
		c = m->s[m->i + 1];
	/* an unscoped source name, operator or structured binding */
	if ((c >= '1' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c == 'D' && m->s[m->i + 1] == 'C'))
		return mn_set(m, "[global]", 8);
	return PKG_UNPARSED;
}

/* The <type> of a vtable, VTT, typeinfo or construction vtable. */
static int mn_type(mname *m)
{
	size_t n;

	if (++m->depth > MNAME_DEPTH)
		return PKG_UNPARSED;
	for (;;) {
		char c = m->s[m->i];
		if (c && strchr("PROKVrCG", c)) {
			m->i++;
		} else if (c == 'A') { /* A <dimension> _ <element type> */
			m->i++;
			if (!mn_number(m, &n) || m->s[m->i] != '_')
				return PKG_UNPARSED;
			m->i++;
		} else {
			break;
		}
	}
	switch (m->s[m->i]) {
	case 'N':
		return mn_nested(m);
	case 'Z':
		return mn_local(m);
	case 'S':
		return mn_std(m);
	case 'F': /* a function type: its return type's */
		m->i += 1 + (m->s[m->i + 1] == 'Y');
		return mn_type(m);
	case 'M': /* a pointer to member: its class's */
		m->i++;
		return mn_type(m);
	case 'D':
		if (m->s[m->i + 1] && strchr("nisuhfFacdev", m->s[m->i + 1]))
			return mn_set(m, "[global]", 8);
		return PKG_UNPARSED;
	default:
		/* a builtin type or a class of the global namespace */
		if ((m->s[m->i] >= 'a' && m->s[m->i] <= 'z') ||
		    (m->s[m->i] >= '1' && m->s[m->i] <= '9'))
			return mn_set(m, "[global]", 8);
		return PKG_UNPARSED;
	}
}

/* A <call-offset>: h <number> _ or v <number> _ <number> _ (numbers may be nN). */
static int mn_call_offset(mname *m)
{
	int k = m->s[m->i] == 'h' ? 1 : m->s[m->i] == 'v' ? 2 : 0;
	size_t n;

	if (!k)
		return 0;
	m->i++;
	while (k--) {
		if (m->s[m->i] == 'n')
			m->i++;
		if (!mn_number(m, &n) || m->s[m->i] != '_')
			return 0;
		m->i++;
	}
	return 1;
}

/* An <encoding>: a function or data name, or a special name. */
static int mn_encoding(mname *m)
{
	const char *p = m->s + m->i;

	if (++m->depth > MNAME_DEPTH)
		return PKG_UNPARSED;
	if ((p[0] == 'T' || p[0] == 'G') && !p[1])
		return PKG_UNPARSED;
	if (p[0] == 'T') {
		m->i += 2;
		switch (p[1]) {
		case 'V': case 'T': case 'I': case 'S': case 'C':
			return mn_type(m);
		case 'H': case 'W':
			return mn_name(m);
		case 'h': case 'v':
			m->i--;
			return mn_call_offset(m) ? mn_encoding(m) : PKG_UNPARSED;
		case 'c':
			return mn_call_offset(m) && mn_call_offset(m) ? mn_encoding(m) : PKG_UNPARSED;
		default:
			return PKG_UNPARSED;
		}
	}
	if (p[0] == 'G') {
		m->i += 2;
		if ((p[1] == 'V' || p[1] == 'R') && !(p[2] >= 'a' && p[2] <= 'z'))
			return mn_name(m); /* a variable's: no operator (_ZGVbN2v_sin is libmvec's) */
		if (p[1] == 'A')
			return mn_encoding(m);
		if (p[1] == 'T' && (p[2] == 't' || p[2] == 'n')) {
			m->i++;
			return mn_encoding(m);
		}
		return PKG_UNPARSED;
	}
	return mn_name(m);
}

/* Rust v0: a <base-62-number> ("_" is 0, else digits then "_" is value + 1). */
static int mn_base62(mname *m, uint64_t *v)
{
	uint64_t x = 0;
	int k = 0;

	if (m->s[m->i] == '_') {
		m->i++;
		*v = 0;
		return 1;
	}
	for (; m->s[m->i] != '_'; m->i++, k++) {
		char c = m->s[m->i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 :
		        c >= 'A' && c <= 'Z' ? c - 'A' + 36 : -1;
		if (d < 0 || k >= 12) /* a 64-bit hash takes 11 */
			return 0;
		x = x * 62 + (uint64_t)d;
	}
	m->i++;
	*v = x + 1;
	return 1;
}

/* Rust v0 skips (no backref is followed): a <path>, <type>, <const>, an
 * <identifier>; each returns 0 on what it cannot read. */
static int rs_path(mname *m);
static int rs_type(mname *m);

#define RS_NEST 64

static int rs_ident(mname *m)
{
	uint64_t v;
	size_t len;

	if (m->s[m->i] == 's' && (m->i++, !mn_base62(m, &v)))
		return 0;
	if (m->s[m->i] == 'u')
		m->i++;
	if (!mn_number(m, &len))
		return 0;
	if (len && m->s[m->i] == '_')
		m->i++;
	if (!mn_has(m, len))
		return 0;
	m->i += len;
	return 1;
}

static int rs_base62_after(mname *m) /* a letter, then a <base-62-number> */
{
	uint64_t v;

	m->i++;
	return mn_base62(m, &v);
}

static int rs_const(mname *m)
{
	char c = m->s[m->i];

	if (c == 'p') {
		m->i++;
		return 1;
	}
	if (c == 'B')
		return rs_base62_after(m);
	if (!c || !strchr("abhijlmnostxy", c))
		return 0; /* consts of other types: not read */
	m->i++;
	if (m->s[m->i] == 'n')
		m->i++;
	while (isxdigit((unsigned char)m->s[m->i]))
		m->i++;
	return m->s[m->i] == '_' ? (m->i++, 1) : 0;
}

/* Reads items with one until 'E' (consumed). */
static int rs_until_e(mname *m, int (*one)(mname *))
{
	while (m->s[m->i] != 'E')
		if (!m->s[m->i] || !one(m))
			return 0;
	m->i++;
	return 1;
}

static int rs_generic_arg(mname *m)
{
	if (m->s[m->i] == 'L')
		return rs_base62_after(m);
	if (m->s[m->i] == 'K')
		return m->i++, rs_const(m);
	return rs_type(m);
}

static int rs_dyn_trait(mname *m)
{
	if (!rs_path(m))
		return 0;
	while (m->s[m->i] == 'p') { /* p <undisambiguated-identifier> <type> */
		m->i++;
		if (!rs_ident(m) || !rs_type(m))
			return 0;
	}
	return 1;
}

static int rs_type_in(mname *m)
{
	char c = m->s[m->i];

	if (c && strchr("abcdefhijlmnopstuvxyz", c)) {
		m->i++;
		return 1;
	}
	switch (c) {
	case 'A':
		m->i++;
		return rs_type(m) && rs_const(m);
	case 'S': case 'P': case 'O':
		m->i++;
		return rs_type(m);
	case 'T':
		m->i++;
		return rs_until_e(m, rs_type);
	case 'R': case 'Q':
		m->i++;
		return (m->s[m->i] != 'L' || rs_base62_after(m)) && rs_type(m);
	case 'F': /* [G binder] [U] [K abi] {type} E type */
		m->i++;
		if (m->s[m->i] == 'G' && !rs_base62_after(m))
			return 0;
		if (m->s[m->i] == 'U')
			m->i++;
		if (m->s[m->i] == 'K') { /* the ABI: C, or a name */
			m->i++;
			if (m->s[m->i] == 'C')
				m->i++;
			else if (!rs_ident(m))
				return 0;
		}
		return rs_until_e(m, rs_type) && rs_type(m);
	case 'D': /* [G binder] {dyn-trait} E <lifetime> */
		m->i++;
		if (m->s[m->i] == 'G' && !rs_base62_after(m))
			return 0;
		return rs_until_e(m, rs_dyn_trait) && m->s[m->i] == 'L' && rs_base62_after(m);
	case 'B':
		return rs_base62_after(m);
	default:
		return rs_path(m);
	}
}

/* one(m), one level deeper. */
static int rs_nested(mname *m, int (*one)(mname *))
{
	int ok;

	if (++m->nest > RS_NEST)
		return 0;
	ok = one(m);
	m->nest--;
	return ok;
}

static int rs_type(mname *m)
{
	return rs_nested(m, rs_type_in);
}

/* An <impl-path>: [s <base-62-number>] <path>. */
static int rs_impl_path(mname *m)
{
	return (m->s[m->i] != 's' || rs_base62_after(m)) && rs_path(m);
}

static int rs_path_in(mname *m)
{
	switch (m->s[m->i++]) {
	case 'C':
		return rs_ident(m);
	case 'N':
		return m->s[m->i] && (m->i++, rs_path(m)) && rs_ident(m);
	case 'M': /* <impl-path> <type> */
		return rs_impl_path(m) && rs_type(m);
	case 'X': /* <impl-path> <type> <path> */
		return rs_impl_path(m) && rs_type(m) && rs_path(m);
	case 'Y':
		return rs_type(m) && rs_path(m);
	case 'I':
		return rs_path(m) && rs_until_e(m, rs_generic_arg);
	case 'B':
		m->i--;
		return rs_base62_after(m);
	default:
		return 0;
	}
}

static int rs_path(mname *m)
{
	return rs_nested(m, rs_path_in);
}

static int mn_rust_path(mname *m, size_t base);

/* The crate of an impl's self type at m->i (through references,
 * pointers, slices, arrays, the first of a tuple, the first trait of a
 * dyn): 1 with it set, else 0. */
static int rs_self_crate(mname *m, size_t base)
{
	uint64_t v;
	size_t at;

	for (;;) {
		char c = m->s[m->i];
		if (c == 'R' || c == 'Q') {
			m->i++;
			if (m->s[m->i] == 'L' && !rs_base62_after(m))
				return 0;
		} else if (c == 'P' || c == 'O' || c == 'S' || c == 'A' || c == 'T') {
			m->i++;
		} else if (c == 'D') {
			m->i++;
			if (m->s[m->i] == 'G')
				return 0; /* "dyn for<'a> ...": the binder comes first */
		} else if (c == 'B') {
			at = m->i++;
			if (!mn_base62(m, &v) || base + v >= at)
				return 0;
			if (++m->depth > MNAME_DEPTH)
				return 0;
			m->i = base + (size_t)v; /* a backref to an earlier type */
		} else {
			break;
		}
	}
	if (!m->s[m->i] || !strchr("NI", m->s[m->i]))
		return 0; /* a basic type, a function, a crate root alone (f16 is C3f16) */
	m->impl = 0; /* a qualified path (<A as B>::C) is not read: printed, it starts with '<' */
	return mn_rust_path(m, base) == PKG_FOUND && !m->impl;
}

/* An impl in a path: <T> (M) or <T as Trait> (X, Y): T's crate, else the
 * trait's, as mn_impl_text reads a demangler's text. */
static int mn_rust_impl(mname *m, size_t base, char kind)
{
	size_t at;

	if (kind != 'Y' && !rs_impl_path(m))
		return PKG_UNPARSED;
	at = m->i;
	if (rs_self_crate(m, base))
		return PKG_FOUND;
	m->i = at;
	m->impl = 0;
	if (kind == 'M' || !rs_type(m) || mn_rust_path(m, base) != PKG_FOUND || m->impl)
		return mn_set(m, "[Rust impl]", 11);
	return PKG_FOUND;
}

/* Rust v0: the crate of a <path> at m->i (base: where the path after _R starts). */
static int mn_rust_path_in(mname *m, size_t base)
{
	uint64_t v;
	size_t len, at = m->i;

	switch (m->s[m->i++]) {
	case 'C': /* C [s <base-62-number>] [u] <decimal-number> [_] <bytes> */
		if (m->s[m->i] == 's') {
			m->i++;
			if (!mn_base62(m, &v))
				return PKG_UNPARSED;
		}
		if (m->s[m->i] == 'u' || !mn_number(m, &len) || len == 0)
			return PKG_UNPARSED; /* punycode: no crate is named so */
		if (m->s[m->i] == '_')
			m->i++;
		return mn_has(m, len) ? mn_set(m, m->s + m->i, len) : PKG_UNPARSED;
	case 'N': /* N <namespace> <path> <identifier> */
		if (!m->s[m->i])
			return PKG_UNPARSED;
		m->i++;
		return mn_rust_path(m, base);
	case 'I': /* I <path> <generic-arg>* E */
		return mn_rust_path(m, base);
	case 'B': /* a backref to an earlier path */
		if (!mn_base62(m, &v) || base + v >= at)
			return PKG_UNPARSED;
		m->i = base + (size_t)v;
		return mn_rust_path(m, base);
	case 'M': case 'X': case 'Y': { /* impls: <T>, <T as Trait> */
		int rc = mn_rust_impl(m, base, m->s[at]);
		m->impl = 1;
		return rc;
	}
	default:
		return PKG_UNPARSED;
	}
}

/* Backrefs may lead back into the path they are in: the nesting is bounded. */
static int mn_rust_path(mname *m, size_t base)
{
	int rc;

	if (++m->depth > MNAME_DEPTH)
		return PKG_UNPARSED;
	rc = mn_rust_path_in(m, base);
	m->depth--;
	return rc;
}

int rg_attr_native_package(const char *name, char *out, size_t outlen)
{
	mname m;
	int rc;

	memset(&m, 0, sizeof(m));
	m.s = name;
	m.out = out;
	m.outlen = outlen;
	if (name[0] == '_' && name[1] == 'Z') {
		m.i = 2;
		rc = mn_encoding(&m);
	} else if (name[0] == '_' && name[1] == 'R') {
		size_t ver;
		m.i = 2; /* [<encoding version>] <path>: backrefs count from here */
		if (name[2] >= '0' && name[2] <= '9' && !mn_number(&m, &ver))
			rc = PKG_UNPARSED;
		else
			rc = mn_rust_path(&m, m.i);
	} else {
		snprintf(out, outlen, "[C]");
		return RG_PKG_C;
	}
	if (rc != PKG_FOUND || !out[0]) {
		snprintf(out, outlen, "[unparsed]");
		return RG_PKG_UNPARSED;
	}
	return RG_PKG_MANGLED;
}

int rg_attr_has_packages(const rg_binary *b)
{
	const rg_attr *a = b->attr;
	char buf[64];
	size_t i;

	if (!a || !a->finished)
		return 0;
	if (a->go)
		return 1;
	for (i = 0; i < a->nsyms; i++) {
		const char *nm = final_name(a, &a->syms[i]);
		if (a->strip_underscore && nm[0] == '_')
			nm++;
		if (nm[0] == '_' && (nm[1] == 'Z' || nm[1] == 'R') &&
		    rg_attr_native_package(nm, buf, sizeof(buf)) == RG_PKG_MANGLED)
			return 1;
	}
	return 0;
}

/* ---- rows ------------------------------------------------------------------ */

/*
 * Groups by name. A row's name is borrowed (a symbol's, in the pool) or
 * kept in the map's arena (names made for the key) until rg_attr_rows
 * copies the names of the rows it returns: most groups are folded into
 * [other] and never need a copy.
 */
#define ARENA_CHUNK 65536

typedef struct gmap {
	rg_attr_row *rows;
	uint64_t *hv;        /* each row's name hash: rehashing reads no name */
	size_t n, cap, hvcap;
	uint32_t *hash;      /* row index + 1 */
	size_t hcap;
	char **chunks;       /* the arena: full chunks never move */
	size_t nchunks, chunkcap, used;
	int oom;
} gmap;

static void gmap_free(gmap *g)
{
	size_t i;

	for (i = 0; i < g->nchunks; i++)
		free(g->chunks[i]);
	free(g->chunks);
	free(g->rows);
	free(g->hash);
	free(g->hv);
}

/* A copy of s[0..len) in the arena, or NULL. */
static char *arena_copy(gmap *g, const char *s, size_t len)
{
	char *p;

	if (len >= ARENA_CHUNK)
		len = ARENA_CHUNK - 1;
	if (!g->nchunks || g->used + len + 1 > ARENA_CHUNK) {
		if (rg_grow((void **)&g->chunks, &g->chunkcap, g->nchunks, sizeof(*g->chunks)) != RG_OK ||
		    !(g->chunks[g->nchunks] = malloc(ARENA_CHUNK)))
			return NULL;
		g->nchunks++;
		g->used = 0;
	}
	p = g->chunks[g->nchunks - 1] + g->used;
	memcpy(p, s, len);
	p[len] = '\0';
	g->used += len + 1;
	return p;
}

static int gmap_rehash(gmap *g)
{
	size_t ncap = g->hcap ? g->hcap * 2 : 1024, i;
	uint32_t *nh = calloc(ncap, sizeof(*nh));

	if (!nh)
		return -1;
	for (i = 0; i < g->n; i++) {
		size_t j = g->hv[i] & (ncap - 1);
		while (nh[j])
			j = (j + 1) & (ncap - 1);
		nh[j] = (uint32_t)i + 1;
	}
	free(g->hash);
	g->hash = nh;
	g->hcap = ncap;
	return 0;
}

/* The slot of the group named s[0..len) with hash h: empty when none. */
static size_t gmap_slot(const gmap *g, const char *s, size_t len, uint64_t h)
{
	size_t j;

	for (j = h & (g->hcap - 1); g->hash[j]; j = (j + 1) & (g->hcap - 1)) {
		const char *nm = g->rows[g->hash[j] - 1].name;
		if (g->hv[g->hash[j] - 1] == h && !strncmp(nm, s, len) && nm[len] == '\0')
			return j;
	}
	return j;
}

/* The group named s (of len bytes, hash h: name_hash), created with size
 * -1 when new, or -1 when out of memory. borrow: s, NUL-terminated at len,
 * lives as long as the map (else it is copied). */
static int32_t gmap_put(gmap *g, const char *s, size_t len, uint64_t h, int borrow)
{
	size_t j;
	rg_attr_row *r;

	if ((g->n + 1) * 2 > g->hcap && gmap_rehash(g) != 0)
		goto oom;
	j = gmap_slot(g, s, len, h);
	if (g->hash[j])
		return (int32_t)(g->hash[j] - 1);
	if (rg_grow((void **)&g->rows, &g->cap, g->n, sizeof(*g->rows)) != RG_OK ||
	    rg_grow((void **)&g->hv, &g->hvcap, g->n, sizeof(*g->hv)) != RG_OK)
		goto oom;
	g->hv[g->n] = h;
	r = &g->rows[g->n];
	memset(r, 0, sizeof(*r));
	r->size = -1;
	if (!(r->name = borrow ? (char *)s : arena_copy(g, s, len)))
		goto oom;
	g->hash[j] = (uint32_t)++g->n;
	return (int32_t)(g->n - 1);
oom:
	g->oom = 1;
	return -1;
}

static int32_t gmap_get(gmap *g, const char *s, int borrow)
{
	size_t len = strlen(s);

	return gmap_put(g, s, len, name_hash(s, len), borrow);
}

static int32_t gmap_find(const gmap *g, const char *s)
{
	size_t len = strlen(s), j;

	if (!g->hcap)
		return -1;
	j = gmap_slot(g, s, len, name_hash(s, len));
	return g->hash[j] ? (int32_t)(g->hash[j] - 1) : -1;
}

/* Label of a place no symbol covers: its section, else its segment. */
static void place_label(const rg_binary *b, int32_t reg, int bare, char *out, size_t n)
{
	const rg_region *r;

	if (reg < 0) {
		snprintf(out, n, "[outside]");
		return;
	}
	r = &b->regs[reg];
	if (r->sec >= 0)
		snprintf(out, n, bare ? "%s" : "[section %s]", b->secs[r->sec].name);
	else
		snprintf(out, n, "[segment %s]", b->segs[r->seg].name);
}

typedef struct keyctx {
	const rg_binary *b;
	rg_attr_key key;
	gmap g;
	int32_t *by_sym, *by_reg, *by_imp, none;
} keyctx;

static int32_t sym_group(keyctx *k, int32_t s, int pkg)
{
	const rg_attr *a = k->b->attr;
	char buf[MAX_NAME + 8];
	const char *name;
	int32_t gid;

	if (k->by_sym[s] >= 0)
		return k->by_sym[s];
	name = final_name(a, &a->syms[s]);
	if (pkg && a->syms[s].anon) {
		gid = gmap_get(&k->g, pool_str(a, (uint32_t)a->syms[s].pkg), 1);
	} else if (pkg) {
		if (a->strip_underscore && name[0] == '_')
			name++;
		if (a->go)
			rg_attr_go_package(name, buf, sizeof(buf));
		else
			rg_attr_native_package(name, buf, sizeof(buf));
		gid = gmap_get(&k->g, buf, 0);
	} else {
		gid = gmap_put(&k->g, name, a->syms[s].namelen, a->sym_hash[s], 1);
	}
	if (gid >= 0 && !pkg && !a->syms[s].anon && k->g.rows[gid].size < 0)
		k->g.rows[gid].size = (int64_t)(a->syms[s].end - a->syms[s].addr);
	return k->by_sym[s] = gid;
}

static int32_t reg_group(keyctx *k, int32_t reg, int bare)
{
	char buf[200];
	int32_t gid;
	size_t slot = reg < 0 ? k->b->nregs : (size_t)reg;

	if (k->by_reg[slot] >= 0)
		return k->by_reg[slot];
	place_label(k->b, reg, bare, buf, sizeof(buf));
	gid = gmap_get(&k->g, buf, 0);
	return k->by_reg[slot] = gid;
}

static int32_t imp_group(keyctx *k, uint64_t imp, int pkg)
{
	const rg_attr *a = k->b->attr;
	char buf[2 * MAX_NAME + 4];
	const rg_import *im;

	if (imp >= a->nimps)
		return k->none >= 0 ? k->none : (k->none = gmap_get(&k->g, "[unknown target]", 1));
	if (k->by_imp[imp] >= 0)
		return k->by_imp[imp];
	im = &a->imps[imp];
	if (pkg)
		snprintf(buf, sizeof(buf), "%s", im->lib ? pool_str(a, im->lib) : "[import]");
	else if (im->lib)
		snprintf(buf, sizeof(buf), "%s:%s", pool_str(a, im->lib), pool_str(a, im->name));
	else
		snprintf(buf, sizeof(buf), "%s", pool_str(a, im->name));
	return k->by_imp[imp] = gmap_get(&k->g, buf, 0);
}

/* The group of a cell under the key (target cells for target keys). */
static int32_t group_of(keyctx *k, const rg_acell *c)
{
	int pkg = k->key == RG_BY_PACKAGE || k->key == RG_BY_TARGET_PACKAGE;

	if (c->kind == RG_CELL_IMPORT)
		return imp_group(k, (uint64_t)c->sym, pkg);
	if (c->kind == RG_CELL_UNKNOWN)
		return imp_group(k, UINT64_MAX, 0);
	if (k->key == RG_BY_SECTION)
		return reg_group(k, c->reg, 1);
	return c->sym >= 0 ? sym_group(k, c->sym, pkg) : reg_group(k, c->reg, 0);
}

static int row_cmp(const void *x, const void *y)
{
	const rg_attr_row *p = x, *q = y;

	if (p->relocs != q->relocs)
		return p->relocs > q->relocs ? -1 : 1;
	return strcmp(p->name, q->name);
}

/* dirty_pages and sole_pages of every row, rows[gid[i]] for cell i;
 * order: the cells' page order (NULL: in order). */
static void count_pages(const rg_acell *cells, const uint32_t *order, size_t n,
                        const int32_t *gid, rg_attr_row *rows, size_t nrows, uint64_t *last)
{
	size_t i = 0, j;

	memset(last, 0, nrows * sizeof(*last));
	while (i < n) {
		uint64_t page = cells[order ? order[i] : i].page;
		int32_t g0 = -1;
		int sole = 1;

		for (j = i; j < n && cells[order ? order[j] : j].page == page; j++) {
			size_t c = order ? order[j] : j;
			int32_t g = gid[c];
			if (!cells[c].paged)
				continue; /* outside every region: marks no page */
			if (last[g] != page + 1) {
				last[g] = page + 1;
				rows[g].dirty_pages++;
			}
			if (g0 < 0)
				g0 = g;
			else if (g != g0)
				sole = 0;
		}
		if (g0 >= 0 && sole)
			rows[g0].sole_pages++;
		i = j;
	}
}

/* The k-th smallest of v[0..n) (k < n; from 0), reordering v: Hoare's
 * selection, expected linear time. */
static uint64_t kth_smallest(uint64_t *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		uint64_t p = v[lo + (hi - lo) / 2], x;
		size_t i = lo, j = hi;

		while (i <= j) {
			while (v[i] < p)
				i++;
			while (v[j] > p)
				j--;
			if (i <= j) {
				x = v[i], v[i] = v[j], v[j] = x;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		/* v[lo..j] <= p <= v[i..hi], and v[j+1..i-1] == p */
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return v[k];
	}
	return v[k];
}

/* Puts the keep first rows (by row_cmp) in order in front of the others,
 * which stay in no particular order: only their sums are shown. Sorts
 * the rows whose relocs reach the keep-th largest count, not all. */
static int rank_top(rg_attr_row *rows, size_t nrows, size_t keep)
{
	uint64_t *v = malloc(nrows * sizeof(*v)), t;
	size_t i, c;

	if (!v)
		return RG_ENOMEM;
	for (i = 0; i < nrows; i++)
		v[i] = rows[i].relocs;
	t = kth_smallest(v, nrows, nrows - keep); /* the keep-th largest */
	free(v);
	for (i = 0, c = 0; i < nrows; i++)
		if (rows[i].relocs >= t) {
			rg_attr_row x = rows[c];
			rows[c++] = rows[i];
			rows[i] = x;
		}
	qsort(rows, c, sizeof(*rows), row_cmp);
	return RG_OK;
}

int rg_attr_rows(const rg_binary *b, rg_attr_key key, size_t top, rg_attr_table *out,
                 rg_err *err)
{
	const rg_attr *a = b->attr;
	const rg_acell *cells;
	keyctx k;
	int32_t *gid = NULL, *remap = NULL;
	uint64_t *last = NULL;
	rg_attr_row *rows = NULL;
	size_t i, n, nrows = 0, keep, owned = 0, ng;
	int rc = RG_ENOMEM;

	memset(out, 0, sizeof(*out));
	out->by = key;
	if (!a || !a->finished)
		return rg_err_set(err, RG_EINPUT, "attribution was not recorded for %s", b->path);
	if ((key == RG_BY_TARGET || key == RG_BY_TARGET_PACKAGE) && !(a->want & RG_ATTR_TARGETS))
		return rg_err_set(err, RG_EINPUT, "fixup targets were not recorded for %s", b->path);
	if ((key == RG_BY_PACKAGE || key == RG_BY_TARGET_PACKAGE) && !rg_attr_has_packages(b))
		return rg_err_set(err, RG_EINPUT,
		                  "%s: --by %s needs a Go binary or C++/Rust symbols in its data "
		                  "(no Go pclntab, no mangled name found there); use --by symbol "
		                  "or --by section",
		                  b->path, rg_attr_key_name(key));
	memset(&k, 0, sizeof(k));
	k.b = b;
	k.key = key;
	k.none = -1;
	cells = key == RG_BY_TARGET || key == RG_BY_TARGET_PACKAGE ? a->tcells : a->cells;
	n = key == RG_BY_TARGET || key == RG_BY_TARGET_PACKAGE ? a->ntcells : a->ncells;
	/* Room for every group at once: a growing array copies itself. */
	ng = a->nsyms + b->nregs + a->nimps + 2;
	k.g.rows = malloc(ng * sizeof(*k.g.rows));
	k.g.hv = malloc(ng * sizeof(*k.g.hv));
	k.g.cap = k.g.hvcap = k.g.rows && k.g.hv ? ng : 0;
	k.by_sym = malloc((a->nsyms + 1) * sizeof(int32_t));
	k.by_reg = malloc((b->nregs + 1) * sizeof(int32_t));
	k.by_imp = malloc((a->nimps + 1) * sizeof(int32_t));
	gid = malloc((n + 1) * sizeof(int32_t));
	if (!k.by_sym || !k.by_reg || !k.by_imp || !gid)
		goto done;
	memset(k.by_sym, 0xff, (a->nsyms + 1) * sizeof(int32_t));
	memset(k.by_reg, 0xff, (b->nregs + 1) * sizeof(int32_t));
	memset(k.by_imp, 0xff, (a->nimps + 1) * sizeof(int32_t));
	for (i = 0; i < n; i++) {
		rg_attr_row *row;
		int32_t g = group_of(&k, &cells[i]);

		if (g < 0)
			goto done;
		gid[i] = g;
		row = &k.g.rows[g];
		row->relocs += (uint64_t)cells[i].relative + cells[i].symbolic;
		row->relative += cells[i].relative;
		row->symbolic += cells[i].symbolic;
		row->lazy += cells[i].lazy;
	}
	if (key == RG_BY_SECTION)
		for (i = 0; i < b->nsecs; i++) {
			int32_t g = gmap_find(&k.g, b->secs[i].name);
			if (g >= 0)
				k.g.rows[g].size = (k.g.rows[g].size < 0 ? 0 : k.g.rows[g].size) +
				                   (int64_t)b->secs[i].size;
		}
	/* Rank the groups, keep the top ones, fold the rest into [other]. */
	nrows = k.g.n;
	rows = k.g.rows;
	k.g.rows = NULL;
	for (i = 0; i < nrows; i++)
		rows[i].dirty_pages = i; /* remember the group id across the sort */
	keep = top && top < nrows ? top : nrows;
	if (keep < nrows && rank_top(rows, nrows, keep) != RG_OK)
		goto done;
	else if (keep == nrows && nrows)
		qsort(rows, nrows, sizeof(*rows), row_cmp);
	if (!(remap = malloc((nrows + 1) * sizeof(int32_t))) ||
	    !(last = malloc((nrows + 1) * sizeof(uint64_t))))
		goto done;
	for (i = 0; i < nrows; i++) {
		remap[rows[i].dirty_pages] = (int32_t)(i < keep ? i : keep);
		rows[i].dirty_pages = 0;
	}
	if (keep < nrows) {
		rg_attr_row other;
		memset(&other, 0, sizeof(other));
		other.size = -1;
		other.name = (char *)"[other]";
		for (i = keep; i < nrows; i++) {
			other.relocs += rows[i].relocs;
			other.relative += rows[i].relative;
			other.symbolic += rows[i].symbolic;
			other.lazy += rows[i].lazy;
		}
		rows[keep] = other;
		nrows = keep + 1;
	}
	/* The rows returned own their names. */
	for (owned = 0; owned < nrows; owned++)
		if (!(rows[owned].name = strdup(rows[owned].name)))
			goto done;
	for (i = 0; i < n; i++)
		gid[i] = remap[gid[i]];
	count_pages(cells, cells == a->cells ? a->cell_order : NULL, n, gid, rows, nrows, last);
	out->rows = rows;
	out->n = nrows;
	for (i = 0; i < nrows; i++)
		out->total += rows[i].relocs;
	rows = NULL;
	rc = RG_OK;
done:
	if (k.g.oom)
		rc = RG_ENOMEM;
	if (rc != RG_OK)
		rg_err_set(err, rc, "out of memory while attributing fixups");
	if (rows) {
		for (i = 0; i < owned; i++)
			free(rows[i].name);
		free(rows);
	}
	gmap_free(&k.g);
	free(k.by_sym);
	free(k.by_reg);
	free(k.by_imp);
	free(gid);
	free(remap);
	free(last);
	return rc;
}

void rg_attr_table_free(rg_attr_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->rows[i].name);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

/* ---- group metrics for budgets ---------------------------------------------- */

/* The row of t named exactly like the text between '[' and the last ']'. */
static const rg_attr_row *row_named(const rg_attr_table *t, const char *open, const char *close)
{
	size_t i, len = (size_t)(close - open - 1);

	for (i = 0; i < t->n; i++)
		if (strlen(t->rows[i].name) == len && !memcmp(t->rows[i].name, open + 1, len))
			return &t->rows[i];
	return NULL;
}

int rg_attr_group_metrics(rg_binary *b, const char *const *names, size_t n, rg_err *err)
{
	rg_attr_table tabs[2];
	int have[2] = { 0, 0 }, rc = RG_OK;
	size_t i;

	memset(tabs, 0, sizeof(tabs));
	for (i = 0; i < n && rc == RG_OK; i++) {
		const char *nm = names[i], *open = strchr(nm, '['), *close = strrchr(nm, ']');
		int pkg = !strncmp(nm, "package[", 8);
		const rg_attr_row *r;
		int64_t v;

		if (!rg_metric_is_group(nm) || rg_metric_lookup(b, nm, &v))
			continue;
		if (pkg && !rg_attr_has_packages(b))
			continue; /* no packages (neither Go nor C++/Rust): absent */
		if (!have[pkg]) {
			rc = rg_attr_rows(b, pkg ? RG_BY_PACKAGE : RG_BY_SYMBOL, 0, &tabs[pkg], err);
			if (rc != RG_OK)
				break;
			have[pkg] = 1;
		}
		r = row_named(&tabs[pkg], open, close);
		v = !r ? 0 : !strcmp(close, "].dirty_pages") ? (int64_t)r->dirty_pages
		                                              : (int64_t)r->relocs;
		if (rg_catalog_add(b, nm, v) != RG_OK)
			rc = rg_err_set(err, RG_ENOMEM, "out of memory");
	}
	rg_attr_table_free(&tabs[0]);
	rg_attr_table_free(&tabs[1]);
	return rc;
}
