/*
 * formats.h - entry points of the per-format parsers.
 *
 * Each parser gets the whole file's view, creates one rg_binary per image it
 * finds (one per selected slice of a universal Mach-O), fills the model
 * (model.h) and pushes it onto out. On malformed input it returns RG_EINPUT
 * with err describing what is wrong (without the file name: the caller adds
 * it). Parsers know nothing of git, YAML or output.
 */
#ifndef RG_FORMATS_H
#define RG_FORMATS_H

#include "model.h"

int rg_elf_measure(const char *path, const rg_view *v, const rg_measure_opts *o,
                   rg_binary_list *out, rg_err *err);
int rg_macho_measure(const char *path, const rg_view *v, const rg_measure_opts *o,
                     rg_binary_list *out, rg_err *err);
int rg_pe_measure(const char *path, const rg_view *v, const rg_measure_opts *o,
                  rg_binary_list *out, rg_err *err);

/*
 * pclntab.c: finds and measures a Go pclntab in a binary whose model is
 * filled (sections, segments, symbol hints). `slice` is the binary's own
 * bytes. Adds pclntab.* metrics, info and notes; returns RG_OK when there is
 * no pclntab. A corrupt table yields a note, not an error.
 */
int rg_pclntab_measure(rg_binary *b, const rg_view *slice, const rg_measure_opts *o);

#endif
