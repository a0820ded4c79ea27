/*
 * elf.c - measures an ELF file (32/64-bit, either byte order, any machine)
 * into the model: PT_LOAD segments named by permissions, the PT_GNU_RELRO
 * overlay with its role regions, sections, Go symbol hints, and the dynamic
 * relocations found through PT_DYNAMIC (docs/format-elf.md).
 *
 * References: System V gABI "Object Files" (ELF header, program header,
 * section header, dynamic section); the Linux/glibc loader's handling of
 * PT_GNU_RELRO and of DT_JMPREL inside DT_REL(A) (elf/dynamic-link.h);
 * Android bionic for DT_ANDROID_REL(A)/RELR. Relocation tables are found
 * only through the dynamic section, as the loader does, never by section
 * name: Go's linker names its table ".rela", lld may omit sections.
 */
#include "formats.h"
#include "elf_internal.h"
#include "attr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	ET_REL = 1, ET_EXEC = 2, ET_DYN = 3, ET_CORE = 4,
	PT_LOAD = 1, PT_DYNAMIC = 2, PT_GNU_RELRO = 0x6474e552,
	PF_X = 1, PF_W = 2, PF_R = 4,
	SHT_SYMTAB = 2, SHT_NOBITS = 8, SHT_DYNSYM = 11,
	SHT_GNU_VERNEED = 0x6ffffffe, SHT_GNU_VERSYM = 0x6fffffff,
	SHF_ALLOC = 2, SHF_TLS = 0x400,
	SHN_XINDEX = 0xffff, PN_XNUM = 0xffff,
};

/* Dynamic tags this parser reads. */
#define DT_NULL 0
#define DT_PLTRELSZ 2
#define DT_RELA 7
#define DT_RELASZ 8
#define DT_RELAENT 9
#define DT_REL 17
#define DT_RELSZ 18
#define DT_RELENT 19
#define DT_PLTREL 20
#define DT_JMPREL 23
#define DT_RELRSZ 35
#define DT_RELR 36
#define DT_RELRENT 37
#define DT_ANDROID_REL 0x6000000fULL
#define DT_ANDROID_RELSZ 0x60000010ULL
#define DT_ANDROID_RELA 0x60000011ULL
#define DT_ANDROID_RELASZ 0x60000012ULL
#define DT_ANDROID_RELR 0x6fffe000ULL
#define DT_ANDROID_RELRSZ 0x6fffe001ULL
#define DT_ANDROID_RELRENT 0x6fffe003ULL

/*
 * Linux maps at most one page of program headers (73 on x86-64); more than
 * this many PT_LOAD segments is no real binary, and the per-segment work of
 * the model and catalog is quadratic in the count.
 */
#define RG_ELF_MAX_LOADS 4096

/* APS2 tables claiming more relocations than this are rejected. */
#define RG_APS2_MAX (1ULL << 24)

typedef struct elf_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, filesz, memsz;
} elf_phdr;

typedef struct elf_ctx {
	const rg_view *v;
	rg_binary *b;
	rg_err *err;
	int is64, be;
	uint16_t type, machine;
	uint64_t phoff, shoff;
	uint32_t phnum, shnum, shstrndx;
	uint16_t phentsize, shentsize;
	int have_gopclntab;
	int symtab;               /* index of SHT_SYMTAB, or -1 */
} elf_ctx;

/* One relocation table named by the dynamic section. */
typedef struct dyn_table {
	const char *name;         /* for messages: "DT_RELA" */
	uint64_t addr, size, ent;
	int has_addr, has_size, has_ent;
} dyn_table;

enum { T_RELA, T_REL, T_JMPREL, T_RELR, T_AREL, T_ARELA, T_ARELR, T_COUNT };

static uint64_t rd(const elf_ctx *c, uint64_t off, int width)
{
	const uint8_t *p = c->v->data + off;
	return width == 8 ? rg_ld64(p, c->be) : width == 4 ? rg_ld32(p, c->be) : rg_ld16(p, c->be);
}

static int read_header(elf_ctx *c)
{
	const uint8_t *d = c->v->data;
	size_t ehsize;

	if (c->v->size < 16)
		return rg_err_set(c->err, RG_EINPUT, "ELF identification truncated");
	if (d[4] != 1 && d[4] != 2)
		return rg_err_set(c->err, RG_EINPUT, "unknown ELF class %u", d[4]);
	if (d[5] != 1 && d[5] != 2)
		return rg_err_set(c->err, RG_EINPUT, "unknown ELF data encoding %u", d[5]);
	c->is64 = d[4] == 2;
	c->be = d[5] == 2;
	ehsize = c->is64 ? 64 : 52;
	if (c->v->size < ehsize)
		return rg_err_set(c->err, RG_EINPUT, "ELF header truncated (%zu of %zu bytes)",
		                  c->v->size, ehsize);
	c->type = (uint16_t)rd(c, 16, 2);
	c->machine = (uint16_t)rd(c, 18, 2);
	if (c->is64) {
		c->phoff = rd(c, 32, 8);
		c->shoff = rd(c, 40, 8);
	} else {
		c->phoff = rd(c, 28, 4);
		c->shoff = rd(c, 32, 4);
	}
	c->phentsize = (uint16_t)rd(c, c->is64 ? 54 : 42, 2);
	c->phnum = (uint32_t)rd(c, c->is64 ? 56 : 44, 2);
	c->shentsize = (uint16_t)rd(c, c->is64 ? 58 : 46, 2);
	c->shnum = (uint32_t)rd(c, c->is64 ? 60 : 48, 2);
	c->shstrndx = (uint32_t)rd(c, c->is64 ? 62 : 50, 2);
	return RG_OK;
}

