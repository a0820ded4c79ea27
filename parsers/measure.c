/*
 * measure.c - format detection and the measurement pipeline:
 * detect (ELF, Mach-O thin or universal, PE) -> parse into the model ->
 * find the Go pclntab -> compute the metric catalog.
 */
#include "formats.h"
#include "attr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FMT_NONE, FMT_ELF, FMT_MACHO, FMT_PE };

static int detect(const rg_view *v)
{
	rg_view le = *v;
	uint32_t m, peoff, sig;

	if (v->size >= 4 && memcmp(v->data, "\177ELF", 4) == 0)
		return FMT_ELF;
	le.big_endian = 0;
	if (rg_view_u32(&le, 0, &m) == 0) {
		switch (m) {
		case 0xfeedface: case 0xcefaedfe: /* MH_MAGIC, MH_CIGAM */
		case 0xfeedfacf: case 0xcffaedfe: /* MH_MAGIC_64, MH_CIGAM_64 */
		case 0xbebafeca: case 0xbfbafeca: /* FAT_MAGIC(_64) read little-endian */
			return FMT_MACHO;
		}
	}
	if (v->size >= 2 && v->data[0] == 'M' && v->data[1] == 'Z' &&
	    rg_view_u32(&le, 0x3c, &peoff) == 0 && rg_view_u32(&le, peoff, &sig) == 0 &&
	    sig == 0x00004550)
		return FMT_PE;
	return FMT_NONE;
}

/* Frees the binaries out gained past its first entries. */
static void drop_added(rg_binary_list *out, size_t first)
{
	while (out->n > first)
		rg_binary_free(out->items[--out->n]);
}

int rg_measure_view(const char *path, const rg_view *v, const rg_measure_opts *opts,
                    rg_binary_list *out, rg_err *err)
{
	rg_measure_opts defaults = RG_MEASURE_OPTS_INIT;
	size_t first = out->n, i;
	int rc;

	if (!opts)
		opts = &defaults;
	switch (detect(v)) {
	case FMT_ELF:
		rc = rg_elf_measure(path, v, opts, out, err);
		break;
	case FMT_MACHO:
		rc = rg_macho_measure(path, v, opts, out, err);
		break;
	case FMT_PE:
		rc = rg_pe_measure(path, v, opts, out, err);
		break;
	default:
		return rg_err_set(err, RG_EINPUT, "not an ELF, Mach-O or PE file");
	}
	for (i = first; rc == RG_OK && i < out->n; i++) {
		rg_binary *b = out->items[i];
		rg_view slice;

		if (rg_view_sub(v, b->slice_offset, b->slice_size, &slice) != 0)
			rc = rg_err_set(err, RG_EINPUT, "slice lies outside the file");
		else if (b->too_sparse)
			rc = rg_err_set(err, RG_EINPUT,
			                "fixups are scattered over too much address space "
			                "(page bitmaps would exceed %u MiB)",
			                (unsigned)(RG_MAX_BITMAP_BYTES >> 20));
		else if (rg_pclntab_measure(b, &slice, opts) != RG_OK ||
		         rg_catalog_compute(b) != RG_OK || rg_attr_finish(b, &slice) != RG_OK)
			rc = rg_err_set(err, RG_ENOMEM, "out of memory");
	}
	if (rc == RG_OK && out->n == first)
		rc = rg_err_set(err, RG_EINPUT, "no binary image selected");
	for (i = first; rc == RG_OK && i < out->n; i++)
		if (out->items[i]->attr && out->items[i]->attr->cells_stale)
			break;
	if (rc == RG_OK && i < out->n && !(opts->attribution & RG_ATTR_NO_CELLS)) {
		/* Cells were counted against a symbol table the Go pclntab's
		 * replaced (a stripped Go binary), or a fixup lies where the
		 * parser loaded no symbols (ELF text relocations): measure
		 * again, recording each fixup, with every symbol. */
		rg_measure_opts again = *opts;

		drop_added(out, first);
		again.attribution |= RG_ATTR_NO_CELLS;
		return rg_measure_view(path, v, &again, out, err);
	}
	if (rc != RG_OK)
		drop_added(out, first); /* output is complete or absent */
	return rc;
}

/* A file the binaries measured from it share: attribution reads their
 * symbols' names there (RG_ATTR_BORROW), so it stays open until the last
 * of them is freed. */
typedef struct shared_file {
	rg_file f;
	size_t refs;
} shared_file;

static void shared_release(void *p)
{
	shared_file *sf = p;

	if (sf && --sf->refs == 0) {
		rg_file_close(&sf->f);
		free(sf);
	}
}

int rg_measure_file(const char *path, const rg_measure_opts *opts,
                    rg_binary_list *out, rg_err *err)
{
	rg_measure_opts o = RG_MEASURE_OPTS_INIT;
	char why[256];
	shared_file *sf;
	size_t first = out->n, i;
	int rc;

	if (opts)
		o = *opts;
	if (!(sf = calloc(1, sizeof(*sf))))
		return rg_err_set(err, RG_ENOMEM, "out of memory");
	sf->refs = 1;
	if (rg_file_open(&sf->f, path, why, sizeof(why)) != 0) {
		free(sf);
		return rg_err_set(err, RG_EIO, "%s", why);
	}
	if (o.attribution)
		o.attribution |= RG_ATTR_BORROW;
	rc = rg_measure_view(path, &sf->f.view, &o, out, err);
	for (i = first; rc == RG_OK && i < out->n; i++) {
		rg_attr *a = out->items[i]->attr;
		if (a && a->names) {
			a->keep = sf;
			a->keep_free = shared_release;
			sf->refs++;
		}
	}
	shared_release(sf);
	return rc;
}
