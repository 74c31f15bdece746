package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ovpnagent.config.SitesConfig;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.dhcp.codec.OptionCode;
import ovpnagent.sites.MacRouterMap;
import ovpnagent.sites.RouterResolver;
import ovpnagent.sites.RouterSubnetSelector;
import ovpnagent.sites.SiteSubnets;
import ovpnagent.store.InMemoryMappingStore;
import ovpnagent.store.InMemorySiteSubnetStore;
import ovpnagent.store.Lease;
import ovpnagent.store.LeaseState;
import ovpnagent.util.Cidr;
import ovpnagent.util.HwAddr;
import ovpnagent.util.Ipv4;

/**
 * Multi-router sites through the real server code: the in-process client talks to a DhcpService
 * whose selector is the RouterSubnetSelector; "OpenVPN" is a MAC table answered by status 3.
 */
class SitesScenarioTest {
  private static final Cidr NET_A = Cidr.parse("198.19.10.0/24");
  private static final Cidr NET_B = Cidr.parse("198.19.20.0/24");
  private static final Cidr SUPERNET = Cidr.parse("198.19.128.0/17");
  private static final int GW_A = Ipv4.parse("198.19.10.254");

  private ServerHarness h;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final ExecutorService worker = Executors.newSingleThreadExecutor();
  private final Map<HwAddr, String> openvpn = new ConcurrentHashMap<>();
  private final AtomicInteger queries = new AtomicInteger();
  private MacRouterMap map;
  private SiteSubnets sites;

  @BeforeEach
  void setUp() {
    h = new ServerHarness();
    h.replyWait = Duration.ofSeconds(3);
  }

  private Duration fresh = RouterSubnetSelector.FRESH;

