package ovpnagent.dhcp.server;

import java.io.IOException;
import ovpnagent.dhcp.codec.DhcpCodec;
import ovpnagent.dhcp.codec.DhcpPacket;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.dhcp.codec.OptionCode;

/**
 * Encodes a reply within the client's size limit (option 57, else 576) and sends it where RFC 2131
 * §4.1 says: giaddr → relay port 67; NAK without relay → broadcast; ciaddr → unicast to ciaddr:68;
 * B flag → broadcast; else unicast to yiaddr at chaddr (the PacketIo falls back to broadcast).
 * Thread-safe.
 */
final class ReplySender {
  static final int SERVER_PORT = 67;
  static final int CLIENT_PORT = 68;
  private static final int MAX_REPLY = 1500 - DhcpCodec.IP_UDP_OVERHEAD;

  /**
   * Where a reply goes.
   *
   * @param mac layer-2 destination for an unaddressed client, else null
   */
  record Destination(int ip, int port, ovpnagent.util.HwAddr mac) {}

  private final PacketIo io;
  private final DhcpMetrics metrics;
  private final DropLog drops;

  ReplySender(PacketIo io, DhcpMetrics metrics, DropLog drops) {
    this.io = io;
    this.metrics = metrics;
    this.drops = drops;
  }

  /** RFC 2131 §4.1 reply addressing. */
  static Destination destination(DhcpPacket req, DhcpPacket reply, MessageType type) {
    if (req.giaddr() != 0) {
      return new Destination(req.giaddr(), SERVER_PORT, null);
    }
    if (type == MessageType.NAK) {
      return new Destination(PacketIo.BROADCAST, CLIENT_PORT, null);
    }
    if (req.ciaddr() != 0) {
      return new Destination(req.ciaddr(), CLIENT_PORT, null);
    }
    if (req.broadcastFlag() || reply.yiaddr() == 0 || req.mac() == null) {
      return new Destination(PacketIo.BROADCAST, CLIENT_PORT, null);
    }
    return new Destination(reply.yiaddr(), CLIENT_PORT, req.mac());
  }

  /** The largest DHCP payload the client accepts. */
  static int maxLength(DhcpPacket req) {
    Integer m = req.options().u16(OptionCode.MAX_MESSAGE_SIZE);
    int total =
        m == null ? DhcpCodec.DEFAULT_MAX_MESSAGE : Math.max(m, DhcpCodec.DEFAULT_MAX_MESSAGE);
    return Math.min(total - DhcpCodec.IP_UDP_OVERHEAD, MAX_REPLY);
  }

  /** Encodes and sends; a failure is counted as a drop. Returns true if it left. */
  boolean send(DhcpPacket req, DhcpPacket reply, MessageType type) {
    Destination d = destination(req, reply, type);
    try {
      byte[] bytes = DhcpCodec.encode(reply, maxLength(req));
      io.send(bytes, bytes.length, d.ip(), d.port(), d.mac());
      metrics.sent(type);
      return true;
    } catch (IOException | RuntimeException e) {
      drops.drop(DropReason.SEND_FAILED, req, type + ": " + e.getMessage());
      return false;
    }
  }
}
