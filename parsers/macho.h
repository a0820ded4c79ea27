/*
 * macho.h - state shared by the Mach-O parser files:
 *   macho.c          universal and thin headers, load commands, segments,
 *                    sections, symbols;
 *   macho_fixups.c   LC_DYLD_INFO(_ONLY) rebase/bind opcode streams, the
 *                    classic LC_DYSYMTAB relocations and symbol pointers;
 *   macho_chained.c  LC_DYLD_CHAINED_FIXUPS and the in-data chains of
 *                    BIND_OPCODE_THREADED (pre-iOS 15 arm64e).
 * References: Apple's <mach-o/loader.h>, <mach-o/fat.h>,
 * <mach-o/fixup-chains.h>, <mach-o/reloc.h> and dyld's own walkers.
 */
#ifndef RG_MACHO_H
#define RG_MACHO_H

#include "model.h"

/* One LC_SEGMENT(_64) as the file lists it: dyld info and chained fixups
 * name segments by this index (__PAGEZERO included). */
typedef struct rg_mseg {
	char name[17];
	uint64_t vmaddr, vmsize, fileoff, filesize;
	uint32_t initprot;
} rg_mseg;

typedef struct rg_macho {
	rg_binary *b;
	rg_view v;            /* the slice, in the slice's byte order */
	int is64;
	unsigned ptrsize;     /* 4 or 8 */
	uint32_t cputype, cpusubtype, filetype;
	rg_mseg *segs;
	size_t nsegs;
	/* Load commands of interest (offsets are slice-relative). */
	int have_dyld_info, have_chained, have_dysymtab;
	uint32_t rebase_off, rebase_size, bind_off, bind_size;
	uint32_t weak_off, weak_size, lazy_off, lazy_size;
	uint32_t chained_off, chained_size;
	uint32_t extreloff, nextrel, locreloff, nlocrel;
	/* Breakdown kept for the extra metrics. */
	uint64_t n_weak, n_auth, n_auth_rel, n_auth_sym;
	int auth_capable;     /* arm64e: report relocs.auth* */
	/* Guard: no honest file holds more fixup records than bytes. */
	uint64_t nfix, fix_cap;
	/* Attribution only (b->attr): the symbol table and the libraries
	 * bind ordinals name (1-based; strings inside the slice). */
	uint64_t symtab_cmd;
	const char **dylibs;
	size_t ndylibs;
} rg_macho;

/* The import of a bind (b->attr is set): library ordinal and symbol name
 * (not NUL-terminated, len bytes). UINT32_MAX when out of memory. */
uint32_t rg_macho_import(rg_macho *m, int64_t ordinal, const char *name, size_t len);

/* Records one fixup; RG_EINPUT when the stream claims more fixups than the
 * file can hold (a hostile repeat count). */
int rg_macho_too_many(rg_macho *m, rg_err *err);
static inline int rg_macho_fix(rg_macho *m, uint64_t addr, rg_fixup_kind kind, int lazy,
                               rg_err *err)
{
	if (++m->nfix > m->fix_cap)
		return rg_macho_too_many(m, err);
	rg_fixup(m->b, addr, kind, lazy);
	return RG_OK;
}

/* Checks that [off, off+len) lies in segment seg; returns its address. */
int rg_macho_seg_addr(const rg_macho *m, uint64_t seg, uint64_t off, uint64_t len,
                      const char *what, uint64_t *addr, rg_err *err);

/* macho_fixups.c */
int rg_macho_dyld_info(rg_macho *m, rg_err *err);
int rg_macho_classic_relocs(rg_macho *m, rg_err *err);
/* Images without dyld info: symbol pointers bound via the indirect symbols. */
int rg_macho_indirect_pointers(rg_macho *m, rg_err *err);

/* macho_chained.c */
int rg_macho_chained(rg_macho *m, rg_err *err);
/* Walks a BIND_OPCODE_THREADED chain starting in segment seg at off. */
int rg_macho_threaded_chain(rg_macho *m, uint64_t seg, uint64_t off, rg_err *err);

#endif
