package ovpnagent.openvpn.conf;

import ovpnagent.util.Ipv4;

/** {@code ifconfig LOCAL MASK-OR-REMOTE}: the address OpenVPN puts on its own device. */
public record Ifconfig(int local, int maskOrRemote) {
  @Override
  public String toString() {
    return "ifconfig " + Ipv4.format(local) + " " + Ipv4.format(maskOrRemote);
  }
}
