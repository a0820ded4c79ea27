/*
 * buf.c - the growable buffer of buf.h: doubling growth, one byte kept for
 * the terminating NUL; and the one reader of a whole file.
 */
#include "buf.h"
#include "../parsers/model.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Makes room for n more bytes and the NUL; 0 on success. */
static int reserve(rg_buf *b, size_t n)
{
	if (b->oom)
		return -1;
	if (b->n + n + 1 > b->cap) {
		size_t cap = (b->n + n + 1) * 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = 1;
			return -1;
		}
		b->p = p;
		b->cap = cap;
	}
	return 0;
}

void rg_buf_add(rg_buf *b, const void *s, size_t n)
{
	if (reserve(b, n) < 0)
		return;
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void rg_buf_vprintf(rg_buf *b, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n >= 0 && reserve(b, (size_t)n) == 0) {
		vsnprintf(b->p + b->n, b->cap - b->n, fmt, again);
		b->n += (size_t)n;
	}
	va_end(again);
}

void rg_buf_printf(rg_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rg_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void rg_buf_str(rg_buf *b, const char *s)
{
	rg_buf_add(b, s, strlen(s));
}

int rg_read_file(const char *path, size_t max, char **out, size_t *len, rg_err *err)
{
	rg_buf b = RG_BUF_INIT;
	char chunk[65536];
	int fd, rc = RG_OK;
	ssize_t r;

	*out = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY)) < 0)
		return rg_err_set(err, RG_EIO, "%s", strerror(errno));
	rg_buf_add(&b, "", 0); /* an empty file is "" */
	while (!b.oom && (r = read(fd, chunk, sizeof(chunk))) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = rg_err_set(err, RG_EIO, "read error (%s)", strerror(errno));
			break;
		}
		if ((size_t)r > max - b.n) {
			rc = rg_err_set(err, RG_EINPUT, "larger than %zu MiB", max >> 20);
			break;
		}
		rg_buf_add(&b, chunk, (size_t)r);
	}
	close(fd);
	if (rc == RG_OK && b.oom)
		rc = rg_err_set(err, RG_ENOMEM, "out of memory");
	if (rc != RG_OK) {
		free(b.p);
		return rc;
	}
	*out = b.p;
	*len = b.n;
	return RG_OK;
}
