/*
 * notes.c - the notes layer (notes.h): reading an entry of a commit's note
 * and merging entries into it, with libgit2's notes API (git_note_read,
 * git_note_create). Reading never writes to the repository.
 */
#include "notes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../budgets/judge.h"
#include "buf.h"

#define NOTE_MAX (64u << 20)

void rg_notes_init(rg_notes *n, const char *cfg_ref, int disabled)
{
	n->ref[0] = '\0';
	if (!disabled)
		snprintf(n->ref, sizeof(n->ref), "%s", cfg_ref && *cfg_ref ? cfg_ref
		                                                          : RG_NOTES_DEFAULT_REF);
}

/* The text of commit's note (malloc'd), NULL when there is none. */
static char *note_text(git_repository *repo, const rg_notes *n, const git_oid *commit)
{
	git_note *note = NULL;
	const char *msg;
	char *out = NULL;

	if (!n->ref[0] || git_note_read(&note, repo, n->ref, commit) < 0) {
		git_error_clear();
		return NULL;
	}
	msg = git_note_message(note);
	if (msg && strlen(msg) < NOTE_MAX)
		out = strdup(msg);
	git_note_free(note);
	return out;
}

/* Calls fn on each entry (parsed line) of a note; stops when it returns
 * non-zero and returns that. */
static int each_entry(char *text, int (*fn)(cJSON *entry, const char *line, void *arg), void *arg)
{
	char *line = text, *end;
	int rc = 0;

	while (line && *line && !rc) {
		cJSON *e;

		if ((end = strchr(line, '\n')))
			*end = '\0';
		if (*line && (e = cJSON_Parse(line))) {
			rc = fn(e, line, arg);
			cJSON_Delete(e);
		}
		if (end)
			*end = '\n';
		line = end ? end + 1 : NULL;
	}
	return rc;
}

typedef struct find {
	const char *key;
	cJSON *binary;
} find;

/* A note is input from whoever could push the ref: an entry is used only
 * when it reads as relgate wrote it (metrics exact integers, a known
 * format, a plain architecture name), so a malformed one cannot stop the
 * gate or put odd strings in its reports; it is ignored, and the side
 * built. */
static int valid_binary(const cJSON *b)
{
	const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(b, "format");
	const cJSON *arch = cJSON_GetObjectItemCaseSensitive(b, "arch");
	rg_metric_map m = RG_METRIC_MAP_INIT;
	rg_err err = { 0, "" };
	const char *p;
	int ok;

	if (!cJSON_IsString(fmt) || (strcmp(fmt->valuestring, "elf") &&
	    strcmp(fmt->valuestring, "macho") && strcmp(fmt->valuestring, "pe")))
		return 0;
	if (arch && (!cJSON_IsString(arch) || strlen(arch->valuestring) > 32))
		return 0;
	for (p = arch ? arch->valuestring : ""; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.'))
			return 0;
	ok = rg_metric_map_from_json(&m, cJSON_GetObjectItemCaseSensitive(b, "metrics"),
	                             &err) == RG_OK;
	rg_metric_map_free(&m);
	return ok;
}

static int find_key(cJSON *e, const char *line, void *arg)
{
	find *f = arg;
	cJSON *k = cJSON_GetObjectItemCaseSensitive(e, "key");
	cJSON *b = cJSON_GetObjectItemCaseSensitive(e, "binary");

	(void)line;
	if (!cJSON_IsString(k) || strcmp(k->valuestring, f->key) || !cJSON_IsObject(b))
		return 0;
	if (!valid_binary(b)) {
		fprintf(stderr, "relgate: warning: ignoring a malformed entry for key %.12s in a "
		        "note (it is built instead)\n", f->key);
		return 0;
	}
	f->binary = cJSON_DetachItemViaPointer(e, b);
	return 1;
}

cJSON *rg_notes_get(git_repository *repo, const rg_notes *n, const git_oid *commit,
                    const char *key)
{
	find f = { key, NULL };
	char *text = note_text(repo, n, commit);

	if (text)
		each_entry(text, find_key, &f);
	free(text);
	return f.binary;
}

typedef struct keep {
	const rg_note_entry *entries;
	size_t n;
	rg_buf out;            /* the new note, one entry per line */
} keep;

static void append(keep *k, const char *line)
{
	rg_buf_str(&k->out, line);
	rg_buf_str(&k->out, "\n");
}

/* Keeps an old line unless a new entry has its key. */
static int keep_other(cJSON *e, const char *line, void *arg)
{
	keep *k = arg;
	cJSON *key = cJSON_GetObjectItemCaseSensitive(e, "key");
	size_t i;

	if (!cJSON_IsString(key))
		return 0;
	for (i = 0; i < k->n; i++)
		if (!strcmp(key->valuestring, k->entries[i].key))
			return 0;
	append(k, line);
	return 0;
}

int rg_notes_put(git_repository *repo, const rg_notes *n, const git_oid *commit,
                 const rg_note_entry *entries, size_t nentries, rg_err *err)
{
	keep k = { entries, nentries, RG_BUF_INIT };
	char *old = note_text(repo, n, commit);
	git_signature *sig = NULL;
	git_oid note_id;
	size_t i;
	int rc = RG_OK;

	if (old)
		each_entry(old, keep_other, &k);
	free(old);
	for (i = 0; i < nentries; i++) {
		cJSON *line = cJSON_CreateObject();
		char *s = NULL;

		if (line && cJSON_AddStringToObject(line, "key", entries[i].key) &&
		    cJSON_AddStringToObject(line, "target", entries[i].target) &&
		    cJSON_AddStringToObject(line, "toolchain", entries[i].toolchain ? entries[i].toolchain : "") &&
		    cJSON_AddStringToObject(line, "relgate", RG_VERSION) &&
		    cJSON_AddItemToObject(line, "binary", cJSON_Duplicate(entries[i].binary, 1)))
			s = cJSON_PrintUnformatted(line);
		if (!s)
			k.out.oom = 1;
		else
			append(&k, s);
		cJSON_free(s);
		cJSON_Delete(line);
	}
	if (k.out.oom) {
		rc = rg_err_set(err, RG_ENOMEM, "out of memory");
		goto done;
	}
	if (git_signature_default(&sig, repo) < 0 &&
	    git_signature_now(&sig, "relgate", "relgate@localhost") < 0) {
		rc = rg_err_set(err, RG_EIO, "cannot make a signature for the notes commit");
		goto done;
	}
	git_error_clear();
	if (git_note_create(&note_id, repo, n->ref, sig, sig, commit, k.out.p ? k.out.p : "",
	                    1) < 0) {
		const git_error *e = git_error_last();
		rc = rg_err_set(err, RG_EIO, "cannot write the note of %s into %s: %s",
		                git_oid_tostr_s(commit), n->ref, e && e->message ? e->message : "?");
	}
done:
	git_signature_free(sig);
	free(k.out.p);
	return rc;
}
