/*
 * pclntab.c - the Go pclntab (program counter / line table and function
 * metadata) in ELF, Mach-O and PE binaries.
 *
 * References (read, not copied): Go's runtime/symtab.go (pcHeader),
 * runtime/runtime2.go (_func), cmd/link/internal/ld/pcln.go (layout written
 * by the linker), debug/gosym/pclntab.go, and "Go 1.2 Runtime Symbol
 * Information" (golang.org/s/go12symtab). docs/format-pclntab.md describes
 * what is measured and how.
 *
 * Header: magic u32, two zero pad bytes, pc quantum (1, 2, 4), pointer size
 * (4, 8), then pointer-sized words:
 *   0xfffffffb Go 1.2-1.15:  nfunc; functab follows (pc, funcoff words),
 *                            end pc, u32 filetab offset. All offsets are
 *                            from the table start; names, _func and pc
 *                            tables are interleaved.
 *   0xfffffffa Go 1.16-1.17: nfunc nfiles funcnametab cutab filetab pctab
 *                            pclntab(functab + _func) offsets.
 *   0xfffffff0 Go 1.18-1.19: nfunc nfiles textStart, then the five offsets;
 *   0xfffffff1 Go 1.20+      functab entries are u32 (entryoff, funcoff),
 *                            _func starts with a u32 entry offset; 1.20
 *                            adds startLine to _func. Go 1.26 keeps the
 *                            magic, writes 0 for textStart and moves the
 *                            funcdata (go:func.*) and findfunctab into the
 *                            table, after the _func records.
 * The byte order of the magic gives the table's byte order.
 *
 * The table is found by section name, else by the runtime.pclntab /
 * runtime.epclntab symbol hints, else by a scan for a header that
 * validates. Corrupt input gives notes, never errors: the binary is still
 * measured, only pclntab.* are missing.
 */
#include "formats.h"
#include "attr.h"
#include "pclntab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { VER12 = 12, VER116 = 116, VER118 = 118, VER120 = 120, VER126 = 126 };

/* How many functab entries the header check looks at. */
#define CHECK_ENTRIES 32u
/* Upper bound on npcdata per function: Go uses < 10; more means garbage. */
#define MAX_NPCDATA 1024u

typedef struct pcl_hdr {
	int ver, be, quantum, ptrsize;
	uint64_t nfunc, nfiles;  /* nfiles: file names (Go 1.2: table slots - 1) */
	uint64_t hdr_size;
	uint64_t funcname_off, cutab_off, filetab_off, pctab_off; /* bases of offsets */
	uint64_t functab_off;    /* first functab entry */
	uint64_t funcbase;       /* funcoff values are relative to this */
	int field;               /* functab field size: 4 or ptrsize */
	uint64_t fixed;          /* fixed _func size */
	int old_nfuncdata;       /* Go 1.2-1.11: nfuncdata is an int32 */
	uint64_t text_start;     /* Go 1.18+: functab pcs are offsets from it */
} pcl_hdr;

/* ---- header ---------------------------------------------------------- */

static int word(const rg_view *t, uint64_t off, const pcl_hdr *h, uint64_t *out)
{
	return rg_view_word(t, off, h->ptrsize, out);
}

static const char *ver_name(int ver)
{
	switch (ver) {
	case VER12: return "go1.2-1.15";
	case VER116: return "go1.16-1.17";
	case VER118: return "go1.18-1.19";
	case VER120: return "go1.20-1.25";
	default: return "go1.26+";
	}
}

/* Reads the magic and fixed header fields; -1 with why on failure. */
static int parse_magic(rg_view *t, pcl_hdr *h, const char **why)
{
	static const struct { uint32_t magic; int ver; } magics[] = {
		{ 0xfffffffbu, VER12 }, { 0xfffffffau, VER116 },
		{ 0xfffffff0u, VER118 }, { 0xfffffff1u, VER120 },
	};
	uint32_t le, be;
	size_t i;

	memset(h, 0, sizeof(*h));
	if (t->size < 16) {
		*why = "shorter than a header";
		return -1;
	}
	le = rg_ld32(t->data, 0);
	be = rg_ld32(t->data, 1);
	h->ver = 0;
	for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++) {
		if (le == magics[i].magic)
			h->ver = magics[i].ver, h->be = 0;
		else if (be == magics[i].magic)
			h->ver = magics[i].ver, h->be = 1;
	}
	if (!h->ver) {
		*why = "unknown magic";
		return -1;
	}
	t->big_endian = h->be;
	h->quantum = t->data[6];
	h->ptrsize = t->data[7];
	if (t->data[4] || t->data[5]) {
		*why = "header pad bytes are not zero";
		return -1;
	}
	if (h->quantum != 1 && h->quantum != 2 && h->quantum != 4) {
		*why = "bad pc quantum";
		return -1;
	}
	if (h->ptrsize != 4 && h->ptrsize != 8) {
		*why = "bad pointer size";
		return -1;
	}
	return 0;
}

