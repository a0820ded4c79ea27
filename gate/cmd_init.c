/*
 * cmd_init.c - `relgate init`: a starter relgate.yml for the project in
 * front of it (docs/budgets.md "A first relgate.yml").
 *
 * 1. Detects the build from HEAD's tree, the tree `relgate check` will
 *    build: go.mod (go build into $RELGATE_OUT), Cargo.toml (cargo build
 *    --release), a Makefile (make), CMakeLists.txt (cmake); --build wins.
 * 2. Exports HEAD with libgit2 into a fresh temporary directory, runs the
 *    build there as check runs it (gate/build.c: /bin/sh -c, RELGATE_OUT,
 *    timeout, log), so the working tree is never written to.
 * 3. Finds the binaries the build made (regular files that were not in the
 *    export, ELF/Mach-O/PE that are not object files) and proposes one:
 *    a shared library first (a library project's product), else an
 *    executable, names with "test" last, then the largest; --artifact wins.
 * 4. Measures it and writes the headline metrics it has as budgets with
 *    headroom (max: the value plus 10% or a minimum step; max_increase: 5%
 *    of it or the step), parsed back with the real loader before the file
 *    is written (atomically; an existing file only with --force).
 */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../budgets/budgets.h"
#include "../reports/report.h"
#include "build.h"
#include "commit_measure.h"
#include "git.h"

const char rg_help_init[] =
"usage: relgate init [--build CMD] [--artifact PATH] [--target NAME]\n"
"                    [--output FILE] [--force]\n"
"\n"
"Writes a starter relgate.yml at the repository's root. Detects the build\n"
"from HEAD's files (go.mod, Cargo.toml, a Makefile, CMakeLists.txt),\n"
"exports HEAD into a temporary directory (your working tree is not\n"
"touched), builds it there as relgate check will, picks the binary it\n"
"made (a shared library first, else an executable; the largest), measures\n"
"it and writes budgets with headroom on file.size, relocs.total,\n"
"dirty.bytes and pclntab.bytes (those it has). Prints what it did and the\n"
"next step.\n"
"\n"
"  --build CMD         the build command (default: detected)\n"
"  --artifact PATH     the binary to gate: a path in the tree or\n"
"                      $RELGATE_OUT/NAME (default: the one found)\n"
"  --target NAME       the target's name (default: the artifact's name)\n"
"  --output FILE       where to write (default relgate.yml at the root)\n"
"  --force             overwrite an existing file\n"
"\n"
"Exit: 0 written, 2 bad usage, the file exists, no build detected or no\n"
"binary found, 3 the export or the build failed.\n";

typedef struct init_opts {
	const char *build, *artifact, *target, *output;
	int force;
} init_opts;

typedef struct candidate {
	char *rel;             /* path from the tree root, or "$RELGATE_OUT/NAME" */
	off_t size;
	int rank;              /* higher is preferred */
} candidate;

/* One budget written (reports/report.h): the value measured and the
 * limits with headroom; bytes says whether the metric counts bytes. */
typedef rg_init_budget budget;

#define INIT_METRICS 4

typedef struct init_run {
	init_opts o;
	git_repository *repo;
	rg_side head;
	char build[1024], artifact[1200], target[129], found_by[200];
	char out_path[4200];
	char root[1100], src[1200], outdir[1200], log[1300];
	char **before;         /* the export's files, sorted */
	size_t nbefore, capbefore;
	candidate *cands;
	size_t ncands;
	rg_binary_list measured;
	budget budgets[INIT_METRICS];
	size_t nbudgets;
	rg_err err;
} init_run;

/* ---- arguments ---------------------------------------------------------- */

/* init takes no word that is not an option. */
static int no_positional(void *ctx, const char *word)
{
	(void)ctx;
	rg_errorf("init: unknown argument '%s' (see 'relgate help init')", word);
	return -1;
}

static int parse_args(int argc, char **argv, init_opts *o)
{
	const rg_opt opts[] = {
		RG_OPT_VALUE("--build", NULL, &o->build),
		RG_OPT_VALUE("--artifact", NULL, &o->artifact),
		RG_OPT_VALUE("--target", NULL, &o->target),
		RG_OPT_VALUE("--output", NULL, &o->output),
		RG_OPT_FLAG("--force", &o->force),
		RG_OPT_END
	};

	return rg_opts_parse("init", rg_help_init, argc, argv, opts, no_positional, NULL);
}

