package ovpnagent.dhcp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import ovpnagent.util.HwAddr;
import ovpnagent.util.Ipv4;

/** Round trips, the 300-byte minimum, RFC 3396 long options and option overload (RFC 2131 §4.1). */
class DhcpCodecTest {
  private static final HwAddr MAC = HwAddr.parse("52:50:0e:2b:80:24");
  private static final int SERVER = Ipv4.parse("198.18.200.1");

  private static DhcpOptions.Builder ackOptions() {
    return DhcpOptions.builder()
        .messageType(MessageType.ACK)
        .putIpv4(OptionCode.SERVER_ID, SERVER)
        .putU32(OptionCode.LEASE_TIME, 3600)
        .putIpv4(OptionCode.SUBNET_MASK, Ipv4.parse("255.255.255.0"))
        .putIpv4List(OptionCode.ROUTER, List.of(SERVER));
  }

  private static DhcpPacket ack(DhcpOptions options) {
    return DhcpPacket.builder()
        .op(DhcpPacket.BOOTREPLY)
        .xid(0x1234abcd)
        .secs(3)
        .flags(DhcpPacket.FLAG_BROADCAST)
        .ciaddr(0)
        .yiaddr(Ipv4.parse("198.18.200.120"))
        .siaddr(SERVER)
        .giaddr(Ipv4.parse("198.18.201.1"))
        .hops(1)
        .mac(MAC)
        .options(options)
        .build();
  }

  private static void assertSameMessage(DhcpPacket expected, DhcpPacket actual) {
    assertEquals(expected.op(), actual.op());
    assertEquals(expected.htype(), actual.htype());
    assertEquals(expected.hlen(), actual.hlen());
    assertEquals(expected.hops(), actual.hops());
    assertEquals(expected.xid(), actual.xid());
    assertEquals(expected.secs(), actual.secs());
    assertEquals(expected.flags(), actual.flags());
    assertEquals(expected.ciaddr(), actual.ciaddr());
    assertEquals(expected.yiaddr(), actual.yiaddr());
    assertEquals(expected.siaddr(), actual.siaddr());
    assertEquals(expected.giaddr(), actual.giaddr());
    assertEquals(expected.chaddr(), actual.chaddr());
    assertEquals(expected.options(), actual.options());
    assertEquals(List.of(), actual.defects());
  }

  @Test
  void smallReply_roundTripsAndIsPaddedTo300Bytes() throws MalformedPacketException {
    DhcpPacket p = ack(ackOptions().build());
    byte[] b = DhcpCodec.encode(p);
    assertEquals(DhcpCodec.MIN_REPLY_LENGTH, b.length);
    int end = CaptureRoundTripTest.endOffset(b);
    assertEquals(DhcpCodec.OPTIONS_OFFSET + 3 + 6 + 6 + 6 + 6, end);
    for (int i = end + 1; i < b.length; i++) {
      assertEquals(0, b[i], "padding byte " + i);
    }
    DhcpPacket back = DhcpCodec.decode(b);
    assertSameMessage(p, back);
    assertEquals(MAC, back.mac());
    assertTrue(back.broadcastFlag());
    assertEquals(ByteString.of(new byte[64]), back.sname());
  }

  @Test
  void headerFieldsLandAtTheirRfc2131Offsets() {
    byte[] b = DhcpCodec.encode(ack(ackOptions().build()));
    assertEquals(2, b[0]);
    assertEquals(1, b[1]);
    assertEquals(6, b[2]);
    assertEquals(1, b[3]);
    assertArrayEquals(
        new byte[] {0x12, 0x34, (byte) 0xab, (byte) 0xcd}, Arrays.copyOfRange(b, 4, 8));
    assertArrayEquals(new byte[] {0, 3, (byte) 0x80, 0}, Arrays.copyOfRange(b, 8, 12));
    assertArrayEquals(new byte[] {(byte) 198, 18, (byte) 200, 120}, Arrays.copyOfRange(b, 16, 20));
    assertArrayEquals(new byte[] {(byte) 198, 18, (byte) 201, 1}, Arrays.copyOfRange(b, 24, 28));
    assertEquals(0x52, b[28]);
    assertArrayEquals(new byte[] {0x63, (byte) 0x82, 0x53, 0x63}, Arrays.copyOfRange(b, 236, 240));
    assertArrayEquals(new byte[] {53, 1, 5}, Arrays.copyOfRange(b, 240, 243));
  }

