/*
 * attr.h - fixup attribution (docs/attribution.md): which section, symbol
 * or package (Go, C++, Rust) holds each fixup, and what it points to.
 *
 * Off by default: plain measurement records nothing per fixup. With
 * rg_measure_opts.attribution set, the parsers load a symbol table with
 * rg_attr_add_sym() and either call rg_attr_fix() beside every rg_fixup()
 * with what they know of the target (an address, "the word at the
 * location", or an import), or, walking with the symbols sealed and only
 * locations wanted, add cells (rg_attr_cell: the count of one symbol's
 * fixups on one page). rg_attr_finish() resolves the records against the
 * sealed layout and makes cells of them; rg_attr_rows() groups the cells
 * by a key. Records are 9 to 17 bytes, cells 32; names live once in a
 * string pool.
 */
#ifndef RG_ATTR_H
#define RG_ATTR_H

#include "model.h"

/* What a parser knows of a fixup's target. */
enum {
	RG_TGT_NONE = 0,  /* unknown */
	RG_TGT_ADDR,      /* target = the address the fixup will hold */
	RG_TGT_WORD,      /* the pointer-sized word at the location holds it */
	RG_TGT_IMPORT,    /* target = import index (rg_attr_import) */
};

/* Bits of rg_measure_opts.attribution. */
#define RG_ATTR_LOCATION 1u  /* sections, symbols, packages of locations */
#define RG_ATTR_TARGETS 2u   /* also resolve targets */
#define RG_ATTR_NO_CELLS 4u  /* internal: record every fixup, never stream cells */
#define RG_ATTR_BORROW 8u    /* internal: the bytes measured outlive the binary
                              * (rg_attr.keep): names are read there, not copied */

typedef enum rg_attr_key {
	RG_BY_SECTION = 0,
	RG_BY_SYMBOL,
	RG_BY_PACKAGE,
	RG_BY_TARGET,
	RG_BY_TARGET_PACKAGE,
} rg_attr_key;

/* Bits of a record's flags byte. */
#define RG_REC_SYMBOLIC 1u     /* else relative */
#define RG_REC_LAZY 2u
#define RG_REC_TGT_SHIFT 2     /* RG_TGT_* in bits 2-3 */

typedef struct rg_asym {
	uint64_t addr, end;   /* extent [addr, end) once finished; end = size before */
	uint64_t name;        /* pool offset, or (in_file) offset of a NUL-terminated
	                       * name in the binary's bytes, copied once finished */
	uint8_t global;       /* external / global / weak binding */
	uint8_t sized;        /* the table gives the size (ELF); else it extends */
	uint8_t in_file;
	uint8_t anon;         /* RG_ANON_*: data no symbol names (Go static data) */
	uint32_t namelen;     /* once finished, symbols some fixup uses: the name's length */
	uint64_t pkg;         /* anon: pool offset of its package label, or 0 */
} rg_asym;

/* rg_asym.anon: 0, a symbol of the table; else an object some fixup points
 * to inside a Go symbol of unknown size, with the owner its referrers give
 * (RG_ANON_OWNED) or with none known (RG_ANON_AFTER: "[unnamed data after
 * X]"). */
#define RG_ANON_OWNED 1
#define RG_ANON_AFTER 2

/*
 * A cell: fixups with one place (symbol, region) on one page, counted.
 * Location rows are computed from cells, which are few (a symbol's
 * fixups on one page make one): a walk that knows the symbols as it goes
 * (the ELF fast path, rg_attr_cells_ok) adds cells directly and records
 * nothing per fixup; rg_attr_finish() turns the records of the others
 * into cells.
 */
typedef struct rg_acell {
	uint64_t page;             /* the fixups' address >> page_shift */
	int32_t sym, reg;          /* the place: a symbol and a region, -1: none;
	                            * in a target cell, the target's (kind
	                            * RG_CELL_IMPORT: sym is the import index) */
	uint32_t relative, symbolic, lazy;
	uint8_t kind;              /* RG_CELL_* */
	uint8_t paged;             /* the fixups lie in a region: the page counts */
} rg_acell;

#define RG_CELL_PLACE 0
#define RG_CELL_IMPORT 1
#define RG_CELL_UNKNOWN 2          /* a target not known */

typedef struct rg_import {
	uint32_t lib, name;   /* pool offsets; lib 0: library unknown */
} rg_import;

