/*
 * relscan.c - the bare-scan floor for bench/bench_walk.sh: maps a 64-bit
 * little-endian ELF file, finds .rela.dyn through the section headers and
 * counts its R_X86_64_RELATIVE / R_AARCH64_RELATIVE entries, then prints
 * the count. No checks beyond what keeps it from reading outside the file:
 * the least any tool that reads every relocation entry must do.
 *   relscan FILE
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static uint64_t u64(const uint8_t *p) { uint64_t x; memcpy(&x, p, 8); return x; }
static uint32_t u32(const uint8_t *p) { uint32_t x; memcpy(&x, p, 4); return x; }
static uint16_t u16(const uint8_t *p) { uint16_t x; memcpy(&x, p, 2); return x; }

int main(int argc, char **argv)
{
	struct stat st;
	const uint8_t *m, *sh, *p, *end;
	uint64_t shoff, stroff, n = 0;
	unsigned shnum, shentsize, i;
	uint32_t rel;
	int fd;

	if (argc != 2 || (fd = open(argv[1], O_RDONLY)) < 0 || fstat(fd, &st) < 0 || st.st_size < 64)
		return 2;
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED || memcmp(m, "\177ELF\2\1", 6) != 0)
		return 2;
	rel = u16(m + 18) == 183 ? 1027 : 8; /* EM_AARCH64, else x86-64 */
	shoff = u64(m + 40);
	shentsize = u16(m + 58);
	shnum = u16(m + 60);
	if (shoff + (uint64_t)shnum * shentsize > (uint64_t)st.st_size)
		return 2;
	stroff = u64(m + shoff + (uint64_t)u16(m + 62) * shentsize + 24);
	for (i = 0; i < shnum; i++) {
		sh = m + shoff + (uint64_t)i * shentsize;
		if (stroff + u32(sh) + 10 > (uint64_t)st.st_size ||
		    memcmp(m + stroff + u32(sh), ".rela.dyn", 10) != 0)
			continue;
		if (u64(sh + 24) + u64(sh + 32) > (uint64_t)st.st_size)
			return 2;
		p = m + u64(sh + 24);
		end = p + u64(sh + 32);
		for (; p + 24 <= end; p += 24)
			n += (uint32_t)u64(p + 8) == rel;
	}
	printf("%llu\n", (unsigned long long)n);
	return 0;
}
