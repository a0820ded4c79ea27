/*
 * test_pe.c - the PE parser on a hand-built PE32+ image whose every
 * expected number is derived by hand below. It covers what no toolchain at
 * hand produces on demand: HIGHADJ (which takes an extra slot), a block
 * whose SizeOfBlock is not a multiple of 4 followed by an unaligned block,
 * a zero terminator block before the directory's declared end, a fixup
 * outside every section, an import descriptor without a lookup table (the
 * IAT is walked), a delay-load descriptor, an uninitialized .bss section, "/N" and "//BASE64" long section names, a
 * repeated section name, and runtime.pclntab symbols after an aux record.
 * (Written to a file, the image reads back in llvm-readobj-19 with the same
 * sections, long names, symbols, 3 imports and 3 delay imports; it lists
 * HIGHADJ's parameter slot as an entry of its own, "HIGH 0x3234".)
 *
 * Layout (ImageBase 0x140000000, file alignment 0x200):
 *   headers  SizeOfHeaders 0x400
 *   .text    VA 0x1000 vsize 0x10   raw 0x200 @0x400  r-x
 *   .rdata   VA 0x2000 vsize 0x300  raw 0x400 @0x600  r--  imports, names
 *   .data    VA 0x3000 vsize 0x2100 raw 0x200 @0xa00  rw-  IATs
 *   .bss     VA 0x6000 vsize 0x1000 raw 0            rw-  uninitialized
 *   .reloc   VA 0x7000 vsize 58     raw 0x200 @0xc00  r--
 *   "/4"     VA 0x8000 vsize 0x20   raw 0x200 @0xe00  r--  .long_section_name
 *   "//AAAAA4" VA 0x9000 vsize 0x20 raw 0x200 @0x1000 r--  .base64_named
 *   .data    VA 0xb000 vsize 0x10   raw 0            rw-  (segment ".data#2")
 *   symbols @0x1200 (4 records), string table @0x1248
 */
#include "unit.h"
#include "../../parsers/model.h"

#include <stdlib.h>

#define BASE 0x140000000ULL
#define FILESIZE 0x1300

static uint8_t img[FILESIZE];

static void p16(size_t o, uint16_t v) { img[o] = (uint8_t)v; img[o + 1] = (uint8_t)(v >> 8); }
static void p32(size_t o, uint32_t v) { p16(o, (uint16_t)v); p16(o + 2, (uint16_t)(v >> 16)); }
static void p64(size_t o, uint64_t v) { p32(o, (uint32_t)v); p32(o + 4, (uint32_t)(v >> 32)); }

static void section(int i, const char *name, uint32_t vsize, uint32_t va, uint32_t raw,
                    uint32_t rawptr, uint32_t chars)
{
	size_t o = 0x148 + 40 * (size_t)i;
	memcpy(img + o, name, strlen(name) < 8 ? strlen(name) : 8);
	p32(o + 8, vsize);
	p32(o + 12, va);
	p32(o + 16, raw);
	p32(o + 20, rawptr);
	p32(o + 36, chars);
}

/* RVA -> file offset for the file-backed sections used below. */
static size_t off(uint32_t rva)
{
	if (rva >= 0x2000 && rva < 0x2400) return 0x600 + (rva - 0x2000);
	if (rva >= 0x3000 && rva < 0x3200) return 0xa00 + (rva - 0x3000);
	if (rva >= 0x7000 && rva < 0x7200) return 0xc00 + (rva - 0x7000);
	abort();
}

