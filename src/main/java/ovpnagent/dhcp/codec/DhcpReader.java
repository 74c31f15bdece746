package ovpnagent.dhcp.codec;

import java.util.function.Supplier;

/**
 * A bounded reader over a byte range: every read checks the remaining length first and throws
 * {@link MalformedPacketException} naming the field, its offset (relative to the packet start),
 * what was found and what was expected.
 */
final class DhcpReader {
  private final byte[] buf;
  private final int base;
  private final int end;
  private int pos;

  /**
   * Reads {@code len} bytes of {@code buf} from {@code off}; offsets are reported from {@code off}.
   */
  DhcpReader(byte[] buf, int off, int len) {
    this(buf, off, len, off);
  }

  /** Reads {@code buf[off, off+len)}; offsets in messages are reported relative to {@code base}. */
  DhcpReader(byte[] buf, int off, int len, int base) {
    this.buf = buf;
    this.pos = off;
    this.end = off + len;
    this.base = base;
  }

  /** The absolute index of the next byte in the buffer. */
  int position() {
    return pos;
  }

  /** The offset of the next byte relative to the packet start. */
  int offset() {
    return pos - base;
  }

  int remaining() {
    return end - pos;
  }

  void require(int n, String what) throws MalformedPacketException {
    if (end - pos < n) {
      throw tooShort(n, what);
    }
  }

  /** As {@link #require(int, String)}, building the field name only on failure (hot path). */
  void require(int n, Supplier<String> what) throws MalformedPacketException {
    if (end - pos < n) {
      throw tooShort(n, what.get());
    }
  }

  private MalformedPacketException tooShort(int n, String what) {
    return new MalformedPacketException(
        what + " at offset " + offset() + ": " + (end - pos) + " bytes left (expected " + n + ")",
        offset());
  }

  int u8(String what) throws MalformedPacketException {
    require(1, what);
    return buf[pos++] & 0xff;
  }

  int u8(Supplier<String> what) throws MalformedPacketException {
    require(1, what);
    return buf[pos++] & 0xff;
  }

  int u16(String what) throws MalformedPacketException {
    require(2, what);
    int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  int u32(String what) throws MalformedPacketException {
    require(4, what);
    int v = DhcpOptions.readInt(buf, pos);
    pos += 4;
    return v;
  }

  ByteString bytes(int n, String what) throws MalformedPacketException {
    require(n, what);
    ByteString s = ByteString.ofOrZeros(buf, pos, n);
    pos += n;
    return s;
  }

  /** Checks that {@code n} bytes remain, then steps over them; returns where they start. */
  int skip(int n, Supplier<String> what) throws MalformedPacketException {
    require(n, what);
    int at = pos;
    pos += n;
    return at;
  }

  byte[] array() {
    return buf;
  }
}
