package ovpnagent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import ovpnagent.config.BridgeConfig;
import ovpnagent.metrics.Metrics;
import ovpnagent.util.Cidr;

/** The service's lifecycle against the recording fake (the monitor socket needs no privilege). */
class BridgeServiceTest {
  private static final BridgeConfig BRIDGE =
      new BridgeConfig("br0", Cidr.parse("198.18.0.1/24"), List.of(), false);

  @Test
  void startConvergesAndCloseTearsNothingDown() throws Exception {
    RecordingLinkManager links = new RecordingLinkManager();
    BridgeService s =
        new BridgeService(BridgeConvergence.of(BRIDGE, List.of("tap0")), () -> links, Thread::new);
    s.start();
    assertEquals("link:br0", s.name());
    assertEquals(
        List.of(
            "create bridge br0",
            "add address 198.18.0.1/24 to br0",
            "set br0 up",
            "create tap tap0",
            "set tap0 master br0",
            "set tap0 up"),
        s.actions());
    int commands = links.commands().size();
    s.close();
    s.close();
    assertTrue(links.isClosed());
    assertEquals(commands, links.commands().size(), "close issued no command");
    assertTrue(links.commands().stream().noneMatch(c -> c.contains(" del ")));
  }

  @Test
  void failedConvergenceIsReportedAndCloseIsSafe() {
    RecordingLinkManager links = new RecordingLinkManager().withLink("tap0", "");
    BridgeService s =
        new BridgeService(BridgeConvergence.of(BRIDGE, List.of("tap0")), () -> links, Thread::new);
    IOException e = assertThrows(IOException.class, s::start);
    assertTrue(e.getMessage().contains("tap0"), e.getMessage());
    s.close();
    assertTrue(links.isClosed());
  }

  @Test
  void productionServiceRegistersGaugesAndOpensNothingBeforeStart() {
    Metrics m = new Metrics();
    BridgeService s = BridgeService.forConfig(BRIDGE, List.of("tap0"), m);
    assertEquals("link:br0", s.name());
    assertEquals(0L, m.snapshot().get("link.tap_repairs"));
    assertEquals(0L, m.snapshot().get("link.monitor_errors"));
    assertEquals(null, s.links());
    s.close();
  }
}
