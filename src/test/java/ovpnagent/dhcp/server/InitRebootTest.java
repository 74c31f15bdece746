package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.util.Ipv4;

class InitRebootTest {
  private ServerHarness h;

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  void knownClientRebootingWithItsAddressIsAcked() throws Exception {
    h = new ServerHarness().start();
    TestDhcpClient c = h.client();
    int ip = c.doDora();
    var e = c.doInitReboot(ip);
    assertEquals(MessageType.ACK, e.type());
    assertEquals(ip, e.reply().yiaddr());
  }

  @Test
  void knownClientAskingForAnotherAddressIsNakedByBroadcast() throws Exception {
    h = new ServerHarness().start();
    TestDhcpClient c = h.client();
    int ip = c.doDora();
    var e = c.doInitReboot(ip + 1);
    assertEquals(MessageType.NAK, e.type());
    assertEquals(PacketIo.BROADCAST, e.sent().ip());
  }

  @Test
  void unknownClientGetsSilenceWhenNotAuthoritative() throws Exception {
    h = new ServerHarness().start();
    var e = h.client().doInitReboot(Ipv4.parse("198.18.0.120"));
    assertNull(e.reply());
    assertEquals(1, h.drops(DropReason.UNKNOWN_CLIENT));
    var other = h.client().doInitReboot(Ipv4.parse("10.9.9.9"));
    assertNull(other.reply());
    assertEquals(2, h.drops(DropReason.UNKNOWN_CLIENT));
  }

  @Test
  void unknownClientIsNakedForAWrongNetworkWhenAuthoritative() throws Exception {
    h = new ServerHarness();
    h.authoritative = true;
    h.start();
    var e = h.client().doInitReboot(Ipv4.parse("198.19.9.9"));
    assertEquals(MessageType.NAK, e.type());
    assertEquals(0, h.drops(DropReason.UNKNOWN_CLIENT));
  }

  @Test
  void unknownClientAskingForAnAddressInUseIsNakedWhenAuthoritative() throws Exception {
    h = new ServerHarness();
    h.authoritative = true;
    h.start();
    int taken = h.client().doDora();
    assertEquals(MessageType.NAK, h.client().doInitReboot(taken).type());
  }

  @Test
  void unknownClientAskingForAFreeAddressIsAckedWhenAuthoritative() throws Exception {
    h = new ServerHarness();
    h.authoritative = true;
    h.start();
    int free = Ipv4.parse("198.18.0.150");
    var e = h.client().doInitReboot(free);
    assertEquals(MessageType.ACK, e.type());
    assertEquals(free, e.reply().yiaddr());
  }
}
