/*
 * model.h - the format-neutral measurement model (docs/metrics.md
 * is the catalog computed from it).
 *
 * A parser describes one binary (one slice of a universal Mach-O) as:
 *   - segments: what the loader maps, each with a role (text, rodata,
 *     relro, data) and optional role regions inside it (ELF's GNU_RELRO
 *     carves a read-only-after-relocation region out of a writable PT_LOAD);
 *   - sections, for section[NAME].size;
 *   - a stream of fixups (address, relative or symbolic, lazy or not) fed
 *     through rg_fixup(), which only bumps counters and sets bits in page
 *     bitmaps: nothing is allocated per fixup (unless attribution was
 *     asked for: then the parsers also append a record, attr.h);
 *   - extra metrics and notes.
 * rg_catalog_compute() (catalog.c) then turns the model into the flat map
 * of named integers that budgets, reports and diffs use.
 *
 * Order of calls for a parser: rg_binary_set_page_size (default), then
 * add segments/regions/sections, then rg_binary_seal(), then rg_fixup()
 * any number of times. Sections and metrics may be added at any time.
 */
#ifndef RG_MODEL_H
#define RG_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "view.h"

#define RG_VERSION "0.2.0"

/* Error codes returned by every int function in relgate. */
enum {
	RG_OK = 0,
	RG_EINPUT = -1,  /* malformed or unsupported input: exit 2 */
	RG_ENOMEM = -2,  /* out of memory: exit 2 */
	RG_EIO = -3,     /* cannot read a file: exit 2 */
	RG_EBUILD = -4,  /* a build or checkout failed: exit 3 */
};

typedef struct rg_err {
	int code;
	char msg[512];
} rg_err;

