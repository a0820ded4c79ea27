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

#endif