static void build(void)
{
	size_t o, st;

	memset(img, 0, sizeof(img));
	img[0] = 'M'; img[1] = 'Z';
	p32(0x3c, 0x40);
	memcpy(img + 0x40, "PE\0\0", 4);
	p16(0x44, 0x8664);          /* Machine: x86-64 */
	p16(0x46, 8);               /* NumberOfSections */
	p32(0x4c, 0x1200);          /* PointerToSymbolTable */
	p32(0x50, 4);               /* NumberOfSymbols */
	p16(0x54, 240);             /* SizeOfOptionalHeader */
	p16(0x56, 0x22);
	o = 0x58;                   /* optional header, PE32+ */
	p16(o, 0x20b);
	p64(o + 24, BASE);
	p32(o + 32, 0x1000);
	p32(o + 36, 0x200);
	p32(o + 56, 0xc000);        /* SizeOfImage */
	p32(o + 60, 0x400);         /* SizeOfHeaders */
	p16(o + 68, 3);
	p16(o + 70, 0x40);          /* DYNAMIC_BASE */
	p32(o + 108, 16);
	p32(o + 112 + 8 * 1, 0x2100); p32(o + 112 + 8 * 1 + 4, 0x3c);   /* imports */
	p32(o + 112 + 8 * 5, 0x7000); p32(o + 112 + 8 * 5 + 4, 58);     /* base relocs */
	p32(o + 112 + 8 * 13, 0x2200); p32(o + 112 + 8 * 13 + 4, 0x40); /* delay imports */

	section(0, ".text", 0x10, 0x1000, 0x200, 0x400, 0x60000020);
	section(1, ".rdata", 0x300, 0x2000, 0x400, 0x600, 0x40000040);
	section(2, ".data", 0x2100, 0x3000, 0x200, 0xa00, 0xc0000040);
	section(3, ".bss", 0x1000, 0x6000, 0, 0, 0xc0000080);
	section(4, ".reloc", 58, 0x7000, 0x200, 0xc00, 0x42000040);
	section(5, "/4", 0x20, 0x8000, 0x200, 0xe00, 0x40000040);
	section(6, "//AAAAA4", 0x20, 0x9000, 0x200, 0x1000, 0x40000040);
	section(7, ".data", 0x10, 0xb000, 0, 0, 0xc0000080);

	/* Base relocations at RVA 0x7000 (58 bytes):
	 * A: page 0x3000, SizeOfBlock 18 = 8 + 5 slots: DIR64 0x000, DIR64 0x008,
	 *    HIGHADJ 0x010 + its parameter slot, DIR64 0xff8        -> 4 fixups
	 * B: at +18 (not 4-aligned): page 0x4000, SizeOfBlock 12: DIR64 0x100,
	 *    ABSOLUTE padding                                         -> 1 fixup
	 * C: at +30: page 0x2000, SizeOfBlock 10: HIGHLOW 0x010       -> 1 fixup
	 * D: at +40: page 0xa000 (between sections), SizeOfBlock 10:
	 *    DIR64 0x000                                              -> 1 fixup, outside
	 * at +50: an all-zero 8-byte block ends the table before its size. */
	o = off(0x7000);
	p32(o, 0x3000); p32(o + 4, 18);
	p16(o + 8, 0xa000); p16(o + 10, 0xa008); p16(o + 12, 0x4010); p16(o + 14, 0x1234);
	p16(o + 16, 0xaff8);
	o += 18;
	p32(o, 0x4000); p32(o + 4, 12); p16(o + 8, 0xa100); p16(o + 10, 0x0000);
	o += 12;
	p32(o, 0x2000); p32(o + 4, 10); p16(o + 8, 0x3010);
	o += 10;
	p32(o, 0xa000); p32(o + 4, 10); p16(o + 8, 0xa000);

	/* Imports at RVA 0x2100: a.dll with a lookup table at 0x2140 (a name
	 * and an ordinal: 2 slots at IAT 0x3100), b.dll without one (its IAT at
	 * 0x3140 is walked: 1 slot), then the zero descriptor. */
	o = off(0x2100);
	p32(o, 0x2140); p32(o + 12, 0x2180); p32(o + 16, 0x3100);
	p32(o + 20, 0); p32(o + 32, 0x2190); p32(o + 36, 0x3140);
	p64(off(0x2140), 0x2000); p64(off(0x2148), 0x8000000000000007ULL);
	p64(off(0x3100), 0x2000); p64(off(0x3108), 0x8000000000000007ULL);
	p64(off(0x3140), 0x2001);
	memcpy(img + off(0x2180), "a.dll", 5);
	memcpy(img + off(0x2190), "b.dll", 5);

	/* Delay imports at RVA 0x2200: one descriptor (Attributes 1: RVAs),
	 * name table at 0x2240 with 3 entries, IAT at 0x3180 -> 3 lazy slots
	 * at 0x3180, 0x3188, 0x3190. */
	o = off(0x2200);
	p32(o, 1);
	p32(o + 4, 0x21a0);
	p32(o + 8, 0x3300);
	p32(o + 12, 0x3180);
	p32(o + 16, 0x2240);
	p64(off(0x2240), 0x2001); p64(off(0x2248), 0x2002); p64(off(0x2250), 0x2003);
	memcpy(img + off(0x21a0), "c.dll", 5);

	/* Symbols at 0x1200; string table at 0x1248:
	 * [size 70][4: ".long_section_name"][23: "runtime.pclntab"]
	 * [39: "runtime.epclntab"][56: ".base64_named"] */
	o = 0x1200;
	p32(o + 4, 23); p32(o + 8, 0x100); p16(o + 12, 2); img[o + 16] = 3; img[o + 17] = 1;
	o += 18; /* the aux record: shaped like a bogus runtime.epclntab in .text */
	p32(o + 4, 39); p32(o + 8, 0x999); p16(o + 12, 1);
	o += 18;
	memcpy(img + o, "main.x", 6); p16(o + 12, 3); img[o + 16] = 2;
	o += 18;
	p32(o + 4, 39); p32(o + 8, 0x280); p16(o + 12, 2); img[o + 16] = 3;
	st = 0x1248;
	p32(st, 70);
	memcpy(img + st + 4, ".long_section_name", 18);
	memcpy(img + st + 23, "runtime.pclntab", 15);
	memcpy(img + st + 39, "runtime.epclntab", 16);
	memcpy(img + st + 56, ".base64_named", 13);
}

