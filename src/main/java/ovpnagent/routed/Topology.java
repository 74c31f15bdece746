package ovpnagent.routed;

import java.util.Locale;

/** OpenVPN's {@code topology} (openvpn.md §7): chooses the {@code ifconfig-push} form. */
public enum Topology {
  /** One address per client plus the pool netmask; also every TAP instance. */
  SUBNET,
  /** A /30 per client: {@code ifconfig-push LOCAL REMOTE} with the block's .2 and .1. */
  NET30,
  /** One address per client, {@code ifconfig-push LOCAL SERVER}. */
  P2P;

  /**
   * The topology of an instance: TAP is always subnet; otherwise {@code text}, defaulting to net30
   * (the server default up to 2.6) when null or empty.
   *
   * @throws IllegalArgumentException for an unknown topology name
   */
  public static Topology of(String text, boolean tap) {
    if (tap) {
      return SUBNET;
    }
    if (text == null || text.isBlank()) {
      return NET30;
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "subnet" -> SUBNET;
      case "net30" -> NET30;
      case "p2p" -> P2P;
      default ->
          throw new IllegalArgumentException(
              "unknown topology '" + text + "' (expected subnet, net30 or p2p)");
    };
  }
}
