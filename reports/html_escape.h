/*
 * html_escape.h - the one escaping of untrusted text (commit subjects,
 * target and metric names, section names, YAML text) for HTML: the same
 * output is safe as element text and inside a double- or single-quoted
 * attribute value. Control characters (C0 but tab and newline, and DEL)
 * become U+FFFD, since HTML forbids them and a reader cannot see them.
 */
#ifndef RG_HTML_ESCAPE_H
#define RG_HTML_ESCAPE_H

#include <stdio.h>

/* Writes s with & < > " ' as character references. */
void rg_html_escape(FILE *f, const char *s);

#endif
