/**
 * The management-interface client of one OpenVPN instance (openvpn.md §2-§3, style.md practice 7):
 * a {@link ovpnagent.openvpn.mgmt.ManagementTransport} seam (unix socket or TCP), one reader thread
 * per connection that routes {@code >} lines to the event path and everything else to the single
 * outstanding command, commands serialized by a lock with a timeout, the password prompt, version
 * check, {@code state on}, {@code hold release}, reconnect with backoff and a {@code status 3}
 * resync after every connect. Also the per-instance service that wires client, authorizer and
 * routed allocator together. Imports {@code openvpn.mgmt.protocol}, {@code auth}, {@code routed},
 * {@code store} (interfaces), {@code config}, {@code metrics}, {@code boot.Service}, {@code util}.
 */
package ovpnagent.openvpn.mgmt;
