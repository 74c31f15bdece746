package ovpnagent.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import ovpnagent.config.SitesConfig;
import ovpnagent.dhcp.server.Subnet;
import ovpnagent.store.InMemorySiteSubnetStore;
import ovpnagent.store.SiteSubnetStore;
import ovpnagent.util.Cidr;
import ovpnagent.util.Ipv4;

class SiteSubnetsTest {
  private static final Cidr BRIDGE = Cidr.parse("198.18.0.1/24");
  private static final SiteSubnets.Defaults DEFAULTS =
      new SiteSubnets.Defaults(BRIDGE.address(), List.of(), null, Duration.ofHours(1));

  private final InMemorySiteSubnetStore store = new InMemorySiteSubnetStore();

  private SitesConfig config() {
    return new SitesConfig(
        Map.of(
            "router-a",
                new SitesConfig.Site(Cidr.parse("198.19.0.0/24"), Ipv4.parse("198.19.0.254")),
            "router-b", new SitesConfig.Site(Cidr.parse("198.19.2.0/24"), null)),
        Cidr.parse("198.18.0.0/22"),
        24);
  }

  private SiteSubnets open(SitesConfig c) {
    SiteSubnets s = new SiteSubnets(c, store, BRIDGE, DEFAULTS);
    s.load();
    return s;
  }

  @Test
  void configuredSubnetsCarryTheirGatewayAndPool() {
    SiteSubnets s = open(config());
    Subnet a = s.peek("router-a");
    assertEquals(Cidr.parse("198.19.0.0/24"), a.network());
    assertEquals(List.of(Ipv4.parse("198.19.0.254")), a.excluded());
    assertEquals(Ipv4.parse("198.19.0.1"), a.pool().start());
    assertEquals(Ipv4.parse("198.19.0.254"), a.pool().end());
    assertEquals("router-a", a.router());
    assertEquals(BRIDGE.address(), a.serverId());
    assertEquals(List.of(Ipv4.parse("198.19.2.1")), s.peek("router-b").excluded());
    assertFalse(s.isCarved("router-a"));
  }

  @Test
  void carvesPersistsAndKeepsTheSubnetAcrossRestarts() {
    SitesConfig c =
        new SitesConfig(
            Map.of("router-a", new SitesConfig.Site(Cidr.parse("198.19.1.0/24"), null)),
            Cidr.parse("198.19.0.0/22"),
            24);
    SiteSubnets s = open(c);
    List<Subnet> heard = new ArrayList<>();
    s.addListener(heard::add);
    assertNull(s.peek("router-x"));
    Subnet x = s.subnetOf("router-x");
    Subnet y = s.subnetOf("router-y");
    Subnet z = s.subnetOf("router-z");
    assertEquals(Cidr.parse("198.19.0.0/24"), x.network());
    assertEquals(Cidr.parse("198.19.2.0/24"), y.network()); // skips router-a's 198.19.1.0/24
    assertEquals(Cidr.parse("198.19.3.0/24"), z.network());
    assertNull(s.subnetOf("router-w"), "supernet exhausted");
    assertEquals(List.of(x, y, z), heard);
    assertTrue(s.isCarved("router-y"));
    assertEquals(x, s.subnetOf("router-x"));
    assertEquals(3, store.loadAll().size());

    SiteSubnets again = open(c);
    assertEquals(Cidr.parse("198.19.2.0/24"), again.peek("router-y").network());
    assertEquals(Cidr.parse("198.19.0.0/24"), again.peek("router-x").network());
    assertEquals(Cidr.parse("198.19.3.0/24"), again.subnetOf("router-z").network());
    assertEquals(3, store.loadAll().size());
  }

  @Test
  void neverCarvesTheBridgeSubnetOrAConfiguredOne() {
    SiteSubnets s = open(config()); // supernet 198.18.0.0/22 contains the bridge 198.18.0.0/24
    for (String r : List.of("r1", "r2", "r3")) {
      Subnet n = s.subnetOf(r);
      if (n == null) {
        continue;
      }
      assertFalse(SiteSubnets.overlaps(n.network(), BRIDGE), n.network().toString());
      for (Subnet other : s.all()) {
        if (other != n) {
          assertFalse(SiteSubnets.overlaps(n.network(), other.network()), n + " vs " + other);
        }
      }
    }
    assertEquals(Cidr.parse("198.18.1.0/24"), s.peek("r1").network());
    assertEquals(Cidr.parse("198.18.2.0/24"), s.peek("r2").network());
    assertEquals(Cidr.parse("198.18.3.0/24"), s.peek("r3").network());
  }

  @Test
  void overlappingConfiguredSubnetsAreRejected() {
    SitesConfig c =
        new SitesConfig(
            Map.of(
                "a", new SitesConfig.Site(Cidr.parse("198.19.0.0/23"), null),
                "b", new SitesConfig.Site(Cidr.parse("198.19.1.0/24"), null)),
            null,
            0);
    assertThrows(IllegalArgumentException.class, () -> new SiteSubnets(c, store, BRIDGE, DEFAULTS));
  }

  @Test
  void failedStoreWriteMeansNoSubnet() {
    SiteSubnetStore failing =
        new SiteSubnetStore() {
          @Override
          public CompletableFuture<Void> save(String router, Cidr subnet) {
            return CompletableFuture.failedFuture(new IllegalStateException("disk full"));
          }

          @Override
          public Map<String, Cidr> loadAll() {
            return Map.of();
          }
        };
    SiteSubnets s =
        new SiteSubnets(
            new SitesConfig(Map.of(), Cidr.parse("198.19.0.0/22"), 24), failing, BRIDGE, DEFAULTS);
    s.load();
    assertNull(s.subnetOf("router-x"));
    assertNull(s.peek("router-x"));
    assertNotNull(s.all());
  }
}
