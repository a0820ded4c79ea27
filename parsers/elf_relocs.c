/*
 * elf_relocs.c - walks ELF dynamic relocation tables and classifies each
 * entry as a relative or a symbolic fixup (docs/format-elf.md).
 *
 * Formats:
 *   - REL / RELA (gABI "Relocation"): fixed-size entries; r_info splits as
 *     (sym << 8 | type) in ELF32 and (sym << 32 | type) in ELF64, except
 *     ELF64 MIPS whose r_info is the byte sequence r_sym (4 bytes, file byte
 *     order), r_ssym, r_type3, r_type2, r_type (MIPS64 ELF supplement), so
 *     reading it as one 64-bit integer is wrong on little-endian MIPS.
 *   - RELR (generic-abi proposal, adopted in the gABI): a word with bit 0
 *     clear is an address to relocate, and sets the base to the next word;
 *     a word with bit 0 set is a bitmap of the next 63 (31) words after the
 *     base. Each address and each set bit is one relative relocation.
 *   - APS2 (Android bionic linker_reloc_iterators.h): "APS2", then SLEB128
 *     count and initial offset, then groups of (size, flags, optional shared
 *     offset delta / info / addend delta, per-relocation fields).
 * R_*_NONE (type 0) is padding, not a fixup. IRELATIVE and every other
 * non-relative type is symbolic: the loader resolves something.
 *
 * The common case, ELF64 little-endian REL/RELA (not MIPS) and RELR read on
 * a little-endian host, takes a fast path (walk_rel64le, walk_relr64le):
 * plain loads, the fixups of the current page run counted in locals and
 * recorded once per run, the page bitmap touched once per new page. It
 * gives the same counts and pages as the general walk (rg_fixup per entry).
 */
#include "elf_internal.h"
#include "attr.h"

#include <stdio.h>
#include <string.h>

enum {
	EM_SPARC = 2, EM_386 = 3, EM_68K = 4, EM_MIPS = 8, EM_PARISC = 15,
	EM_SPARC32PLUS = 18, EM_PPC = 20, EM_PPC64 = 21, EM_S390 = 22, EM_ARM = 40,
	EM_SH = 42, EM_SPARCV9 = 43, EM_IA_64 = 50, EM_X86_64 = 62, EM_HEXAGON = 164,
	EM_AARCH64 = 183, EM_RISCV = 243, EM_BPF = 247, EM_CSKY = 252,
	EM_LOONGARCH = 258, EM_ALPHA = 0x9026,
};

void rg_elf_rctx_init(rg_elf_rctx *c, rg_binary *b, const rg_view *v, int is64, int be,
                      unsigned machine)
{
	c->b = b;
	c->v = v;
	c->is64 = is64;
	c->be = be;
	c->machine = machine;
	c->mips64 = machine == EM_MIPS && is64;
	c->mips = machine == EM_MIPS;
	c->known = 1;
	c->rel1 = c->rel2 = 0;
	c->dynsym_off = c->ndynsym = c->dynstr_off = c->dynstr_size = c->versym_off = 0;
	c->ver_lib = NULL;
	c->nver = 0;
	c->imp_of_sym = NULL;
	switch (machine) {
	case EM_386: c->rel1 = 8; break;                        /* R_386_RELATIVE */
	case EM_X86_64: c->rel1 = 8; c->rel2 = 38; break;       /* R_X86_64_RELATIVE(64) */
	case EM_AARCH64: c->rel1 = is64 ? 1027 : 180; break;    /* R_AARCH64_RELATIVE, ILP32 */
	case EM_ARM: c->rel1 = 23; break;                       /* R_ARM_RELATIVE */
	case EM_RISCV: c->rel1 = 3; break;                      /* R_RISCV_RELATIVE */
	case EM_PPC: case EM_PPC64: c->rel1 = 22; break;        /* R_PPC(64)_RELATIVE */
	case EM_MIPS: c->rel1 = 3; break;                       /* R_MIPS_REL32, symbol 0 */
	case EM_S390: c->rel1 = 12; break;                      /* R_390_RELATIVE */
	case EM_SPARC: case EM_SPARC32PLUS: case EM_SPARCV9:
		c->rel1 = 22; break;                            /* R_SPARC_RELATIVE */
	case EM_LOONGARCH: c->rel1 = 3; break;                  /* R_LARCH_RELATIVE */
	case EM_68K: c->rel1 = 22; break;                       /* R_68K_RELATIVE */
	case EM_SH: c->rel1 = 165; break;                       /* R_SH_RELATIVE */
	case EM_ALPHA: c->rel1 = 27; break;                     /* R_ALPHA_RELATIVE */
	case EM_IA_64: c->rel1 = 0x6e; c->rel2 = 0x6f; break;   /* R_IA64_REL64MSB/LSB */
	case EM_HEXAGON: c->rel1 = 35; break;                   /* R_HEX_RELATIVE */
	case EM_CSKY: c->rel1 = 9; break;                       /* R_CKCORE_RELATIVE */
	default: c->known = 0; break; /* every non-NONE type counts as symbolic */
	}
}

