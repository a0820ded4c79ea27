/*
 * pe.c - PE/COFF images (PE32 and PE32+): the loader's view of an EXE/DLL.
 *
 * Implements, after Microsoft's "PE Format" specification
 * (learn.microsoft.com/windows/win32/debug/pe-format):
 *   - the MS-DOS stub's e_lfanew, the "PE\0\0" signature, the COFF file
 *     header and the optional header (magic 0x10b PE32, 0x20b PE32+) with its
 *     data directories;
 *   - the section table, long section names "/123" (decimal) and "//BASE64"
 *     resolved through the COFF string table that follows the symbol table;
 *   - the base relocation table (data directory 5, ".reloc"): blocks of
 *     {PageRVA, SizeOfBlock, WORD entries[]}, advanced by SizeOfBlock exactly
 *     because Go's linker writes blocks whose size is not a multiple of 4;
 *     IMAGE_REL_BASED_ABSOLUTE entries are padding; HIGHADJ consumes the
 *     next slot as its parameter;
 *   - the import directory (data directory 1): one IAT slot per imported
 *     name or ordinal, written by the loader (a symbolic fixup);
 *   - the delay-load import directory (data directory 13): IAT slots written
 *     on first call (lazy symbolic fixups);
 *   - the COFF symbol table, only to find runtime.pclntab/runtime.epclntab
 *     for the Go pclntab reader.
 * The model (model.h): every section is a segment named after it (docs/metrics.md),
 * plus "(headers)" for the mapped headers; see docs/format-pe.md for every
 * choice made here.
 */
#include "formats.h"
#include "attr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PE_DIR_IMPORT 1
#define PE_DIR_BASERELOC 5
#define PE_DIR_DELAY 13
#define PE_NDIRS 16

#define PE_FILE_RELOCS_STRIPPED 0x0001u
#define PE_FILE_DLL 0x2000u
#define PE_DLL_DYNAMIC_BASE 0x0040u

#define PE_SCN_CNT_CODE 0x00000020u
#define PE_SCN_CNT_INITIALIZED 0x00000040u
#define PE_SCN_CNT_UNINITIALIZED 0x00000080u
#define PE_SCN_MEM_EXECUTE 0x20000000u
#define PE_SCN_MEM_READ 0x40000000u
#define PE_SCN_MEM_WRITE 0x80000000u

typedef struct pe_sec {
	char name[128];
	uint32_t va, vsize, raw, rawptr, chars;
	uint64_t span;      /* mapped bytes: VirtualSize, or SizeOfRawData when 0 */
	uint64_t filesize;  /* file-backed bytes at the start of the span */
} pe_sec;

typedef struct pe_img {
	const rg_view *v;
	int pe64;
	unsigned ptrsize;
	uint16_t machine, nsecs, chars, dllchars, subsystem;
	uint32_t symptr, nsyms, hdrsize, size_of_image, ndirs;
	uint64_t base, sectab;
	uint64_t strtab, strsize;   /* COFF string table (offset, bytes), 0 if none */
	uint32_t dir_rva[PE_NDIRS], dir_size[PE_NDIRS];
	uint64_t reloc_types[16];
	pe_sec *secs;
	const pe_sec **order;       /* the mapped sections, by VA */
	unsigned norder;
} pe_img;

/*
 * The PE specification notes that the Windows loader accepts at most 96
 * sections; anything far beyond is hostile and would only make every
 * per-section step expensive.
 */
#define PE_MAX_SECTIONS 1024

static const char *machine_name(uint16_t m, char buf[16])
{
	switch (m) {
	case 0x014c: return "i386";
	case 0x8664: return "x86_64";
	case 0xaa64: return "arm64";
	case 0x01c4: return "arm";      /* ARMNT (Thumb-2) */
	case 0xa641: return "arm64ec";
	case 0x5032: return "riscv32";
	case 0x5064: return "riscv64";
	}
	snprintf(buf, 16, "0x%04x", m);
	return buf;
}

/* Names of IMAGE_REL_BASED_* types; 5, 7, 8, 9 depend on the machine. */
static const char *reloc_type_name(uint16_t machine, unsigned t, char buf[16])
{
	int arm = machine == 0x01c0 || machine == 0x01c2 || machine == 0x01c4;
	int riscv = machine == 0x5032 || machine == 0x5064 || machine == 0x5128;

	switch (t) {
	case 1: return "HIGH";
	case 2: return "LOW";
	case 3: return "HIGHLOW";
	case 4: return "HIGHADJ";
	case 5: if (arm) return "ARM_MOV32";
		if (riscv) return "RISCV_HIGH20";
		break;
	case 7: if (arm) return "THUMB_MOV32";
		if (riscv) return "RISCV_LOW12I";
		break;
	case 8: if (riscv) return "RISCV_LOW12S";
		break;
	case 10: return "DIR64";
	}
	snprintf(buf, 16, "TYPE%u", t);
	return buf;
}

