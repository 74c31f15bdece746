/**
 * The management console pass-through (issue 5, openvpn.md §2): OpenVPN allows one management
 * client and the agent holds it, so {@link ovpnagent.console.ConsoleService} offers each instance
 * that sets {@code console} a unix socket (mode 0660, the control group, checked again with {@code
 * SO_PEERCRED}) speaking the management protocol to an admin: {@link
 * ovpnagent.console.ConsolePolicy} decides per line, after tokenizing it the way OpenVPN does,
 * whether it is relayed through the agent's {@link ovpnagent.openvpn.mgmt.ManagementClient} (and
 * whether its reply is one {@code SUCCESS:}/{@code ERROR:} line or a block ending {@code END}),
 * answered by the agent ({@code dhcp leases}, {@code dhcp stats}, {@code routers}, rendered by
 * {@link ovpnagent.console.LocalCommands} from the control registry), or refused because it would
 * break the agent's own session (client-auth and friends, real-time modes, {@code hold release},
 * {@code version N}); {@code quit}/{@code exit} only close the admin's connection.
 */
package ovpnagent.console;
