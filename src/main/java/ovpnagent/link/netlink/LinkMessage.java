package ovpnagent.link.netlink;

import java.nio.ByteBuffer;
import ovpnagent.util.HwAddr;

/**
 * A parsed RTM_NEWLINK/RTM_DELLINK ({@code ifinfomsg} + IFLA attributes, rtnetlink(7)).
 *
 * @param deleted true for RTM_DELLINK
 * @param arpType {@code ifi_type} (1 = Ethernet: bridge, TAP; 65534 = none: TUN)
 * @param index interface index
 * @param flags {@code ifi_flags} (IFF_UP, IFF_LOWER_UP, ...)
 * @param name IFLA_IFNAME
 * @param master IFLA_MASTER, 0 when not enslaved
 * @param kind IFLA_LINKINFO/IFLA_INFO_KIND ({@code bridge}, {@code tun}), empty when absent
 * @param tunType IFLA_TUN_TYPE for kind {@code tun} (1 TUN, 2 TAP), 0 when absent
 * @param operState IFLA_OPERSTATE (RFC 2863 value), -1 when absent
 * @param mtu IFLA_MTU, 0 when absent
 * @param address IFLA_ADDRESS when it is 6 bytes, else null
 */
public record LinkMessage(
    boolean deleted,
    int arpType,
    int index,
    int flags,
    String name,
    int master,
    String kind,
    int tunType,
    int operState,
    int mtu,
    HwAddr address) {

  /**
   * Parses a link message.
   *
   * @throws NetlinkParseException if it is not RTM_NEWLINK/RTM_DELLINK or is malformed
   */
  public static LinkMessage parse(NlMessage m) throws NetlinkParseException {
    if (m.type() != Rtnl.RTM_NEWLINK && m.type() != Rtnl.RTM_DELLINK) {
      throw new NetlinkParseException(
          "message " + Rtnl.typeName(m.type()) + " (expected RTM_NEWLINK or RTM_DELLINK)");
    }
    m.requireBody(16, "ifinfomsg");
    ByteBuffer b = m.body();
    RtAttrs a = RtAttrs.parse(b, 16);
    RtAttrs info = a.nested(Rtnl.IFLA_LINKINFO);
    String kind = info.string(Rtnl.IFLA_INFO_KIND);
    byte[] mac = a.bytes(Rtnl.IFLA_ADDRESS);
    return new LinkMessage(
        m.type() == Rtnl.RTM_DELLINK,
        b.getShort(2) & 0xffff,
        b.getInt(4),
        b.getInt(8),
        a.string(Rtnl.IFLA_IFNAME),
        a.u32(Rtnl.IFLA_MASTER, 0),
        kind == null ? "" : kind,
        "tun".equals(kind) ? info.nested(Rtnl.IFLA_INFO_DATA).u8(Rtnl.IFLA_TUN_TYPE, 0) : 0,
        a.u8(Rtnl.IFLA_OPERSTATE, -1),
        a.u32(Rtnl.IFLA_MTU, 0),
        mac != null && mac.length == 6 ? HwAddr.of(mac) : null);
  }
}
