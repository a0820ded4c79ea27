/*
 * escape.c - the sanitisers of escape.h. Everything goes through next():
 * it reads one character of untrusted text (a UTF-8 sequence or one byte)
 * and says whether it can be shown as is or must be written as a visible
 * escape. What is escaped for a terminal: C0 controls and DEL ("\r",
 * "\x1b"), C1 controls and the Unicode line separators and bidirectional
 * overrides that reorder what a reader sees ("\u202e"), and bytes that do
 * not form UTF-8 ("\xff"). Markdown adds its own layer on top. HTML, last,
 * needs none of it (see rg_html_escape).
 */
#include "escape.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One character of s: its length in bytes (>= 1) and, when it must not be
 * shown as is, its escape in esc (else esc[0] = 0). */
static size_t next(const unsigned char *s, char esc[16], int keep)
{
	uint32_t c;
	size_t n, i;

	esc[0] = '\0';
	if (s[0] < 0x80) {
		/* a multi-line text (a log, a diff) keeps its tabs: they only move
		 * the cursor right */
		if (((s[0] == '\n' || s[0] == '\t') && (keep & RG_ESC_KEEP_LF)) ||
		    (s[0] == '\r' && (keep & RG_ESC_KEEP_CR)))
			return 1;
		if (s[0] == '\\' && (keep & RG_ESC_BACKSLASH))
			snprintf(esc, 16, "\\\\");
		else if (s[0] == '\n' || s[0] == '\r' || s[0] == '\t')
			snprintf(esc, 16, "\\%c", s[0] == '\n' ? 'n' : s[0] == '\r' ? 'r' : 't');
		else if (s[0] < 0x20 || s[0] == 0x7f)
			snprintf(esc, 16, "\\x%02x", s[0]);
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		n = 0, c = 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			n = 0;
			break;
		}
		c = c << 6 | (s[i] & 0x3f);
	}
	/* overlong, surrogate or out of range: not UTF-8 */
	if (!n || (n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff)) {
		snprintf(esc, 16, "\\x%02x", s[0]);
		return 1;
	}
	if ((c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0x061c)
		snprintf(esc, 16, "\\u%04x", (unsigned)c);
	return n;
}

/* Appends piece (n bytes) to buf at *o when it fits with room for "…". */
static int put(char *buf, size_t len, size_t *o, const char *piece, size_t n)
{
	if (*o + n + 4 > len)
		return 0;
	memcpy(buf + *o, piece, n);
	*o += n;
	return 1;
}

