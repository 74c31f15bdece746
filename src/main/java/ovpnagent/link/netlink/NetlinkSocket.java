package ovpnagent.link.netlink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import ovpnagent.sys.Native;

/**
 * A blocking NETLINK_ROUTE socket (netlink(7)): requests are sent to the kernel with increasing
 * sequence numbers and their replies collected up to the ACK or NLMSG_DONE; a socket opened with
 * groups receives notifications. The socket lives in the network namespace of the thread that
 * opened it. Requests are serialized; errors become {@link NetlinkException}.
 */
public final class NetlinkSocket implements AutoCloseable {
  private static final int BUF = 64 * 1024;
  private final int fd;
  private final long timeoutNanos;
  private final byte[] buf = new byte[BUF];
  private int seq = (int) (System.nanoTime() & 0x7fff_ffff) | 1;
  private volatile boolean closed;

  private NetlinkSocket(int fd, long timeoutNanos) {
    this.fd = fd;
    this.timeoutNanos = timeoutNanos;
  }

  /**
   * Opens and binds a socket with extended ACK and capped ACK; {@code receiveTimeoutMillis} bounds
   * every {@code recv} (a request fails after it, {@link #receive()} returns empty).
   */
  public static NetlinkSocket open(int groups, int receiveTimeoutMillis) throws IOException {
    int fd =
        Native.socket(Native.AF_NETLINK, Native.SOCK_RAW | Native.SOCK_CLOEXEC, Rtnl.NETLINK_ROUTE);
    try {
      Native.setIntOption(fd, Rtnl.SOL_NETLINK, Rtnl.NETLINK_EXT_ACK, 1);
      Native.setIntOption(fd, Rtnl.SOL_NETLINK, Rtnl.NETLINK_CAP_ACK, 1);
      if (groups != 0) {
        Native.setIntOption(fd, Native.SOL_SOCKET, Native.SO_RCVBUF, 1 << 20);
      }
      Native.setReceiveTimeout(fd, receiveTimeoutMillis);
      Native.check(Native.libc().bind(fd, sockaddrNl(groups), 12), "bind(AF_NETLINK)");
    } catch (IOException | RuntimeException e) {
      Native.close(fd);
      throw e;
    }
    return new NetlinkSocket(fd, receiveTimeoutMillis * 1_000_000L);
  }

  /** A {@code struct sockaddr_nl}: family, pad, pid 0, groups. */
  static byte[] sockaddrNl(int groups) {
    return ByteBuffer.allocate(12)
        .order(ByteOrder.nativeOrder())
        .putShort((short) Native.AF_NETLINK)
        .putShort((short) 0)
        .putInt(0)
        .putInt(groups)
        .array();
  }

  /**
   * Sends a request and returns the reply messages (without the final ACK/NLMSG_DONE).
   *
   * @throws NetlinkException when the kernel answers with an error (naming {@code op})
   * @throws IOException on socket errors, a malformed reply or no reply before the timeout
   */
  public synchronized List<NlMessage> request(NlMsgBuilder req, String op) throws IOException {
    int s = ++seq;
    byte[] msg = req.build(s);
    Native.check(
        Native.libc().sendto(fd, msg, msg.length, 0, sockaddrNl(0), 12),
        "sendto(netlink, " + op + ")");
    List<NlMessage> out = new ArrayList<>();
    long deadline = System.nanoTime() + timeoutNanos;
    while (true) {
      int n = recvOnce();
      if (n == 0) {
        if (System.nanoTime() - deadline > 0) {
          throw new IOException(op + " failed: no netlink reply within the timeout");
        }
        continue;
      }
      for (NlMessage m : NlMessage.parseAll(buf, n)) {
        if (m.seq() != s) {
          continue;
        }
        if (m.type() == Rtnl.NLMSG_ERROR) {
          NlError e = NlError.parse(m);
          if (e.isAck()) {
            return out;
          }
          throw error(op, -e.error(), e.message());
        }
        if (m.type() == Rtnl.NLMSG_DONE) {
          int status = m.bodyLength() >= 4 ? m.body().getInt(0) : 0;
          if (status < 0) {
            throw error(op, -status, null);
          }
          return out;
        }
        out.add(m);
      }
    }
  }

  /**
   * Waits up to the receive timeout for notifications; returns an empty list on timeout.
   *
   * @throws NetlinkException with errno ENOBUFS when notifications were lost (resynchronize)
   */
  public List<NlMessage> receive() throws IOException {
    int n = recvOnce();
    return n == 0 ? List.of() : NlMessage.parseAll(buf, n);
  }

  private int recvOnce() throws IOException {
    while (true) {
      if (closed) {
        throw new IOException("netlink socket closed");
      }
      long n = Native.libc().recv(fd, buf, buf.length, 0);
      if (n >= 0) {
        return (int) n;
      }
      int e = Native.errno();
      if (e == Native.EINTR) {
        continue;
      }
      if (e == Native.EAGAIN) {
        return 0;
      }
      throw error("recv(netlink)", e, null);
    }
  }

  private static NetlinkException error(String op, int errno, String extack) {
    return new NetlinkException(op, errno, Native.libc().strerror(errno), extack);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Native.close(fd);
    }
  }
}