const char *rg_elf_arch_name(unsigned machine, int is64, int be, char *buf, size_t n)
{
	const char *s = NULL;

	switch (machine) {
	case EM_386: s = "i386"; break;
	case EM_X86_64: s = is64 ? "x86_64" : "x32"; break;
	case EM_AARCH64: s = is64 ? (be ? "aarch64_be" : "aarch64") : "aarch64_ilp32"; break;
	case EM_ARM: s = be ? "armeb" : "arm"; break;
	case EM_RISCV: s = is64 ? "riscv64" : "riscv32"; break;
	case EM_PPC64: s = be ? "ppc64" : "ppc64le"; break;
	case EM_PPC: s = be ? "ppc" : "ppcle"; break;
	case EM_MIPS: s = is64 ? (be ? "mips64" : "mips64el") : (be ? "mips" : "mipsel"); break;
	case EM_S390: s = is64 ? "s390x" : "s390"; break;
	case EM_SPARC: case EM_SPARC32PLUS: s = "sparc"; break;
	case EM_SPARCV9: s = "sparcv9"; break;
	case EM_LOONGARCH: s = is64 ? "loongarch64" : "loongarch32"; break;
	case EM_68K: s = "m68k"; break;
	case EM_SH: s = be ? "sheb" : "sh"; break;
	case EM_IA_64: s = "ia64"; break;
	case EM_HEXAGON: s = "hexagon"; break;
	case EM_BPF: s = "bpf"; break;
	case EM_CSKY: s = "csky"; break;
	case EM_ALPHA: s = "alpha"; break;
	case EM_PARISC: s = "parisc"; break;
	}
	if (s)
		snprintf(buf, n, "%s", s);
	else
		snprintf(buf, n, "elf-machine-%u", machine);
	return buf;
}

/* ---- the fast path -------------------------------------------------------- */

#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
	__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HOST_LE 1
#else
#define HOST_LE 0
#endif

/*
 * True when a table of this file may take the fast path. It counts
 * fixups, marks pages and, with attribution by location, adds cells (a
 * run then also ends where a symbol does); whatever records more per
 * fixup (targets) takes the general walk. Both rg_elf_walk_rel and
 * rg_elf_walk_relr ask here first.
 */
static int fast_format(const rg_elf_rctx *c)
{
	return HOST_LE && c->is64 && !c->be && !c->mips64;
}

int rg_elf_fast_path(const rg_elf_rctx *c)
{
	return fast_format(c) && (!c->b->attr || rg_attr_cells_ok(c->b->attr));
}

int rg_elf_streams_cells(const rg_elf_rctx *c)
{
	return fast_format(c) && rg_attr_wants_cells(c->b->attr);
}

/* The walk's state: the part of the current page inside the current
 * region, [lo, lo + len) (len 0: none), and the fixups counted in it that
 * are not yet recorded. With cells (attr set), the run lies in one
 * symbol's extent or one gap between symbols too, and is the cell (page,
 * sym, reg), which holds crel + csym fixups besides those counted. */
typedef struct page_run {
	rg_binary *b;
	uint64_t lo, len;
	uint64_t nrel, nsym;
	int lazy;
	rg_attr *attr;
	int32_t sym, reg;
	uint64_t page, crel, csym;
} page_run;

static void run_init(page_run *s, const rg_elf_rctx *c, int lazy)
{
	memset(s, 0, sizeof(*s));
	s->b = c->b;
	s->lazy = lazy;
	s->attr = c->b->attr;
}