/* Field of section header i (caller checked the table): ELF64 offset and
 * width, ELF32 offset (every ELF32 field read here is 4 bytes). */
static uint64_t sh_field(const elf_ctx *c, uint32_t i, int off64, int w64, int off32)
{
	uint64_t base = c->shoff + (uint64_t)i * c->shentsize;
	return c->is64 ? rd(c, base + (uint64_t)off64, w64) : rd(c, base + (uint64_t)off32, 4);
}
#define SH_NAME(c, i) sh_field(c, i, 0, 4, 0)
#define SH_TYPE(c, i) sh_field(c, i, 4, 4, 4)
#define SH_FLAGS(c, i) sh_field(c, i, 8, 8, 8)
#define SH_ADDR(c, i) sh_field(c, i, 16, 8, 12)
#define SH_OFFSET(c, i) sh_field(c, i, 24, 8, 16)
#define SH_SIZE(c, i) sh_field(c, i, 32, 8, 20)
#define SH_LINK(c, i) sh_field(c, i, 40, 4, 24)
#define SH_INFO(c, i) sh_field(c, i, 44, 4, 28)

/*
 * Validates the section header table and resolves the extended numbering
 * of the gABI (e_shnum, e_shstrndx and e_phnum overflowing into section 0).
 */
static int check_section_table(elf_ctx *c)
{
	size_t want = c->is64 ? 64 : 40;

	if (c->shoff == 0) {
		c->shnum = 0;
		return RG_OK;
	}
	if (c->shentsize != want)
		return rg_err_set(c->err, RG_EINPUT, "section header entry size is %u, expected %zu",
		                  c->shentsize, want);
	if (!rg_view_has(c->v, c->shoff, want))
		return rg_err_set(c->err, RG_EINPUT,
		                  "section header table lies past the end of the file");
	if (c->shnum == 0)
		c->shnum = (uint32_t)(SH_SIZE(c, 0) > 0xffffffffu ? 0xffffffffu : SH_SIZE(c, 0));
	if (c->shstrndx == SHN_XINDEX)
		c->shstrndx = (uint32_t)SH_LINK(c, 0);
	if (c->phnum == PN_XNUM)
		c->phnum = (uint32_t)SH_INFO(c, 0);
	if (!rg_view_has(c->v, c->shoff, (uint64_t)c->shnum * want))
		return rg_err_set(c->err, RG_EINPUT,
		                  "section header table (%u entries) lies past the end of the file",
		                  c->shnum);
	return RG_OK;
}

static int read_phdr(const elf_ctx *c, uint32_t i, elf_phdr *p)
{
	uint64_t o = c->phoff + (uint64_t)i * c->phentsize;

	p->type = (uint32_t)rd(c, o, 4);
	if (c->is64) {
		p->flags = (uint32_t)rd(c, o + 4, 4);
		p->offset = rd(c, o + 8, 8);
		p->vaddr = rd(c, o + 16, 8);
		p->filesz = rd(c, o + 32, 8);
		p->memsz = rd(c, o + 40, 8);
	} else {
		p->offset = rd(c, o + 4, 4);
		p->vaddr = rd(c, o + 8, 4);
		p->filesz = rd(c, o + 16, 4);
		p->memsz = rd(c, o + 20, 4);
		p->flags = (uint32_t)rd(c, o + 24, 4);
	}
	return RG_OK;
}

static int check_phdr_table(const elf_ctx *c)
{
	size_t want = c->is64 ? 56 : 32;

	if (c->phnum == 0)
		return RG_OK;
	if (c->phentsize != want)
		return rg_err_set(c->err, RG_EINPUT, "program header entry size is %u, expected %zu",
		                  c->phentsize, want);
	if (!rg_view_has(c->v, c->phoff, (uint64_t)c->phnum * want))
		return rg_err_set(c->err, RG_EINPUT,
		                  "program header table (%u entries) lies past the end of the file",
		                  c->phnum);
	return RG_OK;
}

static unsigned perms_of(uint32_t flags)
{
	return (flags & PF_R ? RG_PERM_R : 0) | (flags & PF_W ? RG_PERM_W : 0) |
	       (flags & PF_X ? RG_PERM_X : 0);
}

static void perm_name(unsigned p, char out[4])
{
	out[0] = p & RG_PERM_R ? 'r' : '-';
	out[1] = p & RG_PERM_W ? 'w' : '-';
	out[2] = p & RG_PERM_X ? 'x' : '-';
	out[3] = '\0';
}

/* File-backed bytes of [a, e) inside a segment whose file part ends at fe. */
static uint64_t file_part(uint64_t a, uint64_t e, uint64_t fe)
{
	if (a >= fe)
		return 0;
	return (e < fe ? e : fe) - a;
}

/*
 * Splits each PT_LOAD that a GNU_RELRO range covers into role regions:
 * the covered part is relro (attributed to the overlay too), the rest keeps
 * the segment's role. A relro range may cover part of a rw- segment (GNU
 * ld), a whole separate PT_LOAD (lld) or part of an r-- one.
 */