/* ---- what HEAD holds ---------------------------------------------------- */

static int has_file(init_run *r, const char *path)
{
	char *buf = NULL;
	size_t len;
	int rc = rg_git_read_file(r->repo, &r->head.commit, path, &buf, &len, &r->err);

	free(buf);
	return rc == RG_OK;
}

/* Keeps [A-Za-z0-9._-] of s (at most 128), for a target name. */
static void ident(const char *s, char *out, size_t len)
{
	size_t i, n = 0;

	for (i = 0; s[i] && n + 1 < len && n < 128; i++)
		if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' || s[i] == '-')
			out[n++] = s[i];
	out[n] = '\0';
}

/* HEAD's tree at dir ("" for the root), or NULL when it has none. */
static git_tree *head_tree(init_run *r, const char *dir)
{
	git_commit *c = NULL;
	git_tree *root = NULL, *t = NULL;
	git_tree_entry *e = NULL;

	if (git_commit_lookup(&c, r->repo, &r->head.commit) == 0 && git_commit_tree(&root, c) == 0) {
		if (!*dir) {
			t = root;
			root = NULL;
		} else if (git_tree_entry_bypath(&e, root, dir) == 0 &&
		           git_tree_entry_type(e) == GIT_OBJECT_TREE &&
		           git_tree_lookup(&t, r->repo, git_tree_entry_id(e)) < 0) {
			t = NULL;
		}
	}
	git_tree_entry_free(e);
	git_tree_free(root);
	git_commit_free(c);
	git_error_clear();
	return t;
}

/* 1 when a .go file of HEAD's directory dir ("" for the root) says
 * "package main". */
static int go_main_in(init_run *r, const char *dir)
{
	git_tree *t = head_tree(r, dir);
	size_t i;
	int found = 0;

	for (i = 0; t && !found && i < git_tree_entrycount(t); i++) {
		const char *name = git_tree_entry_name(git_tree_entry_byindex(t, i));
		size_t n = strlen(name);
		char path[1200], *buf = NULL;
		size_t len;

		if (n < 4 || strcmp(name + n - 3, ".go") || (n > 8 && !strcmp(name + n - 8, "_test.go")))
			continue;
		snprintf(path, sizeof(path), "%s%s%s", dir, *dir ? "/" : "", name);
		if (rg_git_read_file(r->repo, &r->head.commit, path, &buf, &len, &r->err) == RG_OK)
			found = !strncmp(buf, "package main", 12) || strstr(buf, "\npackage main") != NULL;
		free(buf);
	}
	git_tree_free(t);
	return found;
}

/* The first directory under cmd/ with a main package, into pkg. */
static int go_cmd_dir(init_run *r, char *pkg, size_t len)
{
	git_tree *t = head_tree(r, "cmd");
	size_t i;
	int found = 0;

	for (i = 0; t && !found && i < git_tree_entrycount(t); i++) {
		const git_tree_entry *x = git_tree_entry_byindex(t, i);
		char dir[600];

		if (git_tree_entry_type(x) != GIT_OBJECT_TREE)
			continue;
		snprintf(dir, sizeof(dir), "cmd/%s", git_tree_entry_name(x));
		if ((found = go_main_in(r, dir)))
			snprintf(pkg, len, "%s", dir);
	}
	git_tree_free(t);
	return found;
}

