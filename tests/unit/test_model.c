/*
 * test_model.c - the measurement model and catalog on hand-built layouts.
 * Every expectation is derived by hand in the comment beside it.
 */
#include "unit.h"
#include "../../parsers/model.h"

#include <stdlib.h>

static rg_segment seg(const char *name, rg_role role, uint64_t addr, uint64_t size,
                      uint64_t filesize)
{
	rg_segment s;
	memset(&s, 0, sizeof(s));
	snprintf(s.name, sizeof(s.name), "%s", name);
	s.role = role;
	s.vmaddr = addr;
	s.vmsize = size;
	s.filesize = filesize;
	s.perms = RG_PERM_R;
	return s;
}

static int64_t M(rg_binary *b, const char *name)
{
	int64_t v = -1;
	if (!rg_metric_lookup(b, name, &v))
		return -999;
	return v;
}

/* An ELF-like layout: text, and a rw segment whose first 0x2000 bytes are
 * GNU_RELRO, the rest data + bss. */
static rg_binary *elf_like(uint64_t page_size)
{
	rg_binary *b = rg_binary_new("x", page_size);
	rg_segment s;
	rg_err err = { 0 };
	int rw, relro;

	b->has_fixups = 1;
	b->slice_size = 100000;
	s = seg("r-x", RG_ROLE_TEXT, 0x1000, 0x3000, 0x3000);
	rg_binary_add_segment(b, &s);
	s = seg("rw-", RG_ROLE_DATA, 0x10000, 0x5000, 0x3000);
	rw = rg_binary_add_segment(b, &s);
	s = seg("GNU_RELRO", RG_ROLE_RELRO, 0x10000, 0x2000, 0x2000);
	s.overlay = 1;
	relro = rg_binary_add_segment(b, &s);
	rg_binary_add_region(b, rw, relro, RG_ROLE_RELRO, 0x10000, 0x12000, 0x2000);
	rg_binary_add_region(b, rw, -1, RG_ROLE_DATA, 0x12000, 0x15000, 0x1000);
	if (rg_binary_seal(b, &err) != RG_OK) {
		rg_binary_free(b);
		return NULL;
	}
	return b;
}

static void test_elf_like(void)
{
	rg_binary *b = elf_like(0);

	CHECK("layout sealed", b != NULL);
	if (!b)
		return;
	CHECK("segments added", b->nsegs == 3 && !strcmp(b->segs[2].name, "GNU_RELRO"));
	/* relro: pages 0x10 (two fixups) and 0x11 -> 2 pages, 3 fixups */
	rg_fixup(b, 0x10008, RG_FIX_RELATIVE, 0);
	rg_fixup(b, 0x10ff8, RG_FIX_RELATIVE, 0);
	rg_fixup(b, 0x11000, RG_FIX_SYMBOLIC, 0);
	/* data: page 0x12 and page 0x14 (bss part) -> 2 pages, lazy one */
	rg_fixup(b, 0x12010, RG_FIX_SYMBOLIC, 1);
	rg_fixup(b, 0x14000, RG_FIX_RELATIVE, 0);
	/* text relocation: page 0x2 */
	rg_fixup(b, 0x2004, RG_FIX_RELATIVE, 0);
	/* outside every segment: counted, no page */
	rg_fixup(b, 0x900000, RG_FIX_RELATIVE, 0);
	CHECK_EQ("catalog", RG_OK, rg_catalog_compute(b));

	CHECK_EQ("file.size", 100000, M(b, "file.size"));
	CHECK_EQ("vm.size excludes the overlay", 0x8000, M(b, "vm.size"));
	CHECK_EQ("vm.text", 0x3000, M(b, "vm.text"));
	CHECK_EQ("vm.relro", 0x2000, M(b, "vm.relro"));
	CHECK_EQ("vm.data is the file-backed part", 0x1000, M(b, "vm.data"));
	CHECK_EQ("vm.bss is the zero-fill tail", 0x2000, M(b, "vm.bss"));
	CHECK_EQ("relocs.total", 7, M(b, "relocs.total"));
	CHECK_EQ("relocs.relative", 5, M(b, "relocs.relative"));
	CHECK_EQ("relocs.symbolic", 2, M(b, "relocs.symbolic"));
	CHECK_EQ("relocs.lazy", 1, M(b, "relocs.lazy"));
	CHECK_EQ("relocs.text", 1, M(b, "relocs.text"));
	CHECK_EQ("relocs.relro", 3, M(b, "relocs.relro"));
	CHECK_EQ("relocs.data", 2, M(b, "relocs.data"));
	CHECK_EQ("relocs.outside", 1, M(b, "relocs.outside"));
	CHECK_EQ("dirty.pages", 5, M(b, "dirty.pages"));
	CHECK_EQ("dirty.bytes", 5 * 4096, M(b, "dirty.bytes"));
	CHECK_EQ("dirty.relro.pages", 2, M(b, "dirty.relro.pages"));
	CHECK_EQ("dirty.data.pages", 2, M(b, "dirty.data.pages"));
	CHECK_EQ("segment[rw-].relocs", 5, M(b, "segment[rw-].relocs"));
	CHECK_EQ("segment[rw-].dirty_pages", 4, M(b, "segment[rw-].dirty_pages"));
	CHECK_EQ("segment[GNU_RELRO].relocs", 3, M(b, "segment[GNU_RELRO].relocs"));
	CHECK_EQ("segment[GNU_RELRO].dirty_pages", 2, M(b, "segment[GNU_RELRO].dirty_pages"));
	CHECK_EQ("segment[r-x].dirty_bytes", 4096, M(b, "segment[r-x].dirty_bytes"));
	rg_binary_free(b);
}

