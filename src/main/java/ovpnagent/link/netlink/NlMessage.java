package ovpnagent.link.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One received netlink message: the {@code nlmsghdr} fields and a copy of its payload. */
public final class NlMessage {
  private final int type;
  private final int flags;
  private final int seq;
  private final int pid;
  private final byte[] body;

  /** Creates a message; the body is copied. */
  public NlMessage(int type, int flags, int seq, int pid, byte[] body) {
    this.type = type;
    this.flags = flags;
    this.seq = seq;
    this.pid = pid;
    this.body = body.clone();
  }

  /**
   * Splits a receive buffer into messages, walking {@code align4(nlmsg_len)}.
   *
   * @throws NetlinkParseException if a header is short or a length runs past the buffer
   */
  public static List<NlMessage> parseAll(byte[] buf, int len) throws NetlinkParseException {
    ByteBuffer b = ByteBuffer.wrap(buf, 0, len).order(ByteOrder.nativeOrder());
    List<NlMessage> out = new ArrayList<>();
    int off = 0;
    while (off < len) {
      if (len - off < Rtnl.NLMSG_HDRLEN) {
        throw new NetlinkParseException(
            "nlmsghdr at offset " + off + ": " + (len - off) + " bytes (expected 16)");
      }
      int msgLen = b.getInt(off);
      if (msgLen < Rtnl.NLMSG_HDRLEN || msgLen > len - off) {
        throw new NetlinkParseException(
            "nlmsghdr at offset "
                + off
                + ": length "
                + msgLen
                + " (expected 16.."
                + (len - off)
                + ")");
      }
      int type = b.getShort(off + 4) & 0xffff;
      int flags = b.getShort(off + 6) & 0xffff;
      out.add(
          new NlMessage(
              type,
              flags,
              b.getInt(off + 8),
              b.getInt(off + 12),
              Arrays.copyOfRange(buf, off + 16, off + msgLen)));
      off += Rtnl.align4(msgLen);
    }
    return out;
  }

  public int type() {
    return type;
  }

  public int flags() {
    return flags;
  }

  public int seq() {
    return seq;
  }

  public int pid() {
    return pid;
  }

  /** Payload length (after the 16-byte header). */
  public int bodyLength() {
    return body.length;
  }

  /** A read-only host-order view of the payload. */
  public ByteBuffer body() {
    return ByteBuffer.wrap(body).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
  }

  /** Fails unless the payload has at least {@code n} bytes. */
  void requireBody(int n, String what) throws NetlinkParseException {
    if (body.length < n) {
      throw new NetlinkParseException(
          Rtnl.typeName(type) + ": " + what + " " + body.length + " bytes (expected " + n + "+)");
    }
  }

  @Override
  public String toString() {
    return Rtnl.typeName(type) + " flags=0x" + Integer.toHexString(flags) + " seq=" + seq;
  }
}
