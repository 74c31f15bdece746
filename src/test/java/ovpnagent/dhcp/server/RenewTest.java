package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.dhcp.codec.OptionCode;
import ovpnagent.store.LeaseState;
import ovpnagent.util.Ipv4;

@ExtendWith(StartedHarness.class)
class RenewTest {
  private ServerHarness h;

  @Test
  void renewingClientIsAckedByUnicastToCiaddrAndTheLeaseIsExtended() throws Exception {
    TestDhcpClient c = h.client();
    int ip = c.doDora();
    h.advance(Duration.ofMinutes(30));
    var e = c.doRenew();
    assertEquals(MessageType.ACK, e.type());
    assertEquals(ip, e.reply().yiaddr());
    assertEquals(ip, e.reply().ciaddr(), "ciaddr copied in ACK");
    assertEquals(3600L, e.reply().options().u32(OptionCode.LEASE_TIME));
    assertEquals(ip, e.sent().ip());
    assertEquals(68, e.sent().port());
    assertEquals(null, e.sent().mac());
    assertEquals(h.clock.millis() + 3_600_000, h.store.get(ip).orElseThrow().expiresAt());
  }

  @Test
  void renewingAnAddressOfAnotherClientIsNaked() throws Exception {
    TestDhcpClient a = h.client();
    TestDhcpClient b = h.client();
    a.doDora();
    int ipB = b.doDora();
    a.ip = ipB;
    var e = a.doRenew();
    assertEquals(MessageType.NAK, e.type());
    assertEquals(0, e.reply().yiaddr());
    assertEquals(0, e.reply().ciaddr());
    assertEquals(PacketIo.BROADCAST, e.sent().ip(), "a direct NAK is broadcast");
    assertEquals(b.mac.toString(), h.store.get(ipB).orElseThrow().clientKey());
  }

  @Test
  void renewAfterTheLeaseExpiredButBeforeReuseIsStillAcked() throws Exception {
    TestDhcpClient c = h.client();
    int ip = c.doDora();
    h.advance(Duration.ofHours(2));
    h.service.reclaimNow();
    assertEquals(MessageType.ACK, c.doRenew().type());
    assertEquals(ip, c.ip);
  }

  @Test
  void renewingClientUnknownToALostStoreIsBoundIfTheAddressIsFree() throws Exception {
    TestDhcpClient c = h.client();
    c.ip = Ipv4.parse("198.18.0.140");
    c.serverId = ServerHarness.SERVER;
    assertEquals(MessageType.ACK, c.doRenew().type(), "unicast to us: the lease was ours");
    assertEquals(LeaseState.BOUND, h.store.get(c.ip).orElseThrow().state());
    assertEquals(1, h.metrics.get("dhcp4.request.renewing"));
  }
}
