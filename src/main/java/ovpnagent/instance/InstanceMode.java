package ovpnagent.instance;

/** What the agent does for one OpenVPN instance ({@code openvpn.md} §7). */
public enum InstanceMode {
  /** TAP + {@code server-bridge} (any form) or {@code mode server} without {@code ifconfig}. */
  BRIDGED_TAP,
  /** TUN server: the agent pushes addresses from {@code routed.pool}. */
  ROUTED_TUN,
  /** TAP + {@code server} (routed TAP): reported only, no bridge is managed. */
  ROUTED_TAP,
  /** Not a multi-client server, or its device kind cannot be told: nothing is managed. */
  CLIENT_OR_UNKNOWN;

  /** The name {@code check} prints ({@code bridged-tap}, {@code routed-tun}, ...). */
  public String label() {
    return switch (this) {
      case BRIDGED_TAP -> "bridged-tap";
      case ROUTED_TUN -> "routed-tun";
      case ROUTED_TAP -> "routed-tap";
      case CLIENT_OR_UNKNOWN -> "client-or-unknown";
    };
  }
}