static void run_load(page_run *s)
{
	const rg_binary *b = s->b;
	uint64_t ps, pe, re;

	s->len = 0;
	if (!b->cur_len || b->last_page == UINT64_MAX ||
	    b->last_page != (b->last_page << b->page_shift) >> b->page_shift)
		return;
	ps = b->last_page << b->page_shift;
	pe = ps + ((uint64_t)1 << b->page_shift);
	if (pe < ps) /* the last page of the address space */
		pe = UINT64_MAX;
	re = b->cur_start + b->cur_len;
	s->lo = ps > b->cur_start ? ps : b->cur_start;
	if (re < pe)
		pe = re;
	s->len = pe > s->lo ? pe - s->lo : 0;
}

/* Records the counted fixups: they all lie in the region of the last one. */
static void run_flush(page_run *s)
{
	rg_region *r;

	if (!s->nrel && !s->nsym)
		return; /* nothing counted: last_reg may be "none" */
	r = &s->b->regs[s->b->last_reg];
	if (s->nrel)
		rg_fixup_count(s->b, r, RG_FIX_RELATIVE, s->lazy, s->nrel);
	if (s->nsym)
		rg_fixup_count(s->b, r, RG_FIX_SYMBOLIC, s->lazy, s->nsym);
	s->nrel = s->nsym = 0;
}

/* Adds the run's cell (before run_flush, which clears the counts). */
static void cell_flush(page_run *s)
{
	if (s->crel || s->csym || s->nrel || s->nsym)
		rg_attr_cell(s->b, s->page, s->sym, s->reg, s->crel + s->nrel, s->csym + s->nsym,
		             s->lazy);
	s->crel = s->csym = 0;
}

/* The cell of a fixup at addr just recorded by rg_fixup_slow (rel:
 * relative): the run shrinks to the extent of addr's symbol or gap. A
 * fixup outside every region is a cell of its own and leaves no run. */
static void run_cell(page_run *s, uint64_t addr, int rel)
{
	const rg_binary *b = s->b;
	uint64_t lo, hi, end;

	s->sym = rg_attr_sym_span(s->attr, addr, &lo, &hi);
	s->page = addr >> b->page_shift;
	if (addr - b->cur_start >= b->cur_len) { /* outside every region */
		rg_attr_cell(s->b, s->page, s->sym, -1, rel != 0, rel == 0, s->lazy);
		s->len = 0;
		return;
	}
	s->reg = (int32_t)b->last_reg;
	s->crel = rel != 0;
	s->csym = rel == 0;
	end = s->lo + s->len;
	if (lo > s->lo)
		s->lo = lo;
	if (hi < end)
		end = hi;
	s->len = s->len && end > s->lo ? end - s->lo : 0;
}

/* A fixup off the current run: records the counted ones, records this
 * one the general way (which finds the region and marks the page) and
 * starts a new run. The loops keep their run in registers and come here
 * (or to run_next_cell, with cells) once per page. */
static void run_next(page_run *s, uint64_t addr, int rel)
{
	run_flush(s);
	rg_fixup_slow(s->b, addr, rel ? RG_FIX_RELATIVE : RG_FIX_SYMBOLIC, s->lazy);
	run_load(s);
}

/* run_next with cells: the run's cell first, the new run's after. */
static void run_next_cell(page_run *s, uint64_t addr, int rel)
{
	cell_flush(s);
	run_next(s, addr, rel);
	run_cell(s, addr, rel);
}

/* Records what a walk counted last. */
static void run_end(page_run *s, uint64_t nrel, uint64_t nsym)
{
	s->nrel = nrel;
	s->nsym = nsym;
	if (s->attr)
		cell_flush(s);
	run_flush(s);
}

/* The run to start a walk with: the page of the last fixup recorded,
 * unless the run must also be a cell (whose symbol is not known yet). */
static void run_start(page_run *s)
{
	run_load(s);
	if (s->attr)
		s->len = 0;
}

/* One fixup at addr (rel: relative, else symbolic), in a loop whose locals
 * lo, len, nrel, nsym mirror the page_run s. */
#define RUN_FIXUP(s, addr, rel) do { \
	if ((addr) - lo < len) { \
		if (rel) \
			nrel++; \
		else \
			nsym++; \
	} else { \
		(s).nrel = nrel; \
		(s).nsym = nsym; \
		if ((s).attr) \
			run_next_cell(&(s), (addr), (rel)); \
		else \
			run_next(&(s), (addr), (rel)); \
		lo = (s).lo; \
		len = (s).len; \
		nrel = nsym = 0; \
	} \
} while (0)

/* ent is a constant in each caller (16: REL, 24: RELA) once inlined. The
 * first test is the common entry: a relative relocation on the run's page. */
