package ovpnagent.openvpn.conf;

import ovpnagent.util.Ipv4;

/**
 * {@code ifconfig-pool START END [MASK]}: OpenVPN's own address pool ({@code netmask} 0 = none).
 */
public record IfconfigPool(int start, int end, int netmask) {
  @Override
  public String toString() {
    return "ifconfig-pool "
        + Ipv4.format(start)
        + " "
        + Ipv4.format(end)
        + (netmask == 0 ? "" : " " + Ipv4.format(netmask));
  }
}
