/*
 * macho.c - Mach-O images: universal (fat) headers, thin headers in either
 * byte order, load commands, segments and sections, and the symbols the Go
 * pclntab reader needs. Fixups are decoded in macho_fixups.c (opcode
 * streams, classic relocations) and macho_chained.c (fixup chains).
 *
 * References: Apple's <mach-o/fat.h> (fat_header, fat_arch, fat_arch_64,
 * always big-endian), <mach-o/loader.h> (mach_header(_64), segment_command
 * (_64), section(_64), symtab/dysymtab/dyld_info/linkedit_data commands),
 * <mach-o/nlist.h>, <mach/machine.h> (cpu types and subtypes). Roles
 * (docs/format-macho.md): __PAGEZERO is not mapped; __DATA_CONST, __AUTH_CONST and
 * SG_READ_ONLY segments are read-only after fixups.
 */
#include "formats.h"
#include "macho.h"
#include "attr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAT_MAGIC       0xcafebabeu
#define FAT_MAGIC_64    0xcafebabfu
#define MH_MAGIC        0xfeedfaceu
#define MH_MAGIC_64     0xfeedfacfu
#define MH_CIGAM        0xcefaedfeu
#define MH_CIGAM_64     0xcffaedfeu

#define LC_REQ_DYLD             0x80000000u
#define LC_SEGMENT              0x1u
#define LC_SYMTAB               0x2u
#define LC_DYSYMTAB             0xbu
#define LC_SEGMENT_64           0x19u
#define LC_DYLD_INFO            0x22u
#define LC_DYLD_INFO_ONLY       (0x22u | LC_REQ_DYLD)
#define LC_DYLD_CHAINED_FIXUPS  (0x34u | LC_REQ_DYLD)

#define SG_READ_ONLY  0x10u
#define VM_PROT_WRITE 0x2u
#define VM_PROT_EXEC  0x4u

#define MH_OBJECT 0x1u
#define MH_CORE   0x4u
#define MH_DSYM   0xau

#define CPU_ARCH_ABI64    0x01000000u
#define CPU_ARCH_ABI64_32 0x02000000u
#define CPU_TYPE_X86      7u
#define CPU_TYPE_ARM      12u
#define CPU_TYPE_POWERPC  18u
#define CPU_SUBTYPE_MASK  0xff000000u

#define MAX_SLICES 64

/* "arm64", "x86_64", ... from cputype/cpusubtype (capability bits masked). */
static void arch_name(uint32_t cpu, uint32_t sub, char *buf, size_t len)
{
	static const char *const arm[] = {
		[5] = "armv4t", [6] = "armv6", [7] = "armv5", [8] = "xscale",
		[9] = "armv7", [10] = "armv7f", [11] = "armv7s", [12] = "armv7k",
		[13] = "armv8", [14] = "armv6m", [15] = "armv7m", [16] = "armv7em",
	};
	const char *n = NULL;

	sub &= ~CPU_SUBTYPE_MASK;
	switch (cpu) {
	case CPU_TYPE_X86: n = "i386"; break;
	case CPU_TYPE_X86 | CPU_ARCH_ABI64: n = sub == 8 ? "x86_64h" : "x86_64"; break;
	case CPU_TYPE_ARM:
		n = sub < sizeof(arm) / sizeof(arm[0]) && arm[sub] ? arm[sub] : "arm";
		break;
	case CPU_TYPE_ARM | CPU_ARCH_ABI64: n = sub == 2 ? "arm64e" : "arm64"; break;
	case CPU_TYPE_ARM | CPU_ARCH_ABI64_32: n = "arm64_32"; break;
	case CPU_TYPE_POWERPC: n = "ppc"; break;
	case CPU_TYPE_POWERPC | CPU_ARCH_ABI64: n = "ppc64"; break;
	}
	if (n)
		snprintf(buf, len, "%s", n);
	else
		snprintf(buf, len, "cpu%u.%u", cpu, sub);
}