/* Reads the header words of t (t->size bounds the table); -1 with why. */
static int parse_header(rg_view *t, pcl_hdr *h, const char **why)
{
	uint64_t p, w[8], ftsize, nfiletab;
	uint32_t u;
	int nwords, i;

	if (parse_magic(t, h, why) != 0)
		return -1;
	p = (uint64_t)h->ptrsize;
	nwords = h->ver == VER12 ? 1 : h->ver == VER116 ? 7 : 8;
	h->hdr_size = 8 + (uint64_t)nwords * p;
	for (i = 0; i < nwords; i++)
		if (word(t, 8 + (uint64_t)i * p, h, &w[i]) != 0) {
			*why = "truncated header";
			return -1;
		}
	h->nfunc = w[0];
	h->field = h->ver >= VER118 ? 4 : h->ptrsize;
	if (h->nfunc == 0 || h->nfunc > t->size / (2u * (unsigned)h->field)) {
		*why = "implausible function count";
		return -1;
	}
	ftsize = (2 * h->nfunc + 1) * (uint64_t)h->field;
	switch (h->ver) {
	case VER12:
		h->functab_off = 8 + p;
		h->fixed = p + 32;
		if (rg_view_u32(t, h->functab_off + ftsize, &u) != 0) {
			*why = "function table runs past the end";
			return -1;
		}
		h->filetab_off = u;
		if (rg_view_u32(t, h->filetab_off, &u) != 0 || u == 0 ||
		    !rg_view_has(t, h->filetab_off, (uint64_t)u * 4)) {
			*why = "file table outside the table";
			return -1;
		}
		nfiletab = u;
		h->nfiles = nfiletab - 1; /* slot 0 is unused */
		break;
	case VER116:
		h->nfiles = w[1];
		h->funcname_off = w[2], h->cutab_off = w[3], h->filetab_off = w[4];
		h->pctab_off = w[5], h->functab_off = h->funcbase = w[6];
		h->fixed = p + 36;
		break;
	default:
		h->nfiles = w[1];
		h->text_start = w[2];
		h->funcname_off = w[3], h->cutab_off = w[4], h->filetab_off = w[5];
		h->pctab_off = w[6], h->functab_off = h->funcbase = w[7];
		h->fixed = h->ver == VER118 ? 40 : 44;
		/* Go 1.26 writes 0 where textStart was (always an address before). */
		if (h->ver == VER120 && w[2] == 0)
			h->ver = VER126;
		break;
	}
	if (h->ver != VER12) {
		for (i = 2; i < nwords; i++) {
			if (h->ver >= VER118 && i == 2)
				continue; /* textStart is an address */
			if (w[i] < h->hdr_size || w[i] > t->size) {
				*why = "table offset outside the table";
				return -1;
			}
		}
		if (h->nfiles > t->size) {
			*why = "implausible file count";
			return -1;
		}
	}
	if (!rg_view_has(t, h->functab_off, ftsize)) {
		*why = "function table runs past the end";
		return -1;
	}
	return 0;
}

/* Functab entry i: pc (or entry offset) and funcoff. */
static int entry(const rg_view *t, const pcl_hdr *h, uint64_t i, uint64_t *pc, uint64_t *fo)
{
	uint64_t at = h->functab_off + 2 * i * (uint64_t)h->field;

	if (pc && rg_view_word(t, at, h->field, pc) != 0)
		return -1;
	return rg_view_word(t, at + (uint64_t)h->field, h->field, fo);
}

/*
 * The first entries of the function table must be sorted by pc and point
 * at increasing _func records inside the table: random bytes that happen
 * to look like a header fail here.
 */
static int check_entries(const rg_view *t, const pcl_hdr *h, const char **why)
{
	uint64_t i, n = h->nfunc < CHECK_ENTRIES ? h->nfunc : CHECK_ENTRIES;
	uint64_t pc, fo, lastpc = 0, lastfo = 0;

	for (i = 0; i < n; i++) {
		if (entry(t, h, i, &pc, &fo) != 0 ||
		    !rg_view_has(t, h->funcbase + fo, h->fixed)) {
			*why = "function table entry outside the table";
			return -1;
		}
		if (i && (pc < lastpc || fo <= lastfo)) {
			*why = "function table is not sorted";
			return -1;
		}
		lastpc = pc, lastfo = fo;
	}
	return 0;
}

/* ---- walking every function ------------------------------------------- */

typedef struct pkg_ent {
	char *name;
	uint64_t funcs, bytes;
} pkg_ent;

typedef struct walk {
	const rg_view *t;
	const pcl_hdr *h;
	uint8_t *seen;        /* bit per table byte: an object counted already */
	uint64_t maxend;      /* end of the last object referenced */
	uint64_t budget;      /* pc-table bytes left to decode */
	int budget_hit;
	int want_pkgs;        /* attribute bytes to packages */
	int full;             /* also decode names and pc tables */
	pkg_ent *pkgs;        /* open-addressing hash table */
	size_t npkgs, pkgcap;
	int oom;
	/* Go 1.26: the funcdata objects inside the table (go:func.*), sorted
	 * distinct offsets from gofunc; an object runs to the next one. */
	uint64_t gofunc, gofunc_end;
	uint32_t *fd;
	size_t nfd;
} walk;

static int seen_test_set(walk *w, uint64_t off)
{
	uint8_t bit = (uint8_t)(1u << (off & 7));
	int was;

	if (off >= w->t->size)
		return 1;
	was = (w->seen[off >> 3] & bit) != 0;
	w->seen[off >> 3] |= bit;
	return was;
}

static void note_end(walk *w, uint64_t end)
{
	if (end > w->maxend)
		w->maxend = end;
}

/* Length of the NUL-terminated string at off including the NUL, or 0. */
static uint64_t str_len(const rg_view *t, uint64_t off)
{
	const uint8_t *z;

	if (off >= t->size)
		return 0;
	z = memchr(t->data + off, 0, t->size - off);
	return z ? (uint64_t)(z - (t->data + off)) + 1 : 0;
}

/*
 * Bytes of the pc-value table at off: (value delta, pc delta) varint pairs
 * ended by a zero value delta (runtime/symtab.go step()), counted with its
 * terminator. A table counted before (Go 1.16+ deduplicates them) costs
 * nothing. Walks bytes, not values: a byte without the 0x80 bit ends a
 * varint, and a lone 0 in value position (not the first) ends the table.
 */