static int detect_go(init_run *r)
{
	char *mod = NULL, *p, *end, name[129] = "", pkg[700] = ".";
	size_t len;

	if (rg_git_read_file(r->repo, &r->head.commit, "go.mod", &mod, &len, &r->err) != RG_OK)
		return rg_err_set(&r->err, RG_EINPUT, "go.mod: unreadable in HEAD");
	for (p = mod; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, "module", 6) && (p[6] == ' ' || p[6] == '\t')) {
			p += 7;
			p += strspn(p, " \t\"");
			end = p + strcspn(p, " \t\r\n\"/");
			while (*end == '/') {   /* keep the last element of the path */
				p = end + 1;
				end = p + strcspn(p, " \t\r\n\"/");
			}
			*end = '\0';
			ident(p, name, sizeof(name));
			break;
		}
	free(mod);
	if (!go_main_in(r, "") && !go_cmd_dir(r, pkg, sizeof(pkg)))
		return rg_err_set(&r->err, RG_EINPUT, "go.mod: no main package at the root or under "
		                  "cmd/; name the build with --build and --artifact");
	if (strcmp(pkg, "."))
		ident(strrchr(pkg, '/') + 1, name, sizeof(name));
	if (!*name)
		snprintf(name, sizeof(name), "app");
	snprintf(r->build, sizeof(r->build), "go build -trimpath -o \"$RELGATE_OUT/%s\" %s%s",
	         name, strcmp(pkg, ".") ? "./" : "", pkg);
	if (!r->o.artifact)
		snprintf(r->artifact, sizeof(r->artifact), "$RELGATE_OUT/%s", name);
	snprintf(r->found_by, sizeof(r->found_by), "a Go module (go.mod), main package %s%.150s",
	         strcmp(pkg, ".") ? "./" : "", pkg);
	return RG_OK;
}

static int detect(init_run *r)
{
	static const struct {
		const char *file, *build, *what;
	} kinds[] = {
		{ "Cargo.toml", "cargo build --release", "a Cargo package (Cargo.toml)" },
		{ "Makefile", "make", "a Makefile" },
		{ "makefile", "make", "a makefile" },
		{ "GNUmakefile", "make", "a GNUmakefile" },
		{ "CMakeLists.txt", "cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && "
		  "cmake --build build", "a CMake project (CMakeLists.txt)" },
	};
	size_t i;

	if (r->o.build) {
		snprintf(r->build, sizeof(r->build), "%s", r->o.build);
		snprintf(r->found_by, sizeof(r->found_by), "--build");
		return RG_OK;
	}
	if (has_file(r, "go.mod"))
		return detect_go(r);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (has_file(r, kinds[i].file)) {
			snprintf(r->build, sizeof(r->build), "%s", kinds[i].build);
			snprintf(r->found_by, sizeof(r->found_by), "%s", kinds[i].what);
			return RG_OK;
		}
	return rg_err_set(&r->err, RG_EINPUT, "no go.mod, Cargo.toml, Makefile or CMakeLists.txt "
	                  "in HEAD %s: give the build command with --build CMD (and --artifact "
	                  "PATH)", r->head.short_id);
}

/* ---- the build ---------------------------------------------------------- */

