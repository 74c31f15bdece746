package ovpnagent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ovpnagent.config.BridgeConfig;
import ovpnagent.testing.Netns;
import ovpnagent.util.Cidr;

/**
 * Convergence from half-built states and the TAP monitor, for real, in namespace {@code link-t2}
 * (needs root, as CI is). Results are read back with iproute2.
 */
class BridgeServiceNetnsIT {
  private static final BridgeConfig BRIDGE =
      new BridgeConfig("linkbr0", Cidr.parse("198.18.10.1/24"), List.of("linkv0"), true);
  private static final List<String> TAPS = List.of("linktap0", "linktap1");
  private Netns ns;
  private LinkManager links;

  @BeforeEach
  void setUp() throws Exception {
    ns = Netns.create("link-t2");
    ns.ip("link", "add", "linkv0", "type", "veth", "peer", "name", "linkv1");
    links = ns.call(NetlinkLinkManager::open);
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      links.close();
    } finally {
      ns.close();
    }
  }

  @Test
  void convergesFromHalfBuiltStatesAndReRunTakesNoAction() throws Exception {
    BridgeConvergence plan = BridgeConvergence.of(BRIDGE, TAPS);
    // half-built: the bridge exists (down, no address), TAP 0 exists unattached, TAP 1 missing
    ns.ip("link", "add", "linkbr0", "type", "bridge");
    ns.ip("tuntap", "add", "dev", "linktap0", "mode", "tap");
    List<String> first = ns.call(() -> plan.converge(links));
    assertEquals(
        List.of(
            "add address 198.18.10.1/24 to linkbr0",
            "set proxy_arp 1 on linkbr0",
            "set linkbr0 up",
            "set linktap0 master linkbr0",
            "set linktap0 up",
            "set proxy_arp 1 on linktap0",
            "create tap linktap1",
            "set linktap1 master linkbr0",
            "set linktap1 up",
            "set proxy_arp 1 on linktap1",
            "set linkv0 master linkbr0",
            "set linkv0 up"),
        first);
    assertConverged();
    assertEquals(List.of(), ns.call(() -> plan.converge(links)), "full re-run takes no action");

    // another half-built state: TAP 1 released from the bridge and down
    ns.ip("link", "set", "linktap1", "nomaster");
    ns.ip("link", "set", "linktap1", "down");
    assertEquals(
        List.of("set linktap1 master linkbr0", "set linktap1 up"),
        ns.call(() -> plan.converge(links)));
    assertEquals(List.of(), ns.call(() -> plan.converge(links)));
    assertConverged();
  }

  @Test
  void monitorReEnslavesARecreatedTapWithinOneSecond() throws Exception {
    BridgeService service =
        new BridgeService(BridgeConvergence.of(BRIDGE, TAPS), () -> links, ns.threadFactory());
    try {
      ns.call(
          () -> {
            service.start();
            return null;
          });
      assertEquals("link:linkbr0", service.name());
      assertEquals(14, service.actions().size(), service.actions().toString());
      assertConverged();

      // what OpenVPN does on SIGHUP with a non-persistent TAP: delete and re-create it
      ns.ip("link", "del", "linktap0");
      ns.ip("tuntap", "add", "dev", "linktap0", "mode", "tap");
      long t0 = System.nanoTime();
      String tap = "";
      while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1)) {
        tap = ns.ip("-d", "link", "show", "linktap0");
        if (tap.contains("master linkbr0") && tap.contains(",UP")) {
          break;
        }
        TimeUnit.MILLISECONDS.sleep(20);
      }
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      if (!(tap.contains("master linkbr0") && tap.contains(",UP"))) {
        fail("TAP not re-enslaved and up after " + ms + " ms: " + tap);
      }
      assertEquals("1", sysctl("linktap0"), "proxy ARP re-applied on the new TAP");
      assertTrue(service.monitor().repairs() >= 1);
      assertEquals(0, service.monitor().errors());
    } finally {
      service.close();
    }
    // close stops the monitor only: nothing is torn down
    assertConverged();
  }

  private void assertConverged() throws Exception {
    for (String dev : List.of("linktap0", "linktap1", "linkv0")) {
      String l = ns.ip("-d", "link", "show", dev);
      assertTrue(l.contains("master linkbr0"), l);
      assertTrue(l.contains(",UP") || l.contains("<UP"), l);
    }
    for (String tap : TAPS) {
      assertTrue(ns.ip("-d", "link", "show", tap).contains("tun type tap"), tap);
      assertEquals("1", sysctl(tap));
    }
    String br = ns.ip("-d", "link", "show", "linkbr0");
    assertTrue(br.contains(",UP") && br.contains("bridge forward_delay"), br);
    String ad = ns.ip("-4", "addr", "show", "dev", "linkbr0");
    assertTrue(ad.contains("inet 198.18.10.1/24"), ad);
    assertEquals("1", sysctl("linkbr0"));
  }

  private String sysctl(String dev) throws Exception {
    return ns.call(
        () ->
            java.nio.file.Files.readString(
                    java.nio.file.Path.of("/proc/sys/net/ipv4/conf", dev, "proxy_arp"))
                .trim());
  }
}
