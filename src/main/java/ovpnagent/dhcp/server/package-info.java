/**
 * The DHCPv4 server core (RFC 2131, RFC 2132, RFC 1542, RFC 3046, RFC 6842): one receive loop per
 * bridge behind the {@link ovpnagent.dhcp.server.PacketIo} seam, an early {@link
 * ovpnagent.dhcp.server.RequestFilter}, one handler per message type, an O(1) allocator over
 * in-memory pools chosen by a {@link ovpnagent.dhcp.server.SubnetSelector}, commit-before-ACK
 * through {@link ovpnagent.store.LeaseStore}, a scheduled reaper, and every dropped packet counted
 * with a {@link ovpnagent.dhcp.server.DropReason}. Imports dhcp.codec, store, config, metrics, sys
 * and util.
 */
package ovpnagent.dhcp.server;
