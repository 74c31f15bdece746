package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.util.HwAddr;
import ovpnagent.util.Ipv4;

class ReservationTest {
  private static final HwAddr RESERVED_MAC = HwAddr.parse("52:50:0e:2b:80:24");
  private ServerHarness h;

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  void reservedClientGetsItsAddressInsideOrOutsideThePool() throws Exception {
    h = new ServerHarness();
    int inPool = Ipv4.parse("198.18.0.150");
    int outside = Ipv4.parse("198.18.0.20");
    h.reservations.put(RESERVED_MAC.toString(), inPool);
    h.reservations.put("id:00aabb", outside);
    h.start();
    assertEquals(inPool, h.client(RESERVED_MAC).doDora());
    TestDhcpClient byId = h.client();
    byId.clientId = new byte[] {0, (byte) 0xaa, (byte) 0xbb};
    assertEquals(outside, byId.doDora());
    assertEquals(MessageType.ACK, byId.doRenew().type());
  }

  @Test
  void aReservedAddressNeverGoesToAnyoneElse() throws Exception {
    h = new ServerHarness();
    h.poolEnd = h.poolStart + 2;
    int reserved = h.poolStart + 1;
    h.reservations.put(RESERVED_MAC.toString(), reserved);
    h.start();
    TestDhcpClient other = h.client();
    assertNotEquals(reserved, other.discover(reserved).reply().yiaddr());
    assertEquals(MessageType.NAK, other.requestSelecting(reserved, ServerHarness.SERVER).type());
    other.doDora();
    h.client().doDora();
    assertNull(h.client().discover().reply(), "only the reserved address is left");
    assertEquals(reserved, h.client(RESERVED_MAC).doDora());
  }

  @Test
  void aReservedClientAskingForAnotherAddressIsNaked() throws Exception {
    h = new ServerHarness();
    h.authoritative = true;
    h.reservations.put(RESERVED_MAC.toString(), Ipv4.parse("198.18.0.150"));
    h.start();
    var e = h.client(RESERVED_MAC).doInitReboot(Ipv4.parse("198.18.0.151"));
    assertEquals(MessageType.NAK, e.type());
  }
}
