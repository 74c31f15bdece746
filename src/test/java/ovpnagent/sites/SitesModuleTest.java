package ovpnagent.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ovpnagent.config.BridgeConfig;
import ovpnagent.config.DhcpConfig;
import ovpnagent.config.SitesConfig;
import ovpnagent.control.CommandRegistry;
import ovpnagent.control.ControlResponse;
import ovpnagent.metrics.Metrics;
import ovpnagent.openvpn.mgmt.RouterListener;
import ovpnagent.openvpn.mgmt.RouterTable;
import ovpnagent.openvpn.mgmt.protocol.StatusParser;
import ovpnagent.store.InMemoryMappingStore;
import ovpnagent.store.InMemorySiteSubnetStore;
import ovpnagent.testing.TestDhcpConfigs;
import ovpnagent.util.Cidr;
import ovpnagent.util.HwAddr;

class SitesModuleTest {
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
  private final InMemoryMappingStore mappings = new InMemoryMappingStore();
  private final InMemorySiteSubnetStore carved = new InMemorySiteSubnetStore();
  private final List<String> routes = new CopyOnWriteArrayList<>();
  private final CommandRegistry registry = new CommandRegistry(new Metrics());
  private SitesModule module;

  @AfterEach
  void stop() {
    if (module != null) {
      module.close();
    }
    scheduler.shutdownNow();
  }

  private static DhcpConfig dhcp() {
    return TestDhcpConfigs.pool(
        "198.18.0.100", "198.18.0.199", "198.18.0.1", Duration.ofSeconds(1), Duration.ZERO);
  }

  private SitesModule start(SitesConfig sites) {
    module =
        new SitesModule(
            sites,
            dhcp(),
            new BridgeConfig("sitesbr0", Cidr.parse("198.18.0.1/24"), List.of(), false),
            () -> mappings,
            () -> carved,
            net -> routes.add(net.toString()),
            new Metrics(),
            scheduler,
            Clock.systemUTC(),
            Duration.ofMillis(300));
    module.registerCommands(registry);
    module.start();
    return module;
  }

  private static JsonNode json(String s) throws Exception {
    return new ObjectMapper().readTree(s);
  }

  @Test
  void withoutSitesTheServerKeepsTheBridgePoolButTheMapIsKept() throws Exception {
    start(SitesConfig.none());
    assertNull(module.selector());
    ControlResponse r =
        registry.dispatch(
            "learn-address",
            json("{\"op\":\"add\",\"addr\":\"52:50:0E:2B:80:24@0\",\"cn\":\"r1\"}"));
    assertEquals(ControlResponse.SUCCESS, r.result(), r.text());
    assertEquals("r1", module.map().routerOf(HwAddr.parse("52:50:0e:2b:80:24")));
    JsonNode routers = registry.dispatch("routers-get", null).arguments().get("routers");
    assertEquals(1, routers.size());
    assertEquals("r1", routers.get(0).get("name").asText());
    assertEquals(1, routers.get(0).get("macs").asInt());
    assertTrue(routers.get(0).get("subnet").isNull());
    assertTrue(routes.isEmpty());
  }