static inline void walk_rel64le_ent(const rg_elf_rctx *c, const uint8_t *p, size_t n,
                                    const size_t ent, int lazy)
{
	const uint32_t rel1 = c->rel1, rel2 = c->rel2; /* 0 matches nothing: type 0 is skipped */
	page_run s;
	uint64_t lo, len, nrel = 0, nsym = 0;

	run_init(&s, c, lazy);
	run_start(&s);
	lo = s.lo;
	len = s.len;
	for (; n; n--, p += ent) {
		uint64_t addr, info;
		uint32_t t;

		memcpy(&info, p + 8, 8);
		memcpy(&addr, p, 8);
		t = (uint32_t)info;
		if (t == rel1 && addr - lo < len) {
			nrel++;
			continue;
		}
		if (t == 0)
			continue;
		RUN_FIXUP(s, addr, t == rel1 || t == rel2);
	}
	run_end(&s, nrel, nsym);
}

/* Tables are walked in slices of this many bytes, each dropped from the
 * resident set once walked (rg_view_drop): a mapped table of any size
 * then costs at most a slice or two of RSS. */
#define DROP_SLICE ((size_t)4 << 20)

static void walk_rel64le(const rg_elf_rctx *c, const uint8_t *p, const uint8_t *end, int rela,
                         int lazy)
{
	const size_t ent = rela ? 24 : 16, per = DROP_SLICE / ent;
	size_t n = (size_t)(end - p) / ent, k;
	const int drop = n > per;

	for (; n; n -= k, p += k * ent) {
		k = n < per ? n : per;
		if (rela)
			walk_rel64le_ent(c, p, k, 24, lazy);
		else
			walk_rel64le_ent(c, p, k, 16, lazy);
		if (drop)
			rg_view_drop(c->v, (uint64_t)(p - c->v->data), (uint64_t)(k * ent));
	}
}

/* RELR, 64-bit little-endian. A bitmap whose 63 words all lie on the
 * current run's page is counted with one popcount. Returns 0, having
 * recorded nothing, at a bitmap with no base address before it (the
 * general walk reports that). */
static int walk_relr64le(const rg_elf_rctx *c, const uint8_t *p, const uint8_t *end)
{
	page_run s;
	uint64_t where = 0, e, d, lo, len, nrel = 0, nsym = 0;
	int have_base = 0;

	run_init(&s, c, 0);
	run_start(&s);
	lo = s.lo;
	len = s.len;
	for (; (size_t)(end - p) >= 8; p += 8) {
		memcpy(&e, p, 8);
		if (!(e & 1)) {
			RUN_FIXUP(s, e, 1);
			where = e + 8;
			have_base = 1;
			continue;
		}
		if (!have_base)
			break;
		e >>= 1;
		d = where - lo;
		if (d < len && len - d > 62 * 8) {
			nrel += (uint64_t)rg_popcount64(e);
		} else {
			/* The bitmap crosses a page or a region's end (about
			 * one in eight, with 4 KiB pages): bit by bit. */
			uint64_t a = where;
			for (; e; e >>= 1, a += 8)
				if (e & 1)
					RUN_FIXUP(s, a, 1);
		}
		where += 63 * 8;
	}
	run_end(&s, nrel, nsym);
	return (size_t)(end - p) < 8; /* walked to the end */
}

/* ---- the general walks ----------------------------------------------------- */

/* -1: not a fixup (R_*_NONE); else an rg_fixup_kind. */
static inline int classify(const rg_elf_rctx *c, uint32_t type, uint64_t sym)
{
	if (type == 0)
		return -1;
	if (type == c->rel1 || type == c->rel2)
		return c->mips && sym != 0 ? RG_FIX_SYMBOLIC : RG_FIX_RELATIVE;
	return RG_FIX_SYMBOLIC;
}

/* Classifies a full r_info value (ELF32 or ELF64 layout). */
static inline int classify_info(const rg_elf_rctx *c, uint64_t info)
{
	if (!c->is64)
		return classify(c, (uint32_t)(info & 0xff), info >> 8);
	if (c->mips64) /* as read big-endian: sym, ssym, type3, type2, type */
		return classify(c, (uint32_t)(info & 0xff), info >> 32);
	return classify(c, (uint32_t)info, info >> 32);
}

