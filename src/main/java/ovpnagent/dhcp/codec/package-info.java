/**
 * The DHCPv4 wire format (RFC 2131 §2, RFC 2132, RFC 3396, RFC 3046): bytes in, immutable {@link
 * ovpnagent.dhcp.codec.DhcpPacket} out, and back. No I/O, no logging, no clock. Damage is graded:
 * unusable packets throw {@link ovpnagent.dhcp.codec.MalformedPacketException}, lesser damage is
 * listed in the packet's defects. Imports only {@code ovpnagent.util}.
 */
package ovpnagent.dhcp.codec;
