package ovpnagent.dhcp.server;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import ovpnagent.dhcp.codec.DhcpPacket;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.dhcp.codec.OptionCode;
import ovpnagent.util.HwAddr;

/**
 * The early filter every decoded packet passes (style.md practice 4, Kea's {@code accept()}): a
 * BOOTREQUEST from Ethernet, with a client message type, not aimed at another server (option 54),
 * from an allowed MAC that is not decline-limited, and not a flapping DISCOVER.
 */
final class RequestFilter {
  private final int serverId;
  private final Set<Long> allow = new HashSet<>();
  private final Set<Long> deny = new HashSet<>();
  private final ClientTracker tracker;

  RequestFilter(int serverId, List<HwAddr> allow, List<HwAddr> deny, ClientTracker tracker) {
    this.serverId = serverId;
    allow.forEach(m -> this.allow.add(m.toLong()));
    deny.forEach(m -> this.deny.add(m.toLong()));
    this.tracker = tracker;
  }

  /** The reason to drop {@code p}, or null to handle it. */
  DropReason accept(DhcpPacket p, long now) {
    if (p.op() != DhcpPacket.BOOTREQUEST) {
      return DropReason.NOT_REQUEST;
    }
    if (p.htype() != 1 || p.hlen() != 6) {
      return DropReason.BAD_HWADDR;
    }
    MessageType t = p.messageType();
    if (t == null) {
      return DropReason.UNKNOWN_TYPE;
    }
    switch (t) {
      case OFFER, ACK, NAK:
        return DropReason.UNKNOWN_TYPE;
      default:
        break;
    }
    Integer sid = p.options().ipv4(OptionCode.SERVER_ID);
    if (sid != null && sid != serverId) {
      return DropReason.NOT_FOR_US;
    }
    long mac = DropLog.macValue(p);
    if (!deny.isEmpty() && deny.contains(mac)) {
      return DropReason.DENIED;
    }
    if (!allow.isEmpty() && !allow.contains(mac)) {
      return DropReason.DENIED;
    }
    if (!tracker.allowed(mac, now)) {
      return DropReason.DECLINE_LIMITED;
    }
    if (t == MessageType.DISCOVER && !tracker.onDiscover(mac, p.xid(), now)) {
      return DropReason.FLAPPING;
    }
    if (t == MessageType.DECLINE && !tracker.onDecline(mac, now)) {
      return DropReason.DECLINE_LIMITED;
    }
    return null;
  }
}
