package ovpnagent.link.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Builds one netlink request: {@code nlmsghdr}, one family header, then {@code rtattr}s (4-byte
 * aligned, nestable), in host byte order as netlink(7) requires; no I/O.
 */
public final class NlMsgBuilder {
  private static final int MAX = 8192;
  private final ByteBuffer buf = ByteBuffer.allocate(MAX).order(ByteOrder.nativeOrder());
  private final Deque<Integer> nests = new ArrayDeque<>();
  private final int type;

  /** Starts a message of {@code type} with {@code flags}; length and sequence are set by build. */
  public NlMsgBuilder(int type, int flags) {
    this.type = type;
    buf.putInt(0).putShort((short) type).putShort((short) flags).putInt(0).putInt(0);
  }

  /** The message type. */
  public int type() {
    return type;
  }

  /** Appends a 16-byte {@code ifinfomsg}. */
  public NlMsgBuilder ifInfo(int family, int arpType, int index, int flags, int change) {
    buf.put((byte) family).put((byte) 0).putShort((short) arpType);
    buf.putInt(index).putInt(flags).putInt(change);
    return this;
  }

  /** Appends an 8-byte {@code ifaddrmsg}. */
  public NlMsgBuilder ifAddr(int family, int prefixLen, int flags, int scope, int index) {
    buf.put((byte) family).put((byte) prefixLen).put((byte) flags).put((byte) scope).putInt(index);
    return this;
  }

  /** Appends a 12-byte {@code ndmsg}. */
  public NlMsgBuilder nd(int family, int ifindex, int state, int flags, int ndType) {
    buf.put((byte) family).put((byte) 0).putShort((short) 0).putInt(ifindex);
    buf.putShort((short) state).put((byte) flags).put((byte) ndType);
    return this;
  }

  /** Appends a 12-byte {@code rtmsg} (flags 0, src_len 0, tos 0). */
  public NlMsgBuilder rt(
      int family, int dstLen, int table, int protocol, int scope, int routeType) {
    buf.put((byte) family).put((byte) dstLen).put((byte) 0).put((byte) 0);
    buf.put((byte) table).put((byte) protocol).put((byte) scope).put((byte) routeType);
    buf.putInt(0);
    return this;
  }

  /** Appends an attribute with raw data, padded to 4 bytes. */
  public NlMsgBuilder attr(int attrType, byte[] data) {
    buf.putShort((short) (4 + data.length)).putShort((short) attrType).put(data);
    pad();
    return this;
  }

  /** Appends a u32 attribute (host order). */
  public NlMsgBuilder attrU32(int attrType, int value) {
    buf.putShort((short) 8).putShort((short) attrType).putInt(value);
    return this;
  }

  /** Appends a NUL-terminated string attribute. */
  public NlMsgBuilder attrString(int attrType, String value) {
    byte[] s = value.getBytes(StandardCharsets.US_ASCII);
    return attr(attrType, Arrays.copyOf(s, s.length + 1));
  }

  /** Appends an IPv4 address attribute (network byte order). */
  public NlMsgBuilder attrIpv4(int attrType, int addr) {
    byte[] b = {(byte) (addr >>> 24), (byte) (addr >>> 16), (byte) (addr >>> 8), (byte) addr};
    return attr(attrType, b);
  }

  /** Opens a nested attribute; close it with {@link #end()}. */
  public NlMsgBuilder begin(int attrType) {
    nests.push(buf.position());
    buf.putShort((short) 0).putShort((short) attrType);
    return this;
  }

  /** Closes the innermost nested attribute, patching its length. */
  public NlMsgBuilder end() {
    if (nests.isEmpty()) {
      throw new IllegalStateException("end() without begin()");
    }
    int start = nests.pop();
    buf.putShort(start, (short) (buf.position() - start));
    return this;
  }

  /** The finished message with {@code seq} and port id 0; the builder may be built again. */
  public byte[] build(int seq) {
    if (!nests.isEmpty()) {
      throw new IllegalStateException("unclosed nested attribute");
    }
    buf.putInt(0, buf.position()).putInt(8, seq);
    return Arrays.copyOf(buf.array(), buf.position());
  }

  private void pad() {
    while ((buf.position() & 3) != 0) {
      buf.put((byte) 0);
    }
  }
}
