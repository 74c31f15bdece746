package ovpnagent.link.netlink;

import java.io.IOException;

/**
 * The kernel refused a netlink request: carries the operation, the errno and the kernel's
 * extended-ack text when it sent one.
 */
public final class NetlinkException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int errno;
  private final String extack;

  /** Creates the exception; {@code extack} may be null. */
  public NetlinkException(String op, int errno, String errnoText, String extack) {
    super(
        op
            + " failed: errno "
            + errno
            + " ("
            + errnoText
            + ")"
            + (extack == null || extack.isEmpty() ? "" : ": " + extack));
    this.errno = errno;
    this.extack = extack;
  }

  /** The positive errno (17 for EEXIST). */
  public int errno() {
    return errno;
  }

  /** The kernel's extended-ack message, or null. */
  public String extack() {
    return extack;
  }
}
