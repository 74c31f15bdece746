/**
 * The status CLI ({@code ovpn-agent status | instances | clients | routers | leases | quarantine |
 * release | reclaim}, each with {@code --json}): a separate entry point that sends one control
 * command per run over the control socket and renders any answer shape as aligned text. Imports
 * {@code control} (client and result codes) and {@code util} only.
 */
package ovpnagent.cli;
