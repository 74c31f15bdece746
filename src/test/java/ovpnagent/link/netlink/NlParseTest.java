package ovpnagent.link.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import ovpnagent.util.Cidr;
import ovpnagent.util.HwAddr;
import ovpnagent.util.Ipv4;

/** Parsers against a captured kernel dump and hand-built replies. */
class NlParseTest {
  private static final String DUMP = "/link/netlink/getlink-dump.hex";

  @Test
  void capturedLinkDumpParses() throws Exception {
    List<byte[]> recvs = Hex.blocks(DUMP);
    assertEquals(3, recvs.size());
    List<NlMessage> all = new ArrayList<>();
    for (byte[] r : recvs) {
      all.addAll(NlMessage.parseAll(r, r.length));
    }
    assertEquals(4, all.size(), "lo, linkbr0, linktap0, NLMSG_DONE");
    for (NlMessage m : all) {
      assertEquals(7, m.seq());
      assertTrue((m.flags() & Rtnl.NLM_F_MULTI) != 0, m.toString());
    }
    assertEquals(Rtnl.NLMSG_DONE, all.get(3).type());
    assertEquals(0, all.get(3).body().getInt(0));

    LinkMessage lo = LinkMessage.parse(all.get(0));
    assertEquals("lo", lo.name());
    assertEquals(1, lo.index());
    assertEquals(65536, lo.mtu());
    assertEquals("", lo.kind());
    assertEquals(772, lo.arpType(), "ARPHRD_LOOPBACK");

    LinkMessage br = LinkMessage.parse(all.get(1));
    assertEquals("linkbr0", br.name());
    assertEquals(2, br.index());
    assertEquals("bridge", br.kind());
    assertEquals(0, br.master());
    assertEquals(1500, br.mtu());
    assertEquals(HwAddr.parse("52:be:e3:51:ea:57"), br.address());
    assertTrue((br.flags() & Rtnl.IFF_UP) != 0);
    assertEquals(0, br.flags() & Rtnl.IFF_LOWER_UP, "NO-CARRIER");
    assertEquals(2, br.operState(), "IF_OPER_DOWN");
    assertFalse(br.deleted());

    LinkMessage tap = LinkMessage.parse(all.get(2));
    assertEquals("linktap0", tap.name());
    assertEquals(3, tap.index());
    assertEquals("tun", tap.kind());
    assertEquals(2, tap.tunType(), "IFF_TAP");
    assertEquals(Rtnl.ARPHRD_ETHER, tap.arpType());
    assertEquals(2, tap.master(), "enslaved to linkbr0");
    assertTrue((tap.flags() & Rtnl.IFF_UP) != 0);
  }

  @Test
  void capturedDumpIsOneMessageAfterAnotherWithAlignment() throws Exception {
    byte[] r = Hex.blocks(DUMP).get(0);
    List<NlMessage> msgs = NlMessage.parseAll(r, r.length);
    int total = 0;
    for (NlMessage m : msgs) {
      total += Rtnl.align4(16 + m.bodyLength());
    }
    assertEquals(r.length, total);
  }

  @Test
  void addressMessageRoundTrip() throws Exception {
    byte[] b =
        new NlMsgBuilder(Rtnl.RTM_NEWADDR, Rtnl.NLM_F_MULTI)
            .ifAddr(Rtnl.AF_INET, 24, 0x80, 0, 4)
            .attrIpv4(Rtnl.IFA_ADDRESS, Ipv4.parse("198.18.0.1"))
            .attrIpv4(Rtnl.IFA_LOCAL, Ipv4.parse("198.18.0.1"))
            .attrString(Rtnl.IFA_LABEL, "linkbr0")
            .build(11);
    List<NlMessage> msgs = NlMessage.parseAll(b, b.length);
    assertEquals(1, msgs.size());
    AddrMessage a = AddrMessage.parse(msgs.get(0));
    assertEquals(Rtnl.AF_INET, a.family());
    assertEquals(24, a.prefixLen());
    assertEquals(4, a.index());
    assertEquals(Cidr.parse("198.18.0.1/24"), new Cidr(a.local(), a.prefixLen()));
    assertEquals("linkbr0", a.label());
  }

