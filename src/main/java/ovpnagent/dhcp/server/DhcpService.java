package ovpnagent.dhcp.server;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.boot.Service;
import ovpnagent.config.BridgeConfig;
import ovpnagent.config.DhcpConfig;
import ovpnagent.metrics.Metrics;
import ovpnagent.store.Lease;
import ovpnagent.store.LeaseStore;
import ovpnagent.util.HwAddr;

/**
 * The DHCP server of one bridge as a boot {@link Service}: start() rebuilds the lease index from
 * the store (so a restarted agent keeps every client's address), opens the {@link PacketIo}, starts
 * the receive thread and schedules the {@link LeaseReaper}; close() stops them. Read-only views
 * feed the status CLI.
 */
public final class DhcpService implements Service {
  private static final Logger log = LoggerFactory.getLogger(DhcpService.class);

  /** How often the reaper runs. */
  public static final Duration REAP_INTERVAL = Duration.ofSeconds(1);

  private final BridgeConfig bridge;
  private final LeaseStore store;
  private final PacketIo.Factory ioFactory;
  private final ScheduledExecutorService scheduler;
  private final SubnetSelector selector;
  private final DhcpMetrics metrics;
  private final LeaseAllocator allocator;
  private final ClientTracker tracker;
  private final DhcpConfig config;
  private final Clock clock;
  private volatile DhcpServer server;
  private volatile LeaseReaper reaper;
  private AddressProbe probe;
  private ScheduledFuture<?> reaperTask;

  /** The bridge's server: one subnet, the bridge network with the configured pool. */
  public DhcpService(
      DhcpConfig config,
      BridgeConfig bridge,
      LeaseStore store,
      Metrics metrics,
      PacketIo.Factory ioFactory,
      Clock clock,
      ScheduledExecutorService scheduler) {
    this(
        config,
        bridge,
        store,
        metrics,
        ioFactory,
        clock,
        scheduler,
        SubnetSelector.of(bridgeSubnet(config, bridge), List.of()));
  }

  /** A server whose subnets come from {@code selector} (multi-router sites). */
  public DhcpService(
      DhcpConfig config,
      BridgeConfig bridge,
      LeaseStore store,
      Metrics metrics,
      PacketIo.Factory ioFactory,
      Clock clock,
      ScheduledExecutorService scheduler,
      SubnetSelector selector) {
    this.config = config;
    this.bridge = bridge;
    this.store = store;
    this.ioFactory = ioFactory;
    this.clock = clock;
    this.scheduler = scheduler;
    this.selector = selector;
    this.metrics = new DhcpMetrics(metrics);
    this.allocator =
        new LeaseAllocator(
            selector.subnets(),
            config.reservations(),
            config.offerLifetime().toMillis(),
            config.declineProbation().toMillis());
    selector.onNewSubnet(allocator::addSubnet);
    this.tracker =
        new ClientTracker(
            config.flapWindow().toMillis(),
            config.declineLimit(),
            config.declineWindow().toMillis());
    metrics.gauge("dhcp4.addresses.total", () -> allocator.usage().total());
    metrics.gauge("dhcp4.addresses.assigned", () -> allocator.usage().bound());
    metrics.gauge("dhcp4.addresses.offered", () -> allocator.usage().offered());
    metrics.gauge("dhcp4.addresses.declined", () -> allocator.usage().declined());
  }

  /** The bridge subnet: bridge network, configured pool, server id = bridge address. */
  public static Subnet bridgeSubnet(DhcpConfig c, BridgeConfig b) {
    return new Subnet(
        "bridge",
        b.address(),
        c.poolStart(),
        c.poolEnd(),
        b.address().address(),
        c.routers(),
        c.dnsServers(),
        c.domainName(),
        c.leaseTime());
  }

  @Override
  public String name() {
    return "dhcp:" + bridge.name();
  }

  @Override
  public synchronized void start() throws Exception {
    long t0 = System.nanoTime();
    List<Lease> stored = store.loadAll();
    allocator.load(stored);
    PacketIo io = ioFactory.open(bridge.name(), bridge.address().address());
    AddressProbe p = null;
    if (!config.pingCheck().isZero()) {
      try {
        p = ioFactory.openProbe(bridge.name(), config.pingCheck());
      } catch (IOException | RuntimeException e) {
        io.close();
        throw e;
      }
    }
    probe = p;
    DropLog drops = new DropLog(metrics, bridge.name());
    ServerContext ctx =
        new ServerContext(
            allocator,
            store,
            metrics,
            drops,
            new ReplySender(io, metrics, drops),
            clock,
            config.authoritative(),
            p);
    RequestFilter filter =
        new RequestFilter(bridge.address().address(), config.allow(), config.deny(), tracker);
    DhcpServer s = new DhcpServer(io, ctx, filter, selector);
    reaper = new LeaseReaper(allocator, tracker, ctx, clock);
    s.start();
    server = s;
    reaperTask = reaper.schedule(scheduler, REAP_INTERVAL);
    log.info(
        "event=dhcp_service_started interface={} leases_loaded={} pool_size={} ping_check_ms={}"
            + " load_ms={}",
        bridge.name(),
        stored.size(),
        allocator.usage().total(),
        config.pingCheck().toMillis(),
        (System.nanoTime() - t0) / 1_000_000);
  }

  @Override
  public synchronized void close() {
    if (reaperTask != null) {
      reaperTask.cancel(false);
      reaperTask = null;
    }
    DhcpServer s = server;
    server = null;
    if (s != null) {
      s.stop();
      log.info("event=dhcp_service_stopped interface={}", bridge.name());
    }
    if (probe != null) {
      probe.close();
      probe = null;
    }
  }

  /** Runs one reclamation pass now; returns how many leases changed (0 if not started). */
  public int reclaimNow() {
    LeaseReaper r = reaper;
    return r == null ? 0 : r.runOnce();
  }

  /**
   * Operator release ({@code ovpn-agent release MAC}): every BOUND or OFFERED lease of this MAC
   * becomes RELEASED, durably. Returns the released leases once they are stored.
   */
  public CompletableFuture<List<Lease>> releaseMac(HwAddr mac) {
    long now = clock.millis();
    List<Lease> released = new ArrayList<>();
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (Lease l : allocator.leases()) {
      if (mac.equals(l.mac())) {
        Lease r = allocator.release(l.clientKey(), l.ip(), now);
        if (r != null) {
          released.add(r);
          writes.add(store.save(r));
        }
      }
    }
    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
        .thenApply(v -> released);
  }

  /** Every lease the server knows, in no particular order. */
  public List<Lease> leases() {
    return allocator.leases();
  }

  /** Pool use. */
  public LeaseAllocator.PoolUsage poolUsage() {
    return allocator.usage();
  }

  /** Drops so far by reason. */
  public Map<DropReason, Long> dropCounts() {
    return metrics.dropCounts();
  }

  /** The server's counters. */
  public DhcpMetrics metrics() {
    return metrics;
  }

  /** Datagrams handled so far (answered or dropped); for tests and status. */
  public long processed() {
    DhcpServer s = server;
    return s == null ? 0 : s.processed();
  }
}
