package ovpnagent.sys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The single place FFI is called from. Every method turns a failed call into an {@link
 * NativeException} that names the call and the errno.
 */
public final class Native {
  public static final int AF_INET = 2;
  public static final int AF_NETLINK = 16;
  public static final int AF_PACKET = 17;
  public static final int SOCK_DGRAM = 2;
  public static final int SOCK_RAW = 3;
  public static final int SOCK_CLOEXEC = 0x80000;
  public static final int SOL_SOCKET = 1;
  public static final int SO_REUSEADDR = 2;
  public static final int SO_BROADCAST = 6;
  public static final int SO_SNDBUF = 7;
  public static final int SO_RCVBUF = 8;
  public static final int SO_RCVTIMEO = 20;
  public static final int SO_BINDTODEVICE = 25;
  public static final int O_RDWR = 2;
  public static final int O_CLOEXEC = 0x80000;
  public static final int EINTR = 4;
  public static final int EAGAIN = 11;

  private static volatile LibC libc;

  private Native() {}

  /** The loaded libc binding (loaded on first use; about 300 ms the first time). */
  public static LibC libc() {
    LibC l = libc;
    if (l == null) {
      synchronized (Native.class) {
        l = libc;
        if (l == null) {
          l = LibC.load();
          libc = l;
        }
      }
    }
    return l;
  }

  /** The errno of the last failed call on this thread. */
  public static int errno() {
    return jnr.ffi.Runtime.getRuntime(libc()).getLastError();
  }

  /** Throws if {@code rc} is negative, naming the call. */
  public static long check(long rc, String call) throws NativeException {
    if (rc < 0) {
      int e = errno();
      throw new NativeException(call, e, libc().strerror(e));
    }
    return rc;
  }

  public static int socket(int domain, int type, int protocol) throws NativeException {
    return (int)
        check(libc().socket(domain, type, protocol), "socket(" + domain + "," + type + ")");
  }

  public static void setIntOption(int fd, int level, int name, int value) throws NativeException {
    byte[] b = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    check(libc().setsockopt(fd, level, name, b, 4), "setsockopt(" + level + "," + name + ")");
  }

  /** {@code setsockopt(SO_RCVTIMEO)}: a blocking receive returns EAGAIN after {@code millis}. */
  public static void setReceiveTimeout(int fd, int millis) throws NativeException {
    byte[] tv =
        ByteBuffer.allocate(16)
            .order(ByteOrder.nativeOrder())
            .putLong(millis / 1000)
            .putLong((millis % 1000) * 1000L)
            .array();
    check(libc().setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16), "setsockopt(SO_RCVTIMEO)");
  }

  /**
   * {@code setsockopt(SO_BINDTODEVICE, ifname)}: the socket hears and sends only on that device.
   */
  public static void bindToDevice(int fd, String ifname) throws NativeException {
    byte[] name = ifname.getBytes(StandardCharsets.US_ASCII);
    byte[] b = new byte[name.length + 1];
    System.arraycopy(name, 0, b, 0, name.length);
    check(
        libc().setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, b, b.length),
        "setsockopt(SO_BINDTODEVICE," + ifname + ")");
  }

  /** {@code if_nametoindex}; throws if the interface does not exist. */
  public static int ifIndex(String ifname) throws NativeException {
    int idx = libc().if_nametoindex(ifname);
    if (idx == 0) {
      int e = errno();
      throw new NativeException("if_nametoindex(" + ifname + ")", e, libc().strerror(e));
    }
    return idx;
  }

  /** A {@code struct sockaddr_in} for an IPv4 address (as int) and port. */
  public static byte[] sockaddrIn(int addr, int port) {
    ByteBuffer b = ByteBuffer.allocate(16);
    b.order(ByteOrder.nativeOrder()).putShort((short) AF_INET);
    b.order(ByteOrder.BIG_ENDIAN).putShort((short) port).putInt(addr);
    return b.array();
  }

  public static void close(int fd) {
    if (fd >= 0) {
      libc().close(fd);
    }
  }

  /** A failed native call. */
  public static final class NativeException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public NativeException(String call, int errno, String text) {
      super(call + " failed: errno " + errno + " (" + text + ")");
      this.errno = errno;
    }

    public int errno() {
      return errno;
    }
  }
}
