package ovpnagent.link.netlink;

import ovpnagent.util.Cidr;
import ovpnagent.util.HwAddr;

/**
 * The rtnetlink requests the agent sends, one factory per iproute2 command (rtnetlink(7)); pure
 * builders, tested byte for byte.
 */
public final class RtnlRequests {
  private static final int NEW = Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK;

  private RtnlRequests() {}

  /** {@code ip link add NAME type bridge}: RTM_NEWLINK CREATE|EXCL with IFLA_INFO_KIND. */
  public static NlMsgBuilder newBridge(String name) {
    return new NlMsgBuilder(Rtnl.RTM_NEWLINK, NEW | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL)
        .ifInfo(Rtnl.AF_UNSPEC, 0, 0, 0, 0)
        .attrString(Rtnl.IFLA_IFNAME, checkName(name))
        .begin(Rtnl.IFLA_LINKINFO)
        .attrString(Rtnl.IFLA_INFO_KIND, "bridge")
        .end();
  }

  /** {@code ip link set dev master BRIDGE}: RTM_SETLINK with IFLA_MASTER (0 = nomaster). */
  public static NlMsgBuilder setMaster(int index, int masterIndex) {
    return new NlMsgBuilder(Rtnl.RTM_SETLINK, NEW)
        .ifInfo(Rtnl.AF_UNSPEC, 0, index, 0, 0)
        .attrU32(Rtnl.IFLA_MASTER, masterIndex);
  }

  /** {@code ip link set dev up}: RTM_SETLINK with flags = change = IFF_UP. */
  public static NlMsgBuilder setUp(int index) {
    return new NlMsgBuilder(Rtnl.RTM_SETLINK, NEW)
        .ifInfo(Rtnl.AF_UNSPEC, 0, index, Rtnl.IFF_UP, Rtnl.IFF_UP);
  }

  /** {@code ip addr add A/P brd + dev}: RTM_NEWADDR with IFA_LOCAL, IFA_ADDRESS, IFA_BROADCAST. */
  public static NlMsgBuilder newAddress(int index, Cidr cidr) {
    NlMsgBuilder b =
        new NlMsgBuilder(Rtnl.RTM_NEWADDR, NEW | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL)
            .ifAddr(Rtnl.AF_INET, cidr.prefix(), 0, 0, index)
            .attrIpv4(Rtnl.IFA_LOCAL, cidr.address())
            .attrIpv4(Rtnl.IFA_ADDRESS, cidr.address());
    if (cidr.prefix() < 31) {
      b.attrIpv4(Rtnl.IFA_BROADCAST, cidr.broadcast());
    }
    return b;
  }

  /**
   * {@code ip neigh replace IP lladdr MAC dev nud reachable}: RTM_NEWNEIGH CREATE|REPLACE with
   * NDA_DST and NDA_LLADDR.
   */
  public static NlMsgBuilder replaceNeighbour(int index, int ipv4, HwAddr mac) {
    return new NlMsgBuilder(Rtnl.RTM_NEWNEIGH, NEW | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_REPLACE)
        .nd(Rtnl.AF_INET, index, Rtnl.NUD_REACHABLE, 0, 0)
        .attrIpv4(Rtnl.NDA_DST, ipv4)
        .attr(Rtnl.NDA_LLADDR, mac.toBytes());
  }

  /**
   * {@code ip route replace NET/LEN dev DEV}: RTM_NEWROUTE CREATE|REPLACE, rtmsg(AF_INET, LEN, main
   * table, proto boot, scope link, unicast), RTA_DST and RTA_OIF - the bytes iproute2 6.1 sends.
   */
  public static NlMsgBuilder replaceRoute(int index, Cidr net) {
    return new NlMsgBuilder(Rtnl.RTM_NEWROUTE, NEW | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_REPLACE)
        .rt(
            Rtnl.AF_INET,
            net.prefix(),
            Rtnl.RT_TABLE_MAIN,
            Rtnl.RTPROT_BOOT,
            Rtnl.RT_SCOPE_LINK,
            Rtnl.RTN_UNICAST)
        .attrIpv4(Rtnl.RTA_DST, net.network())
        .attrU32(Rtnl.RTA_OIF, index);
  }

  /** {@code ip link show dev NAME}: RTM_GETLINK by IFLA_IFNAME; answered by one RTM_NEWLINK. */
  public static NlMsgBuilder getLink(String name) {
    return new NlMsgBuilder(Rtnl.RTM_GETLINK, NEW)
        .ifInfo(Rtnl.AF_UNSPEC, 0, 0, 0, 0)
        .attrString(Rtnl.IFLA_IFNAME, checkName(name));
  }

  /** {@code ip link show}: RTM_GETLINK dump. */
  public static NlMsgBuilder dumpLinks() {
    return new NlMsgBuilder(Rtnl.RTM_GETLINK, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP)
        .ifInfo(Rtnl.AF_UNSPEC, 0, 0, 0, 0);
  }

  /** {@code ip -4 addr show}: RTM_GETADDR dump for AF_INET. */
  public static NlMsgBuilder dumpIpv4Addresses() {
    return new NlMsgBuilder(Rtnl.RTM_GETADDR, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP)
        .ifAddr(Rtnl.AF_INET, 0, 0, 0, 0);
  }

  /** {@code ip link del dev}: RTM_DELLINK by index. */
  public static NlMsgBuilder deleteLink(int index) {
    return new NlMsgBuilder(Rtnl.RTM_DELLINK, NEW).ifInfo(Rtnl.AF_UNSPEC, 0, index, 0, 0);
  }

  /**
   * Checks an interface name: 1-15 printable ASCII bytes, no '/', ':' or whitespace.
   *
   * @throws IllegalArgumentException naming the bad name
   */
  public static String checkName(String name) {
    if (name == null || name.isEmpty() || name.length() >= Rtnl.IFNAMSIZ) {
      throw new IllegalArgumentException(
          "bad interface name '" + name + "' (expected 1-15 characters)");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= ' ' || c > '~' || c == '/' || c == ':') {
        throw new IllegalArgumentException("bad interface name '" + name + "'");
      }
    }
    return name;
  }
}