int rg_macho_too_many(rg_macho *m, rg_err *err)
{
	return rg_err_set(err, RG_EINPUT,
	                  "fixup streams claim more fixups (%llu) than the file can hold",
	                  (unsigned long long)m->nfix);
}

int rg_macho_seg_addr(const rg_macho *m, uint64_t seg, uint64_t off, uint64_t len,
                      const char *what, uint64_t *addr, rg_err *err)
{
	const rg_mseg *s;

	if (seg >= m->nsegs)
		return rg_err_set(err, RG_EINPUT, "%s: segment index %llu out of range (%zu segments)",
		                  what, (unsigned long long)seg, m->nsegs);
	s = &m->segs[seg];
	if (off > s->vmsize || len > s->vmsize - off)
		return rg_err_set(err, RG_EINPUT,
		                  "%s: offset 0x%llx lies outside segment %s (size 0x%llx)", what,
		                  (unsigned long long)off, s->name, (unsigned long long)s->vmsize);
	*addr = s->vmaddr + off;
	return RG_OK;
}

static rg_role seg_role(const char *name, uint32_t initprot, uint32_t flags)
{
	if (!strcmp(name, "__DATA_CONST") || !strcmp(name, "__AUTH_CONST") ||
	    (flags & SG_READ_ONLY))
		return RG_ROLE_RELRO;
	if (initprot & VM_PROT_EXEC)
		return RG_ROLE_TEXT;
	if (initprot & VM_PROT_WRITE)
		return RG_ROLE_DATA;
	return RG_ROLE_RODATA;
}

static unsigned seg_perms(uint32_t prot)
{
	return ((prot & 1) ? RG_PERM_R : 0) | ((prot & VM_PROT_WRITE) ? RG_PERM_W : 0) |
	       ((prot & VM_PROT_EXEC) ? RG_PERM_X : 0);
}

static int is_zerofill(uint32_t flags)
{
	uint32_t t = flags & 0xff;
	return t == 0x1 || t == 0xc || t == 0x12; /* S_ZEROFILL, S_GB_ZEROFILL, S_THREAD_LOCAL_ZEROFILL */
}