static uint64_t pctab_bytes(walk *w, uint64_t off)
{
	const uint8_t *d = w->t->data, *p, *e;
	uint64_t idx = 0, len;
	int at_start = 1;

	if (off >= w->t->size || seen_test_set(w, off))
		return 0;
	p = d + off;
	e = d + (w->t->size - off > w->budget ? off + w->budget : w->t->size);
	while (p < e) {
		uint8_t c = *p++;
		if (at_start && c == 0 && !(idx & 1) && idx)
			break;
		at_start = !(c & 0x80);
		idx += (uint64_t)at_start;
	}
	len = (uint64_t)(p - (d + off));
	if (len >= w->budget)
		w->budget_hit = 1;
	w->budget -= len < w->budget ? len : w->budget;
	note_end(w, off + len);
	return len;
}

static uint64_t hash_str(const char *s)
{
	uint64_t x = 1469598103934665603ull;

	while (*s)
		x = (x ^ (uint8_t)*s++) * 1099511628211ull;
	return x;
}

static void pkg_add(walk *w, const char *pkg, uint64_t bytes)
{
	size_t i;

	if (w->oom)
		return;
	if ((w->npkgs + 1) * 2 > w->pkgcap) {
		size_t ncap = w->pkgcap ? w->pkgcap * 2 : 256, j;
		pkg_ent *n = calloc(ncap, sizeof(*n));
		if (!n) {
			w->oom = 1;
			return;
		}
		for (j = 0; j < w->pkgcap; j++) {
			if (!w->pkgs[j].name)
				continue;
			i = hash_str(w->pkgs[j].name) & (ncap - 1);
			while (n[i].name)
				i = (i + 1) & (ncap - 1);
			n[i] = w->pkgs[j];
		}
		free(w->pkgs);
		w->pkgs = n;
		w->pkgcap = ncap;
	}
	i = hash_str(pkg) & (w->pkgcap - 1);
	while (w->pkgs[i].name && strcmp(w->pkgs[i].name, pkg) != 0)
		i = (i + 1) & (w->pkgcap - 1);
	if (!w->pkgs[i].name) {
		if (!(w->pkgs[i].name = strdup(pkg))) {
			w->oom = 1;
			return;
		}
		w->npkgs++;
	}
	w->pkgs[i].funcs++;
	w->pkgs[i].bytes += bytes;
}

/* Field n (1-based after the entry) of the _func at f. */
static int func_field(const rg_view *t, const pcl_hdr *h, uint64_t f, int n, uint32_t *out)
{
	uint64_t sz0 = h->ver >= VER118 ? 4 : (uint64_t)h->ptrsize;

	return rg_view_u32(t, f + sz0 + (uint64_t)(n - 1) * 4, out);
}

static int nfuncdata(const rg_view *t, const pcl_hdr *h, uint64_t f, uint8_t *out)
{
	/* Go 1.2-1.11 little-endian: an int32 right after npcdata. */
	if (h->old_nfuncdata)
		return rg_view_u8(t, f + (uint64_t)h->ptrsize + 28, out);
	return rg_view_u8(t, f + h->fixed - 1, out);
}

/*
 * Go 1.12 turned the int32 nfuncdata of 1.2-1.11 into funcID, pad and a
 * final uint8, keeping the magic. In little-endian tables the old layout
 * never has a non-zero last byte (the high byte of a small int32); the new
 * one almost always has (most functions carry funcdata).
 */