  @Test
  void snameAndFileRoundTripWhenNotOverloaded() throws MalformedPacketException {
    byte[] file = new byte[128];
    System.arraycopy("pxelinux.0".getBytes(), 0, file, 0, 10);
    DhcpPacket p = ack(ackOptions().build()).toBuilder().file(ByteString.of(file)).build();
    DhcpPacket back = DhcpCodec.decode(DhcpCodec.encode(p));
    assertEquals(ByteString.of(file), back.file());
  }

  @Test
  void relayAgentInfo_isEncodedLastEvenWhenPutFirst() throws MalformedPacketException {
    ByteString rai = ByteString.ofHex("0104657468300206aabbccddeeff");
    DhcpOptions o =
        DhcpOptions.builder()
            .put(OptionCode.RELAY_AGENT_INFO, rai)
            .messageType(MessageType.OFFER)
            .putIpv4(OptionCode.SERVER_ID, SERVER)
            .build();
    byte[] b = DhcpCodec.encode(ack(o));
    int end = CaptureRoundTripTest.endOffset(b);
    int raiAt = end - 2 - rai.length();
    assertEquals(OptionCode.RELAY_AGENT_INFO, b[raiAt] & 0xff);
    assertEquals(rai, ByteString.of(b, raiAt + 2, rai.length()));
    assertEquals(OptionCode.MESSAGE_TYPE, b[DhcpCodec.OPTIONS_OFFSET]);
    assertEquals(rai, DhcpCodec.decode(b).options().relayAgentInfo());
  }