/* Two segments sharing one 16 KiB page: a page dirtied from both sides is
 * counted once overall, once in each segment. */
static void test_shared_page(void)
{
	rg_binary *b = rg_binary_new("x", 16384);
	rg_segment s;
	rg_err err = { 0 };

	b->has_fixups = 1;
	rg_binary_set_page_size(b, 4096); /* forced 16 KiB wins */
	s = seg("A", RG_ROLE_RELRO, 0x4000, 0x2000, 0x2000);
	rg_binary_add_segment(b, &s);
	s = seg("B", RG_ROLE_DATA, 0x6000, 0x6000, 0x6000);
	rg_binary_add_segment(b, &s);
	CHECK_EQ("seal 16k", RG_OK, rg_binary_seal(b, &err));
	CHECK_EQ("forced page size kept", 16384, b->page_size);
	rg_fixup(b, 0x4000, RG_FIX_RELATIVE, 0); /* page 1 (A) */
	rg_fixup(b, 0x7000, RG_FIX_RELATIVE, 0); /* page 1 (B) */
	rg_fixup(b, 0x8000, RG_FIX_RELATIVE, 0); /* page 2 (B) */
	rg_catalog_compute(b);
	CHECK_EQ("shared page counted once", 2, M(b, "dirty.pages"));
	CHECK_EQ("segment A pages", 1, M(b, "segment[A].dirty_pages"));
	CHECK_EQ("segment B pages", 2, M(b, "segment[B].dirty_pages"));
	CHECK_EQ("dirty.bytes at 16k", 2 * 16384, M(b, "dirty.bytes"));
	rg_binary_free(b);
}

/*
 * Sections inside one 4 KiB-page segment [0x10000, 0x14000):
 *   .a  [0x10000, 0x10800)   .b [0x10800, 0x11000)   gap [0x11000, 0x11100)
 *   .c  [0x11100, 0x12000) and a second .c [0x12000, 0x12100)
 *   .nomap at 0x13000 (not mapped: never holds a fixup)
 * Fixups: 0x10008, 0x10010 (.a, page 0x10); 0x10900 (.b, page 0x10, shared
 * with .a); 0x11010 (gap: segment only); 0x11f00 (.c, page 0x11);
 * 0x12008 (second .c, page 0x12); 0x13000 (in .nomap's range: no section).
 * So .a 2 fixups/1 page, .b 1/1 (the shared page counts for both),
 * .c 2/2 (same-named sections pool), segment 7 fixups on 4 pages.
 * The fixups go in reverse order too, through rg_fixup_n and rg_fixup_run,
 * and give the same counts.
 */
