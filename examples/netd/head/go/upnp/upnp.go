// Package upnp is UPnP IGD port mapping (WANIPConnection:2), the feature
// the example's head commit adds: tables of strings and functions. In a
// darwin/arm64 binary every pointer in them is a fixup dyld applies at
// launch, and every function grows the pclntab.
package upnp

import "strconv"

const service = "urn:schemas-upnp-org:service:WANIPConnection:2"

type Action struct {
	Name, Service string
	Args          []string
	Handler       func(a *Action, args []string) int
}

type Error struct {
	Code        int
	Description string
}

type StateVar struct {
	Name, Type, Default string
}

func reply(a *Action, args []string, err int) int {
	if len(args) < len(a.Args) {
		err = 402
	}
	println("<u:" + a.Name + "Response xmlns:u=\"" + a.Service + "\"/> (" + strconv.Itoa(err) + ")")
	if err != 0 {
		return 1
	}
	return 0
}

func doAddPortMapping(a *Action, args []string) int { return reply(a, args, 0) }
func doAddAnyPortMapping(a *Action, args []string) int { return reply(a, args, 0) }
func doDeletePortMapping(a *Action, args []string) int { return reply(a, args, 0) }
func doDeletePortMappingRange(a *Action, args []string) int { return reply(a, args, 0) }
func doGetExternalIPAddress(a *Action, args []string) int { return reply(a, args, 0) }
func doGetGenericPortMappingEntry(a *Action, args []string) int { return reply(a, args, 0) }
func doGetSpecificPortMappingEntry(a *Action, args []string) int { return reply(a, args, 0) }
func doGetListOfPortMappings(a *Action, args []string) int { return reply(a, args, 0) }
func doGetStatusInfo(a *Action, args []string) int { return reply(a, args, 0) }
func doGetConnectionTypeInfo(a *Action, args []string) int { return reply(a, args, 0) }
func doSetConnectionType(a *Action, args []string) int { return reply(a, args, 0) }
func doRequestConnection(a *Action, args []string) int { return reply(a, args, 0) }
func doForceTermination(a *Action, args []string) int { return reply(a, args, 0) }
func doGetNATRSIPStatus(a *Action, args []string) int { return reply(a, args, 0) }

// Actions are the SOAP actions of the service.
var Actions = []Action{
	{"AddPortMapping", service, []string{"NewRemoteHost", "NewExternalPort", "NewProtocol", "NewInternalPort", "NewInternalClient", "NewEnabled", "NewPortMappingDescription", "NewLeaseDuration"}, doAddPortMapping},
	{"AddAnyPortMapping", service, []string{"NewRemoteHost", "NewExternalPort", "NewProtocol", "NewInternalPort", "NewInternalClient", "NewEnabled", "NewPortMappingDescription", "NewLeaseDuration"}, doAddAnyPortMapping},
	{"DeletePortMapping", service, []string{"NewRemoteHost", "NewExternalPort", "NewProtocol"}, doDeletePortMapping},
	{"DeletePortMappingRange", service, []string{"NewStartPort", "NewEndPort", "NewProtocol", "NewManage"}, doDeletePortMappingRange},
	{"GetExternalIPAddress", service, []string{}, doGetExternalIPAddress},
	{"GetGenericPortMappingEntry", service, []string{"NewPortMappingIndex"}, doGetGenericPortMappingEntry},
	{"GetSpecificPortMappingEntry", service, []string{"NewRemoteHost", "NewExternalPort", "NewProtocol"}, doGetSpecificPortMappingEntry},
	{"GetListOfPortMappings", service, []string{"NewStartPort", "NewEndPort", "NewProtocol", "NewManage", "NewNumberOfPorts"}, doGetListOfPortMappings},
	{"GetStatusInfo", service, []string{}, doGetStatusInfo},
	{"GetConnectionTypeInfo", service, []string{}, doGetConnectionTypeInfo},
	{"SetConnectionType", service, []string{"NewConnectionType"}, doSetConnectionType},
	{"RequestConnection", service, []string{}, doRequestConnection},
	{"ForceTermination", service, []string{}, doForceTermination},
	{"GetNATRSIPStatus", service, []string{}, doGetNATRSIPStatus},
}

// Errors are the UPnP error codes of the service.
var Errors = []Error{
	{402, "Invalid Args"},
	{501, "Action Failed"},
	{606, "Action not authorized"},
	{713, "SpecifiedArrayIndexInvalid"},
	{714, "NoSuchEntryInArray"},
	{715, "WildCardNotPermittedInSrcIP"},
	{716, "WildCardNotPermittedInExtPort"},
	{718, "ConflictInMappingEntry"},
	{724, "SamePortValuesRequired"},
	{725, "OnlyPermanentLeasesSupported"},
	{726, "RemoteHostOnlySupportsWildcard"},
	{727, "ExternalPortOnlySupportsWildcard"},
	{728, "NoPortMapsAvailable"},
	{729, "ConflictWithOtherMechanisms"},
	{732, "WildCardNotPermittedInIntPort"},
}

// StateVars are the service state variables.
var StateVars = []StateVar{
	{"ConnectionType", "string", "IP_Routed"},
	{"PossibleConnectionTypes", "string", "IP_Routed"},
	{"ConnectionStatus", "string", "Connected"},
	{"Uptime", "ui4", "0"},
	{"LastConnectionError", "string", "ERROR_NONE"},
	{"RSIPAvailable", "boolean", "0"},
	{"NATEnabled", "boolean", "1"},
	{"ExternalIPAddress", "string", "0.0.0.0"},
	{"PortMappingNumberOfEntries", "ui2", "0"},
	{"PortMappingEnabled", "boolean", "1"},
	{"PortMappingLeaseDuration", "ui4", "0"},
	{"RemoteHost", "string", ""},
	{"ExternalPort", "ui2", "0"},
	{"InternalPort", "ui2", "0"},
	{"PortMappingProtocol", "string", "TCP"},
	{"InternalClient", "string", ""},
	{"PortMappingDescription", "string", "netd"},
	{"SystemUpdateID", "ui4", "1"},
	{"A_ARG_TYPE_Manage", "boolean", "0"},
	{"A_ARG_TYPE_PortListing", "string", ""},
}

// ErrorText is the description of a UPnP error code.
func ErrorText(code int) string {
	for _, e := range Errors {
		if e.Code == code {
			return e.Description
		}
	}
	return "Unknown"
}

// Command runs an action by name; -1 when there is none.
func Command(name string, args []string) int {
	if name == "upnp-vars" {
		for _, v := range StateVars {
			println(v.Name, v.Type, v.Default)
		}
		return 0
	}
	for i := range Actions {
		if Actions[i].Name == name {
			rc := Actions[i].Handler(&Actions[i], args)
			if rc != 0 {
				println("upnp:", ErrorText(402))
			}
			return rc
		}
	}
	return -1
}
