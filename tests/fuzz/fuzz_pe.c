/*
 * fuzz_pe.c - libFuzzer target for the PE/COFF parser (parsers/pe.c) and
 * everything measure runs after it (the pclntab reader on the PE's symbol
 * hints and sections, the metric catalog).
 *
 * Inputs that do not start like a PE ("MZ" + e_lfanew -> "PE\0\0") are
 * given a minimal MS-DOS header and PE signature in front, so the fuzzer
 * spends its time inside the COFF and optional headers, the section table
 * and the tables they point at instead of rediscovering the magic.
 * Seeds: tests/fuzz/seed_pe.sh. Any crash or sanitizer report is a bug; an
 * error return is the expected outcome for most inputs.
 */
#include "fuzz_measure.h"

#include <stdlib.h>
#include <string.h>

static int looks_like_pe(const uint8_t *d, size_t n)
{
	uint32_t off;

	if (n < 0x40 || d[0] != 'M' || d[1] != 'Z')
		return 0;
	off = (uint32_t)d[0x3c] | (uint32_t)d[0x3d] << 8 | (uint32_t)d[0x3e] << 16 |
	      (uint32_t)d[0x3f] << 24;
	return off <= n - 4 && memcmp(d + off, "PE\0\0", 4) == 0;
}

/* Measured as a file (default options), then with attribution on
 * (fuzz_measure.h). */
static void measure(const uint8_t *d, size_t n)
{
	rg_fuzz_measure(d, n, "fuzz.exe", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf;

	if (looks_like_pe(data, size)) {
		measure(data, size);
		return 0;
	}
	/* MZ header (e_lfanew = 0x40) + "PE\0\0" + the input as COFF header on. */
	buf = malloc(size + 0x44);
	if (!buf)
		return 0;
	memset(buf, 0, 0x44);
	buf[0] = 'M';
	buf[1] = 'Z';
	buf[0x3c] = 0x40;
	memcpy(buf + 0x40, "PE\0\0", 4);
	memcpy(buf + 0x44, data, size);
	measure(buf, size + 0x44);
	free(buf);
	return 0;
}