static int add_before(init_run *r, const char *rel)
{
	if (r->nbefore == r->capbefore) {
		size_t cap = r->capbefore ? r->capbefore * 2 : 256;
		char **p = realloc(r->before, cap * sizeof(*p));
		if (!p)
			return RG_ENOMEM;
		r->before = p;
		r->capbefore = cap;
	}
	if (!(r->before[r->nbefore] = strdup(rel)))
		return RG_ENOMEM;
	r->nbefore++;
	return RG_OK;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Object files and archives are not artifacts: 0 for those, else 2 for a
 * shared library, 1 for an executable (and a PE image). */
static int binary_kind(const char *path)
{
	unsigned char h[64];
	ssize_t n;
	int fd = open(path, O_RDONLY), type;

	if (fd < 0)
		return 0;
	n = read(fd, h, sizeof(h));
	close(fd);
	if (n >= 18 && !memcmp(h, "\177ELF", 4)) {
		type = h[5] == 2 ? h[16] << 8 | h[17] : h[17] << 8 | h[16];
		if (type == 2)
			return 1;
		/* ET_DYN: a PIE executable has an interpreter; guess by name. */
		return type == 3 ? (strstr(path, ".so") ? 2 : 1) : 0;
	}
	if (n >= 16 && ((h[0] == 0xcf || h[0] == 0xce) && h[1] == 0xfa && h[2] == 0xed &&
	                h[3] == 0xfe)) {
		type = h[12] | h[13] << 8;     /* little-endian Mach-O */
		return type == 2 ? 1 : (type == 6 || type == 8) ? 2 : 0;
	}
	if (n >= 8 && h[0] == 0xca && h[1] == 0xfe && h[2] == 0xba && h[3] == 0xbe &&
	    h[4] == 0 && h[5] == 0 && h[6] == 0 && h[7] > 0 && h[7] < 20)
		return strstr(path, ".dylib") ? 2 : 1;  /* universal */
	if (n >= 2 && h[0] == 'M' && h[1] == 'Z')
		return strstr(path, ".dll") ? 2 : 1;
	return 0;
}

/* Directories of build systems' own probes and intermediates, never the
 * product: CMake's compiler checks, Cargo's dependencies and build
 * scripts. */
static int skipped_dir(const char *rel, const char *name)
{
	static const char *const names[] = { ".git", "CMakeFiles", "deps", ".fingerprint",
	                                     "incremental", NULL };
	const char *const *n;
	size_t len = strlen(rel);

	for (n = names; *n; n++)
		if (!strcmp(name, *n))
			return 1;
	/* target/release/build, target/debug/build (build.rs outputs) */
	return !strcmp(name, "build") && len > 7 &&
	       (!strcmp(rel + len - 7, "release") || !strcmp(rel + len - 5, "debug")) &&
	       strstr(rel, "target/") != NULL;
}

/* 1 when rel was in the export (r->before, sorted), not made by the build. */
static int in_export(const init_run *r, const char *rel)
{
	return r->nbefore && bsearch(&rel, r->before, r->nbefore, sizeof(char *), cmp_str);
}

static int add_candidate(init_run *r, const char *prefix, const char *rel, off_t size,
                         int rank)
{
	candidate *c = realloc(r->cands, (r->ncands + 1) * sizeof(*c));
	char shown[4400];

	if (!c)
		return RG_ENOMEM;
	r->cands = c;
	snprintf(shown, sizeof(shown), "%s%s", prefix, rel);
	if (!(c[r->ncands].rel = strdup(shown)))
		return RG_ENOMEM;
	c[r->ncands].size = size;
	c[r->ncands].rank = rank;
	r->ncands++;
	return RG_OK;
}

/* Walks dir (rel its path from the tree, prefix what artifact paths
 * start with): before the build it records every file; after it, the new
 * ones that are binaries become candidates. */
static int walk(init_run *r, const char *dir, const char *rel, const char *prefix, int after)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = RG_OK;

	if (!d)
		return RG_OK;
	while (rc == RG_OK && (e = readdir(d))) {
		char path[4300], sub[4300];
		struct stat st;
		int kind;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		if (lstat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (after && skipped_dir(rel, e->d_name))
				continue;
			rc = walk(r, path, sub, prefix, after);
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		if (!after) {
			rc = add_before(r, sub);
			continue;
		}
		if (!in_export(r, sub) && (kind = binary_kind(path)))
			rc = add_candidate(r, prefix, sub, st.st_size,
			                   kind * 2 - (strstr(e->d_name, "test") != NULL));
	}
	closedir(d);
	return rc;
}

static int cmp_cand(const void *a, const void *b)
{
	const candidate *x = a, *y = b;

	if (x->rank != y->rank)
		return y->rank - x->rank;
	if (x->size != y->size)
		return y->size > x->size ? 1 : -1;
	return strcmp(x->rel, y->rel);
}

static int build(init_run *r)
{
	rg_build b;
	char *missing = NULL;
	int rc;

	if ((rc = rg_make_tmpdir("relgate-init", r->root, sizeof(r->root), &r->err)) < 0)
		return rc;
	snprintf(r->src, sizeof(r->src), "%s/head", r->root);
	snprintf(r->outdir, sizeof(r->outdir), "%s/out", r->root);
	snprintf(r->log, sizeof(r->log), "%s/build.log", r->root);
	if (mkdir(r->src, 0777) < 0 || mkdir(r->outdir, 0777) < 0)
		return rg_err_set(&r->err, RG_EBUILD, "%s: %s", r->root, strerror(errno));
	fprintf(stderr, "relgate init: exporting HEAD %s\n", r->head.short_id);
	rc = rg_git_export(r->repo, &r->head, r->src, &missing, &rg_interrupted, &r->err);
	free(missing);
	if (rc < 0)
		return r->err.code == RG_EINPUT ? rc : (r->err.code = RG_EBUILD, rc);
	if ((rc = walk(r, r->src, "", "", 0)) < 0)
		return rg_err_set(&r->err, RG_ENOMEM, "out of memory");
	if (r->nbefore)
		qsort(r->before, r->nbefore, sizeof(char *), cmp_str);
	memset(&b, 0, sizeof(b));
	b.side = "head";
	b.commit = r->head.id;
	b.short_id = r->head.short_id;
	b.target = r->o.target ? r->o.target : "init";
	b.command = r->build;
	b.srcdir = r->src;
	b.outdir = r->outdir;
	b.log_path = r->log;
	if ((rc = rg_builds_run(&b, 1, 1, &r->err)) < 0) {
		size_t n = strlen(r->err.msg);
		/* The log goes with the temporary directory: its tail is in the message. */
		snprintf(r->err.msg + n, sizeof(r->err.msg) - n, "; give the build with --build CMD");
		return rc;
	}
	if ((rc = walk(r, r->src, "", "", 1)) < 0 || (rc = walk(r, r->outdir, "", "$RELGATE_OUT/", 1)) < 0)
		return rg_err_set(&r->err, RG_ENOMEM, "out of memory");
	if (r->ncands)
		qsort(r->cands, r->ncands, sizeof(*r->cands), cmp_cand);
	return RG_OK;
}

/* ---- the artifact and its budgets -------------------------------------- */

/* Measures artifact (as the target names it) into r->measured. */
static int measure_artifact(init_run *r, const char *artifact)
{
	rg_measure_opts mo = RG_MEASURE_OPTS_INIT;
	char path[5600], expanded[4300];

	rg_expand_artifact(artifact, r->outdir, "head", r->head.id,
	                   r->o.target ? r->o.target : "init", expanded, sizeof(expanded));
	if (expanded[0] == '/')
		snprintf(path, sizeof(path), "%s", expanded);
	else
		snprintf(path, sizeof(path), "%s/%s", r->src, expanded);
	if (access(path, R_OK) < 0)
		return rg_err_set(&r->err, RG_EINPUT, "the build `%s` succeeded but made no %s%s",
		                  r->build, artifact, r->ncands ? "; it made:" : "");
	rg_binary_list_free(&r->measured);
	if (rg_measure_file(path, &mo, &r->measured, &r->err) < 0)
		return r->err.code = RG_EINPUT, RG_EINPUT;
	if (r->measured.n != 1)
		return rg_err_set(&r->err, RG_EINPUT, "%s holds %zu images; relgate init writes one "
		                  "target: give --artifact a thin binary, or add `arch:` by hand",
		                  artifact, r->measured.n);
	if (artifact != r->artifact)
		snprintf(r->artifact, sizeof(r->artifact), "%s", artifact);
	return RG_OK;
}

/* --artifact, else the first candidate relgate can measure (a file that
 * only looks like a binary by its first bytes is passed over, and said). */
static int pick_and_measure(init_run *r)
{
	size_t i;
	int rc = RG_EINPUT;

	if (r->o.artifact)
		rc = measure_artifact(r, r->o.artifact);
	else if (r->artifact[0])   /* named by the detection ($RELGATE_OUT/NAME) */
		rc = measure_artifact(r, r->artifact);
	for (i = 0; !r->o.artifact && !r->artifact[0] && i < r->ncands && rc < 0; i++) {
		memset(&r->err, 0, sizeof(r->err));
		if ((rc = measure_artifact(r, r->cands[i].rel)) < 0)
			rg_errorf("init: passing over %s: %s", r->cands[i].rel, r->err.msg);
	}
	if (rc < 0 && !r->o.artifact && !r->artifact[0])
		return rg_err_set(&r->err, RG_EINPUT, "the build `%s` made no ELF, Mach-O or PE "
		                  "binary relgate can measure in the tree or in $RELGATE_OUT; name "
		                  "it with --artifact PATH", r->build);
	if (rc < 0)
		return rc;
	if (r->o.target)
		ident(r->o.target, r->target, sizeof(r->target));
	else {
		/* The artifact's name without its suffixes: libdemo.so.1 -> libdemo. */
		const char *base = strrchr(r->artifact, '/');
		char *dot;
		ident(base ? base + 1 : r->artifact, r->target, sizeof(r->target));
		if ((dot = strchr(r->target, '.')) && dot != r->target)
			*dot = '\0';
	}
	if (!r->target[0] || (r->o.target && strcmp(r->target, r->o.target)))
		return rg_err_set(&r->err, RG_EINPUT, "--target: a name of letters, digits, '.', '_' "
		                  "and '-'");
	return RG_OK;
}

/* A YAML single-quoted scalar. */
static void yaml_quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++)
		fputs(*s == '\'' ? "''" : (char[2]){ *s, 0 }, f);
	fputc('\'', f);
}

