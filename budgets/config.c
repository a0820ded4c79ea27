/*
 * config.c - the relgate.yml loader (docs/budgets.md).
 *
 * libyaml's event parser (https://pyyaml.org/wiki/LibYAML, yaml.h) feeds a
 * small tree of scalars, mappings and sequences that keeps every node's
 * 1-based line and column; the tree is then checked against the format.
 * The event API is used instead of yaml_parser_load() so that hostile input
 * is refused while it streams: aliases (the "billion laughs" expansion) and
 * anchors are rejected at their position, nesting is capped at
 * RG_CONFIG_MAX_DEPTH and the node count at RG_CONFIG_MAX_NODES.
 * Every error is one "FILE:LINE:COL: what is wrong" line.
 */
#include "budgets.h"
#include "../gate/buf.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

enum { Y_SCALAR, Y_MAP, Y_SEQ };

typedef struct ynode {
	int type;
	char *s;             /* scalar text (NUL-terminated) */
	int quoted;          /* scalar was quoted (never null) */
	int line, col;       /* 1-based */
	struct ynode **kids; /* map: key, value, key, value ...; seq: items */
	size_t n, cap;
} ynode;

typedef struct ctx {
	const char *file;
	rg_err *err;
	size_t nodes;
	size_t dropped;      /* errors found after err->msg was full */
} ctx;

static const char *const kind_names[] = { "max", "warn_max", "max_increase", "warn_increase" };

const char *rg_rule_kind_name(int kind)
{
	return kind >= 0 && kind < RG_RULE_KIND_COUNT ? kind_names[kind] : "?";
}

int rg_rule_is_increase(int kind)
{
	return kind == RG_RULE_MAX_INCREASE || kind == RG_RULE_WARN_INCREASE;
}

static int errat(ctx *c, int line, int col, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/* Every mistake of a budget file is reported, not just the first: a
 * later one is appended to err->msg on a line of its own while it fits
 * (room is kept for "(and N more)"), then counted in c->dropped. */
static int errat(ctx *c, int line, int col, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	size_t l;
	int n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->err->code != RG_EINPUT)
		return rg_err_set(c->err, RG_EINPUT, "%s:%d:%d: %s", c->file, line, col, msg);
	l = strlen(c->err->msg);
	n = snprintf(NULL, 0, "\n%s:%d:%d: %s", c->file, line, col, msg);
	if (n > 0 && l + (size_t)n + 32 < sizeof(c->err->msg))
		snprintf(c->err->msg + l, sizeof(c->err->msg) - l, "\n%s:%d:%d: %s", c->file, line, col, msg);
	else
		c->dropped++;
	return RG_EINPUT;
}

/* ---- the event -> tree stage ---- */

static void ynode_free(ynode *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->n; i++)
		ynode_free(n->kids[i]);
	free(n->kids);
	free(n->s);
	free(n);
}

