/*
 * test_pclntab.c - the Go pclntab reader on a table built by hand, and the
 * package-path rule on symbol names. Every expectation is derived in the
 * comments beside it (layout: docs/format-pclntab.md).
 */
#include "unit.h"
#include "../../parsers/formats.h"
#include "../../parsers/pclntab.h"

#include <stdlib.h>

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/*
 * A Go 1.18 (0xfffffff0) little-endian table, pointer size 8, two
 * functions, placed at offset 16 of a 256-byte buffer:
 *   0   header: magic, 0 0, quantum 1, ptrsize 8, then words nfunc=2,
 *       nfiles=1, textStart=0x1000, funcnametab=72, cutab=93, filetab=97,
 *       pctab=102, pclntab=112 (8 + 8*8 = 72 bytes)
 *   72  "main.main\0" (10) "net/http.F\0" (11)
 *   93  cutab: u32 0
 *   97  "a.go\0"
 *   102 pctab: a 0 byte, T1 = 02 04 00 at 103 (pctab offset 1, 3 bytes),
 *       T2 = 02 04 06 08 00 at 106 (pctab offset 4, 5 bytes); ends 111
 *   112 functab: (entryoff, funcoff) u32 pairs + end pc = 20 bytes;
 *       records start at funcoff Rnd(20, 8) = 24
 *   136 f0: nameoff 0, pcsp 1 (T1), pcfile 1 (T1 again), pcln 4 (T2),
 *       npcdata 1, nfuncdata 1; 40 + pcdata[0] = 4 (T2 again) + funcdata 4
 *       = 48 bytes, ends 184
 *   184 f1 (funcoff 72): nameoff 10, pcsp 1 (T1, already counted),
 *       npcdata 0, nfuncdata 0: 40 bytes, ends 224 = the table's size.
 * Bytes per function (functab entry 8 + record + name + pc tables counted
 * once): f0 = 8 + 48 + 10 + 3 + 5 = 74 (package main), f1 = 8 + 40 + 11
 * = 59 (package net/http).
 */
#define TOFF 16
#define TSIZE 224
static uint8_t buf[256];

/* Bytes 0-111 of the table: header (textStart given), names, cutab, file
 * name and pc tables. */
static void put_head(uint8_t *t, uint32_t magic, uint64_t text_start)
{
	static const uint8_t pct[] = { 0, 2, 4, 0, 2, 4, 6, 8, 0 };
	const uint64_t words[] = { 2, 1, text_start, 72, 93, 97, 102, 112 };
	size_t i;

	put32(t, magic);
	t[6] = 1, t[7] = 8;
	for (i = 0; i < 8; i++)
		put64(t + 8 + 8 * i, words[i]);
	memcpy(t + 72, "main.main\0net/http.F\0", 21);
	memcpy(t + 97, "a.go", 5);
	memcpy(t + 102, pct, sizeof(pct));
}

static void build(void)
{
	uint8_t *t = buf + TOFF;

	memset(buf, 0xee, sizeof(buf));
	memset(t, 0, TSIZE);
	put_head(t, 0xfffffff0u, 0x1000);
	put32(t + 112, 0), put32(t + 116, 24);       /* f0: entryoff 0, funcoff 24 */
	put32(t + 120, 0x40), put32(t + 124, 72);    /* f1 */
	put32(t + 128, 0x80);                        /* end pc */
	/* f0 at 136: entryoff nameoff args deferreturn pcsp pcfile pcln npcdata
	 * cuOffset, funcID flag pad nfuncdata, pcdata[0], funcdata[0]. */
	put32(t + 136 + 16, 1), put32(t + 136 + 20, 1), put32(t + 136 + 24, 4);
	put32(t + 136 + 28, 1);
	t[136 + 39] = 1;
	put32(t + 136 + 40, 4);
	put32(t + 136 + 44, 0);
	/* f1 at 184 */
	put32(t + 184, 0x40), put32(t + 184 + 4, 10), put32(t + 184 + 16, 1);
}

