package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import ovpnagent.util.Ipv4;

/** The probe's ICMP echo codec: requests carry a valid checksum; only our echo replies count. */
class IcmpEchoTest {
  private static final int ID = 0xbeef;
  private static final int SRC = Ipv4.parse("198.18.12.100");

  /** An IPv4 packet from SRC carrying {@code icmp}, as a raw socket delivers it. */
  private static byte[] ipPacket(byte[] icmp) {
    byte[] p = new byte[20 + icmp.length];
    p[0] = 0x45;
    p[2] = (byte) (p.length >>> 8);
    p[3] = (byte) p.length;
    p[8] = 64;
    p[9] = 1;
    p[12] = (byte) (SRC >>> 24);
    p[13] = (byte) (SRC >>> 16);
    p[14] = (byte) (SRC >>> 8);
    p[15] = (byte) SRC;
    System.arraycopy(icmp, 0, p, 20, icmp.length);
    return p;
  }

  /** What a host answers to our request: type 0, same identifier, sequence and data. */
  private static byte[] reply(int id) {
    byte[] r = IcmpEcho.request(id, 7);
    r[0] = 0;
    r[2] = 0;
    r[3] = 0;
    int sum = IcmpEcho.checksum(r, 0, r.length);
    r[2] = (byte) (sum >>> 8);
    r[3] = (byte) sum;
    return r;
  }

  @Test
  void aRequestIsAnEchoRequestWithAValidChecksum() {
    byte[] r = IcmpEcho.request(ID, 0x1234);
    assertEquals(IcmpEcho.ECHO_REQUEST, r[0]);
    assertEquals(0, r[1]);
    assertEquals(ID, ((r[4] & 0xff) << 8) | (r[5] & 0xff));
    assertEquals(0x1234, ((r[6] & 0xff) << 8) | (r[7] & 0xff));
    assertEquals(0, IcmpEcho.checksum(r, 0, r.length));
  }

  @Test
  void checksumMatchesRfc1071Example() {
    // RFC 1071 §3: the sum of 0001 f203 f4f5 f6f7 is ddf2 (one's complement 220d)
    byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
    assertEquals(0x220d, IcmpEcho.checksum(b, 0, b.length));
    // an odd length pads with a zero byte
    assertEquals(
        IcmpEcho.checksum(new byte[] {1, 2, 3, 0}, 0, 4),
        IcmpEcho.checksum(new byte[] {1, 2, 3}, 0, 3));
  }

  @Test
  void ourEchoReplyGivesItsSource() {
    byte[] p = ipPacket(reply(ID));
    assertEquals(SRC, IcmpEcho.replySource(p, p.length, ID));
  }

  @Test
  void everythingElseIsNotAnAnswer() {
    byte[] ok = ipPacket(reply(ID));
    assertEquals(0, IcmpEcho.replySource(ipPacket(reply(ID + 1)), ok.length, ID), "other id");
    assertEquals(
        0, IcmpEcho.replySource(ipPacket(IcmpEcho.request(ID, 1)), ok.length, ID), "a request");
    byte[] damaged = ok.clone();
    damaged[damaged.length - 1] ^= 1;
    assertEquals(0, IcmpEcho.replySource(damaged, damaged.length, ID), "bad checksum");
    assertEquals(0, IcmpEcho.replySource(ok, 27, ID), "truncated");
    byte[] udp = ok.clone();
    udp[9] = 17;
    assertEquals(0, IcmpEcho.replySource(udp, udp.length, ID), "not ICMP");
    byte[] frag = ok.clone();
    frag[6] = 0x20;
    assertEquals(0, IcmpEcho.replySource(frag, frag.length, ID), "a first fragment");
    byte[] v6 = ok.clone();
    v6[0] = 0x65;
    assertEquals(0, IcmpEcho.replySource(v6, v6.length, ID), "not IPv4");
    assertEquals(0, IcmpEcho.replySource(Arrays.copyOf(ok, 10), 10, ID), "shorter than a header");
  }
}