/* Reads the fixed headers; validates what later steps rely on. */
static int parse_headers(pe_img *pe, rg_err *err)
{
	const rg_view *v = pe->v;
	const uint8_t *d = v->data;
	uint32_t peoff, lfanew, n, i;
	uint64_t opt, ddoff, sectab;
	uint16_t optsize, magic;

	if (rg_view_u32(v, 0x3c, &lfanew) != 0)
		return rg_err_set(err, RG_EINPUT, "truncated MS-DOS header");
	peoff = lfanew;
	if (!rg_view_has(v, (uint64_t)peoff, 24))
		return rg_err_set(err, RG_EINPUT, "truncated COFF file header at offset 0x%x", peoff);
	pe->machine = rg_ld16(d + peoff + 4, 0);
	pe->nsecs = rg_ld16(d + peoff + 6, 0);
	pe->symptr = rg_ld32(d + peoff + 12, 0);
	pe->nsyms = rg_ld32(d + peoff + 16, 0);
	optsize = rg_ld16(d + peoff + 20, 0);
	pe->chars = rg_ld16(d + peoff + 22, 0);
	opt = (uint64_t)peoff + 24;
	if (optsize < 2 || !rg_view_has(v, opt, optsize))
		return rg_err_set(err, RG_EINPUT, "optional header (%u bytes at offset 0x%llx) is missing or truncated",
		                  optsize, (unsigned long long)opt);
	magic = rg_ld16(d + opt, 0);
	if (magic != 0x10b && magic != 0x20b)
		return rg_err_set(err, RG_EINPUT, "unsupported optional header magic 0x%x (not PE32 or PE32+)", magic);
	pe->pe64 = magic == 0x20b;
	pe->ptrsize = pe->pe64 ? 8 : 4;
	ddoff = pe->pe64 ? 112 : 96;
	if (optsize < ddoff)
		return rg_err_set(err, RG_EINPUT, "optional header is too small (%u bytes, %s needs %llu)",
		                  optsize, pe->pe64 ? "PE32+" : "PE32", (unsigned long long)ddoff);
	pe->base = pe->pe64 ? rg_ld64(d + opt + 24, 0) : rg_ld32(d + opt + 28, 0);
	pe->size_of_image = rg_ld32(d + opt + 56, 0);
	pe->hdrsize = rg_ld32(d + opt + 60, 0);
	pe->subsystem = rg_ld16(d + opt + 68, 0);
	pe->dllchars = rg_ld16(d + opt + 70, 0);
	n = rg_ld32(d + opt + ddoff - 4, 0);
	/* NumberOfRvaAndSizes is trusted only as far as the header holds. */
	if (n > PE_NDIRS)
		n = PE_NDIRS;
	if (n > (optsize - ddoff) / 8)
		n = (uint32_t)((optsize - ddoff) / 8);
	pe->ndirs = n;
	for (i = 0; i < n; i++) {
		pe->dir_rva[i] = rg_ld32(d + opt + ddoff + 8 * i, 0);
		pe->dir_size[i] = rg_ld32(d + opt + ddoff + 8 * i + 4, 0);
	}
	sectab = opt + optsize;
	pe->sectab = sectab;
	if (pe->nsecs > PE_MAX_SECTIONS)
		return rg_err_set(err, RG_EINPUT, "absurd section count %u (loaders accept at most 96)", pe->nsecs);
	if (!rg_view_has(v, sectab, (uint64_t)pe->nsecs * 40))
		return rg_err_set(err, RG_EINPUT, "section table (%u sections at offset 0x%llx) runs past the end of the file",
		                  pe->nsecs, (unsigned long long)sectab);
	if (pe->hdrsize > v->size)
		return rg_err_set(err, RG_EINPUT, "SizeOfHeaders (0x%x) is larger than the file", pe->hdrsize);
	return RG_OK;
}