static int add_relro_regions(elf_ctx *c, const int *relro_idx, size_t nrelro)
{
	rg_binary *b = c->b;
	size_t s, r;

	for (s = 0; s < b->nsegs; s++) {
		const rg_segment *sg = &b->segs[s];
		uint64_t start = sg->vmaddr, end = sg->vmaddr + sg->vmsize, cur = start;
		uint64_t fe = sg->vmaddr + sg->filesize;
		int touched = 0;

		if (sg->overlay || sg->vmsize == 0)
			continue;
		for (r = 0; r < nrelro; r++) {
			const rg_segment *ro = &b->segs[relro_idx[r]];
			uint64_t rs = ro->vmaddr, re = ro->vmaddr + ro->vmsize;

			if (rs < cur)
				rs = cur;
			if (re > end)
				re = end;
			if (rs >= re)
				continue;
			touched = 1;
			if (rs > cur && rg_binary_add_region(b, (int)s, -1, sg->role, cur, rs,
			                                     file_part(cur, rs, fe)) != RG_OK)
				return rg_err_set(c->err, RG_ENOMEM, "out of memory");
			if (rg_binary_add_region(b, (int)s, relro_idx[r], RG_ROLE_RELRO, rs, re,
			                         file_part(rs, re, fe)) != RG_OK)
				return rg_err_set(c->err, RG_ENOMEM, "out of memory");
			cur = re;
		}
		if (touched && cur < end &&
		    rg_binary_add_region(b, (int)s, -1, sg->role, cur, end, file_part(cur, end, fe)) != RG_OK)
			return rg_err_set(c->err, RG_ENOMEM, "out of memory");
	}
	return RG_OK;
}

/* Adds PT_LOAD segments and GNU_RELRO overlays; finds PT_DYNAMIC. */
static int add_segments(elf_ctx *c, elf_phdr *dyn, int *have_dyn)
{
	rg_binary *b = c->b;
	int relro_idx[8];
	size_t nrelro = 0, nloads = 0;
	unsigned same_perms[8] = { 0 }; /* PT_LOADs seen per permission set */
	uint32_t i;
	elf_phdr p;

	*have_dyn = 0;
	for (i = 0; i < c->phnum; i++) {
		rg_segment s;
		char pn[4];
		unsigned same;
		int idx;

		read_phdr(c, i, &p);
		if (p.type == PT_DYNAMIC && !*have_dyn) {
			*dyn = p;
			*have_dyn = 1;
		}
		if (p.type != PT_LOAD && p.type != PT_GNU_RELRO)
			continue;
		if (p.vaddr + p.memsz < p.vaddr)
			return rg_err_set(c->err, RG_EINPUT,
			                  "program header %u wraps around the address space", i);
		memset(&s, 0, sizeof(s));
		s.perms = perms_of(p.flags);
		s.vmaddr = p.vaddr;
		s.vmsize = p.memsz;
		if (p.type == PT_GNU_RELRO) {
			if (nrelro == sizeof(relro_idx) / sizeof(relro_idx[0]))
				return rg_err_set(c->err, RG_EINPUT, "more than %zu PT_GNU_RELRO headers",
				                  nrelro);
			snprintf(s.name, sizeof(s.name), nrelro ? "GNU_RELRO#%zu" : "GNU_RELRO",
			         nrelro + 1);
			s.role = RG_ROLE_RELRO;
			s.overlay = 1;
			s.fileoff = p.offset;
			s.filesize = p.filesz;
			if ((idx = rg_binary_add_segment(b, &s)) < 0)
				return rg_err_set(c->err, RG_ENOMEM, "out of memory");
			relro_idx[nrelro++] = idx;
			continue;
		}
		if (p.filesz > p.memsz)
			return rg_err_set(c->err, RG_EINPUT,
			                  "PT_LOAD %u has a file size (%llu) larger than its memory size (%llu)",
			                  i, (unsigned long long)p.filesz, (unsigned long long)p.memsz);
		if (!rg_view_has(c->v, p.offset, p.filesz))
			return rg_err_set(c->err, RG_EINPUT,
			                  "PT_LOAD %u (%llu bytes at offset %llu) lies past the end of the file",
			                  i, (unsigned long long)p.filesz, (unsigned long long)p.offset);
		s.fileoff = p.offset;
		s.filesize = p.filesz;
		s.role = s.perms & RG_PERM_X ? RG_ROLE_TEXT
		         : s.perms & RG_PERM_W ? RG_ROLE_DATA : RG_ROLE_RODATA;
		if (++nloads > RG_ELF_MAX_LOADS)
			return rg_err_set(c->err, RG_EINPUT, "more than %d PT_LOAD segments",
			                  RG_ELF_MAX_LOADS);
		perm_name(s.perms, pn);
		same = ++same_perms[s.perms & 7];
		snprintf(s.name, sizeof(s.name), same > 1 ? "%s#%u" : "%s", pn, same);
		if (rg_binary_add_segment(b, &s) < 0)
			return rg_err_set(c->err, RG_ENOMEM, "out of memory");
	}
	return nrelro ? add_relro_regions(c, relro_idx, nrelro) : RG_OK;
}

