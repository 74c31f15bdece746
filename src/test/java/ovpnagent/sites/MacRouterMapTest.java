package ovpnagent.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import ovpnagent.control.ControlResponse;
import ovpnagent.store.InMemoryMappingStore;
import ovpnagent.util.HwAddr;

class MacRouterMapTest {
  private static final HwAddr M1 = HwAddr.parse("52:50:0e:2b:80:24");
  private static final HwAddr M2 = HwAddr.parse("d6:0d:8c:4f:18:2c");
  private static final HwAddr M3 = HwAddr.parse("06:e7:b0:2c:bb:15");

  private final InMemoryMappingStore store = new InMemoryMappingStore();
  private final MacRouterMap map = new MacRouterMap(store, () -> 1000L);
  private final LearnAddressCommand cmd = new LearnAddressCommand(() -> map);

  private ControlResponse learn(String op, String addr, String cn) {
    ObjectNode a = new ObjectMapper().createObjectNode();
    a.put("op", op);
    a.put("addr", addr);
    if (cn != null) {
      a.put("cn", cn);
    }
    a.put("instance", "site");
    return cmd.handle(a);
  }

  @Test
  void learnAddressNormalizesMacAndPersists() {
    List<String> heard = new ArrayList<>();
    map.addListener((mac, r) -> heard.add(mac + "=" + r));
    ControlResponse r = learn("add", "52:50:0E:2B:80:24@0", "router-a");
    assertEquals(ControlResponse.SUCCESS, r.result(), r.text());
    assertEquals("router-a", map.routerOf(M1));
    assertEquals(Map.of(M1, "router-a"), store.loadAll());
    assertEquals(List.of("52:50:0e:2b:80:24=router-a"), heard);
    // The same MAC with a VLAN suffix is the same device; update moves it.
    assertEquals(
        ControlResponse.SUCCESS, learn("update", "52-50-0e-2b-80-24@1", "router-b").result());
    assertEquals("router-b", map.routerOf(M1));
    assertEquals(Map.of(M1, "router-b"), store.loadAll());
    assertEquals(2, heard.size());
    // An unchanged add is not a change.
    learn("add", "52:50:0e:2b:80:24@1", "router-b");
    assertEquals(2, heard.size());
    assertEquals(ControlResponse.SUCCESS, learn("delete", "52:50:0e:2b:80:24@1", null).result());
    assertNull(map.routerOf(M1));
    assertTrue(store.loadAll().isEmpty());
    assertEquals(ControlResponse.EMPTY, learn("delete", "52:50:0e:2b:80:24@1", null).result());
  }

  @Test
  void learnAddressValidatesAndIgnoresRoutedAddresses() {
    assertEquals(ControlResponse.SUCCESS, learn("add", "198.19.128.50", "router-b").result());
    assertEquals(ControlResponse.SUCCESS, learn("add", "198.19.200.0/24", "router-b").result());
    assertEquals(0, map.size());
    assertEquals(ControlResponse.ERROR, learn("bogus", "52:50:0e:2b:80:24", "a").result());
    assertEquals(ControlResponse.ERROR, learn("add", "52:50:0e:2b:80", "a").result());
    assertEquals(ControlResponse.ERROR, learn("add", "52:50:0e:2b:80:24@x", "a").result());
    assertEquals(ControlResponse.ERROR, learn("add", "52:50:0e:2b:80:24", null).result());
    assertEquals(ControlResponse.ERROR, learn("add", "52:50:0e:2b:80:24", "bad\ncn").result());
    assertEquals(ControlResponse.ERROR, learn("add", "52:50:0e:2b:80:24", "x".repeat(65)).result());
    assertEquals(0, map.size());
    assertEquals(
        ControlResponse.ERROR,
        new LearnAddressCommand(() -> null)
            .handle(
                new ObjectMapper()
                    .createObjectNode()
                    .put("op", "add")
                    .put("addr", "52:50:0e:2b:80:24")
                    .put("cn", "a"))
            .result());
  }

  @Test
  void resyncReplacesOnlyThatInstancesMacs() {
    map.learn(M1, "router-a", "site");
    map.learn(M2, "router-a", "site");
    map.learn(M3, "router-x", "other");
    int changes =
        map.resync("site", Map.of(M2, "router-b", HwAddr.parse("02:00:00:00:00:09"), "router-a"));
    assertEquals(3, changes); // M1 gone, M2 moved, new MAC
    assertNull(map.routerOf(M1));
    assertEquals("router-b", map.routerOf(M2));
    assertEquals("router-x", map.routerOf(M3));
    assertEquals(map.size(), store.loadAll().size());
    assertEquals("router-b", store.loadAll().get(M2));
  }

  @Test
  void resyncDropsStoredEntriesOfUnknownOrigin() {
    store.put(M1, "router-a", 1).join();
    MacRouterMap fresh = new MacRouterMap(store, () -> 2000L);
    assertEquals(1, fresh.load());
    assertEquals("router-a", fresh.routerOf(M1));
    fresh.resync("site", Map.of(M2, "router-b"));
    assertNull(fresh.routerOf(M1));
    assertEquals(Map.of(M2, "router-b"), store.loadAll());
  }

  @Test
  void routerGoneClearsItsMacs() {
    map.learn(M1, "router-a", "site");
    map.learn(M2, "router-a", null);
    map.learn(M3, "router-b", "site");
    assertEquals(2, map.routerGone("router-a"));
    assertNull(map.routerOf(M1));
    assertNull(map.routerOf(M2));
    assertEquals("router-b", map.routerOf(M3));
    assertEquals(Map.of(M3, "router-b"), store.loadAll());
    assertEquals(Map.of("router-b", 1), map.countsByRouter());
  }

  @Test
  void stateSurvivesARestartThroughTheStore() {
    map.learn(M1, "router-a", "site");
    map.learn(M3, "router-b", "site");
    MacRouterMap restarted = new MacRouterMap(store, () -> 3000L);
    assertEquals(2, restarted.load());
    assertEquals("router-a", restarted.routerOf(M1));
    assertEquals("router-b", restarted.routerOf(M3));
    assertFalse(restarted.learn(M1, "router-a", "site"));
  }
}
