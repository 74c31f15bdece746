package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ovpnagent.store.Lease;
import ovpnagent.store.LeaseState;
import ovpnagent.util.Ipv4;

class OtherServerSelectedTest {
  private ServerHarness h;

  @BeforeEach
  void setUp() throws Exception {
    h = new ServerHarness();
    h.poolEnd = h.poolStart;
    h.start();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  void requestNamingAnotherServerSilentlyFreesOurOffer() throws Exception {
    TestDhcpClient c = h.client();
    int offered = c.discover().reply().yiaddr();
    assertNull(h.client().discover().reply(), "single address held for the first client");
    var e = c.requestSelecting(offered, Ipv4.parse("198.18.0.2"));
    assertNull(e.reply());
    assertEquals(1, h.drops(DropReason.NOT_FOR_US));
    Lease l = h.service.leases().get(0);
    assertEquals(LeaseState.EXPIRED, l.state());
    assertEquals(offered, h.client().doDora(), "the freed address goes to another client");
    assertEquals(
        0, h.store.loadAll().stream().filter(x -> x.clientKey().equals(c.mac.toString())).count());
  }
}