static ynode *ynode_new(ctx *c, int type, const yaml_mark_t *m)
{
	ynode *n;

	if (++c->nodes > RG_CONFIG_MAX_NODES) {
		errat(c, (int)m->line + 1, (int)m->column + 1,
		      "too many YAML nodes (more than %d)", RG_CONFIG_MAX_NODES);
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (!n) {
		rg_err_set(c->err, RG_ENOMEM, "out of memory");
		return NULL;
	}
	n->type = type;
	n->line = (int)m->line + 1;
	n->col = (int)m->column + 1;
	return n;
}

/* Displays a scalar in a message: quoted and cut short. */
static const char *shown(const char *s, char *buf, size_t len)
{
	size_t i, o = 0;

	for (i = 0; s[i] && o + 4 < len; i++)
		buf[o++] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
	if (s[i])
		buf[o++] = '.', buf[o++] = '.', buf[o++] = '.';
	buf[o] = '\0';
	return buf;
}

/*
 * Duplicates among the scalars nodes[0], nodes[step], ... in n log n (a
 * file may list 100,000 names): sorted by (text, position), a repeat sits
 * after its first occurrence. Returns 1 with *dup the earliest repeat and
 * *first its first occurrence, as a left-to-right scan would find them.
 */
typedef struct dup_key {
	const char *s;
	size_t at;
} dup_key;

static int dup_key_cmp(const void *a, const void *b)
{
	const dup_key *x = a, *y = b;
	int d = strcmp(x->s, y->s);

	return d ? d : x->at < y->at ? -1 : x->at > y->at;
}

static int first_duplicate(ctx *c, ynode *const *nodes, size_t n, size_t step, size_t *dup,
                           size_t *first, int *rc)
{
	dup_key *k;
	size_t i, m = 0, run = 0;
	int found = 0;

	*rc = RG_OK;
	if (n < 2 * step)
		return 0;
	if (!(k = malloc((n / step + 1) * sizeof(*k)))) {
		*rc = rg_err_set(c->err, RG_ENOMEM, "out of memory");
		return 0;
	}
	for (i = 0; i < n; i += step)
		k[m].s = nodes[i]->s, k[m].at = i, m++;
	qsort(k, m, sizeof(*k), dup_key_cmp);
	for (i = 1; i < m; i++) {
		if (strcmp(k[i].s, k[i - 1].s)) {
			run = i;
			continue;
		}
		if (!found || k[i].at < *dup) {
			*dup = k[i].at;
			*first = k[run].at;
			found = 1;
		}
		while (i + 1 < m && !strcmp(k[i + 1].s, k[i].s))
			i++; /* later repeats of the same text come after this one */
	}
	free(k);
	return found;
}

/* A mapping's keys are unique; checked when it closes. */
static int unique_keys(ctx *c, const ynode *map)
{
	size_t dup, first;
	char b1[64];
	int rc;

	if (first_duplicate(c, map->kids, map->n, 2, &dup, &first, &rc))
		return errat(c, map->kids[dup]->line, map->kids[dup]->col,
		             "duplicate key '%s' (first at line %d)",
		             shown(map->kids[dup]->s, b1, sizeof(b1)), map->kids[first]->line);
	return rc;
}

static int attach(ctx *c, ynode *parent, ynode *kid)
{
	if (parent->type == Y_MAP && parent->n % 2 == 0 && kid->type != Y_SCALAR)
		return errat(c, kid->line, kid->col, "mapping keys must be plain strings");
	if (parent->n == parent->cap) {
		size_t ncap = parent->cap ? parent->cap * 2 : 8;
		ynode **nk = realloc(parent->kids, ncap * sizeof(*nk));
		if (!nk)
			return rg_err_set(c->err, RG_ENOMEM, "out of memory");
		parent->kids = nk;
		parent->cap = ncap;
	}
	parent->kids[parent->n++] = kid;
	return RG_OK;
}

static int refuse_props(ctx *c, const yaml_event_t *ev, const yaml_char_t *anchor,
                        const yaml_char_t *tag, int implicit_tag_ok)
{
	int l = (int)ev->start_mark.line + 1, col = (int)ev->start_mark.column + 1;

	if (anchor)
		return errat(c, l, col, "anchors ('&%.40s') and aliases are not supported", anchor);
	if (tag && !implicit_tag_ok)
		return errat(c, l, col, "YAML tags ('%.40s') are not supported", tag);
	return RG_OK;
}

static int syntax_error(ctx *c, const yaml_parser_t *p, const char *buf, size_t len)
{
	if (p->error == YAML_MEMORY_ERROR)
		return rg_err_set(c->err, RG_ENOMEM, "out of memory while reading %s", c->file);
	if (p->error == YAML_READER_ERROR) {
		/* An encoding error (invalid UTF-8, a NUL): libyaml gives its byte
		 * offset, not a mark; line and column (in characters) from it. */
		size_t i, end = p->problem_offset < len ? p->problem_offset : len;
		int line = 1, col = 1;

		for (i = 0; i < end; i++) {
			if (buf[i] == '\n')
				line++, col = 1;
			else if (((unsigned char)buf[i] & 0xc0) != 0x80)
				col++;
		}
		return errat(c, line, col, "YAML encoding error: %s", p->problem ? p->problem :
		             "invalid input");
	}
	return errat(c, (int)p->problem_mark.line + 1, (int)p->problem_mark.column + 1,
	             "YAML syntax error: %s%s%s", p->problem ? p->problem : "malformed document",
	             p->context ? " " : "", p->context ? p->context : "");
}

/* One event into the tree; *stack is the chain of open collections. */
static int on_event(ctx *c, const yaml_event_t *ev, ynode **stack, size_t *depth,
                    ynode **root, int *docs)
{
	ynode *n = NULL;
	int rc;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++*docs > 1)
			return errat(c, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1,
			             "only one YAML document is allowed");
		return RG_OK;
	case YAML_ALIAS_EVENT:
		return errat(c, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1,
		             "aliases ('*%.40s') are not supported", ev->data.alias.anchor);
	case YAML_SCALAR_EVENT:
		if ((rc = refuse_props(c, ev, ev->data.scalar.anchor, ev->data.scalar.tag,
		                       ev->data.scalar.plain_implicit || ev->data.scalar.quoted_implicit)))
			return rc;
		if (!(n = ynode_new(c, Y_SCALAR, &ev->start_mark)))
			return c->err->code;
		n->s = malloc(ev->data.scalar.length + 1);
		if (!n->s) {
			ynode_free(n);
			return rg_err_set(c->err, RG_ENOMEM, "out of memory");
		}
		memcpy(n->s, ev->data.scalar.value, ev->data.scalar.length);
		n->s[ev->data.scalar.length] = '\0';
		if (strlen(n->s) != ev->data.scalar.length) {
			ynode_free(n);
			return errat(c, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1,
			             "NUL character in a string");
		}
		n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
		break;
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT: {
		int map = ev->type == YAML_MAPPING_START_EVENT;
		if ((rc = refuse_props(c, ev, map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor,
		                       map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag,
		                       map ? ev->data.mapping_start.implicit : ev->data.sequence_start.implicit)))
			return rc;
		if (*depth >= RG_CONFIG_MAX_DEPTH)
			return errat(c, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1,
			             "nesting too deep (more than %d levels)", RG_CONFIG_MAX_DEPTH);
		if (!(n = ynode_new(c, map ? Y_MAP : Y_SEQ, &ev->start_mark)))
			return c->err->code;
		break;
	}
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		if (*depth && stack[*depth - 1]->type == Y_MAP && (rc = unique_keys(c, stack[*depth - 1])))
			return rc;
		if (*depth)
			--*depth;
		return RG_OK;
	default:
		return RG_OK;
	}
	if (*depth == 0) {
		if (*root) { /* cannot happen within one document; be safe */
			rc = errat(c, n->line, n->col, "only one YAML document is allowed");
			ynode_free(n);
			return rc;
		}
		*root = n;
	} else if ((rc = attach(c, stack[*depth - 1], n))) {
		ynode_free(n);
		return rc;
	}
	if (n->type != Y_SCALAR)
		stack[(*depth)++] = n;
	return RG_OK;
}

