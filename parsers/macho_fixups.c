/*
 * macho_fixups.c - fixups of Mach-O images without fixup chains:
 *   - the LC_DYLD_INFO(_ONLY) opcode streams (Apple <mach-o/loader.h>
 *     REBASE_OPCODE_* and BIND_OPCODE_*): rebase, bind, weak bind and lazy
 *     bind, including BIND_OPCODE_THREADED, whose binds and rebases live in
 *     chains inside the data (walked by macho_chained.c);
 *   - classic relocation entries (<mach-o/reloc.h>) listed by LC_DYSYMTAB
 *     (locreloff/extreloff) in images built before dyld info existed.
 *
 * Every DO_* opcode is checked against its segment's bounds before it is
 * counted; offsets are computed modulo 2^64 because ld64 moves backwards
 * with ADD_ADDR_ULEB of a wrapped value. Repeat counts are bounded by the
 * segment and by rg_macho_fix()'s cap, so a hostile count cannot spin.
 */
#include "macho.h"
#include "attr.h"

#include <string.h>

enum stream_kind { ST_REBASE, ST_BIND, ST_WEAK, ST_LAZY };

static const char *const stream_name[] = {
	"rebase opcodes", "bind opcodes", "weak bind opcodes", "lazy bind opcodes"
};

typedef struct opstate {
	rg_macho *m;
	enum stream_kind kind;
	uint64_t seg, off;
	int seg_set;
	int threaded;
	/* The bind's import, for attribution: set by SET_DYLIB_* and
	 * SET_SYMBOL_TRAILING_FLAGS_IMM, interned on first use. */
	int64_t ordinal;
	const char *sym;
	size_t symlen;
	uint32_t imp;
} opstate;

/* Attribution of count fixups from addr on (b->attr set): a rebase's
 * target is the pointer in the file; a bind's, its import. */
static void attr_run(opstate *s, uint64_t addr, uint64_t stride, uint64_t count)
{
	rg_macho *m = s->m;
	int tgt = RG_TGT_NONE;

	if (s->kind == ST_REBASE) {
		rg_attr_fix_run(m->b, addr, stride, count, RG_FIX_RELATIVE, 0, RG_TGT_WORD, 0);
		return;
	}
	if (s->imp == UINT32_MAX && s->sym && (m->b->attr->want & RG_ATTR_TARGETS))
		s->imp = rg_macho_import(m, s->ordinal, s->sym, s->symlen);
	if (s->imp != UINT32_MAX)
		tgt = RG_TGT_IMPORT;
	rg_attr_fix_run(m->b, addr, stride, count, RG_FIX_SYMBOLIC, s->kind == ST_LAZY, tgt, s->imp);
}

/* One fixup at the current position, then advance by ptrsize + skip. */
static int emit(opstate *s, uint64_t skip, rg_err *err)
{
	rg_macho *m = s->m;
	uint64_t addr;
	int rc;

	if (!s->seg_set)
		return rg_err_set(err, RG_EINPUT, "%s: fixup before any segment was set",
		                  stream_name[s->kind]);
	if (rg_macho_seg_addr(m, s->seg, s->off, m->ptrsize, stream_name[s->kind], &addr, err))
		return err->code;
	if (s->kind == ST_REBASE)
		rc = rg_macho_fix(m, addr, RG_FIX_RELATIVE, 0, err);
	else
		rc = rg_macho_fix(m, addr, RG_FIX_SYMBOLIC, s->kind == ST_LAZY, err);
	if (rc != RG_OK)
		return rc;
	if (m->b->attr)
		attr_run(s, addr, 0, 1);
	if (s->kind == ST_WEAK)
		m->n_weak++;
	s->off += m->ptrsize + skip;
	return RG_OK;
}

/* count fixups spaced by skip; rejects counts that leave the segment
 * before looping over them. A run that fits its segment and the fixup cap
 * is recorded in one rg_fixup_run(); anything else goes fixup by fixup
 * through emit(), which names the first one at fault. */