  @Test
  void errorWithExtendedAckCapped() throws Exception {
    byte[] text = "ipv4: Address already assigned\0".getBytes(StandardCharsets.US_ASCII);
    String hex =
        "48000000 0200 0003 04000000 78563412" // NLMSG_ERROR, flags CAPPED|ACK_TLVS, seq 4
            + "efffffff" // error -17
            + "30000000 1400 0506 04000000 00000000" // echoed request header only
            + "2300 0100"
            + Hex.of(text)
            + "00"; // NLMSGERR_ATTR_MSG, len 35, 1 pad byte
    byte[] b = Hex.of(hex);
    assertEquals(0x48, b.length, "16 header + 4 error + 16 echoed header + 36 TLV");
    NlError e = NlError.parse(NlMessage.parseAll(b, b.length).get(0));
    assertEquals(-17, e.error());
    assertEquals(4, e.requestSeq());
    assertEquals("ipv4: Address already assigned", e.message());
    assertFalse(e.isAck());
  }

  @Test
  void errorEchoingTheWholeRequestWithTlvs() throws Exception {
    byte[] req = RtnlRequests.newBridge("br0").build(9);
    byte[] kind = "Unknown device type\0".getBytes(StandardCharsets.US_ASCII);
    NlMsgBuilder b = new NlMsgBuilder(Rtnl.NLMSG_ERROR, Rtnl.NLM_F_ACK_TLVS);
    byte[] body = new byte[4 + req.length];
    body[0] = (byte) 0xa1; // -95 EOPNOTSUPP, little endian
    body[1] = (byte) 0xff;
    body[2] = (byte) 0xff;
    body[3] = (byte) 0xff;
    System.arraycopy(req, 0, body, 4, req.length);
    byte[] msg = withBody(b.build(9), body, new NlMsgBuilder(0, 0).attr(1, kind).build(0));
    NlError e = NlError.parse(NlMessage.parseAll(msg, msg.length).get(0));
    assertEquals(-95, e.error());
    assertEquals(9, e.requestSeq());
    assertEquals("Unknown device type", e.message());
  }

  @Test
  void plainAckHasNoMessage() throws Exception {
    byte[] b =
        Hex.of(
            "24000000 0200 0001 05000000 00000000 00000000 20000000 1300 0500 05000000 00000000");
    NlError e = NlError.parse(NlMessage.parseAll(b, b.length).get(0));
    assertTrue(e.isAck());
    assertNull(e.message());
  }

  @Test
  void malformedInputIsRejectedWithOffsets() throws Exception {
    byte[] shortHeader = Hex.of("10000000 0300");
    NetlinkParseException a =
        assertThrows(
            NetlinkParseException.class, () -> NlMessage.parseAll(shortHeader, shortHeader.length));
    assertTrue(a.getMessage().contains("offset 0"), a.getMessage());
    byte[] tooLong = Hex.of("20000000 0300 0000 00000000 00000000");
    NetlinkParseException b =
        assertThrows(
            NetlinkParseException.class, () -> NlMessage.parseAll(tooLong, tooLong.length));
    assertTrue(b.getMessage().contains("length 32"), b.getMessage());
    byte[] badAttr =
        Hex.of(
            "24000000 1000 0000 00000000 00000000"
                + "00000000 01000000 00000000 00000000 0200 0300");
    NlMessage m = NlMessage.parseAll(badAttr, badAttr.length).get(0);
    NetlinkParseException c = assertThrows(NetlinkParseException.class, () -> LinkMessage.parse(m));
    assertTrue(c.getMessage().contains("rtattr type 3"), c.getMessage());
    assertThrows(NetlinkParseException.class, () -> AddrMessage.parse(m));
  }

  private static byte[] withBody(byte[] header, byte[] body, byte[] tlvWithHeader) {
    int tlvLen = tlvWithHeader.length - 16;
    byte[] out = new byte[16 + body.length + tlvLen];
    System.arraycopy(header, 0, out, 0, 16);
    System.arraycopy(body, 0, out, 16, body.length);
    System.arraycopy(tlvWithHeader, 16, out, 16 + body.length, tlvLen);
    out[0] = (byte) out.length;
    out[1] = (byte) (out.length >> 8);
    return out;
  }
}