  /** MACs the bridge learned on a LAN port (what BridgeFdb reports from the kernel's FDB). */
  private final java.util.Set<HwAddr> lanMacs = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private void start(Duration resolveWait) throws Exception {
    map = new MacRouterMap(new InMemoryMappingStore(), h.clock::millis);
    RouterResolver resolver = new RouterResolver(map, scheduler, resolveWait);
    resolver.register(
        "site",
        () -> {
          queries.incrementAndGet();
          Map<HwAddr, String> snapshot = Map.copyOf(openvpn);
          return CompletableFuture.supplyAsync(
              () -> snapshot, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
        });
    sites =
        new SiteSubnets(
            new SitesConfig(
                Map.of(
                    "router-a", new SitesConfig.Site(NET_A, GW_A),
                    "router-b", new SitesConfig.Site(NET_B, null)),
                SUPERNET,
                24),
            new InMemorySiteSubnetStore(),
            h.bridgeAddress,
            new SiteSubnets.Defaults(
                h.bridgeAddress.address(), List.of(ServerHarness.DNS), "test.lan", h.leaseTime));
    sites.load();
    h.selectorFactory =
        bridge ->
            new RouterSubnetSelector(
                bridge, sites, map, resolver, worker, 64, fresh, lanMacs::contains);
    h.start();
  }

  @AfterEach
  void tearDown() {
    h.close();
    scheduler.shutdownNow();
    worker.shutdownNow();
  }

  private Lease leaseOf(HwAddr mac) {
    Lease found = null;
    for (Lease l : h.service.leases()) {
      if (mac.equals(l.mac()) && l.state() == LeaseState.BOUND && l.ip() != 0) {
        if (found == null || l.updatedAt() > found.updatedAt()) {
          found = l;
        }
      }
    }
    return found;
  }

  @Test
  void firstDiscoverFromAnUnmappedDeviceGetsItsRoutersSubnet() throws Exception {
    fresh = Duration.ofHours(1); // count queries: a mapped MAC is never re-checked here
    start(Duration.ofMillis(1500));
    HwAddr mac = HwAddr.parse("52:50:0e:2b:80:24");
    openvpn.put(mac, "router-a"); // OpenVPN learned it; the agent's map has not (yet)
    TestDhcpClient c = h.client(mac);
    c.parameters = new int[] {1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42}; // dhclient 4.4
    TestDhcpClient.Exchange offer = c.discover();
    assertNotNull(offer.reply(), "the first DISCOVER must be answered");
    assertEquals(MessageType.OFFER, offer.type());
    int ip = offer.reply().yiaddr();
    assertTrue(NET_A.isHost(ip) && ip != GW_A, Ipv4.format(ip));
    assertEquals(GW_A, offer.reply().options().ipv4(OptionCode.ROUTER));
    assertEquals(NET_A.mask(), offer.reply().options().ipv4(OptionCode.SUBNET_MASK));
    assertEquals(h.bridgeAddress.address(), offer.reply().options().ipv4(OptionCode.SERVER_ID));
    assertEquals(1, queries.get());
    assertEquals("router-a", map.routerOf(mac));
    assertEquals(0, h.drops(DropReason.ROUTER_UNKNOWN));
    assertEquals(MessageType.ACK, c.requestSelecting(ip, h.bridgeAddress.address()).type());
    assertEquals("router-a", leaseOf(mac).router());
    // A second device behind A, mapped by learn-address first, is answered without a query.
    HwAddr mac2 = HwAddr.parse("52:50:0e:2b:80:25");
    map.learn(mac2, "router-a", "site"); // via learn-address
    assertTrue(NET_A.contains(h.client(mac2).doDora()));
    assertEquals(1, queries.get());
  }

  @Test
  void aDeviceOnTheBridgesOwnLanPortIsServedFromTheBridgePoolAtOnce() throws Exception {
    start(Duration.ofMillis(1500));
    HwAddr mac = HwAddr.parse("52:50:0e:2b:80:40");
    lanMacs.add(mac); // no router claims it; the bridge learned it on a LAN port
    TestDhcpClient c = h.client(mac);
    int ip = c.doDora();
    assertTrue(h.bridgeAddress.contains(ip), Ipv4.format(ip));
    assertEquals(0, queries.get(), "no status 3 round for a LAN device");
    assertEquals(0, h.drops(DropReason.ROUTER_UNKNOWN));
    assertNull(leaseOf(mac).router());
    assertEquals(MessageType.ACK, c.doRenew().type());
    // The same device moved behind router-a: once the map knows it there, it is a site device.
    lanMacs.remove(mac);
    map.learn(mac, "router-a", "site");
    openvpn.put(mac, "router-a");
    assertEquals(MessageType.NAK, c.doRenew().type());
    assertTrue(NET_A.contains(c.doDora()));
  }

  @Test
  void unknownRouterAfterTheWaitIsDroppedAndCounted() throws Exception {
    h.replyWait = Duration.ofMillis(1200);
    start(Duration.ofMillis(300));
    TestDhcpClient c = h.client(HwAddr.parse("52:50:0e:2b:80:99"));
    long t0 = System.nanoTime();
    TestDhcpClient.Exchange e = c.discover();
    assertNull(e.reply());
    assertTrue(System.nanoTime() - t0 >= 1_000_000_000L);
    assertEquals(1, h.drops(DropReason.ROUTER_UNKNOWN));
    assertTrue(h.service.leases().isEmpty());
  }

  @Test
  void movedDeviceGetsNakThenTheNewRoutersSubnet() throws Exception {
    start(Duration.ofMillis(1500));
    HwAddr mac = HwAddr.parse("52:50:0e:2b:80:30");
    map.learn(mac, "router-a", "site");
    TestDhcpClient c = h.client(mac);
    int oldIp = c.doDora();
    assertTrue(NET_A.contains(oldIp));
    // The device moves to router B (learn-address update).
    map.learn(mac, "router-b", "site");
    TestDhcpClient.Exchange renew = c.doRenew();
    assertEquals(MessageType.NAK, renew.type());
    TestDhcpClient.Exchange reboot = c.doInitReboot(oldIp);
    assertEquals(MessageType.NAK, reboot.type());
    TestDhcpClient.Exchange offer = c.discover(oldIp);
    assertEquals(MessageType.OFFER, offer.type());
    int newIp = offer.reply().yiaddr();
    assertTrue(NET_B.contains(newIp), Ipv4.format(newIp));
    // The old router-a address is no longer held for the moved device.
    Lease old = h.service.leases().stream().filter(l -> l.ip() == oldIp).findFirst().orElseThrow();
    assertEquals(LeaseState.EXPIRED, old.state());
    // ... and not in the store either: a restart must not bring the old binding back
    long until = System.nanoTime() + 3_000_000_000L;
    while (h.store.get(oldIp).orElseThrow().state() != LeaseState.EXPIRED
        && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    assertEquals(LeaseState.EXPIRED, h.store.get(oldIp).orElseThrow().state());
    assertEquals(NET_B.network() + 1, offer.reply().options().ipv4(OptionCode.ROUTER));
    assertEquals(MessageType.ACK, c.requestSelecting(newIp, h.bridgeAddress.address()).type());
    assertEquals("router-b", leaseOf(mac).router());
    assertEquals(newIp, leaseOf(mac).ip());
  }

  @Test
  void moveSeenOnlyByOpenVpnIsCaughtAtInitRebootAndDiscover() throws Exception {
    fresh = Duration.ZERO; // every mapping counts as old: DISCOVER and INIT-REBOOT re-check
    start(Duration.ofMillis(1500));
    HwAddr mac = HwAddr.parse("52:50:0e:2b:80:31");
    openvpn.put(mac, "router-a");
    map.learn(mac, "router-a", "site");
    TestDhcpClient c = h.client(mac);
    int oldIp = c.doDora();
    assertTrue(NET_A.contains(oldIp));
    int before = queries.get();
    assertTrue(before >= 1);
    // Moved: OpenVPN's table says router-b; the learn-address update never reached the agent.
    openvpn.put(mac, "router-b");
    assertEquals("router-a", map.routerOf(mac));
    assertEquals(MessageType.NAK, c.doInitReboot(oldIp).type());
    assertEquals("router-b", map.routerOf(mac));
    int newIp = c.doDora();
    assertTrue(NET_B.contains(newIp), Ipv4.format(newIp));
    assertTrue(queries.get() > before);
  }

  @Test
  void renewalByUnicastIsAnsweredAndRepliesAreL2UnicastToTheDevice() throws Exception {
    start(Duration.ofMillis(1500));
    HwAddr mac = HwAddr.parse("52:50:0e:2b:80:40");
    map.learn(mac, "router-b", "site");
    TestDhcpClient c = h.client(mac);
    c.broadcastFlag = false;
    TestDhcpClient.Exchange offer = c.discover();
    int ip = offer.reply().yiaddr();
    assertEquals(mac, offer.sent().mac(), "OFFER goes to chaddr at layer 2");
    assertEquals(ip, offer.sent().ip());
    TestDhcpClient.Exchange ack = c.requestSelecting(ip, h.bridgeAddress.address());
    assertEquals(mac, ack.sent().mac());
    h.advance(Duration.ofMinutes(31));
    TestDhcpClient.Exchange renew = c.doRenew();
    assertEquals(MessageType.ACK, renew.type());
    assertEquals(ip, renew.reply().yiaddr());
    assertEquals(ip, renew.sent().ip(), "renewal ACK is unicast to ciaddr");
    assertEquals(ReplySender.CLIENT_PORT, renew.sent().port());
    // With the B flag the reply is broadcast (and OpenVPN floods it to every router).
    TestDhcpClient other = h.client(HwAddr.parse("52:50:0e:2b:80:41"));
    map.learn(other.mac, "router-b", "site");
    TestDhcpClient.Exchange b = other.discover();
    assertEquals(PacketIo.BROADCAST, b.sent().ip());
    assertNull(b.sent().mac());
  }

  @Test
  void carvedRouterSubnetOnFirstSight() throws Exception {
    start(Duration.ofMillis(1500));
    HwAddr mac = HwAddr.parse("52:50:0e:2b:80:50");
    openvpn.put(mac, "router-new");
    int ip = h.client(mac).doDora();
    Subnet carved = sites.peek("router-new");
    assertNotNull(carved);
    assertTrue(SUPERNET.contains(carved.network().network()));
    assertTrue(carved.network().isHost(ip), Ipv4.format(ip));
    assertEquals("router-new", leaseOf(mac).router());
  }

  @Test
  void noWrongSubnetLeaseEver() throws Exception {
    start(Duration.ofMillis(1500));
    Random rnd = new Random(4);
    String[] routers = {"router-a", "router-b", "router-c"};
    List<TestDhcpClient> clients = new ArrayList<>();
    Map<HwAddr, String> where = new HashMap<>();
    for (int i = 0; i < 12; i++) {
      HwAddr mac = HwAddr.ofLong(0x5250_0e00_0000L + i);
      TestDhcpClient c = h.client(mac);
      c.broadcastFlag = rnd.nextBoolean();
      clients.add(c);
      String r = routers[rnd.nextInt(routers.length)];
      where.put(mac, r);
      if (rnd.nextBoolean()) {
        map.learn(mac, r, "site");
      }
      openvpn.put(mac, r);
    }
    int replies = 0;
    for (int step = 0; step < 300; step++) {
      TestDhcpClient c = clients.get(rnd.nextInt(clients.size()));
      int action = rnd.nextInt(6);
      TestDhcpClient.Exchange e;
      if (action == 0) {
        String r = routers[rnd.nextInt(routers.length)];
        where.put(c.mac, r);
        openvpn.put(c.mac, r);
        map.learn(c.mac, r, "site");
        continue;
      } else if (action == 1 && c.ip != 0) {
        e = c.doRenew();
      } else if (action == 2 && c.ip != 0) {
        e = c.doInitReboot(c.ip);
      } else if (action == 3 && c.ip != 0) {
        e = c.discover(c.ip);
      } else {
        e = c.discover();
        if (e.type() == MessageType.OFFER) {
          check(e, where.get(c.mac));
          replies++;
          e = c.requestSelecting(e.reply().yiaddr(), h.bridgeAddress.address());
        }
      }
      h.advance(Duration.ofSeconds(2));
      if (e.reply() != null && e.type() != MessageType.NAK) {
        check(e, where.get(c.mac));
        replies++;
      }
      if (e.type() == MessageType.ACK) {
        Lease l = leaseOf(c.mac);
        assertEquals(where.get(c.mac), l.router());
      }
    }
    assertTrue(replies > 100, "replies " + replies);
    assertEquals(0, h.drops(DropReason.ROUTER_UNKNOWN));
    // No address is bound to two clients and every bound lease lies in its router's subnet.
    Map<Integer, String> holders = new HashMap<>();
    for (Lease l : h.service.leases()) {
      if (l.state() == LeaseState.BOUND && l.activeAt(h.clock.millis())) {
        assertNull(holders.put(l.ip(), l.clientKey()));
        assertTrue(sites.peek(l.router()).network().isHost(l.ip()), l.toString());
      }
    }
  }

  private void check(TestDhcpClient.Exchange e, String router) {
    int ip = e.reply().yiaddr();
    Subnet s = sites.peek(router);
    assertNotNull(s, router);
    assertTrue(
        s.network().isHost(ip) && !s.excluded().contains(ip),
        e.type() + " " + Ipv4.format(ip) + " for a device behind " + router + " " + s.network());
    assertEquals(s.network().mask(), e.reply().options().ipv4(OptionCode.SUBNET_MASK));
    assertEquals(s.excluded().get(0), e.reply().options().ipv4(OptionCode.ROUTER));
  }
}