static int64_t M(rg_binary *b, const char *name)
{
	int64_t v = -1;
	if (!rg_metric_lookup(b, name, &v))
		return -999;
	return v;
}

static void test_handmade(void)
{
	rg_view v = { img, sizeof(img), 0, 0 };
	rg_binary_list out = { 0 };
	rg_err err = { 0 };
	rg_binary *b;
	uint64_t a = 0;

	build();
	CHECK_EQ("measure", RG_OK, rg_measure_view("hand.exe", &v, NULL, &out, &err));
	if (out.n != 1) {
		fprintf(stderr, "error: %s\n", err.msg);
		return;
	}
	b = out.items[0];
	CHECK("arch", strcmp(b->arch, "x86_64") == 0 && b->bits == 64 && !strcmp(b->format, "pe"));
	/* relative: A 4 + B 1 + C 1 + D 1 = 7; imports 2 + 1; delay 3. */
	CHECK_EQ("relocs.relative", 7, M(b, "relocs.relative"));
	CHECK_EQ("relocs.imports", 3, M(b, "relocs.imports"));
	CHECK_EQ("relocs.delay_imports", 3, M(b, "relocs.delay_imports"));
	CHECK_EQ("relocs.symbolic", 6, M(b, "relocs.symbolic"));
	CHECK_EQ("relocs.lazy", 3, M(b, "relocs.lazy"));
	CHECK_EQ("relocs.total", 13, M(b, "relocs.total"));
	CHECK_EQ("relocs.outside", 1, M(b, "relocs.outside"));
	/* text role: only HIGHLOW at 0x2010 in .rdata; data: 0x3000, 0x3008,
	 * 0x3010, 0x3ff8, 0x4100 + 3 import slots + 3 delay slots = 11. */
	CHECK_EQ("relocs.text", 1, M(b, "relocs.text"));
	CHECK_EQ("relocs.data", 11, M(b, "relocs.data"));
	/* pages 0x2 (.rdata), 0x3 and 0x4 (.data) */
	CHECK_EQ("dirty.pages", 3, M(b, "dirty.pages"));
	CHECK_EQ("dirty.data.pages", 2, M(b, "dirty.data.pages"));
	CHECK_EQ("segment[.data].relocs", 11, M(b, "segment[.data].relocs"));
	CHECK_EQ("segment[.data].dirty_pages", 2, M(b, "segment[.data].dirty_pages"));
	CHECK_EQ("segment[.rdata].dirty_pages", 1, M(b, "segment[.rdata].dirty_pages"));
	/* vm: headers 0x400 + 0x10 + 0x300 + 0x2100 + 0x1000 + 58 + 0x20 + 0x20 + 0x10 */
	CHECK_EQ("vm.size", 0x400 + 0x10 + 0x300 + 0x2100 + 0x1000 + 58 + 0x20 + 0x20 + 0x10,
	         M(b, "vm.size"));
	CHECK_EQ("vm.text", 0x10, M(b, "vm.text"));
	CHECK_EQ("vm.rodata", 0x400 + 0x300 + 58 + 0x20 + 0x20, M(b, "vm.rodata"));
	CHECK_EQ("vm.data", 0x200, M(b, "vm.data"));
	CHECK_EQ("vm.bss", 0x1f00 + 0x1000 + 0x10, M(b, "vm.bss"));
	CHECK_EQ("section[.data].size (two .data sections)", 0x2110, M(b, "section[.data].size"));
	CHECK_EQ("segment[.data#2].vmsize", 0x10, M(b, "segment[.data#2].vmsize"));
	CHECK_EQ("long name /4", 0x20, M(b, "section[.long_section_name].size"));
	CHECK_EQ("long name //AAAAA4", 0x20, M(b, "section[.base64_named].size"));
	CHECK("runtime.pclntab hint", rg_binary_find_symbol_hint(b, "runtime.pclntab", &a) &&
	      a == BASE + 0x2100);
	CHECK("runtime.epclntab hint (aux record skipped)",
	      rg_binary_find_symbol_hint(b, "runtime.epclntab", &a) && a == BASE + 0x2280);
	rg_binary_list_free(&out);
}

