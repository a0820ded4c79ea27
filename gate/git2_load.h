/*
 * git2_load.h - libgit2, loaded at run time (dlopen) by the commands that
 * read git, so that measure, diff, validate and merge start without it.
 *
 * Linking libgit2 costs every run of relgate the loading of its ~20
 * shared libraries (TLS, SSH, Kerberos): about 7 ms of CPU per process,
 * more than measuring a 300,000-fixup binary (bench/bench_macho.sh,
 * docs/gate.md "Loading libgit2"). The headers still come from libgit2
 * (types, constants, option macros); every function relgate calls is
 * listed below and reached through one table, filled by rg_git2_load().
 * A call to a git_* function not in the list fails to link, since the
 * binary does not link libgit2. A file that includes this header calls
 * rg_git2_load() before any git_* function.
 */
#ifndef RG_GIT2_LOAD_H
#define RG_GIT2_LOAD_H

#include <git2.h>

#include "../parsers/model.h"

/* Every libgit2 function relgate calls, once. */
#define RG_GIT2_FUNCTIONS(X) \
	X(git_blob_free) \
	X(git_blob_lookup) \
	X(git_blob_rawcontent) \
	X(git_blob_rawsize) \
	X(git_branch_lookup) \
	X(git_buf_dispose) \
	X(git_checkout_options_init) \
	X(git_checkout_tree) \
	X(git_commit_free) \
	X(git_commit_id) \
	X(git_commit_lookup) \
	X(git_commit_summary) \
	X(git_commit_tree) \
	X(git_commit_tree_id) \
	X(git_config_free) \
	X(git_config_get_path) \
	X(git_config_get_string_buf) \
	X(git_config_iterator_free) \
	X(git_config_iterator_new) \
	X(git_config_next) \
	X(git_diff_buffers) \
	X(git_diff_options_init) \
	X(git_error_clear) \
	X(git_error_last) \
	X(git_index_entrycount) \
	X(git_index_free) \
	X(git_index_get_byindex) \
	X(git_index_has_conflicts) \
	X(git_libgit2_init) \
	X(git_libgit2_shutdown) \
	X(git_libgit2_version) \
	X(git_merge_base) \
	X(git_note_create) \
	X(git_note_free) \
	X(git_note_message) \
	X(git_note_read) \
	X(git_object_free) \
	X(git_object_id) \
	X(git_object_peel) \
	X(git_odb_hash) \
	X(git_odb_hashfile) \
	X(git_oid_cpy) \
	X(git_oid_equal) \
	X(git_oid_fromstr) \
	X(git_oid_tostr) \
	X(git_oid_tostr_s) \
	X(git_reference_free) \
	X(git_reference_is_branch) \
	X(git_reference_shorthand) \
	X(git_repository_commondir) \
	X(git_repository_config_snapshot) \
	X(git_repository_free) \
	X(git_repository_head) \
	X(git_repository_index) \
	X(git_repository_is_bare) \
	X(git_repository_is_shallow) \
	X(git_repository_item_path) \
	X(git_repository_open) \
	X(git_repository_open_bare) \
	X(git_repository_open_ext) \
	X(git_repository_path) \
	X(git_repository_set_workdir) \
	X(git_repository_workdir) \
	X(git_revparse_single) \
	X(git_revwalk_free) \
	X(git_revwalk_hide) \
	X(git_revwalk_new) \
	X(git_revwalk_next) \
	X(git_revwalk_push) \
	X(git_revwalk_simplify_first_parent) \
	X(git_revwalk_sorting) \
	X(git_signature_default) \
	X(git_signature_free) \
	X(git_signature_now) \
	X(git_status_byindex) \
	X(git_status_list_entrycount) \
	X(git_status_list_free) \
	X(git_status_list_new) \
	X(git_status_options_init) \
	X(git_tag_foreach) \
	X(git_tree_entry_byindex) \
	X(git_tree_entry_bypath) \
	X(git_tree_entry_filemode) \
	X(git_tree_entry_free) \
	X(git_tree_entry_id) \
	X(git_tree_entry_name) \
	X(git_tree_entry_type) \
	X(git_tree_entrycount) \
	X(git_tree_free) \
	X(git_tree_id) \
	X(git_tree_lookup)

/* __typeof__ (GCC and Clang, the compilers of both platforms we build on)
 * gives each pointer the exact type of libgit2's own declaration, so the
 * table cannot drift from the headers it was compiled against. */
typedef struct rg_git2_api {
#define RG_GIT2_MEMBER(name) __typeof__(name) *name;
	RG_GIT2_FUNCTIONS(RG_GIT2_MEMBER)
#undef RG_GIT2_MEMBER
} rg_git2_api;

extern rg_git2_api rg_git2;

/*
 * Loads libgit2 once (later calls return at once) and calls
 * git_libgit2_init(). The library is $RELGATE_LIBGIT2 when set, else the
 * one relgate was built against (its directory from pkg-config at build
 * time, then the dynamic linker's search path, by its versioned name). A
 * library that is missing, lacks a function or has another major.minor
 * version than the headers (outside rg_git2_range()) is refused: RG_EBUILD
 * (exit 3), one line with the path, the version found, the range accepted
 * and the fix. Built with RG_GIT2_STATIC (make STATIC_LIBGIT2=1), libgit2
 * is linked in and this only fills the table.
 */
int rg_git2_load(rg_err *err);

/* The versions of libgit2 relgate accepts, in words: "libgit2 1.5.0 to
 * 1.5.x (relgate was built against 1.5.1)". */
const char *rg_git2_range(void);

/* git_libgit2_shutdown(), if loaded. The library stays mapped. */
void rg_git2_unload(void);

