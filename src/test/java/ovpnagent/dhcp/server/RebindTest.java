package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.store.LeaseState;
import ovpnagent.util.Ipv4;

class RebindTest {
  private ServerHarness h;

  @BeforeEach
  void setUp() throws Exception {
    h = new ServerHarness().start();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  void rebindingClientIsAckedToCiaddr() throws Exception {
    TestDhcpClient c = h.client();
    int ip = c.doDora();
    h.advance(Duration.ofMinutes(55));
    var e = c.doRebind();
    assertEquals(MessageType.ACK, e.type());
    assertEquals(ip, e.sent().ip());
    assertEquals(68, e.sent().port());
    assertEquals(LeaseState.BOUND, h.store.get(ip).orElseThrow().state());
  }

  @Test
  void rebindingWithAFreeAddressThatIsNotTheClientsIsNaked() throws Exception {
    TestDhcpClient c = h.client();
    int ip = c.doDora();
    c.ip = ip + 5;
    assertEquals(MessageType.NAK, c.doRebind().type());
    assertEquals(LeaseState.BOUND, h.store.get(ip).orElseThrow().state());
  }

  @Test
  void rebindingClientUnknownToALostStoreIsBoundIfTheAddressIsFree() throws Exception {
    TestDhcpClient c = h.client();
    c.ip = Ipv4.parse("198.18.0.140");
    assertEquals(MessageType.ACK, c.doRebind().type());
    assertEquals(LeaseState.BOUND, h.store.get(c.ip).orElseThrow().state());
  }

  @Test
  void rebindingWithAnAddressOnAnotherNetworkIsNaked() throws Exception {
    TestDhcpClient c = h.client();
    c.doDora();
    c.ip = Ipv4.parse("198.19.5.5");
    var e = c.doRebind();
    assertEquals(MessageType.NAK, e.type());
  }
}
