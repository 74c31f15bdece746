package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.util.Ipv4;

@ExtendWith(StartedHarness.class)
class ReplyAddressingTest {
  private ServerHarness h;

  @Test
  void broadcastFlagGivesABroadcastReply() throws Exception {
    var e = h.client().discover();
    assertEquals(PacketIo.BROADCAST, e.sent().ip());
    assertEquals(68, e.sent().port());
    assertNull(e.sent().mac());
  }

  @Test
  void withoutBroadcastFlagTheReplyIsUnicastToYiaddrAtChaddr() throws Exception {
    TestDhcpClient c = h.client();
    c.broadcastFlag = false;
    var e = c.discover();
    assertEquals(e.reply().yiaddr(), e.sent().ip());
    assertEquals(68, e.sent().port());
    assertEquals(c.mac, e.sent().mac());
    var ack = c.requestSelecting(e.reply().yiaddr(), ServerHarness.SERVER);
    assertEquals(MessageType.ACK, ack.type());
    assertEquals(c.mac, ack.sent().mac());
  }

  @Test
  void ciaddrGivesAUnicastToCiaddr() throws Exception {
    TestDhcpClient c = h.client();
    c.doDora();
    c.broadcastFlag = true;
    var e = c.doRebind();
    assertEquals(c.ip, e.sent().ip());
    assertNull(e.sent().mac());
  }

  @Test
  void directNakIsBroadcastEvenWithoutTheFlag() throws Exception {
    TestDhcpClient c = h.client();
    c.doDora();
    c.broadcastFlag = false;
    var e = c.doInitReboot(Ipv4.parse("198.18.0.99"));
    assertEquals(MessageType.NAK, e.type());
    assertEquals(PacketIo.BROADCAST, e.sent().ip());
    assertEquals(0, e.reply().flags());
  }
}
