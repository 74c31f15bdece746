package ovpnagent.dhcp.codec;

/** A bounded reader over a byte range: every read checks the remaining length first. */
final class DhcpReader {
  private final byte[] buf;
  private final int end;
  private int pos;

  DhcpReader(byte[] buf, int off, int len) {
    this.buf = buf;
    this.pos = off;
    this.end = off + len;
  }

  int position() {
    return pos;
  }

  int remaining() {
    return end - pos;
  }

  void require(int n, String what) throws MalformedPacketException {
    if (end - pos < n) {
      throw new MalformedPacketException(
          what + " at offset " + pos + ": " + (end - pos) + " bytes left (expected " + n + ")");
    }
  }

  int u8(String what) throws MalformedPacketException {
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
    ByteString s = ByteString.of(buf, pos, n);
    pos += n;
    return s;
  }

  byte[] array() {
    return buf;
  }

  void skip(int n) {
    pos += n;
  }
}
