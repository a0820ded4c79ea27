/*
 * upnp.c - UPnP IGD port mapping (WANIPConnection:2), the feature the
 * example's head commit adds. Its tables of strings and function pointers
 * are what a real port-mapping module carries, and each pointer in them is
 * a relative relocation in a position-independent executable: the loader
 * writes every one at start-up, dirtying the .data.rel.ro pages they sit on.
 */
#include <stdio.h>
#include <string.h>

#include "upnp.h"

#define SERVICE "urn:schemas-upnp-org:service:WANIPConnection:2"

struct upnp_action {
	const char *name, *service;
	const char *const *args;
	int (*handler)(const struct upnp_action *a, int argc, char **argv);
};

struct upnp_error {
	int code;
	const char *description;
};

struct upnp_state_var {
	const char *name, *type, *default_value;
};

static int reply(const struct upnp_action *a, int argc, char **argv, int err)
{
	size_t n = 0;

	while (a->args[n])
		n++;
	if ((size_t)argc < n)
		err = 402;
	printf("<u:%sResponse xmlns:u=\"%s\"/> (%d)\n", a->name, a->service, err);
	(void)argv;
	return err ? 1 : 0;
}

static const char *const args_add_port_mapping[] = { "NewRemoteHost", "NewExternalPort", "NewProtocol", "NewInternalPort", "NewInternalClient", "NewEnabled", "NewPortMappingDescription", "NewLeaseDuration", NULL };
static const char *const args_add_any_port_mapping[] = { "NewRemoteHost", "NewExternalPort", "NewProtocol", "NewInternalPort", "NewInternalClient", "NewEnabled", "NewPortMappingDescription", "NewLeaseDuration", NULL };
static const char *const args_delete_port_mapping[] = { "NewRemoteHost", "NewExternalPort", "NewProtocol", NULL };
static const char *const args_delete_port_mapping_range[] = { "NewStartPort", "NewEndPort", "NewProtocol", "NewManage", NULL };
static const char *const args_get_external_ipaddress[] = { NULL };
static const char *const args_get_generic_port_mapping_entry[] = { "NewPortMappingIndex", NULL };
static const char *const args_get_specific_port_mapping_entry[] = { "NewRemoteHost", "NewExternalPort", "NewProtocol", NULL };
static const char *const args_get_list_of_port_mappings[] = { "NewStartPort", "NewEndPort", "NewProtocol", "NewManage", "NewNumberOfPorts", NULL };
static const char *const args_get_status_info[] = { NULL };
static const char *const args_get_connection_type_info[] = { NULL };
static const char *const args_set_connection_type[] = { "NewConnectionType", NULL };
static const char *const args_request_connection[] = { NULL };
static const char *const args_force_termination[] = { NULL };
static const char *const args_get_natrsipstatus[] = { NULL };

static int do_add_port_mapping(const struct upnp_action *a, int argc, char **argv)
{
	return reply(a, argc, argv, 0);
}

static int do_add_any_port_mapping(const struct upnp_action *a, int argc, char **argv)
{
	return reply(a, argc, argv, 0);
}

static int do_delete_port_mapping(const struct upnp_action *a, int argc, char **argv)
{
	return reply(a, argc, argv, 0);
}

static int do_delete_port_mapping_range(const struct upnp_action *a, int argc, char **argv)
{
	return reply(a, argc, argv, 0);
}

static int do_get_external_ipaddress(const struct upnp_action *a, int argc, char **argv)
{
	return reply(a, argc, argv, 0);
}

static int do_get_generic_port_mapping_entry(const struct upnp_action *a, int argc, char **argv)
{
	return reply(a, argc, argv, 0);
}

static int do_get_specific_port_mapping_entry(const struct upnp_action *a, int argc, char **argv)
{
	return reply(a, argc, argv, 0);
}

static int do_get_list_of_port_mappings(const struct upnp_action *a, int argc, char **argv)
{
	return reply(a, argc, argv, 0);
}

static int do_get_status_info(const struct upnp_action *a, int argc, char **argv)
{
	return reply(a, argc, argv, 0);
}

static int do_get_connection_type_info(const struct upnp_action *a, int argc, char **argv)
{
	return reply(a, argc, argv, 0);
}

static int do_set_connection_type(const struct upnp_action *a, int argc, char **argv)
{
	return reply(a, argc, argv, 0);
}

static int do_request_connection(const struct upnp_action *a, int argc, char **argv)
{
	return reply(a, argc, argv, 0);
}

static int do_force_termination(const struct upnp_action *a, int argc, char **argv)
{
	return reply(a, argc, argv, 0);
}