static void detect_old_nfuncdata(const rg_view *t, pcl_hdr *h)
{
	uint64_t i, fo, n = h->nfunc < 256 ? h->nfunc : 256;
	uint8_t c;

	if (h->ver != VER12 || h->be)
		return;
	for (i = 0; i < n; i++)
		if (entry(t, h, i, NULL, &fo) == 0 &&
		    rg_view_u8(t, h->funcbase + fo + h->fixed - 1, &c) == 0 && c)
			return;
	h->old_nfuncdata = 1;
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Go 1.26 keeps each function's funcdata (stack maps, inline trees, ...)
 * inside the table, in go:func.* between the _func records and
 * findfunctab; the records hold u32 offsets from go:func.* (~0: none).
 * The objects are laid out back to back (with alignment padding), so each
 * runs to the next referenced offset, the last one to findfunctab.
 * Collects the distinct offsets; 0 when there are none or out of memory.
 */
static int collect_funcdata(walk *w)
{
	const rg_view *t = w->t;
	const pcl_hdr *h = w->h;
	uint64_t i, fo, f, k, n = 0, cap = 0, lim = w->gofunc_end - w->gofunc;
	uint32_t npcdata, v, *fd = NULL, *nf;
	uint8_t nfd;
	size_t j, u;

	for (i = 0; i < h->nfunc; i++) {
		if (entry(t, h, i, NULL, &fo) != 0)
			break;
		f = h->funcbase + fo;
		if (func_field(t, h, f, 7, &npcdata) || nfuncdata(t, h, f, &nfd) ||
		    npcdata > MAX_NPCDATA)
			break;
		for (k = 0; k < nfd; k++) {
			if (rg_view_u32(t, f + h->fixed + ((uint64_t)npcdata + k) * 4, &v) != 0 ||
			    v >= lim)
				continue;
			if (n == cap) {
				cap = cap ? 2 * cap : 4096;
				if (!(nf = realloc(fd, cap * sizeof(*fd)))) {
					free(fd);
					w->oom = 1;
					return 0;
				}
				fd = nf;
			}
			fd[n++] = v;
		}
	}
	if (!n) {
		free(fd);
		return 0;
	}
	qsort(fd, (size_t)n, sizeof(*fd), u32_cmp);
	for (j = 1, u = 1; j < n; j++)
		if (fd[j] != fd[u - 1])
			fd[u++] = fd[j];
	w->fd = fd, w->nfd = u;
	return 1;
}

/* Bytes of the funcdata object at offset v of go:func.*, once. */
static uint64_t funcdata_bytes(walk *w, uint32_t v)
{
	size_t lo = 0, hi = w->nfd;
	uint64_t next;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (w->fd[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == w->nfd || w->fd[lo] != v || seen_test_set(w, w->gofunc + v))
		return 0;
	next = lo + 1 < w->nfd ? w->gofunc + w->fd[lo + 1] : w->gofunc_end;
	return next - (w->gofunc + v);
}

/* Bytes of function i; -1 when its record lies outside the table. */
static int walk_func(walk *w, uint64_t i)
{
	const rg_view *t = w->t;
	const pcl_hdr *h = w->h;
	uint64_t fo, f, end, bytes, nameat, nlen = 0, pcbase;
	uint32_t nameoff, pcsp, pcfile, pcln, npcdata, pd, k;
	uint8_t nfd;
	char name[512], pkg[256];

	if (entry(t, h, i, NULL, &fo) != 0)
		return -1;
	f = h->funcbase + fo;
	if (!rg_view_has(t, f, h->fixed) || func_field(t, h, f, 1, &nameoff) ||
	    func_field(t, h, f, 4, &pcsp) || func_field(t, h, f, 5, &pcfile) ||
	    func_field(t, h, f, 6, &pcln) || func_field(t, h, f, 7, &npcdata) ||
	    nfuncdata(t, h, f, &nfd) || npcdata > MAX_NPCDATA)
		return -1;
	end = f + h->fixed + (uint64_t)npcdata * 4;
	if (nfd) {
		if (h->ver >= VER118) {
			end += (uint64_t)nfd * 4;
		} else {
			uint64_t p = (uint64_t)h->ptrsize;
			end = (end + p - 1) / p * p + (uint64_t)nfd * p;
		}
	}
	if (end > t->size)
		return -1;
	note_end(w, end);
	if (!w->full)
		return 0;
	/* The record, its pcdata offsets and funcdata, and its functab entry. */
	bytes = end - f + 2 * (uint64_t)h->field;

	nameat = h->funcname_off + nameoff;
	if (nameat < t->size) {
		nlen = str_len(t, nameat);
		if (nlen && !seen_test_set(w, nameat)) {
			bytes += nlen;
			note_end(w, nameat + nlen);
		}
	}
	pcbase = h->pctab_off;
	if (pcsp)
		bytes += pctab_bytes(w, pcbase + pcsp);
	if (pcfile)
		bytes += pctab_bytes(w, pcbase + pcfile);
	if (pcln)
		bytes += pctab_bytes(w, pcbase + pcln);
	for (k = 0; k < npcdata; k++)
		if (rg_view_u32(t, f + h->fixed + (uint64_t)k * 4, &pd) == 0 && pd)
			bytes += pctab_bytes(w, pcbase + pd);
	for (k = 0; w->nfd && k < nfd; k++)
		if (rg_view_u32(t, f + h->fixed + ((uint64_t)npcdata + k) * 4, &pd) == 0)
			bytes += funcdata_bytes(w, pd);

	if (w->want_pkgs) {
		if (nlen) {
			size_t l = nlen - 1 < sizeof(name) - 1 ? (size_t)nlen - 1 : sizeof(name) - 1;
			memcpy(name, t->data + nameat, l);
			name[l] = 0;
			rg_pclntab_pkg_of(name, h->ver, pkg, sizeof(pkg));
		} else {
			snprintf(pkg, sizeof(pkg), "(none)");
		}
		pkg_add(w, pkg, bytes);
	}
	return 0;
}

/* Ends of the file-name strings: the last thing in Go 1.2-1.15 tables. */
static void walk_files(walk *w)
{
	const rg_view *t = w->t;
	const pcl_hdr *h = w->h;
	uint64_t i, pos, len;
	uint32_t off;

	if (h->ver == VER12) {
		note_end(w, h->filetab_off + (h->nfiles + 1) * 4);
		for (i = 1; i <= h->nfiles; i++)
			if (rg_view_u32(t, h->filetab_off + i * 4, &off) == 0 &&
			    (len = str_len(t, off)) != 0)
				note_end(w, off + len);
		return;
	}
	for (i = 0, pos = h->filetab_off; i < h->nfiles; i++, pos += len)
		if ((len = str_len(t, pos)) == 0)
			return;
	note_end(w, pos);
}

static int pkg_cmp(const void *a, const void *b)
{
	const pkg_ent *x = a, *y = b;

	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Sorted by bytes, largest first, into the model. */
static int emit_pkgs(rg_binary *b, walk *w)
{
	size_t i, n = 0;
	int rc = RG_OK;

	for (i = 0; i < w->pkgcap; i++)
		if (w->pkgs[i].name)
			w->pkgs[n++] = w->pkgs[i];
	if (n)
		qsort(w->pkgs, n, sizeof(*w->pkgs), pkg_cmp);
	for (i = 0; i < n && rc == RG_OK; i++)
		rc = rg_binary_add_pkg(b, w->pkgs[i].name, w->pkgs[i].funcs, w->pkgs[i].bytes);
	for (i = 0; i < n; i++)
		free(w->pkgs[i].name);
	w->pkgcap = 0;
	return rc;
}

/* ---- runtime.firstmoduledata ------------------------------------------ */

/*
 * The runtime reaches its tables through runtime.firstmoduledata, which the
 * linker writes into a writable data section (cmd/link/internal/ld
 * symtab.go; .noptrdata, .go.module / __go_module from Go 1.26) that
 * stripped binaries keep. Its first pointer-sized words name the table:
 *   Go 1.2-1.15  pclntable (ptr = table, len = cap = table bytes), then
 *                ftab (ptr = function table, len = cap = nfunc + 1).
 *   Go 1.16+     pcHeader (= table), then the slices (ptr, len, cap)
 *                funcnametab, cutab, filetab, pctab, pclntable (ptr = the
 *                function table, len = its bytes), ftab (same ptr,
 *                len = nfunc + 1), then findfunctab, minpc, maxpc.
 * Every pointer is checked against the header before the words are
 * believed. Data without link-time addresses (words left for the loader
 * to fill in) simply has no match; the records are the fallback.
 */
typedef struct moddata {
	uint64_t end;       /* bytes of the table */
	uint64_t gofunc;    /* Go 1.26: go:func.* (offset in the table), 0 unknown */
	uint64_t findfunc;  /* Go 1.26: findfunctab (offset in the table) */
} moddata;

/*
 * Bytes of runtime.findfunctab for a module whose functions span
 * [minpc, maxpc): one 4-byte index per 4096-byte bucket and one byte per
 * 256-byte sub-bucket (runtime/symtab.go findfuncbucket, the linker's
 * findfunctab()).
 */
static uint64_t findfunctab_bytes(uint64_t minpc, uint64_t maxpc)
{
	uint64_t r = maxpc - minpc;

	return 4 * ((r + 4095) / 4096) + (r + 255) / 256;
}

/* The words at md (in v) against header h of the table at va; 1 on a match. */
static int moddata_match(const rg_view *v, uint64_t md, const pcl_hdr *h, uint64_t va,
                         uint64_t avail, moddata *out)
{
	uint64_t w[64], p = (uint64_t)h->ptrsize, ftend;
	int i, n = h->ver == VER12 ? 6 : 22;

	for (i = 0; i < n; i++)
		if (rg_view_word(v, md + (uint64_t)i * p, h->ptrsize, &w[i]) != 0)
			return 0;
	ftend = h->functab_off + (2 * h->nfunc + 1) * (uint64_t)h->field;
	memset(out, 0, sizeof(*out));
	if (h->ver == VER12) {
		if (w[0] != va || w[1] != w[2] || w[1] < ftend || w[1] > avail ||
		    w[3] != va + h->functab_off || w[4] != h->nfunc + 1 || w[5] != w[4])
			return 0;
		out->end = w[1];
		return 1;
	}
	if (w[0] != va || w[1] != va + h->funcname_off || w[4] != va + h->cutab_off ||
	    w[7] != va + h->filetab_off || w[10] != va + h->pctab_off ||
	    w[13] != va + h->functab_off || w[16] != w[13] || w[17] != h->nfunc + 1 ||
	    w[2] != w[3] || w[5] != w[6] || w[8] != w[9] || w[11] != w[12] ||
	    w[14] != w[15] || w[17] != w[18] || w[14] < ftend - h->functab_off ||
	    w[14] > avail - h->functab_off || w[20] >= w[21])
		return 0;
	out->end = h->functab_off + w[14];
	if (h->ver != VER126)
		return 1;
	/* Go 1.26: go:func.* and then findfunctab follow the function table. */
	if (w[19] < va + out->end || w[19] - va > avail ||
	    findfunctab_bytes(w[20], w[21]) > avail - (w[19] - va))
		return 0;
	out->findfunc = w[19] - va;
	out->end = out->findfunc + findfunctab_bytes(w[20], w[21]);
	/* go:func.* is the module data's one pointer between the two. */
	for (i = 22; i < 64 && !out->gofunc; i++)
		if (rg_view_word(v, md + (uint64_t)i * p, h->ptrsize, &w[i]) == 0 &&
		    w[i] >= va + ftend && w[i] <= va + out->findfunc)
			out->gofunc = w[i] - va;
	return 1;
}

/* Finds the module data of the table at slice offset off; 1 when found. */
static int find_moddata(const rg_binary *b, const rg_view *slice, uint64_t off,
                        const pcl_hdr *h, moddata *out)
{
	rg_view v = *slice;
	uint64_t va, p = (uint64_t)h->ptrsize, at, w;
	size_t i;

	v.big_endian = h->be;
	if (rg_binary_off_to_vaddr(b, off, &va) != 0)
		return 0;
	for (i = 0; i < b->nsegs; i++) {
		const rg_segment *g = &b->segs[i];
		uint64_t end;
		if (g->overlay || !(g->perms & RG_PERM_W) || !g->filesize ||
		    g->fileoff >= slice->size)
			continue;
		end = g->filesize < slice->size - g->fileoff ? g->fileoff + g->filesize : slice->size;
		for (at = (g->fileoff + p - 1) / p * p; at + p <= end; at += p)
			if (rg_view_word(&v, at, h->ptrsize, &w) == 0 && w == va &&
			    moddata_match(&v, at, h, va, slice->size - off, out))
				return 1;
	}
	return 0;
}

/* ---- finding the table ------------------------------------------------ */

typedef struct where {
	uint64_t off, size;  /* in the slice; size 0: unknown (to the end) */
	char found_by[160];
	const char *size_source;
	/* The table's module data, when the scan looked for it (a Go 1.26
	 * candidate): 1 found (md), -1 none, 0 not looked for. Looking again
	 * would walk the writable segments a second time. */
	int md_state;
	moddata md;
} where;

static int by_section(const rg_binary *b, const rg_view *slice, where *wh)
{
	static const char *const names[] = {
		".gopclntab", ".data.rel.ro.gopclntab",
		"__TEXT,__gopclntab", "__DATA_CONST,__gopclntab", "__DATA,__gopclntab", NULL
	};
	const char *const *n;
	size_t i;

	for (n = names; *n; n++)
		for (i = 0; i < b->nsecs; i++) {
			const rg_section *s = &b->secs[i];
			if (strcmp(s->name, *n) || s->zerofill || !s->size ||
			    !rg_view_has(slice, s->fileoff, s->size))
				continue;
			wh->off = s->fileoff, wh->size = s->size;
			snprintf(wh->found_by, sizeof(wh->found_by), "section %s", s->name);
			wh->size_source = "section";
			return 1;
		}
	return 0;
}

static int by_symbols(const rg_binary *b, const rg_view *slice, where *wh)
{
	uint64_t start, end, off, eoff;

	if (!rg_binary_find_symbol_hint(b, "runtime.pclntab", &start) ||
	    rg_binary_vaddr_to_off(b, start, &off) != 0 || off >= slice->size)
		return 0;
	wh->off = off, wh->size = 0, wh->size_source = NULL;
	snprintf(wh->found_by, sizeof(wh->found_by), "symbols");
	/* epclntab may sit exactly at the end of its segment: map end - 1. */
	if (rg_binary_find_symbol_hint(b, "runtime.epclntab", &end) && end > start &&
	    rg_binary_vaddr_to_off(b, end - 1, &eoff) == 0 && eoff + 1 - off == end - start &&
	    rg_view_has(slice, off, end - start)) {
		wh->size = end - start;
		wh->size_source = "symbols";
	}
	return 1;
}

/* Is addr inside an executable segment? (1 when b has no segments.) */
static int in_text(const rg_binary *b, uint64_t addr)
{
	int s;

	if (!b->nsegs)
		return 1;
	s = rg_binary_segment_at(b, addr);
	return s >= 0 && (b->segs[s].perms & RG_PERM_X);
}

/*
 * Stripped binaries (PE and Mach-O without symbols, raw dumps): every
 * 4-byte aligned offset whose bytes look like a header is fully validated.
 * A binary may embed another Go binary as data; a table whose first
 * function lies in this binary's executable segment (Go 1.26: whose module
 * data this binary holds) wins over the first valid one.
 */
static int by_scan(const rg_binary *b, const rg_view *slice, uint64_t lo, uint64_t hi,
                   where *wh, int *ncand)
{
	uint64_t off, first = UINT64_MAX, md_off = UINT64_MAX;
	const uint8_t *d = slice->data;
	moddata md = { 0, 0, 0 };
	int md_found = 0;

	*ncand = 0;
	wh->md_state = 0;
	if (hi > slice->size)
		hi = slice->size;
	for (off = lo & ~(uint64_t)3; off + 16 <= hi; off += 4) {
		rg_view t;
		pcl_hdr h;
		const char *why;
		uint64_t pc = 0, fo;

		if (d[off + 1] != 0xff || d[off + 2] != 0xff || d[off + 4] || d[off + 5])
			continue;
		if (rg_view_sub(slice, off, slice->size - off, &t) != 0 ||
		    parse_header(&t, &h, &why) != 0 || check_entries(&t, &h, &why) != 0)
			continue;
		if (b->bits && h.ptrsize * 8 != b->bits)
			continue;
		(*ncand)++;
		if (first == UINT64_MAX)
			first = off;
		if (entry(&t, &h, 0, &pc, &fo) == 0 && h.ver < VER118 && in_text(b, pc)) {
			first = off;
			break;
		}
		if (h.ver >= VER118 && word(&t, 8 + 2 * (uint64_t)h.ptrsize, &h, &pc) == 0 &&
		    in_text(b, pc)) {
			first = off;
			break;
		}
		/* Go 1.26 has no textStart: this binary's module data names its
		 * own table, not one carried as data. The answer is kept for the
		 * candidate the scan returns. */
		if (h.ver == VER126) {
			md_found = find_moddata(b, slice, off, &h, &md);
			md_off = off;
			if (md_found) {
				first = off;
				break;
			}
		}
	}
	if (first == UINT64_MAX)
		return 0;
	if (md_off == first)
		wh->md_state = md_found ? 1 : -1, wh->md = md;
	wh->off = first, wh->size = 0, wh->size_source = NULL;
	snprintf(wh->found_by, sizeof(wh->found_by), "magic-scan");
	return 1;
}

/*
 * Where a scan is worth its cost. Scanning touches every page of the file,
 * which for a 40 MB non-Go library costs more than measuring it, so the
 * scan runs only where a Go table can hide: in PE, Go's linker always puts
 * the table inside .rdata; ELF and Mach-O Go binaries keep Go-named
 * sections (.go.buildinfo, .noptrdata, __go_buildinfo, .gosymtab …) even
 * when stripped with -s -w, and a file with no section table at all may be
 * anything. Returns 0 when no scan should run.
 */
static const char *const go_markers[] = {
	"gopclntab", "gosymtab", "go.buildinfo", "go_buildinfo", "go.buildid",
	"noptrdata", "noptrbss", "typelink", "itablink", NULL
};

static int scan_range(const rg_binary *b, const rg_view *slice, uint64_t *lo, uint64_t *hi)
{
	size_t i;

	*lo = 0, *hi = slice->size;
	if (!strcmp(b->format, "pe")) {
		for (i = 0; i < b->nsecs; i++)
			if (!strcmp(b->secs[i].name, ".rdata") && !b->secs[i].zerofill) {
				*lo = b->secs[i].fileoff;
				*hi = b->secs[i].fileoff + b->secs[i].size;
				return *lo < slice->size && *hi > *lo;
			}
		return 0;
	}
	if (b->nsecs == 0)
		return 1;
	for (i = 0; i < b->nsecs; i++) {
		const char *const *m;
		for (m = go_markers; *m; m++)
			if (strstr(b->secs[i].name, *m))
				return 1;
	}
	return 0;
}

/* ---- function symbols for attribution ------------------------------------ */

/*
 * A stripped Go binary still names its functions in the pclntab: each
 * becomes a symbol at its entry pc (extending to the next), so fixups
 * pointing at functions are attributed (docs/attribution.md). Stops at the
 * first entry outside the table, leaving the symbols read so far.
 */
static int func_symbols(rg_binary *b, const rg_view *t, const pcl_hdr *h, uint64_t table_off)
{
	uint64_t i, pc, fo, f, nameat;
	uint32_t nameoff;

	snprintf(b->attr->symsrc, sizeof(b->attr->symsrc), "pclntab");
	for (i = 0; i < h->nfunc; i++) {
		if (entry(t, h, i, &pc, &fo) != 0)
			break;
		f = h->funcbase + fo;
		if (!rg_view_has(t, f, h->fixed) || func_field(t, h, f, 1, &nameoff) != 0)
			break;
		nameat = h->funcname_off + nameoff;
		if (!str_len(t, nameat))
			continue;
		if (h->ver >= VER118)
			pc += h->text_start;
		if (rg_attr_add_sym_at(b, table_off + nameat, pc, 0, 1, 0) != RG_OK)
			return RG_ENOMEM;
	}
	return RG_OK;
}

/* ---- the measurement --------------------------------------------------- */

static int measure_table(rg_binary *b, const rg_view *slice, where *wh,
                         const rg_measure_opts *o)
{
	rg_view t;
	pcl_hdr h;
	walk w;
	moddata md;
	const char *why = NULL;
	uint64_t i;
	int rc = RG_OK, complete = 1, have_md = 0;

	memset(&w, 0, sizeof(w));
	if (rg_view_sub(slice, wh->off, wh->size ? wh->size : slice->size - wh->off, &t) != 0)
		return RG_OK;
	rc |= rg_binary_set_info(b, "pclntab.found_by", "%s", wh->found_by);
	rc |= rg_binary_set_info(b, "pclntab.offset", "%llu", (unsigned long long)wh->off);
	if (parse_header(&t, &h, &why) != 0 || check_entries(&t, &h, &why) != 0) {
		rc |= rg_binary_add_note(b, "pclntab (%s at offset %llu): %s; not measured",
		                         wh->found_by, (unsigned long long)wh->off, why);
		if (wh->size_source) {
			/* The container's size is still the table's size. */
			rc |= rg_binary_add_metric(b, "pclntab.bytes", (int64_t)wh->size);
			rc |= rg_binary_set_info(b, "pclntab.size_source", "%s", wh->size_source);
		}
		return rc ? RG_ENOMEM : RG_OK;
	}
	detect_old_nfuncdata(&t, &h);
	rc |= rg_binary_set_info(b, "pclntab.go_version", "%s", ver_name(h.ver));
	rc |= rg_binary_add_metric(b, "pclntab.funcs", (int64_t)h.nfunc);
	rc |= rg_binary_add_metric(b, "pclntab.files", (int64_t)h.nfiles);

	/* A symbol table with fewer names than the pclntab has functions is
	 * what `-ldflags=-s` left: the function table names more. */
	if (b->attr && b->attr->nsyms_loaded < h.nfunc) {
		rg_attr_clear_syms(b);
		if (func_symbols(b, &t, &h, wh->off) != RG_OK)
			return RG_ENOMEM;
	}
	w.t = &t, w.h = &h;
	w.want_pkgs = o && o->packages;
	/* Without a section or symbols the module data bounds the table; Go
	 * 1.26's also says where its funcdata lies, for the breakdown. */
	if (wh->md_state)
		have_md = wh->md_state > 0, md = wh->md;
	else if (!wh->size_source || (w.want_pkgs && h.ver == VER126))
		have_md = find_moddata(b, slice, wh->off, &h, &md);
	/*
	 * Decoding every pc table doubles the cost of reading the table (see
	 * docs/format-pclntab.md), so the breakdown is made on request. Go
	 * 1.2-1.15 tables interleave names and pc tables with the records, so
	 * their size derived from the records needs the full walk too.
	 */
	w.full = w.want_pkgs || (h.ver == VER12 && !wh->size_source && !have_md);
	w.budget = 4 * (uint64_t)t.size + (1u << 20);
	w.seen = calloc(t.size / 8 + 1, 1);
	if (!w.seen)
		return RG_ENOMEM;
	if (w.want_pkgs && have_md && md.gofunc && md.findfunc <= t.size) {
		w.gofunc = md.gofunc, w.gofunc_end = md.findfunc;
		collect_funcdata(&w);
	} else if (w.want_pkgs && h.ver == VER126) {
		rc |= rg_binary_add_note(b, "pclntab: no module data names this Go 1.26 table's "
		                         "funcdata; its bytes are not attributed to packages");
	}
	note_end(&w, h.functab_off + (2 * h.nfunc + 1) * (uint64_t)h.field);
	if (h.ver == VER12)
		note_end(&w, h.functab_off + (2 * h.nfunc + 1) * (uint64_t)h.field + 4);
	for (i = 0; i < h.nfunc; i++)
		if (walk_func(&w, i) != 0) {
			rc |= rg_binary_add_note(b, "pclntab: function %llu of %llu lies outside the "
			                         "table; per-package breakdown incomplete",
			                         (unsigned long long)i, (unsigned long long)h.nfunc);
			complete = 0;
			break;
		}
	walk_files(&w);
	if (w.budget_hit) {
		rc |= rg_binary_add_note(b, "pclntab: pc tables overlap beyond reason; "
		                         "per-package bytes are approximate");
		complete = 0;
	}
	if (wh->size_source) {
		rc |= rg_binary_add_metric(b, "pclntab.bytes", (int64_t)wh->size);
		rc |= rg_binary_set_info(b, "pclntab.size_source", "%s", wh->size_source);
	} else if (have_md) {
		rc |= rg_binary_add_metric(b, "pclntab.bytes", (int64_t)md.end);
		rc |= rg_binary_set_info(b, "pclntab.size_source", "derived");
		rc |= rg_binary_set_info(b, "pclntab.derived_from", "moduledata");
	} else if (h.ver == VER126) {
		/* The records end well before the funcdata and findfunctab. */
		rc |= rg_binary_add_note(b, "pclntab: no module data names the end of this Go "
		                         "1.26 table; pclntab.bytes not reported");
	} else if (complete) {
		/* The linker pads runtime.functab (Go 1.16+) to pointer alignment. */
		if (h.ver != VER12)
			w.maxend = (w.maxend + (uint64_t)h.ptrsize - 1) / (uint64_t)h.ptrsize *
			           (uint64_t)h.ptrsize;
		if (w.maxend > t.size)
			w.maxend = t.size;
		rc |= rg_binary_add_metric(b, "pclntab.bytes", (int64_t)w.maxend);
		rc |= rg_binary_set_info(b, "pclntab.size_source", "derived");
		rc |= rg_binary_set_info(b, "pclntab.derived_from", "records");
	} else {
		rc |= rg_binary_add_note(b, "pclntab: end of the table unknown; "
		                         "pclntab.bytes not reported");
	}
	if (w.oom)
		rc |= RG_ENOMEM;
	else
		rc |= emit_pkgs(b, &w);
	for (i = 0; i < w.pkgcap; i++)
		free(w.pkgs[i].name);
	free(w.pkgs);
	free(w.seen);
	free(w.fd);
	return rc ? RG_ENOMEM : RG_OK;
}

int rg_pclntab_measure(rg_binary *b, const rg_view *slice, const rg_measure_opts *o)
{
	where wh;
	int ncand = 0;

	uint64_t lo, hi;

	memset(&wh, 0, sizeof(wh));
	if (!by_section(b, slice, &wh) && !by_symbols(b, slice, &wh) &&
	    (!scan_range(b, slice, &lo, &hi) || !by_scan(b, slice, lo, hi, &wh, &ncand)))
		return RG_OK;
	if (ncand > 1 &&
	    rg_binary_add_note(b, "pclntab: %d candidate tables found by scan; using the one "
	                       "at offset %llu", ncand, (unsigned long long)wh.off) != RG_OK)
		return RG_ENOMEM;
	return measure_table(b, slice, &wh, o);
}

/* ---- package paths ---------------------------------------------------- */

/* Characters of an import path as they appear in symbol names. */
static int path_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.' || c == '~' || c == '/' || c == '%' || c == '+';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The package of a plain symbol name: up to the first '.' after the last
 * '/' (debug/gosym's Sym.PackageName rule; the linker escapes dots in the
 * last path element as %2e). 0 when there is none or it is no import path.
 */
static int plain_pkg(const char *s, char *out, size_t outlen)
{
	const char *slash = strrchr(s, '/'), *dot, *p, *v;
	size_t n = 0;

	dot = strchr(slash ? slash : s, '.');
	if (!dot || dot == s)
		return 0;
	for (p = s; p < dot; p++)
		if (!path_char(*p))
			return 0;
	/* Vendored copies are reported under their own import path. */
	for (v = s, p = s; p + 7 <= dot; p++)
		if (!strncmp(p, "vendor/", 7) && (p == s || p[-1] == '/'))
			v = p + 7;
	for (p = v; p < dot && n + 1 < outlen; p++) {
		int hi, lo;
		if (*p == '%' && p + 2 < dot && (hi = hexval(p[1])) >= 0 && (lo = hexval(p[2])) >= 0) {
			out[n++] = (char)(hi * 16 + lo);
			p += 2;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = 0;
	return n > 0;
}

/* "go.uber.org/zap.New" is a package, "go.(*struct {...}).Lock" and
 * "type..eq.internal/cpu.option" are not: a real path's first element is a
 * domain (no empty label) followed by '/'. */
static int domain_path(const char *s)
{
	const char *p;

	for (p = s; *p && *p != '/'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '-') ||
		    (*p == '.' && p[1] == '.'))
			return 0;
	return *p == '/' && p > s && s[0] != '.';
}

void rg_pclntab_pkg_of(const char *name, int ver, char *out, size_t outlen)
{
	char buf[512];
	const char *open = strchr(name, '['), *close = strrchr(name, ']'), *rest;
	size_t n;
	int colon = ver >= VER120;

	if (!outlen)
		return;
	/* Drop generic instantiations "[...]": they name other packages. */
	if (open && close && close > open) {
		n = (size_t)(open - name);
		if (n > sizeof(buf) - 1)
			n = sizeof(buf) - 1;
		memcpy(buf, name, n);
		snprintf(buf + n, sizeof(buf) - n, "%s", close + 1);
	} else {
		snprintf(buf, sizeof(buf), "%s", name);
	}
	if (!strncmp(buf, colon ? "type:" : "type.", 5) && !(!colon && domain_path(buf))) {
		/* type..eq.net/http.Header / type:.eq.[2]string */
		rest = buf + 5;
		if (*rest == '.')
			rest++;
		if (!strncmp(rest, "eq.", 3) || !strncmp(rest, "hash.", 5))
			rest = strchr(rest, '.') + 1;
		if (*rest == '*')
			rest++;
		if (plain_pkg(rest, out, outlen))
			return;
		snprintf(out, outlen, "type:");
		return;
	}
	if (!strncmp(buf, colon ? "go:" : "go.", 3) && !(!colon && domain_path(buf))) {
		snprintf(out, outlen, "go:");
		return;
	}
	if (!plain_pkg(buf, out, outlen))
		snprintf(out, outlen, "(none)");
}