/* Adds every section (but the null one) by name; finds .symtab/.gopclntab. */
static int add_sections(elf_ctx *c)
{
	uint64_t stroff = 0, strsize = 0, flags;
	char name[128];
	uint32_t i;

	c->symtab = -1;
	if (c->shnum == 0)
		return RG_OK;
	if (c->shstrndx == 0 || c->shstrndx >= c->shnum)
		return rg_binary_add_note(c->b, "section names unavailable (e_shstrndx is %u)",
		                          c->shstrndx) == RG_OK ? RG_OK
		       : rg_err_set(c->err, RG_ENOMEM, "out of memory");
	stroff = SH_OFFSET(c, c->shstrndx);
	strsize = SH_SIZE(c, c->shstrndx);
	if (!rg_view_has(c->v, stroff, strsize))
		return rg_err_set(c->err, RG_EINPUT, "section name table lies past the end of the file");
	for (i = 1; i < c->shnum; i++) {
		uint64_t nm = SH_NAME(c, i), off = SH_OFFSET(c, i), size = SH_SIZE(c, i);
		uint32_t type = (uint32_t)SH_TYPE(c, i);
		rg_view names;

		if (nm >= strsize)
			return rg_err_set(c->err, RG_EINPUT,
			                  "section %u's name lies outside the section name table", i);
		rg_view_sub(c->v, stroff, strsize, &names);
		rg_view_cstr(&names, nm, name, sizeof(name));
		if (type != SHT_NOBITS && !rg_view_has(c->v, off, size))
			return rg_err_set(c->err, RG_EINPUT, "section %s (%llu bytes at offset %llu) "
			                  "lies past the end of the file", name[0] ? name : "?",
			                  (unsigned long long)size, (unsigned long long)off);
		if (type == SHT_SYMTAB && c->symtab < 0)
			c->symtab = (int)i;
		if (!strcmp(name, ".gopclntab"))
			c->have_gopclntab = 1;
		if (rg_binary_add_section(c->b, name, SH_ADDR(c, i), size, off,
		                          type == SHT_NOBITS) != RG_OK)
			return rg_err_set(c->err, RG_ENOMEM, "out of memory");
		/* Only allocated sections hold fixups; a .tbss is a TLS template
		 * whose addresses overlap the sections after it. */
		flags = SH_FLAGS(c, i);
		c->b->secs[c->b->nsecs - 1].unmapped =
			!(flags & SHF_ALLOC) || ((flags & SHF_TLS) && type == SHT_NOBITS);
	}
	return RG_OK;
}

/*
 * Go: the pclntab reader finds the table by the runtime.pclntab and
 * runtime.epclntab symbols when no .gopclntab section names it (external
 * linking or some PIE layouts put it inside .data.rel.ro). One pass over
 * .symtab, comparing names only when their first byte matches.
 */
static int add_go_hints(elf_ctx *c)
{
	static const char pcl[] = "runtime.pclntab", epcl[] = "runtime.epclntab";
	uint64_t off, size, stroff, strsize, ent = c->is64 ? 24 : 16, i, link;
	int found = 0;

	if (c->symtab < 0 || c->have_gopclntab || c->type == ET_REL)
		return RG_OK;
	off = SH_OFFSET(c, (uint32_t)c->symtab);
	size = SH_SIZE(c, (uint32_t)c->symtab);
	link = SH_LINK(c, (uint32_t)c->symtab);
	if (link == 0 || link >= c->shnum)
		return RG_OK;
	stroff = SH_OFFSET(c, (uint32_t)link);
	strsize = SH_SIZE(c, (uint32_t)link);
	if (!rg_view_has(c->v, off, size) || !rg_view_has(c->v, stroff, strsize))
		return RG_OK;
	for (i = 0; i + ent <= size && found < 2; i += ent) {
		uint64_t e = off + i, nm = rd(c, e, 4), value;
		const char *s;

		if (nm == 0 || nm >= strsize)
			continue;
		s = (const char *)c->v->data + stroff + nm;
		if (s[0] != 'r' || strsize - nm < sizeof(pcl))
			continue;
		value = rd(c, e + (c->is64 ? 8 : 4), c->is64 ? 8 : 4);
		if (!memcmp(s, pcl, sizeof(pcl))) {
			if (rg_binary_add_symbol_hint(c->b, pcl, value) != RG_OK)
				return RG_ENOMEM;
			found++;
		} else if (strsize - nm >= sizeof(epcl) && !memcmp(s, epcl, sizeof(epcl))) {
			if (rg_binary_add_symbol_hint(c->b, epcl, value) != RG_OK)
				return RG_ENOMEM;
			found++;
		}
	}
	return RG_OK;
}

/* File offset of the table at virtual address t->addr, checked to fit. */
static int table_offset(const elf_ctx *c, const dyn_table *t, uint64_t *off)
{
	elf_phdr p;
	uint32_t i;

	for (i = 0; i < c->phnum; i++) {
		read_phdr(c, i, &p);
		if (p.type != PT_LOAD || t->addr < p.vaddr || t->addr - p.vaddr >= p.filesz)
			continue;
		*off = p.offset + (t->addr - p.vaddr);
		if (!rg_view_has(c->v, *off, t->size))
			return rg_err_set(c->err, RG_EINPUT,
			                  "%s table (%llu bytes at offset %llu) lies past the end of the file",
			                  t->name, (unsigned long long)t->size, (unsigned long long)*off);
		return RG_OK;
	}
	return rg_err_set(c->err, RG_EINPUT,
	                  "%s address 0x%llx is not inside any PT_LOAD segment's file contents",
	                  t->name, (unsigned long long)t->addr);
}

static void set_tag(dyn_table *t, int field, uint64_t val)
{
	if (field == 0) { t->addr = val; t->has_addr = 1; }
	else if (field == 1) { t->size = val; t->has_size = 1; }
	else { t->ent = val; t->has_ent = 1; }
}

