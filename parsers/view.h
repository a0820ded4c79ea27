/*
 * view.h - a bounds-checked, read-only view of a file's bytes.
 *
 * Every parser reads through rg_view: each accessor takes an offset and
 * returns an error instead of reading past the end, so a hostile length or
 * offset in a header can only produce "truncated" errors, never a wild read.
 * Files are memory-mapped (POSIX mmap) with a read(2) fallback for files
 * that cannot be mapped (pipes, some network file systems).
 */
#ifndef RG_VIEW_H
#define RG_VIEW_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct rg_view {
	const uint8_t *data;
	size_t size;
	int big_endian; /* byte order used by the rg_view_uNN accessors */
	int mapped;     /* data is a read-only file mapping (rg_view_drop may drop its pages) */
} rg_view;

/* A mapped (or read) file; release with rg_file_close. */
typedef struct rg_file {
	rg_view view;
	void *map;      /* mmap base, or NULL */
	void *buf;      /* malloc'd copy when mmap was not possible */
	size_t maplen;
} rg_file;

/* Returns 0, or -1 with errbuf describing the failure (strerror text). */
int rg_file_open(rg_file *f, const char *path, char *errbuf, size_t errlen);
void rg_file_close(rg_file *f);

/*
 * Drops the whole memory pages of [off, off+len) from the process's
 * resident set (madvise MADV_DONTNEED) when the view is a file mapping;
 * a later read faults them in again from the file. For walks over tables
 * larger than memory should hold: a mapped table counts in the RSS once
 * read. Does nothing for a read(2) copy, whose pages would be lost.
 */
void rg_view_drop(const rg_view *v, uint64_t off, uint64_t len);

/* A sub-view [off, off+len); returns -1 when it does not fit. */
int rg_view_sub(const rg_view *v, uint64_t off, uint64_t len, rg_view *out);

/* True when [off, off+len) lies inside the view (overflow-safe). */
static inline int rg_view_has(const rg_view *v, uint64_t off, uint64_t len)
{
	return off <= v->size && len <= v->size - off;
}

/* Unchecked decoders for callers that already checked the range. */
static inline uint16_t rg_ld16(const uint8_t *p, int be)
{
	return be ? (uint16_t)((p[0] << 8) | p[1]) : (uint16_t)((p[1] << 8) | p[0]);
}
/* With GCC and Clang (the compilers of every platform we build on) a word
 * is one unaligned load plus a byte swap when the file's order is not the
 * host's; elsewhere it is assembled byte by byte. Chain walks and
 * relocation tables read one word per fixup. */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__)
#define RG_HOST_BE (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)
static inline uint32_t rg_ld32(const uint8_t *p, int be)
{
	uint32_t x;

	memcpy(&x, p, 4);
	return !be == !RG_HOST_BE ? x : __builtin_bswap32(x);
}
static inline uint64_t rg_ld64(const uint8_t *p, int be)
{
	uint64_t x;

	memcpy(&x, p, 8);
	return !be == !RG_HOST_BE ? x : __builtin_bswap64(x);
}
#else
static inline uint32_t rg_ld32(const uint8_t *p, int be)
{
	return be ? ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3]
	          : ((uint32_t)p[3] << 24) | ((uint32_t)p[2] << 16) | ((uint32_t)p[1] << 8) | p[0];
}
static inline uint64_t rg_ld64(const uint8_t *p, int be)
{
	uint64_t hi = rg_ld32(be ? p : p + 4, be), lo = rg_ld32(be ? p + 4 : p, be);
	return (hi << 32) | lo;
}
#endif

/* Integer reads in the view's byte order; -1 (and *out = 0) when out of
 * bounds, so a caller that checked the range once never reads garbage. The
 * wider ones are inline: chain walks and relocation tables call them once
 * per fixup (bench/bench_macho.sh). */
int rg_view_u8(const rg_view *v, uint64_t off, uint8_t *out);
int rg_view_u16(const rg_view *v, uint64_t off, uint16_t *out);
static inline int rg_view_u32(const rg_view *v, uint64_t off, uint32_t *out)
{
	if (!rg_view_has(v, off, 4)) {
		*out = 0;
		return -1;
	}
	*out = rg_ld32(v->data + off, v->big_endian);
	return 0;
}
static inline int rg_view_u64(const rg_view *v, uint64_t off, uint64_t *out)
{
	if (!rg_view_has(v, off, 8)) {
		*out = 0;
		return -1;
	}
	*out = rg_ld64(v->data + off, v->big_endian);
	return 0;
}
/* Reads a 4- or 8-byte word (width 4 or 8) zero-extended. */
static inline int rg_view_word(const rg_view *v, uint64_t off, int width, uint64_t *out)
{
	uint32_t w;

	if (width == 8)
		return rg_view_u64(v, off, out);
	if (rg_view_u32(v, off, &w) != 0) {
		*out = 0;
		return -1;
	}
	*out = w;
	return 0;
}

/*
 * ULEB128 / SLEB128 at *off, advancing *off; -1 on overrun or a value that
 * does not fit in 64 bits. `end` bounds the stream (<= v->size).
 */
int rg_view_uleb_slow(const rg_view *v, uint64_t *off, uint64_t end, uint64_t *out);
/* One-byte values (most offsets and counts of dyld opcodes) inline. */
static inline int rg_view_uleb(const rg_view *v, uint64_t *off, uint64_t end, uint64_t *out)
{
	uint64_t o = *off;

	if (o < end && o < v->size && !(v->data[o] & 0x80)) {
		*out = v->data[o];
		*off = o + 1;
		return 0;
	}
	return rg_view_uleb_slow(v, off, end, out);
}
int rg_view_sleb(const rg_view *v, uint64_t *off, uint64_t end, int64_t *out);

/* Copies a NUL-terminated string of at most max bytes at off into buf
 * (always terminated); -1 when off is out of bounds. Unterminated strings
 * are cut at the view's end or at max. */
int rg_view_cstr(const rg_view *v, uint64_t off, char *buf, size_t max);

#endif
