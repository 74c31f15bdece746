package ovpnagent.link;

import ovpnagent.link.netlink.LinkMessage;
import ovpnagent.link.netlink.Rtnl;
import ovpnagent.util.HwAddr;

/**
 * One network interface as the kernel reports it.
 *
 * @param index interface index
 * @param name interface name
 * @param kind link kind ({@code bridge}, {@code tun} for TUN and TAP), empty for physical links
 * @param tap true for a TAP (kind {@code tun}, Ethernet framing)
 * @param flags interface flags (IFF_UP 0x1, IFF_LOWER_UP 0x10000)
 * @param master index of the bridge this link is enslaved to, 0 if none
 * @param mtu MTU
 * @param address MAC address, or null
 */
public record LinkInfo(
    int index,
    String name,
    String kind,
    boolean tap,
    int flags,
    int master,
    int mtu,
    HwAddr address) {
  private static final int IFF_TAP = 2;

  /** Converts a parsed RTM_NEWLINK. */
  public static LinkInfo of(LinkMessage m) {
    boolean tap =
        "tun".equals(m.kind())
            && (m.tunType() == IFF_TAP || (m.tunType() == 0 && m.arpType() == Rtnl.ARPHRD_ETHER));
    return new LinkInfo(
        m.index(), m.name(), m.kind(), tap, m.flags(), m.master(), m.mtu(), m.address());
  }

  /** True if administratively up (IFF_UP). */
  public boolean isUp() {
    return (flags & Rtnl.IFF_UP) != 0;
  }

  /** True if the link is a bridge. */
  public boolean isBridge() {
    return "bridge".equals(kind);
  }

  /** True if the link has carrier (IFF_LOWER_UP); a persistent TAP without OpenVPN has none. */
  public boolean hasCarrier() {
    return (flags & Rtnl.IFF_LOWER_UP) != 0;
  }

  /** A short description for errors: {@code bridge}, {@code tap}, {@code tun} or the kind. */
  public String describeKind() {
    if (tap) {
      return "tap";
    }
    return kind.isEmpty() ? "device" : kind;
  }
}