/* Locates the COFF string table, which follows the symbol table. */
static int parse_strtab(pe_img *pe, rg_err *err)
{
	const rg_view *v = pe->v;
	uint64_t end;
	uint32_t size;

	if (pe->symptr == 0)
		return RG_OK;
	end = (uint64_t)pe->symptr + (uint64_t)pe->nsyms * 18;
	if (end > v->size)
		return rg_err_set(err, RG_EINPUT, "COFF symbol table (%u symbols at offset 0x%x) runs past the end of the file",
		                  pe->nsyms, pe->symptr);
	if (end == v->size)
		return RG_OK; /* no string table at all */
	if (rg_view_u32(v, end, &size) != 0)
		return rg_err_set(err, RG_EINPUT, "COFF string table at offset 0x%llx is truncated",
		                  (unsigned long long)end);
	if (size < 4)
		size = 4; /* an empty table may record its size as 0 */
	if (!rg_view_has(v, end, size))
		return rg_err_set(err, RG_EINPUT, "COFF string table (%u bytes at offset 0x%llx) runs past the end of the file",
		                  size, (unsigned long long)end);
	pe->strtab = end;
	pe->strsize = size;
	return RG_OK;
}

/* Decodes "/123" (decimal) or "//BASE64" (6 digits) long-name offsets. */
static int long_name_offset(const char *s, uint64_t *off)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint64_t x = 0;
	size_t i;

	if (s[1] == '/') {
		for (i = 2; i < 8 && s[i]; i++) {
			const char *p = memchr(b64, s[i], 64);
			if (!p)
				return -1;
			x = x * 64 + (uint64_t)(p - b64);
		}
	} else {
		for (i = 1; i < 8 && s[i]; i++) {
			if (s[i] < '0' || s[i] > '9')
				return -1;
			x = x * 10 + (uint64_t)(s[i] - '0');
		}
	}
	if (i == (s[1] == '/' ? 2u : 1u))
		return -1;
	*off = x;
	return 0;
}

/* Control characters in a hostile name would break one-line messages. */
static void sanitize(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

static int section_name(pe_img *pe, const uint8_t *raw, char *out, size_t outlen,
                        unsigned idx, rg_err *err)
{
	char shortname[9];
	uint64_t off;
	rg_view st;

	memcpy(shortname, raw, 8);
	shortname[8] = '\0';
	sanitize(shortname);
	if (shortname[0] != '/' || long_name_offset(shortname, &off) != 0) {
		snprintf(out, outlen, "%s", shortname);
		return RG_OK;
	}
	if (!pe->strtab || off >= pe->strsize ||
	    rg_view_sub(pe->v, pe->strtab, pe->strsize, &st) != 0)
		return rg_err_set(err, RG_EINPUT, "section %u: long name %s points outside the COFF string table",
		                  idx + 1, shortname);
	rg_view_cstr(&st, off, out, outlen);
	sanitize(out);
	return RG_OK;
}

static int va_cmp(const void *a, const void *b)
{
	const pe_sec *x = *(const pe_sec *const *)a, *y = *(const pe_sec *const *)b;

	return x->va < y->va ? -1 : x->va > y->va;
}

/*
 * Orders the mapped sections by address for lookups; the loader requires
 * them to be disjoint, and so do we (an address must mean one byte).
 */
static int sort_sections(pe_img *pe, rg_err *err)
{
	unsigned i;

	if (pe->nsecs && !(pe->order = calloc(pe->nsecs, sizeof(*pe->order))))
		return rg_err_set(err, RG_ENOMEM, "out of memory");
	for (i = 0; i < pe->nsecs; i++)
		if (pe->secs[i].span)
			pe->order[pe->norder++] = &pe->secs[i];
	if (pe->norder > 1)
		qsort(pe->order, pe->norder, sizeof(*pe->order), va_cmp);
	for (i = 1; i < pe->norder; i++) {
		const pe_sec *a = pe->order[i - 1], *b = pe->order[i];
		if ((uint64_t)a->va + a->span > b->va)
			return rg_err_set(err, RG_EINPUT, "sections %s and %s overlap", a->name, b->name);
	}
	return RG_OK;
}

static int parse_sections(pe_img *pe, rg_err *err)
{
	const rg_view *v = pe->v;
	unsigned i;
	int rc;

	if (pe->nsecs && !(pe->secs = calloc(pe->nsecs, sizeof(*pe->secs))))
		return rg_err_set(err, RG_ENOMEM, "out of memory");
	for (i = 0; i < pe->nsecs; i++) {
		const uint8_t *h = v->data + pe->sectab + 40 * (uint64_t)i;
		pe_sec *s = &pe->secs[i];

		if ((rc = section_name(pe, h, s->name, sizeof(s->name), i, err)) != RG_OK)
			return rc;
		s->vsize = rg_ld32(h + 8, 0);
		s->va = rg_ld32(h + 12, 0);
		s->raw = rg_ld32(h + 16, 0);
		s->rawptr = rg_ld32(h + 20, 0);
		s->chars = rg_ld32(h + 36, 0);
		/* A zero VirtualSize means "SizeOfRawData" (old linkers). */
		s->span = s->vsize ? s->vsize : s->raw;
		if (s->rawptr && s->raw && !rg_view_has(v, s->rawptr, s->raw))
			return rg_err_set(err, RG_EINPUT,
			                  "section %s: raw data (0x%x bytes at offset 0x%x) runs past the end of the file",
			                  s->name, s->raw, s->rawptr);
		s->filesize = s->rawptr ? (s->raw < s->span ? s->raw : s->span) : 0;
		if (pe->base + s->va + s->span < pe->base)
			return rg_err_set(err, RG_EINPUT, "section %s wraps around the address space (ImageBase 0x%llx)",
			                  s->name, (unsigned long long)pe->base);
	}
	return sort_sections(pe, err);
}

/* The mapped section holding rva (binary search over pe->order), or NULL. */
static const pe_sec *sec_at(const pe_img *pe, uint64_t rva)
{
	unsigned lo = 0, hi = pe->norder;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		const pe_sec *s = pe->order[mid];
		if (rva < s->va)
			hi = mid;
		else if (rva - s->va >= s->span)
			lo = mid + 1;
		else
			return s;
	}
	return NULL;
}

