/*
 * notes.h - metrics shared through git notes (docs/notes.md): `relgate
 * publish` writes a commit's measured targets into a notes ref
 * (refs/notes/relgate unless relgate.yml says `notes: REF`), and check,
 * report, bisect and the hook read them as a read-only layer under the
 * local cache, so a base that CI has published is never built again.
 *
 * A note is JSON Lines, one entry per line:
 *   {"key":KEY,"target":NAME,"toolchain":SUMMARY,"relgate":VERSION,"binary":{...}}
 * KEY is the cache key (gate/cache.h: tree, target, build settings,
 * toolchain fingerprint, relgate's version): an entry applies only to a
 * job whose key is equal, so a note made by another compiler, another
 * build command or another relgate is ignored. Line per entry lets
 * `git notes merge -s cat_sort_uniq` join notes of two runners.
 */
#ifndef RG_NOTES_H
#define RG_NOTES_H

#include <cjson/cJSON.h>

#include "git2_load.h"

#define RG_NOTES_DEFAULT_REF "refs/notes/relgate"

typedef struct rg_notes {
	char ref[256];         /* "" when the layer is off (--no-notes) */
} rg_notes;

/* The ref: cfg_ref (relgate.yml `notes:`) or the default; off when
 * disabled. */
void rg_notes_init(rg_notes *n, const char *cfg_ref, int disabled);

/* The binary (rg_binary_to_json shape) published for commit under key, or
 * NULL: no note, no entry with that key, or an entry that is not one.
 * Caller deletes. */
cJSON *rg_notes_get(git_repository *repo, const rg_notes *n, const git_oid *commit,
                    const char *key);

typedef struct rg_note_entry {
	const char *key, *target, *toolchain;
	const cJSON *binary;
} rg_note_entry;

/*
 * Writes entries into commit's note, keeping the entries of other keys
 * (another target, another toolchain) and replacing those of the same
 * key. The notes commit is signed by the repository's user.name/email, or
 * "relgate <relgate@localhost>" when unset (CI). Errors: RG_EIO.
 */
int rg_notes_put(git_repository *repo, const rg_notes *n, const git_oid *commit,
                 const rg_note_entry *entries, size_t nentries, rg_err *err);

#endif
