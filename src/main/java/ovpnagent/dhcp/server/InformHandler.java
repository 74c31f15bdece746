package ovpnagent.dhcp.server;

import ovpnagent.dhcp.codec.DhcpPacket;
import ovpnagent.dhcp.codec.MessageType;

/**
 * INFORM → ACK (RFC 2131 §4.3.5): configuration only, to ciaddr (or the relay), without lease time
 * or yiaddr, and without looking at leases.
 */
final class InformHandler implements MessageHandler {
  private final ServerContext ctx;

  InformHandler(ServerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void handle(DhcpPacket p, Subnet s, String key, long now) {
    ctx.sender.send(p, ReplyFactory.informAck(p, s), MessageType.ACK);
  }
}
