/*
 * macho_chained.c - fixup chains: LC_DYLD_CHAINED_FIXUPS (iOS 13.4+/macOS
 * 12+) and the in-data chains of BIND_OPCODE_THREADED (arm64e before
 * iOS 15).
 *
 * Layout (Apple <mach-o/fixup-chains.h>): dyld_chained_fixups_header ->
 * dyld_chained_starts_in_image (one offset per LC_SEGMENT, 0 = none) ->
 * dyld_chained_starts_in_segment (page size, pointer format, segment
 * offset from the mach header, max_valid_pointer, page_start[] with
 * DYLD_CHAINED_PTR_START_NONE and, for 32-bit formats, START_MULTI pages
 * whose starts follow in an overflow list ended by START_LAST). Each
 * location in a chain is one fixup; its `next` field is the distance to the
 * following one in units of the format's stride, 0 ending the chain.
 *
 * Pointer formats (value bits: bind flag, auth flag, next field, stride):
 *   ARM64E(1), ARM64E_USERLAND(9), ARM64E_USERLAND24(12): auth 63, bind 62,
 *       next 51..61, stride 8; ARM64E_KERNEL(7), ARM64E_FIRMWARE(10): same
 *       bits, stride 4;
 *   64(2), 64_OFFSET(6): bind 63, next 51..62, stride 4;
 *   64_KERNEL_CACHE(8): auth 63, next 51..62, stride 4, rebases only;
 *   X86_64_KERNEL_CACHE(11): as 8 with stride 1;
 *   ARM64E_SHARED_CACHE(13): auth 63, next 52..62, stride 8, rebases only;
 *   ARM64E_SEGMENTED(14): auth 63, next 51..62, stride 4, rebases only;
 *   32(3): bind 31, next 26..30, stride 4 (a rebase target above
 *       max_valid_pointer is a non-pointer dyld still rewrites: counted as
 *       a rebase, since it dirties the page the same way);
 *   32_CACHE(4): next 30..31, stride 4; 32_FIRMWARE(5): next 26..31,
 *       stride 4; both rebases only.
 * Chains never leave their page: a link past the page or the segment's
 * file bytes is malformed input, which also makes loops impossible.
 */
#include "macho.h"
#include "attr.h"

#include <stdlib.h>
#include <string.h>

#define START_NONE  0xffffu
#define START_MULTI 0x8000u
#define START_LAST  0x8000u

typedef struct ptrfmt {
	unsigned width;      /* 4 or 8 bytes */
	unsigned stride;
	unsigned next_shift, next_bits;
	int bind_bit;        /* -1: no binds */
	int auth_bit;        /* -1: no authentication */
	unsigned ord_bits;   /* bind ordinal width */
} ptrfmt;

static int get_format(uint16_t id, ptrfmt *f)
{
	static const ptrfmt arm64e8 = { 8, 8, 51, 11, 62, 63, 16 };
	static const ptrfmt arm64e4 = { 8, 4, 51, 11, 62, 63, 16 };
	static const ptrfmt arm64e24 = { 8, 8, 51, 11, 62, 63, 24 };
	static const ptrfmt gen64 = { 8, 4, 51, 12, 63, -1, 24 };
	static const ptrfmt kc64 = { 8, 4, 51, 12, -1, 63, 0 };
	static const ptrfmt kcx86 = { 8, 1, 51, 12, -1, 63, 0 };
	static const ptrfmt shared = { 8, 8, 52, 11, -1, 63, 0 };
	static const ptrfmt segm = { 8, 4, 51, 12, -1, 63, 0 };
	static const ptrfmt gen32 = { 4, 4, 26, 5, 31, -1, 20 };
	static const ptrfmt cache32 = { 4, 4, 30, 2, -1, -1, 0 };
	static const ptrfmt fw32 = { 4, 4, 26, 6, -1, -1, 0 };

	switch (id) {
	case 1: case 9: *f = arm64e8; break;
	case 7: case 10: *f = arm64e4; break;
	case 12: *f = arm64e24; break;
	case 2: case 6: *f = gen64; break;
	case 8: *f = kc64; break;
	case 11: *f = kcx86; break;
	case 13: *f = shared; break;
	case 14: *f = segm; break;
	case 3: *f = gen32; break;
	case 4: *f = cache32; break;
	case 5: *f = fw32; break;
	default: return -1;
	}
	return 0;
}