static int emit_times(opstate *s, uint64_t count, uint64_t skip, rg_err *err)
{
	rg_macho *m = s->m;
	uint64_t i, size, stride = skip + m->ptrsize;

	if (count == 0)
		return RG_OK;
	if (!s->seg_set || s->seg >= m->nsegs)
		return emit(s, skip, err); /* reports the error */
	size = m->segs[s->seg].vmsize;
	if (stride >= skip && size >= m->ptrsize && s->off <= size - m->ptrsize &&
	    (count - 1) <= (size - m->ptrsize - s->off) / stride &&
	    m->nfix <= m->fix_cap && count <= m->fix_cap - m->nfix) {
		uint64_t addr = m->segs[s->seg].vmaddr + s->off;
		rg_fixup_kind kind = s->kind == ST_REBASE ? RG_FIX_RELATIVE : RG_FIX_SYMBOLIC;

		m->nfix += count;
		/* Most runs of Rust and C++ images are one pointer long. */
		if (count == 1)
			rg_fixup(m->b, addr, kind, s->kind == ST_LAZY);
		else
			rg_fixup_run(m->b, addr, stride, count, kind, s->kind == ST_LAZY);
		if (m->b->attr)
			attr_run(s, addr, stride, count);
		if (s->kind == ST_WEAK)
			m->n_weak += count;
		s->off += count * stride;
		return RG_OK;
	}
	if (count == 1 || s->off >= size)
		return emit(s, skip, err); /* one fixup, or an offset error */
	if (stride < skip ||
	    (count - 1 > 0 && (size - s->off) / stride < count - 1))
		return rg_err_set(err, RG_EINPUT, "%s: %llu fixups spaced %llu bytes run past segment %s",
		                  stream_name[s->kind], (unsigned long long)count,
		                  (unsigned long long)stride, m->segs[s->seg].name);
	for (i = 0; i < count; i++)
		if (emit(s, skip, err) != RG_OK)
			return err->code;
	return RG_OK;
}

static int set_segment(opstate *s, uint8_t imm, const rg_view *v, uint64_t *p, uint64_t end,
                       rg_err *err)
{
	if (rg_view_uleb(v, p, end, &s->off) != 0)
		return rg_err_set(err, RG_EINPUT, "%s: truncated offset", stream_name[s->kind]);
	if (imm >= s->m->nsegs)
		return rg_err_set(err, RG_EINPUT, "%s: segment index %u out of range (%zu segments)",
		                  stream_name[s->kind], imm, s->m->nsegs);
	s->seg = imm;
	s->seg_set = 1;
	return RG_OK;
}

static int truncated(const opstate *s, rg_err *err)
{
	return rg_err_set(err, RG_EINPUT, "%s run off the end of their table", stream_name[s->kind]);
}

static int rebase_stream(rg_macho *m, uint32_t off, uint32_t size, rg_err *err)
{
	const rg_view *v = &m->v;
	uint64_t p = off, end = (uint64_t)off + size, a, b;
	opstate s = { m, ST_REBASE, 0, 0, 0, 0, 0, NULL, 0, UINT32_MAX };

	while (p < end) {
		uint8_t byte = v->data[p++], op = byte & 0xf0, imm = byte & 0x0f;

		switch (op) {
		case 0x00: /* REBASE_OPCODE_DONE */
			return RG_OK;
		case 0x10: /* SET_TYPE_IMM */
			break;
		case 0x20: /* SET_SEGMENT_AND_OFFSET_ULEB */
			if (set_segment(&s, imm, v, &p, end, err))
				return err->code;
			break;
		case 0x30: /* ADD_ADDR_ULEB */
			if (rg_view_uleb(v, &p, end, &a))
				return truncated(&s, err);
			s.off += a;
			break;
		case 0x40: /* ADD_ADDR_IMM_SCALED */
			s.off += (uint64_t)imm * m->ptrsize;
			break;
		case 0x50: /* DO_REBASE_IMM_TIMES */
			if (emit_times(&s, imm, 0, err))
				return err->code;
			break;
		case 0x60: /* DO_REBASE_ULEB_TIMES */
			if (rg_view_uleb(v, &p, end, &a))
				return truncated(&s, err);
			if (emit_times(&s, a, 0, err))
				return err->code;
			break;
		case 0x70: /* DO_REBASE_ADD_ADDR_ULEB */
			if (rg_view_uleb(v, &p, end, &a))
				return truncated(&s, err);
			if (emit_times(&s, 1, a, err))
				return err->code;
			break;
		case 0x80: /* DO_REBASE_ULEB_TIMES_SKIPPING_ULEB */
			if (rg_view_uleb(v, &p, end, &a) || rg_view_uleb(v, &p, end, &b))
				return truncated(&s, err);
			if (emit_times(&s, a, b, err))
				return err->code;
			break;
		default:
			return rg_err_set(err, RG_EINPUT, "rebase opcodes: unknown opcode 0x%02x at 0x%llx",
			                  byte, (unsigned long long)(p - 1));
		}
	}
	return RG_OK;
}

