/*
 * html_escape.c - HTML escaping of untrusted text (see html_escape.h): the
 * five characters that can end a text run or a quoted attribute value are
 * written as references; everything else passes byte for byte (UTF-8
 * included: the page declares its charset, and a browser shows an invalid
 * sequence as U+FFFD, which cannot open markup).
 */
#include "html_escape.h"

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
