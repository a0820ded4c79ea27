/*
 * attr.h - fixup attribution (docs/attribution.md): which section, symbol
 * or Go package holds each fixup, and what it points to.
 *
 * Off by default: plain measurement records nothing per fixup. With
 * rg_measure_opts.attribution set, the parsers call rg_attr_fix() beside
 * every rg_fixup() with what they know of the target (an address, "the
 * word at the location", or an import), and load a symbol table with
 * rg_attr_add_sym(); rg_attr_finish() then resolves every record against
 * the sealed layout, and rg_attr_rows() groups the records by a key.
 * Records are 24 bytes; names live once in a string pool.
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
	uint64_t pkg;         /* anon: pool offset of its package label, or 0 */
} rg_asym;

/* rg_asym.anon: 0, a symbol of the table; else an object some fixup points
 * to inside a Go symbol of unknown size, with the owner its referrers give
 * (RG_ANON_OWNED) or with none known (RG_ANON_AFTER: "[unnamed data after
 * X]"). */
#define RG_ANON_OWNED 1
#define RG_ANON_AFTER 2

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
	char symsrc[24];               /* ".symtab", ".dynsym", "LC_SYMTAB", "COFF", "pclntab" */
	int go;                        /* a Go binary: packages are import paths */
	int strip_underscore;          /* Mach-O: C names carry a leading '_' */
	int finished;
	/* Filled by rg_attr_finish(), one per record: */
	int32_t *rec_reg, *rec_sym, *rec_treg, *rec_tsym;
	uint32_t *order;               /* record indexes by address; NULL: in order */
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
/* Room for n more records (a parser that knows its table sizes). */
void rg_attr_reserve(rg_binary *b, size_t n);
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

/* Resolves the records (after the catalog is computed); slice is the
 * binary's bytes, for targets held in the data. */
int rg_attr_finish(rg_binary *b, const rg_view *slice);

/* Key names: "section", "symbol", "package", "target", "target-package". */
int rg_attr_key_parse(const char *s, rg_attr_key *key);
const char *rg_attr_key_name(rg_attr_key key);

/*
 * The rows of b grouped by key, sorted by relocs descending then name;
 * with top > 0 the first top rows plus one "[other]" row for the rest.
 * RG_EINPUT (with err) when the key does not apply (packages of a
 * non-Go binary) or attribution was not recorded.
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

#endif