/* BIND_OPCODE_THREADED: SET_BIND_ORDINAL_TABLE_SIZE_ULEB switches DO_BIND
 * to filling the ordinal table; APPLY walks the chain at the current spot. */
static int threaded(opstate *s, uint8_t imm, const rg_view *v, uint64_t *p, uint64_t end,
                    rg_err *err)
{
	uint64_t a;

	switch (imm) {
	case 0x00: /* BIND_SUBOPCODE_THREADED_SET_BIND_ORDINAL_TABLE_SIZE_ULEB */
		if (rg_view_uleb(v, p, end, &a))
			return truncated(s, err);
		s->threaded = 1;
		s->m->auth_capable = 1;
		return RG_OK;
	case 0x01: /* BIND_SUBOPCODE_THREADED_APPLY */
		if (!s->seg_set)
			return rg_err_set(err, RG_EINPUT, "%s: threaded apply before any segment was set",
			                  stream_name[s->kind]);
		return rg_macho_threaded_chain(s->m, s->seg, s->off, err);
	default:
		return rg_err_set(err, RG_EINPUT, "%s: unknown threaded sub-opcode %u",
		                  stream_name[s->kind], imm);
	}
}

static int bind_stream(rg_macho *m, enum stream_kind kind, uint32_t off, uint32_t size,
                       rg_err *err)
{
	const rg_view *v = &m->v;
	uint64_t p = off, end = (uint64_t)off + size, a, b;
	int64_t sa;
	opstate s = { m, kind, 0, 0, 0, 0, 0, NULL, 0, UINT32_MAX };

	while (p < end) {
		uint8_t byte = v->data[p++], op = byte & 0xf0, imm = byte & 0x0f;

		switch (op) {
		case 0x00: /* BIND_OPCODE_DONE: lazy binds use it between entries */
			if (kind != ST_LAZY)
				return RG_OK;
			break;
		case 0x10: /* SET_DYLIB_ORDINAL_IMM */
			s.ordinal = imm;
			s.imp = UINT32_MAX;
			break;
		case 0x30: /* SET_DYLIB_SPECIAL_IMM: 0, -1, -2, -3 */
			s.ordinal = imm ? (int64_t)(int8_t)(0xf0 | imm) : 0;
			s.imp = UINT32_MAX;
			break;
		case 0x50: /* SET_TYPE_IMM */
			break;
		case 0x20: /* SET_DYLIB_ORDINAL_ULEB */
		case 0x80: /* ADD_ADDR_ULEB */
			if (rg_view_uleb(v, &p, end, &a))
				return truncated(&s, err);
			if (op == 0x80)
				s.off += a;
			else {
				s.ordinal = (int64_t)a;
				s.imp = UINT32_MAX;
			}
			break;
		case 0x40: /* SET_SYMBOL_TRAILING_FLAGS_IMM: a C string follows */
			{
				const uint8_t *z = memchr(v->data + p, 0, (size_t)(end - p));
				if (!z)
					return truncated(&s, err);
				s.sym = (const char *)v->data + p;
				s.symlen = (size_t)(z - (v->data + p));
				s.imp = UINT32_MAX;
				p = (uint64_t)(z - v->data) + 1;
			}
			break;
		case 0x60: /* SET_ADDEND_SLEB */
			if (rg_view_sleb(v, &p, end, &sa))
				return truncated(&s, err);
			break;
		case 0x70: /* SET_SEGMENT_AND_OFFSET_ULEB */
			if (set_segment(&s, imm, v, &p, end, err))
				return err->code;
			break;
		case 0x90: /* DO_BIND */
			if (s.threaded)
				break; /* adds an ordinal-table entry, not a fixup */
			if (emit_times(&s, 1, 0, err))
				return err->code;
			break;
		case 0xa0: /* DO_BIND_ADD_ADDR_ULEB */
			if (rg_view_uleb(v, &p, end, &a))
				return truncated(&s, err);
			if (emit_times(&s, 1, a, err))
				return err->code;
			break;
		case 0xb0: /* DO_BIND_ADD_ADDR_IMM_SCALED */
			if (emit_times(&s, 1, (uint64_t)imm * m->ptrsize, err))
				return err->code;
			break;
		case 0xc0: /* DO_BIND_ULEB_TIMES_SKIPPING_ULEB */
			if (rg_view_uleb(v, &p, end, &a) || rg_view_uleb(v, &p, end, &b))
				return truncated(&s, err);
			if (emit_times(&s, a, b, err))
				return err->code;
			break;
		case 0xd0: /* BIND_OPCODE_THREADED */
			if (kind != ST_BIND)
				return rg_err_set(err, RG_EINPUT, "%s: BIND_OPCODE_THREADED outside the bind stream",
				                  stream_name[kind]);
			if (threaded(&s, imm, v, &p, end, err))
				return err->code;
			break;
		default:
			return rg_err_set(err, RG_EINPUT, "%s: unknown opcode 0x%02x at 0x%llx",
			                  stream_name[kind], byte, (unsigned long long)(p - 1));
		}
	}
	return RG_OK;
}