static int build_tree(ctx *c, const char *buf, size_t len, ynode **root)
{
	yaml_parser_t p;
	yaml_event_t ev;
	ynode *stack[RG_CONFIG_MAX_DEPTH];
	size_t depth = 0;
	int docs = 0, rc = RG_OK, done = 0;

	*root = NULL;
	if (!yaml_parser_initialize(&p))
		return rg_err_set(c->err, RG_ENOMEM, "out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = syntax_error(c, &p, buf, len);
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		rc = on_event(c, &ev, stack, &depth, root, &docs);
		yaml_event_delete(&ev);
		if (rc)
			break;
	}
	yaml_parser_delete(&p);
	if (rc) {
		ynode_free(*root);
		*root = NULL;
	}
	return rc;
}

/* ---- value forms ---- */

static int is_null(const ynode *n)
{
	return n->type == Y_SCALAR && !n->quoted &&
	       (!n->s[0] || !strcmp(n->s, "~") || !strcmp(n->s, "null") ||
	        !strcmp(n->s, "Null") || !strcmp(n->s, "NULL"));
}

/* Parses "DIGITS[.DIGITS]" into an integer part and up to 9 fraction
 * digits; *end after it. NULL or a description of what is wrong. */
static const char *parse_decimal(const char *s, uint64_t *ip, uint64_t *frac, int *fdigits,
                                 const char **end)
{
	uint64_t v = 0;

	*frac = 0;
	*fdigits = 0;
	if (*s == '-')
		return "negative values are not allowed";
	if (!isdigit((unsigned char)*s))
		return "expected a number";
	for (; isdigit((unsigned char)*s); s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return "number too large";
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return "expected digits after '.'";
		for (; isdigit((unsigned char)*s); s++) {
			if (*fdigits == 9)
				return "too many decimals";
			*frac = *frac * 10 + (uint64_t)(*s - '0');
			++*fdigits;
		}
	}
	*ip = v;
	*end = s;
	return NULL;
}

static const struct {
	const char *name;
	uint64_t mul;
} units[] = {
	{ "B", 1 }, { "KiB", 1024 }, { "MiB", 1024 * 1024 }, { "GiB", 1024ull * 1024 * 1024 },
	{ "KB", 1000 }, { "MB", 1000 * 1000 }, { "GB", 1000ull * 1000 * 1000 },
};

const char *rg_parse_size(const char *s, int allow_units, int64_t *out)
{
	uint64_t ip, frac, mul = 1, pow10 = 1, v;
	int fd, i;
	const char *e, *msg;

	if ((msg = parse_decimal(s, &ip, &frac, &fd, &e)))
		return msg;
	while (*e == ' ')
		e++;
	if (*e) {
		for (i = 0; i < (int)(sizeof(units) / sizeof(units[0])); i++)
			if (!strcmp(e, units[i].name))
				break;
		if (i == (int)(sizeof(units) / sizeof(units[0])))
			return *e == '%' ? "a percentage is only allowed for max_increase and warn_increase"
			                 : "bad unit (expected B, KiB, MiB, GiB, KB, MB, GB)";
		if (!allow_units)
			return "a size unit on a metric that counts things, not bytes";
		mul = units[i].mul;
	}
	for (i = 0; i < fd; i++)
		pow10 *= 10;
	if (fd && (frac * mul) % pow10)
		return *e ? "not a whole number of bytes" : "not a whole number";
	if (ip > (uint64_t)INT64_MAX / mul)
		return "too large (the limit is 2^63-1)";
	v = ip * mul + frac * mul / pow10;
	if (v > (uint64_t)INT64_MAX)
		return "too large (the limit is 2^63-1)";
	*out = (int64_t)v;
	return NULL;
}

const char *rg_parse_percent(const char *s, int64_t *pu, double *percent)
{
	uint64_t ip, frac, v;
	int fd;
	const char *e, *msg;

	if ((msg = parse_decimal(s, &ip, &frac, &fd, &e)))
		return msg;
	while (*e == ' ')
		e++;
	if (strcmp(e, "%") != 0)
		return "expected a percentage like 2% or 0.5%";
	if (fd > 4)
		return "at most 4 decimals in a percentage";
	if ((double)ip > RG_PERCENT_MAX)
		return "percentage too large (at most 1000000%)";
	v = ip * RG_PERCENT_SCALE;
	for (; fd < 4; fd++)
		frac *= 10;
	v += frac;
	if ((double)v > RG_PERCENT_MAX * RG_PERCENT_SCALE)
		return "percentage too large (at most 1000000%)";
	*pu = (int64_t)v;
	*percent = (double)v / RG_PERCENT_SCALE;
	return NULL;
}

