package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ovpnagent.dhcp.codec.DhcpPacket;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.dhcp.codec.OptionCode;
import ovpnagent.store.LeaseState;

/**
 * dhcp.pingCheck (RFC 2131 §2.2, dhcp.md row 21) with the in-process probe: an address new to its
 * client is offered only after a probe found nobody there; an address that answers goes on
 * probation and the client gets another; the client's own lease is never probed.
 */
class PingCheckTest {
  private ServerHarness h;

  @AfterEach
  void tearDown() {
    h.close();
  }

  private ServerHarness probing() {
    h = new ServerHarness();
    h.pingCheck = Duration.ofMillis(200);
    return h;
  }

  @Test
  void offProbesNothing() throws Exception {
    h = new ServerHarness().start();
    h.client().doDora();
    assertTrue(h.probe.probed.isEmpty());
    assertEquals(0, h.metrics.get("dhcp4.probe.sent"));
    assertFalse(h.metrics.snapshot().containsKey("dhcp4.probe.sent"), "no probe counters when off");
  }

  @Test
  void theProbeCountersAreListedFromTheStartWhenOn() throws Exception {
    probing().start();
    for (String c : List.of("sent", "conflicts", "skipped", "failed")) {
      assertEquals(0L, h.metrics.snapshot().get("dhcp4.probe." + c), c);
    }
  }

  @Test
  void theOfferLeavesOnlyAfterTheProbeFoundNobody() throws Exception {
    probing().start();
    h.probe.hold = true;
    TestDhcpClient c = h.client();
    assertNull(c.discover().reply(), "no OFFER while the probe is out");
    assertEquals(List.of(h.poolStart), h.probe.probed);
    assertEquals(1, h.probe.finishHeld());
    InMemoryPacketIo.Sent sent = h.io.poll(Duration.ofSeconds(2));
    assertNotNull(sent, "no OFFER after the probe");
    DhcpPacket offer = TestDhcpClient.decode(sent);
    assertEquals(MessageType.OFFER, offer.messageType());
    assertEquals(h.poolStart, offer.yiaddr());
    var ack = c.requestSelecting(offer.yiaddr(), offer.options().ipv4(OptionCode.SERVER_ID));
    assertEquals(MessageType.ACK, ack.type());
    assertEquals(1, h.metrics.get("dhcp4.probe.sent"));
    assertEquals(0, h.metrics.get("dhcp4.probe.conflicts"));
  }

  @Test
  void addressesThatAnswerGoOnProbationAndTheClientGetsAFreeOne() throws Exception {
    probing();
    h.poolEnd = h.poolStart + 2;
    h.start();
    h.probe.inUse.add(h.poolStart);
    h.probe.inUse.add(h.poolStart + 1);
    TestDhcpClient c = h.client();
    var offer = c.discover();
    assertEquals(MessageType.OFFER, offer.type());
    assertEquals(h.poolStart + 2, offer.reply().yiaddr());
    assertEquals(List.of(h.poolStart, h.poolStart + 1, h.poolStart + 2), h.probe.probed);
    assertEquals(2, h.metrics.get("dhcp4.probe.conflicts"));
    for (int ip : List.of(h.poolStart, h.poolStart + 1)) {
      var stored = h.store.get(ip).orElseThrow(() -> new AssertionError("probation not stored"));
      assertEquals(LeaseState.DECLINED, stored.state());
      assertEquals("", stored.clientKey(), "on probation, it belongs to nobody");
      assertEquals(h.clock.millis() + h.probation.toMillis(), stored.expiresAt());
    }
    assertEquals(2, h.service.poolUsage().declined());
    // the client binds the free address; another client finds the pool exhausted, not the squatted
    // addresses
    assertEquals(h.poolStart + 2, c.doDora());
    assertNull(h.client().discover().reply());
    assertEquals(1, h.drops(DropReason.POOL_EXHAUSTED));
  }

  @Test
  void aDiscoverWhoseEveryTriedAddressAnswersGetsNoOffer() throws Exception {
    probing().start();
    for (int i = 0; i < 10; i++) {
      h.probe.inUse.add(h.poolStart + i);
    }
    assertNull(h.client().discover().reply());
    assertEquals(DiscoverHandler.MAX_ATTEMPTS, h.probe.probed.size());
    assertEquals(DiscoverHandler.MAX_ATTEMPTS, h.metrics.get("dhcp4.probe.conflicts"));
    assertEquals(1, h.drops(DropReason.ADDRESS_CONFLICT));
  }

  @Test
  void theClientsOwnLeaseIsNotProbedAgain() throws Exception {
    probing().start();
    TestDhcpClient c = h.client();
    int ip = c.doDora();
    assertEquals(1, h.probe.probed.size());
    // the client restarts and DISCOVERs again: it is offered its binding without a probe
    var again = c.discover();
    assertEquals(ip, again.reply().yiaddr());
    c.doRenew();
    assertEquals(1, h.probe.probed.size());
  }

  @Test
  void aRetransmittedDiscoverDuringTheProbeIsDroppedNotAnsweredEarly() throws Exception {
    probing().start();
    h.probe.hold = true;
    TestDhcpClient c = h.client();
    assertNull(c.discover().reply());
    assertNull(c.discover().reply(), "the retransmission must not get an unprobed OFFER");
    assertEquals(1, h.drops(DropReason.PROBING));
    assertEquals(1, h.probe.probed.size());
    h.probe.finishHeld();
    InMemoryPacketIo.Sent sent = h.io.poll(Duration.ofSeconds(2));
    assertNotNull(sent);
    assertEquals(MessageType.OFFER, TestDhcpClient.decode(sent).messageType());
    assertNull(h.io.poll(Duration.ofMillis(100)), "exactly one OFFER");
  }

  @Test
  void aProbeThatCannotBeSentDoesNotHoldUpTheOffer() throws Exception {
    probing().start();
    h.probe.fail = true;
    var offer = h.client().discover();
    assertEquals(MessageType.OFFER, offer.type());
    assertEquals(1, h.metrics.get("dhcp4.probe.failed"));
  }

  @Test
  void theProbeIsClosedWithTheService() throws Exception {
    probing().start();
    h.service.close();
    assertTrue(h.probe.closed);
  }
}