static const char *info(const rg_binary *b, const char *key)
{
	size_t i;

	for (i = 0; i < b->ninfo; i++)
		if (!strcmp(b->info[i].key, key))
			return b->info[i].value;
	return "(absent)";
}

static int64_t extra(const rg_binary *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->nextra; i++)
		if (!strcmp(b->extra[i].name, name))
			return b->extra[i].value;
	return -1;
}

static rg_binary *measure(int section, int packages)
{
	rg_view v = { buf, sizeof(buf), 0, 0 };
	rg_measure_opts o = RG_MEASURE_OPTS_INIT;
	rg_binary *b = rg_binary_new("hand", 0);

	o.packages = packages;
	rg_binary_set_page_size(b, 4096);
	if (section)
		rg_binary_add_section(b, ".gopclntab", 0x2000, TSIZE, TOFF, 0);
	CHECK_EQ("pclntab rg_pclntab_measure(b, &v, &o) == RG_OK", RG_OK, rg_pclntab_measure(b, &v, &o));
	return b;
}

static void test_section(void)
{
	rg_binary *b;

	build();
	b = measure(1, 1);
	CHECK_EQ("pclntab extra(b, \"pclntab.funcs\") == 2", 2, extra(b, "pclntab.funcs"));
	CHECK_EQ("pclntab extra(b, \"pclntab.files\") == 1", 1, extra(b, "pclntab.files"));
	CHECK_EQ("pclntab extra(b, \"pclntab.bytes\") == TSIZE", TSIZE, extra(b, "pclntab.bytes"));
	CHECK("pclntab !strcmp(info(b, \"pclntab.found_by\"), \"section .gopclntab\")", !strcmp(info(b, "pclntab.found_by"), "section .gopclntab"));
	CHECK("pclntab !strcmp(info(b, \"pclntab.size_source\"), \"section\")", !strcmp(info(b, "pclntab.size_source"), "section"));
	CHECK("pclntab !strcmp(info(b, \"pclntab.go_version\"), \"go1.18-1.19\")", !strcmp(info(b, "pclntab.go_version"), "go1.18-1.19"));
	CHECK("pclntab !strcmp(info(b, \"pclntab.offset\"), \"16\")", !strcmp(info(b, "pclntab.offset"), "16"));
	CHECK_EQ("pclntab b->npkgs == 2", 2, b->npkgs);
	if (b->npkgs == 2) {
		/* Sorted by bytes: main (74) first. */
		CHECK("pclntab !strcmp(b->pkgs[0].name, \"main\")", !strcmp(b->pkgs[0].name, "main"));
		CHECK_EQ("pclntab b->pkgs[0].funcs == 1", 1, b->pkgs[0].funcs);
		CHECK_EQ("pclntab b->pkgs[0].bytes == 74", 74, b->pkgs[0].bytes);
		CHECK("pclntab !strcmp(b->pkgs[1].name, \"net/http\")", !strcmp(b->pkgs[1].name, "net/http"));
		CHECK_EQ("pclntab b->pkgs[1].bytes == 59", 59, b->pkgs[1].bytes);
	}
	rg_binary_free(b);
	/* Without --packages there is no breakdown. */
	b = measure(1, 0);
	CHECK_EQ("pclntab b->npkgs == 0", 0, b->npkgs);
	CHECK_EQ("pclntab extra(b, \"pclntab.funcs\") == 2", 2, extra(b, "pclntab.funcs"));
	rg_binary_free(b);
}