static void test_sections(void)
{
	int pass;

	for (pass = 0; pass < 3; pass++) {
		rg_binary *b = rg_binary_new("x", 0);
		rg_segment s = seg("D", RG_ROLE_DATA, 0x10000, 0x4000, 0x4000);
		rg_err err = { 0 };

		b->has_fixups = 1;
		rg_binary_add_segment(b, &s);
		rg_binary_add_section(b, ".c", 0x11100, 0xf00, 0, 0);
		rg_binary_add_section(b, ".a", 0x10000, 0x800, 0, 0);
		rg_binary_add_section(b, ".b", 0x10800, 0x800, 0, 0);
		rg_binary_add_section(b, ".c", 0x12000, 0x100, 0, 0);
		rg_binary_add_section(b, ".nomap", 0x13000, 0x100, 0, 0);
		b->secs[b->nsecs - 1].unmapped = 1;
		CHECK_EQ("seal with sections", RG_OK, rg_binary_seal(b, &err));
		if (pass == 0) {
			rg_fixup(b, 0x10008, RG_FIX_RELATIVE, 0);
			rg_fixup(b, 0x10010, RG_FIX_RELATIVE, 0);
			rg_fixup(b, 0x10900, RG_FIX_SYMBOLIC, 0);
			rg_fixup(b, 0x11010, RG_FIX_RELATIVE, 0);
			rg_fixup(b, 0x11f00, RG_FIX_RELATIVE, 0);
			rg_fixup(b, 0x12008, RG_FIX_RELATIVE, 0);
			rg_fixup(b, 0x13000, RG_FIX_RELATIVE, 0);
		} else if (pass == 1) {
			rg_fixup(b, 0x13000, RG_FIX_RELATIVE, 0);
			rg_fixup(b, 0x12008, RG_FIX_RELATIVE, 0);
			rg_fixup(b, 0x11f00, RG_FIX_RELATIVE, 0);
			rg_fixup(b, 0x11010, RG_FIX_RELATIVE, 0);
			rg_fixup(b, 0x10900, RG_FIX_SYMBOLIC, 0);
			rg_fixup(b, 0x10010, RG_FIX_RELATIVE, 0);
			rg_fixup(b, 0x10008, RG_FIX_RELATIVE, 0);
		} else {
			rg_fixup_n(b, 0x10008, RG_FIX_RELATIVE, 0, 2);
			rg_fixup(b, 0x10900, RG_FIX_SYMBOLIC, 0);
			rg_fixup_run(b, 0x11010, 0xef0, 2, RG_FIX_RELATIVE, 0); /* 0x11010, 0x11f00 */
			rg_fixup_run(b, 0x12008, 0xff8, 2, RG_FIX_RELATIVE, 0); /* 0x12008, 0x13000 */
		}
		CHECK_EQ("catalog", RG_OK, rg_catalog_compute(b));
		CHECK_EQ("section .a relocs", 2, M(b, "section[.a].relocs"));
		CHECK_EQ("section .a pages", 1, M(b, "section[.a].dirty_pages"));
		CHECK_EQ("section .b relocs", 1, M(b, "section[.b].relocs"));
		CHECK_EQ("section .b pages (shared page counts)", 1, M(b, "section[.b].dirty_pages"));
		CHECK_EQ("section .c relocs pooled", 2, M(b, "section[.c].relocs"));
		CHECK_EQ("section .c pages pooled", 2, M(b, "section[.c].dirty_pages"));
		CHECK_EQ("section .c bytes", 2 * 4096, M(b, "section[.c].dirty_bytes"));
		CHECK_EQ("unmapped section absent", -999, M(b, "section[.nomap].relocs"));
		CHECK_EQ("segment relocs", 7, M(b, "segment[D].relocs"));
		CHECK_EQ("segment pages", 4, M(b, "segment[D].dirty_pages"));
		CHECK_EQ("dirty.pages unchanged by splitting", 4, M(b, "dirty.pages"));
		CHECK_EQ("vm.data unchanged by splitting", 0x4000, M(b, "vm.data"));
		rg_binary_free(b);
	}
}

