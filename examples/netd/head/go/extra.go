package main

import "example.com/netd/upnp"

// Optional modules: UPnP port mapping.
func extraCommand(name string, args []string) int {
	if rc := upnp.Command(name, args); rc != -1 {
		return rc
	}
	println("netd: unknown command", name)
	return 2
}
