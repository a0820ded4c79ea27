/*
 * buf.h - a growable byte buffer, always NUL-terminated once written to,
 * that remembers an allocation failure (oom) instead of making every
 * append check one: the caller tests oom once, at the end.
 */
#ifndef RG_BUF_H
#define RG_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct rg_buf {
	char *p;               /* NULL until the first append */
	size_t n, cap;
	int oom;
} rg_buf;

#define RG_BUF_INIT { NULL, 0, 0, 0 }

/* Appends n bytes (an empty append still allocates, so p is a string). */
void rg_buf_add(rg_buf *b, const void *s, size_t n);
void rg_buf_str(rg_buf *b, const char *s);
/* Appends printf-formatted text; an encoding error appends nothing. */
void rg_buf_printf(rg_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
void rg_buf_vprintf(rg_buf *b, const char *fmt, va_list ap);

struct rg_err;
/*
 * Reads the whole file at path into *out (NUL-terminated, *len bytes, the
 * caller frees it). RG_OK, or RG_EIO (cannot open or read), RG_EINPUT
 * (more than max bytes) or RG_ENOMEM with err set (err may be NULL). The
 * message says what is wrong, not where: each caller names the file the
 * way its other messages do.
 */
int rg_read_file(const char *path, size_t max, char **out, size_t *len, struct rg_err *err);

#endif
