// netd - the Go build of the example daemon, shipped inside an iOS
// network extension (built here for darwin/arm64: 16 KiB pages, pointers
// in __DATA_CONST fixed up by dyld at launch).
package main

import "os"

type command struct {
	name, help string
	run        func(args []string) int
}

var commands = []command{
	{"status", "show whether the daemon runs", func([]string) int { println("netd: up"); return 0 }},
	{"version", "print the version", func([]string) int { println("netd 1.0"); return 0 }},
}

func main() {
	name := "status"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	for _, c := range commands {
		if c.name == name {
			os.Exit(c.run(os.Args[1:]))
		}
	}
	os.Exit(extraCommand(name, os.Args[1:]))
}
