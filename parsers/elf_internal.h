/*
 * elf_internal.h - shared between elf.c (headers, segments, sections, the
 * dynamic section) and elf_relocs.c (the relocation table walkers).
 *
 * References: the System V ABI gABI "Object Files" chapter (ELF header,
 * program headers, dynamic section, relocation entries); the generic-abi
 * DT_RELR proposal (https://groups.google.com/g/generic-abi/c/bX460iggiKg);
 * Android bionic's linker/linker_reloc_iterators.h and
 * linker_sleb128.h for the APS2 packed format; the MIPS64 ELF supplement
 * for its r_info layout; per-machine psABIs for the relative types.
 */
#ifndef RG_ELF_INTERNAL_H
#define RG_ELF_INTERNAL_H

#include "model.h"

/* How one machine's relocation entries are classified. */
typedef struct rg_elf_rctx {
	rg_binary *b;
	const rg_view *v;
	int is64, be;
	unsigned machine;
	int mips64;      /* ELF64 MIPS: r_info is r_sym, r_ssym, r_type3, r_type2, r_type */
	int mips;        /* R_MIPS_REL32 is relative only with symbol index 0 */
	int known;       /* the machine's relative types are known */
	uint32_t rel1, rel2; /* relative relocation types (0: none) */
	/* Attribution only (b->attr): the dynamic symbols that symbolic
	 * relocations name, and the library each one's version needs. */
	uint64_t dynsym_off, ndynsym, dynstr_off, dynstr_size;
	uint64_t versym_off;         /* 0: no .gnu.version */
	const char **ver_lib;        /* version index -> library, or NULL */
	size_t nver;
	uint32_t *imp_of_sym;        /* import index + 1 per dynamic symbol */
} rg_elf_rctx;

/* Records the attribution of one fixup (b->attr is set): sym is the
 * relocation's symbol index, addend its RELA addend (rela != 0). */
void rg_elf_attr(rg_elf_rctx *c, uint64_t addr, int kind, int lazy, uint64_t sym, int rela,
                 uint64_t addend);

/* Whether the tables take the fast path (64-bit little-endian on a
 * little-endian host; attribution by location only): then no fixup is
 * recorded one by one. */
int rg_elf_fast_path(const rg_elf_rctx *c);
/* Whether the fast path will add attribution cells once the symbols are
 * sealed. */
int rg_elf_streams_cells(const rg_elf_rctx *c);

void rg_elf_rctx_init(rg_elf_rctx *c, rg_binary *b, const rg_view *v, int is64, int be,
                      unsigned machine);

/* "x86_64", "aarch64", "mips64el", ... or "elf-machine-N" in buf. */
const char *rg_elf_arch_name(unsigned machine, int is64, int be, char *buf, size_t n);

/*
 * Walkers over one table already known to lie inside the view at [off,
 * off+size). `what` names the table in error messages ("DT_RELA").
 * Each fixup goes straight to rg_fixup(); nothing is allocated.
 */
int rg_elf_walk_rel(rg_elf_rctx *c, uint64_t off, uint64_t size, int rela, int lazy);
int rg_elf_walk_relr(rg_elf_rctx *c, const char *what, uint64_t off, uint64_t size,
                     rg_err *err);
int rg_elf_walk_aps2(rg_elf_rctx *c, const char *what, uint64_t off, uint64_t size,
                     uint64_t max_relocs, rg_err *err);

#endif