struct rg_attr {
	unsigned want;                 /* RG_ATTR_* */
	/* Records, as parallel arrays (9 bytes a fixup; targets, 8 more,
	 * only with RG_ATTR_TARGETS): address, flags (RG_REC_*), target
	 * (an address, or an import index). */
	uint64_t *addr; uint8_t *flags; uint64_t *target;
	size_t nrecs, reccap;
	char *pool; size_t poollen, poolcap;  /* pool[0] = "" */
	rg_import *imps; size_t nimps, impcap;
	uint32_t *imp_hash; size_t imp_hcap;  /* import index + 1 */
	rg_asym *syms; size_t nsyms, symcap;
	uint64_t *sym_hash;            /* once finished: the names' hashes (namelen) */
	const char *names;             /* once finished: the bytes in_file names
	                                * are in (RG_ATTR_BORROW), else NULL */
	void *keep;                    /* what holds those bytes: keep_free(keep) */
	void (*keep_free)(void *);
	uint32_t *sym_bucket;          /* once sealed: an index of the starts */
	uint64_t sym_base;             /* (see index_syms in attr.c) */
	size_t nbuckets;
	unsigned sym_shift;
	char symsrc[24];               /* ".symtab", ".dynsym", "LC_SYMTAB", "COFF", "pclntab" */
	int go;                        /* a Go binary: packages are import paths */
	int strip_underscore;          /* Mach-O: C names carry a leading '_' */
	int finished;
	int syms_sealed;               /* sorted, one per address, extents set */
	size_t nsyms_loaded;           /* symbols the table gave, before sealing
	                                * (with those a parser read and skipped) */
	rg_acell *cells; size_t ncells, cellcap;     /* by location */
	uint32_t *cell_order;                        /* cells by page; NULL: in order */
	rg_acell *tcells; size_t ntcells, tcellcap;  /* by target (RG_ATTR_TARGETS) */
	int cells_stale;               /* cells were streamed against a symbol
	                                * table replaced since, or a fixup lies
	                                * where symbols were not loaded: measure
	                                * again with RG_ATTR_NO_CELLS */
	/* Address ranges whose symbols a parser did not load (ELF read-only
	 * segments, where no fixup is expected; no loaded symbol reaches into
	 * them): a fixup inside one makes the cells stale. */
	uint64_t unloaded[8][2];
	size_t nunloaded;
};

typedef struct rg_attr_row {
	char *name;
	uint64_t relocs, relative, symbolic, lazy, dirty_pages, sole_pages;
	int64_t size;                  /* -1: unknown */
} rg_attr_row;

typedef struct rg_attr_table {
	rg_attr_key by;
	rg_attr_row *rows;
	size_t n;
	uint64_t total;                /* sum of the rows' relocs */
} rg_attr_table;

/* Parser side. */
int rg_attr_enable(rg_binary *b, unsigned want);
void rg_attr_free(rg_attr *a);
/* Appends a record when the arrays are full (rg_attr_fix's slow path). */
void rg_attr_fix_grow(rg_binary *b, uint64_t addr, unsigned flags, uint64_t target);
/* Appends a record to arrays with room for it. */
static inline void rg_attr_put(rg_attr *a, uint64_t addr, unsigned flags, uint64_t target)
{
	size_t i = a->nrecs++;

	a->addr[i] = addr;
	a->flags[i] = (uint8_t)flags;
	if (a->target)
		a->target[i] = target;
}
/* One record; inline: parsers call it once per fixup. */
static inline void rg_attr_fix(rg_binary *b, uint64_t addr, rg_fixup_kind kind, int lazy,
                               int tgt, uint64_t target)
{
	rg_attr *a = b->attr;
	unsigned fl;

	if (!a)
		return;
	fl = (kind == RG_FIX_SYMBOLIC ? RG_REC_SYMBOLIC : 0u) | (lazy ? RG_REC_LAZY : 0u) |
	     (unsigned)tgt << RG_REC_TGT_SHIFT;
	if (a->nrecs == a->reccap)
		rg_attr_fix_grow(b, addr, fl, target);
	else
		rg_attr_put(a, addr, fl, target);
}
/* Room for n more records, cells or symbols (a parser that knows its
 * table sizes: memory reserved and never written costs nothing, a
 * growing array copies itself). */
void rg_attr_reserve(rg_binary *b, size_t n);
void rg_attr_reserve_cells(rg_binary *b, size_t n);
void rg_attr_reserve_syms(rg_binary *b, size_t n);
/* count fixups at addr, addr + stride, ... with one target description. */
void rg_attr_fix_run(rg_binary *b, uint64_t addr, uint64_t stride, uint64_t count,
                     rg_fixup_kind kind, int lazy, int tgt, uint64_t target);
/* The index of import lib:name (lib may be NULL), or UINT32_MAX (out of memory). */
uint32_t rg_attr_import(rg_binary *b, const char *lib, const char *name, size_t namelen);
int rg_attr_add_sym(rg_binary *b, const char *name, size_t len, uint64_t addr, uint64_t size,
                    int global, int sized);
