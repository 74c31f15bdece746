package ovpnagent.dhcp.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Bytes to {@link DhcpPacket} and back (RFC 2131 §2, RFC 2132, RFC 3396 long options, RFC 1542
 * minimum size). No I/O, no logging, no clock.
 *
 * <p>Leniency comes in grades: a packet shorter than the 236-byte header plus cookie or with a
 * wrong magic cookie is rejected with {@link MalformedPacketException}; an unknown option is kept
 * as raw bytes; a known option with a malformed body is skipped and noted in {@link
 * DhcpPacket#defects()}; an option truncated at the end of its area keeps everything parsed before
 * it; bytes after END are ignored. Options are read in the order options, then {@code file}, then
 * {@code sname} when option 52 says so, and repeated instances of one code are concatenated (RFC
 * 3396).
 */
public final class DhcpCodec {
  /** Fixed BOOTP header length, without the magic cookie. */
  public static final int HEADER_LENGTH = 236;

  /** Offset of the first option, after the header and the magic cookie. */
  public static final int OPTIONS_OFFSET = 240;

  /** RFC 1542 §2.1: the smallest BOOTP message a server sends. */
  public static final int MIN_REPLY_LENGTH = 300;

  /** RFC 2131 §2: what a client must accept without option 57. */
  public static final int DEFAULT_MAX_MESSAGE = 576;

  /** IPv4 (20) + UDP (8) headers, subtracted from option 57 to get the DHCP payload limit. */
  public static final int IP_UDP_OVERHEAD = 28;

  /** The DHCP payload every client accepts: 576 - 28 = 548 bytes. */
  public static final int DEFAULT_MAX_PAYLOAD = DEFAULT_MAX_MESSAGE - IP_UDP_OVERHEAD;

  /** RFC 2131 §3: 99.130.83.99. */
  public static final int MAGIC_COOKIE = 0x63825363;

  static final int SNAME_OFFSET = 44;
  static final int SNAME_LENGTH = 64;
  static final int FILE_OFFSET = 108;
  static final int FILE_LENGTH = 128;

  private DhcpCodec() {}

  /**
   * Decodes one message held in the whole array.
   *
   * @throws MalformedPacketException if the header is short or the magic cookie is wrong
   */
  public static DhcpPacket decode(byte[] buf) throws MalformedPacketException {
    return decode(buf, 0, buf.length);
  }

  /**
   * Decodes one message from {@code buf[off, off+len)}; offsets in messages are relative to {@code
   * off}.
   *
   * @throws MalformedPacketException if the header is short or the magic cookie is wrong
   * @throws IndexOutOfBoundsException if the range lies outside {@code buf} (a caller bug)
   */
  public static DhcpPacket decode(byte[] buf, int off, int len) throws MalformedPacketException {
    Objects.checkFromIndexSize(off, len, buf.length);
    if (len < OPTIONS_OFFSET) {
      throw new MalformedPacketException(
          "packet at offset 0: "
              + len
              + " bytes (expected at least "
              + OPTIONS_OFFSET
              + ": 236-byte header and magic cookie)",
          0);
    }
    DhcpReader r = new DhcpReader(buf, off, len);
    int op = r.u8("op");
    int htype = r.u8("htype");
    int hlen = r.u8("hlen");
    int hops = r.u8("hops");
    int xid = r.u32("xid");
    int secs = r.u16("secs");
    int flags = r.u16("flags");
    int ciaddr = r.u32("ciaddr");
    int yiaddr = r.u32("yiaddr");
    int siaddr = r.u32("siaddr");
    int giaddr = r.u32("giaddr");
    ByteString chaddr = r.bytes(16, "chaddr");
    ByteString sname = r.bytes(SNAME_LENGTH, "sname");
    ByteString file = r.bytes(FILE_LENGTH, "file");
    int cookie = r.u32("magic cookie");
    if (cookie != MAGIC_COOKIE) {
      throw new MalformedPacketException(
          String.format(
              java.util.Locale.ROOT,
              "magic cookie at offset %d: 0x%08x (expected 0x%08x)",
              HEADER_LENGTH,
              cookie,
              MAGIC_COOKIE),
          HEADER_LENGTH);
    }
    List<String> defects = new ArrayList<>();
    if (hlen > 16) {
      defects.add("hlen at offset 2: " + hlen + " (expected at most 16)");
    }
    OptionDecoder d = new OptionDecoder(buf, off, defects);
    int overload = d.parseOptionsArea(off + OPTIONS_OFFSET, len - OPTIONS_OFFSET);
    if ((overload & 1) != 0) {
      d.parseOverloadedArea(off + FILE_OFFSET, FILE_LENGTH, "file");
      file = ByteString.zeros(FILE_LENGTH);
    }
    if ((overload & 2) != 0) {
      d.parseOverloadedArea(off + SNAME_OFFSET, SNAME_LENGTH, "sname");
      sname = ByteString.zeros(SNAME_LENGTH);
    }
    DhcpOptions options = d.finish();
    return new DhcpPacket(
        op, htype, hlen, hops, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr, chaddr, sname,
        file, options, defects);
  }

  /**
   * The message type (option 53) of a client's datagram, read without decoding it, for deciding
   * early what a full decode would be wasted on (overload shedding). Only the options area is
   * scanned, up to the first option 53, the end option or a truncated option; a reply (op 2), a
   * datagram without the header and magic cookie or without a readable option 53 there gives null,
   * and such a datagram is left to {@link #decode}.
   *
   * @throws IndexOutOfBoundsException if the range lies outside {@code buf} (a caller bug)
   */
  public static MessageType peekMessageType(byte[] buf, int off, int len) {
    Objects.checkFromIndexSize(off, len, buf.length);
    if (len < OPTIONS_OFFSET
        || buf[off] != 1
        || DhcpOptions.readInt(buf, off + HEADER_LENGTH) != MAGIC_COOKIE) {
      return null;
    }
    int end = off + len;
    int i = off + OPTIONS_OFFSET;
    while (i < end) {
      int code = buf[i] & 0xff;
      if (code == OptionCode.PAD) {
        i++;
        continue;
      }
      if (code == OptionCode.END || i + 1 >= end) {
        return null;
      }
      int n = buf[i + 1] & 0xff;
      if (i + 2 + n > end) {
        return null;
      }
      if (code == OptionCode.MESSAGE_TYPE) {
        return n == 1 ? MessageType.of(buf[i + 2] & 0xff) : null;
      }
      i += 2 + n;
    }
    return null;
  }

  /**
   * The largest DHCP payload a reply to {@code request} may have: its option 57 less the IP and UDP
   * headers, or 548 when option 57 is absent or below 576 (RFC 2132 §9.10, RFC 2131 §2).
   */
  public static int maxReplyLength(DhcpPacket request) {
    Integer mms = request.options().u16(OptionCode.MAX_MESSAGE_SIZE);
    if (mms == null || mms < DEFAULT_MAX_MESSAGE) {
      return DEFAULT_MAX_PAYLOAD;
    }
    return mms - IP_UDP_OVERHEAD;
  }

  /**
   * Encodes a message within the 548 bytes every client accepts; see {@link #encode(DhcpPacket,
   * int)}.
   *
   * @throws IllegalArgumentException if the options cannot fit even with overload
   */
  public static byte[] encode(DhcpPacket p) {
    return encode(p, DEFAULT_MAX_PAYLOAD);
  }

  /**
   * Encodes a message: header, magic cookie, options in their order (option 82 moved last, RFC 3046
   * §2.1) then END, zero-padded to at least 300 bytes (RFC 1542 §2.1). Options longer than 255
   * bytes are split into several instances (RFC 3396). If the result would exceed {@code maxLength}
   * (from {@link #maxReplyLength}; values below 548 are raised to 548), options spill into an
   * unused {@code file} and then {@code sname} field with option 52 (RFC 2131 §4.1, RFC 2132 §9.3);
   * options 53 and 82 always stay in the options field. Option 52 in {@code p.options()} is
   * ignored: the encoder writes it when it overloads.
   *
   * @throws IllegalArgumentException if the options cannot fit even with overload
   */
  public static byte[] encode(DhcpPacket p, int maxLength) {
    return OptionEncoder.encode(p, Math.max(maxLength, DEFAULT_MAX_PAYLOAD));
  }

  static void writeHeader(DhcpPacket p, byte[] out, boolean keepSname, boolean keepFile) {
    out[0] = (byte) p.op();
    out[1] = (byte) p.htype();
    out[2] = (byte) p.hlen();
    out[3] = (byte) p.hops();
    putInt(out, 4, p.xid());
    out[8] = (byte) (p.secs() >>> 8);
    out[9] = (byte) p.secs();
    out[10] = (byte) (p.flags() >>> 8);
    out[11] = (byte) p.flags();
    putInt(out, 12, p.ciaddr());
    putInt(out, 16, p.yiaddr());
    putInt(out, 20, p.siaddr());
    putInt(out, 24, p.giaddr());
    copyField(p.chaddr(), out, 28, 16);
    if (keepSname) {
      copyField(p.sname(), out, SNAME_OFFSET, SNAME_LENGTH);
    }
    if (keepFile) {
      copyField(p.file(), out, FILE_OFFSET, FILE_LENGTH);
    }
    putInt(out, HEADER_LENGTH, MAGIC_COOKIE);
  }

  private static void copyField(ByteString s, byte[] out, int off, int max) {
    s.copyTo(out, off, max);
  }

  static void putInt(byte[] out, int pos, int v) {
    out[pos] = (byte) (v >>> 24);
    out[pos + 1] = (byte) (v >>> 16);
    out[pos + 2] = (byte) (v >>> 8);
    out[pos + 3] = (byte) v;
  }
}
