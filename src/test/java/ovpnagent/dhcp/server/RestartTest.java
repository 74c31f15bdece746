package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.store.LeaseState;

class RestartTest {
  private ServerHarness h;

  @BeforeEach
  void setUp() throws Exception {
    h = new ServerHarness();
    h.poolEnd = h.poolStart + 9;
    h.start();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  void clientsKeepTheirAddressesAcrossARestart() throws Exception {
    List<TestDhcpClient> clients = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      TestDhcpClient c = h.client();
      c.doDora();
      clients.add(c);
    }
    TestDhcpClient released = clients.get(4);
    int releasedIp = released.ip;
    released.doRelease();
    h.restart();
    assertEquals(5, h.service.leases().size());
    for (int i = 0; i < 4; i++) {
      TestDhcpClient c = clients.get(i);
      int ip = c.ip;
      assertEquals(MessageType.ACK, c.doRenew().type());
      assertEquals(ip, c.ip);
    }
    TestDhcpClient c0 = clients.get(0);
    assertEquals(MessageType.ACK, c0.doInitReboot(c0.ip).type());
    assertEquals(c0.ip, c0.discover().reply().yiaddr());
    assertEquals(releasedIp, released.doDora(), "released binding remembered across restart");
    for (int i = 0; i < 5; i++) {
      int ip = h.client().doDora();
      for (TestDhcpClient c : clients) {
        assertNotEquals(c.ip, ip, "a new client got a bound address after restart");
      }
    }
  }

  @Test
  void probationSurvivesARestart() throws Exception {
    TestDhcpClient c = h.client();
    int ip = c.doDora();
    c.doDecline(ip);
    h.restart();
    assertEquals(LeaseState.DECLINED, h.store.get(ip).orElseThrow().state());
    for (int i = 0; i < 9; i++) {
      assertNotEquals(ip, h.client().doDora());
    }
    assertEquals(null, h.client().discover().reply());
  }
}
