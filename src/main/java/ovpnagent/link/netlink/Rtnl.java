package ovpnagent.link.netlink;

/** rtnetlink constants from include/uapi/linux/{netlink,rtnetlink,if_link,if_addr,neighbour}.h. */
public final class Rtnl {
  private Rtnl() {}

  /** netlink(7) protocol of the routing socket. */
  public static final int NETLINK_ROUTE = 0;

  /** {@code SOL_NETLINK} socket option level. */
  public static final int SOL_NETLINK = 270;

  /** Return only the request header in errors (netlink(7)). */
  public static final int NETLINK_CAP_ACK = 10;

  /** Extended ACK: kernel error strings in NLMSG_ERROR (netlink(7)). */
  public static final int NETLINK_EXT_ACK = 11;

  /** Multicast group of link notifications. */
  public static final int RTMGRP_LINK = 0x1;

  public static final int NLMSG_HDRLEN = 16;
  public static final int NLMSG_ERROR = 2;
  public static final int NLMSG_DONE = 3;
  public static final int RTM_NEWLINK = 16;
  public static final int RTM_DELLINK = 17;
  public static final int RTM_GETLINK = 18;
  public static final int RTM_SETLINK = 19;
  public static final int RTM_NEWADDR = 20;
  public static final int RTM_DELADDR = 21;
  public static final int RTM_GETADDR = 22;
  public static final int RTM_NEWNEIGH = 28;
  public static final int RTM_NEWROUTE = 24;
  public static final int RTA_DST = 1;
  public static final int RTA_OIF = 4;
  public static final int RT_TABLE_MAIN = 254;
  public static final int RTPROT_BOOT = 3;
  public static final int RT_SCOPE_LINK = 253;
  public static final int RTN_UNICAST = 1;

  public static final int NLM_F_REQUEST = 0x1;
  public static final int NLM_F_MULTI = 0x2;
  public static final int NLM_F_ACK = 0x4;
  public static final int NLM_F_REPLACE = 0x100;
  public static final int NLM_F_EXCL = 0x200;
  public static final int NLM_F_CREATE = 0x400;
  public static final int NLM_F_DUMP = 0x300;

  /** On NLMSG_ERROR: the request payload was not echoed. */
  public static final int NLM_F_CAPPED = 0x100;

  /** On NLMSG_ERROR: extended-ack TLVs follow the echoed request. */
  public static final int NLM_F_ACK_TLVS = 0x200;

  public static final int NLMSGERR_ATTR_MSG = 1;

  public static final int NLA_F_NESTED = 0x8000;
  public static final int NLA_TYPE_MASK = 0x3fff;

  public static final int IFLA_ADDRESS = 1;
  public static final int IFLA_IFNAME = 3;
  public static final int IFLA_MTU = 4;
  public static final int IFLA_MASTER = 10;
  public static final int IFLA_OPERSTATE = 16;
  public static final int IFLA_LINKINFO = 18;
  public static final int IFLA_INFO_KIND = 1;
  public static final int IFLA_INFO_DATA = 2;

  /** {@code IFLA_TUN_TYPE} inside IFLA_INFO_DATA of kind "tun": u8 IFF_TUN (1) or IFF_TAP (2). */
  public static final int IFLA_TUN_TYPE = 3;

  public static final int IFA_ADDRESS = 1;
  public static final int IFA_LOCAL = 2;
  public static final int IFA_LABEL = 3;
  public static final int IFA_BROADCAST = 4;

  public static final int NDA_DST = 1;
  public static final int NDA_LLADDR = 2;
  public static final int NUD_REACHABLE = 0x02;
  public static final int NUD_PERMANENT = 0x80;

  public static final int IFF_UP = 0x1;
  public static final int IFF_LOWER_UP = 0x10000;

  public static final int AF_UNSPEC = 0;
  public static final int AF_INET = 2;

  /** ARP hardware type of Ethernet-like links (bridges, TAPs); TUNs report ARPHRD_NONE. */
  public static final int ARPHRD_ETHER = 1;

  public static final int ENODEV = 19;
  public static final int EEXIST = 17;
  public static final int ENOBUFS = 105;

  /** Interface names are at most 15 bytes (IFNAMSIZ 16 with the NUL). */
  public static final int IFNAMSIZ = 16;

  /** Rounds up to the 4-byte netlink alignment. */
  public static int align4(int n) {
    return (n + 3) & ~3;
  }

  /** A readable name for a message type, for errors and logs. */
  public static String typeName(int type) {
    switch (type) {
      case NLMSG_ERROR:
        return "NLMSG_ERROR";
      case NLMSG_DONE:
        return "NLMSG_DONE";
      case RTM_NEWLINK:
        return "RTM_NEWLINK";
      case RTM_DELLINK:
        return "RTM_DELLINK";
      case RTM_GETLINK:
        return "RTM_GETLINK";
      case RTM_SETLINK:
        return "RTM_SETLINK";
      case RTM_NEWADDR:
        return "RTM_NEWADDR";
      case RTM_DELADDR:
        return "RTM_DELADDR";
      case RTM_GETADDR:
        return "RTM_GETADDR";
      case RTM_NEWNEIGH:
        return "RTM_NEWNEIGH";
      case RTM_NEWROUTE:
        return "RTM_NEWROUTE";
      default:
        return "type " + type;
    }
  }
}