static void test_scan(void)
{
	rg_binary *b;

	build();
	b = measure(0, 0);
	/* Found at 16; the end of f1's record (224, already 8-aligned). */
	CHECK("pclntab !strcmp(info(b, \"pclntab.found_by\"), \"magic-scan\")", !strcmp(info(b, "pclntab.found_by"), "magic-scan"));
	CHECK("pclntab !strcmp(info(b, \"pclntab.offset\"), \"16\")", !strcmp(info(b, "pclntab.offset"), "16"));
	CHECK("pclntab !strcmp(info(b, \"pclntab.size_source\"), \"derived\")", !strcmp(info(b, "pclntab.size_source"), "derived"));
	CHECK_EQ("pclntab extra(b, \"pclntab.bytes\") == TSIZE", TSIZE, extra(b, "pclntab.bytes"));
	rg_binary_free(b);
	/* A bad quantum: nothing found by the scan, no note, no metric. */
	buf[TOFF + 6] = 3;
	b = measure(0, 0);
	CHECK_EQ("pclntab extra(b, \"pclntab.bytes\") == -1", -1, extra(b, "pclntab.bytes"));
	rg_binary_free(b);
	/* The same found by section: a note, bytes = the section size. */
	b = measure(1, 0);
	CHECK_EQ("pclntab b->nnotes == 1", 1, b->nnotes);
	CHECK_EQ("pclntab extra(b, \"pclntab.funcs\") == -1", -1, extra(b, "pclntab.funcs"));
	CHECK_EQ("pclntab extra(b, \"pclntab.bytes\") == TSIZE", TSIZE, extra(b, "pclntab.bytes"));
	rg_binary_free(b);
	/* f1's funcoff pointing far outside (past the header check, which
	 * reads both entries here: the table is rejected with a note). */
	build();
	put32(buf + TOFF + 124, 0x7fffffff);
	b = measure(1, 1);
	CHECK_EQ("pclntab b->nnotes == 1", 1, b->nnotes);
	rg_binary_free(b);
}

/*
 * A Go 1.26 table (magic 0xfffffff1, textStart 0) with its module data, as
 * a stripped binary carries them: the table at file offset 0 of a
 * read-only segment at 0x10000, runtime.firstmoduledata at offset 512 of a
 * writable segment at 0x20000.
 *   0   header: nfunc=2, nfiles=1, textStart=0, funcnametab=72, cutab=93,
 *       filetab=97, pctab=102, pclntab=112
 *   72..111 names, cutab, file name and pc tables as in build() above
 *   112 functab: 2 entries + end pc = 20 bytes; records from funcoff 24
 *   136 f0: 44 fixed + pcdata[1] + funcdata[2] (offsets 0 and 16 of
 *       go:func.*) = 56 bytes, ends 192 (funcoff 80 for f1)
 *   192 f1: 44 fixed + funcdata[1] (offset 16 again) = 48, ends 240
 *   256 go:func.*: object A (16 bytes) at 256, object B at 272, which runs
 *       to findfunctab: 24 bytes
 *   296 findfunctab for [minpc, maxpc) = [0x1000, 0x1080): one 4096-byte
 *       bucket (4 bytes) and one 256-byte sub-bucket (1 byte): ends 301,
 *       the table's size.
 * Module data words: pcHeader, funcnametab/cutab/filetab/pctab slices,
 * pclntable (va+112, len 128 = 240 - 112), ftab (va+112, len nfunc+1 = 3),
 * findfunctab va+296, minpc, maxpc; then eight other words and go:func.*
 * (va+256).
 * Bytes per function with --packages: f0 = 8 + 56 + 10 (name) + 3 (T1) +
 * 5 (T2) + 16 (A) + 24 (B) = 122 (main); f1 = 8 + 48 + 11 = 67 (net/http;
 * T1 and B counted already).
 */
#define VA26 0x10000u
#define SIZE26 301
static uint8_t buf26[1024];

