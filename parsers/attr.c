/*
 * attr.c - fixup attribution (attr.h, docs/attribution.md).
 *
 * Records: one per fixup (parallel arrays), appended by the parsers only when
 * attribution is on. Symbols: one table per binary (ELF .symtab else
 * .dynsym, Mach-O LC_SYMTAB, PE COFF, else the Go pclntab's functions),
 * sorted by address; several names at one address resolve to one by a
 * fixed rule (a global before a local, then the larger table size, then the
 * smaller name in byte order); each symbol ends where its size says (ELF)
 * or at the next symbol or the end of its section (Mach-O, PE, pclntab),
 * and never past the start of the next symbol.
 *
 * Rows: records are mapped to group ids through per-symbol, per-region
 * and per-import caches, so the names of a key are built once per symbol,
 * not once per fixup; pages are counted over the records sorted by page
 * (a radix sort), where a group's page repeats only as its last one.
 */
#include "attr.h"
#include "pclntab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NAME 1024           /* longer names are truncated */
#define MAX_POOL (1u << 30)     /* string pool cap: offsets are 32-bit */

static int grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	size_t ncap;
	void *na;

	if (n < *cap)
		return RG_OK;
	ncap = *cap ? *cap * 2 : 64;
	if (ncap > SIZE_MAX / elem)
		return RG_ENOMEM;
	na = realloc(*arr, ncap * elem);
	if (!na)
		return RG_ENOMEM;
	*arr = na;
	*cap = ncap;
	return RG_OK;
}

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
	free(a->rec_reg);
	free(a->rec_sym);
	free(a->rec_treg);
	free(a->rec_tsym);
	free(a->order);
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