/* The same for a name the binary holds NUL-terminated at offset name_off
 * of its bytes (the view rg_attr_finish gets): nothing is copied until the
 * symbols are sorted and merged. */
int rg_attr_add_sym_at(rg_binary *b, uint64_t name_off, uint64_t addr, uint64_t size,
                       int global, int sized);
/* Drops every symbol loaded so far, with a note saying why. */
void rg_attr_drop_syms(rg_binary *b, const char *why);
/* Drops every symbol loaded so far, to load others (no note). */
void rg_attr_clear_syms(rg_binary *b);

/* Sorts the symbols loaded so far, keeps one per address and gives each
 * its extent (needs the sealed layout); rg_attr_finish() does it when no
 * parser did. RG_ENOMEM on failure. */
int rg_attr_seal_syms(rg_binary *b, const rg_view *slice);
/* Whether cells may replace records: only locations wanted, cells not
 * refused. A walk may add cells (rg_attr_cell) once the symbols are
 * sealed (rg_attr_cells_ok). */
static inline int rg_attr_wants_cells(const rg_attr *a)
{
	return a && (a->want & ~RG_ATTR_BORROW) == RG_ATTR_LOCATION;
}
static inline int rg_attr_cells_ok(const rg_attr *a)
{
	return rg_attr_wants_cells(a) && a->syms_sealed;
}
/* Whether addr lies where symbols were not loaded. */
static inline int rg_attr_unloaded_at(const rg_attr *a, uint64_t addr)
{
	size_t i;

	for (i = 0; i < a->nunloaded; i++)
		if (addr - a->unloaded[i][0] < a->unloaded[i][1] - a->unloaded[i][0])
			return 1;
	return 0;
}
/* The symbol holding addr (-1: none) and the extent around addr with that
 * one answer: the symbol's, or the gap between two symbols (constant
 * time). An addr where symbols were not loaded makes the cells stale. */
int32_t rg_attr_sym_span(rg_attr *a, uint64_t addr, uint64_t *lo, uint64_t *hi);
/* Adds relative + symbolic fixups (all lazy, or none) at place (sym, reg)
 * on page page: merged into the last cell when it has the same key. */
void rg_attr_cell(rg_binary *b, uint64_t page, int32_t sym, int32_t reg, uint64_t relative,
                  uint64_t symbolic, int lazy);

/* Resolves the records (after the catalog is computed); slice is the
 * binary's bytes, for targets held in the data. */
int rg_attr_finish(rg_binary *b, const rg_view *slice);

/* Key names: "section", "symbol", "package", "target", "target-package". */
int rg_attr_key_parse(const char *s, rg_attr_key *key);
const char *rg_attr_key_name(rg_attr_key key);

/*
 * The rows of b grouped by key, sorted by relocs descending then name;
 * with top > 0 the first top rows plus one "[other]" row for the rest.
 * RG_EINPUT (with err) when the key does not apply (packages of a binary
 * with neither Go nor C++/Rust names) or attribution was not recorded.
 */
int rg_attr_rows(const rg_binary *b, rg_attr_key key, size_t top, rg_attr_table *out,
                 rg_err *err);
void rg_attr_table_free(rg_attr_table *t);

/*
 * Adds the group metrics among names[0..n) (package[PATH].relocs,
 * package[PATH].dirty_pages, symbol[NAME].relocs; others are skipped) to
 * b's catalog. A group without fixups is 0; package[..] of a binary that
 * is not Go stays absent (the metric does not apply).
 */
int rg_attr_group_metrics(rg_binary *b, const char *const *names, size_t n, rg_err *err);

/* The Go package (or bracketed linker group) of a symbol name. */
void rg_attr_go_package(const char *name, char *out, size_t outlen);

/*
 * The package of a C++ (Itanium, "_Z...") or Rust ("_Z...17h<hash>E",
 * "_R...") symbol name (docs/attribution.md): its first scope or crate,
 * "[global]", "(anonymous namespace)", "[Rust impl]"; "[C]" for a name
 * not mangled (RG_PKG_C), "[unparsed]" for one this reader cannot read
 * (RG_PKG_UNPARSED); else RG_PKG_MANGLED.
 */
#define RG_PKG_C 0
#define RG_PKG_MANGLED 1
#define RG_PKG_UNPARSED 2
int rg_attr_native_package(const char *name, char *out, size_t outlen);

/* Whether --by package applies to b: Go, or a symbol with a mangled name
 * whose package is known. */
int rg_attr_has_packages(const rg_binary *b);

#endif