/* LC_SEGMENT(_64) at off (cmdsize already bounded) with its sections. */
static int parse_segment(rg_macho *m, uint64_t off, uint32_t cmdsize, rg_err *err)
{
	const rg_view *v = &m->v;
	size_t hdr = m->is64 ? 72 : 56, secsz = m->is64 ? 80 : 68;
	uint32_t maxprot, initprot, nsects, flags, i;
	rg_segment s;
	rg_mseg *ms, *ns;
	int idx;

	if (cmdsize < hdr)
		return rg_err_set(err, RG_EINPUT, "segment load command too small (%u bytes)", cmdsize);
	memset(&s, 0, sizeof(s));
	memcpy(s.name, v->data + off + 8, 16);
	s.name[16] = '\0';
	if (m->is64) {
		rg_view_u64(v, off + 24, &s.vmaddr);
		rg_view_u64(v, off + 32, &s.vmsize);
		rg_view_u64(v, off + 40, &s.fileoff);
		rg_view_u64(v, off + 48, &s.filesize);
	} else {
		uint32_t a, b, c, d;
		rg_view_u32(v, off + 24, &a);
		rg_view_u32(v, off + 28, &b);
		rg_view_u32(v, off + 32, &c);
		rg_view_u32(v, off + 36, &d);
		s.vmaddr = a, s.vmsize = b, s.fileoff = c, s.filesize = d;
	}
	rg_view_u32(v, off + hdr - 16, &maxprot);
	rg_view_u32(v, off + hdr - 12, &initprot);
	rg_view_u32(v, off + hdr - 8, &nsects);
	rg_view_u32(v, off + hdr - 4, &flags);
	(void)maxprot;
	if (nsects > (cmdsize - hdr) / secsz)
		return rg_err_set(err, RG_EINPUT, "segment %s: %u sections do not fit its load command",
		                  s.name, nsects);
	if (s.filesize && (s.fileoff > v->size || s.filesize > v->size - s.fileoff))
		return rg_err_set(err, RG_EINPUT,
		                  "segment %s: file range 0x%llx+0x%llx lies outside the file (%zu bytes)",
		                  s.name, (unsigned long long)s.fileoff,
		                  (unsigned long long)s.filesize, v->size);
	s.perms = seg_perms(initprot);
	s.role = seg_role(s.name, initprot, flags);
	if (!strcmp(s.name, "__PAGEZERO") || (initprot == 0 && s.filesize == 0)) {
		s.unmapped = 1;
		s.role = RG_ROLE_NONE;
	}
	if (m->filetype != MH_OBJECT || s.name[0]) {
		if ((idx = rg_binary_add_segment(m->b, &s)) < 0)
			return rg_err_set(err, RG_ENOMEM, "out of memory");
	}
	ns = realloc(m->segs, (m->nsegs + 1) * sizeof(*m->segs));
	if (!ns)
		return rg_err_set(err, RG_ENOMEM, "out of memory");
	m->segs = ns;
	ms = &m->segs[m->nsegs++];
	memcpy(ms->name, s.name, sizeof(ms->name));
	ms->vmaddr = s.vmaddr, ms->vmsize = s.vmsize;
	ms->fileoff = s.fileoff, ms->filesize = s.filesize;
	ms->initprot = initprot;

	for (i = 0; i < nsects; i++) {
		uint64_t so = off + hdr + (uint64_t)i * secsz, addr, size;
		uint32_t foff, sflags;
		char name[40], sect[17], seg[17];

		memcpy(sect, v->data + so, 16);
		memcpy(seg, v->data + so + 16, 16);
		sect[16] = seg[16] = '\0';
		if (m->is64) {
			rg_view_u64(v, so + 32, &addr);
			rg_view_u64(v, so + 40, &size);
			rg_view_u32(v, so + 48, &foff);
			rg_view_u32(v, so + 64, &sflags);
		} else {
			uint32_t a, z;
			rg_view_u32(v, so + 32, &a);
			rg_view_u32(v, so + 36, &z);
			rg_view_u32(v, so + 40, &foff);
			rg_view_u32(v, so + 56, &sflags);
			addr = a, size = z;
		}
		snprintf(name, sizeof(name), "%s,%s", seg, sect);
		if (rg_binary_add_section(m->b, name, addr, size, foff, is_zerofill(sflags)) != RG_OK)
			return rg_err_set(err, RG_ENOMEM, "out of memory");
	}
	return RG_OK;
}

/* Reads the (offset, size) pair at off and checks it lies in the slice. */
static int linkedit_range(rg_macho *m, uint64_t off, const char *what, uint32_t *o,
                          uint32_t *n, uint64_t unit, rg_err *err)
{
	rg_view_u32(&m->v, off, o);
	rg_view_u32(&m->v, off + 4, n);
	if (*n && !rg_view_has(&m->v, *o, (uint64_t)*n * unit))
		return rg_err_set(err, RG_EINPUT, "%s at 0x%x (%llu bytes) lies outside the file", what,
		                  *o, (unsigned long long)*n * unit);
	return RG_OK;
}

/* Looks for the Go pclntab bounds symbols; Mach-O symbols carry a leading
 * underscore, the hints do not. */