/* Appends s[0..len) to the pool; its offset, or 0 when out of room. */
static uint32_t pool_add(rg_attr *a, const char *s, size_t len)
{
	uint32_t at;

	if (len > MAX_NAME)
		len = MAX_NAME;
	if (a->poollen + len + 1 > MAX_POOL)
		return 0;
	while (a->poollen + len + 1 > a->poolcap) {
		char *np = realloc(a->pool, a->poolcap * 2);
		if (!np)
			return 0;
		a->pool = np;
		a->poolcap *= 2;
	}
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
	if (grow((void **)&a->imps, &a->impcap, a->nimps, sizeof(*a->imps)) != RG_OK)
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

static rg_asym *new_sym(rg_binary *b, uint64_t addr, uint64_t size, int global, int sized)
{
	rg_attr *a = b->attr;
	rg_asym *s;

	if (grow((void **)&a->syms, &a->symcap, a->nsyms, sizeof(*a->syms)) != RG_OK)
		return NULL;
	s = &a->syms[a->nsyms++];
	s->addr = addr;
	s->end = size;
	s->global = (uint8_t)(global != 0);
	s->sized = (uint8_t)(sized != 0);
	s->in_file = 0;
	s->anon = 0;
	s->pkg = 0;
	s->name = 0;
	return s;
}

int rg_attr_add_sym(rg_binary *b, const char *name, size_t len, uint64_t addr, uint64_t size,
                    int global, int sized)
{
	rg_asym *s;

	if (!b->attr)
		return RG_OK;
	if (!(s = new_sym(b, addr, size, global, sized)))
		return RG_ENOMEM;
	if (!(s->name = pool_add(b->attr, name, len)) && len)
		return RG_ENOMEM;
	return RG_OK;
}

int rg_attr_add_sym_at(rg_binary *b, uint64_t name_off, uint64_t addr, uint64_t size,
                       int global, int sized)
{
	rg_asym *s;

	if (!b->attr)
		return RG_OK;
	if (!(s = new_sym(b, addr, size, global, sized)))
		return RG_ENOMEM;
	s->name = name_off;
	s->in_file = 1;
	return RG_OK;
}

void rg_attr_drop_syms(rg_binary *b, const char *why)
{
	if (!b->attr)
		return;
	b->attr->nsyms = 0;
	b->attr->symsrc[0] = '\0';
	rg_binary_add_note(b, "attribution: %s; fixups are attributed to sections only", why);
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
	rg_asym *sorted;
	size_t i, k, n = a->nsyms;

	if (!n)
		return RG_OK;
	idx = malloc(n * sizeof(*idx));
	key = malloc(n * sizeof(*key));
	sorted = malloc(n * sizeof(*sorted));
	if (!idx || !key || !sorted || n > UINT32_MAX)
		goto oom;
	for (i = 0; i < n; i++) {
		idx[i] = (uint32_t)i;
		key[i] = a->syms[i].addr;
	}
	if (radix_sort(idx, key, n) != RG_OK)
		goto oom;
	for (i = 0, k = 0; i < n; i++) {
		const rg_asym *s = &a->syms[idx[i]];
		if (k && sorted[k - 1].addr == s->addr) {
			if (sym_better(a, slice, s, &sorted[k - 1]))
				sorted[k - 1] = *s;
			continue;
		}
		sorted[k++] = *s;
	}
	free(a->syms);
	a->syms = sorted;
	a->symcap = n;
	sorted = NULL;
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
	free(sorted);
	return RG_ENOMEM;
}

/* The symbol whose extent holds addr, or -1; hint: the last hit. */
static int32_t sym_at(const rg_attr *a, uint64_t addr, int32_t *hint)
{
	size_t lo = 0, hi = a->nsyms;

	if (*hint >= 0 && addr >= a->syms[*hint].addr && addr < a->syms[*hint].end)
		return *hint;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (addr < a->syms[mid].addr)
			hi = mid;
		else
			lo = mid + 1;
	}
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

/* Copies into the pool the names of the symbols some record uses (the
 * others are never shown), and forgets the names of the rest. */
static int keep_names(rg_attr *a, const rg_view *slice)
{
	uint8_t *used = calloc(a->nsyms + 1, 1);
	size_t i;

	if (!used)
		return RG_ENOMEM;
	for (i = 0; i < a->nrecs; i++) {
		if (a->rec_sym[i] >= 0)
			used[a->rec_sym[i]] = 1;
		if (a->rec_tsym && a->rec_tsym[i] >= 0)
			used[a->rec_tsym[i]] = 1;
	}
	for (i = 0; i < a->nsyms; i++) {
		rg_asym *s = &a->syms[i];
		const char *nm;
		size_t len;

		if (!s->in_file)
			continue;
		nm = sym_name(a, slice, s);
		s->in_file = 0;
		if (!used[i]) {
			s->name = 0;
			continue;
		}
		len = strnlen(nm, MAX_NAME);
		s->name = pool_add(a, nm, len);
		if (!s->name && len) {
			free(used);
			return RG_ENOMEM;
		}
	}
	free(used);
	return RG_OK;
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
	rc = RG_OK;
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

/* Names the unnamed objects after their owners (needs rec_sym). */
static int go_owners(rg_binary *b, const rg_view *slice)
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
			if (s >= 0 && a->syms[s].anon && s != a->rec_sym[i])
				tsym[i] = s;
		}
	}
	/* Owners only ever go from none to one to several: a fixed point. */
	for (round = 0; changed && round < 64; round++) {
		changed = 0;
		for (i = 0; i < n; i++) {
			int32_t t = tsym[i], l = a->rec_sym[i], r;
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

int rg_attr_finish(rg_binary *b, const rg_view *slice)
{
	rg_attr *a = b->attr;
	int32_t thint = -1;
	size_t i, n, reg = 0, sym = 0;
	int64_t v;
	int rc, anon;

	if (!a || a->finished)
		return RG_OK;
	n = a->nrecs;
	a->go = rg_metric_lookup(b, "pclntab.funcs", &v);
	a->strip_underscore = !strcmp(b->format, "macho");
	if (finish_syms(b, slice) != RG_OK)
		return RG_ENOMEM;
	if (!a->target && !(a->target = calloc(n + 1, sizeof(uint64_t))))
		return RG_ENOMEM; /* ELF without RG_ATTR_TARGETS: none will need it */
	anon = a->go && a->nsyms && strcmp(a->symsrc, "pclntab") && strcmp(b->format, "elf");
	if (anon || (a->want & RG_ATTR_TARGETS))
		resolve_words(b, slice);
	if (anon && go_cut(b, slice) != RG_OK)
		return RG_ENOMEM;
	a->rec_reg = malloc(n * sizeof(int32_t) + 1);
	a->rec_sym = malloc(n * sizeof(int32_t) + 1);
	if (!a->rec_reg || !a->rec_sym)
		return RG_ENOMEM;
	if (!(a->order = malloc(n * sizeof(uint32_t) + 1)))
		return RG_ENOMEM;
	if ((rc = order_records(a->order, a->addr, n)) != RG_OK) {
		if (rc != RG_SORTED)
			return RG_ENOMEM;
		free(a->order); /* in address order already */
		a->order = NULL;
	}
	/* One merge walk in address order over regions and symbols, both
	 * sorted and disjoint. */
	for (i = 0; i < n; i++) {
		uint32_t r = a->order ? a->order[i] : (uint32_t)i;
		uint64_t addr = a->addr[r];

		while (reg < b->nregs && b->regs[reg].end <= addr)
			reg++;
		a->rec_reg[r] = reg < b->nregs && b->regs[reg].start <= addr ? (int32_t)reg : -1;
		while (sym < a->nsyms && a->syms[sym].end <= addr)
			sym++;
		a->rec_sym[r] = sym < a->nsyms && a->syms[sym].addr <= addr ? (int32_t)sym : -1;
	}
	if (anon && go_owners(b, slice) != RG_OK)
		return RG_ENOMEM;
	if (a->want & RG_ATTR_TARGETS) {
		a->rec_treg = malloc(n * sizeof(int32_t) + 1);
		a->rec_tsym = malloc(n * sizeof(int32_t) + 1);
		if (!a->rec_treg || !a->rec_tsym)
			return RG_ENOMEM;
		for (i = 0; i < n; i++) {
			unsigned tgt = a->flags[i] >> RG_REC_TGT_SHIFT;

			a->rec_treg[i] = -1;
			a->rec_tsym[i] = -1;
			if (tgt == RG_TGT_ADDR) {
				a->rec_treg[i] = (int32_t)rg_binary_region_at(b, a->target[i]);
				a->rec_tsym[i] = sym_at(a, a->target[i], &thint);
			}
		}
	}
	if (keep_names(a, slice) != RG_OK)
		return RG_ENOMEM;
	a->finished = 1;
	if (a->nrecs != b->n_total)
		rg_binary_add_note(b, "attribution: %zu fixup records for %llu fixups", a->nrecs,
		                   (unsigned long long)b->n_total);
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

/* ---- rows ------------------------------------------------------------------ */

typedef struct gmap {
	rg_attr_row *rows;
	uint64_t *hv;        /* each row's name hash: rehashing reads no name */
	size_t n, cap, hvcap;
	uint32_t *hash;      /* row index + 1 */
	size_t hcap;
	int oom;
} gmap;

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

/* The group named s (created with size -1 when new), or -1 when out of memory. */
static int32_t gmap_get(gmap *g, const char *s)
{
	size_t j;
	rg_attr_row *r;
	uint64_t h = fnv(s, strlen(s), 1469598103934665603ULL);

	if ((g->n + 1) * 2 > g->hcap && gmap_rehash(g) != 0)
		goto oom;
	for (j = h & (g->hcap - 1); g->hash[j]; j = (j + 1) & (g->hcap - 1))
		if (g->hv[g->hash[j] - 1] == h && !strcmp(g->rows[g->hash[j] - 1].name, s))
			return (int32_t)(g->hash[j] - 1);
	if (grow((void **)&g->rows, &g->cap, g->n, sizeof(*g->rows)) != RG_OK ||
	    grow((void **)&g->hv, &g->hvcap, g->n, sizeof(*g->hv)) != RG_OK)
		goto oom;
	g->hv[g->n] = h;
	r = &g->rows[g->n];
	memset(r, 0, sizeof(*r));
	r->size = -1;
	if (!(r->name = strdup(s)))
		goto oom;
	g->hash[j] = (uint32_t)++g->n;
	return (int32_t)(g->n - 1);
oom:
	g->oom = 1;
	return -1;
}

static int32_t gmap_find(const gmap *g, const char *s)
{
	size_t j;

	if (!g->hcap)
		return -1;
	for (j = fnv(s, strlen(s), 1469598103934665603ULL) & (g->hcap - 1); g->hash[j];
	     j = (j + 1) & (g->hcap - 1))
		if (!strcmp(g->rows[g->hash[j] - 1].name, s))
			return (int32_t)(g->hash[j] - 1);
	return -1;
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
	name = pool_str(a, a->syms[s].name);
	if (pkg && a->syms[s].anon) {
		name = pool_str(a, (uint32_t)a->syms[s].pkg);
	} else if (pkg) {
		if (a->strip_underscore && name[0] == '_')
			name++;
		rg_attr_go_package(name, buf, sizeof(buf));
		name = buf;
	}
	gid = gmap_get(&k->g, name);
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
	gid = gmap_get(&k->g, buf);
	return k->by_reg[slot] = gid;
}

static int32_t imp_group(keyctx *k, uint64_t imp, int pkg)
{
	const rg_attr *a = k->b->attr;
	char buf[2 * MAX_NAME + 4];
	const rg_import *im;

	if (imp >= a->nimps)
		return k->none >= 0 ? k->none : (k->none = gmap_get(&k->g, "[unknown target]"));
	if (k->by_imp[imp] >= 0)
		return k->by_imp[imp];
	im = &a->imps[imp];
	if (pkg)
		snprintf(buf, sizeof(buf), "%s", im->lib ? pool_str(a, im->lib) : "[import]");
	else if (im->lib)
		snprintf(buf, sizeof(buf), "%s:%s", pool_str(a, im->lib), pool_str(a, im->name));
	else
		snprintf(buf, sizeof(buf), "%s", pool_str(a, im->name));
	return k->by_imp[imp] = gmap_get(&k->g, buf);
}

static int32_t group_of(keyctx *k, size_t i)
{
	const rg_attr *a = k->b->attr;
	unsigned tgt = a->flags[i] >> RG_REC_TGT_SHIFT;
	int32_t s;

	switch (k->key) {
	case RG_BY_SECTION:
		return reg_group(k, a->rec_reg[i], 1);
	case RG_BY_SYMBOL:
	case RG_BY_PACKAGE:
		s = a->rec_sym[i];
		return s >= 0 ? sym_group(k, s, k->key == RG_BY_PACKAGE) : reg_group(k, a->rec_reg[i], 0);
	default:
		if (tgt == RG_TGT_IMPORT)
			return imp_group(k, a->target[i], k->key == RG_BY_TARGET_PACKAGE);
		if (tgt != RG_TGT_ADDR)
			return imp_group(k, UINT64_MAX, 0);
		s = a->rec_tsym[i];
		return s >= 0 ? sym_group(k, s, k->key == RG_BY_TARGET_PACKAGE)
		              : reg_group(k, a->rec_treg[i], 0);
	}
}

static int row_cmp(const void *x, const void *y)
{
	const rg_attr_row *p = x, *q = y;

	if (p->relocs != q->relocs)
		return p->relocs > q->relocs ? -1 : 1;
	return strcmp(p->name, q->name);
}

/* dirty_pages and sole_pages of every row, rows[gid[i]] for record i. */
static void count_pages(const rg_binary *b, const int32_t *gid, rg_attr_row *rows, size_t nrows,
                        uint64_t *last)
{
	const rg_attr *a = b->attr;
	size_t i = 0, n = a->nrecs;

	memset(last, 0, nrows * sizeof(*last));
	while (i < n) {
		uint32_t first = a->order ? a->order[i] : (uint32_t)i;
		uint64_t page;
		int32_t g0;
		int sole = 1;
		size_t j;

		if (a->rec_reg[first] < 0) {
			i++; /* outside every region: marks no page */
			continue;
		}
		page = a->addr[first] >> b->page_shift;
		g0 = gid[first];
		for (j = i; j < n; j++) {
			uint32_t r = a->order ? a->order[j] : (uint32_t)j;
			int32_t g;
			if (a->addr[r] >> b->page_shift != page)
				break;
			if (a->rec_reg[r] < 0)
				continue;
			g = gid[r];
			if (last[g] != page + 1) {
				last[g] = page + 1;
				rows[g].dirty_pages++;
			}
			if (g != g0)
				sole = 0;
		}
		if (sole)
			rows[g0].sole_pages++;
		i = j;
	}
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
	qsort(v, nrows, sizeof(*v), u64_cmp);
	t = v[nrows - keep]; /* the keep-th largest */
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
	keyctx k;
	int32_t *gid = NULL, *remap = NULL;
	uint64_t *last = NULL;
	rg_attr_row *rows = NULL;
	size_t i, n, nrows, keep;
	int rc = RG_ENOMEM;

	memset(out, 0, sizeof(*out));
	out->by = key;
	if (!a || !a->finished)
		return rg_err_set(err, RG_EINPUT, "attribution was not recorded for %s", b->path);
	if ((key == RG_BY_TARGET || key == RG_BY_TARGET_PACKAGE) && !a->rec_treg)
		return rg_err_set(err, RG_EINPUT, "fixup targets were not recorded for %s", b->path);
	if ((key == RG_BY_PACKAGE || key == RG_BY_TARGET_PACKAGE) && !a->go)
		return rg_err_set(err, RG_EINPUT,
		                  "%s: --by %s needs a Go binary (no Go pclntab found); "
		                  "use --by symbol or --by section", b->path, rg_attr_key_name(key));
	memset(&k, 0, sizeof(k));
	k.b = b;
	k.key = key;
	k.none = -1;
	n = a->nrecs;
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
		unsigned fl = a->flags[i];
		rg_attr_row *row;
		int32_t g, s;

		/* The caches of group_of(), inline: most records hit them. */
		if (key == RG_BY_SYMBOL || key == RG_BY_PACKAGE) {
			s = a->rec_sym[i];
			g = s >= 0 ? k.by_sym[s] : k.by_reg[a->rec_reg[i] < 0 ? b->nregs
			                                                       : (size_t)a->rec_reg[i]];
			if (g < 0)
				g = group_of(&k, i);
		} else {
			g = group_of(&k, i);
		}
		if (g < 0)
			goto done;
		gid[i] = g;
		row = &k.g.rows[g];
		row->relocs++;
		if (fl & RG_REC_SYMBOLIC)
			row->symbolic++;
		else
			row->relative++;
		row->lazy += (fl & RG_REC_LAZY) != 0;
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
		for (i = keep; i < nrows; i++) {
			other.relocs += rows[i].relocs;
			other.relative += rows[i].relative;
			other.symbolic += rows[i].symbolic;
			other.lazy += rows[i].lazy;
			free(rows[i].name);
		}
		if (!(other.name = strdup("[other]"))) {
			for (i = keep; i < nrows; i++)
				rows[i].name = NULL;
			goto done;
		}
		rows[keep] = other;
		for (i = keep + 1; i < nrows; i++)
			rows[i].name = NULL;
		nrows = keep + 1;
	}
	for (i = 0; i < n; i++)
		gid[i] = remap[gid[i]];
	count_pages(b, gid, rows, nrows, last);
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
	if (k.g.rows) {
		for (i = 0; i < k.g.n; i++)
			free(k.g.rows[i].name);
		free(k.g.rows);
	}
	if (rows) {
		for (i = 0; i < nrows; i++)
			free(rows[i].name);
		free(rows);
	}
	free(k.g.hash);
	free(k.g.hv);
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
		if (pkg && (!b->attr || !b->attr->go))
			continue; /* not a Go binary: absent */
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