/* Byte limits from 1 KiB on are written in whole KiB: round up. */
static int64_t round_limit(int bytes, int64_t v)
{
	return bytes && v >= 1024 ? (v + 1023) / 1024 * 1024 : v;
}

static void yaml_size(FILE *f, int bytes, int64_t v)
{
	if (bytes && v >= 1024)
		fprintf(f, "%lldKiB", (long long)(v / 1024));
	else
		fprintf(f, "%lld", (long long)v);
}

/* The headline metrics the binary has, with headroom: max is the value
 * plus 10%, max_increase 5% of it, each at least a step (a page for dirty
 * bytes, which move a page at a time; 4 KiB for sizes; 16 fixups). */
static void compute_budgets(init_run *r)
{
	static const struct {
		const char *metric;
		int64_t step;      /* the least headroom; 0: one page */
	} headline[] = {
		{ "file.size", 4096 }, { "relocs.total", 16 }, { "dirty.bytes", 0 },
		{ "pclntab.bytes", 4096 },
	};
	const rg_binary *b = r->measured.items[0];
	size_t i;

	for (i = 0; i < INIT_METRICS; i++) {
		budget *x = &r->budgets[r->nbudgets];
		int64_t v, step = headline[i].step ? headline[i].step : (int64_t)b->page_size;
		int64_t room, inc;

		if (!rg_metric_lookup(b, headline[i].metric, &v) || step <= 0)
			continue;
		room = v / 10 > step ? v / 10 : step;
		inc = v / 20 > step ? v / 20 : step;
		if (!headline[i].step) {
			room = (room + step - 1) / step * step;
			inc = (inc + step - 1) / step * step;
		}
		x->metric = headline[i].metric;
		x->bytes = rg_metric_is_bytes(x->metric);
		x->now = v;
		x->max = round_limit(x->bytes, v + room);
		x->increase = round_limit(x->bytes, inc);
		r->nbudgets++;
	}
}