static void build26(void)
{
	uint8_t *t = buf26, *md = buf26 + 512;
	const uint64_t mdw[] = {
		VA26, VA26 + 72, 21, 21, VA26 + 93, 1, 1, VA26 + 97, 5, 5, VA26 + 102, 9, 9,
		VA26 + 112, 128, 128, VA26 + 112, 3, 3, VA26 + 296, 0x1000, 0x1080,
		0x1000, 0x1080, 0, 0, 0, 0, 0, 0, VA26 + 256
	};
	size_t i;

	memset(buf26, 0, sizeof(buf26));
	put_head(t, 0xfffffff1u, 0);
	put32(t + 112, 0), put32(t + 116, 24);
	put32(t + 120, 0x40), put32(t + 124, 80);
	put32(t + 128, 0x80);
	/* f0 at 136: pcsp pcfile pcln npcdata, nfuncdata (last byte of 44). */
	put32(t + 136 + 16, 1), put32(t + 136 + 20, 1), put32(t + 136 + 24, 4);
	put32(t + 136 + 28, 1);
	t[136 + 43] = 2;
	put32(t + 136 + 44, 4);
	put32(t + 136 + 48, 0), put32(t + 136 + 52, 16);
	/* f1 at 192 */
	put32(t + 192, 0x40), put32(t + 192 + 4, 10), put32(t + 192 + 16, 1);
	t[192 + 43] = 1;
	put32(t + 192 + 44, 16);
	for (i = 0; i < sizeof(mdw) / sizeof(mdw[0]); i++)
		put64(md + 8 * i, mdw[i]);
}

static rg_binary *measure26(int section, int packages)
{
	rg_view v = { buf26, sizeof(buf26), 0, 0 };
	rg_measure_opts o = RG_MEASURE_OPTS_INIT;
	rg_binary *b = rg_binary_new("hand26", 0);
	rg_segment ro = { "r--", RG_ROLE_RODATA, RG_PERM_R, VA26, 512, 0, 512, 0, 0, 0, 0 };
	rg_segment rw = { "rw-", RG_ROLE_DATA, RG_PERM_R | RG_PERM_W, 0x20000, 512, 512, 512,
	                  0, 0, 0, 0 };

	o.packages = packages;
	rg_binary_set_page_size(b, 4096);
	CHECK("pclntab26 segments", rg_binary_add_segment(b, &ro) >= 0 &&
	                            rg_binary_add_segment(b, &rw) >= 0);
	if (section)
		rg_binary_add_section(b, ".gopclntab", VA26, SIZE26, 0, 0);
	CHECK_EQ("pclntab26 rg_pclntab_measure(b, &v, &o) == RG_OK", RG_OK,
	         rg_pclntab_measure(b, &v, &o));
	return b;
}

