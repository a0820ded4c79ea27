/*
 * buf.c - the growable buffer of buf.h: doubling growth, one byte kept for
 * the terminating NUL.
 */
#include "buf.h"

#include <stdlib.h>
#include <string.h>

void rg_buf_add(rg_buf *b, const void *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = (b->n + n + 1) * 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void rg_buf_str(rg_buf *b, const char *s)
{
	rg_buf_add(b, s, strlen(s));
}