typedef struct chainctx {
	rg_macho *m;
	ptrfmt f;
	const rg_mseg *seg;
	/* imports, for the weak-lookup breakdown */
	const uint8_t *imports;
	uint32_t nimports, import_size;
	/* Attribution only: the pointer format, the image's base address,
	 * the imports' name pool and each import's interned index + 1. */
	uint16_t fmt;
	uint64_t base;
	const uint8_t *names;
	uint32_t names_size;
	uint32_t *imp_cache;
} chainctx;

#define FMT_THREADED 0xffffu

/* What a rebase link holding val points to (RG_TGT_NONE: a format whose
 * targets are not decoded here). */
static int rebase_target(const chainctx *c, uint64_t val, int auth, uint64_t *t)
{
	switch (c->fmt) {
	case 1: case FMT_THREADED: /* ARM64E: vmaddr; auth: offset from the base */
		*t = auth ? c->base + (val & 0xffffffffu) : val & 0x7ffffffffffull;
		return RG_TGT_ADDR;
	case 9: case 12: /* ARM64E_USERLAND(24): offsets from the base */
		*t = c->base + (auth ? val & 0xffffffffu : val & 0x7ffffffffffull);
		return RG_TGT_ADDR;
	case 2: /* PTR_64: vmaddr, 36 bits */
		*t = val & 0xfffffffffull;
		return RG_TGT_ADDR;
	case 6: /* PTR_64_OFFSET */
		*t = c->base + (val & 0xfffffffffull);
		return RG_TGT_ADDR;
	case 3: /* PTR_32: vmaddr, 26 bits */
		*t = val & 0x3ffffffu;
		return RG_TGT_ADDR;
	}
	return RG_TGT_NONE;
}

/* The interned import of bind ordinal ord, or UINT32_MAX. */
static uint32_t chained_import(chainctx *c, uint64_t ord)
{
	const uint8_t *e;
	int be = c->m->v.big_endian;
	int64_t lib;
	uint64_t name;
	const char *nm;
	uint32_t imp;

	if (!c->imports || ord >= c->nimports || !c->imp_cache || !c->names)
		return UINT32_MAX;
	if (c->imp_cache[ord])
		return c->imp_cache[ord] - 1;
	e = c->imports + ord * c->import_size;
	if (c->import_size == 16) {
		uint64_t w = rg_ld64(e, be);
		lib = (int16_t)(w & 0xffff);
		name = w >> 32;
	} else {
		uint32_t w = rg_ld32(e, be);
		lib = (int8_t)(w & 0xff);
		name = w >> 9;
	}
	if (name >= c->names_size ||
	    !memchr(c->names + name, 0, c->names_size - (size_t)name))
		return UINT32_MAX;
	nm = (const char *)c->names + name;
	imp = rg_macho_import(c->m, lib, nm, strlen(nm));
	if (imp != UINT32_MAX)
		c->imp_cache[ord] = imp + 1;
	return imp;
}

/* Attribution of one link at addr holding val. */
static void attr_link(chainctx *c, uint64_t addr, uint64_t val, int bind, int auth)
{
	rg_binary *b = c->m->b;
	uint64_t t = 0;
	int tgt = RG_TGT_NONE;

	if (bind) {
		if (c->fmt != FMT_THREADED && (b->attr->want & RG_ATTR_TARGETS)) {
			uint32_t imp = chained_import(c, val & ((1ull << c->f.ord_bits) - 1));
			if (imp != UINT32_MAX) {
				tgt = RG_TGT_IMPORT;
				t = imp;
			}
		}
		rg_attr_fix(b, addr, RG_FIX_SYMBOLIC, 0, tgt, t);
		return;
	}
	tgt = rebase_target(c, val, auth, &t);
	rg_attr_fix(b, addr, RG_FIX_RELATIVE, 0, tgt, t);
}

