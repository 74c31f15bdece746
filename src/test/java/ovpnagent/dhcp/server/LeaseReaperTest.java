package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ovpnagent.store.LeaseState;

@ExtendWith(StartedHarness.class)
class LeaseReaperTest {
  private ServerHarness h;

  @Test
  void expiredBindingsAreReclaimedPersistedAndRememberedForAffinity() throws Exception {
    TestDhcpClient c = h.client();
    int ip = c.doDora();
    TestDhcpClient renewer = h.client();
    renewer.doDora();
    h.advance(Duration.ofMinutes(50));
    renewer.doRenew();
    assertEquals(0, h.service.reclaimNow(), "nothing has ended yet");
    h.advance(Duration.ofMinutes(11));
    assertEquals(1, h.service.reclaimNow());
    assertEquals(LeaseState.EXPIRED, h.store.get(ip).orElseThrow().state());
    assertEquals(LeaseState.BOUND, h.store.get(renewer.ip).orElseThrow().state());
    assertEquals(1, h.metrics.get("dhcp4.reclaimed"));
    for (int i = 0; i < 5; i++) {
      assertNotEquals(ip, h.client().doDora(), "fresh addresses go first");
    }
    assertEquals(ip, c.doDora(), "the expired client gets its address back");
  }

  @Test
  void aFailingStoreNeverKillsTheReaper() throws Exception {
    TestDhcpClient c = h.client();
    c.doDora();
    h.store.mode(FakeLeaseStore.Mode.FAIL);
    h.advance(Duration.ofHours(2));
    assertEquals(1, h.service.reclaimNow());
    assertTrue(h.metrics.get("dhcp4.store.errors") >= 1);
    assertEquals(0, h.service.reclaimNow());
  }

  @Test
  void aSecondDeclineOfAnAddressOnProbationIsCountedAsQuarantined() throws Exception {
    TestDhcpClient c = h.client();
    int ip = c.doDora();
    c.doDecline(ip);
    c.doDecline(ip);
    assertEquals(1, h.drops(DropReason.QUARANTINED));
    assertEquals(1, h.service.dropCounts().get(DropReason.QUARANTINED));
  }
}
