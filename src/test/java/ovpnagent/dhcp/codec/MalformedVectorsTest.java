package ovpnagent.dhcp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Named malformed vectors, one per leniency rule of style.md practice 3: short header or wrong
 * cookie drops the packet; unknown options survive raw; a known option with a malformed body is
 * skipped and listed; a truncated option keeps what came before; bytes after END are ignored.
 */
class MalformedVectorsTest {
  /** A BOOTREQUEST header (xid 0x01020304, MAC 02:c0:de:00:00:01), the cookie, then {@code hex}. */
  static byte[] request(String optionsHex) {
    byte[] opts = HexFormat.of().parseHex(optionsHex.replace(" ", ""));
    byte[] b = new byte[DhcpCodec.OPTIONS_OFFSET + opts.length];
    b[0] = 1;
    b[1] = 1;
    b[2] = 6;
    b[4] = 1;
    b[5] = 2;
    b[6] = 3;
    b[7] = 4;
    byte[] mac = {2, (byte) 0xc0, (byte) 0xde, 0, 0, 1};
    System.arraycopy(mac, 0, b, 28, 6);
    DhcpCodec.putInt(b, DhcpCodec.HEADER_LENGTH, DhcpCodec.MAGIC_COOKIE);
    System.arraycopy(opts, 0, b, DhcpCodec.OPTIONS_OFFSET, opts.length);
    return b;
  }

  private static String onlyDefect(DhcpPacket p) {
    assertEquals(1, p.defects().size(), p.defects().toString());
    return p.defects().get(0);
  }

  // --- drop: short header ----------------------------------------------------------------------

  @Test
  void emptyPacket_isRejected() {
    MalformedPacketException e =
        assertThrows(MalformedPacketException.class, () -> DhcpCodec.decode(new byte[0]));
    assertEquals(
        "packet at offset 0: 0 bytes (expected at least 240: 236-byte header and magic"
            + " cookie)",
        e.getMessage());
    assertEquals(0, e.offset());
  }

  @Test
  void headerWithoutCookie_isRejected() {
    byte[] b = java.util.Arrays.copyOf(request("ff"), DhcpCodec.HEADER_LENGTH);
    MalformedPacketException e =
        assertThrows(MalformedPacketException.class, () -> DhcpCodec.decode(b));
    assertTrue(e.getMessage().contains("236 bytes (expected at least 240"), e.getMessage());
  }

  @Test
  void packetOneByteShortOfTheCookie_isRejected() {
    byte[] b = java.util.Arrays.copyOf(request("ff"), 239);
    assertThrows(MalformedPacketException.class, () -> DhcpCodec.decode(b));
  }

  @Test
  void decodeOfASlice_reportsOffsetsFromTheSliceStart() throws MalformedPacketException {
    byte[] pkt = request("3501013304000a");
    byte[] buf = new byte[pkt.length + 20];
    System.arraycopy(pkt, 0, buf, 10, pkt.length);
    DhcpPacket p = DhcpCodec.decode(buf, 10, pkt.length);
    assertEquals(MessageType.DISCOVER, p.messageType());
    assertEquals(
        "options: option 51 body (length 4) at offset 245: 2 bytes left (expected 4); options"
            + " before it kept",
        p.defects().get(0));
  }

  // --- drop: wrong cookie ----------------------------------------------------------------------

  @Test
  void wrongMagicCookie_isRejectedWithFoundAndExpected() {
    byte[] b = request("350101ff");
    b[DhcpCodec.HEADER_LENGTH + 3] = 0x64;
    MalformedPacketException e =
        assertThrows(MalformedPacketException.class, () -> DhcpCodec.decode(b));
    assertEquals("magic cookie at offset 236: 0x63825364 (expected 0x63825363)", e.getMessage());
    assertEquals(236, e.offset());
  }

  @Test
  void bootpVendorAreaWithoutCookie_isRejected() {
    byte[] b = request("350101ff");
    DhcpCodec.putInt(b, DhcpCodec.HEADER_LENGTH, 0);
    assertThrows(MalformedPacketException.class, () -> DhcpCodec.decode(b));
  }

  // --- keep raw: unknown option ----------------------------------------------------------------