static int scan_symtab(rg_macho *m, uint64_t cmd, rg_err *err)
{
	uint32_t symoff, nsyms, stroff, strsize, i;
	size_t entsz = m->is64 ? 16 : 12;
	rg_view strs;
	int found = 0;

	if (linkedit_range(m, cmd + 8, "symbol table", &symoff, &nsyms, entsz, err) ||
	    linkedit_range(m, cmd + 16, "string table", &stroff, &strsize, 1, err))
		return err->code;
	if (rg_view_sub(&m->v, stroff, strsize, &strs) != 0)
		return RG_OK;
	for (i = 0; i < nsyms && found < 2; i++) {
		const uint8_t *e = m->v.data + symoff + (uint64_t)i * entsz;
		uint32_t strx = rg_ld32(e, m->v.big_endian);
		uint64_t val;
		char name[24];
		const char *n;

		if ((e[4] & 0xe0) || (e[4] & 0x0e) != 0x0e) /* N_STAB, or not N_SECT */
			continue;
		if (strx >= strs.size)
			continue;
		/* Cheap prefix test first: symbol tables hold 10^5 names. */
		if (strs.data[strx] == '_')
			strx++;
		if (strs.size - strx < 16 || memcmp(strs.data + strx, "runtime.", 8) != 0)
			continue;
		rg_view_cstr(&strs, strx, name, sizeof(name));
		n = name;
		if (strcmp(n, "runtime.pclntab") && strcmp(n, "runtime.epclntab"))
			continue;
		val = m->is64 ? rg_ld64(e + 8, m->v.big_endian) : rg_ld32(e + 8, m->v.big_endian);
		if (rg_binary_add_symbol_hint(m->b, n, val) != RG_OK)
			return rg_err_set(err, RG_ENOMEM, "out of memory");
		found++;
	}
	return RG_OK;
}

/* Remembers a dylib load command's path (NULL when malformed). */
static int note_dylib(rg_macho *m, uint64_t off, uint32_t size)
{
	const char **nd = realloc((void *)m->dylibs, (m->ndylibs + 1) * sizeof(*nd));
	uint32_t noff;
	const char *name = NULL;

	if (!nd)
		return RG_ENOMEM;
	m->dylibs = nd;
	if (size >= 24 && rg_view_u32(&m->v, off + 8, &noff) == 0 && noff < size &&
	    memchr(m->v.data + off + noff, 0, size - noff))
		name = (const char *)m->v.data + off + noff;
	m->dylibs[m->ndylibs++] = name;
	return RG_OK;
}

uint32_t rg_macho_import(rg_macho *m, int64_t ordinal, const char *name, size_t len)
{
	const char *lib = NULL, *slash;

	if (ordinal >= 1 && (uint64_t)ordinal <= m->ndylibs && m->dylibs[ordinal - 1]) {
		lib = m->dylibs[ordinal - 1];
		if ((slash = strrchr(lib, '/')))
			lib = slash + 1;
	}
	return rg_attr_import(m->b, lib, name, len);
}

/* Defined symbols of LC_SYMTAB for attribution: each extends to the next
 * symbol or its section's end. A name outside the string table drops the
 * table (a note), never the measurement. */
static int load_symbols(rg_macho *m)
{
	uint32_t symoff, nsyms, stroff, strsize, i;
	size_t entsz = m->is64 ? 16 : 12;
	const rg_view *v = &m->v;
	int terminated;

	if (!m->symtab_cmd)
		return RG_OK;
	rg_view_u32(v, m->symtab_cmd + 8, &symoff);
	rg_view_u32(v, m->symtab_cmd + 12, &nsyms);
	rg_view_u32(v, m->symtab_cmd + 16, &stroff);
	rg_view_u32(v, m->symtab_cmd + 20, &strsize);
	if (!rg_view_has(v, symoff, (uint64_t)nsyms * entsz) || !rg_view_has(v, stroff, strsize)) {
		rg_attr_drop_syms(m->b, "the symbol table lies outside the file");
		return RG_OK;
	}
	snprintf(m->b->attr->symsrc, sizeof(m->b->attr->symsrc), "LC_SYMTAB");
	terminated = strsize && v->data[stroff + strsize - 1] == 0;
	for (i = 0; i < nsyms; i++) {
		const uint8_t *e = v->data + symoff + (uint64_t)i * entsz;
		uint32_t strx = rg_ld32(e, v->big_endian);
		uint64_t val;

		if ((e[4] & 0xe0) || (e[4] & 0x0e) != 0x0e) /* N_STAB, or not N_SECT */
			continue;
		if (strx >= strsize ||
		    (!terminated && !memchr(v->data + stroff + strx, 0, strsize - strx))) {
			rg_attr_drop_syms(m->b, "a symbol name lies outside the string table");
			return RG_OK;
		}
		val = m->is64 ? rg_ld64(e + 8, v->big_endian) : rg_ld32(e + 8, v->big_endian);
		if (rg_attr_add_sym_at(m->b, (uint64_t)stroff + strx, val, 0, e[4] & 1, 0) != RG_OK)
			return RG_ENOMEM;
	}
	return RG_OK;
}

