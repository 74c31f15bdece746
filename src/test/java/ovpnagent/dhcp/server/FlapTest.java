package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ovpnagent.dhcp.codec.MessageType;

@ExtendWith(StartedHarness.class)
class FlapTest {
  private ServerHarness h;

  private TestDhcpClient.Exchange discoverWithXid(TestDhcpClient c, int xid) throws Exception {
    c.xid = xid;
    return c.send(c.packet(c.options(MessageType.DISCOVER), 0).build());
  }

  @Test
  void aNewDiscoverInsideTheFlapWindowIsDropped() throws Exception {
    TestDhcpClient c = h.client();
    assertEquals(MessageType.OFFER, discoverWithXid(c, 1).type());
    h.advance(Duration.ofMillis(500));
    assertNull(discoverWithXid(c, 2).reply());
    assertEquals(1, h.drops(DropReason.FLAPPING));
    h.advance(Duration.ofMillis(600));
    assertEquals(MessageType.OFFER, discoverWithXid(c, 3).type());
  }

  @Test
  void aRetransmissionWithTheSameXidIsAnswered() throws Exception {
    TestDhcpClient c = h.client();
    int first = discoverWithXid(c, 7).reply().yiaddr();
    h.advance(Duration.ofMillis(300));
    var again = discoverWithXid(c, 7);
    assertEquals(MessageType.OFFER, again.type());
    assertEquals(first, again.reply().yiaddr());
    assertEquals(0, h.drops(DropReason.FLAPPING));
  }
}
