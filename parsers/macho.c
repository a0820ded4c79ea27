/*
 * macho.c - placeholder: the MACHO parser is being written (see the open issue).
 * Until then a MACHO file is rejected with a clear message, never measured.
 */
#include "formats.h"

int rg_macho_measure(const char *path, const rg_view *v, const rg_measure_opts *o,
                                   rg_binary_list *out, rg_err *err)
{
	(void)path; (void)v; (void)o; (void)out;
	return rg_err_set(err, RG_EINPUT, "MACHO files are not supported by this build yet");
}
