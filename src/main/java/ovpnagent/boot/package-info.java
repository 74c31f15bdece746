/**
 * Boot wiring: the agent is a list of {@link ovpnagent.boot.Service}s started in order and stopped
 * in reverse. This is one of the two packages (with {@code instance}) allowed to wire others
 * together.
 */
package ovpnagent.boot;