/* Walks the load commands: segments now, fixup sources remembered. */
static int load_commands(rg_macho *m, uint32_t ncmds, uint32_t sizeofcmds, rg_err *err)
{
	uint64_t off = m->is64 ? 32 : 28, end = off + sizeofcmds;
	uint64_t symtab = 0;
	uint32_t i;

	if (!rg_view_has(&m->v, off, sizeofcmds))
		return rg_err_set(err, RG_EINPUT, "load commands (%u bytes) run past the end of the file",
		                  sizeofcmds);
	for (i = 0; i < ncmds; i++) {
		uint32_t cmd, size;

		if (off + 8 > end)
			return rg_err_set(err, RG_EINPUT, "load command %u of %u is truncated", i + 1, ncmds);
		rg_view_u32(&m->v, off, &cmd);
		rg_view_u32(&m->v, off + 4, &size);
		if (size < 8 || size > end - off)
			return rg_err_set(err, RG_EINPUT,
			                  "load command %u (0x%x) has a bad size %u (%llu bytes left)",
			                  i + 1, cmd, size, (unsigned long long)(end - off));
		switch (cmd) {
		case LC_SEGMENT:
		case LC_SEGMENT_64:
			if ((cmd == LC_SEGMENT_64) != m->is64)
				return rg_err_set(err, RG_EINPUT, "load command %u: %s in a %d-bit file",
				                  i + 1, m->is64 ? "LC_SEGMENT" : "LC_SEGMENT_64",
				                  m->is64 ? 64 : 32);
			if (parse_segment(m, off, size, err) != RG_OK)
				return err->code;
			break;
		case LC_SYMTAB:
			if (size < 24)
				return rg_err_set(err, RG_EINPUT, "LC_SYMTAB too small");
			symtab = off;
			m->symtab_cmd = off;
			break;
		case 0xc: case 0x80000018: case 0x8000001f: case 0x20: case 0x80000023:
			/* LC_LOAD_DYLIB, _WEAK_, REEXPORT_, LAZY_LOAD_, LOAD_UPWARD_:
			 * bind ordinals count them in this order. */
			if (m->b->attr && note_dylib(m, off, size) != RG_OK)
				return rg_err_set(err, RG_ENOMEM, "out of memory");
			break;
		case LC_DYSYMTAB:
			if (size < 80)
				return rg_err_set(err, RG_EINPUT, "LC_DYSYMTAB too small");
			m->have_dysymtab = 1;
			if (linkedit_range(m, off + 64, "external relocations", &m->extreloff,
			                   &m->nextrel, 8, err) ||
			    linkedit_range(m, off + 72, "local relocations", &m->locreloff,
			                   &m->nlocrel, 8, err))
				return err->code;
			break;
		case LC_DYLD_INFO:
		case LC_DYLD_INFO_ONLY:
			if (size < 48)
				return rg_err_set(err, RG_EINPUT, "LC_DYLD_INFO too small");
			m->have_dyld_info = 1;
			if (linkedit_range(m, off + 8, "rebase opcodes", &m->rebase_off, &m->rebase_size, 1, err) ||
			    linkedit_range(m, off + 16, "bind opcodes", &m->bind_off, &m->bind_size, 1, err) ||
			    linkedit_range(m, off + 24, "weak bind opcodes", &m->weak_off, &m->weak_size, 1, err) ||
			    linkedit_range(m, off + 32, "lazy bind opcodes", &m->lazy_off, &m->lazy_size, 1, err))
				return err->code;
			break;
		case LC_DYLD_CHAINED_FIXUPS:
			if (size < 16)
				return rg_err_set(err, RG_EINPUT, "LC_DYLD_CHAINED_FIXUPS too small");
			m->have_chained = 1;
			if (linkedit_range(m, off + 8, "chained fixups", &m->chained_off,
			                   &m->chained_size, 1, err))
				return err->code;
			break;
		}
		off += size;
	}
	if (symtab && scan_symtab(m, symtab, err) != RG_OK)
		return err->code;
	return RG_OK;
}

