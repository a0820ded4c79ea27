/*
 * test_attr.c - fixup attribution (parsers/attr.c) on a hand-built layout;
 * every expectation is derived by hand in the comments.
 *
 * One data segment D [0x10000, 0x14000), 4 KiB pages, one section .data
 * over all of it. Symbols (ELF-like, sized):
 *   b_local  0x10000 size 0x100, local
 *   a_global 0x10000 size 0x80,  global   -> the alias rule keeps a_global
 *                                            (global before local), extent
 *                                            [0x10000, 0x10080)
 *   c        0x10100 size 0x1000, global  -> clipped by d: [0x10100, 0x10800)
 *   d        0x10800 size 0x10            -> [0x10800, 0x10810)
 *   e        0x13000 size 0                -> no extent: dropped
 * Fixups (page in brackets):
 *   F1 0x10008 relative        a_global        [0x10]
 *   F2 0x10090 relative        no symbol       [0x10]
 *   F3 0x10200 symbolic, lazy  c               [0x10]
 *   F4 0x10804 relative        d               [0x10]
 *   F5 0x11008 relative        no symbol       [0x11]
 *   F6 0x12010 relative        no symbol       [0x12]
 *   F7 0x90000 relative        outside every segment: no page
 * By symbol: [section .data] 3 (pages 0x10-0x12: 3, sole 0x11, 0x12: 2),
 * a_global, c, d 1 each (page 0x10, shared: sole 0), [outside] 1 (no page).
 */
#include "unit.h"
#include "../../parsers/attr.h"

#include <stdlib.h>

static rg_binary *layout(void)
{
	rg_binary *b = rg_binary_new("x", 0);
	rg_segment s;
	rg_err err = { 0 };

	memset(&s, 0, sizeof(s));
	snprintf(s.name, sizeof(s.name), "D");
	s.role = RG_ROLE_DATA;
	s.vmaddr = 0x10000;
	s.vmsize = s.filesize = 0x4000;
	b->has_fixups = 1;
	b->slice_size = 0x10000;
	rg_binary_add_segment(b, &s);
	rg_binary_add_section(b, ".data", 0x10000, 0x4000, 0, 0);
	rg_attr_enable(b, RG_ATTR_LOCATION);
	rg_binary_seal(b, &err);
	rg_attr_add_sym(b, "b_local", 7, 0x10000, 0x100, 0, 1);
	rg_attr_add_sym(b, "a_global", 8, 0x10000, 0x80, 1, 1);
	rg_attr_add_sym(b, "c", 1, 0x10100, 0x1000, 1, 1);
	rg_attr_add_sym(b, "d", 1, 0x10800, 0x10, 1, 1);
	rg_attr_add_sym(b, "e", 1, 0x13000, 0, 1, 1);
	return b;
}

static void fix(rg_binary *b, uint64_t a, rg_fixup_kind k, int lazy)
{
	rg_fixup(b, a, k, lazy);
	rg_attr_fix(b, a, k, lazy, RG_TGT_NONE, 0);
}

static const rg_attr_row *row(const rg_attr_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->rows[i].name, name))
			return &t->rows[i];
	return NULL;
}

