/*
 * cache.c - on-disk cache of measured sides (docs/gate.md "Cache").
 *
 * Layout: DIR/v1/KK/KEY.json where KEY is the 40-digit SHA-1 (git's blob
 * hash, via git_odb_hash) of a length-prefixed list of everything that
 * decides the measurement: the commit's tree id (not the commit id, so a
 * rebase that keeps the tree hits), the target's build command, artifact,
 * arch, page size, the values of the environment variables the target
 * names, the toolchain fingerprint (gate/toolchain.c: a new compiler builds
 * another binary) and relgate's version (a new parser may measure
 * differently).
 *
 * An entry is {"schema_version":1,"key":KEY,"target":NAME,"binary":{...},
 * "checksum":SUM} where binary is what rg_binary_to_json writes and SUM the
 * SHA-1 (git_odb_hash) of binary printed unformatted by cJSON; printing what
 * cJSON parsed gives the same text again (numbers print in the shortest
 * form that reads back exactly), so a reader can recompute it. An entry
 * whose checksum, key or metrics (integers) do not hold is a miss. Writers create a unique
 * temporary file in the same directory and rename(2) it over the entry:
 * rename is atomic in POSIX, so two runs sharing the cache see either no
 * entry or a whole one; when both store, the last rename wins and both
 * entries are equally valid.
 */
#include "cache.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../parsers/model.h"
#include "buf.h"

void rg_cache_init(rg_cache *c, const char *dir_opt, int disabled)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	c->dir[0] = '\0';
	if (disabled)
		return;
	if (dir_opt && *dir_opt)
		snprintf(c->dir, sizeof(c->dir), "%s", dir_opt);
	else if (xdg && *xdg == '/')
		snprintf(c->dir, sizeof(c->dir), "%s/relgate", xdg);
	else if (home && *home)
		snprintf(c->dir, sizeof(c->dir), "%s/.cache/relgate", home);
}

/* "LEN:VALUE\n": no two different field lists hash the same text. */
static void field(rg_buf *b, const char *name, const char *value)
{
	if (!value)
		value = "\x01unset";
	rg_buf_printf(b, "%s=%zu:%s\n", name, strlen(value), value);
}

int rg_cache_key(const rg_target *t, const git_oid *tree, const char *toolchain,
                 char hex[RG_CACHE_KEY_HEX], rg_err *err)
{
	rg_buf b = RG_BUF_INIT;
	char num[32];
	git_oid id;
	size_t i;
	int rc = RG_OK;

	field(&b, "relgate", RG_VERSION);
	field(&b, "tree", git_oid_tostr_s(tree));
	/* Builds see $RELGATE_TARGET: two targets with the same settings
	 * may still build different binaries. */
	field(&b, "target", t->name);
	field(&b, "build", t->build);
	field(&b, "artifact", t->artifact);
	field(&b, "arch", t->arch);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)t->page_size);
	field(&b, "page_size", num);
	for (i = 0; i < t->nenv; i++) {
		field(&b, "env", t->env[i]);
		field(&b, "value", getenv(t->env[i]));
	}
	if (toolchain && *toolchain)
		field(&b, "toolchain", toolchain);
	/* Group metrics are measured only when budgets name them: a cached
	 * side must hold every group the rules ask for. */
	for (i = 0; i < t->nrules; i++)
		if (rg_metric_is_group(t->rules[i].metric))
			field(&b, "group", t->rules[i].metric);
	if (b.oom)
		rc = rg_err_set(err, RG_ENOMEM, "out of memory");
	else if (git_odb_hash(&id, b.p, b.n, GIT_OBJECT_BLOB) < 0)
		rc = rg_err_set(err, RG_ENOMEM, "cannot hash the cache key");
	else
		git_oid_tostr(hex, RG_CACHE_KEY_HEX, &id);
	free(b.p);
	return rc;
}

static void entry_path(const rg_cache *c, const char *key, char *out, size_t len, int dir_only)
{
	if (dir_only)
		snprintf(out, len, "%s/v1/%.2s", c->dir, key);
	else
		snprintf(out, len, "%s/v1/%.2s/%s.json", c->dir, key, key);
}

