package ovpnagent.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ovpnagent.testing.Netns.fresh;
import static ovpnagent.testing.Netns.on;
import static ovpnagent.testing.Netns.sh;
import static ovpnagent.testing.Netns.shQuiet;
import static ovpnagent.testing.Netns.threadIn;
import static ovpnagent.testing.Netns.udhcpcOnce;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import ovpnagent.config.BridgeConfig;
import ovpnagent.config.DhcpConfig;
import ovpnagent.config.SitesConfig;
import ovpnagent.dhcp.codec.DhcpCodec;
import ovpnagent.dhcp.codec.DhcpOptions;
import ovpnagent.dhcp.codec.DhcpPacket;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.dhcp.codec.OptionCode;
import ovpnagent.dhcp.server.DhcpService;
import ovpnagent.dhcp.server.UdpPacketIo;
import ovpnagent.link.NetlinkLinkManager;
import ovpnagent.metrics.Metrics;
import ovpnagent.store.InMemoryLeaseStore;
import ovpnagent.store.InMemoryMappingStore;
import ovpnagent.store.InMemorySiteSubnetStore;
import ovpnagent.store.Lease;
import ovpnagent.testing.TestDhcpConfigs;
import ovpnagent.util.Cidr;
import ovpnagent.util.HwAddr;
import ovpnagent.util.Ipv4;

/**
 * Real sockets and netlink in throwaway namespaces: sites-s1 holds bridge sites-br0
 * (198.18.40.1/24) with port sites-a0; its veth peer sites-a1 sits in sites-c1 behind "router-a",
 * whose site is 198.19.40.0/24 (outside the bridge subnet). The agent learns the router only from a
 * stand-in {@code status 3}; a real udhcpc gets a site address at its first DISCOVER, and a unicast
 * renewal to the server identifier is answered with strict rp_filter (thanks to the site route).
 */
class SitesRootIT {
  private static final String NS_S = "sites-s1";
  private static final String NS_C = "sites-c1";

  private static byte[] clientId(HwAddr mac) {
    byte[] id = new byte[7];
    id[0] = 1;
    mac.copyTo(id, 1);
    return id;
  }

  private static DhcpConfig dhcp() {
    return TestDhcpConfigs.pool(
        "198.18.40.100", "198.18.40.199", "198.18.40.1", Duration.ZERO, Duration.ZERO);
  }

