// macho_sections - the sections of a Mach-O file as Go's debug/macho reads
// them: one "SEGMENT<TAB>SECTION<TAB>SIZE" line (decimal bytes) per
// section header, in load-command order. Thin 32- and 64-bit files only.
//
// Usage: macho_sections FILE
//
// The independent judge of section sizes where LLVM's tools refuse a file
// (a section larger than its segment: tests/oracle/test_catalog_overflow.sh).
package main

import (
	"debug/macho"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: macho_sections FILE")
		os.Exit(2)
	}
	f, err := macho.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "macho_sections:", err)
		os.Exit(1)
	}
	defer f.Close()
	for _, s := range f.Sections {
		fmt.Printf("%s\t%s\t%d\n", s.Seg, s.Name, s.Size)
	}
}
