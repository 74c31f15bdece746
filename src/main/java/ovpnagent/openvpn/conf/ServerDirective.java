package ovpnagent.openvpn.conf;

import ovpnagent.util.Ipv4;

/**
 * {@code server NETWORK NETMASK [nopool]}: a routed server; OpenVPN takes {@code .1} and pools the
 * rest unless {@code nopool}.
 */
public record ServerDirective(int network, int netmask, boolean nopool) {
  @Override
  public String toString() {
    return "server "
        + Ipv4.format(network)
        + " "
        + Ipv4.format(netmask)
        + (nopool ? " nopool" : "");
  }
}
