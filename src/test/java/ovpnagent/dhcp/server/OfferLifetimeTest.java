package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ovpnagent.dhcp.codec.MessageType;

@ExtendWith(StartedHarness.class)
class OfferLifetimeTest {
  private ServerHarness h;

  @Test
  void twoClientsInABurstNeverGetTheSameOffer() throws Exception {
    Set<Integer> offered = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      assertTrue(offered.add(h.client().discover().reply().yiaddr()));
    }
  }

  @Test
  void anOfferedAddressIsHeldForItsClientOnly() throws Exception {
    TestDhcpClient a = h.client();
    int x = a.discover().reply().yiaddr();
    TestDhcpClient b = h.client();
    assertNotEquals(x, b.discover(x).reply().yiaddr(), "requested but held for a");
    assertEquals(MessageType.NAK, b.requestSelecting(x, ServerHarness.SERVER).type());
    assertEquals(MessageType.ACK, a.requestSelecting(x, ServerHarness.SERVER).type());
  }

  @Test
  void anUnansweredOfferEndsAfterTheOfferLifetime() throws Exception {
    TestDhcpClient a = h.client();
    int x = a.discover().reply().yiaddr();
    h.advance(Duration.ofSeconds(31));
    h.service.reclaimNow();
    TestDhcpClient b = h.client();
    assertEquals(x, b.discover(x).reply().yiaddr());
    assertEquals(0, h.service.poolUsage().offered() - 1);
  }
}
