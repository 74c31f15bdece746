package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ovpnagent.testing.Netns.bridgeAndOtherLink;
import static ovpnagent.testing.Netns.on;
import static ovpnagent.testing.Netns.sh;
import static ovpnagent.testing.Netns.shQuiet;
import static ovpnagent.testing.Netns.threadIn;
import static ovpnagent.testing.Netns.udhcpcOnce;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ovpnagent.config.BridgeConfig;
import ovpnagent.metrics.Metrics;
import ovpnagent.store.Lease;
import ovpnagent.store.LeaseState;
import ovpnagent.testing.TestDhcpConfigs;
import ovpnagent.util.Cidr;
import ovpnagent.util.Ipv4;

/**
 * The ICMP address probe with real kernels: namespace probe-t1 holds bridge prb-br0
 * (198.18.12.1/24, port prb-a0) and a non-bridge link prb-b0 (198.18.13.1/24); their peers in
 * probe-t2 hold 198.18.12.100 (a device configured by hand inside the pool) and 198.18.13.100.
 */
class IcmpAddressProbeRootIT {
  private static final String NS_SERVER = "probe-t1";
  private static final String NS_HOSTS = "probe-t2";
  private static final int SQUATTED = Ipv4.parse("198.18.12.100");

  /** Sends 20 ICMP echo replies with identifier argv[1] to argv[2] out of device argv[3]. */
  private static final String FORGE_REPLIES =
      String.join(
          "\n",
          "import socket, struct, sys, time",
          "ident, dst, dev = int(sys.argv[1]), sys.argv[2], sys.argv[3]",
          "def csum(b):",
          "    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))",
          "    s = (s & 0xffff) + (s >> 16)",
          "    return ~((s & 0xffff) + (s >> 16)) & 0xffff",
          "s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)",
          "s.setsockopt(socket.SOL_SOCKET, 25, dev.encode())",
          "for i in range(20):",
          "    body = struct.pack('!BBHHH', 0, 0, 0, ident, i) + b'probe-at'",
          "    pkt = struct.pack('!BBHHH', 0, 0, csum(body), ident, i) + b'probe-at'",
          "    s.sendto(pkt, (dst, 0))",
          "    time.sleep(0.015)");

  private ExecutorService server;

  @BeforeEach
  void setUp() throws Exception {
    // Never skipped: CI runs as root, and a non-root run must fail loudly, not pass silently.
    assertTrue("root".equals(System.getProperty("user.name")), "needs root for network namespaces");
    bridgeAndOtherLink(
        NS_SERVER,
        NS_HOSTS,
        "prb-",
        "198.18.12.1/24",
        "198.18.13.1/24",
        "198.18.12.100/24",
        "198.18.13.100/24");
    server = threadIn(NS_SERVER);
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.shutdownNow();
    }
    shQuiet("ip", "netns", "del", NS_SERVER);
    shQuiet("ip", "netns", "del", NS_HOSTS);
  }

  @Test
  void seesTheHolderOfAnAddressOnTheBridgeOnly() throws Exception {
    IcmpAddressProbe probe =
        on(server, () -> IcmpAddressProbe.open("prb-br0", Duration.ofMillis(500)));
    try {
      assertTrue(probe.probe(SQUATTED).get(5, TimeUnit.SECONDS), "198.18.12.100 answers");
      long t0 = System.nanoTime();
      assertFalse(probe.probe(Ipv4.parse("198.18.12.101")).get(5, TimeUnit.SECONDS), "nobody");
      assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(450).toNanos(), "waited the timeout");
      // An echo reply with our identifier that arrives on another link is not heard. The hosts
      // namespace answers ARP only on the link that holds the address (arp_ignore=1), so the
      // probe's own request for 198.18.13.100 goes unanswered on the bridge, while forged replies
      // from 198.18.13.100 reach the server namespace over prb-b0 for the whole probe.
      sh("ip", "netns", "exec", NS_HOSTS, "sysctl", "-qw", "net.ipv4.conf.all.arp_ignore=1");
      CompletableFuture<Boolean> other = probe.probe(Ipv4.parse("198.18.13.100"));
      sh(
          "ip",
          "netns",
          "exec",
          NS_HOSTS,
          "python3",
          "-c",
          FORGE_REPLIES,
          String.valueOf(probe.id()),
          "198.18.13.1",
          "prb-b1");
      assertFalse(other.get(5, TimeUnit.SECONDS), "heard a reply that came in on prb-b0");
      assertEquals(0, probe.pending());
    } finally {
      probe.close();
    }
  }

  @Test
  void aRealClientIsNotOfferedTheSquattedAddress() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    Metrics metrics = new Metrics();
    DhcpService service =
        new DhcpService(
            TestDhcpConfigs.pool(
                "198.18.12.100",
                "198.18.12.199",
                "198.18.12.1",
                Duration.ZERO,
                Duration.ofMillis(300)),
            new BridgeConfig("prb-br0", Cidr.parse("198.18.12.1/24"), List.of(), false),
            new FakeLeaseStore(),
            metrics,
            UdpPacketIo.factory(),
            java.time.Clock.systemUTC(),
            scheduler);
    try {
      on(
          server,
          () -> {
            service.start();
            return null;
          });
      // udhcpc (no script: prb-a1 keeps 198.18.12.100) asks; the first free address by the pool's
      // order is the squatted one, which answers the probe
      String log = udhcpcOnce(NS_HOSTS, "prb-a1");
      Matcher m = Pattern.compile("lease of (\\S+) obtained from 198\\.18\\.12\\.1").matcher(log);
      assertTrue(m.find(), log);
      int leased = Ipv4.parse(m.group(1));
      assertNotEquals(SQUATTED, leased, log);
      Lease squatted =
          service.leases().stream().filter(l -> l.ip() == SQUATTED).findFirst().orElseThrow();
      assertEquals(LeaseState.DECLINED, squatted.state());
      assertEquals(1, metrics.get("dhcp4.probe.conflicts"));
      assertTrue(metrics.get("dhcp4.probe.sent") >= 2, "the free address was probed too");
    } finally {
      service.close();
      scheduler.shutdownNow();
    }
  }
}
