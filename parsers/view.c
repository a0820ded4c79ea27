/*
 * view.c - bounds-checked byte view over a memory-mapped file (see view.h).
 */
#include "view.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_all(int fd, rg_file *f, char *errbuf, size_t errlen)
{
	size_t cap = 1 << 16, len = 0;
	uint8_t *buf = malloc(cap);

	if (!buf)
		goto nomem;
	for (;;) {
		ssize_t n;
		if (len == cap) {
			uint8_t *nb = realloc(buf, cap * 2);
			if (!nb)
				goto nomem;
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(errbuf, errlen, "%s", strerror(errno));
			free(buf);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	f->buf = buf;
	f->view.data = buf;
	f->view.size = len;
	return 0;
nomem:
	free(buf);
	snprintf(errbuf, errlen, "out of memory");
	return -1;
}

int rg_file_open(rg_file *f, const char *path, char *errbuf, size_t errlen)
{
	struct stat st;
	int fd, rc = -1;

	memset(f, 0, sizeof(*f));
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	fd = open(path, O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		snprintf(errbuf, errlen, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(errbuf, errlen, "%s", strerror(errno));
		goto done;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(errbuf, errlen, "is a directory");
		goto done;
	}
	/* A device (/dev/zero) or FIFO never ends, or blocks forever. */
	if (!S_ISREG(st.st_mode)) {
		snprintf(errbuf, errlen, "not a regular file");
		goto done;
	}
	if (st.st_size > 0) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m != MAP_FAILED) {
			f->map = m;
			f->maplen = (size_t)st.st_size;
			f->view.data = m;
			f->view.size = (size_t)st.st_size;
			f->view.mapped = 1;
			rc = 0;
			goto done;
		}
	}
	/* Empty and unmappable files: read them instead. */
	rc = read_all(fd, f, errbuf, errlen);
done:
	close(fd);
	return rc;
}

void rg_file_close(rg_file *f)
{
	if (f->map)
		munmap(f->map, f->maplen);
	free(f->buf);
	memset(f, 0, sizeof(*f));
}

int rg_view_sub(const rg_view *v, uint64_t off, uint64_t len, rg_view *out)
{
	if (!rg_view_has(v, off, len))
		return -1;
	out->data = v->data + off;
	out->size = (size_t)len;
	out->big_endian = v->big_endian;
	out->mapped = v->mapped;
	return 0;
}

void rg_view_drop(const rg_view *v, uint64_t off, uint64_t len)
{
	static uintptr_t pg;
	uintptr_t a, e;

	if (!v->mapped || !rg_view_has(v, off, len))
		return;
	if (!pg) {
		long n = sysconf(_SC_PAGESIZE);
		pg = n > 0 ? (uintptr_t)n : 4096;
	}
	a = ((uintptr_t)(v->data + off) + pg - 1) & ~(pg - 1);
	e = (uintptr_t)(v->data + off + len) & ~(pg - 1);
	if (e <= a)
		return;
	/* glibc's posix_madvise ignores POSIX_MADV_DONTNEED: madvise first. */
#if defined(MADV_DONTNEED)
	madvise((void *)a, e - a, MADV_DONTNEED);
#elif defined(POSIX_MADV_DONTNEED)
	posix_madvise((void *)a, e - a, POSIX_MADV_DONTNEED);
#endif
}

int rg_view_u8(const rg_view *v, uint64_t off, uint8_t *out)
{
	if (!rg_view_has(v, off, 1))
		return -1;
	*out = v->data[off];
	return 0;
}

int rg_view_u16(const rg_view *v, uint64_t off, uint16_t *out)
{
	if (!rg_view_has(v, off, 2))
		return -1;
	*out = rg_ld16(v->data + off, v->big_endian);
	return 0;
}

int rg_view_uleb_slow(const rg_view *v, uint64_t *off, uint64_t end, uint64_t *out)
{
	uint64_t val = 0, o = *off;
	unsigned shift = 0;

	if (end > v->size)
		end = v->size;
	for (;;) {
		uint8_t b;
		if (o >= end)
			return -1;
		b = v->data[o++];
		if (shift >= 64 || (shift == 63 && (b & 0x7e)))
			return -1;
		val |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			break;
	}
	*off = o;
	*out = val;
	return 0;
}

int rg_view_sleb(const rg_view *v, uint64_t *off, uint64_t end, int64_t *out)
{
	uint64_t val = 0, o = *off;
	unsigned shift = 0;
	uint8_t b;

	if (end > v->size)
		end = v->size;
	do {
		if (o >= end || shift >= 64)
			return -1;
		b = v->data[o++];
		val |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	if (shift < 64 && (b & 0x40))
		val |= ~(uint64_t)0 << shift;
	*off = o;
	*out = (int64_t)val;
	return 0;
}

int rg_view_cstr(const rg_view *v, uint64_t off, char *buf, size_t max)
{
	size_t i = 0;

	if (max == 0)
		return -1;
	if (off >= v->size) {
		buf[0] = '\0';
		return -1;
	}
	while (i + 1 < max && off + i < v->size && v->data[off + i])
		buf[i] = (char)v->data[off + i], i++;
	buf[i] = '\0';
	return 0;
}
