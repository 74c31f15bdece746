package ovpnagent.dhcp.server;

/**
 * The ICMP echo messages of the address probe (RFC 792), without I/O: builds an echo request and
 * recognises an echo reply to one of ours in what a raw IPv4 ICMP socket receives (IP header
 * included).
 */
final class IcmpEcho {
  static final int ECHO_REPLY = 0;
  static final int ECHO_REQUEST = 8;

  /** Bytes after the 8-byte ICMP header: a marker a capture can be grepped for. */
  private static final byte[] PAYLOAD =
      "ovpn-agent address probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private IcmpEcho() {}

  /** An echo request (type 8) with identifier {@code id} and sequence {@code seq}, checksummed. */
  static byte[] request(int id, int seq) {
    byte[] b = new byte[8 + PAYLOAD.length];
    b[0] = (byte) ECHO_REQUEST;
    b[4] = (byte) (id >>> 8);
    b[5] = (byte) id;
    b[6] = (byte) (seq >>> 8);
    b[7] = (byte) seq;
    System.arraycopy(PAYLOAD, 0, b, 8, PAYLOAD.length);
    int sum = checksum(b, 0, b.length);
    b[2] = (byte) (sum >>> 8);
    b[3] = (byte) sum;
    return b;
  }

  /**
   * The source address of {@code len} bytes of an IPv4 packet if it is an ICMP echo reply with
   * identifier {@code id} and a valid ICMP checksum; 0 for anything else (other types, other
   * identifiers, fragments, truncated or damaged packets).
   */
  static int replySource(byte[] pkt, int len, int id) {
    if (len < 20 || (pkt[0] & 0xf0) != 0x40) {
      return 0;
    }
    int ihl = (pkt[0] & 0x0f) * 4;
    int total = ((pkt[2] & 0xff) << 8) | (pkt[3] & 0xff);
    boolean fragment = (((pkt[6] & 0x1f) << 8) | (pkt[7] & 0xff)) != 0 || (pkt[6] & 0x20) != 0;
    if (ihl < 20 || pkt[9] != 1 || fragment || total > len || total < ihl + 8) {
      return 0;
    }
    if ((pkt[ihl] & 0xff) != ECHO_REPLY || pkt[ihl + 1] != 0) {
      return 0;
    }
    int gotId = ((pkt[ihl + 4] & 0xff) << 8) | (pkt[ihl + 5] & 0xff);
    if (gotId != (id & 0xffff) || checksum(pkt, ihl, total - ihl) != 0) {
      return 0;
    }
    return ((pkt[12] & 0xff) << 24)
        | ((pkt[13] & 0xff) << 16)
        | ((pkt[14] & 0xff) << 8)
        | (pkt[15] & 0xff);
  }

  /** The Internet checksum (RFC 1071) of {@code len} bytes at {@code off}; 0 over a valid one. */
  static int checksum(byte[] b, int off, int len) {
    long sum = 0;
    int i = off;
    for (; i + 1 < off + len; i += 2) {
      sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }
    if (i < off + len) {
      sum += (b[i] & 0xff) << 8;
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }
}
