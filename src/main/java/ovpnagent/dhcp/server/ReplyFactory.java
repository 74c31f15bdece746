package ovpnagent.dhcp.server;

import java.nio.charset.StandardCharsets;
import ovpnagent.dhcp.codec.DhcpOptions;
import ovpnagent.dhcp.codec.DhcpPacket;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.dhcp.codec.OptionCode;

/**
 * Builds OFFER, ACK and NAK replies (RFC 2131 §4.3, Table 3; dhcp.md §2 rows 10-19): op BOOTREPLY,
 * hops and secs 0, xid/flags/giaddr/chaddr copied, ciaddr 0 in OFFER and NAK and copied in ACK,
 * yiaddr 0 in NAK and INFORM ACKs; options 53, 54, lease times, then the configured options the
 * client asked for in option 55 (all configured ones without 55, subnet mask always), then 61
 * echoed and 82 echoed last. Options 50, 55 and 57 are never echoed. A relayed NAK gets the B flag.
 */
final class ReplyFactory {
  private static final int[] DEFAULT_OPTIONS = {
    OptionCode.SUBNET_MASK, OptionCode.ROUTER, OptionCode.DNS_SERVERS, OptionCode.DOMAIN_NAME
  };

  private ReplyFactory() {}

  /** An OFFER (with lease time) or an ACK to a REQUEST. */
  static DhcpPacket lease(MessageType type, DhcpPacket req, Subnet s, int yiaddr) {
    DhcpOptions.Builder o = DhcpOptions.builder().messageType(type);
    o.putIpv4(OptionCode.SERVER_ID, s.serverId());
    long secs = s.leaseSeconds();
    o.putU32(OptionCode.LEASE_TIME, secs);
    o.putU32(OptionCode.RENEWAL_TIME, secs / 2);
    o.putU32(OptionCode.REBINDING_TIME, secs * 7 / 8);
    configured(o, req, s);
    echo(o, req);
    return header(req)
        .ciaddr(type == MessageType.ACK ? req.ciaddr() : 0)
        .yiaddr(yiaddr)
        .options(o.build())
        .build();
  }

  /** The ACK to an INFORM: no lease time, no yiaddr (RFC 2131 §4.3.5). */
  static DhcpPacket informAck(DhcpPacket req, Subnet s) {
    DhcpOptions.Builder o = DhcpOptions.builder().messageType(MessageType.ACK);
    o.putIpv4(OptionCode.SERVER_ID, s.serverId());
    configured(o, req, s);
    echo(o, req);
    return header(req).ciaddr(req.ciaddr()).options(o.build()).build();
  }

  /** A NAK: yiaddr and ciaddr 0, option 56 says why, B flag forced when relayed. */
  static DhcpPacket nak(DhcpPacket req, int serverId, String message) {
    DhcpOptions.Builder o = DhcpOptions.builder().messageType(MessageType.NAK);
    o.putIpv4(OptionCode.SERVER_ID, serverId);
    if (message != null) {
      o.put(OptionCode.MESSAGE, message.getBytes(StandardCharsets.US_ASCII));
    }
    echo(o, req);
    DhcpPacket.Builder b = header(req).options(o.build());
    if (req.giaddr() != 0) {
      b.flags(req.flags() | DhcpPacket.FLAG_BROADCAST);
    }
    return b.build();
  }

  private static DhcpPacket.Builder header(DhcpPacket req) {
    return DhcpPacket.builder()
        .op(DhcpPacket.BOOTREPLY)
        .htype(req.htype())
        .hlen(req.hlen())
        .hops(0)
        .xid(req.xid())
        .secs(0)
        .flags(req.flags())
        .giaddr(req.giaddr())
        .chaddr(req.chaddr());
  }

  private static void configured(DhcpOptions.Builder o, DhcpPacket req, Subnet s) {
    o.put(OptionCode.SUBNET_MASK, s.option(OptionCode.SUBNET_MASK));
    byte[] prl = req.options().get(OptionCode.PARAMETER_REQUEST_LIST);
    if (prl == null) {
      for (int code : DEFAULT_OPTIONS) {
        byte[] v = s.option(code);
        if (v != null && !o.has(code)) {
          o.put(code, v);
        }
      }
      return;
    }
    for (byte c : prl) {
      int code = c & 0xff;
      if (code == 0 || code == 255) {
        continue;
      }
      byte[] v = s.option(code);
      if (v != null && !o.has(code)) {
        o.put(code, v);
      }
    }
  }

  private static void echo(DhcpOptions.Builder o, DhcpPacket req) {
    byte[] id = req.options().get(OptionCode.CLIENT_ID);
    if (id != null) {
      o.put(OptionCode.CLIENT_ID, id);
    }
    byte[] rai = req.options().get(OptionCode.RELAY_AGENT_INFO);
    if (rai != null && rai.length > 0) {
      o.put(OptionCode.RELAY_AGENT_INFO, rai);
    }
  }
}