/* Without dynamic information no relocs.* or dirty.* metric exists. */
static void test_absent(void)
{
	rg_binary *b = rg_binary_new("x", 0);
	rg_err err = { 0 };

	rg_binary_add_section(b, ".text", 0, 10, 0, 0);
	rg_binary_add_section(b, ".text", 0, 5, 0, 0);
	rg_binary_seal(b, &err);
	rg_catalog_compute(b);
	CHECK_EQ("relocs.total absent", -999, M(b, "relocs.total"));
	CHECK_EQ("dirty.pages absent", -999, M(b, "dirty.pages"));
	CHECK_EQ("repeated section names add up", 15, M(b, "section[.text].size"));
	rg_binary_free(b);
}

/* A hostile segment spanning most of the address space costs one chunk. */
static void test_huge_segment(void)
{
	rg_binary *b = rg_binary_new("x", 0);
	rg_segment s = seg("big", RG_ROLE_DATA, 0, 1ULL << 45, 0);
	rg_err err = { 0 };

	b->has_fixups = 1;
	rg_binary_add_segment(b, &s);
	CHECK_EQ("seal 32 TiB segment", RG_OK, rg_binary_seal(b, &err));
	rg_fixup(b, (1ULL << 45) - 8, RG_FIX_RELATIVE, 0);
	rg_fixup(b, 8, RG_FIX_RELATIVE, 0);
	rg_catalog_compute(b);
	CHECK_EQ("two far pages", 2, M(b, "dirty.pages"));
	rg_binary_free(b);

	b = rg_binary_new("x", 0);
	s = seg("absurd", RG_ROLE_DATA, 0, UINT64_MAX - 1, 0);
	rg_binary_add_segment(b, &s);
	CHECK("absurd segment rejected", rg_binary_seal(b, &err) == RG_EINPUT && err.msg[0]);
	rg_binary_free(b);
}

/* Fixups 128 MiB apart over 32 TiB would need 2^18 chunks (1 GiB of
 * bitmaps): the model stops at RG_MAX_BITMAP_BYTES and says so. */
static void test_scattered(void)
{
	rg_binary *b = rg_binary_new("x", 0);
	rg_segment s = seg("big", RG_ROLE_DATA, 0, 1ULL << 45, 0);
	rg_err err = { 0 };
	uint64_t a;

	b->has_fixups = 1;
	rg_binary_add_segment(b, &s);
	rg_binary_seal(b, &err);
	for (a = 0; a < (1ULL << 45); a += 1ULL << 27)
		rg_fixup(b, a, RG_FIX_RELATIVE, 0);
	CHECK("scattered fixups flagged", b->too_sparse == 1);
	CHECK("bitmap memory capped", b->bitmap_bytes <= RG_MAX_BITMAP_BYTES);
	CHECK_EQ("every fixup still counted", 1 << 18, b->n_total);
	rg_binary_free(b);
}

/*
 * File offsets to addresses: a __PAGEZERO-like unmapped segment and an
 * overlay (listed first, so a wrong walk would pick them) both claim file
 * offset 0 / 0x3000; the data segment has 0x1000 file bytes of 0x5000;
 * the last segment has more file bytes (0x1000) than it maps (0x100).
 */
