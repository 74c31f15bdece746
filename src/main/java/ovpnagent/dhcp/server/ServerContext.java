package ovpnagent.dhcp.server;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.store.LeaseStore;

/**
 * What the handlers share: allocator, store, reply path, drop path, clock, policy switches and the
 * address probe ({@code null} unless {@code dhcp.pingCheck} is set).
 */
final class ServerContext {
  private static final Logger log = LoggerFactory.getLogger(ServerContext.class);
  final LeaseAllocator allocator;
  final LeaseStore store;
  final DhcpMetrics metrics;
  final DropLog drops;
  final ReplySender sender;
  final Clock clock;
  final boolean authoritative;
  final OverloadGuard overload;
  final AddressProbe probe;

  ServerContext(
      LeaseAllocator allocator,
      LeaseStore store,
      DhcpMetrics metrics,
      DropLog drops,
      ReplySender sender,
      Clock clock,
      boolean authoritative,
      AddressProbe probe) {
    this.allocator = allocator;
    this.store = store;
    this.metrics = metrics;
    this.drops = drops;
    this.sender = sender;
    this.clock = clock;
    this.authoritative = authoritative;
    this.probe = probe;
    this.overload = new OverloadGuard(drops.link());
  }

  /** Persists a change nobody waits for (RELEASE, DECLINE, reclaim); failures are logged. */
  void persistQuietly(ovpnagent.store.Lease lease) {
    try {
      store
          .save(lease)
          .whenComplete(
              (v, err) -> {
                if (err != null) {
                  storeError(lease.ip(), err);
                }
              });
    } catch (RuntimeException e) {
      storeError(lease.ip(), e);
    }
  }

  void storeError(int ip, Throwable err) {
    metrics.registry().inc("dhcp4.store.errors");
    log.warn(
        "event=dhcp_store_write_failed ip={} error=\"{}\"",
        ovpnagent.util.Ipv4.format(ip),
        err.getMessage());
  }
}