int main(void)
{
	static const uint8_t bytes[16];
	rg_view v = { bytes, sizeof(bytes), 0, 0 };
	rg_binary *b = layout();
	rg_attr_table t;
	rg_err err = { 0 };
	const rg_attr_row *r;
	int64_t pages = -1;

	/* Out of address order on purpose: the records are sorted for pages. */
	fix(b, 0x12010, RG_FIX_RELATIVE, 0);
	fix(b, 0x10804, RG_FIX_RELATIVE, 0);
	fix(b, 0x10008, RG_FIX_RELATIVE, 0);
	fix(b, 0x90000, RG_FIX_RELATIVE, 0);
	fix(b, 0x10090, RG_FIX_RELATIVE, 0);
	fix(b, 0x11008, RG_FIX_RELATIVE, 0);
	fix(b, 0x10200, RG_FIX_SYMBOLIC, 1);
	CHECK_EQ("catalog", RG_OK, rg_catalog_compute(b));
	CHECK_EQ("finish", RG_OK, rg_attr_finish(b, &v));
	rg_metric_lookup(b, "dirty.pages", &pages);
	CHECK_EQ("dirty.pages (0x10, 0x11, 0x12)", 3, pages);

	CHECK_EQ("by symbol", RG_OK, rg_attr_rows(b, RG_BY_SYMBOL, 0, &t, &err));
	CHECK_EQ("by symbol: rows", 5, t.n);
	CHECK_EQ("by symbol: rows add up", 7, t.total);
	CHECK("first row: [section .data]", t.n && !strcmp(t.rows[0].name, "[section .data]"));
	CHECK("then by name in byte order: [outside], a_global, c, d",
	      t.n == 5 && !strcmp(t.rows[1].name, "[outside]") && !strcmp(t.rows[2].name, "a_global") &&
	      !strcmp(t.rows[3].name, "c") && !strcmp(t.rows[4].name, "d"));
	r = row(&t, "[section .data]");
	CHECK("[section .data] row", r && r->relocs == 3 && r->relative == 3 && r->dirty_pages == 3 &&
	      r->sole_pages == 2 && r->size == -1);
	r = row(&t, "a_global");
	CHECK("alias: the global name, its size", r && r->relocs == 1 && r->size == 0x80 &&
	      r->dirty_pages == 1 && r->sole_pages == 0);
	CHECK("alias: the local name is gone", !row(&t, "b_local"));
	r = row(&t, "c");
	CHECK("c: clipped at d, symbolic and lazy", r && r->size == 0x700 && r->symbolic == 1 &&
	      r->lazy == 1 && r->relative == 0);
	r = row(&t, "[outside]");
	CHECK("[outside]: counted, no page", r && r->relocs == 1 && r->dirty_pages == 0);
	CHECK("a size-0 symbol holds nothing", !row(&t, "e"));
	rg_attr_table_free(&t);

	/* --top 2: [section .data], [outside], then [other] for a_global, c, d:
	 * 3 fixups (2 relative, 1 symbolic, 1 lazy) on page 0x10, which
	 * [section .data] shares: 1 page, 0 sole. */
	CHECK_EQ("top 2", RG_OK, rg_attr_rows(b, RG_BY_SYMBOL, 2, &t, &err));
	r = row(&t, "[other]");
	CHECK("top 2: 3 rows, [other] last", t.n == 3 && r == &t.rows[2]);
	CHECK("[other] sums the rest", r && r->relocs == 3 && r->relative == 2 && r->symbolic == 1 &&
	      r->lazy == 1 && r->dirty_pages == 1 && r->sole_pages == 0);
	CHECK_EQ("top 2: rows add up", 7, t.total);
	rg_attr_table_free(&t);

	/* By section: .data holds 6, all three pages alone. */
	CHECK_EQ("by section", RG_OK, rg_attr_rows(b, RG_BY_SECTION, 0, &t, &err));
	r = row(&t, ".data");
	CHECK(".data row", r && r->relocs == 6 && r->dirty_pages == 3 && r->sole_pages == 3 &&
	      r->size == 0x4000);
	rg_attr_table_free(&t);

	/* Not Go: no package; no targets recorded: no target rows. */
	CHECK("package of a non-Go binary refused",
	      rg_attr_rows(b, RG_BY_PACKAGE, 0, &t, &err) == RG_EINPUT);
	rg_attr_table_free(&t);
	err.code = 0;
	CHECK("targets not recorded: refused", rg_attr_rows(b, RG_BY_TARGET, 0, &t, &err) == RG_EINPUT);
	rg_attr_table_free(&t);
	rg_binary_free(b);

	/* The same fixups as cells, the ELF fast path's way: the symbols
	 * sealed first, each fixup's symbol or gap found as it comes, and
	 * the cells out of page order (the rows need them by page). */
	b = layout();
	CHECK_EQ("cells: seal", RG_OK, rg_attr_seal_syms(b, &v));
	CHECK("cells: wanted and possible", rg_attr_cells_ok(b->attr));
	{
		static const struct {
			uint64_t addr, lo, hi;
			int sym, rel, lazy; /* sym: 0 none, 1 a_global, 2 c, 3 d */
		} fx[] = {
			{ 0x12010, 0x10810, UINT64_MAX, 0, 1, 0 }, /* after the last symbol */
			{ 0x10804, 0x10800, 0x10810, 3, 1, 0 },
			{ 0x10008, 0x10000, 0x10080, 1, 1, 0 },
			{ 0x90000, 0x10810, UINT64_MAX, 0, 1, 0 },
			{ 0x10090, 0x10080, 0x10100, 0, 1, 0 },     /* the gap a_global..c */
			{ 0x11008, 0x10810, UINT64_MAX, 0, 1, 0 },
			{ 0x10200, 0x10100, 0x10800, 2, 0, 1 },
		};
		static const char *const names[] = { NULL, "a_global", "c", "d" };
		uint64_t lo = 0, hi = 0;
		size_t i;

		rg_attr_sym_span(b->attr, 0x100, &lo, &hi);
		CHECK("span before the first symbol", lo == 0 && hi == 0x10000);
		for (i = 0; i < sizeof(fx) / sizeof(fx[0]); i++) {
			int32_t s = rg_attr_sym_span(b->attr, fx[i].addr, &lo, &hi);
			long reg = rg_binary_region_at(b, fx[i].addr);
			char what[64];

			snprintf(what, sizeof(what), "span of %#llx", (unsigned long long)fx[i].addr);
			CHECK(what, lo == fx[i].lo && hi == fx[i].hi &&
			      (fx[i].sym ? s >= 0 && !strcmp(b->attr->pool + b->attr->syms[s].name,
			                                     names[fx[i].sym])
			                 : s == -1));
			rg_fixup(b, fx[i].addr, fx[i].rel ? RG_FIX_RELATIVE : RG_FIX_SYMBOLIC, fx[i].lazy);
			rg_attr_cell(b, fx[i].addr >> 12, s, (int32_t)reg, fx[i].rel != 0, fx[i].rel == 0,
			             fx[i].lazy);
		}
	}
	CHECK_EQ("cells: catalog", RG_OK, rg_catalog_compute(b));
	CHECK_EQ("cells: finish", RG_OK, rg_attr_finish(b, &v));
	CHECK_EQ("cells: by symbol", RG_OK, rg_attr_rows(b, RG_BY_SYMBOL, 0, &t, &err));
	CHECK_EQ("cells: rows add up", 7, t.total);
	r = row(&t, "[section .data]");
	CHECK("cells: [section .data] row", r && r->relocs == 3 && r->dirty_pages == 3 &&
	      r->sole_pages == 2);
	r = row(&t, "a_global");
	CHECK("cells: a_global row", r && r->relocs == 1 && r->size == 0x80 && r->dirty_pages == 1 &&
	      r->sole_pages == 0);
	r = row(&t, "c");
	CHECK("cells: c row", r && r->symbolic == 1 && r->lazy == 1 && r->size == 0x700);
	r = row(&t, "[outside]");
	CHECK("cells: [outside] row", r && r->relocs == 1 && r->dirty_pages == 0);
	rg_attr_table_free(&t);
	rg_binary_free(b);

	/* A cell's counters are 32-bit: a count past them takes more cells,
	 * and the row still adds them all. */
	b = layout();
	CHECK_EQ("big cell: seal", RG_OK, rg_attr_seal_syms(b, &v));
	rg_attr_cell(b, 0x10, 0, 0, 5000000000ULL, 3, 1);
	CHECK_EQ("big cell: catalog", RG_OK, rg_catalog_compute(b));
	CHECK_EQ("big cell: finish", RG_OK, rg_attr_finish(b, &v));
	CHECK_EQ("big cell: by symbol", RG_OK, rg_attr_rows(b, RG_BY_SYMBOL, 0, &t, &err));
	r = row(&t, "a_global");
	CHECK("big cell: every fixup counted", r && r->relocs == 5000000003ULL &&
	      r->relative == 5000000000ULL && r->symbolic == 3 && r->lazy == 5000000003ULL &&
	      r->dirty_pages == 1 && r->sole_pages == 1);
	rg_attr_table_free(&t);
	rg_binary_free(b);

	/* Go packages: the documented groups. */
	{
		static const char *const cases[][2] = {
			{ "github.com/a/b.(*T).M", "github.com/a/b" },
			{ "runtime.main", "runtime" },
			{ "go:itab.*os.File,io.Writer", "[go:itab]" },
			{ "go.itab.*os.File,io.Writer", "[go:itab]" },
			{ "go.string.\"a/b\"", "[go:string]" },
			{ "go.uber.org/zap.New", "go.uber.org/zap" },
			{ "type:*bytes.Buffer", "[go:type]" },
			{ "type..eq.net/http.Header", "[go:type]" },
			{ "runtime.pclntab", "[go:pclntab]" },
			{ "x_cgo_init", "[no package]" },
			{ "vendor/golang.org/x/net/idna.Punycode", "golang.org/x/net/idna" },
		};
		char out[256];
		size_t i;

		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			rg_attr_go_package(cases[i][0], out, sizeof(out));
			if (!strcmp(out, cases[i][1]))
				printf("ok - package of %s\n", cases[i][0]);
			else {
				printf("not ok - package of %s: wanted %s, got %s\n", cases[i][0], cases[i][1], out);
				unit_failed++;
			}
		}
	}

	/* C++ and Rust packages: the documented groups (docs/attribution.md),
	 * each read by hand from the Itanium / Rust v0 grammar. */
	{
		static const char *const cases[][2] = {
			{ "_ZN4llvm2cl3optIbLb0ENS0_6parserIbEEED0Ev", "llvm" },  /* N 4llvm ... */
			{ "_ZNK4llvm5Value7getNameEv", "llvm" },                    /* const member */
			{ "_ZNSt6vectorIiSaIiEE9push_backEOi", "std" },             /* N St ... */
			{ "_ZNSs4_Rep20_S_empty_rep_storageE", "std" },             /* N Ss ... */
			{ "_ZSt4cout", "std" },                                      /* St unscoped */
			{ "_ZTVN4llvm4PassE", "llvm" },                              /* vtable for llvm::Pass */
			{ "_ZTIPKN3geo5ShapeE", "geo" },                             /* typeinfo for geo::Shape const* */
			{ "_ZTS6Global", "[global]" },                               /* typeinfo name for Global */
			{ "_ZTIi", "[global]" },                                     /* typeinfo for int */
			{ "_ZTCN4llvm1BE0_NS_1AE", "llvm" },                         /* construction vtable: B's */
			{ "_ZThn8_N3geo6Square4areaEv", "geo" },                     /* non-virtual thunk */
			{ "_ZTv0_n24_N3geo6SquareD1Ev", "geo" },                     /* virtual thunk */
			{ "_ZGVZN3geo5labelEiE1l", "geo" },                          /* guard variable, local */
			{ "_ZZN3geo5labelEiE1l", "geo" },                            /* local static */
			{ "_ZZ3foovE1x", "[global]" },                               /* foo()::x */
			{ "_ZZ4mainENKUliE_clEi", "main" },                          /* main::{lambda} */
			{ "_ZN12_GLOBAL__N_16Hidden1fEv", "(anonymous namespace)" },
			{ "_Z3fooi", "[global]" },
			{ "_ZL5localv", "[global]" },                                /* static function */
			{ "_Znwm", "[global]" },                                     /* operator new */
			{ "_ZltRK6GlobalS1_", "[global]" },                          /* operator< */
			{ "_ZTIFN4llvm5ErrorEvE", "llvm" },                          /* function type: its return */
			{ "_ZTIMN4llvm4json6ObjectEFivE", "llvm" },                  /* member pointer: its class */
			{ "_ZN4llvm3fooEv.cold", "llvm" },                           /* a suffix */
			{ "_ZN4core3fmt5write17h0123456789abcdefE", "core" },       /* Rust legacy */
			/* <foo::Bar as core::fmt::Debug>::fmt: the self type's crate */
			{ "_ZN45_$LT$foo..Bar$u20$as$u20$core..fmt..Debug$GT$3fmt17h0123456789abcdefE",
			  "foo" },
			/* <&T as core::fmt::Debug>::fmt: T is no path, the trait's crate */
			{ "_ZN42_$LT$$RF$T$u20$as$u20$core..fmt..Debug$GT$3fmt17h0123456789abcdefE",
			  "core" },
			{ "_RNvCs1234_7mycrate3foo", "mycrate" },                    /* Rust v0 */
			{ "_RNvNtCs56HGsqMBDvY_4prog6shapes5NAMES", "prog" },       /* 11-digit hash */
			{ "_RINvNtC4core3ptr13drop_in_placeNtC5alloc6StringEB4_", "core" },
			{ "_RNvMNtCs1_4core3fmtNtB2_9Formatter3pad", "core" },      /* <core::fmt::Formatter>::pad */
			{ "_RNvYhNtNtC4core3fmt5Debug3fmtB2_", "core" },             /* <u8 as core::fmt::Debug>::fmt */
			{ "_RNvMs_NtC4core3stre4trim", "[Rust impl]" },              /* <str>::trim: no crate shown */
			{ "_RNvXs0_NtNtC4core3num7dec2fltC3f16NtNtNtB9_3str6traits7FromStr8from_str",
			  "core" },                                                  /* <f16 as ...FromStr>: f16 is C3f16 */
			{ "_RNvXNCNCNvC1a1f00NtC1a1TNtC1b5Trait1m", "a" },         /* "00": two empty names */
			{ "_RNvB5_3foo", "[unparsed]" },                             /* backref not backwards */
			{ "main", "[C]" },
			{ "_ZGVbN2v_sin", "[unparsed]" },                            /* libmvec, no C++ name */
			{ "_Z", "[unparsed]" },
			{ "_ZN", "[unparsed]" },
			{ "_ZN99999999999x", "[unparsed]" },                         /* length past the name */
		};
		char out[256], small[4];
		size_t i, k;
		int crashfree = 1;

		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			rg_attr_native_package(cases[i][0], out, sizeof(out));
			if (!strcmp(out, cases[i][1]))
				printf("ok - package of %s\n", cases[i][0]);
			else {
				printf("not ok - package of %s: wanted %s, got %s\n", cases[i][0],
				       cases[i][1], out);
				unit_failed++;
			}
		}
		/* Every cut of every name (a truncated string table), into a
		 * buffer too small: bounded reads (ASan), a terminated answer. */
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			size_t len = strlen(cases[i][0]);
			for (k = 0; k <= len; k++) {
				char *cut = malloc(k + 1);
				if (!cut)
					break;
				memcpy(cut, cases[i][0], k);
				cut[k] = 0;
				rg_attr_native_package(cut, small, sizeof(small));
				crashfree &= memchr(small, 0, sizeof(small)) != NULL;
				free(cut);
			}
		}
		CHECK("packages of every cut name: bounded, terminated", crashfree);
	}

	/* A binary whose symbols are mangled has packages; one of C names
	 * only (the layout above) has none. */
	b = layout();
	rg_attr_add_sym(b, "_ZN3geo5namesE", 14, 0x11000, 0x100, 1, 1);
	fix(b, 0x11008, RG_FIX_RELATIVE, 0);
	fix(b, 0x10008, RG_FIX_RELATIVE, 0);
	CHECK_EQ("mangled: catalog", RG_OK, rg_catalog_compute(b));
	CHECK_EQ("mangled: finish", RG_OK, rg_attr_finish(b, &v));
	CHECK_EQ("mangled: by package", RG_OK, rg_attr_rows(b, RG_BY_PACKAGE, 0, &t, &err));
	r = row(&t, "geo");
	CHECK("mangled: geo holds its fixup, page 0x11 alone", r && r->relocs == 1 &&
	      r->dirty_pages == 1 && r->sole_pages == 1);
	r = row(&t, "[C]");
	CHECK("mangled: a_global is [C]", r && r->relocs == 1);
	rg_attr_table_free(&t);
	rg_binary_free(b);
	UNIT_DONE();
}