/*
 * File offset of [rva, rva+len) when it is entirely file-backed inside the
 * headers or one section; -1 otherwise.
 */
static int rva_map(const pe_img *pe, uint64_t rva, uint64_t len, uint64_t *off)
{
	const pe_sec *s = sec_at(pe, rva);

	if (s) {
		uint64_t rel = rva - s->va;
		if (rel > s->filesize || len > s->filesize - rel)
			return -1;
		*off = s->rawptr + rel;
		return 0;
	}
	if (rva < pe->hdrsize && len <= pe->hdrsize - rva) {
		*off = rva;
		return 0;
	}
	return -1;
}

/*
 * Reads a little-endian word of `width` bytes at rva as the loader sees it:
 * bytes past a section's raw data are zero. -1 when rva is not mapped.
 */
static int rva_word(const pe_img *pe, uint64_t rva, unsigned width, uint64_t *out)
{
	uint8_t buf[8] = { 0 };
	const pe_sec *s = sec_at(pe, rva);
	unsigned k;

	if (s) {
		uint64_t rel = rva - s->va;
		if (width > s->span - rel)
			return -1;
		for (k = 0; k < width; k++)
			if (rel + k < s->filesize)
				buf[k] = pe->v->data[s->rawptr + rel + k];
		*out = width == 8 ? rg_ld64(buf, 0) : width == 4 ? rg_ld32(buf, 0) : rg_ld16(buf, 0);
		return 0;
	}
	if (rva < pe->hdrsize && width <= pe->hdrsize - rva) {
		memcpy(buf, pe->v->data + rva, width);
		*out = width == 8 ? rg_ld64(buf, 0) : width == 4 ? rg_ld32(buf, 0) : rg_ld16(buf, 0);
		return 0;
	}
	return -1;
}

/* Segments (one per section, plus the headers) and sections of the model. */
static int build_layout(pe_img *pe, rg_binary *b, rg_err *err)
{
	rg_segment seg;
	unsigned i, j;

	if (pe->hdrsize) {
		memset(&seg, 0, sizeof(seg));
		snprintf(seg.name, sizeof(seg.name), "(headers)");
		seg.role = RG_ROLE_RODATA;
		seg.perms = RG_PERM_R;
		seg.vmaddr = pe->base;
		seg.vmsize = seg.filesize = pe->hdrsize;
		if (rg_binary_add_segment(b, &seg) < 0)
			return rg_err_set(err, RG_ENOMEM, "out of memory");
	}
	for (i = 0; i < pe->nsecs; i++) {
		const pe_sec *s = &pe->secs[i];
		unsigned dup = 1;

		memset(&seg, 0, sizeof(seg));
		/* Repeated names get "#2", "#3" so segment[...] stays unique. */
		for (j = 0; j < i; j++)
			if (strcmp(pe->secs[j].name, s->name) == 0)
				dup++;
		if ((dup > 1 ? snprintf(seg.name, sizeof(seg.name), "%.50s#%u", s->name, dup)
		             : snprintf(seg.name, sizeof(seg.name), "%s", s->name)) < 0)
			return rg_err_set(err, RG_EINPUT, "cannot format a segment name");
		seg.perms = (s->chars & PE_SCN_MEM_READ ? RG_PERM_R : 0) |
		            (s->chars & PE_SCN_MEM_WRITE ? RG_PERM_W : 0) |
		            (s->chars & PE_SCN_MEM_EXECUTE ? RG_PERM_X : 0);
		seg.role = s->chars & PE_SCN_MEM_EXECUTE ? RG_ROLE_TEXT :
		           s->chars & PE_SCN_MEM_WRITE ? RG_ROLE_DATA : RG_ROLE_RODATA;
		seg.vmaddr = pe->base + s->va;
		seg.vmsize = s->span;
		seg.fileoff = s->rawptr;
		seg.filesize = s->filesize;
		if (rg_binary_add_segment(b, &seg) < 0 ||
		    rg_binary_add_section(b, s->name, pe->base + s->va, s->span, s->rawptr,
		                          s->filesize == 0) != RG_OK)
			return rg_err_set(err, RG_ENOMEM, "out of memory");
	}
	return RG_OK;
}

