/**
 * Per-instance decisions: which mode each OpenVPN instance runs in ({@link
 * ovpnagent.instance.ModeDecider}, a pure function of the parsed config following {@code
 * openvpn.md} §7 "Mode derivation"), and the agent-wide plan ({@link
 * ovpnagent.instance.AgentPlan}): the gate that binds the DHCP server only when an instance is
 * bridged-TAP and {@code dhcp.enabled} is true, and the warnings {@code ovpn-agent check} prints
 * for combinations that will not work ({@link ovpnagent.instance.PlanPrinter}). Imports {@code
 * ovpnagent.config}, {@code ovpnagent.openvpn.conf} and {@code ovpnagent.util}; the wiring of
 * services per instance builds on this plan.
 */
package ovpnagent.instance;
