package ovpnagent.dhcp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ovpnagent.dhcp.codec.CaptureFixtures.Exchange;
import ovpnagent.dhcp.codec.CaptureFixtures.Packet;
import ovpnagent.util.HwAddr;
import ovpnagent.util.Ipv4;

/**
 * Every real capture (dhclient, udhcpc, dhcpcd against kea-dhcp4; see each file's header and
 * integration-tests/capture/record-captures.sh) decodes cleanly, makes sense, and re-encodes to the
 * same bytes.
 *
 * <p>Comparison rule: clients and servers pad differently after END (dhclient, udhcpc and dhcpcd
 * pad to 300 bytes, Kea sends 298-byte replies unpadded, our encoder pads to 300 as RFC 1542 asks).
 * So the encoded form must equal the original byte for byte up to and including the END option, and
 * whatever follows END must be zero in both.
 */
class CaptureRoundTripTest {
  private static final HwAddr CLIENT_MAC = HwAddr.parse("02:c0:de:00:00:01");
  private static final int SERVER = Ipv4.parse("198.18.200.1");
  private static final int POOL_START = Ipv4.parse("198.18.200.100");
  private static final int POOL_END = Ipv4.parse("198.18.200.150");

  static List<Exchange> exchanges() {
    return CaptureFixtures.all();
  }