const char *rg_parse_duration(const char *s, unsigned *seconds)
{
	uint64_t ip, frac, mul = 1;
	int fd;
	const char *e, *msg;

	if ((msg = parse_decimal(s, &ip, &frac, &fd, &e)))
		return msg;
	if (fd)
		return "expected whole seconds, minutes or hours (90s, 30m, 2h)";
	if (!strcmp(e, "h"))
		mul = 3600;
	else if (!strcmp(e, "m"))
		mul = 60;
	else if (*e && strcmp(e, "s"))
		return "bad unit (expected s, m or h, as in 90s, 30m, 2h)";
	if (ip == 0)
		return "a timeout must be positive";
	if (ip > 7 * 86400 / mul)
		return "a timeout must be at most 7 days";
	*seconds = (unsigned)(ip * mul);
	return NULL;
}

int64_t rg_percent_of(int64_t base, int64_t pu)
{
	/* floor(base * pu / D) without overflow: split base = q*D + r. */
	const uint64_t D = 100u * RG_PERCENT_SCALE;
	uint64_t b = base > 0 ? (uint64_t)base : 0, p = pu > 0 ? (uint64_t)pu : 0;
	uint64_t q = b / D, r = b % D, hi, lo;

	if (q && p > (uint64_t)INT64_MAX / q)
		return INT64_MAX;
	hi = q * p;           /* exact: q*D*p/D */
	lo = r * p / D;       /* r < 10^6, p <= 10^10: product < 2^64 */
	if (hi > (uint64_t)INT64_MAX - lo)
		return INT64_MAX;
	return (int64_t)(hi + lo);
}

int rg_metric_is_bytes(const char *name)
{
	static const char *const suffixes[] = { ".size", ".vmsize", ".filesize", ".bytes",
	                                        ".dirty_bytes", NULL };
	const char *const *sfx;
	size_t n = strlen(name);

	if (!strncmp(name, "vm.", 3))
		return 1;
	if (!strncmp(name, "pclntab.", 8))
		return !strcmp(name, "pclntab.bytes");
	for (sfx = suffixes; *sfx; sfx++) {
		size_t l = strlen(*sfx);
		if (n >= l && !strcmp(name + n - l, *sfx))
			return 1;
	}
	return 0;
}

const char *rg_rule_limit_str(const rg_rule *r, char *buf, size_t len)
{
	static const char *un[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	int u = 0;
	int64_t v = r->value;

	if (r->is_percent) {
		char tmp[48];
		size_t l;
		snprintf(tmp, sizeof(tmp), "%.4f", (double)r->percent_units / RG_PERCENT_SCALE);
		l = strlen(tmp);
		while (l && tmp[l - 1] == '0')
			tmp[--l] = '\0';
		if (l && tmp[l - 1] == '.')
			tmp[--l] = '\0';
		snprintf(buf, len, "%s%%", tmp);
		return buf;
	}
	if (!rg_metric_is_bytes(r->metric)) {
		snprintf(buf, len, "%lld", (long long)v);
		return buf;
	}
	/* Exact: the largest binary unit that divides the value. */
	while (v && v % 1024 == 0 && u < 6) {
		v /= 1024;
		u++;
	}
	if (u == 0 && v >= 1000 && v % 1000 == 0) {
		static const char *si[] = { "B", "KB", "MB", "GB" };
		while (v % 1000 == 0 && u < 3) {
			v /= 1000;
			u++;
		}
		snprintf(buf, len, "%lld %s", (long long)v, si[u]);
		return buf;
	}
	snprintf(buf, len, "%lld %s", (long long)v, un[u]);
	return buf;
}

/* ---- the tree -> config stage ---- */

static const char *type_name(const ynode *n)
{
	return n->type == Y_MAP ? "a mapping" : n->type == Y_SEQ ? "a list" :
	       is_null(n) ? "nothing" : "a scalar";
}

static int want(ctx *c, const ynode *n, int type, const char *what)
{
	if (n->type == type && !(type == Y_SCALAR && is_null(n)))
		return RG_OK;
	return errat(c, n->line, n->col, "%s must be %s, got %s", what,
	             type == Y_MAP ? "a mapping" : type == Y_SEQ ? "a list" : "a value",
	             type_name(n));
}

static int dup_str(ctx *c, char **dst, const char *s)
{
	*dst = strdup(s);
	return *dst ? RG_OK : rg_err_set(c->err, RG_ENOMEM, "out of memory");
}

/* ---- did you mean ---- */

/* Edit distance (insert, delete, substitute, swap two neighbours) of a and
 * b; names here are short (a metric name is < 160 bytes). */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d[3][161], *pp = d[0], *p = d[1], *cur = d[2], *t;

	if (la > 160 || lb > 160)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		p[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t best = p[j - 1] + (a[i - 1] != b[j - 1]);
			if (p[j] + 1 < best)
				best = p[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < best)
				best = pp[j - 2] + 1;
			cur[j] = best;
		}
		t = pp, pp = p, p = cur, cur = t;
	}
	return p[lb];
}

