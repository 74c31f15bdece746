package ovpnagent.link.netlink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import ovpnagent.sys.Native;

/**
 * Creates persistent TAP devices through {@code /dev/net/tun} (Documentation/networking/tuntap):
 * open, TUNSETIFF(IFF_TAP|IFF_NO_PI), TUNSETPERSIST 1, close. The device is created in the network
 * namespace of the calling thread.
 */
public final class TunTap {
  public static final long TUNSETIFF = 0x400454caL;
  public static final long TUNSETPERSIST = 0x400454cbL;
  public static final int IFF_TAP = 0x0002;
  public static final int IFF_NO_PI = 0x1000;

  private TunTap() {}

  /** A 40-byte {@code struct ifreq}: NUL-padded name, then {@code short flags} at 16. */
  public static byte[] ifreq(String name, int flags) {
    byte[] n = RtnlRequests.checkName(name).getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.nativeOrder());
    b.put(n).position(16);
    b.putShort((short) flags);
    return b.array();
  }

  /**
   * Equivalent to: {@code ip tuntap add dev NAME mode tap} (persistent, no packet info).
   *
   * @throws IOException naming the failed call and errno
   */
  public static void createPersistentTap(String name) throws IOException {
    int fd =
        (int)
            Native.check(
                Native.libc().open("/dev/net/tun", Native.O_RDWR | Native.O_CLOEXEC),
                "open(/dev/net/tun)");
    try {
      Native.check(
          Native.libc().ioctl(fd, TUNSETIFF, ifreq(name, IFF_TAP | IFF_NO_PI)),
          "ioctl(TUNSETIFF, " + name + ")");
      Native.check(
          Native.libc().ioctl(fd, TUNSETPERSIST, 1L), "ioctl(TUNSETPERSIST, " + name + ")");
    } finally {
      Native.close(fd);
    }
  }
}
