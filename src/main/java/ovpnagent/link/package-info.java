/**
 * Bridge and TAP management over rtnetlink (issue 4): typed operations behind the {@link
 * ovpnagent.link.LinkManager} seam, one method per iproute2 command with an "Equivalent to:" note,
 * a check-before-act {@link ovpnagent.link.BridgeConvergence} that builds the bridge, TAPs and LAN
 * ports from any half-built state without ever tearing down, a {@link ovpnagent.link.LinkMonitor}
 * that re-enslaves a TAP OpenVPN re-created, the {@link ovpnagent.link.BridgeService} that boot
 * starts, and {@link ovpnagent.link.BridgeFdb}, which reads the bridge's forwarding database
 * (sysfs) to tell on which port a MAC was learned. Imports {@code ovpnagent.link.netlink}, {@code
 * ovpnagent.boot.Service}, {@code ovpnagent.config.BridgeConfig} and {@code ovpnagent.util}.
 */
package ovpnagent.link;