/* Import lib_ordinal == BIND_SPECIAL_DYLIB_WEAK_LOOKUP (-3): a weak bind. */
static int weak_import(const chainctx *c, uint64_t ord)
{
	const uint8_t *e = c->imports + ord * c->import_size;
	int be = c->m->v.big_endian;

	if (c->import_size == 16)
		return (rg_ld64(e, be) & 0xffff) == 0xfffd;
	return (rg_ld32(e, be) & 0xff) == 0xfd;
}

/* The breakdowns of a bind or authenticated link at addr holding val:
 * weak imports and arm64e authentication. */
static int classify(chainctx *c, uint64_t addr, uint64_t val, int bind, int auth, rg_err *err)
{
	rg_macho *m = c->m;

	if (bind && c->imports) {
		uint64_t ord = val & ((1ull << c->f.ord_bits) - 1);
		if (ord >= c->nimports)
			return rg_err_set(err, RG_EINPUT,
			                  "chained fixups: bind at 0x%llx uses import %llu of %u",
			                  (unsigned long long)addr, (unsigned long long)ord, c->nimports);
		if (weak_import(c, ord))
			m->n_weak++;
	}
	if (auth) {
		m->n_auth++;
		if (bind)
			m->n_auth_sym++;
		else
			m->n_auth_rel++;
	}
	return RG_OK;
}

/* Records the rel + sym links counted on the measurement page of addr. */
static void flush(rg_macho *m, uint64_t addr, uint64_t rel, uint64_t sym)
{
	if (rel)
		rg_fixup_n(m->b, addr, RG_FIX_RELATIVE, 0, rel);
	if (sym)
		rg_fixup_n(m->b, addr, RG_FIX_SYMBOLIC, 0, sym);
}

/*
 * Walks one chain from segment offset `off`, never past `limit` (the end
 * of the page, or of the segment's file bytes for threaded chains).
 * A chain has thousands of links: the loop keeps the format, the bounds
 * and the counts in locals, and hands the model one call per measurement
 * page and region (rg_fixup_n) instead of one per link.
 */
static int walk(chainctx *c, uint64_t off, uint64_t limit, rg_err *err)
{
	rg_macho *m = c->m;
	const rg_mseg *s = c->seg;
	const uint8_t *data = m->v.data;
	const uint64_t fileoff = s->fileoff, vmaddr = s->vmaddr;
	const int be = m->v.big_endian;
	const uint64_t bind_mask = c->f.bind_bit >= 0 ? 1ull << c->f.bind_bit : 0;
	const uint64_t auth_mask = c->f.auth_bit >= 0 ? 1ull << c->f.auth_bit : 0;
	const uint64_t next_mask = (1ull << c->f.next_bits) - 1;
	const unsigned width = c->f.width, next_shift = c->f.next_shift, stride = c->f.stride;
	const uint64_t page_mask = m->b->page_size - 1;
	/* Links the fixup cap still allows (a hostile file cannot make the
	 * walk count past what the file can hold). */
	const uint64_t room = m->nfix < m->fix_cap ? m->fix_cap - m->nfix : 0;
	/* A link's word must end inside the page (limit), the segment's
	 * file bytes and the file: it may start at last_off at most. */
	const uint64_t in_file = m->v.size > fileoff ? m->v.size - fileoff : 0;
	uint64_t end, last_off;
	uint64_t links = 0, rel = 0, sym = 0, page_addr = 0, page_end = 0;
	int rc = RG_OK, fits;

	if (limit > s->filesize)
		limit = s->filesize;
	end = limit < in_file ? limit : in_file;
	fits = end >= width;
	last_off = fits ? end - width : 0;
	for (;;) {
		uint64_t val, addr = vmaddr + off, n;
		int bind, auth;

		if (!fits || off > last_off) {
			if (off > limit || width > limit - off)
				rc = rg_err_set(err, RG_EINPUT,
				                "fixup chain in %s leaves its page at offset 0x%llx",
				                s->name, (unsigned long long)off);
			else
				rc = rg_err_set(err, RG_EINPUT,
				                "fixup chain in %s runs past the end of the file", s->name);
			break;
		}
		val = width == 8 ? rg_ld64(data + fileoff + off, be) : rg_ld32(data + fileoff + off, be);
		if (++links > room) {
			m->nfix += links;
			rc = rg_macho_too_many(m, err);
			links = 0;
			break;
		}
		/* Links go forward: a link past the page's end starts a page. */
		if (addr > page_end || addr < page_addr) {
			uint64_t span_end = rg_binary_span_end(m->b, addr);
			flush(m, page_addr, rel, sym);
			rel = sym = 0;
			page_addr = addr;
			/* One batch stays in one page and one region (a section). */
			page_end = addr | page_mask;
			if (span_end < page_end)
				page_end = span_end;
		}
		bind = (val & bind_mask) != 0;
		auth = (val & auth_mask) != 0;
		if ((bind | auth) && (rc = classify(c, addr, val, bind, auth, err)) != RG_OK)
			break;
		if (bind)
			sym++;
		else
			rel++;
		if (m->b->attr)
			attr_link(c, addr, val, bind, auth);
		n = (val >> next_shift) & next_mask;
		if (n == 0)
			break;
		off += n * stride;
	}
	m->nfix += links;
	flush(m, page_addr, rel, sym);
	return rc;
}

