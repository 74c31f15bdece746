package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.dhcp.codec.OptionCode;
import ovpnagent.util.Ipv4;

@ExtendWith(StartedHarness.class)
class InformTest {
  private ServerHarness h;

  @Test
  void informIsAckedToCiaddrWithoutLeaseTimeOrYiaddr() throws Exception {
    int ciaddr = Ipv4.parse("198.18.0.7");
    var e = h.client().doInform(ciaddr);
    assertEquals(MessageType.ACK, e.type());
    assertEquals(0, e.reply().yiaddr());
    assertEquals(ciaddr, e.reply().ciaddr());
    assertFalse(e.reply().options().has(OptionCode.LEASE_TIME));
    assertFalse(e.reply().options().has(OptionCode.RENEWAL_TIME));
    assertFalse(e.reply().options().has(OptionCode.REBINDING_TIME));
    assertTrue(e.reply().options().has(OptionCode.ROUTER));
    assertEquals(ServerHarness.SERVER, e.reply().options().ipv4(OptionCode.SERVER_ID));
    assertEquals(ciaddr, e.sent().ip());
    assertEquals(68, e.sent().port());
    assertEquals(0, h.service.leases().size(), "INFORM creates no lease");
  }
}
