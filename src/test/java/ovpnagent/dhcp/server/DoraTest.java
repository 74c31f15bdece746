package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ovpnagent.dhcp.codec.DhcpPacket;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.dhcp.codec.OptionCode;
import ovpnagent.store.Lease;
import ovpnagent.store.LeaseState;
import ovpnagent.util.Ipv4;

@ExtendWith(StartedHarness.class)
class DoraTest {
  private ServerHarness h;

  @Test
  void offerHasTheFixedFieldsAndOptionsOfRfc2131Table3() throws Exception {
    TestDhcpClient c = h.client();
    c.clientId = new byte[] {1, 2, 0, 0, 0, 0, 9};
    var e = c.discover();
    DhcpPacket o = e.reply();
    assertEquals(MessageType.OFFER, o.messageType());
    assertEquals(DhcpPacket.BOOTREPLY, o.op());
    assertEquals(0, o.hops());
    assertEquals(0, o.secs());
    assertEquals(c.xid, o.xid());
    assertEquals(0, o.ciaddr());
    assertEquals(e.request().chaddr(), o.chaddr());
    assertEquals(DhcpPacket.FLAG_BROADCAST, o.flags());
    assertTrue(h.service.poolUsage().total() == 100);
    assertTrue(
        Integer.compareUnsigned(o.yiaddr(), h.poolStart) >= 0
            && Integer.compareUnsigned(o.yiaddr(), h.poolEnd) <= 0);
    assertEquals(ServerHarness.SERVER, o.options().ipv4(OptionCode.SERVER_ID));
    assertEquals(3600L, o.options().u32(OptionCode.LEASE_TIME));
    assertEquals(1800L, o.options().u32(OptionCode.RENEWAL_TIME));
    assertEquals(3150L, o.options().u32(OptionCode.REBINDING_TIME));
    assertEquals(Ipv4.mask(24), o.options().ipv4(OptionCode.SUBNET_MASK));
    assertEquals(List.of(ServerHarness.ROUTER), o.options().ipv4List(OptionCode.ROUTER));
    assertEquals(List.of(ServerHarness.DNS), o.options().ipv4List(OptionCode.DNS_SERVERS));
    assertEquals("test.lan", o.options().string(OptionCode.DOMAIN_NAME));
    assertArrayEquals(c.clientId, o.options().get(OptionCode.CLIENT_ID));
    assertFalse(o.options().has(OptionCode.PARAMETER_REQUEST_LIST));
    assertFalse(o.options().has(OptionCode.REQUESTED_IP));
    assertFalse(o.options().has(OptionCode.MAX_MESSAGE_SIZE));
    assertTrue(e.sent().data().length >= 300, "BOOTP minimum of 300 bytes");
    assertEquals(1, h.metrics.get("dhcp4.sent.offer"));
    assertEquals(1, h.metrics.get("dhcp4.received.discover"));
  }

  @Test
  void doraBindsAndPersistsBeforeTheAck() throws Exception {
    TestDhcpClient c = h.client();
    int ip = c.doDora();
    assertEquals(TestDhcpClient.State.BOUND, c.state);
    Lease stored = h.store.get(ip).orElseThrow();
    assertEquals(LeaseState.BOUND, stored.state());
    assertEquals(c.mac.toString(), stored.clientKey());
    assertEquals(h.clock.millis() + 3_600_000, stored.expiresAt());
    assertEquals(1, h.metrics.get("dhcp4.sent.ack"));
    assertEquals(1, h.service.poolUsage().bound());
  }

  @Test
  void onlyRequestedConfiguredOptionsAreReturned() throws Exception {
    TestDhcpClient c = h.client();
    c.parameters = new int[] {3, 42, 1};
    DhcpPacket o = c.discover().reply();
    assertTrue(o.options().has(OptionCode.ROUTER));
    assertTrue(o.options().has(OptionCode.SUBNET_MASK));
    assertFalse(o.options().has(OptionCode.DNS_SERVERS));
    assertFalse(o.options().has(OptionCode.DOMAIN_NAME));
    assertFalse(o.options().has(42));
  }

  @Test
  void withoutParameterListAllConfiguredOptionsAreReturned() throws Exception {
    TestDhcpClient c = h.client();
    c.parameters = null;
    DhcpPacket o = c.discover().reply();
    for (int code : new int[] {1, 3, 6, 15, 51, 54}) {
      assertTrue(o.options().has(code), "option " + code);
    }
  }

  @Test
  void theSameClientGetsTheSameAddressAgain() throws Exception {
    TestDhcpClient c = h.client();
    int first = c.doDora();
    h.client().doDora();
    assertEquals(first, c.doDora());
    assertEquals(first, c.discover().reply().yiaddr());
  }

  @Test
  void clientIdentifierTakesPrecedenceOverChaddr() throws Exception {
    TestDhcpClient a = h.client();
    a.clientId = new byte[] {0, 'a'};
    TestDhcpClient sameMacOtherId = h.client(a.mac);
    sameMacOtherId.clientId = new byte[] {0, 'b'};
    int ipA = a.doDora();
    h.advance(java.time.Duration.ofSeconds(2));
    int ipB = sameMacOtherId.doDora();
    assertNotEquals(ipA, ipB);
    assertEquals("id:0061", h.store.get(ipA).orElseThrow().clientKey());
    TestDhcpClient otherMacSameId = h.client();
    otherMacSameId.clientId = new byte[] {0, 'a'};
    assertEquals(ipA, otherMacSameId.doDora());
  }

  @Test
  void noAddressIsHeldByTwoClients() throws Exception {
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (int i = 0; i < 50; i++) {
      assertTrue(seen.add(h.client().doDora()));
    }
    assertEquals(50, h.store.loadAll().size());
    assertNull(h.io.poll(java.time.Duration.ZERO));
  }
}