  @Test
  void unknownOption_isKeptAsRawBytes() throws MalformedPacketException {
    DhcpPacket p = DhcpCodec.decode(request("350101 e00400ff0102 fa00 ff"));
    assertEquals(List.of(), p.defects());
    assertEquals(ByteString.ofHex("00ff0102"), p.options().bytes(224));
    assertEquals(0, p.options().length(250));
    assertEquals("option-224", OptionCode.name(224));
    byte[] again = DhcpCodec.encode(p);
    assertEquals(p.options(), DhcpCodec.decode(again).options());
  }

  // --- skip and list: known option with a malformed body ---------------------------------------

  @Test
  void leaseTimeWithTwoBytes_isSkippedAndListed() throws MalformedPacketException {
    DhcpPacket p = DhcpCodec.decode(request("350105 33020001 0304c612c801 ff"));
    assertEquals("option 51 at offset 243: length 2 (expected 4); skipped", onlyDefect(p));
    assertFalse(p.options().has(OptionCode.LEASE_TIME));
    assertEquals(MessageType.ACK, p.messageType());
    assertEquals(List.of(0xc612c801), p.options().ipv4List(OptionCode.ROUTER));
  }

  @Test
  void routerListNotAMultipleOfFour_isSkipped() throws MalformedPacketException {
    DhcpPacket p = DhcpCodec.decode(request("350102 0306c612c801c612 ff"));
    assertEquals(
        "option 3 at offset 243: length 6 (expected a multiple of 4); skipped", onlyDefect(p));
    assertFalse(p.options().has(OptionCode.ROUTER));
  }

  @Test
  void maxMessageSizeBelow576_isSkippedAsInvalid() throws MalformedPacketException {
    DhcpPacket p = DhcpCodec.decode(request("350101 390201f4 ff"));
    assertEquals(
        "option 57 at offset 243: value 500 (expected at least 576); skipped", onlyDefect(p));
    assertNull(p.options().maxMessageSize());
    assertEquals(DhcpCodec.DEFAULT_MAX_PAYLOAD, DhcpCodec.maxReplyLength(p));
  }

  @Test
  void clientIdOfOneByte_isSkipped() throws MalformedPacketException {
    DhcpPacket p = DhcpCodec.decode(request("350101 3d0101 ff"));
    assertEquals("option 61 at offset 243: length 1 (expected at least 2); skipped", onlyDefect(p));
    assertNull(p.options().clientId());
  }

  @Test
  void messageTypeOfTwoBytes_isSkippedSoThePacketHasNoType() throws MalformedPacketException {
    DhcpPacket p = DhcpCodec.decode(request("35020101 ff"));
    assertEquals("option 53 at offset 240: length 2 (expected 1); skipped", onlyDefect(p));
    assertNull(p.messageType());
  }

  @Test
  void booleanOptionWithValueTwo_isSkipped() throws MalformedPacketException {
    DhcpPacket p = DhcpCodec.decode(request("350101 130102 ff"));
    assertEquals("option 19 at offset 243: value 2 (expected 0 or 1); skipped", onlyDefect(p));
  }

  @Test
  void relayAgentInfoWithOverrunningSubOption_isSkipped() throws MalformedPacketException {
    DhcpPacket p =
        DhcpCodec.decode(request("350101 5204 0105616263 ff".replace("0105616263", "01056162")));
    assertEquals(
        "option 82 at offset 243: sub-option 1 at body offset 0 overruns the option (4 bytes"
            + " left); skipped",
        onlyDefect(p));
    assertNull(p.options().relayAgentInfo());
  }

  @Test
  void repeatedFixedLengthOption_concatenatesAndIsSkipped() throws MalformedPacketException {
    // RFC 3396 concatenates every repeated code; two message types make a 2-byte body.
    DhcpPacket p = DhcpCodec.decode(request("350101 350103 ff"));
    assertEquals("option 53 at offset 240: length 2 (expected 1); skipped", onlyDefect(p));
  }

  @Test
  void hlenAbove16_isListedNotDropped() throws MalformedPacketException {
    byte[] b = request("350101ff");
    b[2] = 20;
    DhcpPacket p = DhcpCodec.decode(b);
    assertEquals("hlen at offset 2: 20 (expected at most 16)", onlyDefect(p));
    assertNull(p.mac());
    assertEquals(MessageType.DISCOVER, p.messageType());
  }

  // --- keep what came before: truncated option -------------------------------------------------