static void test_go126(void)
{
	rg_binary *b;

	static const char *const want[][2] = {
		{ "pclntab.found_by", "magic-scan" }, { "pclntab.go_version", "go1.26+" },
		{ "pclntab.size_source", "derived" }, { "pclntab.derived_from", "moduledata" },
	};
	size_t i;

	build26();
	b = measure26(0, 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		CHECK(want[i][0], !strcmp(info(b, want[i][0]), want[i][1]));
	CHECK_EQ("pclntab26 bytes = end of findfunctab", SIZE26, extra(b, "pclntab.bytes"));
	rg_binary_free(b);
	b = measure26(1, 1);
	CHECK_EQ("pclntab26 b->npkgs == 2", 2, b->npkgs);
	if (b->npkgs == 2) {
		CHECK("pclntab26 main first", !strcmp(b->pkgs[0].name, "main"));
		CHECK_EQ("pclntab26 main bytes (funcdata A and B)", 122, b->pkgs[0].bytes);
		CHECK_EQ("pclntab26 net/http bytes (B shared)", 67, b->pkgs[1].bytes);
	}
	rg_binary_free(b);
	/* Go 1.20-1.25 (textStart set): the module data's pclntable ends it. */
	put64(buf26 + 8 + 16, 0x1000);
	b = measure26(0, 0);
	CHECK("pclntab26 go1.20-1.25", !strcmp(info(b, "pclntab.go_version"), "go1.20-1.25"));
	CHECK_EQ("pclntab26 bytes = end of pclntable", 240, extra(b, "pclntab.bytes"));
	rg_binary_free(b);
	/* Go 1.26 without module data: no size rather than the records' 240. */
	build26();
	put64(buf26 + 512, 0);
	b = measure26(0, 1);
	CHECK_EQ("pclntab26 no module data: no bytes", -1, extra(b, "pclntab.bytes"));
	CHECK_EQ("pclntab26 no module data: two notes", 2, b->nnotes);
	rg_binary_free(b);
	/* Module data whose table pointers match but whose findfunctab lies
	 * inside the function table, or runs past the data (maxpc far past
	 * minpc), is not believed: no size, the same two notes. */
	build26();
	put64(buf26 + 512 + 8 * 19, VA26 + 200);
	b = measure26(0, 1);
	CHECK_EQ("pclntab26 findfunctab inside the records: no bytes", -1,
	         extra(b, "pclntab.bytes"));
	CHECK_EQ("pclntab26 findfunctab inside the records: two notes", 2, b->nnotes);
	rg_binary_free(b);
	build26();
	put64(buf26 + 512 + 8 * 21, 0x1000 + (1u << 20));
	b = measure26(0, 1);
	CHECK_EQ("pclntab26 findfunctab past the data: no bytes", -1, extra(b, "pclntab.bytes"));
	CHECK_EQ("pclntab26 findfunctab past the data: two notes", 2, b->nnotes);
	rg_binary_free(b);
}

static void pkg(const char *name, int ver, const char *want)
{
	char out[256], what[512];

	rg_pclntab_pkg_of(name, ver, out, sizeof(out));
	snprintf(what, sizeof(what), "pclntab package of '%s' (layout %d) is '%s' (got '%s')",
	         name, ver, want, out);
	CHECK(what, !strcmp(out, want));
}

static void test_pkg_of(void)
{
	pkg("main.main", 118, "main");
	pkg("runtime.gcBgMarkWorker.func1", 118, "runtime");
	pkg("net/http.(*Server).Serve", 118, "net/http");
	pkg("net/http.(*Server).Serve.func1", 118, "net/http");
	pkg("github.com/x/y.F", 118, "github.com/x/y");
	pkg("github.com/x/y.(*T[...]).M", 118, "github.com/x/y");
	pkg("main.Map[go.shape.*net/http.Request,go.shape.int]", 118, "main");
	pkg("gopkg.in/yaml%2ev2.Unmarshal", 118, "gopkg.in/yaml.v2");
	pkg("vendor/golang.org/x/net/http2/hpack.(*Decoder).Write", 118,
	    "golang.org/x/net/http2/hpack");
	pkg("github.com/me/app/vendor/github.com/x/y.F", 118, "github.com/x/y");
	pkg("type..eq.main.key", 118, "main");
	pkg("type..eq.[...]internal/cpu.option", 118, "internal/cpu");
	pkg("type..hash.*net/url.Userinfo", 118, "net/url");
	pkg("type..eq.[2]interface {}", 118, "type:");
	pkg("type..eq.struct { runtime.gList; runtime.n int32 }", 118, "type:");
	pkg("go.(*struct { sync.Mutex }).Lock", 118, "go:");
	pkg("go.uber.org/zap.New", 118, "go.uber.org/zap");
	pkg("go.buildid", 116, "go:");
	pkg("go:buildid", 120, "go:");
	pkg("type:.eq.main.key", 120, "main");
	pkg("type:.eq.[2]string", 120, "type:");
	pkg("go.uber.org/zap.New", 120, "go.uber.org/zap");
	pkg("_rt0_amd64_linux", 118, "(none)");
	pkg("x_cgo_init", 118, "(none)");
	pkg("", 118, "(none)");
	pkg(".weird", 118, "(none)");
}

int main(void)
{
	test_section();
	test_scan();
	test_go126();
	test_pkg_of();
	UNIT_DONE();
}
