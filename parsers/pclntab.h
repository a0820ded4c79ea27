/*
 * pclntab.h - internals of the Go pclntab reader shared with its unit test
 * and fuzz target (the public entry point is rg_pclntab_measure in
 * formats.h). See pclntab.c and docs/format-pclntab.md.
 */
#ifndef RG_PCLNTAB_H
#define RG_PCLNTAB_H

#include <stddef.h>

/*
 * The Go package path a function symbol name belongs to, written to out
 * (always terminated). `ver` is the table's layout (12, 116, 118, 120): from
 * 1.20 compiler-generated symbols are prefixed "go:" / "type:", before with
 * "go." / "type.". Pseudo packages: "go:" (compiler-generated wrappers),
 * "type:" (equality/hash functions of unnamed types), "(none)" (no package,
 * e.g. C or assembly symbols without a dot).
 */
void rg_pclntab_pkg_of(const char *name, int ver, char *out, size_t outlen);

#endif
