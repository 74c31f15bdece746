package ovpnagent.dhcp.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import ovpnagent.config.BridgeConfig;
import ovpnagent.config.DhcpConfig;
import ovpnagent.metrics.Metrics;
import ovpnagent.util.Cidr;
import ovpnagent.util.HwAddr;
import ovpnagent.util.Ipv4;

/** A DhcpService on an InMemoryPacketIo with a FakeLeaseStore and a MutableClock. */
final class ServerHarness implements AutoCloseable {
  static final int SERVER = Ipv4.parse("198.18.0.1");
  static final int ROUTER = Ipv4.parse("198.18.0.1");
  static final int DNS = Ipv4.parse("198.18.0.53");

  /** Settings a test may change before {@link #start()}. */
  int poolStart = Ipv4.parse("198.18.0.100");

  int poolEnd = Ipv4.parse("198.18.0.199");
  Cidr bridgeAddress = Cidr.parse("198.18.0.1/24");
  Duration leaseTime = Duration.ofHours(1);
  boolean authoritative;
  Duration probation = Duration.ofMinutes(10);
  int declineLimit = 3;
  Duration declineWindow = Duration.ofHours(1);
  Duration flapWindow = Duration.ofSeconds(1);
  Duration offerLifetime = Duration.ofSeconds(30);

  /** dhcp.pingCheck: non-zero makes the server probe through {@link #probe}. */
  Duration pingCheck = Duration.ZERO;

  /** The in-process address probe the server gets when {@link #pingCheck} is set. */
  final FakeAddressProbe probe = new FakeAddressProbe();

  Map<String, Integer> reservations = new HashMap<>();
  List<HwAddr> allow = new ArrayList<>();
  List<HwAddr> deny = new ArrayList<>();
  String domain = "test.lan";

  /** If set, builds the server's selector from the bridge subnet (multi-router sites). */
  java.util.function.Function<Subnet, SubnetSelector> selectorFactory;

  /** How long a client waits for a reply (replies to held packets come later). */
  Duration replyWait = Duration.ZERO;

  final MutableClock clock = new MutableClock(1_800_000_000_000L);
  FakeLeaseStore store = new FakeLeaseStore();
  Metrics metrics = new Metrics();
  InMemoryPacketIo io;
  DhcpService service;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private int macSeq;

  DhcpConfig config() {
    return new DhcpConfig(
        true,
        poolStart,
        poolEnd,
        leaseTime,
        List.of(ROUTER),
        List.of(DNS),
        domain,
        authoritative,
        probation,
        declineLimit,
        declineWindow,
        flapWindow,
        offerLifetime,
        pingCheck,
        reservations,
        allow,
        deny);
  }

  ServerHarness start() throws Exception {
    io = new InMemoryPacketIo("srv-br0");
    BridgeConfig bridge = new BridgeConfig("srv-br0", bridgeAddress, List.of(), false);
    PacketIo.Factory factory =
        new PacketIo.Factory() {
          @Override
          public PacketIo open(String ifname, int serverAddress) {
            return io;
          }

          @Override
          public AddressProbe openProbe(String ifname, Duration timeout) {
            return probe;
          }
        };
    service =
        selectorFactory == null
            ? new DhcpService(config(), bridge, store, metrics, factory, clock, scheduler)
            : new DhcpService(
                config(),
                bridge,
                store,
                metrics,
                factory,
                clock,
                scheduler,
                selectorFactory.apply(DhcpService.bridgeSubnet(config(), bridge)));
    service.start();
    return this;
  }

  /** Stops the service and starts a new one on the same store (an agent restart). */
  void restart() throws Exception {
    service.close();
    metrics = new Metrics();
    start();
  }

  TestDhcpClient client() {
    macSeq++;
    return new TestDhcpClient(this, HwAddr.ofLong(0x020000000000L + macSeq));
  }

  TestDhcpClient client(HwAddr mac) {
    return new TestDhcpClient(this, mac);
  }

  long drops(DropReason r) {
    return service.metrics().drops(r);
  }

  void advance(Duration d) {
    clock.advance(d);
  }

  @Override
  public void close() {
    if (service != null) {
      service.close();
    }
    scheduler.shutdownNow();
  }
}