int rg_macho_dyld_info(rg_macho *m, rg_err *err)
{
	if (m->rebase_size && rebase_stream(m, m->rebase_off, m->rebase_size, err))
		return err->code;
	if (m->bind_size && bind_stream(m, ST_BIND, m->bind_off, m->bind_size, err))
		return err->code;
	if (m->weak_size && bind_stream(m, ST_WEAK, m->weak_off, m->weak_size, err))
		return err->code;
	if (m->lazy_size && bind_stream(m, ST_LAZY, m->lazy_off, m->lazy_size, err))
		return err->code;
	return RG_OK;
}

/*
 * r_address of a relocation in a linked image is an offset from a base:
 * the first writable segment for x86_64 (and other 64-bit images), the
 * first segment otherwise (dyld's getRelocBase()).
 */
static uint64_t reloc_base(const rg_macho *m)
{
	size_t i;

	if (m->is64)
		for (i = 0; i < m->nsegs; i++)
			if (m->segs[i].initprot & 0x2)
				return m->segs[i].vmaddr;
	return m->nsegs ? m->segs[0].vmaddr : 0;
}

static int reloc_table(rg_macho *m, uint32_t off, uint32_t n, rg_fixup_kind kind, rg_err *err)
{
	uint64_t base = reloc_base(m);
	uint32_t i;

	for (i = 0; i < n; i++) {
		const uint8_t *e = m->v.data + off + (uint64_t)i * 8;
		uint32_t w0 = rg_ld32(e, m->v.big_endian), w1 = rg_ld32(e + 4, m->v.big_endian);
		uint64_t addr;
		uint32_t type;

		if (w0 & 0x80000000u) { /* scattered_relocation_info */
			type = (w0 >> 24) & 0xf;
			addr = base + (w0 & 0xffffff);
		} else {
			/* r_symbolnum:24 r_pcrel:1 r_length:2 r_extern:1 r_type:4,
			 * packed from the low bit in little-endian files. */
			type = m->v.big_endian ? (w1 & 0xf) : (w1 >> 28);
			addr = base + w0;
		}
		/* GENERIC_RELOC_PAIR / ARM_RELOC_PAIR (32-bit only) is the second
		 * half of a pair, not a fixup of its own. */
		if (!m->is64 && type == 1)
			continue;
		if (rg_macho_fix(m, addr, kind, 0, err) != RG_OK)
			return err->code;
		if (m->b->attr) /* a local relocation's target is the word in place */
			rg_attr_fix(m->b, addr, kind, 0,
			            kind == RG_FIX_RELATIVE ? RG_TGT_WORD : RG_TGT_NONE, 0);
	}
	return RG_OK;
}

