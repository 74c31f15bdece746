package ovpnagent.dhcp.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.dhcp.codec.DhcpPacket;
import ovpnagent.dhcp.codec.OptionCode;
import ovpnagent.store.Lease;
import ovpnagent.util.Ipv4;

/**
 * DECLINE (RFC 2131 §4.3.3, Kea's model in dhcp.md §3): no reply; the address named in option 50,
 * if the sender holds it, goes on probation (DECLINED, belongs to nobody), is persisted so
 * probation survives a restart, counted, and logged for the administrator.
 */
final class DeclineHandler implements MessageHandler {
  private static final Logger log = LoggerFactory.getLogger(DeclineHandler.class);
  private final ServerContext ctx;

  DeclineHandler(ServerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void handle(DhcpPacket p, Subnet s, String key, long now) {
    Integer ip = p.options().ipv4(OptionCode.REQUESTED_IP);
    if (ip == null) {
      ctx.drops.drop(DropReason.RFC_VIOLATION, p, "DECLINE without option 50");
      return;
    }
    Lease declined = ctx.allocator.decline(key, ip, now);
    if (declined == null) {
      Lease cur = ctx.allocator.leaseAt(ip);
      if (cur != null && cur.state() == ovpnagent.store.LeaseState.DECLINED) {
        ctx.drops.drop(
            DropReason.QUARANTINED, p, "DECLINE of " + Ipv4.format(ip) + " already on probation");
        return;
      }
      ctx.drops.drop(
          DropReason.LEASE_MISMATCH, p, "DECLINE of " + Ipv4.format(ip) + " not held by sender");
      return;
    }
    ctx.metrics.declined();
    log.info(
        "event=dhcp_decline ip={} client={} {} probation_until_ms={}",
        Ipv4.format(ip),
        key,
        p.label(),
        declined.expiresAt());
    ctx.persistQuietly(declined);
  }
}