  @Test
  void capturesCoverEveryClientAndScenario() {
    Map<String, Set<String>> types = new HashMap<>();
    for (Exchange e : exchanges()) {
      for (Packet p : e.packets()) {
        types.computeIfAbsent(e.client(), k -> new TreeSet<>()).add(p.type());
      }
    }
    for (String client : List.of("dhclient", "udhcpc", "dhcpcd")) {
      assertEquals(
          Set.of("DISCOVER", "OFFER", "REQUEST", "ACK", "RELEASE"),
          types.get(client),
          client + " message types");
    }
    Set<String> names = exchanges().stream().map(Exchange::name).collect(Collectors.toSet());
    assertTrue(names.contains("udhcpc-renew"), names.toString());
    assertTrue(names.contains("dhclient-reboot"), names.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exchanges")
  void headerNamesClientScenarioToolAndDate(Exchange e) {
    String header = String.join("\n", e.header());
    assertTrue(
        header.matches("(?s).*client: " + e.client() + "\\b[^\\n]*\\d+\\.\\d+.*"),
        "client name and version: " + header);
    assertTrue(header.contains("scenario: "), header);
    assertTrue(header.contains("capture: ") && header.contains("tcpdump"), header);
    assertTrue(header.contains("date: 20"), header);
    assertTrue(header.contains("kea-dhcp4 2."), "server and version: " + header);
    assertFalse(e.packets().isEmpty(), "no packets in " + e);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exchanges")
  void decodesToSaneFields(Exchange e) throws MalformedPacketException {
    int xid = 0;
    boolean first = true;
    for (Packet raw : e.packets()) {
      DhcpPacket p = DhcpCodec.decode(raw.bytes());
      String where = e + " " + raw.label();
      assertEquals(List.of(), p.defects(), where);
      assertEquals(raw.type(), p.messageType().name(), where);
      assertEquals(raw.fromClient() ? DhcpPacket.BOOTREQUEST : DhcpPacket.BOOTREPLY, p.op(), where);
      assertEquals(CLIENT_MAC, p.mac(), where);
      if (first) {
        xid = p.xid();
        first = false;
      }
      assertEquals(xid, p.xid(), where + ": xid differs within the exchange");
      if (!raw.fromClient()) {
        assertEquals(SERVER, p.options().serverId(), where);
        assertTrue(inPool(p.yiaddr()), where + " yiaddr " + Ipv4.format(p.yiaddr()));
        assertEquals(120L, p.options().u32(OptionCode.LEASE_TIME), where);
        assertEquals(List.of(SERVER), p.options().ipv4List(OptionCode.ROUTER), where);
        assertEquals("codec.test", p.options().string(OptionCode.DOMAIN_NAME), where);
      }
      checkClientState(e, p, where);
    }
  }

  /** RFC 2131 §4.3.2 Table 4 / §4.4: the client states the server will have to tell apart. */
  private static void checkClientState(Exchange e, DhcpPacket p, String where) {
    MessageType t = p.messageType();
    if (t == MessageType.DISCOVER) {
      assertEquals(0, p.ciaddr(), where);
      assertTrue(p.options().parameterRequestList().length > 0, where + ": no option 55");
    } else if (t == MessageType.REQUEST && e.name().endsWith("-dora")) {
      assertEquals(SERVER, p.options().serverId(), where + " SELECTING needs option 54");
      assertTrue(inPool(p.options().requestedIp()), where + " SELECTING needs option 50");
      assertEquals(0, p.ciaddr(), where);
    } else if (t == MessageType.REQUEST && e.name().endsWith("-reboot")) {
      assertNull(p.options().serverId(), where + " INIT-REBOOT has no option 54");
      assertTrue(inPool(p.options().requestedIp()), where);
      assertEquals(0, p.ciaddr(), where);
    } else if (t == MessageType.REQUEST && e.name().endsWith("-renew")) {
      assertNull(p.options().serverId(), where + " RENEWING has no option 54");
      assertNull(p.options().requestedIp(), where + " RENEWING has no option 50");
      assertTrue(inPool(p.ciaddr()), where);
    } else if (t == MessageType.RELEASE) {
      assertTrue(inPool(p.ciaddr()), where + " RELEASE names the address in ciaddr");
      assertEquals(SERVER, p.options().serverId(), where);
    }
  }

  private static boolean inPool(Integer a) {
    return a != null
        && Integer.compareUnsigned(a, POOL_START) >= 0
        && Integer.compareUnsigned(a, POOL_END) <= 0;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exchanges")
  void reencodesToTheSameBytes(Exchange e) throws MalformedPacketException {
    for (Packet raw : e.packets()) {
      String where = e + " " + raw.label();
      byte[] original = raw.bytes();
      DhcpPacket p = DhcpCodec.decode(original);
      byte[] encoded = DhcpCodec.encode(p, DhcpCodec.maxReplyLength(p));
      int end = endOffset(original);
      assertEquals(end, endOffset(encoded), where + ": END at a different offset");
      assertArrayEquals(Arrays.copyOf(original, end + 1), Arrays.copyOf(encoded, end + 1), where);
      assertTrue(zeroFrom(original, end + 1), where + ": original has non-zero bytes after END");
      assertTrue(zeroFrom(encoded, end + 1), where + ": encoded has non-zero bytes after END");
      assertEquals(Math.max(DhcpCodec.MIN_REPLY_LENGTH, end + 1), encoded.length, where);
      assertEquals(p.options(), DhcpCodec.decode(encoded).options(), where);
    }
  }

  @Test
  void keaRepliesAreShorterThanRfc1542Minimum() throws MalformedPacketException {
    // A server-side vector: Kea 2.2 sends its OFFER unpadded (298 bytes); we pad ours to 300.
    Exchange dora =
        exchanges().stream()
            .filter(x -> x.name().equals("dhclient-dora"))
            .findFirst()
            .orElseThrow();
    Packet offer = dora.packets().get(1);
    assertEquals("OFFER", offer.type());
    DhcpPacket p = DhcpCodec.decode(offer.bytes());
    assertNotNull(p.options().u32(OptionCode.RENEWAL_TIME));
    assertTrue(offer.bytes().length < DhcpCodec.MIN_REPLY_LENGTH, "length " + offer.bytes().length);
    assertEquals(DhcpCodec.MIN_REPLY_LENGTH, DhcpCodec.encode(p).length);
    assertNotEquals(0, p.yiaddr());
  }

  /** The offset of the END option in the options field (walking the options, not searching). */
  static int endOffset(byte[] b) {
    int i = DhcpCodec.OPTIONS_OFFSET;
    while (i < b.length) {
      int code = b[i] & 0xff;
      if (code == OptionCode.END) {
        return i;
      }
      i += code == OptionCode.PAD ? 1 : 2 + (b[i + 1] & 0xff);
    }
    throw new AssertionError("no END option");
  }

  private static boolean zeroFrom(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
