/**
 * Deferred client authorization (openvpn.md §3, {@code --management-client-auth}): {@link
 * ovpnagent.auth.ClientAuthorizer} answers every {@code >CLIENT:CONNECT} and {@code REAUTH} on a
 * worker, from the instance's {@link ovpnagent.config.AuthPolicy} and a body source (push lines for
 * bridged instances, {@code ifconfig-push} for routed ones), and denies with a clear reason when it
 * cannot decide. Imports {@code openvpn.mgmt.protocol}, {@code config}, {@code metrics} and {@code
 * routed}; sends through the narrow {@link ovpnagent.auth.ClientAuthorizer.Sender} seam.
 */
package ovpnagent.auth;