/* One corruption of the hand-made image; must fail with a message. */
static void expect_fail(const char *name, size_t o, uint32_t v, int width, const char *needle)
{
	rg_view view = { img, sizeof(img), 0, 0 };
	rg_binary_list out = { 0 };
	rg_err err = { 0 };
	int rc;

	build();
	if (width == 2)
		p16(o, (uint16_t)v);
	else
		p32(o, v);
	rc = rg_measure_view("bad.exe", &view, NULL, &out, &err);
	CHECK(name, rc == RG_EINPUT && strstr(err.msg, needle) != NULL);
	if (rc != RG_EINPUT || !strstr(err.msg, needle))
		fprintf(stderr, "  %s: rc %d, message '%s'\n", name, rc, err.msg);
	rg_binary_list_free(&out);
}

static void test_malformed(void)
{
	size_t r = 0xc00;

	expect_fail("HIGHADJ without parameter", r + 4, 14, 4, "HIGHADJ");
	expect_fail("SizeOfBlock below 8", r + 18 + 4, 6, 4, "smaller than its header");
	expect_fail("SizeOfBlock past the directory", r + 4, 60, 4, "past the directory");
	expect_fail("long name outside the string table", 0x148 + 40 * 5 + 1, '9' | ('9' << 8), 2,
	            "outside the COFF string table");
	expect_fail("overlapping sections", 0x148 + 40 * 1 + 12, 0x1008, 4, "overlap");
	expect_fail("absurd section count", 0x46, 5000, 2, "section count");
	expect_fail("delay-load name table outside the image", off(0x2200) + 16, 0x50000, 4,
	            "delay-load import lookup table at RVA 0x50000 is not terminated");
	expect_fail("import descriptor outside the image", 0x58 + 112 + 8, 0x50000, 4,
	            "import directory at RVA 0x50000 is outside the image");
}

int main(void)
{
	test_handmade();
	test_malformed();
	UNIT_DONE();
}
