package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import ovpnagent.util.HwAddr;
import ovpnagent.util.Ipv4;

class UdpPacketIoTest {
  @Test
  void arpreqLayoutMatchesLinuxStructArpreq() {
    byte[] b =
        UdpPacketIo.arpreq(Ipv4.parse("198.18.0.9"), HwAddr.parse("52:50:0e:2b:80:24"), "srv-br0");
    assertEquals(68, b.length);
    ByteBuffer n = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
    assertEquals(2, n.getShort(0), "arp_pa.sin_family AF_INET");
    assertEquals(Ipv4.parse("198.18.0.9"), ByteBuffer.wrap(b).getInt(4), "arp_pa address");
    assertEquals(1, n.getShort(16), "arp_ha.sa_family ARPHRD_ETHER");
    assertEquals(HwAddr.parse("52:50:0e:2b:80:24"), HwAddr.of(b, 18));
    assertEquals(0x02, n.getInt(32), "ATF_COM");
    assertEquals("srv-br0", new String(b, 52, 7, java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals(0, b[59]);
  }
}
