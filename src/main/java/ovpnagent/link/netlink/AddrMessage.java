package ovpnagent.link.netlink;

import java.nio.ByteBuffer;

/**
 * A parsed RTM_NEWADDR/RTM_DELADDR ({@code ifaddrmsg} + IFA attributes, rtnetlink(7)); IPv4
 * addresses as ints, 0 when absent.
 *
 * @param family AF_INET (2) or AF_INET6 (10)
 * @param prefixLen prefix length
 * @param scope {@code ifa_scope}
 * @param index interface index
 * @param local IFA_LOCAL (the interface's own address), IPv4 only
 * @param address IFA_ADDRESS (peer or local), IPv4 only
 * @param label IFA_LABEL, or null
 */
public record AddrMessage(
    int family, int prefixLen, int scope, int index, int local, int address, String label) {

  /**
   * Parses an address message.
   *
   * @throws NetlinkParseException if it is not RTM_NEWADDR/RTM_DELADDR or is malformed
   */
  public static AddrMessage parse(NlMessage m) throws NetlinkParseException {
    if (m.type() != Rtnl.RTM_NEWADDR && m.type() != Rtnl.RTM_DELADDR) {
      throw new NetlinkParseException(
          "message " + Rtnl.typeName(m.type()) + " (expected RTM_NEWADDR or RTM_DELADDR)");
    }
    m.requireBody(8, "ifaddrmsg");
    ByteBuffer b = m.body();
    int family = b.get(0) & 0xff;
    RtAttrs a = RtAttrs.parse(b, 8);
    boolean v4 = family == Rtnl.AF_INET;
    int address = v4 ? a.ipv4(Rtnl.IFA_ADDRESS, 0) : 0;
    return new AddrMessage(
        family,
        b.get(1) & 0xff,
        b.get(3) & 0xff,
        b.getInt(4),
        v4 ? a.ipv4(Rtnl.IFA_LOCAL, address) : 0,
        address,
        a.string(Rtnl.IFA_LABEL));
  }
}
