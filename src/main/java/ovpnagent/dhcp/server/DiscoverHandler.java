package ovpnagent.dhcp.server;

import ovpnagent.dhcp.codec.DhcpPacket;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.dhcp.codec.OptionCode;
import ovpnagent.store.Lease;

/** DISCOVER → OFFER (RFC 2131 §4.3.1): the offer is held in memory only, no durable write. */
final class DiscoverHandler implements MessageHandler {
  private final ServerContext ctx;

  DiscoverHandler(ServerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void handle(DhcpPacket p, Subnet s, String key, long now) {
    Integer requested = p.options().ipv4(OptionCode.REQUESTED_IP);
    Lease l =
        ctx.allocator.offer(
            s,
            key,
            p.mac(),
            requested == null ? 0 : requested,
            p.options().string(OptionCode.HOST_NAME),
            now);
    for (Lease gone : ctx.allocator.drainUnsaved()) {
      ctx.persistQuietly(gone);
    }
    if (l == null) {
      ctx.drops.drop(DropReason.POOL_EXHAUSTED, p, "no free address in " + s.name());
      return;
    }
    ctx.sender.send(p, ReplyFactory.lease(MessageType.OFFER, p, s, l.ip()), MessageType.OFFER);
  }
}
