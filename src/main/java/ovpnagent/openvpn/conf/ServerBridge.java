package ovpnagent.openvpn.conf;

import ovpnagent.util.Ipv4;

/**
 * {@code server-bridge} in one of its three forms. Addresses are 0 when the form has none.
 *
 * @param form which form was written
 * @param gateway the gateway pushed to clients ({@link Form#POOL} only)
 * @param netmask the netmask pushed to clients ({@link Form#POOL} only)
 * @param poolStart first address of OpenVPN's own pool ({@link Form#POOL} only)
 * @param poolEnd last address of OpenVPN's own pool ({@link Form#POOL} only)
 */
public record ServerBridge(Form form, int gateway, int netmask, int poolStart, int poolEnd) {
  /** The forms of {@code server-bridge}. */
  public enum Form {
    /** {@code server-bridge GW MASK START END}: OpenVPN pushes addresses from its pool. */
    POOL,
    /** {@code server-bridge} without arguments: only {@code route-gateway dhcp} is pushed. */
    DHCP_PROXY,
    /** {@code server-bridge nogw}: like the pool form without a gateway push. */
    NOGW
  }

  /** True if OpenVPN hands out addresses from its own pool ({@link Form#POOL}). */
  public boolean hasPool() {
    return form == Form.POOL;
  }

  @Override
  public String toString() {
    return switch (form) {
      case POOL ->
          "server-bridge "
              + Ipv4.format(gateway)
              + " "
              + Ipv4.format(netmask)
              + " "
              + Ipv4.format(poolStart)
              + " "
              + Ipv4.format(poolEnd);
      case DHCP_PROXY -> "server-bridge";
      case NOGW -> "server-bridge nogw";
    };
  }
}
