/*
 * test_view.c - the bounds-checked byte view: every read past the end must
 * fail, LEB128 decoding must reject overlong and truncated values. Expected
 * values are worked out by hand from the byte strings (DWARF spec examples
 * for LEB128: 624485 = e5 8e 26, -123456 = c0 bb 78).
 */
#include "unit.h"
#include "../../parsers/view.h"

int main(void)
{
	static const uint8_t bytes[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09 };
	static const uint8_t leb[] = { 0xe5, 0x8e, 0x26, 0xc0, 0xbb, 0x78, 0x80 };
	static const uint8_t overlong[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f };
	rg_view v = { bytes, sizeof(bytes), 0, 0 }, l = { leb, sizeof(leb), 0, 0 };
	rg_view o = { overlong, sizeof(overlong), 0, 0 }, sub;
	uint16_t h; uint32_t w; uint64_t q, off = 0, u; int64_t s;
	char buf[4];

	CHECK("u16 le", rg_view_u16(&v, 0, &h) == 0 && h == 0x0201);
	v.big_endian = 1;
	CHECK("u32 be", rg_view_u32(&v, 1, &w) == 0 && w == 0x02030405);
	CHECK("u64 be", rg_view_u64(&v, 1, &q) == 0 && q == 0x0203040506070809ULL);
	CHECK("u64 past end", rg_view_u64(&v, 2, &q) == -1);
	CHECK("u32 at size", rg_view_u32(&v, 9, &w) == -1);
	CHECK("huge offset", rg_view_u16(&v, UINT64_MAX - 1, &h) == -1);
	CHECK("has overflow-safe", !rg_view_has(&v, 1, UINT64_MAX));
	CHECK("sub fits", rg_view_sub(&v, 8, 1, &sub) == 0 && sub.size == 1 && sub.data[0] == 9);
	CHECK("sub too long", rg_view_sub(&v, 8, 2, &sub) == -1);
	CHECK("uleb 624485", rg_view_uleb(&l, &off, l.size, &u) == 0 && u == 624485 && off == 3);
	CHECK("sleb -123456", rg_view_sleb(&l, &off, l.size, &s) == 0 && s == -123456 && off == 6);
	CHECK("uleb truncated", rg_view_uleb(&l, &off, l.size, &u) == -1 && off == 6);
	off = 0;
	CHECK("uleb overlong rejected", rg_view_uleb(&o, &off, o.size, &u) == -1);
	off = 0;
	CHECK("uleb bounded by end", rg_view_uleb(&l, &off, 2, &u) == -1);
	CHECK("cstr cut at max", rg_view_cstr(&v, 0, buf, sizeof(buf)) == 0 && buf[3] == 0 && buf[0] == 1);
	CHECK("cstr out of range", rg_view_cstr(&v, 9, buf, sizeof(buf)) == -1 && buf[0] == 0);
	UNIT_DONE();
}