/* The word of words (NULL-terminated) nearest s: within 2 edits, 1 for
 * short words; NULL when none is that near. */
static const char *nearest(const char *s, const char *const *words)
{
	const char *best = NULL;
	size_t bd = (size_t)-1, d;

	for (; *words; words++)
		if ((d = edit_distance(s, *words)) < bd)
			bd = d, best = *words;
	return bd <= (strlen(s) <= 4 ? 1u : 2u) ? best : NULL;
}

/* A valid metric name one edit from s (in buf), or NULL. The catalog is
 * the parsers' (rg_metric_name_valid), so new metrics are found too. */
static const char *near_metric_1(const char *s, size_t from, char *buf, size_t len)
{
	static const char alpha[] = "abcdefghijklmnopqrstuvwxyz._";
	size_t n = strlen(s), i, k;

	if (n + 2 > len)
		return NULL;
	for (i = from; i <= n; i++) {
		/* delete s[i], swap s[i] s[i+1], substitute s[i], insert before s[i] */
		if (i < n) {
			snprintf(buf, len, "%.*s%s", (int)i, s, s + i + 1);
			if (rg_metric_name_valid(buf))
				return buf;
		}
		if (i + 1 < n) {
			snprintf(buf, len, "%s", s);
			buf[i] = s[i + 1], buf[i + 1] = s[i];
			if (rg_metric_name_valid(buf))
				return buf;
		}
		for (k = 0; alpha[k]; k++) {
			if (i < n) {
				snprintf(buf, len, "%s", s);
				buf[i] = alpha[k];
				if (rg_metric_name_valid(buf))
					return buf;
			}
			snprintf(buf, len, "%.*s%c%s", (int)i, s, alpha[k], s + i);
			if (rg_metric_name_valid(buf))
				return buf;
		}
	}
	return NULL;
}

/* " (did you mean 'NAME'?)" for an unknown metric s, or "": a name one
 * edit away, or for segment[..]/section[..] a field two edits away. */
static const char *suggest_metric(const char *s, char *buf, size_t len)
{
	char a[200], b[200];
	const char *dot = strrchr(s, ']'), *hit = near_metric_1(s, 0, a, sizeof(a));
	size_t from, i, n;

	/* Real fields are short ("dirty_bytes"); the two-edit search costs
	 * about 3000 * length^2 lookups, so a long hostile one gets none. */
	if (!hit && dot && dot[1] == '.' && strlen(s) < 150 && strlen(dot + 2) <= 16) {
		/* two edits in the field: every one-edit variant of it, then one more */
		static const char alpha[] = "abcdefghijklmnopqrstuvwxyz_";
		from = (size_t)(dot - s) + 2;
		n = strlen(s);
		for (i = from; !hit && i <= n; i++) {
			size_t k;
			for (k = 0; !hit && alpha[k]; k++) {
				snprintf(b, sizeof(b), "%.*s%c%s", (int)i, s, alpha[k], s + i); /* insert */
				hit = near_metric_1(b, from, a, sizeof(a));
				if (!hit && i < n) {
					snprintf(b, sizeof(b), "%s", s);                   /* substitute */
					b[i] = alpha[k];
					hit = near_metric_1(b, from, a, sizeof(a));
				}
			}
			if (!hit && i < n) {
				snprintf(b, sizeof(b), "%.*s%s", (int)i, s, s + i + 1);    /* delete */
				hit = near_metric_1(b, from, a, sizeof(a));
			}
		}
	}
	if (!hit)
		return "";
	snprintf(buf, len, " (did you mean '%s'?)", hit);
	return buf;
}

/* " (did you mean 'WORD'?)" for an unknown key among words, or "". */
static const char *suggest_word(const char *s, const char *const *words, char *buf, size_t len)
{
	const char *w = nearest(s, words);

	if (!w)
		return "";
	snprintf(buf, len, " (did you mean '%s'?)", w);
	return buf;
}

static int valid_ident(const char *s, int allow_dot_dash)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' &&
		    !(allow_dot_dash && (*s == '.' || *s == '-')))
			return 0;
	return 1;
}