static int walk_basereloc(pe_img *pe, rg_binary *b, rg_err *err)
{
	uint32_t rva = pe->dir_rva[PE_DIR_BASERELOC], size = pe->dir_size[PE_DIR_BASERELOC];
	const uint8_t *d = pe->v->data;
	uint64_t off, pos, end;

	if (pe->ndirs <= PE_DIR_BASERELOC || rva == 0 || size == 0)
		return RG_OK;
	if (rva_map(pe, rva, size, &off) != 0)
		return rg_err_set(err, RG_EINPUT,
		                  "base relocation directory (RVA 0x%x, 0x%x bytes) is not inside the file data of one section",
		                  rva, size);
	end = off + size;
	for (pos = off; pos < end;) {
		uint32_t page, bsize, n, i;
		uint64_t block_rva = rva + (pos - off);

		if (end - pos < 8)
			return rg_err_set(err, RG_EINPUT, "base relocation block at RVA 0x%llx is truncated (%llu bytes left)",
			                  (unsigned long long)block_rva, (unsigned long long)(end - pos));
		page = rg_ld32(d + pos, 0);
		bsize = rg_ld32(d + pos + 4, 0);
		if (page == 0 && bsize == 0)
			break; /* a zero terminator some linkers write before the declared end */
		if (bsize < 8)
			return rg_err_set(err, RG_EINPUT, "base relocation block at RVA 0x%llx: SizeOfBlock %u is smaller than its header",
			                  (unsigned long long)block_rva, bsize);
		if (bsize > end - pos)
			return rg_err_set(err, RG_EINPUT,
			                  "base relocation block at RVA 0x%llx: SizeOfBlock %u runs past the directory's end",
			                  (unsigned long long)block_rva, bsize);
		n = (bsize - 8) / 2;
		for (i = 0; i < n; i++) {
			uint16_t e = rg_ld16(d + pos + 8 + 2 * (uint64_t)i, 0);
			unsigned type = e >> 12;

			pe->reloc_types[type]++;
			if (type == 0)
				continue; /* IMAGE_REL_BASED_ABSOLUTE: padding */
			rg_fixup(b, pe->base + page + (e & 0xfffu), RG_FIX_RELATIVE, 0);
			/* HIGHLOW and DIR64 hold a whole pointer: its target. */
			if (b->attr)
				rg_attr_fix(b, pe->base + page + (e & 0xfffu), RG_FIX_RELATIVE, 0,
				            type == 3 || type == 10 ? RG_TGT_WORD : RG_TGT_NONE, 0);
			if (type == 4) { /* HIGHADJ: the next slot is its low 16 bits */
				if (i + 1 >= n)
					return rg_err_set(err, RG_EINPUT,
					                  "base relocation block at RVA 0x%llx ends with a HIGHADJ entry without its parameter",
					                  (unsigned long long)block_rva);
				i++;
			}
		}
		pos += bsize; /* exactly: blocks need not be 4-byte aligned */
	}
	return RG_OK;
}

/*
 * Walks one import lookup (or name) table: one IAT slot per non-zero entry.
 * *budget bounds the total work across descriptors, so overlapping or
 * self-referencing tables cannot make the walk quadratic.
 */
/* A NUL-terminated string at rva inside the file, or NULL. */
static const char *rva_str(const pe_img *pe, uint64_t rva)
{
	uint64_t off;

	if (rva_map(pe, rva, 1, &off) != 0 || !memchr(pe->v->data + off, 0, pe->v->size - off))
		return NULL;
	return (const char *)pe->v->data + off;
}