int rg_elf_walk_rel(rg_elf_rctx *c, uint64_t off, uint64_t size, int rela, int lazy)
{
	const uint8_t *p = c->v->data + off, *end = p + size;
	rg_binary *b = c->b;
	const int be = c->be;
	uint64_t sym, where;
	int k;

	if (rg_elf_fast_path(c)) {
		walk_rel64le(c, p, end, rela, lazy);
		return RG_OK;
	}
	if (c->is64) {
		const size_t ent = rela ? 24 : 16;
		for (; (size_t)(end - p) >= ent; p += ent) {
			if (c->mips64) {
				sym = rg_ld32(p + 8, be);
				k = classify(c, p[15], sym);
			} else {
				uint64_t info = rg_ld64(p + 8, be);
				sym = info >> 32;
				k = classify(c, (uint32_t)info, sym);
			}
			if (k < 0)
				continue;
			where = rg_ld64(p, be);
			rg_fixup(b, where, (rg_fixup_kind)k, lazy);
			if (b->attr)
				rg_elf_attr(c, where, k, lazy, sym, rela, rela ? rg_ld64(p + 16, be) : 0);
		}
	} else {
		const size_t ent = rela ? 12 : 8;
		for (; (size_t)(end - p) >= ent; p += ent) {
			uint32_t info = rg_ld32(p + 4, be);
			k = classify(c, info & 0xff, info >> 8);
			if (k < 0)
				continue;
			where = rg_ld32(p, be);
			rg_fixup(b, where, (rg_fixup_kind)k, lazy);
			if (b->attr)
				rg_elf_attr(c, where, k, lazy, info >> 8, rela,
				            rela ? (uint64_t)(int64_t)(int32_t)rg_ld32(p + 8, be) : 0);
		}
	}
	return RG_OK;
}

int rg_elf_walk_relr(rg_elf_rctx *c, const char *what, uint64_t off, uint64_t size,
                     rg_err *err)
{
	const uint8_t *p = c->v->data + off, *end = p + size;
	const unsigned w = c->is64 ? 8 : 4;
	const uint64_t span = (uint64_t)(w * 8 - 1) * w; /* bytes one bitmap covers */
	rg_binary *b = c->b;
	uint64_t where = 0, e;
	int have_base = 0;

	/* The fast path stops at a bitmap with no base before it: the walk
	 * below then reports it (no fixup of the table was recorded twice:
	 * there was none before it). */
	if (rg_elf_fast_path(c) && walk_relr64le(c, p, end))
		return RG_OK;
	for (; (size_t)(end - p) >= w; p += w) {
		e = c->is64 ? rg_ld64(p, c->be) : rg_ld32(p, c->be);
		if (!(e & 1)) {
			rg_fixup(b, e, RG_FIX_RELATIVE, 0);
			if (b->attr)
				rg_attr_fix(b, e, RG_FIX_RELATIVE, 0, RG_TGT_WORD, 0);
			where = e + w;
			have_base = 1;
			continue;
		}
		if (!have_base)
			return rg_err_set(err, RG_EINPUT,
			                  "%s table with no base address entry (a bitmap at entry %llu)",
			                  what, (unsigned long long)((size - (uint64_t)(end - p)) / w));
		for (e >>= 1; e; e &= e - 1) {
			uint64_t a = where + (uint64_t)rg_ctz64(e) * w;
			rg_fixup(b, a, RG_FIX_RELATIVE, 0);
			if (b->attr)
				rg_attr_fix(b, a, RG_FIX_RELATIVE, 0, RG_TGT_WORD, 0);
		}
		where += span;
	}
	return RG_OK;
}

/* One SLEB128 value of the APS2 stream, or an error naming the table. */
#define APS2_NEXT(dst) do { \
	int64_t v_; \
	if (rg_view_sleb(c->v, &pos, end, &v_) != 0) \
		return rg_err_set(err, RG_EINPUT, "%s: APS2 stream truncated or malformed at byte %llu", \
		                  what, (unsigned long long)(pos - off)); \
	(dst) = (uint64_t)v_; \
} while (0)

enum {
	APS2_BY_INFO = 1,         /* RELOCATION_GROUPED_BY_INFO_FLAG */
	APS2_BY_OFFSET_DELTA = 2, /* RELOCATION_GROUPED_BY_OFFSET_DELTA_FLAG */
	APS2_BY_ADDEND = 4,       /* RELOCATION_GROUPED_BY_ADDEND_FLAG */
	APS2_HAS_ADDEND = 8,      /* RELOCATION_GROUP_HAS_ADDEND_FLAG */
};

