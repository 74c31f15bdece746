package ovpnagent.link.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code rtattr} list of one message or nested attribute, by type (flags masked with 0x3fff;
 * the first occurrence of a type wins).
 */
public final class RtAttrs {
  private final Map<Integer, byte[]> attrs;

  private RtAttrs(Map<Integer, byte[]> attrs) {
    this.attrs = attrs;
  }

  /**
   * Parses the attributes in {@code b} from {@code from} to the buffer's limit.
   *
   * @throws NetlinkParseException if an attribute length is below 4 or runs past the end
   */
  public static RtAttrs parse(ByteBuffer b, int from) throws NetlinkParseException {
    ByteBuffer in = b.duplicate().order(ByteOrder.nativeOrder());
    Map<Integer, byte[]> out = new HashMap<>();
    int off = from;
    int end = in.limit();
    while (end - off >= 4) {
      int len = in.getShort(off) & 0xffff;
      int type = in.getShort(off + 2) & Rtnl.NLA_TYPE_MASK;
      if (len < 4 || len > end - off) {
        throw new NetlinkParseException(
            "rtattr type "
                + type
                + " at offset "
                + off
                + ": length "
                + len
                + " (expected 4.."
                + (end - off)
                + ")");
      }
      byte[] data = new byte[len - 4];
      in.get(off + 4, data);
      out.putIfAbsent(type, data);
      off += Rtnl.align4(len);
    }
    return new RtAttrs(out);
  }

  /** True if the attribute is present. */
  public boolean has(int type) {
    return attrs.containsKey(type);
  }

  /** A copy of the attribute data, or null. */
  public byte[] bytes(int type) {
    byte[] b = attrs.get(type);
    return b == null ? null : b.clone();
  }

  /** A u32 attribute (host order), or {@code dflt} when absent. */
  public int u32(int type, int dflt) throws NetlinkParseException {
    byte[] b = attrs.get(type);
    if (b == null) {
      return dflt;
    }
    need(type, b, 4);
    return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getInt();
  }

  /** A u8 attribute, or {@code dflt} when absent. */
  public int u8(int type, int dflt) throws NetlinkParseException {
    byte[] b = attrs.get(type);
    if (b == null) {
      return dflt;
    }
    need(type, b, 1);
    return b[0] & 0xff;
  }

  /** An IPv4 address attribute (network order) as an int, or {@code dflt}. */
  public int ipv4(int type, int dflt) throws NetlinkParseException {
    byte[] b = attrs.get(type);
    if (b == null) {
      return dflt;
    }
    need(type, b, 4);
    return ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN).getInt();
  }

  /** A string attribute up to its first NUL, or null when absent. */
  public String string(int type) {
    byte[] b = attrs.get(type);
    if (b == null) {
      return null;
    }
    int n = 0;
    while (n < b.length && b[n] != 0) {
      n++;
    }
    return new String(b, 0, n, StandardCharsets.US_ASCII);
  }

  /** The attributes nested in {@code type} (empty when absent). */
  public RtAttrs nested(int type) throws NetlinkParseException {
    byte[] b = attrs.get(type);
    if (b == null) {
      return new RtAttrs(Map.of());
    }
    return parse(ByteBuffer.wrap(b), 0);
  }

  private static void need(int type, byte[] b, int n) throws NetlinkParseException {
    if (b.length < n) {
      throw new NetlinkParseException(
          "rtattr type " + type + ": " + b.length + " data bytes (expected " + n + ")");
    }
  }
}
