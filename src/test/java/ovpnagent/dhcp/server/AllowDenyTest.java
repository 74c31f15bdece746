package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.util.HwAddr;

class AllowDenyTest {
  private static final HwAddr A = HwAddr.parse("02:00:00:00:aa:01");
  private static final HwAddr B = HwAddr.parse("02:00:00:00:aa:02");
  private ServerHarness h;

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  void deniedMacGetsNothing() throws Exception {
    h = new ServerHarness();
    h.deny.add(A);
    h.start();
    assertNull(h.client(A).discover().reply());
    assertEquals(1, h.drops(DropReason.DENIED));
    assertEquals(MessageType.OFFER, h.client(B).discover().type());
  }

  @Test
  void nonEmptyAllowListServesOnlyItsMacs() throws Exception {
    h = new ServerHarness();
    h.allow.add(A);
    h.start();
    assertEquals(MessageType.OFFER, h.client(A).discover().type());
    assertNull(h.client(B).discover().reply());
    assertEquals(1, h.drops(DropReason.DENIED));
    assertEquals(1, h.metrics.get("dhcp4.drop.denied"));
  }
}
