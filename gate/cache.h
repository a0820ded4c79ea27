/*
 * cache.h - the measurements of one side of a target, cached on disk so
 * `relgate check` builds an unchanged base once, not on every run
 * (docs/gate.md "Cache").
 */
#ifndef RG_CACHE_H
#define RG_CACHE_H

#include <cjson/cJSON.h>
#include "git2_load.h"

#include "../budgets/budgets.h"

#define RG_CACHE_KEY_HEX 41

typedef struct rg_cache {
	char dir[4096]; /* "" when disabled */
} rg_cache;

/*
 * Chooses the directory: dir_opt (--cache-dir), else $XDG_CACHE_HOME/relgate,
 * else $HOME/.cache/relgate; disabled when `disabled` (--no-cache) or when
 * none can be found. The directory is created on the first store.
 */
void rg_cache_init(rg_cache *c, const char *dir_opt, int disabled);

/*
 * The key of a side of a target: SHA-1 over the tree id, the target's name,
 * build, artifact, arch and page size, the values of the environment
 * variables it names, the toolchain fingerprint (gate/toolchain.h; "" for
 * none) and relgate's version. hex gets 40 digits + NUL. The same key
 * decides whether a published note applies (gate/notes.h).
 */
int rg_cache_key(const rg_target *t, const git_oid *tree, const char *toolchain,
                 char hex[RG_CACHE_KEY_HEX], rg_err *err);

/* The cached measured binary (rg_binary_to_json shape) or NULL on a miss;
 * an unreadable or corrupt entry is a miss. Caller deletes. */
cJSON *rg_cache_get(const rg_cache *c, const char *key);

/* Stores binary (not consumed) under key, atomically (temp file +
 * rename(2)), so concurrent runs sharing the directory never see a partial
 * entry. A failure to store is reported but not fatal to the caller. */
int rg_cache_put(const rg_cache *c, const char *key, const char *target,
                 const cJSON *binary, rg_err *err);

#endif
