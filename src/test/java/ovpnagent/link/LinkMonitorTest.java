package ovpnagent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import ovpnagent.link.netlink.LinkMessage;
import ovpnagent.util.Cidr;

/** The monitor's decision on one notification, against the recording fake. */
class LinkMonitorTest {
  private final BridgeConvergence plan =
      new BridgeConvergence("br0", Cidr.parse("198.18.0.1/24"), List.of("tap0"), List.of(), true);

  private static LinkMessage newLink(LinkInfo l, int master, int flags) {
    return new LinkMessage(false, 1, l.index(), flags, l.name(), master, "tun", 2, 2, 1500, null);
  }

  @Test
  void recreatedTapIsReEnslavedAndUp() throws Exception {
    RecordingLinkManager links = new RecordingLinkManager();
    plan.converge(links);
    int before = links.commands().size();
    LinkInfo tap = links.recreate("tap0");
    LinkMonitor m = new LinkMonitor(links, plan, Thread::new);
    m.onLink(newLink(tap, 0, 0));
    assertEquals(
        List.of(
            "ip link set dev tap0 master br0",
            "ip link set dev tap0 up",
            "sysctl net.ipv4.conf.tap0.proxy_arp=1"),
        links.commands().subList(before, links.commands().size()));
    assertEquals(1, m.repairs());
  }

  @Test
  void enslavedUpTapAndUnmanagedLinksAreLeftAlone() throws Exception {
    RecordingLinkManager links = new RecordingLinkManager().withLink("tap9", "tap");
    plan.converge(links);
    int before = links.commands().size();
    LinkMonitor m = new LinkMonitor(links, plan, Thread::new);
    LinkInfo tap = links.link("tap0").orElseThrow();
    m.onLink(newLink(tap, tap.master(), 1));
    m.onLink(newLink(links.link("tap9").orElseThrow(), 0, 0));
    m.onLink(new LinkMessage(true, 1, tap.index(), 0, "tap0", 0, "tun", 2, 2, 1500, null));
    assertEquals(before, links.commands().size());
    assertEquals(0, m.repairs());
  }
}
