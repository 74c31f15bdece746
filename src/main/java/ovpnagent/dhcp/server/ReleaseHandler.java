package ovpnagent.dhcp.server;

import ovpnagent.dhcp.codec.DhcpPacket;
import ovpnagent.store.Lease;
import ovpnagent.util.Ipv4;

/**
 * RELEASE (RFC 2131 §4.3.4): no reply; the sender's lease of ciaddr becomes RELEASED, is persisted,
 * and stays remembered so the same client gets the same address again.
 */
final class ReleaseHandler implements MessageHandler {
  private final ServerContext ctx;

  ReleaseHandler(ServerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void handle(DhcpPacket p, Subnet s, String key, long now) {
    if (p.ciaddr() == 0) {
      ctx.drops.drop(DropReason.RFC_VIOLATION, p, "RELEASE without ciaddr");
      return;
    }
    Lease released = ctx.allocator.release(key, p.ciaddr(), now);
    if (released == null) {
      ctx.drops.drop(
          DropReason.LEASE_MISMATCH,
          p,
          "RELEASE of " + Ipv4.format(p.ciaddr()) + " not held by sender");
      return;
    }
    ctx.persistQuietly(released);
  }
}
