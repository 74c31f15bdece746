package ovpnagent.openvpn.conf;

/** OpenVPN's {@code topology}: it decides the form of {@code ifconfig-push} for TUN clients. */
public enum Topology {
  /** One /30 per client (default up to OpenVPN 2.6). */
  NET30,
  /** Point-to-point addresses. */
  P2P,
  /** One subnet, one address per client (default from 2.7; always the case for TAP). */
  SUBNET;

  /** The default of OpenVPN 2.6, the version the agent targets. */
  public static final Topology DEFAULT = NET30;

  /** The directive's own spelling. */
  public String directive() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