static void test_off_to_vaddr(void)
{
	rg_binary *b = rg_binary_new("x", 0);
	rg_segment s;
	uint64_t a = 0, o = 0;

	s = seg("__PAGEZERO", RG_ROLE_NONE, 0, 0x1000, 0x1000);
	s.unmapped = 1;
	rg_binary_add_segment(b, &s);
	s = seg("GNU_RELRO", RG_ROLE_RELRO, 0x700000, 0x800, 0x800);
	s.fileoff = 0x3000, s.overlay = 1;
	rg_binary_add_segment(b, &s);
	s = seg("text", RG_ROLE_TEXT, 0x400000, 0x3000, 0x3000);
	rg_binary_add_segment(b, &s);
	s = seg("data", RG_ROLE_DATA, 0x604000, 0x5000, 0x1000);
	s.fileoff = 0x3000;
	rg_binary_add_segment(b, &s);
	s = seg("short", RG_ROLE_DATA, 0x900000, 0x100, 0x1000);
	s.fileoff = 0x5000;
	rg_binary_add_segment(b, &s);

	CHECK("offset 0 is text, not the unmapped segment",
	      rg_binary_off_to_vaddr(b, 0, &a) == 0 && a == 0x400000);
	CHECK("last text byte", rg_binary_off_to_vaddr(b, 0x2fff, &a) == 0 && a == 0x402fff);
	CHECK("offset 0x3000 is data, not the overlay",
	      rg_binary_off_to_vaddr(b, 0x3000, &a) == 0 && a == 0x604000);
	CHECK("last data file byte", rg_binary_off_to_vaddr(b, 0x3fff, &a) == 0 && a == 0x604fff);
	CHECK("past data's file bytes: unmapped", rg_binary_off_to_vaddr(b, 0x4000, &a) == -1);
	CHECK("inside a short mapping", rg_binary_off_to_vaddr(b, 0x50ff, &a) == 0 && a == 0x9000ff);
	CHECK("file bytes past the mapping: unmapped", rg_binary_off_to_vaddr(b, 0x5100, &a) == -1);
	CHECK("past every segment", rg_binary_off_to_vaddr(b, UINT64_MAX, &a) == -1);
	CHECK("round trip through rg_binary_vaddr_to_off",
	      rg_binary_vaddr_to_off(b, 0x604123, &o) == 0 && o == 0x3123 &&
	      rg_binary_off_to_vaddr(b, o, &a) == 0 && a == 0x604123);
	rg_binary_free(b);
}

static void test_names(void)
{
	CHECK("fixed name", rg_metric_name_valid("dirty.relro.bytes"));
	CHECK("segment form", rg_metric_name_valid("segment[__DATA_CONST].vmsize"));
	CHECK("section form", rg_metric_name_valid("section[__TEXT,__text].size"));
	CHECK("unknown field", !rg_metric_name_valid("segment[x].size"));
	CHECK("empty bracket", !rg_metric_name_valid("section[].size"));
	CHECK("section relocs", rg_metric_name_valid("section[__DATA_CONST,__gopclntab].relocs"));
	CHECK("section dirty pages", rg_metric_name_valid("section[.got].dirty_pages"));
	CHECK("typo", !rg_metric_name_valid("relocs.totl"));
}

/* rg_fixup_run against a hand count: 0x10ff0, 0x10ff8 (relro page 0x10),
 * 0x11000, 0x11008 (page 0x11), then 0x11ff8 + 8 = 0x12000 and 0x12008
 * fall in data (page 0x12): 6 fixups, 4 relro + 2 data, 3 pages. */
static void test_fixup_run_hand(void)
{
	rg_binary *b = elf_like(0);

	rg_fixup_run(b, 0x10ff0, 8, 4, RG_FIX_RELATIVE, 0);
	rg_fixup_run(b, 0x11ff8 + 8, 8, 2, RG_FIX_SYMBOLIC, 1);
	CHECK_EQ("run: catalog", RG_OK, rg_catalog_compute(b));
	CHECK_EQ("run: relocs.total", 6, M(b, "relocs.total"));
	CHECK_EQ("run: relocs.relro", 4, M(b, "relocs.relro"));
	CHECK_EQ("run: relocs.data", 2, M(b, "relocs.data"));
	CHECK_EQ("run: relocs.lazy", 2, M(b, "relocs.lazy"));
	CHECK_EQ("run: dirty.relro.pages", 2, M(b, "dirty.relro.pages"));
	CHECK_EQ("run: dirty.data.pages", 1, M(b, "dirty.data.pages"));
	rg_binary_free(b);
}