static uint64_t image_base(const rg_macho *m);

int rg_macho_threaded_chain(rg_macho *m, uint64_t seg, uint64_t off, rg_err *err)
{
	chainctx c;

	memset(&c, 0, sizeof(c));
	c.m = m;
	get_format(1, &c.f); /* threaded chains use the arm64e layout */
	if (seg >= m->nsegs)
		return rg_err_set(err, RG_EINPUT, "threaded bind: segment index %llu out of range",
		                  (unsigned long long)seg);
	c.seg = &m->segs[seg];
	m->auth_capable = 1;
	c.fmt = FMT_THREADED;
	c.base = image_base(m);
	return walk(&c, off, c.seg->vmsize, err);
}

/* The mach header's address: chained segment offsets count from it. */
static uint64_t image_base(const rg_macho *m)
{
	size_t i;

	for (i = 0; i < m->nsegs; i++)
		if (m->segs[i].fileoff == 0 && m->segs[i].filesize != 0)
			return m->segs[i].vmaddr;
	return 0;
}

/* dyld_chained_starts_in_segment at `so` (inside view d) for segment i. */
static int chained_segment(chainctx *c, const rg_view *d, uint64_t so, uint32_t i, rg_err *err)
{
	rg_macho *m = c->m;
	uint16_t psize, fmt, npages, start;
	uint64_t segoff, seg_delta, base = image_base(m);
	uint32_t size, maxp;
	uint64_t nstarts;
	uint32_t p;

	if (rg_view_u32(d, so, &size) || rg_view_u16(d, so + 4, &psize) ||
	    rg_view_u16(d, so + 6, &fmt) || rg_view_u64(d, so + 8, &segoff) ||
	    rg_view_u32(d, so + 16, &maxp) || rg_view_u16(d, so + 20, &npages))
		return rg_err_set(err, RG_EINPUT, "chained fixups: starts of segment %u are truncated", i);
	if (get_format(fmt, &c->f) != 0)
		return rg_err_set(err, RG_EINPUT, "chained fixups: unknown pointer format %u in segment %s",
		                  fmt, m->segs[i].name);
	c->fmt = fmt;
	c->base = base;
	if (fmt != 2 && fmt != 3 && fmt != 4 && fmt != 5 && fmt != 6)
		m->auth_capable = 1;
	if (psize == 0)
		return rg_err_set(err, RG_EINPUT, "chained fixups: page size 0 in segment %s",
		                  m->segs[i].name);
	/* page_start[] and the multi-start overflow list end with the struct. */
	nstarts = size > 22 && size <= d->size - so ? (size - 22) / 2 : 0;
	if (nstarts < npages && rg_view_has(d, so + 22, (uint64_t)npages * 2))
		nstarts = npages;
	if (nstarts < npages)
		return rg_err_set(err, RG_EINPUT, "chained fixups: %u page starts of segment %s are truncated",
		                  npages, m->segs[i].name);
	c->seg = &m->segs[i];
	seg_delta = c->seg->vmaddr - base;
	if (segoff != seg_delta)
		return rg_err_set(err, RG_EINPUT,
		                  "chained fixups: segment %s starts at offset 0x%llx, not 0x%llx",
		                  c->seg->name, (unsigned long long)segoff,
		                  (unsigned long long)seg_delta);
	for (p = 0; p < npages; p++) {
		uint64_t pbase = (uint64_t)p * psize;

		rg_view_u16(d, so + 22 + 2 * (uint64_t)p, &start);
		if (start == START_NONE)
			continue;
		if (!(start & START_MULTI)) {
			if (walk(c, pbase + start, pbase + psize, err) != RG_OK)
				return err->code;
			continue;
		}
		/* Several chains in this page: starts listed from index start&~MULTI. */
		for (uint64_t k = start & ~START_MULTI;; k++) {
			uint16_t s;
			if (k >= nstarts || rg_view_u16(d, so + 22 + 2 * k, &s) != 0)
				return rg_err_set(err, RG_EINPUT,
				                  "chained fixups: multi-start list of page %u in %s has no end",
				                  p, c->seg->name);
			if (walk(c, pbase + (s & ~START_LAST), pbase + psize, err) != RG_OK)
				return err->code;
			if (s & START_LAST)
				break;
		}
	}
	return RG_OK;
}

