package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ovpnagent.dhcp.codec.DhcpPacket;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.dhcp.codec.OptionCode;
import ovpnagent.util.Ipv4;

@ExtendWith(StartedHarness.class)
class RelayTest {
  private static final int RELAY = Ipv4.parse("198.18.0.2");
  private ServerHarness h;

  @Test
  void relayedDoraIsAnsweredToGiaddrPort67() throws Exception {
    TestDhcpClient c = h.client();
    c.giaddr = RELAY;
    c.broadcastFlag = false;
    c.relayInfo = new byte[] {1, 3, 'p', 'o', 'r'};
    var offer = c.discover();
    assertEquals(MessageType.OFFER, offer.type());
    assertEquals(RELAY, offer.sent().ip());
    assertEquals(67, offer.sent().port());
    assertNull(offer.sent().mac());
    assertEquals(RELAY, offer.reply().giaddr());
    assertEquals(0, offer.reply().hops());
    assertArrayEquals(c.relayInfo, offer.reply().options().get(OptionCode.RELAY_AGENT_INFO));
    int[] codes = offer.reply().options().codes();
    assertEquals(OptionCode.RELAY_AGENT_INFO, codes[codes.length - 1], "option 82 last");
    int ip = c.doDora();
    assertEquals(MessageType.ACK, c.doRenew().type());
    assertEquals(ip, c.ip);
  }

  @Test
  void relayedNakGoesToGiaddrWithTheBroadcastFlag() throws Exception {
    TestDhcpClient c = h.client();
    c.giaddr = RELAY;
    c.broadcastFlag = false;
    c.doDora();
    var nak = c.doInitReboot(Ipv4.parse("198.18.0.250"));
    assertEquals(MessageType.NAK, nak.type());
    assertEquals(RELAY, nak.sent().ip());
    assertEquals(67, nak.sent().port());
    assertEquals(DhcpPacket.FLAG_BROADCAST, nak.reply().flags() & DhcpPacket.FLAG_BROADCAST);
  }

  @Test
  void giaddrOutsideEverySubnetIsDropped() throws Exception {
    TestDhcpClient c = h.client();
    c.giaddr = Ipv4.parse("198.19.1.1");
    assertNull(c.discover().reply());
    assertEquals(1, h.drops(DropReason.NO_SUBNET));
  }
}