/* rg_fixup_run (and rg_fixup_n) must equal a loop of rg_fixup on any run: runs that start
 * before a segment, cross region and segment ends, leave every segment,
 * wrap past 2^64, with strides below, equal to and above the page size. */
static void test_fixup_run_random(void)
{
	static const uint64_t strides[] = { 1, 4, 8, 24, 0x200, 0x800, 0x1000, 0x1800, 0x3008 };
	static const uint64_t pages[] = { 512, 4096, 16384 };
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	int trial, bad = 0;
	size_t i;

	for (trial = 0; trial < 300; trial++) {
		rg_binary *a = elf_like(pages[trial % 3]), *b = elf_like(pages[trial % 3]);
		int k;

		for (k = 0; k < 40; k++) {
			uint64_t addr, stride, count, j;
			rg_fixup_kind kind;
			int lazy;

			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			addr = (seed >> 33) % 0x17000;
			if ((seed >> 20) % 50 == 0)
				addr = UINT64_MAX - 0x40; /* wraps to 0 and on */
			stride = strides[(seed >> 13) % (sizeof(strides) / sizeof(strides[0]))];
			count = 1 + (seed >> 40) % 700;
			kind = (seed >> 8) & 1 ? RG_FIX_SYMBOLIC : RG_FIX_RELATIVE;
			lazy = (int)((seed >> 9) & 1);
			if (k % 5 == 4) {
				/* rg_fixup_n: count fixups at one address */
				rg_fixup_n(a, addr, kind, lazy, count);
				for (j = 0; j < count; j++)
					rg_fixup(b, addr, kind, lazy);
				continue;
			}
			rg_fixup_run(a, addr, stride, count, kind, lazy);
			for (j = 0; j < count; j++)
				rg_fixup(b, addr + j * stride, kind, lazy);
		}
		rg_catalog_compute(a);
		rg_catalog_compute(b);
		if (a->nmetrics != b->nmetrics)
			bad++;
		for (i = 0; i < a->nmetrics && i < b->nmetrics; i++)
			if (strcmp(a->metrics[i].name, b->metrics[i].name) ||
			    a->metrics[i].value != b->metrics[i].value) {
				if (!bad)
					printf("# trial %d: %s = %lld, one by one %lld\n", trial,
					       a->metrics[i].name, (long long)a->metrics[i].value,
					       (long long)b->metrics[i].value);
				bad++;
				break;
			}
		rg_binary_free(a);
		rg_binary_free(b);
	}
	CHECK_EQ("run: 300 random layouts of runs equal fixup by fixup", 0, bad);
}

/* rg_grow doubles, and says RG_ENOMEM (asking for nothing) where the
 * doubled size would not fit in a size_t. */
static void test_grow(void)
{
	void *p = NULL;
	size_t cap = 0;

	CHECK_EQ("grow: from empty", RG_OK, rg_grow(&p, &cap, 0, 4));
	CHECK("grow: room for 8", p != NULL && cap == 8);
	CHECK_EQ("grow: room left", RG_OK, rg_grow(&p, &cap, 7, 4));
	CHECK("grow: unchanged while it fits", cap == 8);
	CHECK_EQ("grow: full", RG_OK, rg_grow(&p, &cap, 8, 4));
	CHECK("grow: doubled", p != NULL && cap == 16);
	free(p);
	p = NULL;
	cap = SIZE_MAX / 16 + 1;
	CHECK_EQ("grow: bytes past SIZE_MAX", RG_ENOMEM, rg_grow(&p, &cap, cap, 8));
	cap = SIZE_MAX / 2 + 1;
	CHECK_EQ("grow: count past SIZE_MAX", RG_ENOMEM, rg_grow(&p, &cap, cap, 1));
	CHECK("grow: nothing allocated on failure", p == NULL && cap == SIZE_MAX / 2 + 1);
}

int main(void)
{
	test_elf_like();
	test_shared_page();
	test_sections();
	test_absent();
	test_huge_segment();
	test_scattered();
	test_off_to_vaddr();
	test_names();
	test_fixup_run_hand();
	test_fixup_run_random();
	test_grow();
	UNIT_DONE();
}