/* Reads the dynamic section into the table descriptors. */
static int read_dynamic(elf_ctx *c, const elf_phdr *dyn, dyn_table *t, uint64_t *pltrel)
{
	static const struct { uint64_t tag; int table, field; } map[] = {
		{ DT_RELA, T_RELA, 0 }, { DT_RELASZ, T_RELA, 1 }, { DT_RELAENT, T_RELA, 2 },
		{ DT_REL, T_REL, 0 }, { DT_RELSZ, T_REL, 1 }, { DT_RELENT, T_REL, 2 },
		{ DT_JMPREL, T_JMPREL, 0 }, { DT_PLTRELSZ, T_JMPREL, 1 },
		{ DT_RELR, T_RELR, 0 }, { DT_RELRSZ, T_RELR, 1 }, { DT_RELRENT, T_RELR, 2 },
		{ DT_ANDROID_REL, T_AREL, 0 }, { DT_ANDROID_RELSZ, T_AREL, 1 },
		{ DT_ANDROID_RELA, T_ARELA, 0 }, { DT_ANDROID_RELASZ, T_ARELA, 1 },
		{ DT_ANDROID_RELR, T_ARELR, 0 }, { DT_ANDROID_RELRSZ, T_ARELR, 1 },
		{ DT_ANDROID_RELRENT, T_ARELR, 2 },
	};
	const int w = c->is64 ? 8 : 4;
	uint64_t o, end, tag, val;
	size_t k;

	if (!rg_view_has(c->v, dyn->offset, dyn->filesz))
		return rg_err_set(c->err, RG_EINPUT, "dynamic section lies past the end of the file");
	end = dyn->offset + dyn->filesz;
	for (o = dyn->offset; end - o >= (uint64_t)(2 * w); o += (uint64_t)(2 * w)) {
		tag = rd(c, o, w);
		val = rd(c, o + (uint64_t)w, w);
		if (tag == DT_NULL)
			break;
		if (tag == DT_PLTREL)
			*pltrel = val;
		for (k = 0; k < sizeof(map) / sizeof(map[0]); k++)
			if (map[k].tag == tag)
				set_tag(&t[map[k].table], map[k].field, val);
	}
	return RG_OK;
}

/* Checks one table's tags; *present is 0 when the table is absent/empty. */
static int check_table(const elf_ctx *c, dyn_table *t, uint64_t want_ent, int *present,
                       uint64_t *off)
{
	*present = 0;
	if (!t->has_addr && !t->has_size)
		return RG_OK;
	if (t->has_addr && !t->has_size)
		return rg_err_set(c->err, RG_EINPUT, "%s without its size tag", t->name);
	if (t->size == 0)
		return RG_OK;
	if (!t->has_addr)
		return rg_err_set(c->err, RG_EINPUT, "%s size tag without %s", t->name, t->name);
	if (want_ent) {
		if (t->has_ent && t->ent != want_ent)
			return rg_err_set(c->err, RG_EINPUT, "%s entry size is %llu, expected %llu",
			                  t->name, (unsigned long long)t->ent,
			                  (unsigned long long)want_ent);
		if (t->size % want_ent)
			return rg_err_set(c->err, RG_EINPUT,
			                  "%s size %llu is not a multiple of its entry size %llu", t->name,
			                  (unsigned long long)t->size, (unsigned long long)want_ent);
	}
	*present = 1;
	return table_offset(c, t, off);
}

/*
 * glibc (elf/dynamic-link.h) notes that on some machines DT_REL(A)'s range
 * includes DT_JMPREL's; the loader then applies those entries once, as
 * PLT relocations. Mirror that: cut the PLT part out of the DT_REL(A) range.
 */
static void exclude_plt(rg_binary *b, dyn_table *rel, const dyn_table *plt)
{
	uint64_t re = rel->addr + rel->size, pe = plt->addr + plt->size;

	if (plt->addr < rel->addr || pe > re || plt->size == 0 || rel->size == 0)
		return;
	if (pe == re) {
		rel->size -= plt->size;
		rg_binary_add_note(b, "%s includes DT_JMPREL's range: counted once, as PLT", rel->name);
	}
}

/* ---- attribution (only when b->attr is set) ------------------------------ */

/* The first section of type t, or -1. */
static int section_of_type(const elf_ctx *c, uint32_t t)
{
	uint32_t i;

	for (i = 1; i < c->shnum; i++)
		if ((uint32_t)SH_TYPE(c, i) == t)
			return (int)i;
	return -1;
}

/* Section i's bytes and its linked string table, both inside the file. */
static int table_and_strings(const elf_ctx *c, int i, uint64_t *off, uint64_t *size,
                             uint64_t *stroff, uint64_t *strsize)
{
	uint64_t link;

	if (i < 0)
		return -1;
	*off = SH_OFFSET(c, (uint32_t)i);
	*size = SH_SIZE(c, (uint32_t)i);
	link = SH_LINK(c, (uint32_t)i);
	if (link == 0 || link >= c->shnum)
		return -1;
	*stroff = SH_OFFSET(c, (uint32_t)link);
	*strsize = SH_SIZE(c, (uint32_t)link);
	if (!rg_view_has(c->v, *off, *size) || !rg_view_has(c->v, *stroff, *strsize))
		return -1;
	return 0;
}

/*
 * The names of the dynamic symbols relocations refer to, and the library
 * each needs (GNU symbol versioning: .gnu.version gives a symbol's version
 * index, .gnu.version_r lists per needed file the version indexes it
 * provides). Anything malformed just leaves names or libraries unknown.
 */
