/*
 * escape.h - one sanitiser per output context for strings relgate did not
 * write itself: commit subjects, the head's relgate.yml and its diff,
 * merge part subjects, target, metric, section, segment and package names
 * read from YAML or binaries. All of it may be hostile (docs/security.md).
 *
 *   terminal / log   control characters (C0, DEL, C1) and bytes that are
 *                    not UTF-8 become visible escapes: "\r", "\x1b",
 *                    "\u009b". A bare CR can then never start a line a
 *                    GitHub runner reads as a workflow command.
 *   Markdown         a table cell or text: the terminal escapes, then
 *                    every character that means something to GFM (| ` * _
 *                    [ ] < > & \ ~ # ! and so on) backslash-escaped or as
 *                    an entity, so no raw HTML, link or code span passes.
 *   Markdown HTML    text inside the <details>/<summary> relgate writes:
 *                    the terminal escapes, then & < > " as entities.
 *   Markdown code    an inline code span whose backtick fence is longer
 *                    than any backtick run inside ('|' escaped only in a
 *                    table cell); a fenced block likewise.
 *   HTML             element text and quoted attribute values alike: & < >
 *                    " ' as references, control characters (C0 but TAB and
 *                    LF, DEL) as U+FFFD, since HTML forbids them and a
 *                    reader cannot see them.
 * The workflow-command escapes of @actions/core are report_github.c's.
 */
#ifndef RG_ESCAPE_H
#define RG_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* A sanitiser into a buffer (rg_esc_term, rg_esc_md ...): s escaped into
 * buf, cut with "…" to fit len. Returns buf. */
typedef const char *(*rg_esc_fn)(const char *s, char *buf, size_t len);

/* Terminal form of s, one line (LF escaped too), cut with "…" to fit
 * len. Returns buf. */
const char *rg_esc_term(const char *s, char *buf, size_t len);
#define RG_ESC_KEEP_LF 1 /* a multi-line text: a diff, a build log (LF and TAB kept) */
#define RG_ESC_KEEP_CR 2 /* for a form that escapes CR itself (workflow commands) */
#define RG_ESC_BACKSLASH 4 /* "\\" for a backslash: the escapes read back unambiguously */
/* s in terminal form as a heap string (caller frees; NULL when out of
 * memory), keeping what keep (RG_ESC_KEEP_*) says. */
char *rg_esc_term_dup(const char *s, int keep);
/* Writes s in terminal form to f (as rg_esc_term_dup, without a length
 * cut); "?" when out of memory. */
void rg_esc_term_put(FILE *f, const char *s, int keep);

/* Markdown text (a table cell, a heading): escaped so that it renders as
 * the characters it holds and nothing else. Cut with "…" to fit len.
 * Returns buf. */
const char *rg_esc_md(const char *s, char *buf, size_t len);
/* Text inside the raw HTML of a Markdown document (a <summary>), where
 * Markdown is not read: the terminal escapes, then & < > " as entities.
 * Cut with "…" to fit len. Returns buf. */
const char *rg_esc_md_html(const char *s, char *buf, size_t len);
/* An inline code span holding s, for a table cell: "`s`", "`` a`b ``" ...
 * (control characters in terminal form; a '|' as "\|", which GFM reads as
 * part of the cell). Cut with "…" to fit len. Returns buf. */
const char *rg_esc_md_code(const char *s, char *buf, size_t len);
/* The same outside a table (a paragraph, a heading, a list item), where
 * "\|" would show its backslash: '|' is left as is. */
const char *rg_esc_md_code_text(const char *s, char *buf, size_t len);
/* s as a fenced code block with info string info ("diff"), control
 * characters but LF in terminal form, the fence longer than any backtick
 * run in s. A heap string (caller frees), or NULL when out of memory. */
char *rg_esc_md_block(const char *info, const char *s);

/* Writes s for HTML (the report page), with & < > " ' as character
 * references: the same output is safe as element text and inside a
 * double- or single-quoted attribute value. */
void rg_html_escape(FILE *f, const char *s);

#endif