/* Attribution of an IAT slot: DLL:name, or DLL:#ordinal. */
static void attr_thunk(pe_img *pe, rg_binary *b, uint64_t slot, uint64_t w, const char *dll,
                       int lazy)
{
	uint64_t flag = pe->pe64 ? 1ull << 63 : 1ull << 31;
	uint32_t imp = UINT32_MAX;
	char ord[24];
	const char *name;

	if (b->attr->want & RG_ATTR_TARGETS) {
		if (w & flag) {
			snprintf(ord, sizeof(ord), "#%llu", (unsigned long long)(w & 0xffff));
			imp = rg_attr_import(b, dll, ord, strlen(ord));
		} else if ((name = rva_str(pe, (w & 0x7fffffffu) + 2)) != NULL) {
			imp = rg_attr_import(b, dll, name, strlen(name));
		}
	}
	rg_attr_fix(b, slot, RG_FIX_SYMBOLIC, lazy, imp == UINT32_MAX ? RG_TGT_NONE : RG_TGT_IMPORT,
	            imp);
}

static int walk_thunks(pe_img *pe, rg_binary *b, uint64_t table, uint64_t iat, int lazy,
                       uint64_t *budget, uint64_t *count, const char *what, uint64_t dll_rva,
                       rg_err *err)
{
	uint64_t j, w;
	const char *dll = b->attr ? rva_str(pe, dll_rva) : NULL;

	for (j = 0;; j++) {
		if (rva_word(pe, table + j * pe->ptrsize, pe->ptrsize, &w) != 0)
			return rg_err_set(err, RG_EINPUT, "%s lookup table at RVA 0x%llx is not terminated inside the image",
			                  what, (unsigned long long)table);
		if (w == 0)
			return RG_OK;
		if (*budget == 0)
			return rg_err_set(err, RG_EINPUT, "%s tables hold more entries than the file has room for (overlapping tables?)",
			                  what);
		(*budget)--;
		(*count)++;
		rg_fixup(b, pe->base + iat + j * pe->ptrsize, RG_FIX_SYMBOLIC, lazy);
		if (b->attr)
			attr_thunk(pe, b, pe->base + iat + j * pe->ptrsize, w, dll, lazy);
	}
}

static int walk_imports(pe_img *pe, rg_binary *b, uint64_t *budget, uint64_t *count, rg_err *err)
{
	uint64_t dir = pe->dir_rva[PE_DIR_IMPORT], i, ilt, name, iat;
	int rc;

	if (pe->ndirs <= PE_DIR_IMPORT || dir == 0)
		return RG_OK;
	for (i = 0;; i++) {
		uint64_t at = dir + 20 * i;

		if (rva_word(pe, at, 4, &ilt) != 0 || rva_word(pe, at + 12, 4, &name) != 0 ||
		    rva_word(pe, at + 16, 4, &iat) != 0)
			return rg_err_set(err, RG_EINPUT, "import directory at RVA 0x%llx is %s",
			                  (unsigned long long)dir,
			                  i ? "not terminated inside the image" : "outside the image");
		/* The loader stops at the first descriptor without name or IAT. */
		if (name == 0 || iat == 0)
			return RG_OK;
		if (*budget == 0)
			return rg_err_set(err, RG_EINPUT, "import directory has more descriptors than the file has room for");
		(*budget)--;
		if ((rc = walk_thunks(pe, b, ilt ? ilt : iat, iat, 0, budget, count, "import", name,
		                      err)) != RG_OK)
			return rc;
	}
}

static int walk_delay_imports(pe_img *pe, rg_binary *b, uint64_t *budget, uint64_t *count, rg_err *err)
{
	uint64_t dir = pe->dir_rva[PE_DIR_DELAY], i, attrs, name, iat, nt;
	int rc;

	if (pe->ndirs <= PE_DIR_DELAY || dir == 0)
		return RG_OK;
	for (i = 0;; i++) {
		uint64_t at = dir + 32 * i;

		if (rva_word(pe, at, 4, &attrs) != 0 || rva_word(pe, at + 4, 4, &name) != 0 ||
		    rva_word(pe, at + 12, 4, &iat) != 0 || rva_word(pe, at + 16, 4, &nt) != 0)
			return rg_err_set(err, RG_EINPUT, "delay-load import directory at RVA 0x%llx is %s",
			                  (unsigned long long)dir,
			                  i ? "not terminated inside the image" : "outside the image");
		if (name == 0)
			return RG_OK;
		if (!(attrs & 1) && !pe->pe64) {
			/* Version 1 (Visual C++ 6, PE32 only: a 32-bit field cannot
			 * hold a PE32+ VA) descriptors hold VAs, not RVAs. */
			if (iat < pe->base || nt < pe->base)
				return rg_err_set(err, RG_EINPUT, "delay-load descriptor %llu holds addresses below ImageBase",
				                  (unsigned long long)i);
			iat -= pe->base;
			nt -= pe->base;
		}
		if (*budget == 0)
			return rg_err_set(err, RG_EINPUT, "delay-load directory has more descriptors than the file has room for");
		(*budget)--;
		if (iat == 0 || nt == 0)
			continue;
		if ((rc = walk_thunks(pe, b, nt, iat, 1, budget, count, "delay-load import",
		                      (attrs & 1) || pe->pe64 ? name : name - pe->base, err)) != RG_OK)
			return rc;
	}
}