static const char *cut(char *buf, size_t len, size_t o, int all)
{
	if (!all && o + 4 <= len) {
		memcpy(buf + o, "\xe2\x80\xa6", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

/* How one character of untrusted text is written in a context, given its
 * bytes p[0..n) and its terminal escape esc ("" when it has none): the
 * text to put (p itself, esc, or built in tmp) and its length in *l. */
typedef const char *(*piece_fn)(const unsigned char *p, size_t n, const char *esc,
                                char tmp[24], size_t *l);

/* s written piece by piece into buf, cut with "…" to fit len. */
static const char *escape_with(const char *s, char *buf, size_t len, piece_fn piece)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t o = 0, n, l;
	char esc[16], tmp[24];
	const char *t;

	if (!len)
		return buf;
	if (len < 4) {
		buf[0] = '\0';
		return buf;
	}
	for (; *p; p += n) {
		n = next(p, esc, 0);
		t = piece(p, n, esc, tmp, &l);
		if (!put(buf, len, &o, t, l))
			return cut(buf, len, o, 0);
	}
	return cut(buf, len, o, 1);
}

static const char *term_piece(const unsigned char *p, size_t n, const char *esc, char tmp[24],
                              size_t *l)
{
	(void)tmp;
	*l = esc[0] ? strlen(esc) : n;
	return esc[0] ? esc : (const char *)p;
}

const char *rg_esc_term(const char *s, char *buf, size_t len)
{
	return escape_with(s, buf, len, term_piece);
}

/* Writes the terminal form of s at out (room: 6 bytes per byte of s) and
 * returns its length. */
static size_t term_into(char *out, const unsigned char *p, int keep)
{
	size_t n, o = 0;
	char esc[16];

	for (; *p; p += n) {
		n = next(p, esc, keep);
		if (esc[0]) {
			memcpy(out + o, esc, strlen(esc));
			o += strlen(esc);
		} else {
			memcpy(out + o, p, n);
			o += n;
		}
	}
	return o;
}

char *rg_esc_term_dup(const char *s, int keep)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	char *out = malloc(strlen((const char *)p) * 6 + 1);

	if (out)
		out[term_into(out, p, keep)] = '\0';
	return out;
}

void rg_esc_term_put(FILE *f, const char *s, int keep)
{
	char *e = rg_esc_term_dup(s, keep);

	fputs(e ? e : "?", f);
	free(e);
}

/* GFM's specials: backslash-escaped, so they render as themselves (an
 * ASCII punctuation character may always be escaped in CommonMark). ':'
 * and '.' stop autolinks (http://, www.), '@' mentions, '#' issue links,
 * '$' math. ('-' and '+' matter only at the start of a line, where no
 * escaped text is put.) */
static int md_special(unsigned char c)
{
	return c && strchr("\\`*_{}[]<>()#.!|~&:@$", c) != NULL;
}

static const char *md_piece(const unsigned char *p, size_t n, const char *esc, char tmp[24],
                            size_t *l)
{
	if (esc[0])      /* the escape's own backslash, escaped: "\\r" renders "\r" */
		snprintf(tmp, 24, "\\%s", esc);
	else if (md_special(*p))
		snprintf(tmp, 24, "\\%c", *p);
	else
		return term_piece(p, n, esc, tmp, l);
	*l = strlen(tmp);
	return tmp;
}

const char *rg_esc_md(const char *s, char *buf, size_t len)
{
	return escape_with(s, buf, len, md_piece);
}

static const char *html_piece(const unsigned char *p, size_t n, const char *esc, char tmp[24],
                              size_t *l)
{
	const char *ent = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;" :
	                  *p == '"' ? "&quot;" : NULL;

	if (!ent || esc[0])
		return term_piece(p, n, esc, tmp, l);
	*l = strlen(ent);
	return ent;
}

const char *rg_esc_md_html(const char *s, char *buf, size_t len)
{
	return escape_with(s, buf, len, html_piece);
}

/* The longest run of backticks in s. */
static size_t longest_run(const char *s)
{
	size_t best = 0, run = 0;

	for (; *s; s++) {
		run = *s == '`' ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
}

/* Bytes of the UTF-8 character that starts with byte c (1 for ASCII and
 * for a byte that starts none: the terminal form holds only valid UTF-8). */
static size_t char_len(unsigned char c)
{
	return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

/* A code span holding s; cell: '|' escaped for a table cell. */
static const char *code_span(const char *s, char *buf, size_t len, int cell)
{
	char *t = malloc(len ? len : 1);
	size_t fence, o = 0, i, n, tl, need, room;
	int pad;

	if (!len)
		goto done;
	buf[0] = '\0';
	if (!t || len < 16)
		goto done;
	/* the terminal form, in a cell '|' escaped (GFM splits table cells
	 * before it reads code spans; "\|" in a span renders as "|"; outside
	 * a table it renders as "\|"): half of len, so most fit with their
	 * escapes */
	rg_esc_term(s, t, len / 2);
	fence = longest_run(t) + 1;
	tl = strlen(t);
	pad = tl && (t[0] == '`' || t[0] == ' ' || t[tl - 1] == '`' || t[tl - 1] == ' ');
	if (2 * fence + 2 + 4 > len)
		goto done;
	/* what the content may take: all of len but the fences, the pads and
	 * the NUL */
	room = len - 1 - 2 * fence - 2 * (size_t)pad;
	for (need = tl, i = 0; i < tl; i++)
		need += cell && t[i] == '|';
	for (i = 0; i < fence; i++)
		buf[o++] = '`';
	if (pad)
		buf[o++] = ' ';
	/* whole characters; cut, the "…" that says so (a prefix of t holds no
	 * longer backtick run, so the fence still closes it) */
	for (i = 0; i < tl; i += n) {
		n = char_len((unsigned char)t[i]);
		if (need > room && (o - fence - pad) + n + (cell && t[i] == '|') + 3 > room)
			break;
		if (cell && t[i] == '|')
			buf[o++] = '\\';
		memcpy(buf + o, t + i, n);
		o += n;
	}
	if (i < tl) {
		memcpy(buf + o, "\xe2\x80\xa6", 3);
		o += 3;
	}
	if (pad)
		buf[o++] = ' ';
	for (i = 0; i < fence; i++)
		buf[o++] = '`';
	buf[o] = '\0';
done:
	free(t);
	return buf;
}

const char *rg_esc_md_code(const char *s, char *buf, size_t len)
{
	return code_span(s, buf, len, 1);
}

const char *rg_esc_md_code_text(const char *s, char *buf, size_t len)
{
	return code_span(s, buf, len, 0);
}

char *rg_esc_md_block(const char *info, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t fence = longest_run((const char *)p) + 1, cap, o = 0, i;
	char *out;

	if (fence < 3)
		fence = 3;
	/* each input byte becomes at most 6 output bytes ("\u009b" from 2) */
	cap = strlen((const char *)p) * 6 + 2 * fence + strlen(info) + 8;
	if (!(out = malloc(cap)))
		return NULL;
	for (i = 0; i < fence; i++)
		out[o++] = '`';
	for (i = 0; info[i] && info[i] != '`'; i++)
		out[o++] = info[i];
	out[o++] = '\n';
	o += term_into(out + o, p, RG_ESC_KEEP_LF);
	if (o && out[o - 1] != '\n')
		out[o++] = '\n';
	for (i = 0; i < fence; i++)
		out[o++] = '`';
	out[o++] = '\n';
	out[o] = '\0';
	return out;
}

/* The five characters that can end a text run or a quoted attribute value
 * are written as references; everything else passes byte for byte (UTF-8
 * included: the page declares its charset, and a browser shows an invalid
 * sequence as U+FFFD, which cannot open markup). */
void rg_html_escape(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
				fputs("\xef\xbf\xbd", f);
			else
				fputc(c, f);
		}
	}
}
