package ovpnagent.link.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ovpnagent.util.Cidr;
import ovpnagent.util.HwAddr;
import ovpnagent.util.Ipv4;

/** Requests compared byte for byte with hand-computed encodings (little-endian host). */
class RtnlRequestsTest {
  @BeforeAll
  static void littleEndianHost() {
    assertEquals(ByteOrder.LITTLE_ENDIAN, ByteOrder.nativeOrder(), "expected bytes assume LE");
  }

  @Test
  void createBridge() {
    String expected =
        "38000000 1000 0506 01000000 00000000" // nlmsghdr len 56, RTM_NEWLINK, REQ|ACK|EXCL|CREATE
            + "00 00 0000 00000000 00000000 00000000" // ifinfomsg AF_UNSPEC, index 0
            + "0800 0300 62723000" // IFLA_IFNAME "br0\0"
            + "1000 1200" // IFLA_LINKINFO, len 16
            + "0b00 0100 627269646765 00 00"; // IFLA_INFO_KIND "bridge\0" + 1 pad byte
    assertEquals(Hex.of(Hex.of(expected)), Hex.of(RtnlRequests.newBridge("br0").build(1)));
  }

  @Test
  void setMaster() {
    String expected =
        "28000000 1300 0500 02000000 00000000" // len 40, RTM_SETLINK, REQUEST|ACK, seq 2
            + "00 00 0000 05000000 00000000 00000000" // index 5
            + "0800 0a00 03000000"; // IFLA_MASTER = 3
    assertEquals(Hex.of(Hex.of(expected)), Hex.of(RtnlRequests.setMaster(5, 3).build(2)));
  }

  @Test
  void setUp() {
    String expected =
        "20000000 1300 0500 03000000 00000000" + "00 00 0000 05000000 01000000 01000000";
    assertEquals(Hex.of(Hex.of(expected)), Hex.of(RtnlRequests.setUp(5).build(3)));
  }

  @Test
  void addAddress() {
    String expected =
        "30000000 1400 0506 04000000 00000000" // len 48, RTM_NEWADDR, REQ|ACK|EXCL|CREATE
            + "02 18 00 00 02000000" // ifaddrmsg AF_INET /24 scope 0 index 2
            + "0800 0200 c6120001" // IFA_LOCAL 198.18.0.1
            + "0800 0100 c6120001" // IFA_ADDRESS
            + "0800 0400 c61200ff"; // IFA_BROADCAST 198.18.0.255
    assertEquals(
        Hex.of(Hex.of(expected)),
        Hex.of(RtnlRequests.newAddress(2, Cidr.parse("198.18.0.1/24")).build(4)));
  }

  @Test
  void addPointToPointAddressHasNoBroadcast() {
    byte[] b = RtnlRequests.newAddress(2, Cidr.parse("198.18.0.1/32")).build(4);
    assertEquals(40, b.length);
  }

  @Test
  void replaceNeighbour() {
    String expected =
        "30000000 1c00 0505 05000000 00000000" // len 48, RTM_NEWNEIGH, REQ|ACK|REPLACE|CREATE
            + "02 00 0000 02000000 0200 00 00" // ndmsg AF_INET ifindex 2 NUD_REACHABLE
            + "0800 0100 c6120032" // NDA_DST 198.18.0.50
            + "0a00 0200 525400123456 0000"; // NDA_LLADDR + 2 pad bytes
    byte[] got =
        RtnlRequests.replaceNeighbour(
                2, Ipv4.parse("198.18.0.50"), HwAddr.parse("52:54:00:12:34:56"))
            .build(5);
    assertEquals(Hex.of(Hex.of(expected)), Hex.of(got));
  }

  @Test
  void replaceRouteMatchesIproute2() {
    // strace of `ip route replace 198.19.10.0/24 dev sitesbr0` (iproute2 6.1, ifindex 2).
    String expected =
        "2c000000 1800 0505 09000000 00000000" // len 44, RTM_NEWROUTE, REQ|ACK|REPLACE|CREATE
            + "02 18 00 00 fe 03 fd 01 00000000" // rtmsg AF_INET /24 main boot link unicast
            + "0800 0100 c6130a00" // RTA_DST 198.19.10.0
            + "0800 0400 02000000"; // RTA_OIF 2
    byte[] got = RtnlRequests.replaceRoute(2, Cidr.parse("198.19.10.7/24")).build(9);
    assertEquals(Hex.of(Hex.of(expected)), Hex.of(got));
  }

  @Test
  void dumpLinksAndGetLinkByName() {
    assertEquals(
        "20000000120001030600000000000000" + "00000000000000000000000000000000",
        Hex.of(RtnlRequests.dumpLinks().build(6)));
    assertEquals(
        "30000000120005000700000000000000"
            + "00000000000000000000000000000000"
            + "0d000300"
            + Hex.of("linktap0".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
            + "00000000",
        Hex.of(RtnlRequests.getLink("linktap0").build(7)));
  }

  @Test
  void deleteLinkByIndex() {
    assertEquals(
        "20000000110005000800000000000000" + "00000000090000000000000000000000",
        Hex.of(RtnlRequests.deleteLink(9).build(8)));
  }

  @Test
  void ifreqForTap() {
    String expected = "74617030 00000000 00000000 00000000 0210" + "00".repeat(22);
    assertEquals(
        Hex.of(Hex.of(expected)), Hex.of(TunTap.ifreq("tap0", TunTap.IFF_TAP | TunTap.IFF_NO_PI)));
  }

  @Test
  void nestedAttributesPatchBothLengths() {
    byte[] b =
        new NlMsgBuilder(99, 0)
            .begin(1)
            .begin(2)
            .attrU32(3, 0x01020304)
            .end()
            .attr(4, new byte[] {9})
            .end()
            .build(0);
    assertEquals(
        "28000000630000000000000000000000"
            + "18000100"
            + "0c000200"
            + "08000300"
            + "04030201"
            + "05000400"
            + "09000000",
        Hex.of(b));
  }

  @Test
  void badNamesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> RtnlRequests.newBridge("a-name-of-16-chr"));
    assertThrows(IllegalArgumentException.class, () -> RtnlRequests.getLink(""));
    assertThrows(IllegalArgumentException.class, () -> RtnlRequests.getLink("a/b"));
    assertThrows(IllegalStateException.class, () -> new NlMsgBuilder(1, 0).begin(1).build(0));
  }
}
