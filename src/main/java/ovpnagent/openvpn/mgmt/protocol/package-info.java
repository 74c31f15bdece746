/**
 * Pure codec of the OpenVPN management interface (openvpn.md §2, OpenVPN {@code
 * doc/management-notes.txt}): turns received lines into {@link
 * ovpnagent.openvpn.mgmt.protocol.MgmtEvent} values (a {@code >CLIENT:} block ends at {@code
 * >CLIENT:ENV,END}), collects command replies into {@link
 * ovpnagent.openvpn.mgmt.protocol.CommandResult}, parses {@code status 3} and renders outgoing
 * commands within the 1023-byte input limit. No I/O, no logging, no clock; malformed input raises
 * the single {@link ovpnagent.openvpn.mgmt.protocol.MgmtProtocolException}. Imports only {@code
 * ovpnagent.util}.
 */
package ovpnagent.openvpn.mgmt.protocol;