int rg_macho_classic_relocs(rg_macho *m, rg_err *err)
{
	if (reloc_table(m, m->locreloff, m->nlocrel, RG_FIX_RELATIVE, err) ||
	    reloc_table(m, m->extreloff, m->nextrel, RG_FIX_SYMBOLIC, err))
		return err->code;
	return RG_OK;
}

/*
 * Symbol pointer sections of images without dyld info or chained fixups
 * (<mach-o/loader.h>: S_NON_LAZY_SYMBOL_POINTERS, S_LAZY_SYMBOL_POINTERS).
 * dyld binds each pointer through the indirect symbol table (LC_DYSYMTAB
 * indirectsymoff/nindirectsyms; the section's reserved1 is the index of
 * its first entry): an entry naming a symbol is a symbolic fixup (lazy for
 * lazy pointers), INDIRECT_SYMBOL_LOCAL a pointer dyld slides (relative),
 * INDIRECT_SYMBOL_ABS none. Go 1.15 and older darwin binaries bind their
 * imports this way (__nl_symbol_ptr), with no relocation entries at all.
 * Re-reads the load commands that load_commands() has bounded already.
 */
#define LC_SEGMENT_CMD      0x1u
#define LC_SEGMENT_64_CMD   0x19u
#define LC_DYSYMTAB_CMD     0xbu
#define S_NON_LAZY_PTRS     0x6u
#define S_LAZY_PTRS         0x7u
#define INDIRECT_LOCAL      0x80000000u
#define INDIRECT_ABS        0x40000000u

/* Attribution of an indirect symbol pointer (b->attr set): a local one
 * holds its target in place; a bound one names symbol e of LC_SYMTAB and
 * the library of its two-level ordinal (n_desc bits 8-15). */
static void attr_indirect(rg_macho *m, uint64_t addr, uint32_t e, int lazy)
{
	uint32_t symoff, nsyms, stroff, strsize, strx, imp = UINT32_MAX;
	const rg_view *v = &m->v;
	const uint8_t *n;

	if (e == INDIRECT_LOCAL) {
		rg_attr_fix(m->b, addr, RG_FIX_RELATIVE, 0, RG_TGT_WORD, 0);
		return;
	}
	if ((m->b->attr->want & RG_ATTR_TARGETS) && m->symtab_cmd &&
	    rg_view_u32(v, m->symtab_cmd + 8, &symoff) == 0 &&
	    rg_view_u32(v, m->symtab_cmd + 12, &nsyms) == 0 &&
	    rg_view_u32(v, m->symtab_cmd + 16, &stroff) == 0 &&
	    rg_view_u32(v, m->symtab_cmd + 20, &strsize) == 0 && e < nsyms &&
	    rg_view_has(v, symoff + (uint64_t)e * (m->is64 ? 16 : 12), m->is64 ? 16 : 12) &&
	    rg_view_has(v, stroff, strsize)) {
		n = v->data + symoff + (uint64_t)e * (m->is64 ? 16 : 12);
		strx = rg_ld32(n, v->big_endian);
		if (strx < strsize && memchr(v->data + stroff + strx, 0, strsize - strx))
			imp = rg_macho_import(m, (rg_ld16(n + 6, v->big_endian) >> 8) & 0xff,
			                      (const char *)v->data + stroff + strx,
			                      strlen((const char *)v->data + stroff + strx));
	}
	rg_attr_fix(m->b, addr, RG_FIX_SYMBOLIC, lazy,
	            imp == UINT32_MAX ? RG_TGT_NONE : RG_TGT_IMPORT, imp);
}