  @Test
  void routesForEverySiteSubnetAndRouterEventsFeedTheMap() throws Exception {
    start(
        new SitesConfig(
            Map.of("router-a", new SitesConfig.Site(Cidr.parse("198.19.10.0/24"), null)),
            Cidr.parse("198.19.128.0/17"),
            24));
    assertNotNull(module.selector());
    assertEquals(List.of("198.19.10.0/24"), routes);
    RouterListener l = module.listener("site");
    l.onRouterUp(new RouterTable.Router(1, 0, "router-b", "198.18.1.2"));
    long deadline = System.nanoTime() + 3_000_000_000L;
    // The carve publishes the subnet first, then tells its listeners (the route) on the worker.
    while ((module.subnets().peek("router-b") == null || routes.size() < 2)
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals("198.19.128.0/24", module.subnets().peek("router-b").network().toString());
    assertEquals(List.of("198.19.10.0/24", "198.19.128.0/24"), routes);
    assertEquals(Map.of("router-b", Cidr.parse("198.19.128.0/24")), carved.loadAll());

    List<String> status3 =
        List.of(
            "HEADER\tROUTING_TABLE\tVirtual Address\tCommon Name\tReal Address\tLast Ref\tLast Ref"
                + " (time_t)",
            "ROUTING_TABLE\t52:50:0e:2b:80:24@0\trouter-a\t198.18.0.2:39405\tx\t1795362847",
            "ROUTING_TABLE\td6:0d:8c:4f:18:2c@0\trouter-b\t198.18.1.2:56011\tx\t1795362862",
            "ROUTING_TABLE\t198.19.128.50\trouter-b\t198.18.1.2:56011\tx\t1795362862");
    l.onRoutingTable(1, StatusParser.parse(status3).routes());
    assertEquals("router-a", module.map().routerOf(HwAddr.parse("52:50:0e:2b:80:24")));
    assertEquals("router-b", module.map().routerOf(HwAddr.parse("d6:0d:8c:4f:18:2c")));
    assertEquals(2, module.map().size());
    assertEquals(2, mappings.loadAll().size());

    JsonNode routers = registry.dispatch("routers-get", null).arguments().get("routers");
    assertEquals(2, routers.size());
    JsonNode b = routers.get(1);
    assertEquals("router-b", b.get("name").asText());
    assertEquals("198.19.128.0/24", b.get("subnet").asText());
    assertEquals("198.19.128.1", b.get("gateway").asText());
    assertTrue(b.get("carved").asBoolean());
    assertTrue(b.get("connected").asBoolean());
    assertEquals(1, b.get("macs").asInt());
    assertFalse(routers.get(0).get("connected").asBoolean());

    l.onRouterGone("router-b");
    assertNull(module.map().routerOf(HwAddr.parse("d6:0d:8c:4f:18:2c")));
    assertEquals(1, mappings.loadAll().size());
    JsonNode status = registry.dispatch("status-get", null).arguments();
    JsonNode sites = status.get("sites");
    assertNotNull(sites, status.toString());
    assertTrue(sites.get("enabled").asBoolean());
    assertEquals(1, sites.get("macs").asInt());
    assertEquals(2, sites.get("site_subnets").asInt());
  }

  @Test
  void statusQueryMapsTheRoutingTable() throws Exception {
    start(SitesConfig.none());
    module.registerQuery(
        "site",
        () ->
            java.util.concurrent.CompletableFuture.completedFuture(
                Map.of(HwAddr.parse("02:00:00:00:00:07"), "router-q")));
    assertEquals(
        "router-q",
        module
            .resolver()
            .resolve(HwAddr.parse("02:00:00:00:00:07"))
            .get(2, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(List.of("site"), module.resolver().instances());
  }

  @Test
  void statusQueryThroughTheManagementClient() throws Exception {
    ovpnagent.openvpn.mgmt.ManagementClient c =
        org.mockito.Mockito.mock(ovpnagent.openvpn.mgmt.ManagementClient.class);
    List<String> lines =
        List.of(
            "HEADER\tROUTING_TABLE\tVirtual Address\tCommon Name\tReal Address\tLast Ref\tLast Ref"
                + " (time_t)",
            "ROUTING_TABLE\t06:E7:B0:2C:BB:15@0\trouter-b\t198.18.1.2:56011\tx\t1795362846",
            "ROUTING_TABLE\t198.19.200.0/24\trouter-b\t198.18.1.2:56011\tx\t1795362846");
    org.mockito.Mockito.when(
            c.commandAsync(
                List.of("status 3"), ovpnagent.openvpn.mgmt.protocol.CommandResult.Kind.MULTI_LINE))
        .thenReturn(
            java.util.concurrent.CompletableFuture.completedFuture(
                new ovpnagent.openvpn.mgmt.protocol.CommandResult(true, "", lines)));
    assertEquals(
        Map.of(HwAddr.parse("06:e7:b0:2c:bb:15"), "router-b"),
        SitesModule.statusQuery(() -> c).query().get());
    assertTrue(
        SitesModule.statusQuery(() -> null).query().isCompletedExceptionally(),
        "no client yet: the query fails");
  }
}
