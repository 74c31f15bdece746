/**
 * Multi-router site-to-site DHCP on a bridged-TAP instance (issue 4, openvpn.md §1 facts 8-11, §4,
 * §5): {@link ovpnagent.sites.MacRouterMap} keeps MAC → router common name (fed by the {@code
 * learn-address} hook, the {@code status 3} ROUTING_TABLE and router disconnects, persisted in the
 * {@link ovpnagent.store.MappingStore}); {@link ovpnagent.sites.RouterResolver} asks OpenVPN when a
 * DHCP packet comes from an unknown MAC (one shared in-flight {@code status 3}, bounded wait);
 * {@link ovpnagent.sites.SiteSubnets} gives every router its subnet (configured, or carved from the
 * supernet and persisted); {@link ovpnagent.sites.RouterSubnetSelector} makes the DHCP server lease
 * a device only from its router's subnet; {@link ovpnagent.sites.SitesModule} wires it all and
 * offers {@code learn-address}, {@code routers-get} and the {@code sites} status section.
 */
package ovpnagent.sites;