int rg_elf_walk_aps2(rg_elf_rctx *c, const char *what, uint64_t off, uint64_t size,
                     uint64_t max_relocs, rg_err *err)
{
	const uint64_t end = off + size;
	uint64_t pos = off + 4, count, addr, n, flags, delta = 0, info = 0, skip = 0, i;
	uint64_t addend = 0;
	int k = -1;

	if (size < 4 || c->v->data[off] != 'A' || c->v->data[off + 1] != 'P' ||
	    c->v->data[off + 2] != 'S' || c->v->data[off + 3] != '2')
		return rg_err_set(err, RG_EINPUT, "%s table does not start with the APS2 magic", what);
	APS2_NEXT(count);
	APS2_NEXT(addr);
	if (count > max_relocs)
		return rg_err_set(err, RG_EINPUT, "%s: APS2 relocation count %llu is absurd for this file",
		                  what, (unsigned long long)count);
	while (count) {
		APS2_NEXT(n);
		if (n > count)
			return rg_err_set(err, RG_EINPUT,
			                  "%s: APS2 group of %llu relocation(s) with %llu left", what,
			                  (unsigned long long)n, (unsigned long long)count);
		count -= n;
		APS2_NEXT(flags);
		if (flags & APS2_BY_OFFSET_DELTA)
			APS2_NEXT(delta);
		if (flags & APS2_BY_INFO) {
			APS2_NEXT(info);
			k = classify_info(c, info);
		}
		if ((flags & APS2_BY_ADDEND) && (flags & APS2_HAS_ADDEND)) {
			APS2_NEXT(skip);
			addend += skip;
		}
		if (!(flags & APS2_HAS_ADDEND))
			addend = 0;
		for (i = 0; i < n; i++) {
			if (!(flags & APS2_BY_OFFSET_DELTA))
				APS2_NEXT(delta);
			addr += delta;
			if (!(flags & APS2_BY_INFO)) {
				APS2_NEXT(info);
				k = classify_info(c, info);
			}
			if ((flags & APS2_HAS_ADDEND) && !(flags & APS2_BY_ADDEND)) {
				APS2_NEXT(skip);
				addend += skip;
			}
			if (k < 0)
				continue;
			rg_fixup(c->b, addr, (rg_fixup_kind)k, 0);
			if (c->b->attr)
				rg_elf_attr(c, addr, k, 0, c->is64 ? info >> 32 : info >> 8,
				            strstr(what, "RELA") != NULL, addend);
		}
	}
	(void)skip;
	return RG_OK;
}

void rg_elf_attr(rg_elf_rctx *c, uint64_t addr, int kind, int lazy, uint64_t sym, int rela,
                 uint64_t addend)
{
	rg_binary *b = c->b;
	uint32_t imp;

	if (sym == 0 || kind == RG_FIX_RELATIVE) {
		/* The loader adds the base to the addend, or to the word in place. */
		rg_attr_fix(b, addr, (rg_fixup_kind)kind, lazy, rela ? RG_TGT_ADDR : RG_TGT_WORD, addend);
		return;
	}
	if (sym >= c->ndynsym || !c->imp_of_sym) { /* also: targets not wanted */
		rg_attr_fix(b, addr, (rg_fixup_kind)kind, lazy, RG_TGT_NONE, 0);
		return;
	}
	if (!c->imp_of_sym[sym]) {
		const uint8_t *e = c->v->data + c->dynsym_off + sym * (c->is64 ? 24 : 16);
		uint64_t nm = rg_ld32(e, c->be);
		const char *lib = NULL, *name = "";
		size_t len = 0;

		if (nm < c->dynstr_size) {
			name = (const char *)c->v->data + c->dynstr_off + nm;
			len = strnlen(name, (size_t)(c->dynstr_size - nm));
		}
		if (c->versym_off && c->ver_lib) {
			uint16_t vi = rg_ld16(c->v->data + c->versym_off + sym * 2, c->be) & 0x7fff;
			if (vi < c->nver)
				lib = c->ver_lib[vi];
		}
		imp = rg_attr_import(b, lib, name, len);
		if (imp == UINT32_MAX) {
			rg_attr_fix(b, addr, (rg_fixup_kind)kind, lazy, RG_TGT_NONE, 0);
			return;
		}
		c->imp_of_sym[sym] = imp + 1;
	}
	rg_attr_fix(b, addr, (rg_fixup_kind)kind, lazy, RG_TGT_IMPORT, c->imp_of_sym[sym] - 1);
}
