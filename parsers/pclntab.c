/*
 * pclntab.c - placeholder: the Go pclntab reader is being written (see the
 * open issue). Until then no pclntab.* metric is reported.
 */
#include "formats.h"

int rg_pclntab_measure(rg_binary *b, const rg_view *slice, const rg_measure_opts *o)
{
	(void)b; (void)slice; (void)o;
	return RG_OK;
}