static int decode_fixups(rg_macho *m, rg_err *err)
{
	rg_binary *b = m->b;
	int rc = RG_OK;

	if (m->have_chained)
		rc = rg_macho_chained(m, err);
	if (rc == RG_OK && m->have_dyld_info)
		rc = rg_macho_dyld_info(m, err);
	if (rc == RG_OK && !m->have_chained && !m->have_dyld_info && m->have_dysymtab &&
	    (rc = rg_macho_classic_relocs(m, err)) == RG_OK)
		rc = rg_macho_indirect_pointers(m, err);
	if (rc != RG_OK)
		return rc;
	if (rg_binary_add_metric(b, "relocs.weak", (int64_t)m->n_weak) != RG_OK)
		return rg_err_set(err, RG_ENOMEM, "out of memory");
	if (m->auth_capable &&
	    (rg_binary_add_metric(b, "relocs.auth", (int64_t)m->n_auth) != RG_OK ||
	     rg_binary_add_metric(b, "relocs.auth_relative", (int64_t)m->n_auth_rel) != RG_OK ||
	     rg_binary_add_metric(b, "relocs.auth_symbolic", (int64_t)m->n_auth_sym) != RG_OK))
		return rg_err_set(err, RG_ENOMEM, "out of memory");
	rg_binary_set_info(b, "fixups", "%s",
	                   m->have_chained ? "chained" : m->have_dyld_info ? "dyld_info"
	                   : m->have_dysymtab ? "classic" : "none");
	return RG_OK;
}