/*
 * runtime.pclntab / runtime.epclntab from the COFF symbol table (Go keeps
 * one unless linked with -s). Values are offsets inside their section.
 */
static void symbol_hints(pe_img *pe, rg_binary *b)
{
	const uint8_t *d = pe->v->data;
	uint32_t i;

	if (!pe->symptr)
		return;
	for (i = 0; i < pe->nsyms; i++) {
		const uint8_t *p = d + pe->symptr + 18 * (uint64_t)i;
		char name[20];
		int16_t secnum = (int16_t)rg_ld16(p + 12, 0);
		uint8_t aux = p[17];

		if (rg_ld32(p, 0) == 0) {
			uint32_t off = rg_ld32(p + 4, 0);
			rg_view st;
			if (!pe->strtab || off >= pe->strsize ||
			    rg_view_sub(pe->v, pe->strtab, pe->strsize, &st) != 0)
				goto next;
			rg_view_cstr(&st, off, name, sizeof(name));
		} else {
			memcpy(name, p, 8);
			name[8] = '\0';
		}
		if (secnum >= 1 && secnum <= pe->nsecs) {
			uint64_t addr = pe->base + pe->secs[secnum - 1].va + rg_ld32(p + 8, 0);
			/* Go before 1.16 named them pclntab/epclntab. */
			if (!strcmp(name, "runtime.pclntab") || !strcmp(name, "pclntab"))
				rg_binary_add_symbol_hint(b, "runtime.pclntab", addr);
			else if (!strcmp(name, "runtime.epclntab") || !strcmp(name, "epclntab"))
				rg_binary_add_symbol_hint(b, "runtime.epclntab", addr);
		}
next:
		i += aux;
	}
}

/* COFF symbols for attribution (Go, MinGW): external and static symbols
 * defined in a section, each extending to the next one or its section's
 * end; section-definition entries (static, with aux records) are skipped. */
static int load_symbols(pe_img *pe, rg_binary *b)
{
	const uint8_t *d = pe->v->data;
	uint32_t i;

	if (!pe->symptr)
		return RG_OK;
	snprintf(b->attr->symsrc, sizeof(b->attr->symsrc), "COFF");
	for (i = 0; i < pe->nsyms; i++) {
		const uint8_t *p = d + pe->symptr + 18 * (uint64_t)i;
		int16_t secnum = (int16_t)rg_ld16(p + 12, 0);
		uint8_t cls = p[16], aux = p[17];
		uint64_t addr;
		int rc;

		if (secnum < 1 || secnum > pe->nsecs || (cls != 2 && cls != 3) || (cls == 3 && aux)) {
			i += aux;
			continue;
		}
		addr = pe->base + pe->secs[secnum - 1].va + rg_ld32(p + 8, 0);
		if (rg_ld32(p, 0) == 0) {
			uint32_t off = rg_ld32(p + 4, 0);
			if (!pe->strtab || off >= pe->strsize ||
			    !memchr(d + pe->strtab + off, 0, pe->strsize - off)) {
				rg_attr_drop_syms(b, "a COFF symbol name lies outside the string table");
				return RG_OK;
			}
			rc = rg_attr_add_sym_at(b, pe->strtab + off, addr, 0, cls == 2, 0);
		} else {
			rc = rg_attr_add_sym(b, (const char *)p, strnlen((const char *)p, 8), addr, 0,
			                     cls == 2, 0);
		}
		if (rc != RG_OK)
			return RG_ENOMEM;
		i += aux;
	}
	return RG_OK;
}