static int prepare_imports(elf_ctx *c, rg_elf_rctx *r)
{
	uint64_t off, size, stroff, strsize, ent = c->is64 ? 24 : 16;
	int ds = section_of_type(c, SHT_DYNSYM), vs, vn;

	if (table_and_strings(c, ds, &off, &size, &stroff, &strsize) != 0)
		return RG_OK;
	r->dynsym_off = off;
	r->ndynsym = size / ent;
	r->dynstr_off = stroff;
	r->dynstr_size = strsize;
	if (!(r->imp_of_sym = calloc(r->ndynsym + 1, sizeof(*r->imp_of_sym))))
		return RG_ENOMEM;
	vs = section_of_type(c, SHT_GNU_VERSYM);
	vn = section_of_type(c, SHT_GNU_VERNEED);
	if (vs < 0 || vn < 0 || !rg_view_has(c->v, SH_OFFSET(c, (uint32_t)vs), r->ndynsym * 2) ||
	    table_and_strings(c, vn, &off, &size, &stroff, &strsize) != 0)
		return RG_OK;
	r->versym_off = SH_OFFSET(c, (uint32_t)vs);
	r->nver = 0x8000;
	if (!(r->ver_lib = calloc(r->nver, sizeof(*r->ver_lib))))
		return RG_ENOMEM;
	{
		uint64_t at = off, guard = size / 16 + 1;
		while (guard-- && at + 16 <= off + size) {
			const uint8_t *vnp = c->v->data + at;
			uint16_t cnt = rg_ld16(vnp + 2, c->be);
			uint32_t file = rg_ld32(vnp + 4, c->be), aux = rg_ld32(vnp + 8, c->be);
			uint32_t next = rg_ld32(vnp + 12, c->be), j;
			uint64_t ax = at + aux;
			const char *lib = file < strsize ? (const char *)c->v->data + stroff + file : NULL;

			if (lib && !memchr(lib, 0, (size_t)(strsize - file)))
				lib = NULL;
			for (j = 0; j < cnt && ax + 16 <= off + size; j++) {
				uint16_t other = rg_ld16(c->v->data + ax + 6, c->be) & 0x7fff;
				uint32_t anext = rg_ld32(c->v->data + ax + 12, c->be);
				r->ver_lib[other] = lib;
				if (!anext)
					break;
				ax += anext;
			}
			if (!next)
				break;
			at += next;
		}
	}
	return RG_OK;
}

static void free_imports(rg_elf_rctx *r)
{
	free(r->imp_of_sym);
	free((void *)r->ver_lib);
	r->imp_of_sym = NULL;
	r->ver_lib = NULL;
}

/*
 * The read-only segments' ranges go to attr->unloaded (none when there
 * are too many to list): symbols inside them are not loaded, since the
 * loader writes no fixup there. Most symbols of a C++ library are its
 * functions. A fixup there after all (DT_TEXTREL) makes relgate measure
 * again with every symbol (rg_measure_view).
 */
static void unloaded_ranges(rg_binary *b)
{
	rg_attr *a = b->attr;
	size_t i;

	a->nunloaded = 0;
	for (i = 0; i < b->nsegs; i++) {
		const rg_segment *s = &b->segs[i];
		if (s->overlay || s->unmapped || (s->perms & RG_PERM_W) || !s->vmsize ||
		    s->vmaddr + s->vmsize < s->vmaddr)
			continue;
		if (a->nunloaded == sizeof(a->unloaded) / sizeof(a->unloaded[0])) {
			a->nunloaded = 0;
			return;
		}
		a->unloaded[a->nunloaded][0] = s->vmaddr;
		a->unloaded[a->nunloaded][1] = s->vmaddr + s->vmsize;
		a->nunloaded++;
	}
}

/* 1: [value, value + size) lies inside an unloaded range; 0: outside all;
 * -1: it reaches into one. */
static int in_unloaded(const rg_attr *a, uint64_t value, uint64_t size)
{
	uint64_t end = value + size;
	size_t i;

	for (i = 0; i < a->nunloaded; i++) {
		uint64_t lo = a->unloaded[i][0], hi = a->unloaded[i][1];
		if (end < value)
			return -1;
		if (value >= lo && end <= hi)
			return 1;
		if (value < hi && end > lo)
			return -1;
	}
	return 0;
}

/* Symbols for attribution: .symtab, else .dynsym (defined, with a size);
 * with skip_ro, not those inside read-only segments (unloaded_ranges). */
static int load_symbols(elf_ctx *c, int skip_ro)
{
	uint64_t off, size, stroff, strsize, ent = c->is64 ? 24 : 16, i;
	int t = c->symtab >= 0 ? c->symtab : section_of_type(c, SHT_DYNSYM), terminated;
	rg_binary *b = c->b;

	if (t < 0)
		return RG_OK;
	if (table_and_strings(c, t, &off, &size, &stroff, &strsize) != 0) {
		rg_attr_drop_syms(b, "the symbol table or its string table lies outside the file");
		return RG_OK;
	}
	snprintf(b->attr->symsrc, sizeof(b->attr->symsrc), "%s",
	         t == c->symtab ? ".symtab" : ".dynsym");
	/* A table ending in NUL terminates every name inside it. */
	terminated = strsize && c->v->data[stroff + strsize - 1] == 0;
	rg_attr_reserve_syms(b, (size_t)(size / ent));
	b->attr->nunloaded = 0;
	if (skip_ro)
		unloaded_ranges(b);
	for (i = 1; (i + 1) * ent <= size; i++) {
		const uint8_t *e = c->v->data + off + i * ent;
		uint64_t nm = rg_ld32(e, c->be), value, sz;
		uint8_t info, type, bind;
		uint16_t shndx;

		if (c->is64) {
			info = e[4];
			shndx = rg_ld16(e + 6, c->be);
			value = rg_ld64(e + 8, c->be);
			sz = rg_ld64(e + 16, c->be);
		} else {
			value = rg_ld32(e + 4, c->be);
			sz = rg_ld32(e + 8, c->be);
			info = e[12];
			shndx = rg_ld16(e + 14, c->be);
		}
		type = info & 0xf;
		bind = info >> 4;
		/* Undefined, absolute, common; sections, files and TLS offsets. */
		if (shndx == 0 || shndx >= 0xff00 || type == 3 || type == 4 || type == 6 || sz == 0)
			continue;
		if (b->attr->nunloaded) {
			int in = in_unloaded(b->attr, value, sz);
			if (in > 0) {
				b->attr->nsyms_loaded++; /* read, not kept */
				continue;
			}
			if (in < 0) { /* a symbol reaching into one: load them all */
				rg_attr_clear_syms(b);
				b->attr->nunloaded = 0;
				return load_symbols(c, 0);
			}
		}
		if (nm >= strsize ||
		    (!terminated && !memchr(c->v->data + stroff + nm, 0, (size_t)(strsize - nm)))) {
			rg_attr_drop_syms(b, "a symbol name lies outside the string table");
			return RG_OK;
		}
		if (rg_attr_add_sym_at(b, stroff + nm, value, sz, bind == 1 || bind == 2 || bind == 10,
		                       1) != RG_OK)
			return RG_ENOMEM;
	}
	return RG_OK;
}