/* SHA-1 hex of binary printed unformatted; "" when it cannot be made. */
static void checksum(const cJSON *binary, char hex[RG_CACHE_KEY_HEX])
{
	char *text = cJSON_PrintUnformatted(binary);
	git_oid id;

	hex[0] = '\0';
	if (text && git_odb_hash(&id, text, strlen(text), GIT_OBJECT_BLOB) == 0)
		git_oid_tostr(hex, RG_CACHE_KEY_HEX, &id);
	cJSON_free(text);
}

/* Every metric an integer (what rg_binary_to_json writes). */
static int metrics_ok(const cJSON *metrics)
{
	const cJSON *m;

	if (!cJSON_IsObject(metrics))
		return 0;
	cJSON_ArrayForEach(m, metrics) {
		if (!cJSON_IsNumber(m) || !isfinite(m->valuedouble) || fmod(m->valuedouble, 1.0) != 0)
			return 0;
	}
	return 1;
}

cJSON *rg_cache_get(const rg_cache *c, const char *key)
{
	char path[4200], sum[RG_CACHE_KEY_HEX];
	char *text;
	size_t len;
	cJSON *doc, *k, *bin, *want, *out = NULL;

	if (!c->dir[0])
		return NULL;
	entry_path(c, key, path, sizeof(path), 0);
	if (rg_read_file(path, 64u << 20, &text, &len, NULL) != RG_OK) /* a miss */
		return NULL;
	doc = cJSON_Parse(text);
	free(text);
	k = cJSON_GetObjectItemCaseSensitive(doc, "key");
	bin = cJSON_GetObjectItemCaseSensitive(doc, "binary");
	want = cJSON_GetObjectItemCaseSensitive(doc, "checksum");
	if (cJSON_IsString(k) && !strcmp(k->valuestring, key) && cJSON_IsObject(bin) &&
	    metrics_ok(cJSON_GetObjectItemCaseSensitive(bin, "metrics")) && cJSON_IsString(want)) {
		checksum(bin, sum);
		if (sum[0] && !strcmp(sum, want->valuestring))
			out = cJSON_DetachItemViaPointer(doc, bin);
	}
	cJSON_Delete(doc);
	return out;
}

static int mkdirs(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) < 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(path, 0777) < 0 && errno != EEXIST ? -1 : 0;
}

int rg_cache_put(const rg_cache *c, const char *key, const char *target, const cJSON *binary,
                 rg_err *err)
{
	char dir[4200], path[4200], tmp[4300] = "", sum[RG_CACHE_KEY_HEX];
	cJSON *doc = cJSON_CreateObject();
	char *text = NULL;
	FILE *f = NULL;
	int fd = -1, rc = RG_OK;

	if (!c->dir[0])
		goto done;
	entry_path(c, key, dir, sizeof(dir), 1);
	entry_path(c, key, path, sizeof(path), 0);
	checksum(binary, sum);
	if (!doc || !sum[0] || !cJSON_AddNumberToObject(doc, "schema_version", 1) ||
	    !cJSON_AddStringToObject(doc, "key", key) ||
	    !cJSON_AddStringToObject(doc, "target", target) ||
	    !cJSON_AddItemToObject(doc, "binary", cJSON_Duplicate(binary, 1)) ||
	    !cJSON_AddStringToObject(doc, "checksum", sum) ||
	    !(text = cJSON_PrintUnformatted(doc))) {
		rc = rg_err_set(err, RG_ENOMEM, "out of memory");
		goto done;
	}
	if (mkdirs(dir) < 0) {
		rc = rg_err_set(err, RG_EIO, "cache %s: %s", dir, strerror(errno));
		goto done;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0 || !(f = fdopen(fd, "wb"))) {
		rc = rg_err_set(err, RG_EIO, "cache %s: %s", tmp, strerror(errno));
		goto done;
	}
	fd = -1;
	if (fputs(text, f) == EOF || fputc('\n', f) == EOF || fflush(f) != 0 ||
	    fsync(fileno(f)) != 0) {
		rc = rg_err_set(err, RG_EIO, "cache %s: %s", tmp, strerror(errno));
		goto done;
	}
	if (fclose(f) != 0) {
		f = NULL;
		rc = rg_err_set(err, RG_EIO, "cache %s: %s", tmp, strerror(errno));
		goto done;
	}
	f = NULL;
	if (rename(tmp, path) < 0)
		rc = rg_err_set(err, RG_EIO, "cache %s: %s", path, strerror(errno));
done:
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	if (rc != RG_OK && tmp[0])
		unlink(tmp);
	cJSON_free(text);
	cJSON_Delete(doc);
	return rc;
}
