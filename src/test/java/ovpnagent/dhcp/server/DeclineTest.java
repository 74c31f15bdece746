package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.store.Lease;
import ovpnagent.store.LeaseState;

class DeclineTest {
  private ServerHarness h;

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  void declinedAddressGoesOnProbationBelongingToNobody() throws Exception {
    h = new ServerHarness().start();
    TestDhcpClient c = h.client();
    int ip = c.doDora();
    var e = c.doDecline(ip);
    assertNull(e.reply());
    Lease l = h.store.get(ip).orElseThrow();
    assertEquals(LeaseState.DECLINED, l.state());
    assertEquals("", l.clientKey());
    assertEquals(h.clock.millis() + Duration.ofMinutes(10).toMillis(), l.expiresAt());
    assertEquals(1, h.metrics.get("dhcp4.declined"));
    int next = c.doDora();
    assertNotEquals(ip, next);
    assertEquals(1, h.service.poolUsage().declined());
  }

  @Test
  void declinedAddressIsNeitherOfferedNorBoundDuringProbation() throws Exception {
    h = new ServerHarness();
    h.poolEnd = h.poolStart + 1;
    h.start();
    TestDhcpClient c = h.client();
    int ip = c.doDora();
    c.doDecline(ip);
    TestDhcpClient other = h.client();
    var offer = other.discover(ip);
    assertNotEquals(ip, offer.reply().yiaddr());
    var req = other.requestSelecting(ip, ServerHarness.SERVER);
    assertEquals(MessageType.NAK, req.type());
    assertNotEquals(ip, other.doDora());
    assertNull(h.client().discover().reply(), "pool of 2: one declined, one bound");
    assertEquals(1, h.drops(DropReason.POOL_EXHAUSTED));
  }

  @Test
  void probationEndsAndTheAddressIsReusable() throws Exception {
    h = new ServerHarness();
    h.poolEnd = h.poolStart;
    h.start();
    TestDhcpClient c = h.client();
    int ip = c.doDora();
    c.doDecline(ip);
    assertNull(h.client().discover().reply());
    h.advance(Duration.ofMinutes(11));
    assertEquals(1, h.service.reclaimNow());
    assertTrue(h.store.get(ip).isEmpty(), "probation row removed");
    assertEquals(ip, h.client().doDora());
    assertEquals(1, h.metrics.get("dhcp4.reclaimed.declined"));
  }

  @Test
  void aMacOverItsDeclineLimitIsIgnoredUntilTheWindowPasses() throws Exception {
    h = new ServerHarness().start();
    TestDhcpClient bad = h.client();
    for (int i = 0; i < 3; i++) {
      int ip = bad.doDora();
      bad.doDecline(ip);
    }
    assertEquals(3, h.service.poolUsage().declined());
    int ip = bad.doDora();
    bad.doDecline(ip);
    assertEquals(3, h.service.poolUsage().declined(), "4th DECLINE quarantines nothing");
    assertEquals(1, h.drops(DropReason.DECLINE_LIMITED));
    assertNull(bad.discover().reply(), "MAC ignored while limited");
    assertEquals(2, h.drops(DropReason.DECLINE_LIMITED));
    h.advance(Duration.ofHours(1));
    assertEquals(MessageType.OFFER, bad.discover().type());
  }

  @Test
  void declineWithoutOption50IsAnRfcViolation() throws Exception {
    h = new ServerHarness().start();
    TestDhcpClient c = h.client();
    int ip = c.doDora();
    var o = ovpnagent.dhcp.codec.DhcpOptions.builder().messageType(MessageType.DECLINE);
    o.putIpv4(ovpnagent.dhcp.codec.OptionCode.SERVER_ID, ServerHarness.SERVER);
    assertNull(c.send(c.packet(o, 0).build()).reply());
    assertEquals(1, h.drops(DropReason.RFC_VIOLATION));
    assertFalse(h.store.get(ip).orElseThrow().state() == LeaseState.DECLINED);
  }
}
