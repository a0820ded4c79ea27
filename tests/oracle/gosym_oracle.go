// gosym_oracle - the independent judge of relgate's Go pclntab numbers.
//
// Usage: gosym_oracle [-funcs] [-at OFFSET -size N] FILE
//
// Finds the pclntab of an ELF, Mach-O or PE Go binary with the standard
// library only (debug/elf, debug/macho, debug/pe) and reads it with
// debug/gosym. Prints one "key value" per line:
//
//	found   section NAME | symbols
//	offset  file offset of the table
//	size    bytes (section size, or runtime.epclntab - runtime.pclntab)
//	magic   the header magic in the table's byte order
//	funcs   len(Table.Funcs)   ("unknown" when debug/gosym cannot read the
//	files   len(Table.Files)    layout, e.g. Go 1.20+ tables under Go 1.19)
//
// With -funcs, one "func PACKAGE<TAB>NAME" line per function follows, the
// package as debug/gosym's Sym.PackageName reports it; with -entries, one
// "entry 0xADDRESS<TAB>NAME" line per function (its entry pc). With -at and -size
// the table is read from those file bytes (found "raw"): stripped PE
// binaries name it nowhere, and the caller finds it by other means.
// Exit status 1 when no table is found.
package main

import (
	"debug/elf"
	"debug/gosym"
	"debug/macho"
	"debug/pe"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"os"
)

type table struct {
	found     string
	off, size uint64
	data      []byte
	textStart uint64
}

func fromELF(path string) (*table, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t := &table{}
	if s := f.Section(".text"); s != nil {
		t.textStart = s.Addr
	}
	for _, name := range []string{".gopclntab", ".data.rel.ro.gopclntab"} {
		if s := f.Section(name); s != nil && s.Type != elf.SHT_NOBITS {
			t.found, t.off, t.size = "section "+name, s.Offset, s.Size
			t.data, err = s.Data()
			return t, err
		}
	}
	syms, err := f.Symbols()
	if err != nil {
		return nil, err
	}
	var start, end uint64
	for _, s := range syms {
		switch s.Name {
		case "runtime.pclntab":
			start = s.Value
		case "runtime.epclntab":
			end = s.Value
		}
	}
	if start == 0 || end <= start {
		return nil, errors.New("no pclntab section or symbols")
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD && start >= p.Vaddr && end <= p.Vaddr+p.Filesz {
			t.found, t.off, t.size = "symbols", p.Off+(start-p.Vaddr), end-start
			t.data = make([]byte, t.size)
			_, err = p.ReadAt(t.data, int64(start-p.Vaddr))
			return t, err
		}
	}
	return nil, errors.New("pclntab symbols outside every PT_LOAD")
}

func fromMachO(path string) (*table, error) {
	f, err := macho.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t := &table{}
	if s := f.Section("__text"); s != nil {
		t.textStart = s.Addr
	}
	s := f.Section("__gopclntab")
	if s == nil {
		return nil, errors.New("no __gopclntab section")
	}
	t.found = "section " + s.Seg + "," + s.Name
	t.off, t.size = uint64(s.Offset), s.Size
	t.data, err = s.Data()
	return t, err
}

func fromPE(path string) (*table, error) {
	f, err := pe.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t := &table{}
	var base uint64
	switch oh := f.OptionalHeader.(type) {
	case *pe.OptionalHeader32:
		base = uint64(oh.ImageBase)
	case *pe.OptionalHeader64:
		base = oh.ImageBase
	}
	if s := f.Section(".text"); s != nil {
		t.textStart = base + uint64(s.VirtualAddress)
	}
	var start, end *pe.Symbol
	for _, s := range f.Symbols {
		switch s.Name {
		case "runtime.pclntab":
			start = s
		case "runtime.epclntab":
			end = s
		}
	}
	if start == nil || end == nil || start.SectionNumber != end.SectionNumber ||
		start.SectionNumber < 1 || int(start.SectionNumber) > len(f.Sections) ||
		end.Value <= start.Value {
		return nil, errors.New("no runtime.pclntab/runtime.epclntab symbols")
	}
	sect := f.Sections[start.SectionNumber-1]
	t.found = "symbols"
	t.off = uint64(sect.Offset) + uint64(start.Value)
	t.size = uint64(end.Value - start.Value)
	t.data = make([]byte, t.size)
	_, err = sect.ReadAt(t.data, int64(start.Value))
	return t, err
}

func fromRaw(path string, at, size int64) (*table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t := &table{found: "raw", off: uint64(at), size: uint64(size), data: make([]byte, size)}
	_, err = f.ReadAt(t.data, at)
	return t, err
}

func main() {
	funcs := flag.Bool("funcs", false, "list every function with its package")
	entries := flag.Bool("entries", false, "list every function with its entry address")
	at := flag.Int64("at", -1, "read the table at this file offset")
	size := flag.Int64("size", 0, "table size, with -at")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: gosym_oracle [-funcs] FILE")
		os.Exit(2)
	}
	path := flag.Arg(0)
	var t *table
	var err error
	if *at >= 0 {
		t, err = fromRaw(path, *at, *size)
	} else {
		for _, open := range []func(string) (*table, error){fromELF, fromMachO, fromPE} {
			if t, err = open(path); err == nil {
				break
			}
		}
	}
	if err != nil || len(t.data) < 8 {
		fmt.Fprintf(os.Stderr, "gosym_oracle: %s: %v\n", path, err)
		os.Exit(1)
	}
	magic := binary.LittleEndian.Uint32(t.data)
	if magic>>8 != 0xffffff {
		magic = binary.BigEndian.Uint32(t.data)
	}
	fmt.Printf("found %s\noffset %d\nsize %d\nmagic %#x\n", t.found, t.off, t.size, magic)
	if magic == 0xfffffff1 { // Go 1.20+: not readable by Go 1.19's debug/gosym
		fmt.Println("funcs unknown\nfiles unknown")
		return
	}
	tab, err := gosym.NewTable(nil, gosym.NewLineTable(t.data, t.textStart))
	if err != nil {
		fmt.Fprintf(os.Stderr, "gosym_oracle: %s: %v\n", path, err)
		os.Exit(1)
	}
	fmt.Printf("funcs %d\nfiles %d\n", len(tab.Funcs), len(tab.Files))
	if *funcs {
		for i := range tab.Funcs {
			fmt.Printf("func %s\t%s\n", tab.Funcs[i].PackageName(), tab.Funcs[i].Name)
		}
	}
	if *entries {
		for i := range tab.Funcs {
			fmt.Printf("entry %#x\t%s\n", tab.Funcs[i].Entry, tab.Funcs[i].Name)
		}
	}
}