static int load_rules(ctx *c, rg_target *t, const ynode *key, const ynode *val)
{
	static const char *const kinds[] = { "max", "warn_max", "max_increase", "warn_increase", NULL };
	char b1[64], dym[240];
	size_t i;
	int rc, bad = RG_OK;

	if (strlen(key->s) >= sizeof(t->rules[0].metric) || !rg_metric_name_valid(key->s))
		return errat(c, key->line, key->col, "unknown metric '%s'%s (the catalog: man relgate, "
		             "or metrics.md in share/doc/relgate)", shown(key->s, b1, sizeof(b1)),
		             /* once the message is full nobody reads the hint */
		             c->dropped ? "" : suggest_metric(key->s, dym, sizeof(dym)));
	if ((rc = want(c, val, Y_MAP, "the rules of a metric")))
		return rc;
	if (val->n == 0)
		return errat(c, val->line, val->col, "no rules for '%s' (expected max, warn_max, "
		             "max_increase, warn_increase)", key->s);
	for (i = 0; i < val->n; i += 2) {
		const ynode *k = val->kids[i], *v = val->kids[i + 1];
		rg_rule *r;
		const char *msg;
		int kind;

		for (kind = 0; kind < RG_RULE_KIND_COUNT; kind++)
			if (!strcmp(k->s, kind_names[kind]))
				break;
		if (kind == RG_RULE_KIND_COUNT) {
			bad = errat(c, k->line, k->col, "unknown rule '%s'%s (expected max, warn_max, "
			            "max_increase, warn_increase)", shown(k->s, b1, sizeof(b1)),
			            suggest_word(k->s, kinds, dym, sizeof(dym)));
			continue;
		}
		if ((rc = want(c, v, Y_SCALAR, kind_names[kind]))) {
			bad = rc;
			continue;
		}
		r = &t->rules[t->nrules];
		memset(r, 0, sizeof(*r));
		snprintf(r->metric, sizeof(r->metric), "%s", key->s);
		snprintf(r->file, sizeof(r->file), "%s", c->file);
		r->kind = kind;
		r->line = v->line;
		r->col = v->col;
		if (strchr(v->s, '%') && rg_rule_is_increase(kind)) {
			r->is_percent = 1;
			msg = rg_parse_percent(v->s, &r->percent_units, &r->percent);
		} else {
			msg = rg_parse_size(v->s, rg_metric_is_bytes(key->s), &r->value);
		}
		if (msg) {
			bad = errat(c, v->line, v->col, "bad value '%s' for %s: %s",
			            shown(v->s, b1, sizeof(b1)), kind_names[kind], msg);
			continue;
		}
		t->nrules++;
	}
	return bad;
}

static int load_budgets(ctx *c, rg_target *t, const ynode *n)
{
	size_t i, total = 0;
	int rc, bad = RG_OK;

	if ((rc = want(c, n, Y_MAP, "budgets")))
		return rc;
	for (i = 1; i < n->n; i += 2)
		if (n->kids[i]->type == Y_MAP)
			total += n->kids[i]->n / 2;
	if (total && !(t->rules = calloc(total, sizeof(*t->rules))))
		return rg_err_set(c->err, RG_ENOMEM, "out of memory");
	for (i = 0; i < n->n; i += 2)
		if ((rc = load_rules(c, t, n->kids[i], n->kids[i + 1])) == RG_ENOMEM)
			return rc;
		else if (rc)
			bad = rc;
	return bad;
}

static int load_env(ctx *c, rg_target *t, const ynode *n)
{
	size_t i, dup, first;
	char b1[64];
	int rc;

	if ((rc = want(c, n, Y_SEQ, "env")))
		return rc;
	if (n->n && !(t->env = calloc(n->n, sizeof(char *))))
		return rg_err_set(c->err, RG_ENOMEM, "out of memory");
	for (i = 0; i < n->n; i++) {
		const ynode *v = n->kids[i];
		if ((rc = want(c, v, Y_SCALAR, "an env entry")))
			return rc;
		if (!valid_ident(v->s, 0) || isdigit((unsigned char)v->s[0]))
			return errat(c, v->line, v->col, "'%s' is not an environment variable name",
			             shown(v->s, b1, sizeof(b1)));
	}
	if (first_duplicate(c, n->kids, n->n, 1, &dup, &first, &rc))
		return errat(c, n->kids[dup]->line, n->kids[dup]->col, "'%s' is listed twice",
		             n->kids[dup]->s);
	if (rc)
		return rc;
	for (i = 0; i < n->n; i++) {
		if ((rc = dup_str(c, &t->env[t->nenv], n->kids[i]->s)))
			return rc;
		t->nenv++;
	}
	return RG_OK;
}

/* toolchain: [COMMAND, ...] (or one COMMAND): their output is part of the
 * cache key, so a compiler upgrade does not keep serving old metrics. */
static int load_toolchain(ctx *c, rg_target *t, const ynode *n)
{
	size_t i, count = n->type == Y_SCALAR ? 1 : n->n;
	int rc;

	t->has_toolchain = 1;
	if (n->type == Y_SCALAR && is_null(n))
		return RG_OK;
	if (n->type != Y_SCALAR && (rc = want(c, n, Y_SEQ, "toolchain")))
		return rc;
	if (count && !(t->toolchain = calloc(count, sizeof(char *))))
		return rg_err_set(c->err, RG_ENOMEM, "out of memory");
	for (i = 0; i < count; i++) {
		const ynode *v = n->type == Y_SCALAR ? n : n->kids[i];
		if ((rc = want(c, v, Y_SCALAR, "a toolchain command")))
			return rc;
		if (!v->s[0])
			return errat(c, v->line, v->col, "empty toolchain command");
		if ((rc = dup_str(c, &t->toolchain[t->ntoolchain], v->s)))
			return rc;
		t->ntoolchain++;
	}
	return RG_OK;
}

