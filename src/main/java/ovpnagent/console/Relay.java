package ovpnagent.console;

import java.util.List;
import java.util.function.Supplier;
import ovpnagent.openvpn.mgmt.ManagementClient;
import ovpnagent.openvpn.mgmt.ManagementException;
import ovpnagent.openvpn.mgmt.protocol.CommandResult;

/** Sends one admin command to OpenVPN over the agent's management session; waits for the reply. */
@FunctionalInterface
interface Relay {
  /**
   * Runs {@code line} and returns OpenVPN's reply.
   *
   * @throws ManagementException on an {@code ERROR:} reply ({@link
   *     ovpnagent.openvpn.mgmt.ManagementCommandException}), when not connected, or on timeout
   */
  CommandResult run(String line, CommandResult.Kind kind) throws ManagementException;

  /** A relay through whatever client {@code client} supplies (null while the service is down). */
  static Relay of(Supplier<ManagementClient> client) {
    return (line, kind) -> {
      ManagementClient c = client.get();
      if (c == null) {
        throw new ManagementException("the agent's management client is not running");
      }
      return c.command(List.of(line), kind);
    };
  }
}