  @Test
  void optionBodyTruncatedAtTheEnd_keepsTheOptionsBeforeIt() throws MalformedPacketException {
    DhcpPacket p = DhcpCodec.decode(request("350103 3204c612c864 0c0a616263"));
    assertEquals(
        "options: option 12 body (length 10) at offset 251: 3 bytes left (expected 10); options"
            + " before it kept",
        onlyDefect(p));
    assertEquals(MessageType.REQUEST, p.messageType());
    assertEquals(0xc612c864, p.options().requestedIp());
    assertFalse(p.options().has(OptionCode.HOST_NAME));
  }

  @Test
  void optionCodeWithoutLengthByte_keepsTheOptionsBeforeIt() throws MalformedPacketException {
    DhcpPacket p = DhcpCodec.decode(request("350101 0c"));
    assertEquals(
        "options: option 12 length at offset 244: 0 bytes left (expected 1); options before it"
            + " kept",
        onlyDefect(p));
    assertEquals(MessageType.DISCOVER, p.messageType());
  }

  @Test
  void missingEnd_isListed() throws MalformedPacketException {
    DhcpPacket p = DhcpCodec.decode(request("350101 0000"));
    assertEquals("options: no END option before the end of the packet", onlyDefect(p));
    assertEquals(MessageType.DISCOVER, p.messageType());
  }

  @Test
  void noOptionsAtAll_isAnOptionlessBootpPacket() throws MalformedPacketException {
    DhcpPacket p = DhcpCodec.decode(request(""));
    assertNull(p.messageType());
    assertEquals(0, p.options().size());
  }

  // --- ignore: bytes after END -----------------------------------------------------------------

  @Test
  void garbageAfterEnd_isIgnored() throws MalformedPacketException {
    DhcpPacket p = DhcpCodec.decode(request("350101 ff 3304deadbeef 0cffffff"));
    assertEquals(List.of(), p.defects());
    assertEquals(1, p.options().size());
    assertEquals(MessageType.DISCOVER, p.messageType());
  }

  // --- option 52 ---------------------------------------------------------------------------

  @Test
  void overloadWithValueFour_isListedAndFieldsAreNotParsed() throws MalformedPacketException {
    byte[] b = request("350101 340104 ff");
    b[DhcpCodec.FILE_OFFSET] = 0x0c; // would be option 12 if file were parsed
    b[DhcpCodec.FILE_OFFSET + 1] = 1;
    b[DhcpCodec.FILE_OFFSET + 2] = 'x';
    DhcpPacket p = DhcpCodec.decode(b);
    assertEquals("option 52 at offset 243: value 4 (expected 1, 2 or 3)", onlyDefect(p));
    assertFalse(p.options().has(OptionCode.HOST_NAME));
    assertEquals(0x0c, p.file().byteAt(0));
  }

  @Test
  void overloadInsideFile_isIgnoredAndListed() throws MalformedPacketException {
    byte[] b = request("350101 340101 ff");
    byte[] file = HexFormat.of().parseHex("3401020c0161ff");
    System.arraycopy(file, 0, b, DhcpCodec.FILE_OFFSET, file.length);
    b[DhcpCodec.SNAME_OFFSET] = 0x0f; // sname is not overloaded: not parsed
    DhcpPacket p = DhcpCodec.decode(b);
    assertEquals("option 52 at offset 108 in file: ignored (expected in options)", onlyDefect(p));
    assertEquals("a", p.options().string(OptionCode.HOST_NAME));
    assertEquals(0x0f, p.sname().byteAt(0));
  }

  @Test
  void truncatedOptionInOverloadedFile_keepsEarlierOptions() throws MalformedPacketException {
    byte[] b = request("350101 340101 ff");
    byte[] file = new byte[DhcpCodec.FILE_LENGTH];
    file[0] = 0x0c;
    file[1] = 3;
    file[2] = 'a';
    file[3] = 'b';
    file[4] = 'c';
    file[5] = 0x0f;
    file[6] = (byte) 200; // runs past the 128-byte field
    System.arraycopy(file, 0, b, DhcpCodec.FILE_OFFSET, file.length);
    DhcpPacket p = DhcpCodec.decode(b);
    assertEquals(
        "file: option 15 body (length 200) at offset 115: 121 bytes left (expected 200); options"
            + " before it kept",
        onlyDefect(p));
    assertEquals("abc", p.options().string(OptionCode.HOST_NAME));
  }
}