static int load_scalar_field(ctx *c, rg_target *t, const ynode *k, const ynode *v)
{
	char b1[64];
	const char *msg;
	int rc;

	if ((rc = want(c, v, Y_SCALAR, k->s)))
		return rc;
	if (!strcmp(k->s, "build"))
		return dup_str(c, &t->build, v->s);
	if (!strcmp(k->s, "artifact"))
		return dup_str(c, &t->artifact, v->s);
	if (!strcmp(k->s, "arch")) {
		if (strlen(v->s) >= 32 || !valid_ident(v->s, 1))
			return errat(c, v->line, v->col, "'%s' is not an architecture name",
			             shown(v->s, b1, sizeof(b1)));
		return dup_str(c, &t->arch, v->s);
	}
	if (!strcmp(k->s, "page_size")) {
		int64_t ps;
		if ((msg = rg_parse_size(v->s, 1, &ps)))
			return errat(c, v->line, v->col, "bad value '%s' for page_size: %s",
			             shown(v->s, b1, sizeof(b1)), msg);
		if (ps < 512 || ps > (1 << 20) || (ps & (ps - 1)))
			return errat(c, v->line, v->col, "page_size '%s' is not a power of two "
			             "from 512 B to 1 MiB", shown(v->s, b1, sizeof(b1)));
		t->page_size = (uint64_t)ps;
		return RG_OK;
	}
	if (!strcmp(k->s, "timeout")) {
		if ((msg = rg_parse_duration(v->s, &t->timeout_s)))
			return errat(c, v->line, v->col, "bad value '%s' for timeout: %s",
			             shown(v->s, b1, sizeof(b1)), msg);
		return RG_OK;
	}
	/* submodules */
	if (!strcmp(v->s, "skip") || !strcmp(v->s, "export")) {
		t->submodules_skip = !strcmp(v->s, "skip");
		return RG_OK;
	}
	return errat(c, v->line, v->col, "bad value '%s' for submodules (expected skip or export)",
	             shown(v->s, b1, sizeof(b1)));
}

static const char target_keys[] =
	"build, artifact, arch, page_size, timeout, env, submodules, toolchain, budgets";

static int load_target(ctx *c, rg_target *t, const ynode *key, const ynode *n)
{
	static const char *const scalars[] = { "build", "artifact", "arch", "page_size",
	                                       "timeout", "submodules", NULL };
	static const char *const keys[] = { "build", "artifact", "arch", "page_size", "timeout",
	                                    "submodules", "env", "toolchain", "budgets", NULL };
	const char *const *s;
	char b1[64], dym[120];
	size_t i;
	int rc, bad = RG_OK;

	t->line = key->line;
	t->col = key->col;
	if (strlen(key->s) > 128 || !valid_ident(key->s, 1))
		return errat(c, key->line, key->col, "target name '%s' may only contain letters, "
		             "digits, '.', '_' and '-'", shown(key->s, b1, sizeof(b1)));
	if ((rc = dup_str(c, &t->name, key->s)) || (rc = want(c, n, Y_MAP, "a target")))
		return rc;
	for (i = 0; i < n->n; i += 2) {
		const ynode *k = n->kids[i], *v = n->kids[i + 1];
		for (s = scalars; *s && strcmp(*s, k->s); s++)
			;
		if (*s)
			rc = load_scalar_field(c, t, k, v);
		else if (!strcmp(k->s, "env"))
			rc = load_env(c, t, v);
		else if (!strcmp(k->s, "toolchain"))
			rc = load_toolchain(c, t, v);
		else if (!strcmp(k->s, "budgets"))
			rc = load_budgets(c, t, v);
		else
			rc = errat(c, k->line, k->col, "unknown key '%s'%s in target '%s' (expected %s)",
			           shown(k->s, b1, sizeof(b1)), suggest_word(k->s, keys, dym, sizeof(dym)),
			           t->name, target_keys);
		if (rc == RG_ENOMEM)
			return rc;
		if (rc)
			bad = rc;
	}
	if (bad)
		return bad; /* a missing key is said once the others are right */
	if (!t->build)
		return errat(c, key->line, key->col, "target '%s' has no 'build' (the command "
		             "that builds it)", t->name);
	if (!t->artifact)
		return errat(c, key->line, key->col, "target '%s' has no 'artifact' (the file "
		             "the build writes)", t->name);
	return RG_OK;
}

/* notes: REF, the git notes ref `relgate publish` writes and the gate
 * reads; one git would accept, under refs/notes/. */
static int load_notes_ref(ctx *c, rg_config *cfg, const ynode *v)
{
	const char *s;
	char b1[64];
	int rc;

	if ((rc = want(c, v, Y_SCALAR, "notes")))
		return rc;
	s = v->s;
	if (strncmp(s, "refs/notes/", 11) || !s[11] || strlen(s) > 200 || strstr(s, "..") ||
	    strstr(s, "//") || strstr(s, "@{") || s[strlen(s) - 1] == '/' ||
	    (strlen(s) > 5 && !strcmp(s + strlen(s) - 5, ".lock")) ||
	    strpbrk(s, " ~^:?*[\\\t\n\r"))
		return errat(c, v->line, v->col, "notes: '%s' is not a ref under refs/notes/ "
		             "(e.g. refs/notes/relgate)", shown(s, b1, sizeof(b1)));
	return dup_str(c, &cfg->notes_ref, s);
}

