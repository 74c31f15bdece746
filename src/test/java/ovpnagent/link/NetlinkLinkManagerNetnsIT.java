package ovpnagent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ovpnagent.link.netlink.NetlinkException;
import ovpnagent.link.netlink.NetlinkSocket;
import ovpnagent.link.netlink.NlMsgBuilder;
import ovpnagent.link.netlink.Rtnl;
import ovpnagent.link.netlink.RtnlRequests;
import ovpnagent.testing.Netns;
import ovpnagent.util.Cidr;
import ovpnagent.util.HwAddr;
import ovpnagent.util.Ipv4;

/** Real rtnetlink operations in the throwaway namespace {@code link-t1} (needs root, as CI is). */
class NetlinkLinkManagerNetnsIT {
  private Netns ns;
  private LinkManager links;

  @BeforeEach
  void setUp() throws Exception {
    ns = Netns.create("link-t1");
    links = ns.call(NetlinkLinkManager::open);
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      if (links != null) {
        links.close();
      }
    } finally {
      ns.close();
    }
  }

  @Test
  void createEnslaveUpAddressAndCompareWithIproute2() throws Exception {
    assertTrue(links.ensureBridge("linkbr0"));
    assertFalse(links.ensureBridge("linkbr0"));
    assertTrue(ns.call(() -> links.ensureTap("linktap0")));
    assertFalse(ns.call(() -> links.ensureTap("linktap0")));
    assertTrue(links.setMaster("linktap0", "linkbr0"));
    assertFalse(links.setMaster("linktap0", "linkbr0"));
    assertTrue(links.setUp("linktap0"));
    assertFalse(links.setUp("linktap0"));
    assertTrue(links.setUp("linkbr0"));
    Cidr addr = Cidr.parse("198.18.9.1/24");
    assertTrue(links.ensureAddress("linkbr0", addr));
    assertFalse(links.ensureAddress("linkbr0", addr));

    String tap = ns.ip("-d", "link", "show", "linktap0");
    assertTrue(tap.contains("tun type tap pi off"), tap);
    assertTrue(tap.contains("persist on"), tap);
    assertTrue(tap.contains("master linkbr0"), tap);
    assertTrue(tap.contains(",UP"), tap);
    String br = ns.ip("-d", "link", "show", "linkbr0");
    assertTrue(br.contains("bridge forward_delay"), br);
    String ad = ns.ip("-4", "addr", "show", "dev", "linkbr0");
    assertTrue(ad.contains("inet 198.18.9.1/24 brd 198.18.9.255"), ad);

    LinkInfo b = links.link("linkbr0").orElseThrow();
    LinkInfo t = links.link("linktap0").orElseThrow();
    assertTrue(b.isBridge() && b.isUp() && !b.tap());
    assertTrue(t.tap() && t.isUp());
    assertEquals(b.index(), t.master());
    assertFalse(t.hasCarrier(), "persistent TAP without an fd holder has no carrier");
    assertEquals(List.of(addr), links.addresses("linkbr0"));
    assertEquals(
        List.of("lo", "linkbr0", "linktap0"),
        links.links().stream().map(LinkInfo::name).collect(Collectors.toList()));
    assertTrue(links.link("linknosuch").isEmpty());
  }

  @Test
  void wrongKindIsAClearError() throws Exception {
    links.ensureBridge("linkbr0");
    ns.call(() -> links.ensureTap("linktap0"));
    IOException e =
        assertThrows(IOException.class, () -> ns.call(() -> links.ensureTap("linkbr0")));
    assertTrue(
        e.getMessage().contains("linkbr0 exists but is a bridge, not a tap"), e.getMessage());
    e = assertThrows(IOException.class, () -> links.ensureBridge("linktap0"));
    assertTrue(e.getMessage().contains("is a tap, not a bridge"), e.getMessage());
    e = assertThrows(IOException.class, () -> links.setMaster("linkbr0", "linktap0"));
    assertTrue(e.getMessage().contains("not a bridge"), e.getMessage());
    e = assertThrows(IOException.class, () -> links.setUp("linknosuch"));
    assertTrue(e.getMessage().contains("no such link: linknosuch"), e.getMessage());
  }

  @Test
  void kernelErrorsCarryErrnoAndExtendedAck() throws Exception {
    try (NetlinkSocket nl = ns.call(() -> NetlinkSocket.open(0, 2000))) {
      nl.request(RtnlRequests.newBridge("linkbr1"), "create bridge linkbr1");
      NetlinkException exists =
          assertThrows(
              NetlinkException.class,
              () -> nl.request(RtnlRequests.newBridge("linkbr1"), "create bridge linkbr1"));
      assertEquals(Rtnl.EEXIST, exists.errno());
      assertTrue(exists.getMessage().startsWith("create bridge linkbr1 failed: errno 17"));
      NlMsgBuilder odd =
          new NlMsgBuilder(
                  Rtnl.RTM_NEWLINK,
                  Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL)
              .ifInfo(0, 0, 0, 0, 0)
              .attrString(Rtnl.IFLA_IFNAME, "linkodd0")
              .begin(Rtnl.IFLA_LINKINFO)
              .attrString(Rtnl.IFLA_INFO_KIND, "nosuchkind")
              .end();
      NetlinkException unknown =
          assertThrows(NetlinkException.class, () -> nl.request(odd, "create linkodd0"));
      assertEquals(95, unknown.errno());
      assertEquals("Unknown device type", unknown.extack());
      Cidr a = Cidr.parse("198.18.9.1/24");
      int idx = links.link("linkbr1").orElseThrow().index();
      nl.request(RtnlRequests.newAddress(idx, a), "add");
      NetlinkException dup =
          assertThrows(
              NetlinkException.class, () -> nl.request(RtnlRequests.newAddress(idx, a), "add"));
      assertEquals(Rtnl.EEXIST, dup.errno());
      assertEquals("ipv4: Address already assigned", dup.extack());
    }
  }

  @Test
  void neighbourReplaceShowsUpInIpNeigh() throws Exception {
    links.ensureBridge("linkbr0");
    links.setUp("linkbr0");
    links.ensureAddress("linkbr0", Cidr.parse("198.18.9.1/24"));
    links.replaceNeighbour("linkbr0", Ipv4.parse("198.18.9.50"), HwAddr.parse("52:54:00:12:34:56"));
    String n = ns.ip("neigh", "show", "dev", "linkbr0");
    assertTrue(n.contains("198.18.9.50 lladdr 52:54:00:12:34:56"), n);
    links.replaceNeighbour("linkbr0", Ipv4.parse("198.18.9.50"), HwAddr.parse("52:54:00:ab:cd:ef"));
    n = ns.ip("neigh", "show", "dev", "linkbr0");
    assertTrue(n.contains("198.18.9.50 lladdr 52:54:00:ab:cd:ef"), n);
    assertFalse(n.contains("52:54:00:12:34:56"), n);
  }

  @Test
  void routeReplaceShowsUpInIpRouteAndIsIdempotent() throws Exception {
    links.ensureBridge("linkbr0");
    links.setUp("linkbr0");
    links.ensureRoute("linkbr0", Cidr.parse("198.19.10.0/24"));
    links.ensureRoute("linkbr0", Cidr.parse("198.19.10.0/24"));
    String r = ns.ip("route", "show", "dev", "linkbr0");
    assertTrue(r.contains("198.19.10.0/24 scope link"), r);
    assertEquals(1, r.split("198.19.10.0/24", -1).length - 1, r);
  }

  @Test
  void proxyArpIsWrittenOnlyWhenItDiffers() throws Exception {
    links.ensureBridge("linkbr0");
    assertTrue(ns.call(() -> links.setProxyArp("linkbr0", true)));
    assertFalse(ns.call(() -> links.setProxyArp("linkbr0", true)));
    assertEquals("net.ipv4.conf.linkbr0.proxy_arp = 1", sysctl("net.ipv4.conf.linkbr0.proxy_arp"));
    assertTrue(ns.call(() -> links.setProxyArp("linkbr0", false)));
    assertEquals("net.ipv4.conf.linkbr0.proxy_arp = 0", sysctl("net.ipv4.conf.linkbr0.proxy_arp"));
  }

  @Test
  void deleteLinkRemovesIt() throws Exception {
    ns.call(() -> links.ensureTap("linktap0"));
    assertTrue(links.deleteLink("linktap0"));
    assertFalse(links.deleteLink("linktap0"));
    assertTrue(links.link("linktap0").isEmpty());
  }

  private String sysctl(String key) throws Exception {
    Process p =
        new ProcessBuilder("ip", "netns", "exec", "link-t1", "sysctl", key)
            .redirectErrorStream(true)
            .start();
    assertTrue(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
    return new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
        .trim();
  }
}