static int do_get_natrsipstatus(const struct upnp_action *a, int argc, char **argv)
{
	return reply(a, argc, argv, 0);
}

static const struct upnp_action actions[] = {
	{ "AddPortMapping", SERVICE, args_add_port_mapping, do_add_port_mapping },
	{ "AddAnyPortMapping", SERVICE, args_add_any_port_mapping, do_add_any_port_mapping },
	{ "DeletePortMapping", SERVICE, args_delete_port_mapping, do_delete_port_mapping },
	{ "DeletePortMappingRange", SERVICE, args_delete_port_mapping_range, do_delete_port_mapping_range },
	{ "GetExternalIPAddress", SERVICE, args_get_external_ipaddress, do_get_external_ipaddress },
	{ "GetGenericPortMappingEntry", SERVICE, args_get_generic_port_mapping_entry, do_get_generic_port_mapping_entry },
	{ "GetSpecificPortMappingEntry", SERVICE, args_get_specific_port_mapping_entry, do_get_specific_port_mapping_entry },
	{ "GetListOfPortMappings", SERVICE, args_get_list_of_port_mappings, do_get_list_of_port_mappings },
	{ "GetStatusInfo", SERVICE, args_get_status_info, do_get_status_info },
	{ "GetConnectionTypeInfo", SERVICE, args_get_connection_type_info, do_get_connection_type_info },
	{ "SetConnectionType", SERVICE, args_set_connection_type, do_set_connection_type },
	{ "RequestConnection", SERVICE, args_request_connection, do_request_connection },
	{ "ForceTermination", SERVICE, args_force_termination, do_force_termination },
	{ "GetNATRSIPStatus", SERVICE, args_get_natrsipstatus, do_get_natrsipstatus },
};

static const struct upnp_error errors[] = {
	{ 402, "Invalid Args" },
	{ 501, "Action Failed" },
	{ 606, "Action not authorized" },
	{ 713, "SpecifiedArrayIndexInvalid" },
	{ 714, "NoSuchEntryInArray" },
	{ 715, "WildCardNotPermittedInSrcIP" },
	{ 716, "WildCardNotPermittedInExtPort" },
	{ 718, "ConflictInMappingEntry" },
	{ 724, "SamePortValuesRequired" },
	{ 725, "OnlyPermanentLeasesSupported" },
	{ 726, "RemoteHostOnlySupportsWildcard" },
	{ 727, "ExternalPortOnlySupportsWildcard" },
	{ 728, "NoPortMapsAvailable" },
	{ 729, "ConflictWithOtherMechanisms" },
	{ 732, "WildCardNotPermittedInIntPort" },
};

static const struct upnp_state_var state_vars[] = {
	{ "ConnectionType", "string", "IP_Routed" },
	{ "PossibleConnectionTypes", "string", "IP_Routed" },
	{ "ConnectionStatus", "string", "Connected" },
	{ "Uptime", "ui4", "0" },
	{ "LastConnectionError", "string", "ERROR_NONE" },
	{ "RSIPAvailable", "boolean", "0" },
	{ "NATEnabled", "boolean", "1" },
	{ "ExternalIPAddress", "string", "0.0.0.0" },
	{ "PortMappingNumberOfEntries", "ui2", "0" },
	{ "PortMappingEnabled", "boolean", "1" },
	{ "PortMappingLeaseDuration", "ui4", "0" },
	{ "RemoteHost", "string", "" },
	{ "ExternalPort", "ui2", "0" },
	{ "InternalPort", "ui2", "0" },
	{ "PortMappingProtocol", "string", "TCP" },
	{ "InternalClient", "string", "" },
	{ "PortMappingDescription", "string", "netd" },
	{ "SystemUpdateID", "ui4", "1" },
	{ "A_ARG_TYPE_Manage", "boolean", "0" },
	{ "A_ARG_TYPE_PortListing", "string", "" },
};

const char *upnp_error_text(int code)
{
	size_t i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (errors[i].code == code)
			return errors[i].description;
	return "Unknown";
}

int upnp_command(const char *name, int argc, char **argv)
{
	size_t i;

	if (!strcmp(name, "upnp-vars")) {
		for (i = 0; i < sizeof(state_vars) / sizeof(state_vars[0]); i++)
			printf("%s %s %s\n", state_vars[i].name, state_vars[i].type,
			       state_vars[i].default_value);
		return 0;
	}
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		if (!strcmp(actions[i].name, name)) {
			int rc = actions[i].handler(&actions[i], argc, argv);
			if (rc)
				fprintf(stderr, "upnp: %s\n", upnp_error_text(402));
			return rc;
		}
	}
	return -1;
}
