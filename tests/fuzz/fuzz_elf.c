/*
 * fuzz_elf.c - libFuzzer target for the ELF parser and its REL/RELA, RELR
 * and APS2 walkers (tests/fuzz/fuzz_measure.h). Seeds: seed_elf.sh.
 */
#include "fuzz_measure.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rg_fuzz_measure(data, size, "fuzz.elf", NULL);
	return 0;
}
