package ovpnagent.dhcp.server;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.dhcp.codec.DhcpPacket;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.dhcp.codec.OptionCode;
import ovpnagent.metrics.Metrics;
import ovpnagent.store.Lease;
import ovpnagent.store.LeaseState;
import ovpnagent.util.Ipv4;

/**
 * DISCOVER → OFFER (RFC 2131 §4.3.1): the offer is held in memory only, no durable write.
 *
 * <p>With an {@link AddressProbe} ({@code dhcp.pingCheck}), an address new to the client is probed
 * before it is offered (RFC 2131 §2.2, dhcp.md row 21): the OFFER leaves when the probe found
 * nobody; an address that answers goes on probation like a declined one (persisted, counted in
 * {@code dhcp4.probe.conflicts}, logged) and the client is offered another address, probed again,
 * up to {@link #MAX_ATTEMPTS} addresses per DISCOVER. The client's own still-valid lease is never
 * probed (it answers for itself). While {@link #MAX_PROBES} probes are out, further new addresses
 * are offered unprobed ({@code dhcp4.probe.skipped}), as dnsmasq does under load; a probe that
 * cannot be sent ({@code dhcp4.probe.failed}) does not hold up the OFFER either.
 */
final class DiscoverHandler implements MessageHandler {
  private static final Logger log = LoggerFactory.getLogger(DiscoverHandler.class);

  /** Addresses tried per DISCOVER when probes keep finding them in use. */
  static final int MAX_ATTEMPTS = 3;

  /** Probes out at once above which new addresses are offered without one. */
  static final int MAX_PROBES = 256;

  private final ServerContext ctx;
  private final Set<Integer> probing = ConcurrentHashMap.newKeySet();
  private final LongAdder probesSent;
  private final LongAdder probesSkipped;
  private final LongAdder probesFailed;
  private final LongAdder conflicts;

  DiscoverHandler(ServerContext ctx) {
    this.ctx = ctx;
    // registered only with probing on, so the status lists them (at 0) exactly then
    Metrics m = ctx.probe == null ? new Metrics() : ctx.metrics.registry();
    probesSent = m.counter("dhcp4.probe.sent");
    probesSkipped = m.counter("dhcp4.probe.skipped");
    probesFailed = m.counter("dhcp4.probe.failed");
    conflicts = m.counter("dhcp4.probe.conflicts");
  }

  @Override
  public void handle(DhcpPacket p, Subnet s, String key, long now) {
    offer(p, s, key, now, 1);
  }

  private void offer(DhcpPacket p, Subnet s, String key, long now, int attempt) {
    Integer requested = p.options().ipv4(OptionCode.REQUESTED_IP);
    Lease before = ctx.probe == null ? null : ctx.allocator.leaseOf(key);
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
    if (ctx.probe != null) {
      if (probing.contains(l.ip())) {
        // a retransmitted DISCOVER while its address is being probed: the probe's outcome answers
        ctx.drops.drop(DropReason.PROBING, p, "probe of " + Ipv4.format(l.ip()) + " in progress");
        return;
      }
      if (needsProbe(before, l, now)) {
        if (probing.size() >= MAX_PROBES) {
          probesSkipped.increment();
        } else if (probing.add(l.ip())) {
          startProbe(p, s, key, l, attempt);
          return;
        } else {
          ctx.drops.drop(DropReason.PROBING, p, "probe of " + Ipv4.format(l.ip()) + " started");
          return;
        }
      }
    }
    sendOffer(p, s, l);
  }

  /**
   * An OFFERED address the client did not already hold and use: a new allocation, a requested
   * address, a previous (released or expired) binding or a reservation.
   */
  private static boolean needsProbe(Lease before, Lease offered, long now) {
    if (offered.state() != LeaseState.OFFERED) {
      return false; // the client's own BOUND lease
    }
    return before == null
        || before.ip() != offered.ip()
        || !(before.state() == LeaseState.BOUND || before.state() == LeaseState.OFFERED)
        || !before.activeAt(now);
  }

  private void startProbe(DhcpPacket p, Subnet s, String key, Lease l, int attempt) {
    probesSent.increment();
    CompletableFuture<Boolean> f;
    try {
      f = ctx.probe.probe(l.ip());
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete((inUse, err) -> probed(p, s, key, l, attempt, inUse, err));
  }

  /** A probe's outcome; runs on the probe's thread (or the caller's, if it completed at once). */
  private void probed(
      DhcpPacket p, Subnet s, String key, Lease l, int attempt, Boolean inUse, Throwable err) {
    try {
      probing.remove(l.ip());
      long now = ctx.clock.millis();
      if (err != null) {
        probesFailed.increment();
        log.debug("event=dhcp_probe_failed ip={} error=\"{}\"", Ipv4.format(l.ip()), err);
      } else if (inUse) {
        conflict(p, key, l, now);
        if (attempt < MAX_ATTEMPTS) {
          offer(p, s, key, now, attempt + 1);
        } else {
          ctx.drops.drop(
              DropReason.ADDRESS_CONFLICT, p, attempt + " offered addresses answered a probe");
        }
        return;
      }
      Lease cur = ctx.allocator.leaseAt(l.ip());
      if (cur == null || !cur.clientKey().equals(key) || !cur.activeAt(now)) {
        ctx.drops.drop(DropReason.PROBING, p, "offer of " + Ipv4.format(l.ip()) + " gone");
        return;
      }
      sendOffer(p, s, cur);
    } catch (Throwable t) {
      ctx.drops.drop(DropReason.INTERNAL_ERROR, p, t.toString());
      log.error("event=dhcp_internal_error phase=probe ip={}", Ipv4.format(l.ip()), t);
    }
  }

  /** The probed address is in use by someone we did not give it to: probation, as a DECLINE. */
  private void conflict(DhcpPacket p, String key, Lease l, long now) {
    conflicts.increment();
    Lease held = ctx.allocator.decline(key, l.ip(), now);
    log.warn(
        "event=dhcp_address_conflict ip={} offered_to={} {} probation_until_ms={}",
        Ipv4.format(l.ip()),
        key,
        p.label(),
        held == null ? "-" : String.valueOf(held.expiresAt()));
    if (held != null) {
      ctx.persistQuietly(held);
    }
  }

  private void sendOffer(DhcpPacket p, Subnet s, Lease l) {
    ctx.sender.send(p, ReplyFactory.lease(MessageType.OFFER, p, s, l.ip()), MessageType.OFFER);
  }
}
