/**
 * The control channel (modelled on Kea's, dhcp.md §6): {@link ovpnagent.control.ControlServer}
 * serves one JSON request per connection on a unix socket (mode 0660, root and one group, checked
 * again with {@code SO_PEERCRED}) and {@link ovpnagent.control.CommandRegistry} maps command names
 * to handlers. Result codes: 0 success, 1 error, 2 unsupported command, 3 nothing found or
 * affected, 4 conflict.
 *
 * <p>Command names are lower-case words joined by {@code -}: Kea's names where Kea has the command,
 * {@code <thing>-get} for agent listings. Built in: {@code list-commands}, {@code version-get},
 * {@code status-get} (pid, uptime, version, plus one section per subsystem added with {@code
 * addStatusSection}), {@code statistic-get}, {@code statistic-get-all}. Registered by other
 * packages at wiring time, with the arguments the status CLI sends: {@code lease4-get-all}
 * (optional {@code router}, {@code hw-address}; answers {@code {"leases": [...]}}), {@code
 * lease4-get}, {@code lease4-del} ({@code hw-address}; the CLI's {@code release MAC}), {@code
 * leases-reclaim} ({@code remove}), {@code instances-get}, {@code clients-get}, {@code
 * routers-get}, {@code quarantine-get}, and the hooks' {@code learn-address} ({@code op}, {@code
 * addr}, optional {@code cn}, {@code dev}, {@code instance}) and {@code device-up} ({@code dev},
 * {@code mtu}, optional {@code instance}). Imports {@code boot}, {@code config}, {@code metrics}
 * and {@code logging} only; it observes and commands the rest through the handlers registered with
 * it.
 */
package ovpnagent.control;
