/**
 * The DHCPv4 wire format (RFC 2131 §2 and §4.1, RFC 2132, RFC 3396 long options, RFC 3046 relay
 * agent information, RFC 1542 minimum size): bytes in, immutable {@link
 * ovpnagent.dhcp.codec.DhcpPacket} out via {@link ovpnagent.dhcp.codec.DhcpCodec#decode}, and back
 * via {@link ovpnagent.dhcp.codec.DhcpCodec#encode}, including option overload (52) both ways. No
 * I/O, no logging, no clock. Damage is graded: a short header or wrong magic cookie throws {@link
 * ovpnagent.dhcp.codec.MalformedPacketException} (the only exception bad input can cause); lesser
 * damage is listed in the packet's defects and the rest of the packet is kept. Imports only {@code
 * ovpnagent.util}; typed views of structured option bodies live in {@code
 * ovpnagent.dhcp.codec.option}.
 */
package ovpnagent.dhcp.codec;