/* Sets err (if not already set) and returns code. printf-style. */
int rg_err_set(rg_err *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

typedef enum rg_role {
	RG_ROLE_TEXT = 0,  /* executable */
	RG_ROLE_RODATA,    /* read-only */
	RG_ROLE_RELRO,     /* read-only after fixups (GNU_RELRO, __DATA_CONST) */
	RG_ROLE_DATA,      /* writable; its zero-fill tail counts as vm.bss */
	RG_ROLE_NONE,      /* not mapped (__PAGEZERO, overlays) */
	RG_ROLE_COUNT
} rg_role;

const char *rg_role_name(rg_role r); /* "text", "rodata", "relro", "data", "none" */

#define RG_PERM_R 4u
#define RG_PERM_W 2u
#define RG_PERM_X 1u

typedef struct rg_segment {
	char name[64];
	rg_role role;
	unsigned perms;     /* RG_PERM_* */
	uint64_t vmaddr, vmsize, fileoff, filesize;
	/*
	 * An overlay (ELF GNU_RELRO) names a range inside other segments: it
	 * has its own segment[...] metrics but is not counted in vm.size, and
	 * fixups inside it are attributed both to it and to the segment that
	 * maps the bytes.
	 */
	int overlay;
	int unmapped;       /* __PAGEZERO and friends: not in vm.size */
	/* Filled by the model: */
	uint64_t relocs;
	uint64_t dirty_pages;
} rg_segment;

typedef struct rg_section {
	char name[128];     /* ELF/PE: ".text"; Mach-O: "__TEXT,__text" */
	uint64_t addr, size, fileoff;
	int zerofill;       /* occupies no file bytes */
	int unmapped;       /* not loaded (ELF without SHF_ALLOC, TLS templates):
	                     * holds no fixups */
	/* Filled by the catalog: */
	uint64_t relocs;
} rg_section;

typedef enum rg_fixup_kind {
	RG_FIX_RELATIVE = 0, /* rebase / relative relocation */
	RG_FIX_SYMBOLIC = 1, /* bind / symbol relocation (incl. IRELATIVE) */
} rg_fixup_kind;

typedef struct rg_metric {
	char name[160];
	int64_t value;
} rg_metric;

/* A region: a role-homogeneous address range inside one segment. */
typedef struct rg_region {
	uint64_t start, end;     /* [start, end) */
	uint64_t filesize;       /* file-backed bytes of the region */
	rg_role role;
	int seg;                 /* owning segment index */
	int overlay;             /* overlay segment index, or -1 */
	int sec;                 /* section holding the range, or -1 (a gap) */
	uint64_t relocs;
	/* Lazily allocated two-level page bitmap: chunk[i] covers pages
	 * first_page + i*RG_CHUNK_PAGES ... */
	uint64_t first_page, npages;
	uint64_t **chunks;       /* a chunk holds only the words its pages need */
	size_t nchunks;
} rg_region;

#define RG_CHUNK_PAGES 32768u
/*
 * Page bitmaps may use at most this much memory per binary. A real binary
 * needs one 4 KiB chunk per 128 MiB of address space that holds fixups; a
 * hostile one scattering fixups over terabytes stops here with an error
 * instead of exhausting memory.
 */
#define RG_MAX_BITMAP_BYTES (128u << 20)

/* Symbols that other measurements (the Go pclntab) look for. */
typedef struct rg_symbol_hint {
	char name[48];
	uint64_t addr;
} rg_symbol_hint;

/* Optional per-package pclntab breakdown (filled by pclntab.c). */
typedef struct rg_pkg_stat {
	char *name;
	uint64_t funcs, bytes;
} rg_pkg_stat;

/* Key/value facts for the JSON "info" object (strings). */
typedef struct rg_info {
	char key[64];
	char value[192];
} rg_info;

/* Per-fixup attribution, recorded only on request (attr.h). */
typedef struct rg_attr rg_attr;

typedef struct rg_binary {
	char *path;
	char format[8];        /* "elf", "macho", "pe" */
	char arch[32];
	int bits;              /* 32 or 64 */
	int big_endian;
	uint64_t page_size;
	int page_size_forced;  /* set from --page-size / target */
	int has_fixups;        /* 0: relocs.* and dirty.* are absent */
	uint64_t slice_offset, slice_size; /* whole file for thin binaries */

	rg_segment *segs;  size_t nsegs, segcap;
	rg_section *secs;  size_t nsecs, seccap;
	rg_region *regs;   size_t nregs, regcap;
	rg_metric *extra;  size_t nextra, extracap;  /* parser-specific metrics */
	char **notes;      size_t nnotes, notecap;
	rg_info *info;     size_t ninfo, infocap;
	rg_symbol_hint syms[8]; size_t nsyms;
	rg_pkg_stat *pkgs; size_t npkgs, pkgcap;

	/* Fixup counters, fed by rg_fixup(). */
	int sealed;
	uint64_t n_total, n_relative, n_symbolic, n_lazy, n_outside;
	uint64_t n_by_role[RG_ROLE_COUNT];
	size_t last_reg;   /* lookup cache: the region of the last fixup, */
	uint64_t cur_start, cur_len; /* its address range (len 0: none), */
	uint64_t last_page; /* and its page (addr >> page_shift) once marked */
	unsigned page_shift; /* log2(page_size), set by rg_binary_seal() */
	int oom;           /* an allocation failed while recording */
	size_t bitmap_bytes; /* page-bitmap memory in use (capped) */
	int too_sparse;    /* fixups scattered past RG_MAX_BITMAP_BYTES */

	/* The catalog, computed by rg_catalog_compute(). */
	rg_metric *metrics; size_t nmetrics, metcap;

	rg_attr *attr;     /* NULL unless attribution was asked for */
} rg_binary;

typedef struct rg_binary_list {
	rg_binary **items;
	size_t n, cap;
} rg_binary_list;

/* Lifecycle. */
rg_binary *rg_binary_new(const char *path, uint64_t forced_page_size);
void rg_binary_free(rg_binary *b);
void rg_binary_list_free(rg_binary_list *l);
int rg_binary_list_push(rg_binary_list *l, rg_binary *b);
/* Grows *arr (cap items of elem bytes, n used) so that one more fits,
 * doubling; RG_ENOMEM when it cannot. */
int rg_grow(void **arr, size_t *cap, size_t n, size_t elem);

/* Parser-facing API. Each returns RG_OK or RG_ENOMEM/RG_EINPUT. */
void rg_binary_set_page_size(rg_binary *b, uint64_t default_page_size);
int rg_binary_add_segment(rg_binary *b, const rg_segment *s); /* >=0 index */
int rg_binary_add_region(rg_binary *b, int seg, int overlay, rg_role role,
                         uint64_t start, uint64_t end, uint64_t filesize);
int rg_binary_add_section(rg_binary *b, const char *name, uint64_t addr,
                          uint64_t size, uint64_t fileoff, int zerofill);
int rg_binary_add_metric(rg_binary *b, const char *name, int64_t value);
int rg_binary_add_note(rg_binary *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
int rg_binary_set_info(rg_binary *b, const char *key, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
int rg_binary_add_symbol_hint(rg_binary *b, const char *name, uint64_t addr);
int rg_binary_find_symbol_hint(const rg_binary *b, const char *name, uint64_t *addr);
int rg_binary_add_pkg(rg_binary *b, const char *name, uint64_t funcs, uint64_t bytes);

/*
 * Seals the layout: segments without explicit regions get one region
 * covering them; regions are sorted and checked for overlap, then split at
 * the boundaries of the mapped sections added so far, so that every region
 * lies in at most one section and per-section counts cost the fixup stream
 * nothing. After this, rg_fixup() may be called.
 */
int rg_binary_seal(rg_binary *b, rg_err *err);

/* Records one fixup at virtual address addr. Never allocates more than one
 * bitmap chunk per 32768 pages touched; never fails (OOM sets b->oom).
 * Inline for the common case, a fixup on the page of the one before it
 * (a chain or a table walked in address order): counters only. Every
 * other case goes to rg_fixup_slow(), which finds the region and marks
 * the page. */
void rg_fixup_slow(rg_binary *b, uint64_t addr, rg_fixup_kind kind, int lazy);

/* Index of the lowest set bit of a non-zero word. */
static inline int rg_ctz64(uint64_t x)
{
#if defined(__GNUC__)
	return __builtin_ctzll(x);
#else
	int n = 0;
	while (!(x & 1)) {
		x >>= 1;
		n++;
	}
	return n;
#endif
}

/* The counters of n fixups of one kind inside region r (NULL: outside
 * every region). */
static inline void rg_fixup_count(rg_binary *b, rg_region *r, rg_fixup_kind kind, int lazy,
                                  uint64_t n)
{
	b->n_total += n;
	if (kind == RG_FIX_RELATIVE)
		b->n_relative += n;
	else
		b->n_symbolic += n;
	if (lazy)
		b->n_lazy += n;
	if (r) {
		r->relocs += n;
		b->n_by_role[r->role] += n;
	} else {
		b->n_outside += n;
	}
}

static inline void rg_fixup(rg_binary *b, uint64_t addr, rg_fixup_kind kind, int lazy)
{
	if (addr - b->cur_start < b->cur_len && addr >> b->page_shift == b->last_page)
		rg_fixup_count(b, &b->regs[b->last_reg], kind, lazy, 1);
	else
		rg_fixup_slow(b, addr, kind, lazy);
}

/* n fixups (n >= 1) at addr: the same as n calls of rg_fixup(). A parser
 * that has counted the fixups of one page (a chain's links) records them
 * at once. */
static inline void rg_fixup_n(rg_binary *b, uint64_t addr, rg_fixup_kind kind, int lazy,
                              uint64_t n)
{
	rg_fixup(b, addr, kind, lazy);
	/* rg_fixup left cur_* on addr's region, or addr lies outside all. */
	if (n > 1)
		rg_fixup_count(b, addr - b->cur_start < b->cur_len ? &b->regs[b->last_reg] : NULL,
		               kind, lazy, n - 1);
}

/* Set bits of a word: page bitmaps, RELR bitmaps. */
static inline int rg_popcount64(uint64_t x)
{
#if defined(__GNUC__)
	return __builtin_popcountll(x);
#else
	int n = 0;
	for (; x; x &= x - 1)
		n++;
	return n;
#endif
}

/* Records count fixups at addr, addr + stride, ... (wrapping modulo 2^64),
 * with the same result as count calls of rg_fixup(); a run inside one
 * region costs one step per page it touches, not one per fixup (Mach-O
 * DO_REBASE_ULEB_TIMES over a pointer table). stride must be non-zero. */
void rg_fixup_run(rg_binary *b, uint64_t addr, uint64_t stride, uint64_t count,
                  rg_fixup_kind kind, int lazy);

/* The last address of the region (or the gap between regions) holding
 * addr: fixups from addr up to it may be recorded together by
 * rg_fixup_n() when they share a page. Needs a sealed binary. */
uint64_t rg_binary_span_end(const rg_binary *b, uint64_t addr);

/* Index of the region holding addr, or -1. Needs a sealed binary. */
long rg_binary_region_at(const rg_binary *b, uint64_t addr);

/* Index of the mapped segment containing addr, or -1 (overlays excluded). */
int rg_binary_segment_at(const rg_binary *b, uint64_t addr);
/* File offset of virtual address addr, or -1 when not file-backed. */
int rg_binary_vaddr_to_off(const rg_binary *b, uint64_t addr, uint64_t *off);
/* Virtual address of file offset off (in the binary's slice), or -1 when
 * no mapped segment loads that byte. */
int rg_binary_off_to_vaddr(const rg_binary *b, uint64_t off, uint64_t *addr);

/* Distinct dirty pages over the regions selected by the filter. */
typedef int (*rg_region_filter)(const rg_region *r, const void *arg);
uint64_t rg_binary_count_pages(const rg_binary *b, rg_region_filter f, const void *arg);

/* Calls fn(page) for every dirty page of r, in ascending order; stops
 * when fn returns non-zero (and returns that). */
int rg_region_each_page(const rg_region *r, int (*fn)(uint64_t page, void *arg), void *arg);

/* catalog.c: compute b->metrics from the model. */
int rg_catalog_compute(rg_binary *b);
int rg_metric_lookup(const rg_binary *b, const char *name, int64_t *value);
/* True when name is a catalog metric name (incl. segment[..]/section[..],
 * and the group metrics package[..].relocs/.dirty_pages, symbol[..].relocs). */
int rg_metric_name_valid(const char *name);
/* True for package[PATH].relocs/.dirty_pages and symbol[NAME].relocs. */
int rg_metric_is_group(const char *name);
/* Appends one metric to the computed catalog. */
int rg_catalog_add(rg_binary *b, const char *name, int64_t value);

/* measure.c: detect the format and measure a file (one binary per slice). */
typedef struct rg_measure_opts {
	uint64_t page_size;    /* 0: per-format default */
	const char *arch;      /* Mach-O slice filter, NULL: all */
	int packages;          /* pclntab per-package breakdown wanted */
	unsigned attribution;  /* RG_ATTR_* (attr.h): record every fixup; 0: off */
} rg_measure_opts;
#define RG_MEASURE_OPTS_INIT { 0, NULL, 0, 0 }

int rg_measure_file(const char *path, const rg_measure_opts *opts,
                    rg_binary_list *out, rg_err *err);
int rg_measure_view(const char *path, const rg_view *v, const rg_measure_opts *opts,
                    rg_binary_list *out, rg_err *err);

#endif
