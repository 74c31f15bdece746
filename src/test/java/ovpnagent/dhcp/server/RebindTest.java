package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ovpnagent.dhcp.codec.DhcpCodec;
import ovpnagent.dhcp.codec.DhcpPacket;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.store.LeaseState;
import ovpnagent.util.Ipv4;

@ExtendWith(StartedHarness.class)
class RebindTest {
  private ServerHarness h;

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
  void rebindingClientWithoutARecordIsLeftToItsServerWhenNotAuthoritative() throws Exception {
    TestDhcpClient c = h.client();
    c.ip = Ipv4.parse("198.18.0.140");
    var e = c.doRebind();
    assertNull(e.reply(), "its lease may be another server's: silence");
    assertEquals(1, h.drops(DropReason.UNKNOWN_CLIENT));
    assertTrue(h.store.get(c.ip).isEmpty());
  }

  @Test
  void rebindingClientUnknownToALostStoreIsBoundWhenAuthoritative() throws Exception {
    h.close();
    h = new ServerHarness();
    h.authoritative = true;
    h.start();
    TestDhcpClient c = h.client();
    c.ip = Ipv4.parse("198.18.0.140");
    assertEquals(MessageType.ACK, c.doRebind().type());
    assertEquals(LeaseState.BOUND, h.store.get(c.ip).orElseThrow().state());
  }

  @Test
  void theFourRequestStatesAreCountedApart() throws Exception {
    TestDhcpClient c = h.client();
    int ip = c.doDora();
    assertEquals(MessageType.ACK, c.doRenew().type());
    assertEquals(MessageType.ACK, c.doRebind().type());
    assertEquals(MessageType.ACK, c.doInitReboot(ip).type());
    assertEquals(1, h.metrics.get("dhcp4.request.selecting"));
    assertEquals(1, h.metrics.get("dhcp4.request.renewing"));
    assertEquals(1, h.metrics.get("dhcp4.request.rebinding"));
    assertEquals(1, h.metrics.get("dhcp4.request.init_reboot"));
  }

  @Test
  void aRequestWithOnlyCiaddrSentToTheSubnetBroadcastIsRebinding() throws Exception {
    TestDhcpClient c = h.client();
    c.ip = Ipv4.parse("198.18.0.140");
    c.state = TestDhcpClient.State.REBINDING;
    DhcpPacket p = c.packet(c.options(MessageType.REQUEST), c.ip).build();
    var sent = c.sendRaw(DhcpCodec.encode(p, 1472), c.ip, 68, Ipv4.parse("198.18.0.255"));
    assertNull(sent, "directed broadcast: REBINDING, and without a record not ours to answer");
    assertEquals(1, h.metrics.get("dhcp4.request.rebinding"));
    assertEquals(0, h.metrics.get("dhcp4.request.renewing"));
  }

  @Test
  void aRelayedRequestWithOnlyCiaddrIsRebinding() throws Exception {
    TestDhcpClient c = h.client();
    c.giaddr = Ipv4.parse("198.18.0.254");
    int ip = c.doDora();
    assertEquals(MessageType.ACK, c.doRebind().type());
    assertEquals(ip, c.ip);
    assertEquals(1, h.metrics.get("dhcp4.request.rebinding"));
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
