/**
 * Small value types several packages share: IPv4 arithmetic ({@link ovpnagent.util.Ipv4}, {@link
 * ovpnagent.util.Cidr}), MAC addresses ({@link ovpnagent.util.HwAddr}) and duration text. No I/O,
 * no dependencies on other ovpnagent packages.
 */
package ovpnagent.util;