  @Test
  void siteAddressAtFirstDiscoverAndUnicastRenewalOffTheBridgeSubnet() throws Exception {
    List<AutoCloseable> closers = new ArrayList<>();
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    ExecutorService server = null;
    ExecutorService client = null;
    try {
      fresh(NS_S);
      fresh(NS_C);
      sh("ip", "-n", NS_S, "link", "add", "sites-br0", "type", "bridge");
      sh("ip", "-n", NS_S, "addr", "add", "198.18.40.1/24", "dev", "sites-br0");
      sh(
          "ip",
          "-n",
          NS_S,
          "link",
          "add",
          "sites-a0",
          "type",
          "veth",
          "peer",
          "name",
          "sites-a1",
          "netns",
          NS_C);
      sh("ip", "-n", NS_S, "link", "set", "sites-a0", "master", "sites-br0");
      sh("ip", "-n", NS_S, "link", "set", "sites-br0", "up");
      sh("ip", "-n", NS_S, "link", "set", "sites-a0", "up");
      sh("ip", "-n", NS_C, "link", "set", "sites-a1", "up");
      sh("ip", "netns", "exec", NS_S, "sysctl", "-qw", "net.ipv4.conf.all.rp_filter=1");
      sh("ip", "netns", "exec", NS_S, "sysctl", "-qw", "net.ipv4.conf.sites-br0.rp_filter=1");
      HwAddr mac =
          HwAddr.parse(
              sh("ip", "netns", "exec", NS_C, "cat", "/sys/class/net/sites-a1/address").trim());

      server = threadIn(NS_S);
      client = threadIn(NS_C);
      NetlinkLinkManager links = on(server, NetlinkLinkManager::open);
      closers.add(links);
      BridgeConfig bridge =
          new BridgeConfig("sites-br0", Cidr.parse("198.18.40.1/24"), List.of(), false);
      SitesModule sites =
          new SitesModule(
              new SitesConfig(
                  Map.of("router-a", new SitesConfig.Site(Cidr.parse("198.19.40.0/24"), null)),
                  null,
                  0),
              dhcp(),
              bridge,
              InMemoryMappingStore::new,
              InMemorySiteSubnetStore::new,
              net -> links.ensureRoute("sites-br0", net),
              new Metrics(),
              scheduler,
              Clock.systemUTC());
      // Stand-in for status 3: OpenVPN has learned the device's MAC behind router-a.
      sites.registerQuery("site", () -> CompletableFuture.completedFuture(Map.of(mac, "router-a")));
      sites.start();
      closers.add(sites);
      assertTrue(
          sh("ip", "-n", NS_S, "route", "show", "dev", "sites-br0").contains("198.19.40.0/24"));
      UdpPacketIo io = on(server, () -> UdpPacketIo.open("sites-br0", 67));
      DhcpService dhcp =
          new DhcpService(
              dhcp(),
              bridge,
              new InMemoryLeaseStore(),
              new Metrics(),
              (n, a) -> io,
              Clock.systemUTC(),
              scheduler,
              sites.selector());
      dhcp.start();
      closers.add(dhcp);

      // 1. A real client (udhcpc: broadcast flag clear, so the OFFER is L2 unicast off-subnet).
      String log = udhcpcOnce(NS_C, "sites-a1");
      Matcher m = Pattern.compile("lease of (\\S+) obtained from 198\\.18\\.40\\.1").matcher(log);
      assertTrue(m.find(), log);
      int leased = Ipv4.parse(m.group(1));
      assertTrue(Cidr.parse("198.19.40.0/24").isHost(leased), log);
      // udhcpc logs "broadcasting discover" once per DISCOVER sent.
      assertEquals(1, log.split("discover", -1).length - 1, "DISCOVERs sent: " + log);
      Lease bound = dhcp.leases().stream().filter(l -> l.ip() == leased).findFirst().orElseThrow();
      assertEquals("router-a", bound.router());
      assertEquals("router-a", sites.map().routerOf(mac));

      // 2. Unicast renewal from the site address to the server identifier.
      sh("ip", "-n", NS_C, "addr", "add", Ipv4.format(leased) + "/24", "dev", "sites-a1");
      sh("ip", "-n", NS_C, "route", "add", "198.18.40.0/24", "dev", "sites-a1");
      DhcpPacket ack =
          on(
              client,
              () -> {
                try (DatagramChannel ch = DatagramChannel.open()) {
                  ch.bind(new InetSocketAddress(Ipv4.toInet(leased), 68));
                  DhcpPacket req =
                      DhcpPacket.builder()
                          .op(DhcpPacket.BOOTREQUEST)
                          .mac(mac)
                          .xid(0x5173)
                          .ciaddr(leased)
                          .options(
                              DhcpOptions.builder()
                                  .messageType(MessageType.REQUEST)
                                  .put(OptionCode.CLIENT_ID, clientId(mac)) // as udhcpc sends
                                  .build())
                          .build();
                  ch.send(
                      ByteBuffer.wrap(DhcpCodec.encode(req, 1472)),
                      new InetSocketAddress(Ipv4.toInet(Ipv4.parse("198.18.40.1")), 67));
                  ch.configureBlocking(false);
                  ByteBuffer buf = ByteBuffer.allocate(1500);
                  long deadline = System.nanoTime() + 3_000_000_000L;
                  while (System.nanoTime() < deadline) {
                    buf.clear();
                    if (ch.receive(buf) != null) {
                      buf.flip();
                      byte[] b = new byte[buf.remaining()];
                      buf.get(b);
                      return DhcpCodec.decode(b, 0, b.length);
                    }
                    Thread.sleep(10);
                  }
                  return null;
                }
              });
      assertNotNull(ack, "unicast renewal not answered");
      assertEquals(MessageType.ACK, ack.messageType());
      assertEquals(leased, ack.yiaddr());
      assertEquals(Ipv4.parse("198.18.40.1"), ack.options().ipv4(OptionCode.SERVER_ID));
      assertEquals(Ipv4.parse("198.19.40.1"), ack.options().ipv4(OptionCode.ROUTER));
    } finally {
      for (int i = closers.size() - 1; i >= 0; i--) {
        try {
          closers.get(i).close();
        } catch (Exception e) {
          // best effort
        }
      }
      if (server != null) {
        server.shutdownNow();
      }
      if (client != null) {
        client.shutdownNow();
      }
      scheduler.shutdownNow();
      shQuiet("ip", "netns", "del", NS_S);
      shQuiet("ip", "netns", "del", NS_C);
    }
  }
}
