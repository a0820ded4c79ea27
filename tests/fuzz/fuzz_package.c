/*
 * fuzz_package.c - libFuzzer target for the reader of mangled names
 * (rg_attr_native_package, parsers/attr.c): the input, cut at its first
 * NUL, is a symbol name, read into a small buffer and a large one. The
 * answer must be NUL-terminated within the buffer and the same group in
 * both (but for the cut). Any crash, sanitizer report, leak or hang is a
 * bug. Seeds: tests/fuzz/seed_package.sh (C++, Rust legacy and v0 names
 * of every form the reader takes).
 */
#include "../../parsers/attr.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *name = malloc(size + 1), small[8], big[2048];
	int k1, k2;

	if (!name)
		return 0;
	memcpy(name, data, size);
	name[size] = 0;
	k1 = rg_attr_native_package(name, small, sizeof(small));
	k2 = rg_attr_native_package(name, big, sizeof(big));
	if (!memchr(small, 0, sizeof(small)) || !memchr(big, 0, sizeof(big)) || k1 != k2 ||
	    strncmp(small, big, sizeof(small) - 1))
		abort();
	free(name);
	return 0;
}