/* Measures the thin image in slice [off, off+size) of the file. */
static int measure_image(const char *path, const rg_view *file, uint64_t off, uint64_t size,
                         const rg_measure_opts *o, rg_binary_list *out, rg_err *err)
{
	rg_macho m;
	uint32_t magic, ncmds, sizeofcmds;
	int rc = RG_EINPUT;

	memset(&m, 0, sizeof(m));
	if (rg_view_sub(file, off, size, &m.v) != 0 || size < 28)
		return rg_err_set(err, RG_EINPUT, "Mach-O header at 0x%llx is truncated",
		                  (unsigned long long)off);
	m.v.big_endian = 0;
	rg_view_u32(&m.v, 0, &magic);
	if (magic == MH_CIGAM || magic == MH_CIGAM_64) {
		m.v.big_endian = 1;
		magic = magic == MH_CIGAM ? MH_MAGIC : MH_MAGIC_64;
	}
	if (magic != MH_MAGIC && magic != MH_MAGIC_64)
		return rg_err_set(err, RG_EINPUT, "no Mach-O header at offset 0x%llx (magic 0x%08x)",
		                  (unsigned long long)off, magic);
	m.is64 = magic == MH_MAGIC_64;
	m.ptrsize = m.is64 ? 8 : 4;
	if (m.is64 && size < 32)
		return rg_err_set(err, RG_EINPUT, "Mach-O header is truncated");
	rg_view_u32(&m.v, 4, &m.cputype);
	rg_view_u32(&m.v, 8, &m.cpusubtype);
	rg_view_u32(&m.v, 12, &m.filetype);
	rg_view_u32(&m.v, 16, &ncmds);
	rg_view_u32(&m.v, 20, &sizeofcmds);
	m.fix_cap = size + 65536;

	if (!(m.b = rg_binary_new(path, o->page_size)))
		return rg_err_set(err, RG_ENOMEM, "out of memory");
	if (rg_attr_enable(m.b, o->attribution) != RG_OK) {
		rg_binary_free(m.b);
		return rg_err_set(err, RG_ENOMEM, "out of memory");
	}
	snprintf(m.b->format, sizeof(m.b->format), "macho");
	arch_name(m.cputype, m.cpusubtype, m.b->arch, sizeof(m.b->arch));
	m.b->bits = m.is64 ? 64 : 32;
	m.b->big_endian = m.v.big_endian;
	m.b->slice_offset = off;
	m.b->slice_size = size;
	m.b->has_fixups = m.filetype != MH_OBJECT && m.filetype != MH_CORE && m.filetype != MH_DSYM;
	m.auth_capable = m.cputype == (CPU_TYPE_ARM | CPU_ARCH_ABI64) &&
	                 (m.cpusubtype & ~CPU_SUBTYPE_MASK) == 2;
	/* 16 KiB for arm64, arm64e and arm64_32 (Apple's arm64 kernels, watchOS
	 * included, use 16 KiB pages and ld64 aligns their segments so), else 4 KiB. */
	rg_binary_set_page_size(m.b, m.cputype == (CPU_TYPE_ARM | CPU_ARCH_ABI64) ||
	                                     m.cputype == (CPU_TYPE_ARM | CPU_ARCH_ABI64_32)
	                             ? 16384 : 4096);
	if (load_commands(&m, ncmds, sizeofcmds, err) != RG_OK)
		goto done;
	if (rg_binary_seal(m.b, err) != RG_OK)
		goto done;
	if (m.b->has_fixups && decode_fixups(&m, err) != RG_OK)
		goto done;
	if (m.b->attr && load_symbols(&m) != RG_OK) {
		rg_err_set(err, RG_ENOMEM, "out of memory");
		goto done;
	}
	if (rg_binary_list_push(out, m.b) != RG_OK) {
		rg_err_set(err, RG_ENOMEM, "out of memory");
		goto done;
	}
	m.b = NULL;
	rc = RG_OK;
done:
	if (rc != RG_OK && err->code)
		rc = err->code;
	rg_binary_free(m.b);
	free(m.segs);
	free((void *)m.dylibs);
	return rc;
}

typedef struct slice {
	uint32_t cpu, sub;
	uint64_t off, size;
	char arch[32];
} slice;