/* The dyld_chained_starts_in_image at `starts` and every segment it lists. */
static int chained_starts(chainctx *cp, const rg_view *dp, uint32_t starts, rg_err *err)
{
	rg_macho *m = cp->m;
	uint32_t segcount, i;

	if (rg_view_u32(dp, starts, &segcount) != 0)
		return rg_err_set(err, RG_EINPUT, "chained fixups: starts in image are truncated");
	if (segcount > m->nsegs)
		return rg_err_set(err, RG_EINPUT,
		                  "chained fixups: %u segments listed, the image has %zu", segcount,
		                  m->nsegs);
	for (i = 0; i < segcount; i++) {
		uint32_t so;
		if (rg_view_u32(dp, (uint64_t)starts + 4 + 4 * (uint64_t)i, &so) != 0)
			return rg_err_set(err, RG_EINPUT, "chained fixups: starts in image are truncated");
		if (so == 0)
			continue;
		if (chained_segment(cp, dp, (uint64_t)starts + so, i, err) != RG_OK)
			return err->code;
	}
	return RG_OK;
}

int rg_macho_chained(rg_macho *m, rg_err *err)
{
	uint32_t version, starts, imports, nimports, ifmt;
	chainctx c;
	rg_view d;
	int rc;

	memset(&c, 0, sizeof(c));
	c.m = m;
	if (rg_view_sub(&m->v, m->chained_off, m->chained_size, &d) != 0 ||
	    rg_view_u32(&d, 0, &version) || rg_view_u32(&d, 4, &starts) ||
	    rg_view_u32(&d, 8, &imports) || rg_view_u32(&d, 16, &nimports) ||
	    rg_view_u32(&d, 20, &ifmt))
		return rg_err_set(err, RG_EINPUT, "chained fixups header is truncated");
	if (version != 0)
		return rg_err_set(err, RG_EINPUT, "chained fixups version %u is unknown", version);
	if (ifmt < 1 || ifmt > 3)
		return rg_err_set(err, RG_EINPUT, "chained fixups: unknown imports format %u", ifmt);
	c.import_size = ifmt == 1 ? 4 : ifmt == 2 ? 8 : 16;
	if (!rg_view_has(&d, imports, (uint64_t)nimports * c.import_size))
		return rg_err_set(err, RG_EINPUT, "chained fixups: %u imports run past the table",
		                  nimports);
	c.imports = d.data + imports;
	c.nimports = nimports;
	if (m->b->attr && (m->b->attr->want & RG_ATTR_TARGETS)) {
		uint32_t symbols;
		if (rg_view_u32(&d, 12, &symbols) == 0 && symbols < d.size) {
			c.names = d.data + symbols;
			c.names_size = (uint32_t)(d.size - symbols);
		}
		if (!(c.imp_cache = calloc((size_t)nimports + 1, sizeof(*c.imp_cache))))
			return rg_err_set(err, RG_ENOMEM, "out of memory");
	}
	rc = chained_starts(&c, &d, starts, err);
	free(c.imp_cache);
	return rc;
}
