package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.store.LeaseState;

@ExtendWith(StartedHarness.class)
class CommitBeforeAckTest {
  private ServerHarness h;

  @Test
  void noAckLeavesUntilTheLeaseIsDurable() throws Exception {
    TestDhcpClient c = h.client();
    var offer = c.discover();
    h.store.mode(FakeLeaseStore.Mode.HOLD);
    var req = c.requestSelecting(offer.reply().yiaddr(), ServerHarness.SERVER);
    assertNull(req.reply(), "ACK before commit");
    assertEquals(1, h.store.heldCount());
    assertTrue(h.store.get(offer.reply().yiaddr()).isEmpty());
    assertEquals(1, h.store.completeHeld());
    var ack = h.io.poll(Duration.ofSeconds(5));
    assertNotNull(ack);
    assertEquals(MessageType.ACK, TestDhcpClient.decode(ack).messageType());
    assertEquals(LeaseState.BOUND, h.store.get(offer.reply().yiaddr()).orElseThrow().state());
  }

  @Test
  void aFailedCommitSendsNoAckAndIsCounted() throws Exception {
    TestDhcpClient c = h.client();
    var offer = c.discover();
    h.store.mode(FakeLeaseStore.Mode.HOLD);
    c.requestSelecting(offer.reply().yiaddr(), ServerHarness.SERVER);
    assertEquals(1, h.store.failHeld());
    assertNull(h.io.poll(Duration.ofMillis(200)));
    assertEquals(1, h.drops(DropReason.STORE_FAILED));
    h.store.mode(FakeLeaseStore.Mode.FAIL);
    c.ip = offer.reply().yiaddr();
    assertNull(c.doRenew().reply());
    assertEquals(2, h.drops(DropReason.STORE_FAILED));
    assertEquals(0, h.metrics.get("dhcp4.sent.ack"));
  }

  @Test
  void offersNeedNoDurableWrite() throws Exception {
    h.store.mode(FakeLeaseStore.Mode.FAIL);
    assertEquals(MessageType.OFFER, h.client().discover().type());
  }
}