static int write_file(init_run *r, const char *path)
{
	const rg_binary *b = r->measured.items[0];
	char tmp[4300], date[32];
	time_t now = time(NULL);
	rg_config *check = NULL;
	FILE *f;
	size_t i;
	int fd, rc = RG_OK;

	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0 || !(f = fdopen(fd, "w"))) {
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		return rg_err_set(&r->err, RG_EIO, "%s: %s", path, strerror(errno));
	}
	strftime(date, sizeof(date), "%Y-%m-%d", gmtime(&now));
	fprintf(f, "# relgate.yml - written by `relgate init` on %s from HEAD %s, built\n"
	        "# with the command below and measured (%s %s). Each budget is the\n"
	        "# measured value plus headroom: tighten it as you like. The format is\n"
	        "# in docs/budgets.md; `relgate validate` checks this file.\n"
	        "version: 1\ntargets:\n  %s:\n    build: ", date, r->head.short_id, b->format,
	        b->arch, r->target);
	yaml_quoted(f, r->build);
	fputs("\n    artifact: ", f);
	yaml_quoted(f, r->artifact);
	fputs("\n    budgets:\n", f);
	for (i = 0; i < r->nbudgets; i++) {
		const budget *x = &r->budgets[i];
		fprintf(f, "      %s: { max: ", x->metric);
		yaml_size(f, x->bytes, x->max);
		fputs(", max_increase: ", f);
		yaml_size(f, x->bytes, x->increase);
		fprintf(f, " }   # now %lld\n", (long long)x->now);
	}
	if (fflush(f) != 0 || ferror(f))
		rc = rg_err_set(&r->err, RG_EIO, "%s: %s", tmp, strerror(errno));
	if (fclose(f) != 0 && rc == RG_OK)
		rc = rg_err_set(&r->err, RG_EIO, "%s: %s", tmp, strerror(errno));
	/* What validate and check will read: never leave a file they reject. */
	if (rc == RG_OK && (rc = rg_config_load(tmp, &check, &r->err)) < 0)
		r->err.code = RG_EINPUT;
	rg_config_free(check);
	if (rc == RG_OK && rename(tmp, path) < 0)
		rc = rg_err_set(&r->err, RG_EIO, "%s: %s", path, strerror(errno));
	if (rc < 0)
		unlink(tmp);
	return rc;
}

