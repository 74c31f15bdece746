/**
 * Address pushing for routed-TUN clients (openvpn.md §2.6 client-auth body, §7 topology): {@link
 * ovpnagent.routed.RoutedAllocator} hands out addresses from an instance's {@code routed.pool},
 * sticky per common name through {@link ovpnagent.store.RoutedAddressStore} and reserved for a
 * grace period after DISCONNECT; {@link ovpnagent.routed.PushReply} renders the {@code
 * ifconfig-push} line in the form the instance's topology needs. Imports {@code store} (interfaces)
 * and {@code util} only.
 */
package ovpnagent.routed;