static int pointer_section(rg_macho *m, const uint8_t *s, uint32_t isym, uint32_t nisym,
                           rg_err *err)
{
	int be = m->v.big_endian, is64 = m->is64;
	uint32_t flags = rg_ld32(s + (is64 ? 64 : 56), be), first = rg_ld32(s + (is64 ? 68 : 60), be);
	uint32_t type = flags & 0xff, e;
	uint64_t addr = is64 ? rg_ld64(s + 32, be) : rg_ld32(s + 32, be);
	uint64_t size = is64 ? rg_ld64(s + 40, be) : rg_ld32(s + 36, be), n, i;

	if (type != S_NON_LAZY_PTRS && type != S_LAZY_PTRS)
		return RG_OK;
	n = size / m->ptrsize;
	if (first > nisym || n > nisym - first)
		return rg_err_set(err, RG_EINPUT, "section %.16s,%.16s: %llu symbol pointers from "
		                  "indirect symbol %u, but the table has %u", (const char *)s + 16,
		                  (const char *)s, (unsigned long long)n, first, nisym);
	for (i = 0; i < n; i++) {
		e = rg_ld32(m->v.data + isym + (first + i) * 4, be);
		if (e & INDIRECT_ABS)
			continue;
		if (rg_macho_fix(m, addr + i * m->ptrsize,
		                 e == INDIRECT_LOCAL ? RG_FIX_RELATIVE : RG_FIX_SYMBOLIC,
		                 e != INDIRECT_LOCAL && type == S_LAZY_PTRS, err) != RG_OK)
			return err->code;
		if (m->b->attr)
			attr_indirect(m, addr + i * m->ptrsize, e, type == S_LAZY_PTRS);
	}
	return RG_OK;
}

int rg_macho_indirect_pointers(rg_macho *m, rg_err *err)
{
	const rg_view *v = &m->v;
	uint64_t off = m->is64 ? 32 : 28, end, at;
	uint32_t ncmds, sizeofcmds, i, cmd, size, isym = 0, nisym = 0, nsects, k;
	size_t hdr = m->is64 ? 72 : 56, secsz = m->is64 ? 80 : 68;

	rg_view_u32(v, 16, &ncmds);
	rg_view_u32(v, 20, &sizeofcmds);
	end = off + sizeofcmds;
	/* The indirect symbol table first: segments may come before it. */
	for (i = 0, at = off; i < ncmds && at + 8 <= end; i++, at += size) {
		rg_view_u32(v, at, &cmd);
		rg_view_u32(v, at + 4, &size);
		if (size < 8)
			break;
		if (cmd == LC_DYSYMTAB_CMD && size >= 80) {
			rg_view_u32(v, at + 56, &isym);
			rg_view_u32(v, at + 60, &nisym);
		}
	}
	if (nisym && !rg_view_has(v, isym, (uint64_t)nisym * 4))
		return rg_err_set(err, RG_EINPUT, "indirect symbol table at 0x%x (%u entries) lies "
		                  "outside the file", isym, nisym);
	for (i = 0, at = off; i < ncmds && at + 8 <= end; i++, at += size) {
		rg_view_u32(v, at, &cmd);
		rg_view_u32(v, at + 4, &size);
		if (size < 8)
			break;
		if ((cmd != LC_SEGMENT_CMD && cmd != LC_SEGMENT_64_CMD) || size < hdr)
			continue;
		rg_view_u32(v, at + (m->is64 ? 64 : 48), &nsects);
		for (k = 0; k < nsects && hdr + (uint64_t)(k + 1) * secsz <= size; k++)
			if (pointer_section(m, v->data + at + hdr + (uint64_t)k * secsz, isym, nisym,
			                    err) != RG_OK)
				return err->code;
	}
	return RG_OK;
}
