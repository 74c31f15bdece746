package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ovpnagent.store.LeaseState;

@ExtendWith(StartedHarness.class)
class ReleaseTest {
  private ServerHarness h;

  @Test
  void releaseGetsNoReplyAndIsPersisted() throws Exception {
    TestDhcpClient c = h.client();
    int ip = c.doDora();
    var e = c.doRelease();
    assertNull(e.reply());
    assertEquals(LeaseState.RELEASED, h.store.get(ip).orElseThrow().state());
    assertEquals(c.mac.toString(), h.store.get(ip).orElseThrow().clientKey());
    assertEquals(1, h.metrics.get("dhcp4.received.release"));
  }

  @Test
  void theSameClientGetsTheSameAddressAfterRelease() throws Exception {
    TestDhcpClient c = h.client();
    int ip = c.doDora();
    c.doRelease();
    for (int i = 0; i < 20; i++) {
      h.client().doDora();
    }
    assertEquals(ip, c.doDora());
  }

  @Test
  void releaseOfAnAddressTheSenderDoesNotHoldIsIgnored() throws Exception {
    TestDhcpClient a = h.client();
    TestDhcpClient b = h.client();
    a.doDora();
    int ipB = b.doDora();
    a.ip = ipB;
    a.serverId = ServerHarness.SERVER;
    assertNull(a.doRelease().reply());
    assertEquals(1, h.drops(DropReason.LEASE_MISMATCH));
    assertEquals(LeaseState.BOUND, h.store.get(ipB).orElseThrow().state());
  }
}