static int fat_slices(const rg_view *v, slice *sl, uint32_t *n, rg_err *err)
{
	rg_view be = *v;
	uint32_t magic, nfat, i;
	size_t ent;

	be.big_endian = 1;
	rg_view_u32(&be, 0, &magic);
	if (rg_view_u32(&be, 4, &nfat) != 0)
		return rg_err_set(err, RG_EINPUT, "universal header is truncated");
	/* Java class files share 0xcafebabe; their version puts >= 45 here. */
	if (magic == FAT_MAGIC && nfat > 30)
		return rg_err_set(err, RG_EINPUT,
		                  "not an ELF, Mach-O or PE file (0xcafebabe then %u: a Java class file?)",
		                  nfat);
	if (nfat == 0 || nfat > MAX_SLICES)
		return rg_err_set(err, RG_EINPUT, "universal header lists %u slices", nfat);
	ent = magic == FAT_MAGIC_64 ? 32 : 20;
	if (!rg_view_has(&be, 8, (uint64_t)nfat * ent))
		return rg_err_set(err, RG_EINPUT, "universal header (%u slices) is truncated", nfat);
	for (i = 0; i < nfat; i++) {
		uint64_t e = 8 + (uint64_t)i * ent;
		uint32_t o32, s32;

		rg_view_u32(&be, e, &sl[i].cpu);
		rg_view_u32(&be, e + 4, &sl[i].sub);
		if (ent == 32) {
			rg_view_u64(&be, e + 8, &sl[i].off);
			rg_view_u64(&be, e + 16, &sl[i].size);
		} else {
			rg_view_u32(&be, e + 8, &o32);
			rg_view_u32(&be, e + 12, &s32);
			sl[i].off = o32, sl[i].size = s32;
		}
		arch_name(sl[i].cpu, sl[i].sub, sl[i].arch, sizeof(sl[i].arch));
		if (!rg_view_has(v, sl[i].off, sl[i].size) || sl[i].off < 8 + (uint64_t)nfat * ent)
			return rg_err_set(err, RG_EINPUT,
			                  "universal slice %u (%s) at 0x%llx+0x%llx lies outside the file (%zu bytes)",
			                  i + 1, sl[i].arch, (unsigned long long)sl[i].off,
			                  (unsigned long long)sl[i].size, v->size);
	}
	*n = nfat;
	return RG_OK;
}

static int no_such_arch(const char *want, const slice *sl, uint32_t n, rg_err *err)
{
	char list[256] = "";
	size_t len = 0;
	uint32_t i;

	for (i = 0; i < n && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "", sl[i].arch);
	return rg_err_set(err, RG_EINPUT, "no slice for architecture '%s' (the file has: %s)", want,
	                  list);
}

int rg_macho_measure(const char *path, const rg_view *v, const rg_measure_opts *o,
                     rg_binary_list *out, rg_err *err)
{
	slice sl[MAX_SLICES];
	rg_view be = *v;
	uint32_t magic, n = 0, i, taken = 0;

	be.big_endian = 1;
	if (rg_view_u32(&be, 0, &magic) != 0)
		return rg_err_set(err, RG_EINPUT, "file is too short for a Mach-O header");
	if (magic != FAT_MAGIC && magic != FAT_MAGIC_64) {
		rg_view le = *v;
		le.big_endian = 0;
		if (rg_view_u32(&le, 4, &sl[0].cpu) != 0 || rg_view_u32(&le, 8, &sl[0].sub) != 0)
			return rg_err_set(err, RG_EINPUT, "Mach-O header is truncated");
		if (magic == MH_MAGIC || magic == MH_MAGIC_64) { /* big-endian image */
			sl[0].cpu = rg_ld32(v->data + 4, 1);
			sl[0].sub = rg_ld32(v->data + 8, 1);
		}
		arch_name(sl[0].cpu, sl[0].sub, sl[0].arch, sizeof(sl[0].arch));
		if (o->arch && strcmp(o->arch, sl[0].arch))
			return no_such_arch(o->arch, sl, 1, err);
		return measure_image(path, v, 0, v->size, o, out, err);
	}
	if (fat_slices(v, sl, &n, err) != RG_OK)
		return err->code;
	for (i = 0; i < n; i++) {
		if (o->arch && strcmp(o->arch, sl[i].arch))
			continue;
		if (measure_image(path, v, sl[i].off, sl[i].size, o, out, err) != RG_OK) {
			char m[sizeof(err->msg)];
			size_t k = (size_t)snprintf(m, sizeof(m), "slice %s: ", sl[i].arch);
			if (k < sizeof(m))
				snprintf(m + k, sizeof(m) - k, "%.*s", (int)(sizeof(m) - k - 1), err->msg);
			memcpy(err->msg, m, sizeof(m));
			return err->code;
		}
		taken++;
	}
	if (!taken)
		return no_such_arch(o->arch ? o->arch : "", sl, n, err);
	return RG_OK;
}
