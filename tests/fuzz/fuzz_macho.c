/*
 * fuzz_macho.c - libFuzzer target for the Mach-O parser: universal headers,
 * load commands, dyld info opcode streams, fixup chains of every pointer
 * format, classic relocations (tests/fuzz/fuzz_measure.h); the second pass
 * selects the arm64 slice. Seeds: seed_macho.sh.
 */
#include "fuzz_measure.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rg_fuzz_measure(data, size, "fuzz.macho", "arm64");
	return 0;
}
