package main

// No optional modules in this build.
func extraCommand(name string, args []string) int {
	println("netd: unknown command", name)
	return 2
}
