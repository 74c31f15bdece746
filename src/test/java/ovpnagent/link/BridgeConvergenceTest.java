package ovpnagent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import ovpnagent.config.BridgeConfig;
import ovpnagent.util.Cidr;

/** Convergence against the recording fake: from scratch, from half-built states, re-runs. */
class BridgeConvergenceTest {
  private static final Cidr ADDR = Cidr.parse("198.18.0.1/24");

  private static BridgeConvergence plan(boolean proxyArp, List<String> lan) {
    return BridgeConvergence.of(
        new BridgeConfig("br0", ADDR, lan, proxyArp), List.of("tap0", "tap1"));
  }

  @Test
  void fromScratchThenNothing() throws Exception {
    RecordingLinkManager links = new RecordingLinkManager().withLink("eth1", "");
    BridgeConvergence p = plan(true, List.of("eth1"));
    List<String> first = p.converge(links);
    assertEquals(
        List.of(
            "create bridge br0",
            "add address 198.18.0.1/24 to br0",
            "set proxy_arp 1 on br0",
            "set br0 up",
            "create tap tap0",
            "set tap0 master br0",
            "set tap0 up",
            "set proxy_arp 1 on tap0",
            "create tap tap1",
            "set tap1 master br0",
            "set tap1 up",
            "set proxy_arp 1 on tap1",
            "set eth1 master br0",
            "set eth1 up"),
        first);
    assertEquals(first.size(), links.commands().size());
    assertEquals(List.of(), p.converge(links));
    assertEquals(first.size(), links.commands().size(), "second run issued no command");
  }

  @Test
  void halfBuiltStateTakesOnlyTheMissingSteps() throws Exception {
    RecordingLinkManager links =
        new RecordingLinkManager()
            .withLink("br0", "bridge")
            .withUp("br0")
            .withLink("tap0", "tap")
            .withMaster("tap0", "br0");
    List<String> actions = plan(false, List.of()).converge(links);
    assertEquals(
        List.of(
            "add address 198.18.0.1/24 to br0",
            "set tap0 up",
            "create tap tap1",
            "set tap1 master br0",
            "set tap1 up"),
        actions);
  }

  @Test
  void tapNameTakenByAnotherKindIsAClearError() {
    RecordingLinkManager links = new RecordingLinkManager().withLink("tap1", "bridge");
    IOException e = assertThrows(IOException.class, () -> plan(false, List.of()).converge(links));
    assertTrue(e.getMessage().contains("tap1"), e.getMessage());
  }

  @Test
  void missingLanInterfaceNamesTheKey() {
    RecordingLinkManager links = new RecordingLinkManager();
    IOException e =
        assertThrows(IOException.class, () -> plan(false, List.of("eth9")).converge(links));
    assertTrue(e.getMessage().contains("eth9") && e.getMessage().contains("lanInterfaces"));
  }

  @Test
  void tapMayNotAlsoBeTheBridgeOrALanPort() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new BridgeConvergence("br0", ADDR, List.of("eth1"), List.of("eth1"), false));
    assertThrows(
        IllegalArgumentException.class,
        () -> new BridgeConvergence("br0", ADDR, List.of("br0"), List.of(), false));
  }
}