/* ---- the command -------------------------------------------------------- */

static int output_path(init_run *r)
{
	const char *wd = rg_git_workdir(r->repo);
	struct stat st;

	if (r->o.output)
		snprintf(r->out_path, sizeof(r->out_path), "%s", r->o.output);
	else if (wd)
		snprintf(r->out_path, sizeof(r->out_path), "%srelgate.yml", wd);
	else
		return rg_err_set(&r->err, RG_EINPUT, "a bare repository has no working tree to "
		                  "write relgate.yml into; give --output FILE");
	if (!r->o.force && lstat(r->out_path, &st) == 0)
		return rg_err_set(&r->err, RG_EINPUT, "%s exists; relgate init does not overwrite it "
		                  "(--force does)", r->out_path);
	return RG_OK;
}

static int report(const init_run *r)
{
	const rg_binary *b = r->measured.items[0];
	const char **others = calloc(r->ncands + 1, sizeof(*others));
	rg_init_result x;
	size_t i;

	if (!others)
		return RG_ENOMEM;
	memset(&x, 0, sizeof(x));
	x.path = r->out_path;
	x.named = r->o.output ? r->o.output : "relgate.yml";
	x.target = r->target;
	x.head = r->head.short_id;
	x.build = r->build;
	x.found_by = r->found_by;
	x.artifact = r->artifact;
	x.format = b->format;
	x.arch = b->arch;
	x.artifact_size = (int64_t)b->slice_size;
	x.budgets = r->budgets;
	x.nbudgets = r->nbudgets;
	for (i = 0; i < r->ncands; i++)
		if (strcmp(r->cands[i].rel, r->artifact))
			others[x.nothers++] = r->cands[i].rel;
	x.others = others;
	rg_init_write_text(stdout, &x);
	free(others);
	return RG_OK;
}

static int run(init_run *r)
{
	rg_side base;
	int rc;

	if ((rc = rg_git_open(&r->repo, &r->err)) < 0)
		return rc;
	if ((rc = rg_git_resolve(r->repo, "HEAD", "HEAD", &base, &r->head, &r->err)) < 0) {
		size_t n = strlen(r->err.msg);
		snprintf(r->err.msg + n, sizeof(r->err.msg) - n, " (relgate init builds HEAD: "
		         "commit the project first)");
		return rc;
	}
	r->head.name = "head";
	if ((rc = output_path(r)) < 0 || (rc = detect(r)) < 0)
		return rc;
	fprintf(stderr, "relgate init: %s: build `%s`\n", r->found_by, r->build);
	if ((rc = build(r)) < 0 || (rc = pick_and_measure(r)) < 0)
		return rc;
	compute_budgets(r);
	if ((rc = write_file(r, r->out_path)) < 0)
		return rc;
	if (report(r) != RG_OK)
		return rg_err_set(&r->err, RG_ENOMEM, "out of memory");
	return RG_OK;
}

int rg_cmd_init(int argc, char **argv)
{
	init_run r;
	size_t i;
	int rc, code;

	memset(&r, 0, sizeof(r));
	if ((rc = parse_args(argc, argv, &r.o)) != 0)
		return rc > 0 ? RG_EXIT_OK : RG_EXIT_USAGE;
	rg_signals_install();
	rc = run(&r);
	if (rc < 0) {
		rg_errorf("init: %s", rg_interrupted ? "interrupted" : r.err.msg);
		if (r.ncands && r.err.code == RG_EINPUT)
			for (i = 0; i < r.ncands; i++)
				fprintf(stderr, "  %s\n", r.cands[i].rel);
		code = rg_interrupted ? RG_EXIT_BUILD : rg_exit_for(r.err.code ? r.err.code : rc);
	} else {
		code = RG_EXIT_OK;
	}
	if (r.root[0] && rg_rmtree(r.root) < 0)
		rg_errorf("warning: could not remove %s", r.root);
	for (i = 0; i < r.nbefore; i++)
		free(r.before[i]);
	free(r.before);
	for (i = 0; i < r.ncands; i++)
		free(r.cands[i].rel);
	free(r.cands);
	rg_binary_list_free(&r.measured);
	if (r.repo)
		git_repository_free(r.repo);
	rg_git2_unload();
	rg_signals_reraise();
	return code;
}