static int measure_dynamic(elf_ctx *c, const elf_phdr *dyn)
{
	dyn_table t[T_COUNT] = {
		{ "DT_RELA", 0, 0, 0, 0, 0, 0 }, { "DT_REL", 0, 0, 0, 0, 0, 0 },
		{ "DT_JMPREL", 0, 0, 0, 0, 0, 0 }, { "DT_RELR", 0, 0, 0, 0, 0, 0 },
		{ "DT_ANDROID_REL", 0, 0, 0, 0, 0, 0 }, { "DT_ANDROID_RELA", 0, 0, 0, 0, 0, 0 },
		{ "DT_ANDROID_RELR", 0, 0, 0, 0, 0, 0 },
	};
	const uint64_t w = c->is64 ? 8 : 4, rela_ent = 3 * w, rel_ent = 2 * w;
	uint64_t pltrel = 0, off[T_COUNT] = { 0 }, vm = 0, max_aps2;
	int present[T_COUNT] = { 0 }, plt_rela, rc;
	char tables[160] = "";
	rg_elf_rctx rc_ctx;
	size_t i;

	if ((rc = read_dynamic(c, dyn, t, &pltrel)) != RG_OK)
		return rc;
	if (t[T_JMPREL].has_addr || t[T_JMPREL].has_size) {
		if (pltrel != DT_RELA && pltrel != DT_REL) {
			if (pltrel != 0)
				return rg_err_set(c->err, RG_EINPUT, "DT_PLTREL is %llu, not DT_REL or DT_RELA",
				                  (unsigned long long)pltrel);
			pltrel = t[T_RELA].has_addr ? DT_RELA : t[T_REL].has_addr ? DT_REL
			         : c->is64 ? DT_RELA : DT_REL;
			rg_binary_add_note(c->b, "no DT_PLTREL: PLT relocations read as %s",
			                   pltrel == DT_RELA ? "RELA" : "REL");
		}
	}
	plt_rela = pltrel == DT_RELA;
	if (t[T_RELA].has_addr && t[T_JMPREL].has_addr && plt_rela)
		exclude_plt(c->b, &t[T_RELA], &t[T_JMPREL]);
	if (t[T_REL].has_addr && t[T_JMPREL].has_addr && !plt_rela)
		exclude_plt(c->b, &t[T_REL], &t[T_JMPREL]);
	if (t[T_ARELR].has_addr && t[T_RELR].has_addr && t[T_ARELR].addr == t[T_RELR].addr)
		t[T_ARELR].has_addr = t[T_ARELR].has_size = 0; /* one table, two tags */

	if ((rc = check_table(c, &t[T_RELA], rela_ent, &present[T_RELA], &off[T_RELA])) ||
	    (rc = check_table(c, &t[T_REL], rel_ent, &present[T_REL], &off[T_REL])) ||
	    (rc = check_table(c, &t[T_JMPREL], plt_rela ? rela_ent : rel_ent, &present[T_JMPREL],
	                      &off[T_JMPREL])) ||
	    (rc = check_table(c, &t[T_RELR], w, &present[T_RELR], &off[T_RELR])) ||
	    (rc = check_table(c, &t[T_AREL], 0, &present[T_AREL], &off[T_AREL])) ||
	    (rc = check_table(c, &t[T_ARELA], 0, &present[T_ARELA], &off[T_ARELA])) ||
	    (rc = check_table(c, &t[T_ARELR], w, &present[T_ARELR], &off[T_ARELR])))
		return rc;

	for (i = 0; i < c->b->nsegs; i++)
		if (!c->b->segs[i].overlay)
			vm += c->b->segs[i].vmsize;
	max_aps2 = vm < RG_APS2_MAX ? vm : RG_APS2_MAX;

	rg_elf_rctx_init(&rc_ctx, c->b, c->v, c->is64, c->be, c->machine);
	if (!rc_ctx.known)
		rg_binary_add_note(c->b, "relative relocation types of machine %u are not known: "
		                   "every relocation counts as symbolic", c->machine);
	if (c->machine == 8)
		rg_binary_add_note(c->b, "MIPS: GOT entries the loader relocates without relocation "
		                   "records (DT_MIPS_LOCAL_GOTNO, DT_MIPS_GOTSYM) are not counted");
	if (c->b->attr && (c->b->attr->want & RG_ATTR_TARGETS) &&
	    prepare_imports(c, &rc_ctx) != RG_OK) {
		free_imports(&rc_ctx);
		return rg_err_set(c->err, RG_ENOMEM, "out of memory");
	}
	/* Symbols before the walk: a walk that streams cells needs them
	 * sealed. */
	if (c->b->attr && (load_symbols(c, rg_elf_streams_cells(&rc_ctx)) != RG_OK ||
	                   rg_attr_seal_syms(c->b, c->v) != RG_OK)) {
		free_imports(&rc_ctx);
		return rg_err_set(c->err, RG_ENOMEM, "out of memory");
	}
	if (c->b->attr) { /* one record (or cell) per table entry, at most */
		uint64_t n = 0;
		n += present[T_RELA] ? t[T_RELA].size / rela_ent : 0;
		n += present[T_REL] ? t[T_REL].size / rel_ent : 0;
		n += present[T_JMPREL] ? t[T_JMPREL].size / (plt_rela ? rela_ent : rel_ent) : 0;
		if (rg_elf_fast_path(&rc_ctx))
			rg_attr_reserve_cells(c->b, (size_t)n);
		else
			rg_attr_reserve(c->b, (size_t)n);
	}
	for (i = 0; i < T_COUNT; i++) {
		if (!present[i])
			continue;
		switch (i) {
		case T_RELA: case T_REL:
			rc = rg_elf_walk_rel(&rc_ctx, off[i], t[i].size, i == T_RELA, 0);
			break;
		case T_JMPREL:
			rc = rg_elf_walk_rel(&rc_ctx, off[i], t[i].size, plt_rela, 1);
			break;
		case T_RELR: case T_ARELR:
			rc = rg_elf_walk_relr(&rc_ctx, t[i].name, off[i], t[i].size, c->err);
			break;
		default:
			rc = rg_elf_walk_aps2(&rc_ctx, t[i].name, off[i], t[i].size, max_aps2, c->err);
			break;
		}
		if (rc != RG_OK) {
			free_imports(&rc_ctx);
			return rc;
		}
		snprintf(tables + strlen(tables), sizeof(tables) - strlen(tables), "%s%s",
		         tables[0] ? " " : "", t[i].name);
	}
	free_imports(&rc_ctx);
	if (rg_binary_set_info(c->b, "relocation_tables", "%s", tables[0] ? tables : "none") != RG_OK)
		return rg_err_set(c->err, RG_ENOMEM, "out of memory");
	return RG_OK;
}

