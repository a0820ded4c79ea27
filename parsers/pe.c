/*
 * pe.c - placeholder: the PE parser is being written (see the open issue).
 * Until then a PE file is rejected with a clear message, never measured.
 */
#include "formats.h"

int rg_pe_measure(const char *path, const rg_view *v, const rg_measure_opts *o,
                   rg_binary_list *out, rg_err *err)
{
	(void)path; (void)v; (void)o; (void)out;
	return rg_err_set(err, RG_EINPUT, "PE files are not supported by this build yet");
}