static int load_root(ctx *c, rg_config *cfg, const ynode *root)
{
	static const char *const keys[] = { "version", "targets", "notes", NULL };
	const ynode *targets = NULL, *version = NULL, *tkey = NULL;
	char b1[64], dym[120];
	size_t i;
	int rc, bad = RG_OK;

	if (root->type != Y_MAP)
		return errat(c, root->line, root->col, "expected a mapping with 'version' and "
		             "'targets', got %s", type_name(root));
	for (i = 0; i < root->n; i += 2) {
		const ynode *k = root->kids[i];
		if (!strcmp(k->s, "version"))
			version = root->kids[i + 1];
		else if (!strcmp(k->s, "targets"))
			targets = root->kids[i + 1], tkey = k;
		else if (!strcmp(k->s, "notes")) {
			if ((rc = load_notes_ref(c, cfg, root->kids[i + 1])))
				return rc;
		} else
			return errat(c, k->line, k->col, "unknown key '%s'%s (expected version, targets, "
			             "notes)", shown(k->s, b1, sizeof(b1)), suggest_word(k->s, keys, dym, sizeof(dym)));
	}
	if (!version)
		return errat(c, root->line, root->col, "missing 'version: 1'");
	if (version->type != Y_SCALAR || strcmp(version->s, "1"))
		return errat(c, version->line, version->col, "unsupported version '%s' (expected 1)",
		             version->type == Y_SCALAR ? shown(version->s, b1, sizeof(b1)) : type_name(version));
	cfg->version = 1;
	if (!targets)
		return errat(c, root->line, root->col, "missing 'targets'");
	if ((rc = want(c, targets, Y_MAP, "targets")))
		return rc;
	if (targets->n == 0)
		return errat(c, tkey->line, tkey->col, "no targets");
	if (!(cfg->targets = calloc(targets->n / 2, sizeof(*cfg->targets))))
		return rg_err_set(c->err, RG_ENOMEM, "out of memory");
	for (i = 0; i < targets->n; i += 2) {
		rc = load_target(c, &cfg->targets[cfg->ntargets++], targets->kids[i],
		                 targets->kids[i + 1]);
		if (rc == RG_ENOMEM)
			return rc;
		if (rc)
			bad = rc;
	}
	return bad;
}

int rg_config_parse(const char *display_path, const char *buf, size_t len,
                    rg_config **out, rg_err *err)
{
	ctx c = { display_path ? display_path : "relgate.yml", err, 0, 0 };
	ynode *root = NULL;
	rg_config *cfg = NULL;
	int rc;

	*out = NULL;
	if (len > RG_CONFIG_MAX_BYTES)
		return rg_err_set(err, RG_EINPUT, "%s: larger than %u bytes; not a budget file",
		                  c.file, RG_CONFIG_MAX_BYTES);
	if ((rc = build_tree(&c, buf, len, &root)))
		return rc;
	if (!root || is_null(root)) {
		rc = errat(&c, 1, 1, "empty file (expected 'version: 1' and 'targets')");
		goto done;
	}
	if (!(cfg = calloc(1, sizeof(*cfg))) || !(cfg->path = strdup(c.file))) {
		rc = rg_err_set(err, RG_ENOMEM, "out of memory");
		goto done;
	}
	rc = load_root(&c, cfg, root);
	if (rc == RG_EINPUT && c.dropped) {
		size_t l = strlen(err->msg);
		snprintf(err->msg + l, sizeof(err->msg) - l, "\n(and %zu more error%s)", c.dropped,
		         c.dropped == 1 ? "" : "s");
	}
done:
	ynode_free(root);
	if (rc) {
		rg_config_free(cfg);
		return rc;
	}
	*out = cfg;
	return RG_OK;
}

int rg_config_load(const char *path, rg_config **out, rg_err *err)
{
	rg_err re = { 0 };
	char *buf;
	size_t len;
	int rc;

	*out = NULL;
	rc = rg_read_file(path, RG_CONFIG_MAX_BYTES, &buf, &len, &re);
	if (rc == RG_EINPUT)
		return rg_err_set(err, rc, "%s: larger than %u bytes; not a budget file", path,
		                  RG_CONFIG_MAX_BYTES);
	if (rc != RG_OK)
		return rg_err_set(err, rc, "%s: %s", path, re.msg);
	rc = rg_config_parse(path, buf, len, out, err);
	free(buf);
	return rc;
}

static void target_free(rg_target *t)
{
	size_t i;

	free(t->name);
	free(t->build);
	free(t->artifact);
	free(t->arch);
	for (i = 0; i < t->nenv; i++)
		free(t->env[i]);
	free(t->env);
	for (i = 0; i < t->ntoolchain; i++)
		free(t->toolchain[i]);
	free(t->toolchain);
	free(t->rules);
}

void rg_config_free(rg_config *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->ntargets; i++)
		target_free(&c->targets[i]);
	free(c->targets);
	free(c->notes_ref);
	free(c->path);
	free(c);
}

const rg_target *rg_config_target(const rg_config *c, const char *name)
{
	size_t i;

	for (i = 0; c && name && i < c->ntargets; i++)
		if (!strcmp(c->targets[i].name, name))
			return &c->targets[i];
	return NULL;
}