  @Test
  void optionOf600Bytes_isSplitIntoThreeInstancesAndConcatenatedBack()
      throws MalformedPacketException {
    byte[] body = new byte[600];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) i;
    }
    DhcpOptions o = ackOptions().put(OptionCode.VENDOR_SPECIFIC, body).build();
    DhcpPacket p = ack(o);
    byte[] b = DhcpCodec.encode(p, 1472);
    // Three instances: 255 + 255 + 90 bytes.
    int at = DhcpCodec.OPTIONS_OFFSET + 3 + 6 + 6 + 6 + 6;
    assertEquals(43, b[at] & 0xff);
    assertEquals(255, b[at + 1] & 0xff);
    assertEquals(43, b[at + 257] & 0xff);
    assertEquals(255, b[at + 258] & 0xff);
    assertEquals(43, b[at + 514] & 0xff);
    assertEquals(90, b[at + 515] & 0xff);
    assertEquals(OptionCode.END, b[at + 516 + 90] & 0xff);
    assertFalse(DhcpCodec.decode(b).options().has(OptionCode.OVERLOAD));
    assertSameMessage(p, DhcpCodec.decode(b));
  }

  @Test
  void splitInstancesOnTheWire_areConcatenatedInOrder() throws MalformedPacketException {
    DhcpPacket p =
        DhcpCodec.decode(MalformedVectorsTest.request("350101 0c03616263 0f0178 0c026465 ff"));
    assertEquals("abcde", p.options().string(OptionCode.HOST_NAME));
    assertEquals("x", p.options().string(OptionCode.DOMAIN_NAME));
    assertArrayEquals(new int[] {53, 12, 15}, p.options().codes());
  }

  @Test
  void overloadedPacket_isReadOptionsThenFileThenSname() throws MalformedPacketException {
    byte[] b = MalformedVectorsTest.request("350101 340103 0c026162 ff");
    byte[] file = {0x0c, 2, 'c', 'd', 0x0f, 1, 'f', (byte) 0xff};
    byte[] sname = {0x0c, 2, 'e', 'f', (byte) 0xff};
    System.arraycopy(file, 0, b, DhcpCodec.FILE_OFFSET, file.length);
    System.arraycopy(sname, 0, b, DhcpCodec.SNAME_OFFSET, sname.length);
    DhcpPacket p = DhcpCodec.decode(b);
    assertEquals(List.of(), p.defects());
    assertEquals("abcdef", p.options().string(OptionCode.HOST_NAME));
    assertEquals("f", p.options().string(OptionCode.DOMAIN_NAME));
    assertFalse(p.options().has(OptionCode.OVERLOAD));
    assertTrue(p.file().isZero(), "overloaded file is not a file name");
    assertTrue(p.sname().isZero(), "overloaded sname is not a server name");
  }

  @Test
  void overloadOfFileOnly_leavesSnameAlone() throws MalformedPacketException {
    byte[] b = MalformedVectorsTest.request("350101 340101 ff");
    byte[] file = {0x0c, 1, 'h', (byte) 0xff};
    System.arraycopy(file, 0, b, DhcpCodec.FILE_OFFSET, file.length);
    byte[] sname = "server.example".getBytes();
    System.arraycopy(sname, 0, b, DhcpCodec.SNAME_OFFSET, sname.length);
    DhcpPacket p = DhcpCodec.decode(b);
    assertEquals("h", p.options().string(OptionCode.HOST_NAME));
    assertEquals(ByteString.of(Arrays.copyOfRange(b, 44, 108)), p.sname());
  }

  /**
   * The ACK options plus {@code n} unknown options of 12 wire bytes each. With n = 36 and option
   * 82, 22 fit in the options field (548 - 240 - 52 - 53 - 82 - END), 10 in file and 4 in sname.
   */
  private static DhcpOptions.Builder bigReply(int n) {
    DhcpOptions.Builder o = ackOptions();
    for (int c = 200; c < 200 + n; c++) {
      byte[] body = new byte[10];
      Arrays.fill(body, (byte) c);
      o.put(c, body);
    }
    return o;
  }

  @Test
  void replyOverTheDefaultLimit_spillsIntoFileAndSnameWithOption52()
      throws MalformedPacketException {
    DhcpOptions o =
        bigReply(36).put(OptionCode.RELAY_AGENT_INFO, ByteString.ofHex("0102aabb")).build();
    DhcpPacket p = ack(o);
    byte[] b = DhcpCodec.encode(p);
    assertTrue(b.length <= DhcpCodec.DEFAULT_MAX_PAYLOAD, "length " + b.length);
    assertArrayEquals(new byte[] {52, 1, 3}, Arrays.copyOfRange(b, 240, 243));
    assertArrayEquals(new byte[] {53, 1, 5}, Arrays.copyOfRange(b, 243, 246));
    int end = CaptureRoundTripTest.endOffset(b);
    assertArrayEquals(
        new byte[] {82, 4, 1, 2, (byte) 0xaa, (byte) 0xbb}, Arrays.copyOfRange(b, end - 6, end));
    assertEquals(OptionCode.END, b[DhcpCodec.FILE_OFFSET + 120] & 0xff, "file: 10 options, END");
    assertEquals(OptionCode.END, b[DhcpCodec.SNAME_OFFSET + 48] & 0xff, "sname: 4 options, END");
    DhcpPacket back = DhcpCodec.decode(b);
    assertEquals(List.of(), back.defects());
    assertEquals(o.codes().length, back.options().size());
    for (int c : o.codes()) {
      assertEquals(o.bytes(c), back.options().bytes(c), "option " + c);
    }
  }

  @Test
  void replyWithinTheClientsMaxMessageSize_isNotOverloaded() throws MalformedPacketException {
    DhcpPacket request = DhcpCodec.decode(MalformedVectorsTest.request("350103 390205dc ff"));
    assertEquals(1500 - 28, DhcpCodec.maxReplyLength(request));
    DhcpPacket p = ack(bigReply(36).build());
    byte[] b = DhcpCodec.encode(p, DhcpCodec.maxReplyLength(request));
    assertTrue(b.length > DhcpCodec.DEFAULT_MAX_PAYLOAD);
    assertEquals(53, b[240]);
    assertSameMessage(p, DhcpCodec.decode(b));
  }

  @Test
  void fileInUse_isNotUsedForOverload() throws MalformedPacketException {
    byte[] file = new byte[128];
    file[0] = 'x';
    DhcpOptions o = bigReply(26).build();
    DhcpPacket p = ack(o).toBuilder().file(ByteString.of(file)).build();
    byte[] b = DhcpCodec.encode(p);
    assertTrue(b.length <= DhcpCodec.DEFAULT_MAX_PAYLOAD);
    assertArrayEquals(new byte[] {52, 1, 2}, Arrays.copyOfRange(b, 240, 243));
    DhcpPacket back = DhcpCodec.decode(b);
    assertEquals(ByteString.of(file), back.file());
    assertEquals(o, back.options());
  }

  @Test
  void optionTooLongForAnyAreaAlone_isSplitAcrossAreas() throws MalformedPacketException {
    byte[] big = new byte[400];
    Arrays.fill(big, (byte) 7);
    DhcpOptions o = ackOptions().put(OptionCode.VENDOR_SPECIFIC, big).build();
    DhcpPacket p = ack(o);
    byte[] b = DhcpCodec.encode(p);
    assertTrue(b.length <= DhcpCodec.DEFAULT_MAX_PAYLOAD);
    assertEquals(52, b[240]);
    assertSameMessage(p, DhcpCodec.decode(b));
  }

  @Test
  void optionsThatCannotFitEvenWithOverload_areRefused() {
    DhcpOptions o = ackOptions().put(OptionCode.VENDOR_SPECIFIC, new byte[700]).build();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DhcpCodec.encode(ack(o)));
    assertTrue(e.getMessage().contains("option 43"), e.getMessage());
  }

  @Test
  void relayAgentInfoTooLongForTheOptionsField_isRefused() throws MalformedPacketException {
    DhcpOptions o = ackOptions().put(OptionCode.RELAY_AGENT_INFO, new byte[300]).build();
    DhcpOptions big = bigReply(36).put(OptionCode.RELAY_AGENT_INFO, new byte[300]).build();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DhcpCodec.encode(ack(big)));
    assertTrue(e.getMessage().startsWith("options 53 and 82 need 307 bytes"), e.getMessage());
    byte[] wire = DhcpCodec.encode(ack(o), 1472);
    int end = CaptureRoundTripTest.endOffset(wire);
    assertEquals(OptionCode.RELAY_AGENT_INFO, wire[end - 47] & 0xff, "second 82 instance last");
    assertEquals(45, wire[end - 46] & 0xff);
    assertEquals(300, DhcpCodec.decode(wire).options().relayAgentInfo().length());
  }

  @Test
  void messageTypePutLast_staysInTheOptionsFieldWhenOverloaded() throws MalformedPacketException {
    DhcpOptions.Builder b = bigReply(36);
    b.remove(OptionCode.MESSAGE_TYPE);
    b.messageType(MessageType.OFFER);
    DhcpOptions o = b.build();
    assertEquals(OptionCode.MESSAGE_TYPE, o.codes()[o.size() - 1]);
    byte[] wire = DhcpCodec.encode(ack(o));
    assertArrayEquals(new byte[] {52, 1, 3, 53, 1, 2}, Arrays.copyOfRange(wire, 240, 246));
    assertEquals(MessageType.OFFER, DhcpCodec.decode(wire).messageType());
  }

  @Test
  void option52InTheOptionSet_isIgnoredByTheEncoder() throws MalformedPacketException {
    DhcpOptions o = ackOptions().putU8(OptionCode.OVERLOAD, 3).build();
    DhcpPacket back = DhcpCodec.decode(DhcpCodec.encode(ack(o)));
    assertFalse(back.options().has(OptionCode.OVERLOAD));
    assertEquals(List.of(), back.defects());
  }

  @Test
  void maxReplyLength_followsOption57() throws MalformedPacketException {
    assertEquals(548, DhcpCodec.maxReplyLength(ack(ackOptions().build())));
    DhcpPacket p576 = ack(ackOptions().putU16(OptionCode.MAX_MESSAGE_SIZE, 576).build());
    assertEquals(548, DhcpCodec.maxReplyLength(p576));
    DhcpPacket p400 = ack(ackOptions().putU16(OptionCode.MAX_MESSAGE_SIZE, 400).build());
    assertEquals(548, DhcpCodec.maxReplyLength(p400), "values below 576 are invalid");
    DhcpPacket p1500 = ack(ackOptions().putU16(OptionCode.MAX_MESSAGE_SIZE, 1500).build());
    assertEquals(1472, DhcpCodec.maxReplyLength(p1500));
    assertEquals(1500, DhcpCodec.decode(DhcpCodec.encode(p1500)).options().maxMessageSize());
  }

  @Test
  void parameterRequestListAndClientId_decode() throws MalformedPacketException {
    DhcpPacket p =
        DhcpCodec.decode(MalformedVectorsTest.request("350101 370401030f06 3d070102c0de000001 ff"));
    assertArrayEquals(new int[] {1, 3, 15, 6}, p.options().parameterRequestList());
    assertEquals(ByteString.ofHex("0102c0de000001"), p.options().clientId());
  }

  @Test
  void optionCodeNames_coverRfc2132AndFallBackForUnknownCodes() {
    assertEquals("routers", OptionCode.name(OptionCode.ROUTER));
    assertEquals("relay-agent-information", OptionCode.name(82));
    assertEquals("option-200", OptionCode.name(200));
    assertEquals("option-300", OptionCode.name(300));
    for (int c = 0; c <= 61; c++) {
      assertFalse(OptionCode.name(c).equals("option-" + c), "RFC 2132 code " + c);
    }
  }
}