static const char *type_name(uint16_t t)
{
	switch (t) {
	case ET_REL: return "REL (relocatable object)";
	case ET_EXEC: return "EXEC (executable)";
	case ET_DYN: return "DYN (shared object or PIE)";
	case ET_CORE: return "CORE (core dump)";
	}
	return "unknown";
}

static int measure(elf_ctx *c)
{
	rg_binary *b = c->b;
	elf_phdr dyn = { 0, 0, 0, 0, 0, 0 };
	int have_dyn = 0, rc;

	if ((rc = read_header(c)) != RG_OK || (rc = check_section_table(c)) != RG_OK ||
	    (rc = check_phdr_table(c)) != RG_OK)
		return rc;
	snprintf(b->format, sizeof(b->format), "elf");
	rg_elf_arch_name(c->machine, c->is64, c->be, b->arch, sizeof(b->arch));
	b->bits = c->is64 ? 64 : 32;
	b->big_endian = c->be;
	b->slice_offset = 0;
	b->slice_size = c->v->size;
	rg_binary_set_page_size(b, 4096);
	if (rg_binary_set_info(b, "elf_type", "%s", type_name(c->type)) != RG_OK)
		return rg_err_set(c->err, RG_ENOMEM, "out of memory");
	if ((rc = add_segments(c, &dyn, &have_dyn)) != RG_OK || (rc = add_sections(c)) != RG_OK)
		return rc;
	if (add_go_hints(c) != RG_OK)
		return rg_err_set(c->err, RG_ENOMEM, "out of memory");
	if ((rc = rg_binary_seal(b, c->err)) != RG_OK)
		return rc;
	if (c->type == ET_REL || c->type == ET_CORE) {
		rg_binary_add_note(b, "%s: no load-time relocations measured", type_name(c->type));
		return RG_OK;
	}
	if (!have_dyn) {
		rg_binary_add_note(b, "no PT_DYNAMIC (static executable): no load-time relocations "
		                   "measured");
		return RG_OK;
	}
	b->has_fixups = 1;
	return measure_dynamic(c, &dyn);
}

int rg_elf_measure(const char *path, const rg_view *v, const rg_measure_opts *o,
                   rg_binary_list *out, rg_err *err)
{
	rg_view view = *v;
	elf_ctx c;
	int rc;

	memset(&c, 0, sizeof(c));
	c.v = &view;
	c.err = err;
	if (!(c.b = rg_binary_new(path, o ? o->page_size : 0)))
		return rg_err_set(err, RG_ENOMEM, "out of memory");
	if (o && rg_attr_enable(c.b, o->attribution) != RG_OK) {
		rg_binary_free(c.b);
		return rg_err_set(err, RG_ENOMEM, "out of memory");
	}
	rc = measure(&c);
	if (rc == RG_OK && c.b->oom)
		rc = rg_err_set(err, RG_ENOMEM, "out of memory");
	if (rc == RG_OK && rg_binary_list_push(out, c.b) != RG_OK)
		rc = rg_err_set(err, RG_ENOMEM, "out of memory");
	if (rc != RG_OK)
		rg_binary_free(c.b);
	return rc;
}