/* The calls themselves: git_foo(...) becomes rg_git2.git_foo(...).
 * git_libgit2_init, _shutdown and _version have no macro: only
 * rg_git2_load and rg_git2_unload call them, and a direct call elsewhere
 * fails to link. */
#ifndef RG_GIT2_LOAD_IMPL
#define git_blob_free rg_git2.git_blob_free
#define git_blob_lookup rg_git2.git_blob_lookup
#define git_blob_rawcontent rg_git2.git_blob_rawcontent
#define git_blob_rawsize rg_git2.git_blob_rawsize
#define git_branch_lookup rg_git2.git_branch_lookup
#define git_buf_dispose rg_git2.git_buf_dispose
#define git_checkout_options_init rg_git2.git_checkout_options_init
#define git_checkout_tree rg_git2.git_checkout_tree
#define git_commit_free rg_git2.git_commit_free
#define git_commit_id rg_git2.git_commit_id
#define git_commit_lookup rg_git2.git_commit_lookup
#define git_commit_summary rg_git2.git_commit_summary
#define git_commit_tree rg_git2.git_commit_tree
#define git_commit_tree_id rg_git2.git_commit_tree_id
#define git_config_free rg_git2.git_config_free
#define git_config_get_path rg_git2.git_config_get_path
#define git_config_get_string_buf rg_git2.git_config_get_string_buf
#define git_config_iterator_free rg_git2.git_config_iterator_free
#define git_config_iterator_new rg_git2.git_config_iterator_new
#define git_config_next rg_git2.git_config_next
#define git_diff_buffers rg_git2.git_diff_buffers
#define git_diff_options_init rg_git2.git_diff_options_init
#define git_error_clear rg_git2.git_error_clear
#define git_error_last rg_git2.git_error_last
#define git_index_entrycount rg_git2.git_index_entrycount
#define git_index_free rg_git2.git_index_free
#define git_index_get_byindex rg_git2.git_index_get_byindex
#define git_index_has_conflicts rg_git2.git_index_has_conflicts
#define git_merge_base rg_git2.git_merge_base
#define git_note_create rg_git2.git_note_create
#define git_note_free rg_git2.git_note_free
#define git_note_message rg_git2.git_note_message
#define git_note_read rg_git2.git_note_read
#define git_object_free rg_git2.git_object_free
#define git_object_id rg_git2.git_object_id
#define git_object_peel rg_git2.git_object_peel
#define git_odb_hash rg_git2.git_odb_hash
#define git_odb_hashfile rg_git2.git_odb_hashfile
#define git_oid_cpy rg_git2.git_oid_cpy
#define git_oid_equal rg_git2.git_oid_equal
#define git_oid_fromstr rg_git2.git_oid_fromstr
#define git_oid_tostr rg_git2.git_oid_tostr
#define git_oid_tostr_s rg_git2.git_oid_tostr_s
#define git_reference_free rg_git2.git_reference_free
#define git_reference_is_branch rg_git2.git_reference_is_branch
#define git_reference_shorthand rg_git2.git_reference_shorthand
#define git_repository_commondir rg_git2.git_repository_commondir
#define git_repository_config_snapshot rg_git2.git_repository_config_snapshot
#define git_repository_free rg_git2.git_repository_free
#define git_repository_head rg_git2.git_repository_head
#define git_repository_index rg_git2.git_repository_index
#define git_repository_is_bare rg_git2.git_repository_is_bare
#define git_repository_is_shallow rg_git2.git_repository_is_shallow
#define git_repository_item_path rg_git2.git_repository_item_path
#define git_repository_open rg_git2.git_repository_open
#define git_repository_open_bare rg_git2.git_repository_open_bare
#define git_repository_open_ext rg_git2.git_repository_open_ext
#define git_repository_path rg_git2.git_repository_path
#define git_repository_set_workdir rg_git2.git_repository_set_workdir
#define git_repository_workdir rg_git2.git_repository_workdir
#define git_revparse_single rg_git2.git_revparse_single
#define git_revwalk_free rg_git2.git_revwalk_free
#define git_revwalk_hide rg_git2.git_revwalk_hide
#define git_revwalk_new rg_git2.git_revwalk_new
#define git_revwalk_next rg_git2.git_revwalk_next
#define git_revwalk_push rg_git2.git_revwalk_push
#define git_revwalk_simplify_first_parent rg_git2.git_revwalk_simplify_first_parent
#define git_revwalk_sorting rg_git2.git_revwalk_sorting
#define git_signature_default rg_git2.git_signature_default
#define git_signature_free rg_git2.git_signature_free
#define git_signature_now rg_git2.git_signature_now
#define git_status_byindex rg_git2.git_status_byindex
#define git_status_list_entrycount rg_git2.git_status_list_entrycount
#define git_status_list_free rg_git2.git_status_list_free
#define git_status_list_new rg_git2.git_status_list_new
#define git_status_options_init rg_git2.git_status_options_init
#define git_tag_foreach rg_git2.git_tag_foreach
#define git_tree_entry_byindex rg_git2.git_tree_entry_byindex
#define git_tree_entry_bypath rg_git2.git_tree_entry_bypath
#define git_tree_entry_filemode rg_git2.git_tree_entry_filemode
#define git_tree_entry_free rg_git2.git_tree_entry_free
#define git_tree_entry_id rg_git2.git_tree_entry_id
#define git_tree_entry_name rg_git2.git_tree_entry_name
#define git_tree_entry_type rg_git2.git_tree_entry_type
#define git_tree_entrycount rg_git2.git_tree_entrycount
#define git_tree_free rg_git2.git_tree_free
#define git_tree_id rg_git2.git_tree_id
#define git_tree_lookup rg_git2.git_tree_lookup
#endif

#endif