static int add_facts(pe_img *pe, rg_binary *b, uint64_t imports, uint64_t delayed)
{
	char types[192] = "", nb[16];
	size_t len = 0;
	unsigned t;
	int rc = RG_OK;

	rc |= rg_binary_add_metric(b, "relocs.imports", (int64_t)imports);
	rc |= rg_binary_add_metric(b, "relocs.delay_imports", (int64_t)delayed);
	rc |= rg_binary_set_info(b, "pe.image_base", "0x%llx", (unsigned long long)pe->base);
	rc |= rg_binary_set_info(b, "pe.kind", "%s", pe->chars & PE_FILE_DLL ? "dll" : "exe");
	rc |= rg_binary_set_info(b, "pe.size_of_image", "%u", pe->size_of_image);
	rc |= rg_binary_set_info(b, "pe.subsystem", "%u", pe->subsystem);
	for (t = 1; t < 16; t++) {
		if (!pe->reloc_types[t] || len >= sizeof(types))
			continue;
		len += (size_t)snprintf(types + len, sizeof(types) - len, "%s%s %llu", len ? ", " : "",
		                        reloc_type_name(pe->machine, t, nb),
		                        (unsigned long long)pe->reloc_types[t]);
	}
	if (pe->reloc_types[0] && len < sizeof(types))
		snprintf(types + len, sizeof(types) - len, "%sABSOLUTE (padding) %llu", len ? ", " : "",
		         (unsigned long long)pe->reloc_types[0]);
	if (types[0])
		rc |= rg_binary_set_info(b, "pe.base_relocs", "%s", types);
	if (pe->chars & PE_FILE_RELOCS_STRIPPED)
		rc |= rg_binary_add_note(b, "IMAGE_FILE_RELOCS_STRIPPED: base relocations were removed; the image loads only at 0x%llx",
		                         (unsigned long long)pe->base);
	if (!(pe->dllchars & PE_DLL_DYNAMIC_BASE))
		rc |= rg_binary_add_note(b, "no IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE: no ASLR; base relocations apply only when 0x%llx is taken",
		                         (unsigned long long)pe->base);
	else if (pe->ndirs <= PE_DIR_BASERELOC || !pe->dir_rva[PE_DIR_BASERELOC] ||
	         !pe->dir_size[PE_DIR_BASERELOC])
		rc |= rg_binary_add_note(b, "DYNAMIC_BASE is set but the image has no base relocation table");
	return rc ? RG_ENOMEM : RG_OK;
}

int rg_pe_measure(const char *path, const rg_view *v, const rg_measure_opts *o,
                  rg_binary_list *out, rg_err *err)
{
	pe_img pe;
	rg_binary *b = NULL;
	uint64_t budget, imports = 0, delayed = 0;
	char mb[16];
	int rc;

	memset(&pe, 0, sizeof(pe));
	pe.v = v;
	if ((rc = parse_headers(&pe, err)) != RG_OK || (rc = parse_strtab(&pe, err)) != RG_OK ||
	    (rc = parse_sections(&pe, err)) != RG_OK)
		goto done;
	if (!(b = rg_binary_new(path, o ? o->page_size : 0)) ||
	    (o && rg_attr_enable(b, o->attribution) != RG_OK)) {
		rc = rg_err_set(err, RG_ENOMEM, "out of memory");
		goto done;
	}
	snprintf(b->format, sizeof(b->format), "pe");
	snprintf(b->arch, sizeof(b->arch), "%s", machine_name(pe.machine, mb));
	b->bits = pe.pe64 ? 64 : 32;
	b->big_endian = 0;
	b->slice_offset = 0;
	b->slice_size = v->size;
	b->has_fixups = 1;
	rg_binary_set_page_size(b, 4096);
	if ((rc = build_layout(&pe, b, err)) != RG_OK || (rc = rg_binary_seal(b, err)) != RG_OK)
		goto done;
	/* Each legitimate thunk entry or descriptor owns distinct file bytes. */
	budget = v->size / 4 + 16;
	if ((rc = walk_basereloc(&pe, b, err)) != RG_OK ||
	    (rc = walk_imports(&pe, b, &budget, &imports, err)) != RG_OK ||
	    (rc = walk_delay_imports(&pe, b, &budget, &delayed, err)) != RG_OK)
		goto done;
	symbol_hints(&pe, b);
	if (b->attr && load_symbols(&pe, b) != RG_OK) {
		rc = rg_err_set(err, RG_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = add_facts(&pe, b, imports, delayed)) != RG_OK) {
		rc = rg_err_set(err, rc, "out of memory");
		goto done;
	}
	if ((rc = rg_binary_list_push(out, b)) != RG_OK) {
		rc = rg_err_set(err, rc, "out of memory");
		goto done;
	}
	b = NULL;
done:
	rg_binary_free(b);
	free(pe.secs);
	free((void *)pe.order);
	return rc;
}
