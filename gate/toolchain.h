/*
 * toolchain.h - the toolchain fingerprint of a target, part of its cache
 * key (docs/gate.md "Cache"), so that metrics measured by one compiler are
 * never served for another: a compiler upgrade, another runner image, or a
 * note published by a CI with another Xcode.
 *
 * The fingerprint hashes the output of the target's `toolchain:` commands
 * (run with /bin/sh -c) or, without `toolchain:`, the version output of
 * the compilers its build command names (cc, gcc, clang, go, rustc,
 * cargo, swift, xcodebuild ...). Those are remembered on disk per binary
 * path, size and mtime, so an unchanged compiler costs a stat(2), not a
 * process.
 */
#ifndef RG_TOOLCHAIN_H
#define RG_TOOLCHAIN_H

#include "../budgets/budgets.h"
#include "cache.h"

/*
 * The fingerprint of target t: 40 hex digits in hex ("" for `toolchain:
 * []`, which opts out) and, in *summary, one line naming what was
 * fingerprinted ("gcc: gcc (Debian 12.2.0-14) 12.2.0") for notes and
 * messages; the summary is owned by this module. Computed once per
 * process per target. The remembered version outputs live under
 * cache->dir/toolchain (none when the cache is disabled). A `toolchain:`
 * command that fails is an error (RG_EBUILD) naming it.
 */
int rg_toolchain_fingerprint(const rg_target *t, const rg_cache *cache,
                             char hex[RG_CACHE_KEY_HEX], const char **summary, rg_err *err);

/* The compilers the build command names, as the default fingerprint sees
 * them: their names, space-separated, into out (for tests and --help). */
void rg_toolchain_compilers(const char *build, char *out, size_t len);

#endif
