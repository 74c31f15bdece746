package ovpnagent.dhcp.codec.option;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import ovpnagent.dhcp.codec.ByteString;
import ovpnagent.util.Cidr;
import ovpnagent.util.Ipv4;

class OptionViewsTest {
  @Test
  void relayAgentInfo_parsesSubOptionsAndRebuildsTheSameBytes() {
    ByteString body = ByteString.ofHex("0104657468300206aabbccddeeff0504c612c9000b04c612c901");
    RelayAgentInfo rai = RelayAgentInfo.parse(body);
    assertEquals(4, rai.subOptions().size());
    assertEquals(ByteString.ofHex("65746830"), rai.circuitId());
    assertEquals(ByteString.ofHex("aabbccddeeff"), rai.remoteId());
    assertEquals(Ipv4.parse("198.18.201.0"), rai.linkSelection());
    assertEquals(Ipv4.parse("198.18.201.1"), rai.serverIdOverride());
    assertEquals(body, rai.toBytes());
  }

  @Test
  void relayAgentInfo_withOverrunningSubOption_isNull() {
    assertNull(RelayAgentInfo.parse(ByteString.ofHex("0105616263")));
    assertNull(RelayAgentInfo.parse(ByteString.ofHex("01")));
    assertNull(RelayAgentInfo.parse(null));
  }

  @Test
  void classlessRoutes_encodeLikeRfc3442Examples() {
    // RFC 3442 §2: 0 -> 1 byte, /8 -> 1 octet, /24 -> 3 octets, /32 -> 4 octets.
    byte[] b =
        ClasslessRoutes.encode(
            List.of(
                new ClasslessRoutes.Route(Cidr.parse("0.0.0.0/0"), Ipv4.parse("198.18.200.1")),
                new ClasslessRoutes.Route(Cidr.parse("10.1.2.3/8"), Ipv4.parse("198.18.200.2")),
                new ClasslessRoutes.Route(Cidr.parse("198.19.5.0/24"), 0),
                new ClasslessRoutes.Route(
                    Cidr.parse("198.19.6.7/32"), Ipv4.parse("198.18.200.3"))));
    assertArrayEquals(
        HexFormat.of()
            .parseHex("00c612c801" + "080ac612c802" + "18c6130500000000" + "20c6130607c612c803"),
        b);
    List<ClasslessRoutes.Route> back = ClasslessRoutes.decode(b);
    assertEquals(4, back.size());
    assertEquals(Cidr.parse("10.0.0.0/8"), back.get(1).destination());
    assertEquals(Ipv4.parse("198.18.200.3"), back.get(3).router());
  }

  @Test
  void classlessRoutes_malformedBodies_areNull() {
    assertNull(ClasslessRoutes.decode(new byte[0]));
    assertNull(ClasslessRoutes.decode(HexFormat.of().parseHex("21000000000000000000")));
    assertNull(ClasslessRoutes.decode(HexFormat.of().parseHex("18c61305c612c8")));
  }
}
